/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The product and the brand: cutting a product out of a plain background, palettes in OKLab. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-scene.h"

/* Border pixels further than this (RGB distance, 0-441) from the border's mean colour make the
 * border "busy": the photo is carded, not cut out. */
#define BORDER_SPREAD_MAX 28.0
#define MASK_INNER 20.0   /* distance below which a border-connected pixel is background */
#define MASK_OUTER 60.0   /* distance above which a pixel is product */

static double
pixel_distance (const guint8 *p,
                const double *mean)
{
  double dr = p[0] - mean[0], dg = p[1] - mean[1], db = p[2] - mean[2];
  return sqrt (dr * dr + dg * dg + db * db);
}

/* The mean of the border ring, then its RMS spread. */
static double
measure_border (const guint8 *pixels,
                int           w,
                int           h,
                int           stride,
                int           n,
                double        mean[3])
{
  int ring = MAX (1, MIN (w, h) * 3 / 100);
  double sum[3] = { 0 }, sq = 0;
  guint count = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *p;

        if (y >= ring && y < h - ring && x == ring)
          x = w - ring;
        p = pixels + y * stride + x * n;
        sum[0] += p[0], sum[1] += p[1], sum[2] += p[2], count++;
      }
  for (int c = 0; c < 3; c++)
    mean[c] = sum[c] / MAX (1, count);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double d;

        if (y >= ring && y < h - ring && x == ring)
          x = w - ring;
        d = pixel_distance (pixels + y * stride + x * n, mean);
        sq += d * d;
      }
  return sqrt (sq / MAX (1, count));
}

/* A pixel is background when it is reachable from the border through pixels close to the
 * border colour: a flood fill, so a white label inside a white-backed bottle stays. */
static float *
grow_mask (const guint8 *pixels,
           int           w,
           int           h,
           int           stride,
           int           n,
           const double *mean)
{
  float *alpha = g_new (float, (gsize) w * h);
  guint8 *seen = g_new0 (guint8, (gsize) w * h);
  GArray *queue = g_array_new (FALSE, FALSE, sizeof (int));

  for (int i = 0; i < w * h; i++)
    alpha[i] = 1.0f;
  for (int x = 0; x < w; x++)
    {
      int a = x, b = (h - 1) * w + x;
      g_array_append_val (queue, a);
      g_array_append_val (queue, b);
    }
  for (int y = 0; y < h; y++)
    {
      int a = y * w, b = y * w + w - 1;
      g_array_append_val (queue, a);
      g_array_append_val (queue, b);
    }
  for (guint q = 0; q < queue->len; q++)
    {
      int i = g_array_index (queue, int, q), x = i % w, y = i / w;
      double d;

      if (seen[i])
        continue;
      seen[i] = 1;
      d = pixel_distance (pixels + y * stride + x * n, mean);
      if (d >= MASK_OUTER)
        continue;
      alpha[i] = d <= MASK_INNER ? 0.0f : (float) ((d - MASK_INNER) / (MASK_OUTER - MASK_INNER));
      if (d > (MASK_INNER + MASK_OUTER) / 2)
        continue;  /* the soft edge: do not grow through it */
      int next[4] = { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1,
                      y < h - 1 ? i + w : -1 };
      for (int k = 0; k < 4; k++)
        if (next[k] >= 0 && !seen[next[k]])
          g_array_append_val (queue, next[k]);
    }
  g_array_unref (queue);
  g_free (seen);
  return alpha;
}

/* A 3×3 box blur twice: the mask's edge falls off over a few pixels, not one. */
static void
soften (float *alpha,
        int    w,
        int    h)
{
  float *tmp = g_new (float, (gsize) w * h);

  for (int pass = 0; pass < 2; pass++)
    {
      memcpy (tmp, alpha, sizeof (float) * w * h);
      for (int y = 1; y < h - 1; y++)
        for (int x = 1; x < w - 1; x++)
          {
            float s = 0;
            for (int dy = -1; dy <= 1; dy++)
              for (int dx = -1; dx <= 1; dx++)
                s += tmp[(y + dy) * w + x + dx];
            alpha[y * w + x] = s / 9.0f;
          }
    }
  g_free (tmp);
}

cairo_surface_t *
admint_product_cutout (GdkPixbuf *photo,
                       int        max_side,
                       gboolean  *cut_out)
{
  g_autoptr(GdkPixbuf) scaled = NULL;
  int w = gdk_pixbuf_get_width (photo), h = gdk_pixbuf_get_height (photo);
  double k = MIN (1.0, (double) max_side / MAX (w, h)), mean[3], spread;
  cairo_surface_t *surface;
  const guint8 *pixels;
  float *alpha = NULL;
  int stride, n, ds;
  guint8 *dst;

  g_return_val_if_fail (GDK_IS_PIXBUF (photo), NULL);

  w = MAX (1, (int) (w * k)), h = MAX (1, (int) (h * k));
  scaled = gdk_pixbuf_scale_simple (photo, w, h, GDK_INTERP_BILINEAR);
  pixels = gdk_pixbuf_read_pixels (scaled);
  stride = gdk_pixbuf_get_rowstride (scaled);
  n = gdk_pixbuf_get_n_channels (scaled);

  spread = measure_border (pixels, w, h, stride, n, mean);
  *cut_out = spread <= BORDER_SPREAD_MAX && !gdk_pixbuf_get_has_alpha (scaled);
  if (*cut_out)
    {
      alpha = grow_mask (pixels, w, h, stride, n, mean);
      soften (alpha, w, h);
    }

  /* Crop to what the mask kept, with a little air: a product shot with wide margins still
   * fills its box. */
  int x0 = 0, y0 = 0, x1 = w, y1 = h;
  if (alpha != NULL)
    {
      x0 = w, y0 = h, x1 = 0, y1 = 0;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          if (alpha[y * w + x] > 0.1f)
            x0 = MIN (x0, x), x1 = MAX (x1, x + 1), y0 = MIN (y0, y), y1 = MAX (y1, y + 1);
      if (x1 <= x0 || y1 <= y0)
        x0 = 0, y0 = 0, x1 = w, y1 = h;
      int air = MAX (2, MIN (x1 - x0, y1 - y0) / 30);
      x0 = MAX (0, x0 - air), y0 = MAX (0, y0 - air);
      x1 = MIN (w, x1 + air), y1 = MIN (h, y1 + air);
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, x1 - x0, y1 - y0);
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  ds = cairo_image_surface_get_stride (surface);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        const guint8 *s = pixels + y * stride + x * n;
        double a = alpha ? alpha[y * w + x] : (n == 4 ? s[3] / 255.0 : 1.0);
        guint A = (guint) lround (a * 255);
        ((guint32 *) (dst + (y - y0) * ds))[x - x0] = (A << 24) | ((s[0] * A / 255) << 16) |
                                          ((s[1] * A / 255) << 8) | (s[2] * A / 255);
      }
  cairo_surface_mark_dirty (surface);
  g_free (alpha);
  return surface;
}

/* OKLab (Björn Ottosson, 2020) from sRGB 0-255. */
static void
to_oklab (const guint8 *p,
          float        *lab)
{
  double c[3];

  for (int i = 0; i < 3; i++)
    {
      double v = p[i] / 255.0;
      c[i] = v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  double l = cbrt (0.4122214708 * c[0] + 0.5363325363 * c[1] + 0.0514459929 * c[2]);
  double m = cbrt (0.2119034982 * c[0] + 0.6806995451 * c[1] + 0.1073969566 * c[2]);
  double s = cbrt (0.0883024619 * c[0] + 0.2817188376 * c[1] + 0.6299787005 * c[2]);
  lab[0] = (float) (0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s);
  lab[1] = (float) (1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s);
  lab[2] = (float) (0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s);
}

static char *
from_oklab (const float *lab)
{
  double l = pow (lab[0] + 0.3963377774 * lab[1] + 0.2158037573 * lab[2], 3);
  double m = pow (lab[0] - 0.1055613458 * lab[1] - 0.0638541728 * lab[2], 3);
  double s = pow (lab[0] - 0.0894841775 * lab[1] - 1.2914855480 * lab[2], 3);
  double c[3] = { 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
                  -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
                  -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s };
  int v[3];

  for (int i = 0; i < 3; i++)
    {
      double x = CLAMP (c[i], 0, 1);
      x = x <= 0.0031308 ? 12.92 * x : 1.055 * pow (x, 1 / 2.4) - 0.055;
      v[i] = (int) lround (CLAMP (x, 0, 1) * 255);
    }
  return g_strdup_printf ("#%02x%02x%02x", v[0], v[1], v[2]);
}

/* Samples (OKLab) of an image at 64 px, skipping a product photo's plain background. */
static void
add_samples (const char *path,
             GArray     *samples)
{
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new_from_file_at_size (path, 64, 64, NULL);
  double mean[3];
  int w, h, stride, n;
  const guint8 *px;
  gboolean plain;

  if (pb == NULL)
    return;
  w = gdk_pixbuf_get_width (pb), h = gdk_pixbuf_get_height (pb);
  stride = gdk_pixbuf_get_rowstride (pb), n = gdk_pixbuf_get_n_channels (pb);
  px = gdk_pixbuf_read_pixels (pb);
  plain = measure_border (px, w, h, stride, n, mean) <= BORDER_SPREAD_MAX;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *p = px + y * stride + x * n;
        float lab[3];

        if ((n == 4 && p[3] < 128) || (plain && pixel_distance (p, mean) < MASK_OUTER))
          continue;
        to_oklab (p, lab);
        g_array_append_vals (samples, lab, 1);
      }
}

typedef struct { float lab[3]; } Lab;

GStrv
admint_palette_from_images (const char * const *paths,
                            guint               n)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Lab));
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  Lab centres[6];
  double count[6], score[6];
  guint k = 6, order[6];

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    add_samples (paths[i], samples);
  if (samples->len < k)
    return g_strv_builder_end (out);

  /* Seeds spread through the samples; ten rounds of Lloyd's algorithm. */
  for (guint c = 0; c < k; c++)
    centres[c] = g_array_index (samples, Lab, (gsize) c * samples->len / k);
  for (int round = 0; round < 10; round++)
    {
      double sum[6][3] = { { 0 } };

      memset (count, 0, sizeof count);
      for (guint i = 0; i < samples->len; i++)
        {
          Lab *s = &g_array_index (samples, Lab, i);
          guint best = 0;
          double best_d = G_MAXDOUBLE;

          for (guint c = 0; c < k; c++)
            {
              double d = 0;
              for (int j = 0; j < 3; j++)
                d += (s->lab[j] - centres[c].lab[j]) * (s->lab[j] - centres[c].lab[j]);
              if (d < best_d)
                best_d = d, best = c;
            }
          for (int j = 0; j < 3; j++)
            sum[best][j] += s->lab[j];
          count[best]++;
        }
      for (guint c = 0; c < k; c++)
        if (count[c] > 0)
          for (int j = 0; j < 3; j++)
            centres[c].lab[j] = (float) (sum[c][j] / count[c]);
    }

  /* Brand colours are used often and are colourful: weight share by chroma, drop near-greys
   * unless nothing else is there. */
  for (guint c = 0; c < k; c++)
    {
      double chroma = hypot (centres[c].lab[1], centres[c].lab[2]);
      score[c] = count[c] / samples->len * (0.02 + chroma);
      order[c] = c;
    }
  for (guint a = 0; a < k; a++)
    for (guint b = a + 1; b < k; b++)
      if (score[order[b]] > score[order[a]])
        {
          guint t = order[a];
          order[a] = order[b], order[b] = t;
        }
  for (guint i = 0, added = 0; i < k && added < n; i++)
    if (count[order[i]] > 0)
      {
        {
        g_autofree char *hex = from_oklab (centres[order[i]].lab);
        g_strv_builder_add (out, hex);
      }
        added++;
      }
  return g_strv_builder_end (out);
}
