/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local clip renderer: composites each frame with cairo and encodes it with GStreamer. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <pango/pangocairo.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-media-private.h"
#include "admint-render.h"
#include "admint-scene.h"
#include "admint-captions.h"

/* Headroom for the Ken Burns zoom: images are pre-scaled to cover the frame at this zoom, so
 * every frame is a mild (≤ 1.25×) bilinear downscale of the same surface. */
#define MAX_ZOOM 1.25
#define END_FADE 0.3          /* seconds of fade from and to black */
#define IMAGE_CROSSFADE 0.5   /* seconds between two still images */

G_DEFINE_BOXED_TYPE (AdmintRenderJob, admint_render_job, admint_render_job_copy,
                     admint_render_job_free)

AdmintRenderJob *
admint_render_job_new (void)
{
  AdmintRenderJob *job = g_new0 (AdmintRenderJob, 1);

  job->duration = 6.0;
  job->fps = 30;
  job->aspect = ADMINT_ASPECT_16_9;
  job->size = ADMINT_RENDER_SIZE_720P;
  return job;
}

AdmintRenderJob *
admint_render_job_copy (const AdmintRenderJob *job)
{
  AdmintRenderJob *copy;

  g_return_val_if_fail (job != NULL, NULL);

  copy = g_new0 (AdmintRenderJob, 1);
  *copy = *job;
  copy->images = g_strdupv (job->images);
  copy->camera = g_strdup (job->camera);
  copy->text = g_strdup (job->text);
  copy->palette = g_strdupv (job->palette);
  copy->logo = g_strdup (job->logo);
  copy->product_name = g_strdup (job->product_name);
  copy->tagline = g_strdup (job->tagline);
  copy->layout = g_strdup (job->layout);
  copy->description = g_strdup (job->description);
  copy->lines = g_strdupv (job->lines);
  copy->figure = g_strdup (job->figure);
  copy->cta = g_strdup (job->cta);
  copy->handle = g_strdup (job->handle);
  copy->product = g_strdup (job->product);
  copy->transition_in = g_strdup (job->transition_in);
  copy->offer = g_strdup (job->offer);
  copy->word_times = job->word_times ? g_array_ref (job->word_times) : NULL;
  copy->captions = g_strdup (job->captions);
  return copy;
}

void
admint_render_job_free (AdmintRenderJob *job)
{
  if (job == NULL)
    return;
  g_strfreev (job->images);
  g_free (job->camera);
  g_free (job->text);
  g_strfreev (job->palette);
  g_free (job->logo);
  g_free (job->product_name);
  g_free (job->tagline);
  g_free (job->layout);
  g_free (job->description);
  g_strfreev (job->lines);
  g_free (job->figure);
  g_free (job->cta);
  g_free (job->handle);
  g_free (job->product);
  g_free (job->transition_in);
  g_free (job->offer);
  g_clear_pointer (&job->word_times, g_array_unref);
  g_free (job->captions);
  g_free (job);
}

gboolean
admint_aspect_from_string (const char   *text,
                           AdmintAspect *aspect)
{
  g_return_val_if_fail (aspect != NULL, FALSE);

  if (g_strcmp0 (text, "16:9") == 0)
    *aspect = ADMINT_ASPECT_16_9;
  else if (g_strcmp0 (text, "9:16") == 0)
    *aspect = ADMINT_ASPECT_9_16;
  else if (g_strcmp0 (text, "1:1") == 0)
    *aspect = ADMINT_ASPECT_1_1;
  else
    return FALSE;
  return TRUE;
}

void
admint_render_job_get_frame_size (const AdmintRenderJob *job,
                                  int                   *width,
                                  int                   *height)
{
  int s, l;

  g_return_if_fail (job != NULL);

  s = job->size == ADMINT_RENDER_SIZE_1080P ? 1080 : job->size == ADMINT_RENDER_SIZE_360P ? 360
                                                                                 : 720;
  l = s * 16 / 9;
  switch (job->aspect)
    {
    case ADMINT_ASPECT_9_16:
      *width = s, *height = l;
      break;
    case ADMINT_ASPECT_1_1:
      *width = s, *height = s;
      break;
    case ADMINT_ASPECT_16_9:
    default:
      *width = l, *height = s;
      break;
    }
}

/* Colours and camera ---------------------------------------------------------------------- */

typedef struct { double r, g, b; } Rgb;

static gboolean
parse_colour (const char *text,
              Rgb        *rgb)
{
  guint v = 0;
  gsize len;

  if (text == NULL || text[0] != '#')
    return FALSE;
  len = strlen (text + 1);
  if (len != 6 && len != 3)
    return FALSE;
  for (gsize i = 1; i <= len; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  v = (guint) g_ascii_strtoull (text + 1, NULL, 16);
  if (len == 3)
    v = ((v & 0xf00) << 12 | (v & 0xf00) << 8) | ((v & 0xf0) << 8 | (v & 0xf0) << 4) |
        ((v & 0xf) << 4 | (v & 0xf));
  rgb->r = ((v >> 16) & 0xff) / 255.0;
  rgb->g = ((v >> 8) & 0xff) / 255.0;
  rgb->b = (v & 0xff) / 255.0;
  return TRUE;
}

/* The job's first two brand colours as primary and accent (the given defaults stay when the
 * palette is shorter); every colour of the palette must parse. */
static gboolean
job_palette (const AdmintRenderJob  *job,
             Rgb                    *primary,
             Rgb                    *accent,
             GError                **error)
{
  for (guint i = 0; job->palette && job->palette[i]; i++)
    {
      Rgb c;

      if (!parse_colour (job->palette[i], &c))
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("The brand colour “%s” is not a hex colour. Write colours as #rrggbb"),
                       job->palette[i]);
          return FALSE;
        }
      if (i == 0)
        *primary = c;
      else if (i == 1)
        *accent = c;
    }
  return TRUE;
}

static double
luminance (const Rgb *c)
{
  return 0.2126 * c->r + 0.7152 * c->g + 0.0722 * c->b;
}

/* A camera move: zoom and pan position (0 = left/top edge of the image, 1 = right/bottom)
 * at the start and at the end of a shot. */
typedef struct {
  double z0, z1;
  double x0, x1;
  double y0, y1;
} Camera;

static Camera
camera_from_hint (const char *hint)
{
  g_autofree char *h = g_ascii_strdown (hint ? hint : "slow zoom in", -1);
  Camera c = { 1.0, 1.12, 0.5, 0.5, 0.5, 0.5 };

  if (strstr (h, "static") || strstr (h, "still") || strstr (h, "locked"))
    c.z0 = c.z1 = 1.0;
  else if (strstr (h, "zoom out") || strstr (h, "pull") || strstr (h, "dolly out"))
    c.z0 = 1.18, c.z1 = 1.0;
  else if (strstr (h, "push") || strstr (h, "dolly in") || strstr (h, "fast zoom"))
    c.z0 = 1.0, c.z1 = 1.24;
  else if (strstr (h, "pan left") || strstr (h, "truck left"))
    c.z0 = c.z1 = 1.16, c.x0 = 0.9, c.x1 = 0.1;
  else if (strstr (h, "pan right") || strstr (h, "truck right") || strstr (h, "pan"))
    c.z0 = c.z1 = 1.16, c.x0 = 0.1, c.x1 = 0.9;
  else if (strstr (h, "tilt up") || strstr (h, "pan up") || strstr (h, "crane up"))
    c.z0 = c.z1 = 1.16, c.y0 = 0.9, c.y1 = 0.1;
  else if (strstr (h, "tilt down") || strstr (h, "pan down") || strstr (h, "crane down"))
    c.z0 = c.z1 = 1.16, c.y0 = 0.1, c.y1 = 0.9;
  return c;
}

/* Smooth start and stop: a cubic ease-in-out. */
static double
ease (double t)
{
  t = CLAMP (t, 0.0, 1.0);
  return t < 0.5 ? 4 * t * t * t : 1 - pow (-2 * t + 2, 3) / 2;
}

/* Layers ---------------------------------------------------------------------------------- */

typedef struct {
  int               width, height, fps;
  guint             n_frames;
  double            duration;
  Camera            camera;
  GPtrArray        *shots;        /* cairo_surface_t*, each pre-scaled to cover MAX_ZOOM */
  cairo_surface_t  *band;         /* the text band, NULL without text */
  int               band_x, band_y;
  cairo_surface_t  *logo;
  int               logo_x, logo_y;
} Scene;

static void
scene_clear (Scene *scene)
{
  g_clear_pointer (&scene->shots, g_ptr_array_unref);
  g_clear_pointer (&scene->band, cairo_surface_destroy);
  g_clear_pointer (&scene->logo, cairo_surface_destroy);
}

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf,
                     gboolean   opaque)
{
  int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (opaque ? CAIRO_FORMAT_RGB24
                                                                : CAIRO_FORMAT_ARGB32, w, h);
  int n = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  int dst_stride;
  guint8 *dst;

  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < h; y++)
    {
      const guint8 *s = src + y * src_stride;
      guint32 *d = (guint32 *) (dst + y * dst_stride);

      for (int x = 0; x < w; x++, s += n)
        {
          guint a = n == 4 && !opaque ? s[3] : 255;
          guint r = s[0] * a / 255, g = s[1] * a / 255, b = s[2] * a / 255;
          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* Loads PATH scaled (with a good filter, once) to cover W×H. */
static cairo_surface_t *
load_cover (const char  *path,
            int          w,
            int          h,
            GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GdkPixbuf) raw = gdk_pixbuf_new_from_file (path, &local);
  g_autoptr(GdkPixbuf) oriented = NULL, scaled = NULL;
  int iw, ih, sw, sh;
  double k;

  if (raw == NULL)
    {
      g_set_error (error, ADMINT_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? ADMINT_ERROR_NOT_FOUND : ADMINT_ERROR_INVALID_INPUT,
                   _("The image %s cannot be read (%s). Use a PNG, JPEG or WebP picture"),
                   path, local->message);
      return NULL;
    }
  oriented = gdk_pixbuf_apply_embedded_orientation (raw);
  iw = gdk_pixbuf_get_width (oriented);
  ih = gdk_pixbuf_get_height (oriented);
  k = MAX ((double) w / iw, (double) h / ih);
  sw = MAX (w, (int) ceil (iw * k));
  sh = MAX (h, (int) ceil (ih * k));
  scaled = gdk_pixbuf_scale_simple (oriented, sw, sh, GDK_INTERP_BILINEAR);
  return surface_from_pixbuf (scaled, TRUE);
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *family,
             double      px,
             int         width,
             const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (family);

  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
set_text_colour (cairo_t   *cr,
                 const Rgb *background)
{
  if (luminance (background) > 0.55)
    cairo_set_source_rgb (cr, 0.07, 0.07, 0.08);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
}

/* A title card in the brand palette, drawn at the pre-scaled (MAX_ZOOM) size. */
static cairo_surface_t *
draw_title_card (const AdmintRenderJob *job,
                 const Rgb             *primary,
                 const Rgb             *accent,
                 int                    w,
                 int                    h)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, 0, w, h);
  int short_side = MIN (w, h);
  const char *name = job->product_name && *job->product_name ? job->product_name : _("Ad Mint");
  g_autoptr(PangoLayout) title = NULL, tagline = NULL;
  int tw, th, gw = 0, gh = 0;
  double gap = short_side * 0.04;

  cairo_pattern_add_color_stop_rgb (gradient, 0, primary->r, primary->g, primary->b);
  cairo_pattern_add_color_stop_rgb (gradient, 1, primary->r * 0.55 + accent->r * 0.45,
                                    primary->g * 0.55 + accent->g * 0.45,
                                    primary->b * 0.55 + accent->b * 0.45);
  cairo_set_source (cr, gradient);
  cairo_paint (cr);
  cairo_pattern_destroy (gradient);

  /* An accent rule under the name ties the card to the brand's second colour. */
  title = make_layout (cr, "Sans Bold", short_side * 0.11, w * 0.8, name);
  pango_layout_get_pixel_size (title, &tw, &th);
  if (job->tagline && *job->tagline)
    {
      tagline = make_layout (cr, "Sans", short_side * 0.05, w * 0.8, job->tagline);
      pango_layout_get_pixel_size (tagline, &gw, &gh);
    }
  {
    double total = th + (tagline ? gap * 2 + gh : 0);
    double y = (h - total) / 2;

    set_text_colour (cr, primary);
    cairo_move_to (cr, (w - w * 0.8) / 2, y);
    pango_cairo_show_layout (cr, title);
    cairo_set_source_rgb (cr, accent->r, accent->g, accent->b);
    cairo_rectangle (cr, (w - short_side * 0.16) / 2, y + th + gap * 0.6, short_side * 0.16,
                     MAX (2, short_side * 0.008));
    cairo_fill (cr);
    if (tagline)
      {
        set_text_colour (cr, primary);
        cairo_move_to (cr, (w - w * 0.8) / 2, y + th + gap * 2);
        pango_cairo_show_layout (cr, tagline);
      }
  }
  cairo_destroy (cr);
  return surface;
}

/* The on-screen text on a band of the brand colour, legible over any picture. */
static void
draw_band (Scene      *scene,
           const char *text,
           const Rgb  *colour)
{
  int w = scene->width, h = scene->height;
  int short_side = MIN (w, h);
  int text_w = (int) (w * 0.84);
  double pad = short_side * 0.035;
  cairo_surface_t *probe = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (probe);
  g_autoptr(PangoLayout) layout = make_layout (cr, "Sans Bold", short_side * 0.055, text_w,
                                               text);
  int lw, lh, bw, bh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  cairo_destroy (cr);
  cairo_surface_destroy (probe);

  bw = MIN (w, (int) (lw + pad * 4));
  bh = (int) (lh + pad * 2);
  scene->band = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, bw, bh);
  scene->band_x = (w - bw) / 2;
  scene->band_y = (int) (h * (h > w ? 0.72 : 0.78) - bh / 2.0);
  scene->band_y = CLAMP (scene->band_y, 0, h - bh);

  cr = cairo_create (scene->band);
  cairo_new_sub_path (cr);
  {
    double r = bh * 0.18;
    cairo_arc (cr, bw - r, r, r, -G_PI / 2, 0);
    cairo_arc (cr, bw - r, bh - r, r, 0, G_PI / 2);
    cairo_arc (cr, r, bh - r, r, G_PI / 2, G_PI);
    cairo_arc (cr, r, r, r, G_PI, 3 * G_PI / 2);
  }
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, colour->r, colour->g, colour->b, 0.86);
  cairo_fill (cr);
  set_text_colour (cr, colour);
  pango_layout_set_width (layout, (bw - (int) (pad * 2)) * PANGO_SCALE);
  cairo_move_to (cr, pad, pad);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
}

static gboolean
load_logo (Scene       *scene,
           const char  *path,
           GError     **error)
{
  g_autoptr(GError) local = NULL;
  int short_side = MIN (scene->width, scene->height);
  int max_h = (int) (short_side * 0.1), max_w = (int) (scene->width * 0.22);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_size (path, max_w, max_h, &local);
  int margin = (int) (short_side * 0.04);

  if (pixbuf == NULL)
    {
      g_set_error (error, ADMINT_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? ADMINT_ERROR_NOT_FOUND : ADMINT_ERROR_INVALID_INPUT,
                   _("The logo %s cannot be read (%s). Use a PNG (with transparency), JPEG or "
                   "SVG file"), path, local->message);
      return FALSE;
    }
  scene->logo = surface_from_pixbuf (pixbuf, FALSE);
  scene->logo_x = scene->width - margin - gdk_pixbuf_get_width (pixbuf);
  scene->logo_y = margin;
  return TRUE;
}

/* The frame geometry and timing every path shares. */
static gboolean
scene_check (Scene                  *scene,
             const AdmintRenderJob  *job,
             GError                **error)
{
  if (!(job->duration > 0 && job->duration <= 120))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("A scene lasts %.2f s; it must last more than 0 and at most 120 seconds. "
                   "Fix the scene's duration"), job->duration);
      return FALSE;
    }
  if (job->fps < 1 || job->fps > 120)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("A frame rate of %d is not supported; use 1 to 120 (30 is the default)"),
                   job->fps);
      return FALSE;
    }
  admint_render_job_get_frame_size (job, &scene->width, &scene->height);
  scene->fps = job->fps;
  scene->duration = job->duration;
  scene->n_frames = MAX (1, (guint) llround (job->duration * job->fps));
  return TRUE;
}

static gboolean
scene_prepare (Scene                  *scene,
               const AdmintRenderJob  *job,
               GError                **error)
{
  Rgb primary = { 0.07, 0.36, 0.33 }, accent = { 0.96, 0.76, 0.26 };
  int cover_w, cover_h;

  if (!scene_check (scene, job, error) || !job_palette (job, &primary, &accent, error))
    return FALSE;
  scene->camera = camera_from_hint (job->camera);
  scene->shots = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);

  cover_w = (int) ceil (scene->width * MAX_ZOOM);
  cover_h = (int) ceil (scene->height * MAX_ZOOM);
  for (guint i = 0; job->images && job->images[i]; i++)
    {
      cairo_surface_t *shot = load_cover (job->images[i], cover_w, cover_h, error);

      if (shot == NULL)
        return FALSE;
      g_ptr_array_add (scene->shots, shot);
    }
  if (scene->shots->len == 0)
    g_ptr_array_add (scene->shots, draw_title_card (job, &primary, &accent, cover_w, cover_h));

  if (job->text && *job->text)
    draw_band (scene, job->text, &primary);
  if (job->logo && *job->logo && !load_logo (scene, job->logo, error))
    return FALSE;
  return TRUE;
}

static void
paint_shot (cairo_t         *cr,
            Scene           *scene,
            cairo_surface_t *shot,
            double           t,
            double           alpha)
{
  const Camera *c = &scene->camera;
  double e = ease (t);
  double z = c->z0 + (c->z1 - c->z0) * e;
  double px = c->x0 + (c->x1 - c->x0) * e;
  double py = c->y0 + (c->y1 - c->y0) * e;
  int sw = cairo_image_surface_get_width (shot), sh = cairo_image_surface_get_height (shot);
  /* The shot covers the frame at MAX_ZOOM; at zoom z it is drawn at k = z / MAX_ZOOM of its
   * size, which still covers the frame, and px/py choose which part is seen. */
  double k = z / MAX_ZOOM;
  double ox = px * (scene->width - sw * k), oy = py * (scene->height - sh * k);

  cairo_save (cr);
  cairo_translate (cr, ox, oy);
  cairo_scale (cr, k, k);
  cairo_set_source_surface (cr, shot, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  if (alpha >= 1.0)
    {
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (cr);
    }
  else
    cairo_paint_with_alpha (cr, alpha);
  cairo_restore (cr);
}

static double
fade_window (double t,
             double in_start,
             double in_end,
             double out_start,
             double out_end)
{
  if (t <= in_start || t >= out_end)
    return 0.0;
  if (t < in_end)
    return ease ((t - in_start) / (in_end - in_start));
  if (t > out_start)
    return ease ((out_end - t) / (out_end - out_start));
  return 1.0;
}

static void
render_frame (Scene   *scene,
              cairo_t *cr,
              guint    index)
{
  double t = (index + 0.5) / scene->fps;
  double d = scene->duration;
  guint n = scene->shots->len;
  double seg = d / n;
  guint k = MIN (n - 1, (guint) (t / seg));
  double local = (t - k * seg) / seg;

  /* Each still gets the same camera move over its own share of the scene; the next one
   * dissolves in over the last IMAGE_CROSSFADE seconds of the share. */
  paint_shot (cr, scene, g_ptr_array_index (scene->shots, k), local, 1.0);
  if (k + 1 < n)
    {
      double xf = MIN (IMAGE_CROSSFADE, seg / 3);
      double into = t - ((k + 1) * seg - xf);

      if (into > 0)
        paint_shot (cr, scene, g_ptr_array_index (scene->shots, k + 1),
                    (into - xf) / seg, ease (into / xf));
    }

  if (scene->logo != NULL)
    {
      cairo_set_source_surface (cr, scene->logo, scene->logo_x, scene->logo_y);
      cairo_paint_with_alpha (cr, 0.92);
    }

  if (scene->band != NULL)
    {
      double ramp = MIN (0.5, d / 8);
      double a = fade_window (t, ramp * 0.6, ramp * 1.6, d - ramp * 1.6, d - ramp * 0.6);

      if (a > 0.004)
        {
          /* Rises a few pixels while fading in: motion draws the eye without jumping. */
          double lift = (1 - a) * MIN (scene->width, scene->height) * 0.015;

          cairo_set_source_surface (cr, scene->band, scene->band_x, scene->band_y + lift);
          cairo_paint_with_alpha (cr, a);
        }
    }

  {
    double fade = MIN (END_FADE, d / 4);
    double black = t < fade ? 1 - t / fade : t > d - fade ? 1 - (d - t) / fade : 0;

    if (black > 0.004)
      {
        cairo_set_source_rgba (cr, 0, 0, 0, CLAMP (black, 0, 1));
        cairo_paint (cr);
      }
  }
}

/* Encoding ---------------------------------------------------------------------------------- */

/* BT.709 limited range, 16.16 fixed point: what videoconvert made of these frames before. */
#define Y_R 11966
#define Y_G 40254
#define Y_B 4064
#define CB_R -6596
#define CB_G -22189
#define CB_B 28785
#define CR_R 28785
#define CR_G -26145
#define CR_B -2640

/* One painted frame (cairo's RGB24: BGRx in memory) into the encoder's I420, chroma averaged
 * over each 2×2 block. A plain loop the compiler vectorises: about a third of the CPU time
 * videoconvert took for the same frames (bench-render). */
static void
bgrx_to_i420 (const guint8 *src,
              int           src_stride,
              int           width,
              int           height,
              GstVideoInfo *info,
              guint8       *dst)
{
  guint8 *py = dst + GST_VIDEO_INFO_PLANE_OFFSET (info, 0);
  guint8 *pu = dst + GST_VIDEO_INFO_PLANE_OFFSET (info, 1);
  guint8 *pv = dst + GST_VIDEO_INFO_PLANE_OFFSET (info, 2);
  int ys = GST_VIDEO_INFO_PLANE_STRIDE (info, 0), us = GST_VIDEO_INFO_PLANE_STRIDE (info, 1);
  int vs = GST_VIDEO_INFO_PLANE_STRIDE (info, 2);

  for (int row = 0; row < height; row++)
    {
      const guint32 *s = (const guint32 *) (src + row * src_stride);
      guint8 *y = py + row * ys;

      for (int x = 0; x < width; x++)
        {
          guint32 p = s[x];
          int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

          y[x] = (guint8) ((Y_R * r + Y_G * g + Y_B * b + (16 << 16) + 32768) >> 16);
        }
    }
  for (int row = 0; row < (height + 1) / 2; row++)
    {
      const guint32 *s0 = (const guint32 *) (src + 2 * row * src_stride);
      const guint32 *s1 = (const guint32 *) (src + MIN (2 * row + 1, height - 1) * src_stride);
      guint8 *u = pu + row * us, *v = pv + row * vs;

      for (int x = 0; x < (width + 1) / 2; x++)
        {
          int x1 = MIN (2 * x + 1, width - 1);
          guint32 a = s0[2 * x], b = s0[x1], c = s1[2 * x], d = s1[x1];
          int r = ((a >> 16) & 0xff) + ((b >> 16) & 0xff) + ((c >> 16) & 0xff) + ((d >> 16) & 0xff);
          int g = ((a >> 8) & 0xff) + ((b >> 8) & 0xff) + ((c >> 8) & 0xff) + ((d >> 8) & 0xff);
          int bl = (a & 0xff) + (b & 0xff) + (c & 0xff) + (d & 0xff);

          /* The sums are four pixels: two more bits to shift out. */
          u[x] = (guint8) ((CB_R * r + CB_G * g + CB_B * bl + (128 << 18) + (1 << 17)) >> 18);
          v[x] = (guint8) ((CR_R * r + CR_G * g + CR_B * bl + (128 << 18) + (1 << 17)) >> 18);
        }
    }
}

static GstElement *
build_pipeline (Scene       *scene,
                const char  *location,
                GstElement **appsrc_out,
                GError     **error)
{
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new ("render"));
  GstElement *appsrc, *convert, *encoder, *mux, *sink, *asrc, *acaps, *aconv, *aenc;
  g_autoptr(GstCaps) caps = NULL, raw_audio = NULL;
  int samples_per_frame = 48000 / scene->fps;
  admint_worker_watch_pipeline (pipeline);

  encoder = admint_media_make_h264_encoder (ADMINT_MEDIA_SPEED_FAST, error);
  if (encoder == NULL)
    return NULL;
  aenc = admint_media_make_aac_encoder (error);
  if (aenc == NULL)
    {
      gst_object_unref (gst_object_ref_sink (encoder));
      return NULL;
    }
  mux = admint_media_make_muxer (ADMINT_MEDIA_CONTAINER_MP4, error);
  if (mux == NULL)
    {
      gst_object_unref (gst_object_ref_sink (encoder));
      gst_object_unref (gst_object_ref_sink (aenc));
      return NULL;
    }
  if (g_str_equal (GST_OBJECT_NAME (gst_element_get_factory (encoder)), "x264enc"))
    {
      /* Measured: stillimage tuning keeps the slow pans sharp at the same speed. */
      gst_util_set_object_arg (G_OBJECT (encoder), "tune", "stillimage");
    }

  appsrc = gst_element_factory_make ("appsrc", "frames");
  convert = gst_element_factory_make ("videoconvert", NULL);
  sink = gst_element_factory_make ("filesink", NULL);
  asrc = gst_element_factory_make ("audiotestsrc", NULL);
  acaps = gst_element_factory_make ("capsfilter", NULL);
  aconv = gst_element_factory_make ("audioconvert", NULL);

  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "I420",
                              "colorimetry", G_TYPE_STRING, "bt709",
                              "width", G_TYPE_INT, scene->width,
                              "height", G_TYPE_INT, scene->height,
                              "framerate", GST_TYPE_FRACTION, scene->fps, 1,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (appsrc, "caps", caps, "format", GST_FORMAT_TIME, "is-live", FALSE,
                "max-bytes", (guint64) 0, NULL);
  /* The frames arrive as I420, which x264enc and openh264enc take as they are: videoconvert
   * passes them through, and converts only for an encoder that wants another layout. */
  g_object_set (sink, "location", location, NULL);
  /* Silence in frame-sized buffers, so the audio ends exactly with the last frame. */
  gst_util_set_object_arg (G_OBJECT (asrc), "wave", "silence");
  g_object_set (asrc, "samplesperbuffer", samples_per_frame, "num-buffers",
                (int) scene->n_frames, NULL);
  raw_audio = gst_caps_from_string ("audio/x-raw,rate=48000,channels=2");
  g_object_set (acaps, "caps", raw_audio, NULL);

  gst_bin_add_many (GST_BIN (pipeline), appsrc, convert, encoder, mux, sink, asrc, acaps,
                    aconv, aenc, NULL);
  if (!gst_element_link_many (appsrc, convert, encoder, mux, sink, NULL) ||
      !gst_element_link_many (asrc, acaps, aconv, aenc, mux, NULL))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot build the render pipeline (an encoder refused the format). Check "
                   "the installed GStreamer plugins"));
      return NULL;
    }
  *appsrc_out = appsrc;
  return g_steal_pointer (&pipeline);
}

/* Pops an error from the bus without waiting; FALSE (with ERROR set) when there is one. */
static gboolean
bus_ok (GstBus  *bus,
        GError **error)
{
  g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg != NULL)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (msg, &gst_error, NULL);
      admint_media_set_gst_error (error, gst_error, NULL);
      return FALSE;
    }
  return TRUE;
}

char *
admint_render_text_boxes_path (const char *output)
{
  g_return_val_if_fail (output != NULL, NULL);
  return g_strconcat (output, ".text.json", NULL);
}

/* The laid-out scene's text boxes beside OUTPUT, for whoever draws over the clip later (the
 * sound stage's captions). A failure only loses that hint: logged, not an error. */
static void
write_text_boxes (AdmintScene *scene,
                  int          width,
                  int          height,
                  JsonNode    *captions,
                  const char  *output)
{
  g_autoptr(GArray) boxes = admint_scene_get_text_boxes (scene);
  g_autoptr(GString) json = g_string_new ("{\"boxes\": [");
  g_autofree char *path = admint_render_text_boxes_path (output);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < boxes->len; i++)
    {
      const AdmintTextBox *b = &g_array_index (boxes, AdmintTextBox, i);
      const double v[4] = { b->x / width, b->y / height, b->width / width, b->height / height };
      const char *names[4] = { "x", "y", "width", "height" };

      g_string_append (json, i > 0 ? ", {" : "{");
      for (guint k = 0; k < 4; k++)
        {
          char number[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (json, "%s\"%s\": %s", k > 0 ? ", " : "", names[k],
                                  g_ascii_formatd (number, sizeof number, "%.5f", v[k]));
        }
      g_string_append_c (json, '}');
    }
  g_string_append (json, "]");
  if (captions != NULL)
    {
      g_autofree char *cues = json_to_string (captions, FALSE);
      g_string_append_printf (json, ", \"captions\": %s", cues);
    }
  g_string_append (json, "}\n");
  if (!g_file_set_contents (path, json->str, json->len, &error))
    g_message ("cannot keep the text boxes of %s: %s", output, error->message);
}

/* The job's captions, kept clear of the laid-out scene's texts (in [0, 1] of the frame), and
 * in *NODE as given; NULL (no error) when the job has none. */
static AdmintCaptions *
job_captions (const AdmintRenderJob  *job,
              AdmintScene            *laid_out,
              int                     width,
              int                     height,
              JsonNode              **node,
              GError                **error)
{
  g_autoptr(GArray) boxes = NULL;
  g_autoptr(AdmintCaptions) captions = NULL;
  AdmintBox avoid[ADMINT_CAPTIONS_MAX_AVOID];
  guint n_avoid = 0;
  g_autoptr(GError) parse_error = NULL;

  if (job->captions == NULL || laid_out == NULL)
    return NULL;
  *node = json_from_string (job->captions, &parse_error);
  if (*node == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The captions to draw are not JSON (%s)"),
                   parse_error ? parse_error->message : "empty");
      return NULL;
    }
  captions = admint_captions_new_from_json (*node, error);
  if (captions == NULL)
    return NULL;
  boxes = admint_scene_get_text_boxes (laid_out);
  for (guint i = 0; i < boxes->len && n_avoid < G_N_ELEMENTS (avoid); i++)
    {
      const AdmintTextBox *b = &g_array_index (boxes, AdmintTextBox, i);
      avoid[n_avoid++] = (AdmintBox) { b->x / width, b->y / height, b->width / width,
                                       b->height / height };
    }
  admint_captions_set_avoid (captions, avoid, n_avoid);
  return g_steal_pointer (&captions);
}

static gboolean
render_internal (const AdmintRenderJob  *job,
                 const char             *output,
                 GCancellable           *cancellable,
                 AdmintMediaProgress    *progress,
                 GError                **error)
{
  Scene scene = { 0 };
  g_autoptr(AdmintScene) laid_out = NULL;
  g_autoptr(AdmintCaptions) captions = NULL;
  g_autoptr(JsonNode) captions_node = NULL;
  g_autofree char *temp = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *appsrc = NULL;
  gsize frame_size;
  GstVideoInfo info;
  cairo_surface_t *canvas = NULL;
  gboolean ok = FALSE;
  guint64 frame_ns;

  admint_media_init ();
  if (job->layout != NULL)
    {
      /* A laid-out scene paints itself; the old path below stays for the plain card. */
      if (!scene_check (&scene, job, error) || (laid_out = admint_scene_new (job, error)) == NULL)
        goto out;
    }
  else if (!scene_prepare (&scene, job, error))
    goto out;
  /* The voice-over's captions, drawn into the clip: the ad is encoded once (laid-out scenes
   * only; the sound stage burns them onto any other clip). */
  {
    GError *caption_error = NULL;

    captions = job_captions (job, laid_out, scene.width, scene.height, &captions_node,
                             &caption_error);
    if (caption_error != NULL)
      {
        g_propagate_error (error, caption_error);
        goto out;
      }
  }
  temp = admint_media_temp_path (output, error);
  if (temp == NULL)
    goto out;
  pipeline = build_pipeline (&scene, temp, &appsrc, error);
  if (pipeline == NULL)
    goto out;

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* Each frame is painted into one canvas, then converted into the encoder's own layout. */
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, scene.width, scene.height);
  frame_size = GST_VIDEO_INFO_SIZE (&info);
  canvas = cairo_image_surface_create (CAIRO_FORMAT_RGB24, scene.width, scene.height);
  frame_ns = GST_SECOND / scene.fps;

  for (guint i = 0; i < scene.n_frames; i++)
    {
      GstBuffer *buffer;
      GstMapInfo map;
      cairo_t *cr;

      /* Keep at most a few frames queued: memory stays flat and errors surface quickly. */
      while (gst_app_src_get_current_level_bytes (GST_APP_SRC (appsrc)) > 3 * frame_size)
        {
          g_autoptr(GstMessage) msg = NULL;

          if (admint_media_check_cancelled (cancellable, error))
            goto stop;
          msg = gst_bus_timed_pop_filtered (bus, 2 * GST_MSECOND, GST_MESSAGE_ERROR);
          if (msg != NULL)
            {
              g_autoptr(GError) gst_error = NULL;

              gst_message_parse_error (msg, &gst_error, NULL);
              admint_media_set_gst_error (error, gst_error, NULL);
              goto stop;
            }
        }
      if (admint_media_check_cancelled (cancellable, error) || !bus_ok (bus, error))
        goto stop;

      cr = cairo_create (canvas);
      if (laid_out != NULL)
        admint_scene_paint (laid_out, cr, (i + 0.5) / scene.fps);
      else
        render_frame (&scene, cr, i);
      if (captions != NULL)
        admint_captions_draw (captions, cr, scene.width, scene.height, (double) i / scene.fps);
      cairo_destroy (cr);
      cairo_surface_flush (canvas);

      buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      bgrx_to_i420 (cairo_image_surface_get_data (canvas),
                    cairo_image_surface_get_stride (canvas), scene.width, scene.height, &info,
                    map.data);
      gst_buffer_unmap (buffer, &map);

      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, GST_SECOND, scene.fps);
      GST_BUFFER_DURATION (buffer) = frame_ns;
      if (gst_app_src_push_buffer (GST_APP_SRC (appsrc), buffer) != GST_FLOW_OK)
        break;
      admint_media_progress_report (progress, 0.98 * (i + 1) / scene.n_frames);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));

  ok = admint_media_run_pipeline (pipeline, NULL, cancellable, NULL, NULL, 0, error);
  if (ok)
    ok = admint_media_finish_output (temp, output, error);
  if (ok && laid_out != NULL)
    write_text_boxes (laid_out, scene.width, scene.height, captions ? captions_node : NULL,
                      output);
  if (ok)
    admint_media_progress_report (progress, 1.0);

stop:
  if (pipeline != NULL)
    gst_element_set_state (pipeline, GST_STATE_NULL);
out:
  if (!ok && temp != NULL)
    g_unlink (temp);
  g_clear_pointer (&canvas, cairo_surface_destroy);
  scene_clear (&scene);
  return ok;
}

gboolean
admint_render_clip (const AdmintRenderJob    *job,
                    const char               *output,
                    GCancellable             *cancellable,
                    AdmintMediaProgressFunc   progress,
                    gpointer                  progress_data,
                    GError                  **error)
{
  AdmintMediaProgress p;
  gboolean ok;

  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  admint_media_progress_init (&p, NULL, progress, progress_data);
  ok = render_internal (job, output, cancellable, &p, error);
  admint_media_progress_clear (&p);
  return ok;
}

typedef struct {
  AdmintRenderJob     *job;
  char                *output;
  AdmintMediaProgress  progress;
} RenderTaskData;

static void
render_task_data_free (RenderTaskData *data)
{
  admint_render_job_free (data->job);
  g_free (data->output);
  admint_media_progress_clear (&data->progress);
  g_free (data);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  admint_worker_lower_priority ();
  RenderTaskData *data = task_data;
  GError *error = NULL;

  if (render_internal (data->job, data->output, cancellable, &data->progress, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
admint_render_clip_async (const AdmintRenderJob    *job,
                          const char               *output,
                          GCancellable             *cancellable,
                          AdmintMediaProgressFunc   progress,
                          gpointer                  progress_data,
                          GAsyncReadyCallback       callback,
                          gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderTaskData *data;

  g_return_if_fail (job != NULL);
  g_return_if_fail (output != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_render_clip_async);
  g_task_set_return_on_cancel (task, FALSE);
  data = g_new0 (RenderTaskData, 1);
  data->job = admint_render_job_copy (job);
  data->output = g_strdup (output);
  admint_media_progress_init (&data->progress, g_main_context_ref_thread_default (), progress,
                              progress_data);
  /* progress_init took its own reference. */
  g_main_context_unref (data->progress.context);
  g_task_set_task_data (task, data, (GDestroyNotify) render_task_data_free);
  g_task_run_in_thread (task, render_thread);
}

gboolean
admint_render_clip_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == admint_render_clip_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A title card as a still PNG: the local image provider's reference when there is no photo. */
gboolean
admint_render_title_card (const AdmintRenderJob  *job,
                          const char             *output,
                          GCancellable           *cancellable,
                          GError                **error)
{
  Rgb primary = { 0.07, 0.36, 0.33 }, accent = { 0.96, 0.76, 0.26 };
  int w, h;

  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);

  if (!job_palette (job, &primary, &accent, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  admint_render_job_get_frame_size (job, &w, &h);
  cairo_surface_t *surface = draw_title_card (job, &primary, &accent, w, h);
  g_autofree char *tmp = g_strconcat (output, ".part", NULL);
  cairo_status_t status = cairo_surface_write_to_png (surface, tmp);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (tmp, output) != 0)
    {
      g_unlink (tmp);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("Cannot write the title card %s: %s"),
                   output, status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status)
                                                          : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}
