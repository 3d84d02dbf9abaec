/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local clip renderer: sizes and rates for each aspect, the title card, bad input, cancel. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gst/video/video.h>
#include <gst/app/gstappsink.h>

#include "admint-error.h"
#include "admint-render.h"
#include "admint-test-util.h"
#include "admint-test-media.h"
#include "media-test-util.h"

static char *
scratch_dir (void)
{
  return g_dir_make_tmp ("render-XXXXXX", NULL);
}

static char *
make_image (const char *dir)
{
  char *path = g_build_filename (dir, "still.png", NULL);
  g_autofree char *desc = g_strdup_printf ("videotestsrc num-buffers=1 pattern=smpte ! "
                                           "video/x-raw,width=640,height=400 ! pngenc ! "
                                           "filesink location=\"%s\"", path);
  admint_test_gst_launch (desc, NULL);
  return path;
}

static void
check_clip (const char *path,
            int         width,
            int         height,
            double      seconds)
{
  g_autoptr(GstDiscovererInfo) info = media_test_discover (path);
  int w, h, fn, fd;
  g_autofree char *vcaps = NULL, *acaps = NULL;

  media_test_video_params (info, &w, &h, &fn, &fd, &vcaps, &acaps);
  g_assert_cmpint (w, ==, width);
  g_assert_cmpint (h, ==, height);
  g_assert_cmpint (fn, ==, 30);
  g_assert_cmpint (fd, ==, 1);
  g_assert_true (g_str_has_prefix (vcaps, "video/x-h264"));
  g_assert_nonnull (acaps);
  g_assert_true (g_str_has_prefix (acaps, "audio/mpeg"));
  g_assert_cmpfloat_with_epsilon (media_test_duration (info), seconds, 0.06);
  media_test_assert_faststart (path);
}

typedef struct {
  const char *aspect;
  int         width, height;
} AspectCase;

static void
test_aspect (gconstpointer data)
{
  const AspectCase *c = data;
  g_autofree char *dir = scratch_dir ();
  g_autofree char *image = make_image (dir);
  g_autofree char *out = g_build_filename (dir, "clip.mp4", NULL);
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GError) error = NULL;
  char *images[] = { image, NULL };

  job->images = g_strdupv (images);
  job->duration = 1.0;
  job->text = g_strdup ("Drink better");
  job->camera = g_strdup ("pan left");
  g_assert_true (admint_aspect_from_string (c->aspect, &job->aspect));
  g_assert_true (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  check_clip (out, c->width, c->height, 1.0);
  g_assert_cmpuint (media_test_decode_all (out), ==, 30);
  admint_test_rm_rf (dir);
}

static void
test_1080p (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "clip.mp4", NULL);
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GError) error = NULL;

  job->duration = 0.5;
  job->size = ADMINT_RENDER_SIZE_1080P;
  g_assert_true (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  check_clip (out, 1920, 1080, 0.5);
  admint_test_rm_rf (dir);
}

/* The mean RGB of frame INDEX, over the whole picture. */
static void
frame_mean (const char *path,
            guint       index,
            double      rgb[3])
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *desc = g_strdup_printf ("uridecodebin uri=\"%s\" caps=video/x-raw ! "
                                           "videoconvert ! video/x-raw,format=RGB ! "
                                           "appsink name=sink sync=false", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (guint i = 0; i <= index; i++)
    {
      g_autoptr(GstSample) sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
      GstVideoInfo vinfo;
      GstVideoFrame frame;
      guint64 sum[3] = { 0 };

      g_assert_nonnull (sample);
      if (i < index)
        continue;
      gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample));
      gst_video_frame_map (&frame, &vinfo, gst_sample_get_buffer (sample), GST_MAP_READ);
      for (int y = 0; y < vinfo.height; y++)
        {
          const guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
                              y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
          for (int x = 0; x < vinfo.width; x++)
            for (int c = 0; c < 3; c++)
              sum[c] += row[x * 3 + c];
        }
      gst_video_frame_unmap (&frame);
      for (int c = 0; c < 3; c++)
        rgb[c] = (double) sum[c] / ((double) vinfo.width * vinfo.height);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
test_title_card (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "card.mp4", NULL);
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GError) error = NULL;
  char *palette[] = { (char *) "#c0301c", (char *) "#f0d020", NULL };
  double first[3], middle[3];

  job->duration = 1.0;
  job->palette = g_strdupv (palette);
  job->product_name = g_strdup ("AquaLoop");
  job->tagline = g_strdup ("The last bottle you will buy");
  job->aspect = ADMINT_ASPECT_1_1;
  g_assert_true (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  check_clip (out, 720, 720, 1.0);

  /* It fades in from black, and in the middle the brand's red dominates the card. */
  frame_mean (out, 0, first);
  frame_mean (out, 15, middle);
  g_assert_cmpfloat (first[0] + first[1] + first[2], <, 60);
  g_assert_cmpfloat (middle[0], >, 100);
  g_assert_cmpfloat (middle[0], >, middle[1] + 40);
  g_assert_cmpfloat (middle[0], >, middle[2] + 40);
  admint_test_rm_rf (dir);
}

static void
test_bad_input (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "clip.mp4", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.png", NULL);
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GError) error = NULL;
  char *images[] = { missing, NULL };
  char *bad_palette[] = { (char *) "teal", NULL };

  job->duration = 0.5;
  job->images = g_strdupv (images);
  g_assert_false (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (junk, "not a picture", -1, NULL));
  g_free (job->images[0]);
  job->images[0] = g_strdup (junk);
  g_assert_false (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, junk));
  g_clear_error (&error);

  g_clear_pointer (&job->images, g_strfreev);
  job->palette = g_strdupv (bad_palette);
  g_assert_false (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "teal"));
  g_clear_error (&error);

  g_clear_pointer (&job->palette, g_strfreev);
  job->duration = 0;
  g_assert_false (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Nothing was written: not the output, not a temporary file. */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (media_test_count_files (dir), ==, 1);
  admint_test_rm_rf (dir);
}

static void
test_async_progress (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "clip.mp4", NULL);
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MediaTestRun run = { .main_thread = g_thread_self () };
  gboolean ok;

  job->duration = 1.0;
  job->aspect = ADMINT_ASPECT_9_16;
  admint_render_clip_async (job, out, NULL, media_test_on_progress, &run, media_test_on_done,
                            &run);
  result = media_test_run_wait (&run);
  ok = admint_render_clip_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (run.calls, >, 5);
  g_assert_cmpfloat (run.last, ==, 1.0);
  check_clip (out, 720, 1280, 1.0);
  admint_test_rm_rf (dir);
}

static void
test_cancel (void)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *out = g_build_filename (dir, "clip.mp4", NULL);
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MediaTestRun run = { .main_thread = g_thread_self (), .cancel_after = 0.2 };
  gboolean ok;

  job->duration = 4.0;
  run.cancellable = g_cancellable_new ();
  admint_render_clip_async (job, out, run.cancellable, media_test_on_progress, &run,
                            media_test_on_done, &run);
  result = media_test_run_wait (&run);
  ok = admint_render_clip_finish (result, &error);
  g_clear_object (&result);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (media_test_count_files (dir), ==, 0);
  media_test_finalize_cancellable (run.cancellable);
  admint_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  static const AspectCase aspects[] = {
    { "16:9", 1280, 720 }, { "9:16", 720, 1280 }, { "1:1", 720, 720 },
  };

  admint_test_init (&argc, &argv);
  admint_media_init ();

  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    {
      g_autofree char *name = g_strdup_printf ("/media/render/aspect/%s", aspects[i].aspect);
      g_test_add_data_func (name, &aspects[i], test_aspect);
    }
  g_test_add_func ("/media/render/1080p", test_1080p);
  g_test_add_func ("/media/render/title-card", test_title_card);
  g_test_add_func ("/media/render/bad-input", test_bad_input);
  g_test_add_func ("/media/render/async-progress", test_async_progress);
  g_test_add_func ("/media/render/cancel", test_cancel);
  return g_test_run ();
}
