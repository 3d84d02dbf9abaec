/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Caption cues from word timings, their Pango layout in the safe area, drawing, SRT and VTT. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "admint-captions.h"
#include "admint-error.h"

#define HOLD_SECONDS 0.4      /* a cue stays up this long after its last word */
#define PAUSE_SECONDS 0.6     /* a pause this long between words starts a new cue */
#define FONT_FAMILY "DejaVu Sans, Cantarell, Sans"

typedef struct {
  int       width, height;
  AdmintBox box;
  double    font_px;
  gboolean  clear;
} CueLayout;

struct _AdmintCaptions
{
  GArray *cues;      /* AdmintCaptionCue */
  GArray *layouts;   /* CueLayout, the last one computed for each cue */
};

gboolean
admint_box_intersects (const AdmintBox *a,
                       const AdmintBox *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->width <= 0 || a->height <= 0 || b->width <= 0 || b->height <= 0)
    return FALSE;
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

static void
cue_clear (gpointer data)
{
  AdmintCaptionCue *cue = data;

  g_free (cue->lines[0]);
  g_free (cue->lines[1]);
  g_clear_pointer (&cue->words, g_array_unref);
}

static void
word_clear (gpointer data)
{
  g_free (((AdmintWord *) data)->text);
}

AdmintCaptions *
admint_captions_new (void)
{
  AdmintCaptions *captions = g_new0 (AdmintCaptions, 1);

  captions->cues = g_array_new (FALSE, TRUE, sizeof (AdmintCaptionCue));
  g_array_set_clear_func (captions->cues, cue_clear);
  captions->layouts = g_array_new (FALSE, TRUE, sizeof (CueLayout));
  return captions;
}

void
admint_captions_free (AdmintCaptions *captions)
{
  if (captions == NULL)
    return;
  g_array_unref (captions->cues);
  g_array_unref (captions->layouts);
  g_free (captions);
}

static AdmintCaptionCue *
cue_open (AdmintCaptions  *captions,
          const AdmintBox *avoid,
          guint            n_avoid)
{
  AdmintCaptionCue cue = { 0 };
  CueLayout layout = { 0 };

  cue.words = g_array_new (FALSE, TRUE, sizeof (AdmintWord));
  g_array_set_clear_func (cue.words, word_clear);
  for (guint i = 0; avoid != NULL && i < n_avoid && cue.n_avoid < ADMINT_CAPTIONS_MAX_AVOID; i++)
    if (avoid[i].width > 0 && avoid[i].height > 0)
      cue.avoid[cue.n_avoid++] = avoid[i];
  g_array_append_val (captions->cues, cue);
  g_array_append_val (captions->layouts, layout);
  return &g_array_index (captions->cues, AdmintCaptionCue, captions->cues->len - 1);
}

static char *
join_words (GArray *words,
            guint   from,
            guint   to)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    {
      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, g_array_index (words, AdmintWord, i).text);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Fills in the lines and times of the cue just finished. */
static void
cue_close (AdmintCaptionCue *cue,
           double            scene_end)
{
  const AdmintWord *last = &g_array_index (cue->words, AdmintWord, cue->words->len - 1);

  if (cue->split > cue->words->len)   /* one line */
    cue->split = cue->words->len;
  cue->lines[0] = join_words (cue->words, 0, cue->split);
  cue->lines[1] = cue->split < cue->words->len ? join_words (cue->words, cue->split,
                                                             cue->words->len) : NULL;
  cue->start = g_array_index (cue->words, AdmintWord, 0).start;
  cue->end = MAX (last->end, MIN (last->end + HOLD_SECONDS, scene_end));
}

static gboolean
ends_sentence (const char *word)
{
  gsize len = strlen (word);

  return len > 0 && strchr (".!?", word[len - 1]) != NULL;
}

/* Characters of words A to B (inclusive) on one line. */
static guint
span_chars (GArray *words,
            guint   a,
            guint   b)
{
  guint n = b - a;

  for (guint i = a; i <= b; i++)
    n += (guint) g_utf8_strlen (g_array_index (words, AdmintWord, i).text, -1);
  return n;
}

/* Where words A to B break into two lines of at most ADMINT_CAPTIONS_LINE_CHARS, as evenly as
 * can be: the first word of the second line, B + 1 when they fit on one, 0 when they cannot. A
 * single word longer than a line goes on a line of its own (Pango shrinks it). */
static guint
balance (GArray *words,
         guint   a,
         guint   b)
{
  guint best = 0, best_diff = G_MAXUINT;

  if (a == b || span_chars (words, a, b) <= ADMINT_CAPTIONS_LINE_CHARS)
    return b + 1;
  for (guint k = a + 1; k <= b; k++)
    {
      guint top = span_chars (words, a, k - 1), bottom = span_chars (words, k, b);
      guint diff = top > bottom ? top - bottom : bottom - top;

      if (top <= ADMINT_CAPTIONS_LINE_CHARS && bottom <= ADMINT_CAPTIONS_LINE_CHARS &&
          diff < best_diff)
        {
          best = k;
          best_diff = diff;
        }
    }
  return best;
}

/* A cue of words A to B of WORDS (times already in the ad), split at SPLIT. */
static void
add_cue (AdmintCaptions  *captions,
         GArray          *words,
         guint            a,
         guint            b,
         guint            split,
         double           scene_end,
         const AdmintBox *avoid,
         guint            n_avoid)
{
  AdmintCaptionCue *cue;
  const AdmintWord *first = &g_array_index (words, AdmintWord, a);

  /* The cue before ends where this one starts at the latest. */
  if (captions->cues->len > 0)
    {
      AdmintCaptionCue *before = &g_array_index (captions->cues, AdmintCaptionCue,
                                                 captions->cues->len - 1);
      before->end = MAX (MIN (before->end, first->start),
                         g_array_index (before->words, AdmintWord, before->words->len - 1).end);
    }
  cue = cue_open (captions, avoid, n_avoid);
  for (guint i = a; i <= b; i++)
    {
      const AdmintWord *w = &g_array_index (words, AdmintWord, i);
      AdmintWord copy = { g_strdup (w->text), w->start, w->end };
      g_array_append_val (cue->words, copy);
    }
  cue->split = split - a;
  cue_close (cue, scene_end);
}

/* Cues for the phrase A to B (a sentence, or up to a pause): as few as hold it in two lines
 * each, of even length. */
static void
add_phrase (AdmintCaptions  *captions,
            GArray          *words,
            guint            a,
            guint            b,
            double           scene_end,
            const AdmintBox *avoid,
            guint            n_avoid)
{
  guint total = span_chars (words, a, b);
  guint n = MAX (1, (total + 2 * ADMINT_CAPTIONS_LINE_CHARS - 5) /
                    (2 * ADMINT_CAPTIONS_LINE_CHARS - 4));
  double target = (double) total / n;

  while (a <= b)
    {
      guint end = a;

      /* Grow while it still fits two lines and stays near the even share (the last cue takes
       * what is left when it fits). */
      while (end + 1 <= b && balance (words, a, end + 1) != 0 &&
             (span_chars (words, a, end + 1) <= target * 1.15 ||
              balance (words, a, b) != 0))
        end++;
      add_cue (captions, words, a, end, balance (words, a, end) ? balance (words, a, end)
                                                                  : end + 1, scene_end, avoid,
               n_avoid);
      a = end + 1;
    }
}

void
admint_captions_add_speech (AdmintCaptions     *captions,
                            const AdmintSpeech *speech,
                            double              offset,
                            double              scene_end,
                            const AdmintBox    *avoid)
{
  admint_captions_add_speech_avoiding (captions, speech, offset, scene_end, avoid,
                                       avoid != NULL ? 1 : 0);
}

void
admint_captions_add_speech_avoiding (AdmintCaptions     *captions,
                                     const AdmintSpeech *speech,
                                     double              offset,
                                     double              scene_end,
                                     const AdmintBox    *avoid,
                                     guint               n_avoid)
{
  g_autoptr(GArray) words = g_array_new (FALSE, TRUE, sizeof (AdmintWord));
  guint start = 0;

  g_return_if_fail (captions != NULL);
  g_return_if_fail (speech != NULL);

  g_array_set_clear_func (words, word_clear);
  for (guint i = 0; i < speech->words->len; i++)
    {
      const AdmintWord *w = &g_array_index (speech->words, AdmintWord, i);
      AdmintWord copy = { g_strdup (w->text), w->start + offset, w->end + offset };
      g_array_append_val (words, copy);
    }
  /* Phrases end at a sentence's end and at a pause. */
  for (guint i = 0; i < words->len; i++)
    {
      const AdmintWord *w = &g_array_index (words, AdmintWord, i);
      gboolean last = i + 1 == words->len;

      if (last || ends_sentence (w->text) ||
          g_array_index (words, AdmintWord, i + 1).start - w->end >= PAUSE_SECONDS)
        {
          add_phrase (captions, words, start, i, scene_end, avoid, n_avoid);
          start = i + 1;
        }
    }
}

guint
admint_captions_get_n_cues (AdmintCaptions *captions)
{
  g_return_val_if_fail (captions != NULL, 0);
  return captions->cues->len;
}

const AdmintCaptionCue *
admint_captions_get_cue (AdmintCaptions *captions,
                         guint           index)
{
  g_return_val_if_fail (captions != NULL, NULL);
  g_return_val_if_fail (index < captions->cues->len, NULL);
  return &g_array_index (captions->cues, AdmintCaptionCue, index);
}

int
admint_captions_cue_at (AdmintCaptions *captions,
                        double          t)
{
  g_return_val_if_fail (captions != NULL, -1);

  for (guint i = 0; i < captions->cues->len; i++)
    {
      const AdmintCaptionCue *cue = &g_array_index (captions->cues, AdmintCaptionCue, i);
      if (t >= cue->start && t < cue->end)
        return (int) i;
    }
  return -1;
}

/* Layout ------------------------------------------------------------------------------------- */

/* The cue's text as markup, word HIGHLIGHT (-1: none) in the highlight colour. */
static char *
cue_markup (const AdmintCaptionCue *cue,
            int                     highlight)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < cue->words->len; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (g_array_index (cue->words, AdmintWord,
                                                                      i).text, -1);
      if (i > 0)
        g_string_append_c (s, i == cue->split ? '\n' : ' ');
      if ((int) i == highlight)
        g_string_append_printf (s, "<span foreground=\"#FFD21F\">%s</span>", escaped);
      else
        g_string_append (s, escaped);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static PangoLayout *
make_layout (cairo_t                *cr,
             const AdmintCaptionCue *cue,
             double                  font_px,
             int                     highlight)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY " Bold");
  g_autofree char *markup = cue_markup (cue, highlight);

  pango_font_description_set_absolute_size (font, font_px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_markup (layout, markup, -1);
  pango_font_description_free (font);
  return layout;
}

/* The box (background included) the cue takes at FONT_PX, without a position. */
static void
measure (cairo_t                *cr,
         const AdmintCaptionCue *cue,
         double                  font_px,
         double                 *w,
         double                 *h)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, cue, font_px, -1);
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  *w = logical.width + 2 * font_px * 0.4;
  *h = logical.height + 2 * font_px * 0.25;
}

/* The first vertical place for a W×H box, bottom of the safe area first, then its top, then
 * upwards from the bottom, that stays clear of AVOID. */
static gboolean
meets_any (const AdmintBox *box,
           const AdmintBox *avoid,
           guint            n_avoid)
{
  for (guint i = 0; i < n_avoid; i++)
    if (admint_box_intersects (box, &avoid[i]))
      return TRUE;
  return FALSE;
}

static gboolean
place (const AdmintBox *safe,
       const AdmintBox *avoid,
       guint            n_avoid,
       double           w,
       double           h,
       double           step,
       AdmintBox       *out)
{
  double x = safe->x + (safe->width - w) / 2;
  double bottom = safe->y + safe->height - h;

  out->x = x;
  out->width = w;
  out->height = h;
  out->y = bottom;
  if (!meets_any (out, avoid, n_avoid))
    return TRUE;
  out->y = safe->y;
  if (!meets_any (out, avoid, n_avoid))
    return TRUE;
  for (double y = bottom; y >= safe->y; y -= step)
    {
      out->y = y;
      if (!meets_any (out, avoid, n_avoid))
        return TRUE;
    }
  out->y = bottom;
  return FALSE;
}

static gboolean
compute_layout (const AdmintCaptionCue *cue,
                int                     width,
                int                     height,
                CueLayout              *out)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  double margin = (1 - ADMINT_CAPTIONS_SAFE) / 2;
  AdmintBox safe = { width * margin, height * margin, width * ADMINT_CAPTIONS_SAFE,
                     height * ADMINT_CAPTIONS_SAFE };
  AdmintBox avoid[ADMINT_CAPTIONS_MAX_AVOID];
  double base = MIN (width, height) * 0.05, px = base, w, h;
  gboolean clear = FALSE;

  for (guint i = 0; i < cue->n_avoid; i++)
    {
      double pad = height * 0.01;   /* not even touching */
      avoid[i].x = cue->avoid[i].x * width - pad;
      avoid[i].y = cue->avoid[i].y * height - pad;
      avoid[i].width = cue->avoid[i].width * width + 2 * pad;
      avoid[i].height = cue->avoid[i].height * height + 2 * pad;
    }
  measure (cr, cue, px, &w, &h);
  while ((w > safe.width || h > safe.height) && px > 4)
    {
      px *= 0.92;
      measure (cr, cue, px, &w, &h);
    }
  for (double top_px = px; px >= top_px * 0.6; px *= 0.9, measure (cr, cue, px, &w, &h))
    if ((clear = place (&safe, avoid, cue->n_avoid, w, h, height * 0.01, &out->box)))
      break;
  if (!clear)
    {
      /* No room anywhere: the usual place at the usual size, over the text. */
      px = MIN (base, px / 0.9);
      measure (cr, cue, px, &w, &h);
      place (&safe, NULL, 0, w, h, height * 0.01, &out->box);
    }
  out->font_px = px;
  out->clear = clear;
  out->width = width;
  out->height = height;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return clear;
}

static const CueLayout *
cue_layout (AdmintCaptions *captions,
            guint           index,
            int             width,
            int             height)
{
  CueLayout *cached = &g_array_index (captions->layouts, CueLayout, index);

  if (cached->width != width || cached->height != height)
    compute_layout (&g_array_index (captions->cues, AdmintCaptionCue, index), width, height,
                    cached);
  return cached;
}

gboolean
admint_captions_layout (AdmintCaptions *captions,
                        guint           index,
                        int             width,
                        int             height,
                        AdmintBox      *box,
                        double         *font_px)
{
  const CueLayout *layout;

  g_return_val_if_fail (captions != NULL, FALSE);
  g_return_val_if_fail (index < captions->cues->len, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  layout = cue_layout (captions, index, width, height);
  if (box != NULL)
    *box = layout->box;
  if (font_px != NULL)
    *font_px = layout->font_px;
  return layout->clear;
}

static void
rounded_rectangle (cairo_t         *cr,
                   const AdmintBox *b,
                   double           r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, b->x + b->width - r, b->y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, b->x + b->width - r, b->y + b->height - r, r, 0, G_PI / 2);
  cairo_arc (cr, b->x + r, b->y + b->height - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, b->x + r, b->y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
admint_captions_draw (AdmintCaptions *captions,
                      cairo_t        *cr,
                      int             width,
                      int             height,
                      double          t)
{
  int index, highlight = -1;
  const AdmintCaptionCue *cue;
  const CueLayout *layout;
  g_autoptr(PangoLayout) text = NULL;
  PangoRectangle logical;

  g_return_if_fail (captions != NULL);
  g_return_if_fail (cr != NULL);

  index = admint_captions_cue_at (captions, t);
  if (index < 0)
    return;
  cue = &g_array_index (captions->cues, AdmintCaptionCue, index);
  layout = cue_layout (captions, (guint) index, width, height);
  for (guint i = 0; i < cue->words->len; i++)
    if (g_array_index (cue->words, AdmintWord, i).start <= t)
      highlight = (int) i;

  cairo_save (cr);
  rounded_rectangle (cr, &layout->box, layout->font_px * 0.3);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_fill (cr);
  text = make_layout (cr, cue, layout->font_px, highlight);
  pango_layout_get_pixel_extents (text, NULL, &logical);
  cairo_move_to (cr, layout->box.x + (layout->box.width - logical.width) / 2 - logical.x,
                 layout->box.y + (layout->box.height - logical.height) / 2 - logical.y);
  cairo_set_source_rgb (cr, 1, 1, 1);
  pango_cairo_show_layout (cr, text);
  cairo_restore (cr);
}

/* JSON, for the renderer ---------------------------------------------------------------------- */

JsonNode *
admint_captions_to_json (AdmintCaptions *captions,
                         double          from,
                         double          to)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (captions != NULL, NULL);

  json_builder_begin_array (b);
  for (guint i = 0; i < captions->cues->len; i++)
    {
      const AdmintCaptionCue *cue = &g_array_index (captions->cues, AdmintCaptionCue, i);

      if (cue->end <= from || cue->start >= to)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "start_ms");
      json_builder_add_int_value (b, llround ((cue->start - from) * 1000));
      json_builder_set_member_name (b, "end_ms");
      json_builder_add_int_value (b, llround ((cue->end - from) * 1000));
      json_builder_set_member_name (b, "split");
      json_builder_add_int_value (b, cue->split);
      json_builder_set_member_name (b, "words");
      json_builder_begin_array (b);
      for (guint k = 0; k < cue->words->len; k++)
        {
          const AdmintWord *w = &g_array_index (cue->words, AdmintWord, k);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, w->text);
          json_builder_set_member_name (b, "start_ms");
          json_builder_add_int_value (b, llround ((w->start - from) * 1000));
          json_builder_set_member_name (b, "end_ms");
          json_builder_add_int_value (b, llround ((w->end - from) * 1000));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

static gboolean
bad_json (GError     **error,
          const char  *what)
{
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("The captions to draw are not a list of cues (%s). They come from "
               "admint_captions_to_json"), what);
  return FALSE;
}

static gboolean
cue_from_json (AdmintCaptions  *captions,
               JsonObject      *o,
               GError         **error)
{
  JsonNode *member = json_object_get_member (o, "words");
  JsonArray *words = member && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member)
                                                             : NULL;
  AdmintCaptionCue *cue;

  if (words == NULL || json_array_get_length (words) == 0)
    return bad_json (error, "a cue without words");
  cue = cue_open (captions, NULL, 0);
  for (guint k = 0; k < json_array_get_length (words); k++)
    {
      JsonObject *w = json_array_get_object_element (words, k);
      AdmintWord word = { 0 };

      if (w == NULL || json_object_get_string_member_with_default (w, "text", NULL) == NULL)
        return bad_json (error, "a word without text");
      word.text = g_strdup (json_object_get_string_member (w, "text"));
      word.start = json_object_get_int_member_with_default (w, "start_ms", 0) / 1000.0;
      word.end = json_object_get_int_member_with_default (w, "end_ms", 0) / 1000.0;
      g_array_append_val (cue->words, word);
    }
  cue->split = (guint) CLAMP (json_object_get_int_member_with_default (o, "split", G_MAXINT),
                              1, (gint64) cue->words->len);
  cue_close (cue, 0);
  cue->start = json_object_get_int_member_with_default (o, "start_ms", 0) / 1000.0;
  cue->end = json_object_get_int_member_with_default (o, "end_ms", 0) / 1000.0;
  return TRUE;
}

AdmintCaptions *
admint_captions_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(AdmintCaptions) captions = admint_captions_new ();
  JsonArray *cues;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      bad_json (error, "not an array");
      return NULL;
    }
  cues = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (cues); i++)
    {
      JsonObject *o = json_array_get_object_element (cues, i);

      if (o == NULL)
        {
          bad_json (error, "an element is not an object");
          return NULL;
        }
      if (!cue_from_json (captions, o, error))
        return NULL;
    }
  return g_steal_pointer (&captions);
}

void
admint_captions_set_avoid (AdmintCaptions  *captions,
                           const AdmintBox *avoid,
                           guint            n_avoid)
{
  g_return_if_fail (captions != NULL);
  g_return_if_fail (avoid != NULL || n_avoid == 0);

  for (guint i = 0; i < captions->cues->len; i++)
    {
      AdmintCaptionCue *cue = &g_array_index (captions->cues, AdmintCaptionCue, i);
      CueLayout *layout = &g_array_index (captions->layouts, CueLayout, i);

      cue->n_avoid = 0;
      for (guint k = 0; k < n_avoid && cue->n_avoid < ADMINT_CAPTIONS_MAX_AVOID; k++)
        if (avoid[k].width > 0 && avoid[k].height > 0)
          cue->avoid[cue->n_avoid++] = avoid[k];
      layout->width = layout->height = 0;   /* laid out again */
    }
}

/* SubRip and WebVTT ---------------------------------------------------------------------------- */

static void
append_time (GString *s,
             double   t,
             char     separator)
{
  gint64 ms = llround (MAX (0, t) * 1000);

  g_string_append_printf (s, "%02d:%02d:%02d%c%03d", (int) (ms / 3600000),
                          (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), separator,
                          (int) (ms % 1000));
}

static char *
to_text (AdmintCaptions *captions,
         gboolean        vtt)
{
  g_autoptr(GString) s = g_string_new (vtt ? "WEBVTT\n\n" : "");

  for (guint i = 0; i < captions->cues->len; i++)
    {
      const AdmintCaptionCue *cue = &g_array_index (captions->cues, AdmintCaptionCue, i);

      g_string_append_printf (s, "%u\n", i + 1);
      append_time (s, cue->start, vtt ? '.' : ',');
      g_string_append (s, " --> ");
      append_time (s, cue->end, vtt ? '.' : ',');
      g_string_append_c (s, '\n');
      for (guint l = 0; l < 2 && cue->lines[l] != NULL; l++)
        {
          if (vtt)
            {
              /* "<", "&" are markup in WebVTT. */
              g_autofree char *escaped = g_markup_escape_text (cue->lines[l], -1);
              g_string_append_printf (s, "%s\n", escaped);
            }
          else
            g_string_append_printf (s, "%s\n", cue->lines[l]);
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
admint_captions_to_srt (AdmintCaptions *captions)
{
  g_return_val_if_fail (captions != NULL, NULL);
  return to_text (captions, FALSE);
}

char *
admint_captions_to_vtt (AdmintCaptions *captions)
{
  g_return_val_if_fail (captions != NULL, NULL);
  return to_text (captions, TRUE);
}

gboolean
admint_captions_write (AdmintCaptions  *captions,
                       const char      *path,
                       GError         **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (captions != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_has_suffix (path, ".srt"))
    text = admint_captions_to_srt (captions);
  else if (g_str_has_suffix (path, ".vtt"))
    text = admint_captions_to_vtt (captions);
  else
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("%s: captions are written as .srt or .vtt. Name the file with one of "
                   "those endings"), path);
      return FALSE;
    }
  if (!g_file_set_contents (path, text, -1, error))
    {
      g_prefix_error (error, _("Cannot write the captions %s: "), path);
      return FALSE;
    }
  return TRUE;
}
