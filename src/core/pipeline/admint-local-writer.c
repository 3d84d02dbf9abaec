/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local provider's agents: a rule-based director, critic, scene writer, scene critic and
 * cohesor (admint-local-writer-cohere.c) driven by the framework YAML. Offline, no key,
 * deterministic for a seed. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-local-writer-private.h"

/* ---- small text helpers ----------------------------------------------------------------- */

guint
admint_count_words (const char *text)
{
  guint words = 0;
  gboolean in_word = FALSE;

  if (text == NULL)
    return 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean word_char = g_unichar_isalnum (c) || c == '\'' || c == '-';
      if (word_char && !in_word)
        words++;
      in_word = word_char;
    }
  return words;
}

static char *
capitalise (const char *s)
{
  if (s == NULL || *s == '\0')
    return g_strdup ("");
  gunichar first = g_unichar_totitle (g_utf8_get_char (s));
  char buf[8] = { 0 };
  g_unichar_to_utf8 (first, buf);
  return g_strconcat (buf, g_utf8_next_char (s), NULL);
}

/* "a" or "an" before a word, by its first letter. */
static const char *
article_for (const char *word)
{
  return word != NULL && strchr ("aeiouAEIOU", word[0]) != NULL ? "an" : "a";
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  if (haystack == NULL || needle == NULL || *needle == '\0')
    return FALSE;
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

/* Replaces {name}-style keys in a template from a NULL-terminated key/value list. */
static char *
fill (const char         *template_text,
      const char * const *pairs)
{
  GString *out = g_string_new (template_text);

  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      g_autofree char *key = g_strdup_printf ("{%s}", pairs[i]);
      g_string_replace (out, key, pairs[i + 1], 0);
    }
  return g_string_free (out, FALSE);
}

static const char *
pick (GRand              *rand,
      const char * const *options)
{
  guint n = g_strv_length ((char **) options);
  return options[g_rand_int_range (rand, 0, (gint32) n)];
}

/* ---- naming the product ------------------------------------------------------------------- */

char *
admint_local_named_title (const AdmintBrief *brief)
{
  g_autofree char *title = admint_brief_get_title (brief);

  /* A brand is a name ("Meet AquaPeak"); a generic product takes its article ("Meet the
   * Reusable Water Bottle"). */
  return brief->brand != NULL ? g_steal_pointer (&title) : g_strconcat ("the ", title, NULL);
}

char *
admint_local_generic_product (const AdmintBrief *brief)
{
  g_auto(GStrv) words = NULL;

  if (brief->brand == NULL || !contains_ci (brief->product, brief->brand))
    return g_strdup (brief->product);
  /* "XYZ Flask 2" is the brand itself: what it is, is its last common word ("flask"). */
  words = g_strsplit (brief->product, " ", -1);
  for (guint i = g_strv_length (words); i-- > 0;)
    {
      gboolean lower = FALSE, digit = FALSE;

      for (const char *p = words[i]; *p; p++)
        lower |= g_ascii_islower (*p), digit |= g_ascii_isdigit (*p);
      if (lower && !digit && i > 0)
        return g_ascii_strdown (words[i], -1);
    }
  return g_strdup ("product");
}

char *
admint_local_quality_phrase (const char *quality,
                             const char *product)
{
  static const char * const phrases[][2] = {
    { "reusable", "Refill it, skip the plastic" },
    { "eco-friendly", "Kinder to the planet, every day" },
    { "sustainable", "Made to waste less" },
    { "insulated", "Keeps cold drinks cold" },
    { "handmade", "Made by hand to last" },
    { "handcrafted", "Crafted by hand to last" },
    { "organic", "Grown the way nature meant" },
    { "waterproof", "Shrugs off the rain" },
    { "lightweight", "Light enough to forget it's there" },
    { "durable", "Tough enough for every day" },
    { "leak-proof", "Toss it in your bag, no leaks" },
    { "portable", "Goes wherever you go" },
    { "compact", "Fits in any bag" },
    { "affordable", "Great value, every day" },
    { "premium", "Made with the finest materials" },
    { "vegan", "Nothing from animals, all the taste" },
    { "recycled", "Made from what was thrown away" },
    { "smart", "Does the thinking for you" },
  };
  g_autofree char *q = g_ascii_strdown (quality, -1);
  g_autofree char *noun = NULL;
  const char *space;

  for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (g_str_equal (q, phrases[i][0]))
      return g_strdup (phrases[i][1]);
  /* Any other quality: a phrase about the thing itself ("A premium bottle that lasts"). */
  space = product != NULL ? strrchr (product, ' ') : NULL;
  noun = g_strdup (space != NULL ? space + 1 : product != NULL ? product : "one");
  return g_strdup_printf ("%s %s %s that lasts", g_str_equal (article_for (q), "an") ? "An" : "A", q, noun);
}

/* ---- what the writer knows about the brief, and what the feedback asks -------------------- */

typedef struct {
  char    *name;          /* the brand, or "the <product>", mid-sentence */
  char    *Name;          /* the same at the start of a sentence */
  char    *Title;         /* the brand, or the product in title case: on-screen text */
  char    *the_Title;     /* the brand, or "the <Product In Title Case>", mid-sentence */
  gboolean has_brand;
  gboolean brand_is_product; /* "XYZ Flask 2": the name says what it is ("flask") */
  char    *product;
  char    *audience;      /* "hikers", or "you" */
  char    *Audience;
  char    *quality;       /* "eco-friendly " or "" (with its space) */
  char    *feature;       /* " with a lifetime warranty" or "" */
  char    *benefit;       /* "keeps water cold for 24 hours", or a general promise */
  char    *tone;          /* playful, premium, emotional, inspiring, energetic, calm, serious */
  char    *setting;       /* "on the trail", from feedback; or a place for the audience */
  GPtrArray *emphasis;    /* things feedback asked to mention */
  gboolean compact;
  gboolean expand;
  GPtrArray *notes;       /* what this version did with the feedback */
} Facts;

static void
facts_clear (Facts *f)
{
  g_free (f->name);
  g_free (f->Name);
  g_free (f->Title);
  g_free (f->the_Title);
  g_free (f->product);
  g_free (f->audience);
  g_free (f->Audience);
  g_free (f->quality);
  g_free (f->feature);
  g_free (f->benefit);
  g_free (f->tone);
  g_free (f->setting);
  g_clear_pointer (&f->emphasis, g_ptr_array_unref);
  g_clear_pointer (&f->notes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

static char *
match_after (const char *pattern,
             const char *text)
{
  g_autoptr(GRegex) re = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  g_assert (re != NULL);
  if (!g_regex_match (re, text, 0, &info))
    return NULL;
  char *s = g_match_info_fetch (info, 1);
  g_strstrip (s);
  gsize len = strlen (s);
  while (len > 0 && strchr (".,;:!?", s[len - 1]) != NULL)
    s[--len] = '\0';
  if (len == 0)
    g_clear_pointer (&s, g_free);
  return s;
}

static void
apply_feedback (Facts      *f,
                const char *feedback)
{
  char *m;

  if (feedback == NULL || *feedback == '\0')
    return;

  if (g_regex_match_simple ("too long|shorter|shorten|trim|cut (it|some)|fewer words|tighter|"
                            "less text", feedback, G_REGEX_CASELESS, 0))
    {
      f->compact = TRUE;
      g_ptr_array_add (f->notes, g_strdup ("tightened the voice-over"));
    }
  else if (g_regex_match_simple ("too short|longer|more detail|expand|elaborate",
                                 feedback, G_REGEX_CASELESS, 0))
    {
      f->expand = TRUE;
      g_ptr_array_add (f->notes, g_strdup ("added detail to the voice-over"));
    }

  static const char * const tones[][2] = {
    { "funn|playful|humou?r|joke|light-?hearted", "playful" },
    { "premium|luxur|elegant|classy|upscale", "premium" },
    { "emotion|heartfelt|touching|moving", "emotional" },
    { "energ|exciting|bold|punchy|dynamic", "energetic" },
    { "calm|relax|soothing|minimal", "calm" },
    { "inspir|epic|uplifting", "inspiring" },
    { "serious|professional|formal", "serious" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (tones); i++)
    if (g_regex_match_simple (tones[i][0], feedback, G_REGEX_CASELESS, 0))
      {
        g_free (f->tone);
        f->tone = g_strdup (tones[i][1]);
        g_ptr_array_add (f->notes, g_strdup_printf ("made the tone %s", tones[i][1]));
        break;
      }

  if ((m = match_after ("\\b(?:mention|include|add|emphasi[sz]e|highlight|focus on|more about|"
                        "talk about|show)\\s+(?:the\\s+)?(.+?)(?=,|;|\\.|\\s+and\\s+make|$)",
                        feedback)) != NULL)
    {
      g_ptr_array_add (f->notes, g_strdup_printf ("mentioned %s", m));
      g_ptr_array_add (f->emphasis, m);
    }

  if ((m = match_after ("\\bset\\s+(?:it\\s+)?((?:at|in|on|by)\\s+.+?)(?=,|;|\\.|$)",
                        feedback)) != NULL)
    {
      g_free (f->setting);
      f->setting = m;
      g_ptr_array_add (f->notes, g_strdup_printf ("set it %s", f->setting));
    }

  if (g_regex_match_simple ("no call to action|call to action has no|clear action",
                            feedback, G_REGEX_CASELESS, 0))
    g_ptr_array_add (f->notes, g_strdup ("made the call to action explicit"));
  if (g_regex_match_simple ("not said|name .* not|mention the brand|brand name",
                            feedback, G_REGEX_CASELESS, 0))
    g_ptr_array_add (f->notes, g_strdup ("named the brand at the start and the end"));

  /* Said plainly when the rule-based writer cannot do what was asked: it writes words, it does
   * not pick music, voices, colours or footage. */
  {
    static const char * const beyond[][2] = {
      { "\\b(music|song|soundtrack|jingle|beat)\\b", "change the music" },
      { "\\b(voice|narrator|accent|sing)", "change the voice" },
      { "\\b(colou?rs?|palette|font|typeface)\\b", "change the colours or the type" },
      { "\\b(3d|animat\\w*|drone|footage|film|actor|celebrity|real people|cgi)\\b",
        "film or animate new footage" },
    };
    g_autoptr(GString) cant = g_string_new (NULL);
    guint understood = f->notes->len;

    for (gsize i = 0; i < G_N_ELEMENTS (beyond); i++)
      if (g_regex_match_simple (beyond[i][0], feedback, G_REGEX_CASELESS, 0))
        g_string_append_printf (cant, "%s%s", cant->len ? ", " : "", beyond[i][1]);
    if (cant->len > 0 || understood == 0)
      {
        g_autofree char *what = understood > 0 ? NULL
                                : g_strdup ("drew new wording for the same beats");
        g_ptr_array_insert (f->notes, 0,
                            g_strdup_printf ("Offline I can't %s; here is what I changed",
                                             cant->len ? cant->str
                                                       : "follow that direction as written"));
        if (what != NULL)
          g_ptr_array_add (f->notes, g_steal_pointer (&what));
      }
  }
}

static void
facts_init (Facts             *f,
            const AdmintBrief *brief,
            JsonObject        *previous,
            const char        *feedback,
            int                target_seconds)
{
  f->has_brand = brief->brand != NULL;
  f->name = f->has_brand ? g_strdup (brief->brand) : g_strconcat ("the ", brief->product, NULL);
  f->Name = capitalise (f->name);
  f->Title = admint_brief_get_title (brief);
  f->the_Title = admint_local_named_title (brief);
  f->product = admint_local_generic_product (brief);
  f->brand_is_product = f->has_brand && contains_ci (brief->product, brief->brand);
  f->audience = g_strdup (brief->audience ? brief->audience : "you");
  f->Audience = capitalise (f->audience);
  f->quality = brief->qualities->len > 0 ? g_strconcat (g_ptr_array_index (brief->qualities, 0),
                                                        " ", NULL) : g_strdup ("");
  /* Avoid "eco-friendly eco-friendly water bottle". */
  if (*f->quality != '\0' && contains_ci (f->product, g_ptr_array_index (brief->qualities, 0)))
    {
      g_free (f->quality);
      f->quality = g_strdup ("");
    }
  f->feature = brief->features->len > 0
               ? g_strconcat (" with ", (char *) g_ptr_array_index (brief->features, 0), NULL)
               : g_strdup ("");
  f->benefit = brief->benefits->len > 0 ? g_strdup (g_ptr_array_index (brief->benefits, 0))
                                        : NULL;
  f->tone = g_strdup (brief->tone);
  f->emphasis = g_ptr_array_new_with_free_func (g_free);
  f->notes = g_ptr_array_new_with_free_func (g_free);

  /* A revision keeps what earlier feedback asked for, then applies the new feedback. */
  if (previous != NULL)
    {
      if (json_object_has_member (previous, "tone") &&
          !JSON_NODE_HOLDS_NULL (json_object_get_member (previous, "tone")))
        {
          g_free (f->tone);
          f->tone = g_strdup (json_object_get_string_member (previous, "tone"));
        }
      if (json_object_has_member (previous, "setting"))
        f->setting = g_strdup (json_object_get_string_member (previous, "setting"));
      if (json_object_has_member (previous, "emphasis"))
        {
          JsonArray *e = json_object_get_array_member (previous, "emphasis");
          for (guint i = 0; i < json_array_get_length (e); i++)
            g_ptr_array_add (f->emphasis, g_strdup (json_array_get_string_element (e, i)));
        }
      f->compact = json_object_get_boolean_member_with_default (previous, "compact", FALSE);
    }
  apply_feedback (f, feedback);

  /* A short ad has room for one line a beat: four beats of full lines take about 13 s. */
  if (target_seconds * ADMINT_WORDS_PER_SECOND < 40 && !f->compact)
    {
      f->compact = TRUE;
      g_ptr_array_add (f->notes, g_strdup_printf ("kept to one line a beat for a %d-second ad",
                                                  target_seconds));
    }
}

/* ---- the director ------------------------------------------------------------------------- */

typedef struct {
  const char *beat;              /* lower-case beat name it serves */
  const char *texts[4];          /* voice-over choices, NULL-terminated */
  const char *unbranded[3];      /* choices when the brief names no brand (else texts) */
  const char *visual;
  const char *overlay;           /* the on-screen line: a few words */
} BeatTemplate;

/* {Name}/{name}: the brand, or "The/the <product>" when the brief names none; {Title}: the
 * brand or the product in title case, for on-screen text. */
static const BeatTemplate beat_templates[] = {
  { "attention",
    { "{Audience}, this one is for you.", "Stop scrolling: meet {name}.",
      "What if the best part of your day came in {a_product} {product}?", NULL },
    { NULL },
    "A striking opening close-up of the {product}{setting_phrase}, in bright natural light",
    "Meet {the_Title}" },
  { "interest",
    { "{Name} is the {quality}{product}{feature}.",
      "Meet {Name}: {a_quality} {quality}{product}{feature}.", NULL },
    { "Meet the {quality}{product}{feature}, made for {audience_people}.",
      "This is the {quality}{product}{feature}.", NULL },
    "The {product} in use by {audience_people}{setting_phrase}, its standout detail in focus",
    "{Quality_line}" },
  { "desire",
    { "Picture your day with it: {outcome}.", "Imagine it: {outcome}.", NULL },
    { NULL },
    "{Audience_people} enjoying the result{setting_phrase}, the {product} within reach, warm light",
    "Made for {Audience_title}" },
  { "action",
    { "{cta}", NULL },
    { NULL },
    "The {product} centred on a clean background in the brand colours, logo and call to action "
    "on screen",
    "{cta_line}" },
  { "problem",
    { "{Audience} know the feeling: the {product} you have lets you down when it matters.",
      "Here is a problem {audience} know too well.", NULL },
    { NULL },
    "{Audience_people} frustrated by an ordinary {product}{setting_phrase}, muted colours",
    "Sound familiar?" },
  { "agitation",
    { "And every time, it costs you time, money and a little patience.",
      "It keeps happening, and it adds up.", NULL },
    { NULL },
    "Quick cuts of the same small frustration repeating, tension building",
    "It adds up" },
  { "solution",
    { "{Name} fixes that: {outcome}. {cta}", "Enter {name}: {outcome}. {cta}", NULL },
    { NULL },
    "The {product} arrives and the scene brightens{setting_phrase}; the brand and call to action "
    "on screen",
    "{cta_line}" },
  { "features",
    { "This is {Name}: {a_quality} {quality}{product}{feature}.", "Say hello to {name}{feature}.",
      NULL },
    { "This is the {quality}{product}{feature}.", NULL },
    "A clean product shot of the {product}, rotating slowly to show its standout feature",
    "{Quality_line}" },
  { "advantages",
    { "Unlike ordinary options, it {benefit_or_promise}.",
      "Where others fall short, it {benefit_or_promise}.", NULL },
    { NULL },
    "Side by side: an ordinary alternative and the {product}, the difference obvious",
    "Better by design" },
  { "benefits",
    { "So {audience} get {outcome_noun}. {cta}", "That means {outcome_noun} for {audience}. {cta}",
      NULL },
    { NULL },
    "{Audience_people} enjoying life with the {product}{setting_phrase}; brand and call to "
    "action on screen",
    "{cta_line}" },
};

static const char * const tone_lines[][2] = {
  { "playful", "Yes, really." },
  { "premium", "Crafted, not just made." },
  { "emotional", "Because the moments matter." },
  { "energetic", "Let's go." },
  { "inspiring", "Go further." },
  { "calm", "Simple. Easy." },
  { "serious", "Built to be trusted." },
};

static const char * const cta_templates[] = {
  "Get {name} today.", "Order {name} now: link below.", "Try {name} today.",
  "Find {name} online today.", NULL
};

static JsonNode *
story_beat (const char *name,
            const char *goal,
            const char *text,
            const char *visual,
            const char *overlay)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "goal");
  json_builder_add_string_value (b, goal);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "visual");
  json_builder_add_string_value (b, visual);
  json_builder_set_member_name (b, "on_screen_text");
  json_builder_add_string_value (b, overlay);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Still over the length when tightened (a 6-second ad has room for about 15 words): the middle
 * beats say only their on-screen line, when it says enough, and the voice-over is rebuilt. */
static void
fit_to_length (JsonObject *story,
               int         target_seconds)
{
  JsonArray *beats = json_object_get_array_member (story, "beats");
  guint n = json_array_get_length (beats);
  double budget = target_seconds * ADMINT_WORDS_PER_SECOND;

  if (admint_count_words (json_object_get_string_member (story, "voice_over")) <= budget)
    return;

  GString *vo = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *beat = json_array_get_object_element (beats, i);
      const char *line = json_object_get_string_member_with_default (beat, "on_screen_text", "");
      if (i > 0 && i + 1 < n && admint_count_words (line) >= 3 &&
          admint_count_words (line) < admint_count_words (json_object_get_string_member (beat,
                                                                                         "text")))
        {
          g_autofree char *said = g_str_has_suffix (line, ".") || g_str_has_suffix (line, "?")
                                  ? g_strdup (line) : g_strconcat (line, ".", NULL);
          json_object_set_string_member (beat, "text", said);
        }
      g_string_append_printf (vo, "%s%s", vo->len ? " " : "",
                              json_object_get_string_member (beat, "text"));
    }
  json_object_set_string_member (story, "voice_over", vo->str);
  g_string_free (vo, TRUE);
}

/* The story's members after its beats: the whole voice-over, the call to action, and what a
 * revision must keep (tone, setting, emphasis, compactness) with the notes on this version. */
static void
story_tail (JsonBuilder *b,
            const Facts *f,
            const char  *voice_over,
            const char  *cta,
            int          target_seconds)
{
  json_builder_set_member_name (b, "voice_over");
  json_builder_add_string_value (b, voice_over);
  json_builder_set_member_name (b, "call_to_action");
  json_builder_add_string_value (b, cta);
  json_builder_set_member_name (b, "target_seconds");
  json_builder_add_int_value (b, target_seconds);
  json_builder_set_member_name (b, "tone");
  if (f->tone != NULL)
    json_builder_add_string_value (b, f->tone);
  else
    json_builder_add_null_value (b);
  if (f->setting != NULL)
    {
      json_builder_set_member_name (b, "setting");
      json_builder_add_string_value (b, f->setting);
    }
  json_builder_set_member_name (b, "compact");
  json_builder_add_boolean_value (b, f->compact);
  json_builder_set_member_name (b, "emphasis");
  json_builder_begin_array (b);
  for (guint e = 0; e < f->emphasis->len; e++)
    json_builder_add_string_value (b, g_ptr_array_index (f->emphasis, e));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint n = 0; n < f->notes->len; n++)
    json_builder_add_string_value (b, g_ptr_array_index (f->notes, n));
  json_builder_end_array (b);
}

/* One beat's voice-over, visual and on-screen line, from its template (or its goal, for a
 * custom framework's beat), the tone, the asked-for mentions and the close. */
static void
write_beat (const Facts        *f,
            AdmintFramework    *framework,
            guint               i,
            GRand              *rand,
            const char * const *pairs,
            const char         *cta,
            const char         *cta_line,
            const char         *setting_phrase,
            const char         *audience_people,
            char              **text_out,
            char              **visual_out,
            char              **overlay_out)
{
  guint n_beats = admint_framework_get_n_beats (framework);
  const char *beat_name = admint_framework_get_beat_name (framework, i);
  const char *goal = admint_framework_get_beat_goal (framework, i);
  g_autofree char *key = g_ascii_strdown (beat_name, -1);
  const BeatTemplate *t = NULL;
  g_autofree char *text = NULL;
  g_autofree char *visual = NULL;

  for (gsize k = 0; k < G_N_ELEMENTS (beat_templates); k++)
    if (strcmp (beat_templates[k].beat, key) == 0)
      t = &beat_templates[k];

  const char * const *choices = t == NULL ? NULL
                                : (!f->has_brand && t->unbranded[0] != NULL) ? t->unbranded
                                : t->texts;
  g_autofree char *overlay = t != NULL ? fill (t->overlay, pairs) : NULL;

  if (t != NULL && f->compact)
    {
      /* Tightened: the shortest line the beat has, its first sentence only. */
      const char *shortest = choices[0];
      for (guint k = 1; choices[k] != NULL; k++)
        if (strlen (choices[k]) < strlen (shortest))
          shortest = choices[k];
      g_autofree char *full = fill (shortest, pairs);
      const char *stop = full;
      while (*stop != '\0' && strchr (".!?", *stop) == NULL)
        stop++;
      /* "Stop scrolling: meet AquaPeak." keeps its first sentence; "Picture your day with
       * it: a bottle you …" tightens to its lead-in when that still says something. */
      const char *colon = memchr (full, ':', stop - full);
      if (colon != NULL)
        {
          g_autofree char *lead = g_strndup (full, colon - full);
          if (admint_count_words (lead) >= 3)
            stop = colon;
        }
      text = g_strdup_printf ("%.*s%c", (int) (stop - full), full,
                              *stop == '!' || *stop == '?' ? *stop : '.');
      visual = fill (t->visual, pairs);
    }
  else if (t != NULL)
    {
      /* "XYZ Flask 2 is the flask" says nothing: a product named by its brand is introduced
       * by whom it is for. */
      text = f->brand_is_product && (g_str_equal (key, "interest") || g_str_equal (key, "features"))
             ? fill ("{Name}, built for {audience_people}.", pairs)
             : fill (pick (rand, choices), pairs);
      visual = fill (t->visual, pairs);
    }
  else
    {
      /* A custom framework's beat: say its goal about this product. */
      g_autofree char *g = g_strdup (goal);
      gsize len = strlen (g);
      while (len > 0 && strchr (". ", g[len - 1]) != NULL)
        g[--len] = '\0';
      text = (i + 1 == n_beats) ? g_strdup (cta)
                                : fill ("{Name}: {benefit_or_promise}.", pairs);
      visual = g_strdup_printf ("%s, featuring the %s%s", g, f->product, setting_phrase);
      overlay = i + 1 == n_beats ? g_strdup (cta_line) : g_strdup (f->Title);
    }

  /* The tone's signature line opens the ad; asked-for mentions land before the close. */
  if (i == 0 && f->tone != NULL && !f->compact)
    for (gsize k = 0; k < G_N_ELEMENTS (tone_lines); k++)
      if (g_strcmp0 (tone_lines[k][0], f->tone) == 0)
        {
          char *with = g_strconcat (text, " ", tone_lines[k][1], NULL);
          g_free (text);
          text = with;
        }
  if (i + 2 == n_beats || (n_beats == 1))
    for (guint e = 0; e < f->emphasis->len; e++)
      {
        char *with = g_strdup_printf ("%s And yes: %s.", text,
                                      (char *) g_ptr_array_index (f->emphasis, e));
        g_free (text);
        text = with;
      }
  if (f->expand && i + 1 < n_beats)
    {
      char *with = g_strdup_printf ("%s It is %smade for %s.", text, f->quality,
                                    audience_people);
      g_free (text);
      text = with;
    }
  /* The closing beat always names the brand and says what to do. */
  if (i + 1 == n_beats && !contains_ci (text, cta))
    {
      char *with = g_strconcat (text, " ", cta, NULL);
      g_free (text);
      text = with;
    }
  *text_out = g_steal_pointer (&text);
  *visual_out = g_steal_pointer (&visual);
  *overlay_out = g_steal_pointer (&overlay);
}

JsonNode *
admint_local_write_story (const AdmintBrief *brief,
                          AdmintFramework   *framework,
                          int                target_seconds,
                          guint32            seed,
                          JsonObject        *previous,
                          const char        *feedback)
{
  g_auto(Facts) f = { 0 };
  g_autoptr(GRand) rand = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n_beats;
  int version = 1;

  g_return_val_if_fail (brief != NULL, NULL);
  g_return_val_if_fail (framework != NULL, NULL);
  g_return_val_if_fail (target_seconds > 0, NULL);

  facts_init (&f, brief, previous, feedback, target_seconds);
  if (previous != NULL)
    version = (int) json_object_get_int_member_with_default (previous, "version", 1) + 1;
  /* Each version draws different wording, the same way for the same seed. */
  rand = g_rand_new_with_seed (seed + (guint32) (version - 1) * 7919u);

  g_autofree char *cta = fill (pick (rand, cta_templates),
                               (const char *[]) { "name", f.name, "Name", f.Name, NULL });
  g_autofree char *outcome = NULL;
  g_autofree char *outcome_noun = NULL;
  g_autofree char *described = g_strconcat (f.quality, f.product, NULL);
  const char *a = article_for (described);
  if (f.benefit != NULL)
    outcome = g_strdup_printf ("%s %s that %s", a, described, f.benefit);
  else
    outcome = g_strdup_printf ("%s %s you can count on, every single day", a, described);
  outcome_noun = f.benefit != NULL
                 ? g_strdup_printf ("%s %s that %s", article_for (f.product), f.product, f.benefit)
                 : g_strdup_printf ("%s %s they can count on", a, described);
  g_autofree char *benefit_or_promise = g_strdup (f.benefit ? f.benefit
                                                            : "is built to last and easy to love");
  g_autofree char *setting_phrase = f.setting ? g_strconcat (" ", f.setting, NULL)
                                              : g_strdup ("");
  g_autofree char *audience_people = g_strcmp0 (f.audience, "you") == 0
                                     ? g_strdup ("people") : g_strdup (f.audience);
  g_autofree char *Audience_people = capitalise (audience_people);
  /* "Made for Hikers"; with no audience in the brief, "Made for Every Day". */
  g_autofree char *audience_title = brief->audience != NULL ? admint_title_case (audience_people)
                                                            : g_strdup ("Every Day");
  /* A quality said as a benefit ("Refill it, skip the plastic"), never one word alone. */
  g_autofree char *quality_line = brief->qualities->len > 0
    ? admint_local_quality_phrase (g_ptr_array_index (brief->qualities, 0), f.product)
    : g_strdup ("Built to last, day after day");
  /* The call to action as on-screen words: no trailing clause or full stop. */
  g_autofree char *cta_line = g_strdup (cta);
  {
    char *stop = strpbrk (cta_line, ".:!");
    if (stop != NULL)
      *stop = '\0';
  }

  const char *pairs[] = {
    "Name", f.Name, "name", f.name, "Title", f.Title, "the_Title", f.the_Title,
    "Quality_line", quality_line,
    "Audience_title", audience_title, "cta_line", cta_line,
    "Audience", f.Audience, "audience", f.audience, "product", f.product,
    "a_quality", a, "a_product", article_for (f.product),
    "quality", f.quality, "feature", f.feature, "outcome", outcome, "outcome_noun", outcome_noun,
    "benefit_or_promise", benefit_or_promise, "cta", cta, "setting_phrase", setting_phrase,
    "audience_people", audience_people, "Audience_people", Audience_people, NULL
  };

  n_beats = admint_framework_get_n_beats (framework);
  GString *voice_over = g_string_new (NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  {
    g_autofree char *title = g_strdup_printf ("%s: %s", f.Name,
                                              g_strcmp0 (f.audience, "you") == 0
                                              ? "made for you" : f.audience);
    g_autofree char *cap = capitalise (title);
    json_builder_add_string_value (b, cap);
  }
  json_builder_set_member_name (b, "framework");
  json_builder_add_string_value (b, admint_framework_get_name (framework));
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  json_builder_set_member_name (b, "beats");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_beats; i++)
    {
      const char *beat_name = admint_framework_get_beat_name (framework, i);
      const char *goal = admint_framework_get_beat_goal (framework, i);
      g_autofree char *text = NULL, *visual = NULL, *overlay = NULL;

      write_beat (&f, framework, i, rand, pairs, cta, cta_line, setting_phrase,
                  audience_people, &text, &visual, &overlay);
      json_builder_add_value (b, story_beat (beat_name, goal, text, visual, overlay));
      if (voice_over->len > 0)
        g_string_append_c (voice_over, ' ');
      g_string_append (voice_over, text);
    }
  json_builder_end_array (b);

  story_tail (b, &f, voice_over->str, cta, target_seconds);
  json_builder_end_object (b);

  g_string_free (voice_over, TRUE);

  JsonNode *root = json_builder_get_root (b);
  if (f.compact)
    fit_to_length (json_node_get_object (root), target_seconds);
  return root;
}

/* ---- the critic --------------------------------------------------------------------------- */

static const char * const action_verbs[] = {
  "get", "buy", "shop", "order", "try", "visit", "find", "grab", "join", "start", "discover",
  "download", "book", "sign", "learn", "call", "claim", "subscribe", "pick", "see", NULL
};

static JsonNode *
critique_node (double     score,
               GPtrArray *reasons)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "score");
  json_builder_add_double_value (b, round (CLAMP (score, 0.0, 10.0) * 10.0) / 10.0);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < reasons->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (reasons, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
starts_with_action (const char *cta)
{
  g_autofree char *lower = g_utf8_strdown (cta, -1);
  g_auto(GStrv) words = g_regex_split_simple ("[^a-z']+", lower, 0, 0);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      return g_strv_contains (action_verbs, words[i]);
  return FALSE;
}

JsonNode *
admint_local_critique_story (JsonObject        *story,
                             AdmintFramework   *framework,
                             const AdmintBrief *brief,
                             int                target_seconds)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  double score = 0;
  guint n_beats, covered = 0;
  JsonArray *beats;
  const char *name;

  g_return_val_if_fail (story != NULL, NULL);
  g_return_val_if_fail (framework != NULL, NULL);

  n_beats = admint_framework_get_n_beats (framework);
  beats = json_object_has_member (story, "beats") ? json_object_get_array_member (story, "beats")
                                                  : NULL;
  name = admint_brief_get_name (brief);

  /* Beat coverage: 4 points. */
  for (guint i = 0; i < n_beats; i++)
    {
      const char *want = admint_framework_get_beat_name (framework, i);
      gboolean ok = FALSE;
      for (guint j = 0; beats != NULL && j < json_array_get_length (beats); j++)
        {
          JsonObject *beat = json_array_get_object_element (beats, j);
          if (g_ascii_strcasecmp (json_object_get_string_member_with_default (beat, "name", ""),
                                  want) == 0 &&
              admint_count_words (json_object_get_string_member_with_default (beat, "text",
                                                                              "")) >= 3)
            ok = TRUE;
        }
      if (ok)
        covered++;
      else
        g_ptr_array_add (reasons, g_strdup_printf ("The “%s” beat is missing or empty: it should "
                                                   "%s", want,
                                                   admint_framework_get_beat_goal (framework, i)));
    }
  score += n_beats > 0 ? 4.0 * covered / n_beats : 0;

  /* Call to action: 2 points. */
  const char *cta = json_object_get_string_member_with_default (story, "call_to_action", "");
  if (admint_count_words (cta) >= 2 && starts_with_action (cta))
    score += 2;
  else if (admint_count_words (cta) >= 2)
    {
      score += 1;
      g_ptr_array_add (reasons, g_strdup ("The call to action has no clear action: start it "
                                          "with a verb such as Get, Shop or Try."));
    }
  else
    g_ptr_array_add (reasons, g_strdup ("There is no call to action: end by telling the viewer "
                                        "what to do next."));

  /* Length: 2 points when the voice-over fits the ad at a natural pace. */
  const char *vo = json_object_get_string_member_with_default (story, "voice_over", "");
  guint words = admint_count_words (vo);
  double budget = target_seconds * ADMINT_WORDS_PER_SECOND;
  double ratio = budget > 0 ? words / budget : 0;
  if (ratio >= 0.4 && ratio <= 1.0)
    score += 2;
  else if (ratio > 1.0)
    {
      score += ratio <= 1.25 ? 1 : 0;
      g_ptr_array_add (reasons, g_strdup_printf ("The voice-over is too long: %u words, and a "
                                                 "%d-second ad fits about %.0f. Trim it.",
                                                 words, target_seconds, budget));
    }
  else
    {
      score += ratio >= 0.25 ? 1 : 0;
      g_ptr_array_add (reasons, g_strdup_printf ("The voice-over is too short: %u words for a "
                                                 "%d-second ad (about %.0f fit). Add detail.",
                                                 words, target_seconds, budget));
    }

  /* The name at the start and at the end: 1 point each. */
  guint n = beats ? json_array_get_length (beats) : 0;
  gboolean early = FALSE, late = contains_ci (cta, name);
  for (guint j = 0; j < n; j++)
    {
      const char *text = json_object_get_string_member_with_default (
        json_array_get_object_element (beats, j), "text", "");
      if (j < (n + 1) / 2 && contains_ci (text, name))
        early = TRUE;
      if (j + 1 == n && contains_ci (text, name))
        late = TRUE;
    }
  score += early + late;
  if (!early)
    g_ptr_array_add (reasons, g_strdup_printf ("The name “%s” is not said in the first half: "
                                               "viewers should know early what this is.", name));
  if (!late)
    g_ptr_array_add (reasons, g_strdup_printf ("The name “%s” is not said at the end: close on "
                                               "the brand.", name));

  if (reasons->len == 0)
    g_ptr_array_add (reasons, g_strdup ("Every beat is covered, the call to action is clear, "
                                        "the length fits and the brand is named early and late."));
  return critique_node (score, reasons);
}

/* ---- the scene writer --------------------------------------------------------------------- */

static const char *
camera_for (const char *beat,
            guint       shot)
{
  static const char * const by_beat[][4] = {
    { "attention", "fast push in", "whip pan to a close-up", "crash zoom in" },
    { "interest", "slow pan right", "orbit around the product", "slow tilt up" },
    { "desire", "slow zoom in", "gentle dolly forward", "slow pan left" },
    { "action", "static, logo lock-up", "slow pull back", "static" },
    { "problem", "handheld close-up", "slow push in", "static wide" },
    { "agitation", "slow zoom in", "quick cuts", "tilt down" },
    { "solution", "pull back to reveal", "slow zoom out", "static, logo lock-up" },
    { "features", "slow orbit", "macro slide", "slow zoom in" },
    { "advantages", "split-screen pan", "slow pan right", "static" },
    { "benefits", "slow pull back", "gentle dolly forward", "static, logo lock-up" },
  };
  g_autofree char *key = g_ascii_strdown (beat, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (by_beat); i++)
    if (strcmp (by_beat[i][0], key) == 0)
      return by_beat[i][1 + shot % 3];
  return shot % 2 ? "slow pan left" : "slow zoom in";
}

/* At most max_words of a sentence, for on-screen text. */
char *
admint_headline (const char *text,
                 guint       max_words)
{
  g_autofree char *first = NULL;
  const char *end = text;

  /* The first sentence or clause. */
  while (*end != '\0' && strchr (".!?:", *end) == NULL)
    end++;
  first = g_strndup (text, end - text);
  g_auto(GStrv) words = g_strsplit (g_strstrip (first), " ", -1);
  guint n = g_strv_length (words);
  if (n > max_words)
    {
      g_free (words[max_words]);
      words[max_words] = NULL;
      for (guint i = max_words + 1; i < n; i++)
        g_clear_pointer (&words[i], g_free);
    }
  /* A cut line ends on a word that carries meaning, not "made", "for" or "the". */
  static const char * const dangling[] = {
    "a", "an", "the", "for", "to", "of", "with", "and", "or", "in", "on", "made", "is", "are",
    "your", "that", "it", "its", "by", NULL
  };
  n = g_strv_length (words);
  while (n > 1)
    {
      gboolean weak = FALSE;
      gsize wl = strlen (words[n - 1]);

      while (wl > 0 && strchr (",;- ", words[n - 1][wl - 1]) != NULL)
        words[n - 1][--wl] = '\0';
      for (guint k = 0; dangling[k] != NULL; k++)
        weak |= g_ascii_strcasecmp (words[n - 1], dangling[k]) == 0;
      if (!weak)
        break;
      g_clear_pointer (&words[n - 1], g_free);
      n--;
    }
  char *joined = g_strjoinv (" ", words);
  gsize len = strlen (joined);
  while (len > 0 && strchr (",;- ", joined[len - 1]) != NULL)
    joined[--len] = '\0';
  return joined;
}

JsonNode *
admint_local_write_scenes (JsonObject        *story,
                           const AdmintBrief *brief,
                           int                target_seconds,
                           double             clip_seconds,
                           guint32            seed,
                           const char        *feedback)
{
  return admint_local_write_scenes_again (story, brief, target_seconds, clip_seconds, seed,
                                          feedback, NULL);
}

/* Where a rewritten scene takes place: each variant another setting the renderer draws. */
static const char *
setting_for (guint32 seed,
             guint   s,
             guint   variant)
{
  static const char * const settings[] = {
    "at sunrise over the mountains", "on a forest trail", "by the sea", "against a city skyline "
    "at dusk", "on a kitchen counter", "under the moon at night", "on a desk by the window",
  };

  return settings[(variant - 1 + s * 3 + seed) % G_N_ELEMENTS (settings)];
}

JsonNode *
admint_local_write_scenes_again (JsonObject        *story,
                                 const AdmintBrief *brief,
                                 int                target_seconds,
                                 double             clip_seconds,
                                 guint32            seed,
                                 const char        *feedback,
                                 JsonArray         *previous)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *beats;
  guint n_beats, n_scenes;

  g_return_val_if_fail (story != NULL, NULL);
  g_return_val_if_fail (target_seconds > 0 && clip_seconds > 0, NULL);

  beats = json_object_get_array_member (story, "beats");
  n_beats = MAX (1, json_array_get_length (beats));
  n_scenes = MAX (1, (guint) ceil (target_seconds / clip_seconds - 1e-9));

  /* Durations to a tenth of a second that add up to the target exactly. */
  int tenths_total = target_seconds * 10;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gboolean compact_text = feedback != NULL &&
                          g_regex_match_simple ("less text|shorter text|fewer words|too much text",
                                                feedback, G_REGEX_CASELESS, 0);

  json_builder_begin_array (b);
  for (guint s = 0; s < n_scenes; s++)
    {
      /* Which beat this scene serves, and which shot of that beat it is. */
      guint beat_index = (guint) ((guint64) s * n_beats / n_scenes);
      guint first_scene_of_beat = (guint) ceil ((double) beat_index * n_scenes / n_beats - 1e-9);
      guint shot = s - MIN (s, first_scene_of_beat);
      JsonObject *beat = json_array_get_object_element (beats, MIN (beat_index, n_beats - 1));
      const char *beat_name = json_object_get_string_member_with_default (beat, "name", "Scene");
      const char *visual = json_object_get_string_member_with_default (beat, "visual", "");
      const char *text = json_object_get_string_member_with_default (beat, "text", "");
      int tenths = tenths_total / (int) n_scenes + ((int) s < tenths_total % (int) n_scenes);
      static const char * const shot_kinds[] = {
        "", "Closer: a detail shot. ", "Wider: the product in its setting. "
      };

      /* Each beat's words are said once: split by sentence over the scenes that show it, and
       * when scenes are fewer than beats, a scene says every beat it spans. */
      GString *vo = g_string_new (NULL);
      for (guint k = 0; k < n_beats; k++)
        {
          guint first = G_MAXUINT, count = 0;

          for (guint t = 0; t < n_scenes; t++)
            if ((guint) ((guint64) t * n_beats / n_scenes) == k)
              first = MIN (first, t), count++;
          if (count == 0)
            {
              /* No scene starts on this beat: the one whose span covers it says it. */
              first = (guint) ((guint64) k * n_scenes / n_beats), count = 1;
            }
          if (s < first || s >= first + count)
            continue;
          g_auto(GStrv) sentences = admint_split_sentences (
            json_object_get_string_member_with_default (json_array_get_object_element (beats,
                                                                                       k),
                                                        "text", ""));
          guint q = g_strv_length (sentences), j = s - first;
          /* Earlier shots first: one sentence over two scenes is said in the first. */
          for (guint x = (j * q + count - 1) / count; x < ((j + 1) * q + count - 1) / count; x++)
            g_string_append_printf (vo, "%s%s", vo->len ? " " : "", sentences[x]);
        }

      JsonObject *before = previous != NULL && s < json_array_get_length (previous) &&
                           JSON_NODE_HOLDS_OBJECT (json_array_get_element (previous, s))
                           ? json_array_get_object_element (previous, s) : NULL;
      guint variant = before != NULL ? (guint) json_object_get_int_member_with_default (
                                         before, "variant", 0) + 1 : 0;
      g_autofree char *description = variant == 0
        ? g_strdup_printf ("%s%s.", shot_kinds[MIN (shot, 2)], visual)
        : g_strdup_printf ("%s%s, %s.", shot_kinds[MIN (shot, 2)], visual,
                           setting_for (seed, s, variant));
      g_autofree char *overlay = NULL;
      /* The beat's own on-screen line on its first shot; the close always shows the call to
       * action. Later shots of a beat stay clean so text never crowds the picture. */
      const char *beat_overlay = json_object_get_string_member_with_default (beat,
                                                                             "on_screen_text",
                                                                             NULL);
      if (s + 1 == n_scenes)
        {
          JsonObject *last_beat = json_array_get_object_element (beats, n_beats - 1);
          const char *line = json_object_get_string_member_with_default (last_beat,
                                                                         "on_screen_text", NULL);
          overlay = line != NULL ? g_strdup (line)
                                 : admint_headline (json_object_get_string_member_with_default (
                                               story, "call_to_action", text), 6);
        }
      else if (shot == 0 && beat_overlay != NULL)
        overlay = compact_text ? admint_headline (beat_overlay, 3) : g_strdup (beat_overlay);
      else if (shot == 0)
        overlay = admint_headline (text, compact_text ? 3 : 5);
      else
        overlay = g_strdup ("");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, s);
      json_builder_set_member_name (b, "beat");
      json_builder_add_string_value (b, beat_name);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, description);
      json_builder_set_member_name (b, "duration");
      json_builder_add_double_value (b, tenths / 10.0);
      json_builder_set_member_name (b, "camera");
      json_builder_add_string_value (b, camera_for (beat_name, shot + s + variant));
      json_builder_set_member_name (b, "variant");
      json_builder_add_int_value (b, variant);
      if (before != NULL && json_object_has_member (before, "layout"))
        {
          /* For the layout pass: another layout than last time where the beat allows. */
          json_builder_set_member_name (b, "replaces_layout");
          json_builder_add_string_value (b, json_object_get_string_member_with_default (
                                              before, "layout", ""));
        }
      json_builder_set_member_name (b, "on_screen_text");
      json_builder_add_string_value (b, overlay);
      json_builder_set_member_name (b, "voice_over");
      json_builder_add_string_value (b, vo->str);
      json_builder_end_object (b);
      g_string_free (vo, TRUE);
    }
  json_builder_end_array (b);
  {
    JsonNode *root = json_builder_get_root (b);

    admint_local_lay_out_scenes (json_node_get_array (root), story, brief, seed);
    admint_local_fit_voice_over (json_node_get_array (root), brief);
    return root;
  }
}

JsonNode *
admint_local_critique_scenes (JsonArray         *scenes,
                              JsonObject        *story,
                              int                target_seconds,
                              const AdmintBrief *brief)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  double score = 10;
  double total = 0;
  guint n;

  g_return_val_if_fail (scenes != NULL, NULL);

  n = json_array_get_length (scenes);
  if (n == 0)
    {
      g_ptr_array_add (reasons, g_strdup ("There are no scenes."));
      return critique_node (0, reasons);
    }
  for (guint i = 0; i < n; i++)
    {
      JsonObject *scene = json_array_get_object_element (scenes, i);
      const char *desc = json_object_get_string_member_with_default (scene, "description", "");
      const char *camera = json_object_get_string_member_with_default (scene, "camera", "");
      const char *overlay = json_object_get_string_member_with_default (scene, "on_screen_text",
                                                                        "");
      double duration = json_object_get_double_member_with_default (scene, "duration", 0);

      total += duration;
      if (admint_count_words (desc) < 6)
        {
          score -= 1.5;
          g_ptr_array_add (reasons, g_strdup_printf ("Scene %u's description is too thin to film: "
                                                     "say what we see.", i + 1));
        }
      if (*camera == '\0')
        {
          score -= 1;
          g_ptr_array_add (reasons, g_strdup_printf ("Scene %u has no camera direction.", i + 1));
        }
      if (duration <= 0)
        {
          score -= 2;
          g_ptr_array_add (reasons, g_strdup_printf ("Scene %u has no duration.", i + 1));
        }
      if (admint_count_words (overlay) > 8)
        {
          score -= 1;
          g_ptr_array_add (reasons, g_strdup_printf ("Scene %u's on-screen text has %u words: "
                                                     "keep it to 8 or fewer so it can be read.",
                                                     i + 1, admint_count_words (overlay)));
        }
    }
  if (fabs (total - target_seconds) > 0.5)
    {
      score -= 2;
      g_ptr_array_add (reasons, g_strdup_printf ("The scenes last %.1f s, but the ad should last "
                                                 "%d s.", total, target_seconds));
    }
  JsonObject *last = json_array_get_object_element (scenes, n - 1);
  if (*json_object_get_string_member_with_default (last, "on_screen_text", "") == '\0')
    {
      score -= 1.5;
      g_ptr_array_add (reasons, g_strdup ("The last scene shows no call to action on screen."));
    }
  (void) story;
  if (brief != NULL)
    score -= admint_local_critique_copy (scenes, brief, reasons);
  if (reasons->len == 0)
    g_ptr_array_add (reasons, g_strdup ("Every scene is filmable, timed, directed and readable, "
                                        "and the ad closes on its call to action."));
  return critique_node (score, reasons);
}
