/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared set-up of the page tests: a throw-away home, a file keyring, waits, drops, screenshots. */
#include "config.h"

#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "ui-test-util.h"

const char *
ui_test_init (int    *argc,
              char ***argv)
{
  const char *root = admint_test_init (argc, argv);
  g_autofree char *keyring = g_build_filename (root, "keyring", "test.keyring", NULL);

  /* libsecret's file backend: an encrypted file in the test's folder, no real keyring. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("REPLICATE_API_TOKEN");
  g_unsetenv ("ADMINT_OPENAI_BASE_URL");
  g_unsetenv ("ADMINT_REPLICATE_BASE_URL");
  gtk_init ();
  adw_init ();
  return root;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ui_test_wait (UiTestCondition  cond,
              gpointer         data,
              guint            timeout_ms,
              const char      *what)
{
  gboolean timed_out = FALSE;
  guint id;

  timeout_ms *= admint_test_time_scale ();
  id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u ms waiting for %s", timeout_ms, what);
  g_source_remove (id);
}

void
ui_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
ui_test_drop_files (GtkWidget          *widget,
                    const char * const *paths)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GtkDropTarget *target = NULL;
  GSList *files = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  for (guint i = 0; paths[i] != NULL; i++)
    files = g_slist_append (files, g_file_new_for_path (paths[i]));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
}

char *
ui_test_make_png (const char *name,
                  int         width,
                  int         height,
                  guint32     rgba)
{
  char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);

  gdk_pixbuf_fill (pixbuf, rgba);
  /* A stripe, so that no two pictures of one colour are the same file. */
  for (int y = 0; y < MIN (height, 8); y++)
    {
      guchar *row = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf);
      for (int x = 0; x < width; x++)
        row[x * 3] = (guchar) (g_str_hash (name) >> (x % 24));
    }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return path;
}

typedef struct
{
  GtkWindow *window;
  int        width;
} SizeWait;

/* Names the deepest widgets that ask for more than LIMIT px, to say what keeps a window wide. */
static gboolean
report_wide (GtkWidget *widget,
             int        limit)
{
  int min = 0;
  gboolean child_wide = FALSE;

  if (!gtk_widget_get_visible (widget))
    return FALSE;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (min <= limit)
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    child_wide |= report_wide (child, limit);
  if (!child_wide)
    g_printerr ("# %s (%s) needs %d px\n", G_OBJECT_TYPE_NAME (widget),
                gtk_widget_get_css_name (widget), min);
  return TRUE;
}

static gboolean
has_width (gpointer data)
{
  SizeWait *wait = data;
  int width = gtk_widget_get_width (GTK_WIDGET (wait->window));

  g_debug ("window width %d, want %d", width, wait->width);
  /* A window with client-side decorations is a little narrower than its default size. */
  return gtk_widget_get_mapped (GTK_WIDGET (wait->window)) && width <= wait->width &&
         width >= wait->width - 24;
}

void
ui_test_screenshots (GtkWindow  *window,
                     const char *name)
{
  ui_test_screenshots_at (window, name, 1100, 720);
}

void
ui_test_screenshots_at (GtkWindow  *window,
                        const char *name,
                        int         wide_width,
                        int         height)
{
  const int widths[] = { wide_width, 360 };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark < 2; dark++)
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        SizeWait wait = { window, widths[w] };
        g_autofree char *file = g_strdup_printf ("%s-%s-%s.png", name, dark ? "dark" : "light",
                                                 w == 0 ? "wide" : "narrow");

        adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);
        gtk_window_set_default_size (window, widths[w], height);
        gtk_widget_queue_resize (GTK_WIDGET (window));
        for (guint attempt = 0; attempt < 20 && !has_width (&wait); attempt++)
          {
            /* Without a window manager a shown window may keep its size: show it anew. */
            if (attempt % 5 == 4)
              {
                gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
                gtk_window_set_default_size (window, widths[w], height);
                gtk_window_present (window);
              }
            ui_test_wait_ms (500);
          }
        if (!has_width (&wait))
          {
            int width = gtk_widget_get_width (GTK_WIDGET (window));
            /* Wider than asked when the content cannot shrink so far: say what is too wide. */
            if (width > widths[w])
              report_wide (GTK_WIDGET (window), widths[w] - 40);
            g_error ("The window is %d px wide where %d px were asked", width, widths[w]);
          }
        /* Let the style change and the fold finish their transitions. */
        ui_test_wait_ms (600);
        admint_test_save_screenshot (GTK_WIDGET (window), file);
      }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}
