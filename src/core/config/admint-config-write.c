/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes settings into the user's config.yaml: validated, checked whole, renamed into place. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "admint-config-private.h"
#include "admint-config-write.h"
#include "admint-error.h"
#include "admint-paths.h"

/* ---- YAML out ---- */

static gboolean
is_plain_key (const char *key)
{
  if (*key == '\0')
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static void
append_key (GString    *out,
            const char *key)
{
  if (is_plain_key (key))
    g_string_append (out, key);
  else
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), key);
      g_autofree char *quoted = json_to_string (node, FALSE);
      g_string_append (out, quoted);
    }
}

static void
emit (GString  *out,
      JsonNode *node,
      int       indent)
{
  if (JSON_NODE_HOLDS_OBJECT (node) && json_object_get_size (json_node_get_object (node)) > 0)
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *child = json_object_get_member (object, l->data);

          g_string_append_c (out, '\n');
          for (int i = 0; i < indent; i++)
            g_string_append (out, "  ");
          append_key (out, l->data);
          g_string_append_c (out, ':');
          if (!(JSON_NODE_HOLDS_OBJECT (child) &&
                json_object_get_size (json_node_get_object (child)) > 0))
            g_string_append_c (out, ' ');
          emit (out, child, indent + 1);
        }
      return;
    }
  /* Scalars, lists and empty maps as JSON: JSON's forms are YAML flow forms. A double that
   * happens to be whole keeps its point, so it reads back as a double. */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node));
      g_string_append (out, buffer);
      if (strpbrk (buffer, ".eEn") == NULL)
        g_string_append (out, ".0");
      return;
    }
  g_autofree char *text = json_to_string (node, FALSE);
  g_string_append (out, text);
}

char *
admint_config_json_to_yaml (JsonNode *node)
{
  GString *out = g_string_new ("# Ad Mint settings (written by the app's Preferences; "
                               "docs/config.md describes each key).");

  g_return_val_if_fail (node != NULL, NULL);
  emit (out, node, 0);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/* ---- the user's file as JSON ---- */

/* An empty mapping. json_node_init_object() takes its own reference on the object, so the
 * new object's first reference has to be dropped here (it used to leak with every write). */
static JsonNode *
new_empty_object (void)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  return node;
}

static JsonNode *
read_user_file (const char  *path,
                GError     **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  AdmintYamlFile *file;
  yaml_node_t *root;
  JsonNode *json = NULL;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return new_empty_object ();
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot read %s: %s. Check its permissions."), path, local->message);
      return NULL;
    }
  file = admint_yaml_file_parse (path, text, length, errors);
  root = file != NULL ? admint_yaml_file_root (file) : NULL;
  if (root != NULL && !admint_yaml_is_null (root))
    json = admint_yaml_to_json (file, root, errors);
  else if (file != NULL)
    json = new_empty_object ();
  g_clear_pointer (&file, admint_yaml_file_free);
  if (json != NULL && !JSON_NODE_HOLDS_OBJECT (json))
    {
      g_clear_pointer (&json, json_node_unref);
      g_ptr_array_add (errors, g_strdup_printf (_("%s: the file must be a mapping of settings"),
                                                path));
    }
  if (json == NULL || errors->len > 0)
    {
      g_ptr_array_add (errors, NULL);
      g_autofree char *all = g_strjoinv ("\n", (char **) errors->pdata);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   _("%s\nFix or move away %s before changing settings here."), all, path);
      g_clear_pointer (&json, json_node_unref);
      return NULL;
    }
  return json;
}

/* The member at DOTTED_KEY of ROOT (an object), or NULL. */
static JsonNode *
lookup_path (JsonNode   *root,
             const char *dotted_key)
{
  g_auto(GStrv) parts = g_strsplit (dotted_key, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  return node;
}

static void
set_path (JsonNode   *root,
          const char *dotted_key,
          JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (dotted_key, ".", -1);
  JsonObject *object = json_node_get_object (root);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *child = json_object_get_member (object, parts[i]);
      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          json_object_set_object_member (object, parts[i], json_object_new ());
          child = json_object_get_member (object, parts[i]);
        }
      object = json_node_get_object (child);
    }
  json_object_set_member (object, parts[n - 1], json_node_copy (value));
}

/* ---- writing ---- */

static gboolean
write_checked (const char  *path,
               const char  *text,
               GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_build_filename (dir, ".config.yaml-XXXXXX", NULL);
  gsize length = strlen (text);
  int fd;

  if (!admint_paths_ensure_dir (dir, error))
    return FALSE;
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot write into %s: %s. Check that the folder is writable."), dir,
                   g_strerror (saved));
      return FALSE;
    }
  for (gsize done = 0; done < length;)
    {
      ssize_t n = write (fd, text + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          close (fd);
          g_unlink (tmp);
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                       _("Cannot write %s: %s. Check that the disk is not full."), tmp,
                       g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot write %s: %s. Check that the disk is not full."), tmp,
                   g_strerror (saved));
      return FALSE;
    }
  /* The whole new file must pass the same check as `admint config check`. */
  if (!admint_config_check_file (tmp, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot replace %s: %s. Check that the folder is writable."), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
admint_config_write_user (const char * const  *keys,
                          const char * const  *values,
                          char               **out_bad_key,
                          GError             **error)
{
  g_autofree char *path = admint_paths_config_file ();
  g_autoptr(AdmintConfig) config = NULL;
  g_autoptr(JsonNode) file = NULL;
  g_autoptr(JsonNode) effective = NULL;
  g_autofree char *yaml = NULL;

  g_return_val_if_fail (keys != NULL && values != NULL, FALSE);
  g_return_val_if_fail (g_strv_length ((char **) keys) == g_strv_length ((char **) values), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_bad_key != NULL)
    *out_bad_key = NULL;
  config = admint_config_load (NULL, error);
  if (config == NULL)
    return FALSE;
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;

      admint_config_set_override (config, keys[i], values[i], &local);
      if (local != NULL)
        {
          if (out_bad_key != NULL)
            *out_bad_key = g_strdup (keys[i]);
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG, "%s: %s", keys[i],
                       local->message);
          return FALSE;
        }
    }

  file = read_user_file (path, error);
  if (file == NULL)
    return FALSE;
  /* The typed values, as the config parsed them. */
  effective = admint_config_to_json (config);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      JsonNode *value = lookup_path (effective, keys[i]);
      g_assert (value != NULL);
      set_path (file, keys[i], value);
    }
  yaml = admint_config_json_to_yaml (file);
  if (!write_checked (path, yaml, error))
    {
      if (out_bad_key != NULL && keys[0] != NULL && keys[1] == NULL)
        *out_bad_key = g_strdup (keys[0]);
      return FALSE;
    }
  g_debug ("Wrote %u settings to %s", g_strv_length ((char **) keys), path);
  return TRUE;
}

typedef struct
{
  GStrv  keys;
  GStrv  values;
  char  *bad_key;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_strfreev (data->keys);
  g_strfreev (data->values);
  g_free (data->bad_key);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (admint_config_write_user ((const char * const *) data->keys,
                                (const char * const *) data->values, &data->bad_key, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
admint_config_write_user_async (const char * const  *keys,
                                const char * const  *values,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  WriteData *data = g_new0 (WriteData, 1);

  g_return_if_fail (keys != NULL && values != NULL);

  data->keys = g_strdupv ((char **) keys);
  data->values = g_strdupv ((char **) values);
  g_task_set_source_tag (task, admint_config_write_user_async);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
admint_config_write_user_finish (GAsyncResult  *result,
                                 char         **out_bad_key,
                                 GError       **error)
{
  WriteData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_bad_key != NULL)
    *out_bad_key = g_strdup (data->bad_key);
  return g_task_propagate_boolean (G_TASK (result), error);
}
