/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the scene and clip cards share: the ad's generation to act on, the budget question, and
 * an edit or a clip made again. */
#pragma once

#include <adwaita.h>

#include "admint-generation.h"
#include "admint-store.h"

G_BEGIN_DECLS

typedef void (*AdmintRedoDone) (GError   *error,     /* NULL: done */
                                gpointer  user_data);

/* Makes clip INDEX of ad ID again (EDIT_TEXT NULL and EDIT_DURATION < 0), or edits scene INDEX
 * (its text and/or duration) and makes its clip again. LIVE is the generation this window
 * runs for ID, or NULL: the stored ad is then loaded (once per ad) and the chat view that
 * holds PARENT follows it. Over the budget, an AdwMessageDialog over PARENT's window asks
 * first; "Cancel" ends with an error of G_IO_ERROR_CANCELLED. DONE runs at the end. */
void admint_redo_start (GtkWidget        *parent,
                        AdmintStore      *store,
                        const char       *id,
                        AdmintGeneration *live,
                        int               index,
                        const char       *edit_text,
                        double            edit_duration,
                        AdmintRedoDone    done,
                        gpointer          user_data);

/* The budget dialog shown by admint_redo_start, while it is open (tests), or NULL. */
AdwMessageDialog *admint_redo_get_budget_dialog (void);

G_END_DECLS
