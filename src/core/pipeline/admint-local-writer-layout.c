/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local scene writer's second pass: a layout for each scene, and on-screen words from the brief. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <string.h>

#include "admint-layout.h"
#include "admint-local-writer-private.h"

typedef struct {
  const AdmintBrief *brief;
  char              *title;        /* the product's on-screen name */
  char              *named;        /* the same in a sentence: "the Reusable Water Bottle" */
  GPtrArray         *claims;       /* claims not yet on screen or in the voice-over */
  GHashTable        *shown;        /* casefolded on-screen lines already used */
  GHashTable        *reserved;     /* casefolded lines a later scene shows as its headline */
  char              *figure, *figure_label;
  char              *figure_claim;  /* the claim the figure comes from, said in full */
  char              *offer;         /* the end card's offer line, when the brief makes one */
  GRand             *rand;
} Copy;

static void
copy_clear (Copy *c)
{
  g_free (c->title);
  g_free (c->named);
  g_clear_pointer (&c->claims, g_ptr_array_unref);
  g_clear_pointer (&c->shown, g_hash_table_unref);
  g_clear_pointer (&c->reserved, g_hash_table_unref);
  g_free (c->figure);
  g_free (c->figure_label);
  g_free (c->figure_claim);
  g_free (c->offer);
  g_clear_pointer (&c->rand, g_rand_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Copy, copy_clear)

gboolean
admint_text_mentions (const char *haystack,
                      const char *needle)
{
  g_autofree char *h = NULL, *n = NULL;

  if (haystack == NULL || needle == NULL || *needle == '\0')
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

static char *
capitalised (const char *s)
{
  char *out = g_strdup (s);

  if (out[0] != '\0')
    out[0] = g_ascii_toupper (out[0]);
  return out;
}

/* Marks LINE as shown; FALSE when it already was (the caller picks another). */
static gboolean
take_line (Copy       *c,
           const char *line)
{
  g_autofree char *key = NULL;

  if (line == NULL || *line == '\0')
    return FALSE;
  key = g_utf8_casefold (line, -1);
  if (g_hash_table_contains (c->shown, key))
    return FALSE;
  g_hash_table_add (c->shown, g_steal_pointer (&key));
  return TRUE;
}

/* The next claim not yet shown, removed from the list (NULL when none is left); the caller
 * marks it shown with take_line. */
static char *
next_claim (Copy *c)
{
  while (c->claims->len > 0)
    {
      g_autofree char *claim = g_ptr_array_steal_index (c->claims, 0);
      char *line = capitalised (claim);
      g_autofree char *key = g_utf8_casefold (line, -1);

      if (!g_hash_table_contains (c->shown, key))
        return line;
      g_free (line);
    }
  return NULL;
}

/* The claim that makes an offer ("20% off your first order"), taken for the end card. */
static char *
offer_claim (Copy *c)
{
  for (guint i = 0; i < c->claims->len; i++)
    if (g_regex_match_simple ("\\b(?:off|free|save|discount|deal|offer|code)\\b",
                              g_ptr_array_index (c->claims, i), G_REGEX_CASELESS, 0))
      {
        g_autofree char *claim = g_ptr_array_steal_index (c->claims, i);
        char *line = capitalised (claim);

        take_line (c, line);
        return line;  /* said on the end card, so not in the lines before it */
      }
  return NULL;
}

/* The layout for scene S of N: the hook opens, the end card closes; in between the layout that
 * serves the beat, not used yet, not the one just before, with content for it. */
static const AdmintLayout *
choose_layout (Copy       *c,
               const char *beat,
               guint       s,
               guint       n,
               const char *previous,
               const char *replaced,
               GHashTable *used)
{
  AdmintLayoutSet *set = admint_layout_set_get_default ();
  const AdmintLayout *best = NULL;
  double best_score = -1;

  if (s == 0 && admint_layout_set_lookup (set, "hook"))
    return admint_layout_set_lookup (set, "hook");
  if (s + 1 == n && n > 1 && admint_layout_set_lookup (set, "end-card"))
    return admint_layout_set_lookup (set, "end-card");
  for (guint i = 0; i < admint_layout_set_get_n (set); i++)
    {
      const AdmintLayout *l = admint_layout_set_get (set, i);
      double score;

      if (g_strcmp0 (l->name, previous) == 0 || g_strcmp0 (l->name, "hook") == 0 ||
          g_strcmp0 (l->name, "end-card") == 0)
        continue;
      if (l->boxes[ADMINT_LAYOUT_WIDE][ADMINT_SLOT_FIGURE].set &&
          (c->figure == NULL || g_hash_table_contains (used, l->name)))
        continue;  /* a count-up needs a number from the brief, and says it once */
      score = (admint_layout_serves (l, beat) ? 2 : 0) +
              (g_hash_table_contains (used, l->name) ? 0 : 3) +
              (g_strcmp0 (l->name, replaced) == 0 ? -6 : 0) +
              g_rand_double (c->rand);
      if (score > best_score)
        best = l, best_score = score;
    }
  return best != NULL ? best : admint_layout_set_lookup (set, previous);
}

static void
set_string (JsonObject *scene,
            const char *member,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (scene, member, value);
}

/* The headline of the first scene names the product: in its first three seconds. A rewritten
 * hook (VARIANT > 0) opens another way. */
static char *
hook_headline (Copy       *c,
               const char *overlay,
               guint       variant)
{
  static const char * const openers[] = { "Meet ", "Say hello to ", "This is ",
                                          "Ready? Meet " };

  if (variant == 0 && overlay != NULL && admint_text_mentions (overlay, c->title))
    return g_strdup (overlay);
  return g_strconcat (openers[variant % G_N_ELEMENTS (openers)], c->named, NULL);
}

/* Whether LINE is a later scene's own headline (kept for it). */
static gboolean
reserved (Copy       *c,
          const char *line)
{
  g_autofree char *key = g_utf8_casefold (line, -1);

  return g_hash_table_contains (c->reserved, key);
}

/* A second line that arrives a few seconds into a scene, so its words never sit still: the
 * next claim, else a quality said as a benefit, else the audience, else a line of the beat. */
static char *
kicker (Copy       *c,
        const char *fallback)
{
  char *line = next_claim (c);
  g_autofree char *generic = NULL;
  static const char * const spare[] = { "Built to last, day after day", "Ready when you are",
                                        "Goes wherever you go", "One you will keep for years",
                                        "Your new everyday favourite",
                                        "Made to be used every day", NULL };

  if (line != NULL)
    {
      take_line (c, line);
      return line;
    }
  if (fallback != NULL && *fallback != '\0' && take_line (c, fallback))
    return g_strdup (fallback);
  generic = c->brief != NULL ? admint_local_generic_product (c->brief) : g_strdup ("one");
  for (guint q = 0; c->brief && q < c->brief->qualities->len; q++)
    {
      line = admint_local_quality_phrase (g_ptr_array_index (c->brief->qualities, q), generic);
      if (!reserved (c, line) && take_line (c, line))
        return line;
      g_free (line);
    }
  for (guint k = 0; c->brief != NULL && c->brief->audience != NULL && k < 2; k++)
    {
      g_autofree char *who = capitalised (c->brief->audience);

      line = k == 0 ? g_strdup_printf ("Made for %s", c->brief->audience)
                    : g_strdup_printf ("%s, this one is for you", who);
      if (!reserved (c, line) && take_line (c, line))
        return line;
      g_free (line);
    }
  for (guint i = 0; spare[i] != NULL; i++)
    if (!reserved (c, spare[i]) && take_line (c, spare[i]))
      return g_strdup (spare[i]);
  return NULL;
}

static void
set_kicker (Copy       *c,
            JsonObject *scene,
            const char *fallback)
{
  /* Something new every two or three seconds: a long scene gets a second line after it. */
  guint want = json_object_get_double_member_with_default (scene, "duration", 0) >= 7 ? 2 : 1;
  JsonArray *lines = json_array_new ();
  char *line;

  while (json_array_get_length (lines) < want &&
         (line = kicker (c, json_array_get_length (lines) == 0 ? fallback : NULL)) != NULL)
    {
      json_array_add_string_element (lines, line);
      g_free (line);
    }
  if (json_array_get_length (lines) > 0)
    json_object_set_array_member (scene, "lines", lines);
  else
    json_array_unref (lines);
}

/* Where the product is named in TEXT: its byte offset and length, or FALSE. */
static gboolean
find_name (Copy       *c,
           const char *text,
           gsize      *at,
           gsize      *len)
{
  const char *names[] = { c->named, c->title, c->brief ? c->brief->brand : NULL,
                          c->brief ? c->brief->product : NULL };
  g_autofree char *folded = g_ascii_strdown (text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *needle = names[i] ? g_ascii_strdown (names[i], -1) : NULL;
      const char *hit = needle && *needle ? strstr (folded, needle) : NULL;

      if (hit != NULL)
        {
          *at = hit - folded, *len = strlen (needle);
          return TRUE;
        }
    }
  return FALSE;
}

/* The call to action as a button: two to four words ("Order yours now", "Try it today"). The
 * full sentence stays in the voice-over, and the name is the end card's headline. */
static char *
button_words (Copy       *c,
              const char *cta)
{
  g_auto(GStrv) words = g_strsplit (cta, " ", -1);
  g_auto(GStrv) tail = NULL;
  g_autofree char *rest = NULL;
  gsize at, len;
  const char *object;
  GString *button;

  if (admint_count_words (cta) <= 4)
    return g_strdup (cta);
  if (!find_name (c, cta, &at, &len) || at == 0 || at > strlen (words[0]) + 1)
    return g_strdup_printf ("%s now", words[0]);
  /* "Order the water bottle now" → "Order yours now"; "Try … today" → "Try it today". */
  object = g_regex_match_simple ("^(try|find|see|discover|meet|taste|test)$", words[0],
                                 G_REGEX_CASELESS, 0) ? "it" : "yours";
  button = g_string_new (words[0]);
  g_string_append_printf (button, " %s", object);
  rest = g_strstrip (g_strdup (cta + at + len));
  tail = g_strsplit (rest, " ", -1);
  for (guint i = 0; tail[i] != NULL && i < 2; i++)
    if (*tail[i] != '\0')
      g_string_append_printf (button, " %s", tail[i]);
  if (admint_count_words (button->str) > 4)
    {
      g_string_free (button, TRUE);
      return g_strdup_printf ("%s now", words[0]);
    }
  return g_string_free (button, FALSE);
}

static void
write_texts (Copy               *c,
             JsonObject         *scene,
             const AdmintLayout *layout,
             JsonObject         *story)
{
  /* A copy: the scene's on_screen_text is replaced below. */
  g_autofree char *overlay = g_strdup (json_object_get_string_member_with_default (
    scene, "on_screen_text", ""));
  guint variant = (guint) json_object_get_int_member_with_default (scene, "variant", 0);
  g_autofree char *headline = NULL;

  if (g_strcmp0 (layout->name, "hook") == 0)
    headline = hook_headline (c, overlay, variant);
  else if (g_strcmp0 (layout->name, "end-card") == 0)
    {
      g_autofree char *cta = g_strdup (json_object_get_string_member_with_default (
        story, "call_to_action", overlay));
      g_autofree char *button = NULL;
      char *stop = strpbrk (cta, ".:!");

      if (stop != NULL)
        *stop = '\0';
      /* The name under the logo; an offer goes on its own badge. */
      headline = g_strdup (c->title);
      set_string (scene, "offer", c->offer);
      button = button_words (c, cta);
      set_string (scene, "cta", button);
      set_string (scene, "handle", c->brief ? c->brief->handle : NULL);
      take_line (c, button);
    }
  else if (layout->boxes[ADMINT_LAYOUT_WIDE][ADMINT_SLOT_FIGURE].set)
    {
      const char *vo = json_object_get_string_member_with_default (scene, "voice_over", "");

      set_string (scene, "figure", c->figure);
      headline = g_strdup (c->figure_label);
      g_clear_pointer (&c->figure, g_free);
      if (!admint_text_mentions (vo, c->figure_claim))
        {
          g_autofree char *claim = capitalised (c->figure_claim);
          g_autofree char *with = g_strdup_printf ("%s%s%s.", vo, *vo ? " " : "", claim);
          json_object_set_string_member (scene, "voice_over", with);
        }
    }
  else if (layout->boxes[ADMINT_LAYOUT_WIDE][ADMINT_SLOT_LINES].set &&
           g_strcmp0 (layout->name, "benefits") == 0)
    headline = g_strdup (overlay);
  else if (layout->product == ADMINT_LAYOUT_PRODUCT_HERO)
    {
      headline = next_claim (c);
      if (headline == NULL)
        headline = g_strdup (overlay);
    }
  /* A headline says something: two words at least ("Imagine" alone does not). */
  if (headline == NULL || *headline == '\0' ||
      (g_strcmp0 (layout->name, "end-card") != 0 &&
       (admint_count_words (headline) < 2 || !take_line (c, headline))))
    {
      /* A line already shown: the scene's own voice-over, shortened, or the product's name. */
      g_free (headline);
      headline = admint_headline (json_object_get_string_member_with_default (scene,
                                                                             "voice_over", ""),
                                  6);
      if (admint_count_words (headline) < 2 || !take_line (c, headline))
        {
          g_free (headline);
          headline = kicker (c, NULL);
          if (headline == NULL)
            headline = g_strdup ("");
        }
    }
  json_object_set_string_member (scene, "on_screen_text", headline);
  /* A second line a few seconds in, where the layout has room for one. */
  if (g_strcmp0 (layout->name, "benefits") == 0)
    {
      /* Two or three benefits, one by one: the brief's claims, then its qualities as phrases. */
      JsonArray *lines = json_array_new ();
      char *line;

      while (json_array_get_length (lines) < 3 && (line = next_claim (c)) != NULL)
        {
          take_line (c, line);
          json_array_add_string_element (lines, line);
          g_free (line);
        }
      while (json_array_get_length (lines) < 2 && (line = kicker (c, NULL)) != NULL)
        {
          json_array_add_string_element (lines, line);
          g_free (line);
        }
      json_object_set_array_member (scene, "lines", lines);
    }
  else if (layout->boxes[ADMINT_LAYOUT_WIDE][ADMINT_SLOT_LINES].set)
    set_kicker (c, scene, g_strcmp0 (overlay, headline) != 0 ? overlay : NULL);
  /* A scene with nothing to say says its own headline. */
  if (*json_object_get_string_member_with_default (scene, "voice_over", "") == '\0' &&
      *headline != '\0' && g_strcmp0 (layout->name, "end-card") != 0)
    {
      g_autofree char *said = g_strconcat (headline, strchr (".!?", headline[strlen (headline) - 1])
                                                     ? "" : ".", NULL);
      json_object_set_string_member (scene, "voice_over", said);
    }
}

/* Claims that found no place on screen are said in the voice-over of the middle scenes. */
static void
speak_remaining (Copy      *c,
                 JsonArray *scenes)
{
  guint n = json_array_get_length (scenes);

  for (guint i = 0; i < c->claims->len; i++)
    {
      const char *claim = g_ptr_array_index (c->claims, i);
      JsonObject *scene = json_array_get_object_element (scenes, n > 2 ? 1 + i % (n - 2) : 0);
      const char *vo = json_object_get_string_member_with_default (scene, "voice_over", "");
      g_autofree char *line = capitalised (claim);
      g_autofree char *with = NULL;

      if (admint_text_mentions (vo, claim))
        continue;
      with = g_strdup_printf ("%s%s%s.", vo, *vo ? " " : "", line);
      json_object_set_string_member (scene, "voice_over", with);
    }
}

void
admint_local_lay_out_scenes (JsonArray         *scenes,
                             JsonObject        *story,
                             const AdmintBrief *brief,
                             guint32            seed)
{
  g_auto(Copy) c = { 0 };
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = json_array_get_length (scenes);
  const AdmintLayout *previous = NULL;

  c.brief = brief;
  c.title = brief ? admint_brief_get_title (brief)
                  : g_strdup (json_object_get_string_member_with_default (story, "title",
                                                                          "Our product"));
  c.named = brief ? admint_local_named_title (brief) : g_strdup (c.title);
  c.claims = g_ptr_array_new_with_free_func (g_free);
  c.shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.reserved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint s = 0; s < n; s++)
    g_hash_table_add (c.reserved, g_utf8_casefold (json_object_get_string_member_with_default (
      json_array_get_object_element (scenes, s), "on_screen_text", ""), -1));
  c.rand = g_rand_new_with_seed (seed ^ 0x5bd1e995u);
  if (brief != NULL)
    {
      guint figure_claim = G_MAXUINT;

      admint_brief_get_figure (brief, &c.figure, &c.figure_label, &figure_claim);
      if (figure_claim < brief->claims->len)
        c.figure_claim = g_strdup (g_ptr_array_index (brief->claims, figure_claim));
      for (guint i = 0; i < brief->claims->len; i++)
        if (i != figure_claim)
          g_ptr_array_add (c.claims, g_strdup (g_ptr_array_index (brief->claims, i)));
    }

  if (n > 1)
    c.offer = offer_claim (&c);
  /* The bare name belongs to the end card; the hook names it in its own line. */
  if (n > 1)
    take_line (&c, c.title);
  for (guint s = 0; s < n; s++)
    {
      JsonObject *scene = json_array_get_object_element (scenes, s);
      const char *beat = json_object_get_string_member_with_default (scene, "beat", "");
      g_autofree char *replaced = g_strdup (json_object_get_string_member_with_default (
                                             scene, "replaces_layout", NULL));
      const AdmintLayout *layout = choose_layout (&c, beat, s, n,
                                                  previous ? previous->name : NULL, replaced,
                                                  used);

      if (json_object_has_member (scene, "replaces_layout"))
        json_object_remove_member (scene, "replaces_layout");
      if (layout == NULL)
        continue;
      json_object_set_string_member (scene, "layout", layout->name);
      if (previous != NULL)
        json_object_set_string_member (scene, "transition_in",
                                       admint_transition_to_string (previous->transition));
      g_hash_table_add (used, layout->name);
      write_texts (&c, scene, layout, story);
      previous = layout;
    }

  /* The voice-over names the product at once, too. */
  if (n > 0)
    {
      JsonObject *first = json_array_get_object_element (scenes, 0);
      const char *vo = json_object_get_string_member_with_default (first, "voice_over", "");
      g_autofree char *name = brief ? g_strdup (admint_brief_get_name (brief)) : NULL;

      if (name != NULL && !admint_text_mentions (vo, name) && !admint_text_mentions (vo, c.title))
        {
          g_autofree char *spoken = brief->brand != NULL ? g_strdup (brief->brand)
                                    : g_strconcat ("the ", brief->product, NULL);
          g_autofree char *with = g_strdup_printf ("Meet %s. %s", spoken, vo);
          json_object_set_string_member (first, "voice_over", with);
        }
    }
  if (c.figure != NULL && c.figure_claim != NULL)
    g_ptr_array_add (c.claims, g_strdup (c.figure_claim));  /* no proof scene: still said */
  speak_remaining (&c, scenes);
}

/* Whether a line says something the brief (or the product's name) gives a basis for: one of
 * its content words appears there. */
static gboolean
has_basis (const char        *line,
           const AdmintBrief *brief,
           const char        *title)
{
  g_auto(GStrv) words = g_regex_split_simple ("[^\\w%$-]+", line, 0, 0);
  static const char * const filler[] = { "with", "your", "that", "this", "made", "meet", "from",
                                         "every", "today", "just", "more", "only", NULL };
  guint content = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *w = g_utf8_strdown (words[i], -1);

      if (g_utf8_strlen (w, -1) < 4 || g_strv_contains (filler, w))
        continue;
      content++;
      if (admint_text_mentions (brief->text, w) || admint_text_mentions (title, w))
        return TRUE;
    }
  return content == 0;
}

double
admint_local_critique_copy (JsonArray         *scenes,
                            const AdmintBrief *brief,
                            GPtrArray         *reasons)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *title = admint_brief_get_title (brief);
  const char *name = admint_brief_get_name (brief);
  guint n = json_array_get_length (scenes);
  double penalty = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *scene = json_array_get_object_element (scenes, i);
      const char *line = json_object_get_string_member_with_default (scene, "on_screen_text", "");
      g_autofree char *key = g_utf8_casefold (line, -1);
      gpointer first;
      g_auto(GStrv) words = g_strsplit (line, " ", -1);

      /* The spoken line fits between 0.2 s after the cut and 0.3 s before the next. */
      {
        const char *vo = json_object_get_string_member_with_default (scene, "voice_over", "");
        double duration = json_object_get_double_member_with_default (scene, "duration", 0);
        guint budget = admint_scene_word_budget (duration);

        if (duration > 0 && admint_count_words (vo) > budget)
          {
            penalty += 1;
            g_ptr_array_add (reasons, g_strdup_printf ("Scene %u's voice-over has %u words: a "
                                                       "%.1f-second scene fits about %u. "
                                                       "Shorten it.", i + 1,
                                                       admint_count_words (vo), duration,
                                                       budget));
          }
      }
      if (*line == '\0')
        continue;
      if (g_hash_table_lookup_extended (seen, key, NULL, &first))
        {
          penalty += 1.5;
          g_ptr_array_add (reasons, g_strdup_printf ("Scene %u repeats the line “%s” of scene %u: "
                                                     "say something new.", i + 1, line,
                                                     GPOINTER_TO_UINT (first)));
        }
      else
        g_hash_table_insert (seen, g_strdup (key), GUINT_TO_POINTER (i + 1));
      if (!has_basis (line, brief, title))
        {
          penalty += 0.5;
          g_ptr_array_add (reasons, g_strdup_printf ("Scene %u's line “%s” has no basis in the "
                                                     "brief: use its claims, product or "
                                                     "audience.", i + 1, line));
        }
      for (guint w = 0; words[w] != NULL; w++)
        if (g_utf8_strlen (words[w], -1) > 18)
          {
            penalty += 1;
            g_ptr_array_add (reasons, g_strdup_printf ("Scene %u's word “%s” is too long to fit "
                                                       "its layout at a readable size.", i + 1,
                                                       words[w]));
          }
    }

  if (n > 0)
    {
      JsonObject *first = json_array_get_object_element (scenes, 0);
      JsonObject *last = json_array_get_object_element (scenes, n - 1);
      const char *vo = json_object_get_string_member_with_default (first, "voice_over", "");
      g_autofree char *opening = admint_headline (vo, 8);  /* about three seconds of speech */
      const char *shown = json_object_get_string_member_with_default (first, "on_screen_text", "");

      if (!admint_text_mentions (shown, title) && !admint_text_mentions (shown, name) &&
          !admint_text_mentions (opening, title) && !admint_text_mentions (opening, name))
        {
          penalty += 2;
          g_ptr_array_add (reasons, g_strdup_printf ("The product is named late: say “%s” in the "
                                                     "first three seconds.", title));
        }
      if (*json_object_get_string_member_with_default (last, "cta", "") == '\0' &&
          !g_regex_match_simple ("\\b(get|buy|shop|order|try|visit|find|join|start|book|call|"
                                 "claim|download|sign)\\b",
                                 json_object_get_string_member_with_default (last,
                                                                             "on_screen_text",
                                                                             ""),
                                 G_REGEX_CASELESS, 0))
        {
          penalty += 1.5;
          g_ptr_array_add (reasons, g_strdup ("The last scene has no call to action: end on what "
                                              "to do (“Order yours today”)."));
        }
    }
  return penalty;
}
