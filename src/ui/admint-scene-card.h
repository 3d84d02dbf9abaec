/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenes card in the chat: each scene with Edit (its text and duration in place, Save and
 * Cancel) and Regenerate. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "admint-generation.h"
#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_SCENE_CARD (admint_scene_card_get_type ())
G_DECLARE_FINAL_TYPE (AdmintSceneCard, admint_scene_card, ADMINT, SCENE_CARD, GtkBox)

/* SCENES of ad ID as a card (a vertical box: the chat view appends the critic's score to it).
 * LIVE: the generation this window runs for it, or NULL for a stored ad. */
GtkWidget *admint_scene_card_new          (JsonArray        *scenes,
                                           AdmintStore      *store,
                                           const char       *id,
                                           AdmintGeneration *live);
/* Scene INDEX's controls, for tests: Edit, Regenerate, and (once Edit was pressed: the editor
 * is made then) the text entry, the duration and Save. */
GtkButton     *admint_scene_card_get_edit       (AdmintSceneCard *self,
                                                 int              index);
GtkButton     *admint_scene_card_get_regenerate (AdmintSceneCard *self,
                                                 int              index);
GtkEditable   *admint_scene_card_get_text       (AdmintSceneCard *self,
                                                 int              index);
GtkSpinButton *admint_scene_card_get_duration   (AdmintSceneCard *self,
                                                 int              index);
GtkButton     *admint_scene_card_get_save       (AdmintSceneCard *self,
                                                 int              index);
/* TRUE while an edit or a clip made again from this card runs. */
gboolean       admint_scene_card_get_busy       (AdmintSceneCard *self);

G_END_DECLS
