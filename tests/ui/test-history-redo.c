/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A stored ad's row in the sidebar follows a clip made again from the app: the ad is made
 * first (Replicate video from the fake server) and the app started on that library; Regenerate
 * Clip on the ad's clip card then shows in its row while it runs, and the row ends with the
 * finished ad's new score, without selecting it again or restarting. */
#include "config.h"

#include <string.h>

#include "admint-application.h"
#include "admint-clip-card.h"
#include "admint-fake-ai.h"
#include "admint-history-item.h"
#include "admint-history-row.h"
#include "admint-provider-factory.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "admint-window.h"
#include "pipeline-test-util.h"
#include "ui-test-util.h"

#define BRIEF "12-second ad for AquaPeak, a reusable water bottle, for hikers"
#define VIDEO_CREATE "/v1/models/google/veo-3/predictions"

static AdmintFakeAi *fake;
static char *ad_id;

/* The app's config and the ad made with it before the app starts. */
static void
make_stored_ad (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", NULL);
  g_autofree char *file = g_build_filename (dir, "config.yaml", NULL);
  g_autofree char *yaml = g_strdup_printf (
    "video: {resolution: 360p}\n"
    "stages: {references: {count: 1}}\n"
    "providers: {video: {provider: replicate, base_url: '%s'}}\n"
    "network: {poll_interval_video_max_seconds: 0.1}\n"
    "budget: {max_usd_per_generation: 100}\n", admint_fake_ai_get_base_url (fake));
  g_autoptr(GError) error = NULL;
  AdmintProviderSet providers = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, yaml, -1, &error));
  g_assert_no_error (error);

  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_assert_no_error (error);
  g_autoptr(AdmintConfig) config = admint_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (admint_provider_set_init (&providers, config, store, &error));
  g_assert_no_error (error);
  g_autoptr(AdmintGeneration) gen = admint_generation_new (store, config, providers.llm,
                                                           providers.images, providers.video);
  g_assert_true (admint_generation_create (gen, BRIEF, NULL, NULL, &error));
  g_assert_no_error (error);
  admint_generation_run (gen);
  while (!admint_generation_is_done (gen))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (admint_generation_get_status (gen), ==, ADMINT_GENERATION_STATUS_COMPLETED);
  g_assert_cmpfloat (admint_generation_get_quality_score (gen), >=, 0);
  ad_id = g_strdup (admint_generation_get_id (gen));
  g_clear_object (&gen);
  admint_provider_set_clear (&providers);
}

/* ---- the app ------------------------------------------------------------------------------ */

typedef struct {
  AdmintApplication *app;
  AdmintWindow      *window;
  GPtrArray         *subtitles;   /* what the ad's row said, in order */
  guint              predictions;
} App;

static gboolean
is_history_list (GtkWidget     *widget,
                 gconstpointer  unused)
{
  GtkSelectionModel *model;

  return GTK_IS_LIST_VIEW (widget) &&
         (model = gtk_list_view_get_model (GTK_LIST_VIEW (widget))) != NULL &&
         GTK_IS_SINGLE_SELECTION (model) &&
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

static AdmintHistoryItem *
ad_item (App *a)
{
  GListModel *model = G_LIST_MODEL (history (a));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (model, i);
      if (g_str_equal (admint_history_item_get_id (item), ad_id))
        return item;   /* the model holds it */
    }
  return NULL;
}

static gboolean
listed (gpointer data)
{
  return ad_item (data) != NULL;
}

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  item)
{
  return ADMINT_IS_HISTORY_ROW (widget) &&
         admint_history_row_get_item (ADMINT_HISTORY_ROW (widget)) == item;
}

/* Whether a label under ROOT reads TEXT. */
static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* What the ad's row in the sidebar shows under its title. */
static gboolean
row_shows (App        *a,
           const char *text)
{
  GtkWidget *row = admint_test_find_widget_by (GTK_WIDGET (a->window), is_row_of, ad_item (a),
                                               TRUE);
  g_assert_nonnull (row);
  return admint_test_find_widget_by (row, is_label, text, TRUE) != NULL;
}

static gboolean
is_clip_card (GtkWidget     *widget,
              gconstpointer  unused)
{
  return ADMINT_IS_CLIP_CARD (widget) && gtk_widget_get_visible (widget) &&
         admint_clip_card_get_clip (ADMINT_CLIP_CARD (widget)) != NULL &&
         admint_clip_get_index (admint_clip_card_get_clip (ADMINT_CLIP_CARD (widget))) == 0;
}

static gboolean
clip_card_ready (gpointer data)
{
  App *a = data;
  GtkWidget *card = admint_test_find_widget_by (GTK_WIDGET (a->window), is_clip_card, NULL,
                                                TRUE);
  return card != NULL &&
         gtk_widget_is_sensitive (GTK_WIDGET (admint_clip_card_get_regenerate (
                                    ADMINT_CLIP_CARD (card))));
}

static void
on_subtitle (AdmintHistoryItem *item,
             GParamSpec        *pspec,
             App               *a)
{
  g_ptr_array_add (a->subtitles, g_strdup (admint_history_item_get_subtitle (item)));
}

/* The redo is over as the clip card sees it: the clip made again, its button back. */
static gboolean
redone (gpointer data)
{
  App *a = data;
  GtkWidget *card = admint_test_find_widget_by (GTK_WIDGET (a->window), is_clip_card, NULL,
                                                TRUE);

  return admint_fake_ai_count_requests (fake, "POST", VIDEO_CREATE) >= a->predictions &&
         card != NULL && admint_clip_get_version (admint_clip_card_get_clip (
                           ADMINT_CLIP_CARD (card))) == 2 &&
         gtk_widget_is_sensitive (GTK_WIDGET (admint_clip_card_get_regenerate (
                                    ADMINT_CLIP_CARD (card))));
}

static void
regenerate_from_the_app (App *a)
{
  AdmintHistoryItem *item = ad_item (a);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_strdup (admint_history_item_get_subtitle (item));

  /* A stored ad: nothing runs for it in this app yet. */
  g_assert_null (admint_history_item_get_generation (item));
  g_assert_true (g_str_has_prefix (before, "Completed · score "));
  g_assert_true (row_shows (a, before));

  a->predictions = admint_fake_ai_count_requests (fake, "POST", VIDEO_CREATE) + 1;
  g_signal_connect (item, "notify::subtitle", G_CALLBACK (on_subtitle), a);
  admint_window_show_ad (a->window, ad_id);
  ui_test_wait (clip_card_ready, a, 30000, "clip 1's card");
  GtkWidget *card = admint_test_find_widget_by (GTK_WIDGET (a->window), is_clip_card, NULL, TRUE);
  g_signal_emit_by_name (admint_clip_card_get_regenerate (ADMINT_CLIP_CARD (card)), "clicked");
  ui_test_wait (redone, a, 240000, "clip 1 to be made again");
  ui_test_wait_ms (300);

  /* The row followed the run: it said what was being done (no stale score meanwhile)... */
  g_assert_nonnull (admint_history_item_get_generation (item));
  g_assert_cmpint (admint_history_item_get_status (item), ==,
                   ADMINT_GENERATION_STATUS_COMPLETED);
  for (guint i = 0; i < a->subtitles->len; i++)
    g_test_message ("row: %s", (char *) a->subtitles->pdata[i]);
  g_assert_cmpuint (a->subtitles->len, >=, 2);
  g_assert_false (strstr (a->subtitles->pdata[0], "score") != NULL);
  /* ...and ended with the new ad's score, in the item and on screen. */
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_assert_no_error (error);
  g_autoptr(JsonNode) stored = admint_store_get_generation (store, ad_id, &error);
  g_assert_no_error (error);
  double score = json_object_get_double_member (json_node_get_object (stored), "quality_score");
  g_assert_cmpfloat_with_epsilon (admint_history_item_get_quality_score (item), score, 1e-9);
  g_autofree char *after = g_strdup_printf ("Completed · score %.0f", score);
  g_assert_cmpstr (admint_history_item_get_subtitle (item), ==, after);
  g_assert_true (row_shows (a, after));
  g_signal_handlers_disconnect_by_data (item, a);
}

static gboolean
run_body (gpointer data)
{
  App *a = data;

  a->window = ADMINT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (a->app)));
  g_assert_nonnull (a->window);
  ui_test_wait (listed, a, 20000, "the history");
  regenerate_from_the_app (a);
  g_action_group_activate_action (G_ACTION_GROUP (a->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             App          *a)
{
  g_idle_add (run_body, a);
}

static void
test_history_follows_redo (void)
{
  App a = { .subtitles = g_ptr_array_new_with_free_func (g_free) };

  make_stored_ad ();
  a.app = admint_application_new ();
  g_application_set_flags (G_APPLICATION (a.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (a.app, "activate", G_CALLBACK (on_activate), &a);
  g_assert_cmpint (g_application_run (G_APPLICATION (a.app), 0, NULL), ==, 0);
  g_clear_object (&a.app);
  g_ptr_array_unref (a.subtitles);
}

int
main (int    argc,
      char **argv)
{
  /* The finished video's player is not what is tested here. */
  g_setenv ("GTK_MEDIA", "none", TRUE);
  ui_test_init (&argc, &argv);
  g_setenv ("REPLICATE_API_TOKEN", "r8-test-token", TRUE);
  fake = pipeline_test_fake_serving_clip ();
  g_test_add_func ("/history/follows-redo", test_history_follows_redo);
  int status = g_test_run ();
  g_clear_object (&fake);
  g_free (ad_id);
  return status;
}
