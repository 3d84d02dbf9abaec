/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One line of the ads sidebar: title, status, the winner badge, Compare and the row's menu. */
#pragma once

#include <gtk/gtk.h>

#include "admint-history-item.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_HISTORY_ROW (admint_history_row_get_type ())
G_DECLARE_FINAL_TYPE (AdmintHistoryRow, admint_history_row, ADMINT, HISTORY_ROW, GtkWidget)

GtkWidget         *admint_history_row_new      (void);
AdmintHistoryItem *admint_history_row_get_item (AdmintHistoryRow  *self);
/* Shows ITEM (NULL: none) and follows its title, subtitle and winner from then on. */
void               admint_history_row_set_item (AdmintHistoryRow  *self,
                                                AdmintHistoryItem *item);

/* A list item factory making AdmintHistoryRow for a model of AdmintHistoryItem. */
GtkListItemFactory *admint_history_row_factory_new (void);

G_END_DECLS
