/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small widget helpers the app's pages share: buttons screen readers read once, toasts with named buttons. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A button whose label has a mnemonic, as the .ui files make them: the label is the button's
 * mnemonic widget, so screen readers say its text once and without the underscore. */
GtkWidget *admint_ui_mnemonic_button_new (const char      *text);

/* Adds TOAST (taking it) to OVERLAY and gives its buttons names a screen reader can say:
 * libadwaita 1.2 leaves a toast's close button unnamed (read as "GtkImage") and reads its
 * action button's label twice ("Open Open"). Toasts queued behind it get the same when shown. */
void       admint_ui_add_toast           (AdwToastOverlay *overlay,
                                          AdwToast        *toast);

/* A label that wraps at word or character and starts at the left, with CSS_CLASS (or NULL). */
GtkWidget  *admint_ui_wrapped_label_new   (const char      *text,
                                           const char      *css_class);

/* OBJ's member NAME when it is a string, else NULL (OBJ may be NULL). */
const char *admint_ui_json_string         (JsonObject      *obj,
                                           const char      *name);

/* One ad check as a line: a pass or fail icon named for screen readers, and the check's reason
 * (NAME when it has none) in a label with LABEL_CLASS (or NULL). */
GtkWidget  *admint_ui_ad_check_new        (const char      *name,
                                           JsonObject      *check,
                                           const char      *label_class);

/* Gives the controls libadwaita 1.2 builds without a name one a screen reader can say, under
 * ROOT: an icon-only button is named from its tooltip or its icon (apply, show the password,
 * search, …); an icon that only decorates a named row or control (a combo row's arrow, an entry
 * row's pencil) is hidden from the accessibility tree, as a screen reader should skip it. */
void        admint_ui_name_decorations    (GtkWidget       *root);

/* Decodes the picture at PATH on a lowered worker thread (admint-worker.h), scaled to fit SIZE
 * pixels on its longest side (never enlarged), for a GtkPicture: a picture decoded on the main
 * loop, and one drawn scaled down at every frame, hold up the window. */
void        admint_ui_load_texture_async  (const char          *path,
                                           int                  size,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GdkTexture *admint_ui_load_texture_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
