/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Adds the Library and Usage pages and the Export action to the main window. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "admint-export-dialog.h"
#include "admint-library-page.h"
#include "admint-usage-page.h"
#include "admint-window-pages.h"
#include "admint-ui-util.h"

typedef struct
{
  GtkWindow            *window;     /* weak: the pages live as long as it */
  AdwToastOverlay      *overlay;
  AdwViewStack         *stack;
  AdmintStore          *store;
  AdmintCurrentAdFunc   current_ad;
  AdmintNewAdFilesFunc  new_ad_files;
} Pages;

static void
pages_free (Pages *pages)
{
  g_clear_object (&pages->store);
  g_free (pages);
}

/* Each window's pages, until the window goes. */
static GHashTable *all_pages;   /* GtkWindow (weak) -> Pages */

static Pages *
get_pages (GtkWindow *window)
{
  return all_pages != NULL ? g_hash_table_lookup (all_pages, window) : NULL;
}

static void
on_window_gone (gpointer  data,
                GObject  *window)
{
  g_hash_table_remove (all_pages, window);
}

AdmintStore *
admint_window_pages_get_store (GtkWindow *window)
{
  Pages *pages;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  pages = get_pages (window);
  return pages != NULL ? pages->store : NULL;
}

/* ---- export ---- */

/* What the toast's Open Folder button opens, and over which window. */
typedef struct
{
  GtkWindow *window;   /* the closure is watched: it goes with the window */
  char      *path;
} OpenFolder;

static void
open_folder_free (gpointer  data,
                  GClosure *closure)
{
  OpenFolder *open = data;

  g_free (open->path);
  g_free (open);
}

static void
on_open_folder (AdwToast   *toast,
                OpenFolder *open)
{
  GtkWindow *window = open->window;
  const char *path = open->path;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_test (path, G_FILE_TEST_IS_DIR)
                            ? g_object_ref (file) : g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (folder);

  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

static void
on_exported (AdmintExportDialog *dialog,
             const char         *path,
             Pages              *pages)
{
  AdwToast *toast = adw_toast_new (_("Exported"));
  OpenFolder *open = g_new0 (OpenFolder, 1);
  GClosure *closure;

  adw_toast_set_button_label (toast, _("Open _Folder"));
  adw_toast_set_timeout (toast, 8);
  open->window = pages->window;
  open->path = g_strdup (path);
  closure = g_cclosure_new (G_CALLBACK (on_open_folder), open, open_folder_free);
  g_object_watch_closure (G_OBJECT (pages->window), closure);
  g_signal_connect_closure (toast, "button-clicked", closure, FALSE);
  admint_ui_add_toast (pages->overlay, toast);
}

GtkWindow *
admint_window_pages_export (GtkWindow  *window,
                            const char *generation_id)
{
  Pages *pages;
  AdmintExportDialog *dialog;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  pages = get_pages (window);
  if (pages == NULL || pages->store == NULL || generation_id == NULL)
    return NULL;
  dialog = admint_export_dialog_new (window, pages->store, generation_id);
  g_signal_connect (dialog, "exported", G_CALLBACK (on_exported), pages);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
export_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  Pages *pages = user_data;
  const char *id = pages->current_ad != NULL ? pages->current_ad (pages->window) : NULL;

  if (id == NULL)
    {
      AdwToast *toast = adw_toast_new (_("Choose a finished ad in the list to export it"));
      admint_ui_add_toast (pages->overlay, toast);
      return;
    }
  admint_window_pages_export (pages->window, id);
}

static void
on_usage_export (AdmintUsagePage *page,
                 const char      *id,
                 Pages           *pages)
{
  admint_window_pages_export (pages->window, id);
}

/* ---- names for screen readers ---- */

/* A drop-down is a toggle button to AT-SPI, which has no name of its own in GTK 4.8: a screen
 * reader would say "GtkToggleButton". The button is named after the drop-down, with the choice
 * it shows ("Story framework: AIDA"), and renamed when the choice changes. */
static void
name_drop_down_button (GtkDropDown *drop_down,
                       GParamSpec  *pspec,
                       const char  *name)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
  gpointer item = gtk_drop_down_get_selected_item (drop_down);
  g_autofree char *label = NULL;

  while (button != NULL && !GTK_IS_TOGGLE_BUTTON (button))
    button = gtk_widget_get_next_sibling (button);
  if (button == NULL)
    return;
  if (GTK_IS_STRING_OBJECT (item))
    label = g_strdup_printf (_("%s: %s"), name, gtk_string_object_get_string (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label != NULL ? label : name, -1);
}

static void
name_drop_downs (GtkWidget *widget)
{
  static const struct { const char *id; const char *name; } names[] = {
    { "framework_dropdown", N_("Story framework") },
    { "variants_dropdown", N_("Variants") },
    { "kind_filter", N_("Filter by kind") },
    { "kind_editor", N_("Kind of asset") },
  };

  if (GTK_IS_DROP_DOWN (widget))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));
      const char *name = gtk_widget_get_tooltip_text (widget);
      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        if (g_strcmp0 (id, names[i].id) == 0)
          name = _(names[i].name);
      if (name == NULL)
        return;
      name_drop_down_button (GTK_DROP_DOWN (widget), NULL, name);
      g_signal_connect_data (widget, "notify::selected", G_CALLBACK (name_drop_down_button),
                             g_strdup (name), (GClosureNotify) G_CALLBACK (g_free), 0);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    name_drop_downs (c);
}

/* ---- switching pages ---- */

static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  Pages *pages = user_data;
  const char *name = g_action_get_name (G_ACTION (action)) + strlen ("show-");

  adw_view_stack_set_visible_child_name (pages->stack, name);
}

static void
on_library_toast (AdmintLibraryPage *page,
                  AdwToast          *toast,
                  Pages             *pages)
{
  admint_ui_add_toast (pages->overlay, g_object_ref (toast));
}

static void
on_use_in_new_ad (AdmintLibraryPage *page,
                  GListModel        *assets,
                  Pages             *pages)
{
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  /* The library's copies: importing them again finds the same assets (same content). */
  for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
    {
      g_autoptr(AdmintAssetRow) row = g_list_model_get_item (assets, i);
      g_autoptr(GFile) file = g_file_new_for_path (admint_asset_row_get_path (row));
      g_list_store_append (files, file);
    }
  adw_view_stack_set_visible_child_name (pages->stack, "ads");
  gtk_widget_activate_action (GTK_WIDGET (pages->window), "win.new-ad", NULL);
  if (pages->new_ad_files != NULL)
    pages->new_ad_files (pages->window, G_LIST_MODEL (files));
}

void
admint_window_pages_install (AdwApplicationWindow *window,
                             AdwToastOverlay      *overlay,
                             AdmintStore          *store,
                             AdmintCurrentAdFunc   current_ad,
                             AdmintNewAdFilesFunc  new_ad_files)
{
  const GActionEntry actions[] = {
    { "export", export_action },
    { "show-ads", show_page_action },
    { "show-library", show_page_action },
    { "show-usage", show_page_action },
  };
  Pages *pages = g_new0 (Pages, 1);
  g_autoptr(GtkWidget) ads = NULL;
  GtkWidget *box, *switcher;
  AdmintLibraryPage *library = admint_library_page_new ();
  AdmintUsagePage *usage = admint_usage_page_new ();
  AdwViewStackPage *page;

  g_return_if_fail (ADW_IS_APPLICATION_WINDOW (window));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  pages->window = GTK_WINDOW (window);
  pages->overlay = overlay;
  pages->store = store != NULL ? g_object_ref (store) : NULL;
  pages->current_ad = current_ad;
  pages->new_ad_files = new_ad_files;
  if (all_pages == NULL)
    all_pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) pages_free);
  g_hash_table_replace (all_pages, window, pages);
  g_object_weak_ref (G_OBJECT (window), on_window_gone, NULL);

  ads = g_object_ref (adw_toast_overlay_get_child (overlay));
  adw_toast_overlay_set_child (overlay, NULL);
  pages->stack = ADW_VIEW_STACK (adw_view_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (pages->stack), TRUE);
  page = adw_view_stack_add_titled (pages->stack, ads, "ads", _("Ads"));
  adw_view_stack_page_set_icon_name (page, "view-list-symbolic");
  page = adw_view_stack_add_titled (pages->stack, GTK_WIDGET (library), "library", _("Library"));
  adw_view_stack_page_set_icon_name (page, "folder-pictures-symbolic");
  page = adw_view_stack_add_titled (pages->stack, GTK_WIDGET (usage), "usage", _("Usage"));
  adw_view_stack_page_set_icon_name (page, "money-symbolic");

  /* Always shown, at every width: each page is one click away from anywhere. */
  switcher = adw_view_switcher_bar_new ();
  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (switcher), pages->stack);
  adw_view_switcher_bar_set_reveal (ADW_VIEW_SWITCHER_BAR (switcher), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (switcher), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Pages"), -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (pages->stack));
  gtk_box_append (GTK_BOX (box), switcher);
  adw_toast_overlay_set_child (overlay, box);
  name_drop_downs (box);

  admint_library_page_set_store (library, store);
  admint_usage_page_set_store (usage, store);
  g_signal_connect (library, "use-in-new-ad", G_CALLBACK (on_use_in_new_ad), pages);
  g_signal_connect (library, "toast", G_CALLBACK (on_library_toast), pages);
  g_signal_connect (usage, "export-requested", G_CALLBACK (on_usage_export), pages);
  g_action_map_add_action_entries (G_ACTION_MAP (window), actions, G_N_ELEMENTS (actions), pages);
}
