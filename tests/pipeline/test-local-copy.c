/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local writer's copy as a marketer reads it: benefits that say something, the product
 * named with its article, every spoken line short enough for its scene, and something new on
 * screen every few seconds. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-config.h"
#include "admint-local-writer-private.h"
#include "admint-test-util.h"

/* Five briefs: generic product names with and without a vowel or a quality, a brand, a name
 * with a number in it, claims and offers. */
static const char * const briefs[] = {
  "30-second ad for a reusable water bottle for hikers",
  "30-second ad for an eco-friendly water bottle for commuters",
  "30-second ad for the XYZ Flask 2, keeps drinks hot for 12 hours, for campers",
  "30-second ad for AquaPeak, an insulated bottle that keeps water cold for 24 hours, for "
  "hikers. 20% off your first order",
  "20-second ad for a handmade leather wallet for dads, free shipping",
};

static AdmintFramework *
framework (const char *name)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  g_autoptr(GError) error = NULL;
  AdmintFramework *f = admint_config_get_framework (config, name, &error);
  g_assert_no_error (error);
  return f;
}

typedef void (*SceneCheck) (const AdmintBrief *brief,
                            JsonObject        *scene,
                            guint              index,
                            guint              n);

/* Every brief, framework and clip length the pipeline uses: the scenes as the local writer
 * writes them, each handed to CHECK. */
static void
for_each_scene (SceneCheck check)
{
  static const char * const frameworks[] = { "AIDA", "PAS", "FAB" };
  static const double clips[] = { 8, 6 };

  for (gsize b = 0; b < G_N_ELEMENTS (briefs); b++)
    for (gsize f = 0; f < G_N_ELEMENTS (frameworks); f++)
      for (gsize c = 0; c < G_N_ELEMENTS (clips); c++)
        for (guint32 seed = 1; seed <= 3; seed++)
          {
            g_autoptr(AdmintBrief) brief = admint_brief_parse (briefs[b]);
            g_autoptr(AdmintFramework) fw = framework (frameworks[f]);
            int target = brief->target_seconds > 0 ? brief->target_seconds : 30;
            g_autoptr(JsonNode) story = admint_local_write_story (brief, fw, target, seed, NULL,
                                                                  NULL);
            g_autoptr(JsonNode) node = admint_local_write_scenes (json_node_get_object (story),
                                                                  brief, target, clips[c], seed,
                                                                  NULL);
            JsonArray *scenes = json_node_get_array (node);
            guint n = json_array_get_length (scenes);

            for (guint i = 0; i < n; i++)
              {
                JsonObject *scene = json_array_get_object_element (scenes, i);

                if (seed == 1 && c == 0)
                  {
                    g_autofree char *lines = json_object_has_member (scene, "lines")
                      ? json_to_string (json_object_get_member (scene, "lines"), FALSE)
                      : g_strdup ("");
                    g_test_message ("%s / %s: %u %s %.1f s: [%s] %s | %s", briefs[b],
                                    frameworks[f], i,
                                    json_object_get_string_member (scene, "layout"),
                                    json_object_get_double_member (scene, "duration"),
                                    json_object_get_string_member (scene, "on_screen_text"),
                                    lines,
                                    json_object_get_string_member (scene, "voice_over"));
                  }
                check (brief, scene, i, n);
              }
          }
}

/* Every piece of on-screen text of a scene. */
static GPtrArray *
screen_texts (JsonObject *scene)
{
  GPtrArray *texts = g_ptr_array_new ();
  static const char * const members[] = { "on_screen_text", "cta", "offer" };

  for (gsize m = 0; m < G_N_ELEMENTS (members); m++)
    if (*json_object_get_string_member_with_default (scene, members[m], "") != '\0')
      g_ptr_array_add (texts, (gpointer) json_object_get_string_member (scene, members[m]));
  if (json_object_has_member (scene, "lines"))
    {
      JsonArray *lines = json_object_get_array_member (scene, "lines");
      for (guint i = 0; i < json_array_get_length (lines); i++)
        g_ptr_array_add (texts, (gpointer) json_array_get_string_element (lines, i));
    }
  return texts;
}

/* "Reusable." or "Reusable. Built to last.": a benefit said in one word says nothing. */
static void
check_no_single_word_benefit (const AdmintBrief *brief,
                              JsonObject        *scene,
                              guint              index,
                              guint              n)
{
  g_autoptr(GPtrArray) texts = screen_texts (scene);

  for (guint t = 0; t < texts->len; t++)
    {
      const char *text = g_ptr_array_index (texts, t);
      g_auto(GStrv) sentences = g_regex_split_simple ("[.!?:]\\s+", text, 0, 0);

      /* The product's bare name is a label, not a benefit. */
      if (g_str_equal (text, json_object_get_string_member_with_default (scene, "on_screen_text",
                                                                         "")) &&
          g_strcmp0 (json_object_get_string_member_with_default (scene, "layout", ""),
                     "end-card") == 0)
        continue;
      for (guint s = 0; sentences[s] != NULL; s++)
        {
          if (admint_count_words (sentences[s]) == 0)
            continue;
          if (admint_count_words (sentences[s]) < 2)
            g_test_message ("scene %u: one-word text “%s” in “%s”", index, sentences[s], text);
          g_assert_cmpuint (admint_count_words (sentences[s]), >=, 2);
        }
    }
  if (json_object_has_member (scene, "lines"))
    {
      JsonArray *lines = json_object_get_array_member (scene, "lines");
      for (guint i = 0; i < json_array_get_length (lines); i++)
        g_assert_cmpuint (admint_count_words (json_array_get_string_element (lines, i)), >=, 2);
    }
}

static void
test_no_single_word_benefit (void)
{
  for_each_scene (check_no_single_word_benefit);
}

/* The call to action is a button: two to four words ("Order yours now"), never the whole
 * spoken sentence. */
static void
check_button_short (const AdmintBrief *brief,
                    JsonObject        *scene,
                    guint              index,
                    guint              n)
{
  const char *cta = json_object_get_string_member_with_default (scene, "cta", "");

  if (*cta == '\0')
    return;
  if (admint_count_words (cta) > 4 || admint_count_words (cta) < 2)
    g_test_message ("scene %u: the button says “%s”", index, cta);
  g_assert_cmpuint (admint_count_words (cta), >=, 2);
  g_assert_cmpuint (admint_count_words (cta), <=, 4);
}

static void
test_button_short (void)
{
  for_each_scene (check_button_short);
}

/* Lower-case words of TEXT, punctuation dropped. */
static GStrv
words_of (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_autoptr(GRegex) re = g_regex_new ("[^\\w'%-]+", 0, 0, NULL);
  g_auto(GStrv) split = g_regex_split (re, lower, 0);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; split[i] != NULL; i++)
    if (*split[i] != '\0')
      g_strv_builder_add (b, split[i]);
  return g_strv_builder_end (b);
}

/* A generic product named in a sentence takes an article: "Meet the Reusable Water Bottle",
 * never "Meet Reusable Water Bottle"; "a" before a consonant, "an" before a vowel; no doubled
 * article ("the the XYZ Flask 2"). A brand is a name and takes none. */
static void
check_articles_in (const AdmintBrief *brief,
                   const char        *text,
                   guint              index)
{
  g_auto(GStrv) words = words_of (text);
  g_auto(GStrv) product = words_of (brief->product);
  guint np = g_strv_length (product);
  static const char * const determiners[] = { "the", "a", "an", "your", "our", "this", "their",
                                              "my", "his", "her", "its", "every", "one", NULL };
  static const char * const silent_h[] = { "hour", "hours", "honest", NULL };
  static const char * const you_sound[] = { "useful", "unique", "usb", "one", "user", NULL };

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i + 1] != NULL)
        {
          const char *next = words[i + 1];
          gboolean vowel = (strchr ("aeiou", next[0]) != NULL ||
                            g_strv_contains (silent_h, next)) &&
                           !g_strv_contains (you_sound, next);

          if ((g_str_equal (words[i], "a") && vowel) || (g_str_equal (words[i], "an") && !vowel))
            g_test_message ("scene %u: “%s %s” in “%s”", index, words[i], next, text);
          g_assert_false (g_str_equal (words[i], "a") && vowel);
          g_assert_false (g_str_equal (words[i], "an") && !vowel);
          if (g_strv_contains (determiners, words[i]) && g_strv_contains (determiners, next) &&
              !g_str_equal (next, "one"))
            g_test_message ("scene %u: “%s %s” in “%s”", index, words[i], next, text);
          g_assert_false (g_strv_contains (determiners, words[i]) &&
                          g_strv_contains (determiners, next) && !g_str_equal (next, "one"));
        }
      /* The generic product's full name, after another word: it needs its determiner. */
      if (brief->brand == NULL && np > 0 && i > 0)
        {
          gboolean match = TRUE;
          for (guint k = 0; k < np && match; k++)
            match = words[i + k] != NULL && g_str_equal (words[i + k], product[k]);
          if (match && !g_strv_contains (determiners, words[i - 1]))
            {
              /* "for hikers" or "eco-friendly water bottle" after its quality is fine when the
               * word before that has the article. */
              gboolean ok = FALSE;
              for (guint q = 0; i >= 2 && q < brief->qualities->len; q++)
                ok |= g_strv_contains (determiners, words[i - 2]) &&
                      g_ascii_strcasecmp (g_ptr_array_index (brief->qualities, q),
                                          words[i - 1]) == 0;
              if (!ok)
                g_test_message ("scene %u: “%s %s” without its article in “%s”", index,
                                words[i - 1], brief->product, text);
              g_assert_true (ok);
            }
        }
    }
}

static void
check_articles (const AdmintBrief *brief,
                JsonObject        *scene,
                guint              index,
                guint              n)
{
  g_autoptr(GPtrArray) texts = screen_texts (scene);

  g_ptr_array_add (texts, (gpointer) json_object_get_string_member_with_default (scene,
                                                                                "voice_over",
                                                                                ""));
  for (guint t = 0; t < texts->len; t++)
    check_articles_in (brief, g_ptr_array_index (texts, t), index);
}

static void
test_article_rule (void)
{
  for_each_scene (check_articles);
}

/* Each scene's spoken line fits between 0.2 s after its cut and 0.3 s before the next, at
 * 2.3 words a second (a normal voice at 1.0×). */
static void
check_line_fits (const AdmintBrief *brief,
                 JsonObject        *scene,
                 guint              index,
                 guint              n)
{
  const char *vo = json_object_get_string_member_with_default (scene, "voice_over", "");
  double duration = json_object_get_double_member (scene, "duration");
  guint budget = (guint) floor ((duration - 0.5) * 2.3 + 1e-6);

  if (admint_count_words (vo) > budget)
    g_test_message ("scene %u (%.1f s): %u words, %u fit: “%s”", index, duration,
                    admint_count_words (vo), budget, vo);
  g_assert_cmpuint (admint_count_words (vo), <=, budget);
}

static void
test_lines_fit_scenes (void)
{
  for_each_scene (check_line_fits);
}

/* The local critic sees a line too long for its scene. */
static void
test_critic_sees_long_line (void)
{
  g_autoptr(AdmintBrief) brief = admint_brief_parse (briefs[0]);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  double penalty;

  json_parser_load_from_data (parser,
    "[{\"duration\":5,\"on_screen_text\":\"Meet the Reusable Water Bottle\",\"voice_over\":"
    "\"What if the best part of your day came in a reusable water bottle you can count on, "
    "every single day?\"},{\"duration\":5,\"on_screen_text\":\"Order yours today\","
    "\"voice_over\":\"Order yours today.\"}]", -1, &error);
  g_assert_no_error (error);
  penalty = admint_local_critique_copy (json_node_get_array (json_parser_get_root (parser)),
                                        brief, reasons);
  g_assert_cmpfloat (penalty, >=, 1);
  g_assert_cmpuint (reasons->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (reasons, 0), "Scene 1's voice-over has 21 words"));
  g_assert_nonnull (strstr (g_ptr_array_index (reasons, 0), "fits about 10"));
  g_assert_cmpuint (admint_scene_word_budget (5.0), ==, 10);
  g_assert_cmpuint (admint_scene_word_budget (7.5), ==, 16);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/local-copy/no-single-word-benefit", test_no_single_word_benefit);
  g_test_add_func ("/local-copy/article-rule", test_article_rule);
  g_test_add_func ("/local-copy/button-short", test_button_short);
  g_test_add_func ("/local-copy/lines-fit-scenes", test_lines_fit_scenes);
  g_test_add_func ("/local-copy/critic-sees-long-line", test_critic_sees_long_line);
  return g_test_run ();
}
