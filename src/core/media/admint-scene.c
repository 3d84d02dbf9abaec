/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A laid-out scene: moving background, product, kinetic type and transitions, painted per frame. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "admint-error.h"
#include "admint-scene-private.h"
#include "admint-scene.h"

#define SAFE_MARGIN 0.05      /* title-safe: the central 90 % of each side */
#define TRANSITION_S 0.4      /* each side of a transition, inside each clip */
#define TRANSITION_GONE 0.7   /* how far the foreground goes out (or comes in from) */
#define ENTER_S 0.55          /* one word's, line's or box's entrance */
#define MIN_CONTRAST 4.5

/* Colour ------------------------------------------------------------------------------------ */

static gboolean
parse_colour (const char *text,
              Rgb        *rgb)
{
  guint v;

  if (text == NULL || text[0] != '#' || strlen (text) != 7)
    return FALSE;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  v = (guint) g_ascii_strtoull (text + 1, NULL, 16);
  *rgb = (Rgb) { ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0 };
  return TRUE;
}

static double
linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
rel_luminance (const Rgb *c)
{
  return 0.2126 * linear (c->r) + 0.7152 * linear (c->g) + 0.0722 * linear (c->b);
}

double
admint_contrast_ratio (double r1, double g1, double b1,
                       double r2, double g2, double b2)
{
  Rgb a = { r1, g1, b1 }, b = { r2, g2, b2 };
  double la = rel_luminance (&a), lb = rel_luminance (&b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}
static const Rgb ink = { 0.07, 0.07, 0.08 };


/* Motion -------------------------------------------------------------------------------------- */

static double
ease (double t)
{
  t = CLAMP (t, 0.0, 1.0);
  return t < 0.5 ? 4 * t * t * t : 1 - pow (-2 * t + 2, 3) / 2;
}

/* Out-cubic with a little overshoot: an entrance that lands. */
static double
ease_back (double t)
{
  const double c1 = 1.3, c3 = c1 + 1;

  t = CLAMP (t, 0.0, 1.0);
  return 1 + c3 * pow (t - 1, 3) + c1 * pow (t - 1, 2);
}

/* Type ---------------------------------------------------------------------------------------- */

static PangoLayout *
text_layout (cairo_t    *cr,
             const char *text,
             gboolean    bold,
             double      px,
             int         width,
             PangoAlignment align)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (bold ? "Sans Bold"
                                                                                  : "Sans");
  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    pango_layout_set_width (layout, width * PANGO_SCALE);
  /* Words wrap whole: the fit loop below shrinks until the widest word fits. */
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_spacing (layout, (int) (px * 0.08 * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static int
widest_word (cairo_t    *cr,
             const char *text,
             gboolean    bold,
             double      px)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  int widest = 0;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        g_autoptr(PangoLayout) l = text_layout (cr, words[i], bold, px, -1, PANGO_ALIGN_LEFT);
        int w, h;
        pango_layout_get_pixel_size (l, &w, &h);
        widest = MAX (widest, w);
      }
  return widest;
}

/* The largest size ≤ MAX_PX at which TEXT fits W×H with no word broken. */
static double
fit_size (cairo_t    *cr,
          const char *text,
          gboolean    bold,
          double      max_px,
          double      w,
          double      h)
{
  double px = max_px;

  for (; px > 9; px *= 0.92)
    {
      g_autoptr(PangoLayout) l = text_layout (cr, text, bold, px, (int) w, PANGO_ALIGN_LEFT);
      int lw, lh;

      pango_layout_get_pixel_size (l, &lw, &lh);
      if (lh <= h && widest_word (cr, text, bold, px) <= w)
        break;
    }
  return px;
}

/* The worst and best relative luminance behind a rectangle over the whole scene: the drifting
 * background under every position it passes through, lightened by the drifting lights. */
static void
luminance_range (AdmintScene *scene,
                 double       x,
                 double       y,
                 double       w,
                 double       h,
                 double      *lo,
                 double      *hi)
{
  cairo_surface_t *bg = scene->background;
  int bw = cairo_image_surface_get_width (bg), bh = cairo_image_surface_get_height (bg);
  int stride = cairo_image_surface_get_stride (bg);
  const guint8 *data = cairo_image_surface_get_data (bg);
  double mx = bw - scene->width, my = bh - scene->height;

  *lo = 1, *hi = 0;
  cairo_surface_flush (bg);
  for (double sy = y; sy <= y + h + my; sy += MAX (2, (h + my) / 24))
    for (double sx = x; sx <= x + w + mx; sx += MAX (2, (w + mx) / 24))
      {
        int px = CLAMP ((int) sx, 0, bw - 1), py = CLAMP ((int) sy, 0, bh - 1);
        guint32 v = ((const guint32 *) (data + py * stride))[px];
        Rgb c = { ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0 };
        Rgb lit = mix (mix (mix (c, scene->accent, 0.34), white, 0.13),
                       mix (scene->accent, white, 0.5), MOTE_ALPHA);
        double l = rel_luminance (&c), ll = rel_luminance (&lit);

        *lo = MIN (*lo, MIN (l, ll));
        *hi = MAX (*hi, MAX (l, ll));
      }
}

/* Chooses the text colour with the best worst-case contrast; when even that is below 4.5:1,
 * a plate of the brand colour, darkened or lightened until it reaches it. */
static void
choose_colours (AdmintScene   *scene,
                AdmintTextBox *box,
                gboolean       button,
                Rgb           *fg,
                Rgb           *plate)
{
  double lo, hi, on_white, on_ink;
  double l_white = 1.0, l_ink = rel_luminance (&ink);

  if (button)
    lo = hi = rel_luminance (&scene->accent);
  else
    luminance_range (scene, box->x, box->y, box->width, box->height, &lo, &hi);
  on_white = (l_white + 0.05) / (MAX (lo, hi) + 0.05);
  on_ink = (lo + 0.05) / (l_ink + 0.05);
  *fg = on_white >= on_ink ? white : ink;
  box->contrast = MAX (on_white, on_ink);
  box->plated = button || box->contrast < MIN_CONTRAST;
  if (!box->plated)
    return;

  *plate = button ? scene->accent : scene->primary;
  for (int i = 0; i < 40; i++)
    {
      box->contrast = admint_contrast_ratio (fg->r, fg->g, fg->b, plate->r, plate->g, plate->b);
      if (box->contrast >= MIN_CONTRAST + 0.05)
        break;
      *plate = mix (*plate, fg->r > 0.5 ? black : white, 0.08);
    }
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
text_clear (Text *text)
{
  g_clear_pointer (&text->surface, cairo_surface_destroy);
  g_clear_pointer (&text->pieces, g_array_unref);
  g_clear_pointer (&text->starts, g_array_unref);
  g_clear_pointer (&text->prefix, g_free);
  g_clear_pointer (&text->suffix, g_free);
}

/* Splits "24 h" into 24 and " h", "$19.99" into "$", 19.99; FALSE when there is no number. */
static gboolean
parse_figure (const char *figure,
              Text       *text)
{
  const char *p = figure;
  char *end;

  while (*p != '\0' && !g_ascii_isdigit (*p))
    p++;
  if (*p == '\0')
    return FALSE;
  text->value = g_ascii_strtod (p, &end);
  text->decimals = 0;
  for (const char *q = strchr (p, '.'); q != NULL && q < end && g_ascii_isdigit (q[1]); q++)
    text->decimals += q > strchr (p, '.') ? 1 : 0;
  text->prefix = g_strndup (figure, p - figure);
  text->suffix = g_strdup (end);
  return TRUE;
}

/* The pieces that enter one by one: words, lines or the whole box. */
static void
collect_pieces (AdmintScene *scene,
                Text        *text,
                PangoLayout *layout,
                double       ox,
                double       oy,
                gboolean     by_word,
                gboolean     by_line,
                GArray      *paras)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  const char *s = pango_layout_get_text (layout);

  do
    {
      PangoRectangle ink, logical;

      if (by_word)
        {
          PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
          if (run == NULL)
            continue;
          /* Each word of the run: its own rectangle from the cluster positions. */
          int start = run->item->offset, end = run->item->offset + run->item->length;
          for (int i = start; i < end;)
            {
              int j = i;
              PangoRectangle a, b;

              while (j < end && s[j] != ' ')
                j++;
              if (j > i)
                {
                  cairo_rectangle_t r;
                  int x0, x1;

                  pango_layout_index_to_pos (layout, i, &a);
                  pango_layout_index_to_pos (layout, g_utf8_prev_char (s + j) - s, &b);
                  x0 = MIN (a.x, b.x), x1 = MAX (a.x, b.x) + MAX (b.width, 0);
                  r = (cairo_rectangle_t) { ox + x0 / PANGO_SCALE - 2, oy + a.y / PANGO_SCALE,
                                            (x1 - x0) / PANGO_SCALE + 4,
                                            a.height / PANGO_SCALE };
                  g_array_append_val (text->pieces, r);
                }
              i = j + 1;
            }
          continue;
        }
      if (by_line)
        {
          cairo_rectangle_t r;
          guint para = 0;
          int index = pango_layout_iter_get_index (iter);

          pango_layout_iter_get_line_extents (iter, &ink, &logical);
          r = (cairo_rectangle_t) { 0, oy + logical.y / PANGO_SCALE,
                                    cairo_image_surface_get_width (text->surface),
                                    logical.height / PANGO_SCALE };
          g_array_append_val (text->pieces, r);
          /* Which of the text's own lines this one is part of (a long one wraps). */
          for (int k = 0; k < index && s[k] != '\0'; k++)
            para += s[k] == '\n';
          g_array_append_val (paras, para);
        }
    }
  while (by_word ? pango_layout_iter_next_run (iter) : by_line && pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  (void) scene;
}

/* Whether BOX meets another text slot that this scene fills. */
static gboolean
box_meets_text (AdmintScene           *scene,
                const AdmintLayoutBox *box,
                AdmintSlot             slot)
{
  for (int other = 0; other < ADMINT_N_TEXT_SLOTS; other++)
    {
      /* A text laid out already holds the room it took. */
      const AdmintLayoutBox *o = scene->laid[other].set ? &scene->laid[other]
                                                        : &scene->layout->boxes[scene->shape][other];

      if (other != (int) slot && o->set && (scene->filled & (1u << other)) &&
          box->x < o->x + o->w && o->x < box->x + box->w &&
          box->y < o->y + o->h && o->y < box->y + box->h)
        return TRUE;
    }
  return FALSE;
}

/* Without a product photo, a text box takes over the product's room when it can: the whole
 * union, else its width, else its height, as long as it meets no other text. So does the
 * headline over the room of a missing logo (an end card without one). */
static AdmintLayoutBox
effective_box (AdmintScene *scene,
               AdmintSlot   slot)
{
  AdmintLayoutBox b = scene->layout->boxes[scene->shape][slot];
  const AdmintLayoutBox *p = &scene->layout->boxes[scene->shape][ADMINT_SLOT_PRODUCT];
  const AdmintLayoutBox *logo = &scene->layout->boxes[scene->shape][ADMINT_SLOT_LOGO];
  AdmintLayoutBox tries[3];

  if (slot == ADMINT_SLOT_HEADLINE && scene->logo == NULL && logo->set && !p->set)
    p = logo;
  else if (scene->product != NULL || !p->set || slot == ADMINT_SLOT_CTA ||
           slot == ADMINT_SLOT_BADGE)
    return b;
  tries[0].x = MIN (b.x, p->x), tries[0].y = MIN (b.y, p->y);
  tries[0].w = MAX (b.x + b.w, p->x + p->w) - tries[0].x;
  tries[0].h = MAX (b.y + b.h, p->y + p->h) - tries[0].y;
  tries[1] = (AdmintLayoutBox) { tries[0].x, b.y, tries[0].w, b.h, TRUE };
  tries[2] = (AdmintLayoutBox) { b.x, tries[0].y, b.w, tries[0].h, TRUE };
  for (int i = 0; i < 3; i++)
    {
      tries[i].set = TRUE;
      if (!box_meets_text (scene, &tries[i], slot))
        return tries[i];
    }
  return b;
}

/* The offer badge stands apart from the call-to-action button: the brand's main colour,
 * darkened or lightened until its text reaches 4.5:1. */
static void
badge_colours (AdmintScene   *scene,
               AdmintTextBox *box,
               Rgb           *fg,
               Rgb           *plate)
{
  *plate = scene->primary;
  *fg = rel_luminance (plate) > 0.25 ? ink : white;
  for (int i = 0; i < 40; i++)
    {
      box->contrast = admint_contrast_ratio (fg->r, fg->g, fg->b, plate->r, plate->g, plate->b);
      if (box->contrast >= MIN_CONTRAST + 0.05)
        break;
      *plate = mix (*plate, fg->r > 0.5 ? black : white, 0.08);
    }
}

/* The slot's font size as a fraction of the short side: a tall frame's own where the layout
 * gives one. */
static double
slot_size (AdmintScene *scene,
           AdmintSlot   slot)
{
  if (scene->shape == ADMINT_LAYOUT_TALL && scene->layout->size_tall[slot] > 0)
    return scene->layout->size_tall[slot];
  return scene->layout->size[slot];
}

/* Lays out one slot's text inside its box, picks its colours, draws it and its pieces. */
static void
add_text (AdmintScene           *scene,
          const AdmintRenderJob *job,
          AdmintSlot             slot,
          const char            *content,
          double                 start,
          double                 step)
{
  AdmintLayoutBox eb = effective_box (scene, slot);
  const AdmintLayoutBox *b = &eb;
  double bx = scene->sx + b->x * scene->sw, by = scene->sy + b->y * scene->sh;
  double bw = b->w * scene->sw, bh = b->h * scene->sh;
  int short_side = MIN (scene->width, scene->height);
  gboolean bold = slot != ADMINT_SLOT_LINES && slot != ADMINT_SLOT_HANDLE;
  /* Text that took over the product's room may grow with it. */
  double grow = b->w * b->h > scene->layout->boxes[scene->shape][slot].w *
                                scene->layout->boxes[scene->shape][slot].h * 1.5 ? 1.35 : 1.0;
  /* The call to action and the offer badge are buttons: always on a plate. */
  gboolean button = slot == ADMINT_SLOT_CTA || slot == ADMINT_SLOT_BADGE;
  double pad = 0, px;
  cairo_surface_t *probe = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (probe);
  g_autoptr(PangoLayout) layout = NULL;
  PangoAlignment align;
  int lw, lh;
  Rgb fg, plate = { 0 };
  Text text = { 0 };
  GArray *paras;

  scene->laid[slot] = eb;
  /* Left-aligned beside a product, centred when the box spans the middle of the frame. */
  align = b->x < 0.02 && b->w < 0.8 && scene->shape != ADMINT_LAYOUT_TALL ? PANGO_ALIGN_LEFT
                                                                          : PANGO_ALIGN_CENTER;
  /* Room for a plate's padding is kept inside the box, so a plate never leaves it. */
  pad = short_side * (button ? 0.03 : 0.018);
  px = fit_size (cr, content, bold, grow * slot_size (scene, slot) * short_side, bw - 2 * pad,
                 bh - 2 * pad);
  layout = text_layout (cr, content, bold, px, (int) (bw - 2 * pad), align);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  if (align == PANGO_ALIGN_CENTER || button)
    {
      /* Shrink-wrap the layout so the plate hugs the text. */
      PangoRectangle logical;
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      lw = logical.width;
    }
  text.box.slot = slot;
  text.box.font_px = px;
  text.box.width = MIN (bw, lw + 2 * pad);
  text.box.height = lh + 2 * pad;
  text.box.x = align == PANGO_ALIGN_LEFT ? bx : bx + (bw - text.box.width) / 2;
  text.box.y = by + (bh - text.box.height) / 2;
  choose_colours (scene, &text.box, button, &fg, &plate);
  if (slot == ADMINT_SLOT_BADGE)
    badge_colours (scene, &text.box, &fg, &plate);
  cairo_destroy (cr);
  cairo_surface_destroy (probe);

  text.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (text.box.width),
                                             (int) ceil (text.box.height));
  cr = cairo_create (text.surface);
  if (text.box.plated)
    {
      rounded_rect (cr, 0, 0, text.box.width, text.box.height, button ? text.box.height / 2
                                                                         : pad * 1.2);
      cairo_set_source_rgba (cr, plate.r, plate.g, plate.b, 1.0);
      cairo_fill (cr);
    }
  /* A pixel of slack: the shrink-wrapped width must not re-wrap the last word. */
  pango_layout_set_width (layout, ((int) ceil (text.box.width - 2 * pad) + 2) * PANGO_SCALE);
  text.fg = fg;
  text.font_px = px;
  text.align_x = pad;
  if (slot == ADMINT_SLOT_FIGURE && parse_figure (content, &text))
    {
      /* Drawn per frame as it counts; the plate (if any) stays in the surface. */
    }
  else
    {
      cairo_set_source_rgb (cr, fg.r, fg.g, fg.b);
      cairo_move_to (cr, pad, pad);
      pango_cairo_show_layout (cr, layout);
    }

  text.pieces = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  text.starts = g_array_new (FALSE, FALSE, sizeof (double));
  paras = g_array_new (FALSE, FALSE, sizeof (guint));
  collect_pieces (scene, &text, layout, pad, pad,
                  scene->layout->enter == ADMINT_LAYOUT_ENTER_WORDS && !text.box.plated &&
                  slot == ADMINT_SLOT_HEADLINE,
                  scene->layout->enter == ADMINT_LAYOUT_ENTER_LINES || slot == ADMINT_SLOT_LINES,
                  paras);
  if (paras->len > 1)
    {
      /* The first and last lines take the box's padding with them (a plate's round ends). */
      cairo_rectangle_t *a = &g_array_index (text.pieces, cairo_rectangle_t, 0);
      cairo_rectangle_t *z = &g_array_index (text.pieces, cairo_rectangle_t,
                                             text.pieces->len - 1);
      a->height += a->y, a->y = 0;
      z->height = text.box.height - z->y;
    }
  if (text.pieces->len == 0 || (text.box.plated && step <= 0))
    {
      cairo_rectangle_t all = { 0, 0, text.box.width, text.box.height };
      g_array_set_size (text.pieces, 0);
      g_array_set_size (paras, 0);
      g_array_append_val (text.pieces, all);
    }
  for (guint i = 0; i < text.pieces->len; i++)
    {
      /* Words follow one another quickly; lines given a STEP arrive on their own beats, a
       * wrapped line with the rest of itself. */
      double at = step > 0 && i < paras->len
                  ? start + g_array_index (paras, guint, i) * step
                  : start + i * (step > 0 ? step
                                          : MIN (0.22, (scene->duration * 0.35) /
                                                       text.pieces->len));

      /* The voice-over's word timings, when given, set the headline's word entrances. */
      if (slot == ADMINT_SLOT_HEADLINE && job->word_times != NULL && i < job->word_times->len)
        at = CLAMP (g_array_index (job->word_times, double, i), 0, scene->duration - ENTER_S);
      g_array_append_val (text.starts, at);
    }
  g_array_unref (paras);
  cairo_destroy (cr);
  g_array_append_val (scene->texts, text);
}

/* Pictures ------------------------------------------------------------------------------------ */

static gboolean
load_product (AdmintScene  *scene,
              const char   *path,
              GError      **error)
{
  const AdmintLayoutBox *b = &scene->layout->boxes[scene->shape][ADMINT_SLOT_PRODUCT];
  g_autoptr(GError) local = NULL;
  g_autoptr(GdkPixbuf) raw = gdk_pixbuf_new_from_file (path, &local);
  g_autoptr(GdkPixbuf) photo = NULL;
  cairo_surface_t *cut;
  gboolean cut_out;
  double bw = b->w * scene->sw, bh = b->h * scene->sh, k, pw, ph, margin;
  cairo_t *cr;

  if (raw == NULL)
    {
      g_set_error (error, ADMINT_ERROR, g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                                          ? ADMINT_ERROR_NOT_FOUND : ADMINT_ERROR_INVALID_INPUT,
                   _("The image %s cannot be read (%s). Use a PNG, JPEG or WebP picture"),
                   path, local->message);
      return FALSE;
    }
  photo = gdk_pixbuf_apply_embedded_orientation (raw);
  cut = admint_product_cutout (photo, 900, &cut_out);
  /* Fit inside the box, leaving room for the shadow and the parallax. */
  margin = MIN (bw, bh) * 0.08;
  k = MIN ((bw - 2 * margin) / cairo_image_surface_get_width (cut),
           (bh - 2 * margin) / cairo_image_surface_get_height (cut));
  pw = cairo_image_surface_get_width (cut) * k, ph = cairo_image_surface_get_height (cut) * k;

  scene->product = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (bw),
                                               (int) ceil (bh));
  cr = cairo_create (scene->product);
  {
    double x = (bw - pw) / 2, y = (bh - ph) / 2, r = MIN (pw, ph) * 0.06;

    /* A soft shadow: a few offset, fading copies of the silhouette (or the card). */
    for (int i = 4; i >= 1; i--)
      {
        cairo_save (cr);
        if (cut_out)
          {
            cairo_translate (cr, x + i * margin * 0.08, y + i * margin * 0.12);
            cairo_scale (cr, k, k);
            cairo_set_source_rgba (cr, 0, 0, 0, 0.07);
            cairo_mask_surface (cr, cut, 0, 0);
          }
        else
          {
            rounded_rect (cr, x + i * margin * 0.08, y + i * margin * 0.12, pw, ph, r);
            cairo_set_source_rgba (cr, 0, 0, 0, 0.08);
            cairo_fill (cr);
          }
        cairo_restore (cr);
      }
    cairo_save (cr);
    if (!cut_out)
      {
        rounded_rect (cr, x, y, pw, ph, r);
        cairo_clip (cr);
      }
    cairo_translate (cr, x, y);
    cairo_scale (cr, k, k);
    cairo_set_source_surface (cr, cut, 0, 0);
    cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
    cairo_paint (cr);
    cairo_restore (cr);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (cut);
  scene->product_x = scene->sx + b->x * scene->sw;
  scene->product_y = scene->sy + b->y * scene->sh;
  return TRUE;
}

/* The logo: the end card's centre, elsewhere a bug in the top-right margin (outside the
 * title-safe area, where no text goes). */
static gboolean
load_logo (AdmintScene  *scene,
           const char   *path,
           GError      **error)
{
  const AdmintLayoutBox *b = &scene->layout->boxes[scene->shape][ADMINT_SLOT_LOGO];
  g_autoptr(GError) local = NULL;
  double margin = MIN (scene->sx, scene->sy);
  int max_w = b->set ? (int) (b->w * scene->sw) : (int) (scene->width * 0.2);
  int max_h = b->set ? (int) (b->h * scene->sh) : (int) (margin * 0.7);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_size (path, max_w, max_h, &local);
  int w, h, stride;
  guint8 *dst;

  if (pixbuf == NULL)
    {
      g_set_error (error, ADMINT_ERROR, g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                                          ? ADMINT_ERROR_NOT_FOUND : ADMINT_ERROR_INVALID_INPUT,
                   _("The logo %s cannot be read (%s). Use a PNG (with transparency), JPEG or "
                   "SVG file"), path, local->message);
      return FALSE;
    }
  w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);
  scene->logo = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_flush (scene->logo);
  dst = cairo_image_surface_get_data (scene->logo);
  stride = cairo_image_surface_get_stride (scene->logo);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *s = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                          x * gdk_pixbuf_get_n_channels (pixbuf);
        guint a = gdk_pixbuf_get_n_channels (pixbuf) == 4 ? s[3] : 255;
        ((guint32 *) (dst + y * stride))[x] = (a << 24) | ((s[0] * a / 255) << 16) |
                                              ((s[1] * a / 255) << 8) | (s[2] * a / 255);
      }
  cairo_surface_mark_dirty (scene->logo);
  if (b->set)
    {
      scene->logo_x = scene->sx + b->x * scene->sw + (b->w * scene->sw - w) / 2;
      scene->logo_y = scene->sy + b->y * scene->sh + (b->h * scene->sh - h) / 2;
    }
  else
    {
      /* Clear of the frame's edge too (the scorer looks for detail touching it). */
      scene->logo_x = scene->width - scene->sx - w;
      scene->logo_y = margin * 0.25;
    }
  return TRUE;
}

/* The scene ------------------------------------------------------------------------------------ */

static AdmintTransition
transition_from_string (const char *text)
{
  for (int t = ADMINT_TRANSITION_CUT; t <= ADMINT_TRANSITION_ZOOM; t++)
    if (g_strcmp0 (text, admint_transition_to_string (t)) == 0)
      return t;
  return ADMINT_TRANSITION_CROSSFADE;
}

static guint
filled_slots (const AdmintRenderJob *job)
{
  guint mask = 0;

  if ((job->text && *job->text) || (job->product_name && *job->product_name))
    mask |= 1u << ADMINT_SLOT_HEADLINE;
  if (job->lines && job->lines[0])
    mask |= 1u << ADMINT_SLOT_LINES;
  if (job->figure && *job->figure)
    mask |= 1u << ADMINT_SLOT_FIGURE;
  if (job->cta && *job->cta)
    mask |= 1u << ADMINT_SLOT_CTA;
  if (job->handle && *job->handle)
    mask |= 1u << ADMINT_SLOT_HANDLE;
  if (job->offer && *job->offer)
    mask |= 1u << ADMINT_SLOT_BADGE;
  return mask;
}

/* When the text after the headline arrives: every line, button, address and badge on its own
 * beat, spread over the scene so that something new appears every two or three seconds and no
 * text sits frozen (the headline's words come first, quickly). N later pieces from FIRST. */
static double
reveal_gap (AdmintScene *scene,
            double       start,
            guint        n)
{
  double end = scene->duration - TRANSITION_S;

  /* Even beats between the headline and the cut, none longer than 2.6 s. */
  return CLAMP ((end - start) / (n + 1), 0.6, 2.6);
}

static void
add_texts (AdmintScene           *scene,
           const AdmintRenderJob *job)
{
  const AdmintLayoutBox *boxes = scene->layout->boxes[scene->shape];
  const char *headline = job->text && *job->text ? job->text : job->product_name;
  /* The words start while the foreground comes in, so no frame between scenes is empty. */
  double start = scene->in == ADMINT_TRANSITION_CUT ? -0.2 : TRANSITION_S * 0.4;
  gboolean has_lines = boxes[ADMINT_SLOT_LINES].set && job->lines && job->lines[0];
  gboolean has_cta = boxes[ADMINT_SLOT_CTA].set && job->cta && *job->cta;
  gboolean has_handle = boxes[ADMINT_SLOT_HANDLE].set && job->handle && *job->handle;
  gboolean has_badge = boxes[ADMINT_SLOT_BADGE].set && job->offer && *job->offer;
  guint later = (has_lines ? g_strv_length (job->lines) : 0) + has_cta + has_handle + has_badge;
  double gap, at;

  if (boxes[ADMINT_SLOT_FIGURE].set && job->figure && *job->figure)
    add_text (scene, job, ADMINT_SLOT_FIGURE, job->figure, start, 0), start += 0.3;
  if (boxes[ADMINT_SLOT_HEADLINE].set && headline && *headline)
    add_text (scene, job, ADMINT_SLOT_HEADLINE, headline, start, 0), start += 0.45;
  /* The later pieces on even beats after the headline, until the cut. */
  gap = reveal_gap (scene, start, later);
  at = start + gap;
  if (has_lines)
    {
      g_autofree char *joined = g_strjoinv ("\n", job->lines);
      add_text (scene, job, ADMINT_SLOT_LINES, joined, at, gap);
      at += gap * g_strv_length (job->lines);
    }
  if (has_cta)
    add_text (scene, job, ADMINT_SLOT_CTA, job->cta, at, 0), at += gap;
  if (has_handle)
    add_text (scene, job, ADMINT_SLOT_HANDLE, job->handle, at, 0), at += gap;
  if (has_badge)
    add_text (scene, job, ADMINT_SLOT_BADGE, job->offer, at, 0);
}

AdmintScene *
admint_scene_new (const AdmintRenderJob  *job,
                  GError                **error)
{
  g_autoptr(AdmintScene) scene = g_new0 (AdmintScene, 1);
  AdmintLayoutSet *set = admint_layout_set_get_default ();

  g_return_val_if_fail (job != NULL, NULL);

  scene->layout = admint_layout_set_lookup (set, job->layout);
  if (scene->layout == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The scene asks for the layout “%s”, which does not exist. Use one of the "
                   "layouts in data/layouts or $XDG_CONFIG_HOME/admint/layouts"), job->layout);
      return NULL;
    }
  admint_render_job_get_frame_size (job, &scene->width, &scene->height);
  scene->duration = job->duration;
  scene->shape = job->aspect == ADMINT_ASPECT_9_16 ? ADMINT_LAYOUT_TALL
                 : job->aspect == ADMINT_ASPECT_1_1 ? ADMINT_LAYOUT_SQUARE : ADMINT_LAYOUT_WIDE;
  scene->sx = scene->width * SAFE_MARGIN, scene->sy = scene->height * SAFE_MARGIN;
  scene->sw = scene->width - 2 * scene->sx, scene->sh = scene->height - 2 * scene->sy;
  scene->primary = (Rgb) { 0.07, 0.36, 0.33 };
  scene->accent = (Rgb) { 0.96, 0.76, 0.26 };
  for (guint i = 0; job->palette != NULL && job->palette[i] != NULL && i < 2; i++)
    if (!parse_colour (job->palette[i], i == 0 ? &scene->primary : &scene->accent))
      {
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                     _("The brand colour “%s” is not a hex colour. Write colours as #rrggbb"),
                     job->palette[i]);
        return NULL;
      }
  /* The first scene has nothing before it to come in from. */
  scene->in = job->transition_in ? transition_from_string (job->transition_in)
                                 : ADMINT_TRANSITION_CUT;
  scene->out = scene->layout->transition;
  scene->texts = g_array_new (FALSE, TRUE, sizeof (Text));
  g_array_set_clear_func (scene->texts, (GDestroyNotify) text_clear);

  /* The studio sweep is for showing the product (or the logo on the end card): without them
   * the scene gets the moving background and its setting, never a flat empty sweep. */
  scene->bg = scene->layout->background;
  if (scene->bg == ADMINT_LAYOUT_BG_STUDIO &&
      !(job->product && *job->product && scene->layout->product != ADMINT_LAYOUT_PRODUCT_NONE) &&
      !(job->logo && *job->logo &&
        scene->layout->boxes[scene->shape][ADMINT_SLOT_LOGO].set))
    scene->bg = ADMINT_LAYOUT_BG_DRIFT;
  scene->background = admint_scene_draw_background (scene, job);
  scene->blob_colour = scene->bg == ADMINT_LAYOUT_BG_STUDIO ? white : scene->accent;
  scene->mote_colour = mix (scene->accent, white, 0.5);
  /* Each scene, and each rewrite of it, its own pattern; the same job, the same frames. */
  scene->seed = g_str_hash (scene->layout->name) ^
                (job->description ? g_str_hash (job->description) : 0) ^
                (job->variant * 2654435761u);
  admint_scene_prepare_lights (scene);
  scene->mirror = job->variant % 2 == 1;
  if (job->product && *job->product && scene->layout->product != ADMINT_LAYOUT_PRODUCT_NONE &&
      !load_product (scene, job->product, error))
    return NULL;
  if (job->logo && *job->logo && !load_logo (scene, job->logo, error))
    return NULL;
  scene->filled = filled_slots (job);
  add_texts (scene, job);
  return g_steal_pointer (&scene);
}

void
admint_scene_free (AdmintScene *scene)
{
  if (scene == NULL)
    return;
  g_clear_pointer (&scene->background, cairo_surface_destroy);
  admint_scene_clear_lights (scene);
  g_clear_pointer (&scene->product, cairo_surface_destroy);
  g_clear_pointer (&scene->logo, cairo_surface_destroy);
  g_clear_pointer (&scene->scratch, cairo_surface_destroy);
  g_clear_pointer (&scene->texts, g_array_unref);
  g_free (scene);
}

GArray *
admint_scene_get_text_boxes (AdmintScene *scene)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (AdmintTextBox));

  g_return_val_if_fail (scene != NULL, boxes);
  for (guint i = 0; i < scene->texts->len; i++)
    g_array_append_val (boxes, g_array_index (scene->texts, Text, i).box);
  return boxes;
}

void
admint_scene_get_safe_area (AdmintScene *scene,
                            double      *x,
                            double      *y,
                            double      *width,
                            double      *height)
{
  g_return_if_fail (scene != NULL);
  *x = scene->sx, *y = scene->sy, *width = scene->sw, *height = scene->sh;
}

gboolean
admint_scene_has_product (AdmintScene *scene)
{
  g_return_val_if_fail (scene != NULL, FALSE);
  return scene->product != NULL;
}

AdmintLayoutBackground
admint_scene_get_background (AdmintScene *scene)
{
  g_return_val_if_fail (scene != NULL, ADMINT_LAYOUT_BG_DRIFT);
  return scene->bg;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

GArray *
admint_scene_get_reveal_times (AdmintScene *scene)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_val_if_fail (scene != NULL, times);
  for (guint i = 0; i < scene->texts->len; i++)
    {
      Text *text = &g_array_index (scene->texts, Text, i);
      g_array_append_vals (times, text->starts->data, text->starts->len);
    }
  g_array_sort (times, compare_doubles);
  return times;
}

static void
paint_product (AdmintScene *scene,
               cairo_t     *cr,
               double       t)
{
  double u = t / scene->duration;
  int pw = cairo_image_surface_get_width (scene->product);
  int ph = cairo_image_surface_get_height (scene->product);
  /* Slow parallax against the background's drift, and a slight push in. */
  double dx = (0.5 - u) * MIN (scene->width, scene->height) * 0.03;
  double z = 1.0 + 0.04 * ease (u);
  double enter = ease_back ((t + 0.15) / 0.7);

  cairo_save (cr);
  cairo_translate (cr, scene->product_x + pw / 2.0 + dx,
                   scene->product_y + ph / 2.0 + (1 - enter) * ph * 0.08);
  cairo_scale (cr, z, z);
  cairo_set_source_surface (cr, scene->product, -pw / 2.0, -ph / 2.0);
  cairo_paint_with_alpha (cr, CLAMP (enter * 1.5, 0, 1));
  cairo_restore (cr);
}

static void
paint_figure (AdmintScene *scene,
              Text        *text,
              cairo_t     *cr,
              double       t,
              double       start)
{
  double k = ease ((t - start) / MAX (0.8, scene->duration * 0.45));
  g_autofree char *number = g_strdup_printf ("%s%.*f%s", text->prefix, text->decimals,
                                             text->value * k, text->suffix);
  g_autoptr(PangoLayout) layout = text_layout (cr, number, TRUE, text->font_px,
                                               (int) (text->box.width - 2 * text->align_x),
                                               PANGO_ALIGN_CENTER);

  cairo_set_source_rgb (cr, text->fg.r, text->fg.g, text->fg.b);
  cairo_move_to (cr, text->box.x + text->align_x, text->box.y + text->align_x);
  pango_cairo_show_layout (cr, layout);
}

static void
paint_texts (AdmintScene *scene,
             cairo_t     *cr,
             double       t)
{
  double lift = MIN (scene->width, scene->height) * 0.04;

  for (guint i = 0; i < scene->texts->len; i++)
    {
      Text *text = &g_array_index (scene->texts, Text, i);

      for (guint p = 0; p < text->pieces->len; p++)
        {
          cairo_rectangle_t *r = &g_array_index (text->pieces, cairo_rectangle_t, p);
          double e = (t - g_array_index (text->starts, double, p)) / ENTER_S;

          if (e <= 0)
            continue;
          cairo_save (cr);
          cairo_translate (cr, text->box.x, text->box.y + (1 - ease_back (e)) * lift);
          cairo_rectangle (cr, r->x, r->y, r->width, r->height);
          cairo_clip (cr);
          cairo_set_source_surface (cr, text->surface, 0, 0);
          cairo_paint_with_alpha (cr, CLAMP (e * 1.6, 0, 1));
          cairo_restore (cr);
        }
      if (text->prefix != NULL && t > g_array_index (text->starts, double, 0))
        paint_figure (scene, text, cr, t, g_array_index (text->starts, double, 0));
    }
}

static void
paint_logo (AdmintScene *scene,
            cairo_t     *cr)
{
  if (scene->logo != NULL)
    {
      cairo_set_source_surface (cr, scene->logo, scene->logo_x, scene->logo_y);
      cairo_paint (cr);
    }
}

/* The product and the words: what a transition moves. */
static void
paint_foreground (AdmintScene *scene,
                  cairo_t     *cr,
                  double       t)
{
  if (scene->product != NULL)
    paint_product (scene, cr, t);
  paint_texts (scene, cr, t);
}

/* K: 0 = the scene fully shown, 1 = fully gone (OUTGOING) or not yet arrived. The background
 * and the logo stay: only the foreground moves, so no frame dips to a blank colour and the
 * scene's first frame is already its own picture. */
static void
paint_transition (AdmintScene      *scene,
                  cairo_t          *cr,
                  double            t,
                  AdmintTransition  kind,
                  double            k,
                  gboolean          outgoing)
{
  cairo_t *scr;

  if (scene->scratch == NULL)
    scene->scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, scene->width,
                                                 scene->height);
  scr = cairo_create (scene->scratch);
  cairo_set_operator (scr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (scr);
  cairo_set_operator (scr, CAIRO_OPERATOR_OVER);
  paint_foreground (scene, scr, t);
  cairo_destroy (scr);

  admint_scene_paint_background (scene, cr, t);
  cairo_save (cr);
  switch (kind)
    {
    case ADMINT_TRANSITION_PUSH:
      /* Out to the left; the next scene comes in from the right. */
      cairo_translate (cr, (outgoing ? -k : k) * scene->width, 0);
      cairo_set_source_surface (cr, scene->scratch, 0, 0);
      cairo_paint (cr);
      break;
    case ADMINT_TRANSITION_ZOOM:
      {
        double z = outgoing ? 1 + 0.6 * k : 1 - 0.25 * k;
        cairo_translate (cr, scene->width / 2.0, scene->height / 2.0);
        cairo_scale (cr, z, z);
        cairo_translate (cr, -scene->width / 2.0, -scene->height / 2.0);
        cairo_set_source_surface (cr, scene->scratch, 0, 0);
        cairo_paint_with_alpha (cr, 1 - k);
        break;
      }
    case ADMINT_TRANSITION_CROSSFADE:
    case ADMINT_TRANSITION_CUT:
    default:
      cairo_set_source_surface (cr, scene->scratch, 0, 0);
      cairo_paint_with_alpha (cr, 1 - k);
      break;
    }
  cairo_restore (cr);
  paint_logo (scene, cr);
}

void
admint_scene_paint (AdmintScene *scene,
                    cairo_t     *cr,
                    double       t)
{
  double d = scene->duration, half = MIN (TRANSITION_S, d / 4);

  g_return_if_fail (scene != NULL && cr != NULL);

  /* The foreground never leaves completely (at most TRANSITION_GONE of the way): at the cut
   * between two clips something of each scene is still on screen, so no frame is empty. */
  if (scene->in != ADMINT_TRANSITION_CUT && t < half)
    paint_transition (scene, cr, t, scene->in, TRANSITION_GONE * (1 - ease (t / half)), FALSE);
  else if (scene->out != ADMINT_TRANSITION_CUT && t > d - half)
    paint_transition (scene, cr, t, scene->out,
                      TRANSITION_GONE * ease ((t - (d - half)) / half), TRUE);
  else
    {
      admint_scene_paint_background (scene, cr, t);
      paint_foreground (scene, cr, t);
      paint_logo (scene, cr);
    }
}
