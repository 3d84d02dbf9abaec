/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the local renderer's real-time factor for one 6-second 720p clip and a 30-second
 * ad's clips (five 6-second scenes), plain cards and laid-out scenes, against a peer build of
 * the renderer run in the same go; and the encoded picture's quality against the frames as
 * painted, for the renderer's path and for the one before it. */
#include "config.h"

#include <math.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include "admint-media.h"
#include "admint-render.h"
#include "admint-scene.h"
#include "demo-assets.h"

/* A busy, photo-like still: gradients and soft discs, so the encoder has real detail. */
static char *
make_image (const char *dir,
            int         seed)
{
  char *path = g_strdup_printf ("%s/still-%d.png", dir, seed);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1920, 1280);
  cairo_t *cr = cairo_create (s);
  cairo_pattern_t *bg = cairo_pattern_create_linear (0, 0, 1920, 1280);
  GRand *rand = g_rand_new_with_seed (seed);

  cairo_pattern_add_color_stop_rgb (bg, 0, 0.1, 0.3, 0.5);
  cairo_pattern_add_color_stop_rgb (bg, 1, 0.9, 0.6, 0.3);
  cairo_set_source (cr, bg);
  cairo_paint (cr);
  cairo_pattern_destroy (bg);
  for (int i = 0; i < 300; i++)
    {
      cairo_arc (cr, g_rand_double_range (rand, 0, 1920), g_rand_double_range (rand, 0, 1280),
                 g_rand_double_range (rand, 4, 120), 0, 2 * G_PI);
      cairo_set_source_rgba (cr, g_rand_double (rand), g_rand_double (rand),
                             g_rand_double (rand), 0.6);
      cairo_fill (cr);
    }
  cairo_surface_write_to_png (s, path);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  g_rand_free (rand);
  return path;
}

/* CPU seconds of the whole process (every thread): on a shared machine wall time measures the
 * neighbours; CPU time still measures the work. */
static double
cpu_seconds (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* The machine is shared: its load average says how far the wall times can be trusted. */
static void
print_load (const char *when)
{
  g_autofree char *load = NULL;

  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    g_print ("load average %s: %s", when, load);
}

static double
render_one (AdmintRenderJob *job,
            const char      *output)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!admint_render_clip (job, output, NULL, NULL, NULL, &error))
    g_error ("render failed: %s", error->message);
  return (g_get_monotonic_time () - start) / 1e6;
}

static const char *cameras[] = { "slow zoom in", "pan left", "push in", "pan right", "static" };
static const char *layouts[] = { "hook", "problem", "product-hero", "benefits", "end-card" };

/* Scene I of the demo ad, laid out (with the product photo and the logo) or a plain card. The
 * same jobs as the peer builds' bench, so their figures compare. */
static AdmintRenderJob *
ad_job (const char *dir,
        int         i,
        gboolean    laid_out)
{
  AdmintRenderJob *job = admint_render_job_new ();
  char *lines[] = { (char *) "Keeps water cold for 24 hours", (char *) "Leak-proof lid", NULL };

  if (laid_out)
    {
      job->layout = g_strdup (layouts[i]);
      job->product = g_build_filename (dir, "product.png", NULL);
      job->logo = g_build_filename (dir, "logo.png", NULL);
      job->lines = g_strdupv (lines);
      job->cta = g_strdup ("Order yours today");
      job->handle = g_strdup ("aquapeak.example");
      job->description = g_strdup ("a sunrise over the mountains on the trail");
      job->transition_in = i > 0 ? g_strdup ("crossfade") : NULL;
    }
  else if (i != 4)
    {
      g_autofree char *image = make_image (dir, 10 + i);
      char *images[] = { image, NULL };
      job->images = g_strdupv (images);
    }
  else
    {
      job->product_name = g_strdup ("AquaLoop");
      job->tagline = g_strdup ("The last bottle you will buy");
    }
  job->text = g_strdup_printf ("Scene %d of the ad", i + 1);
  job->camera = g_strdup (cameras[i]);
  job->duration = 6;
  return job;
}

/* Renders the five scenes; returns the CPU seconds, *WALL the wall time. */
static double
render_ad (const char *dir,
           gboolean    laid_out,
           double     *wall)
{
  double cpu0 = cpu_seconds ();

  *wall = 0;
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(AdmintRenderJob) job = ad_job (dir, i, laid_out);
      g_autofree char *out = g_strdup_printf ("%s/scene-%d.mp4", dir, i);

      *wall += render_one (job, out);
    }
  return cpu_seconds () - cpu0;
}

/* Quality ------------------------------------------------------------------------------------ */

/* The frames the renderer painted for JOB, painted again (painting is deterministic). */
static void
paint_frame (AdmintScene     *scene,
             cairo_surface_t *surface,
             guint            i,
             int              fps)
{
  cairo_t *cr = cairo_create (surface);

  admint_scene_paint (scene, cr, (i + 0.5) / fps);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

/* The renderer's encode before this one: each frame painted into a BGRx buffer, videoconvert
 * to I420, the renderer's x264 settings, into MP4 (no sound). Returns the CPU seconds. */
static double
encode_old_path (const AdmintRenderJob *job,
                 const char            *output)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintScene) scene = admint_scene_new (job, &error);
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  int w, h;
  guint n = (guint) (job->duration * job->fps);
  double cpu0 = cpu_seconds ();
  g_autofree char *desc = NULL;

  if (scene == NULL)
    g_error ("%s", error->message);
  admint_render_job_get_frame_size (job, &w, &h);
  desc = g_strdup_printf ("appsrc name=src format=time caps=video/x-raw,format=BGRx,width=%d,"
                          "height=%d,framerate=%d/1,pixel-aspect-ratio=1/1 ! videoconvert ! "
                          "video/x-raw,format=I420 ! x264enc name=enc ! mp4mux ! "
                          "filesink location=\"%s\"", w, h, job->fps, output);
  pipeline = gst_parse_launch (desc, &error);
  if (pipeline == NULL)
    g_error ("%s", error->message);
  /* The renderer's encoder settings (admint_media_make_h264_encoder's, and its tuning). */
  {
    g_autoptr(GstElement) encoder = gst_bin_get_by_name (GST_BIN (pipeline), "enc");
    g_autoptr(GstElement) ours = admint_media_make_h264_encoder (ADMINT_MEDIA_SPEED_FAST,
                                                                 &error);
    const char *copy[] = { "speed-preset", "pass", "quantizer", "key-int-max", "trellis" };

    if (ours == NULL)
      g_error ("%s", error->message);
    gst_object_ref_sink (ours);
    for (guint i = 0; i < G_N_ELEMENTS (copy); i++)
      {
        GValue v = G_VALUE_INIT;
        g_object_get_property (G_OBJECT (ours), copy[i], &v);
        g_object_set_property (G_OBJECT (encoder), copy[i], &v);
        g_value_unset (&v);
      }
    gst_util_set_object_arg (G_OBJECT (encoder), "tune", "stillimage");
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_object_set (src, "max-bytes", (guint64) w * h * 4 * 3, "block", TRUE, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (guint i = 0; i < n; i++)
    {
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, (gsize) w * h * 4, NULL);
      GstMapInfo map;
      cairo_surface_t *surface;

      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      surface = cairo_image_surface_create_for_data (map.data, CAIRO_FORMAT_RGB24, w, h, w * 4);
      paint_frame (scene, surface, i, job->fps);
      cairo_surface_destroy (surface);
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, GST_SECOND, job->fps);
      GST_BUFFER_DURATION (buffer) = GST_SECOND / job->fps;
      gst_app_src_push_buffer (GST_APP_SRC (src), buffer);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    g_error ("the old path's encode failed");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return cpu_seconds () - cpu0;
}

typedef struct {
  double psnr;        /* over R, G and B, dB */
  double ssim;        /* of the luma, 8×8 windows */
  guint  frames;
} Quality;

static double
luma (guint32 p)
{
  return 0.2126 * ((p >> 16) & 0xff) + 0.7152 * ((p >> 8) & 0xff) + 0.0722 * (p & 0xff);
}

/* Mean SSIM of two frames' luma over 8×8 windows, a window every 4 pixels. */
static double
frame_ssim (const guint8 *a,
            int           as,
            const guint8 *b,
            int           bs,
            int           w,
            int           h)
{
  const double c1 = 6.5025, c2 = 58.5225;
  double total = 0;
  guint n = 0;

  for (int y = 0; y + 8 <= h; y += 4)
    for (int x = 0; x + 8 <= w; x += 4)
      {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, ma, mb, va, vb, cov;

        for (int j = 0; j < 8; j++)
          for (int i = 0; i < 8; i++)
            {
              double la = luma (((const guint32 *) (a + (y + j) * as))[x + i]);
              double lb = luma (((const guint32 *) (b + (y + j) * bs))[x + i]);
              sa += la, sb += lb, saa += la * la, sbb += lb * lb, sab += la * lb;
            }
        ma = sa / 64, mb = sb / 64;
        va = saa / 64 - ma * ma, vb = sbb / 64 - mb * mb, cov = sab / 64 - ma * mb;
        total += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
        n++;
      }
  return total / n;
}

/* Decodes PATH and compares every frame with the same frame painted afresh. */
static Quality
measure_quality (const AdmintRenderJob *job,
                 const char            *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintScene) scene = admint_scene_new (job, &error);
  g_autofree char *desc = g_strdup_printf ("filesrc location=\"%s\" ! qtdemux ! h264parse ! "
                                           "avdec_h264 ! videoconvert ! video/x-raw,format=BGRx "
                                           "! appsink name=sink sync=false", path);
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstElement) sink = NULL;
  cairo_surface_t *painted;
  double se = 0, ssim = 0;
  guint64 samples = 0;
  Quality q = { 0 };
  int w, h;

  if (scene == NULL || pipeline == NULL)
    g_error ("%s", error->message);
  admint_render_job_get_frame_size (job, &w, &h);
  painted = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
      GstBuffer *buffer;
      GstMapInfo map;
      const guint8 *ref;
      int rs;

      if (sample == NULL)
        break;
      buffer = gst_sample_get_buffer (sample);
      gst_buffer_map (buffer, &map, GST_MAP_READ);
      paint_frame (scene, painted, q.frames, job->fps);
      ref = cairo_image_surface_get_data (painted);
      rs = cairo_image_surface_get_stride (painted);
      for (int y = 0; y < h; y++)
        {
          const guint8 *a = ref + y * rs, *b = map.data + y * w * 4;
          for (int x = 0; x < w * 4; x++)
            if ((x & 3) != 3)
              {
                int d = a[x] - b[x];
                se += d * d;
                samples++;
              }
        }
      ssim += frame_ssim (ref, rs, map.data, w * 4, w, h);
      gst_buffer_unmap (buffer, &map);
      q.frames++;
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  cairo_surface_destroy (painted);
  q.psnr = 10 * log10 (255.0 * 255.0 / (se / MAX (samples, 1)));
  q.ssim = ssim / MAX (q.frames, 1);
  return q;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* The same laid-out scenes encoded by the renderer and by the path before it: size, PSNR and
 * SSIM of the decoded frames against the painted ones. */
static void
compare_quality (const char *dir)
{
  static const int scenes[] = { 0, 3 };
  static const AdmintAspect aspects[] = { ADMINT_ASPECT_16_9, ADMINT_ASPECT_9_16 };

  g_print ("picture quality, decoded frames against the painted frames (PSNR over RGB, SSIM "
           "of the luma):\n");
  for (guint a = 0; a < G_N_ELEMENTS (aspects); a++)
    for (guint s = 0; s < G_N_ELEMENTS (scenes); s++)
      {
        g_autoptr(AdmintRenderJob) job = ad_job (dir, scenes[s], TRUE);
        g_autofree char *ours = g_build_filename (dir, "q-ours.mp4", NULL);
        g_autofree char *old = g_build_filename (dir, "q-old.mp4", NULL);
        double cpu_ours, cpu_old, cpu0;
        Quality qo, qp;

        job->aspect = aspects[a];
        cpu0 = cpu_seconds ();
        render_one (job, ours);
        cpu_ours = cpu_seconds () - cpu0;
        cpu_old = encode_old_path (job, old);
        qo = measure_quality (job, ours);
        qp = measure_quality (job, old);
        g_print ("  %s %-12s ours %5.1f CPU s, %7.0f kB, PSNR %.2f dB, SSIM %.4f (%u frames) | "
                 "before %5.1f CPU s, %7.0f kB, PSNR %.2f dB, SSIM %.4f (%u frames)\n",
                 aspects[a] == ADMINT_ASPECT_9_16 ? "9:16" : "16:9", job->layout, cpu_ours,
                 file_size (ours) / 1e3, qo.psnr, qo.ssim, qo.frames, cpu_old,
                 file_size (old) / 1e3, qp.psnr, qp.ssim, qp.frames);
      }
}

/* Peer ------------------------------------------------------------------------------------- */

/* Runs PEER (bench-render of another build) and returns the CPU seconds it printed for the
 * laid-out ad, or -1; its lines are shown as they are. */
static double
run_peer (const char *peer,
          double     *peer_wall)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GRegex) re = g_regex_new ("laid-out scenes.*: ([0-9.]+) s = ([0-9.]+) of real "
                                      "time.*; ([0-9.]+) CPU s", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *argv[] = { peer, "--laid-out-only", NULL };
  g_auto(GStrv) lines = NULL;
  int status;
  double cpu = -1;

  /* An older peer does not know --laid-out-only and ignores it (it runs everything). */
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error))
    {
      g_printerr ("cannot run the peer %s: %s\n", peer, error->message);
      return -1;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_print ("  peer | %s\n", lines[i]);
  if (g_regex_match (re, out, 0, &match))
    {
      g_autofree char *c = g_match_info_fetch (match, 3);
      g_autofree char *w = g_match_info_fetch (match, 1);
      cpu = g_ascii_strtod (c, NULL);
      *peer_wall = g_ascii_strtod (w, NULL);
    }
  return cpu;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("admint-bench-render-XXXXXX", NULL);
  g_autofree char *peer = NULL;
  gboolean laid_out_only = FALSE, quality = FALSE;
  GOptionEntry entries[] = {
    { "peer", 0, 0, G_OPTION_ARG_FILENAME, &peer,
      "bench-render of another build (e.g. main's), run after ours for its figures", "PATH" },
    { "laid-out-only", 0, 0, G_OPTION_ARG_NONE, &laid_out_only,
      "only the laid-out 30-second ad", NULL },
    { "quality", 0, 0, G_OPTION_ARG_NONE, &quality,
      "also the picture quality of the renderer's encode against the path before it", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the local renderer's speed");
  g_autoptr(GError) error = NULL;
  double wall, cpu, peer_cpu = -1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  admint_media_init ();
  g_print ("H.264 encoder: %s; %u cores\n", admint_media_h264_encoder_name (),
           g_get_num_processors ());
  print_load ("before");
  if (!admint_demo_assets_write (dir))
    g_error ("cannot write the demo assets into %s", dir);

  if (!laid_out_only)
    {
      g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
      g_autofree char *image = make_image (dir, 1);
      g_autofree char *out = g_build_filename (dir, "one.mp4", NULL);
      char *images[] = { image, NULL };
      char *palette[] = { (char *) "#0f5c55", (char *) "#f4c242", NULL };
      double one;

      job->images = g_strdupv (images);
      job->palette = g_strdupv (palette);
      job->text = g_strdup ("Stay hydrated, sustainably");
      job->camera = g_strdup ("slow zoom in");
      job->duration = 6;
      render_one (job, out); /* warm up plugin loading and caches */
      one = render_one (job, out);
      g_print ("one 6 s 720p clip: %.2f s (real-time factor %.2fx, target < 6 s)\n", one,
               6.0 / one);

      cpu = render_ad (dir, FALSE, &wall);
      g_print ("30 s 720p ad (5 × 6 s clips), plain cards (the renderer before layouts): %.2f s "
               "= %.2f of real time (target ≤ 0.67); %.1f CPU s (%u cores)\n",
               wall, wall / 30.0, cpu, g_get_num_processors ());
    }
  else
    {
      /* Warm up plugin loading and caches with one scene. */
      g_autoptr(AdmintRenderJob) job = ad_job (dir, 0, TRUE);
      g_autofree char *out = g_build_filename (dir, "warm.mp4", NULL);
      render_one (job, out);
    }

  /* The 30-second ad's five 6 s clips: laid-out scenes with a cut-out product photo and a
   * logo. */
  cpu = render_ad (dir, TRUE, &wall);
  g_print ("30 s 720p ad (5 × 6 s clips), laid-out scenes (layouts, cut-out product, logo): "
           "%.2f s = %.2f of real time (target ≤ 0.67); %.1f CPU s (%u cores)\n",
           wall, wall / 30.0, cpu, g_get_num_processors ());
  print_load ("after ours");

  if (quality)
    compare_quality (dir);
  if (peer != NULL)
    {
      double peer_wall = 0;

      peer_cpu = run_peer (peer, &peer_wall);
      print_load ("after the peer");
      if (peer_cpu > 0)
        g_print ("laid-out 30 s ad in one run: ours %.2f s = %.2f of real time, %.1f CPU s; "
                 "peer %.2f s = %.2f of real time, %.1f CPU s; ours needs %.2f of the peer's "
                 "CPU time\n", wall, wall / 30.0, cpu, peer_wall, peer_wall / 30.0, peer_cpu,
                 cpu / peer_cpu);
    }

  admint_demo_assets_remove (dir);
  return 0;
}
