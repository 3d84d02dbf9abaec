/* The main window: ads in a sidebar, the current ad's conversation beside it. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-window.h"

struct _AdmintWindow
{
  AdwApplicationWindow parent_instance;

  GSettings      *settings;

  AdwLeaflet     *leaflet;
  GtkWidget      *content;
  AdwStatusPage  *status_page;
  GtkEntry       *brief_entry;
};

G_DEFINE_FINAL_TYPE (AdmintWindow, admint_window, ADW_TYPE_APPLICATION_WINDOW)

static void
on_back_clicked (AdmintWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
new_ad_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
  gtk_editable_set_text (GTK_EDITABLE (self->brief_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->brief_entry));
}

static void
save_window_state (AdmintWindow *self)
{
  int width, height;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  /* Keep the last unmaximized size, so un-maximizing next time restores something sensible. */
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
}

static gboolean
admint_window_close_request (GtkWindow *window)
{
  save_window_state (ADMINT_WINDOW (window));
  return GTK_WINDOW_CLASS (admint_window_parent_class)->close_request (window);
}

static void
admint_window_dispose (GObject *object)
{
  AdmintWindow *self = ADMINT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (admint_window_parent_class)->dispose (object);
}

static void
admint_window_class_init (AdmintWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = admint_window_dispose;
  window_class->close_request = admint_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/admint/AdMint/ui/admint-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, content);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, brief_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "win.new-ad", NULL, new_ad_action);
}

static void
admint_window_init (AdmintWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

AdmintWindow *
admint_window_new (AdmintApplication *application)
{
  g_return_val_if_fail (ADMINT_IS_APPLICATION (application), NULL);

  return g_object_new (ADMINT_TYPE_WINDOW, "application", application, NULL);
}
