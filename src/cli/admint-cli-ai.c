/* admint keys and admint providers: API keys in the keyring, and a check of each provider. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

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

static char *
read_secret (void)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char buffer[4096];
  char *line;

  if (tty)
    {
      fprintf (stderr, _("Paste the key and press Enter (it is not shown): "));
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(ECHO);
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  line = fgets (buffer, sizeof buffer, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  if (line == NULL)
    return NULL;
  char *secret = g_strstrip (g_strdup (buffer));
  memset (buffer, 0, sizeof buffer);
  return secret;
}

static int
keys_set (const AdmintCliCommand *command,
          const char             *provider)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = read_secret ();
  GAsyncResult *slot = NULL;

  if (secret == NULL || *secret == '\0')
    return admint_cli_usage_error (command, _("the key read from stdin is empty; pipe or paste "
                                              "the whole key"));
  admint_keys_store_async (provider, secret, NULL, store_result, &slot);
  memset (secret, 0, strlen (secret));
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
      g_autofree char *key = NULL;
      GAsyncResult *slot = NULL;
      AdmintKeySource source = ADMINT_KEY_SOURCE_NONE;
      gboolean in_keyring;

      admint_keys_lookup_keyring_async (providers[i], NULL, store_result, &slot);
      g_autoptr(GAsyncResult) result = wait_result (&slot);
      key = admint_keys_lookup_finish (result, &source, &error);
      in_keyring = key != NULL;
      if (key != NULL)
        memset (key, 0, strlen (key));

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

/* ---- providers test ---- */

static AdmintProviderCheck *
check_new (const char *role,
           const char *provider,
           const char *message)
{
  AdmintProviderCheck *check = g_new0 (AdmintProviderCheck, 1);

  check->role = g_strdup (role);
  check->provider = g_strdup (provider);
  check->key_source = g_strdup ("none");
  check->ok = TRUE;
  check->message = g_strdup (message);
  return check;
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
  g_autoptr(AdmintConfig) config = NULL;
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (
    (GDestroyNotify) admint_provider_check_free);
  const char *roles[3] = { "llm", "images", "video" };
  const char *chosen[3];
  gboolean all_ok = TRUE;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2 || !g_str_equal (argv[1], "test"))
    return admint_cli_usage_error (command, _("expected “providers test”"));
  if (llm && !g_str_equal (llm, "local") && !g_str_equal (llm, "openai"))
    return admint_cli_usage_error (command, _("--llm must be local or openai, not “%s”"), llm);
  if (images && !g_str_equal (images, "local") && !g_str_equal (images, "replicate"))
    return admint_cli_usage_error (command, _("--images must be local or replicate, not “%s”"),
                                   images);
  if (video && !g_str_equal (video, "local") && !g_str_equal (video, "replicate"))
    return admint_cli_usage_error (command, _("--video must be local or replicate, not “%s”"),
                                   video);

  config = admint_cli_load_config (config_file, &status);
  if (config == NULL)
    return status;

  chosen[0] = llm;
  chosen[1] = images;
  chosen[2] = video;
  if (llm == NULL && images == NULL && video == NULL)
    {
      /* The providers the config selects, plus any the environment points at. */
      gboolean env_openai = g_getenv ("OPENAI_API_KEY") || g_getenv ("ADMINT_OPENAI_BASE_URL");
      gboolean env_replicate = g_getenv ("REPLICATE_API_TOKEN") ||
                               g_getenv ("ADMINT_REPLICATE_BASE_URL");
      for (int r = 0; r < 3; r++)
        {
          g_autofree char *key = g_strdup_printf ("providers.%s.provider", roles[r]);
          const char *configured = admint_config_get_string (config, key);
          const char *remote = r == 0 ? "openai" : "replicate";
          gboolean env = r == 0 ? env_openai : env_replicate;

          if (configured != NULL && !g_str_equal (configured, "local"))
            chosen[r] = configured;
          else if (env)
            {
              g_ptr_array_add (checks, check_new (roles[r], "local",
                                                  _("built in: needs no network and no key")));
              chosen[r] = remote;
            }
          else
            chosen[r] = "local";
        }
    }

  for (int r = 0; r < 3; r++)
    {
      g_autofree char *base_key = g_strdup_printf ("providers.%s.base_url", roles[r]);
      g_autofree char *model_key = g_strdup_printf ("providers.%s.model", roles[r]);
      GAsyncResult *slot = NULL;

      if (chosen[r] == NULL)
        continue;
      admint_provider_check_async (roles[r], chosen[r],
                                   admint_config_get_string (config, base_key),
                                   admint_config_get_string (config, model_key), NULL,
                                   store_result, &slot);
      g_autoptr(GAsyncResult) result = wait_result (&slot);
      g_ptr_array_add (checks, admint_provider_check_finish (result, NULL));
    }

  g_autoptr(JsonBuilder) builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < checks->len; i++)
    {
      AdmintProviderCheck *c = g_ptr_array_index (checks, i);
      all_ok = all_ok && c->ok;
      if (json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, c->role);
          json_builder_set_member_name (builder, "provider");
          json_builder_add_string_value (builder, c->provider);
          json_builder_set_member_name (builder, "ok");
          json_builder_add_boolean_value (builder, c->ok);
          json_builder_set_member_name (builder, "base_url");
          if (c->base_url)
            json_builder_add_string_value (builder, c->base_url);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "model");
          if (c->model)
            json_builder_add_string_value (builder, c->model);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "key_source");
          json_builder_add_string_value (builder, c->key_source);
          json_builder_set_member_name (builder, "problem");
          if (c->problem)
            json_builder_add_string_value (builder, c->problem);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, c->message ? c->message : "");
          json_builder_end_object (builder);
        }
      else
        printf ("%-7s %-10s %s  %s\n", c->role, c->provider, c->ok ? "ok    " : "FAILED",
                c->message ? c->message : "");
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonBuilder) doc = json_builder_new ();
      json_builder_begin_object (doc);
      json_builder_set_member_name (doc, "ok");
      json_builder_add_boolean_value (doc, all_ok);
      json_builder_set_member_name (doc, "providers");
      json_builder_add_value (doc, json_builder_get_root (builder));
      json_builder_end_object (doc);
      g_autoptr(JsonNode) root = json_builder_get_root (doc);
      admint_cli_print_json (root);
    }
  return all_ok ? ADMINT_EXIT_OK : ADMINT_EXIT_FAILED;
}
