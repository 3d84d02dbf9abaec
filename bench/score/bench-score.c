/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark of the quality scorer: all seven dimensions and temporal flickering alone on a
 * 720p 30 fps 8 s clip, against VBench's flickering in Python (OpenCV decode + numpy). */
#define G_LOG_DOMAIN "admint-score"

#include "config.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <gst/gst.h>
#include <glib/gstdio.h>

#include "admint-score.h"

#define RUNS 3

static char *
make_clip (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "bench-720p30-8s.mp4", NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  /* Moving content: a scrolling test card with a ball bouncing over it. */
  description = g_strdup_printf (
    "compositor name=mix sink_1::xpos=0 sink_1::ypos=0 ! "
    "video/x-raw,width=1280,height=720,framerate=30/1 ! videoconvert ! "
    "x264enc speed-preset=veryfast bitrate=4000 ! mp4mux ! filesink location=\"%s\" "
    "videotestsrc num-buffers=240 pattern=smpte horizontal-speed=4 ! "
    "video/x-raw,width=1280,height=720,framerate=30/1 ! mix.sink_0 "
    "videotestsrc num-buffers=240 pattern=ball background-color=0x00000000 ! "
    "video/x-raw,format=AYUV,width=1280,height=720,framerate=30/1 ! mix.sink_1", path);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    g_error ("cannot build the clip pipeline: %s", error->message);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;
      gst_message_parse_error (message, &gst_error, NULL);
      g_error ("making the clip failed: %s", gst_error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_steal_pointer (&path);
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof (double), compare_double);
  return v[n / 2];
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Median wall-clock seconds; *cpu gets the median CPU seconds (all threads), which the other
 * work on a shared machine disturbs less. */
static double
time_ours (const char *path, AdmintScoreFlags flags, AdmintScores *scores, double *cpu)
{
  double t[RUNS], c[RUNS];

  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds ();

      if (!admint_score_file (path, flags, NULL, scores, &error))
        g_error ("scoring failed: %s", error->message);
      t[i] = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      c[i] = cpu_seconds () - cpu_start;
    }
  *cpu = median (c, RUNS);
  return median (t, RUNS);
}

static gboolean
time_peer (const char *script, const char *path, double *seconds, double *score)
{
  double t[RUNS];

  for (int i = 0; i < RUNS; i++)
    {
      const char *argv[] = { "/usr/bin/python3", script, path, NULL };
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr(GError) error = NULL;
      int status;
      unsigned frames;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                         &status, &error) ||
          !g_spawn_check_wait_status (status, NULL) ||
          sscanf (out, "seconds=%lf score=%lf frames=%u", &t[i], score, &frames) != 3)
        {
          fprintf (stderr, "peer failed: %s%s\n", error ? error->message : "", err ? err : "");
          return FALSE;
        }
    }
  *seconds = median (t, RUNS);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *clip = NULL, *self_dir = NULL, *script = NULL;
  AdmintScores all, tf;
  double t_all, t_tf, cpu_all, cpu_tf, t_peer = 0, peer_score = 0;
  g_autofree char *loadavg = NULL;
  gboolean have_peer;

  gst_init (&argc, &argv);
  self_dir = g_path_get_dirname (argv[0]);
  script = g_build_filename (self_dir, "bench-score-peer.py", NULL);

  if (argc > 1)
    clip = g_strdup (argv[1]);
  else
    {
      dir = g_dir_make_tmp ("admint-bench-score-XXXXXX", NULL);
      printf ("making a 1280x720 30 fps 8 s H.264 clip…\n");
      clip = make_clip (dir);
    }

  g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
  t_all = time_ours (clip, ADMINT_SCORE_FLAGS_NONE, &all, &cpu_all);
  t_tf = time_ours (clip, ADMINT_SCORE_FLAGS_TEMPORAL_FLICKERING_ONLY, &tf, &cpu_tf);
  have_peer = time_peer (script, clip, &t_peer, &peer_score);

  printf ("clip: %s (%dx%d, %u frames, %.2f fps, %.2f s)\n", clip, all.width, all.height,
          all.frames, all.fps, all.duration);
  printf ("median of %d runs on %u cores (load average before: %.14s)\n", RUNS,
          g_get_num_processors (), loadavg ? loadavg : "?");
  printf ("all seven dimensions:          %7.3f s  (%.2fx real time; target <= 4 s; CPU %.2f s)\n",
          t_all, all.duration / t_all, cpu_all);
  printf ("  SC %.4f BC %.4f TF %.6f MS %.4f DD %.1f AQ %.4f IQ %.4f -> quality %.2f\n",
          all.subject_consistency, all.background_consistency, all.temporal_flickering,
          all.motion_smoothness, all.dynamic_degree, all.aesthetic_quality,
          all.imaging_quality, all.quality_score);
  printf ("temporal flickering alone:     %7.3f s  (score %.10f; CPU %.2f s)\n", t_tf,
          tf.temporal_flickering, cpu_tf);
  if (have_peer)
    {
      printf ("peer (OpenCV decode + numpy):  %7.3f s  (score %.10f)\n", t_peer, peer_score);
      printf ("ratio peer / ours (flickering): %.2fx  (>1 means ours is faster)\n",
              t_peer / t_tf);
      printf ("score difference (decoders' YUV->RGB): %.2e\n",
              fabs (peer_score - tf.temporal_flickering));
    }
  else
    printf ("peer: not run (needs /usr/bin/python3 with numpy and cv2)\n");

  if (dir != NULL)
    {
      g_unlink (clip);
      g_rmdir (dir);
    }
  return 0;
}
