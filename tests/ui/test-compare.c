/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Variants side by side and the history: Compare keeps three players in step, a pick is stored
 * and badged; search, status filter, rename, delete with Undo; a desktop notification (seen by
 * a fake notification server on a private session bus) when an ad ends in the background. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "admint-compare-view.h"
#include "admint-history-item.h"
#include "admint-store.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "admint-window.h"
#include "media-test-util.h"
#include "ui-test-util.h"

#define N_VARIANTS 3

static struct {
  char            *ids[N_VARIANTS];
  char            *group;
  char            *single;
  GDBusConnection *server;       /* the fake notification server's connection */
  guint            n_notified;
  char            *summary;
  char            *body;
  gboolean         has_default;
} ad;

/* ---- the fake org.freedesktop.Notifications ----------------------------------------------- */

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "<signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "</interface></node>";

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      g_autofree const char **actions = NULL;
      const char *summary = NULL, *body = NULL;

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     &actions, NULL, NULL);
      g_free (ad.summary);
      ad.summary = g_strdup (summary);
      g_free (ad.body);
      ad.body = g_strdup (body);
      ad.has_default = actions != NULL && g_strv_contains (actions, "default");
      ad.n_notified++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", 7));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (GTestDBus *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  static const GDBusInterfaceVTable vtable = { on_notifications_call, NULL, NULL, { 0 } };
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  ad.server = g_dbus_connection_new_for_address_sync (
    g_test_dbus_get_bus_address (bus),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (ad.server, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (ad.server, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
}

/* ---- the ads: three variants with short videos and distinct scores, and one single ad ------ */

static void
store_ads (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  static const char *patterns[N_VARIANTS] = { "smpte", "ball", "pinwheel" };
  static const char *names[N_VARIANTS] = { "A", "B", "C" };

  g_assert_no_error (error);
  ad.group = admint_store_create_group (store, "Lamp", &error);
  g_assert_no_error (error);
  for (int i = 0; i < N_VARIANTS; i++)
    {
      g_autofree char *file = g_strdup_printf ("variant-%d.mp4", i);
      g_autofree char *video = g_build_filename (admint_test_get_root (), file, NULL);
      double dims[ADMINT_QUALITY_N_DIMENSIONS];
      g_autofree char *body = NULL;

      media_test_make_clip (video, 192, 108, 24, 4.0, FALSE, patterns[i]);
      ad.ids[i] = admint_store_create_generation (store, "Ad for a reading lamp", "AIDA", NULL,
                                                  NULL, &error);
      g_assert_no_error (error);
      g_assert_true (admint_store_add_group_member (store, ad.group, ad.ids[i], names[i], NULL));
      g_assert_true (admint_store_set_final_video (store, ad.ids[i], video, 60 + 10 * i, NULL));
      /* Variant A is best on the first dimension, C on the rest. */
      for (int d = 0; d < ADMINT_QUALITY_N_DIMENSIONS; d++)
        dims[d] = d == 0 ? 0.9 - 0.1 * i : 0.5 + 0.1 * i;
      g_assert_true (admint_store_save_quality (store, ad.ids[i], -1, dims, 60 + 10 * i, 1.0,
                                                NULL));
      body = g_strdup_printf ("{\"quality_score\": %d, \"ad_checks\": {"
                              "\"repeated_scenes\": {\"pass\": true, \"reason\": \"all differ\"},"
                              "\"still_stretches\": {\"pass\": %s, \"reason\": \"3.5 s still\"},"
                              "\"scenes\": 3, \"passed\": %s}}", 60 + 10 * i,
                              i == 1 ? "false" : "true", i == 1 ? "false" : "true");
      g_assert_cmpint (admint_store_add_message (store, ad.ids[i], "assistant", "scores", body,
                                                 NULL), >, 0);
      g_assert_true (admint_store_update_generation_status (store, ad.ids[i], "completed", NULL,
                                                            NULL, NULL));
    }
  ad.single = admint_store_create_generation (store, "Ad for green tea", "PAS", NULL, NULL,
                                              &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_update_generation_status (store, ad.single, "completed", NULL, NULL,
                                                        NULL));
}

/* ---- helpers ------------------------------------------------------------------------------- */

typedef struct _App App;
struct _App {
  AdmintApplication *app;
  AdmintWindow      *window;
  void             (*body) (App *a);
};

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

static GtkSingleSelection *
history (App *a)
{
  GtkWidget *list = admint_test_find_widget_by (GTK_WIDGET (a->window), is_history_list, NULL,
                                                FALSE);
  g_assert_nonnull (list);
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
}

static guint
n_shown (App *a)
{
  return g_list_model_get_n_items (G_LIST_MODEL (history (a)));
}

static gboolean
history_listed (gpointer data)
{
  return n_shown (data) == N_VARIANTS + 1;
}

static AdmintHistoryItem *
shown_item (App        *a,
            const char *id)
{
  for (guint i = 0; i < n_shown (a); i++)
    {
      g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (history (a)), i);
      if (g_str_equal (admint_history_item_get_id (item), id))
        return item;
    }
  return NULL;
}

static const char *
selected_id (App *a)
{
  AdmintHistoryItem *item = gtk_single_selection_get_selected_item (history (a));
  return item != NULL ? admint_history_item_get_id (item) : NULL;
}

static AdmintCompareView *
compare_view (App *a)
{
  GtkWidget *view = admint_test_find_widget (GTK_WIDGET (a->window), ADMINT_TYPE_COMPARE_VIEW);
  g_assert_nonnull (view);
  return ADMINT_COMPARE_VIEW (view);
}

static const char *
header_title (App *a)
{
  /* The content pane's title: the last AdwWindowTitle in the tree is the content's. */
  GtkWidget *content = gtk_widget_get_parent (GTK_WIDGET (compare_view (a)));
  while (content != NULL && !(GTK_IS_BOX (content) &&
                              ADW_IS_HEADER_BAR (gtk_widget_get_first_child (content))))
    content = gtk_widget_get_parent (content);
  g_assert_nonnull (content);
  GtkWidget *title = admint_test_find_widget (content, ADW_TYPE_WINDOW_TITLE);
  return adw_window_title_get_title (ADW_WINDOW_TITLE (title));
}

static gboolean
compare_loaded (gpointer data)
{
  return admint_compare_view_is_loaded (compare_view (data));
}

static gboolean
streams_prepared (gpointer data)
{
  AdmintCompareView *view = compare_view (data);

  for (guint i = 0; i < admint_compare_view_get_n_players (view); i++)
    if (!gtk_media_stream_is_prepared (admint_compare_view_get_stream (view, i)))
      return FALSE;
  return TRUE;
}

static gint64 wanted_usec;

static gboolean
all_at_wanted (gpointer data)
{
  AdmintCompareView *view = compare_view (data);

  for (guint i = 0; i < admint_compare_view_get_n_players (view); i++)
    {
      GtkMediaStream *s = admint_compare_view_get_stream (view, i);
      if (gtk_media_stream_is_seeking (s) ||
          ABS (gtk_media_stream_get_timestamp (s) - wanted_usec) > G_USEC_PER_SEC / 4)
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

/* Every widget in WIDGET's tree that MATCH accepts, depth first. */
static void
collect_by (GtkWidget             *widget,
            AdmintTestWidgetMatch  match,
            gconstpointer          data,
            GPtrArray             *found)
{
  if (match (widget, data))
    g_ptr_array_add (found, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_by (c, match, data, found);
}

static void
collect_with_class (GtkWidget  *widget,
                    const char *css_class,
                    GPtrArray  *found)
{
  collect_by (widget, has_class, css_class, found);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_scale (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_SCALE (widget);
}

typedef void (*AppBody) (App *a);

static gboolean
run_body (gpointer data)
{
  App *a = data;

  a->window = ADMINT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (a->app)));
  g_assert_nonnull (a->window);
  ui_test_wait (history_listed, a, 20000, "the history");
  a->body (a);
  g_action_group_activate_action (G_ACTION_GROUP (a->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             App          *a)
{
  g_idle_add (run_body, a);
}

/* Runs the app with BODY driving its window, then quits; the app must be gone after. */
static void
app_run (AppBody body)
{
  App a = { .body = body };

  a.app = admint_application_new ();
  g_application_set_flags (G_APPLICATION (a.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (a.app, "activate", G_CALLBACK (on_activate), &a);
  g_assert_cmpint (g_application_run (G_APPLICATION (a.app), 0, NULL), ==, 0);
  g_assert_finalize_object (a.app);
}

/* ---- the tests ----------------------------------------------------------------------------- */

static void
compare_and_pick (App *app)
{
  App a = *app;
  AdmintCompareView *view;
  g_autoptr(GPtrArray) best = g_ptr_array_new ();

  /* Compare from a variant's row: all three side by side. */
  g_assert_nonnull (admint_history_item_get_group_id (shown_item (&a, ad.ids[1])));
  g_assert_null (admint_history_item_get_group_id (shown_item (&a, ad.single)));
  g_assert_true (g_str_has_prefix (admint_history_item_get_subtitle (shown_item (&a, ad.ids[1])),
                                   "Variant B · "));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a.window), "win.compare", "s",
                                             ad.ids[1]));
  ui_test_wait (compare_loaded, &a, 20000, "the variants");
  view = compare_view (&a);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpuint (admint_compare_view_get_n_players (view), ==, N_VARIANTS);
  g_assert_cmpstr (header_title (&a), ==, "Compare Variants");
  for (guint i = 0; i < N_VARIANTS; i++)
    g_assert_cmpstr (admint_compare_view_get_id (view, i), ==, ad.ids[i]);

  /* The best of each row is highlighted: the overall score and six dimensions are C's, the
   * first dimension A's. */
  collect_with_class (GTK_WIDGET (view), "compare-best", best);
  g_assert_cmpuint (best->len, ==, 1 + ADMINT_QUALITY_N_DIMENSIONS);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (g_ptr_array_index (best, 0))), ==, "80");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (g_ptr_array_index (best, 1))), ==, "0.90");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (g_ptr_array_index (best, 2))), ==, "0.70");

  /* The ad checks: B fails the still-stretch check, with its reason. */
  g_autoptr(GPtrArray) failed = g_ptr_array_new ();
  collect_with_class (GTK_WIDGET (view), "error", failed);
  g_assert_cmpuint (failed->len, ==, 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (g_ptr_array_index (failed, 0)), ==,
                   "3.5 s still");

  /* One control bar seeks them all. */
  ui_test_wait (streams_prepared, &a, 30000, "the three videos");
  GtkWidget *scale = admint_test_find_widget_by (GTK_WIDGET (view), is_scale, NULL, TRUE);
  g_assert_nonnull (scale);
  wanted_usec = 2 * G_USEC_PER_SEC;
  gtk_range_set_value (GTK_RANGE (scale), 2.0);
  ui_test_wait (all_at_wanted, &a, 20000, "all three players at 2 s");

  /* Seeking one player alone brings the other two along. */
  wanted_usec = G_USEC_PER_SEC;
  gtk_media_stream_seek (admint_compare_view_get_stream (view, 1), wanted_usec);
  ui_test_wait (all_at_wanted, &a, 20000, "all three players at 1 s after one was seeked");
  g_assert_cmpfloat (fabs (gtk_range_get_value (GTK_RANGE (scale)) - 1.0), <, 0.3);

  ui_test_screenshots (GTK_WINDOW (a.window), "compare");

  /* Pick C: stored, badged in the history, and its chat is open. */
  g_autoptr(GPtrArray) picks = g_ptr_array_new ();
  collect_by (GTK_WIDGET (view), is_button_labelled, "_Pick This One", picks);
  g_assert_cmpuint (picks->len, ==, N_VARIANTS);
  GtkWidget *pick = g_ptr_array_index (picks, 2);
  g_signal_emit_by_name (pick, "clicked");

  g_assert_true (admint_history_item_get_winner (shown_item (&a, ad.ids[2])));
  g_assert_false (admint_history_item_get_winner (shown_item (&a, ad.ids[0])));
  g_assert_cmpstr (selected_id (&a), ==, ad.ids[2]);
  {
    g_autoptr(AdmintStore) store = admint_store_open (NULL, NULL);
    g_autoptr(JsonNode) members = admint_store_list_group_members (store, ad.group, NULL);
    JsonArray *array = json_node_get_array (members);
    for (guint i = 0; i < N_VARIANTS; i++)
      g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array, i),
                                                     "winner") == (i == 2));
  }
  ui_test_wait_ms (300);
  g_assert_cmpstr (header_title (&a), ==, "Ad for a reading lamp");
  ui_test_screenshots (GTK_WINDOW (a.window), "history-winner");
}

static void
test_compare_and_pick (void)
{
  app_run (compare_and_pick);
}

static gboolean
one_shown (gpointer data)
{
  return n_shown (data) == 1;
}

static gboolean
three_shown (gpointer data)
{
  return n_shown (data) == 3;
}

static gboolean
is_status_filter (GtkWidget     *widget,
                  gconstpointer  data)
{
  GListModel *model;

  return GTK_IS_DROP_DOWN (widget) &&
         GTK_IS_STRING_LIST (model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget))) &&
         g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "All ads") == 0;
}

static gboolean
is_history_search (GtkWidget     *widget,
                   gconstpointer  data)
{
  /* The sidebar's; the Library page has a search entry of its own. */
  return GTK_IS_SEARCH_ENTRY (widget) &&
         gtk_widget_get_ancestor (widget, GTK_TYPE_SEARCH_BAR) != NULL &&
         admint_test_find_widget_by (gtk_widget_get_ancestor (widget, GTK_TYPE_SEARCH_BAR),
                                     is_status_filter, NULL, FALSE) != NULL;
}

static void
history_search_rename_delete (App *app)
{
  App a = *app;
  g_autoptr(GError) error = NULL;

  /* The winner picked before is badged from the store. */
  g_assert_true (admint_history_item_get_winner (shown_item (&a, ad.ids[2])));

  /* Ctrl+F's action: the search entry takes the words. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a.window), "win.search", NULL));
  GtkWidget *entry = admint_test_find_widget_by (GTK_WIDGET (a.window), is_history_search, NULL,
                                                 FALSE);
  g_assert_nonnull (entry);
  ui_test_wait_ms (100);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (a.window));

  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  /* The search is case-blind and looks at the briefs. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "GREEN");
  ui_test_wait (one_shown, &a, 5000, "the search");
  g_assert_nonnull (shown_item (&a, ad.single));

  /* The status filter: nothing of these is being made. */
  GtkWidget *status = admint_test_find_widget_by (GTK_WIDGET (a.window), is_status_filter, NULL,
                                                  FALSE);
  g_assert_nonnull (status);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 2);
  g_assert_cmpuint (n_shown (&a), ==, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 1);
  g_assert_cmpuint (n_shown (&a), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  ui_test_wait (history_listed, &a, 5000, "every finished ad");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 0);

  /* Rename: the dialog, the store, the row and the header. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a.window), "win.rename-ad", "s",
                                             ad.single));
  AdwMessageDialog *dialog = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w))
        dialog = ADW_MESSAGE_DIALOG (w);
    }
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)),
                         "  Tea launch ");
  adw_message_dialog_response (dialog, "rename");
  g_assert_cmpstr (admint_history_item_get_title (shown_item (&a, ad.single)), ==, "Tea launch");
  {
    g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
    g_autoptr(JsonNode) stored = admint_store_get_generation (store, ad.single, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored), "name"), ==,
                     "Tea launch");
  }
  admint_window_show_ad (a.window, ad.single);
  g_assert_cmpstr (selected_id (&a), ==, ad.single);
  g_assert_cmpstr (header_title (&a), ==, "Tea launch");
  /* Searching finds it by its name too. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "launch");
  ui_test_wait (one_shown, &a, 5000, "the search by name");

  /* The history searched, with the winner's badge (the pictures in docs/screenshots). */
  gtk_editable_set_text (GTK_EDITABLE (entry), "lamp");
  ui_test_wait (three_shown, &a, 5000, "the three variants");
  admint_window_show_ad (a.window, ad.ids[2]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a.window), "win.search", NULL));
  ui_test_screenshots (GTK_WINDOW (a.window), "history");
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  ui_test_wait (history_listed, &a, 5000, "every ad");

  /* Delete, then Undo from the toast: gone from the list and the store's history, then back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a.window), "win.delete-ad", "s",
                                             ad.single));
  g_assert_cmpuint (n_shown (&a), ==, N_VARIANTS);
  g_assert_null (shown_item (&a, ad.single));
  {
    g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
    g_assert_false (admint_store_has_generation (store, ad.single, FALSE, NULL));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a.window), "win.undo-delete", "s",
                                             ad.single));
  g_assert_cmpuint (n_shown (&a), ==, N_VARIANTS + 1);
  g_assert_cmpstr (admint_history_item_get_title (shown_item (&a, ad.single)), ==, "Tea launch");
  {
    g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
    g_assert_true (admint_store_has_generation (store, ad.single, FALSE, NULL));
  }
}

/* Ctrl+F searches, and the shortcuts window (Ctrl+?) lists it beside the others. */
static void
shortcuts (App *a)
{
  g_auto(GStrv) search = gtk_application_get_accels_for_action (GTK_APPLICATION (a->app),
                                                                "win.search");
  g_auto(GStrv) help = gtk_application_get_accels_for_action (GTK_APPLICATION (a->app),
                                                              "win.show-help-overlay");
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (
    "/io/github/admint/AdMint/gtk/help-overlay.ui");
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *actions[] = { "win.new-ad", "win.search", "win.export", "app.preferences",
                            "win.show-help-overlay", "app.quit" };

  g_assert_cmpstr (search[0], ==, "<Control>f");
  g_assert_cmpstr (help[0], ==, "<Control>question");
  g_assert_nonnull (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        char *action = NULL;
        g_object_get (l->data, "action-name", &action, NULL);
        if (action != NULL)
          g_hash_table_add (listed, action);
      }
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (a->app),
                                                                    actions[i]);
      g_assert_nonnull (accels[0]);
      g_assert_true (g_hash_table_contains (listed, actions[i]));
    }
}

static void
reopened (App *a)
{
  ui_test_wait_ms (200);
  g_assert_cmpstr (selected_id (a), ==, ad.single);
  g_assert_cmpstr (header_title (a), ==, "Tea launch");
}

static void
test_history_search_rename_delete (void)
{
  app_run (history_search_rename_delete);

  /* The selected ad is remembered for next time. */
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autofree char *remembered = g_settings_get_string (settings, "selected-ad");
  g_assert_cmpstr (remembered, ==, ad.single);
  app_run (reopened);
}

static void
test_shortcuts (void)
{
  app_run (shortcuts);
}

static gboolean
notified (gpointer data)
{
  return ad.n_notified > 0;
}

static char *failed_id;

static gboolean
failed_ad_selected (gpointer data)
{
  return g_strcmp0 (selected_id (data), failed_id) == 0;
}

static gboolean
window_inactive (gpointer data)
{
  return !gtk_window_is_active (GTK_WINDOW (((App *) data)->window));
}

static void
notification_body (App *a)
{
  GtkWidget *other = gtk_window_new ();

  /* Another window in front: the ad ends while the user looks elsewhere. */
  gtk_window_set_default_size (GTK_WINDOW (other), 200, 100);
  gtk_window_present (GTK_WINDOW (other));
  ui_test_wait (window_inactive, a, 5000, "the main window to lose the focus");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a->window), "win.new-ad", NULL));
  GtkWidget *entry = admint_test_find_widget (GTK_WIDGET (a->window), GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Ad for a bicycle bell");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (n_shown (a), ==, N_VARIANTS + 2);
  failed_id = g_strdup (selected_id (a));
  g_assert_nonnull (failed_id);
  /* Elsewhere for now: the new-ad page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a->window), "win.new-ad", NULL));

  /* The chat server cannot be reached: the ad fails, and the desktop is told. */
  ui_test_wait (notified, a, 90000, "the notification");
  g_assert_cmpuint (ad.n_notified, ==, 1);
  g_assert_cmpstr (ad.summary, ==, "Your ad could not be made");
  g_assert_cmpstr (ad.body, ==, "Ad for a bicycle bell");
  g_assert_true (ad.has_default);

  /* A click on it opens the ad. */
  g_dbus_connection_emit_signal (ad.server, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", 7, "default"), NULL);
  ui_test_wait (failed_ad_selected, a, 10000, "the ad opened by the notification");
  gtk_window_destroy (GTK_WINDOW (other));
  g_clear_pointer (&failed_id, g_free);
}

static void
test_notification (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", NULL);
  g_autofree char *file = g_build_filename (dir, "config.yaml", NULL);

  /* An LLM server that is not there (nothing listens on port 9), tried once. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file,
                                      "providers: {llm: {provider: openai,"
                                      " base_url: 'http://127.0.0.1:9/v1'}}\n"
                                      "network: {max_retries: 0}\n", -1, NULL));
  g_setenv ("OPENAI_API_KEY", "test-key", TRUE);
  app_run (notification_body);
  g_unlink (file);
}

int
main (int argc, char **argv)
{
  /* Static: it stays reachable to the end (see below), so the leak check does not count it. */
  static GTestDBus *bus;
  int status;

  /* A private session bus, before anything connects to one. */
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* GTestDBus clears DISPLAY (against D-Bus autolaunch); the window needs Xvfb's. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  ui_test_init (&argc, &argv);
  gst_init (NULL, NULL);
  start_notification_server (bus);
  store_ads ();

  g_test_add_func ("/compare/compare-and-pick", test_compare_and_pick);
  g_test_add_func ("/compare/history", test_history_search_rename_delete);
  g_test_add_func ("/compare/shortcuts", test_shortcuts);
  g_test_add_func ("/compare/notification", test_notification);
  status = g_test_run ();
  g_clear_object (&ad.server);
  /* Stopped without waiting for the cached session connection to go (g_test_dbus_down, as the
   * object's last unref would, waits for it and warns); the object dies with the process. */
  g_test_dbus_stop (bus);
  return status;
}
