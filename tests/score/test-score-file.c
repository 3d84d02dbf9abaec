/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scoring whole files: synthetic clips' dimensions, the async API, and every kind of bad input. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-score.h"
#include "admint-test-util.h"
#include "score-test-clips.h"

static char *still_path, *ball_path, *snow_path;

static void
assert_in_unit_range (const AdmintScores *s)
{
  const double dims[] = {
    s->subject_consistency, s->background_consistency, s->temporal_flickering,
    s->motion_smoothness, s->dynamic_degree, s->aesthetic_quality, s->imaging_quality,
  };

  for (guint i = 0; i < G_N_ELEMENTS (dims); i++)
    {
      g_assert_cmpfloat (dims[i], >=, 0.0);
      g_assert_cmpfloat (dims[i], <=, 1.0);
    }
  g_assert_cmpfloat (s->quality_score, >=, 0.0);
  g_assert_cmpfloat (s->quality_score, <=, 100.0);
  g_assert_cmpfloat_with_epsilon (s->quality_score, admint_quality_score_from_dims (s), 1e-12);
}

static void
score_ok (const char   *path,
          AdmintScores *scores)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_score_file (path, ADMINT_SCORE_FLAGS_NONE, NULL, scores, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scores->frames, ==, 60);
  g_assert_cmpint (scores->width, ==, 160);
  g_assert_cmpint (scores->height, ==, 120);
  g_assert_cmpfloat_with_epsilon (scores->fps, 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (scores->duration, 2.0, 1e-9);
  g_assert_cmpfloat (scores->seconds, >, 0.0);
  assert_in_unit_range (scores);
}

static void
test_still (void)
{
  AdmintScores s;

  score_ok (still_path, &s);
  g_assert_cmpfloat_with_epsilon (s.temporal_flickering, 1.0, 1e-9);
  g_assert_cmpfloat (s.dynamic_degree, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (s.motion_smoothness, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.subject_consistency, 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (s.background_consistency, 1.0, 1e-6);
}

static void
test_ball_moves (void)
{
  AdmintScores ball, still;

  score_ok (ball_path, &ball);
  score_ok (still_path, &still);
  g_assert_cmpfloat (ball.dynamic_degree, ==, 1.0);
  /* A ball moving smoothly over a flat background is easy to interpolate, but not trivially. */
  g_assert_cmpfloat (ball.motion_smoothness, >, 0.95);
  g_assert_cmpfloat (ball.motion_smoothness, <, still.motion_smoothness);
  g_assert_cmpfloat (ball.temporal_flickering, <, 1.0);
  g_assert_cmpfloat (ball.temporal_flickering, >, 0.95);
}

static void
test_snow_flickers (void)
{
  AdmintScores snow, ball;

  score_ok (snow_path, &snow);
  score_ok (ball_path, &ball);
  /* Fresh noise every frame: VBench's worst flickering is 0.6293; white noise is near it. */
  g_assert_cmpfloat (snow.temporal_flickering, <, 0.8);
  g_assert_cmpfloat (snow.temporal_flickering, <, ball.temporal_flickering - 0.1);
  g_assert_cmpfloat (snow.motion_smoothness, <, ball.motion_smoothness - 0.1);
  g_assert_cmpfloat (snow.background_consistency, <, 0.9);
  g_assert_cmpfloat (snow.imaging_quality, <, ball.imaging_quality + 0.2);
  g_assert_cmpfloat (snow.quality_score, <, ball.quality_score);
}

static void
test_flicker_only (void)
{
  AdmintScores all, only;
  g_autoptr(GError) error = NULL;

  score_ok (snow_path, &all);
  g_assert_true (admint_score_file (snow_path, ADMINT_SCORE_FLAGS_TEMPORAL_FLICKERING_ONLY, NULL,
                                    &only, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (only.temporal_flickering, ==, all.temporal_flickering);
  g_assert_cmpuint (only.frames, ==, 60);
}

typedef struct {
  GMainLoop    *loop;
  GThread      *main_thread;
  guint         progress_calls;
  double        last_fraction;
  gboolean      done;
  gboolean      ok;
  AdmintScores  scores;
  GError       *error;
} AsyncRun;

static void
on_progress (const char *path,
             double      fraction,
             gpointer    user_data)
{
  AsyncRun *run = user_data;

  g_assert_true (g_thread_self () == run->main_thread);
  g_assert_cmpstr (path, ==, ball_path);
  g_assert_cmpfloat (fraction, >=, run->last_fraction);
  g_assert_cmpfloat (fraction, <=, 1.0);
  run->last_fraction = fraction;
  run->progress_calls++;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncRun *run = user_data;

  g_assert_true (g_thread_self () == run->main_thread);
  run->ok = admint_score_file_finish (result, &run->scores, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static void
test_async (void)
{
  AsyncRun run = { 0 };
  AdmintScores blocking;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.main_thread = g_thread_self ();
  admint_score_file_async (ball_path, ADMINT_SCORE_FLAGS_NONE, NULL, on_progress, &run,
                           on_done, &run);
  g_main_loop_run (run.loop);
  g_assert_true (run.done);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (run.progress_calls, >, 0);
  /* Progress is delivered before the result, all on this thread. */
  while (g_main_context_iteration (NULL, FALSE));

  score_ok (ball_path, &blocking);
  g_assert_cmpfloat (run.scores.temporal_flickering, ==, blocking.temporal_flickering);
  g_assert_cmpfloat (run.scores.motion_smoothness, ==, blocking.motion_smoothness);
  g_assert_cmpfloat (run.scores.quality_score, ==, blocking.quality_score);
  g_main_loop_unref (run.loop);
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AdmintScores s;

  g_cancellable_cancel (cancellable);
  g_assert_false (admint_score_file (ball_path, ADMINT_SCORE_FLAGS_NONE, cancellable, &s, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_finalize_object (g_steal_pointer (&cancellable));
}

static void
on_progress_cancel (const char *path,
                    double      fraction,
                    gpointer    user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
on_cancelled_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->ok = admint_score_file_finish (result, &run->scores, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

/* Cancelling while frames are being scored stops the work and reports the cancellation. */
static void
test_cancel_midway (void)
{
  g_autofree char *path = score_test_make_clip ("long.mp4",
                                                "videotestsrc num-buffers=450 pattern=ball ! "
                                                "video/x-raw,width=320,height=240,framerate=30/1 ! "
                                                "x264enc speed-preset=ultrafast ! mp4mux");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncRun run = { 0 };

  run.loop = g_main_loop_new (NULL, FALSE);
  admint_score_file_async (path, ADMINT_SCORE_FLAGS_NONE, cancellable, on_progress_cancel,
                           cancellable, on_cancelled_done, &run);
  g_main_loop_run (run.loop);
  g_assert_true (run.done);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  /* The worker thread lets go of the task (and its cancellable) just after the callback. */
  for (int i = 0; i < 2000 && G_OBJECT (cancellable)->ref_count > 1; i++)
    {
      while (g_main_context_iteration (NULL, FALSE));
      g_usleep (1000);
    }
  g_main_loop_unref (run.loop);
  g_assert_finalize_object (g_steal_pointer (&cancellable));
}

static void
assert_bad_file (const char *path,
                 int         code)
{
  g_autoptr(GError) error = NULL;
  AdmintScores s;

  g_assert_false (admint_score_file (path, ADMINT_SCORE_FLAGS_NONE, NULL, &s, &error));
  g_assert_error (error, ADMINT_ERROR, code);
  g_assert_true (admint_error_is_bad_input (error));
  /* The message names the file, so a user with several files knows which one. */
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_missing (void)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), "no-such.mp4", NULL);

  assert_bad_file (path, ADMINT_ERROR_NOT_FOUND);
}

static void
test_empty (void)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), "empty.mp4", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
  assert_bad_file (path, ADMINT_ERROR_INVALID_INPUT);
}

static void
test_corrupt (void)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), "corrupt.mp4", NULL);
  g_autofree guint8 *junk = g_malloc (64 * 1024);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 64 * 1024; i++)
    junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_file_set_contents (path, (const char *) junk, 64 * 1024, &error);
  g_assert_no_error (error);
  assert_bad_file (path, ADMINT_ERROR_INVALID_INPUT);
}

static void
test_truncated (void)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), "truncated.mp4", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (ball_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, length / 2, &error);
  g_assert_no_error (error);
  assert_bad_file (path, ADMINT_ERROR_INVALID_INPUT);
}

/* With the index at the front, a cut-off MP4 decodes cleanly and just stops early. */
static void
test_truncated_faststart (void)
{
  g_autofree char *whole = score_test_make_clip ("faststart.mp4",
                                                 "videotestsrc num-buffers=60 pattern=ball ! "
                                                 "video/x-raw,width=160,height=120,framerate=30/1 ! "
                                                 "x264enc speed-preset=ultrafast ! "
                                                 "mp4mux faststart=true");
  g_autofree char *path = g_build_filename (admint_test_get_root (), "faststart-cut.mp4", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;
  AdmintScores s;

  /* The whole file is fine. */
  g_assert_true (admint_score_file (whole, ADMINT_SCORE_FLAGS_NONE, NULL, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.frames, ==, 60);

  g_file_get_contents (whole, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, length / 2, &error);
  g_assert_no_error (error);
  assert_bad_file (path, ADMINT_ERROR_INVALID_INPUT);
}

static void
test_audio_only (void)
{
  g_autofree char *path = score_test_make_clip ("audio-only.mp4",
                                                "audiotestsrc num-buffers=40 ! audioconvert ! "
                                                "avenc_aac ! mp4mux");
  g_autoptr(GError) error = NULL;
  AdmintScores s;

  assert_bad_file (path, ADMINT_ERROR_INVALID_INPUT);
  g_assert_false (admint_score_file (path, ADMINT_SCORE_FLAGS_NONE, NULL, &s, &error));
  g_assert_nonnull (strstr (error->message, "no video"));
}

static void
test_directory (void)
{
  assert_bad_file (admint_test_get_root (), ADMINT_ERROR_INVALID_INPUT);
}

/* The picture check the pipeline uses to turn away blurry reference images. */
static void
test_image_quality (void)
{
  const int w = 640, h = 480;
  g_autoptr(GdkPixbuf) sharp = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  g_autoptr(GdkPixbuf) blurry = NULL;
  g_autoptr(GdkPixbuf) tiny = NULL;
  g_autoptr(GdkPixbuf) small = NULL;
  g_autoptr(GdkPixbuf) soft = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (sharp);
  int stride = gdk_pixbuf_get_rowstride (sharp);
  double q_sharp, q_soft, q_blurry;

  /* Hard edges over smooth gradients: a checkerboard of 32-pixel squares. */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        gboolean on = ((x / 32) + (y / 32)) % 2 == 0;

        p[0] = on ? 230 : 30;
        p[1] = (guint8) (x * 255 / w);
        p[2] = on ? 40 : (guint8) (y * 255 / h);
      }
  /* The same picture blurred: scaled down 16 times and back up smoothly. */
  tiny = gdk_pixbuf_scale_simple (sharp, w / 16, h / 16, GDK_INTERP_BILINEAR);
  blurry = gdk_pixbuf_scale_simple (tiny, w, h, GDK_INTERP_BILINEAR);
  small = gdk_pixbuf_scale_simple (sharp, w / 6, h / 6, GDK_INTERP_BILINEAR);
  soft = gdk_pixbuf_scale_simple (small, w, h, GDK_INTERP_BILINEAR);

  q_sharp = admint_score_image_quality_pixbuf (sharp);
  q_blurry = admint_score_image_quality_pixbuf (blurry);
  q_soft = admint_score_image_quality_pixbuf (soft);
  g_assert_cmpfloat (q_sharp, >=, 0.0);
  g_assert_cmpfloat (q_sharp, <=, 1.0);
  g_assert_cmpfloat (q_blurry, >=, 0.0);
  g_assert_cmpfloat (q_sharp, >, q_blurry + 0.1);
  /* The more blur, the lower. */
  g_assert_cmpfloat (q_sharp, >, q_soft);
  g_assert_cmpfloat (q_soft, >, q_blurry);
  g_assert_cmpfloat (admint_score_image_quality_rgb (pixels, w, h, stride, 3), ==, q_sharp);

  g_assert_finalize_object (g_steal_pointer (&blurry));
  g_assert_finalize_object (g_steal_pointer (&soft));
  g_assert_finalize_object (g_steal_pointer (&small));
  g_assert_finalize_object (g_steal_pointer (&tiny));
  g_assert_finalize_object (g_steal_pointer (&sharp));
}

int
main (int argc, char **argv)
{
  int status;

  admint_test_init (&argc, &argv);

  still_path = score_test_make_pattern ("still.mp4", "still");
  ball_path = score_test_make_pattern ("ball.mp4", "ball");
  snow_path = score_test_make_pattern ("snow.mp4", "snow");

  g_test_add_func ("/score/file/still", test_still);
  g_test_add_func ("/score/file/ball-moves", test_ball_moves);
  g_test_add_func ("/score/file/snow-flickers", test_snow_flickers);
  g_test_add_func ("/score/file/flicker-only", test_flicker_only);
  g_test_add_func ("/score/file/async", test_async);
  g_test_add_func ("/score/file/cancel", test_cancel);
  g_test_add_func ("/score/file/cancel-midway", test_cancel_midway);
  g_test_add_func ("/score/file/missing", test_missing);
  g_test_add_func ("/score/file/empty", test_empty);
  g_test_add_func ("/score/file/corrupt", test_corrupt);
  g_test_add_func ("/score/file/truncated", test_truncated);
  g_test_add_func ("/score/file/truncated-faststart", test_truncated_faststart);
  g_test_add_func ("/score/file/audio-only", test_audio_only);
  g_test_add_func ("/score/file/directory", test_directory);
  g_test_add_func ("/score/image-quality", test_image_quality);
  status = g_test_run ();

  g_free (still_path);
  g_free (ball_path);
  g_free (snow_path);
  return status;
}
