/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A scene's moving background: gradient, procedural setting, drifting lights and bokeh. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-scene-private.h"

/* Background ---------------------------------------------------------------------------------- */

static gboolean
has_word (const char *text,
          const char *pattern)
{
  return text != NULL && g_regex_match_simple (pattern, text, G_REGEX_CASELESS, 0);
}

/* A procedural setting drawn from the scene's words over the lower part of the background. */
static void
draw_setting (cairo_t    *cr,
              const char *words,
              Rgb         base,
              int         w,
              int         h)
{
  Rgb far = mix (base, black, 0.25), near = mix (base, black, 0.45);
  GRand *rand = g_rand_new_with_seed (g_str_hash (words ? words : ""));

  if (has_word (words, "\\b(sunrise|sunset|dawn|dusk|sun|morning|golden)"))
    {
      cairo_pattern_t *sun = cairo_pattern_create_radial (w * 0.7, h * 0.55, 0, w * 0.7,
                                                          h * 0.55, h * 0.35);
      cairo_pattern_add_color_stop_rgba (sun, 0, 1, 0.86, 0.55, 0.95);
      cairo_pattern_add_color_stop_rgba (sun, 0.3, 1, 0.7, 0.4, 0.5);
      cairo_pattern_add_color_stop_rgba (sun, 1, 1, 0.6, 0.3, 0);
      cairo_set_source (cr, sun);
      cairo_paint (cr);
      cairo_pattern_destroy (sun);
    }
  else if (has_word (words, "\\b(night|moon|stars|evening)"))
    {
      cairo_set_source_rgba (cr, 0.95, 0.95, 1, 0.85);
      cairo_arc (cr, w * 0.78, h * 0.25, MIN (w, h) * 0.06, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  if (has_word (words, "\\b(mountains?|peaks?|summit|hik\\w*|trail|alpine|climb\\w*)"))
    for (int layer = 0; layer < 2; layer++)
      {
        Rgb c = layer == 0 ? far : near;
        double base_y = h * (layer == 0 ? 0.62 : 0.74);

        cairo_move_to (cr, 0, h);
        cairo_line_to (cr, 0, base_y);
        for (double x = 0; x <= w; x += w / 7.0)
          {
            double peak = base_y - h * (0.12 + 0.16 * g_rand_double (rand)) / (layer + 1);
            cairo_line_to (cr, x + w / 14.0, peak);
            cairo_line_to (cr, x + w / 7.0, base_y - h * 0.03 * g_rand_double (rand));
          }
        cairo_line_to (cr, w, h);
        cairo_close_path (cr);
        cairo_set_source_rgba (cr, c.r, c.g, c.b, 0.85);
        cairo_fill (cr);
      }
  else if (has_word (words, "\\b(sea|ocean|beach|waves?|coast|lake|surf)"))
    {
      cairo_rectangle (cr, 0, h * 0.66, w, h * 0.34);
      cairo_set_source_rgba (cr, near.r, near.g, near.b, 0.75);
      cairo_fill (cr);
      cairo_set_line_width (cr, MAX (2, h * 0.006));
      cairo_set_source_rgba (cr, 1, 1, 1, 0.25);
      for (int i = 0; i < 5; i++)
        {
          double y = h * (0.70 + i * 0.06);
          cairo_move_to (cr, 0, y);
          for (double x = 0; x <= w; x += w / 12.0)
            cairo_curve_to (cr, x + w / 48.0, y - h * 0.01, x + w / 24.0, y + h * 0.01,
                            x + w / 12.0, y);
          cairo_stroke (cr);
        }
    }
  else if (has_word (words, "\\b(city|street|urban|office|commut\\w*|downtown)"))
    {
      for (double x = 0; x < w; x += w / 16.0)
        {
          double top = h * (0.45 + 0.25 * g_rand_double (rand));
          cairo_rectangle (cr, x, top, w / 16.0 - 2, h - top);
        }
      cairo_set_source_rgba (cr, near.r, near.g, near.b, 0.8);
      cairo_fill (cr);
    }
  else if (has_word (words, "\\b(forest|trees?|woods?|park|camp\\w*)"))
    {
      for (int i = 0; i < 14; i++)
        {
          double x = w * g_rand_double (rand), tall = h * (0.25 + 0.2 * g_rand_double (rand));
          cairo_move_to (cr, x, h * 0.95 - tall);
          cairo_line_to (cr, x - tall * 0.25, h * 0.95);
          cairo_line_to (cr, x + tall * 0.25, h * 0.95);
          cairo_close_path (cr);
        }
      cairo_set_source_rgba (cr, near.r, near.g, near.b, 0.8);
      cairo_fill (cr);
    }
  else if (has_word (words, "\\b(kitchen|desk|table|counter|home)"))
    {
      cairo_rectangle (cr, 0, h * 0.72, w, h * 0.28);
      cairo_set_source_rgba (cr, far.r, far.g, far.b, 0.7);
      cairo_fill (cr);
    }
  else
    {
      /* No setting in the words: abstract, large soft rings and a band of the palette. */
      Rgb light = mix (base, white, 0.35);

      for (int i = 0; i < 3; i++)
        {
          double cx = w * g_rand_double_range (rand, 0.1, 0.9);
          double cy = h * g_rand_double_range (rand, 0.2, 0.9);
          double r = MIN (w, h) * g_rand_double_range (rand, 0.25, 0.45);

          cairo_set_line_width (cr, r * 0.22);
          cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
          cairo_set_source_rgba (cr, light.r, light.g, light.b, 0.16);
          cairo_stroke (cr);
        }
      cairo_move_to (cr, 0, h * 0.78);
      cairo_curve_to (cr, w * 0.3, h * 0.6, w * 0.6, h * 0.95, w, h * 0.7);
      cairo_line_to (cr, w, h);
      cairo_line_to (cr, 0, h);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, near.r, near.g, near.b, 0.45);
      cairo_fill (cr);
    }
  g_rand_free (rand);
}

cairo_surface_t *
admint_scene_draw_background (AdmintScene           *scene,
                 const AdmintRenderJob *job)
{
  int w = (int) ceil (scene->width * BG_OVERSCAN), h = (int) ceil (scene->height * BG_OVERSCAN);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *gradient;
  Rgb a = scene->primary, b = mix (scene->primary, scene->accent, 0.45);

  switch (scene->bg)
    {
    case ADMINT_LAYOUT_BG_MOOD:
      a = desaturate (mix (a, black, 0.35), 0.7);
      b = desaturate (mix (b, black, 0.5), 0.7);
      G_GNUC_FALLTHROUGH;
    case ADMINT_LAYOUT_BG_DRIFT:
      gradient = cairo_pattern_create_linear (0, 0, w, h);
      break;
    case ADMINT_LAYOUT_BG_STUDIO:
    default:
      /* A sweep: light at the top falling to a soft floor in the brand's tint. */
      a = mix (scene->primary, white, 0.68);
      b = mix (scene->primary, white, 0.38);
      gradient = cairo_pattern_create_linear (0, 0, 0, h);
      break;
    }
  cairo_pattern_add_color_stop_rgb (gradient, 0, a.r, a.g, a.b);
  cairo_pattern_add_color_stop_rgb (gradient, 1, b.r, b.g, b.b);
  cairo_set_source (cr, gradient);
  cairo_paint (cr);
  cairo_pattern_destroy (gradient);

  if (scene->bg != ADMINT_LAYOUT_BG_STUDIO)
    draw_setting (cr, job->description, scene->bg == ADMINT_LAYOUT_BG_MOOD
                                          ? desaturate (scene->primary, 0.7) : scene->primary,
                  w, h);
  cairo_destroy (cr);
  return surface;
}

/* A soft light's alpha (A8): painted through it, a solid colour blends as one fast pass. */
cairo_surface_t *
admint_scene_draw_blob (int radius)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 2 * radius,
                                                         2 * radius);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *p = cairo_pattern_create_radial (radius, radius, 0, radius, radius, radius);

  cairo_pattern_add_color_stop_rgba (p, 0, 1, 1, 1, 0.34);
  cairo_pattern_add_color_stop_rgba (p, 0.6, 1, 1, 1, 0.22);
  cairo_pattern_add_color_stop_rgba (p, 1, 1, 1, 1, 0);
  cairo_set_source (cr, p);
  cairo_paint (cr);
  cairo_pattern_destroy (p);
  cairo_destroy (cr);
  return surface;
}

/* A bokeh disc's alpha at radius R: nearly flat with a soft rim, MOTE_ALPHA at its strongest. */
static cairo_surface_t *
draw_mote (double r)
{
  int side = (int) ceil (2 * r) + 1;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, side, side);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *p = cairo_pattern_create_radial (r, r, 0, r, r, r);

  /* Brighter at the rim, as a lens draws an out-of-focus light. */
  cairo_pattern_add_color_stop_rgba (p, 0, 1, 1, 1, MOTE_ALPHA * 0.55);
  cairo_pattern_add_color_stop_rgba (p, 0.72, 1, 1, 1, MOTE_ALPHA * 0.75);
  cairo_pattern_add_color_stop_rgba (p, 0.9, 1, 1, 1, MOTE_ALPHA);
  cairo_pattern_add_color_stop_rgba (p, 1, 1, 1, 1, 0);
  cairo_set_source (cr, p);
  cairo_paint (cr);
  cairo_pattern_destroy (p);
  cairo_destroy (cr);
  return surface;
}

/* The light sweep's alpha, as a linear gradient from (X - h/2, 0) to (X, h) with 0.13 at its
 * middle and none at its ends, for X = SWEEP_LEFT (in h) pixels right of the mask's left
 * edge: moving the sweep is moving this mask. */
#define SWEEP_LEFT 2.5
#define SWEEP_WIDTH 4.5

static cairo_surface_t *
draw_sweep (int h)
{
  int w = (int) ceil (SWEEP_WIDTH * h) + 2;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  double len2 = 1.25 * h * h;

  g_autofree guint8 *profile = g_malloc (w + 2 * h);

  /* The gradient's parameter at a pixel's centre depends on x + 2y only: one profile, each row
   * a shifted copy of it. */
  for (int k = 0; k < w + 2 * h; k++)
    {
      double u = k + 0.5 - SWEEP_LEFT * h + h * 0.5;
      double s = (u * h * 0.5 + 0.5 * h) / len2;
      double a = s <= 0 || s >= 1 ? 0 : 0.13 * (1 - fabs (2 * s - 1));

      profile[k] = (guint8) lround (a * 255);
    }
  cairo_surface_flush (surface);
  for (int y = 0; y < h; y++)
    memcpy (data + y * stride, profile + 2 * y, w);
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* The lights that move over the background, drawn once: the two soft lights, the sweep, and
 * the bokeh discs with their paths. A frame only blends them at whole pixels. */
void
admint_scene_prepare_lights (AdmintScene *scene)
{
  double side = MIN (scene->width, scene->height);
  /* A tall frame has no room for the product or the words to travel: more, larger, quicker
   * discs carry its motion. */
  gboolean tall = scene->height > scene->width;
  double radius = MAX (4, ceil (side * (tall ? 0.1 : 0.07)));
  double pace = tall ? 1.25 : 1.0;
  GRand *rand = g_rand_new_with_seed (scene->seed);

  scene->blob = admint_scene_draw_blob ((int) side / 2);
  scene->sweep = draw_sweep (scene->height);
  scene->n_motes = tall ? N_MOTES_TALL : N_MOTES;
  for (int i = 0; i < scene->n_motes; i++)
    {
      Mote *m = &scene->motes[i];

      m->r = radius * g_rand_double_range (rand, 0.45, 1.0);
      m->speed = side * pace * g_rand_double_range (rand, 0.2, 0.34);
      m->sway = side * g_rand_double_range (rand, -0.06, 0.06);
      m->y0 = g_rand_double_range (rand, 0, scene->height + 2 * m->r);
      m->x0 = g_rand_double_range (rand, 0, scene->width);
      m->alpha = g_rand_double_range (rand, 0.55, 1.0);
      m->mask = draw_mote (m->r);
    }
  g_rand_free (rand);
}

void
admint_scene_clear_lights (AdmintScene *scene)
{
  g_clear_pointer (&scene->blob, cairo_surface_destroy);
  g_clear_pointer (&scene->sweep, cairo_surface_destroy);
  for (int i = 0; i < scene->n_motes; i++)
    g_clear_pointer (&scene->motes[i].mask, cairo_surface_destroy);
  scene->n_motes = 0;
}

/* Bokeh: soft discs rising and drifting through the frame at a camera-like pace (a fifth to a
 * third of the short side a second), so the picture keeps real motion while the words rest. */
static void
paint_motes (AdmintScene *scene,
             cairo_t     *cr,
             double       t)
{
  const Rgb *c = &scene->mote_colour;

  for (int i = 0; i < scene->n_motes; i++)
    {
      const Mote *m = &scene->motes[i];
      double span = scene->height + 2 * m->r;
      double y = fmod (m->y0 + m->speed * t, span);
      double x = m->x0 + m->sway * t;

      x = fmod (fmod (x + m->r, scene->width + 2 * m->r) + scene->width + 2 * m->r,
                scene->width + 2 * m->r);
      cairo_set_source_rgba (cr, c->r, c->g, c->b, m->alpha);
      /* Whole pixels: a disc moves 5-10 of them a frame, and an unscaled blend is cheap. */
      cairo_mask_surface (cr, m->mask, round (x - m->r), round (scene->height - y));
    }
}

void
admint_scene_paint_background (AdmintScene *scene,
                  cairo_t     *cr,
                  double       t)
{
  double u = scene->mirror ? 1 - t / scene->duration : t / scene->duration;
  double mx = cairo_image_surface_get_width (scene->background) - scene->width;
  double my = cairo_image_surface_get_height (scene->background) - scene->height;
  int r = cairo_image_surface_get_width (scene->blob) / 2;
  double speed = MIN (scene->width, scene->height) * 0.12;
  double sweep = fmod (t / 3.2, 1.0) * (scene->width + scene->height) * 1.6 -
                 (scene->width + scene->height) * 0.3;

  /* A steady drift, not an eased one: the background never rests. */
  cairo_save (cr);
  cairo_set_source_surface (cr, scene->background, round (-mx * (0.05 + 0.9 * u)),
                            round (-my * (0.8 - 0.6 * u)));
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_restore (cr);

  /* Two soft lights crossing the frame at different speeds, at whole pixels. */
  cairo_set_source_rgb (cr, scene->blob_colour.r, scene->blob_colour.g, scene->blob_colour.b);
  cairo_mask_surface (cr, scene->blob, round (scene->width * 0.1 + speed * t - r),
                      round (scene->height * 0.3 + speed * 0.4 * t - r));
  cairo_mask_surface (cr, scene->blob, round (scene->width * 0.85 - speed * 1.3 * t - r),
                      round (scene->height * 0.8 - speed * 0.5 * t - r));

  /* A soft diagonal light sweeping across every few seconds. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_mask_surface (cr, scene->sweep, round (sweep - SWEEP_LEFT * scene->height), 0);

  paint_motes (scene, cr, t);
}

