/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks an agent's JSON reply against its JSON Schema, and finds the JSON in a text reply. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "admint-ai-error.h"
#include "admint-json-schema.h"

static const char *
node_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_BOOLEAN:
      return "boolean";
    case G_TYPE_INT64:
      return "integer";
    case G_TYPE_DOUBLE:
      return "number";
    default:
      return "unknown";
    }
}

static gboolean
type_matches (const char *want,
              JsonNode   *node)
{
  const char *have = node_type_name (node);

  if (strcmp (want, have) == 0)
    return TRUE;
  if (strcmp (want, "number") == 0 && strcmp (have, "integer") == 0)
    return TRUE;
  if (strcmp (want, "integer") == 0 && strcmp (have, "number") == 0)
    {
      double v = json_node_get_double (node);
      return v == floor (v);
    }
  return FALSE;
}

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
               _("The model's JSON reply does not match the expected shape at %s: %s. Try "
                 "again, or use a more capable model."), path, what);
  return FALSE;
}

static double
number_of (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                         : json_node_get_double (node);
}

static gboolean validate (JsonObject  *schema,
                          JsonNode    *node,
                          const char  *path,
                          GError     **error);

static gboolean
validate_type (JsonObject  *schema,
               JsonNode    *node,
               const char  *path,
               GError     **error)
{
  JsonNode *type = json_object_get_member (schema, "type");

  if (type != NULL)
    {
      gboolean ok = FALSE;
      g_autoptr(GString) wanted = g_string_new (NULL);

      if (JSON_NODE_HOLDS_ARRAY (type))
        {
          JsonArray *types = json_node_get_array (type);
          for (guint i = 0; i < json_array_get_length (types); i++)
            {
              const char *t = json_array_get_string_element (types, i);
              g_string_append_printf (wanted, "%s%s", i ? " or " : "", t);
              ok = ok || (t != NULL && type_matches (t, node));
            }
        }
      else
        {
          g_string_append (wanted, json_node_get_string (type));
          ok = type_matches (json_node_get_string (type), node);
        }
      if (!ok)
        return fail (error, path, _("expected %s, found %s"), wanted->str, node_type_name (node));
    }
  return TRUE;
}

static gboolean
validate_object (JsonObject  *schema,
                 JsonNode    *node,
                 const char  *path,
                 GError     **error)
{
  JsonObject *obj = json_node_get_object (node);
  JsonObject *props = json_object_has_member (schema, "properties")
                      ? json_object_get_object_member (schema, "properties") : NULL;

  if (json_object_has_member (schema, "required"))
    {
      JsonArray *required = json_object_get_array_member (schema, "required");
      for (guint i = 0; i < json_array_get_length (required); i++)
        {
          const char *name = json_array_get_string_element (required, i);
          if (name != NULL && !json_object_has_member (obj, name))
            return fail (error, path, _("the member “%s” is missing"), name);
        }
    }

  g_autoptr(GList) members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *child = g_strdup_printf ("%s.%s", path, name);

      if (props != NULL && json_object_has_member (props, name))
        {
          JsonNode *sub = json_object_get_member (props, name);
          if (JSON_NODE_HOLDS_OBJECT (sub) &&
              !validate (json_node_get_object (sub), json_object_get_member (obj, name),
                         child, error))
            return FALSE;
        }
      else if (json_object_has_member (schema, "additionalProperties") &&
               JSON_NODE_HOLDS_VALUE (json_object_get_member (schema, "additionalProperties")) &&
               !json_object_get_boolean_member (schema, "additionalProperties"))
        return fail (error, child, _("this member is not expected"));
    }
  return TRUE;
}

static gboolean
validate_array (JsonObject  *schema,
                JsonNode    *node,
                const char  *path,
                GError     **error)
{
  JsonArray *array = json_node_get_array (node);
  guint n = json_array_get_length (array);

  if (json_object_has_member (schema, "minItems") &&
      n < json_object_get_int_member (schema, "minItems"))
    return fail (error, path, _("expected at least %lld items, found %u"),
                 (long long) json_object_get_int_member (schema, "minItems"), n);
  if (json_object_has_member (schema, "maxItems") &&
      n > json_object_get_int_member (schema, "maxItems"))
    return fail (error, path, _("expected at most %lld items, found %u"),
                 (long long) json_object_get_int_member (schema, "maxItems"), n);
  if (json_object_has_member (schema, "items") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (schema, "items")))
    {
      JsonObject *items = json_object_get_object_member (schema, "items");
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);
          if (!validate (items, json_array_get_element (array, i), child, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate (JsonObject  *schema,
          JsonNode    *node,
          const char  *path,
          GError     **error)
{
  if (!validate_type (schema, node, path, error))
    return FALSE;

  if (json_object_has_member (schema, "enum"))
    {
      JsonArray *values = json_object_get_array_member (schema, "enum");
      gboolean found = FALSE;
      for (guint i = 0; i < json_array_get_length (values) && !found; i++)
        found = json_node_equal (json_array_get_element (values, i), node);
      if (!found)
        return fail (error, path, _("the value is not one of the allowed values"));
    }

  if (JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_INT64 ||
                                       json_node_get_value_type (node) == G_TYPE_DOUBLE))
    {
      double v = number_of (node);
      if (json_object_has_member (schema, "minimum") &&
          v < json_object_get_double_member (schema, "minimum"))
        return fail (error, path, _("%g is below the minimum %g"), v,
                     json_object_get_double_member (schema, "minimum"));
      if (json_object_has_member (schema, "maximum") &&
          v > json_object_get_double_member (schema, "maximum"))
        return fail (error, path, _("%g is above the maximum %g"), v,
                     json_object_get_double_member (schema, "maximum"));
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      glong len = g_utf8_strlen (json_node_get_string (node), -1);
      if (json_object_has_member (schema, "minLength") &&
          len < json_object_get_int_member (schema, "minLength"))
        return fail (error, path, _("the text is shorter than %lld characters"),
                     (long long) json_object_get_int_member (schema, "minLength"));
      if (json_object_has_member (schema, "maxLength") &&
          len > json_object_get_int_member (schema, "maxLength"))
        return fail (error, path, _("the text is longer than %lld characters"),
                     (long long) json_object_get_int_member (schema, "maxLength"));
    }

  if (JSON_NODE_HOLDS_OBJECT (node) && !validate_object (schema, node, path, error))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (node) && !validate_array (schema, node, path, error))
    return FALSE;
  return TRUE;
}

gboolean
admint_json_schema_validate (JsonNode  *schema,
                             JsonNode  *instance,
                             GError   **error)
{
  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (schema))
    return TRUE;
  return validate (json_node_get_object (schema), instance, "$", error);
}

static JsonNode *
try_parse (const char *text,
           gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !(JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root)))
    return NULL;
  return json_node_copy (root);
}

JsonNode *
admint_json_extract_from_text (const char  *text,
                               GError     **error)
{
  JsonNode *node;
  const char *fence;

  g_return_val_if_fail (text != NULL, NULL);

  if ((node = try_parse (text, -1)) != NULL)
    return node;

  /* A ```json block first, then any fenced block. */
  for (int pass = 0; pass < 2; pass++)
    for (fence = strstr (text, "```"); fence != NULL; fence = strstr (fence + 3, "```"))
      {
        const char *start = fence + 3;
        const char *end;

        if (pass == 0 && g_ascii_strncasecmp (start, "json", 4) != 0)
          continue;
        start = strchr (start, '\n');
        if (start == NULL)
          break;
        end = strstr (start + 1, "```");
        if (end == NULL)
          break;
        if ((node = try_parse (start + 1, end - start - 1)) != NULL)
          return node;
        fence = end;
      }

  const char *open = strchr (text, '{');
  const char *close = strrchr (text, '}');
  if (open != NULL && close != NULL && close > open &&
      (node = try_parse (open, close - open + 1)) != NULL)
    return node;

  g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
               _("The model's reply holds no JSON we could read. Try again, or use a model "
                 "that follows instructions better."));
  return NULL;
}
