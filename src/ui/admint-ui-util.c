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
