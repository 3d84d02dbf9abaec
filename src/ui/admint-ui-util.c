/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small widget helpers the app's pages share: buttons screen readers read once, toasts with named buttons. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-ui-util.h"
#include "admint-worker.h"

GtkWidget *
admint_ui_mnemonic_button_new (const char *text)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), button);
  gtk_button_set_child (GTK_BUTTON (button), label);
  return button;
}

GtkWidget *
admint_ui_wrapped_label_new (const char *text,
                             const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

const char *
admint_ui_json_string (JsonObject *obj,
                       const char *name)
{
  JsonNode *node;

  if (obj == NULL || !json_object_has_member (obj, name))
    return NULL;
  node = json_object_get_member (obj, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

GtkWidget *
admint_ui_ad_check_new (const char *name,
                        JsonObject *check,
                        const char *label_class)
{
  gboolean pass = json_object_get_boolean_member_with_default (check, "pass", FALSE);
  const char *reason = admint_ui_json_string (check, "reason");
  /* A grid, not a horizontal box: a box allocates its children by asking each one's width for
   * its height, which makes a wrapped label try width after width (about seven Pango layouts a
   * line at every layout pass); a grid asks widths first and heights for them. */
  GtkWidget *line = gtk_grid_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (pass ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");
  GtkWidget *label = admint_ui_wrapped_label_new (reason != NULL ? reason : name, label_class);

  gtk_widget_add_css_class (icon, pass ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  pass ? _("Check passed") : _("Check failed"), -1);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (line), 6);
  gtk_grid_attach (GTK_GRID (line), icon, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (line), label, 1, 0, 1, 1);
  return line;
}

/* A name for an icon-only button the toolkit made, from its icon. */
static const char *
name_for_icon (const char *icon)
{
  static const struct { const char *icon; const char *name; } names[] = {
    { "object-select-symbolic", N_("Apply") },
    { "view-reveal-symbolic", N_("Show the Text") },
    { "view-conceal-symbolic", N_("Hide the Text") },
    /* libadwaita 1.2's password rows */
    { "eye-not-looking-symbolic", N_("Show or Hide the Text") },
    { "eye-open-negative-filled-symbolic", N_("Show or Hide the Text") },
    { "edit-find-symbolic", N_("Search") },
    { "system-search-symbolic", N_("Search") },
    { "go-previous-symbolic", N_("Back") },
    { "window-close-symbolic", N_("Close") },
    { "edit-clear-symbolic", N_("Clear") },
  };

  for (guint i = 0; icon != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (icon, names[i].icon))
      return _(names[i].name);
  return NULL;
}

static gboolean
has_name (GtkWidget *widget)
{
  /* GTK 4.8 names a button from its label child (it has no getter for a label the code set:
   * this is for the toolkit's own icon buttons, in windows whose own buttons have text). */
  return GTK_IS_LABEL (gtk_widget_get_first_child (widget));
}

static void
name_decorations (GtkWidget *widget,
                  gboolean   in_control)
{
  if (GTK_IS_BUTTON (widget) && !has_name (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));
      const char *icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
      const char *name;

      if (icon == NULL && GTK_IS_IMAGE (child))
        icon = gtk_image_get_icon_name (GTK_IMAGE (child));
      name = name_for_icon (icon);
      if (name == NULL)
        name = gtk_widget_get_tooltip_text (widget);
      if (name == NULL)
        g_debug ("An icon button (%s) has no name a screen reader can say", icon);
      if (name != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        name, -1);
      if (GTK_IS_IMAGE (child))
        gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                     -1);
      return;
    }
  if (GTK_IS_IMAGE (widget) && in_control)
    {
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      return;
    }
  in_control = in_control || ADW_IS_ACTION_ROW (widget) || ADW_IS_ENTRY_ROW (widget) ||
               ADW_IS_PREFERENCES_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_decorations (child, in_control);
}

void
admint_ui_name_decorations (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  name_decorations (root, FALSE);
}

/* The text of a GtkButton's label child, without its mnemonic underscore, or NULL. */
static char *
button_text (GtkWidget *button)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  if (GTK_IS_LABEL (child))
    return g_strdup (gtk_label_get_text (GTK_LABEL (child)));
  return NULL;
}

static void
name_toast_buttons (GtkWidget *widget,
                    gboolean   in_toast)
{
  in_toast = in_toast || g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");
  if (in_toast && GTK_IS_BUTTON (widget))
    {
      g_autofree char *text = button_text (widget);

      /* One name, from the label property alone: no labelled-by to read it a second time. */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget),
                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      text != NULL ? text : _("Dismiss"), -1);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_toast_buttons (child, in_toast);
}

static gboolean
name_toasts_later (gpointer user_data)
{
  GtkWidget *overlay = user_data;

  name_toast_buttons (overlay, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_toast_dismissed (AdwToast  *toast,
                    GtkWidget *overlay)
{
  /* The next queued toast's widget is made now: name it once it is there. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, name_toasts_later, g_object_ref (overlay),
                   g_object_unref);
}

void
admint_ui_add_toast (AdwToastOverlay *overlay,
                     AdwToast        *toast)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), overlay, 0);
  adw_toast_overlay_add_toast (overlay, toast);
  name_toast_buttons (GTK_WIDGET (overlay), FALSE);
}

/* ---- pictures decoded off the main loop ---- */

typedef struct {
  char *path;
  int   size;
} TextureLoad;

static void
texture_load_free (TextureLoad *load)
{
  g_free (load->path);
  g_free (load);
}

static void
load_texture_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TextureLoad *load = task_data;
  GError *error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  int width = 0, height = 0;

  admint_worker_lower_priority ();
  if (gdk_pixbuf_get_file_info (load->path, &width, &height) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“%s” is not a picture"), load->path);
      return;
    }
  if (load->size > 0 && MAX (width, height) > load->size)
    pixbuf = gdk_pixbuf_new_from_file_at_scale (load->path, load->size, load->size, TRUE,
                                                &error);
  else
    pixbuf = gdk_pixbuf_new_from_file (load->path, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

void
admint_ui_load_texture_async (const char          *path,
                              int                  size,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TextureLoad *load = g_new0 (TextureLoad, 1);

  g_return_if_fail (path != NULL);

  load->path = g_strdup (path);
  load->size = size;
  g_task_set_source_tag (task, admint_ui_load_texture_async);
  g_task_set_task_data (task, load, (GDestroyNotify) texture_load_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_texture_thread);
}

GdkTexture *
admint_ui_load_texture_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
