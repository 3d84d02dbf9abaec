/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A drawn product photo (a bottle on a plain studio backdrop) and a logo, for demos and benches. */
#define G_LOG_DOMAIN "admint-bench"

#include "config.h"

#include <math.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "demo-assets.h"

static void
rounded (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
label (cairo_t *cr, const char *text, const char *font, double cx, double cy)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, cx - w / 2.0, cy - h / 2.0);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
}

static gboolean
write_product (const char *path)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 900, 1200);
  cairo_t *cr = cairo_create (s);
  cairo_pattern_t *body = cairo_pattern_create_linear (300, 0, 600, 0);
  cairo_status_t status;

  cairo_set_source_rgb (cr, 0.97, 0.97, 0.96);  /* a plain studio backdrop */
  cairo_paint (cr);
  cairo_pattern_add_color_stop_rgb (body, 0, 0.04, 0.36, 0.40);
  cairo_pattern_add_color_stop_rgb (body, 0.45, 0.16, 0.62, 0.64);
  cairo_pattern_add_color_stop_rgb (body, 1, 0.03, 0.30, 0.34);
  rounded (cr, 300, 300, 300, 760, 90);
  cairo_set_source (cr, body);
  cairo_fill (cr);
  cairo_pattern_destroy (body);
  rounded (cr, 350, 170, 200, 160, 40);   /* the cap */
  cairo_set_source_rgb (cr, 0.12, 0.13, 0.15);
  cairo_fill (cr);
  cairo_rectangle (cr, 300, 560, 300, 200);   /* the label */
  cairo_set_source_rgb (cr, 0.98, 0.78, 0.25);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.10, 0.12, 0.14);
  label (cr, "AQUA\nPEAK", "Sans Bold 44", 450, 660);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (s, path);
  cairo_surface_destroy (s);
  return status == CAIRO_STATUS_SUCCESS;
}

static gboolean
write_logo (const char *path)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 240);
  cairo_t *cr = cairo_create (s);
  cairo_status_t status;

  cairo_arc (cr, 120, 120, 100, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.06, 0.40, 0.44);
  cairo_fill (cr);
  cairo_move_to (cr, 45, 165);   /* a peak inside the disc */
  cairo_line_to (cr, 105, 70);
  cairo_line_to (cr, 135, 115);
  cairo_line_to (cr, 155, 90);
  cairo_line_to (cr, 195, 165);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 0.98, 0.78, 0.25);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.06, 0.40, 0.44);
  label (cr, "AquaPeak", "Sans Bold 44", 405, 120);  /* fits the 600-pixel canvas */
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (s, path);
  cairo_surface_destroy (s);
  return status == CAIRO_STATUS_SUCCESS;
}

gboolean
admint_demo_assets_write (const char *dir)
{
  g_autofree char *product = g_build_filename (dir, "product.png", NULL);
  g_autofree char *logo = g_build_filename (dir, "logo.png", NULL);

  return g_mkdir_with_parents (dir, 0755) == 0 && write_product (product) && write_logo (logo);
}

void
admint_demo_assets_remove (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}
