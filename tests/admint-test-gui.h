/* Helpers for the GUI tests: finding widgets and saving what the window shows as a PNG. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The first widget of TYPE in WIDGET's tree (WIDGET included), depth first. */
GtkWidget *admint_test_find_widget     (GtkWidget  *widget,
                                        GType       type);

/* Renders WIDGET into ADMINT_SCREENSHOT_DIR/NAME and fails if the picture is blank. */
void       admint_test_save_screenshot (GtkWidget  *widget,
                                        const char *name);

G_END_DECLS
