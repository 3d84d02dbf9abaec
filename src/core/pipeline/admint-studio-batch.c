/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batch files for `admint batch`: a YAML list of briefs, each a prompt or generate's options. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "admint-config-private.h"
#include "admint-error.h"
#include "admint-generation-failure.h"
#include "admint-studio.h"

#define BATCH_KEYS "prompt, assets, framework, aspect, llm, images, video, output, variants, " \
                   "seed, config, max_cost"

static void
batch_brief_free (AdmintBatchBrief *brief)
{
  g_free (brief->prompt);
  g_free (brief->framework);
  g_free (brief->aspect);
  g_free (brief->llm);
  g_free (brief->images);
  g_free (brief->video);
  g_free (brief->output);
  g_free (brief->config);
  g_strfreev (brief->assets);
  g_free (brief);
}

void
admint_batch_free (AdmintBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->briefs, g_ptr_array_unref);
  g_free (batch);
}

static char *
value_text (JsonNode *value)
{
  GType type = json_node_get_value_type (value);

  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (type == G_TYPE_DOUBLE)
    return g_strdup_printf ("%g", json_node_get_double (value));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (value) ? "true" : "false");
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
}

static gboolean
set_member (AdmintBatchBrief  *brief,
            guint              number,
            const char        *member,
            JsonNode          *value,
            GError           **error)
{
  struct { const char *name; char **field; } strings[] = {
    { "prompt", &brief->prompt }, { "framework", &brief->framework },
    { "aspect", &brief->aspect }, { "llm", &brief->llm }, { "images", &brief->images },
    { "video", &brief->video }, { "output", &brief->output }, { "config", &brief->config },
  };

  if (g_str_equal (member, "assets") && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *a = json_node_get_array (value);
      g_autoptr(GStrvBuilder) assets = g_strv_builder_new ();
      for (guint k = 0; k < json_array_get_length (a); k++)
        {
          JsonNode *item = json_array_get_element (a, k);
          if (!JSON_NODE_HOLDS_VALUE (item))
            break;
          g_autofree char *text = value_text (item);
          g_strv_builder_add (assets, text);
        }
      g_strfreev (brief->assets);
      brief->assets = g_strv_builder_end (assets);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (value))
    {
      g_autofree char *text = value_text (value);
      for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
        if (g_str_equal (member, strings[i].name))
          {
            g_free (*strings[i].field);
            *strings[i].field = g_steal_pointer (&text);
            return TRUE;
          }
      char *end = NULL;
      if (g_str_equal (member, "variants") || g_str_equal (member, "seed"))
        {
          gint64 n = g_ascii_strtoll (text, &end, 10);
          if (end != text && *end == '\0' && n >= 0)
            {
              *(g_str_equal (member, "seed") ? &brief->seed : &brief->variants) = n;
              return TRUE;
            }
        }
      else if (g_str_equal (member, "max_cost") || g_str_equal (member, "max-cost"))
        {
          double d = g_ascii_strtod (text, &end);
          if (end != text && *end == '\0' && d >= 0)
            {
              brief->max_cost = d;
              return TRUE;
            }
        }
      else
        goto unknown;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("brief %u: %s is “%s”; give a number of at least 0."), number, member, text);
      return FALSE;
    }
unknown:
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("brief %u has an unknown or non-scalar key “%s”; allowed: %s."), number, member,
               BATCH_KEYS);
  return FALSE;
}

static AdmintBatchBrief *
parse_brief (JsonNode  *node,
             guint      number,
             GError   **error)
{
  AdmintBatchBrief *brief = g_new0 (AdmintBatchBrief, 1);

  brief->variants = -1;
  brief->seed = -1;
  brief->max_cost = -1;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    brief->prompt = g_strdup (json_node_get_string (node));
  else if (JSON_NODE_HOLDS_OBJECT (node) &&
           json_object_has_member (json_node_get_object (node), "prompt"))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &value))
        if (!set_member (brief, number, member, value, error))
          {
            batch_brief_free (brief);
            return NULL;
          }
    }
  if (brief->prompt == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("brief %u is neither a string nor an object with a prompt."), number);
      batch_brief_free (brief);
      return NULL;
    }
  return brief;
}

static JsonNode *
read_yaml (const char  *path,
           GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) read_error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &read_error))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Cannot read %s: %s"), path, read_error->message);
      return NULL;
    }
  AdmintYamlFile *file = admint_yaml_file_parse (path, contents, length, problems);
  g_autoptr(JsonNode) doc = file ? admint_yaml_to_json (file, admint_yaml_file_root (file),
                                                        problems)
                                 : NULL;
  if (file != NULL)
    admint_yaml_file_free (file);
  if (doc == NULL || problems->len > 0)
    {
      g_ptr_array_add (problems, NULL);
      g_autofree char *lines = g_strjoinv ("\n", (char **) problems->pdata);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT, "%s",
                   problems->len > 1 ? lines : _("the file is not valid YAML"));
      return NULL;
    }
  return g_steal_pointer (&doc);
}

AdmintBatch *
admint_studio_parse_batch (const char  *path,
                           GError     **error)
{
  g_autoptr(JsonNode) doc = NULL;
  g_autoptr(AdmintBatch) batch = NULL;
  JsonArray *briefs = NULL;
  gint64 concurrency = 2;

  g_return_val_if_fail (path != NULL, NULL);

  doc = read_yaml (path, error);
  if (doc == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (doc))
    briefs = json_node_get_array (doc);
  else if (JSON_NODE_HOLDS_OBJECT (doc) &&
           json_object_has_member (json_node_get_object (doc), "briefs") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (doc), "briefs")))
    {
      JsonObject *obj = json_node_get_object (doc);
      briefs = json_object_get_array_member (obj, "briefs");
      concurrency = json_object_get_int_member_with_default (obj, "concurrency", 2);
    }
  if (briefs == NULL || json_array_get_length (briefs) == 0 || concurrency < 1)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("%s must hold a list of briefs, or `concurrency: N` (at least 1) and "
                     "`briefs:` with the list. Each brief is a string or {%s}."), path,
                   BATCH_KEYS);
      return NULL;
    }

  batch = g_new0 (AdmintBatch, 1);
  /* Each brief runs in a process of its own: no more at once than the memory holds (a 30-second
   * ad at the default resolution; admint-generation-failure.h). */
  batch->concurrency = admint_generation_max_parallel ((guint) MIN (concurrency, 64), 30, "720p",
                                                       FALSE, NULL);
  batch->briefs = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_brief_free);
  for (guint i = 0; i < json_array_get_length (briefs); i++)
    {
      AdmintBatchBrief *brief = parse_brief (json_array_get_element (briefs, i), i + 1, error);
      if (brief == NULL)
        return NULL;
      g_ptr_array_add (batch->briefs, brief);
    }
  return g_steal_pointer (&batch);
}
