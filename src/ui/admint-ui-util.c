/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small widget helpers the app's pages share: buttons screen readers read once, toasts with named buttons. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-ui-util.h"

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
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (pass ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");
  GtkWidget *label = admint_ui_wrapped_label_new (reason != NULL ? reason : name, label_class);

  gtk_widget_add_css_class (icon, pass ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  pass ? _("Check passed") : _("Check failed"), -1);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (line), icon);
  gtk_box_append (GTK_BOX (line), label);
  return line;
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
