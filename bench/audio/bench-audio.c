/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the sound of a 30-second 720p ad of six scenes. Prints Flite's speed (× real time),
 * each part of the sound stage, the voice spoken before the clips, the stage after clips that
 * drew their own captions (video copied) as a share of the ad's length, what drawing captions
 * adds to rendering a clip, and the fallback that burns captions after stitching (a full
 * re-encode) against the remix path. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

#include "admint-loudness.h"
#include "admint-mix.h"
#include "admint-music.h"
#include "admint-render.h"
#include "admint-sound.h"
#include "admint-stitch.h"

#define AD_SECONDS 30.0
#define N_SCENES 6

static const char * const lines[N_SCENES] = {
  "Tired of lukewarm water by noon?",
  "Meet Aqua, the bottle that keeps it ice cold.",
  "Twenty four hours cold, twelve hours hot.",
  "Made from recycled steel, built to last for years.",
  "Refill it anywhere and leave plastic behind.",
  "Get yours today at aqua dot com.",
};

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU seconds of every thread so far: on a shared machine the wall clock says little. */
static double
cpu (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static void
make_video (const char *path)
{
  g_autofree char *desc = g_strdup_printf (
      "videotestsrc num-buffers=%d pattern=ball ! video/x-raw,width=1280,height=720,"
      "framerate=30/1 ! videoconvert ! x264enc speed-preset=ultrafast key-int-max=60 ! "
      "mp4mux faststart=true ! filesink location=\"%s\"", (int) (AD_SECONDS * 30), path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;

  if (pipeline == NULL)
    g_error ("%s", error->message);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static AdmintSpeech *
speak (AdmintVoiceProvider *voice, const char *text)
{
  g_autoptr(AdmintVoiceRequest) request = admint_voice_request_new (text, 1.0);
  Wait w = { 0 };
  AdmintSpeech *speech;

  admint_voice_provider_synthesize_async (voice, request, NULL, done, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  speech = admint_voice_provider_synthesize_finish (voice, w.result, NULL);
  g_object_unref (w.result);
  return speech;
}

static void
bench_voice (void)
{
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  double audio = 0, start, c0;

  g_clear_pointer (&(AdmintSpeech *) { speak (voice, "Warm up.") }, admint_speech_free);
  start = now ();
  c0 = cpu ();
  for (int round = 0; round < 3; round++)
    for (int i = 0; i < N_SCENES; i++)
      {
        g_autoptr(AdmintSpeech) speech = speak (voice, lines[i]);
        audio += admint_audio_get_duration (speech->audio);
      }
  printf ("voice (Flite slt):      %.1f s of speech in %.2f s (%.2f s CPU): %.0f× real time "
          "(%.0f× per CPU second)\n", audio, now () - start, cpu () - c0,
          audio / (now () - start), audio / (cpu () - c0));
}

static double
sound_stage (AdmintSoundScene *scenes, const char *video, const char *output,
             const char *captioned, gboolean burn, AdmintMusicMode music,
             AdmintVoiceProvider *voice, AdmintSoundResult **out, double *cpu_out)
{
  g_autofree char *dir = g_path_get_dirname (output);
  AdmintSoundSettings settings = {
    .video = video, .output = output, .work_dir = dir, .voice = voice,
    .captions_burn = burn, .music = music, .mood = "upbeat", .seed = 1,
    .captioned_video = captioned,
  };
  Wait w = { 0 };
  g_autoptr(GError) error = NULL;
  double start = now (), c0 = cpu ();

  admint_sound_make_async (scenes, N_SCENES, &settings, NULL, NULL, NULL, done, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  *out = admint_sound_make_finish (w.result, &error);
  g_object_unref (w.result);
  if (*out == NULL)
    g_error ("sound stage: %s", error->message);
  printf ("  [%.2f s wall, %.2f s CPU]\n", now () - start, cpu () - c0);
  if (cpu_out != NULL)
    *cpu_out = cpu () - c0;
  return now () - start;
}

/* Speaking and placing the lines before the clips exist (the pipeline's "voice" step). */
static AdmintSoundResult *
speak_first (AdmintSoundScene *scenes, AdmintVoiceProvider *voice, const char *dir)
{
  AdmintSoundSettings settings = { .work_dir = dir, .voice = voice, .captions_burn = TRUE };
  Wait w = { 0 };
  g_autoptr(GError) error = NULL;
  double start = now (), c0 = cpu ();
  AdmintSoundResult *r;

  admint_sound_speak_async (scenes, N_SCENES, &settings, NULL, NULL, NULL, done, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  r = admint_sound_speak_finish (w.result, &error);
  g_object_unref (w.result);
  if (r == NULL)
    g_error ("speaking: %s", error->message);
  printf ("voice before the clips (%d lines spoken and placed, %u cues): %.2f s (%.2f s CPU)\n",
          N_SCENES, r->n_cues, now () - start, cpu () - c0);
  return r;
}

/* A 5-second 720p scene rendered without and with its captions: what drawing them costs. */
static void
bench_render (const char *dir, AdmintCaptions *captions, const AdmintSoundScene *scene)
{
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(JsonNode) node = admint_captions_to_json (captions, scene->start,
                                                      scene->start + scene->duration);
  g_autofree char *plain = g_build_filename (dir, "scene-plain.mp4", NULL);
  g_autofree char *captioned = g_build_filename (dir, "scene-captioned.mp4", NULL);
  double c0, c_plain, c_captioned, start, w_plain;

  job->layout = g_strdup ("benefits");
  job->duration = scene->duration;
  job->fps = 30;
  job->text = g_strdup ("Ice cold for 24 hours");
  job->description = g_strdup ("a bottle on a mountain trail");
  start = now (), c0 = cpu ();
  if (!admint_render_clip (job, plain, NULL, NULL, NULL, NULL))
    g_error ("cannot render the scene");
  c_plain = cpu () - c0, w_plain = now () - start;
  job->captions = json_to_string (node, FALSE);
  start = now (), c0 = cpu ();
  if (!admint_render_clip (job, captioned, NULL, NULL, NULL, NULL))
    g_error ("cannot render the scene with captions");
  c_captioned = cpu () - c0;
  printf ("render a %.0f-second 720p scene: %.2f s (%.2f s CPU); with its captions drawn in: "
          "%.2f s (%.2f s CPU), +%.2f s CPU\n", scene->duration, w_plain, c_plain,
          now () - start, c_captioned, c_captioned - c_plain);
}

static void
bench_parts (void)
{
  const double cuts[] = { 5, 10, 15, 20, 25 };
  AdmintMusicSettings ms = { ADMINT_MOOD_UPBEAT, AD_SECONDS, cuts, 5, 1, NULL };
  g_autoptr(AdmintAudio) music = NULL;
  g_autoptr(AdmintAudio) voice = NULL;
  g_autoptr(AdmintAudio) mix = NULL;
  AdmintMixSettings mix_settings = { 0 };
  AdmintMixReport report;
  double start, c0;

  start = now ();
  c0 = cpu ();
  music = admint_music_generate (&ms, NULL, NULL, NULL);
  printf ("music bed (FluidSynth): %.2f s (%.2f s CPU) for %.0f s\n", now () - start, cpu () - c0,
          AD_SECONDS);
  voice = admint_audio_copy (music);
  for (gsize i = 0; i < voice->n_frames * 2; i++)   /* a stand-in voice: the bed, gated */
    voice->samples[i] *= fmod ((double) i / 2 / ADMINT_AUDIO_RATE, 1.0) < 0.6 ? 1.0f : 0.0f;
  mix_settings.voice = voice;
  mix_settings.music = music;
  start = now ();
  c0 = cpu ();
  mix = admint_mix (&mix_settings, &report, NULL, NULL);
  printf ("mix (duck, level, normalise, limit): %.2f s (%.2f s CPU) for %.0f s -> %.2f LUFS, "
          "%.2f dBTP\n", now () - start, cpu () - c0, AD_SECONDS, report.integrated_lufs,
          report.true_peak_dbtp);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("admint-bench-audio-XXXXXX", NULL);
  g_autofree char *video = g_build_filename (dir, "stitched.mp4", NULL);
  g_autofree char *full = g_build_filename (dir, "ad.mp4", NULL);
  g_autofree char *remix = g_build_filename (dir, "remix.mp4", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.mp4", NULL);
  g_autofree char *pre = g_build_filename (dir, "precaptioned.mp4", NULL);
  g_autoptr(AdmintSoundResult) early = NULL;
  g_autoptr(AdmintSoundResult) r0 = NULL;
  char *burned[N_SCENES] = { NULL };
  double t_pre, c_pre, c_full;
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  g_autoptr(AdmintSoundResult) r1 = NULL;
  g_autoptr(AdmintSoundResult) r2 = NULL;
  g_autoptr(AdmintSoundResult) r3 = NULL;
  AdmintSoundScene scenes[N_SCENES] = { 0 };
  AdmintLoudness l;
  double t_full, t_remix, t_plain;

  admint_media_init ();
  printf ("Sound of a %.0f-second 1280×720 ad of %d scenes (2 CPU cores, shared)\n\n",
          AD_SECONDS, N_SCENES);
  make_video (video);
  bench_voice ();
  bench_parts ();
  if (argc > 1 && g_str_equal (argv[1], "--parts"))
    return 0;
  for (int i = 0; i < N_SCENES; i++)
    {
      scenes[i].start = i * AD_SECONDS / N_SCENES;
      scenes[i].duration = AD_SECONDS / N_SCENES;
      scenes[i].line = lines[i];
    }
  scenes[1].text_box = (AdmintBox) { 0.1, 0.72, 0.8, 0.18 };

  early = speak_first (scenes, voice, dir);
  bench_render (dir, early->captions, &scenes[1]);
  /* The clips drew their own captions (the local renderer): the stage mixes and copies. */
  for (int i = 0; i < N_SCENES; i++)
    {
      g_autoptr(JsonNode) node = admint_captions_to_json (early->captions, scenes[i].start,
                                                          scenes[i].start + scenes[i].duration);
      burned[i] = json_to_string (node, FALSE);
      scenes[i].speech = ((AdmintSoundLine *) g_ptr_array_index (early->lines, i))->speech;
      scenes[i].burned_captions = burned[i];
    }
  printf ("\n");
  t_pre = sound_stage (scenes, video, pre, NULL, TRUE, ADMINT_MUSIC_AUTO, NULL, &r0, &c_pre);
  admint_loudness_measure_file (pre, &l, NULL, NULL);
  printf ("sound stage, clips showing their captions (bed, mix, video copied: %s): %.2f s = "
          "%.0f %% of the ad's length (%.2f s CPU = %.0f %%)\n", r0->video_copied ? "yes" : "no",
          t_pre, 100 * t_pre / AD_SECONDS, c_pre, 100 * c_pre / AD_SECONDS);
  printf ("  output: %.2f LUFS, %.2f dBTP, speech share %.2f (from the file), %.2f (voice)\n",
          l.integrated_lufs, l.true_peak_dbtp, l.speech_share, r0->mix_report.speech_share);

  /* A video model's clips: the captions are burned after stitching (a second encode). */
  for (int i = 0; i < N_SCENES; i++)
    scenes[i].burned_captions = NULL;
  t_full = sound_stage (scenes, video, full, NULL, TRUE, ADMINT_MUSIC_AUTO, NULL, &r1, &c_full);
  printf ("sound stage, captions burned after stitching (clips from a video model; "
          "re-encode): %.2f s = %.0f %% of the ad's length (%.2f s CPU)\n", t_full,
          100 * t_full / AD_SECONDS, c_full);

  t_plain = sound_stage (scenes, video, plain, NULL, FALSE, ADMINT_MUSIC_AUTO, NULL, &r3, NULL);
  printf ("sound stage, no captions (lines stored, video copied):   %.2f s (copied: %s)\n",
          t_plain, r3->video_copied ? "yes" : "no");
  t_remix = sound_stage (scenes, video, remix, full, TRUE, ADMINT_MUSIC_NONE, NULL, &r2, NULL);
  printf ("remix of the finished ad (new music, video copied):      %.2f s (copied: %s)\n",
          t_remix, r2->video_copied ? "yes" : "no");
  printf ("  remix-only is %.1f× faster than the burn-after-stitching re-encode\n",
          t_full / t_remix);
  for (int i = 0; i < N_SCENES; i++)
    g_free (burned[i]);
  printf ("\nfiles left in %s\n", dir);
  return 0;
}
