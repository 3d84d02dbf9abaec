/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One ad in the sidebar: a stored generation row whose status and score follow a live run. */
#pragma once

#include <glib-object.h>

#include "admint-generation.h"
#include "admint-store-rows.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_HISTORY_ITEM (admint_history_item_get_type ())
G_DECLARE_FINAL_TYPE (AdmintHistoryItem, admint_history_item, ADMINT, HISTORY_ITEM, GObject)

AdmintHistoryItem *admint_history_item_new               (AdmintGenerationRow *row);
/* A generation just started in this window, not listed yet: the item follows it. */
AdmintHistoryItem *admint_history_item_new_for           (AdmintGeneration    *generation);
const char        *admint_history_item_get_id            (AdmintHistoryItem   *self);
const char        *admint_history_item_get_prompt        (AdmintHistoryItem   *self);
AdmintGenerationStatus admint_history_item_get_status    (AdmintHistoryItem   *self);
/* 0–100, negative when not scored. */
double             admint_history_item_get_quality_score (AdmintHistoryItem   *self);
/* "Completed · score 69", "Writing the story", … for the row's second line. */
const char        *admint_history_item_get_subtitle      (AdmintHistoryItem   *self);
/* The generation running in this window under this id, or NULL. The item's status, score and
 * subtitle follow its properties from then on. */
AdmintGeneration  *admint_history_item_get_generation    (AdmintHistoryItem   *self);
void               admint_history_item_set_generation    (AdmintHistoryItem   *self,
                                                          AdmintGeneration    *generation);
/* TRUE while its generation runs (not yet done). */
gboolean           admint_history_item_is_running        (AdmintHistoryItem   *self);
/* The name the user gave it (NULL: none; "" clears it). */
const char        *admint_history_item_get_name          (AdmintHistoryItem   *self);
void               admint_history_item_set_name          (AdmintHistoryItem   *self,
                                                          const char          *name);
/* Its name, else its brief. */
const char        *admint_history_item_get_title         (AdmintHistoryItem   *self);
/* The variant group it belongs to, or NULL for a single ad. */
const char        *admint_history_item_get_group_id      (AdmintHistoryItem   *self);
/* Its letter in the group ("A", …), shown before the status. */
void               admint_history_item_set_variant       (AdmintHistoryItem   *self,
                                                          const char          *variant);
/* TRUE when it was picked as the best of its variants. */
gboolean           admint_history_item_get_winner        (AdmintHistoryItem   *self);
void               admint_history_item_set_winner        (AdmintHistoryItem   *self,
                                                          gboolean             winner);
/* TRUE when its brief or name holds FOLDED_TEXT (g_utf8_casefold'ed); empty text matches all. */
gboolean           admint_history_item_matches           (AdmintHistoryItem   *self,
                                                          const char          *folded_text);

G_END_DECLS
