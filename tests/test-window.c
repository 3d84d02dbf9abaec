/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window as a person sees it: shown, titled, status page, shortcuts, state kept.
 * Runs under Xvfb; saves a screenshot to the build directory to look at. */
#include "config.h"

#include <adwaita.h>

#include "admint-application.h"
#include "admint-history-item.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "admint-window.h"

typedef struct {
  AdmintApplication *app;
  int                step;
  gboolean           done;
} Fixture;

static gboolean
is_status_page_titled (GtkWidget     *widget,
                       gconstpointer  title)
{
  return ADW_IS_STATUS_PAGE (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

static gboolean
is_variants_choice (GtkWidget     *widget,
                    gconstpointer  data)
{
  GListModel *model;

  if (!GTK_IS_DROP_DOWN (widget) ||
      (model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget))) == NULL ||
      !GTK_IS_STRING_LIST (model))
    return FALSE;
  return g_list_model_get_n_items (model) == 4 &&
         g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "One ad") == 0;
}

static gboolean
is_create_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "suggested-action") &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Start making the ad from this brief")
         == 0;
}

/* The sidebar's list (the drop-downs' popovers hold list views too). */
static gboolean
is_history_list (GtkWidget     *widget,
                 gconstpointer  data)
{
  GtkSelectionModel *model;

  return GTK_IS_LIST_VIEW (widget) &&
         GTK_IS_SINGLE_SELECTION (model = gtk_list_view_get_model (GTK_LIST_VIEW (widget))) &&
         g_list_model_get_item_type (gtk_single_selection_get_model (
           GTK_SINGLE_SELECTION (model))) == ADMINT_TYPE_HISTORY_ITEM;
}

static GListModel *
history_of (GtkWindow *window)
{
  GtkWidget *list = admint_test_find_widget_by (GTK_WIDGET (window), is_history_list, NULL,
                                                FALSE);

  g_assert_nonnull (list);
  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
}

static gboolean
drive_window (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (f->app));

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)) ||
      gtk_widget_get_width (GTK_WIDGET (window)) < 100)
    return G_SOURCE_CONTINUE;

  switch (f->step++)
    {
    case 0:
      /* Let a few frames be drawn before looking. */
      return G_SOURCE_CONTINUE;

    case 5:
      {
        g_assert_true (ADMINT_IS_WINDOW (window));
        g_assert_cmpstr (gtk_window_get_title (window), ==, "Ad Mint");
        g_assert_nonnull (admint_test_find_widget (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
        GtkWidget *invite = admint_test_find_widget_by (GTK_WIDGET (window), is_status_page_titled,
                                                        "Start a New Ad", FALSE);
        g_assert_nonnull (invite);
        g_assert_true (gtk_widget_is_visible (invite));
        admint_test_save_screenshot (GTK_WIDGET (window), "window.png");
        return G_SOURCE_CONTINUE;
      }

    case 6:
      {
        /* Ctrl+N's action puts the cursor in the brief entry. */
        GtkWidget *entry = admint_test_find_widget (GTK_WIDGET (window), GTK_TYPE_ENTRY);
        g_assert_nonnull (entry);
        gtk_editable_set_text (GTK_EDITABLE (entry), "old brief");
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-ad", NULL));
        g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
        GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
        g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
        return G_SOURCE_CONTINUE;
      }

    case 7:
      {
        /* The accelerators are in place. */
        g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app),
                                                                     "app.quit");
        g_auto(GStrv) new_ad = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app),
                                                                       "win.new-ad");
        g_assert_cmpstr (quit[0], ==, "<Control>q");
        g_assert_cmpstr (new_ad[0], ==, "<Control>n");

        /* About opens a second toplevel. */
        g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
        GListModel *toplevels = gtk_window_get_toplevels ();
        gboolean found = FALSE;
        for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
          {
            g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
            if (ADW_IS_ABOUT_WINDOW (w))
              {
                found = TRUE;
                g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (w)), ==,
                                 PACKAGE_VERSION);
                g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (w)), ==,
                                 GTK_LICENSE_GPL_3_0);
                gtk_window_destroy (GTK_WINDOW (w));
                break;
              }
          }
        g_assert_true (found);
        return G_SOURCE_CONTINUE;
      }

    case 8:
      {
        /* Two variants from the new-ad page: one call makes both, each in the sidebar. */
        GtkWidget *entry = admint_test_find_widget (GTK_WIDGET (window), GTK_TYPE_ENTRY);
        GtkWidget *variants = admint_test_find_widget_by (GTK_WIDGET (window),
                                                          is_variants_choice, NULL, FALSE);
        GtkWidget *create = admint_test_find_widget_by (GTK_WIDGET (window), is_create_button,
                                                        NULL, FALSE);
        g_assert_nonnull (variants);
        g_assert_nonnull (create);
        g_assert_cmpuint (g_list_model_get_n_items (history_of (window)), ==, 0);
        gtk_editable_set_text (GTK_EDITABLE (entry), "6-second ad for a bamboo toothbrush");
        gtk_drop_down_set_selected (GTK_DROP_DOWN (variants), 1);
        g_signal_emit_by_name (create, "clicked");
        return G_SOURCE_CONTINUE;
      }

    case 9:
      {
        GListModel *history = history_of (window);
        g_assert_cmpuint (g_list_model_get_n_items (history), ==, 2);
        for (guint i = 0; i < 2; i++)
          {
            g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (history, i);
            AdmintGeneration *gen = admint_history_item_get_generation (item);
            g_assert_nonnull (gen);
            g_assert_nonnull (admint_generation_get_group (gen));
            admint_generation_cancel (gen);
          }
        /* The choice goes back to one ad for the next brief. */
        GtkWidget *variants = admint_test_find_widget_by (GTK_WIDGET (window),
                                                          is_variants_choice, NULL, FALSE);
        g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (variants)), ==, 0);
        return G_SOURCE_CONTINUE;
      }

    case 10:
      gtk_window_set_default_size (window, 900, 640);
      return G_SOURCE_CONTINUE;

    case 11:
      /* Quit closes the window, which saves its size. */
      g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
      f->done = TRUE;
      return G_SOURCE_REMOVE;

    default:
      return G_SOURCE_CONTINUE;
    }
}

static void
on_activate (GApplication *app,
             Fixture      *f)
{
  g_timeout_add (100, drive_window, f);
}

static void
test_window_shown (void)
{
  Fixture f = { 0 };

  f.app = admint_application_new ();
  g_application_set_flags (G_APPLICATION (f.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (f.app, "activate", G_CALLBACK (on_activate), &f);
  g_assert_cmpint (g_application_run (G_APPLICATION (f.app), 0, NULL), ==, 0);
  g_assert_true (f.done);
  g_assert_finalize_object (f.app);

  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/window/shown", test_window_shown);
  return g_test_run ();
}
