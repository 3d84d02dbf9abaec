/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a user's chat reply asks for: approve, regenerate, refine, edit or regenerate one scene. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ADMINT_INTENT_APPROVE,
  ADMINT_INTENT_REGENERATE,
  ADMINT_INTENT_REFINE,             /* text = the feedback */
  ADMINT_INTENT_EDIT_SCENE,         /* scene = 1-based index, text = the scene's new text */
  ADMINT_INTENT_REGENERATE_SCENE,   /* scene = 1-based index, text = optional feedback */
} AdmintIntentKind;

typedef struct {
  AdmintIntentKind kind;
  guint            scene;        /* 1-based; 0 when the intent is not about one scene */
  char            *text;         /* feedback or new scene text; may be NULL */
  gboolean         by_rule;      /* FALSE: no rule was sure, ask the intent agent */
} AdmintIntent;

AdmintIntent *admint_intent_classify   (const char   *reply);
void          admint_intent_free       (AdmintIntent *intent);
const char   *admint_intent_kind_to_string (AdmintIntentKind kind);
gboolean      admint_intent_kind_from_string (const char       *name,
                                              AdmintIntentKind *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintIntent, admint_intent_free)

G_END_DECLS
