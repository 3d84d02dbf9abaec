/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Images for the AI services: downscaled and base64-encoded as data: URLs. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-error.h"
#include "admint-ai-image.h"

char *
admint_ai_image_data_url (const char  *path,
                          guint        max_side,
                          GError     **error)
{
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *b64 = NULL;
  gsize size = 0;
  int w, h;
  gboolean alpha;

  g_return_val_if_fail (path != NULL, NULL);

  loaded = gdk_pixbuf_new_from_file (path, &local_error);
  if (loaded == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Could not read the image “%s”: %s. Use a PNG, JPEG or WebP file."),
                   path, local_error->message);
      return NULL;
    }
  oriented = gdk_pixbuf_apply_embedded_orientation (loaded);
  w = gdk_pixbuf_get_width (oriented);
  h = gdk_pixbuf_get_height (oriented);
  if (max_side > 0 && (guint) MAX (w, h) > max_side)
    {
      double f = (double) max_side / MAX (w, h);
      scaled = gdk_pixbuf_scale_simple (oriented, MAX (1, (int) (w * f + 0.5)),
                                        MAX (1, (int) (h * f + 0.5)), GDK_INTERP_BILINEAR);
    }
  else
    scaled = g_object_ref (oriented);

  alpha = gdk_pixbuf_get_has_alpha (scaled);
  if (!gdk_pixbuf_save_to_buffer (scaled, &buffer, &size, alpha ? "png" : "jpeg", &local_error,
                                  alpha ? NULL : "quality", alpha ? NULL : "90", NULL))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Could not encode the image “%s”: %s."), path, local_error->message);
      return NULL;
    }
  b64 = g_base64_encode ((const guchar *) buffer, size);
  return g_strdup_printf ("data:%s;base64,%s", alpha ? "image/png" : "image/jpeg", b64);
}

static void
data_url_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  char *url = admint_ai_image_data_url (task_data, GPOINTER_TO_UINT (
                                          g_object_get_data (G_OBJECT (task), "max-side")),
                                        &error);
  if (url == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, url, g_free);
}

void
admint_ai_image_data_url_async (const char          *path,
                                guint                max_side,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_ai_image_data_url_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (task), "max-side", GUINT_TO_POINTER (max_side));
  g_task_run_in_thread (task, data_url_thread);
}

char *
admint_ai_image_data_url_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
admint_ai_file_data_url (GBytes     *bytes,
                         const char *filename)
{
  gsize len;
  const guchar *data;
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *b64 = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  type = g_content_type_guess (filename, data, len, NULL);
  mime = g_content_type_get_mime_type (type);
  b64 = g_base64_encode (data, len);
  return g_strdup_printf ("data:%s;base64,%s", mime ? mime : "application/octet-stream", b64);
}
