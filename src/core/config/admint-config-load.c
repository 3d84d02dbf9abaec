/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading the configuration: built-in defaults, the user's files, --config, the environment. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "admint-config-private.h"
#include "admint-config-values-private.h"
#include "admint-core-resources.h"
#include "admint-error.h"
#include "admint-paths.h"

#define RESOURCE_ROOT "/io/github/admint/core"

/* ---- loading ---------------------------------------------------------------------------- */

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
      config_load_text (self, path, data, length, i < 0 ? FILE_CONFIG : FILE_PROMPT,
                        i < 0 ? NULL : agents[i], NULL, RANK_DEFAULT, errors);
    }

  frameworks = g_resource_enumerate_children (resource, RESOURCE_ROOT "/frameworks", 0, NULL);
  for (gsize i = 0; frameworks != NULL && frameworks[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_ROOT "/frameworks/", frameworks[i], NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (resource, path, 0, NULL);
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      config_load_text (self, path, data, length, FILE_FRAMEWORK, NULL, NULL, RANK_DEFAULT, errors);
    }

  for (gsize i = 0; i < config_schema_length; i++)
    if (!g_hash_table_contains (self->entries, config_schema[i].key))
      g_ptr_array_add (errors, g_strdup_printf (RESOURCE_ROOT "/pipelines/default.yaml: has no "
                                                "default for %s", config_schema[i].key));
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
      if (!config_load_file (self, path, "framework file", FILE_FRAMEWORK, "", RANK_USER_FRAMEWORKS,
                             errors, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_environment (AdmintConfig *self,
                   GPtrArray    *errors)
{
  static const struct { const char *var; const char *keys[3]; } overrides[] = {
    { "ADMINT_OPENAI_BASE_URL", { "providers.llm.base_url", "providers.voice.base_url" } },
    { "ADMINT_REPLICATE_BASE_URL", { "providers.images.base_url", "providers.video.base_url",
                                     "providers.music.base_url" } },
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
          const KeySpec *spec = config_schema_lookup (overrides[i].keys[k]);
          g_autofree char *problem = NULL;
          JsonNode *json = config_check_scalar (spec, value, FALSE, shown, &problem);

          if (json == NULL)
            {
              g_ptr_array_add (errors, g_strdup_printf ("environment variable %s: %s; fix or "
                                                        "unset it", overrides[i].var,
                                                        problem));
              break;
            }
          g_hash_table_replace (self->entries, (gpointer) spec->key,
                                config_entry_new (spec, json, origin, NULL, RANK_ENV));
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
      if (!config_load_file (self, user_file, "user config", FILE_CONFIG, "", RANK_USER, errors,
                             error))
        return NULL;
      if (!config_take_errors (errors, error))
        return NULL;
    }
  if (!load_user_frameworks (self, errors, error) || !config_take_errors (errors, error))
    return NULL;
  if (cli_file != NULL)
    {
      if (!config_load_file (self, cli_file, "--config file", FILE_CONFIG, "--config ", RANK_CLI,
                             errors, error))
        return NULL;
      if (!config_take_errors (errors, error))
        return NULL;
    }
  apply_environment (self, errors);
  if (errors->len == 0)
    config_cross_check (self, errors);
  if (!config_take_errors (errors, error))
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

  if (!config_load_file (self, file, "config file", FILE_CONFIG, "", RANK_CLI, errors, error))
    return FALSE;
  if (errors->len == 0)
    config_cross_check (self, errors);
  return config_take_errors (errors, error);
}
