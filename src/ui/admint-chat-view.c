/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One ad's conversation as rows: messages, story and scene cards, clip progress, the video. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-ui-util.h"
#include "admint-chat-view.h"
#include "admint-clip-card.h"
#include "admint-scene-card.h"
#include "admint-video-card.h"

/* One clip's row of progress. */
typedef struct {
  GtkProgressBar *bar;
  GtkLabel       *label;
  gboolean        pulsing;
} ClipRow;

struct _AdmintChatView
{
  GtkWidget         parent_instance;

  GtkScrolledWindow *scroller;
  GtkListBox        *message_list;
  GtkEntry          *reply_entry;
  GtkButton         *send_button;
  GtkButton         *approve_button;

  AdmintStore       *store;
  char              *id;
  AdmintGeneration  *live;
  GCancellable      *cancellable;
  gboolean           waiting;

  /* The card the next critic message scores (the story's or the scenes'). */
  GtkWidget         *scored_card;
  GtkLabel          *scored_label;
  /* A critique that came before its card (the scene critic speaks before the scenes). */
  JsonObject        *orphan_critique;
  /* index -> ClipRow */
  GHashTable        *progress;
  guint              pulse_id;
  AdmintVideoCard   *video;
  double             score;

  /* The story or scenes a streaming agent is writing, until its message replaces it. */
  GtkWidget         *draft_row;
  /* "Stopped" with Resume: shown while the stop is the last thing that happened. */
  GtkWidget         *stopped_row;
  /* The newest story card's quick answers (Approve, Try Again, Shorter…). */
  GtkWidget         *story_actions;
  /* Follow the newest row: TRUE while the user is at the bottom (or has just replied). */
  gboolean           stick_to_bottom;
  guint              scroll_tick_id;
};

G_DEFINE_FINAL_TYPE (AdmintChatView, admint_chat_view, GTK_TYPE_WIDGET)


/* ---- rows ----------------------------------------------------------------------------------- */

static void
scroll_to_end (AdmintChatView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) -
                                 gtk_adjustment_get_page_size (adj));
}

/* At the next frame, after the layout that changed the height: a row added now (a card with
 * wrapped text, the video) has its final height only once it is allocated, so scrolling at
 * once lands one step short. And never from inside the layout: the upper bound is notified
 * while the scrolled window allocates, and moving the view then leaves the list's new
 * allocation pending until something else asks for one (GTK 4.8). */
static gboolean
scroll_on_tick (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  AdmintChatView *self = ADMINT_CHAT_VIEW (widget);

  self->scroll_tick_id = 0;
  if (self->stick_to_bottom)
    scroll_to_end (self);
  return G_SOURCE_REMOVE;
}

static void
follow_end (AdmintChatView *self)
{
  if (!self->stick_to_bottom)
    return;
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_on_tick,
                                                         NULL, NULL);
}

static void
on_upper_changed (AdmintChatView *self)
{
  follow_end (self);
}

/* The user scrolled: follow the newest row again only once back at the bottom. */
static void
on_value_changed (AdmintChatView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->stick_to_bottom = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
                          gtk_adjustment_get_upper (adj) - 24;
}

static GtkWidget *
append_row (AdmintChatView *self,
            GtkWidget      *child)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), child);
  gtk_list_box_append (self->message_list, row);
  return row;
}

static GtkWidget *
new_card (const char *heading)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "chat-card");
  if (heading != NULL)
    gtk_box_append (GTK_BOX (card), admint_ui_wrapped_label_new (heading, "heading"));
  return card;
}

static void
add_text_row (AdmintChatView *self,
              const char     *role,
              const char     *text)
{
  gboolean mine = g_strcmp0 (role, "user") == 0;
  GtkWidget *label = admint_ui_wrapped_label_new (text, mine ? "user-message" : "assistant-message");

  gtk_widget_set_halign (label, mine ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), mine ? 1 : 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  append_row (self, label);
}

/* A card saying why the ad stopped, with a button that carries it on (win.resume-ad: the
 * window enables it only while the shown ad can be resumed). */
static GtkWidget *
new_stop_card (const char *icon_name,
               const char *icon_label,
               const char *title,
               const char *text,
               const char *button_label,
               const char *button_tooltip)
{
  GtkWidget *card = new_card (NULL);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *button = admint_ui_mnemonic_button_new (button_label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  icon_label, -1);
  gtk_box_append (GTK_BOX (head), icon);
  gtk_box_append (GTK_BOX (head), admint_ui_wrapped_label_new (title, "heading"));
  gtk_box_append (GTK_BOX (card), head);
  if (text != NULL)
    {
      GtkWidget *label = admint_ui_wrapped_label_new (text, NULL);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (card), label);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.resume-ad");
  gtk_widget_set_tooltip_text (button, button_tooltip);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_add_css_class (button, "chat-resume");
  gtk_box_append (GTK_BOX (card), button);
  return card;
}

static void
add_error_row (AdmintChatView *self,
               const char     *text)
{
  GtkWidget *card = new_stop_card ("dialog-error-symbolic", _("Error"),
                                   _("The ad could not be finished"), text, _("_Retry"),
                                   _("Try again from where it stopped"));

  gtk_widget_add_css_class (card, "chat-error");
  append_row (self, card);
}

/* The user's own Stop: not an error, and gone once the ad carries on. */
static void
add_stopped_row (AdmintChatView *self)
{
  GtkWidget *card = new_stop_card ("media-playback-stop-symbolic", _("Stopped"), _("Stopped"),
                                   _("You stopped this ad. What was made so far is kept."),
                                   _("_Resume"), _("Carry on where this ad stopped"));

  gtk_widget_add_css_class (card, "chat-stopped");
  self->stopped_row = append_row (self, card);
}

/* Whether an error message is the record of a stop the user asked for. */
static gboolean
is_stop (const char *text)
{
  return g_strcmp0 (text, "Cancelled.") == 0 ||
         g_strcmp0 (text, _("Stopped at your request before making the clips.")) == 0;
}

static void
add_score_line (AdmintChatView *self,
                GtkWidget      *card,
                const char     *what)
{
  GtkWidget *label = admint_ui_wrapped_label_new (what, "dim-label");

  gtk_box_append (GTK_BOX (card), label);
  self->scored_card = card;
  self->scored_label = GTK_LABEL (label);
}

static void flush_orphan_critique (AdmintChatView *self);

/* The story's beats and call to action into CARD (a draft's beats may lack any member). */
static void
fill_story (GtkWidget  *card,
            JsonObject *story)
{
  if (json_object_has_member (story, "beats") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (story, "beats")))
    {
      JsonArray *beats = json_object_get_array_member (story, "beats");
      for (guint i = 0; i < json_array_get_length (beats); i++)
        {
          JsonNode *node = json_array_get_element (beats, i);
          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          JsonObject *beat = json_node_get_object (node);
          const char *name = admint_ui_json_string (beat, "name");
          const char *text = admint_ui_json_string (beat, "text");
          const char *visual = admint_ui_json_string (beat, "visual");
          if (name == NULL)
            name = admint_ui_json_string (beat, "beat");  /* a chat model's draft, not normalised yet */
          g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>  %s",
                                                             name ? name : "", text ? text : "");
          GtkWidget *line = admint_ui_wrapped_label_new (NULL, NULL);
          gtk_label_set_markup (GTK_LABEL (line), markup);
          gtk_box_append (GTK_BOX (card), line);
          if (visual != NULL)
            {
              GtkWidget *caption = admint_ui_wrapped_label_new (visual, "caption");
              gtk_widget_add_css_class (caption, "dim-label");
              gtk_box_append (GTK_BOX (card), caption);
            }
        }
    }
  const char *cta = admint_ui_json_string (story, "call_to_action");
  if (cta != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Call to action: %s"), cta);
      gtk_box_append (GTK_BOX (card), admint_ui_wrapped_label_new (text, NULL));
    }
}

static void reply (AdmintChatView *self, const char *text);

/* The quick answers to a story: each is a reply the story stage understands ("ok" approves,
 * "try again" writes a new one, the rest is feedback for the next version). */
static const struct { const char *label; const char *reply; const char *tooltip; } story_answers[] = {
  { N_("_Approve"), "ok", N_("Approve the story and go on to the scenes") },
  { N_("_Try Again"), "try again", N_("Write a different story") },
  { N_("S_horter"), "make it shorter", N_("Tighten the voice-over") },
  { N_("_Funnier"), "make it funnier", N_("A more playful tone") },
  { N_("More _Premium"), "make it more premium", N_("A more premium, elegant tone") },
};

/* chat.reply (s): a quick answer, sent as the user's reply. */
static void
reply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  reply (ADMINT_CHAT_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static GtkWidget *
new_story_actions (AdmintChatView *self)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 5);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_widget_add_css_class (flow, "chat-quick-actions");
  gtk_accessible_update_property (GTK_ACCESSIBLE (flow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Answers to the story"), -1);
  for (gsize i = 0; i < G_N_ELEMENTS (story_answers); i++)
    {
      GtkWidget *button = admint_ui_mnemonic_button_new (_(story_answers[i].label));
      gtk_widget_set_tooltip_text (button, _(story_answers[i].tooltip));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "chat.reply");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", story_answers[i].reply);
      if (i == 0)
        gtk_widget_add_css_class (button, "suggested-action");
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
      /* The button takes the focus, not the flow box's child around it. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
  return flow;
}

static void
add_story (AdmintChatView *self,
           JsonObject     *story)
{
  const char *title = admint_ui_json_string (story, "title");
  GtkWidget *card = new_card (title != NULL ? title : _("Story"));

  fill_story (card, story);
  add_score_line (self, card, _("Critic score: waiting for the critic"));
  if (self->live != NULL)
    {
      /* Only the newest story is answered. */
      if (self->story_actions != NULL)
        gtk_box_remove (GTK_BOX (gtk_widget_get_parent (self->story_actions)),
                        self->story_actions);
      self->story_actions = new_story_actions (self);
      gtk_widget_set_visible (self->story_actions, FALSE);
      gtk_box_append (GTK_BOX (card), self->story_actions);
    }
  append_row (self, card);
}

static ClipRow *clip_row_for (AdmintChatView *self, int index);

static void
add_scenes (AdmintChatView *self,
            JsonArray      *scenes)
{
  /* Each scene with Edit and Regenerate (admint-scene-card.c). */
  GtkWidget *card = admint_scene_card_new (scenes, self->store, self->id, self->live);

  add_score_line (self, card, _("Critic score: waiting for the critic"));
  append_row (self, card);
  flush_orphan_critique (self);
  /* A stored ad's clip cards read their state themselves (hidden while there is no clip); a
   * running one's appear with the clips' progress. */
  if (self->live == NULL)
    for (guint i = 0; i < json_array_get_length (scenes); i++)
      clip_row_for (self, (int) i);
}

static void
add_critique (AdmintChatView *self,
              JsonObject     *critique)
{
  double score = json_object_get_double_member_with_default (critique, "score", -1);
  g_autofree char *line = g_strdup_printf (_("Critic score: %.1f/10"), score);

  if (self->scored_label == NULL)
    {
      if (self->orphan_critique != NULL)
        {
          g_autofree char *old = g_strdup_printf (_("Critic score: %.1f/10"),
            json_object_get_double_member_with_default (self->orphan_critique, "score", -1));
          add_text_row (self, "critic", old);
        }
      g_clear_pointer (&self->orphan_critique, json_object_unref);
      self->orphan_critique = json_object_ref (critique);
      return;
    }
  gtk_label_set_text (self->scored_label, line);
  gtk_widget_remove_css_class (GTK_WIDGET (self->scored_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->scored_label), "heading");
  if (json_object_has_member (critique, "reasons"))
    {
      JsonArray *reasons = json_object_get_array_member (critique, "reasons");
      for (guint i = 0; i < json_array_get_length (reasons); i++)
        {
          g_autofree char *text = g_strdup_printf ("• %s",
                                                   json_array_get_string_element (reasons, i));
          gtk_box_append (GTK_BOX (self->scored_card), admint_ui_wrapped_label_new (text, "dim-label"));
        }
    }
  /* The quick answers stay last, under what the critic said. */
  if (self->story_actions != NULL &&
      gtk_widget_get_parent (self->story_actions) == self->scored_card)
    gtk_box_reorder_child_after (GTK_BOX (self->scored_card), self->story_actions,
                                 gtk_widget_get_last_child (self->scored_card));
  self->scored_card = NULL;
  self->scored_label = NULL;
}

static void
flush_orphan_critique (AdmintChatView *self)
{
  g_autoptr(JsonObject) critique = g_steal_pointer (&self->orphan_critique);

  if (critique != NULL)
    add_critique (self, critique);
}

static void
on_reference_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = admint_ui_load_texture_finish (result, &error);

  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No reference picture: %s", error->message);
}

static void
add_references (AdmintChatView *self,
                JsonArray      *references)
{
  GtkWidget *card = new_card (_("Reference images"));
  GtkWidget *strip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (card), strip);
  for (guint i = 0; i < json_array_get_length (references); i++)
    {
      JsonObject *ref = json_array_get_object_element (references, i);
      const char *path = admint_ui_json_string (ref, "path");
      JsonObject *analysis = json_object_has_member (ref, "analysis")
        ? json_object_get_object_member (ref, "analysis") : NULL;
      const char *subject = admint_ui_json_string (analysis, "subject");
      if (path == NULL)
        continue;
      GtkWidget *picture = gtk_picture_new ();
      g_autofree char *alt = g_strdup_printf (_("Reference %u: %s"), i + 1,
                                              subject ? subject : _("image"));
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), alt);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      alt, -1);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      /* They share the card's width: three side by side fit a phone's 360 px. */
      gtk_widget_set_size_request (picture, -1, 90);
      gtk_widget_set_hexpand (picture, TRUE);
      gtk_widget_set_tooltip_text (picture, alt);
      gtk_box_append (GTK_BOX (strip), picture);
      /* 90 px high, a third of the card wide: decoded off the main loop at about that size. */
      admint_ui_load_texture_async (path, 480, self->cancellable, on_reference_loaded,
                                    g_object_ref (picture));
    }
  append_row (self, card);
}

static void
show_video (AdmintChatView *self,
            const char     *path)
{
  if (self->video == NULL)
    {
      self->video = ADMINT_VIDEO_CARD (admint_video_card_new ());
      append_row (self, GTK_WIDGET (self->video));
    }
  admint_video_card_set_file (self->video, path);
}

static AdmintVerdict
verdict_of (AdmintChatView *self,
            JsonObject     *scores)
{
  const char *stored = admint_ui_json_string (scores, "verdict");

  if (self->live != NULL)
    return admint_generation_get_verdict (self->live);
  if (stored == NULL)
    return ADMINT_VERDICT_NONE;
  return g_str_equal (stored, "good") ? ADMINT_VERDICT_GOOD
         : g_str_equal (stored, "acceptable") ? ADMINT_VERDICT_ACCEPTABLE
         : g_str_equal (stored, "poor") ? ADMINT_VERDICT_POOR : ADMINT_VERDICT_NONE;
}

static void
show_score (AdmintChatView *self,
            double          score,
            JsonObject     *scores)
{
  self->score = score;
  if (score < 0)
    return;
  if (self->video == NULL)
    {
      self->video = ADMINT_VIDEO_CARD (admint_video_card_new ());
      append_row (self, GTK_WIDGET (self->video));
    }
  admint_video_card_set_scores (self->video, score, verdict_of (self, scores), scores);
}

/* ---- drafts: the story or the scenes as the agent writes them ---- */

static void
remove_draft (AdmintChatView *self)
{
  if (self->draft_row == NULL)
    return;
  gtk_list_box_remove (self->message_list, self->draft_row);
  self->draft_row = NULL;
}

static void
fill_scenes_draft (GtkWidget *card,
                   JsonArray *scenes)
{
  for (guint i = 0; i < json_array_get_length (scenes); i++)
    {
      JsonNode *node = json_array_get_element (scenes, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      const char *description = admint_ui_json_string (json_node_get_object (node), "description");
      g_autofree char *markup = g_markup_printf_escaped ("<b>%u.</b>  %s", i + 1,
                                                         description ? description : "…");
      GtkWidget *line = admint_ui_wrapped_label_new (NULL, NULL);
      gtk_label_set_markup (GTK_LABEL (line), markup);
      gtk_box_append (GTK_BOX (card), line);
    }
}

static void
on_draft_changed (AdmintChatView    *self,
                  AdmintMessageKind  kind,
                  JsonNode          *draft,
                  AdmintGeneration  *gen)
{
  GtkWidget *card;

  if (draft == NULL)
    {
      remove_draft (self);
      return;
    }
  if (kind == ADMINT_MESSAGE_STORY && JSON_NODE_HOLDS_OBJECT (draft))
    {
      const char *title = admint_ui_json_string (json_node_get_object (draft), "title");
      card = new_card (_("Writing the story…"));
      if (title != NULL)
        gtk_box_append (GTK_BOX (card), admint_ui_wrapped_label_new (title, "title-4"));
      fill_story (card, json_node_get_object (draft));
    }
  else if (kind == ADMINT_MESSAGE_SCENES && JSON_NODE_HOLDS_ARRAY (draft))
    {
      card = new_card (_("Writing the scenes…"));
      fill_scenes_draft (card, json_node_get_array (draft));
    }
  else
    return;
  gtk_widget_add_css_class (card, "chat-draft");
  /* Read out once it is written, not at every word. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_STATE_BUSY, TRUE, -1);
  if (self->draft_row == NULL)
    self->draft_row = append_row (self, card);
  else
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->draft_row), card);
}

static void
add_message (AdmintChatView *self,
             AdmintMessage  *message)
{
  JsonObject *obj = admint_message_get_object (message);
  JsonArray *array = admint_message_get_array (message);
  const char *text = admint_message_get_text (message);
  gboolean mine = admint_message_get_role (message) == ADMINT_MESSAGE_ROLE_USER;

  /* Whatever comes after a stop means the ad carries on: the stop is no longer news. */
  if (self->stopped_row != NULL)
    {
      gtk_list_box_remove (self->message_list, self->stopped_row);
      self->stopped_row = NULL;
    }
  switch (admint_message_get_kind (message))
    {
    case ADMINT_MESSAGE_ERROR:
      /* A resumed ad replays its stop: it is running again, so the stop is past. */
      if (is_stop (text) && self->live != NULL && !admint_generation_is_done (self->live))
        return;
      if (is_stop (text))
        add_stopped_row (self);
      else
        add_error_row (self, text != NULL ? text : _("Something went wrong"));
      return;
    case ADMINT_MESSAGE_STORY:
      if (obj != NULL)
        add_story (self, obj);
      return;
    case ADMINT_MESSAGE_SCENES:
      if (array != NULL)
        add_scenes (self, array);
      return;
    case ADMINT_MESSAGE_REFERENCES:
      if (array != NULL)
        add_references (self, array);
      return;
    case ADMINT_MESSAGE_VIDEO:
      if (admint_message_get_path (message) != NULL)
        show_video (self, admint_message_get_path (message));
      return;
    case ADMINT_MESSAGE_SCORES:
      if (self->video == NULL && admint_message_get_path (message) != NULL)
        show_video (self, admint_message_get_path (message));
      show_score (self, admint_message_get_score (message), obj);
      return;
    case ADMINT_MESSAGE_CRITIQUE:
      if (obj != NULL)
        add_critique (self, obj);
      return;
    case ADMINT_MESSAGE_TEXT:
    case ADMINT_MESSAGE_PROGRESS:
    default:
      if (text != NULL)
        add_text_row (self, mine ? "user" : "assistant", text);
      return;
    }
}

/* ---- clip progress ---------------------------------------------------------------------------- */

static gboolean
pulse_bars (gpointer user_data)
{
  AdmintChatView *self = user_data;
  GHashTableIter iter;
  gpointer value;
  gboolean any = FALSE;

  g_hash_table_iter_init (&iter, self->progress);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ClipRow *row = value;
      if (!row->pulsing)
        continue;
      gtk_progress_bar_pulse (row->bar);
      any = TRUE;
    }
  if (!any)
    self->pulse_id = 0;
  return any ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static ClipRow *
clip_row_for (AdmintChatView *self,
              int             index)
{
  ClipRow *row = g_hash_table_lookup (self->progress, GINT_TO_POINTER (index));

  if (row != NULL)
    return row;

  /* A card per clip: thumbnail, progress, score and verdict, checks (admint-clip-card.c). */
  GtkWidget *card = admint_clip_card_new (self->store, self->id, self->live, index);

  append_row (self, card);
  row = g_new0 (ClipRow, 1);
  row->bar = admint_clip_card_get_bar (ADMINT_CLIP_CARD (card));
  row->label = admint_clip_card_get_label (ADMINT_CLIP_CARD (card));
  g_hash_table_insert (self->progress, GINT_TO_POINTER (index), row);
  return row;
}

static void
on_clip_progress (AdmintChatView *self,
                  int             index,
                  double          fraction,
                  const char     *status,
                  gpointer        gen)
{
  ClipRow *row = clip_row_for (self, index);

  row->pulsing = fraction < 0;
  if (row->pulsing)
    {
      gtk_progress_bar_pulse (row->bar);
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (150, pulse_bars, self);
    }
  else
    gtk_progress_bar_set_fraction (row->bar, CLAMP (fraction, 0, 1));
}

static void
on_clip_ready (AdmintChatView *self,
               int             index,
               const char     *path,
               gpointer        gen)
{
  ClipRow *row = clip_row_for (self, index);
  g_autofree char *text = g_strdup_printf (_("Clip %d ready"), index + 1);

  row->pulsing = FALSE;
  gtk_progress_bar_set_fraction (row->bar, 1);
  gtk_label_set_text (row->label, text);
}

static void
on_clip_failed (AdmintChatView *self,
                int             index,
                const char     *message,
                gpointer        gen)
{
  ClipRow *row = clip_row_for (self, index);
  g_autofree char *text = g_strdup_printf (_("Clip %d failed: %s"), index + 1, message);

  row->pulsing = FALSE;
  gtk_label_set_text (row->label, text);
  gtk_widget_add_css_class (GTK_WIDGET (row->label), "error");
}

/* ---- the live generation ------------------------------------------------------------------- */

static void
set_waiting (AdmintChatView *self,
             gboolean        waiting)
{
  self->waiting = waiting;
  /* Read-only rather than insensitive: an insensitive entry that has the focus loses it
   * without a focus-out (GTK 4.8 warns), and the cursor would jump elsewhere. */
  gtk_editable_set_editable (GTK_EDITABLE (self->reply_entry), waiting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->approve_button), waiting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button),
                            waiting && gtk_entry_get_text_length (self->reply_entry) > 0);
  if (self->story_actions != NULL)
    gtk_widget_set_visible (self->story_actions,
                            waiting && self->live != NULL &&
                            admint_generation_get_waiting_for (self->live) ==
                            ADMINT_GENERATION_WAIT_STORY);
  if (waiting)
    gtk_widget_grab_focus (GTK_WIDGET (self->reply_entry));
}

static void
update_buttons (AdmintChatView *self)
{
  set_waiting (self, self->waiting);
}

/* Messages appended to the live generation's conversation become rows. */
static void
on_messages_changed (AdmintChatView *self,
                     guint           position,
                     guint           removed,
                     guint           added,
                     GListModel     *messages)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AdmintMessage) message = g_list_model_get_item (messages, i);
      add_message (self, message);
    }
}

static void
on_waiting_changed (AdmintChatView *self)
{
  set_waiting (self, self->live != NULL &&
                     admint_generation_get_waiting_for (self->live) != ADMINT_GENERATION_WAIT_NONE);
}

static void
reply (AdmintChatView *self,
       const char     *text)
{
  if (!self->waiting || self->live == NULL)
    return;
  /* The answer to what the user said is what they want to see next; the focus leaves the quick
   * answers, which hide, for the entry (not for a row, which the list would scroll to). */
  self->stick_to_bottom = TRUE;
  gtk_widget_grab_focus (GTK_WIDGET (self->reply_entry));
  set_waiting (self, FALSE);
  admint_generation_reply (self->live, text);
}

static void
on_send (AdmintChatView *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reply_entry))));

  if (*text == '\0')
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), "");
  reply (self, text);
}

static void
on_approve (AdmintChatView *self)
{
  /* The reply rules read "ok" as approval in every stage. */
  reply (self, "ok");
}

static void
disconnect_live (AdmintChatView *self)
{
  if (self->live == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->live, self);
  g_signal_handlers_disconnect_by_data (admint_generation_get_messages (self->live), self);
  g_clear_object (&self->live);
}

/* ---- loading the stored chat ----------------------------------------------------------------- */

typedef struct {
  AdmintChatView *self;
  GCancellable   *cancellable;
} Loading;

static void
loading_free (Loading *loading)
{
  g_object_unref (loading->self);
  g_object_unref (loading->cancellable);
  g_free (loading);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loading, loading_free)

static void
on_messages_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Loading) loading = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) rows = admint_store_list_messages_finish (ADMINT_STORE (source), result,
                                                                 &error);
  AdmintChatView *self = loading->self;

  /* Cancelled: the view shows another ad now, or is gone. */
  if (g_cancellable_is_cancelled (loading->cancellable))
    return;
  if (rows == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot load this ad’s conversation: %s"),
                                               error->message);
      add_error_row (self, text);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(AdmintMessageRow) row = g_list_model_get_item (rows, i);
      g_autoptr(AdmintMessage) message = admint_message_new_from_row (row);
      add_message (self, message);
    }
}

void
admint_chat_view_clear (AdmintChatView *self)
{
  GtkWidget *child;

  g_return_if_fail (ADMINT_IS_CHAT_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  disconnect_live (self);
  g_clear_pointer (&self->id, g_free);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_hash_table_remove_all (self->progress);
  self->scored_card = NULL;
  self->scored_label = NULL;
  g_clear_pointer (&self->orphan_critique, json_object_unref);
  self->video = NULL;
  self->score = -1;
  self->draft_row = NULL;
  self->stopped_row = NULL;
  self->story_actions = NULL;
  self->stick_to_bottom = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->message_list))) != NULL)
    gtk_list_box_remove (self->message_list, child);
  gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), "");
  set_waiting (self, FALSE);
}

void
admint_chat_view_show (AdmintChatView   *self,
                       AdmintStore      *store,
                       const char       *id,
                       AdmintGeneration *live)
{
  g_return_if_fail (ADMINT_IS_CHAT_VIEW (self));
  g_return_if_fail (ADMINT_IS_STORE (store));
  g_return_if_fail (id != NULL);
  g_return_if_fail (live == NULL || ADMINT_IS_GENERATION (live));

  admint_chat_view_clear (self);
  g_set_object (&self->store, store);
  self->id = g_strdup (id);
  self->cancellable = g_cancellable_new ();

  if (live != NULL)
    {
      /* The generation's own conversation: what was stored, then what it says from now on. */
      GListModel *messages = admint_generation_get_messages (live);
      self->live = g_object_ref (live);
      on_messages_changed (self, 0, 0, g_list_model_get_n_items (messages), messages);
      g_signal_connect_swapped (messages, "items-changed", G_CALLBACK (on_messages_changed),
                                self);
      g_signal_connect_swapped (live, "clip-progress", G_CALLBACK (on_clip_progress), self);
      g_signal_connect_swapped (live, "clip-ready", G_CALLBACK (on_clip_ready), self);
      g_signal_connect_swapped (live, "clip-failed", G_CALLBACK (on_clip_failed), self);
      g_signal_connect_swapped (live, "draft-changed", G_CALLBACK (on_draft_changed), self);
      {
        AdmintMessageKind kind;
        JsonNode *draft = admint_generation_get_draft (live, &kind);
        if (draft != NULL)
          on_draft_changed (self, kind, draft, live);
      }
      g_signal_connect_swapped (live, "notify::waiting-for", G_CALLBACK (on_waiting_changed),
                                self);
      g_signal_connect_swapped (live, "notify::status", G_CALLBACK (on_waiting_changed), self);
      on_waiting_changed (self);
      return;
    }
  Loading *loading = g_new0 (Loading, 1);
  loading->self = g_object_ref (self);
  loading->cancellable = g_object_ref (self->cancellable);
  admint_store_list_messages_async (store, id, self->cancellable, on_messages_listed, loading);
}

const char *
admint_chat_view_get_id (AdmintChatView *self)
{
  g_return_val_if_fail (ADMINT_IS_CHAT_VIEW (self), NULL);
  return self->id;
}

gboolean
admint_chat_view_get_waiting (AdmintChatView *self)
{
  g_return_val_if_fail (ADMINT_IS_CHAT_VIEW (self), FALSE);
  return self->waiting;
}

AdmintVideoCard *
admint_chat_view_get_video (AdmintChatView *self)
{
  g_return_val_if_fail (ADMINT_IS_CHAT_VIEW (self), NULL);
  return self->video;
}

double
admint_chat_view_get_score (AdmintChatView *self)
{
  g_return_val_if_fail (ADMINT_IS_CHAT_VIEW (self), -1);
  return self->score;
}

/* ---- the class ----------------------------------------------------------------------------- */

static void
admint_chat_view_dispose (GObject *object)
{
  AdmintChatView *self = ADMINT_CHAT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  disconnect_live (self);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->scroll_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
  self->scroll_tick_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_CHAT_VIEW);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (admint_chat_view_parent_class)->dispose (object);
}

static void
admint_chat_view_finalize (GObject *object)
{
  AdmintChatView *self = ADMINT_CHAT_VIEW (object);

  g_free (self->id);
  g_clear_pointer (&self->orphan_critique, json_object_unref);
  g_hash_table_unref (self->progress);
  G_OBJECT_CLASS (admint_chat_view_parent_class)->finalize (object);
}

static void
admint_chat_view_class_init (AdmintChatViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_chat_view_dispose;
  object_class->finalize = admint_chat_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/admint/AdMint/ui/admint-chat-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AdmintChatView, scroller);
  gtk_widget_class_bind_template_child (widget_class, AdmintChatView, message_list);
  gtk_widget_class_bind_template_child (widget_class, AdmintChatView, reply_entry);
  gtk_widget_class_bind_template_child (widget_class, AdmintChatView, send_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintChatView, approve_button);
  gtk_widget_class_bind_template_callback (widget_class, on_send);
  gtk_widget_class_bind_template_callback (widget_class, on_approve);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_install_action (widget_class, "chat.reply", "s", reply_action);
  gtk_widget_class_set_css_name (widget_class, "chatview");
}

static void
admint_chat_view_init (AdmintChatView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->progress = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->score = -1;
  self->stick_to_bottom = TRUE;
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (on_value_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "notify::upper",
                           G_CALLBACK (on_upper_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller),
                           "notify::page-size", G_CALLBACK (on_upper_changed), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
admint_chat_view_new (void)
{
  return g_object_new (ADMINT_TYPE_CHAT_VIEW, NULL);
}
