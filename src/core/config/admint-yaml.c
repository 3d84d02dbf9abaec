/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libyaml documents with 1-based positions for error messages, and YAML scalars typed for config. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "admint-config-private.h"

void
admint_yaml_error (GPtrArray      *errors,
                   AdmintYamlFile *file,
                   yaml_mark_t     mark,
                   const char     *format,
                   ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (errors, g_strdup_printf ("%s:%zu:%zu: %s", file->label,
                                            mark.line + 1, mark.column + 1, message));
}

/* libyaml's scanner costs O(depth) a token in flow collections, so 10 000 nested "[" take
 * seconds (found by tests/fuzz/fuzz-yaml-config.c). Any depth past this is refused before
 * parsing; brackets inside quotes and comments are skipped, others counted even when a plain
 * scalar holds them, which can only err towards counting more. */
#define MAX_FLOW_DEPTH 64

static gboolean
flow_too_deep (const char *text,
               gsize       length)
{
  int depth = 0;
  char quote = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (quote != 0)
        {
          if (c == quote)
            quote = 0;
          else if (c == '\\' && quote == '"' && i + 1 < length)
            i++;
        }
      else if ((c == '"' || c == '\'') &&
               (i == 0 || strchr (" \t\r\n:[{,-", text[i - 1]) != NULL))
        quote = c;  /* a quoted scalar starts there; "it's" in a plain one does not */
      else if (c == '#' && (i == 0 || g_ascii_isspace (text[i - 1])))
        {
          while (i < length && text[i] != '\n')
            i++;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_FLOW_DEPTH)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

AdmintYamlFile *
admint_yaml_file_parse (const char *label,
                        const char *text,
                        gsize       length,
                        GPtrArray  *errors)
{
  g_autoptr(GPtrArray) unused = NULL;
  AdmintYamlFile *file;
  yaml_parser_t parser;
  yaml_document_t extra;

  g_assert (label != NULL && text != NULL && errors != NULL);

  file = g_new0 (AdmintYamlFile, 1);
  file->label = g_strdup (label);
  file->text = g_strndup (text, length);
  file->length = length;

  if (!g_utf8_validate (text, length, NULL))
    {
      g_ptr_array_add (errors, g_strdup_printf ("%s:1:1: the file is not UTF-8 text; save it as "
                                                "UTF-8", label));
      admint_yaml_file_free (file);
      return NULL;
    }

  if (flow_too_deep (text, length))
    {
      g_ptr_array_add (errors, g_strdup_printf ("%s:1:1: values nested more than %d deep in "
                                                "[ ] or { }; flatten them", label,
                                                MAX_FLOW_DEPTH));
      admint_yaml_file_free (file);
      return NULL;
    }

  yaml_parser_initialize (&parser);
  yaml_parser_set_input_string (&parser, (const unsigned char *) file->text, length);
  if (!yaml_parser_load (&parser, &file->document))
    {
      yaml_mark_t mark = parser.problem_mark;
      g_autofree char *context = NULL;

      if (parser.context != NULL)
        context = g_strdup_printf (" (%s at line %zu, column %zu)", parser.context,
                                   parser.context_mark.line + 1, parser.context_mark.column + 1);
      admint_yaml_error (errors, file, mark,
                         "malformed YAML: %s%s; fix the syntax (indent with spaces, "
                         "\"key: value\" pairs, quote values that contain \": \" or \"#\")",
                         parser.problem ? parser.problem : "syntax error",
                         context ? context : "");
      yaml_parser_delete (&parser);
      admint_yaml_file_free (file);
      return NULL;
    }
  file->has_document = TRUE;

  /* A second document would be silently ignored: say so instead. */
  if (yaml_document_get_root_node (&file->document) != NULL)
    {
      if (!yaml_parser_load (&parser, &extra))
        {
          admint_yaml_error (errors, file, parser.problem_mark,
                             "malformed YAML: %s; fix the syntax",
                             parser.problem ? parser.problem : "syntax error");
          yaml_parser_delete (&parser);
          admint_yaml_file_free (file);
          return NULL;
        }
      yaml_node_t *second = yaml_document_get_root_node (&extra);
      if (second != NULL)
        {
          admint_yaml_error (errors, file, second->start_mark,
                             "a second YAML document; a config file holds one document: "
                             "remove the \"---\" and merge the two");
          yaml_document_delete (&extra);
          yaml_parser_delete (&parser);
          admint_yaml_file_free (file);
          return NULL;
        }
      yaml_document_delete (&extra);
    }
  yaml_parser_delete (&parser);
  return file;
}

void
admint_yaml_file_free (AdmintYamlFile *file)
{
  if (file == NULL)
    return;
  if (file->has_document)
    yaml_document_delete (&file->document);
  g_free (file->label);
  g_free (file->text);
  g_free (file);
}

yaml_node_t *
admint_yaml_file_root (AdmintYamlFile *file)
{
  return yaml_document_get_root_node (&file->document);
}

yaml_node_t *
admint_yaml_file_node (AdmintYamlFile *file,
                       int             index)
{
  return yaml_document_get_node (&file->document, index);
}

/* libyaml counts marks in characters; walk the UTF-8 text to find the node's bytes, then the
 * needle, then count lines and columns up to it. */
yaml_mark_t
admint_yaml_scalar_mark (AdmintYamlFile *file,
                         yaml_node_t    *node,
                         const char     *needle)
{
  yaml_mark_t mark = node->start_mark;
  const char *text_end = file->text + file->length;
  const char *start, *end, *found;

  if (node->start_mark.index > (gsize) g_utf8_strlen (file->text, file->length) ||
      node->end_mark.index > (gsize) g_utf8_strlen (file->text, file->length))
    return node->start_mark;
  start = g_utf8_offset_to_pointer (file->text, node->start_mark.index);
  end = g_utf8_offset_to_pointer (file->text, node->end_mark.index);
  if (start > text_end || end > text_end || end < start)
    return node->start_mark;

  found = g_strstr_len (start, end - start, needle);
  if (found == NULL)
    return node->start_mark;

  for (const char *p = start; p < found; p = g_utf8_next_char (p))
    {
      mark.index++;
      if (*p == '\n')
        {
          mark.line++;
          mark.column = 0;
        }
      else
        mark.column++;
    }
  return mark;
}

const char *
admint_yaml_scalar (yaml_node_t *node)
{
  g_assert (node->type == YAML_SCALAR_NODE);
  return (const char *) node->data.scalar.value;
}

gboolean
admint_yaml_is_plain (yaml_node_t *node)
{
  return node->type == YAML_SCALAR_NODE && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

gboolean
admint_yaml_is_null (yaml_node_t *node)
{
  const char *text;

  if (!admint_yaml_is_plain (node))
    return FALSE;
  text = admint_yaml_scalar (node);
  return text[0] == '\0' || strcmp (text, "~") == 0 || strcmp (text, "null") == 0 ||
         strcmp (text, "Null") == 0 || strcmp (text, "NULL") == 0;
}

char *
admint_yaml_describe (yaml_node_t *node)
{
  switch (node->type)
    {
    case YAML_MAPPING_NODE:
      return g_strdup ("a mapping");
    case YAML_SEQUENCE_NODE:
      return g_strdup ("a list");
    case YAML_SCALAR_NODE:
      if (admint_yaml_is_null (node))
        return g_strdup ("nothing");
      if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return g_strdup_printf ("the quoted text “%s”", admint_yaml_scalar (node));
      return g_strdup_printf ("“%s”", admint_yaml_scalar (node));
    case YAML_NO_NODE:
    default:
      return g_strdup ("nothing");
    }
}

gboolean
admint_yaml_parse_bool (const char *text,
                        gboolean   *out)
{
  static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
  static const char *no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    if (strcmp (text, yes[i]) == 0)
      {
        *out = TRUE;
        return TRUE;
      }
  for (gsize i = 0; i < G_N_ELEMENTS (no); i++)
    if (strcmp (text, no[i]) == 0)
      {
        *out = FALSE;
        return TRUE;
      }
  return FALSE;
}

gboolean
admint_yaml_parse_int (const char *text,
                       gint64     *out)
{
  const char *p = text;
  char *end = NULL;
  gint64 value;

  if (*p == '+' || *p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0')
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
admint_yaml_parse_double (const char *text,
                          double     *out)
{
  char *end = NULL;
  double value;

  /* Digits, a sign, a point and an exponent only: no hex, "inf" or "nan". */
  if (text[0] == '\0' || strspn (text, "0123456789+-.eE") != strlen (text) ||
      strpbrk (text, "0123456789") == NULL)
    return FALSE;
  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

/* Aliases make a document a graph: a recursive one would never end, and a few nested ones
 * expand to billions of values. Both are refused. */
#define MAX_DEPTH 64
#define MAX_VALUES 100000

static JsonNode *
to_json (AdmintYamlFile *file,
         yaml_node_t    *node,
         GPtrArray      *errors,
         guint           depth,
         guint          *budget)
{
  if (depth > MAX_DEPTH)
    {
      admint_yaml_error (errors, file, node->start_mark,
                         "values nested more than %d deep (a recursive alias?); flatten them",
                         MAX_DEPTH);
      return NULL;
    }
  if (++*budget > MAX_VALUES)
    {
      admint_yaml_error (errors, file, node->start_mark,
                         "more than %d values (aliases expanding?); write fewer", MAX_VALUES);
      return NULL;
    }

  switch (node->type)
    {
    case YAML_SCALAR_NODE:
      {
        const char *text = admint_yaml_scalar (node);
        gboolean b;
        gint64 i;
        double d;

        if (admint_yaml_is_null (node))
          return json_node_new (JSON_NODE_NULL);
        if (admint_yaml_is_plain (node))
          {
            if (admint_yaml_parse_bool (text, &b))
              return json_node_init_boolean (json_node_alloc (), b);
            if (admint_yaml_parse_int (text, &i))
              return json_node_init_int (json_node_alloc (), i);
            if (admint_yaml_parse_double (text, &d))
              return json_node_init_double (json_node_alloc (), d);
          }
        return json_node_init_string (json_node_alloc (), text);
      }

    case YAML_SEQUENCE_NODE:
      {
        g_autoptr(JsonArray) array = json_array_new ();

        for (yaml_node_item_t *item = node->data.sequence.items.start;
             item < node->data.sequence.items.top; item++)
          {
            JsonNode *child = to_json (file, admint_yaml_file_node (file, *item), errors,
                                       depth + 1, budget);
            if (child == NULL)
              return NULL;
            json_array_add_element (array, child);
          }
        return json_node_init_array (json_node_alloc (), array);
      }

    case YAML_MAPPING_NODE:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
             pair < node->data.mapping.pairs.top; pair++)
          {
            yaml_node_t *key = admint_yaml_file_node (file, pair->key);
            JsonNode *child;

            if (key->type != YAML_SCALAR_NODE)
              {
                admint_yaml_error (errors, file, key->start_mark,
                                   "a key must be plain text, not %s",
                                   key->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
                return NULL;
              }
            if (json_object_has_member (object, admint_yaml_scalar (key)))
              {
                admint_yaml_error (errors, file, key->start_mark,
                                   "duplicate key “%s”; give each key once",
                                   admint_yaml_scalar (key));
                return NULL;
              }
            child = to_json (file, admint_yaml_file_node (file, pair->value), errors,
                             depth + 1, budget);
            if (child == NULL)
              return NULL;
            json_object_set_member (object, admint_yaml_scalar (key), child);
          }
        return json_node_init_object (json_node_alloc (), object);
      }

    case YAML_NO_NODE:
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

JsonNode *
admint_yaml_to_json (AdmintYamlFile *file,
                     yaml_node_t    *node,
                     GPtrArray      *errors)
{
  guint budget = 0;

  return to_json (file, node, errors, 0, &budget);
}
