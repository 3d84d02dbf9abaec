/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The finished ad's card in the chat: the player, the score per dimension, the ad checks, and
 * Export. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-ui-util.h"
#include "admint-poster.h"
#include "admint-video-card.h"

struct _AdmintVideoCard
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkPicture     *picture;
  GtkWidget      *play_button;
  GtkWidget      *position;
  GtkLabel       *time_label;
  GtkWidget      *mute_button;
  GtkWidget      *fullscreen_button;
  GtkWidget      *scores_box;

  GtkMediaStream *stream;
  GdkPaintable   *poster;
  GCancellable   *cancellable;
  gboolean        started;       /* played once: the picture shows the stream from then on */
  gboolean        seeking_self;  /* the scale follows the stream: not a seek by the user */
};

G_DEFINE_FINAL_TYPE (AdmintVideoCard, admint_video_card, GTK_TYPE_WIDGET)

static void
set_named_icon (GtkWidget  *button,
                const char *icon,
                const char *name)
{
  gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

/* ---- the player ---- */

static char *
format_time (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, s / 60, s % 60);
}

static void
update_time (AdmintVideoCard *self)
{
  gint64 now = self->stream ? gtk_media_stream_get_timestamp (self->stream) : 0;
  gint64 total = self->stream ? gtk_media_stream_get_duration (self->stream) : 0;
  g_autofree char *a = format_time (now);
  g_autofree char *b = format_time (total);
  g_autofree char *text = g_strdup_printf ("%s / %s", a, b);
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->position));

  gtk_label_set_text (self->time_label, text);
  self->seeking_self = TRUE;
  gtk_adjustment_configure (adj, now / (double) G_USEC_PER_SEC, 0,
                            MAX (total / (double) G_USEC_PER_SEC, 0.001), 0.5, 1, 0);
  self->seeking_self = FALSE;
}

static void
update_playing (AdmintVideoCard *self)
{
  gboolean playing = self->stream != NULL && gtk_media_stream_get_playing (self->stream);

  set_named_icon (self->play_button,
                  playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic",
                  playing ? _("Pause") : _("Play"));
}

static void
update_muted (AdmintVideoCard *self)
{
  gboolean muted = self->stream != NULL && gtk_media_stream_get_muted (self->stream);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->mute_button), muted);
  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            muted ? "audio-volume-muted-symbolic" : "audio-volume-high-symbolic");
}

static void
show_stream (AdmintVideoCard *self)
{
  if (self->started || self->stream == NULL)
    return;
  self->started = TRUE;
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->stream));
}

static void
on_play (AdmintVideoCard *self)
{
  if (self->stream == NULL)
    return;
  show_stream (self);
  if (gtk_media_stream_get_playing (self->stream))
    gtk_media_stream_pause (self->stream);
  else
    gtk_media_stream_play (self->stream);
}

static void
on_position_changed (AdmintVideoCard *self)
{
  if (self->seeking_self || self->stream == NULL || !gtk_media_stream_is_seekable (self->stream))
    return;
  show_stream (self);
  gtk_media_stream_seek (self->stream,
                         (gint64) (gtk_range_get_value (GTK_RANGE (self->position)) *
                                   G_USEC_PER_SEC));
}

static void
on_mute_toggled (AdmintVideoCard *self)
{
  if (self->stream != NULL)
    gtk_media_stream_set_muted (self->stream,
                                gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mute_button)));
}

static gboolean
on_fullscreen_key (GtkEventControllerKey *key,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkWindow             *window)
{
  if (keyval != GDK_KEY_Escape && keyval != GDK_KEY_f && keyval != GDK_KEY_F11)
    return FALSE;
  gtk_window_destroy (window);
  return TRUE;
}

static void
on_fullscreen (AdmintVideoCard *self)
{
  GtkWidget *window, *overlay, *picture, *leave;
  GtkEventController *key;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->stream == NULL)
    return;
  show_stream (self);
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Your ad"));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_widget_add_css_class (window, "video-fullscreen");
  overlay = gtk_overlay_new ();
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (self->stream));
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Finished video"), -1);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);
  leave = gtk_button_new ();
  set_named_icon (leave, "view-restore-symbolic", _("Leave Full Screen"));
  gtk_widget_add_css_class (leave, "osd");
  gtk_widget_add_css_class (leave, "circular");
  gtk_widget_set_halign (leave, GTK_ALIGN_END);
  gtk_widget_set_valign (leave, GTK_ALIGN_START);
  gtk_widget_set_margin_top (leave, 12);
  gtk_widget_set_margin_end (leave, 12);
  g_signal_connect_swapped (leave, "clicked", G_CALLBACK (gtk_window_destroy), window);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), leave);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_fullscreen_key), window);
  gtk_widget_add_controller (window, key);
  gtk_window_fullscreen (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  if (!gtk_media_stream_get_playing (self->stream))
    gtk_media_stream_play (self->stream);
}

static void
on_poster (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AdmintVideoCard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPoster) poster = admint_poster_make_finish (result, &error);

  if (poster == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No poster: %s", error->message);
      return;
    }
  g_clear_object (&self->poster);
  self->poster = GDK_PAINTABLE (gdk_memory_texture_new (poster->width, poster->height,
                                                        GDK_MEMORY_R8G8B8, poster->rgb,
                                                        poster->stride));
  if (!self->started)
    gtk_picture_set_paintable (self->picture, self->poster);
}

void
admint_video_card_set_file (AdmintVideoCard *self,
                            const char      *path)
{
  g_return_if_fail (ADMINT_IS_VIDEO_CARD (self));
  g_return_if_fail (path != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      gtk_media_stream_pause (self->stream);
    }
  g_clear_object (&self->stream);
  g_clear_object (&self->poster);
  self->started = FALSE;
  gtk_picture_set_paintable (self->picture, NULL);

  self->stream = gtk_media_file_new_for_filename (path);
  gtk_media_stream_set_loop (self->stream, TRUE);
  g_signal_connect_swapped (self->stream, "notify::timestamp", G_CALLBACK (update_time), self);
  g_signal_connect_swapped (self->stream, "notify::duration", G_CALLBACK (update_time), self);
  g_signal_connect_swapped (self->stream, "notify::playing", G_CALLBACK (update_playing), self);
  g_signal_connect_swapped (self->stream, "notify::muted", G_CALLBACK (update_muted), self);
  update_time (self);
  update_playing (self);
  update_muted (self);

  self->cancellable = g_cancellable_new ();
  admint_poster_make_async (path, 960, self->cancellable, on_poster, g_object_ref (self));
}

GFile *
admint_video_card_get_file (AdmintVideoCard *self)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_CARD (self), NULL);
  return self->stream != NULL ? gtk_media_file_get_file (GTK_MEDIA_FILE (self->stream)) : NULL;
}

GtkMediaStream *
admint_video_card_get_stream (AdmintVideoCard *self)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_CARD (self), NULL);
  return self->stream;
}

gboolean
admint_video_card_has_poster (AdmintVideoCard *self)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_CARD (self), FALSE);
  return self->poster != NULL;
}

/* ---- the scores ---- */

/* One line per ad check: a pass or fail icon (named for screen readers) and the reason. */
static void
add_ad_checks (GtkWidget  *box,
               JsonObject *checks)
{
  g_autoptr(GList) names = json_object_get_members (checks);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (checks, l->data);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      GtkWidget *line = admint_ui_ad_check_new (l->data, json_node_get_object (node), NULL);

      gtk_widget_add_css_class (line, "chat-ad-check");
      gtk_box_append (GTK_BOX (box), line);
    }
}

/* The scorer's dimensions, in the order VBench lists them, as the user reads them. */
static const struct { const char *key; const char *name; } dimensions[] = {
  { "subject_consistency", N_("Subject consistency") },
  { "background_consistency", N_("Background consistency") },
  { "temporal_flickering", N_("Free of flicker") },
  { "motion_smoothness", N_("Motion smoothness") },
  { "dynamic_degree", N_("Movement") },
  { "aesthetic_quality", N_("Aesthetic quality") },
  { "imaging_quality", N_("Image quality") },
};

static void
add_dimensions (GtkWidget  *box,
                JsonObject *dims)
{
  GtkWidget *grid = gtk_grid_new ();
  int row = 0;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "video-dimensions");
  gtk_box_append (GTK_BOX (box), grid);
  for (gsize i = 0; i < G_N_ELEMENTS (dimensions); i++)
    {
      if (!json_object_has_member (dims, dimensions[i].key))
        continue;
      double value = json_object_get_double_member (dims, dimensions[i].key);
      g_autofree char *number = g_strdup_printf ("%.2f", value);
      GtkWidget *name = admint_ui_wrapped_label_new (_(dimensions[i].name), NULL);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
      GtkWidget *figure = admint_ui_wrapped_label_new (number, "numeric");

      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (value, 0, 1));
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(dimensions[i].name), -1);
      gtk_label_set_xalign (GTK_LABEL (figure), 1);
      gtk_grid_attach (GTK_GRID (grid), name, 0, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), bar, 1, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), figure, 2, row, 1, 1);
      row++;
    }
}

void
admint_video_card_set_scores (AdmintVideoCard *self,
                              double           score,
                              AdmintVerdict    verdict,
                              JsonObject      *scores)
{
  GtkWidget *child, *line, *label;
  const char *text = NULL, *css_class = NULL;

  g_return_if_fail (ADMINT_IS_VIDEO_CARD (self));

  while ((child = gtk_widget_get_first_child (self->scores_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->scores_box), child);
  if (score < 0)
    return;

  g_autofree char *title = g_strdup_printf (_("Quality score: %.0f/100"), score);
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  label = admint_ui_wrapped_label_new (title, "title-4");
  gtk_widget_add_css_class (label, "chat-score");
  gtk_box_append (GTK_BOX (line), label);
  switch (verdict)
    {
    case ADMINT_VERDICT_GOOD:
      text = _("Good"), css_class = "success";
      break;
    case ADMINT_VERDICT_ACCEPTABLE:
      text = _("Acceptable"), css_class = "warning";
      break;
    case ADMINT_VERDICT_POOR:
      text = _("Poor"), css_class = "error";
      break;
    case ADMINT_VERDICT_NONE:
    default:
      break;
    }
  if (text != NULL)
    {
      GtkWidget *pill = admint_ui_wrapped_label_new (text, "title-4");
      gtk_widget_add_css_class (pill, css_class);
      gtk_widget_add_css_class (pill, "chat-verdict");
      gtk_label_set_wrap (GTK_LABEL (pill), FALSE);
      gtk_box_append (GTK_BOX (line), pill);
    }
  gtk_box_append (GTK_BOX (self->scores_box), line);
  if (scores != NULL && json_object_has_member (scores, "dimensions") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (scores, "dimensions")))
    add_dimensions (self->scores_box, json_object_get_object_member (scores, "dimensions"));
  if (scores != NULL && json_object_has_member (scores, "ad_checks") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (scores, "ad_checks")))
    add_ad_checks (self->scores_box, json_object_get_object_member (scores, "ad_checks"));
}

/* ---- the class ---- */

static GtkWidget *
build_controls (AdmintVideoCard *self)
{
  GtkWidget *controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_add_css_class (controls, "video-controls");
  self->play_button = gtk_button_new ();
  gtk_widget_add_css_class (self->play_button, "flat");
  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (on_play), self);

  self->position = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.5);
  gtk_scale_set_draw_value (GTK_SCALE (self->position), FALSE);
  gtk_widget_set_hexpand (self->position, TRUE);
  gtk_widget_set_tooltip_text (self->position, _("Position in the video"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->position),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Position in the video"), -1);
  g_signal_connect_swapped (self->position, "value-changed", G_CALLBACK (on_position_changed),
                            self);

  self->time_label = GTK_LABEL (gtk_label_new ("0:00 / 0:00"));
  gtk_widget_add_css_class (GTK_WIDGET (self->time_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->time_label), "caption");

  self->mute_button = gtk_toggle_button_new ();
  gtk_widget_add_css_class (self->mute_button, "flat");
  gtk_widget_set_tooltip_text (self->mute_button, _("Mute"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mute_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Mute"), -1);
  g_signal_connect_swapped (self->mute_button, "toggled", G_CALLBACK (on_mute_toggled), self);

  self->fullscreen_button = gtk_button_new ();
  gtk_widget_add_css_class (self->fullscreen_button, "flat");
  set_named_icon (self->fullscreen_button, "view-fullscreen-symbolic", _("Full Screen"));
  g_signal_connect_swapped (self->fullscreen_button, "clicked", G_CALLBACK (on_fullscreen),
                            self);

  gtk_box_append (GTK_BOX (controls), self->play_button);
  gtk_box_append (GTK_BOX (controls), self->position);
  gtk_box_append (GTK_BOX (controls), GTK_WIDGET (self->time_label));
  gtk_box_append (GTK_BOX (controls), self->mute_button);
  gtk_box_append (GTK_BOX (controls), self->fullscreen_button);
  return controls;
}

static void
admint_video_card_init (AdmintVideoCard *self)
{
  GtkWidget *export, *picture;
  GtkGesture *click;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_add_css_class (self->box, "card");
  gtk_widget_add_css_class (self->box, "chat-card");
  gtk_widget_add_css_class (self->box, "video-card");
  gtk_box_append (GTK_BOX (self->box), admint_ui_wrapped_label_new (_("Your ad"), "heading"));

  picture = gtk_picture_new ();
  self->picture = GTK_PICTURE (picture);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (picture, -1, 200);
  gtk_widget_add_css_class (picture, "video-picture");
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Finished video"), -1);
  /* A click on the picture plays or pauses, as in any player. */
  click = gtk_gesture_click_new ();
  g_signal_connect_swapped (click, "released", G_CALLBACK (on_play), self);
  gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (click));
  gtk_box_append (GTK_BOX (self->box), picture);
  gtk_box_append (GTK_BOX (self->box), build_controls (self));

  self->scores_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (self->box), self->scores_box);

  export = admint_ui_mnemonic_button_new (_("_Export…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "win.export");
  gtk_widget_set_tooltip_text (export, _("Export the ad in a format for the web or social media "
                                         "(Ctrl+E)"));
  gtk_widget_set_halign (export, GTK_ALIGN_END);
  gtk_widget_add_css_class (export, "suggested-action");
  gtk_box_append (GTK_BOX (self->box), export);

  update_playing (self);
  update_muted (self);
}

static void
admint_video_card_dispose (GObject *object)
{
  AdmintVideoCard *self = ADMINT_VIDEO_CARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      gtk_media_stream_pause (self->stream);
    }
  g_clear_object (&self->stream);
  g_clear_object (&self->poster);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (admint_video_card_parent_class)->dispose (object);
}

static void
admint_video_card_class_init (AdmintVideoCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_video_card_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "videocard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

GtkWidget *
admint_video_card_new (void)
{
  return g_object_new (ADMINT_TYPE_VIDEO_CARD, NULL);
}
