/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admint keys and admint providers: API keys in the keyring, and a check of each provider. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "admint-cli.h"
#include "admint-config.h"
#include "admint-error.h"
#include "admint-keys.h"
#include "admint-provider-check.h"

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

/* ---- keys ---- */

#define MAX_KEY_BYTES 4096

/* Reads the key from stdin as bytes (not as a C string: a NUL must not cut it short). On a
 * terminal one line without echo; from a pipe or file everything, up to MAX_KEY_BYTES. The
 * line break that ends it and surrounding blanks are dropped; the key is checked by
 * admint_keys_check. NULL (and *length 0) when nothing could be read. */
static char *
read_secret (gsize *length)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char *buffer = g_malloc0 (MAX_KEY_BYTES + 1);
  gsize len = 0, start = 0;

  if (tty)
    {
      fprintf (stderr, _("Paste the key and press Enter (it is not shown): "));
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(ECHO);
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  while (len <= MAX_KEY_BYTES)
    {
      gssize n = read (STDIN_FILENO, buffer + len, tty ? 1 : MAX_KEY_BYTES + 1 - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      len += n;
      if (tty && buffer[len - 1] == '\n')
        break;
    }
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  while (len > 0 && strchr (" \t\r\n", buffer[len - 1]) != NULL && buffer[len - 1] != '\0')
    len--;
  while (start < len && (buffer[start] == ' ' || buffer[start] == '\t'))
    start++;
  memmove (buffer, buffer + start, len - start);
  len -= start;
  memset (buffer + len, 0, MAX_KEY_BYTES + 1 - len);
  *length = len;
  return buffer;
}

static int
keys_set (const AdmintCliCommand *command,
          const char             *provider)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *secret = read_secret (&length);
  GAsyncResult *slot = NULL;

  if (length == 0)
    return admint_cli_usage_error (command, _("the key read from stdin is empty; pipe or paste "
                                              "the whole key"));
  if (length > MAX_KEY_BYTES)
    {
      memset (secret, 0, MAX_KEY_BYTES + 1);
      return admint_cli_usage_error (command, _("the input is over %d bytes, too long for a "
                                                "key; pipe the key alone"), MAX_KEY_BYTES);
    }
  if (!admint_keys_check (provider, ADMINT_KEY_SOURCE_INPUT, secret, length, &error))
    {
      memset (secret, 0, length);
      return admint_cli_report_error (error);
    }
  admint_keys_store_async (provider, secret, NULL, store_result, &slot);
  memset (secret, 0, length);
  g_autoptr(GAsyncResult) result = wait_result (&slot);
  if (!admint_keys_store_finish (result, &error))
    return admint_cli_report_error (error);
  printf (_("The %s key is stored in the keyring.\n"), provider);
  if (g_getenv (admint_keys_env_var (provider)) != NULL)
    printf (_("Note: %s is set in the environment and takes precedence.\n"),
            admint_keys_env_var (provider));
  return ADMINT_EXIT_OK;
}

static int
keys_clear (const char *provider)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean removed = FALSE;

  admint_keys_clear_async (provider, NULL, store_result, &slot);
  g_autoptr(GAsyncResult) result = wait_result (&slot);
  if (!admint_keys_clear_finish (result, &removed, &error))
    return admint_cli_report_error (error);
  if (removed)
    printf (_("The %s key was removed from the keyring.\n"), provider);
  else
    printf (_("There was no %s key in the keyring.\n"), provider);
  return ADMINT_EXIT_OK;
}

static int
keys_status (gboolean json)
{
  static const char * const providers[] = { "openai", "replicate" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      const char *env_var = admint_keys_env_var (providers[i]);
      const char *env = g_getenv (env_var);
      gboolean in_env = env != NULL && *env != '\0';
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) env_error = NULL;
      g_autofree char *key = NULL;
      GAsyncResult *slot = NULL;
      AdmintKeySource source = ADMINT_KEY_SOURCE_NONE;
      gboolean in_keyring;

      admint_keys_lookup_keyring_async (providers[i], NULL, store_result, &slot);
      g_autoptr(GAsyncResult) result = wait_result (&slot);
      key = admint_keys_lookup_finish (result, &source, &error);
      /* A key that is there but unusable is there: say what is wrong with it. */
      in_keyring = key != NULL ||
                   g_error_matches (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
      if (key != NULL)
        memset (key, 0, strlen (key));
      if (in_env)
        admint_keys_check (providers[i], ADMINT_KEY_SOURCE_ENVIRONMENT, env, strlen (env),
                           &env_error);

      const char *effective = in_env ? "environment" : in_keyring ? "keyring" : "none";
      if (json)
        {
          json_builder_set_member_name (builder, providers[i]);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "set");
          json_builder_add_boolean_value (builder, in_env || in_keyring);
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, effective);
          json_builder_set_member_name (builder, "environment");
          json_builder_add_boolean_value (builder, in_env);
          json_builder_set_member_name (builder, "keyring");
          json_builder_add_boolean_value (builder, in_keyring);
          json_builder_set_member_name (builder, "keyring_error");
          if (error != NULL)
            json_builder_add_string_value (builder, error->message);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "environment_error");
          if (env_error != NULL)
            json_builder_add_string_value (builder, env_error->message);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      else
        {
          if (in_env)
            printf (_("%-10s set, from the environment (%s)%s\n"), providers[i], env_var,
                    in_keyring ? _("; the keyring also has one") : "");
          else if (in_keyring)
            printf (_("%-10s set, from the keyring\n"), providers[i]);
          else
            printf (_("%-10s not set: run “admint keys set %s” or set %s\n"), providers[i],
                    providers[i], env_var);
          if (env_error != NULL)
            fprintf (stderr, "admint: %s\n", env_error->message);
          if (error != NULL)
            fprintf (stderr, "admint: %s\n", error->message);
        }
    }
  json_builder_end_object (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      admint_cli_print_json (root);
    }
  return ADMINT_EXIT_OK;
}

int
admint_cli_keys (const AdmintCliCommand *command,
                 int                     argc,
                 char                  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the status as JSON"), NULL },
    { NULL }
  };

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc < 2)
    return admint_cli_usage_error (command, _("expected set, clear or status"));

  if (g_str_equal (argv[1], "status"))
    {
      if (argc != 2)
        return admint_cli_usage_error (command, _("“keys status” takes no arguments"));
      return keys_status (json);
    }
  if (g_str_equal (argv[1], "set") || g_str_equal (argv[1], "clear"))
    {
      if (argc != 3)
        return admint_cli_usage_error (command, _("expected “keys %s openai|replicate”"),
                                       argv[1]);
      if (!admint_keys_is_provider (argv[2]))
        return admint_cli_usage_error (command, _("unknown provider “%s”; use openai or "
                                                  "replicate"), argv[2]);
      return g_str_equal (argv[1], "set") ? keys_set (command, argv[2]) : keys_clear (argv[2]);
    }
  return admint_cli_usage_error (command, _("unknown keys command “%s”; expected set, clear or "
                                            "status"), argv[1]);
}

/* ---- providers test: the core check, run to its end ---- */

static AdmintProviderCheck *
run_check (const char   *role,
           const char   *provider,
           AdmintConfig *config)
{
  g_autofree char *base_key = g_strdup_printf ("providers.%s.base_url", role);
  g_autofree char *model_key = g_strdup_printf ("providers.%s.model", role);
  GAsyncResult *slot = NULL;

  admint_provider_check_async (role, provider, admint_config_get_string (config, base_key),
                               admint_config_get_string (config, model_key), NULL, store_result,
                               &slot);
  g_autoptr(GAsyncResult) result = wait_result (&slot);
  /* Without a cancellable the only error cannot happen: the verdict is always there. */
  return admint_provider_check_finish (result, NULL);
}

/* With no selection: the providers the config selects, plus any the environment points at
 * (after a "local" check for the role the config leaves local). */
static void
choose_providers (AdmintConfig *config,
                  const char   *chosen[3],
                  GPtrArray    *checks)
{
  static const char * const roles[3] = { "llm", "images", "video" };
  gboolean env_openai = g_getenv ("OPENAI_API_KEY") || g_getenv ("ADMINT_OPENAI_BASE_URL");
  gboolean env_replicate = g_getenv ("REPLICATE_API_TOKEN") ||
                           g_getenv ("ADMINT_REPLICATE_BASE_URL");

  for (int r = 0; r < 3; r++)
    {
      g_autofree char *key = g_strdup_printf ("providers.%s.provider", roles[r]);
      const char *configured = admint_config_get_string (config, key);
      gboolean env = r == 0 ? env_openai : env_replicate;

      if (configured != NULL && !g_str_equal (configured, "local"))
        chosen[r] = configured;
      else if (env)
        {
          g_ptr_array_add (checks, run_check (roles[r], "local", config));
          chosen[r] = r == 0 ? "openai" : "replicate";
        }
      else
        chosen[r] = "local";
    }
}

static void
add_nullable (JsonBuilder *builder,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Prints the checks as a table or one JSON document; TRUE when every one passed. */
static gboolean
print_checks (GPtrArray *checks,
              gboolean   json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean all_ok = TRUE;

  for (guint i = 0; i < checks->len; i++)
    all_ok = all_ok && ((AdmintProviderCheck *) g_ptr_array_index (checks, i))->ok;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, all_ok);
  json_builder_set_member_name (builder, "providers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < checks->len; i++)
    {
      AdmintProviderCheck *c = g_ptr_array_index (checks, i);

      if (!json)
        {
          printf ("%-7s %-10s %s  %s\n", c->role, c->provider, c->ok ? "ok    " : "FAILED",
                  c->message ? c->message : "");
          continue;
        }
      json_builder_begin_object (builder);
      add_nullable (builder, "role", c->role);
      add_nullable (builder, "provider", c->provider);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, c->ok);
      add_nullable (builder, "base_url", c->base_url);
      add_nullable (builder, "model", c->model);
      add_nullable (builder, "key_source", c->key_source);
      add_nullable (builder, "problem", c->problem);
      add_nullable (builder, "message", c->message ? c->message : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      admint_cli_print_json (root);
    }
  return all_ok;
}

static gboolean
check_choice (const AdmintCliCommand *command,
              const char             *flag,
              const char             *value,
              const char             *remote)
{
  if (value == NULL || g_str_equal (value, "local") || g_str_equal (value, remote))
    return TRUE;
  admint_cli_usage_error (command, _("--%s must be local or %s, not “%s”"), flag, remote, value);
  return FALSE;
}

int
admint_cli_providers (const AdmintCliCommand *command,
                      int                     argc,
                      char                  **argv)
{
  g_autofree char *llm = NULL, *images = NULL, *video = NULL, *config_file = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "llm", 0, 0, G_OPTION_ARG_STRING, &llm, N_("Test this LLM provider"), "local|openai" },
    { "images", 0, 0, G_OPTION_ARG_STRING, &images, N_("Test this image provider"),
      "local|replicate" },
    { "video", 0, 0, G_OPTION_ARG_STRING, &video, N_("Test this video provider"),
      "local|replicate" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, N_("Use this config file"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { NULL }
  };
  static const char * const roles[3] = { "llm", "images", "video" };
  g_autoptr(AdmintConfig) config = NULL;
  g_autoptr(GPtrArray) checks =
    g_ptr_array_new_with_free_func ((GDestroyNotify) admint_provider_check_free);
  const char *chosen[3];
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2 || !g_str_equal (argv[1], "test"))
    return admint_cli_usage_error (command, _("expected “providers test”"));
  if (!check_choice (command, "llm", llm, "openai") ||
      !check_choice (command, "images", images, "replicate") ||
      !check_choice (command, "video", video, "replicate"))
    return ADMINT_EXIT_USAGE;

  config = admint_cli_load_config (config_file, &status);
  if (config == NULL)
    return status;

  chosen[0] = llm;
  chosen[1] = images;
  chosen[2] = video;
  if (llm == NULL && images == NULL && video == NULL)
    choose_providers (config, chosen, checks);
  for (int r = 0; r < 3; r++)
    if (chosen[r] != NULL)
      g_ptr_array_add (checks, run_check (roles[r], chosen[r], config));
  /* The music role has no flag: its model is checked when the config selects one. */
  if (llm == NULL && images == NULL && video == NULL &&
      g_strcmp0 (admint_config_get_string (config, "providers.music.provider"), "replicate") == 0)
    g_ptr_array_add (checks, run_check ("music", "replicate", config));
  return print_checks (checks, json) ? ADMINT_EXIT_OK : ADMINT_EXIT_FAILED;
}
