/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the GUI tests: finding widgets and saving what the window shows as a PNG. */
#include "config.h"

#include "admint-test-gui.h"

GtkWidget *
admint_test_find_widget_by (GtkWidget             *widget,
                            AdmintTestWidgetMatch  match,
                            gconstpointer          data,
                            gboolean               skip_hidden)
{
  if (skip_hidden && !gtk_widget_get_visible (widget))
    return NULL;
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = admint_test_find_widget_by (child, match, data, skip_hidden);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
admint_test_find_widget (GtkWidget *widget,
                         GType      type)
{
  return admint_test_find_widget_by (widget, is_of_type, GSIZE_TO_POINTER (type), FALSE);
}

void
admint_test_save_screenshot (GtkWidget  *widget,
                             const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;

  /* Right after a resize the widget may not have drawn yet (a loaded machine): let the frame
   * clock run until it has, for up to 10 s. */
  for (int tries = 0; node == NULL && tries < 500; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          g_usleep (20000);
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
    }
  g_assert_nonnull (node);

  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr(GdkTexture) texture = gsk_renderer_render_texture (renderer, node,
                                                               &GRAPHENE_RECT_INIT (0, 0, width,
                                                                                    height));
  const char *dir = g_getenv ("ADMINT_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved to %s", path);

  /* A blank picture would mean nothing was drawn. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  gsize stride = width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  guint distinct = 0;
  guint32 first = *(guint32 *) pixels;
  for (gsize i = 0; i < stride * height; i += 4 * 97)
    if (*(guint32 *) (pixels + i) != first)
      distinct++;
  g_assert_cmpuint (distinct, >, 100);
}
