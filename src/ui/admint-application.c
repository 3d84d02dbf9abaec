/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ad-mint application object: actions, accelerators, the About window, notifications. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <epoxy/gl.h>

#include "admint-application.h"
#include "admint-log.h"
#include "admint-preferences-window.h"
#include "admint-window-pages.h"
#include "admint-window.h"

struct _AdmintApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (AdmintApplication, admint_application, ADW_TYPE_APPLICATION)

static void
admint_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (admint_window_new (ADMINT_APPLICATION (app)));
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  AdmintApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Ad Mint developers", NULL };

  adw_show_about_window (window,
                         "application-name", _("Ad Mint"),
                         "application-icon", BASE_APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Ad Mint developers"),
                         "developers", developers,
                         "copyright", "© 2026 The Ad Mint developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", PACKAGE_URL,
                         "issue-url", PACKAGE_BUGREPORT,
                         "comments", _("Turn a short brief and your brand assets into a finished "
                                       "video advertisement."),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  AdmintPreferencesWindow *prefs;

  prefs = admint_preferences_window_new (window, window != NULL
                                                 ? admint_window_pages_get_store (window) : NULL);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  AdmintApplication *self = user_data;

  /* Closing each window first lets it save its size and state, as a click on × would. */
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *iter = windows; iter != NULL; iter = iter->next)
    gtk_window_close (GTK_WINDOW (iter->data));
  g_list_free (windows);
  g_application_quit (G_APPLICATION (self));
}

/* Opens an ad (a notification's click): the window comes forward with the ad's chat. */
static void
show_ad_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);

  if (window == NULL)
    {
      /* Started by the click itself: a window to show it in. */
      g_application_activate (G_APPLICATION (app));
      window = gtk_application_get_active_window (app);
    }
  if (!ADMINT_IS_WINDOW (window))
    return;
  gtk_window_present (window);
  admint_window_show_ad (ADMINT_WINDOW (window), g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "show-ad", show_ad_action, "s" },
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

/* Whether OpenGL on this display is drawn by the CPU (Mesa's llvmpipe or softpipe: no GPU, as
 * in many VMs, or LIBGL_ALWAYS_SOFTWARE). */
static gboolean
gl_is_software (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software;

  if (display == NULL)
    return FALSE;
  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    return FALSE;   /* no OpenGL at all: GTK draws with cairo by itself */
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  software = renderer != NULL &&
             (strstr (renderer, "llvmpipe") != NULL || strstr (renderer, "softpipe") != NULL ||
              strstr (renderer, "swrast") != NULL || strstr (renderer, "Software") != NULL);
  g_debug ("OpenGL renderer: %s", renderer != NULL ? renderer : "(unknown)");
  gdk_gl_context_clear_current ();
  return software;
}

/* GTK's OpenGL renderer on a software rasterizer makes the main thread wait at the end of each
 * frame until the rasterizer's threads have drawn the whole window, and those threads compete
 * for the cores with the clips being rendered: a frame took 100-300 ms to end while an ad was
 * made (docs/app.md, "Responsiveness while an ad is made"). Cairo draws only what changed, on
 * the main thread, without that wait. GTK reads GSK_RENDERER when it makes the first window's
 * renderer, so this comes before any window; a GSK_RENDERER the user set is kept. */
static void
choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || !gl_is_software ())
    return;
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
}

static void
admint_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };

  G_APPLICATION_CLASS (admint_application_parent_class)->startup (app);
  choose_renderer ();

  /* GtkVideo's playbin tries the system's video sinks on the decoded stream before it uses
   * GTK's own: the GTK 3 ones (gtksink…) register GTK 3's types in this GTK 4 process, and the
   * DirectFB and KMS ones take over the screen or crash where there is none (Xvfb). GTK draws
   * the video itself, so none of them is ever wanted. GStreamer reads this when GtkVideo first
   * starts it. */
  if (g_getenv ("GST_PLUGIN_FEATURE_RANK") == NULL)
    g_setenv ("GST_PLUGIN_FEATURE_RANK",
              "gtksink:NONE,gtkglsink:NONE,gtkwaylandsink:NONE,dfbvideosink:NONE,kmssink:NONE,"
              "waylandsink:NONE", FALSE);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-ad", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export", export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
}

static void
admint_application_class_init (AdmintApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = admint_application_activate;
  app_class->startup = admint_application_startup;
}

static void
admint_application_init (AdmintApplication *self)
{
}

AdmintApplication *
admint_application_new (void)
{
  return g_object_new (ADMINT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/admint/AdMint",
                       NULL);
}

const char *
admint_application_get_done_headline (AdmintGenerationStatus status)
{
  switch (status)
    {
    case ADMINT_GENERATION_STATUS_COMPLETED:
      return _("Your ad is ready");
    case ADMINT_GENERATION_STATUS_PARTIAL:
      return _("Your ad is ready, with clips missing");
    case ADMINT_GENERATION_STATUS_FAILED:
      return _("Your ad could not be made");
    default:
      return NULL;
    }
}

gboolean
admint_application_notify_done (AdmintApplication      *self,
                                const char             *id,
                                const char             *title,
                                AdmintGenerationStatus  status)
{
  const char *headline = admint_application_get_done_headline (status);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *notification_id = NULL;

  g_return_val_if_fail (ADMINT_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  /* Without a session bus there is no one to show a notification (and GLib would warn). */
  if (headline == NULL || g_application_get_dbus_connection (G_APPLICATION (self)) == NULL)
    return FALSE;
  notification = g_notification_new (headline);
  if (title != NULL)
    g_notification_set_body (notification, title);
  g_notification_set_default_action_and_target (notification, "app.show-ad", "s", id);
  g_notification_set_priority (notification, status == ADMINT_GENERATION_STATUS_FAILED
                                             ? G_NOTIFICATION_PRIORITY_HIGH
                                             : G_NOTIFICATION_PRIORITY_NORMAL);
  /* One notification an ad: a later one replaces it. */
  notification_id = g_strdup_printf ("ad-%s", id);
  g_application_send_notification (G_APPLICATION (self), notification_id, notification);
  return TRUE;
}
