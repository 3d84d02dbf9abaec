/* The configuration: a schema of every key, layered YAML files validated at load, and getters. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "admint-config-private.h"
#include "admint-core-resources.h"
#include "admint-error.h"
#include "admint-paths.h"

#define RESOURCE_ROOT "/io/github/admint/core"

/* ---- the schema ------------------------------------------------------------------------- */

typedef enum {
  VT_BOOL,
  VT_INT,
  VT_DOUBLE,
  VT_STRING,
  VT_OBJECT,
} ValueType;

enum {
  F_URL = 1 << 0,            /* an http(s) URL with a host */
  F_NONEMPTY = 1 << 1,
  F_TEMPLATE = 1 << 2,       /* a prompt template: placeholders of its agent only */
  F_STRING_MEMBERS = 1 << 3, /* an object of strings whose member names are `choices` */
};

typedef struct
{
  const char         *key;
  ValueType           type;
  double              min;
  double              max;
  const char * const *choices;
  guint               flags;
} KeySpec;

static const char * const llm_providers[] = { "local", "openai", NULL };
static const char * const media_providers[] = { "local", "replicate", NULL };
static const char * const aspects[] = { "16:9", "9:16", "1:1", NULL };
static const char * const resolutions[] = { "720p", "1080p", "360p", NULL };
/* Our names for a model's inputs (providers.*.inputs maps each to the model's own name). */
static const char * const image_inputs[] = {
  "prompt", "input_images", "aspect_ratio", "output_format", "negative_prompt", "seed",
  "width", "height", NULL,
};
static const char * const video_inputs[] = {
  "prompt", "first_frame", "last_frame", "reference_images", "duration", "aspect_ratio",
  "resolution", "audio", "negative_prompt", "seed", "fps", NULL,
};

#define B(k)        { k, VT_BOOL, 0, 0, NULL, 0 }
#define I(k, a, b)  { k, VT_INT, a, b, NULL, 0 }
#define D(k, a, b)  { k, VT_DOUBLE, a, b, NULL, 0 }
#define S(k, f)     { k, VT_STRING, 0, 0, NULL, f }
#define E(k, c)     { k, VT_STRING, 0, 0, c, 0 }
#define O(k, c, f)  { k, VT_OBJECT, 0, 0, c, f }
#define PROMPT(a)   S ("prompts." a ".system_prompt", F_NONEMPTY | F_TEMPLATE), \
                    S ("prompts." a ".user_prompt_template", F_NONEMPTY | F_TEMPLATE)

#define KiB 1024.0
#define MiB (1024.0 * KiB)
#define GiB (1024.0 * MiB)

/* Every key, in the order `config show` prints them. docs/config.md describes each one. */
static const KeySpec schema[] = {
  B ("stages.story.enabled"),
  I ("stages.story.max_iterations", 1, 10),
  D ("stages.story.quality_threshold", 0, 10),
  I ("stages.story.timeout_seconds", 1, 3600),
  B ("stages.references.enabled"),
  I ("stages.references.count", 0, 3),
  I ("stages.references.timeout_seconds", 1, 3600),
  B ("stages.scenes.enabled"),
  I ("stages.scenes.max_iterations", 1, 10),
  D ("stages.scenes.quality_threshold", 0, 10),
  I ("stages.scenes.timeout_seconds", 1, 3600),
  B ("stages.clips.enabled"),
  B ("stages.clips.parallel"),
  I ("stages.clips.max_concurrent", 1, 32),
  I ("stages.clips.max_retries", 0, 10),
  I ("stages.clips.timeout_seconds", 1, 7200),

  I ("video.target_seconds", 1, 600),
  E ("video.aspect", aspects),
  E ("video.resolution", resolutions),
  I ("video.fps", 1, 120),

  D ("quality.good", 0, 100),
  D ("quality.acceptable", 0, 100),

  E ("providers.llm.provider", llm_providers),
  S ("providers.llm.base_url", F_URL),
  S ("providers.llm.model", F_NONEMPTY),
  S ("providers.llm.vision_model", F_NONEMPTY),
  O ("providers.llm.options", NULL, 0),
  E ("providers.images.provider", media_providers),
  S ("providers.images.base_url", F_URL),
  S ("providers.images.model", F_NONEMPTY),
  O ("providers.images.options", NULL, 0),
  O ("providers.images.inputs", image_inputs, F_STRING_MEMBERS),
  E ("providers.video.provider", media_providers),
  S ("providers.video.base_url", F_URL),
  S ("providers.video.model", F_NONEMPTY),
  I ("providers.video.clip_seconds", 1, 60),
  B ("providers.video.takes_first_frame"),
  O ("providers.video.options", NULL, 0),
  O ("providers.video.inputs", video_inputs, F_STRING_MEMBERS),

  D ("prices.llm.input_per_1k_tokens", 0, 1000),
  D ("prices.llm.output_per_1k_tokens", 0, 1000),
  D ("prices.images.per_image", 0, 1000),
  D ("prices.video.per_second", 0, 1000),
  D ("prices.video.per_predict_second", 0, 1000),
  D ("prices.local", 0, 1000),

  D ("budget.max_usd_per_generation", 0, 100000),

  I ("limits.prompt_max_chars", 1, 100000),
  I ("limits.asset_max_bytes", 1, 1 * GiB),
  I ("limits.generation_assets_max_bytes", 1, 10 * GiB),

  I ("network.max_retries", 0, 10),
  D ("network.backoff_initial_seconds", 0, 60),
  D ("network.backoff_max_seconds", 0, 600),
  I ("network.max_retry_after_seconds", 0, 3600),
  I ("network.chat_first_byte_timeout_seconds", 1, 600),
  I ("network.image_timeout_seconds", 1, 3600),
  I ("network.video_timeout_seconds", 1, 7200),
  D ("network.poll_interval_image_seconds", 0.001, 60),
  D ("network.poll_interval_video_max_seconds", 0.001, 300),
  I ("network.download_max_bytes", 1, 16 * GiB),
  I ("network.inline_image_max_bytes", 0, 100 * MiB),

  PROMPT ("director"),
  PROMPT ("critic"),
  PROMPT ("reference_analyst"),
  PROMPT ("scene_writer"),
  PROMPT ("scene_critic"),
  PROMPT ("cohesor"),
  PROMPT ("intent"),
};

static GHashTable *
schema_index (void)
{
  static GHashTable *index;

  if (g_once_init_enter (&index))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
        g_hash_table_insert (table, (gpointer) schema[i].key, (gpointer) &schema[i]);
      g_once_init_leave (&index, table);
    }
  return index;
}

static const KeySpec *
schema_lookup (const char *key)
{
  return g_hash_table_lookup (schema_index (), key);
}

/* The names directly under a section ("" is the top level), in schema order. */
static GPtrArray *
schema_children (const char *section)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gsize prefix_len = strlen (section);

  for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      const char *key = schema[i].key;
      const char *rest;
      const char *dot;
      char *name;
      gboolean seen = FALSE;

      if (prefix_len > 0)
        {
          if (strncmp (key, section, prefix_len) != 0 || key[prefix_len] != '.')
            continue;
          rest = key + prefix_len + 1;
        }
      else
        rest = key;
      dot = strchr (rest, '.');
      name = dot ? g_strndup (rest, dot - rest) : g_strdup (rest);
      for (guint j = 0; j < names->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (names, j), name) == 0;
      if (seen)
        g_free (name);
      else
        g_ptr_array_add (names, name);
    }
  if (prefix_len == 0)
    g_ptr_array_add (names, g_strdup ("frameworks"));
  return names;
}

static gboolean
schema_is_section (const char *path)
{
  gsize len = strlen (path);

  for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
    if (strncmp (schema[i].key, path, len) == 0 && schema[i].key[len] == '.')
      return TRUE;
  return FALSE;
}

static char *
join_names (GPtrArray *names)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (names, i));
  return g_string_free (out, FALSE);
}

static char *
join_strv (const char * const *names,
           const char         *before,
           const char         *after)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; names[i] != NULL; i++)
    g_string_append_printf (out, "%s%s%s%s", i > 0 ? ", " : "", before, names[i], after);
  return g_string_free (out, FALSE);
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/* " (did you mean “x”?)" when a known name is close to what was written. */
static char *
did_you_mean (const char *written,
              GPtrArray  *names)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  for (guint i = 0; i < names->len; i++)
    {
      guint d = edit_distance (written, g_ptr_array_index (names, i));
      if (d < best_distance)
        {
          best_distance = d;
          best = g_ptr_array_index (names, i);
        }
    }
  if (best != NULL && best_distance <= MAX (2, strlen (written) / 3))
    return g_strdup_printf (" (did you mean “%s”?)", best);
  return g_strdup ("");
}

/* ---- values ----------------------------------------------------------------------------- */

typedef struct
{
  const KeySpec *spec;
  JsonNode      *value;
  char          *origin;       /* "default", "FILE:LINE", "--config FILE:LINE", "env X", "flag" */
  char          *position;     /* "FILE:LINE:COLUMN" when it came from a file */
  int            rank;         /* the layer it came from: higher overrides lower */
  GHashTable    *member_origins;
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_pointer (&entry->value, json_node_unref);
  g_free (entry->origin);
  g_free (entry->position);
  g_clear_pointer (&entry->member_origins, g_hash_table_unref);
  g_free (entry);
}

static Entry *
entry_new (const KeySpec *spec,
           JsonNode      *value,
           const char    *origin,
           const char    *position,
           int            rank)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->spec = spec;
  entry->value = value;
  entry->origin = g_strdup (origin);
  entry->position = g_strdup (position);
  entry->rank = rank;
  if (spec->type == VT_OBJECT)
    entry->member_origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return entry;
}

struct _AdmintConfig
{
  GObject     parent_instance;

  GHashTable *entries;     /* key -> Entry */
  GHashTable *frameworks;  /* casefolded name -> AdmintFramework */
};

G_DEFINE_FINAL_TYPE (AdmintConfig, admint_config, G_TYPE_OBJECT)

static void
admint_config_finalize (GObject *object)
{
  AdmintConfig *self = ADMINT_CONFIG (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->frameworks, g_hash_table_unref);

  G_OBJECT_CLASS (admint_config_parent_class)->finalize (object);
}

static void
admint_config_class_init (AdmintConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_config_finalize;
}

static void
admint_config_init (AdmintConfig *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_free);
  self->frameworks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) admint_framework_unref);
}

static char *
format_range_value (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
}

/* Checks a scalar's text against its key. `plain` says whether YAML would type it (unquoted).
 * Returns the typed value, or NULL and a problem ("what is wrong and what is allowed"). */
static JsonNode *
check_scalar (const KeySpec *spec,
              const char    *text,
              gboolean       plain,
              const char    *shown,
              char         **problem)
{
  g_autofree char *lo = format_range_value (spec->min);
  g_autofree char *hi = format_range_value (spec->max);
  gboolean b;
  gint64 i;
  double d;

  switch (spec->type)
    {
    case VT_BOOL:
      if (plain && admint_yaml_parse_bool (text, &b))
        return json_node_init_boolean (json_node_alloc (), b);
      *problem = g_strdup_printf ("%s must be true or false; got %s%s", spec->key, shown,
                                  plain ? "" : " (remove the quotes)");
      return NULL;

    case VT_INT:
      if (!plain || !admint_yaml_parse_int (text, &i))
        {
          *problem = g_strdup_printf ("%s must be a whole number from %s to %s; got %s%s",
                                      spec->key, lo, hi, shown,
                                      !plain ? " (remove the quotes)" : "");
          return NULL;
        }
      if ((double) i < spec->min || (double) i > spec->max)
        {
          *problem = g_strdup_printf ("%s is %" G_GINT64_FORMAT "; it must be from %s to %s",
                                      spec->key, i, lo, hi);
          return NULL;
        }
      return json_node_init_int (json_node_alloc (), i);

    case VT_DOUBLE:
      if (!plain || !admint_yaml_parse_double (text, &d))
        {
          *problem = g_strdup_printf ("%s must be a number from %s to %s; got %s%s",
                                      spec->key, lo, hi, shown,
                                      !plain ? " (remove the quotes)" : "");
          return NULL;
        }
      if (d < spec->min || d > spec->max)
        {
          *problem = g_strdup_printf ("%s is %s; it must be from %s to %s", spec->key, text, lo,
                                      hi);
          return NULL;
        }
      return json_node_init_double (json_node_alloc (), d);

    case VT_STRING:
      if (spec->choices != NULL && !g_strv_contains (spec->choices, text))
        {
          g_autofree char *allowed = join_strv (spec->choices, "", "");
          *problem = g_strdup_printf ("%s is %s; allowed: %s", spec->key, shown, allowed);
          return NULL;
        }
      if ((spec->flags & (F_NONEMPTY | F_URL)) && text[0] == '\0')
        {
          *problem = g_strdup_printf ("%s is empty; give it a value", spec->key);
          return NULL;
        }
      if (spec->flags & F_URL)
        {
          g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

          if (uri == NULL ||
              (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
               g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
              g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
            {
              *problem = g_strdup_printf ("%s is %s, which is not an http:// or https:// URL with "
                                          "a host; give one like https://api.openai.com/v1",
                                          spec->key, shown);
              return NULL;
            }
        }
      return json_node_init_string (json_node_alloc (), text);

    case VT_OBJECT:
    default:
      *problem = g_strdup_printf ("%s is a mapping; set its members in a config file",
                                  spec->key);
      return NULL;
    }
}

/* The agent of a prompt key "prompts.AGENT.field". */
static char *
template_agent (const KeySpec *spec)
{
  const char *start = spec->key + strlen ("prompts.");
  return g_strndup (start, strchr (start, '.') - start);
}

/* Calls back for each distinct placeholder the agent does not provide. */
static void
check_template (const KeySpec *spec,
                const char    *text,
                void         (*report) (const char *bad, const char *problem, gpointer data),
                gpointer       data)
{
  g_autofree char *agent = template_agent (spec);
  const char * const *allowed = admint_prompt_agent_placeholders (agent);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *name;
  gsize pos = 0, start;

  g_assert (allowed != NULL);
  while (admint_prompt_next_placeholder (text, &pos, &name, &start))
    {
      if (!g_strv_contains (allowed, name) && !g_hash_table_contains (seen, name))
        {
          g_autofree char *list = join_strv (allowed, "{", "}");
          g_autofree char *problem =
            g_strdup_printf ("%s uses {%s}, which the %s agent does not provide; use one of "
                             "%s (write {{ and }} for literal braces)",
                             spec->key, name, agent, list);
          g_autofree char *bad = g_strdup_printf ("{%s}", name);
          report (bad, problem, data);
          g_hash_table_add (seen, name);
        }
      else
        g_free (name);
    }
}

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

  entry = entry_new (spec, NULL, value_origin, position, layer->rank);
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
            g_autofree char *allowed = join_strv (spec->choices, "", "");
            g_autoptr(GPtrArray) names = g_ptr_array_new ();
            g_autofree char *hint = NULL;

            for (gsize i = 0; spec->choices[i] != NULL; i++)
              g_ptr_array_add (names, (gpointer) spec->choices[i]);
            hint = did_you_mean (name, names);
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
      entry_free (entry);
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

  json = check_scalar (spec, admint_yaml_scalar (value), admint_yaml_is_plain (value), shown,
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

      check_template (spec, admint_yaml_scalar (value), report_template_in_file, &report);
      if (layer->errors->len > errors_before)
        {
          json_node_unref (json);
          return;
        }
    }

  origin = layer_origin (layer, value->start_mark);
  position = layer_position (layer, value->start_mark);
  g_hash_table_replace (layer->entries, (gpointer) spec->key,
                        entry_new (spec, json, origin, position, layer->rank));
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
          g_autofree char *list = join_strv (allowed, "", "");
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
      spec = schema_lookup (full);
      if (spec != NULL)
        validate_leaf (layer, spec, value);
      else if (schema_is_section (full))
        validate_mapping (layer, value, full);
      else
        {
          g_autoptr(GPtrArray) names = schema_children (path);
          g_autofree char *allowed = join_names (names);
          g_autofree char *hint = did_you_mean (name, names);

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

typedef enum {
  FILE_CONFIG,     /* stages:, providers:, …, prompts:, frameworks: */
  FILE_PROMPT,     /* system_prompt and user_prompt_template of one agent */
  FILE_FRAMEWORK,  /* one framework */
} FileKind;

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
static gboolean
load_text (AdmintConfig *self,
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
                                         (GDestroyNotify) entry_free);
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

static gboolean
load_file (AdmintConfig *self,
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
  load_text (self, path, text, length, kind, NULL, origin_prefix, rank, errors);
  return TRUE;
}

static gboolean
take_errors (GPtrArray  *errors,
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

/* Rules between keys, checked on the merged result. The position is the later layer's. */
static void
cross_check (AdmintConfig *self,
             GPtrArray    *errors)
{
  static const struct { const char *low; const char *high; const char *rule; } pairs[] = {
    { "quality.acceptable", "quality.good", "the acceptable threshold must not be above the good one" },
    { "network.backoff_initial_seconds", "network.backoff_max_seconds", "the first back-off must not be longer than the longest" },
    { "limits.asset_max_bytes", "limits.generation_assets_max_bytes", "one file may not exceed what a whole generation may hold" },
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
      low_text = json_to_string (low->value, FALSE);
      high_text = json_to_string (high->value, FALSE);
      g_ptr_array_add (errors,
                       g_strdup_printf ("%s: %s is %s but %s is %s (from %s); %s: lower %s or "
                                        "raise %s",
                                        blamed->position ? blamed->position : blamed->origin,
                                        pairs[i].low, low_text, pairs[i].high, high_text,
                                        blamed == low ? high->origin : low->origin,
                                        pairs[i].rule, pairs[i].low, pairs[i].high));
    }
}

/* ---- loading ---------------------------------------------------------------------------- */

enum {
  RANK_DEFAULT,
  RANK_USER,
  RANK_USER_FRAMEWORKS,
  RANK_CLI,
  RANK_ENV,
  RANK_FLAG,
};

static AdmintConfig *
load_defaults (GPtrArray *errors)
{
  g_autoptr(AdmintConfig) self = g_object_new (ADMINT_TYPE_CONFIG, NULL);
  GResource *resource = admint_core_get_resource ();
  const char * const *agents = admint_prompt_list_agents ();
  g_auto(GStrv) frameworks = NULL;

  for (gssize i = -1; i < 0 || agents[i] != NULL; i++)
    {
      /* First the pipeline defaults, then each agent's prompt file. */
      g_autofree char *path = i < 0 ? g_strdup (RESOURCE_ROOT "/pipelines/default.yaml")
                                    : g_strdup_printf (RESOURCE_ROOT "/prompts/%s.yaml",
                                                       agents[i]);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (resource, path, 0, NULL);
      gsize length;
      const char *data;

      if (bytes == NULL)
        {
          g_ptr_array_add (errors, g_strdup_printf ("%s: missing from the built-in resource",
                                                    path));
          continue;
        }
      data = g_bytes_get_data (bytes, &length);
      load_text (self, path, data, length, i < 0 ? FILE_CONFIG : FILE_PROMPT,
                 i < 0 ? NULL : agents[i], NULL, RANK_DEFAULT, errors);
    }

  frameworks = g_resource_enumerate_children (resource, RESOURCE_ROOT "/frameworks", 0, NULL);
  for (gsize i = 0; frameworks != NULL && frameworks[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_ROOT "/frameworks/", frameworks[i], NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (resource, path, 0, NULL);
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      load_text (self, path, data, length, FILE_FRAMEWORK, NULL, NULL, RANK_DEFAULT, errors);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
    if (!g_hash_table_contains (self->entries, schema[i].key))
      g_ptr_array_add (errors, g_strdup_printf (RESOURCE_ROOT "/pipelines/default.yaml: has no "
                                                "default for %s", schema[i].key));
  return g_steal_pointer (&self);
}

AdmintConfig *
admint_config_load_defaults (void)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  AdmintConfig *self = load_defaults (errors);

  /* The test suite loads the defaults, so this is a bug in what we ship, not the user's. */
  for (guint i = 0; i < errors->len; i++)
    g_critical ("Built-in configuration: %s", (const char *) g_ptr_array_index (errors, i));
  return self;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
load_user_frameworks (AdmintConfig *self,
                      GPtrArray    *errors,
                      GError      **error)
{
  g_autofree char *config_dir = admint_paths_config_dir ();
  g_autofree char *dir_path = g_build_filename (config_dir, "frameworks", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    return TRUE;
  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      if (!load_file (self, path, "framework file", FILE_FRAMEWORK, "", RANK_USER_FRAMEWORKS,
                      errors, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_environment (AdmintConfig *self,
                   GPtrArray    *errors)
{
  static const struct { const char *var; const char *keys[2]; } overrides[] = {
    { "ADMINT_OPENAI_BASE_URL", { "providers.llm.base_url", NULL } },
    { "ADMINT_REPLICATE_BASE_URL", { "providers.images.base_url", "providers.video.base_url" } },
  };
  guint errors_before = errors->len;

  for (gsize i = 0; i < G_N_ELEMENTS (overrides); i++)
    {
      const char *value = g_getenv (overrides[i].var);
      g_autofree char *origin = g_strdup_printf ("env %s", overrides[i].var);
      g_autofree char *shown = NULL;

      if (value == NULL || value[0] == '\0')
        continue;
      shown = g_strdup_printf ("“%s”", value);
      for (gsize k = 0; k < G_N_ELEMENTS (overrides[i].keys) && overrides[i].keys[k]; k++)
        {
          const KeySpec *spec = schema_lookup (overrides[i].keys[k]);
          g_autofree char *problem = NULL;
          JsonNode *json = check_scalar (spec, value, FALSE, shown, &problem);

          if (json == NULL)
            {
              g_ptr_array_add (errors, g_strdup_printf ("environment variable %s: %s; fix or "
                                                        "unset it", overrides[i].var,
                                                        problem));
              break;
            }
          g_hash_table_replace (self->entries, (gpointer) spec->key,
                                entry_new (spec, json, origin, NULL, RANK_ENV));
        }
    }
  return errors->len == errors_before;
}

AdmintConfig *
admint_config_load (const char  *cli_file,
                    GError     **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AdmintConfig) self = admint_config_load_defaults ();
  g_autofree char *user_file = admint_paths_config_file ();

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_test (user_file, G_FILE_TEST_EXISTS))
    {
      if (!load_file (self, user_file, "user config", FILE_CONFIG, "", RANK_USER, errors, error))
        return NULL;
      if (!take_errors (errors, error))
        return NULL;
    }
  if (!load_user_frameworks (self, errors, error) || !take_errors (errors, error))
    return NULL;
  if (cli_file != NULL)
    {
      if (!load_file (self, cli_file, "--config file", FILE_CONFIG, "--config ", RANK_CLI,
                      errors, error))
        return NULL;
      if (!take_errors (errors, error))
        return NULL;
    }
  apply_environment (self, errors);
  if (errors->len == 0)
    cross_check (self, errors);
  if (!take_errors (errors, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
admint_config_check_file (const char  *file,
                          GError     **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AdmintConfig) self = admint_config_load_defaults ();

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!load_file (self, file, "config file", FILE_CONFIG, "", RANK_CLI, errors, error))
    return FALSE;
  if (errors->len == 0)
    cross_check (self, errors);
  return take_errors (errors, error);
}

/* ---- getters ---------------------------------------------------------------------------- */

/* The entry of key; a key the schema does not have is a programming error. */
static Entry *
lookup_entry (AdmintConfig *self,
              const char   *key)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    g_critical ("No config key “%s”: the schema in admint-config.c lists every key", key);
  return entry;
}

static Entry *
lookup_typed (AdmintConfig *self,
              const char   *key,
              ValueType     type,
              gboolean      int_as_double)
{
  Entry *entry = lookup_entry (self, key);

  if (entry == NULL)
    return NULL;
  if (entry->spec->type != type && !(int_as_double && entry->spec->type == VT_INT))
    {
      g_critical ("Config key “%s” is read with a getter of another type", key);
      return NULL;
    }
  return entry;
}

gint64
admint_config_get_int (AdmintConfig *self,
                       const char   *dotted_key)
{
  Entry *entry;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), 0);
  g_return_val_if_fail (dotted_key != NULL, 0);

  entry = lookup_typed (self, dotted_key, VT_INT, FALSE);
  return entry ? json_node_get_int (entry->value) : 0;
}

double
admint_config_get_double (AdmintConfig *self,
                          const char   *dotted_key)
{
  Entry *entry;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), 0.0);
  g_return_val_if_fail (dotted_key != NULL, 0.0);

  entry = lookup_typed (self, dotted_key, VT_DOUBLE, TRUE);
  if (entry == NULL)
    return 0.0;
  if (entry->spec->type == VT_INT)
    return (double) json_node_get_int (entry->value);
  return json_node_get_double (entry->value);
}

gboolean
admint_config_get_boolean (AdmintConfig *self,
                           const char   *dotted_key)
{
  Entry *entry;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (dotted_key != NULL, FALSE);

  entry = lookup_typed (self, dotted_key, VT_BOOL, FALSE);
  return entry ? json_node_get_boolean (entry->value) : FALSE;
}

const char *
admint_config_get_string (AdmintConfig *self,
                          const char   *dotted_key)
{
  Entry *entry;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);
  g_return_val_if_fail (dotted_key != NULL, NULL);

  entry = lookup_typed (self, dotted_key, VT_STRING, FALSE);
  return entry ? json_node_get_string (entry->value) : NULL;
}

JsonObject *
admint_config_get_object (AdmintConfig *self,
                          const char   *dotted_key)
{
  Entry *entry;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);
  g_return_val_if_fail (dotted_key != NULL, NULL);

  entry = lookup_typed (self, dotted_key, VT_OBJECT, FALSE);
  return entry ? json_node_get_object (entry->value) : NULL;
}

const char *
admint_config_get_origin (AdmintConfig *self,
                          const char   *dotted_key)
{
  Entry *entry;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);
  g_return_val_if_fail (dotted_key != NULL, NULL);

  entry = lookup_entry (self, dotted_key);
  return entry ? entry->origin : NULL;
}

typedef struct
{
  GPtrArray *problems;
} OverrideReport;

static void
report_template_problem (const char *bad,
                         const char *problem,
                         gpointer    data)
{
  g_ptr_array_add (((OverrideReport *) data)->problems, g_strdup (problem));
}

void
admint_config_set_override (AdmintConfig  *self,
                            const char    *dotted_key,
                            const char    *value,
                            GError       **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *problem = NULL;
  g_autofree char *shown = NULL;
  const KeySpec *spec;
  Entry *old;
  JsonNode *json;

  g_return_if_fail (ADMINT_IS_CONFIG (self));
  g_return_if_fail (dotted_key != NULL);
  g_return_if_fail (value != NULL);
  g_return_if_fail (error == NULL || *error == NULL);

  spec = schema_lookup (dotted_key);
  if (spec == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   "“%s” is not a config key; docs/config.md lists them all", dotted_key);
      return;
    }
  shown = g_strdup_printf ("“%s”", value);
  json = check_scalar (spec, value, TRUE, shown, &problem);
  if (json == NULL)
    {
      g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG, problem);
      return;
    }
  if (spec->flags & F_TEMPLATE)
    {
      OverrideReport report = { problems };
      check_template (spec, value, report_template_problem, &report);
      if (problems->len > 0)
        {
          json_node_unref (json);
          take_errors (problems, error);
          return;
        }
    }

  old = g_hash_table_lookup (self->entries, spec->key);
  g_hash_table_steal (self->entries, spec->key);
  g_hash_table_insert (self->entries, (gpointer) spec->key,
                       entry_new (spec, json, "flag", NULL, RANK_FLAG));
  cross_check (self, problems);
  if (problems->len > 0)
    {
      g_hash_table_replace (self->entries, (gpointer) spec->key, old);
      take_errors (problems, error);
      return;
    }
  g_clear_pointer (&old, entry_free);
}

/* ---- frameworks and prompts ------------------------------------------------------------- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
admint_config_list_frameworks (AdmintConfig *self)
{
  GPtrArray *names;
  GHashTableIter iter;
  AdmintFramework *framework;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);

  names = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->frameworks);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &framework))
    g_ptr_array_add (names, g_strdup (admint_framework_get_name (framework)));
  g_ptr_array_sort (names, compare_names);
  return names;
}

AdmintFramework *
admint_config_get_framework (AdmintConfig  *self,
                             const char    *name,
                             GError       **error)
{
  g_autofree char *folded = NULL;
  AdmintFramework *framework;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  folded = g_utf8_casefold (name, -1);
  framework = g_hash_table_lookup (self->frameworks, folded);
  if (framework == NULL)
    {
      g_autoptr(GPtrArray) names = admint_config_list_frameworks (self);
      g_autofree char *known = join_names (names);

      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("No framework named “%s”; known frameworks: %s (add your own as a YAML file "
                   "in $XDG_CONFIG_HOME/admint/frameworks/)"), name, known);
      return NULL;
    }
  return admint_framework_ref (framework);
}

AdmintPrompt *
admint_config_get_prompt (AdmintConfig *self,
                          const char   *agent)
{
  g_autofree char *system_key = NULL;
  g_autofree char *template_key = NULL;

  g_return_val_if_fail (ADMINT_IS_CONFIG (self), NULL);
  g_return_val_if_fail (agent != NULL, NULL);

  if (admint_prompt_agent_placeholders (agent) == NULL)
    {
      g_critical ("No agent “%s”: admint_prompt_list_agents() names them", agent);
      return NULL;
    }
  system_key = g_strdup_printf ("prompts.%s.system_prompt", agent);
  template_key = g_strdup_printf ("prompts.%s.user_prompt_template", agent);
  return admint_prompt_new (agent, admint_config_get_string (self, system_key),
                            admint_config_get_string (self, template_key));
}

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
  for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      Entry *entry = g_hash_table_lookup (self->entries, schema[i].key);
      g_auto(GStrv) parts = g_strsplit (schema[i].key, ".", -1);
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

      switch (schema[i].type)
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

  for (gsize i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      Entry *entry = g_hash_table_lookup (self->entries, schema[i].key);
      g_auto(GStrv) parts = g_strsplit (schema[i].key, ".", -1);
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
  load_text (self, "snapshot", flow->str, flow->len, FILE_CONFIG, NULL, "", RANK_CLI, errors);
  if (errors->len == 0)
    cross_check (self, errors);
  if (!take_errors (errors, error))
    return NULL;
  return g_steal_pointer (&self);
}
