/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a user's chat reply asks for: approve, regenerate, refine, edit or regenerate one scene.
 * Plain replies ("ok", "try again", "scene 2: …") are decided by rules; a longer reply that no
 * rule is sure of is marked for the intent agent, with refine as the safe reading meanwhile. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <string.h>

#include "admint-intent.h"

static const char * const approve_phrases[] = {
  "ok", "okay", "k", "kk", "yes", "yep", "yeah", "y", "sure", "approve", "approved", "lgtm",
  "looks good", "look good", "looks great", "looks fine", "looks good to me", "good", "great",
  "perfect", "fine", "nice", "love it", "i love it", "i like it", "go", "go ahead", "go on",
  "continue", "proceed", "next", "ship it", "do it", "sounds good", "all good", "good to go",
  "that works", "works for me", "accept", "accepted", "confirm", "confirmed", "keep it",
  "let's go", "lets go", "ok go", "yes please", "ok thanks", "thanks", "👍", "✅",
  NULL
};

static const char * const regenerate_phrases[] = {
  "try again", "again", "regenerate", "redo", "re-do", "retry", "another", "another one",
  "start over", "new one", "new version", "another version", "different one", "something else",
  "no", "nope", "rewrite", "rewrite it", "write another", "do it again", "one more time",
  "generate again", "i don't like it", "i dont like it", "don't like it", "dont like it",
  "not good", "bad", "👎",
  NULL
};

static const char * const number_words[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
  "eleven", "twelve", NULL
};

static const char * const ordinal_words[] = {
  "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
  "ninth", "tenth", "eleventh", "twelfth", NULL
};

const char *
admint_intent_kind_to_string (AdmintIntentKind kind)
{
  switch (kind)
    {
    case ADMINT_INTENT_APPROVE: return "approve";
    case ADMINT_INTENT_REGENERATE: return "regenerate";
    case ADMINT_INTENT_REFINE: return "refine";
    case ADMINT_INTENT_EDIT_SCENE: return "edit_scene";
    case ADMINT_INTENT_REGENERATE_SCENE: return "regenerate_scene";
    default: g_return_val_if_reached ("refine");
    }
}

gboolean
admint_intent_kind_from_string (const char       *name,
                                AdmintIntentKind *out)
{
  for (int k = ADMINT_INTENT_APPROVE; k <= ADMINT_INTENT_REGENERATE_SCENE; k++)
    if (g_strcmp0 (name, admint_intent_kind_to_string (k)) == 0)
      {
        *out = k;
        return TRUE;
      }
  return FALSE;
}

void
admint_intent_free (AdmintIntent *intent)
{
  if (intent == NULL)
    return;
  g_free (intent->text);
  g_free (intent);
}

static AdmintIntent *
intent_new (AdmintIntentKind kind,
            guint            scene,
            const char      *text,
            gboolean         by_rule)
{
  AdmintIntent *intent = g_new0 (AdmintIntent, 1);

  intent->kind = kind;
  intent->scene = scene;
  intent->text = (text != NULL && text[0] != '\0') ? g_strdup (text) : NULL;
  intent->by_rule = by_rule;
  return intent;
}

/* Lower-case, trimmed, inner whitespace collapsed, trailing punctuation and politeness dropped. */
static char *
normalise (const char *reply)
{
  g_autofree char *lower = g_utf8_strdown (reply, -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
    }

  /* Trailing punctuation: "ok!", "looks good.", "try again?!" */
  while (out->len > 0 && strchr (".!?,;: ", out->str[out->len - 1]) != NULL)
    g_string_truncate (out, out->len - 1);

  static const char * const polite_suffixes[] = { " please", " thanks", " thank you", NULL };
  for (guint i = 0; polite_suffixes[i] != NULL; i++)
    if (g_str_has_suffix (out->str, polite_suffixes[i]) &&
        out->len > strlen (polite_suffixes[i]))
      {
        g_string_truncate (out, out->len - strlen (polite_suffixes[i]));
        while (out->len > 0 && strchr (".!?,;: ", out->str[out->len - 1]) != NULL)
          g_string_truncate (out, out->len - 1);
      }

  return g_string_free (out, FALSE);
}

static gboolean
in_list (const char * const *list,
         const char         *s)
{
  return g_strv_contains (list, s);
}

/* A scene number written as digits, a number word or an ordinal ("2", "two", "second"). */
static guint
parse_scene_number (const char *word)
{
  if (g_ascii_isdigit (word[0]))
    {
      guint64 n = g_ascii_strtoull (word, NULL, 10);
      return n <= 99 ? (guint) n : 0;
    }
  for (guint i = 1; number_words[i] != NULL; i++)
    if (strcmp (word, number_words[i]) == 0 || strcmp (word, ordinal_words[i]) == 0)
      return i;
  return 0;
}

/* Finds "scene N" (or "the second scene") and gives N plus what follows it. */
static guint
find_scene_reference (const char  *norm,
                      const char **after,
                      const char **before_end)
{
  g_autoptr(GMatchInfo) info = NULL;
  static GRegex *scene_n = NULL, *nth_scene = NULL;

  if (g_once_init_enter (&scene_n))
    {
      GRegex *re = g_regex_new ("\\bscene\\s*(?:#|no\\.?|number)?\\s*([0-9]+|[a-z]+)\\b",
                                G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&scene_n, re);
    }
  if (g_once_init_enter (&nth_scene))
    {
      GRegex *re = g_regex_new ("\\b(?:the\\s+)?([a-z]+)\\s+scene\\b", G_REGEX_OPTIMIZE, 0,
                                NULL);
      g_once_init_leave (&nth_scene, re);
    }

  GRegex *patterns[] = { scene_n, nth_scene };
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_clear_pointer (&info, g_match_info_unref);
      if (!g_regex_match (patterns[i], norm, 0, &info))
        continue;
      g_autofree char *word = g_match_info_fetch (info, 1);
      guint n = parse_scene_number (word);
      if (n == 0)
        continue;
      int start, end;
      g_match_info_fetch_pos (info, 0, &start, &end);
      *after = norm + end;
      *before_end = norm + start;
      return n;
    }
  return 0;
}

static char *
strip_leading (const char *s,
               const char *chars)
{
  while (*s != '\0' && strchr (chars, *s) != NULL)
    s++;
  return g_strstrip (g_strdup (s));
}

/* The scene text as the user wrote it (original case), found after the first ':' or '"'. */
/* The text trimmed of spaces and surrounding quotes; NULL when nothing is left. */
static char *
unquote (const char *s)
{
  static const char * const quotes[] = { "\"", "'", "“", "”", "‘", "’", NULL };

  if (s == NULL)
    return NULL;

  g_autofree char *text = g_strstrip (g_strdup (s));
  gboolean changed = TRUE;
  while (changed && text[0] != '\0')
    {
      changed = FALSE;
      for (guint i = 0; quotes[i] != NULL; i++)
        {
          gsize q = strlen (quotes[i]);
          if (g_str_has_prefix (text, quotes[i]))
            {
              memmove (text, text + q, strlen (text + q) + 1);
              changed = TRUE;
            }
          if (g_str_has_suffix (text, quotes[i]) && strlen (text) >= q)
            {
              text[strlen (text) - q] = '\0';
              changed = TRUE;
            }
        }
      g_strstrip (text);
    }
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static gboolean
starts_with_word (const char *s,
                  const char *word)
{
  gsize n = strlen (word);
  return strncmp (s, word, n) == 0 && (s[n] == '\0' || s[n] == ' ' || s[n] == ',');
}

AdmintIntent *
admint_intent_classify (const char *reply)
{
  g_autofree char *norm = NULL;
  const char *after = NULL, *before_end = NULL;

  g_return_val_if_fail (reply != NULL, NULL);

  norm = normalise (reply);
  if (norm[0] == '\0')
    return intent_new (ADMINT_INTENT_APPROVE, 0, NULL, TRUE);

  if (in_list (approve_phrases, norm))
    return intent_new (ADMINT_INTENT_APPROVE, 0, NULL, TRUE);
  if (in_list (regenerate_phrases, norm))
    return intent_new (ADMINT_INTENT_REGENERATE, 0, NULL, TRUE);

  /* Scene references are looked for in an ASCII-lowered copy, which keeps the reply's byte
   * offsets, so the new scene text can be taken from the reply with the user's capitals. */
  g_autofree char *lower = g_ascii_strdown (reply, -1);
  guint scene = find_scene_reference (lower, &after, &before_end);
  if (scene > 0)
    {
      static const char * const regen_words[] = {
        "regenerate", "redo", "re-do", "retry", "rewrite", "remake", "try", "new", "another",
        "replace", NULL
      };
      static const char * const to_forms[] = { "to ", "should be ", "should say ", "= ", NULL };
      g_autofree char *prefix = g_strndup (lower, before_end - lower);
      const char *rest_orig = reply + (after - lower);
      g_autofree char *rest = strip_leading (after, " :,-");
      g_autofree char *text = NULL;
      gboolean regen = FALSE;

      for (guint i = 0; regen_words[i] != NULL; i++)
        if (strstr (prefix, regen_words[i]) != NULL || starts_with_word (rest, regen_words[i]))
          regen = TRUE;
      if (strcmp (rest, "again") == 0 || g_str_has_suffix (rest, " again"))
        regen = TRUE;

      /* "scene 2: the hiker drinks" or "change scene 2 to …" replaces the scene's text. */
      text = unquote (strchr (rest_orig, ':') ? strchr (rest_orig, ':') + 1 : NULL);
      for (guint i = 0; text == NULL && to_forms[i] != NULL; i++)
        if (g_str_has_prefix (rest, to_forms[i]))
          {
            const char *found = strstr (after, to_forms[i]);
            text = unquote (rest_orig + (found - after) + strlen (to_forms[i]));
          }

      if (text != NULL && !regen)
        return intent_new (ADMINT_INTENT_EDIT_SCENE, scene, text, TRUE);
      if (regen)
        return intent_new (ADMINT_INTENT_REGENERATE_SCENE, scene, text, TRUE);
      /* "scene 3 is too dark": feedback aimed at one scene; it is remade with that feedback. */
      return intent_new (ADMINT_INTENT_REGENERATE_SCENE, scene, reply, TRUE);
    }

  /* "looks good, go ahead" / "ok and thanks": every part an approval. */
  {
    g_auto(GStrv) parts = g_regex_split_simple ("\\s*(?:,|;|\\band\\b|&)\\s*", norm, 0, 0);
    guint approvals = 0, total = 0;
    for (guint i = 0; parts[i] != NULL; i++)
      {
        g_autofree char *part = g_strstrip (g_strdup (parts[i]));
        if (part[0] == '\0')
          continue;
        total++;
        if (in_list (approve_phrases, part))
          approvals++;
      }
    if (total > 0 && approvals == total)
      return intent_new (ADMINT_INTENT_APPROVE, 0, NULL, TRUE);
  }

  /* "no, make it funnier" / "try again but shorter": feedback after a regenerate word. */
  static const char * const lead_ins[] = {
    "no", "nope", "try again", "again", "redo", "regenerate", "rewrite", "not quite", NULL
  };
  for (guint i = 0; lead_ins[i] != NULL; i++)
    if (starts_with_word (norm, lead_ins[i]))
      {
        g_autofree char *rest = strip_leading (norm + strlen (lead_ins[i]), " ,.;:-—");
        if (g_str_has_prefix (rest, "but "))
          {
            char *tmp = g_strdup (rest + 4);
            g_free (rest);
            rest = tmp;
          }
        if (rest[0] != '\0')
          return intent_new (ADMINT_INTENT_REFINE, 0, reply, TRUE);
      }

  /* A short, direct instruction is feedback. A long reply may mean anything: ask the agent. */
  guint words = 1;
  for (const char *p = norm; *p != '\0'; p++)
    if (*p == ' ')
      words++;
  return intent_new (ADMINT_INTENT_REFINE, 0, reply, words <= 12);
}
