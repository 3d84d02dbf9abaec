/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local writer shortens a voice-over line that is too long to speak inside its scene: the
 * same line always gives the same shorter one, made of whole words of the original. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <string.h>

#include "admint-local-writer.h"

/* Words a line can lose without losing its sense, dropped first (last ones first). */
static const char * const fillers[] = {
  "really", "very", "truly", "simply", "just", "actually", "totally", "absolutely", "quite",
  "so", "all", "every", "single", "now", "today", "ever", NULL,
};

/* Words a line must not end on. */
static const char * const dangling[] = {
  "and", "or", "but", "with", "the", "a", "an", "of", "to", "for", "your", "our", "in", "on",
  "at", "by", "from", "that", "is", "are", "its", "their", "this", "as", NULL,
};

/* WORD without the punctuation around it, lower case. */
static char *
bare (const char *word)
{
  GString *out = g_string_new (NULL);

  for (const char *p = word; *p; p++)
    if (g_ascii_isalnum (*p) || *p == '\'' || (guchar) *p >= 0x80)
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static gboolean
is_one_of (const char         *word,
           const char * const *list)
{
  g_autofree char *b = bare (word);
  return g_strv_contains (list, b);
}

static gboolean
ends_clause (const char *word)
{
  gsize n = strlen (word);
  return n > 0 && strchr (",;:.!?", word[n - 1]) != NULL;
}

static char *
join (GPtrArray *words)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < words->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", (char *) g_ptr_array_index (words, i));
  return g_string_free (out, FALSE);
}

/* The last word ends the line: no comma or dash after it, a full stop unless it has one. */
static void
close_line (GPtrArray  *words,
            const char *final_mark)
{
  char *last = g_ptr_array_index (words, words->len - 1);
  gsize n = strlen (last);

  while (n > 0 && strchr (",;:-", last[n - 1]) != NULL)
    last[--n] = '\0';
  if (n > 0 && strchr (".!?", last[n - 1]) == NULL)
    {
      g_ptr_array_index (words, words->len - 1) = g_strconcat (last, final_mark, NULL);
      g_free (last);
    }
}

char *
admint_local_shorten_line (const char *line,
                           guint       max_words)
{
  g_auto(GStrv) split = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const char *final_mark = ".";
  gsize len;

  g_return_val_if_fail (line != NULL, NULL);

  split = g_strsplit_set (line, " \t\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0')
      g_ptr_array_add (words, g_strdup (split[i]));
  max_words = MAX (max_words, 1);
  if (words->len <= max_words)
    return g_strdup (line);
  len = strlen (line);
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  if (len > 0 && (line[len - 1] == '!' || line[len - 1] == '?'))
    final_mark = line[len - 1] == '!' ? "!" : "?";

  /* 1. Fillers, from the end. */
  for (guint i = words->len; i-- > 0 && words->len > max_words;)
    if (i > 0 && is_one_of (g_ptr_array_index (words, i), fillers) &&
        !ends_clause (g_ptr_array_index (words, i)))
      g_ptr_array_remove_index (words, i);

  /* 2. Whole clauses from the end, while the first one is kept. */
  while (words->len > max_words)
    {
      guint cut = 0;

      for (guint i = 0; i + 1 < words->len; i++)
        if (ends_clause (g_ptr_array_index (words, i)))
          cut = i + 1;
      if (cut == 0 || cut < words->len / 3)
        break;
      g_ptr_array_set_size (words, cut);
    }

  /* 3. The first words, not ending on one that leads on. */
  if (words->len > max_words)
    g_ptr_array_set_size (words, max_words);
  while (words->len > 1 && is_one_of (g_ptr_array_index (words, words->len - 1), dangling))
    g_ptr_array_set_size (words, words->len - 1);
  close_line (words, final_mark);
  return join (words);
}
