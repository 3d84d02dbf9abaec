/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a brief: product, audience, length, brand, benefits and tone. */
#include "config.h"

#include "admint-brief.h"
#include "admint-test-util.h"

typedef struct {
  const char *text;
  const char *product;
  const char *audience;
  const char *brand;
  int         seconds;
  const char *benefit;   /* one benefit, feature or quality that must be found, or NULL */
  const char *tone;
} Case;

static const Case cases[] = {
  { "30-second ad for an eco-friendly water bottle, for hikers",
    "eco-friendly water bottle", "hikers", NULL, 30, "eco-friendly", NULL },
  { "A 15 second commercial for AquaPeak, a reusable bottle that keeps water cold for 24 hours, "
    "aimed at trail runners",
    "reusable bottle", "trail runners", "AquaPeak", 15, "keeps water cold for 24 hours", NULL },
  { "Funny 1 minute video about our new coffee grinder for busy parents",
    "new coffee grinder", "busy parents", NULL, 60, NULL, "playful" },
  { "Promote a handmade leather wallet with a lifetime warranty",
    "handmade leather wallet", NULL, NULL, 0, "a lifetime warranty", NULL },
  { "half a minute spot for a vegan protein bar targeting gym-goers",
    "vegan protein bar", "gym-goers", NULL, 30, "vegan", NULL },
  { "Luxury perfume ad called Noir Velvet for evening wear",
    "Luxury perfume", "evening wear", "Noir Velvet", 0, NULL, "premium" },
};

static void
test_cases (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(AdmintBrief) brief = admint_brief_parse (c->text);

      g_test_message ("%s -> product '%s' audience '%s' brand '%s' %ds tone %s", c->text,
                      brief->product, brief->audience, brief->brand, brief->target_seconds,
                      brief->tone);
      g_assert_cmpstr (brief->product, ==, c->product);
      g_assert_cmpstr (brief->audience, ==, c->audience);
      g_assert_cmpstr (brief->brand, ==, c->brand);
      g_assert_cmpint (brief->target_seconds, ==, c->seconds);
      g_assert_cmpstr (brief->tone, ==, c->tone);
      if (c->benefit != NULL)
        {
          gboolean found = FALSE;
          GPtrArray *lists[] = { brief->benefits, brief->features, brief->qualities };
          for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
            for (guint j = 0; j < lists[l]->len; j++)
              found |= g_strcmp0 (g_ptr_array_index (lists[l], j), c->benefit) == 0;
          g_assert_true (found);
        }
      g_assert_cmpstr (admint_brief_get_name (brief), ==, c->brand ? c->brand : c->product);
    }
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/brief/cases", test_cases);
  return g_test_run ();
}
