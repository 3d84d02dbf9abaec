/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fitting each line into its scene: measured on the real speech, re-spoken faster when long. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "admint-error.h"
#include "admint-timing.h"

#define TRIM_PAD 0.05

const char *
admint_line_fit_to_string (AdmintLineFit fit)
{
  switch (fit)
    {
    case ADMINT_LINE_FITS: return "fits";
    case ADMINT_LINE_SPED_UP: return "sped-up";
    case ADMINT_LINE_TOO_LONG: return "too-long";
    default: g_return_val_if_reached (NULL);
    }
}

double
admint_timing_window (double scene_start,
                      double scene_end)
{
  return MAX (0, (scene_end - ADMINT_TIMING_LEAD_OUT) - (scene_start + ADMINT_TIMING_LEAD_IN));
}

AdmintLineFit
admint_timing_plan (double  voiced,
                    double  window,
                    double *speed)
{
  double needed;

  g_return_val_if_fail (speed != NULL, ADMINT_LINE_TOO_LONG);

  *speed = 1.0;
  if (voiced <= window)
    return ADMINT_LINE_FITS;
  needed = window > 0 ? voiced / window : HUGE_VAL;
  *speed = needed;
  if (needed <= ADMINT_TIMING_MAX_SPEED)
    return ADMINT_LINE_SPED_UP;
  return ADMINT_LINE_TOO_LONG;
}

void
admint_fitted_line_free (AdmintFittedLine *line)
{
  if (line == NULL)
    return;
  g_clear_pointer (&line->speech, admint_speech_free);
  g_free (line);
}

typedef struct {
  char             *text;
  double            window;
  double            cost;
  AdmintFittedLine *line;
} FitData;

static void
fit_data_free (FitData *data)
{
  g_free (data->text);
  g_clear_pointer (&data->line, admint_fitted_line_free);
  g_free (data);
}

static void fit_speak (GTask *task, double speed);

static void
fit_spoken_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FitData *data = g_task_get_task_data (task);
  g_autoptr(AdmintSpeech) speech = NULL;
  GError *error = NULL;
  double voiced, speed;
  AdmintLineFit fit;

  speech = admint_voice_provider_synthesize_finish (ADMINT_VOICE_PROVIDER (source), result,
                                                    &error);
  if (speech == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->line->attempts++;
  data->cost += speech->cost_usd;
  voiced = admint_speech_voiced_end (speech) - admint_speech_voiced_start (speech);
  g_clear_pointer (&data->line->speech, admint_speech_free);
  data->line->speech = admint_speech_trim (speech, TRIM_PAD);
  data->line->speech->cost_usd = data->cost;

  /* How long it would be at normal speed, from what this attempt measured. */
  fit = admint_timing_plan (voiced * speech->speed, data->window, &speed);
  g_debug ("\"%s\" at %.3f×: %.2f s voiced in a %.2f s window", data->text, speech->speed,
           voiced, data->window);
  if (voiced <= data->window)
    {
      data->line->fit = speech->speed > 1.0 ? ADMINT_LINE_SPED_UP : ADMINT_LINE_FITS;
      g_task_return_pointer (task, g_steal_pointer (&data->line),
                             (GDestroyNotify) admint_fitted_line_free);
      return;
    }
  if (speech->speed >= ADMINT_TIMING_MAX_SPEED || data->line->attempts >= 3)
    {
      data->line->fit = ADMINT_LINE_TOO_LONG;
      g_task_return_pointer (task, g_steal_pointer (&data->line),
                             (GDestroyNotify) admint_fitted_line_free);
      return;
    }
  /* Voices do not speed up exactly as asked: aim 3 % faster than the estimate. A line too
   * long even at the limit is still spoken at the limit: it comes back whole, the fastest it
   * may be, for the writer to shorten or the mix to let run on. */
  fit_speak (g_steal_pointer (&task),
             fit == ADMINT_LINE_TOO_LONG ? ADMINT_TIMING_MAX_SPEED
                                         : MIN (ADMINT_TIMING_MAX_SPEED,
                                                MAX (speed * 1.03, speech->speed + 0.02)));
}

static void
fit_speak (GTask  *task,
           double  speed)
{
  FitData *data = g_task_get_task_data (task);
  AdmintVoiceProvider *provider = g_task_get_source_object (task);
  g_autoptr(AdmintVoiceRequest) request = admint_voice_request_new (data->text, speed);

  admint_voice_provider_synthesize_async (provider, request, g_task_get_cancellable (task),
                                          fit_spoken_cb, task);
}

void
admint_timing_fit_line_async (AdmintVoiceProvider *provider,
                              const char          *text,
                              double               window,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = NULL;
  FitData *data;

  g_return_if_fail (ADMINT_IS_VOICE_PROVIDER (provider));

  task = g_task_new (provider, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_timing_fit_line_async);
  stripped = g_strstrip (g_strdup (text ? text : ""));
  if (stripped[0] == '\0')
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("The voice-over line is empty: there is nothing to speak. "
                               "Write a line or leave the scene silent"));
      return;
    }
  data = g_new0 (FitData, 1);
  data->text = g_steal_pointer (&stripped);
  data->window = window;
  data->line = g_new0 (AdmintFittedLine, 1);
  data->line->window = window;
  g_task_set_task_data (task, data, (GDestroyNotify) fit_data_free);
  fit_speak (g_steal_pointer (&task), 1.0);
}

AdmintFittedLine *
admint_timing_fit_line_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == admint_timing_fit_line_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

double
admint_timing_place (const AdmintSpeech *speech,
                     double              scene_start,
                     double              scene_end,
                     double              not_before)
{
  double lead = admint_speech_voiced_start (speech);
  double voiced = admint_speech_voiced_end (speech) - lead;
  double window = admint_timing_window (scene_start, scene_end);
  double first_word = scene_start + ADMINT_TIMING_LEAD_IN;

  g_return_val_if_fail (speech != NULL, scene_start);

  /* Some of the room left goes before the line, so it does not start on the cut's heels. */
  if (window > voiced)
    first_word += MIN (0.15, (window - voiced) * 0.3);
  first_word = MAX (first_word, not_before + lead);
  return first_word - lead;
}
