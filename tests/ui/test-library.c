/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Library page: drop and chooser (a bad file among good ones), tags, filters, Undo, New Ad. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-application.h"
#include "admint-library-page.h"
#include "admint-store.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "admint-window.h"
#include "ui-test-util.h"

typedef struct
{
  GtkWindow         *window;
  AdmintLibraryPage *page;
  AdmintStore       *store;
  GPtrArray         *toasts;   /* the titles of the toasts shown */
} Fixture;

static void
on_toast (AdmintLibraryPage *page,
          AdwToast          *toast,
          Fixture           *f)
{
  g_ptr_array_add (f->toasts, g_strdup (adw_toast_get_title (toast)));
  g_test_message ("toast: %s", adw_toast_get_title (toast));
}

static gboolean
idle_page (gpointer data)
{
  Fixture *f = data;
  return admint_library_page_get_pending (f->page) == 0;
}

static gboolean
thumbnails_loaded (gpointer data)
{
  Fixture *f = data;
  return admint_library_page_get_pending (f->page) == 0 &&
         admint_library_page_get_loading (f->page) == 0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;

  f->store = admint_store_open (NULL, &error);
  g_assert_no_error (error);
  f->toasts = g_ptr_array_new_with_free_func (g_free);
  f->window = GTK_WINDOW (gtk_window_new ());
  f->page = admint_library_page_new ();
  g_signal_connect (f->page, "toast", G_CALLBACK (on_toast), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_set_default_size (f->window, 900, 600);
  gtk_window_present (f->window);
  admint_library_page_set_store (f->page, f->store);
  ui_test_wait (idle_page, f, 10000, "the library to list");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  unused)
{
  gtk_window_destroy (f->window);
  g_ptr_array_unref (f->toasts);
  g_object_unref (f->store);
  /* The next test starts from an empty library. */
  g_autofree char *data = g_build_filename (admint_test_get_root (), "data", "admint", NULL);
  admint_test_rm_rf (data);
}

static gboolean
toast_mentions (Fixture    *f,
                const char *needle)
{
  for (guint i = 0; i < f->toasts->len; i++)
    if (strstr (f->toasts->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static char *
make_bad_file (const char *name)
{
  char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_assert_true (g_file_set_contents (path, "this is not a picture\n", -1, NULL));
  return path;
}

static guint
n_assets (Fixture *f)
{
  return g_list_model_get_n_items (admint_library_page_get_assets (f->page));
}

/* Two photos and a text file named like a photo, dropped at once: the photos come in, the
 * text file gets a toast naming it and saying why, and the grid shows thumbnails. */
static void
test_import_by_drop (Fixture       *f,
                     gconstpointer  unused)
{
  g_autofree char *a = ui_test_make_png ("bottle.png", 640, 480, 0x2e7d32ff);
  g_autofree char *b = ui_test_make_png ("hiker.png", 480, 640, 0x1565c0ff);
  g_autofree char *bad = make_bad_file ("notes.png");
  const char *paths[] = { a, bad, b, NULL };

  ui_test_drop_files (GTK_WIDGET (f->page), paths);
  ui_test_wait (thumbnails_loaded, f, 20000, "the imports and their thumbnails");
  g_assert_cmpuint (n_assets (f), ==, 2);
  g_assert_true (toast_mentions (f, "notes.png"));
  g_assert_false (toast_mentions (f, "bottle.png"));

  /* The same photo again is refused as a duplicate, by name. */
  const char *again[] = { a, NULL };
  ui_test_drop_files (GTK_WIDGET (f->page), again);
  ui_test_wait (idle_page, f, 10000, "the duplicate");
  g_assert_cmpuint (n_assets (f), ==, 2);
  g_assert_true (toast_mentions (f, "already in the library"));

  /* What the store holds is what the page shows. */
  g_autoptr(GListModel) stored = admint_store_list_assets (f->store, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (stored), ==, 2);
}

static gboolean
chooser_picked (gpointer data)
{
  GtkFileChooser *chooser = data;
  g_autoptr(GListModel) picked = gtk_file_chooser_get_files (chooser);

  if (g_list_model_get_n_items (picked) == 1)
    {
      g_autoptr(GFile) file = g_list_model_get_item (picked, 0);
      if (g_file_equal (file, g_object_get_data (G_OBJECT (chooser), "file")))
        return TRUE;
    }
  /* Selecting again once the folder has loaded. */
  gtk_file_chooser_set_file (chooser, g_object_get_data (G_OBJECT (chooser), "file"), NULL);
  ui_test_wait_ms (100);
  return FALSE;
}

/* Add opens a native file chooser for several files; its answer (a photo and a bad file)
 * imports the photo and names the bad file. */
static void
test_import_by_chooser (Fixture       *f,
                        gconstpointer  unused)
{
  g_autofree char *good = ui_test_make_png ("label.png", 300, 300, 0xf9a825ff);
  g_autofree char *bad = g_build_filename (admint_test_get_root (), "broken.png", NULL);
  GtkFileChooser *chooser;
  /* A PNG's signature and then nothing a decoder can use: the chooser offers it, the import
   * refuses it. */
  static const char truncated[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR garbage";

  g_assert_true (g_file_set_contents (bad, truncated, sizeof truncated - 1, NULL));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "library.add", NULL);
  chooser = admint_library_page_get_chooser (f->page);
  g_assert_true (GTK_IS_FILE_CHOOSER_NATIVE (chooser));
  g_assert_true (gtk_file_chooser_get_select_multiple (chooser));
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_OPEN);

  /* The chooser's answer, one file at a time as a person would pick them. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (i == 0 ? good : bad);
      if (i == 1)
        {
          gtk_widget_activate_action (GTK_WIDGET (f->page), "library.add", NULL);
          chooser = admint_library_page_get_chooser (f->page);
        }
      g_assert_true (gtk_file_chooser_set_file (chooser, file, NULL));
      /* The fallback dialog (no portal under Xvfb) selects the file once its folder loaded;
       * in a process of its own (the case runs alone) GTK's first chooser takes longer. */
      g_object_set_data (G_OBJECT (chooser), "file", file);
      ui_test_wait (chooser_picked, chooser, 30000, "the chooser to select the file");
      g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
      ui_test_wait (idle_page, f, 10000, "the chosen file");
    }
  g_assert_cmpuint (n_assets (f), ==, 1);
  g_assert_true (toast_mentions (f, "broken.png"));
}

/* Kind and tags are saved in the store, and the filters find by kind, tag and name. */
static void
test_tag_and_filter (Fixture       *f,
                     gconstpointer  unused)
{
  g_autofree char *a = ui_test_make_png ("acme-logo.png", 200, 200, 0xc62828ff);
  g_autofree char *b = ui_test_make_png ("shoe.png", 400, 300, 0x6a1b9aff);
  g_autofree char *c = ui_test_make_png ("runner.png", 300, 400, 0x00838fff);
  const char *paths[] = { a, b, c, NULL };
  const char *tags[] = { "summer", "red", NULL };
  GListModel *shown = admint_library_page_get_shown (f->page);

  ui_test_drop_files (GTK_WIDGET (f->page), paths);
  ui_test_wait (idle_page, f, 20000, "the imports");
  g_assert_cmpuint (n_assets (f), ==, 3);

  /* The one named like a logo came in as a logo. */
  admint_library_page_set_filter (f->page, NULL, "logo", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  admint_library_page_set_filter (f->page, NULL, NULL, NULL);

  /* The shoe becomes a character tagged summer, red. */
  admint_library_page_set_filter (f->page, "SHOE", NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  admint_library_page_select (f->page, 0, FALSE);
  admint_library_page_edit_selected (f->page, "character", tags);
  ui_test_wait (idle_page, f, 10000, "the edit");
  admint_library_page_set_filter (f->page, NULL, NULL, NULL);

  g_autoptr(GListModel) stored = admint_store_list_assets (f->store, NULL);
  gboolean found = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (stored); i++)
    {
      g_autoptr(AdmintAssetRow) row = g_list_model_get_item (stored, i);
      if (g_str_equal (admint_asset_row_get_original_name (row), "shoe.png"))
        {
          found = TRUE;
          g_assert_cmpstr (admint_asset_row_get_kind (row), ==, "character");
          g_assert_cmpstrv (admint_asset_row_get_tags (row), tags);
        }
    }
  g_assert_true (found);

  admint_library_page_set_filter (f->page, NULL, NULL, "sum");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  admint_library_page_set_filter (f->page, NULL, "product", "summer");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  admint_library_page_set_filter (f->page, NULL, "product", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  admint_library_page_set_filter (f->page, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);

  /* A bad tag is refused with a reason, and nothing changes. */
  const char *bad_tags[] = { "tab\there", NULL };
  guint before = f->toasts->len;
  admint_library_page_select (f->page, 0, FALSE);
  admint_library_page_edit_selected (f->page, "product", bad_tags);
  ui_test_wait (idle_page, f, 10000, "the refused edit");
  g_assert_cmpuint (f->toasts->len, >, before);
  g_assert_true (toast_mentions (f, "cannot be used"));

  ui_test_wait (thumbnails_loaded, f, 20000, "the thumbnails");
  ui_test_screenshots (f->window, "library");
}

static gboolean
store_has (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GListModel) stored = admint_store_list_assets (f->store, NULL);
  return g_list_model_get_n_items (stored) == GPOINTER_TO_UINT (g_object_get_data (
    G_OBJECT (f->page), "expect"));
}

/* Delete shows an Undo toast: Undo brings the asset back; letting the toast go removes it
 * from the store. */
static void
test_delete_undo (Fixture       *f,
                  gconstpointer  unused)
{
  g_autofree char *a = ui_test_make_png ("one.png", 100, 100, 0x455a64ff);
  g_autofree char *b = ui_test_make_png ("two.png", 100, 100, 0x8d6e63ff);
  const char *paths[] = { a, b, NULL };

  ui_test_drop_files (GTK_WIDGET (f->page), paths);
  ui_test_wait (idle_page, f, 20000, "the imports");
  admint_library_page_select (f->page, 0, FALSE);
  admint_library_page_delete_selected (f->page);
  g_assert_cmpuint (n_assets (f), ==, 1);
  g_assert_true (toast_mentions (f, "deleted"));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "library.undo", NULL);
  ui_test_wait (idle_page, f, 10000, "the undo");
  g_assert_cmpuint (n_assets (f), ==, 2);

  /* A second delete, without Undo this time: a later delete makes the first final. */
  admint_library_page_select (f->page, 0, FALSE);
  admint_library_page_delete_selected (f->page);
  admint_library_page_select (f->page, 0, FALSE);
  admint_library_page_delete_selected (f->page);
  g_object_set_data (G_OBJECT (f->page), "expect", GUINT_TO_POINTER (1));
  ui_test_wait (store_has, f, 10000, "the first delete to reach the store");
  g_assert_cmpuint (n_assets (f), ==, 0);
}

/* ---- "Use in New Ad" through the whole window ---- */

typedef struct
{
  AdmintApplication *app;
  gboolean           done;
} AppRun;

static gboolean
window_has_assets (gpointer data)
{
  return admint_window_get_n_assets (data) == 1;
}

static gboolean
library_idle (gpointer data)
{
  return admint_library_page_get_pending (data) == 0;
}

static gboolean
is_use_button (GtkWidget     *widget,
               gconstpointer  unused)
{
  return GTK_IS_BUTTON (widget) &&
         g_str_has_prefix (gtk_widget_get_tooltip_text (widget) ?: "", "Use in New Ad");
}

static gboolean
drive_window (gpointer data)
{
  AppRun *run = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  AdmintLibraryPage *page;
  g_autofree char *photo = ui_test_make_png ("kettle.png", 320, 240, 0xef6c00ff);
  const char *paths[] = { photo, NULL };

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;

  page = ADMINT_LIBRARY_PAGE (admint_test_find_widget (GTK_WIDGET (window),
                                                       ADMINT_TYPE_LIBRARY_PAGE));
  g_assert_nonnull (page);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-library", NULL);
  ui_test_drop_files (GTK_WIDGET (page), paths);
  ui_test_wait (library_idle, page, 20000, "the import");
  g_assert_cmpuint (g_list_model_get_n_items (admint_library_page_get_assets (page)), ==, 1);
  admint_library_page_select (page, 0, FALSE);

  GtkWidget *stack = admint_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==, "library");
  GtkWidget *use = admint_test_find_widget_by (GTK_WIDGET (page), is_use_button, NULL, FALSE);
  g_assert_nonnull (use);
  g_assert_true (gtk_widget_get_sensitive (use));
  g_signal_emit_by_name (use, "clicked");
  ui_test_wait (window_has_assets, window, 20000, "the chip on the new-ad page");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==, "ads");
  run->done = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             AppRun       *run)
{
  g_timeout_add (100, drive_window, run);
}

static void
test_use_in_new_ad (void)
{
  AppRun run = { 0 };

  run.app = admint_application_new ();
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (on_activate), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run.app), 0, NULL), ==, 0);
  g_assert_true (run.done);
  g_object_unref (run.app);
}

static gboolean
styles_idle (gpointer data)
{
  Fixture *f = data;
  return admint_styles_panel_get_busy (admint_library_page_get_styles_panel (f->page)) == 0;
}

/* A brand style made from the logo's colours, edited (a colour button, the framework, the voice)
 * and saved: the store has what the rows show, and it is the default for new ads. */
static void
test_styles (Fixture       *f,
             gconstpointer  unused)
{
  g_autofree char *logo = ui_test_make_png ("acme-logo.png", 200, 200, 0xd03020ff);
  const char *paths[] = { logo, NULL };
  AdmintStylesPanel *panel = admint_library_page_get_styles_panel (f->page);
  g_autoptr(AdmintBrandStyle) stored = NULL;
  g_autoptr(GError) error = NULL;
  AdmintBrandStyle *shown;
  GListModel *frameworks;
  guint pas = G_MAXUINT;

  ui_test_drop_files (GTK_WIDGET (f->page), paths);
  ui_test_wait (thumbnails_loaded, f, 20000, "the logo");
  admint_library_page_show_styles (f->page, TRUE);
  ui_test_wait (styles_idle, f, 10000, "the styles to list");
  g_assert_cmpuint (admint_styles_panel_get_styles (panel)->len, ==, 0);

  admint_styles_panel_add (panel, "Acme");
  ui_test_wait (styles_idle, f, 10000, "the new style");
  g_assert_cmpuint (admint_styles_panel_get_styles (panel)->len, ==, 1);
  shown = g_ptr_array_index (admint_styles_panel_get_styles (panel), 0);
  g_assert_cmpstr (shown->name, ==, "Acme");
  g_assert_true (shown->is_default);
  g_assert_cmpint (shown->logo_asset_id, >, 0);
  /* The logo is one red: its palette starts with that red. */
  g_assert_cmpuint (g_strv_length (shown->palette), >=, 1);
  g_test_message ("palette from the logo: %s", shown->palette[0]);
  g_assert_true (g_str_has_prefix (shown->palette[0], "#d") ||
                 g_str_has_prefix (shown->palette[0], "#c"));

  admint_styles_panel_set_colour (panel, 0, 1, "#123456");
  frameworks = adw_combo_row_get_model (ADW_COMBO_ROW (admint_styles_panel_get_editor (
                                                         panel, 0, "framework")));
  for (guint i = 0; i < g_list_model_get_n_items (frameworks); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (frameworks), i), "PAS"))
      pas = i;
  g_assert_cmpuint (pas, !=, G_MAXUINT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (admint_styles_panel_get_editor (panel, 0,
                                                                             "framework")), pas);
  gtk_editable_set_text (GTK_EDITABLE (admint_styles_panel_get_editor (panel, 0, "voice")), "kal");
  admint_styles_panel_save (panel, 0);
  ui_test_wait (styles_idle, f, 10000, "the style to be saved");

  stored = admint_store_get_style (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->name, ==, "Acme");
  g_assert_cmpstr (stored->palette[1], ==, "#123456");
  g_assert_cmpstr (stored->framework, ==, "PAS");
  g_assert_cmpstr (stored->voice, ==, "kal");

  /* An empty name is refused on its row, and nothing changes. */
  gtk_editable_set_text (GTK_EDITABLE (admint_styles_panel_get_editor (panel, 0, "name")), " ");
  admint_styles_panel_save (panel, 0);
  g_assert_true (gtk_widget_has_css_class (admint_styles_panel_get_editor (panel, 0, "name"),
                                           "error"));
  g_assert_true (toast_mentions (f, "needs a name"));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (admint_styles_panel_get_editor (panel, 0, NULL)),
                                 TRUE);
  gtk_editable_set_text (GTK_EDITABLE (admint_styles_panel_get_editor (panel, 0, "name")), "Acme");
  ui_test_screenshots (f->window, "library-styles");

  admint_styles_panel_delete (panel, 0);
  ui_test_wait (styles_idle, f, 10000, "the style to be deleted");
  g_assert_cmpuint (admint_styles_panel_get_styles (panel)->len, ==, 0);
  g_clear_pointer (&stored, admint_brand_style_free);
  g_assert_null (admint_store_get_style (f->store, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add ("/library/import-by-drop", Fixture, NULL, fixture_setup, test_import_by_drop,
              fixture_teardown);
  g_test_add ("/library/import-by-chooser", Fixture, NULL, fixture_setup,
              test_import_by_chooser, fixture_teardown);
  g_test_add ("/library/tag-and-filter", Fixture, NULL, fixture_setup, test_tag_and_filter,
              fixture_teardown);
  g_test_add ("/library/delete-undo", Fixture, NULL, fixture_setup, test_delete_undo,
              fixture_teardown);
  g_test_add_func ("/library/use-in-new-ad", test_use_in_new_ad);
  g_test_add ("/library/styles", Fixture, NULL, fixture_setup, test_styles, fixture_teardown);
  return g_test_run ();
}
