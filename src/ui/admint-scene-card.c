/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenes card in the chat: each scene with Edit (its text and duration in place, Save and
 * Cancel) and Regenerate. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-ui-util.h"
#include "admint-redo.h"
#include "admint-scene-card.h"

/* One scene's widgets. */
typedef struct {
  AdmintSceneCard *card;     /* borrowed */
  int              index;
  GtkStack        *stack;    /* "view" and "edit" */
  GtkButton       *edit;
  GtkButton       *regenerate;
  GtkEntry        *text;
  GtkSpinButton   *duration;
  GtkButton       *save;
  GtkButton       *cancel;
  char            *description;
  double           seconds;
} SceneRow;

struct _AdmintSceneCard
{
  GtkBox            parent_instance;

  AdmintStore      *store;
  char             *id;
  AdmintGeneration *live;
  GPtrArray        *rows;    /* SceneRow */
  GtkLabel         *note;
  gboolean          busy;
};

G_DEFINE_FINAL_TYPE (AdmintSceneCard, admint_scene_card, GTK_TYPE_BOX)

static void
scene_row_free (SceneRow *row)
{
  g_free (row->description);
  g_free (row);
}

static GtkButton *
new_button (const char *text,
            const char *accessible_name,
            gboolean    flat)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (text);

  if (flat)
    gtk_widget_add_css_class (button, "flat");
  /* The mnemonic label makes itself the button's name (labelled-by wins over a label): said
   * "Edit" for every scene. The name says which scene instead. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  return GTK_BUTTON (button);
}

/* Edits and remakes wait while a stage of this ad runs (they need a finished ad, or the scenes
 * waiting for approval). */
static void
update_sensitive (AdmintSceneCard *self)
{
  AdmintGeneration *gen = self->live;
  gboolean idle = gen == NULL || admint_generation_is_done (gen) ||
                  admint_generation_get_waiting_for (gen) == ADMINT_GENERATION_WAIT_SCENES;

  for (guint i = 0; i < self->rows->len; i++)
    {
      SceneRow *row = g_ptr_array_index (self->rows, i);
      gtk_widget_set_sensitive (GTK_WIDGET (row->edit), idle && !self->busy);
      gtk_widget_set_sensitive (GTK_WIDGET (row->regenerate), idle && !self->busy);
      if (row->save != NULL)
        gtk_widget_set_sensitive (GTK_WIDGET (row->save), !self->busy);
    }
}

static void
on_done (GError   *error,
         gpointer  user_data)
{
  g_autoptr(AdmintSceneCard) self = user_data;

  self->busy = FALSE;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->note, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->note), TRUE);
    }
  update_sensitive (self);
}

static void
start (AdmintSceneCard *self,
       SceneRow        *row,
       const char      *text,
       double           duration)
{
  self->busy = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  update_sensitive (self);
  admint_redo_start (GTK_WIDGET (self), self->store, self->id, self->live, row->index, text,
                     duration, on_done, g_object_ref (self));
}

static GtkWidget *build_editor (SceneRow *row);

static void
on_edit (SceneRow *row)
{
  /* Made on the first Edit: a card of many scenes holds no editors nobody opened. */
  if (row->text == NULL)
    gtk_stack_add_named (row->stack, build_editor (row), "edit");
  gtk_editable_set_text (GTK_EDITABLE (row->text), row->description);
  gtk_spin_button_set_value (row->duration, row->seconds);
  gtk_stack_set_visible_child_name (row->stack, "edit");
  gtk_widget_grab_focus (GTK_WIDGET (row->text));
}

static void
on_cancel (SceneRow *row)
{
  gtk_stack_set_visible_child_name (row->stack, "view");
  gtk_widget_grab_focus (GTK_WIDGET (row->edit));
}

static void
on_save (SceneRow *row)
{
  AdmintSceneCard *self = row->card;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->text))));
  double seconds = gtk_spin_button_get_value (row->duration);

  if (self->busy)
    return;
  if (*text == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("Scene %d needs a text: say what it shows."),
                                                  row->index + 1);
      gtk_label_set_text (self->note, message);
      gtk_widget_set_visible (GTK_WIDGET (self->note), TRUE);
      return;
    }
  gtk_stack_set_visible_child_name (row->stack, "view");
  /* Only what changed: an unchanged text or duration is not sent. */
  start (self, row, g_strcmp0 (text, row->description) != 0 ? text : NULL,
         ABS (seconds - row->seconds) > 0.01 ? seconds : -1);
}

static void
on_regenerate (SceneRow *row)
{
  AdmintSceneCard *self = row->card;

  if (self->busy)
    return;
  /* Before the clips exist, the writer rewrites the scene; after, its clip is made again. */
  if (self->live != NULL &&
      admint_generation_get_waiting_for (self->live) == ADMINT_GENERATION_WAIT_SCENES)
    {
      g_autofree char *reply = g_strdup_printf ("regenerate scene %d", row->index + 1);
      admint_generation_reply (self->live, reply);
      return;
    }
  start (self, row, NULL, -1);
}

static GtkWidget *
build_view (SceneRow   *row,
            JsonObject *scene)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *on_screen = json_object_get_string_member_with_default (scene, "on_screen_text",
                                                                      NULL);
  gint64 version = json_object_get_int_member_with_default (scene, "version", 1);
  g_autofree char *markup = version > 1
    ? g_markup_printf_escaped (_("<b>%d.</b>  %s (%.0f s, version %ld)"), row->index + 1,
                               row->description, row->seconds, (long) version)
    : g_markup_printf_escaped (_("<b>%d.</b>  %s (%.0f s)"), row->index + 1, row->description,
                               row->seconds);
  g_autofree char *edit_name = g_strdup_printf (_("Edit scene %d"), row->index + 1);
  g_autofree char *regen_name = g_strdup_printf (_("Regenerate scene %d"), row->index + 1);
  GtkWidget *line = admint_ui_wrapped_label_new (NULL, NULL);

  gtk_label_set_markup (GTK_LABEL (line), markup);
  gtk_box_append (GTK_BOX (box), line);
  if (on_screen != NULL && *on_screen != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("On screen: “%s”"), on_screen);
      gtk_box_append (GTK_BOX (box), admint_ui_wrapped_label_new (text, "caption"));
    }
  row->edit = new_button (_("_Edit"), edit_name, TRUE);
  row->regenerate = new_button (_("_Regenerate"), regen_name, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->edit), _("Change the scene’s text and length"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->regenerate),
                               _("Make this scene’s clip again (before the clips: write the "
                                 "scene again)"));
  g_signal_connect_swapped (row->edit, "clicked", G_CALLBACK (on_edit), row);
  g_signal_connect_swapped (row->regenerate, "clicked", G_CALLBACK (on_regenerate), row);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (row->edit));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (row->regenerate));
  gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

static GtkWidget *
build_editor (SceneRow *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *length = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *text_name = g_strdup_printf (_("Text of scene %d"), row->index + 1);
  g_autofree char *duration_name = g_strdup_printf (_("Length of scene %d in seconds"),
                                                    row->index + 1);
  g_autofree char *save_name = g_strdup_printf (_("Save scene %d"), row->index + 1);
  g_autofree char *cancel_name = g_strdup_printf (_("Cancel editing scene %d"), row->index + 1);
  GtkWidget *seconds = admint_ui_wrapped_label_new (_("Seconds"), "dim-label");

  row->text = GTK_ENTRY (gtk_entry_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text_name, -1);
  g_signal_connect_swapped (row->text, "activate", G_CALLBACK (on_save), row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->text));

  row->duration = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 60, 0.5));
  gtk_spin_button_set_digits (row->duration, 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->duration), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  duration_name, -1);
  gtk_box_append (GTK_BOX (length), GTK_WIDGET (row->duration));
  gtk_box_append (GTK_BOX (length), seconds);
  gtk_box_append (GTK_BOX (box), length);

  row->save = new_button (_("_Save"), save_name, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (row->save), "suggested-action");
  row->cancel = new_button (_("_Cancel"), cancel_name, FALSE);
  g_signal_connect_swapped (row->save, "clicked", G_CALLBACK (on_save), row);
  g_signal_connect_swapped (row->cancel, "clicked", G_CALLBACK (on_cancel), row);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (row->cancel));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (row->save));
  gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

static void
admint_scene_card_dispose (GObject *object)
{
  AdmintSceneCard *self = ADMINT_SCENE_CARD (object);

  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_object (&self->live);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (admint_scene_card_parent_class)->dispose (object);
}

static void
admint_scene_card_finalize (GObject *object)
{
  AdmintSceneCard *self = ADMINT_SCENE_CARD (object);

  g_free (self->id);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (admint_scene_card_parent_class)->finalize (object);
}

static void
admint_scene_card_class_init (AdmintSceneCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = admint_scene_card_dispose;
  object_class->finalize = admint_scene_card_finalize;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
admint_scene_card_init (AdmintSceneCard *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) scene_row_free);
}

GtkWidget *
admint_scene_card_new (JsonArray        *scenes,
                       AdmintStore      *store,
                       const char       *id,
                       AdmintGeneration *live)
{
  AdmintSceneCard *self;
  GtkWidget *heading;

  g_return_val_if_fail (scenes != NULL, NULL);
  g_return_val_if_fail (ADMINT_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (ADMINT_TYPE_SCENE_CARD, "orientation", GTK_ORIENTATION_VERTICAL,
                       "spacing", 6, NULL);
  self->store = g_object_ref (store);
  self->id = g_strdup (id);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self), "chat-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Scenes"), -1);
  heading = admint_ui_wrapped_label_new (_("Scenes"), "heading");
  gtk_box_append (GTK_BOX (self), heading);

  for (guint i = 0; i < json_array_get_length (scenes); i++)
    {
      JsonNode *node = json_array_get_element (scenes, i);
      JsonObject *scene = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      SceneRow *row = g_new0 (SceneRow, 1);

      if (scene == NULL)
        {
          g_free (row);
          continue;
        }
      row->card = self;
      row->index = (int) i;
      row->description = g_strdup (json_object_get_string_member_with_default (
        scene, "description", ""));
      row->seconds = json_object_get_double_member_with_default (scene, "duration", 0);
      g_ptr_array_add (self->rows, row);
      row->stack = GTK_STACK (gtk_stack_new ());
      gtk_stack_set_vhomogeneous (row->stack, FALSE);
      gtk_stack_set_interpolate_size (row->stack, TRUE);
      gtk_stack_add_named (row->stack, build_view (row, scene), "view");
      gtk_stack_set_visible_child_name (row->stack, "view");
      gtk_box_append (GTK_BOX (self), GTK_WIDGET (row->stack));
    }
  self->note = GTK_LABEL (admint_ui_wrapped_label_new (NULL, "error"));
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->note));

  if (live != NULL)
    {
      self->live = g_object_ref (live);
      g_signal_connect_swapped (live, "notify::status", G_CALLBACK (update_sensitive), self);
      g_signal_connect_swapped (live, "notify::waiting-for", G_CALLBACK (update_sensitive), self);
    }
  update_sensitive (self);
  return GTK_WIDGET (self);
}

static SceneRow *
row_at (AdmintSceneCard *self,
        int              index)
{
  g_return_val_if_fail (index >= 0 && (guint) index < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, index);
}

GtkButton *
admint_scene_card_get_edit (AdmintSceneCard *self,
                            int              index)
{
  g_return_val_if_fail (ADMINT_IS_SCENE_CARD (self), NULL);
  return row_at (self, index)->edit;
}

GtkButton *
admint_scene_card_get_regenerate (AdmintSceneCard *self,
                                  int              index)
{
  g_return_val_if_fail (ADMINT_IS_SCENE_CARD (self), NULL);
  return row_at (self, index)->regenerate;
}

GtkEditable *
admint_scene_card_get_text (AdmintSceneCard *self,
                            int              index)
{
  g_return_val_if_fail (ADMINT_IS_SCENE_CARD (self), NULL);
  return GTK_EDITABLE (row_at (self, index)->text);
}

GtkSpinButton *
admint_scene_card_get_duration (AdmintSceneCard *self,
                                int              index)
{
  g_return_val_if_fail (ADMINT_IS_SCENE_CARD (self), NULL);
  return row_at (self, index)->duration;
}

GtkButton *
admint_scene_card_get_save (AdmintSceneCard *self,
                            int              index)
{
  g_return_val_if_fail (ADMINT_IS_SCENE_CARD (self), NULL);
  return row_at (self, index)->save;
}

gboolean
admint_scene_card_get_busy (AdmintSceneCard *self)
{
  g_return_val_if_fail (ADMINT_IS_SCENE_CARD (self), FALSE);
  return self->busy;
}
