/* One ad in the sidebar: a stored generation row whose status and score follow a live run. */
#pragma once

#include <glib-object.h>

#include "admint-store-rows.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_HISTORY_ITEM (admint_history_item_get_type ())
G_DECLARE_FINAL_TYPE (AdmintHistoryItem, admint_history_item, ADMINT, HISTORY_ITEM, GObject)

AdmintHistoryItem *admint_history_item_new               (AdmintGenerationRow *row);
/* A generation just created, not listed yet. */
AdmintHistoryItem *admint_history_item_new_for           (const char          *id,
                                                          const char          *prompt,
                                                          const char          *status);
const char        *admint_history_item_get_id            (AdmintHistoryItem   *self);
const char        *admint_history_item_get_prompt        (AdmintHistoryItem   *self);
const char        *admint_history_item_get_status        (AdmintHistoryItem   *self);
/* 0–100, negative when not scored. */
double             admint_history_item_get_quality_score (AdmintHistoryItem   *self);
/* "Completed · score 69", "Writing the story", … for the row's second line. */
const char        *admint_history_item_get_subtitle      (AdmintHistoryItem   *self);
void               admint_history_item_set_status        (AdmintHistoryItem   *self,
                                                          const char          *status);
/* While the generation waits for the user's reply the subtitle says so. */
void               admint_history_item_set_waiting       (AdmintHistoryItem   *self,
                                                          gboolean             waiting);
void               admint_history_item_set_quality_score (AdmintHistoryItem   *self,
                                                          double               score);

/* The status as a person reads it: "scenes" -> "Writing the scenes". */
const char        *admint_history_status_label           (const char          *status);

G_END_DECLS
