/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: ads in a sidebar, the current ad's conversation beside it. */
#pragma once

#include <adwaita.h>

#include "admint-application.h"
#include "admint-generation.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_WINDOW (admint_window_get_type ())

G_DECLARE_FINAL_TYPE (AdmintWindow, admint_window, ADMINT, WINDOW, AdwApplicationWindow)

AdmintWindow *admint_window_new (AdmintApplication *application);

/* Imports FILES (GFile) into the library as assets of the next ad, as a drop or the file
 * chooser does; problems show under the brief. */
void          admint_window_add_asset_files (AdmintWindow *self,
                                             GListModel   *files);
/* The assets the next ad will use, or 0 while imports are still running. */
guint         admint_window_get_n_assets    (AdmintWindow *self);
/* Selects ad ID in the history and opens its chat (app.show-ad, a notification's click). */
void          admint_window_show_ad         (AdmintWindow *self,
                                             const char   *id);
/* The ad's row in the sidebar and the Stop control follow GEN, a stored ad loaded again to
 * edit a scene or make a clip again (admint-redo.c); nothing if the ad is not listed. */
void          admint_window_follow_generation (AdmintWindow     *self,
                                               AdmintGeneration *gen);

G_END_DECLS
