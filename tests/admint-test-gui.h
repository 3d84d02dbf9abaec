/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the GUI tests: finding widgets and saving what the window shows as a PNG. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*AdmintTestWidgetMatch) (GtkWidget     *widget,
                                           gconstpointer  data);

/* The first widget in WIDGET's tree (WIDGET included, depth first) that MATCH accepts; with
 * SKIP_HIDDEN, hidden widgets and what is under them are passed over. */
GtkWidget *admint_test_find_widget_by  (GtkWidget             *widget,
                                        AdmintTestWidgetMatch  match,
                                        gconstpointer          data,
                                        gboolean               skip_hidden);

/* The first widget of TYPE in WIDGET's tree (WIDGET included), depth first. */
GtkWidget *admint_test_find_widget     (GtkWidget  *widget,
                                        GType       type);

/* Renders WIDGET into ADMINT_SCREENSHOT_DIR/NAME and fails if the picture is blank. */
void       admint_test_save_screenshot (GtkWidget  *widget,
                                        const char *name);

G_END_DECLS
