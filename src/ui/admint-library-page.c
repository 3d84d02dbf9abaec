/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Library page: a grid of the store's assets; import, edit, filter, delete with Undo. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "admint-config.h"
#include "admint-library-page.h"
#include "admint-styles-panel.h"
#include "admint-worker.h"
#include "admint-store-library.h"

#define THUMB_SIZE 128
/* Imports and thumbnail loads in flight at once: each is a worker busy decoding, and on a
 * 2-core machine more of them would take the main loop's core too. */
#define MAX_IMPORTS 1
#define MAX_LOADS 2

struct _AdmintLibraryPage
{
  AdwBin              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *kind_filter;
  GtkEntry           *tag_filter;
  GtkStack           *stack;
  GtkGridView        *grid;
  GtkRevealer        *editor;
  GtkLabel           *editor_name;
  GtkDropDown        *kind_editor;
  GtkEntry           *tags_editor;
  GtkWidget          *use_button;
  GtkWidget          *delete_button;
  GtkToggleButton    *styles_button;
  GtkWidget          *filter_bar;
  AdmintStylesPanel  *styles;

  AdmintStore        *store;
  GCancellable       *cancellable;
  GListStore         *assets;
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  GtkMultiSelection  *selection;
  GHashTable         *textures;      /* thumbnail path -> GdkTexture */
  GHashTable         *waiting;       /* thumbnail path -> GPtrArray of LibraryCell */
  GPtrArray          *deleted;       /* AdmintAssetRow removed, until the Undo toast goes */
  AdwToast           *undo_toast;
  char               *name_filter;
  char               *kind;
  char               *tag;
  guint               pending;
  guint               imports;       /* in flight */
  GQueue              import_queue;  /* ImportData */
  AdmintAssetLimits   limits;
  guint               loads;         /* in flight */
  GPtrArray          *arrived;       /* imported rows not in the grid yet */
  guint               arrive_id;
  GQueue              load_queue;    /* thumbnail paths */
  guint               reloads;
  GtkFileChooserNative *chooser;     /* the open Add chooser, if any */
};

/* One cell of the grid: a thumbnail or a music icon, a name and a caption. */
#define LIBRARY_TYPE_CELL (library_cell_get_type ())
G_DECLARE_FINAL_TYPE (LibraryCell, library_cell, LIBRARY, CELL, GtkBox)

struct _LibraryCell
{
  GtkBox      parent_instance;

  GtkStack   *frame;
  GtkPicture *picture;
  GtkLabel   *duration;
  GtkLabel   *name;
  GtkLabel   *caption;
  char       *thumb_path;   /* the thumbnail the picture waits for or shows */
};

G_DEFINE_FINAL_TYPE (LibraryCell, library_cell, GTK_TYPE_BOX)

static void
library_cell_finalize (GObject *object)
{
  g_free (LIBRARY_CELL (object)->thumb_path);
  G_OBJECT_CLASS (library_cell_parent_class)->finalize (object);
}

static void
library_cell_class_init (LibraryCellClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = library_cell_finalize;
}

static void
library_cell_init (LibraryCell *cell)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (cell), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (cell), 4);
}

G_DEFINE_FINAL_TYPE (AdmintLibraryPage, admint_library_page, ADW_TYPE_BIN)

enum { SIGNAL_USE_IN_NEW_AD, SIGNAL_TOAST, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The store's kinds, and their names; "misc" is shown as Other. */
static const char * const kinds[] = { "product", "logo", "character", "music", "style", "misc",
                                      NULL };

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "product") == 0)
    return _("Product");
  if (g_strcmp0 (kind, "logo") == 0)
    return _("Logo");
  if (g_strcmp0 (kind, "character") == 0)
    return _("Character");
  if (g_strcmp0 (kind, "style") == 0)
    return _("Style");
  if (g_strcmp0 (kind, "music") == 0)
    return _("Music");
  return _("Other");
}

/* The window shows the page's toasts on its own overlay (one overlay a window). */
static void
show_toast (AdmintLibraryPage *self,
            AdwToast          *toast)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, toast);
  g_object_unref (toast);
}

static void
show_message (AdmintLibraryPage *self,
              const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 8);
  show_toast (self, toast);
}

/* ---- thumbnails: decoded in a worker, cached by path ---- */

/* What a worker decodes: a file, at a size in pixels. */
typedef struct
{
  int  size;
  char path[];
} ThumbLoad;

static ThumbLoad *
thumb_load_new (const char *path,
                int         size)
{
  gsize len = strlen (path);
  ThumbLoad *load = g_malloc (sizeof (ThumbLoad) + len + 1);

  load->size = size;
  memcpy (load->path, path, len + 1);
  return load;
}

static void
texture_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  ThumbLoad *load = task_data;
  int size = load->size;

  admint_worker_lower_priority ();
  /* Decoded and scaled to the cell here, not on the main loop: drawing a screenful of
   * thumbnails then costs no scaling (GTK draws in software where there is no GPU). */
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_scale (load->path, size, size, TRUE,
                                                                   &error);

  if (pixbuf != NULL)
    g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
  else
    g_task_return_error (task, error);
}

static void start_loads (AdmintLibraryPage *self);

static void
on_texture_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AdmintLibraryPage *self = ADMINT_LIBRARY_PAGE (source);
  const char *path = ((ThumbLoad *) g_task_get_task_data (G_TASK (result)))->path;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GPtrArray) cells = NULL;
  g_autofree char *waiting_key = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loads--;
  start_loads (self);
  /* Stealing takes the key out too: it is ours to free. */
  g_hash_table_steal_extended (self->waiting, path, (gpointer *) &waiting_key,
                               (gpointer *) &cells);
  if (texture == NULL)
    {
      g_debug ("No thumbnail from %s: %s", path, error->message);
      return;
    }
  g_hash_table_insert (self->textures, g_strdup (path), g_object_ref (texture));
  for (guint i = 0; cells != NULL && i < cells->len; i++)
    {
      LibraryCell *cell = cells->pdata[i];
      /* The cell may have been recycled for another asset meanwhile. */
      if (g_strcmp0 (cell->thumb_path, path) == 0)
        gtk_picture_set_paintable (cell->picture, GDK_PAINTABLE (texture));
    }
}

static void
start_loads (AdmintLibraryPage *self)
{
  char *path;

  while (self->loads < MAX_LOADS && (path = g_queue_pop_head (&self->load_queue)) != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_texture_loaded, NULL);

      self->loads++;
      g_task_set_task_data (task,
                            thumb_load_new (path, THUMB_SIZE *
                                                  gtk_widget_get_scale_factor (GTK_WIDGET (self))),
                            g_free);
      g_free (path);
      g_task_set_priority (task, G_PRIORITY_LOW);
      g_task_run_in_thread (task, texture_thread);
    }
}

static void
load_thumbnail (AdmintLibraryPage *self,
                LibraryCell       *cell,
                const char        *path)
{
  GdkTexture *texture = g_hash_table_lookup (self->textures, path);
  GPtrArray *cells;

  g_free (cell->thumb_path);
  cell->thumb_path = g_strdup (path);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (cell->picture, GDK_PAINTABLE (texture));
      return;
    }
  gtk_picture_set_paintable (cell->picture, NULL);
  cells = g_hash_table_lookup (self->waiting, path);
  if (cells == NULL)
    {
      cells = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->waiting, g_strdup (path), cells);
      g_queue_push_tail (&self->load_queue, g_strdup (path));
      start_loads (self);
    }
  g_ptr_array_add (cells, g_object_ref (cell));
}

/* ---- the grid's cells ---- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            AdmintLibraryPage        *self)
{
  LibraryCell *cell = g_object_new (LIBRARY_TYPE_CELL, NULL);
  GtkWidget *box = GTK_WIDGET (cell);
  GtkWidget *frame = gtk_stack_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *music = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("audio-x-generic-symbolic");
  GtkWidget *duration = gtk_label_new (NULL);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *caption = gtk_label_new (NULL);

  gtk_widget_set_size_request (frame, THUMB_SIZE, THUMB_SIZE);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
  gtk_widget_set_valign (music, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (duration, "numeric");
  gtk_widget_add_css_class (duration, "dim-label");
  gtk_box_append (GTK_BOX (music), icon);
  gtk_box_append (GTK_BOX (music), duration);
  gtk_stack_add_named (GTK_STACK (frame), picture, "picture");
  gtk_stack_add_named (GTK_STACK (frame), music, "music");
  gtk_widget_add_css_class (frame, "asset-thumbnail");
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 16);
  gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (caption), 18);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  cell->frame = GTK_STACK (frame);
  cell->picture = GTK_PICTURE (picture);
  cell->duration = GTK_LABEL (duration);
  cell->name = GTK_LABEL (name);
  cell->caption = GTK_LABEL (caption);
  gtk_list_item_set_child (item, box);
}

static char *
describe_tags (AdmintAssetRow *row)
{
  const char * const *tags = admint_asset_row_get_tags (row);

  if (tags == NULL || tags[0] == NULL)
    return g_strdup (kind_label (admint_asset_row_get_kind (row)));
  g_autofree char *joined = g_strjoinv (", ", (char **) tags);
  return g_strdup_printf ("%s · %s", kind_label (admint_asset_row_get_kind (row)), joined);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           AdmintLibraryPage        *self)
{
  AdmintAssetRow *row = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  LibraryCell *cell = LIBRARY_CELL (box);
  GtkStack *frame = cell->frame;
  g_autofree char *caption = describe_tags (row);
  g_autofree char *accessible = NULL;
  const char *thumb = admint_asset_row_get_thumbnail_path (row);
  const char *name = admint_asset_row_get_original_name (row);

  gtk_label_set_text (cell->name, name);
  gtk_label_set_text (cell->caption, caption);
  if (admint_asset_row_get_duration (row) >= 0 || thumb == NULL)
    {
      double seconds = MAX (admint_asset_row_get_duration (row), 0);
      g_autofree char *duration = g_strdup_printf ("%d:%02d", (int) seconds / 60,
                                                   (int) seconds % 60);
      gtk_label_set_text (cell->duration, duration);
      gtk_stack_set_visible_child_name (frame, "music");
      g_clear_pointer (&cell->thumb_path, g_free);
      accessible = g_strdup_printf ("%s, %s, %s", name, caption, duration);
    }
  else
    {
      gtk_stack_set_visible_child_name (frame, "picture");
      load_thumbnail (self, cell, thumb);
      accessible = g_strdup_printf ("%s, %s", name, caption);
    }
  gtk_widget_set_tooltip_text (box, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

/* ---- selection, editor, filters ---- */

static GPtrArray *
selected_rows (AdmintLibraryPage *self)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (
    GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (rows, g_list_model_get_item (G_LIST_MODEL (self->shown), position));
  return rows;
}

static void
on_selection_changed (AdmintLibraryPage *self)
{
  g_autoptr(GPtrArray) rows = selected_rows (self);

  gtk_widget_set_sensitive (self->use_button, rows->len > 0);
  gtk_widget_set_sensitive (self->delete_button, rows->len > 0);
  gtk_revealer_set_reveal_child (self->editor, rows->len == 1);
  if (rows->len == 1)
    {
      AdmintAssetRow *row = rows->pdata[0];
      const char * const *tags = admint_asset_row_get_tags (row);
      g_autofree char *joined = tags != NULL ? g_strjoinv (", ", (char **) tags) : g_strdup ("");
      const char *kind = admint_asset_row_get_kind (row);

      gtk_label_set_text (self->editor_name, admint_asset_row_get_original_name (row));
      for (guint i = 0; kinds[i] != NULL; i++)
        if (g_str_equal (kinds[i], kind))
          gtk_drop_down_set_selected (self->kind_editor, i);
      gtk_editable_set_text (GTK_EDITABLE (self->tags_editor), joined);
    }
}

static gboolean
row_matches (gpointer item,
             gpointer user_data)
{
  AdmintLibraryPage *self = user_data;
  AdmintAssetRow *row = item;

  if (self->kind != NULL && g_strcmp0 (admint_asset_row_get_kind (row), self->kind) != 0)
    return FALSE;
  if (self->name_filter != NULL)
    {
      g_autofree char *name = g_utf8_casefold (admint_asset_row_get_original_name (row), -1);
      if (strstr (name, self->name_filter) == NULL)
        return FALSE;
    }
  if (self->tag != NULL)
    {
      const char * const *tags = admint_asset_row_get_tags (row);
      gboolean found = FALSE;
      for (guint i = 0; tags != NULL && tags[i] != NULL && !found; i++)
        {
          g_autofree char *tag = g_utf8_casefold (tags[i], -1);
          found = g_str_has_prefix (tag, self->tag);
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static void
update_stack (AdmintLibraryPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->assets)) == 0;

  /* The search and filters are the assets'; the styles are few enough to see at once. */
  gtk_widget_set_visible (self->filter_bar, !gtk_toggle_button_get_active (self->styles_button));
  if (gtk_toggle_button_get_active (self->styles_button))
    gtk_stack_set_visible_child_name (self->stack, "styles");
  else
    gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "grid");
}

static char *
casefold_or_null (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  return *stripped != '\0' ? g_utf8_casefold (stripped, -1) : NULL;
}

void
admint_library_page_set_filter (AdmintLibraryPage *self,
                                const char        *name,
                                const char        *kind,
                                const char        *tag)
{
  g_return_if_fail (ADMINT_IS_LIBRARY_PAGE (self));

  g_free (self->name_filter);
  self->name_filter = casefold_or_null (name);
  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_free (self->tag);
  self->tag = casefold_or_null (tag);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_filter_changed (AdmintLibraryPage *self)
{
  guint k = gtk_drop_down_get_selected (self->kind_filter);

  admint_library_page_set_filter (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                  k >= 1 && k <= G_N_ELEMENTS (kinds) - 1 ? kinds[k - 1] : NULL,
                                  gtk_editable_get_text (GTK_EDITABLE (self->tag_filter)));
}

/* ---- listing ---- */

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) rows = admint_store_list_assets_finish (ADMINT_STORE (source), result,
                                                               &error);
  AdmintLibraryPage *self;
  g_autoptr(GHashTable) selected = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->reloads--;
  if (rows == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot list the library: %s"), error->message);
      show_message (self, text);
      return;
    }

  /* Keep the selection across the reload, by asset id. */
  selected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) before = selected_rows (self);
  for (guint i = 0; i < before->len; i++)
    {
      gint64 *id = g_new (gint64, 1);
      *id = admint_asset_row_get_id (before->pdata[i]);
      g_hash_table_add (selected, id);
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  /* Newest first, and without those waiting for their Undo toast to go. */
  for (guint i = g_list_model_get_n_items (rows); i > 0; i--)
    {
      g_autoptr(AdmintAssetRow) row = g_list_model_get_item (rows, i - 1);
      gboolean deleted = FALSE;
      for (guint j = 0; j < self->deleted->len && !deleted; j++)
        deleted = admint_asset_row_get_id (self->deleted->pdata[j]) ==
                  admint_asset_row_get_id (row);
      if (!deleted)
        g_ptr_array_add (items, g_steal_pointer (&row));
    }
  g_list_store_splice (self->assets, 0, g_list_model_get_n_items (G_LIST_MODEL (self->assets)),
                       items->pdata, items->len);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->shown)); i++)
    {
      g_autoptr(AdmintAssetRow) row = g_list_model_get_item (G_LIST_MODEL (self->shown), i);
      gint64 id = admint_asset_row_get_id (row);
      if (g_hash_table_contains (selected, &id))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, FALSE);
    }
  update_stack (self);
}

static void
reload (AdmintLibraryPage *self)
{
  if (self->store == NULL)
    return;
  self->reloads++;
  admint_store_list_assets_async (self->store, self->cancellable, on_listed, self);
}

void
admint_library_page_set_store (AdmintLibraryPage *self,
                               AdmintStore       *store)
{
  g_return_if_fail (ADMINT_IS_LIBRARY_PAGE (self));
  g_return_if_fail (store == NULL || ADMINT_IS_STORE (store));

  g_set_object (&self->store, store);
  g_list_store_remove_all (self->assets);
  update_stack (self);
  reload (self);
}

/* ---- brand styles ---- */

static void
on_styles_toggled (AdmintLibraryPage *self)
{
  /* Listed again each time: the logo and music choices follow the assets. */
  if (gtk_toggle_button_get_active (self->styles_button))
    admint_styles_panel_set_store (self->styles, self->store, G_LIST_MODEL (self->assets));
  update_stack (self);
}

void
admint_library_page_show_styles (AdmintLibraryPage *self,
                                 gboolean           show)
{
  g_return_if_fail (ADMINT_IS_LIBRARY_PAGE (self));
  gtk_toggle_button_set_active (self->styles_button, show);
}

AdmintStylesPanel *
admint_library_page_get_styles_panel (AdmintLibraryPage *self)
{
  g_return_val_if_fail (ADMINT_IS_LIBRARY_PAGE (self), NULL);
  return self->styles;
}

static void
on_styles_toast (AdmintLibraryPage *self,
                 AdwToast          *toast)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, toast);
}

/* ---- import ---- */

typedef struct
{
  AdmintLibraryPage *self;
  char              *name;
  char              *path;
  const char        *kind;
} ImportData;

static void start_imports (AdmintLibraryPage *self);

/* The rows that came in since the last frame go into the grid in one splice: one relayout
 * for a burst of imports rather than one a row. */
static gboolean
add_arrived (gpointer data)
{
  AdmintLibraryPage *self = data;

  self->arrive_id = 0;
  /* Newest first. */
  for (guint i = 0, j = self->arrived->len; i + 1 < j; i++, j--)
    {
      gpointer swap = self->arrived->pdata[i];
      self->arrived->pdata[i] = self->arrived->pdata[j - 1];
      self->arrived->pdata[j - 1] = swap;
    }
  g_list_store_splice (self->assets, 0, 0, self->arrived->pdata, self->arrived->len);
  g_ptr_array_set_size (self->arrived, 0);
  update_stack (self);
  return G_SOURCE_REMOVE;
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ImportData *data = user_data;
  AdmintLibraryPage *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = FALSE;
  g_autoptr(AdmintAssetRow) row = admint_store_import_asset_finish (ADMINT_STORE (source), result,
                                                                   &duplicate, &error);
  g_autofree char *name = data->name;

  g_free (data->path);
  g_free (data);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  self->pending--;
  self->imports--;
  start_imports (self);
  if (row == NULL)
    {
      /* The store's message names the file and says why (too large, not an image…). */
      g_autofree char *text = g_strdup_printf (_("%s was not added: %s"), name, error->message);
      show_message (self, text);
    }
  else if (duplicate)
    {
      g_autofree char *text = g_strdup_printf (_("%s was not added: it is already in the library "
                                                 "as %s."), name,
                                               admint_asset_row_get_original_name (row));
      show_message (self, text);
    }
  else
    {
      g_ptr_array_add (self->arrived, g_steal_pointer (&row));
      if (self->arrive_id == 0)
        self->arrive_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 100, add_arrived, self,
                                              NULL);
    }
  g_object_unref (self);
}

static void
start_imports (AdmintLibraryPage *self)
{
  ImportData *data;

  while (self->imports < MAX_IMPORTS && self->store != NULL &&
         (data = g_queue_pop_head (&self->import_queue)) != NULL)
    {
      self->imports++;
      admint_store_import_asset_async (self->store, data->path, data->kind, NULL, &self->limits,
                                       self->cancellable, on_imported, data);
    }
}

/* A picture named like a logo is a logo; the rest is as its type says. */
static const char *
guess_kind (const char *basename)
{
  g_autofree char *lower = g_utf8_strdown (basename, -1);
  static const char * const audio[] = { ".mp3", ".ogg", ".wav", ".flac", ".m4a", NULL };

  for (guint i = 0; audio[i] != NULL; i++)
    if (g_str_has_suffix (lower, audio[i]))
      return NULL;
  return strstr (lower, "logo") != NULL ? "logo" : NULL;
}

void
admint_library_page_import_files (AdmintLibraryPage *self,
                                  GListModel        *files)
{
  g_autoptr(AdmintConfig) config = NULL;

  g_return_if_fail (ADMINT_IS_LIBRARY_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  if (self->store == NULL)
    {
      show_message (self, _("The library could not be opened, so nothing can be added. Restart "
                            "Ad Mint; the log says why it failed."));
      return;
    }
  config = admint_config_load (NULL, NULL);
  self->limits.max_file_bytes = config != NULL
                                ? admint_config_get_int (config, "limits.asset_max_bytes") : 0;
  /* The library holds many; the per-ad total is checked when an ad uses them. */
  self->limits.max_generation_bytes = G_MAXINT64;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *path = g_file_get_path (file);
      ImportData *data;

      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);
          g_autofree char *text = g_strdup_printf (_("%s was not added: it is not a local file. "
                                                     "Save it to a folder first."), uri);
          show_message (self, text);
          continue;
        }
      data = g_new0 (ImportData, 1);
      data->self = g_object_ref (self);
      data->name = g_file_get_basename (file);
      data->path = g_steal_pointer (&path);
      data->kind = guess_kind (data->name);
      self->pending++;
      g_queue_push_tail (&self->import_queue, data);
    }
  start_imports (self);
}

guint
admint_library_page_get_pending (AdmintLibraryPage *self)
{
  g_return_val_if_fail (ADMINT_IS_LIBRARY_PAGE (self), 0);
  return self->pending + self->reloads + self->arrived->len;
}

guint
admint_library_page_get_loading (AdmintLibraryPage *self)
{
  g_return_val_if_fail (ADMINT_IS_LIBRARY_PAGE (self), 0);
  return g_hash_table_size (self->waiting);
}

GListModel *
admint_library_page_get_assets (AdmintLibraryPage *self)
{
  g_return_val_if_fail (ADMINT_IS_LIBRARY_PAGE (self), NULL);
  return G_LIST_MODEL (self->assets);
}

GListModel *
admint_library_page_get_shown (AdmintLibraryPage *self)
{
  g_return_val_if_fail (ADMINT_IS_LIBRARY_PAGE (self), NULL);
  return G_LIST_MODEL (self->shown);
}

void
admint_library_page_select (AdmintLibraryPage *self,
                            guint              position,
                            gboolean           extend)
{
  g_return_if_fail (ADMINT_IS_LIBRARY_PAGE (self));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, !extend);
}

static gboolean
on_drop (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         AdmintLibraryPage *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  for (GSList *l = list; l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  admint_library_page_import_files (self, G_LIST_MODEL (files));
  return TRUE;
}

static void
on_chooser_response (GtkNativeDialog   *dialog,
                     int                response,
                     AdmintLibraryPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      admint_library_page_import_files (self, files);
    }
  gtk_native_dialog_hide (dialog);
  g_clear_object (&self->chooser);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AdmintLibraryPage *self = ADMINT_LIBRARY_PAGE (widget);
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Add Photos, Logos or Music"),
                                                               GTK_IS_WINDOW (native)
                                                               ? GTK_WINDOW (native) : NULL,
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
  /* The page holds the chooser while it is open (tests reach it there too). */
  if (self->chooser != NULL)
    g_signal_handlers_disconnect_by_data (self->chooser, self);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

GtkFileChooser *
admint_library_page_get_chooser (AdmintLibraryPage *self)
{
  g_return_val_if_fail (ADMINT_IS_LIBRARY_PAGE (self), NULL);
  return self->chooser != NULL ? GTK_FILE_CHOOSER (self->chooser) : NULL;
}

/* ---- edit, use, delete ---- */

static void
on_updated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AdmintLibraryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->reloads--;
  if (!admint_store_update_asset_finish (ADMINT_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message);
      return;
    }
  reload (self);
}

void
admint_library_page_edit_selected (AdmintLibraryPage  *self,
                                   const char         *kind,
                                   const char * const *tags)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_if_fail (ADMINT_IS_LIBRARY_PAGE (self));
  rows = selected_rows (self);
  if (rows->len != 1 || self->store == NULL)
    return;
  self->reloads++;
  admint_store_update_asset_async (self->store, admint_asset_row_get_id (rows->pdata[0]), kind,
                                   tags, self->cancellable, on_updated, g_object_ref (self));
}

static void
on_save_edit (AdmintLibraryPage *self)
{
  guint k = gtk_drop_down_get_selected (self->kind_editor);
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->tags_editor)), ",",
                                    -1);
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (tags, parts[i]);
    }
  g_auto(GStrv) list = g_strv_builder_end (tags);
  admint_library_page_edit_selected (self, k < G_N_ELEMENTS (kinds) - 1 ? kinds[k] : "misc",
                                     (const char * const *) list);
}

static void
on_use_clicked (AdmintLibraryPage *self)
{
  g_autoptr(GPtrArray) rows = selected_rows (self);
  g_autoptr(GListStore) list = g_list_store_new (ADMINT_TYPE_ASSET_ROW);

  for (guint i = 0; i < rows->len; i++)
    g_list_store_append (list, rows->pdata[i]);
  if (rows->len > 0)
    g_signal_emit (self, signals[SIGNAL_USE_IN_NEW_AD], 0, list);
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!admint_store_remove_asset_finish (ADMINT_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot remove an asset: %s", error->message);
}

/* The toast went without Undo: the assets go for good. */
static void
commit_deletes (AdmintLibraryPage *self)
{
  for (guint i = 0; self->store != NULL && i < self->deleted->len; i++)
    admint_store_remove_asset_async (self->store, admint_asset_row_get_id (self->deleted->pdata[i]),
                                     NULL, on_removed, NULL);
  g_ptr_array_set_size (self->deleted, 0);
}

static void
on_undo_dismissed (AdwToast          *toast,
                   AdmintLibraryPage *self)
{
  if (self->undo_toast == toast)
    {
      self->undo_toast = NULL;
      commit_deletes (self);
    }
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AdmintLibraryPage *self = ADMINT_LIBRARY_PAGE (widget);

  for (guint i = 0; i < self->deleted->len; i++)
    g_list_store_insert (self->assets, 0, self->deleted->pdata[i]);
  g_ptr_array_set_size (self->deleted, 0);
  self->undo_toast = NULL;
  update_stack (self);
  /* Back in their order. */
  reload (self);
}

static void
on_undo_clicked (AdwToast          *toast,
                 AdmintLibraryPage *self)
{
  if (self->undo_toast == toast)
    gtk_widget_activate_action (GTK_WIDGET (self), "library.undo", NULL);
}

void
admint_library_page_delete_selected (AdmintLibraryPage *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_if_fail (ADMINT_IS_LIBRARY_PAGE (self));
  rows = selected_rows (self);
  if (rows->len == 0)
    return;
  /* A second delete while the first toast shows: the first is final now. */
  if (self->undo_toast != NULL)
    {
      AdwToast *old = g_steal_pointer (&self->undo_toast);
      commit_deletes (self);
      /* It stays until it times out (dismissing a toast that is still animating in crashes
       * libadwaita 1.2); its Undo then has nothing to undo. */
      (void) old;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      guint position;
      if (g_list_store_find (self->assets, rows->pdata[i], &position))
        g_list_store_remove (self->assets, position);
      g_ptr_array_add (self->deleted, g_object_ref (rows->pdata[i]));
    }
  update_stack (self);
  if (rows->len == 1)
    {
      g_autofree char *name = g_markup_escape_text (
        admint_asset_row_get_original_name (rows->pdata[0]), -1);
      title = g_strdup_printf (_("%s deleted"), name);
    }
  else
    title = g_strdup_printf (ngettext ("%u asset deleted", "%u assets deleted", rows->len),
                             rows->len);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_dismissed), self, 0);
  /* The toast shows on the window's overlay, outside the page: its button calls back here. */
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
  self->undo_toast = toast;
  show_toast (self, g_object_ref (toast));
  g_object_unref (toast);
}

/* ---- the object ---- */

static void
admint_library_page_dispose (GObject *object)
{
  AdmintLibraryPage *self = ADMINT_LIBRARY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  for (ImportData *data; (data = g_queue_pop_head (&self->import_queue)) != NULL;)
    {
      g_object_unref (data->self);
      g_free (data->name);
      g_free (data->path);
      g_free (data);
    }
  g_queue_clear_full (&self->load_queue, g_free);
  if (self->deleted != NULL)
    commit_deletes (self);
  self->undo_toast = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_LIBRARY_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->assets);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  if (self->chooser != NULL)
    g_signal_handlers_disconnect_by_data (self->chooser, self);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);
  g_clear_handle_id (&self->arrive_id, g_source_remove);
  g_clear_pointer (&self->arrived, g_ptr_array_unref);
  g_clear_pointer (&self->name_filter, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->tag, g_free);

  G_OBJECT_CLASS (admint_library_page_parent_class)->dispose (object);
}

static void
admint_library_page_class_init (AdmintLibraryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_library_page_dispose;

  signals[SIGNAL_USE_IN_NEW_AD] =
    g_signal_new ("use-in-new-ad", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_LIST_MODEL);
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/admint/AdMint/ui/admint-library-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, kind_filter);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, grid);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, editor);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, editor_name);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, kind_editor);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, tags_editor);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, use_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, styles_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintLibraryPage, filter_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_styles_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_use_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_edit);
  gtk_widget_class_bind_template_callback (widget_class, admint_library_page_delete_selected);
  gtk_widget_class_install_action (widget_class, "library.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "library.add", NULL, add_action);
  gtk_widget_class_set_css_name (widget_class, "librarypage");
}

static void
admint_library_page_init (AdmintLibraryPage *self)
{
  g_autoptr(GtkStringList) filter_kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) edit_kinds = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->deleted = g_ptr_array_new_with_free_func (g_object_unref);
  self->arrived = g_ptr_array_new_with_free_func (g_object_unref);
  self->assets = g_list_store_new (ADMINT_TYPE_ASSET_ROW);
  self->filter = gtk_custom_filter_new (row_matches, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->assets)),
                                           GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  gtk_grid_view_set_factory (self->grid, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (self->selection));

  gtk_string_list_append (filter_kinds, _("All Kinds"));
  for (guint i = 0; kinds[i] != NULL; i++)
    {
      gtk_string_list_append (filter_kinds, kind_label (kinds[i]));
      gtk_string_list_append (edit_kinds, kind_label (kinds[i]));
    }
  gtk_drop_down_set_model (self->kind_filter, G_LIST_MODEL (filter_kinds));
  gtk_drop_down_set_model (self->kind_editor, G_LIST_MODEL (edit_kinds));

  /* Files dropped anywhere on the page are imported; GTK marks the page :drop(active) while
   * they hover, which style.css outlines. */
  self->styles = admint_styles_panel_new ();
  g_signal_connect_object (self->styles, "toast", G_CALLBACK (on_styles_toast), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->styles), "styles");

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  update_stack (self);
}

AdmintLibraryPage *
admint_library_page_new (void)
{
  return g_object_new (ADMINT_TYPE_LIBRARY_PAGE, NULL);
}
