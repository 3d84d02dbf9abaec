/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The admint subcommands over the store: assets, history, show, delete, purge. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "admint-cli.h"
#include "admint-config.h"
#include "admint-error.h"
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

typedef GListModel *(*ListFunc) (AdmintStore  *store,
                                 GError      **error);

/* The start of a listing command: its one option --json, no arguments, then what list finds in
 * the store. NULL, with the exit status in *status, when any of that fails. */
static GListModel *
list_for_command (const AdmintCliCommand  *command,
                  int                      argc,
                  char                   **argv,
                  ListFunc                 list,
                  gboolean                *json,
                  int                     *status)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print a JSON array"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    {
      *status = ADMINT_EXIT_USAGE;
      return NULL;
    }
  if (argc > 1)
    {
      *status = admint_cli_usage_error (command, _("unexpected argument “%s”"), argv[1]);
      return NULL;
    }
  store = open_store (status);
  if (store == NULL)
    return NULL;
  model = list (store, &error);
  if (model == NULL)
    *status = admint_cli_report_error (error);
  return model;
}

/* Local time, to the minute, for tables. */
static char *
format_local (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

/* At most width characters of text on one line, with an ellipsis when cut; stored text may
 * hold control characters, which must not reach the terminal. */
static char *
ellipsize (const char *text,
           glong       width)
{
  g_autofree char *flat = admint_cli_printable (text);

  if (g_utf8_strlen (flat, -1) <= width)
    return g_steal_pointer (&flat);
  g_autofree char *cut = g_utf8_substring (flat, 0, width - 1);
  return g_strconcat (cut, "…", NULL);
}

/* printf's %-*s counts bytes; pad by characters so that UTF-8 columns line up. */
static void
print_cell (const char *text,
            glong       width)
{
  glong len = g_utf8_strlen (text, -1);

  fputs (text, stdout);
  for (glong i = len; i < width; i++)
    fputc (' ', stdout);
  fputs ("  ", stdout);
}

static gboolean
parse_asset_id (const char *text,
                gint64     *id)
{
  char *end = NULL;
  gint64 value;

  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value <= 0)
    return FALSE;
  *id = value;
  return TRUE;
}

/* ---- assets ---- */

static int assets_add (const AdmintCliCommand *command, int argc, char **argv);
static int assets_list (const AdmintCliCommand *command, int argc, char **argv);
static int assets_remove (const AdmintCliCommand *command, int argc, char **argv);

static const AdmintCliCommand asset_commands[] = {
  { "assets add", "FILE…", N_("Import images, logos or music into the asset library"),
    assets_add },
  { "assets list", "", N_("List the asset library"), assets_list },
  { "assets remove", "ID", N_("Remove an asset from the library"), assets_remove },
};

static void
print_asset_line (AdmintAssetRow *row)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, admint_asset_row_get_id (row));
  g_autofree char *shape = NULL;
  g_autofree char *joined = g_strjoinv (",", (char **) admint_asset_row_get_tags (row));
  g_autofree char *tags = admint_cli_printable (joined);
  g_autofree char *name = ellipsize (admint_asset_row_get_original_name (row), 40);

  if (admint_asset_row_get_duration (row) >= 0)
    shape = g_strdup_printf ("%.1f s", admint_asset_row_get_duration (row));
  else
    shape = g_strdup_printf ("%d×%d", admint_asset_row_get_width (row),
                             admint_asset_row_get_height (row));

  print_cell (id, 4);
  print_cell (admint_asset_row_get_kind (row), 9);
  print_cell (admint_asset_row_get_mime (row), 13);
  print_cell (shape, 11);
  print_cell (*tags ? tags : "-", 16);
  fputs (name, stdout);
  fputc ('\n', stdout);
}

static void
print_asset_header (void)
{
  print_cell (_("ID"), 4);
  print_cell (_("KIND"), 9);
  print_cell (_("TYPE"), 13);
  print_cell (_("SIZE"), 11);
  print_cell (_("TAGS"), 16);
  fputs (_("NAME"), stdout);
  fputc ('\n', stdout);
}

static int
assets_add (const AdmintCliCommand *command,
            int                     argc,
            char                  **argv)
{
  g_autofree char *kind = NULL;
  g_auto(GStrv) tags = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &kind,
      N_("What the files are: product, logo, character, music or misc (default: guessed)"),
      "KIND" },
    /* Taken as bytes and checked here: GOption's own conversion refuses “café” in the C
     * locale and names no culprit. */
    { "tag", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &tags, N_("Tag the files (repeatable)"), "T" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array of the assets"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  AdmintAssetLimits limits = { 0 };
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc < 2)
    return admint_cli_usage_error (command, _("name at least one file to import"));
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *shown = admint_cli_printable (tags[i]);
      g_autofree char *what = g_strdup_printf (_("the tag “%s”"), shown);

      if (!admint_cli_check_text (command, what, tags[i]))
        return ADMINT_EXIT_USAGE;
    }
  if (kind != NULL && !g_strv_contains ((const char *[]) { "product", "logo", "character",
                                                           "music", "style", "misc", NULL },
                                                         kind))
    return admint_cli_usage_error (command,
                                   _("“%s” is not a kind of asset; use product, logo, "
                                     "character, music, style or misc"), kind);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AdmintConfig) config = admint_config_load (NULL, &error);

    if (config == NULL)
      return admint_cli_report_error (error);
    limits.max_file_bytes = admint_config_get_int (config, "limits.asset_max_bytes");
    limits.max_generation_bytes =
      admint_config_get_int (config, "limits.generation_assets_max_bytes");
  }

  store = open_store (&status);
  if (store == NULL)
    return status;

  json_builder_begin_array (b);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintAssetRow) row = NULL;
      gboolean duplicate = FALSE;

      row = admint_store_import_asset (store, argv[i], kind, (const char * const *) tags,
                                       &limits, &duplicate, &error);
      if (row == NULL)
        {
          int s = admint_cli_report_error (error);
          /* Run-time failures (1) outrank bad input (2) only when nothing worse happened. */
          if (status == ADMINT_EXIT_OK || s == ADMINT_EXIT_USAGE)
            status = s;
          continue;
        }

      if (json)
        {
          g_autoptr(JsonNode) node = admint_asset_row_to_json (row);
          json_object_set_boolean_member (json_node_get_object (node), "duplicate", duplicate);
          json_builder_add_value (b, g_steal_pointer (&node));
        }
      else if (duplicate)
        {
          g_autofree char *name = admint_cli_printable (admint_asset_row_get_original_name (row));
          printf (_("%s is already in the library as asset %lld (%s).\n"),
                  argv[i], (long long) admint_asset_row_get_id (row), name);
        }
      else
        printf (_("Imported %s as asset %lld (%s, %s).\n"),
                argv[i], (long long) admint_asset_row_get_id (row), admint_asset_row_get_kind (row),
                admint_asset_row_get_mime (row));
    }
  json_builder_end_array (b);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      admint_cli_print_json (root);
    }
  return status;
}

static int
assets_list (const AdmintCliCommand *command,
             int                     argc,
             char                  **argv)
{
  gboolean json = FALSE;
  g_autoptr(GListModel) assets = NULL;
  int status = ADMINT_EXIT_OK;
  guint n;

  assets = list_for_command (command, argc, argv, admint_store_list_assets, &json, &status);
  if (assets == NULL)
    return status;

  n = g_list_model_get_n_items (assets);
  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AdmintAssetRow) row = g_list_model_get_item (assets, i);
          json_array_add_element (array, admint_asset_row_to_json (row));
        }
      json_node_set_array (root, array);
      admint_cli_print_json (root);
      return ADMINT_EXIT_OK;
    }

  if (n == 0)
    {
      printf (_("The asset library is empty. Add files with `admint assets add FILE…`.\n"));
      return ADMINT_EXIT_OK;
    }
  print_asset_header ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintAssetRow) row = g_list_model_get_item (assets, i);
      print_asset_line (row);
    }
  return ADMINT_EXIT_OK;
}

static int
assets_remove (const AdmintCliCommand *command,
               int                     argc,
               char                  **argv)
{
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;
  gint64 id;

  if (!admint_cli_parse_options (command, NULL, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("name exactly one asset id"));
  if (!parse_asset_id (argv[1], &id))
    return admint_cli_usage_error (command,
                                   _("“%s” is not an asset id; asset ids are whole numbers "
                                     "(see `admint assets list`)"), argv[1]);

  store = open_store (&status);
  if (store == NULL)
    return status;
  if (!admint_store_remove_asset (store, id, &error))
    return admint_cli_report_error (error);
  printf (_("Removed asset %lld.\n"), (long long) id);
  return ADMINT_EXIT_OK;
}

int
admint_cli_assets (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_("Usage: admint assets add|list|remove …\n\n%s\n\nCommands:\n"),
              _(command->summary));
      for (gsize i = 0; i < G_N_ELEMENTS (asset_commands); i++)
        printf ("  %-14s %-8s %s\n", asset_commands[i].name, asset_commands[i].parameters,
                _(asset_commands[i].summary));
      printf (_("\nRun 'admint assets COMMAND --help' for a command's options.\n"));
      return ADMINT_EXIT_OK;
    }
  if (argc < 2)
    return admint_cli_usage_error (command, _("name what to do: add, list or remove"));

  for (gsize i = 0; i < G_N_ELEMENTS (asset_commands); i++)
    if (g_str_equal (asset_commands[i].name + strlen ("assets "), argv[1]))
      return asset_commands[i].run (&asset_commands[i], argc - 1, argv + 1);

  return admint_cli_usage_error (command, _("unknown assets command “%s”; use add, list or "
                                            "remove"), argv[1]);
}

/* ---- history, show, delete, purge ---- */

static GListModel *
list_all_generations (AdmintStore  *store,
                      GError      **error)
{
  return admint_store_list_generations (store, 0, -1, error);
}

int
admint_cli_history (const AdmintCliCommand *command,
                    int                     argc,
                    char                  **argv)
{
  gboolean json = FALSE;
  g_autoptr(GListModel) list = NULL;
  int status = ADMINT_EXIT_OK;
  guint n;

  list = list_for_command (command, argc, argv, list_all_generations, &json, &status);
  if (list == NULL)
    return status;
  n = g_list_model_get_n_items (list);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AdmintGenerationRow) row = g_list_model_get_item (list, i);
          g_autofree char *created =
            admint_store_format_time (admint_generation_row_get_created (row));
          double score = admint_generation_row_get_quality_score (row);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, admint_generation_row_get_id (row));
          json_builder_set_member_name (b, "created");
          json_builder_add_string_value (b, created);
          json_builder_set_member_name (b, "prompt");
          json_builder_add_string_value (b, admint_generation_row_get_prompt (row));
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, admint_generation_row_get_status (row));
          json_builder_set_member_name (b, "quality_score");
          if (score >= 0)
            json_builder_add_double_value (b, score);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "cost_usd");
          json_builder_add_double_value (b, admint_generation_row_get_cost (row));
          json_builder_set_member_name (b, "name");
          if (admint_generation_row_get_name (row) != NULL)
            json_builder_add_string_value (b, admint_generation_row_get_name (row));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "group_id");
          if (admint_generation_row_get_group_id (row) != NULL)
            json_builder_add_string_value (b, admint_generation_row_get_group_id (row));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "variant");
          if (admint_generation_row_get_variant (row) != NULL)
            json_builder_add_string_value (b, admint_generation_row_get_variant (row));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "winner");
          json_builder_add_boolean_value (b, admint_generation_row_get_winner (row));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      admint_cli_print_json (root);
      return ADMINT_EXIT_OK;
    }

  if (n == 0)
    {
      printf (_("No generations yet. Make one with `admint generate \"PROMPT\"`.\n"));
      return ADMINT_EXIT_OK;
    }
  print_cell (_("ID"), 36);
  print_cell (_("CREATED"), 16);
  print_cell (_("STATUS"), 10);
  print_cell (_("SCORE"), 5);
  print_cell (_("COST"), 8);
  fputs (_("NAME OR PROMPT"), stdout);
  fputc ('\n', stdout);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintGenerationRow) row = g_list_model_get_item (list, i);
      g_autofree char *created = format_local (admint_generation_row_get_created (row));
      double score = admint_generation_row_get_quality_score (row);
      g_autofree char *score_text = score >= 0 ? g_strdup_printf ("%.0f", score) : g_strdup ("-");
      g_autofree char *cost = g_strdup_printf ("$%.2f", admint_generation_row_get_cost (row));
      const char *name = admint_generation_row_get_name (row);
      g_autofree char *prompt = ellipsize (name != NULL ? name
                                                        : admint_generation_row_get_prompt (row),
                                           50);

      g_autofree char *id = admint_cli_printable (admint_generation_row_get_id (row));
      g_autofree char *row_status = admint_cli_printable (admint_generation_row_get_status (row));

      print_cell (id, 36);
      print_cell (created, 16);
      print_cell (row_status, 10);
      print_cell (score_text, 5);
      print_cell (cost, 8);
      fputs (prompt, stdout);
      /* The variant picked from its group, as the app's badge shows it. */
      if (admint_generation_row_get_winner (row))
        fputs (_("  [winner]"), stdout);
      fputc ('\n', stdout);
    }
  return ADMINT_EXIT_OK;
}

static const char *
member_text (JsonObject *o,
             const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "-";
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static void
print_field (JsonObject *o,
             const char *label,
             const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  const char *text = member_text (o, name);

  printf ("%-16s ", label);
  if (text != NULL)
    {
      g_autofree char *printable = admint_cli_printable (text);
      printf ("%s\n", printable);
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    printf ("%g\n", json_node_get_double (node));
  else
    printf (_("(%u entries)\n"), JSON_NODE_HOLDS_ARRAY (node)
            ? json_array_get_length (json_node_get_array (node))
            : json_object_get_size (json_node_get_object (node)));
}

int
admint_cli_show (const AdmintCliCommand *command,
                 int                     argc,
                 char                  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the generation as JSON"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;
  JsonObject *o;
  JsonArray *clips;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("name exactly one generation id"));

  store = open_store (&status);
  if (store == NULL)
    return status;
  node = admint_store_get_generation (store, argv[1], &error);
  if (node == NULL)
    return admint_cli_report_error (error);
  if (json)
    {
      admint_cli_print_json (node);
      return ADMINT_EXIT_OK;
    }

  o = json_node_get_object (node);
  print_field (o, _("Generation"), "id");
  print_field (o, _("Prompt"), "prompt");
  print_field (o, _("Framework"), "framework");
  print_field (o, _("Status"), "status");
  print_field (o, _("Stage"), "stage");
  print_field (o, _("Created"), "created");
  print_field (o, _("Completed"), "completed");
  if (!JSON_NODE_HOLDS_NULL (json_object_get_member (o, "deleted")))
    print_field (o, _("Deleted"), "deleted");
  print_field (o, _("Story score"), "story_score");
  print_field (o, _("Quality score"), "quality_score");
  print_field (o, _("Cost (USD)"), "cost_usd");
  print_field (o, _("Final video"), "final_video_path");
  print_field (o, _("Error"), "error_message");
  print_field (o, _("Messages"), "messages");

  clips = json_object_get_array_member (o, "clips");
  if (json_array_get_length (clips) > 0)
    {
      printf (_("\nClips:\n"));
      print_cell (_("SCENE"), 5);
      print_cell (_("VER"), 3);
      print_cell (_("PROVIDER"), 10);
      print_cell (_("STATUS"), 10);
      fputs (_("FILE"), stdout);
      fputc ('\n', stdout);
      for (guint i = 0; i < json_array_get_length (clips); i++)
        {
          JsonObject *c = json_array_get_object_element (clips, i);
          g_autofree char *scene =
            g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (c, "scene_index"));
          g_autofree char *version =
            g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (c, "version"));

          g_autofree char *provider = admint_cli_printable (member_text (c, "provider"));
          g_autofree char *clip_status = admint_cli_printable (member_text (c, "status"));
          g_autofree char *path = admint_cli_printable (member_text (c, "local_path"));

          print_cell (scene, 5);
          print_cell (version, 3);
          print_cell (provider, 10);
          print_cell (clip_status, 10);
          fputs (path, stdout);
          fputc ('\n', stdout);
        }
    }
  return ADMINT_EXIT_OK;
}

int
admint_cli_delete (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, NULL, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("name exactly one generation id"));

  store = open_store (&status);
  if (store == NULL)
    return status;
  if (!admint_store_soft_delete_generation (store, argv[1], &error))
    return admint_cli_report_error (error);
  printf (_("Deleted generation %s from the history. `admint purge --yes` removes all data "
            "for good.\n"), argv[1]);
  return ADMINT_EXIT_OK;
}

int
admint_cli_purge (const AdmintCliCommand *command,
                  int                     argc,
                  char                  **argv)
{
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes,
      N_("Confirm: delete every generation, asset and media file for good"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc > 1)
    return admint_cli_usage_error (command, _("unexpected argument “%s”"), argv[1]);
  if (!yes)
    return admint_cli_usage_error (command,
                                   _("purge deletes every generation, asset and media file "
                                     "for good and cannot be undone; run `admint purge --yes` "
                                     "to confirm"));

  store = open_store (&status);
  if (store == NULL)
    return status;
  if (!admint_store_purge (store, &error))
    return admint_cli_report_error (error);
  printf (_("Purged: every generation, asset and media file of Ad Mint was deleted.\n"));
  return ADMINT_EXIT_OK;
}
