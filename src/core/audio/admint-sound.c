/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sound stage: lines spoken one by one on the main context, then placement, captions, the
 * bed, the mix and the mux in one worker thread. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <errno.h>
#include <string.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-loudness.h"
#include "admint-media-private.h"
#include "admint-music.h"
#include "admint-sound.h"
#include "admint-stitch.h"

#define BREATH 0.25   /* between one line's last word and the next one's first */

AdmintMusicMode
admint_music_mode_from_string (const char  *text,
                               const char **path)
{
  if (text == NULL || g_str_equal (text, "auto"))
    return ADMINT_MUSIC_AUTO;
  if (g_str_equal (text, "none"))
    return ADMINT_MUSIC_NONE;
  if (path != NULL)
    *path = text;
  return ADMINT_MUSIC_FILE;
}

static void
sound_line_free (AdmintSoundLine *line)
{
  g_clear_pointer (&line->speech, admint_speech_free);
  g_free (line->wav);
  g_free (line);
}

void
admint_sound_result_free (AdmintSoundResult *result)
{
  if (result == NULL)
    return;
  g_free (result->output);
  g_free (result->mix);
  g_free (result->srt);
  g_free (result->vtt);
  g_ptr_array_unref (result->lines);
  g_clear_pointer (&result->captions, admint_captions_free);
  g_free (result);
}

typedef struct {
  double        start, duration;
  char         *line;
  GArray       *text_boxes;   /* AdmintBox */
  AdmintSpeech *speech;
  char         *burned;       /* the captions its clip shows, or NULL */
  gboolean      captioned;    /* ... and they are its own: not drawn again */
} Scene;

typedef struct {
  GArray              *scenes;      /* Scene */
  AdmintSoundSettings  settings;    /* strings owned below */
  char                *strings[9];
  AdmintSoundResult   *result;
  guint                next;
  guint                n_to_speak, n_spoken;
  gulong               take_handler;  /* on the voice's "speech-paid", while a line is asked */
  guint                takes_told;    /* of the line being asked */
  AdmintMediaProgress  progress;
  AdmintCaptions      *captions;
  gboolean             speak_only;  /* admint_sound_speak_async: no mix, no video */
} Job;

static void
scene_clear (gpointer data)
{
  Scene *scene = data;

  g_free (scene->line);
  g_free (scene->burned);
  g_clear_pointer (&scene->text_boxes, g_array_unref);
  g_clear_pointer (&scene->speech, admint_speech_free);
}

static void
job_free (Job *job)
{
  g_array_unref (job->scenes);
  if (job->take_handler != 0)
    g_signal_handler_disconnect (job->settings.voice, job->take_handler);
  g_clear_object (&job->settings.voice);
  for (guint i = 0; i < G_N_ELEMENTS (job->strings); i++)
    g_free (job->strings[i]);
  g_clear_pointer (&job->result, admint_sound_result_free);
  g_clear_pointer (&job->captions, admint_captions_free);
  admint_media_progress_clear (&job->progress);
  g_free (job);
}

static const char *
own (Job        *job,
     guint       slot,
     const char *text)
{
  job->strings[slot] = g_strdup (text);
  return job->strings[slot];
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* The render thread: place, caption, bed, mix, mux ---------------------------------------------- */

/* Every line at its place in the ad (its offset), and the captions with them. Depends only on
 * the scenes' cuts and the spoken lines: the same before the clips are made and after. */
static void
place_lines (Job *job)
{
  double not_before = 0;

  job->captions = admint_captions_new ();
  for (guint i = 0; i < job->result->lines->len; i++)
    {
      AdmintSoundLine *line = g_ptr_array_index (job->result->lines, i);
      const Scene *scene = &g_array_index (job->scenes, Scene, line->scene);
      double end = scene->start + scene->duration;

      line->offset = admint_timing_place (line->speech, scene->start, end, not_before);
      /* A line too long runs on rather than be cut: the next one waits for it. */
      not_before = line->offset + admint_speech_voiced_end (line->speech) + BREATH;
      admint_captions_add_speech_avoiding (job->captions, line->speech, line->offset, end,
                                           (const AdmintBox *) scene->text_boxes->data,
                                           scene->text_boxes->len);
    }
  job->result->n_cues = admint_captions_get_n_cues (job->captions);
}

/* Every line at its place in a voice stem the length of the ad. */
static AdmintAudio *
build_voice (Job    *job,
             double  duration)
{
  g_autoptr(AdmintAudio) stem = admint_audio_new (ADMINT_AUDIO_RATE, 2,
                                                  (gsize) llround (duration * ADMINT_AUDIO_RATE));

  for (guint i = 0; i < job->result->lines->len; i++)
    {
      AdmintSoundLine *line = g_ptr_array_index (job->result->lines, i);
      g_autoptr(AdmintAudio) audio = admint_audio_convert (line->speech->audio,
                                                           ADMINT_AUDIO_RATE, 2);

      admint_audio_mix_into (stem, audio, line->offset, 1.0);
    }
  return g_steal_pointer (&stem);
}

/* Which scenes' clips already show their own captions (drawn by the renderer from these very
 * cues); TRUE when some cue is still to be drawn over the video. */
static gboolean
mark_captioned (Job *job)
{
  gboolean left = FALSE;

  for (guint i = 0; i < job->scenes->len; i++)
    {
      Scene *scene = &g_array_index (job->scenes, Scene, i);
      g_autoptr(JsonNode) expected = admint_captions_to_json (job->captions, scene->start,
                                                              scene->start + scene->duration);
      g_autoptr(JsonNode) burned = scene->burned ? json_from_string (scene->burned, NULL) : NULL;
      g_autofree char *a = json_to_string (expected, FALSE);
      g_autofree char *b = burned ? json_to_string (burned, FALSE) : NULL;

      scene->captioned = b != NULL && g_str_equal (a, b);
      if (scene->captioned)
        job->result->n_scenes_captioned++;
      else if (json_array_get_length (json_node_get_array (expected)) > 0)
        {
          if (b != NULL)
            g_message ("scene %u's clip shows other captions than its line's; they are drawn "
                       "again", i + 1);
          left = TRUE;
        }
    }
  return left;
}

static AdmintAudio *
build_music (Job           *job,
             double         duration,
             GCancellable  *cancellable,
             GError       **error)
{
  const AdmintSoundSettings *s = &job->settings;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (double));
  AdmintMusicSettings ms = { 0 };

  if (s->music == ADMINT_MUSIC_NONE)
    return NULL;
  if (s->music == ADMINT_MUSIC_FILE)
    return admint_music_load (s->music_file, cancellable, error);

  if (s->mood != NULL && !admint_mood_from_string (s->mood, &ms.mood))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   _("The music mood \"%s\" is not known. Use upbeat, calm, inspiring or bold"),
                   s->mood);
      return NULL;
    }
  for (guint i = 1; i < job->scenes->len; i++)
    g_array_append_val (cuts, g_array_index (job->scenes, Scene, i).start);
  ms.duration = duration;
  ms.cuts = (const double *) cuts->data;
  ms.n_cuts = cuts->len;
  ms.seed = s->seed;
  return admint_music_generate (&ms, &job->result->tempo, cancellable, error);
}

typedef struct {
  AdmintMediaProgress *progress;
  double               from, span;
} ProgressSpan;

static void
forward_progress (double   fraction,
                  gpointer user_data)
{
  ProgressSpan *span = user_data;
  admint_media_progress_report (span->progress, span->from + span->span * fraction);
}

static void
draw_captions (cairo_t  *cr,
               int       width,
               int       height,
               double    t,
               gpointer  user_data)
{
  Job *job = user_data;

  /* Not over a clip that drew them itself. */
  for (guint i = 0; i < job->scenes->len; i++)
    {
      const Scene *scene = &g_array_index (job->scenes, Scene, i);
      if (scene->captioned && t >= scene->start && t < scene->start + scene->duration)
        return;
    }
  admint_captions_draw (job->captions, cr, width, height, t);
}

static gboolean
write_outputs (Job           *job,
               const char    *mix_path,
               GCancellable  *cancellable,
               GError       **error)
{
  const AdmintSoundSettings *s = &job->settings;
  AdmintSoundResult *r = job->result;
  ProgressSpan span = { &job->progress, 0.45, 0.55 };
  g_autoptr(AdmintStitchResult) muxed = NULL;
  gboolean burn = s->captions_burn && admint_captions_get_n_cues (job->captions) > 0 &&
                  s->captioned_video == NULL && mark_captioned (job);

  if (s->srt != NULL && !admint_captions_write (job->captions, s->srt, error))
    return FALSE;
  if (s->vtt != NULL && !admint_captions_write (job->captions, s->vtt, error))
    return FALSE;
  r->srt = g_strdup (s->srt);
  r->vtt = g_strdup (s->vtt);
  muxed = admint_media_mux_audio (s->captioned_video ? s->captioned_video : s->video, mix_path,
                                  s->output, burn ? draw_captions : NULL,
                                  burn ? job : NULL, cancellable, forward_progress,
                                  &span, error);
  if (muxed == NULL)
    return FALSE;
  r->output = g_strdup (s->output);
  r->video_copied = muxed->copied;
  return TRUE;
}

static gboolean
render (Job           *job,
        GCancellable  *cancellable,
        GError       **error)
{
  const AdmintSoundSettings *s = &job->settings;
  g_autoptr(AdmintMediaInfo) info = NULL;
  g_autoptr(AdmintAudio) voice = NULL;
  g_autoptr(AdmintAudio) music = NULL;
  g_autoptr(AdmintAudio) clips = NULL;
  g_autoptr(AdmintAudio) mix = NULL;
  g_autofree char *mix_path = NULL;
  AdmintMixSettings ms = { 0 };

  info = admint_media_probe (s->video, cancellable, error);
  if (info == NULL)
    return FALSE;
  place_lines (job);
  if (job->result->lines->len > 0)
    voice = build_voice (job, info->duration);
  music = build_music (job, info->duration, cancellable, error);
  if (music == NULL && s->music != ADMINT_MUSIC_NONE)
    return FALSE;
  admint_media_progress_report (&job->progress, 0.35);
  if (s->clip_level >= 0 && info->has_audio)
    {
      clips = admint_audio_decode_file (s->video, ADMINT_AUDIO_RATE, 2, TRUE, cancellable, error);
      if (clips == NULL)
        return FALSE;
    }

  ms.voice = voice;
  ms.music = music;
  ms.clips = clips;
  ms.duration = info->duration;
  ms.clip_level = s->clip_level;
  mix = admint_mix (&ms, &job->result->mix_report, cancellable, error);
  if (mix == NULL)
    {
      if (!g_error_matches (*error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT))
        return FALSE;
      /* Nothing to mix (no voice, no music, silent clips): a silent track still plays. */
      g_clear_error (error);
      mix = admint_audio_new (ADMINT_AUDIO_RATE, 2, (gsize) (info->duration * ADMINT_AUDIO_RATE));
    }
  mix_path = g_build_filename (s->work_dir, "mix.wav", NULL);
  if (!admint_audio_write_wav (mix, mix_path, TRUE, error))
    return FALSE;
  job->result->mix = g_strdup (mix_path);
  admint_media_progress_report (&job->progress, 0.45);
  return write_outputs (job, mix_path, cancellable, error);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  admint_worker_lower_priority ();
  Job *job = task_data;
  GError *error = NULL;

  if (!render (job, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  admint_media_progress_report (&job->progress, 1.0);
  job->result->captions = g_steal_pointer (&job->captions);
  g_task_return_pointer (task, g_steal_pointer (&job->result),
                         (GDestroyNotify) admint_sound_result_free);
}

/* Speaking, on the main context ------------------------------------------------------------- */

static void speak_next (GTask *task);

static gboolean
add_line (Job           *job,
          guint          scene,
          AdmintSpeech  *speech,
          AdmintLineFit  fit,
          gboolean       reused,
          GError       **error)
{
  AdmintSoundLine *line = g_new0 (AdmintSoundLine, 1);
  g_autofree char *name = g_strdup_printf ("voice-%02u.wav", scene);

  line->scene = scene;
  line->speech = speech;
  line->fit = fit;
  line->reused = reused;
  line->wav = g_build_filename (job->settings.work_dir, name, NULL);
  g_ptr_array_add (job->result->lines, line);
  if (fit == ADMINT_LINE_TOO_LONG)
    job->result->n_too_long++;
  if (!reused)
    job->result->cost_usd += speech->cost_usd;
  /* A line of a few seconds: small enough to write here. */
  return reused || admint_audio_write_wav (speech->audio, line->wav, FALSE, error);
}

/* A paid take of the line being asked: kept and told at once (it may be followed by a faster
 * one, and a kill in between must not lose what it cost). */
static void
on_take_paid (AdmintVoiceProvider *voice,
              const AdmintSpeech  *take,
              gpointer             user_data)
{
  Job *job = user_data;
  g_autofree char *wav = NULL;
  g_autoptr(GError) error = NULL;

  for (guint k = 1; wav == NULL || g_file_test (wav, G_FILE_TEST_EXISTS); k++)
    {
      g_autofree char *name = g_strdup_printf ("voice-%02u-take-%u.wav", job->next, k);
      g_free (wav);
      wav = g_build_filename (job->settings.work_dir, name, NULL);
    }
  if (take->audio != NULL && !admint_audio_write_wav (take->audio, wav, FALSE, &error))
    g_message ("Could not keep a take of scene %u's line: %s", job->next + 1, error->message);
  job->takes_told++;
  job->settings.take_paid (job->next, take, wav, job->settings.line_spoken_data);
}

static void
stop_hearing_takes (Job *job)
{
  if (job->take_handler != 0)
    g_signal_handler_disconnect (job->settings.voice, job->take_handler);
  job->take_handler = 0;
}

static void
spoken_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(AdmintFittedLine) line = NULL;
  GError *error = NULL;

  stop_hearing_takes (job);
  line = admint_timing_fit_line_finish (result, &error);
  if (line == NULL ||
      !add_line (job, job->next, g_steal_pointer (&line->speech), line->fit, FALSE, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ((AdmintSoundLine *) g_ptr_array_index (job->result->lines,
                                          job->result->lines->len - 1))->takes_told =
    job->takes_told;
  if (job->settings.line_spoken != NULL)
    job->settings.line_spoken (g_ptr_array_index (job->result->lines, job->result->lines->len - 1),
                               job->settings.line_spoken_data);
  job->n_spoken++;
  admint_media_progress_report (&job->progress, 0.25 * job->n_spoken / MAX (1, job->n_to_speak));
  job->next++;
  speak_next (task);
}

static void
speak_next (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  for (; job->next < job->scenes->len; job->next++)
    {
      Scene *scene = &g_array_index (job->scenes, Scene, job->next);
      double window = admint_timing_window (scene->start, scene->start + scene->duration);

      if (scene->speech != NULL)
        {
          AdmintLineFit fit;
          double speed, voiced = admint_speech_voiced_end (scene->speech) -
                                 admint_speech_voiced_start (scene->speech);

          fit = admint_timing_plan (voiced, window, &speed);
          if (fit != ADMINT_LINE_TOO_LONG && scene->speech->speed > 1.0)
            fit = ADMINT_LINE_SPED_UP;
          if (!add_line (job, job->next, g_steal_pointer (&scene->speech), fit, TRUE, &error))
            break;
          continue;
        }
      if (is_blank (scene->line) || job->settings.voice == NULL)
        continue;
      job->takes_told = 0;
      if (job->settings.take_paid != NULL &&
          g_signal_lookup ("speech-paid", G_OBJECT_TYPE (job->settings.voice)) != 0)
        job->take_handler = g_signal_connect (job->settings.voice, "speech-paid",
                                              G_CALLBACK (on_take_paid), job);
      admint_timing_fit_line_async (job->settings.voice, scene->line, window,
                                    g_task_get_cancellable (task), spoken_cb, task);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (job->settings.stop_if_too_long && job->result->n_too_long > 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&job->result),
                             (GDestroyNotify) admint_sound_result_free);
      g_object_unref (task);
      return;
    }
  if (job->speak_only)
    {
      /* Placing is arithmetic and a few Pango-free cue splits: done here. */
      place_lines (job);
      job->result->captions = g_steal_pointer (&job->captions);
      admint_media_progress_report (&job->progress, 1.0);
      g_task_return_pointer (task, g_steal_pointer (&job->result),
                             (GDestroyNotify) admint_sound_result_free);
      g_object_unref (task);
      return;
    }
  g_task_run_in_thread (task, render_thread);
  g_object_unref (task);
}

static void
start (const AdmintSoundScene    *scenes,
       guint                      n_scenes,
       const AdmintSoundSettings *settings,
       gboolean                   speak_only,
       GCancellable              *cancellable,
       AdmintMediaProgressFunc    progress,
       gpointer                   progress_data,
       GAsyncReadyCallback        callback,
       gpointer                   user_data)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autofree char *out_dir = NULL;
  GTask *task;
  Job *job;

  job = g_new0 (Job, 1);
  job->speak_only = speak_only;
  job->scenes = g_array_new (FALSE, TRUE, sizeof (Scene));
  g_array_set_clear_func (job->scenes, scene_clear);
  for (guint i = 0; i < n_scenes; i++)
    {
      Scene scene = { scenes[i].start, scenes[i].duration, g_strdup (scenes[i].line),
                      g_array_new (FALSE, FALSE, sizeof (AdmintBox)),
                      scenes[i].speech ? admint_speech_copy (scenes[i].speech) : NULL,
                      g_strdup (scenes[i].burned_captions), FALSE };

      if (scenes[i].n_text_boxes > 0)
        g_array_append_vals (scene.text_boxes, scenes[i].text_boxes, scenes[i].n_text_boxes);
      else if (scenes[i].text_box.width > 0)
        g_array_append_val (scene.text_boxes, scenes[i].text_box);
      g_array_append_val (job->scenes, scene);
      if (scene.speech == NULL && !is_blank (scene.line))
        job->n_to_speak++;
    }
  job->settings = *settings;
  if (settings->voice != NULL)
    g_object_ref (settings->voice);
  out_dir = settings->output ? g_path_get_dirname (settings->output) : g_get_current_dir ();
  job->settings.video = own (job, 0, settings->video);
  job->settings.output = own (job, 1, settings->output);
  job->settings.work_dir = own (job, 2, settings->work_dir ? settings->work_dir : out_dir);
  job->settings.srt = own (job, 3, settings->srt);
  job->settings.vtt = own (job, 4, settings->vtt);
  job->settings.music_file = own (job, 5, settings->music_file);
  job->settings.mood = own (job, 6, settings->mood);
  job->settings.captioned_video = own (job, 7, settings->captioned_video);
  job->result = g_new0 (AdmintSoundResult, 1);
  job->result->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) sound_line_free);
  admint_media_progress_init (&job->progress, context, progress, progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, speak_only ? (gpointer) admint_sound_speak_async
                                          : (gpointer) admint_sound_make_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (settings->music == ADMINT_MUSIC_FILE && settings->music_file == NULL)
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("--music FILE needs a file name"));
      g_object_unref (task);
      return;
    }
  if (g_mkdir_with_parents (job->settings.work_dir, 0700) != 0)
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("Cannot create the folder %s for the sound files: %s"),
                               job->settings.work_dir, g_strerror (errno));
      g_object_unref (task);
      return;
    }
  speak_next (task);
}

void
admint_sound_make_async (const AdmintSoundScene    *scenes,
                         guint                      n_scenes,
                         const AdmintSoundSettings *settings,
                         GCancellable              *cancellable,
                         AdmintMediaProgressFunc    progress,
                         gpointer                   progress_data,
                         GAsyncReadyCallback        callback,
                         gpointer                   user_data)
{
  g_return_if_fail (scenes != NULL || n_scenes == 0);
  g_return_if_fail (settings != NULL && settings->video != NULL && settings->output != NULL);

  start (scenes, n_scenes, settings, FALSE, cancellable, progress, progress_data, callback,
         user_data);
}

AdmintSoundResult *
admint_sound_make_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
admint_sound_speak_async (const AdmintSoundScene    *scenes,
                          guint                      n_scenes,
                          const AdmintSoundSettings *settings,
                          GCancellable              *cancellable,
                          AdmintMediaProgressFunc    progress,
                          gpointer                   progress_data,
                          GAsyncReadyCallback        callback,
                          gpointer                   user_data)
{
  g_return_if_fail (scenes != NULL || n_scenes == 0);
  g_return_if_fail (settings != NULL && settings->work_dir != NULL);

  start (scenes, n_scenes, settings, TRUE, cancellable, progress, progress_data, callback,
         user_data);
}

AdmintSoundResult *
admint_sound_speak_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
