/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window making an ad as a person would: a bad brief is refused in words, a good one
 * starts a conversation, "ok" twice approves the story and the scenes, and the finished video
 * with its score shows in the chat and the sidebar, then again from the stored history. On the
 * way, Stop stops it while the story waits and Resume carries on from the same story. The ad
 * is given a product photo and a logo (as a drop gives them) and the PAS framework.
 * Meanwhile two `admint generate` processes make ads in the same data folder (issue 14: the
 * app and several CLI processes on one library lose no rows and never see "database is
 * locked").
 * Runs under Xvfb; saves chat-story.png and chat-done.png to ADMINT_SCREENSHOT_DIR. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "admint-application.h"
#include "admint-chat-view.h"
#include "admint-history-item.h"
#include "admint-store.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "admint-window.h"

#define BRIEF "6-second ad for a bamboo toothbrush"

typedef enum {
  STEP_WAIT_MAPPED,
  STEP_BAD_BRIEF,
  STEP_BAD_BRIEF_SHOWN,
  STEP_ASSETS,
  STEP_WAIT_ASSETS,
  STEP_START,
  STEP_WAIT_STORY,
  STEP_WAIT_STOPPED,
  STEP_WAIT_STORY_AGAIN,
  STEP_WAIT_SCENES,
  STEP_WAIT_DONE,
  STEP_CHECK_DONE,
  STEP_RESELECT,
  STEP_CHECK_STORED,
  STEP_WAIT_OTHERS,
  STEP_QUIT,
} Step;

#define N_OTHERS 2

/* An `admint generate` run beside the app, on the same data folder. */
typedef struct {
  GSubprocess *proc;
  char        *out;
  char        *err;
  gboolean     ended;
} Other;

typedef struct {
  AdmintApplication *app;
  GtkWindow         *window;
  Step               step;
  int                ticks;
  gboolean           done;
  double             score;
  double             entry_x;
  gboolean           heard_sound;  /* the sidebar said "Adding the sound" during the sound stage */
  Other              others[N_OTHERS];
} Fixture;

static void
on_other_ended (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Other *other = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &other->out, &other->err,
                                        &error);
  g_assert_no_error (error);
  other->ended = TRUE;
}

/* Starts the CLI runs that share the app's library while the app makes its own ad. */
static void
start_others (Fixture *f)
{
  for (guint i = 0; i < N_OTHERS; i++)
    {
      g_autofree char *seed = g_strdup_printf ("%u", 21 + i);
      const char *argv[] = {
        admint_test_program ("ADMINT_CLI"), "generate", "--auto", "--json", "--seed", seed,
        "--llm", "local", "--images", "local", "--video", "local",
        i == 0 ? "6-second ad for a wool beanie" : "6-second ad for a cork yoga mat", NULL
      };
      g_autoptr(GError) error = NULL;

      f->others[i].proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                   G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8_async (f->others[i].proc, NULL, NULL, on_other_ended,
                                           &f->others[i]);
    }
}

/* Each CLI run finished its ad, said nothing of a locked database, and the library holds all
 * three ads, completed, each with its messages. */
static void
check_others (Fixture    *f,
              const char *app_ad)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_ptr_array_add (ids, g_strdup (app_ad));
  for (guint i = 0; i < N_OTHERS; i++)
    {
      Other *other = &f->others[i];
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (g_subprocess_get_exit_status (other->proc) != 0)
        g_error ("admint generate beside the app failed: %s", other->err);
      g_assert_null (strstr (other->err, "locked"));
      g_assert_null (strstr (other->err, "CRITICAL"));
      g_assert_true (json_parser_load_from_data (parser, other->out, -1, &error));
      g_assert_no_error (error);
      JsonObject *doc = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (doc, "generation_id")));
      g_clear_object (&other->proc);
      g_clear_pointer (&other->out, g_free);
      g_clear_pointer (&other->err, g_free);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(JsonNode) stored = admint_store_get_generation (store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored), "status"),
                       ==, "completed");
      g_autoptr(GListModel) messages = admint_store_list_messages (store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (messages), >, 3);
    }
}

static void
on_subtitle (AdmintHistoryItem *item,
             GParamSpec        *pspec,
             Fixture           *f)
{
  if (g_strcmp0 (admint_history_item_get_subtitle (item), "Adding the sound") == 0)
    f->heard_sound = TRUE;
}

static gboolean
is_label_with_class (GtkWidget     *widget,
                     gconstpointer  css_class)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class);
}

static GtkWidget *
find_visible_label_with_class (GtkWidget  *widget,
                               const char *css_class)
{
  return admint_test_find_widget_by (widget, is_label_with_class, css_class, TRUE);
}

static AdmintChatView *
chat_view (Fixture *f)
{
  GtkWidget *chat = admint_test_find_widget (GTK_WIDGET (f->window), ADMINT_TYPE_CHAT_VIEW);
  g_assert_nonnull (chat);
  return ADMINT_CHAT_VIEW (chat);
}

static gboolean
is_history_view (GtkWidget     *widget,
                 gconstpointer  unused)
{
  if (!GTK_IS_LIST_VIEW (widget))
    return FALSE;
  GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));
  return GTK_IS_SINGLE_SELECTION (model) &&
         g_list_model_get_item_type (gtk_single_selection_get_model (
           GTK_SINGLE_SELECTION (model))) == ADMINT_TYPE_HISTORY_ITEM;
}

/* The sidebar's list (the framework drop-down has a list view of its own). */
static GtkWidget *
find_history_view (GtkWidget *widget)
{
  return admint_test_find_widget_by (widget, is_history_view, NULL, FALSE);
}

static GtkSingleSelection *
history (Fixture *f)
{
  GtkWidget *list = find_history_view (GTK_WIDGET (f->window));
  g_assert_nonnull (list);
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
}

static GtkEntry *
brief_entry (Fixture *f)
{
  /* The first status page is the sidebar's; the brief lives on the content's. */
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (chat_view (f)), GTK_TYPE_STACK);
  GtkWidget *page = admint_test_find_widget (stack, ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (page);
  return GTK_ENTRY (admint_test_find_widget (page, GTK_TYPE_ENTRY));
}

static void
reply (Fixture    *f,
       const char *text)
{
  GtkWidget *entry = admint_test_find_widget (GTK_WIDGET (chat_view (f)), GTK_TYPE_ENTRY);

  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (entry)));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  g_assert_false (admint_chat_view_get_waiting (chat_view (f)));
}

static gboolean
is_button_for (GtkWidget     *widget,
               gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* The header bar button that activates ACTION. */
static GtkWidget *
button_for_action (GtkWidget  *widget,
                   const char *action)
{
  return admint_test_find_widget_by (widget, is_button_for, action, FALSE);
}

static AdmintHistoryItem *
first_item (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (history (f));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (model, 0);
  return item;
}

/* The first ad's status, by its stored name. */
static const char *
item_status (Fixture *f)
{
  return admint_generation_status_to_string (admint_history_item_get_status (first_item (f)));
}

/* Whether a label under ROOT reads exactly EXACT (or, with EXACT NULL, contains PART). */
static gboolean
has_label (GtkWidget  *root,
           const char *exact,
           const char *part)
{
  if (GTK_IS_LABEL (root))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (root));
      if (exact != NULL ? g_str_equal (text, exact) : strstr (text, part) != NULL)
        return TRUE;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label (c, exact, part))
      return TRUE;
  return FALSE;
}

/* The video card shows the verdict beside the score and the ad checks under it. */
static void
assert_verdict_and_checks (AdmintChatView *chat)
{
  GtkWidget *w = GTK_WIDGET (chat);
  g_assert_true (has_label (w, "Good", NULL) || has_label (w, "Acceptable", NULL) ||
                 has_label (w, "Poor", NULL));
  g_assert_true (has_label (w, NULL, "scenes found") || has_label (w, NULL, "scene found"));
  g_assert_true (has_label (w, NULL, " edge"));
}

static gboolean
drive (gpointer user_data)
{
  Fixture *f = user_data;

  f->window = gtk_application_get_active_window (GTK_APPLICATION (f->app));
  if (f->window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (f->window)) ||
      gtk_widget_get_width (GTK_WIDGET (f->window)) < 100)
    return G_SOURCE_CONTINUE;

  switch (f->step)
    {
    case STEP_WAIT_MAPPED:
      if (++f->ticks > 3)
        f->step = STEP_BAD_BRIEF;
      break;

    case STEP_BAD_BRIEF:
      {
        GtkStack *sidebar = GTK_STACK (gtk_widget_get_ancestor (
          find_history_view (GTK_WIDGET (f->window)), GTK_TYPE_STACK));
        g_assert_cmpstr (gtk_stack_get_visible_child_name (sidebar), ==, "empty");

        GtkEntry *entry = brief_entry (f);
        GtkWidget *create = gtk_widget_get_next_sibling (GTK_WIDGET (entry));
        g_assert_true (GTK_IS_BUTTON (create));
        g_assert_false (gtk_widget_get_sensitive (create));

        graphene_point_t at;
        g_assert_true (gtk_widget_compute_point (GTK_WIDGET (entry), GTK_WIDGET (f->window),
                                                 &GRAPHENE_POINT_INIT (0, 0), &at));
        f->entry_x = at.x;

        /* Longer than limits.prompt_max_chars: refused with what to fix, nothing stored. */
        g_autofree char *long_brief = g_strnfill (5001, 'a');
        gtk_editable_set_text (GTK_EDITABLE (entry), long_brief);
        g_assert_true (gtk_widget_get_sensitive (create));
        g_signal_emit_by_name (entry, "activate");
        GtkWidget *error = find_visible_label_with_class (GTK_WIDGET (f->window), "error");
        g_assert_nonnull (error);
        g_test_message ("refused: %s", gtk_label_get_text (GTK_LABEL (error)));
        g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)),
                                  "limits.prompt_max_chars"));
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history (f))), ==, 0);
        g_assert_cmpstr (gtk_stack_get_visible_child_name (sidebar), ==, "empty");
        f->step = STEP_BAD_BRIEF_SHOWN;
      }
      break;

    case STEP_BAD_BRIEF_SHOWN:
      {
        GtkEntry *entry = brief_entry (f);
        GtkWidget *error = find_visible_label_with_class (GTK_WIDGET (f->window), "error");
        graphene_point_t at;

        /* The complaint took its place under the form without moving the form sideways. */
        g_assert_true (gtk_widget_compute_point (GTK_WIDGET (entry), GTK_WIDGET (f->window),
                                                 &GRAPHENE_POINT_INIT (0, 0), &at));
        g_assert_cmpfloat_with_epsilon (at.x, f->entry_x, 0.5);
        /* Editing the brief clears the complaint. */
        gtk_editable_set_text (GTK_EDITABLE (entry), BRIEF);
        g_assert_false (gtk_widget_get_visible (error));
        f->step = STEP_ASSETS;
      }
      break;

    case STEP_ASSETS:
      {
        /* A product photo and a logo, as a drop or the file chooser hands them over. */
        g_autofree char *photo = g_build_filename (admint_test_get_root (), "toothbrush.png",
                                                   NULL);
        g_autofree char *logo = g_build_filename (admint_test_get_root (), "brand-logo.svg",
                                                  NULL);
        g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 300);
        gdk_pixbuf_fill (pixbuf, 0x3a7d44ff);
        g_assert_true (gdk_pixbuf_save (pixbuf, photo, "png", NULL, NULL));
        g_assert_true (g_file_set_contents (logo,
          "<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64'>"
          "<circle cx='32' cy='32' r='30' fill='#E76F51'/></svg>", -1, NULL));
        g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
        g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
        g_autoptr(GFile) logo_file = g_file_new_for_path (logo);
        g_list_store_append (files, photo_file);
        g_list_store_append (files, logo_file);
        admint_window_add_asset_files (ADMINT_WINDOW (f->window), G_LIST_MODEL (files));

        /* The story framework, chosen in the drop-down. */
        GtkDropDown *frameworks = GTK_DROP_DOWN (admint_test_find_widget (GTK_WIDGET (f->window),
                                                                          GTK_TYPE_DROP_DOWN));
        GListModel *names = gtk_drop_down_get_model (frameworks);
        g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "AIDA");
        for (guint i = 0; i < g_list_model_get_n_items (names); i++)
          if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "PAS") == 0)
            gtk_drop_down_set_selected (frameworks, i);
        f->ticks = 0;
        f->step = STEP_WAIT_ASSETS;
      }
      break;

    case STEP_WAIT_ASSETS:
      if (admint_window_get_n_assets (ADMINT_WINDOW (f->window)) < 2)
        {
          g_assert_cmpint (++f->ticks, <, 100);
          break;
        }
      {
        GtkWidget *chips = admint_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_FLOW_BOX);
        g_assert_true (gtk_widget_get_visible (chips));
        admint_test_save_screenshot (GTK_WIDGET (f->window), "new-ad.png");
      }
      f->step = STEP_START;
      break;

    case STEP_START:
      {
        g_signal_emit_by_name (brief_entry (f), "activate");
        start_others (f);
        /* At once: the new ad is at the top of the sidebar, selected, its chat shown. */
        AdmintHistoryItem *item = first_item (f);
        g_assert_cmpstr (admint_history_item_get_prompt (item), ==, BRIEF);
        g_signal_connect (item, "notify::subtitle", G_CALLBACK (on_subtitle), f);
        g_assert_cmpuint (gtk_single_selection_get_selected (history (f)), ==, 0);
        GtkWidget *chat = GTK_WIDGET (chat_view (f));
        g_assert_true (gtk_widget_get_mapped (chat) || gtk_widget_get_child_visible (chat));
        g_assert_cmpstr (admint_chat_view_get_id (chat_view (f)), ==,
                         admint_history_item_get_id (item));
        g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (brief_entry (f))), ==, "");
        f->step = STEP_WAIT_STORY;
      }
      break;

    case STEP_WAIT_STORY:
      if (admint_chat_view_get_waiting (chat_view (f)))
        {
          /* One more frame so the story card is drawn. */
          if (++f->ticks < 1000)
            {
              f->ticks = 1000;
              break;
            }
          admint_test_save_screenshot (GTK_WIDGET (f->window), "chat-story.png");
          g_assert_cmpstr (item_status (f), ==, "story");

          /* Stop is there while the ad is being made; it stops it, keeping the story. */
          GtkWidget *stop = button_for_action (GTK_WIDGET (f->window), "win.stop-ad");
          GtkWidget *resume = button_for_action (GTK_WIDGET (f->window), "win.resume-ad");
          g_assert_nonnull (stop);
          g_assert_nonnull (resume);
          g_assert_true (gtk_widget_get_visible (stop));
          g_assert_false (gtk_widget_get_visible (resume));
          g_signal_emit_by_name (stop, "clicked");
          f->step = STEP_WAIT_STOPPED;
        }
      break;

    case STEP_WAIT_STOPPED:
      if (g_strcmp0 (item_status (f), "cancelled") == 0)
        {
          GtkWidget *stop = button_for_action (GTK_WIDGET (f->window), "win.stop-ad");
          GtkWidget *resume = button_for_action (GTK_WIDGET (f->window), "win.resume-ad");
          g_assert_false (gtk_widget_get_visible (stop));
          g_assert_true (gtk_widget_get_visible (resume));
          g_assert_false (admint_chat_view_get_waiting (chat_view (f)));
          /* A stop is not an error: a neutral card offers Resume, no red "Cancelled.". */
          GtkWidget *chat = GTK_WIDGET (chat_view (f));
          g_assert_true (has_label (chat, "Stopped", NULL));
          g_assert_false (has_label (chat, "Cancelled.", NULL));
          g_assert_false (has_label (chat, "The ad could not be finished", NULL));
          g_signal_emit_by_name (resume, "clicked");
          f->step = STEP_WAIT_STORY_AGAIN;
        }
      break;

    case STEP_WAIT_STORY_AGAIN:
      /* Resumed: the same story is asked about again. */
      if (admint_chat_view_get_waiting (chat_view (f)))
        {
          g_assert_cmpstr (item_status (f), ==, "story");
          g_assert_true (gtk_widget_get_visible (button_for_action (GTK_WIDGET (f->window),
                                                                    "win.stop-ad")));
          reply (f, "ok");
          f->step = STEP_WAIT_SCENES;
        }
      break;

    case STEP_WAIT_SCENES:
      if (admint_chat_view_get_waiting (chat_view (f)))
        {
          g_assert_cmpstr (item_status (f), ==, "scenes");
          reply (f, "ok");
          f->step = STEP_WAIT_DONE;
        }
      break;

    case STEP_WAIT_DONE:
      {
        const char *status = item_status (f);
        if (g_strcmp0 (status, "completed") == 0 || g_strcmp0 (status, "partial") == 0 ||
            g_strcmp0 (status, "failed") == 0)
          {
            g_assert_cmpstr (status, ==, "completed");
            f->ticks = 0;
            f->step = STEP_CHECK_DONE;
          }
      }
      break;

    case STEP_CHECK_DONE:
      {
        AdmintChatView *chat = chat_view (f);
        AdmintVideoCard *video = admint_chat_view_get_video (chat);
        g_assert_nonnull (video);
        GFile *file = admint_video_card_get_file (video);
        g_assert_nonnull (file);
        g_autofree char *path = g_file_get_path (file);
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        f->score = admint_chat_view_get_score (chat);
        g_assert_cmpfloat (f->score, >, 0);
        g_assert_cmpfloat (f->score, <=, 100);
        AdmintHistoryItem *item = first_item (f);
        g_assert_cmpfloat (admint_history_item_get_quality_score (item), ==, f->score);
        g_assert_nonnull (strstr (admint_history_item_get_subtitle (item), "score"));
        /* The sound stage was named while it ran, not shown as "Stitching". */
        g_assert_true (f->heard_sound);
        g_assert_false (admint_chat_view_get_waiting (chat));
        assert_verdict_and_checks (chat);
        /* The score per dimension, Export, and no trace of the stop above the video. */
        g_assert_true (has_label (GTK_WIDGET (video), "Subject consistency", NULL));
        g_assert_true (has_label (GTK_WIDGET (video), "Image quality", NULL));
        g_assert_nonnull (button_for_action (GTK_WIDGET (video), "win.export"));
        g_assert_false (has_label (GTK_WIDGET (chat), "Stopped", NULL));
        g_assert_false (has_label (GTK_WIDGET (chat), "Cancelled.", NULL));
        /* The poster, a frame with something in it, is made off the main loop. */
        if (!admint_video_card_has_poster (video))
          {
            g_assert_cmpint (++f->ticks, <, 200);
            break;
          }
        if (++f->ticks < 5)
          break;
        admint_test_save_screenshot (GTK_WIDGET (f->window), "chat-done.png");
        f->step = STEP_RESELECT;
      }
      break;

    case STEP_RESELECT:
      /* Ctrl+N goes back to a blank brief; choosing the ad again shows what was stored. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-ad", NULL));
      g_assert_cmpuint (gtk_single_selection_get_selected (history (f)), ==,
                        GTK_INVALID_LIST_POSITION);
      g_assert_null (admint_chat_view_get_video (chat_view (f)));
      gtk_single_selection_set_selected (history (f), 0);
      f->ticks = 0;
      f->step = STEP_CHECK_STORED;
      break;

    case STEP_CHECK_STORED:
      if (admint_chat_view_get_video (chat_view (f)) == NULL ||
          admint_chat_view_get_score (chat_view (f)) < 0)
        {
          g_assert_cmpint (++f->ticks, <, 100);
          break;
        }
      g_assert_cmpfloat_with_epsilon (admint_chat_view_get_score (chat_view (f)), f->score, 1e-6);
      g_assert_false (admint_chat_view_get_waiting (chat_view (f)));
      assert_verdict_and_checks (chat_view (f));
      {
        /* What was stored: the PAS story, with the photo and the logo. */
        g_autoptr(GError) error = NULL;
        g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
        g_assert_no_error (error);
        g_autoptr(JsonNode) stored = admint_store_get_generation (
          store, admint_history_item_get_id (first_item (f)), &error);
        g_assert_no_error (error);
        JsonObject *obj = json_node_get_object (stored);
        g_assert_cmpstr (json_object_get_string_member (obj, "framework"), ==, "PAS");
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "assets")),
                          ==, 2);
        /* One reference in this config: the user's photo, not a generated card. */
        JsonObject *ref = json_array_get_object_element (
          json_object_get_array_member (obj, "references"), 0);
        g_assert_cmpstr (json_object_get_string_member (ref, "source"), ==, "asset");
        g_assert_cmpstr (json_object_get_string_member (ref, "role"), ==, "product");
        /* The logo was taken as a logo (its name says so), for the corner bug. */
        JsonArray *assets = json_object_get_array_member (obj, "assets");
        gboolean has_logo = FALSE;
        for (guint i = 0; i < json_array_get_length (assets); i++)
          has_logo |= g_strcmp0 (json_object_get_string_member (
                                   json_array_get_object_element (assets, i), "kind"), "logo") == 0;
        g_assert_true (has_logo);
      }
      f->ticks = 0;
      f->step = STEP_WAIT_OTHERS;
      break;

    case STEP_WAIT_OTHERS:
      if (!f->others[0].ended || !f->others[1].ended)
        {
          g_assert_cmpint (++f->ticks, <, 3000 * admint_test_time_scale ());
          break;
        }
      check_others (f, admint_history_item_get_id (first_item (f)));
      f->step = STEP_QUIT;
      break;

    case STEP_QUIT:
      g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
      f->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Fixture *f = user_data;
  g_error ("The ad was not finished in time (stuck at step %d)", f->step);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             Fixture      *f)
{
  g_timeout_add (100, drive, f);
}

static void
write_config (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", NULL);
  g_autofree char *file = g_build_filename (dir, "config.yaml", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (file,
                       "video: {resolution: 360p}\n"
                       "stages: {references: {count: 1}}\n", -1, &error);
  g_assert_no_error (error);
}

static void
test_chat_make_ad (void)
{
  Fixture f = { 0 };

  write_config ();
  f.app = admint_application_new ();
  g_application_set_flags (G_APPLICATION (f.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (f.app, "activate", G_CALLBACK (on_activate), &f);
  guint timeout = g_timeout_add_seconds (400 * admint_test_time_scale (), on_timeout, &f);
  g_assert_cmpint (g_application_run (G_APPLICATION (f.app), 0, NULL), ==, 0);
  g_source_remove (timeout);
  g_assert_true (f.done);
  g_assert_finalize_object (f.app);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/chat/make-ad", test_chat_make_ad);
  return g_test_run ();
}
