/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: ads in a sidebar, the current ad's conversation beside it. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "admint-chat-view.h"
#include "admint-compare-view.h"
#include "admint-history-item.h"
#include "admint-history-row.h"
#include "admint-studio.h"
#include "admint-window.h"
#include "admint-ui-util.h"
#include "admint-window-pages.h"

struct _AdmintWindow
{
  AdwApplicationWindow parent_instance;

  GSettings          *settings;

  AdwToastOverlay    *toast_overlay;
  AdwLeaflet         *leaflet;
  GtkWidget          *content;
  GtkWidget          *sidebar;
  GtkStack           *sidebar_stack;
  GtkListView        *history_view;
  GtkStack           *content_stack;
  AdwWindowTitle     *content_title;
  AdwStatusPage      *status_page;
  GtkEntry           *brief_entry;
  GtkButton          *create_button;
  GtkLabel           *brief_error;
  AdmintChatView     *chat_view;
  AdmintCompareView  *compare_view;
  GtkSearchBar       *search_bar;
  GtkToggleButton    *search_button;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_filter;
  GtkWidget          *stop_button;
  GtkWidget          *resume_button;
  GtkDropDown        *framework_dropdown;
  GtkDropDown        *variants_dropdown;
  GtkFlowBox         *asset_chips;
  GtkStringList      *frameworks;
  GPtrArray          *assets;          /* AdmintAssetRow the next ad will use */
  guint               imports;         /* asset imports still running */

  /* Where ads are started and resumed; NULL when the library cannot be opened. */
  AdmintStudio       *studio;
  AdmintStore        *store;
  GListStore         *history;         /* AdmintHistoryItem, each with its running generation */
  GListStore         *shown;           /* the history's items the search and filter let through */
  GtkSingleSelection *selection;
  GHashTable         *deleted;         /* id -> DeletedAd: deleted ads the toast can bring back */
  char               *restore_id;      /* the ad selected last time, until the listing has it */
  char               *renaming_id;     /* the ad the Rename dialog is open for */
  GBinding           *title_binding;
  GBinding           *name_binding;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (AdmintWindow, admint_window, ADW_TYPE_APPLICATION_WINDOW)

/* A deleted ad while its Undo toast lasts: the item and where it was. */
typedef struct
{
  AdmintHistoryItem *item;
  guint              position;
} DeletedAd;

static void
deleted_ad_free (DeletedAd *d)
{
  g_clear_object (&d->item);
  g_free (d);
}

static void
show_toast (AdmintWindow *self,
            const char   *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 8);
  admint_ui_add_toast (self->toast_overlay, toast);
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

/* The selected ad's generation while it runs in this window. */
static AdmintGeneration *
selected_live (AdmintWindow       *self,
               AdmintHistoryItem **item_out)
{
  AdmintHistoryItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item_out != NULL)
    *item_out = item;
  return item != NULL && admint_history_item_is_running (item)
         ? admint_history_item_get_generation (item) : NULL;
}

/* Stop while the selected ad is being made; Resume when it stopped before it was done. */
static void
update_controls (AdmintWindow *self)
{
  AdmintHistoryItem *item = NULL;
  AdmintGeneration *live = selected_live (self, &item);
  gboolean can_stop = live != NULL;
  gboolean can_resume = item != NULL && live == NULL && self->studio != NULL &&
                        admint_history_item_get_status (item) != ADMINT_GENERATION_STATUS_COMPLETED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-ad", can_stop);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume-ad", can_resume);
  gtk_widget_set_visible (self->stop_button, can_stop);
  gtk_widget_set_visible (self->resume_button, can_resume);
}

static void
update_sidebar_page (AdmintWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->history)) == 0;
  gboolean none_shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0;

  gtk_stack_set_visible_child_name (self->sidebar_stack,
                                    empty ? "empty" : none_shown ? "no-match" : "list");
}

/* ---- search and status filter ------------------------------------------------------------ */

enum {
  FILTER_ALL,
  FILTER_FINISHED,
  FILTER_RUNNING,
  FILTER_STOPPED,
};

static gboolean
history_filter (AdmintWindow      *self,
                AdmintHistoryItem *ad,
                const char        *folded)
{
  AdmintGenerationStatus status = admint_history_item_get_status (ad);
  gboolean finished = status == ADMINT_GENERATION_STATUS_COMPLETED;
  gboolean stopped = status == ADMINT_GENERATION_STATUS_PARTIAL ||
                     status == ADMINT_GENERATION_STATUS_FAILED ||
                     status == ADMINT_GENERATION_STATUS_CANCELLED;
  gboolean running = admint_history_item_is_running (ad) ||
                     (!finished && !stopped && admint_history_item_get_generation (ad) != NULL);

  switch (gtk_drop_down_get_selected (self->status_filter))
    {
    case FILTER_FINISHED:
      if (!finished)
        return FALSE;
      break;
    case FILTER_RUNNING:
      if (!running)
        return FALSE;
      break;
    case FILTER_STOPPED:
      /* An ad left half made by a closed app counts as stopped too. */
      if (finished || running)
        return FALSE;
      break;
    default:
      break;
    }
  return admint_history_item_matches (ad, folded);
}

/* Brings the shown list in line with the history and the filter, item by item, so that rows
 * that stay (and the selection) are left alone. Both lists keep the history's order. */
static void
refilter (AdmintWindow *self)
{
  GListModel *all = G_LIST_MODEL (self->history);
  GListModel *shown = G_LIST_MODEL (self->shown);
  guint n = g_list_model_get_n_items (all);
  g_autoptr(GHashTable) present = g_hash_table_new (NULL, NULL);
  g_autofree char *folded = g_utf8_casefold (gtk_editable_get_text (
                                               GTK_EDITABLE (self->search_entry)), -1);
  guint j = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (all, i);
      g_hash_table_add (present, item);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (all, i);
      gboolean keep = history_filter (self, item, folded);
      g_autoptr(GObject) at = NULL;

      /* Gone from the history altogether. */
      while ((at = g_list_model_get_item (shown, j)) != NULL &&
             !g_hash_table_contains (present, at))
        {
          g_list_store_remove (self->shown, j);
          g_clear_object (&at);
        }
      if (at == (GObject *) item)
        {
          if (keep)
            j++;
          else
            g_list_store_remove (self->shown, j);
        }
      else if (keep)
        g_list_store_insert (self->shown, j++, item);
    }
  if (g_list_model_get_n_items (shown) > j)
    g_list_store_splice (self->shown, j, g_list_model_get_n_items (shown) - j, NULL, 0);
  update_sidebar_page (self);
}

static void
on_search_changed (AdmintWindow *self)
{
  refilter (self);
}

static void
on_stop_search (AdmintWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->search_button, FALSE);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);

  /* The list is the sidebar: on a narrow window, go back to it. */
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Shows every ad again (a new one must be seen). */
static void
clear_search (AdmintWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->status_filter, FILTER_ALL);
  gtk_toggle_button_set_active (self->search_button, FALSE);
  on_search_changed (self);
}

/* Selects ad ID in the sidebar (showing every ad if the search hides it); FALSE if unknown. */
static gboolean
select_ad (AdmintWindow *self,
           const char   *id)
{
  guint n;

  if (find_item (self, id, NULL) == NULL)
    return FALSE;
  for (int attempt = 0; attempt < 2; attempt++)
    {
      n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (self->shown),
                                                                     i);
          if (g_strcmp0 (admint_history_item_get_id (item), id) == 0)
            {
              gtk_single_selection_set_selected (self->selection, i);
              return TRUE;
            }
        }
      clear_search (self);
    }
  return FALSE;
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

  /* The ad that was open when the window was last closed. */
  if (self->restore_id != NULL &&
      gtk_single_selection_get_selected_item (self->selection) == NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "new") == 0 &&
      gtk_editable_get_text (GTK_EDITABLE (self->brief_entry))[0] == '\0')
    select_ad (self, self->restore_id);
  g_clear_pointer (&self->restore_id, g_free);
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
  if (self->name_binding != NULL)
    {
      g_binding_unbind (self->name_binding);
      self->name_binding = NULL;
    }
  update_controls (self);
  if (item == NULL)
    {
      /* Filtered out of sight keeps the ad on screen; only a real "no ad" clears the header. */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "chat") != 0)
        {
          adw_window_title_set_title (self->content_title, _("Ad Mint"));
          adw_window_title_set_subtitle (self->content_title, NULL);
        }
      return;
    }

  const char *id = admint_history_item_get_id (item);
  /* The header says which ad this is: its name, else its brief. */
  self->name_binding = g_object_bind_property (item, "title", self->content_title, "title",
                                               G_BINDING_SYNC_CREATE);
  self->title_binding = g_object_bind_property (item, "subtitle", self->content_title, "subtitle",
                                                G_BINDING_SYNC_CREATE);
  g_settings_set_string (self->settings, "selected-ad", id);
  admint_compare_view_pause (self->compare_view);
  if (g_strcmp0 (admint_chat_view_get_id (self->chat_view), id) != 0)
    admint_chat_view_show (self->chat_view, self->store, id,
                           admint_history_item_get_generation (item));
  gtk_stack_set_visible_child_name (self->content_stack, "chat");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* ---- a new generation -------------------------------------------------------------------- */

/* Says that an ad is done: a desktop notification when the window is in the background (a
 * click opens the ad), a toast with Open when the user is looking. */
static void
tell_finished (AdmintWindow           *self,
               AdmintGenerationStatus  status,
               AdmintGeneration       *gen)
{
  const char *id = admint_generation_get_id (gen);
  AdmintHistoryItem *item = find_item (self, id, NULL);
  const char *title = item != NULL ? admint_history_item_get_title (item) : NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *headline = admint_application_get_done_headline (status);

  if (headline == NULL ||
      (!gtk_window_is_active (GTK_WINDOW (self)) && ADMINT_IS_APPLICATION (app) &&
       admint_application_notify_done (ADMINT_APPLICATION (app), id, title, status)))
    return;

  g_autofree char *text = title != NULL ? g_strdup_printf ("%s: “%s”", headline, title)
                                        : g_strdup (headline);
  AdwToast *toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_button_label (toast, _("Open"));
  adw_toast_set_action_name (toast, "app.show-ad");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  admint_ui_add_toast (self->toast_overlay, toast);
}

static void
on_finished (AdmintWindow           *self,
             AdmintGenerationStatus  status,
             AdmintGeneration       *gen)
{
  update_controls (self);
  /* Its status may have moved it in or out of the status filter. */
  if (gtk_drop_down_get_selected (self->status_filter) != FILTER_ALL)
    on_search_changed (self);
  tell_finished (self, status, gen);
}

/* The window follows a generation it runs: its item in the sidebar (which follows the
 * generation's properties) and the Stop and Resume controls. */
static void
watch_generation (AdmintWindow     *self,
                  AdmintGeneration *gen)
{
  AdmintHistoryItem *item = find_item (self, admint_generation_get_id (gen), NULL);

  if (item == NULL)
    {
      g_autoptr(AdmintHistoryItem) created = admint_history_item_new_for (gen);
      g_list_store_insert (self->history, 0, created);
    }
  else if (admint_history_item_get_generation (item) == gen)
    return;   /* followed already */
  else
    admint_history_item_set_generation (item, gen);
  g_signal_connect_object (gen, "finished", G_CALLBACK (on_finished), self, G_CONNECT_SWAPPED);
}

void
admint_window_follow_generation (AdmintWindow     *self,
                                 AdmintGeneration *gen)
{
  g_return_if_fail (ADMINT_IS_WINDOW (self));
  g_return_if_fail (ADMINT_IS_GENERATION (gen));

  if (find_item (self, admint_generation_get_id (gen), NULL) == NULL)
    return;
  watch_generation (self, gen);
  update_controls (self);
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
resume_ad_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);
  AdmintHistoryItem *item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintGeneration) gen = NULL;

  if (selected_live (self, &item) != NULL || item == NULL || self->studio == NULL)
    return;
  /* With the settings it started with, as `admint resume` does. */
  gen = admint_studio_resume (self->studio, admint_history_item_get_id (item),
                              ADMINT_GENERATION_INTERACTIVE, ADMINT_RESUME_STORED_SETTINGS,
                              &error);
  if (gen == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  watch_generation (self, gen);
  /* Show it again, now attached to the running generation. */
  admint_chat_view_show (self->chat_view, self->store, admint_generation_get_id (gen), gen);
  update_controls (self);
  admint_generation_run (gen);
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
  /* The chips are in the assets' order. */
  GtkWidget *child = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_FLOW_BOX_CHILD);
  int index = child != NULL ? gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (child)) : -1;

  if (index < 0 || (guint) index >= self->assets->len)
    return;
  g_ptr_array_remove_index (self->assets, index);
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
  AdmintAssetLimits limits;

  g_return_if_fail (ADMINT_IS_WINDOW (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  if (self->studio == NULL)
    return;
  admint_studio_get_asset_limits (self->studio, &limits);
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
  g_autoptr(GPtrArray) generations = NULL;
  AdmintStartOptions options = ADMINT_START_OPTIONS_INIT;

  if (self->studio == NULL)
    {
      show_brief_error (self, _("The library of ads could not be opened, so a new ad cannot be "
                              "saved. Restart Ad Mint; the log says why it failed."));
      return;
    }
  options.prompt = gtk_editable_get_text (GTK_EDITABLE (self->brief_entry));
  options.framework = gtk_string_list_get_string (
    self->frameworks, gtk_drop_down_get_selected (self->framework_dropdown));
  options.assets = self->assets;
  options.mode = ADMINT_GENERATION_INTERACTIVE;
  /* One ad, or 2 to 4 variants, in the drop-down's order. */
  options.variants = gtk_drop_down_get_selected (self->variants_dropdown) + 1;
  generations = admint_studio_start (self->studio, &options, NULL, &error);
  if (generations == NULL)
    {
      show_brief_error (self, error->message);
      return;
    }

  /* The new ads must be in sight, whatever the search was. */
  clear_search (self);
  /* Variants in their order, the first on top. */
  for (guint i = generations->len; i > 0; i--)
    {
      AdmintGeneration *gen = g_ptr_array_index (generations, i - 1);
      char letter[2] = { (char) ('A' + i - 1), '\0' };
      watch_generation (self, gen);
      /* The studio names variants A, B, … in their order. */
      if (generations->len > 1)
        admint_history_item_set_variant (find_item (self, admint_generation_get_id (gen), NULL),
                                         letter);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->brief_entry), "");
  hide_brief_error (self);
  g_ptr_array_set_size (self->assets, 0);
  refresh_asset_chips (self);
  gtk_drop_down_set_selected (self->variants_dropdown, 0);
  /* Selecting it shows its conversation, listening to the generation from the start. */
  gtk_single_selection_set_selected (self->selection, 0);
  update_controls (self);
  for (guint i = 0; i < generations->len; i++)
    admint_generation_run (g_ptr_array_index (generations, i));
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
  admint_compare_view_pause (self->compare_view);
  gtk_stack_set_visible_child_name (self->content_stack, "new");
  adw_window_title_set_title (self->content_title, _("Ad Mint"));
  adw_window_title_set_subtitle (self->content_title, NULL);
  g_settings_set_string (self->settings, "selected-ad", "");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  gtk_editable_set_text (GTK_EDITABLE (self->brief_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->brief_entry));
}

/* ---- variants side by side, rename, delete ------------------------------------------------ */

void
admint_window_show_ad (AdmintWindow *self,
                       const char   *id)
{
  g_return_if_fail (ADMINT_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  if (!select_ad (self, id))
    {
      show_toast (self, _("That ad is no longer in your history."));
      return;
    }
  /* Already selected: the selection did not change, so show its chat here. */
  on_selection_changed (self);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  AdmintHistoryItem *item = find_item (self, id, NULL);
  g_autofree char *group = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (item != NULL && admint_history_item_get_group_id (item) != NULL)
    group = g_strdup (admint_history_item_get_group_id (item));
  else
    group = admint_store_get_generation_group (self->store, id, &error);
  if (group == NULL)
    {
      show_toast (self, error != NULL ? error->message
                                      : _("This ad is a single ad: there are no variants to "
                                          "compare. Choose 2 to 4 variants on the new-ad page."));
      return;
    }
  admint_compare_view_show_group (self->compare_view, self->store, group);
  gtk_stack_set_visible_child_name (self->content_stack, "compare");
  adw_window_title_set_title (self->content_title, _("Compare Variants"));
  adw_window_title_set_subtitle (self->content_title,
                                 item != NULL ? admint_history_item_get_title (item) : NULL);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* "Pick This One" stored the winner: its badge in the sidebar, then its chat to refine it. */
static void
on_variant_picked (AdmintWindow *self,
                   const char   *id)
{
  AdmintHistoryItem *picked = find_item (self, id, NULL);
  const char *group = picked != NULL ? admint_history_item_get_group_id (picked) : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (self->history), i);
      if (item == picked)
        admint_history_item_set_winner (item, TRUE);
      else if (group != NULL && g_strcmp0 (admint_history_item_get_group_id (item), group) == 0)
        admint_history_item_set_winner (item, FALSE);
    }
  admint_window_show_ad (self, id);
  show_toast (self, _("Picked as the winner. Refine it here."));
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    AdmintWindow     *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *id = g_steal_pointer (&self->renaming_id);
  AdmintHistoryItem *item = id != NULL ? find_item (self, id, NULL) : NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "rename") != 0 || item == NULL || self->store == NULL)
    return;
  if (!admint_store_rename_generation (self->store, id, name, &error))
    {
      show_toast (self, error->message);
      return;
    }
  g_autofree char *clean = g_strstrip (g_strdup (name));
  admint_history_item_set_name (item, clean);
}

static void
rename_ad_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  AdmintHistoryItem *item = find_item (self, id, NULL);
  GtkWidget *dialog, *entry;

  if (item == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Ad"),
                                   _("The name is shown in the list of ads and above the chat. "
                                     "Leave it empty to show the brief again."));
  g_free (self->renaming_id);
  self->renaming_id = g_strdup (id);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), admint_history_item_get_name (item) != NULL
                                               ? admint_history_item_get_name (item) : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), admint_history_item_get_prompt (item));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 120);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
delete_ad_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  AdmintHistoryItem *item;
  AdmintGeneration *gen;
  DeletedAd *deleted;
  guint position = 0;
  gboolean was_selected;

  item = find_item (self, id, &position);
  if (item == NULL || self->store == NULL)
    return;
  /* The ad leaves the history; a run in progress stops first (what is done is kept). */
  if ((gen = admint_history_item_get_generation (item)) != NULL &&
      !admint_generation_is_done (gen))
    admint_generation_cancel (gen);
  if (!admint_store_soft_delete_generation (self->store, id, &error))
    {
      show_toast (self, error->message);
      return;
    }
  was_selected = gtk_single_selection_get_selected_item (self->selection) == (gpointer) item;
  deleted = g_new0 (DeletedAd, 1);
  deleted->item = g_object_ref (item);
  deleted->position = position;
  g_hash_table_replace (self->deleted, g_strdup (id), deleted);
  g_list_store_remove (self->history, position);
  if (was_selected || g_strcmp0 (admint_chat_view_get_id (self->chat_view), id) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.new-ad", NULL);

  g_autofree char *text = g_strdup_printf (_("“%s” deleted"),
                                           admint_history_item_get_title (deleted->item));
  AdwToast *toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  admint_ui_add_toast (self->toast_overlay, toast);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AdmintWindow *self = ADMINT_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  DeletedAd *deleted = g_hash_table_lookup (self->deleted, id);
  g_autoptr(GError) error = NULL;

  if (deleted == NULL || self->store == NULL)
    return;
  if (!admint_store_restore_generation (self->store, id, &error))
    {
      show_toast (self, error->message);
      return;
    }
  g_list_store_insert (self->history,
                       MIN (deleted->position,
                            g_list_model_get_n_items (G_LIST_MODEL (self->history))),
                       deleted->item);
  g_hash_table_remove (self->deleted, id);
  select_ad (self, id);
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
  for (guint i = 0; self->history != NULL &&
                    i < g_list_model_get_n_items (G_LIST_MODEL (self->history)); i++)
    {
      g_autoptr(AdmintHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (self->history), i);
      AdmintGeneration *gen = admint_history_item_get_generation (item);
      if (gen == NULL)
        continue;
      g_signal_handlers_disconnect_by_data (gen, self);
      admint_generation_cancel (gen);
    }
  if (self->title_binding != NULL)
    {
      g_binding_unbind (self->title_binding);
      self->title_binding = NULL;
    }
  if (self->name_binding != NULL)
    {
      g_binding_unbind (self->name_binding);
      self->name_binding = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->history);
  g_clear_pointer (&self->deleted, g_hash_table_unref);
  g_clear_pointer (&self->restore_id, g_free);
  g_clear_pointer (&self->renaming_id, g_free);
  g_clear_object (&self->frameworks);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  if (self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* On disk before the window goes, whoever still holds the store. */
      if (!admint_store_flush (self->store, &error))
        g_warning ("A record of the library was not saved: %s", error->message);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->studio);
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
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, compare_view);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, status_filter);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_variant_picked);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, framework_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, variants_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, asset_chips);
  gtk_widget_class_bind_template_callback (widget_class, on_add_assets);
  gtk_widget_class_bind_template_child (widget_class, AdmintWindow, resume_button);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_create);
  gtk_widget_class_bind_template_callback (widget_class, on_brief_changed);

  g_type_ensure (ADMINT_TYPE_CHAT_VIEW);
  g_type_ensure (ADMINT_TYPE_HISTORY_ITEM);
  g_type_ensure (ADMINT_TYPE_COMPARE_VIEW);

  gtk_widget_class_install_action (widget_class, "win.new-ad", NULL, new_ad_action);
  gtk_widget_class_install_action (widget_class, "win.stop-ad", NULL, stop_ad_action);
  gtk_widget_class_install_action (widget_class, "win.resume-ad", NULL, resume_ad_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  /* With the generation id: the chat and the history rows use these. */
  gtk_widget_class_install_action (widget_class, "win.compare", "s", compare_action);
  gtk_widget_class_install_action (widget_class, "win.rename-ad", "s", rename_ad_action);
  gtk_widget_class_install_action (widget_class, "win.delete-ad", "s", delete_ad_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s", undo_delete_action);
}

static void
admint_window_init (AdmintWindow *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APP_ID);
  self->deleted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) deleted_ad_free);
  self->history = g_list_store_new (ADMINT_TYPE_HISTORY_ITEM);
  self->shown = g_list_store_new (ADMINT_TYPE_HISTORY_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  {
    g_autoptr(GtkListItemFactory) factory = admint_history_row_factory_new ();
    gtk_list_view_set_factory (self->history_view, factory);
  }
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->history_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "items-changed",
                           G_CALLBACK (refilter), self, G_CONNECT_SWAPPED);
  /* The sidebar's search button and the search bar (Escape closes it) go together. */
  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  self->restore_id = g_settings_get_string (self->settings, "selected-ad");
  if (self->restore_id[0] == '\0')
    g_clear_pointer (&self->restore_id, g_free);
  update_sidebar_page (self);
  update_controls (self);

  /* The studio opens the library and loads the config once, for every ad this window makes. */
  self->assets = g_ptr_array_new_with_free_func (g_object_unref);
  self->frameworks = gtk_string_list_new (NULL);
  self->studio = admint_studio_new (NULL, &error);
  if (self->studio != NULL)
    {
      self->store = g_object_ref (admint_studio_get_store (self->studio));
      /* The generation's records (statuses, messages, clip states) are queued on the store
       * thread instead of waiting for each commit on the main loop; what a payment or the next
       * stage depends on still waits, and commits them first (docs/store.md). */
      admint_store_set_queue_writes (self->store, TRUE);
      if (!admint_studio_load_config (self->studio, NULL, &error))
        {
          /* Said now, and again (with the fix) when an ad is started. */
          g_warning ("Cannot load the config: %s", error->message);
          show_toast (self, error->message);
          g_clear_error (&error);
        }
    }
  AdmintConfig *config = self->studio ? admint_studio_get_config (self->studio) : NULL;
  g_autoptr(GPtrArray) names = config ? admint_config_list_frameworks (config) : NULL;
  /* The frameworks the config knows, AIDA first (the default). */
  gtk_string_list_append (self->frameworks, "AIDA");
  for (guint i = 0; names != NULL && i < names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (names, i), "AIDA") != 0)
      gtk_string_list_append (self->frameworks, g_ptr_array_index (names, i));
  gtk_drop_down_set_model (self->framework_dropdown, G_LIST_MODEL (self->frameworks));

  /* Files dropped anywhere on the new-ad page become assets of the next ad. */
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_files_dropped), self);
  gtk_widget_add_controller (GTK_WIDGET (self->status_page), GTK_EVENT_CONTROLLER (drop));

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
