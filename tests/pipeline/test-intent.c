/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reply classifier's rules on a table of real phrasings. */
#include "config.h"

#include "admint-intent.h"
#include "admint-test-util.h"

typedef struct {
  const char       *reply;
  AdmintIntentKind  kind;
  guint             scene;
  const char       *text;      /* expected text, or NULL for none; "*" = the whole reply */
  gboolean          by_rule;
} Case;

static const Case cases[] = {
  { "ok", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "OK!", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "Looks good", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "looks good.", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "  Yes  please ", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "LGTM", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "perfect, go ahead", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "great and thanks", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "👍", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "ship it", ADMINT_INTENT_APPROVE, 0, NULL, TRUE },
  { "try again", ADMINT_INTENT_REGENERATE, 0, NULL, TRUE },
  { "Try again.", ADMINT_INTENT_REGENERATE, 0, NULL, TRUE },
  { "regenerate", ADMINT_INTENT_REGENERATE, 0, NULL, TRUE },
  { "redo", ADMINT_INTENT_REGENERATE, 0, NULL, TRUE },
  { "start over", ADMINT_INTENT_REGENERATE, 0, NULL, TRUE },
  { "nope", ADMINT_INTENT_REGENERATE, 0, NULL, TRUE },
  { "I don't like it", ADMINT_INTENT_REGENERATE, 0, NULL, TRUE },
  { "make it funnier", ADMINT_INTENT_REFINE, 0, "*", TRUE },
  { "More about durability, less about price", ADMINT_INTENT_REFINE, 0, "*", TRUE },
  { "no, make it shorter", ADMINT_INTENT_REFINE, 0, "*", TRUE },
  { "try again but with a dog", ADMINT_INTENT_REFINE, 0, "*", TRUE },
  { "scene 2: The hiker refills the bottle at a stream",
    ADMINT_INTENT_EDIT_SCENE, 2, "The hiker refills the bottle at a stream", TRUE },
  { "Scene 3: \"Logo on a mountain top\"", ADMINT_INTENT_EDIT_SCENE, 3, "Logo on a mountain top",
    TRUE },
  { "edit scene 1: Sunrise over the trail", ADMINT_INTENT_EDIT_SCENE, 1, "Sunrise over the trail",
    TRUE },
  { "change scene 4 to A close-up of the cap", ADMINT_INTENT_EDIT_SCENE, 4,
    "A close-up of the cap", TRUE },
  { "scene two should say Stay hydrated", ADMINT_INTENT_EDIT_SCENE, 2, "Stay hydrated", TRUE },
  { "regenerate scene 2", ADMINT_INTENT_REGENERATE_SCENE, 2, NULL, TRUE },
  { "redo scene 3", ADMINT_INTENT_REGENERATE_SCENE, 3, NULL, TRUE },
  { "scene 1 again", ADMINT_INTENT_REGENERATE_SCENE, 1, NULL, TRUE },
  { "try the second scene again", ADMINT_INTENT_REGENERATE_SCENE, 2, NULL, TRUE },
  { "Scene 3 is too dark", ADMINT_INTENT_REGENERATE_SCENE, 3, "*", TRUE },
  { "I think the story is fine overall but I would like the tone to feel a bit more "
    "adventurous and maybe mention the lifetime warranty somewhere near the end",
    ADMINT_INTENT_REFINE, 0, "*", FALSE },
};

static void
test_table (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 30);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(AdmintIntent) intent = admint_intent_classify (c->reply);

      g_test_message ("%s -> %s %u '%s'", c->reply, admint_intent_kind_to_string (intent->kind),
                      intent->scene, intent->text ? intent->text : "");
      g_assert_cmpstr (admint_intent_kind_to_string (intent->kind), ==,
                       admint_intent_kind_to_string (c->kind));
      g_assert_cmpuint (intent->scene, ==, c->scene);
      if (c->text == NULL)
        g_assert_null (intent->text);
      else if (g_strcmp0 (c->text, "*") == 0)
        g_assert_cmpstr (intent->text, ==, c->reply);
      else
        g_assert_cmpstr (intent->text, ==, c->text);
      g_assert_cmpint (intent->by_rule, ==, c->by_rule);
    }
}

static void
test_kind_names (void)
{
  for (int k = ADMINT_INTENT_APPROVE; k <= ADMINT_INTENT_REGENERATE_SCENE; k++)
    {
      AdmintIntentKind back;
      g_assert_true (admint_intent_kind_from_string (admint_intent_kind_to_string (k), &back));
      g_assert_cmpint (back, ==, k);
    }
  AdmintIntentKind unused;
  g_assert_false (admint_intent_kind_from_string ("dance", &unused));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/intent/table", test_table);
  g_test_add_func ("/intent/kind-names", test_kind_names);
  return g_test_run ();
}
