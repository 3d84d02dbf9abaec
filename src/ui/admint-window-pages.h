/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's Library and Usage pages, its Export action, the store the Preferences use. */
#pragma once

#include <adwaita.h>

#include "admint-store.h"

G_BEGIN_DECLS

/* The id of the ad the window shows, or NULL. */
typedef const char *(*AdmintCurrentAdFunc) (GtkWindow *window);

/* Puts OVERLAY's child (the ads) into a view stack beside the Library and Usage pages, with a
 * switcher bar under them, and adds the actions win.show-ads, win.show-library,
 * win.show-usage and win.export (the current ad). "Use in New Ad" hands the library's
 * selection to NEW_AD_FILES (the window's own import of dropped files) after win.new-ad.
 * STORE may be NULL. */
typedef void (*AdmintNewAdFilesFunc) (gpointer    window,
                                      GListModel *files);

void         admint_window_pages_install   (AdwApplicationWindow *window,
                                            AdwToastOverlay      *overlay,
                                            AdmintStore          *store,
                                            AdmintCurrentAdFunc   current_ad,
                                            AdmintNewAdFilesFunc  new_ad_files);
/* The store the pages use (for the Preferences), or NULL. */
AdmintStore *admint_window_pages_get_store (GtkWindow            *window);
/* Opens the Export dialog for GENERATION_ID; its result shows as a toast on the window. */
GtkWindow   *admint_window_pages_export    (GtkWindow            *window,
                                            const char           *generation_id);

G_END_DECLS
