/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared set-up of the page tests: a throw-away home, a file keyring, waits, drops, screenshots. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*UiTestCondition) (gpointer data);

/* admint_test_init, libsecret's file backend in the test folder, GTK and libadwaita. */
const char *ui_test_init       (int              *argc,
                                char           ***argv);
/* Runs the main loop until COND (DATA) holds; fails the test after TIMEOUT_MS. */
void        ui_test_wait       (UiTestCondition   cond,
                                gpointer          data,
                                guint             timeout_ms,
                                const char       *what);
void        ui_test_wait_ms    (guint             ms);
/* Emits the drop of PATHS (NULL-terminated) on WIDGET's GtkDropTarget for files. */
void        ui_test_drop_files (GtkWidget        *widget,
                                const char * const *paths);
/* A WIDTH×HEIGHT PNG of one colour in the test folder; returns its path. */
char       *ui_test_make_png   (const char       *name,
                                int               width,
                                int               height,
                                guint32           rgba);
/* Sizes WINDOW to WIDTH (height 720), in the light or dark style, lets it settle and saves
 * ADMINT_SCREENSHOT_DIR/NAME-{light,dark}-{wide,narrow}.png for both styles and both widths
 * (1100 and 360 px). */
void        ui_test_screenshots (GtkWindow       *window,
                                 const char      *name);
/* The same with WIDE_WIDTH for the wide pictures (dialogs are narrower than windows). */
void        ui_test_screenshots_at (GtkWindow    *window,
                                    const char   *name,
                                    int           wide_width,
                                    int           height);

G_END_DECLS
