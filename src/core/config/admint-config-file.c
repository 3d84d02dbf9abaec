/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One YAML config, prompt or framework file: validated against the schema, then applied. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "admint-config-private.h"
#include "admint-config-values-private.h"
#include "admint-error.h"

/* ---- one YAML file ---------------------------------------------------------------------- */

typedef struct
{
  AdmintYamlFile *file;
  GPtrArray      *errors;
  const char     *origin_prefix;  /* NULL: built-in defaults */
  int             rank;
  GHashTable     *entries;        /* key -> Entry */
  GPtrArray      *frameworks;     /* AdmintFramework */
  GHashTable     *framework_names;
} Layer;

static char *
layer_origin (Layer       *layer,
              yaml_mark_t  mark)
{
  if (layer->origin_prefix == NULL)
    return g_strdup ("default");
  return g_strdup_printf ("%s%s:%zu", layer->origin_prefix, layer->file->label, mark.line + 1);
}

static char *
layer_position (Layer       *layer,
                yaml_mark_t  mark)
{
  return g_strdup_printf ("%s:%zu:%zu", layer->file->label, mark.line + 1, mark.column + 1);
}

typedef struct
{
  Layer       *layer;
  yaml_node_t *node;
} TemplateReport;

static void
report_template_in_file (const char *bad,
                         const char *problem,
                         gpointer    data)
{
  TemplateReport *report = data;

  admint_yaml_error (report->layer->errors, report->layer->file,
                     admint_yaml_scalar_mark (report->layer->file, report->node, bad),
                     "%s", problem);
}

static void
validate_object (Layer         *layer,
                 const KeySpec *spec,
                 yaml_node_t   *value)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *value_origin = layer_origin (layer, value->start_mark);
  g_autofree char *position = layer_position (layer, value->start_mark);
  guint errors_before = layer->errors->len;
  Entry *entry;

  if (value->type != YAML_MAPPING_NODE && !admint_yaml_is_null (value))
    {
      g_autofree char *got = admint_yaml_describe (value);
      admint_yaml_error (layer->errors, layer->file, value->start_mark,
                         "%s must be a mapping of names to values; got %s", spec->key, got);
      return;
    }

  entry = config_entry_new (spec, NULL, value_origin, position, layer->rank);
  if (value->type == YAML_MAPPING_NODE)
    for (yaml_node_pair_t *pair = value->data.mapping.pairs.start;
         pair < value->data.mapping.pairs.top; pair++)
      {
        yaml_node_t *key = admint_yaml_file_node (layer->file, pair->key);
        yaml_node_t *member = admint_yaml_file_node (layer->file, pair->value);
        const char *name;
        JsonNode *json;

        if (key->type != YAML_SCALAR_NODE)
          {
            admint_yaml_error (layer->errors, layer->file, key->start_mark,
                               "%s: a key must be plain text", spec->key);
            continue;
          }
        name = admint_yaml_scalar (key);
        if (json_object_has_member (object, name))
          {
            admint_yaml_error (layer->errors, layer->file, key->start_mark,
                               "duplicate key “%s” in %s; give each key once", name, spec->key);
            continue;
          }
        if ((spec->flags & F_STRING_MEMBERS) && !g_strv_contains (spec->choices, name))
          {
            g_autofree char *allowed = config_join_strv (spec->choices, "", "");
            g_autoptr(GPtrArray) names = g_ptr_array_new ();
            g_autofree char *hint = NULL;

            for (gsize i = 0; spec->choices[i] != NULL; i++)
              g_ptr_array_add (names, (gpointer) spec->choices[i]);
            hint = config_did_you_mean (name, names);
            admint_yaml_error (layer->errors, layer->file, key->start_mark,
                               "unknown input “%s” in %s%s; allowed: %s", name, spec->key,
                               hint, allowed);
            continue;
          }
        if ((spec->flags & F_STRING_MEMBERS) && !admint_yaml_is_null (member) &&
            (member->type != YAML_SCALAR_NODE || admint_yaml_scalar (member)[0] == '\0'))
          {
            g_autofree char *got = admint_yaml_describe (member);
            admint_yaml_error (layer->errors, layer->file, member->start_mark,
                               "%s.%s must be the model's input name (text); got %s",
                               spec->key, name, got);
            continue;
          }
        if ((spec->flags & F_STRING_MEMBERS) && !admint_yaml_is_null (member))
          json = json_node_init_string (json_node_alloc (), admint_yaml_scalar (member));
        else
          json = admint_yaml_to_json (layer->file, member, layer->errors);
        if (json == NULL)
          continue;
        json_object_set_member (object, name, json);
        g_hash_table_insert (entry->member_origins, g_strdup (name),
                             layer_origin (layer, key->start_mark));
      }

  if (layer->errors->len > errors_before)
    {
      config_entry_free (entry);
      return;
    }
  entry->value = json_node_init_object (json_node_alloc (), object);
  g_hash_table_replace (layer->entries, (gpointer) spec->key, entry);
}

static void
validate_leaf (Layer         *layer,
               const KeySpec *spec,
               yaml_node_t   *value)
{
  g_autofree char *problem = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *position = NULL;
  JsonNode *json;

  if (spec->type == VT_OBJECT)
    {
      validate_object (layer, spec, value);
      return;
    }

  shown = admint_yaml_describe (value);
  if (value->type != YAML_SCALAR_NODE || admint_yaml_is_null (value))
    {
      const char *what = spec->type == VT_BOOL ? "true or false"
                         : spec->type == VT_INT ? "a whole number"
                         : spec->type == VT_DOUBLE ? "a number"
                         : "text";
      admint_yaml_error (layer->errors, layer->file, value->start_mark,
                         "%s must be %s; got %s", spec->key, what, shown);
      return;
    }

  json = config_check_scalar (spec, admint_yaml_scalar (value), admint_yaml_is_plain (value), shown,
                              &problem);
  if (json == NULL)
    {
      admint_yaml_error (layer->errors, layer->file, value->start_mark, "%s", problem);
      return;
    }
  if (spec->flags & F_TEMPLATE)
    {
      guint errors_before = layer->errors->len;
      TemplateReport report = { layer, value };

      config_check_template (spec, admint_yaml_scalar (value), report_template_in_file, &report);
      if (layer->errors->len > errors_before)
        {
          json_node_unref (json);
          return;
        }
    }

  origin = layer_origin (layer, value->start_mark);
  position = layer_position (layer, value->start_mark);
  g_hash_table_replace (layer->entries, (gpointer) spec->key,
                        config_entry_new (spec, json, origin, position, layer->rank));
}

/* A required, non-empty text member of a framework or beat. */
static const char *
framework_text (Layer       *layer,
                yaml_node_t *value,
                const char  *what)
{
  if (value->type != YAML_SCALAR_NODE || admint_yaml_is_null (value) ||
      admint_yaml_scalar (value)[0] == '\0')
    {
      g_autofree char *got = admint_yaml_describe (value);
      admint_yaml_error (layer->errors, layer->file, value->start_mark,
                         "%s must be non-empty text; got %s", what, got);
      return NULL;
    }
  return admint_yaml_scalar (value);
}

/* Looks up the members of a mapping by name, reporting unknown and duplicate ones. */
static void
collect_members (Layer              *layer,
                 yaml_node_t        *mapping,
                 const char         *what,
                 const char * const *allowed,
                 yaml_node_t       **values)
{
  for (gsize i = 0; allowed[i] != NULL; i++)
    values[i] = NULL;

  for (yaml_node_pair_t *pair = mapping->data.mapping.pairs.start;
       pair < mapping->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = admint_yaml_file_node (layer->file, pair->key);
      gsize i;

      for (i = 0; allowed[i] != NULL; i++)
        if (key->type == YAML_SCALAR_NODE && strcmp (admint_yaml_scalar (key), allowed[i]) == 0)
          break;
      if (allowed[i] == NULL)
        {
          g_autofree char *got = admint_yaml_describe (key);
          g_autofree char *list = config_join_strv (allowed, "", "");
          admint_yaml_error (layer->errors, layer->file, key->start_mark,
                             "unknown key %s in %s; allowed: %s", got, what, list);
        }
      else if (values[i] != NULL)
        admint_yaml_error (layer->errors, layer->file, key->start_mark,
                           "duplicate key “%s” in %s; give each key once", allowed[i], what);
      else
        values[i] = admint_yaml_file_node (layer->file, pair->value);
    }
}

static void
validate_framework (Layer       *layer,
                    yaml_node_t *node)
{
  static const char * const keys[] = { "name", "description", "beats", NULL };
  static const char * const beat_keys[] = { "name", "goal", NULL };
  yaml_node_t *values[3];
  guint errors_before = layer->errors->len;
  g_autoptr(GPtrArray) beats = g_ptr_array_new ();
  const char *name = NULL, *description = NULL;

  if (node->type != YAML_MAPPING_NODE)
    {
      g_autofree char *got = admint_yaml_describe (node);
      admint_yaml_error (layer->errors, layer->file, node->start_mark,
                         "a framework must be a mapping with name, description and beats; "
                         "got %s", got);
      return;
    }

  collect_members (layer, node, "a framework", keys, values);
  for (gsize i = 0; keys[i] != NULL; i++)
    if (values[i] == NULL)
      {
        g_autofree char *which = NULL;

        if (values[0] != NULL && values[0]->type == YAML_SCALAR_NODE)
          which = g_strdup_printf ("framework “%s”", admint_yaml_scalar (values[0]));
        admint_yaml_error (layer->errors, layer->file, node->start_mark,
                           "%s has no “%s”; give it name, description and beats (a list of "
                           "at least one beat, each with a name and a goal)",
                           which ? which : "the framework", keys[i]);
      }

  if (values[0] != NULL)
    name = framework_text (layer, values[0], "a framework's name");
  if (values[1] != NULL)
    description = framework_text (layer, values[1], "a framework's description");
  if (values[2] != NULL)
    {
      yaml_node_t *list = values[2];

      if (list->type != YAML_SEQUENCE_NODE ||
          list->data.sequence.items.top == list->data.sequence.items.start)
        {
          g_autofree char *got = list->type == YAML_SEQUENCE_NODE
                                   ? g_strdup ("an empty list")
                                   : admint_yaml_describe (list);
          admint_yaml_error (layer->errors, layer->file, list->start_mark,
                             "framework “%s” has no beats (got %s); give it a list of at least "
                             "one beat, each with a name and a goal",
                             name ? name : "?", got);
        }
      else
        for (yaml_node_item_t *item = list->data.sequence.items.start;
             item < list->data.sequence.items.top; item++)
          {
            yaml_node_t *beat = admint_yaml_file_node (layer->file, *item);
            yaml_node_t *beat_values[2];
            const char *beat_name = NULL, *goal = NULL;

            if (beat->type != YAML_MAPPING_NODE)
              {
                g_autofree char *got = admint_yaml_describe (beat);
                admint_yaml_error (layer->errors, layer->file, beat->start_mark,
                                   "a beat must be a mapping with a name and a goal; got %s",
                                   got);
                continue;
              }
            collect_members (layer, beat, "a beat", beat_keys, beat_values);
            for (gsize i = 0; beat_keys[i] != NULL; i++)
              if (beat_values[i] == NULL)
                admint_yaml_error (layer->errors, layer->file, beat->start_mark,
                                   "the beat has no “%s”; give each beat a name and a goal",
                                   beat_keys[i]);
            if (beat_values[0] != NULL)
              beat_name = framework_text (layer, beat_values[0], "a beat's name");
            if (beat_values[1] != NULL)
              goal = framework_text (layer, beat_values[1], "a beat's goal");
            g_ptr_array_add (beats, (gpointer) beat_name);
            g_ptr_array_add (beats, (gpointer) goal);
          }
    }

  if (name != NULL && layer->errors->len == errors_before)
    {
      g_autofree char *folded = g_utf8_casefold (name, -1);

      if (g_hash_table_contains (layer->framework_names, folded))
        admint_yaml_error (layer->errors, layer->file, values[0]->start_mark,
                           "a second framework named “%s”; give each framework its own name",
                           name);
      else
        g_hash_table_add (layer->framework_names, g_steal_pointer (&folded));
    }

  if (layer->errors->len == errors_before)
    {
      g_autofree char *origin = layer->origin_prefix == NULL
                                  ? g_strdup (layer->file->label)
                                  : layer_origin (layer, node->start_mark);
      g_ptr_array_add (layer->frameworks,
                       admint_framework_new (name, description, beats, origin));
    }
}

static void
validate_mapping (Layer       *layer,
                  yaml_node_t *node,
                  const char  *path)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (admint_yaml_is_null (node))
    return;  /* an empty file or section: nothing to override */
  if (node->type != YAML_MAPPING_NODE)
    {
      g_autofree char *got = admint_yaml_describe (node);
      admint_yaml_error (layer->errors, layer->file, node->start_mark,
                         "%s must be a mapping of keys to values; got %s",
                         path[0] ? path : "the file", got);
      return;
    }

  for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
       pair < node->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = admint_yaml_file_node (layer->file, pair->key);
      yaml_node_t *value = admint_yaml_file_node (layer->file, pair->value);
      g_autofree char *full = NULL;
      const char *name;
      const KeySpec *spec;

      if (key->type != YAML_SCALAR_NODE)
        {
          admint_yaml_error (layer->errors, layer->file, key->start_mark,
                             "a key must be plain text, not %s",
                             key->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
          continue;
        }
      name = admint_yaml_scalar (key);
      if (!g_hash_table_add (seen, (gpointer) name))
        {
          admint_yaml_error (layer->errors, layer->file, key->start_mark,
                             "duplicate key “%s”%s%s; give each key once", name,
                             path[0] ? " in " : "", path);
          continue;
        }

      if (path[0] == '\0' && strcmp (name, "frameworks") == 0)
        {
          if (admint_yaml_is_null (value))
            continue;
          if (value->type != YAML_SEQUENCE_NODE)
            {
              g_autofree char *got = admint_yaml_describe (value);
              admint_yaml_error (layer->errors, layer->file, value->start_mark,
                                 "frameworks must be a list of frameworks (each with name, "
                                 "description and beats); got %s", got);
              continue;
            }
          for (yaml_node_item_t *item = value->data.sequence.items.start;
               item < value->data.sequence.items.top; item++)
            validate_framework (layer, admint_yaml_file_node (layer->file, *item));
          continue;
        }

      full = path[0] ? g_strconcat (path, ".", name, NULL) : g_strdup (name);
      spec = config_schema_lookup (full);
      if (spec != NULL)
        validate_leaf (layer, spec, value);
      else if (config_schema_is_section (full))
        validate_mapping (layer, value, full);
      else
        {
          g_autoptr(GPtrArray) names = config_schema_children (path);
          g_autofree char *allowed = config_join_names (names);
          g_autofree char *hint = config_did_you_mean (name, names);

          if (path[0])
            admint_yaml_error (layer->errors, layer->file, key->start_mark,
                               "unknown key “%s” in %s%s; allowed: %s", name, path, hint,
                               allowed);
          else
            admint_yaml_error (layer->errors, layer->file, key->start_mark,
                               "unknown top-level key “%s”%s; allowed: %s", name, hint,
                               allowed);
        }
    }
}

static void
layer_clear (Layer *layer)
{
  g_clear_pointer (&layer->file, admint_yaml_file_free);
  g_clear_pointer (&layer->entries, g_hash_table_unref);
  g_clear_pointer (&layer->frameworks, g_ptr_array_unref);
  g_clear_pointer (&layer->framework_names, g_hash_table_unref);
}

/* Merges a valid layer: objects member by member (a null member removes it), the rest whole. */
static void
apply_layer (AdmintConfig *self,
             Layer        *layer)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, layer->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      Entry *old = g_hash_table_lookup (self->entries, entry->spec->key);

      g_hash_table_iter_steal (&iter);
      if (entry->spec->type == VT_OBJECT)
        {
          JsonObject *incoming = json_node_get_object (entry->value);
          g_autoptr(JsonObject) merged = json_object_new ();
          GList *members;

          if (old != NULL)
            {
              JsonObject *previous = json_node_get_object (old->value);
              members = json_object_get_members (previous);
              for (GList *l = members; l != NULL; l = l->next)
                {
                  json_object_set_member (merged, l->data,
                                          json_object_dup_member (previous, l->data));
                  if (!g_hash_table_contains (entry->member_origins, l->data))
                    g_hash_table_insert (entry->member_origins, g_strdup (l->data),
                                         g_strdup (g_hash_table_lookup (old->member_origins,
                                                                        l->data)));
                }
              g_list_free (members);
            }
          members = json_object_get_members (incoming);
          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *member = json_object_get_member (incoming, l->data);
              if (JSON_NODE_HOLDS_NULL (member))
                {
                  if (json_object_has_member (merged, l->data))
                    json_object_remove_member (merged, l->data);
                  g_hash_table_remove (entry->member_origins, l->data);
                }
              else
                json_object_set_member (merged, l->data, json_node_copy (member));
            }
          g_list_free (members);
          json_node_unref (entry->value);
          entry->value = json_node_init_object (json_node_alloc (), merged);
        }
      g_hash_table_replace (self->entries, (gpointer) entry->spec->key, entry);
    }

  for (guint i = 0; i < layer->frameworks->len; i++)
    {
      AdmintFramework *framework = g_ptr_array_index (layer->frameworks, i);
      g_hash_table_replace (self->frameworks,
                            g_utf8_casefold (admint_framework_get_name (framework), -1),
                            admint_framework_ref (framework));
    }
}

/* Validates one file and, when it has no problem at all, applies it. Problems go to errors. */
gboolean
config_load_text (AdmintConfig *self,
                  const char   *label,
                  const char   *text,
                  gsize         length,
                  FileKind      kind,
                  const char   *prompt_agent,
                  const char   *origin_prefix,
                  int           rank,
                  GPtrArray    *errors)
{
  Layer layer = { 0 };
  guint errors_before = errors->len;
  yaml_node_t *root;

  layer.file = admint_yaml_file_parse (label, text, length, errors);
  if (layer.file == NULL)
    return FALSE;
  layer.errors = errors;
  layer.origin_prefix = origin_prefix;
  layer.rank = rank;
  layer.entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) config_entry_free);
  layer.frameworks = g_ptr_array_new_with_free_func ((GDestroyNotify) admint_framework_unref);
  layer.framework_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  root = admint_yaml_file_root (layer.file);
  switch (kind)
    {
    case FILE_CONFIG:
      if (root != NULL)
        validate_mapping (&layer, root, "");
      break;
    case FILE_PROMPT:
      {
        g_autofree char *path = g_strconcat ("prompts.", prompt_agent, NULL);
        if (root != NULL)
          validate_mapping (&layer, root, path);
      }
      break;
    case FILE_FRAMEWORK:
      if (root == NULL)
        g_ptr_array_add (errors, g_strdup_printf ("%s:1:1: the file is empty; a framework has "
                                                  "name, description and beats", label));
      else
        validate_framework (&layer, root);
      break;
    default:
      g_assert_not_reached ();
    }

  if (errors->len == errors_before)
    apply_layer (self, &layer);
  layer_clear (&layer);
  return errors->len == errors_before;
}

static gboolean
read_file (const char  *path,
           const char  *what,
           char       **text,
           gsize       *length,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "%s: is a folder, not a %s; give the path of a YAML file", path, what);
      return FALSE;
    }
  if (!g_file_get_contents (path, text, length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                     "%s: no such file; check the path of the %s", path, what);
      else
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                     "%s: cannot be read (%s); check that it is a readable file", path,
                     local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
config_load_file (AdmintConfig *self,
                  const char   *path,
                  const char   *what,
                  FileKind      kind,
                  const char   *origin_prefix,
                  int           rank,
                  GPtrArray    *errors,
                  GError      **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!read_file (path, what, &text, &length, error))
    return FALSE;
  config_load_text (self, path, text, length, kind, NULL, origin_prefix, rank, errors);
  return TRUE;
}

gboolean
config_take_errors (GPtrArray  *errors,
                    GError    **error)
{
  g_autoptr(GString) message = NULL;

  if (errors->len == 0)
    return TRUE;
  message = g_string_new (NULL);
  for (guint i = 0; i < errors->len; i++)
    g_string_append_printf (message, "%s%s", i > 0 ? "\n" : "",
                            (const char *) g_ptr_array_index (errors, i));
  g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG, message->str);
  return FALSE;
}

/* 0.4 rather than the 0.40000000000000002 of a JSON round trip; 10485760 in full. */
static char *
number_text (double value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%g", value);
}

/* The local voice must be one Flite has (src/core/audio/admint-voice-local.c keeps the same
 * list; a service's voices are the service's business). */
static void
check_local_voice (AdmintConfig *self,
                   GPtrArray    *errors)
{
  static const char * const local_voices[] = { "slt", "rms", "awb", "kal", NULL };
  Entry *provider = g_hash_table_lookup (self->entries, "providers.voice.provider");
  Entry *voice = g_hash_table_lookup (self->entries, "providers.voice.voice");
  const char *name;
  g_autofree char *allowed = NULL;

  if (provider == NULL || voice == NULL ||
      g_strcmp0 (json_node_get_string (provider->value), "local") != 0)
    return;
  name = json_node_get_string (voice->value);
  if (name == NULL || name[0] == '\0' || g_strv_contains (local_voices, name))
    return;
  allowed = config_join_strv (local_voices, "", "");
  g_ptr_array_add (errors,
                   g_strdup_printf ("%s: providers.voice.voice is “%s”, which the local voice "
                                    "(Flite) does not have; choose one of: %s",
                                    voice->position ? voice->position : voice->origin, name,
                                    allowed));
}

/* Rules between keys, checked on the merged result. The position is the later layer's. */
void
config_cross_check (AdmintConfig *self,
                    GPtrArray    *errors)
{
  static const struct { const char *low; const char *high; const char *rule; } pairs[] = {
    { "quality.acceptable", "quality.good",
      "the acceptable threshold must not be above the good one" },
    { "network.backoff_initial_seconds", "network.backoff_max_seconds",
      "the first back-off must not be longer than the longest" },
    { "limits.asset_max_bytes", "limits.generation_assets_max_bytes",
      "one file may not exceed what a whole generation may hold" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      Entry *low = g_hash_table_lookup (self->entries, pairs[i].low);
      Entry *high = g_hash_table_lookup (self->entries, pairs[i].high);
      Entry *blamed;
      g_autofree char *low_text = NULL, *high_text = NULL;

      if (low == NULL || high == NULL ||
          json_node_get_double (low->value) <= json_node_get_double (high->value))
        continue;
      blamed = low->rank >= high->rank ? low : high;
      low_text = number_text (json_node_get_double (low->value));
      high_text = number_text (json_node_get_double (high->value));
      g_ptr_array_add (errors,
                       g_strdup_printf ("%s: %s is %s but %s is %s (from %s); %s: lower %s or "
                                        "raise %s",
                                        blamed->position ? blamed->position : blamed->origin,
                                        pairs[i].low, low_text, pairs[i].high, high_text,
                                        blamed == low ? high->origin : low->origin,
                                        pairs[i].rule, pairs[i].low, pairs[i].high));
    }
  check_local_voice (self, errors);
}
