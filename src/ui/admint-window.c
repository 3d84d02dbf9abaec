/* The main window: ads in a sidebar, the current ad's conversation beside it. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "admint-chat-view.h"
#include "admint-config.h"
#include "admint-generation.h"
#include "admint-history-item.h"
#include "admint-provider-factory.h"
#include "admint-store.h"
#include "admint-window.h"
#include "admint-window-pages.h"

struct _AdmintWindow
{
  AdwApplicationWindow parent_instance;

  GSettings          *settings;

  AdwToastOverlay    *toast_overlay;
  AdwLeaflet         *leaflet;
  GtkWidget          *content;
  GtkStack           *sidebar_stack;
  GtkListView        *history_view;
  GtkStack           *content_stack;
  AdwWindowTitle     *content_title;
  AdwStatusPage      *status_page;
  GtkEntry           *brief_entry;
  GtkButton          *create_button;
  GtkLabel           *brief_error;
  AdmintChatView     *chat_view;
  GtkWidget          *stop_button;
  GtkWidget          *resume_button;
  GtkDropDown        *framework_dropdown;
  GtkFlowBox         *asset_chips;
  GtkStringList      *frameworks;
  GPtrArray          *assets;          /* AdmintAssetRow the next ad will use */
  guint               imports;         /* asset imports still running */

  AdmintStore        *store;
  GListStore         *history;
  GtkSingleSelection *selection;
  /* id -> AdmintGeneration still running in this window */
  GHashTable         *live;
  GBinding           *title_binding;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (AdmintWindow, admint_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_toast (AdmintWindow *self,
            const char   *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static AdmintHistoryItem *
find_item (AdmintWindow *self,
           const char   *id,
           guint        *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (self->history), i);
      if (g_strcmp0 (admint_history_item_get_id (item), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return item;
        }
    }
  return NULL;
}

static AdmintGeneration *
selected_live (AdmintWindow       *self,
               AdmintHistoryItem **item_out)
{
  AdmintHistoryItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item_out != NULL)
    *item_out = item;
  return item != NULL ? g_hash_table_lookup (self->live, admint_history_item_get_id (item))
                      : NULL;
}

/* Stop while the selected ad is being made; Resume when it stopped before it was done. */
static void
update_controls (AdmintWindow *self)
{
  AdmintHistoryItem *item = NULL;
  AdmintGeneration *live = selected_live (self, &item);
  gboolean can_stop = live != NULL && !admint_generation_is_done (live);
  gboolean can_resume = item != NULL && live == NULL && self->store != NULL &&
                        g_strcmp0 (admint_history_item_get_status (item), "completed") != 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-ad", can_stop);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume-ad", can_resume);
  gtk_widget_set_visible (self->stop_button, can_stop);
  gtk_widget_set_visible (self->resume_button, can_resume);
}

static void
update_sidebar_page (AdmintWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->history)) == 0;

  gtk_stack_set_visible_child_name (self->sidebar_stack, empty ? "empty" : "list");
}

/* ---- the history ------------------------------------------------------------------------- */

static void
on_history_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) rows = admint_store_list_generations_finish (ADMINT_STORE (source),
                                                                    result, &error);
  AdmintWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (rows == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot list your ads: %s"), error->message);
      show_toast (self, text);
      return;
    }

  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(AdmintGenerationRow) row = g_list_model_get_item (rows, i);
      /* One made in this window before the listing came back is already shown. */
      if (find_item (self, admint_generation_row_get_id (row), NULL) == NULL)
        g_ptr_array_add (items, admint_history_item_new (row));
    }
  g_list_store_splice (self->history, g_list_model_get_n_items (G_LIST_MODEL (self->history)), 0,
                       items->pdata, items->len);
}

static void
on_selection_changed (AdmintWindow *self)
{
  AdmintHistoryItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (self->title_binding != NULL)
    {
      g_binding_unbind (self->title_binding);
      self->title_binding = NULL;
    }
  update_controls (self);
  if (item == NULL)
    {
      adw_window_title_set_subtitle (self->content_title, NULL);
      return;
    }

  const char *id = admint_history_item_get_id (item);
  self->title_binding = g_object_bind_property (item, "subtitle", self->content_title, "subtitle",
                                                G_BINDING_SYNC_CREATE);
  if (g_strcmp0 (admint_chat_view_get_id (self->chat_view), id) != 0)
    admint_chat_view_show (self->chat_view, self->store, id, g_hash_table_lookup (self->live, id));
  gtk_stack_set_visible_child_name (self->content_stack, "chat");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* ---- a new generation -------------------------------------------------------------------- */

static void
on_stage_changed (AdmintWindow     *self,
                  const char       *stage,
                  AdmintGeneration *gen)
{
  AdmintHistoryItem *item = find_item (self, admint_generation_get_id (gen), NULL);

  if (item != NULL)
    admint_history_item_set_status (item, stage);
}

static void
on_score_ready (AdmintWindow     *self,
                int               clip_index,
                double            score,
                AdmintGeneration *gen)
{
  AdmintHistoryItem *item = find_item (self, admint_generation_get_id (gen), NULL);

  if (item != NULL && clip_index < 0)
    admint_history_item_set_quality_score (item, score);
}

static void
on_waiting_for_user (AdmintWindow     *self,
                     const char       *stage,
                     const char       *question,
                     AdmintGeneration *gen)
{
  AdmintHistoryItem *item = find_item (self, admint_generation_get_id (gen), NULL);

  g_object_set_data_full (G_OBJECT (gen), ADMINT_CHAT_VIEW_WAITING_KEY, g_strdup (stage), g_free);
  if (item != NULL)
    admint_history_item_set_waiting (item, TRUE);
}

static void
on_message_added (AdmintWindow     *self,
                  const char       *role,
                  const char       *kind,
                  const char       *body_json,
                  AdmintGeneration *gen)
{
  AdmintHistoryItem *item = find_item (self, admint_generation_get_id (gen), NULL);

  /* The user's reply ends the wait. */
  if (item != NULL && g_strcmp0 (role, "user") == 0)
    admint_history_item_set_waiting (item, FALSE);
}

static void
on_finished (AdmintWindow     *self,
             const char       *status,
             AdmintGeneration *gen)
{
  on_stage_changed (self, status, gen);
  if (find_item (self, admint_generation_get_id (gen), NULL) != NULL)
    admint_history_item_set_waiting (find_item (self, admint_generation_get_id (gen), NULL),
                                     FALSE);
  g_object_set_data (G_OBJECT (gen), ADMINT_CHAT_VIEW_WAITING_KEY, NULL);
  g_signal_handlers_disconnect_by_data (gen, self);
  /* From now on the store has all of it; a view showing it keeps its own reference. */
  g_hash_table_remove (self->live, admint_generation_get_id (gen));
  update_controls (self);
}

/* The window follows a generation it runs: its row in the sidebar and the controls. */
static void
watch_generation (AdmintWindow     *self,
                  AdmintGeneration *gen)
{
  g_hash_table_insert (self->live, g_strdup (admint_generation_get_id (gen)), g_object_ref (gen));
  g_signal_connect_swapped (gen, "stage-changed", G_CALLBACK (on_stage_changed), self);
  g_signal_connect_swapped (gen, "score-ready", G_CALLBACK (on_score_ready), self);
  g_signal_connect_swapped (gen, "waiting-for-user", G_CALLBACK (on_waiting_for_user), self);
  g_signal_connect_swapped (gen, "message-added", G_CALLBACK (on_message_added), self);
  g_signal_connect_swapped (gen, "finished", G_CALLBACK (on_finished), self);
}

static void
stop_ad_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AdmintGeneration *live = selected_live (ADMINT_WINDOW (widget), NULL);

  if (live != NULL)
    admint_generation_cancel (live);
}

static void
on_resume_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AdmintWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stored = admint_store_get_generation_finish (ADMINT_STORE (source), result,
                                                                  &error);
  g_autoptr(AdmintConfig) config = NULL;
  g_auto(AdmintProviderSet) providers = { 0 };
  g_autoptr(AdmintGeneration) gen = NULL;

  if (stored == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  /* The settings it started with, as `admint resume` does. */
  JsonObject *obj = json_node_get_object (stored);
  JsonNode *snap = json_object_get_member (obj, "config");
  if (snap != NULL && JSON_NODE_HOLDS_OBJECT (snap) &&
      json_object_has_member (json_node_get_object (snap), "config"))
    {
      g_autofree char *text = json_to_string (json_object_get_member (json_node_get_object (snap),
                                                                      "config"), FALSE);
      config = admint_config_load_snapshot (text, &error);
    }
  else
    config = admint_config_load (NULL, &error);

  const char *id = json_object_get_string_member (obj, "id");
  if (config == NULL || !admint_provider_set_init (&providers, config, self->store, &error))
    {
      show_toast (self, error->message);
      return;
    }
  gen = admint_generation_new (self->store, config, providers.llm, providers.images,
                               providers.video);
  admint_generation_set_mode (gen, ADMINT_GENERATION_INTERACTIVE);
  if (!admint_generation_load (gen, id, &error))
    {
      show_toast (self, error->message);
      return;
    }
  watch_generation (self, gen);
  AdmintHistoryItem *item = find_item (self, id, NULL);
  if (item != NULL)
    admint_history_item_set_status (item, admint_generation_get_status (gen));
  /* Show it again, now attached to the running generation. */
  AdmintHistoryItem *selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected != NULL && g_strcmp0 (admint_history_item_get_id (selected), id) == 0)
    admint_chat_view_show (self->chat_view, self->store, id, gen);
  update_controls (self);
  admint_generation_run (gen);
}

static void
resume_ad_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);
  AdmintHistoryItem *item = NULL;

  if (selected_live (self, &item) != NULL || item == NULL || self->store == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "win.resume-ad", FALSE);
  admint_store_get_generation_async (self->store, admint_history_item_get_id (item),
                                     self->cancellable, on_resume_loaded, g_object_ref (self));
}

static void
show_brief_error (AdmintWindow *self,
                  const char   *message)
{
  gtk_label_set_text (self->brief_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->brief_error), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->brief_entry), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->brief_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->brief_entry),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
  /* The line under the entry says it where the user looks; no toast on top (dismissing a
   * toast early crashes libadwaita 1.2 while it animates in). */
}

static void
hide_brief_error (AdmintWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->brief_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->brief_entry), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->brief_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Describe the product, the audience and the length of the ad"),
                                  -1);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (self->brief_entry), GTK_ACCESSIBLE_STATE_INVALID);
}

static void
on_brief_changed (AdmintWindow *self)
{
  gboolean has_text = gtk_entry_get_text_length (self->brief_entry) > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), has_text);
  if (gtk_widget_get_visible (GTK_WIDGET (self->brief_error)))
    hide_brief_error (self);
}

/* ---- the assets and framework of the next ad ---------------------------------------------- */

static void refresh_asset_chips (AdmintWindow *self);

static void
on_remove_asset (GtkButton    *button,
                 AdmintWindow *self)
{
  AdmintAssetRow *row = g_object_get_data (G_OBJECT (button), "asset");

  g_ptr_array_remove (self->assets, row);
  refresh_asset_chips (self);
}

/* One chip a kept asset: its name, its kind, and a button to take it out again. */
static void
refresh_asset_chips (AdmintWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->asset_chips))) != NULL)
    gtk_flow_box_remove (self->asset_chips, child);
  for (guint i = 0; i < self->assets->len; i++)
    {
      AdmintAssetRow *row = g_ptr_array_index (self->assets, i);
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      g_autofree char *text = g_strdup_printf ("%s (%s)", admint_asset_row_get_original_name (row),
                                               admint_asset_row_get_kind (row));
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
      g_autofree char *remove_name = g_strdup_printf (_("Remove %s"),
                                                      admint_asset_row_get_original_name (row));

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_margin_start (label, 10);
      gtk_widget_set_margin_end (remove, 4);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_tooltip_text (remove, remove_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      g_object_set_data (G_OBJECT (remove), "asset", row);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_asset), self);
      gtk_box_append (GTK_BOX (chip), label);
      gtk_box_append (GTK_BOX (chip), remove);
      gtk_widget_add_css_class (chip, "card");
      gtk_flow_box_append (self->asset_chips, chip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->asset_chips), self->assets->len > 0);
}

static void
on_asset_imported (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AdmintWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = FALSE;
  AdmintAssetRow *row = admint_store_import_asset_finish (ADMINT_STORE (source), result,
                                                         &duplicate, &error);

  self->imports--;
  if (row == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_brief_error (self, error->message);
      return;
    }
  /* The same file twice is one asset. */
  for (guint i = 0; i < self->assets->len; i++)
    if (admint_asset_row_get_id (g_ptr_array_index (self->assets, i)) ==
        admint_asset_row_get_id (row))
      {
        g_object_unref (row);
        return;
      }
  g_ptr_array_add (self->assets, row);
  refresh_asset_chips (self);
}

void
admint_window_add_asset_files (AdmintWindow *self,
                               GListModel   *files)
{
  g_autoptr(AdmintConfig) config = NULL;
  AdmintAssetLimits limits = { 0, 0 };

  g_return_if_fail (ADMINT_IS_WINDOW (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  if (self->store == NULL)
    return;
  config = admint_config_load (NULL, NULL);
  if (config != NULL)
    {
      limits.max_file_bytes = admint_config_get_int (config, "limits.asset_max_bytes");
      limits.max_generation_bytes = admint_config_get_int (config,
                                                           "limits.generation_assets_max_bytes");
    }
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *base = g_file_get_basename (file);
      g_autofree char *lower = base ? g_utf8_strdown (base, -1) : NULL;
      /* A picture named like a logo is the logo; the rest is as its type says. */
      const char *kind = lower != NULL && strstr (lower, "logo") != NULL &&
                         !g_str_has_suffix (lower, ".mp3") && !g_str_has_suffix (lower, ".ogg") &&
                         !g_str_has_suffix (lower, ".wav") && !g_str_has_suffix (lower, ".flac") &&
                         !g_str_has_suffix (lower, ".m4a")
                         ? "logo" : NULL;

      if (path == NULL)
        continue;
      self->imports++;
      admint_store_import_asset_async (self->store, path, kind, NULL, &limits,
                                       self->cancellable, on_asset_imported,
                                       g_object_ref (self));
    }
}

guint
admint_window_get_n_assets (AdmintWindow *self)
{
  g_return_val_if_fail (ADMINT_IS_WINDOW (self), 0);
  return self->imports > 0 ? 0 : self->assets->len;
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     AdmintWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      admint_window_add_asset_files (self, files);
    }
  g_object_unref (dialog);
}

static void
on_add_assets (AdmintWindow *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Add Photos, a Logo or Music"),
                                                               GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Add"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Images and music"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "image/svg+xml");
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_files_dropped (GtkDropTarget *target,
                  const GValue  *value,
                  double         x,
                  double         y,
                  AdmintWindow  *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  for (GSList *l = list; l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  admint_window_add_asset_files (self, G_LIST_MODEL (files));
  return TRUE;
}

static void
on_create (AdmintWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = NULL;
  g_auto(AdmintProviderSet) providers = { 0 };
  g_autoptr(AdmintGeneration) gen = NULL;
  const char *brief = gtk_editable_get_text (GTK_EDITABLE (self->brief_entry));

  if (self->store == NULL)
    {
      show_brief_error (self, _("The library of ads could not be opened, so a new ad cannot be "
                              "saved. Restart Ad Mint; the log says why it failed."));
      return;
    }
  config = admint_config_load (NULL, &error);
  if (config == NULL || !admint_provider_set_init (&providers, config, self->store, &error))
    {
      show_brief_error (self, error->message);
      return;
    }
  gen = admint_generation_new (self->store, config, providers.llm, providers.images,
                               providers.video);
  admint_generation_set_mode (gen, ADMINT_GENERATION_INTERACTIVE);
  const char *framework = gtk_string_list_get_string (
    self->frameworks, gtk_drop_down_get_selected (self->framework_dropdown));
  if (!admint_generation_create (gen, brief, framework, self->assets, &error))
    {
      show_brief_error (self, error->message);
      return;
    }

  const char *id = admint_generation_get_id (gen);
  watch_generation (self, gen);

  g_autoptr(AdmintHistoryItem) item = admint_history_item_new_for (id, brief,
                                                                   admint_generation_get_status (gen));
  g_list_store_insert (self->history, 0, item);
  gtk_editable_set_text (GTK_EDITABLE (self->brief_entry), "");
  hide_brief_error (self);
  g_ptr_array_set_size (self->assets, 0);
  refresh_asset_chips (self);
  /* Selecting it shows its conversation, listening to the generation from the start. */
  gtk_single_selection_set_selected (self->selection, 0);
  update_controls (self);
  admint_generation_run (gen);
}

static void
on_back_clicked (AdmintWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
new_ad_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  admint_chat_view_clear (self->chat_view);
  gtk_stack_set_visible_child_name (self->content_stack, "new");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  gtk_editable_set_text (GTK_EDITABLE (self->brief_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->brief_entry));
}

/* The ad the window shows, for win.export. */
static const char *
current_ad_id (GtkWindow *window)
{
  AdmintHistoryItem *item = gtk_single_selection_get_selected_item (ADMINT_WINDOW (window)->selection);

  return item != NULL ? admint_history_item_get_id (item) : NULL;
}

static void
save_window_state (AdmintWindow *self)
{
  int width, height;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  /* Keep the last unmaximized size, so un-maximizing next time restores something sensible. */
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
}

static gboolean
admint_window_close_request (GtkWindow *window)
{
  save_window_state (ADMINT_WINDOW (window));
  return GTK_WINDOW_CLASS (admint_window_parent_class)->close_request (window);
}

static void
admint_window_dispose (GObject *object)
{
  AdmintWindow *self = ADMINT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->live != NULL)
    {
      GHashTableIter iter;
      gpointer gen;
      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &gen))
        {
          g_signal_handlers_disconnect_by_data (gen, self);
          admint_generation_cancel (gen);
        }
      g_clear_pointer (&self->live, g_hash_table_unref);
    }
  if (self->title_binding != NULL)
    {
      g_binding_unbind (self->title_binding);
      self->title_binding = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->history);
  g_clear_object (&self->frameworks);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (admint_window_parent_class)->dispose (object);
}

static void
admint_window_class_init (AdmintWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = admint_window_dispose;
  window_class->close_request = admint_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/admint/AdMint/ui/admint-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, content);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, history_view);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, brief_entry);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, create_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, brief_error);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, chat_view);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, framework_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, asset_chips);
  gtk_widget_class_bind_template_callback (widget_class, on_add_assets);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, resume_button);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_create);
  gtk_widget_class_bind_template_callback (widget_class, on_brief_changed);

  g_type_ensure (ADMINT_TYPE_CHAT_VIEW);
  g_type_ensure (ADMINT_TYPE_HISTORY_ITEM);

  gtk_widget_class_install_action (widget_class, "win.new-ad", NULL, new_ad_action);
  gtk_widget_class_install_action (widget_class, "win.stop-ad", NULL, stop_ad_action);
  gtk_widget_class_install_action (widget_class, "win.resume-ad", NULL, resume_ad_action);
}

static void
admint_window_init (AdmintWindow *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->history = g_list_store_new (ADMINT_TYPE_HISTORY_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->history)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->history_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "items-changed",
                           G_CALLBACK (update_sidebar_page), self, G_CONNECT_SWAPPED);
  update_sidebar_page (self);
  update_controls (self);

  /* The frameworks the config knows, AIDA first (the default). */
  self->assets = g_ptr_array_new_with_free_func (g_object_unref);
  self->frameworks = gtk_string_list_new (NULL);
  {
    g_autoptr(AdmintConfig) config = admint_config_load (NULL, NULL);
    g_autoptr(GPtrArray) names = config ? admint_config_list_frameworks (config) : NULL;
    gtk_string_list_append (self->frameworks, "AIDA");
    for (guint i = 0; names != NULL && i < names->len; i++)
      if (g_ascii_strcasecmp (g_ptr_array_index (names, i), "AIDA") != 0)
        gtk_string_list_append (self->frameworks, g_ptr_array_index (names, i));
  }
  gtk_drop_down_set_model (self->framework_dropdown, G_LIST_MODEL (self->frameworks));

  /* Files dropped anywhere on the new-ad page become assets of the next ad. */
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_files_dropped), self);
  gtk_widget_add_controller (GTK_WIDGET (self->status_page), GTK_EVENT_CONTROLLER (drop));

  self->store = admint_store_open (NULL, &error);
  if (self->store == NULL)
    {
      g_warning ("Cannot open the library of ads: %s", error->message);
      show_toast (self, error->message);
    }
  else
    admint_store_list_generations_async (self->store, 0, -1, self->cancellable,
                                         on_history_listed, self);

  /* The Library and Usage pages beside the ads, and win.export. */
  admint_window_pages_install (ADW_APPLICATION_WINDOW (self), self->toast_overlay, self->store,
                               current_ad_id,
                               (AdmintNewAdFilesFunc) admint_window_add_asset_files);

  self->settings = g_settings_new (BASE_APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

AdmintWindow *
admint_window_new (AdmintApplication *application)
{
  g_return_val_if_fail (ADMINT_IS_APPLICATION (application), NULL);

  return g_object_new (ADMINT_TYPE_WINDOW, "application", application, NULL);
}
