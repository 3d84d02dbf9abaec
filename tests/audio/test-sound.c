/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the whole sound stage: a short ad spoken, captioned, scored and mixed to -14 LUFS
 * (measured on the output file), the remix path copying the video, a bad music file, and a long
 * line sent back through the OpenAI-compatible voice without paying twice. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-fake-ai.h"
#include "admint-loudness.h"
#include "admint-sound.h"
#include "admint-test-util.h"
#include "audio-test-util.h"
#include "media-test-util.h"

static char *video_path;

static const char *
silent_video (void)
{
  if (video_path == NULL)
    {
      admint_media_init ();
      video_path = g_build_filename (admint_test_get_root (), "stitched.mp4", NULL);
      media_test_make_clip (video_path, 640, 360, 30, 8.0, FALSE, "smpte");
    }
  return video_path;
}

static void
fill_scenes (AdmintSoundScene scenes[4])
{
  static const char * const lines[] = { "Meet Aqua.", "Ice cold all day.", "  ",
                                        "Get yours today." };

  memset (scenes, 0, 4 * sizeof (AdmintSoundScene));
  for (guint i = 0; i < 4; i++)
    {
      scenes[i].start = 2.0 * i;
      scenes[i].duration = 2.0;
      scenes[i].line = lines[i];
    }
  /* Scene 2's title sits low: the captions must go elsewhere then. */
  scenes[1].text_box = (AdmintBox) { 0.1, 0.7, 0.8, 0.2 };
}

static AdmintSoundResult *
make (const AdmintSoundScene    *scenes,
      guint                      n,
      const AdmintSoundSettings *settings,
      GError                   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  admint_sound_make_async (scenes, n, settings, NULL, NULL, NULL, audio_test_done, &result);
  return admint_sound_make_finish (audio_test_wait (&result), error);
}

static char *
out_path (const char *name)
{
  return g_build_filename (admint_test_get_root (), name, NULL);
}

static void
assert_inside_scenes (const AdmintSoundResult *r,
                      const AdmintSoundScene  *scenes)
{
  for (guint i = 0; i < r->lines->len; i++)
    {
      const AdmintSoundLine *line = g_ptr_array_index (r->lines, i);
      const AdmintSoundScene *scene = &scenes[line->scene];

      g_assert_cmpint (line->fit, !=, ADMINT_LINE_TOO_LONG);
      g_assert_cmpfloat (line->offset + admint_speech_voiced_start (line->speech), >=,
                         scene->start + 0.2 - 1e-6);
      g_assert_cmpfloat (line->offset + admint_speech_voiced_end (line->speech), <=,
                         scene->start + scene->duration - 0.3 + 1e-6);
    }
}

static AdmintSoundResult *first_result;

static void
test_local_ad (void)
{
  AdmintSoundScene scenes[4];
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  g_autofree char *output = out_path ("ad.mp4");
  g_autofree char *srt = out_path ("ad.srt");
  g_autofree char *vtt = out_path ("ad.vtt");
  g_autofree char *work = out_path ("sound");
  g_autofree char *srt_text = NULL;
  g_autoptr(GArray) cues = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  AdmintSoundSettings settings = {
    .video = silent_video (), .output = output, .work_dir = work, .srt = srt, .vtt = vtt,
    .voice = voice, .captions_burn = TRUE, .music = ADMINT_MUSIC_AUTO, .mood = "upbeat",
    .seed = 3,
  };
  AdmintSoundResult *r;
  AdmintLoudness l;
  char *audio_caps = NULL, *video_caps = NULL;
  int width, height, fps_n, fps_d;

  fill_scenes (scenes);
  r = first_result = make (scenes, 4, &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->output, ==, output);
  g_assert_false (r->video_copied);   /* captions were burned in */
  /* The blank line is skipped; the other three spoken, each inside its scene. */
  g_assert_cmpuint (r->lines->len, ==, 3);
  g_assert_cmpuint (((AdmintSoundLine *) g_ptr_array_index (r->lines, 2))->scene, ==, 3);
  g_assert_cmpuint (r->n_too_long, ==, 0);
  assert_inside_scenes (r, scenes);
  for (guint i = 0; i < r->lines->len; i++)
    g_assert_true (g_file_test (((AdmintSoundLine *) g_ptr_array_index (r->lines, i))->wav,
                                G_FILE_TEST_IS_REGULAR));
  g_assert_cmpfloat (r->cost_usd, ==, 0);
  g_assert_cmpfloat (r->tempo, >=, 108);
  g_assert_cmpfloat (r->mix_report.duck_db, >=, 10);

  /* Measured on the file, after AAC. */
  g_assert_true (admint_loudness_measure_file (output, &l, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("ad: %.2f LUFS, %.2f dBTP, speech %.2f", l.integrated_lufs, l.true_peak_dbtp,
                  l.speech_share);
  g_assert_true (l.has_audio);
  g_assert_cmpfloat (fabs (l.integrated_lufs - -14), <=, 1);
  g_assert_cmpfloat (l.true_peak_dbtp, <=, -1);
  g_assert_cmpfloat (fabs (l.duration - 8.0), <, 0.1);

  info = media_test_discover (output);
  media_test_video_params (info, &width, &height, &fps_n, &fps_d, &video_caps, &audio_caps);
  g_assert_cmpint (width, ==, 640);
  g_assert_nonnull (strstr (video_caps, "video/x-h264"));
  g_free (video_caps);
  g_assert_nonnull (audio_caps);
  g_assert_nonnull (strstr (audio_caps, "audio/mpeg"));
  g_free (audio_caps);
  g_assert_cmpfloat (fabs (media_test_duration (info) - 8.0), <, 0.1);

  g_assert_true (g_file_get_contents (srt, &srt_text, NULL, NULL));
  cues = audio_test_parse_cues (srt_text, FALSE);
  g_assert_cmpuint (cues->len, ==, r->n_cues);
  g_assert_cmpuint (cues->len, >=, 3);
  g_assert_cmpstr (g_array_index (cues, AudioTestCue, 0).text, ==, "Meet Aqua.");
  g_assert_true (g_file_test (vtt, G_FILE_TEST_IS_REGULAR));
}

static void
test_remix (void)
{
  AdmintSoundScene scenes[4];
  g_autofree char *output = out_path ("remix.mp4");
  g_autofree char *work = out_path ("remix");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintSoundResult) r = NULL;
  AdmintSoundSettings settings = {
    .video = silent_video (), .output = output, .work_dir = work, .captions_burn = TRUE,
    .music = ADMINT_MUSIC_NONE,
  };
  AdmintLoudness l;
  gint64 start;

  if (first_result == NULL || first_result->output == NULL)
    {
      g_test_skip ("needs the ad of /sound/local-ad");
      return;
    }
  /* The lines come back as stored; the pictures with their captions are copied. */
  fill_scenes (scenes);
  for (guint i = 0; i < first_result->lines->len; i++)
    {
      const AdmintSoundLine *line = g_ptr_array_index (first_result->lines, i);
      scenes[line->scene].speech = line->speech;
    }
  settings.captioned_video = first_result->output;
  start = g_get_monotonic_time ();
  r = make (scenes, 4, &settings, &error);
  g_assert_no_error (error);
  g_test_message ("remix in %.2f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_true (r->video_copied);
  g_assert_cmpuint (r->lines->len, ==, 3);
  for (guint i = 0; i < r->lines->len; i++)
    g_assert_true (((AdmintSoundLine *) g_ptr_array_index (r->lines, i))->reused);
  g_assert_cmpfloat (r->mix_report.duck_db, ==, 0);   /* no bed this time */
  g_assert_true (admint_loudness_measure_file (output, &l, NULL, &error));
  g_assert_cmpfloat (fabs (l.integrated_lufs - -14), <=, 1);
  g_assert_cmpfloat (l.true_peak_dbtp, <=, -1);
}

/* Spoken (and placed) before the clips exist: the same places and cues as the whole stage. When
 * every clip already shows its own scene's cues (the local renderer drew them), the stage only
 * mixes and copies the video stream, and its sidecars are the same; a clip showing other cues
 * gets them drawn over it. */
static void
test_spoken_first (void)
{
  AdmintSoundScene scenes[4];
  g_autofree char *output = out_path ("precaptioned.mp4");
  g_autofree char *srt = out_path ("precaptioned.srt");
  g_autofree char *work = out_path ("early");
  g_autofree char *first_srt = NULL, *early_srt = NULL, *srt_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(AdmintSoundResult) early = NULL;
  g_autoptr(AdmintSoundResult) r = NULL;
  g_autoptr(AdmintSoundResult) redrawn = NULL;
  g_autoptr(GPtrArray) burned = g_ptr_array_new_with_free_func (g_free);
  AdmintSoundSettings settings = {
    .work_dir = work, .captions_burn = TRUE, .music = ADMINT_MUSIC_NONE,
  };

  if (first_result == NULL || first_result->output == NULL)
    {
      g_test_skip ("needs the ad of /sound/local-ad");
      return;
    }
  fill_scenes (scenes);
  for (guint i = 0; i < first_result->lines->len; i++)
    {
      const AdmintSoundLine *line = g_ptr_array_index (first_result->lines, i);
      scenes[line->scene].speech = line->speech;
    }
  admint_sound_speak_async (scenes, 4, &settings, NULL, NULL, NULL, audio_test_done, &async);
  early = admint_sound_speak_finish (audio_test_wait (&async), &error);
  g_assert_no_error (error);
  g_assert_null (early->output);
  g_assert_cmpuint (early->lines->len, ==, first_result->lines->len);
  for (guint i = 0; i < early->lines->len; i++)
    {
      const AdmintSoundLine *a = g_ptr_array_index (early->lines, i);
      const AdmintSoundLine *b = g_ptr_array_index (first_result->lines, i);
      g_assert_cmpuint (a->scene, ==, b->scene);
      g_assert_cmpfloat (a->offset, ==, b->offset);
      g_assert_true (a->reused);
    }
  first_srt = admint_captions_to_srt (first_result->captions);
  early_srt = admint_captions_to_srt (early->captions);
  g_assert_cmpstr (early_srt, ==, first_srt);

  /* Each clip drew its own span's cues, as the pipeline hands them to the renderer. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonNode) node = admint_captions_to_json (early->captions, scenes[i].start,
                                                          scenes[i].start + scenes[i].duration);
      g_ptr_array_add (burned, json_to_string (node, FALSE));
      scenes[i].burned_captions = g_ptr_array_index (burned, i);
    }
  settings.video = silent_video ();
  settings.output = output;
  settings.srt = srt;
  r = make (scenes, 4, &settings, &error);
  g_assert_no_error (error);
  g_assert_true (r->video_copied);
  g_assert_cmpuint (r->n_scenes_captioned, ==, 4);
  g_assert_true (g_file_get_contents (srt, &srt_text, NULL, NULL));
  g_assert_cmpstr (srt_text, ==, first_srt);

  /* Scene 2's clip shows something else: its cues are drawn over the video again. */
  scenes[1].burned_captions = "[]";
  redrawn = make (scenes, 4, &settings, &error);
  g_assert_no_error (error);
  g_assert_false (redrawn->video_copied);
  g_assert_cmpuint (redrawn->n_scenes_captioned, ==, 3);
}

static void
test_bad_music (void)
{
  AdmintSoundScene scenes[4];
  g_autofree char *output = out_path ("bad.mp4");
  g_autofree char *music = out_path ("song.mp3");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintSoundResult) r = NULL;
  AdmintSoundSettings settings = {
    .video = silent_video (), .output = output, .music = ADMINT_MUSIC_FILE,
    .music_file = music,
  };

  fill_scenes (scenes);
  g_assert_true (g_file_set_contents (music, "<html>not music</html>", -1, NULL));
  r = make (scenes, 4, &settings, &error);
  g_assert_null (r);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, music));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

static void
test_video_without_sound (void)
{
  AdmintLoudness l;
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_loudness_measure_file (silent_video (), &l, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (l.has_audio);
}

static void
test_openai_too_long_resume (void)
{
  g_autoptr(AdmintFakeAi) fake = admint_fake_ai_new (0, NULL);
  AdmintVoiceOpenaiSettings vs = {
    .base_url = admint_fake_ai_get_base_url (fake), .model = "tts-1", .voice = "alloy",
    .usd_per_million_chars = 15, .api_key = "sk-test",
  };
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_openai_new (&vs, NULL);
  AdmintSoundScene scenes[4];
  g_autofree char *output = out_path ("openai.mp4");
  g_autofree char *work = out_path ("openai");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintSoundResult) first = NULL;
  g_autoptr(AdmintSoundResult) second = NULL;
  AdmintSoundSettings settings = {
    .video = silent_video (), .output = output, .work_dir = work, .voice = voice,
    .captions_burn = FALSE, .music = ADMINT_MUSIC_NONE, .stop_if_too_long = TRUE,
  };
  guint asked;

  fill_scenes (scenes);
  scenes[1].line = "This insulated steel bottle keeps every drink icy cold for hours and hours.";
  first = make (scenes, 4, &settings, &error);
  g_assert_no_error (error);
  /* Stopped before mixing: the long line is reported for the writer, nothing is cut. */
  g_assert_null (first->output);
  g_assert_cmpuint (first->n_too_long, ==, 1);
  for (guint i = 0; i < first->lines->len; i++)
    {
      const AdmintSoundLine *line = g_ptr_array_index (first->lines, i);
      g_auto(GStrv) words = admint_voice_split_words (scenes[line->scene].line);

      g_assert_cmpuint (line->speech->words->len, ==, g_strv_length (words));
      if (line->scene == 1)
        {
          g_assert_cmpint (line->fit, ==, ADMINT_LINE_TOO_LONG);
          g_assert_cmpfloat (line->speech->speed, ==, 1.15);
        }
      else
        scenes[line->scene].speech = line->speech;   /* stored: not asked again */
    }
  g_assert_cmpfloat (first->cost_usd, >, 0);
  asked = admint_fake_ai_count_requests (fake, "POST", "/v1/audio/speech");
  g_assert_cmpuint (asked, >=, 4);   /* three short lines, the long one at least twice */

  /* The writer's shorter line: only it is asked for. */
  scenes[1].line = "Icy cold for hours.";
  second = make (scenes, 4, &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->output, ==, output);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", "/v1/audio/speech"), ==,
                    asked + 1);
  g_assert_cmpfloat (fabs (second->cost_usd - 19 * 15 / 1e6), <, 1e-12);
  g_assert_true (second->video_copied);   /* no captions to burn: the video is copied */
  assert_inside_scenes (second, scenes);
}

int
main (int    argc,
      char **argv)
{
  int status;

  admint_test_init (&argc, &argv);

  g_test_add_func ("/sound/local-ad", test_local_ad);
  g_test_add_func ("/sound/remix", test_remix);
  g_test_add_func ("/sound/spoken-first", test_spoken_first);
  g_test_add_func ("/sound/bad-music", test_bad_music);
  g_test_add_func ("/sound/video-without-sound", test_video_without_sound);
  g_test_add_func ("/sound/openai-too-long-resume", test_openai_too_long_resume);
  status = g_test_run ();
  g_clear_pointer (&first_result, admint_sound_result_free);
  g_free (video_path);
  return status;
}
