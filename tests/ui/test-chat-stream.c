/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chat with an OpenAI-compatible model that writes slowly (the fake server streams a few
 * characters at a time): the story grows in its card as it is written, the quick answer
 * Approve takes it, the scenes stream too and the newest card is in view once they arrive,
 * and the finished video's card has its player, its score per dimension and Export.
 * Saves chat-streaming-*.png and video-card-*.png (light, dark; wide, 360 px). */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "admint-application.h"
#include "admint-chat-view.h"
#include "admint-fake-ai.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "admint-window.h"
#include "ui-test-util.h"

#define BRIEF "6-second ad for a bamboo toothbrush, for people who care about plastic waste"

static const char *story_reply =
  "{\"title\": \"Brush Greener\", \"logline\": \"A toothbrush that leaves no trace.\", "
  "\"beats\": ["
  "{\"beat\": \"Attention\", \"text\": \"Every plastic toothbrush you ever owned still exists "
  "somewhere, in a landfill or the sea.\", \"seconds\": 2},"
  "{\"beat\": \"Interest\", \"text\": \"Bamboo grows back in months, and its handle returns "
  "to the soil when you are done with it.\", \"seconds\": 1.5},"
  "{\"beat\": \"Desire\", \"text\": \"Soft charcoal bristles, a grip that feels warm in the "
  "hand, and nothing to feel guilty about.\", \"seconds\": 1.5},"
  "{\"beat\": \"Action\", \"text\": \"Switch to Brush Greener today.\", \"seconds\": 1}], "
  "\"call_to_action\": \"Switch to Brush Greener today.\"}";

static const char *critique_reply =
  "{\"score\": 8.6, \"reasons\": [\"The hook is concrete and personal.\", "
  "\"The brand is named at the end.\"], \"suggestions\": []}";

static const char *analysis_reply =
  "{\"subject\": \"a bamboo toothbrush\", \"product\": \"bamboo toothbrush\", "
  "\"style\": \"clean product photo\", \"palette\": [\"#2E7D32\", \"#F1E9DA\", \"#8D6E63\"]}";

static const char *scenes_reply =
  "{\"scenes\": ["
  "{\"description\": \"A plastic toothbrush half buried in sand on a grey beach.\", "
  "\"duration\": 2, \"camera\": \"slow push-in\", \"on_screen_text\": \"Still here.\"},"
  "{\"description\": \"A bamboo toothbrush on a sunlit bathroom shelf beside a green plant.\", "
  "\"duration\": 2, \"camera\": \"gentle pan\", \"on_screen_text\": \"Grows back.\"},"
  "{\"description\": \"The Brush Greener logo over a soft green background.\", "
  "\"duration\": 2, \"camera\": \"static\", \"on_screen_text\": \"Brush Greener\"}]}";

typedef struct
{
  AdmintApplication *app;
  AdmintFakeAi      *fake;
  GtkWindow         *window;
  gboolean           done;
} Run;

static AdmintChatView *
chat_view (Run *run)
{
  return ADMINT_CHAT_VIEW (admint_test_find_widget (GTK_WIDGET (run->window),
                                                    ADMINT_TYPE_CHAT_VIEW));
}

static gboolean
is_draft (GtkWidget     *widget,
          gconstpointer  unused)
{
  return gtk_widget_has_css_class (widget, "chat-draft");
}

static void
append_text (GtkWidget *widget,
             GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    append_text (c, out);
}

/* The text of the card being written, or NULL when none is. */
static char *
draft_text (Run *run)
{
  GtkWidget *draft = admint_test_find_widget_by (GTK_WIDGET (chat_view (run)), is_draft, NULL,
                                                 FALSE);
  g_autoptr(GString) out = g_string_new (NULL);

  if (draft == NULL)
    return NULL;
  append_text (draft, out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
has_label (GtkWidget  *root,
           const char *part)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), part) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label (c, part))
      return TRUE;
  return FALSE;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  GtkWidget *child = GTK_IS_BUTTON (widget) ? gtk_button_get_child (GTK_BUTTON (widget)) : NULL;

  return GTK_IS_LABEL (child) && g_str_equal (gtk_label_get_label (GTK_LABEL (child)), label);
}

static gboolean
waiting (gpointer data)
{
  return admint_chat_view_get_waiting (chat_view (data));
}

static gboolean
has_draft (gpointer data)
{
  g_autofree char *text = draft_text (data);
  return text != NULL && strlen (text) > 0;
}

static gboolean
has_video_with_poster (gpointer data)
{
  AdmintVideoCard *card = admint_chat_view_get_video (chat_view (data));
  return card != NULL && admint_chat_view_get_score (chat_view (data)) >= 0 &&
         admint_video_card_has_poster (card);
}

/* The last row of the chat lies within the scrolled window's visible part. */
static gboolean
newest_row_in_view (gpointer data)
{
  AdmintChatView *chat = chat_view (data);
  GtkWidget *list = admint_test_find_widget (GTK_WIDGET (chat), GTK_TYPE_LIST_BOX);
  GtkWidget *scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *last = gtk_widget_get_last_child (list);
  graphene_rect_t bounds;

  if (last == NULL || !gtk_widget_compute_bounds (last, scroller, &bounds))
    return FALSE;
  g_debug ("newest row at %.0f+%.0f, view %d high", bounds.origin.y, bounds.size.height,
           gtk_widget_get_height (scroller));
  return bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller) + 1 &&
         bounds.origin.y >= -1;
}

static void
watch_story_grow (Run *run)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  gint64 start = g_get_monotonic_time ();
  gboolean shot = FALSE;

  /* The story is written a few characters every 60 ms: its card shows each step. */
  ui_test_wait (has_draft, run, 60000, "the story's draft card");
  while (!admint_chat_view_get_waiting (chat_view (run)))
    {
      g_autofree char *text = draft_text (run);
      const char *last = seen->len ? g_ptr_array_index (seen, seen->len - 1) : "";
      if (text != NULL && !g_str_equal (text, last))
        {
          /* Each step holds what the last one showed and more (the draft only grows). */
          g_assert_cmpuint (strlen (text), >=, strlen (last));
          g_ptr_array_add (seen, g_strdup (text));
          if (!shot && strstr (text, "Interest") != NULL)
            {
              ui_test_screenshots (run->window, "chat-streaming");
              gtk_window_set_default_size (run->window, 1100, 720);
              shot = TRUE;
            }
        }
      ui_test_wait_ms (20);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 120 * G_USEC_PER_SEC);
    }
  g_test_message ("the story's card grew in %u steps", seen->len);
  g_assert_cmpuint (seen->len, >=, 5);
  g_assert_true (shot);
  /* The first steps had part of it: the beginning of the story before its end was written. */
  g_assert_null (strstr (g_ptr_array_index (seen, 0), "Switch to Brush Greener"));
  /* The written story replaced its draft. */
  g_autofree char *after = draft_text (run);
  g_assert_null (after);
  g_assert_true (has_label (GTK_WIDGET (chat_view (run)), "Brush Greener"));
  g_assert_true (has_label (GTK_WIDGET (chat_view (run)), "Critic score: 8.6/10"));
}

static gboolean
is_named_button (GtkWidget     *widget,
                 gconstpointer  tooltip)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static gboolean
stream_playing (gpointer data)
{
  return gtk_media_stream_get_playing (data) && gtk_media_stream_get_timestamp (data) > 0;
}

static gboolean
stream_past_4s (gpointer data)
{
  return gtk_media_stream_get_timestamp (data) >= 4 * G_USEC_PER_SEC;
}

/* The player's full-screen window, or NULL. */
static GtkWindow *
full_screen_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      if (gtk_widget_has_css_class (window, "video-fullscreen"))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
no_full_screen (gpointer data)
{
  return full_screen_window () == NULL;
}

/* The player's own controls drive the stream: play, pause, seek, mute, full screen. */
static void
check_player (AdmintVideoCard *card)
{
  GtkMediaStream *stream = admint_video_card_get_stream (card);
  GtkWidget *play = admint_test_find_widget_by (GTK_WIDGET (card), is_named_button, "Play",
                                                FALSE);
  GtkWidget *mute = admint_test_find_widget_by (GTK_WIDGET (card), is_named_button, "Mute",
                                                FALSE);
  GtkWidget *full = admint_test_find_widget_by (GTK_WIDGET (card), is_named_button,
                                                "Full Screen", FALSE);
  GtkWidget *scale = admint_test_find_widget (GTK_WIDGET (card), GTK_TYPE_SCALE);

  g_assert_nonnull (play);
  g_assert_nonnull (mute);
  g_assert_nonnull (full);
  g_assert_nonnull (scale);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (play)), ==,
                   "media-playback-start-symbolic");
  g_signal_emit_by_name (play, "clicked");
  ui_test_wait (stream_playing, stream, 20000, "the video to play");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (play), ==, "Pause");
  g_signal_emit_by_name (play, "clicked");
  g_assert_false (gtk_media_stream_get_playing (stream));

  gtk_range_set_value (GTK_RANGE (scale), 4.5);
  ui_test_wait (stream_past_4s, stream, 20000, "the seek to 4.5 s");

  g_assert_false (gtk_media_stream_get_muted (stream));
  g_signal_emit_by_name (mute, "clicked");
  g_assert_true (gtk_media_stream_get_muted (stream));
  g_signal_emit_by_name (mute, "clicked");
  g_assert_false (gtk_media_stream_get_muted (stream));

  g_assert_null (full_screen_window ());
  g_signal_emit_by_name (full, "clicked");
  GtkWindow *screen = full_screen_window ();
  g_assert_nonnull (screen);
  GtkWidget *picture = admint_test_find_widget (GTK_WIDGET (screen), GTK_TYPE_PICTURE);
  g_assert_true (gtk_picture_get_paintable (GTK_PICTURE (picture)) == GDK_PAINTABLE (stream));
  GtkWidget *leave = admint_test_find_widget_by (GTK_WIDGET (screen), is_named_button,
                                                 "Leave Full Screen", FALSE);
  g_assert_nonnull (leave);
  g_signal_emit_by_name (leave, "clicked");
  ui_test_wait (no_full_screen, NULL, 5000, "the full screen to close");
  gtk_media_stream_pause (stream);
}

static gboolean
drive (gpointer data)
{
  Run *run = data;
  GtkWidget *entry, *stack, *page, *approve, *send;

  run->window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  if (run->window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (run->window)))
    return G_SOURCE_CONTINUE;

  gtk_window_set_default_size (run->window, 1100, 720);
  stack = gtk_widget_get_ancestor (GTK_WIDGET (chat_view (run)), GTK_TYPE_STACK);
  page = admint_test_find_widget (stack, ADW_TYPE_STATUS_PAGE);
  entry = admint_test_find_widget (page, GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), BRIEF);
  g_signal_emit_by_name (entry, "activate");

  watch_story_grow (run);

  /* The story's quick answers: Approve is one of them, and answers as "ok" would. */
  for (const char *const *label = (const char *const[]) { "_Try Again", "S_horter", "_Funnier",
                                                          "More _Premium", NULL };
       *label != NULL; label++)
    g_assert_nonnull (admint_test_find_widget_by (GTK_WIDGET (chat_view (run)),
                                                  is_button_labelled, *label, TRUE));
  approve = admint_test_find_widget_by (GTK_WIDGET (chat_view (run)), is_button_labelled,
                                        "_Approve", TRUE);
  g_assert_nonnull (approve);
  g_assert_true (gtk_widget_get_ancestor (approve, GTK_TYPE_FLOW_BOX) != NULL);
  g_signal_emit_by_name (approve, "clicked");
  g_assert_false (admint_chat_view_get_waiting (chat_view (run)));
  /* Answered: the quick answers go away. */
  g_assert_null (admint_test_find_widget_by (GTK_WIDGET (chat_view (run)), is_button_labelled,
                                             "S_horter", TRUE));

  /* The scenes: written as a draft too, then the card; the newest row is in view. */
  ui_test_wait (waiting, run, 120000, "the scenes");
  g_assert_true (has_label (GTK_WIDGET (chat_view (run)), "bamboo toothbrush on a sunlit"));
  ui_test_wait (newest_row_in_view, run, 10000, "the newest card scrolled into view");

  entry = admint_test_find_widget (GTK_WIDGET (chat_view (run)), GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "ok");
  send = gtk_widget_get_next_sibling (entry);
  g_signal_emit_by_name (send, "clicked");

  ui_test_wait (has_video_with_poster, run, 240000, "the finished video with its poster");
  AdmintVideoCard *card = admint_chat_view_get_video (chat_view (run));
  g_assert_true (has_label (GTK_WIDGET (card), "Quality score"));
  g_assert_true (has_label (GTK_WIDGET (card), "Motion smoothness"));
  ui_test_wait (newest_row_in_view, run, 10000, "the video card scrolled into view");
  ui_test_screenshots (run->window, "video-card");
  check_player (card);

  run->done = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             Run          *run)
{
  g_timeout_add (100, drive, run);
}

static void
write_config (AdmintFakeAi *fake)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", NULL);
  g_autofree char *file = g_build_filename (dir, "config.yaml", NULL);
  g_autofree char *yaml = g_strdup_printf ("video: {resolution: 360p}\n"
                                           "stages: {references: {count: 1}}\n"
                                           "providers:\n"
                                           "  llm: {provider: openai, base_url: \"%s\", "
                                           "model: gpt-4o-mini}\n",
                                           admint_fake_ai_get_base_url (fake));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (file, yaml, -1, &error);
  g_assert_no_error (error);
}

static void
test_chat_stream (void)
{
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  run.fake = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  /* What the agents answer, in the order they are asked; the last one repeats. */
  admint_fake_ai_push_chat_reply (run.fake, story_reply);
  admint_fake_ai_push_chat_reply (run.fake, critique_reply);
  admint_fake_ai_push_chat_reply (run.fake, analysis_reply);
  admint_fake_ai_push_chat_reply (run.fake, scenes_reply);
  admint_fake_ai_push_chat_reply (run.fake, critique_reply);
  admint_fake_ai_push_chat_reply (run.fake, scenes_reply);
  admint_fake_ai_set_stream_interval (run.fake, 60);
  write_config (run.fake);

  run.app = admint_application_new ();
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (on_activate), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run.app), 0, NULL), ==, 0);
  g_assert_true (run.done);
  for (guint i = 0; i < admint_fake_ai_count_requests (run.fake, "POST", "/v1/chat"); i++)
    {
      g_autoptr(JsonNode) body = admint_fake_ai_request_json (
        admint_fake_ai_get_request (run.fake, "POST", "/v1/chat", i));
      g_test_message ("chat request %u: stream %d", i,
                      json_object_get_boolean_member_with_default (json_node_get_object (body),
                                                                   "stream", FALSE));
    }
  /* The director was asked to stream. */
  g_autoptr(JsonNode) first = admint_fake_ai_request_json (
    admint_fake_ai_get_request (run.fake, "POST", "/v1/chat", 0));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (first), "stream"));
  g_object_unref (run.app);
  g_object_unref (run.fake);
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/chat/stream", test_chat_stream);
  return g_test_run ();
}
