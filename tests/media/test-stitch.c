/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stitcher and exporter: copy and re-encode paths, presets, music, bad input, cancel. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-audio.h"
#include "admint-error.h"
#include "admint-stitch.h"
#include "admint-test-util.h"
#include "admint-test-media.h"
#include "media-test-util.h"

/* Clips made once for all the tests (in the test's temporary root). */
static char *clip_dir;
static char *clip_a;      /* 320×180 30 fps, 1 s, with sound */
static char *clip_b;      /* the same parameters, another picture */
static char *clip_wide;   /* 240×240 25 fps, 1.2 s, no sound */
static char *clip_slow;   /* 320×180 24 fps, 0.8 s, with sound */

static char *
out_dir (void)
{
  return g_dir_make_tmp ("stitch-XXXXXX", NULL);
}

static void
check_index_and_codecs (const char *path,
                        const char *video_prefix,
                        const char *audio_prefix)
{
  g_autoptr(GstDiscovererInfo) info = media_test_discover (path);
  int w, h, fn, fd;
  g_autofree char *vcaps = NULL, *acaps = NULL;

  media_test_video_params (info, &w, &h, &fn, &fd, &vcaps, &acaps);
  g_assert_true (g_str_has_prefix (vcaps, video_prefix));
  g_assert_nonnull (acaps);
  g_assert_true (g_str_has_prefix (acaps, audio_prefix));
  if (g_str_has_prefix (video_prefix, "video/x-h264"))
    media_test_assert_faststart (path);
}

static double
duration_of (const char *path)
{
  g_autoptr(GstDiscovererInfo) info = media_test_discover (path);
  return media_test_duration (info);
}

static void
test_copy_path (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "joined.mp4", NULL);
  const char *clips[] = { clip_a, clip_b, clip_a, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  double sum = duration_of (clip_a) * 2 + duration_of (clip_b);

  result = admint_media_stitch (clips, out, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (result->copied);
  g_assert_cmpstr (result->output, ==, out);
  g_assert_cmpfloat_with_epsilon (duration_of (out), sum, 0.1);
  check_index_and_codecs (out, "video/x-h264", "audio/mpeg");
  g_assert_cmpuint (media_test_decode_all (out), ==, 90);
  g_assert_cmpuint (media_test_count_files (dir), ==, 1);
  admint_test_rm_rf (dir);
}

static void
test_reencode_mixed (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "mixed.mp4", NULL);
  const char *clips[] = { clip_a, clip_wide, clip_slow, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  double sum = duration_of (clip_a) + duration_of (clip_wide) + duration_of (clip_slow);
  int w, h, fn, fd;

  result = admint_media_stitch (clips, out, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->copied);
  g_assert_cmpfloat_with_epsilon (duration_of (out), sum, 0.1);
  check_index_and_codecs (out, "video/x-h264", "audio/mpeg");
  info = media_test_discover (out);
  media_test_video_params (info, &w, &h, &fn, &fd, NULL, NULL);
  /* The first clip sets the target: its size and rate. */
  g_assert_cmpint (w, ==, 320);
  g_assert_cmpint (h, ==, 180);
  g_assert_cmpint (fn, ==, 30);
  g_assert_cmpint (fd, ==, 1);
  g_assert_cmpuint (media_test_decode_all (out), ==, 30 + 36 + 24);
  admint_test_rm_rf (dir);
}

static void
test_crossfade (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "xfade.mp4", NULL);
  const char *clips[] = { clip_a, clip_b, NULL };
  AdmintStitchOptions options = { .transition = ADMINT_TRANSITION_CROSSFADE, .crossfade = 0.4 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;

  result = admint_media_stitch (clips, out, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->copied);
  g_assert_cmpfloat_with_epsilon (duration_of (out), 2.0 - 0.4, 0.1);
  g_assert_cmpuint (media_test_decode_all (out), ==, 60 - 12);
  admint_test_rm_rf (dir);
}

static void
test_music_bed (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "music.mp4", NULL);
  g_autofree char *music = g_build_filename (dir, "bed.ogg", NULL);
  g_autofree char *desc = g_strdup_printf ("audiotestsrc num-buffers=50 samplesperbuffer=960 "
                                           "freq=220 volume=0.5 ! audioconvert ! vorbisenc ! "
                                           "oggmux ! filesink location=\"%s\"", music);
  const char *clips[] = { clip_wide, clip_wide, NULL };
  AdmintStitchOptions options = { .music = music };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GArray) rms = NULL;

  /* One second of tone under 2.4 s of silent clips: it loops, and fades out at the end. */
  admint_test_gst_launch (desc, NULL);
  result = admint_media_stitch (clips, out, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->copied);
  g_assert_cmpfloat_with_epsilon (duration_of (out), 2.4, 0.1);
  rms = media_test_audio_rms (out, 0.1);
  g_assert_cmpuint (rms->len, >=, 22);
  g_assert_cmpfloat (g_array_index (rms, double, 10), >, 0.05);   /* 1.0 s: the bed plays */
  g_assert_cmpfloat (g_array_index (rms, double, 16), >, 0.03);   /* 1.6 s: looped */
  g_assert_cmpfloat (g_array_index (rms, double, rms->len - 1), <,
                     g_array_index (rms, double, 10) / 3);        /* faded out */
  admint_test_rm_rf (dir);
}

static void
test_webm (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "clip.webm", NULL);
  const char *clips[] = { clip_slow, NULL };
  AdmintStitchOptions options = { .preset = admint_media_preset_lookup ("webm-1080p") };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  int w, h, fn, fd;

  g_assert_nonnull (options.preset);
  result = admint_media_stitch (clips, out, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->copied);
  g_assert_cmpint (result->container, ==, ADMINT_MEDIA_CONTAINER_WEBM);
  check_index_and_codecs (out, "video/x-vp9", "audio/x-opus");
  info = media_test_discover (out);
  media_test_video_params (info, &w, &h, &fn, &fd, NULL, NULL);
  g_assert_cmpint (w, ==, 1920);
  g_assert_cmpint (h, ==, 1080);
  g_assert_cmpfloat_with_epsilon (media_test_duration (info), 0.8, 0.1);
  admint_test_rm_rf (dir);
}

static void
test_export_vertical (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "reel.mp4", NULL);
  const AdmintMediaPreset *preset = admint_media_preset_lookup ("vertical-1080x1920");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  int w, h, fn, fd;

  result = admint_media_export (clip_slow, out, preset, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->copied);
  info = media_test_discover (out);
  media_test_video_params (info, &w, &h, &fn, &fd, NULL, NULL);
  g_assert_cmpint (w, ==, 1080);
  g_assert_cmpint (h, ==, 1920);
  g_assert_cmpint (fn, ==, 30);
  check_index_and_codecs (out, "video/x-h264", "audio/mpeg");
  admint_test_rm_rf (dir);
}

static void
test_export_copies_matching (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *src = g_build_filename (dir, "720.mp4", NULL);
  g_autofree char *out = g_build_filename (dir, "out.mp4", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;

  media_test_make_clip (src, 1280, 720, 30, 0.5, TRUE, "ball");
  result = admint_media_export (src, out, admint_media_preset_lookup ("web-720p"), NULL, NULL,
                                NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->copied);
  g_assert_cmpfloat_with_epsilon (duration_of (out), duration_of (src), 0.1);
  admint_test_rm_rf (dir);
}

static void
expect_invalid (const char *bad,
                GQuark      domain,
                int         code)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "out.mp4", NULL);
  const char *clips[] = { clip_a, bad, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;

  result = admint_media_stitch (clips, out, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, bad));
  g_assert_cmpuint (media_test_count_files (dir), ==, 0);
  admint_test_rm_rf (dir);
}

static void
test_bad_inputs (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *empty = g_build_filename (dir, "empty.mp4", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.mp4", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.mp4", NULL);
  g_autofree char *cut_tail = g_build_filename (dir, "cut-tail.mp4", NULL);
  g_autofree char *tail_src = g_build_filename (dir, "moov-at-end.mp4", NULL);
  g_autofree char *audio_only = g_build_filename (dir, "sound.m4a", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.mp4", NULL);
  g_autofree char *desc = NULL;
  g_autofree char *data = NULL;
  gsize len;
  guint8 noise[4096];

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_random_int ();
  g_assert_true (g_file_set_contents (junk, (char *) noise, sizeof noise, NULL));

  /* Cut short: a fast-start file loses the end of its data, a plain one its index. */
  g_assert_true (g_file_get_contents (clip_a, &data, &len, NULL));
  g_assert_true (g_file_set_contents (cut, data, len * 2 / 3, NULL));
  g_clear_pointer (&data, g_free);
  desc = g_strdup_printf ("videotestsrc num-buffers=30 ! video/x-raw,width=320,height=180 ! "
                          "x264enc speed-preset=ultrafast ! mp4mux ! filesink location=\"%s\"",
                          tail_src);
  admint_test_gst_launch (desc, NULL);
  g_clear_pointer (&desc, g_free);
  g_assert_true (g_file_get_contents (tail_src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (cut_tail, data, len - 200, NULL));

  desc = g_strdup_printf ("audiotestsrc num-buffers=20 ! audioconvert ! avenc_aac ! mp4mux ! "
                          "filesink location=\"%s\"", audio_only);
  admint_test_gst_launch (desc, NULL);

  expect_invalid (empty, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  expect_invalid (junk, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  expect_invalid (cut, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  expect_invalid (cut_tail, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  expect_invalid (audio_only, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  expect_invalid (missing, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  admint_test_rm_rf (dir);
}

static void
test_cancel (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "out.mp4", NULL);
  const char *clips[] = { clip_a, clip_b, clip_a, clip_b, NULL };
  AdmintStitchOptions options = { .force_reencode = TRUE };
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MediaTestRun run = { .cancel_after = 0.3 };

  run.cancellable = g_cancellable_new ();
  admint_media_stitch_async (clips, out, &options, run.cancellable, media_test_on_progress, &run,
                             media_test_on_done, &run);
  async_result = media_test_run_wait (&run);
  result = admint_media_stitch_finish (async_result, &error);
  g_clear_object (&async_result);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (media_test_count_files (dir), ==, 0);
  media_test_finalize_cancellable (run.cancellable);
  admint_test_rm_rf (dir);
}

static void
test_async_copy (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "out.mp4", NULL);
  const char *clips[] = { clip_a, clip_b, NULL };
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MediaTestRun run = { 0 };

  admint_media_stitch_async (clips, out, NULL, NULL, media_test_on_progress, &run,
                             media_test_on_done, &run);
  async_result = media_test_run_wait (&run);
  result = admint_media_stitch_finish (async_result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (result->copied);
  g_assert_cmpfloat (run.last, ==, 1.0);
  admint_test_rm_rf (dir);
}

/* A WAV of SECONDS of a 440 Hz tone at AMPLITUDE (0: silence). */
static char *
make_track (const char *dir,
            double      seconds,
            double      amplitude)
{
  g_autoptr(AdmintAudio) audio = admint_audio_new (48000, 2, (gsize) (seconds * 48000));
  char *path = g_build_filename (dir, amplitude > 0 ? "tone.wav" : "silence.wav", NULL);

  for (gsize i = 0; i < audio->n_frames; i++)
    audio->samples[2 * i] = audio->samples[2 * i + 1] =
      (float) (amplitude * sin (2 * G_PI * 440 * i / 48000.0));
  g_assert_true (admint_audio_write_wav (audio, path, TRUE, NULL));
  return path;
}

static double
mean_rms (const char *path)
{
  g_autoptr(GArray) rms = media_test_audio_rms (path, 0.1);
  double sum = 0;

  g_assert_cmpuint (rms->len, >, 0);
  for (guint i = 0; i < rms->len; i++)
    sum += g_array_index (rms, double, i);
  return sum / rms->len;
}

/* The remix path: the video stream copied as it is, the sound replaced by the track. */
static void
test_mux_audio_copy (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "out.mp4", NULL);
  g_autofree char *silence = make_track (dir, 1.0, 0);
  g_autofree char *tone = make_track (dir, 1.0, 0.5);
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GstDiscovererInfo) in_info = media_test_discover (clip_a);
  g_autoptr(GstDiscovererInfo) out_info = NULL;
  g_autofree char *in_caps = NULL, *out_caps = NULL, *acaps = NULL, *in_acaps = NULL;
  g_autoptr(GError) error = NULL;
  int w, h, fn, fd;

  g_assert_cmpfloat (mean_rms (clip_a), >, 0.05);   /* the clip's own sound */
  result = admint_media_mux_audio (clip_a, silence, out, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->copied);
  check_index_and_codecs (out, "video/x-h264", "audio/mpeg");
  media_test_video_params (in_info, &w, &h, &fn, &fd, &in_caps, &in_acaps);
  out_info = media_test_discover (out);
  media_test_video_params (out_info, &w, &h, &fn, &fd, &out_caps, &acaps);
  /* The same stream, parameters and all: it was not re-encoded. */
  g_assert_cmpstr (in_caps, ==, out_caps);
  g_assert_cmpuint (media_test_decode_all (out), ==, 30);
  g_assert_cmpfloat (mean_rms (out), <, 0.001);

  g_clear_pointer (&result, admint_stitch_result_free);
  result = admint_media_mux_audio (clip_a, tone, out, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (mean_rms (out) - 0.5 / G_SQRT2), <, 0.05);
  admint_test_rm_rf (dir);
}

static void
count_and_draw (cairo_t  *cr,
                int       width,
                int       height,
                double    t,
                gpointer  user_data)
{
  guint *calls = user_data;

  g_assert_cmpint (width, ==, 320);
  g_assert_cmpint (height, ==, 180);
  g_assert_cmpfloat (t, >=, 0);
  g_assert_cmpfloat (t, <, 1.0);
  (*calls)++;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width / 2, height / 2);
  cairo_fill (cr);
}

/* The overlay path: every frame drawn on and encoded again, asynchronously. */
static void
test_mux_audio_overlay (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "out.mp4", NULL);
  g_autofree char *tone = make_track (dir, 1.0, 0.5);
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MediaTestRun run = { 0 };
  guint calls = 0;

  admint_media_mux_audio_async (clip_b, tone, out, count_and_draw, &calls, NULL,
                                media_test_on_progress, &run, media_test_on_done, &run);
  async_result = media_test_run_wait (&run);
  result = admint_media_mux_audio_finish (async_result, &error);
  g_assert_no_error (error);
  g_assert_false (result->copied);
  g_assert_cmpuint (calls, ==, 30);
  g_assert_cmpfloat (run.last, ==, 1.0);
  check_index_and_codecs (out, "video/x-h264", "audio/mpeg");
  g_assert_cmpuint (media_test_decode_all (out), ==, 30);
  admint_test_rm_rf (dir);
}

static void
test_mux_audio_bad_inputs (void)
{
  g_autofree char *dir = out_dir ();
  g_autofree char *out = g_build_filename (dir, "out.mp4", NULL);
  g_autofree char *missing = g_build_filename (dir, "mix.wav", NULL);
  g_autofree char *tone = make_track (dir, 1.0, 0.5);
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = admint_media_mux_audio (clip_a, missing, out, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  result = admint_media_mux_audio (tone, tone, out, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_true (admint_error_is_bad_input (error));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  admint_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  int status;

  admint_test_init (&argc, &argv);
  admint_media_init ();

  clip_dir = g_build_filename (admint_test_get_root (), "clips", NULL);
  g_mkdir_with_parents (clip_dir, 0700);
  clip_a = g_build_filename (clip_dir, "a.mp4", NULL);
  clip_b = g_build_filename (clip_dir, "b.mp4", NULL);
  clip_wide = g_build_filename (clip_dir, "square.mp4", NULL);
  clip_slow = g_build_filename (clip_dir, "slow.mp4", NULL);
  media_test_make_clip (clip_a, 320, 180, 30, 1.0, TRUE, "smpte");
  media_test_make_clip (clip_b, 320, 180, 30, 1.0, TRUE, "ball");
  media_test_make_clip (clip_wide, 240, 240, 25, 1.2, FALSE, "ball");
  media_test_make_clip (clip_slow, 320, 180, 24, 0.8, TRUE, "snow");

  g_test_add_func ("/media/stitch/copy", test_copy_path);
  g_test_add_func ("/media/stitch/async-copy", test_async_copy);
  g_test_add_func ("/media/stitch/reencode-mixed", test_reencode_mixed);
  g_test_add_func ("/media/stitch/crossfade", test_crossfade);
  g_test_add_func ("/media/stitch/music-bed", test_music_bed);
  g_test_add_func ("/media/stitch/webm", test_webm);
  g_test_add_func ("/media/export/vertical", test_export_vertical);
  g_test_add_func ("/media/export/copy-when-matching", test_export_copies_matching);
  g_test_add_func ("/media/stitch/bad-inputs", test_bad_inputs);
  g_test_add_func ("/media/stitch/cancel", test_cancel);
  g_test_add_func ("/media/mux-audio/copy", test_mux_audio_copy);
  g_test_add_func ("/media/mux-audio/overlay", test_mux_audio_overlay);
  g_test_add_func ("/media/mux-audio/bad-inputs", test_mux_audio_bad_inputs);
  status = g_test_run ();

  g_free (clip_a);
  g_free (clip_b);
  g_free (clip_wide);
  g_free (clip_slow);
  g_free (clip_dir);
  return status;
}
