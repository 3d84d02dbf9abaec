/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One clip's card in the chat: its thumbnail, progress, score with its verdict, its ad checks
 * and Regenerate Clip. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-ui-util.h"
#include "admint-clip-card.h"
#include "admint-redo.h"

struct _AdmintClipCard
{
  GtkBox            parent_instance;

  AdmintStore      *store;
  char             *id;
  AdmintGeneration *live;
  int               index;
  AdmintClip       *clip;
  GListModel       *clips;     /* the live generation's, while waiting for this clip */
  GCancellable     *cancellable;
  gboolean          busy;
  char             *thumbnail_path;  /* the thumbnail shown or being decoded */
  GCancellable     *thumbnail_load;
  JsonNode         *shown_checks;    /* what the checks' lines say */
  char             *shown_state;     /* what the title, score and button show, as one key */

  GtkPicture       *thumbnail;
  GtkLabel         *label;
  GtkProgressBar   *bar;
  GtkLabel         *score;
  GtkLabel         *verdict;
  GtkBox           *checks;
  GtkButton        *regenerate;
  GtkLabel         *note;
};

G_DEFINE_FINAL_TYPE (AdmintClipCard, admint_clip_card, GTK_TYPE_BOX)

static const char *
verdict_text (AdmintVerdict  verdict,
              const char   **css_class)
{
  switch (verdict)
    {
    case ADMINT_VERDICT_GOOD:
      *css_class = "success";
      return _("Good");
    case ADMINT_VERDICT_ACCEPTABLE:
      *css_class = "warning";
      return _("Acceptable");
    case ADMINT_VERDICT_POOR:
      *css_class = "error";
      return _("Poor");
    case ADMINT_VERDICT_NONE:
    default:
      *css_class = NULL;
      return NULL;
    }
}

/* One line a check: a pass or fail icon (named for screen readers) and the reason. */
static void
show_checks (AdmintClipCard *self,
             JsonNode       *checks)
{
  GtkWidget *child;

  /* The clip tells every change (its progress ten times a second): lines made again each time
   * would lay the whole chat out again. */
  if (checks == self->shown_checks ||
      (checks != NULL && self->shown_checks != NULL && json_node_equal (checks, self->shown_checks)))
    return;
  g_clear_pointer (&self->shown_checks, json_node_unref);
  if (checks != NULL)
    self->shown_checks = json_node_copy (checks);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->checks))) != NULL)
    gtk_box_remove (self->checks, child);
  gtk_widget_set_visible (GTK_WIDGET (self->checks), checks != NULL);
  if (checks == NULL || !JSON_NODE_HOLDS_OBJECT (checks))
    return;

  JsonObject *obj = json_node_get_object (checks);
  g_autoptr(GList) names = json_object_get_members (obj);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (obj, l->data);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      GtkWidget *line = admint_ui_ad_check_new (l->data, json_node_get_object (node), "caption");

      gtk_box_append (self->checks, line);
    }
}

/* The card, and the chat's row that holds it (an empty row would still take a line). */
static void
set_shown (AdmintClipCard *self,
           gboolean        shown)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  gtk_widget_set_visible (GTK_WIDGET (self), shown);
  if (GTK_IS_LIST_BOX_ROW (parent))
    gtk_widget_set_visible (parent, shown);
}

static void
on_thumbnail (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AdmintClipCard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = admint_ui_load_texture_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->thumbnail_load);
  if (texture == NULL)
    {
      g_debug ("No thumbnail for clip %d: %s", self->index + 1, error->message);
      return;
    }
  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
}

/* The thumbnail at PATH (or none), decoded off the main loop at the card's size, and only when
 * it is another file than the one shown. */
static void
show_thumbnail (AdmintClipCard *self,
                const char     *path)
{
  if (g_strcmp0 (path, self->thumbnail_path) == 0)
    return;
  g_free (self->thumbnail_path);
  self->thumbnail_path = g_strdup (path);
  g_cancellable_cancel (self->thumbnail_load);
  g_clear_object (&self->thumbnail_load);
  gtk_picture_set_paintable (self->thumbnail, NULL);
  if (path == NULL)
    return;
  self->thumbnail_load = g_cancellable_new ();
  /* 128×72 on screen: twice that for a HiDPI display. */
  admint_ui_load_texture_async (path, 256, self->thumbnail_load, on_thumbnail,
                                g_object_ref (self));
}

static void
update (AdmintClipCard *self)
{
  AdmintClip *clip = self->clip;
  const char *css_class = NULL;

  if (clip == NULL)
    return;
  const char *status = admint_clip_get_status (clip);
  gboolean completed = g_strcmp0 (status, "completed") == 0;
  gboolean failed = g_strcmp0 (status, "failed") == 0;
  const char *thumbnail = admint_clip_get_thumbnail (clip);

  set_shown (self, TRUE);
  show_thumbnail (self, thumbnail);
  if (admint_clip_get_progress (clip) >= 0)
    gtk_progress_bar_set_fraction (self->bar, admint_clip_get_progress (clip));
  show_checks (self, admint_clip_get_ad_checks (clip));

  /* The clip tells every change (its progress ten times a second) and the generation every
   * status: the rest is set again only when what it shows differs, so that no label of the
   * card is laid out again for nothing. */
  gboolean idle = self->live == NULL || admint_generation_is_done (self->live);
  g_autofree char *state = g_strdup_printf ("%s\x1f%d\x1f%s\x1f%.3f\x1f%d\x1f%d\x1f%d", status,
                                            admint_clip_get_version (clip),
                                            admint_clip_get_error (clip) ? admint_clip_get_error (clip) : "",
                                            admint_clip_get_quality_score (clip),
                                            (int) admint_clip_get_verdict (clip), idle, self->busy);
  if (g_strcmp0 (state, self->shown_state) == 0)
    return;
  g_free (self->shown_state);
  self->shown_state = g_steal_pointer (&state);

  gtk_widget_set_visible (GTK_WIDGET (self->bar), !completed);

  g_autofree char *title = NULL;
  if (completed)
    title = g_strdup_printf (_("Clip %d (version %d)"), self->index + 1,
                             admint_clip_get_version (clip));
  else if (failed)
    title = g_strdup_printf (_("Clip %d failed: %s"), self->index + 1,
                             admint_clip_get_error (clip) ? admint_clip_get_error (clip)
                                                          : _("no reason given"));
  else
    title = g_strdup_printf (_("Clip %d"), self->index + 1);
  gtk_label_set_text (self->label, title);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->label), "error");

  double score = admint_clip_get_quality_score (clip);
  const char *verdict = verdict_text (admint_clip_get_verdict (clip), &css_class);
  g_autofree char *score_text = score >= 0 ? g_strdup_printf (_("Score %.0f/100"), score)
                                           : g_strdup (completed ? _("Score: being measured")
                                                                 : _("Score: after the clip"));
  gtk_label_set_text (self->score, score_text);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict), verdict != NULL);
  for (const char * const *c = (const char * const[]) { "success", "warning", "error", NULL };
       *c != NULL; c++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict), *c);
  if (verdict != NULL)
    {
      gtk_label_set_text (self->verdict, verdict);
      gtk_widget_add_css_class (GTK_WIDGET (self->verdict), css_class);
      g_autofree char *said = g_strdup_printf (_("Verdict: %s"), verdict);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
    }
  /* Once the ad is finished: a clip is made again on a finished ad, never mid-run. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->regenerate),
                            idle && !self->busy && (completed || failed));
}

static void
bind_clip (AdmintClipCard *self,
           AdmintClip     *clip)
{
  if (self->clip != NULL)
    g_signal_handlers_disconnect_by_data (self->clip, self);
  g_set_object (&self->clip, clip);
  g_clear_pointer (&self->shown_state, g_free);
  if (clip != NULL)
    g_signal_connect_object (clip, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
on_clips_changed (AdmintClipCard *self)
{
  if ((guint) self->index >= g_list_model_get_n_items (self->clips))
    return;
  g_autoptr(AdmintClip) clip = g_list_model_get_item (self->clips, (guint) self->index);
  g_signal_handlers_disconnect_by_data (self->clips, self);
  g_clear_object (&self->clips);
  bind_clip (self, clip);
}

/* Follows GEN's clip, now or once the clips stage has made it. */
static void
follow_generation (AdmintClipCard   *self,
                   AdmintGeneration *gen)
{
  if (self->clips != NULL)
    g_signal_handlers_disconnect_by_data (self->clips, self);
  g_set_object (&self->clips, admint_generation_get_clips (gen));
  g_signal_connect_object (self->clips, "items-changed", G_CALLBACK (on_clips_changed), self,
                           G_CONNECT_SWAPPED);
  on_clips_changed (self);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AdmintClipCard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) clips = admint_generation_read_clips_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->live != NULL)
    return;
  if (clips == NULL)
    {
      g_warning ("Cannot read clip %d of %s: %s", self->index + 1, self->id, error->message);
      return;
    }
  if ((guint) self->index >= g_list_model_get_n_items (clips))
    {
      set_shown (self, FALSE);   /* no clip yet */
      return;
    }
  g_autoptr(AdmintClip) clip = g_list_model_get_item (clips, (guint) self->index);
  if (self->clip == NULL)
    bind_clip (self, clip);
}

static void
on_redone (GError   *error,
           gpointer  user_data)
{
  g_autoptr(AdmintClipCard) self = user_data;

  self->busy = FALSE;
  /* The button and the note were set here, not by update: show everything again. */
  g_clear_pointer (&self->shown_state, g_free);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->note, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->note), TRUE);
    }
  update (self);
}

static void
on_regenerate (AdmintClipCard *self)
{
  if (self->busy)
    return;
  self->busy = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->regenerate), FALSE);
  admint_redo_start (GTK_WIDGET (self), self->store, self->id, self->live, self->index, NULL, -1,
                     on_redone, g_object_ref (self));
}

static void
admint_clip_card_dispose (GObject *object)
{
  AdmintClipCard *self = ADMINT_CLIP_CARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->thumbnail_load);
  g_clear_object (&self->thumbnail_load);
  g_clear_pointer (&self->shown_checks, json_node_unref);
  g_clear_pointer (&self->shown_state, g_free);
  if (self->clips != NULL)
    g_signal_handlers_disconnect_by_data (self->clips, self);
  g_clear_object (&self->clips);
  if (self->clip != NULL)
    g_signal_handlers_disconnect_by_data (self->clip, self);
  g_clear_object (&self->clip);
  g_clear_object (&self->live);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (admint_clip_card_parent_class)->dispose (object);
}

static void
admint_clip_card_finalize (GObject *object)
{
  g_free (ADMINT_CLIP_CARD (object)->id);
  g_free (ADMINT_CLIP_CARD (object)->thumbnail_path);
  G_OBJECT_CLASS (admint_clip_card_parent_class)->finalize (object);
}

static void
admint_clip_card_class_init (AdmintClipCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_clip_card_dispose;
  object_class->finalize = admint_clip_card_finalize;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
build (AdmintClipCard *self)
{
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  /* The thumbnail and the text side by side in a grid, the card's only child: a horizontal box
   * would allocate the text by asking its width for the card's height, and every wrapped label
   * in it (the title, each check) then tries width after width; a grid asks widths first. */
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *score_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  g_autofree char *name = g_strdup_printf (_("Clip %d"), self->index + 1);
  g_autofree char *bar_name = g_strdup_printf (_("Clip %d progress"), self->index + 1);
  g_autofree char *thumb_name = g_strdup_printf (_("Clip %d thumbnail"), self->index + 1);
  g_autofree char *button_name = g_strdup_printf (_("Regenerate clip %d"), self->index + 1);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self), "chat-card");
  gtk_widget_add_css_class (GTK_WIDGET (self), "clip-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  self->thumbnail = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->thumbnail, TRUE);
  gtk_picture_set_content_fit (self->thumbnail, GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (GTK_WIDGET (self->thumbnail), 128, 72);
  gtk_widget_set_valign (GTK_WIDGET (self->thumbnail), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->thumbnail), "clip-thumbnail");
  gtk_widget_set_overflow (GTK_WIDGET (self->thumbnail), GTK_OVERFLOW_HIDDEN);
  gtk_picture_set_alternative_text (self->thumbnail, thumb_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->thumbnail),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, thumb_name, -1);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_hexpand (grid, TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->thumbnail), 0, 0, 1, 1);
  gtk_box_append (GTK_BOX (self), grid);

  gtk_widget_set_hexpand (side, TRUE);
  gtk_grid_attach (GTK_GRID (grid), side, 1, 0, 1, 1);
  self->label = GTK_LABEL (admint_ui_wrapped_label_new (name, "heading"));
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->label));
  self->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_pulse_step (self->bar, 0.1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  bar_name, -1);
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->bar));

  self->score = GTK_LABEL (admint_ui_wrapped_label_new (_("Score: after the clip"), NULL));
  gtk_label_set_wrap (self->score, FALSE);
  gtk_box_append (GTK_BOX (score_line), GTK_WIDGET (self->score));
  self->verdict = GTK_LABEL (admint_ui_wrapped_label_new (NULL, "clip-verdict"));
  gtk_label_set_wrap (self->verdict, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict), "heading");
  gtk_widget_set_visible (GTK_WIDGET (self->verdict), FALSE);
  gtk_box_append (GTK_BOX (score_line), GTK_WIDGET (self->verdict));
  gtk_box_append (GTK_BOX (side), score_line);

  self->checks = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  gtk_widget_set_visible (GTK_WIDGET (self->checks), FALSE);
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->checks));

  self->note = GTK_LABEL (admint_ui_wrapped_label_new (NULL, "error"));
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->note));

  self->regenerate = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Regenerate Clip")));
  gtk_widget_set_halign (GTK_WIDGET (self->regenerate), GTK_ALIGN_START);
  gtk_widget_set_sensitive (GTK_WIDGET (self->regenerate), FALSE);
  /* Named for its clip, not by its label (labelled-by would win over the name). */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->regenerate),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->regenerate),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_name, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->regenerate),
                               _("Make this clip again, then the ad; asks first when it is over "
                                 "the budget"));
  g_signal_connect_swapped (self->regenerate, "clicked", G_CALLBACK (on_regenerate), self);
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->regenerate));
}

static void
admint_clip_card_init (AdmintClipCard *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
admint_clip_card_new (AdmintStore      *store,
                      const char       *id,
                      AdmintGeneration *live,
                      int               index)
{
  AdmintClipCard *self;

  g_return_val_if_fail (ADMINT_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (live == NULL || ADMINT_IS_GENERATION (live), NULL);

  self = g_object_new (ADMINT_TYPE_CLIP_CARD, NULL);
  self->store = g_object_ref (store);
  self->id = g_strdup (id);
  self->index = index;
  build (self);
  if (live != NULL)
    {
      self->live = g_object_ref (live);
      g_signal_connect_object (live, "notify::status", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      follow_generation (self, live);
    }
  else
    {
      /* Hidden until the stored clip says there is one. */
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      admint_generation_read_clips_async (store, id, index, self->cancellable, on_read,
                                          g_object_ref (self));
    }
  return GTK_WIDGET (self);
}

GtkProgressBar *
admint_clip_card_get_bar (AdmintClipCard *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP_CARD (self), NULL);
  return self->bar;
}

GtkLabel *
admint_clip_card_get_label (AdmintClipCard *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP_CARD (self), NULL);
  return self->label;
}

GtkButton *
admint_clip_card_get_regenerate (AdmintClipCard *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP_CARD (self), NULL);
  return self->regenerate;
}

AdmintClip *
admint_clip_card_get_clip (AdmintClipCard *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP_CARD (self), NULL);
  return self->clip;
}
