/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Variants of one ad side by side: players kept in step, the scores, the checks, the pick. */
#pragma once

#include <gtk/gtk.h>

#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_COMPARE_VIEW (admint_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (AdmintCompareView, admint_compare_view, ADMINT, COMPARE_VIEW, GtkWidget)

GtkWidget      *admint_compare_view_new           (void);
/* Loads the variant group GROUP_ID from STORE (off the main loop) and shows it; "loaded" is
 * emitted when it is shown. */
void            admint_compare_view_show_group    (AdmintCompareView *self,
                                                   AdmintStore       *store,
                                                   const char        *group_id);
const char     *admint_compare_view_get_group_id  (AdmintCompareView *self);
/* TRUE once the group's variants are shown. */
gboolean        admint_compare_view_is_loaded     (AdmintCompareView *self);
guint           admint_compare_view_get_n_players (AdmintCompareView *self);
/* The generation id and the video stream of player INDEX (NULL when it has no video). */
const char     *admint_compare_view_get_id        (AdmintCompareView *self,
                                                   guint              index);
GtkMediaStream *admint_compare_view_get_stream    (AdmintCompareView *self,
                                                   guint              index);
/* Stops the players (the view is left). */
void            admint_compare_view_pause         (AdmintCompareView *self);

G_END_DECLS
