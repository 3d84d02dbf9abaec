/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local writer's word budget: each scene's spoken line fits inside its scene. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-local-writer-private.h"

guint
admint_scene_word_budget (double duration)
{
  /* Spoken from 0.2 s after the cut to 0.3 s before the next (the sound stage's margins). */
  double window = MAX (0, duration - 0.5);

  return (guint) floor (window * ADMINT_SCENE_WORDS_PER_SECOND + 1e-6);
}

GStrv
admint_split_sentences (const char *text)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  const char *start = text != NULL ? text : "";

  while (*start == ' ')
    start++;
  for (const char *p = start; *p != '\0'; p++)
    if (strchr (".!?", *p) != NULL && (p[1] == ' ' || p[1] == '\0'))
      {
        g_autofree char *sentence = g_strstrip (g_strndup (start, p + 1 - start));

        if (*sentence != '\0')
          g_strv_builder_add (b, sentence);
        start = p + 1;
        while (*start == ' ')
          start++;
        p = start - 1;
      }
  if (*start != '\0')
    {
      g_autofree char *rest = g_strstrip (g_strdup (start));
      if (*rest != '\0')
        g_strv_builder_add (b, rest);
    }
  return g_strv_builder_end (b);
}

/* The brief's claim that SENTENCE says, or NULL. */
static const char *
claim_in (const char        *sentence,
          const AdmintBrief *brief)
{
  for (guint i = 0; brief != NULL && i < brief->claims->len; i++)
    if (admint_text_mentions (sentence, g_ptr_array_index (brief->claims, i)))
      return g_ptr_array_index (brief->claims, i);
  return NULL;
}

/* Whether SENTENCE carries what the scene must say: the product's name in the first scene, a
 * claim from the brief, the call to action in the last. */
static gboolean
must_say (const char        *sentence,
          const AdmintBrief *brief,
          const char        *name,
          const char        *title,
          const char        *cta,
          gboolean           first)
{
  if (first && (admint_text_mentions (sentence, name) || admint_text_mentions (sentence, title)))
    return TRUE;
  if (cta != NULL && *cta != '\0' && admint_text_mentions (sentence, cta))
    return TRUE;
  return claim_in (sentence, brief) != NULL;
}

/* SCENE's voice-over in at most its budget: the sentences it must say first, then the others
 * in order while they fit, said in their order; a needed sentence still too long is shortened
 * to whole words of its own. */
static void
fit_scene (JsonObject        *scene,
           const AdmintBrief *brief,
           const char        *name,
           const char        *title,
           gboolean           first)
{
  const char *vo = json_object_get_string_member_with_default (scene, "voice_over", "");
  guint budget = admint_scene_word_budget (json_object_get_double_member_with_default (
                                             scene, "duration", 0));
  g_auto(GStrv) sentences = NULL;
  g_autofree gboolean *keep = NULL;
  g_autofree gboolean *must = NULL;
  const char *cta = json_object_get_string_member_with_default (scene, "cta", NULL);
  guint n, used = 0;
  GString *out;

  if (admint_count_words (vo) <= budget)
    return;
  sentences = admint_split_sentences (vo);
  n = g_strv_length (sentences);
  keep = g_new0 (gboolean, n + 1);
  must = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    must[i] = must_say (sentences[i], brief, name, title, cta, first);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      if (!keep[i] && must[i] == (pass == 0))
        {
          guint w = admint_count_words (sentences[i]);

          if (used + w <= budget)
            keep[i] = TRUE, used += w;
          else if (pass == 0 && budget - used >= 3)
            {
              /* Needed, and too long for what is left: the claim it carries said alone, else
               * its own first words. */
              const char *claim = claim_in (sentences[i], brief);
              char *shorter = claim != NULL && admint_count_words (claim) <= budget - used
                              ? g_strdup_printf ("%c%s.", g_ascii_toupper (claim[0]), claim + 1)
                              : admint_local_shorten_line (sentences[i], budget - used);
              g_free (sentences[i]);
              sentences[i] = shorter;
              keep[i] = TRUE, used += admint_count_words (shorter);
            }
        }
  if (used == 0 && n > 0)
    {
      /* Nothing fits whole: the first sentence, shortened. */
      char *shorter = admint_local_shorten_line (sentences[0], MAX (budget, 1));
      g_free (sentences[0]);
      sentences[0] = shorter;
      keep[0] = TRUE;
    }
  out = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    if (keep[i])
      g_string_append_printf (out, "%s%s", out->len ? " " : "", sentences[i]);
  json_object_set_string_member (scene, "voice_over", out->str);
  g_string_free (out, TRUE);
}

void
admint_local_fit_voice_over (JsonArray         *scenes,
                             const AdmintBrief *brief)
{
  g_autofree char *title = brief != NULL ? admint_brief_get_title (brief) : NULL;
  const char *name = brief != NULL ? admint_brief_get_name (brief) : NULL;

  for (guint i = 0; i < json_array_get_length (scenes); i++)
    fit_scene (json_array_get_object_element (scenes, i), brief, name, title, i == 0);
}
