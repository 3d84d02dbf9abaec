/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The admint subcommands that label ads: pick (the winner of its variants) and rename. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "admint-cli.h"
#include "admint-store.h"

static AdmintStore *
open_store (int *status)
{
  g_autoptr(GError) error = NULL;
  AdmintStore *store = admint_store_open (NULL, &error);

  if (store == NULL)
    *status = admint_cli_report_error (error);
  return store;
}

int
admint_cli_pick (const AdmintCliCommand *command,
                 int                     argc,
                 char                  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the group and the pick as JSON"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group = NULL;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("name exactly one generation id: the variant to "
                                              "keep (see `admint history`)"));
  if (!admint_cli_check_text (command, _("the generation id"), argv[1]))
    return ADMINT_EXIT_USAGE;

  store = open_store (&status);
  if (store == NULL)
    return status;
  group = admint_store_pick_winner (store, argv[1], &error);
  if (group == NULL)
    return admint_cli_report_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "group_id");
      json_builder_add_string_value (b, group);
      json_builder_set_member_name (b, "winner");
      json_builder_add_string_value (b, argv[1]);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      admint_cli_print_json (root);
      return ADMINT_EXIT_OK;
    }
  printf (_("Picked generation %s as the winner of its variants (group %s).\n"), argv[1], group);
  return ADMINT_EXIT_OK;
}

int
admint_cli_rename (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  gboolean clear = FALSE;
  const GOptionEntry entries[] = {
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear,
      N_("Remove the name: the history shows the brief again"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (clear ? argc != 2 : argc != 3)
    return admint_cli_usage_error (command, clear
                                   ? _("name exactly one generation id with --clear")
                                   : _("give a generation id and its new name, e.g. "
                                       "`admint rename ID \"Summer launch\"`"));
  if (!admint_cli_check_text (command, _("the generation id"), argv[1]) ||
      (!clear && !admint_cli_check_text (command, _("the name"), argv[2])))
    return ADMINT_EXIT_USAGE;
  g_autofree char *trimmed = clear ? NULL : g_strstrip (g_strdup (argv[2]));
  if (!clear && *trimmed == '\0')
    return admint_cli_usage_error (command, _("the name is empty; use --clear to remove a "
                                              "name"));

  store = open_store (&status);
  if (store == NULL)
    return status;
  if (!admint_store_rename_generation (store, argv[1], clear ? NULL : argv[2], &error))
    return admint_cli_report_error (error);
  if (clear)
    printf (_("Generation %s has no name now.\n"), argv[1]);
  else
    printf (_("Renamed generation %s.\n"), argv[1]);
  return ADMINT_EXIT_OK;
}
