/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Temporal flickering is VBench's, bit for bit: golden vectors, numpy's order, the reference video. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <string.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "admint-score.h"
#include "admint-test-util.h"
#include "score-test-clips.h"

typedef struct {
  int    width, height, frames;
  int    formula;
  double expected;
} Golden;

/* From tests/data/README.md (numpy < 2.0 float32 means, as VBench computes them). */
static const Golden golden[] = {
  { 1920, 1080, 5, 0, 0.49911427217371324 },
  { 512, 320, 16, 0, 0.49911549886067708 },
  { 1920, 1080, 5, 1, 0.97675168467502971 },
};

static void
test_golden (gconstpointer data)
{
  const Golden *g = data;
  gsize n = (gsize) g->width * g->height * 3;
  g_autofree guint8 **frames = g_new0 (guint8 *, g->frames);
  double score;

  for (int t = 0; t < g->frames; t++)
    {
      frames[t] = g_malloc (n);
      for (gsize k = 0; k < n; k++)
        frames[t][k] = g->formula == 0 ?
          (guint8) (((uint32_t) (k * 2654435761u + (uint32_t) t * 2246822519u)) >> 24) :
          (guint8) ((k + 3 * t) % 251);
    }
  score = admint_score_temporal_flickering_frames ((const guint8 * const *) frames, g->frames,
                                                   g->width, g->height);
  g_assert_cmpfloat_with_epsilon (score, g->expected, 1e-12);
  for (int t = 0; t < g->frames; t++)
    g_free (frames[t]);
}

/* A plain integer sum gives 0.4991155532 on the first golden row: the order really matters,
 * so check it also differs from the exact mean on data where float32 rounding shows. */
static void
test_float32_order (void)
{
  gsize n = 1920 * 1080 * 3;
  g_autofree guint8 *a = g_malloc (n);
  g_autofree guint8 *b = g_malloc0 (n);
  guint64 exact = 0;
  float mean;

  for (gsize k = 0; k < n; k++)
    {
      a[k] = (guint8) (((uint32_t) (k * 2654435761u)) >> 24);
      exact += a[k];
    }
  mean = admint_score_mean_absdiff_f32 (a, b, n);
  g_assert_cmpfloat (fabs ((double) mean - (double) exact / n), <, 1e-3);
  g_assert_cmpfloat ((double) mean, !=, (double) exact / n);
}

/* Short runs take numpy's plain loop and its 8-way leaf: small sums are exact either way. */
static void
test_short_runs (void)
{
  guint8 a[300], b[300];

  for (int i = 0; i < 300; i++)
    {
      a[i] = (guint8) (i * 7);
      b[i] = (guint8) (255 - i);
    }
  for (gsize n = 1; n <= 300; n++)
    {
      guint64 sum = 0;

      for (gsize i = 0; i < n; i++)
        sum += (guint64) abs ((int) a[i] - (int) b[i]);
      g_assert_cmpfloat ((double) admint_score_mean_absdiff_f32 (a, b, n), ==,
                         (double) (float) ((double) sum / n));
    }
}

static void
test_too_few_frames (void)
{
  guint8 pixel[3] = { 1, 2, 3 };
  const guint8 *frames[] = { pixel };

  g_assert_cmpfloat (admint_score_temporal_flickering_frames (frames, 1, 1, 1), ==, -1.0);
}

static void
test_reference_video (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  AdmintScores scores;

  /* In the repository, with its provenance and licence in tests/data/README.md. */
  path = g_test_build_filename (G_TEST_DIST, "data", "vbench-people-walking.mp4", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (admint_score_file (path, ADMINT_SCORE_FLAGS_TEMPORAL_FLICKERING_ONLY, NULL,
                                    &scores, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scores.frames, ==, 173);
  g_assert_cmpint (scores.width, ==, 1920);
  g_assert_cmpint (scores.height, ==, 1080);
  g_assert_cmpfloat_with_epsilon (scores.fps, 30.0, 1e-9);
  /* VBench with OpenCV's decoder; GStreamer's YUV->RGB differs by 2.6e-5. */
  g_assert_cmpfloat_with_epsilon (scores.temporal_flickering, 0.9928041388006771, 1e-4);
}

/* Decodes every frame of path to packed BGR with a pipeline of the test's own. */
static GPtrArray *
decode_all (const char *path,
            int        *width,
            int        *height)
{
  g_autofree char *description = g_strdup_printf (
    "filesrc location=\"%s\" ! decodebin ! videoconvert ! video/x-raw,format=BGR ! "
    "appsink name=sink sync=false", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  GPtrArray *frames = g_ptr_array_new_with_free_func (g_free);
  GstSample *sample;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstVideoInfo info;
      GstVideoFrame vframe;
      guint8 *packed;

      g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
      g_assert_true (gst_video_frame_map (&vframe, &info, gst_sample_get_buffer (sample),
                                          GST_MAP_READ));
      *width = GST_VIDEO_INFO_WIDTH (&info);
      *height = GST_VIDEO_INFO_HEIGHT (&info);
      packed = g_malloc ((gsize) *width * *height * 3);
      for (int y = 0; y < *height; y++)
        memcpy (packed + (gsize) y * *width * 3,
                (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0) +
                  (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0),
                (gsize) *width * 3);
      g_ptr_array_add (frames, packed);
      gst_video_frame_unmap (&vframe);
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return frames;
}

/* The file scorer (threads, bounded queue, row repacking) gives exactly what the raw-frame
 * function gives on the same decoded frames — here 162 pixels wide, so GStreamer pads rows. */
static void
test_file_matches_frames (void)
{
  g_autofree char *path = score_test_make_clip ("ball-162.mp4",
                                                "videotestsrc num-buffers=45 pattern=ball ! "
                                                "video/x-raw,width=162,height=120,framerate=30/1 ! "
                                                "videoconvert ! x264enc speed-preset=ultrafast ! "
                                                "mp4mux");
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GError) error = NULL;
  AdmintScores scores;
  int width = 0, height = 0;
  double expected;

  frames = decode_all (path, &width, &height);
  g_assert_cmpuint (frames->len, ==, 45);
  g_assert_cmpint (width, ==, 162);
  expected = admint_score_temporal_flickering_frames ((const guint8 * const *) frames->pdata,
                                                      frames->len, width, height);
  g_assert_true (admint_score_file (path, ADMINT_SCORE_FLAGS_NONE, NULL, &scores, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scores.frames, ==, 45);
  g_assert_cmpint (scores.width, ==, 162);
  g_assert_cmpfloat (scores.temporal_flickering, ==, expected);
  g_assert_cmpfloat (scores.temporal_flickering, <, 1.0);
}

static void
test_quality_formula (void)
{
  /* VBench's paper: LaVie's raw dimensions give its published quality score, 78.78 %. */
  AdmintScores lavie = {
    .subject_consistency = 0.9141, .background_consistency = 0.9747,
    .temporal_flickering = 0.9830, .motion_smoothness = 0.9638, .dynamic_degree = 0.4972,
    .aesthetic_quality = 0.5494, .imaging_quality = 0.6190,
  };
  AdmintScores lowest = {
    .subject_consistency = 0.1462, .background_consistency = 0.2615,
    .temporal_flickering = 0.6293, .motion_smoothness = 0.706,
  };
  AdmintScores highest = {
    .subject_consistency = 1, .background_consistency = 1, .temporal_flickering = 1,
    .motion_smoothness = 0.9975, .dynamic_degree = 1, .aesthetic_quality = 1,
    .imaging_quality = 1,
  };

  g_assert_cmpfloat_with_epsilon (admint_quality_score_from_dims (&lavie), 78.77944955383605, 1e-9);
  g_assert_cmpfloat_with_epsilon (admint_quality_score_from_dims (&lowest), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (admint_quality_score_from_dims (&highest), 100.0, 1e-9);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_data_func ("/score/flicker/golden-hash-1080p", &golden[0], test_golden);
  g_test_add_data_func ("/score/flicker/golden-hash-512x320", &golden[1], test_golden);
  g_test_add_data_func ("/score/flicker/golden-ramp-1080p", &golden[2], test_golden);
  g_test_add_func ("/score/flicker/float32-order", test_float32_order);
  g_test_add_func ("/score/flicker/short-runs", test_short_runs);
  g_test_add_func ("/score/flicker/too-few-frames", test_too_few_frames);
  g_test_add_func ("/score/flicker/reference-video", test_reference_video);
  g_test_add_func ("/score/flicker/file-matches-frames", test_file_matches_frames);
  g_test_add_func ("/score/quality-formula", test_quality_formula);
  return g_test_run ();
}
