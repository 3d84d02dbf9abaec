/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: painting alone (no encoding) of the demo ad's laid-out scenes, CPU ms a frame. */
#include "config.h"

#include <time.h>
#include <cairo.h>

#include "admint-render.h"
#include "admint-scene.h"
#include "demo-assets.h"

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main (int argc, char **argv)
{
  static const char *layouts[] = { "hook", "problem", "product-hero", "benefits", "proof",
                                   "end-card" };
  static const AdmintAspect aspects[] = { ADMINT_ASPECT_16_9, ADMINT_ASPECT_9_16 };
  g_autofree char *dir = g_dir_make_tmp ("admint-bench-paint-XXXXXX", NULL);
  g_autofree char *product = g_build_filename (dir, "product.png", NULL);
  g_autofree char *logo = g_build_filename (dir, "logo.png", NULL);
  char *lines[] = { (char *) "Keeps water cold for 24 hours", (char *) "Leak-proof lid", NULL };
  double all = 0;
  guint frames = 0;

  if (!admint_demo_assets_write (dir))
    g_error ("cannot write the demo assets into %s", dir);
  g_print ("painting one 6 s scene at 30 fps, 720p, CPU ms a frame (setup apart)\n");
  for (guint a = 0; a < G_N_ELEMENTS (aspects); a++)
    for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
      {
        g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
        g_autoptr(GError) error = NULL;
        g_autoptr(AdmintScene) scene = NULL;
        cairo_surface_t *surface;
        double t0, setup, paint;
        int w, h;

        job->aspect = aspects[a];
        job->layout = g_strdup (layouts[l]);
        job->product = g_strdup (product);
        job->logo = g_strdup (logo);
        job->lines = g_strdupv (lines);
        job->text = g_strdup ("Meet the Reusable Water Bottle");
        job->figure = g_strdup ("24 h");
        job->cta = g_strdup ("Order now");
        job->handle = g_strdup ("aquapeak.example");
        job->description = g_strdup ("a sunrise over the mountains on the trail");
        job->transition_in = l > 0 ? g_strdup ("crossfade") : NULL;
        admint_render_job_get_frame_size (job, &w, &h);
        surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);

        t0 = thread_cpu_ms ();
        scene = admint_scene_new (job, &error);
        if (scene == NULL)
          g_error ("%s: %s", layouts[l], error->message);
        setup = thread_cpu_ms () - t0;
        t0 = thread_cpu_ms ();
        for (int i = 0; i < 180; i++)
          {
            cairo_t *cr = cairo_create (surface);
            admint_scene_paint (scene, cr, (i + 0.5) / 30.0);
            cairo_destroy (cr);
          }
        paint = (thread_cpu_ms () - t0) / 180;
        all += paint * 180, frames += 180;
        g_print ("%-5s %-13s setup %6.1f ms, paint %5.2f ms a frame\n",
                 aspects[a] == ADMINT_ASPECT_9_16 ? "9:16" : "16:9", layouts[l], setup, paint);
        cairo_surface_destroy (surface);
      }
  g_print ("mean paint: %.2f ms a frame\n", all / frames);
  admint_demo_assets_remove (dir);
  return 0;
}
