/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The asset library: a grid of the brand assets; import, edit, filter and delete. */
#pragma once

#include <adwaita.h>

#include "admint-styles-panel.h"

#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_LIBRARY_PAGE (admint_library_page_get_type ())
G_DECLARE_FINAL_TYPE (AdmintLibraryPage, admint_library_page, ADMINT, LIBRARY_PAGE, AdwBin)

/* Signals:
 *   "use-in-new-ad" (GListModel *assets): the selected AdmintAssetRow, for the new-ad page.
 *   "toast" (AdwToast *toast): a message (its title) for the window to show. */

AdmintLibraryPage *admint_library_page_new         (void);
/* Lists the store's assets (again). STORE may be NULL (nothing to show). */
void               admint_library_page_set_store   (AdmintLibraryPage *self,
                                                    AdmintStore       *store);
/* Imports FILES (GFile) through the store; each refused one gets a toast naming it and why. */
void               admint_library_page_import_files (AdmintLibraryPage *self,
                                                     GListModel        *files);
/* Imports still running (for tests and the benchmark). */
guint              admint_library_page_get_pending  (AdmintLibraryPage *self);
/* Thumbnails still loading. */
guint              admint_library_page_get_loading  (AdmintLibraryPage *self);
/* The Add chooser while it is open, else NULL (for tests). */
GtkFileChooser    *admint_library_page_get_chooser  (AdmintLibraryPage *self);
/* Every asset, and what the filters leave (AdmintAssetRow). */
GListModel        *admint_library_page_get_assets   (AdmintLibraryPage *self);
GListModel        *admint_library_page_get_shown    (AdmintLibraryPage *self);
/* The filters, as the search entry, the kind drop-down and the tag entry set them. */
void               admint_library_page_set_filter   (AdmintLibraryPage *self,
                                                     const char        *name,
                                                     const char        *kind,
                                                     const char        *tag);
/* Selects the shown asset at POSITION (adding to the selection when EXTEND). */
void               admint_library_page_select       (AdmintLibraryPage *self,
                                                     guint              position,
                                                     gboolean           extend);
/* Sets the kind and tags of the selected asset (as the editor does). */
void               admint_library_page_edit_selected (AdmintLibraryPage  *self,
                                                      const char         *kind,
                                                      const char * const *tags);
/* Deletes the selected assets, with an Undo toast; they go for good when it times out. */
void               admint_library_page_delete_selected (AdmintLibraryPage *self);
/* Shows the brand styles instead of the assets (the header's Styles toggle). */
void               admint_library_page_show_styles (AdmintLibraryPage *self,
                                                    gboolean           show);
AdmintStylesPanel *admint_library_page_get_styles_panel (AdmintLibraryPage *self);

G_END_DECLS
