/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Exporting a generation's clips into a folder, off the caller's main loop. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-export.h"

static gint
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return GPOINTER_TO_INT (a) - GPOINTER_TO_INT (b);
}

GPtrArray *
admint_export_clip_paths (JsonObject *generation)
{
  g_autoptr(GHashTable) newest = g_hash_table_new (g_direct_hash, g_direct_equal);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  JsonArray *clips;
  GList *keys;

  g_return_val_if_fail (generation != NULL, paths);

  clips = json_object_has_member (generation, "clips")
          ? json_object_get_array_member (generation, "clips") : NULL;
  for (guint i = 0; clips != NULL && i < json_array_get_length (clips); i++)
    {
      JsonObject *clip = json_array_get_object_element (clips, i);
      JsonObject *seen;
      const char *path;
      gint64 scene;

      if (clip == NULL || !json_object_has_member (clip, "local_path") ||
          json_object_get_null_member (clip, "local_path"))
        continue;
      path = json_object_get_string_member (clip, "local_path");
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      scene = json_object_get_int_member (clip, "scene_index");
      seen = g_hash_table_lookup (newest, GINT_TO_POINTER ((int) scene + 1));
      if (seen == NULL || json_object_get_int_member (seen, "version") <
                          json_object_get_int_member (clip, "version"))
        g_hash_table_insert (newest, GINT_TO_POINTER ((int) scene + 1), clip);
    }
  keys = g_list_sort (g_hash_table_get_keys (newest), compare_keys);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonObject *clip = g_hash_table_lookup (newest, l->data);
      g_ptr_array_add (paths, g_strdup (json_object_get_string_member (clip, "local_path")));
    }
  g_list_free (keys);
  return paths;
}

typedef struct
{
  GPtrArray *clips;
  char      *dir;
} ClipsData;

static void
clips_data_free (ClipsData *data)
{
  g_ptr_array_unref (data->clips);
  g_free (data->dir);
  g_free (data);
}

static void
clips_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ClipsData *data = task_data;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if (g_mkdir_with_parents (data->dir, 0755) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("Cannot create the folder %s: %s. Choose a folder you may "
                                 "write to."), data->dir, g_strerror (saved));
      return;
    }
  for (guint i = 0; i < data->clips->len; i++)
    {
      const char *path = data->clips->pdata[i];
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *name = g_strdup_printf ("scene-%02u-%s", i + 1, base);
      g_autoptr(GFile) src = g_file_new_for_path (path);
      g_autoptr(GFile) dst = g_file_new_build_filename (data->dir, name, NULL);

      if (!g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error))
        {
          /* No half set of clips is left behind. */
          g_file_delete (dst, NULL, NULL);
          for (guint j = 0; j < written->len; j++)
            g_unlink (written->pdata[j]);
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (written, g_file_get_path (dst));
    }
  g_task_return_int (task, written->len);
}

void
admint_export_clips_async (GPtrArray           *clips,
                           const char          *dir,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ClipsData *data;

  g_return_if_fail (clips != NULL);
  g_return_if_fail (dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_export_clips_async);
  data = g_new0 (ClipsData, 1);
  data->clips = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < clips->len; i++)
    g_ptr_array_add (data->clips, g_strdup (clips->pdata[i]));
  data->dir = g_strdup (dir);
  g_task_set_task_data (task, data, (GDestroyNotify) clips_data_free);
  g_task_run_in_thread (task, clips_thread);
}

gint64
admint_export_clips_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

char *
admint_export_captions_source (const char  *video,
                               const char  *format,
                               GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (video != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  if (!g_str_equal (format, "srt") && !g_str_equal (format, "vtt"))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("--captions takes srt or vtt (got “%s”)"), format);
      return NULL;
    }
  /* The sound stage writes final.srt and final.vtt beside final.mp4. */
  path = admint_export_captions_path (video, format);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("This generation has no captions (%s is missing): it was made before ads "
                     "had sound, or its sound stage has not run. Make it again, or resume it"),
                   path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

char *
admint_export_captions (const char  *source,
                        const char  *output,
                        GError     **error)
{
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autofree char *path = NULL;
  const char *ext;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);

  ext = strrchr (source, '.');
  path = admint_export_captions_path (output, ext != NULL ? ext + 1 : "srt");
  from = g_file_new_for_path (source);
  to = g_file_new_for_path (path);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&path);
}

char *
admint_export_captions_path (const char *video,
                             const char *format)
{
  g_autofree char *base = NULL;
  const char *slash, *dot;

  g_return_val_if_fail (video != NULL && format != NULL, NULL);

  slash = strrchr (video, '/');
  dot = strrchr (video, '.');
  base = dot != NULL && (slash == NULL || dot > slash) ? g_strndup (video, dot - video)
                                                         : g_strdup (video);
  return g_strconcat (base, ".", format, NULL);
}
