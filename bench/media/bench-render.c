/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the local renderer's real-time factor for one 6-second 720p clip and a 30-second
 * ad's clips (five 6-second scenes), plain cards against laid-out scenes. */
#include "config.h"

#include <math.h>
#include <sys/resource.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "admint-render.h"
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

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("admint-bench-render-XXXXXX", NULL);
  static const char *cameras[] = { "slow zoom in", "pan left", "push in", "pan right",
                                   "static" };
  double one, total = 0;

  admint_media_init ();
  g_print ("H.264 encoder: %s; %u cores\n", admint_media_h264_encoder_name (),
           g_get_num_processors ());
  print_load ("before");

  {
    g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
    g_autofree char *image = make_image (dir, 1);
    g_autofree char *out = g_build_filename (dir, "one.mp4", NULL);
    char *images[] = { image, NULL };
    char *palette[] = { (char *) "#0f5c55", (char *) "#f4c242", NULL };

    job->images = g_strdupv (images);
    job->palette = g_strdupv (palette);
    job->text = g_strdup ("Stay hydrated, sustainably");
    job->camera = g_strdup ("slow zoom in");
    job->duration = 6;
    render_one (job, out); /* warm up plugin loading and caches */
    one = render_one (job, out);
    g_print ("one 6 s 720p clip: %.2f s (real-time factor %.2fx, target < 6 s)\n", one,
             6.0 / one);
  }

  /* The 30-second ad's five 6 s clips: the plain Ken Burns cards (the renderer before layouts)
   * and the laid-out scenes with a cut-out product photo and a logo, in the same run. */
  if (!admint_demo_assets_write (dir))
    g_error ("cannot write the demo assets into %s", dir);
  for (int laid_out = 0; laid_out < 2; laid_out++)
    {
      static const char *layouts[] = { "hook", "problem", "product-hero", "benefits",
                                       "end-card" };
      g_autofree char *product = g_build_filename (dir, "product.png", NULL);
      g_autofree char *logo = g_build_filename (dir, "logo.png", NULL);

      double cpu0 = cpu_seconds ();

      total = 0;
      for (int i = 0; i < 5; i++)
        {
          g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
          g_autofree char *image = make_image (dir, 10 + i);
          g_autofree char *out = g_strdup_printf ("%s/scene-%d.mp4", dir, i);
          char *images[] = { image, NULL };
          char *lines[] = { (char *) "Keeps water cold for 24 hours",
                            (char *) "Leak-proof lid", NULL };

          if (laid_out)
            {
              job->layout = g_strdup (layouts[i]);
              job->product = g_strdup (product);
              job->logo = g_strdup (logo);
              job->lines = g_strdupv (lines);
              job->cta = g_strdup ("Order yours today");
              job->handle = g_strdup ("aquapeak.example");
              job->description = g_strdup ("a sunrise over the mountains on the trail");
              job->transition_in = i > 0 ? g_strdup ("crossfade") : NULL;
            }
          else if (i != 4)
            job->images = g_strdupv (images);
          else
            {
              job->product_name = g_strdup ("AquaLoop");
              job->tagline = g_strdup ("The last bottle you will buy");
            }
          job->text = g_strdup_printf ("Scene %d of the ad", i + 1);
          job->camera = g_strdup (cameras[i]);
          job->duration = 6;
          total += render_one (job, out);
        }
      g_print ("30 s 720p ad (5 × 6 s clips), %s: %.2f s = %.2f of real time (target ≤ 0.67); "
               "%.1f CPU s (%u cores)\n",
               laid_out ? "laid-out scenes (layouts, cut-out product, logo)"
                        : "plain cards (the renderer before layouts)",
               total, total / 30.0, cpu_seconds () - cpu0, g_get_num_processors ());
    }

  print_load ("after");
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
