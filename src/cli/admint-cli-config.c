/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `admint config show|check`, and the --config loader every config-using subcommand calls. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "admint-cli.h"
#include "admint-config.h"
#include "admint-error.h"
#include "admint-paths.h"

AdmintConfig *
admint_cli_load_config (const char *config_file,
                        int        *exit_status)
{
  g_autoptr(GError) error = NULL;
  AdmintConfig *config;

  g_return_val_if_fail (exit_status != NULL, NULL);

  config = admint_config_load (config_file, &error);
  if (config == NULL)
    {
      *exit_status = admint_cli_report_error (error);
      return NULL;
    }
  *exit_status = ADMINT_EXIT_OK;
  return config;
}

static int
config_show (const char *config_file)
{
  g_autoptr(AdmintConfig) config = NULL;
  g_autofree char *yaml = NULL;
  int status;

  config = admint_cli_load_config (config_file, &status);
  if (config == NULL)
    return status;
  yaml = admint_config_to_yaml (config, TRUE);
  fputs (yaml, stdout);
  fflush (stdout);
  return ADMINT_EXIT_OK;
}

/* Problems go to stderr one per line, as FILE:LINE:COLUMN: … for editors to jump to. */
static int
report_check_error (const GError *error)
{
  if (g_error_matches (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG))
    {
      fprintf (stderr, "%s\n", error->message);
      return ADMINT_EXIT_USAGE;
    }
  return admint_cli_report_error (error);
}

static int
config_check (const char *file)
{
  g_autoptr(GError) error = NULL;

  if (file != NULL)
    {
      if (!admint_config_check_file (file, &error))
        return report_check_error (error);
      printf (_("%s: ok\n"), file);
      return ADMINT_EXIT_OK;
    }
  else
    {
      g_autoptr(AdmintConfig) config = admint_config_load (NULL, &error);
      g_autofree char *user_file = admint_paths_config_file ();
      g_autofree char *config_dir = admint_paths_config_dir ();
      g_autofree char *frameworks_dir = g_build_filename (config_dir, "frameworks", NULL);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (config == NULL)
        return report_check_error (error);

      printf (_("built-in defaults: ok\n"));
      if (g_file_test (user_file, G_FILE_TEST_EXISTS))
        printf (_("%s: ok\n"), user_file);
      else
        printf (_("%s: not present (optional)\n"), user_file);
      dir = g_dir_open (frameworks_dir, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
          printf (_("%s/%s: ok\n"), frameworks_dir, name);
      return ADMINT_EXIT_OK;
    }
}

int
admint_cli_config (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  g_autofree char *config_file = NULL;
  const GOptionEntry entries[] = {
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file,
      N_("For show: read FILE after the user's config"), N_("FILE") },
    { NULL },
  };

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;

  if (argc < 2)
    return admint_cli_usage_error (command, _("expected “show” or “check”"));

  if (strcmp (argv[1], "show") == 0)
    {
      if (argc > 2)
        return admint_cli_usage_error (command, _("“show” takes no arguments; use --config FILE "
                                                  "to add a file"));
      return config_show (config_file);
    }
  if (strcmp (argv[1], "check") == 0)
    {
      if (argc > 3)
        return admint_cli_usage_error (command, _("“check” takes at most one FILE"));
      if (argc == 3 && config_file != NULL)
        return admint_cli_usage_error (command, _("give the file to check once: either FILE or "
                                                  "--config FILE"));
      return config_check (argc == 3 ? argv[2] : config_file);
    }
  return admint_cli_usage_error (command, _("unknown action “%s”; expected “show” or “check”"),
                                 argv[1]);
}
