/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the rules that read a user's chat reply (approve, refine, edit scene N…). */
#define G_LOG_DOMAIN "admint-fuzz"

#include <glib.h>

#include "admint-intent.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *reply = g_strndup ((const char *) data, size);
  g_autoptr(AdmintIntent) intent = NULL;
  AdmintIntentKind back;

  /* Front ends refuse invalid UTF-8 before it gets here (exit 2 in the CLI, the entry's
   * buffer in the app); classify's contract is text. */
  if (!g_utf8_validate (reply, -1, NULL))
    return 0;
  intent = admint_intent_classify (reply);
  g_assert (intent != NULL);
  g_assert (admint_intent_kind_from_string (admint_intent_kind_to_string (intent->kind), &back));
  g_assert (back == intent->kind);
  if (intent->kind == ADMINT_INTENT_EDIT_SCENE || intent->kind == ADMINT_INTENT_REGENERATE_SCENE)
    g_assert (intent->scene >= 1);
  if (intent->text != NULL)
    g_assert (g_utf8_validate (intent->text, -1, NULL));
  return 0;
}
