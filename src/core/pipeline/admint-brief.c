/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a brief says: the product, the audience, the length, the brand, the benefits and tone.
 * Rules, not a model: the local provider must work offline and the same way every time. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <string.h>

#include "admint-brief.h"

void
admint_brief_free (AdmintBrief *brief)
{
  if (brief == NULL)
    return;
  g_free (brief->text);
  g_free (brief->product);
  g_free (brief->audience);
  g_free (brief->brand);
  g_free (brief->tone);
  g_clear_pointer (&brief->benefits, g_ptr_array_unref);
  g_clear_pointer (&brief->features, g_ptr_array_unref);
  g_clear_pointer (&brief->qualities, g_ptr_array_unref);
  g_clear_pointer (&brief->claims, g_ptr_array_unref);
  g_free (brief->handle);
  g_free (brief);
}

const char *
admint_brief_get_name (const AdmintBrief *brief)
{
  g_return_val_if_fail (brief != NULL, NULL);
  return brief->brand != NULL ? brief->brand : brief->product;
}

/* "eco-friendly water bottle" -> "Eco-Friendly Water Bottle". */
char *
admint_title_case (const char *s)
{
  GString *out = g_string_new (NULL);
  gboolean start = TRUE;

  for (const char *p = s; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, start ? g_unichar_totitle (c) : c);
      start = c == ' ' || c == '-';
    }
  return g_string_free (out, FALSE);
}

char *
admint_brief_get_title (const AdmintBrief *brief)
{
  g_return_val_if_fail (brief != NULL, NULL);
  return brief->brand != NULL ? g_strdup (brief->brand) : admint_title_case (brief->product);
}

static char *
match_group_full (const char *pattern,
                  const char *text,
                  int         group,
                  gboolean    caseless)
{
  g_autoptr(GRegex) re = g_regex_new (pattern, caseless ? G_REGEX_CASELESS : 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  g_assert (re != NULL);
  if (!g_regex_match (re, text, 0, &info))
    return NULL;
  char *s = g_match_info_fetch (info, group);
  if (s != NULL && s[0] == '\0')
    g_clear_pointer (&s, g_free);
  return s != NULL ? g_strstrip (s) : NULL;
}

static char *
match_group (const char *pattern,
             const char *text,
             int         group)
{
  return match_group_full (pattern, text, group, TRUE);
}

static int
parse_seconds (const char *text)
{
  g_autofree char *n = NULL;
  static const struct { const char *words; int seconds; } spelled[] = {
    { "half[- ]a[- ]minute", 30 }, { "one[- ]minute", 60 }, { "a[- ]minute", 60 },
    { "fifteen[- ]second", 15 }, { "thirty[- ]second", 30 }, { "sixty[- ]second", 60 },
    { "twenty[- ]second", 20 }, { "ten[- ]second", 10 }, { "forty[- ]five[- ]second", 45 },
  };

  if ((n = match_group ("\\b([0-9]{1,4})\\s*-?\\s*(?:s|sec|secs|second|seconds)\\b", text, 1)))
    return (int) g_ascii_strtoll (n, NULL, 10);
  g_clear_pointer (&n, g_free);
  if ((n = match_group ("\\b([0-9]{1,2})\\s*-?\\s*(?:min|mins|minute|minutes)\\b", text, 1)))
    return (int) g_ascii_strtoll (n, NULL, 10) * 60;
  for (gsize i = 0; i < G_N_ELEMENTS (spelled); i++)
    {
      g_autofree char *pattern = g_strdup_printf ("\\b%s", spelled[i].words);
      g_autofree char *m = match_group (pattern, text, 0);
      if (m != NULL)
        return spelled[i].seconds;
    }
  return 0;
}

/* Drops a leading article and trailing punctuation: "an eco-friendly bottle." -> "eco-friendly
 * bottle". */
static char *
tidy_phrase (char *phrase)
{
  if (phrase == NULL)
    return NULL;
  g_autofree char *out = NULL;
  out = match_group ("^(?:a|an|the|our|my|your)\\s+(.*)$", phrase, 1);
  if (out == NULL)
    out = g_strdup (phrase);
  g_free (phrase);
  gsize len = strlen (out);
  while (len > 0 && strchr (".,;:!?\"' ", out[len - 1]) != NULL)
    out[--len] = '\0';
  return len > 0 ? g_steal_pointer (&out) : NULL;
}

static const char * const tone_words[][2] = {
  { "funny", "playful" }, { "humorous", "playful" }, { "playful", "playful" },
  { "fun", "playful" }, { "luxury", "premium" }, { "premium", "premium" },
  { "elegant", "premium" }, { "emotional", "emotional" }, { "heartfelt", "emotional" },
  { "inspiring", "inspiring" }, { "epic", "inspiring" }, { "energetic", "energetic" },
  { "bold", "energetic" }, { "calm", "calm" }, { "minimal", "calm" }, { "serious", "serious" },
};

static const char * const benefit_adjectives[] = {
  "eco-friendly", "reusable", "lightweight", "durable", "affordable", "organic", "recycled",
  "sustainable", "waterproof", "insulated", "portable", "compact", "fast", "quiet", "healthy",
  "vegan", "handmade", "wireless", "rechargeable", "biodegradable", "plastic-free", "leak-proof",
  NULL
};

static guint
admint_count_words_simple (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    n += words[i][0] != '\0';
  return n;
}

/* TRUE when a claim already says TEXT; a claim that TEXT says more fully is replaced by it. */
static gboolean
claims_cover (GPtrArray  *claims,
              const char *text)
{
  for (guint i = 0; i < claims->len; i++)
    if (strstr (g_ptr_array_index (claims, i), text) != NULL)
      return TRUE;
    else if (strstr (text, g_ptr_array_index (claims, i)) != NULL)
      {
        g_free (claims->pdata[i]);
        claims->pdata[i] = g_strdup (text);
        return TRUE;
      }
  return FALSE;
}

/* Concrete claims: the benefits and features found, then every clause of the brief with a
 * number, a price or an offer in it ("20% off", "free shipping", "2-year warranty"). */
static void
collect_claims (AdmintBrief *brief)
{
  g_autoptr(GRegex) split = g_regex_new ("[,;.!?]\\s+|[;!?]|\\.$|\\s+(?:and|but|plus)\\s+|\\s*[—–]\\s*",
                                         G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) concrete = g_regex_new ("[0-9]|\\b(?:free|off|save|guarantee\\w*|warrant\\w*|"
                                            "discount|deal|offer|promo|code|refund)\\b",
                                            G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) lead = g_regex_new ("^(?:that|which|with|it|now|and|plus|also|"
                                        "(?:a|an|the)\\s+(?=\\d))\\s+", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) length = g_regex_new ("^\\s*(?:a\\s+)?[0-9]{1,4}\\s*-?\\s*(?:s|sec|secs|second|"
                                          "seconds|min|mins|minute|minutes)\\b",
                                          G_REGEX_CASELESS, 0, NULL);
  g_autofree char *handle = match_group ("((?:https?://)?(?:www\\.)?[a-z0-9-]+\\.(?:com|org|net|io|"
                                         "co|shop|store|app|de|fr|uk)(?:/[\\w/-]*)?|@[A-Za-z0-9_]{2,})",
                                         brief->text, 1);
  g_auto(GStrv) parts = g_regex_split (split, brief->text, 0);

  brief->claims = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < brief->benefits->len; i++)
    g_ptr_array_add (brief->claims, g_strdup (g_ptr_array_index (brief->benefits, i)));
  for (guint i = 0; i < brief->features->len; i++)
    g_ptr_array_add (brief->claims, g_strdup (g_ptr_array_index (brief->features, i)));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *clause = g_regex_replace (lead, g_strstrip (parts[i]), -1, 0, "", 0, NULL);

      /* "20% off at aquapeak.com": the address is the handle, the rest the claim. */
      if (handle != NULL && strstr (clause, handle) != NULL)
        {
          g_autofree char *escaped = g_regex_escape_string (handle, -1);
          g_autofree char *pattern = g_strdup_printf ("\\s*(?:at|on|from|via)?\\s*%s", escaped);
          g_autoptr(GRegex) re = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
          char *without = g_regex_replace_literal (re, clause, -1, 0, "", 0, NULL);
          g_free (clause);
          clause = without;
        }

      clause = tidy_phrase (g_steal_pointer (&clause));
      if (clause == NULL || !g_regex_match (concrete, clause, 0, NULL) ||
          g_regex_match (length, clause, 0, NULL) ||
          admint_count_words_simple (clause) > 12 || claims_cover (brief->claims, clause))
        continue;
      g_ptr_array_add (brief->claims, g_steal_pointer (&clause));
    }
  brief->handle = g_steal_pointer (&handle);
}

gboolean
admint_brief_get_figure (const AdmintBrief *brief,
                         char             **figure,
                         char             **label,
                         guint             *claim_index)
{
  g_autoptr(GRegex) re = g_regex_new ("(?<![\\w])(\\$|€|£)?([0-9]+(?:[.,][0-9]+)?)\\s*(%|x\\b|hours?|h\\b|"
                                      "days?|years?|months?|minutes?|seconds?|km|miles?|kg|g\\b|ml|l\\b|"
                                      "oz|°)?", G_REGEX_CASELESS, 0, NULL);

  g_return_val_if_fail (brief != NULL, FALSE);

  for (guint i = 0; brief->claims != NULL && i < brief->claims->len; i++)
    {
      const char *claim = g_ptr_array_index (brief->claims, i);
      g_autoptr(GMatchInfo) info = NULL;
      int start, end;

      /* An offer ("15% off with code X") is the end card's, not a proof to count up. */
      if (g_regex_match_simple ("\\b(?:off|free|save|discount|deal|offer|code)\\b", claim,
                                G_REGEX_CASELESS, 0) ||
          !g_regex_match (re, claim, 0, &info))
        continue;
      g_autofree char *cur = g_match_info_fetch (info, 1);
      g_autofree char *num = g_match_info_fetch (info, 2);
      g_autofree char *unit = g_match_info_fetch (info, 3);
      g_autofree char *short_unit = NULL;
      g_match_info_fetch_pos (info, 0, &start, &end);
      if (unit == NULL || *unit == '\0')
        short_unit = g_strdup ("");
      else if (g_ascii_strncasecmp (unit, "hour", 4) == 0)
        short_unit = g_strdup (" h");
      else if (g_ascii_strncasecmp (unit, "second", 6) == 0)
        short_unit = g_strdup (" s");
      else if (strcmp (unit, "%") == 0 || strcmp (unit, "°") == 0)
        short_unit = g_strdup (unit);
      else
        short_unit = g_strconcat (" ", unit, NULL);
      *figure = g_strconcat (cur ? cur : "", num, short_unit, NULL);
      /* The label: the claim without the figure's own words ("for", "up to" before it). */
      g_autofree char *before = g_strndup (claim, start);
      g_autofree char *rest = g_strconcat (g_strchomp (before), " ", claim + end, NULL);
      g_autoptr(GRegex) tail = g_regex_new ("\\s+(?:for|up\\s+to|in|over|of|at|by)\\s*$|^\\s+|\\s+$",
                                            G_REGEX_CASELESS, 0, NULL);
      g_autofree char *trimmed = g_regex_replace (tail, g_strstrip (rest), -1, 0, "", 0, NULL);
      g_autoptr(GRegex) head = g_regex_new ("^(?:of|in|per|a|an)\\s+", G_REGEX_CASELESS, 0, NULL);
      g_autofree char *headless = g_regex_replace (head, trimmed, -1, 0, "", 0, NULL);
      *label = *headless ? g_strdup (headless) : g_strdup (claim);
      if ((*label)[0] != '\0')
        (*label)[0] = g_ascii_toupper ((*label)[0]);
      if (claim_index != NULL)
        *claim_index = i;
      return TRUE;
    }
  return FALSE;
}

AdmintBrief *
admint_brief_parse (const char *text)
{
  AdmintBrief *brief = g_new0 (AdmintBrief, 1);
  g_autofree char *lower = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  brief->text = g_strstrip (g_strdup (text));
  brief->benefits = g_ptr_array_new_with_free_func (g_free);
  brief->features = g_ptr_array_new_with_free_func (g_free);
  brief->qualities = g_ptr_array_new_with_free_func (g_free);
  brief->target_seconds = parse_seconds (brief->text);
  lower = g_utf8_strdown (brief->text, -1);

  /* The length is not part of the product: "30-second ad for …", "Funny 1 minute video …". */
  g_autoptr(GRegex) length_re = g_regex_new ("\\b(?:[0-9]{1,4}\\s*-?\\s*(?:s|sec|secs|second|seconds|"
                                             "min|mins|minute|minutes)|half[- ]a[- ]minute|"
                                             "(?:one|a)[- ]minute|(?:ten|fifteen|twenty|thirty|"
                                             "forty[- ]five|sixty)[- ]second)\\b\\s*",
                                             G_REGEX_CASELESS, 0, NULL);
  g_autofree char *no_length = g_regex_replace_literal (length_re, brief->text, -1, 0, "", 0,
                                                        NULL);

  /* The product: what the ad is "for"/"about"/"promoting", up to the next clause. */
  static const char *product_patterns[] = {
    "\\b(?:ad|advert|advertisement|commercial|video|spot|promo|clip|teaser)\\s+"
      "(?:for|about|of|promoting|selling|on)\\s+(.+?)(?=,|;|\\.|\\s+for\\s+|\\s+aimed\\s+|"
      "\\s+called\\s+|\\s+named\\s+|"
      "\\s+targeting\\s+|\\s+targeted\\s+|\\s+that\\s+|\\s+which\\s+|\\s+with\\s+|"
      "\\s+to\\s+|\\s+in\\s+a\\s+|$)",
    "\\b(?:promote|promoting|advertise|advertising|sell|selling|launch|launching|introduce|"
      "introducing)\\s+(.+?)(?=,|;|\\.|\\s+for\\s+|\\s+to\\s+|\\s+that\\s+|\\s+with\\s+|$)",
    "^(?:(?:a|an|the)\\s+)?(.+?)\\s+(?:ad|advert|advertisement|commercial|video|spot|promo)\\b",
    "^(.+?)(?=\\s+for\\s+|,|;|\\.|$)",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (product_patterns) && brief->product == NULL; i++)
    brief->product = tidy_phrase (match_group (product_patterns[i], no_length, 1));
  if (brief->product == NULL)
    brief->product = g_strdup ("our product");

  /* A brand: "called X", "named X", "brand X", or a capitalised name inside the product. */
  brief->brand = tidy_phrase (match_group_full ("\\b(?:called|named|brand(?:ed)?(?:\\s+name)?|by)"
                                                "\\s+[\"“']?([A-Z][\\w&'-]*(?:\\s+[A-Z][\\w&'-]*)*)",
                                                brief->text, 1, FALSE));
  if (brief->brand == NULL)
    {
      g_autoptr(GRegex) caps = g_regex_new ("\\b([A-Z][a-z0-9]+[A-Z][\\w]*|[A-Z][\\w]+(?:\\s+[A-Z]"
                                            "[\\w]+|\\s+\\d[\\w.]*)*)\\b", 0, 0, NULL);
      g_autoptr(GMatchInfo) info = NULL;
      if (g_regex_match (caps, brief->product, 0, &info))
        brief->brand = g_match_info_fetch (info, 1);
    }
  if (brief->brand != NULL && brief->product != NULL)
    {
      /* "AquaPeak, a reusable bottle": the product is then what follows the brand. */
      g_autofree char *escaped = g_regex_escape_string (brief->brand, -1);
      g_autofree char *pattern = g_strdup_printf ("%s\\s*,\\s*(?:a|an|the)\\s+(.+?)(?=,|;|\\.|"
                                                  "\\s+for\\s+|\\s+that\\s+|\\s+which\\s+|"
                                                  "\\s+with\\s+|$)", escaped);
      char *described = tidy_phrase (match_group (pattern, brief->text, 1));
      if (described != NULL)
        {
          g_free (brief->product);
          brief->product = described;
        }
    }

  /* The audience: "for hikers", "aimed at new parents", "targeting students". */
  static const char *audience_patterns[] = {
    "\\b(?:aimed\\s+at|targeting|targeted\\s+at|made\\s+for|designed\\s+for|for\\s+people\\s+who"
      "|audience(?:\\s+is)?:?)\\s+(.+?)(?=,|;|\\.|\\s+that\\s+|\\s+with\\s+|\\s+in\\s+|$)",
    ",\\s*for\\s+(.+?)(?=,|;|\\.|\\s+that\\s+|\\s+with\\s+|$)",
    "\\bfor\\s+(?!(?:a|an|the|our|my)\\b)([a-z][\\w -]*?)(?=,|;|\\.|\\s+that\\s+|\\s+with\\s+|$)",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (audience_patterns) && brief->audience == NULL; i++)
    {
      char *a = tidy_phrase (match_group (audience_patterns[i], brief->text, 1));
      if (a != NULL && brief->product != NULL && strstr (brief->product, a) != NULL)
        g_clear_pointer (&a, g_free);
      brief->audience = a;
    }

  /* Benefits ("that keeps water cold for 24 hours"), features ("with a lifetime warranty") and
   * qualities (adjectives such as "eco-friendly"). */
  char *benefit = tidy_phrase (match_group ("\\b(?:that|which)\\s+(.+?)(?=,(?!\\d)|;|\\.(?!\\d)|\\s+aimed\\s+|"
                                            "\\s+targeting\\s+|$)", brief->text, 1));
  if (benefit != NULL)
    g_ptr_array_add (brief->benefits, benefit);
  char *feature = match_group ("\\bwith\\s+(.+?)(?=,(?!\\d)|;|\\.(?!\\d)|\\s+for\\s+|$)", brief->text, 1);
  if (feature != NULL)
    {
      /* Features keep their article: "with a lifetime warranty" reads back as such. */
      gsize len = strlen (feature);
      while (len > 0 && strchr (".,;:!?\"' ", feature[len - 1]) != NULL)
        feature[--len] = '\0';
      g_ptr_array_add (brief->features, feature);
    }
  for (guint i = 0; benefit_adjectives[i] != NULL; i++)
    if (strstr (lower, benefit_adjectives[i]) != NULL)
      g_ptr_array_add (brief->qualities, g_strdup (benefit_adjectives[i]));

  collect_claims (brief);

  for (gsize i = 0; i < G_N_ELEMENTS (tone_words) && brief->tone == NULL; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("\\b%s\\b", tone_words[i][0]);
      g_autofree char *m = match_group (pattern, lower, 0);
      if (m != NULL)
        brief->tone = g_strdup (tone_words[i][1]);
    }

  return brief;
}
