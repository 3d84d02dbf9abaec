/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The configuration object: its values (checked against the schema), getters and one-run
 * overrides, frameworks and prompts. Loading, the schema and `config show` have their own files. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "admint-config-private.h"
#include "admint-config-values-private.h"
#include "admint-error.h"

/* ---- values ----------------------------------------------------------------------------- */

void
config_entry_free (Entry *entry)
{
  g_clear_pointer (&entry->value, json_node_unref);
  g_free (entry->origin);
  g_free (entry->position);
  g_clear_pointer (&entry->member_origins, g_hash_table_unref);
  g_free (entry);
}

Entry *
config_entry_new (const KeySpec *spec,
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
                                         (GDestroyNotify) config_entry_free);
  self->frameworks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) admint_framework_unref);
}

static char *
format_range_value (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
}

/* localhost, or an address of 127.0.0.0/8 or ::1. */
static gboolean
config_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Checks a scalar's text against its key. `plain` says whether YAML would type it (unquoted).
 * Returns the typed value, or NULL and a problem ("what is wrong and what is allowed"). */
JsonNode *
config_check_scalar (const KeySpec *spec,
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
          g_autofree char *allowed = config_join_strv (spec->choices, "", "");
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
          /* The key travels with every request: in clear text only to this machine. */
          if (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 &&
              !config_host_is_loopback (g_uri_get_host (uri)))
            {
              *problem = g_strdup_printf ("%s is %s: plain http:// would send the API key "
                                          "unencrypted to %s; use https://, or http:// only for "
                                          "a server on this machine (localhost, 127.0.0.1, ::1)",
                                          spec->key, shown, g_uri_get_host (uri));
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
void
config_check_template (const KeySpec *spec,
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
          g_autofree char *list = config_join_strv (allowed, "{", "}");
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

/* ---- getters ---------------------------------------------------------------------------- */

/* The entry of key; a key the schema does not have is a programming error. */
static Entry *
lookup_entry (AdmintConfig *self,
              const char   *key)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    g_critical ("No config key “%s”: the schema in admint-config-schema.c lists every key", key);
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

/* A mapping key (providers.video.options) takes a YAML flow mapping, {generate_audio: false}:
 * it is read and checked as the same mapping in a config file would be, then merged member by
 * member over what is there (a null member removes one). */
static void
set_object_override (AdmintConfig   *self,
                     const KeySpec  *spec,
                     const char     *value,
                     GError        **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit (spec->key, ".", -1);
  g_autoptr(GString) yaml = g_string_new (NULL);
  guint n = g_strv_length (parts);

  if (strchr (value, '\n') != NULL || value[0] != '{')
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   "%s is a mapping; give it as {name: value, …} on one line, e.g. %s={seed: 7}",
                   spec->key, spec->key);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      for (guint j = 0; j < i; j++)
        g_string_append (yaml, "  ");
      g_string_append_printf (yaml, "%s:%s", parts[i], i + 1 < n ? "\n" : " ");
    }
  g_string_append_printf (yaml, "%s\n", value);
  config_load_text (self, "--set", yaml->str, yaml->len, FILE_CONFIG, NULL, "flag ", RANK_FLAG,
                    problems);
  if (problems->len == 0)
    config_cross_check (self, problems);
  /* The positions are in the text made above, not anything the user wrote: dropped. */
  for (guint i = 0; i < problems->len; i++)
    {
      char *problem = g_ptr_array_index (problems, i);
      const char *rest = problem;

      for (int colons = 0; g_str_has_prefix (problem, "--set:") && colons < 3 && *rest; rest++)
        colons += *rest == ':';
      if (rest != problem)
        {
          g_ptr_array_index (problems, i) = g_strdup (g_strchug ((char *) rest));
          g_free (problem);
        }
    }
  config_take_errors (problems, error);
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

  spec = config_schema_lookup (dotted_key);
  if (spec == NULL)
    {
      g_autofree char *hint = config_near_keys (dotted_key);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   "“%s” is not a config key%s; `admint config show` and docs/config.md list "
                   "them all", dotted_key, hint);
      return;
    }
  if (spec->type == VT_OBJECT)
    {
      set_object_override (self, spec, value, error);
      return;
    }
  shown = g_strdup_printf ("“%s”", value);
  json = config_check_scalar (spec, value, TRUE, shown, &problem);
  if (json == NULL)
    {
      g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG, problem);
      return;
    }
  if (spec->flags & F_TEMPLATE)
    {
      OverrideReport report = { problems };
      config_check_template (spec, value, report_template_problem, &report);
      if (problems->len > 0)
        {
          json_node_unref (json);
          config_take_errors (problems, error);
          return;
        }
    }

  old = g_hash_table_lookup (self->entries, spec->key);
  g_hash_table_steal (self->entries, spec->key);
  g_hash_table_insert (self->entries, (gpointer) spec->key,
                       config_entry_new (spec, json, "flag", NULL, RANK_FLAG));
  config_cross_check (self, problems);
  if (problems->len > 0)
    {
      g_hash_table_replace (self->entries, (gpointer) spec->key, old);
      config_take_errors (problems, error);
      return;
    }
  g_clear_pointer (&old, config_entry_free);
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
      g_autofree char *known = config_join_names (names);

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
