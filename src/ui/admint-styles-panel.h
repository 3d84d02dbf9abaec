/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Library's brand styles: name, palette from the logo, framework, voice, music, default. */
#pragma once

#include <adwaita.h>

#include "admint-store.h"
#include "admint-store-styles.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_STYLES_PANEL (admint_styles_panel_get_type ())
G_DECLARE_FINAL_TYPE (AdmintStylesPanel, admint_styles_panel, ADMINT, STYLES_PANEL, GtkBox)

/* Signals:
 *   "changed" (): the styles were listed again after a save or delete.
 *   "toast" (AdwToast *toast): a message for the window to show. */
AdmintStylesPanel *admint_styles_panel_new        (void);
/* Lists STORE's styles; ASSETS (AdmintAssetRow, may be NULL) give the logo and music choices. */
void               admint_styles_panel_set_store  (AdmintStylesPanel *self,
                                                   AdmintStore       *store,
                                                   GListModel        *assets);
/* The styles shown (AdmintBrandStyle, borrowed), for tests. */
GPtrArray         *admint_styles_panel_get_styles (AdmintStylesPanel *self);
/* What New Style does: a style named NAME (NULL: "Style N") with the newest logo and its
 * colours. */
void               admint_styles_panel_add        (AdmintStylesPanel *self,
                                                   const char        *name);
/* The editor row of style INDEX, and a widget of it by name: "name", "colours", "framework",
 * "voice", "music", "default", "save", "delete", "from-logo" (for tests). */
GtkWidget         *admint_styles_panel_get_editor (AdmintStylesPanel *self,
                                                   guint              index,
                                                   const char        *part);
/* Sets colour I of style INDEX's editor, as its colour button does. */
void               admint_styles_panel_set_colour (AdmintStylesPanel *self,
                                                   guint              index,
                                                   guint              i,
                                                   const char        *colour);
/* Saves style INDEX's edits, as its Save button does; deletes it, as Delete does. */
void               admint_styles_panel_save       (AdmintStylesPanel *self,
                                                   guint              index);
void               admint_styles_panel_delete     (AdmintStylesPanel *self,
                                                   guint              index);
/* Operations in flight (for tests). */
guint              admint_styles_panel_get_busy   (AdmintStylesPanel *self);

G_END_DECLS
