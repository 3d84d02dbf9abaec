/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The configuration as YAML (`config show`) and as a JSON snapshot stored with a generation. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "admint-config-private.h"
#include "admint-config-values-private.h"
#include "admint-error.h"

/* ---- config show ------------------------------------------------------------------------ */

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if ((guchar) *p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  const char *text = g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
  const char *e;

  if (g_ascii_strtod (text, NULL) != value)
    text = g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  e = strchr (text, 'e');
  if (strchr (text, '.') != NULL)
    g_string_append (out, text);
  else if (e != NULL)
    g_string_append_printf (out, "%.*s.0%s", (int) (e - text), text, e);
  else
    g_string_append_printf (out, "%s.0", text);
}

/* A value inside an object, on one line (JSON is YAML's flow style). */
static void
append_flow (GString  *out,
             JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            append_quoted (out, l->data);
            g_string_append (out, ": ");
            append_flow (out, json_object_get_member (object, l->data));
            if (l->next)
              g_string_append (out, ", ");
          }
        g_string_append_c (out, '}');
        g_list_free (members);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            append_flow (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "~");
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          append_double (out, json_node_get_double (node));
        else
          append_quoted (out, json_node_get_string (node));
      }
      break;
    }
}

static void
append_comment (GString    *out,
                const char *origin,
                gboolean    with_origins)
{
  if (with_origins && origin != NULL)
    {
      g_autofree char *one_line = g_strdelimit (g_strdup (origin), "\n\r", ' ');
      g_string_append_printf (out, "  # %s", one_line);
    }
  g_string_append_c (out, '\n');
}

/* Multi-line text as a literal block, when YAML can hold it exactly that way. */
static gboolean
can_be_block (const char *text)
{
  if (strchr (text, '\n') == NULL || text[0] == ' ' || text[0] == '\n')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\n') || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static void
append_string_value (GString    *out,
                     const char *text,
                     int         indent,
                     const char *origin,
                     gboolean    with_origins)
{
  gsize length = strlen (text);
  gsize trailing = 0;
  const char *line;

  if (!can_be_block (text))
    {
      append_quoted (out, text);
      append_comment (out, origin, with_origins);
      return;
    }

  while (trailing < length && text[length - 1 - trailing] == '\n')
    trailing++;
  g_string_append (out, trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+");
  append_comment (out, origin, with_origins);
  line = text;
  while (line < text + length - trailing)
    {
      const char *end = strchr (line, '\n');
      if (end == NULL || end > text + length - trailing)
        end = text + length - trailing;
      if (end > line)
        g_string_append_printf (out, "%*s%.*s\n", indent, "", (int) (end - line), line);
      else
        g_string_append_c (out, '\n');
      line = end + 1;
    }
  for (gsize i = 1; i < trailing; i++)
    g_string_append_c (out, '\n');
}

static gboolean
is_plain_key (const char *name)
{
  if (name[0] == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

char *
admint_config_to_yaml (AdmintConfig *self,
                       gboolean      with_origins)
{
  GString *out;
  g_auto(GStrv) previous = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);

  out = g_string_new ("# The effective Ad Mint configuration");
  g_string_append (out, with_origins ? "; each comment says where a value came from.\n"
                                     : ".\n");
  for (gsize i = 0; i < config_schema_length; i++)
    {
      Entry *entry = g_hash_table_lookup (self->entries, config_schema[i].key);
      g_auto(GStrv) parts = g_strsplit (config_schema[i].key, ".", -1);
      guint depth = g_strv_length (parts);
      guint common = 0;
      int indent;

      if (entry == NULL)
        continue;
      while (previous != NULL && previous[common] != NULL && common + 1 < depth &&
             strcmp (previous[common], parts[common]) == 0)
        common++;
      for (guint d = common; d + 1 < depth; d++)
        g_string_append_printf (out, "%s%*s%s:\n", d == 0 ? "\n" : "", (int) d * 2, "",
                                parts[d]);
      indent = (depth - 1) * 2;
      g_string_append_printf (out, "%*s%s: ", indent, "", parts[depth - 1]);

      switch (config_schema[i].type)
        {
        case VT_OBJECT:
          {
            JsonObject *object = json_node_get_object (entry->value);
            GList *members = json_object_get_members (object);

            if (members == NULL)
              {
                g_string_append (out, "{}");
                append_comment (out, entry->origin, with_origins);
              }
            else
              g_string_truncate (out, out->len - 1), g_string_append_c (out, '\n');
            for (GList *l = members; l != NULL; l = l->next)
              {
                g_string_append_printf (out, "%*s", indent + 2, "");
                if (is_plain_key (l->data))
                  g_string_append (out, l->data);
                else
                  append_quoted (out, l->data);
                g_string_append (out, ": ");
                append_flow (out, json_object_get_member (object, l->data));
                append_comment (out, g_hash_table_lookup (entry->member_origins, l->data),
                                with_origins);
              }
            g_list_free (members);
          }
          break;
        case VT_STRING:
          append_string_value (out, json_node_get_string (entry->value), indent + 2,
                               entry->origin, with_origins);
          break;
        case VT_BOOL:
        case VT_INT:
        case VT_DOUBLE:
        default:
          append_flow (out, entry->value);
          append_comment (out, entry->origin, with_origins);
          break;
        }
      g_strfreev (previous);
      previous = g_steal_pointer (&parts);
    }

  g_string_append (out, "\nframeworks:\n");
  names = admint_config_list_frameworks (self);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *folded = g_utf8_casefold (g_ptr_array_index (names, i), -1);
      AdmintFramework *framework = g_hash_table_lookup (self->frameworks, folded);

      g_string_append (out, "  - name: ");
      append_quoted (out, admint_framework_get_name (framework));
      append_comment (out, admint_framework_get_origin (framework), with_origins);
      g_string_append (out, "    description: ");
      append_quoted (out, admint_framework_get_description (framework));
      g_string_append (out, "\n    beats:\n");
      for (guint b = 0; b < admint_framework_get_n_beats (framework); b++)
        {
          g_string_append (out, "      - name: ");
          append_quoted (out, admint_framework_get_beat_name (framework, b));
          g_string_append (out, "\n        goal: ");
          append_quoted (out, admint_framework_get_beat_goal (framework, b));
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- snapshots -------------------------------------------------------------------------- */

static JsonObject *
ensure_object (JsonObject *parent,
               const char *name)
{
  if (!json_object_has_member (parent, name))
    json_object_set_object_member (parent, name, json_object_new ());
  return json_object_get_object_member (parent, name);
}

JsonNode *
admint_config_to_json (AdmintConfig *self)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(GPtrArray) names = NULL;
  JsonArray *frameworks;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);

  for (gsize i = 0; i < config_schema_length; i++)
    {
      Entry *entry = g_hash_table_lookup (self->entries, config_schema[i].key);
      g_auto(GStrv) parts = g_strsplit (config_schema[i].key, ".", -1);
      JsonObject *parent = root;
      guint depth = g_strv_length (parts);

      if (entry == NULL)
        continue;
      for (guint d = 0; d + 1 < depth; d++)
        parent = ensure_object (parent, parts[d]);
      json_object_set_member (parent, parts[depth - 1], json_node_copy (entry->value));
    }

  frameworks = json_array_new ();
  names = admint_config_list_frameworks (self);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *folded = g_utf8_casefold (g_ptr_array_index (names, i), -1);
      AdmintFramework *framework = g_hash_table_lookup (self->frameworks, folded);
      JsonObject *object = json_object_new ();
      JsonArray *beats = json_array_new ();

      json_object_set_string_member (object, "name", admint_framework_get_name (framework));
      json_object_set_string_member (object, "description",
                                     admint_framework_get_description (framework));
      for (guint b = 0; b < admint_framework_get_n_beats (framework); b++)
        {
          JsonObject *beat = json_object_new ();
          json_object_set_string_member (beat, "name",
                                         admint_framework_get_beat_name (framework, b));
          json_object_set_string_member (beat, "goal",
                                         admint_framework_get_beat_goal (framework, b));
          json_array_add_object_element (beats, beat);
        }
      json_object_set_array_member (object, "beats", beats);
      json_array_add_object_element (frameworks, object);
    }
  json_object_set_array_member (root, "frameworks", frameworks);
  return json_node_init_object (json_node_alloc (), root);
}

AdmintConfig *
admint_config_load_snapshot (const char  *json_text,
                             GError     **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AdmintConfig) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) flow = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (json_text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Re-emitted in our own flow style: JSON as json-glib writes it (e.g. "\/") is not always
   * YAML 1.1, and the positions in messages then refer to this text. */
  if (!json_parser_load_from_data (parser, json_text, -1, &local_error))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   "snapshot: not JSON (%s); it must come from admint_config_to_json",
                   local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                           "snapshot: not a JSON object; it must come from "
                           "admint_config_to_json");
      return NULL;
    }
  append_flow (flow, json_parser_get_root (parser));

  self = admint_config_load_defaults ();
  config_load_text (self, "snapshot", flow->str, flow->len, FILE_CONFIG, NULL, "", RANK_CLI,
                    errors);
  if (errors->len == 0)
    config_cross_check (self, errors);
  if (!config_take_errors (errors, error))
    return NULL;
  return g_steal_pointer (&self);
}
