/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loudness with libebur128, and a speech-share estimate from the speech band's syllabic rhythm. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <ebur128.h>
#include <math.h>
#include <string.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-audio-private.h"
#include "admint-loudness.h"

gboolean
admint_loudness_quick (const AdmintAudio *audio,
                       double            *lufs,
                       double            *true_peak)
{
  ebur128_state *state;
  double l = -HUGE_VAL, tp = 0;

  *lufs = -HUGE_VAL;
  if (true_peak != NULL)
    *true_peak = -HUGE_VAL;
  if (audio->n_frames == 0)
    return TRUE;
  state = ebur128_init ((unsigned) audio->channels, (unsigned long) audio->rate,
                        EBUR128_MODE_I | (true_peak ? EBUR128_MODE_TRUE_PEAK : 0));
  if (state == NULL)
    return FALSE;
  ebur128_add_frames_float (state, audio->samples, audio->n_frames);
  ebur128_loudness_global (state, &l);
  for (int c = 0; true_peak != NULL && c < audio->channels; c++)
    {
      double peak = 0;
      ebur128_true_peak (state, (unsigned) c, &peak);
      tp = MAX (tp, peak);
    }
  ebur128_destroy (&state);
  *lufs = isfinite (l) ? l : -HUGE_VAL;
  if (true_peak != NULL)
    *true_peak = tp > 0 ? 20 * log10 (tp) : -HUGE_VAL;
  return TRUE;
}

gboolean
admint_loudness_measure (const AdmintAudio  *audio,
                         AdmintLoudness     *loudness,
                         GError            **error)
{
  ebur128_state *state;
  double lufs = -HUGE_VAL, tp = 0;

  g_return_val_if_fail (audio != NULL, FALSE);
  g_return_val_if_fail (loudness != NULL, FALSE);

  memset (loudness, 0, sizeof *loudness);
  loudness->has_audio = TRUE;
  loudness->duration = admint_audio_get_duration (audio);
  loudness->integrated_lufs = -HUGE_VAL;
  loudness->true_peak_dbtp = -HUGE_VAL;
  if (audio->n_frames == 0)
    return TRUE;

  state = ebur128_init ((unsigned) audio->channels, (unsigned long) audio->rate,
                        EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_SAMPLE_PEAK);
  if (state == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot measure loudness at %d Hz with %d channels"), audio->rate,
                   audio->channels);
      return FALSE;
    }
  ebur128_add_frames_float (state, audio->samples, audio->n_frames);
  ebur128_loudness_global (state, &lufs);
  for (int c = 0; c < audio->channels; c++)
    {
      double peak = 0, sample = 0;

      ebur128_true_peak (state, (unsigned) c, &peak);
      ebur128_sample_peak (state, (unsigned) c, &sample);
      tp = MAX (tp, peak);
      loudness->sample_peak = MAX (loudness->sample_peak, sample);
    }
  ebur128_destroy (&state);

  loudness->integrated_lufs = isfinite (lufs) ? lufs : -HUGE_VAL;
  loudness->true_peak_dbtp = tp > 0 ? 20 * log10 (tp) : -HUGE_VAL;
  loudness->speech_share = admint_loudness_speech_share (audio);
  return TRUE;
}

double
admint_loudness_gain_to (const AdmintLoudness *loudness,
                         double                target_lufs)
{
  g_return_val_if_fail (loudness != NULL, 0);

  if (!isfinite (loudness->integrated_lufs))
    return 0;
  return target_lufs - loudness->integrated_lufs;
}

#define FRAME_SECONDS 0.02
#define WINDOW_FRAMES 25   /* 0.5 s */

double
admint_loudness_speech_share (const AdmintAudio *audio)
{
  gsize frame = (gsize) (audio->rate * FRAME_SECONDS);
  gsize n_frames, n_windows, speech = 0, counted = 0;
  g_autofree double *level = NULL;
  double hp_state = 0, hp_prev = 0, lp_state = 0, best = -HUGE_VAL;
  double hp_a = exp (-2 * G_PI * 250.0 / audio->rate);
  double lp_a = exp (-2 * G_PI * 3500.0 / audio->rate);
  g_autofree double *win_mean = NULL;
  g_autofree double *win_spread = NULL;

  g_return_val_if_fail (audio != NULL, 0);

  n_frames = frame > 0 ? audio->n_frames / frame : 0;
  if (n_frames < WINDOW_FRAMES)
    return 0;
  level = g_new0 (double, n_frames);
  for (gsize f = 0; f < n_frames; f++)
    {
      double energy = 0;

      for (gsize i = f * frame; i < (f + 1) * frame; i++)
        {
          double x = 0, hp;

          for (int c = 0; c < audio->channels; c++)
            x += audio->samples[i * audio->channels + c];
          x /= audio->channels;
          hp = hp_a * (hp_state + x - hp_prev);   /* one-pole high-pass */
          hp_prev = x;
          hp_state = hp;
          lp_state = (1 - lp_a) * hp + lp_a * lp_state;
          energy += lp_state * lp_state;
        }
      level[f] = 10 * log10 (energy / frame + 1e-12);
    }

  n_windows = n_frames / WINDOW_FRAMES;
  win_mean = g_new0 (double, n_windows);
  win_spread = g_new0 (double, n_windows);
  for (gsize w = 0; w < n_windows; w++)
    {
      double sum = 0, sq = 0;

      for (gsize f = w * WINDOW_FRAMES; f < (w + 1) * WINDOW_FRAMES; f++)
        {
          sum += level[f];
          sq += level[f] * level[f];
        }
      win_mean[w] = sum / WINDOW_FRAMES;
      win_spread[w] = sqrt (MAX (0, sq / WINDOW_FRAMES - win_mean[w] * win_mean[w]));
      best = MAX (best, win_mean[w]);
    }
  for (gsize w = 0; w < n_windows; w++)
    {
      if (win_mean[w] < -100)   /* digital silence: no sound at all */
        continue;
      counted++;
      if (win_mean[w] > best - 18 && win_spread[w] >= 4.5)
        speech++;
    }
  return (double) speech / n_windows;
}

gboolean
admint_loudness_measure_file (const char      *path,
                              AdmintLoudness  *loudness,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autoptr(AdmintAudio) audio = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (loudness != NULL, FALSE);

  audio = admint_audio_decode_file (path, ADMINT_AUDIO_RATE, 2, TRUE, cancellable, error);
  if (audio == NULL)
    return FALSE;
  if (audio->n_frames == 0)
    {
      memset (loudness, 0, sizeof *loudness);
      return TRUE;
    }
  return admint_loudness_measure (audio, loudness, error);
}

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  admint_worker_lower_priority ();
  g_autofree AdmintLoudness *loudness = g_new0 (AdmintLoudness, 1);
  GError *error = NULL;

  if (admint_loudness_measure_file (task_data, loudness, cancellable, &error))
    g_task_return_pointer (task, g_steal_pointer (&loudness), g_free);
  else
    g_task_return_error (task, error);
}

void
admint_loudness_measure_file_async (const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_loudness_measure_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, measure_thread);
}

AdmintLoudness *
admint_loudness_measure_file_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
