/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admint styles: the brand styles (palette, framework, voice, music) new ads start from. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admint-cli.h"
#include "admint-store.h"
#include "admint-store-styles.h"

static AdmintStore *
open_store (int *status)
{
  g_autoptr(GError) error = NULL;
  AdmintStore *store = admint_store_open (NULL, &error);

  if (store == NULL)
    *status = admint_cli_report_error (error);
  return store;
}

static JsonNode *
style_to_json (const AdmintBrandStyle *style)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, style->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, style->name);
  json_builder_set_member_name (b, "palette");
  json_builder_begin_array (b);
  for (guint i = 0; style->palette[i] != NULL; i++)
    json_builder_add_string_value (b, style->palette[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "framework");
  style->framework ? json_builder_add_string_value (b, style->framework)
                   : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "voice");
  style->voice ? json_builder_add_string_value (b, style->voice) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "logo_asset_id");
  style->logo_asset_id > 0 ? json_builder_add_int_value (b, style->logo_asset_id)
                           : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "music_asset_id");
  style->music_asset_id > 0 ? json_builder_add_int_value (b, style->music_asset_id)
                            : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "default");
  json_builder_add_boolean_value (b, style->is_default);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
styles_list (const AdmintCliCommand *command,
             int                     argc,
             char                  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array of the styles"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(GPtrArray) styles = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc > 1)
    return admint_cli_usage_error (command, _("“list” takes no arguments"));
  if ((store = open_store (&status)) == NULL)
    return status;
  if ((styles = admint_store_list_styles (store, &error)) == NULL)
    return admint_cli_report_error (error);
  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < styles->len; i++)
        json_array_add_element (array, style_to_json (g_ptr_array_index (styles, i)));
      json_node_set_array (root, array);
      admint_cli_print_json (root);
      return ADMINT_EXIT_OK;
    }
  if (styles->len == 0)
    {
      printf (_("No brand styles yet. Make one with `admint styles add NAME --logo ID`.\n"));
      return ADMINT_EXIT_OK;
    }
  for (guint i = 0; i < styles->len; i++)
    {
      AdmintBrandStyle *style = g_ptr_array_index (styles, i);
      g_autofree char *palette = g_strjoinv (" ", style->palette);
      g_autofree char *name = admint_cli_printable (style->name);

      printf ("%s%s\n  %s: %s\n  %s: %s   %s: %s\n", name, style->is_default ? _(" (default)") : "",
              _("palette"), *palette ? palette : "-",
              _("framework"), style->framework ? style->framework : "-",
              _("voice"), style->voice ? style->voice : "-");
    }
  return ADMINT_EXIT_OK;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    return FALSE;
  value = g_ascii_strtoll (text, &end, 10);
  if (*end != '\0' || value <= 0)
    return FALSE;
  *id = value;
  return TRUE;
}

static int
styles_add (const AdmintCliCommand *command,
            int                     argc,
            char                  **argv)
{
  g_autofree char *logo = NULL, *palette = NULL, *framework = NULL, *voice = NULL, *music = NULL;
  gboolean make_default = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    { "logo", 0, 0, G_OPTION_ARG_STRING, &logo, N_("The logo asset (its colours become the palette)"), "ID" },
    { "palette", 0, 0, G_OPTION_ARG_STRING, &palette, N_("The colours instead: #rrggbb,#rrggbb,…"), "COLOURS" },
    { "framework", 0, 0, G_OPTION_ARG_STRING, &framework, N_("The story framework of new ads"), "NAME" },
    { "voice", 0, 0, G_OPTION_ARG_STRING, &voice, N_("The voice (providers.voice.voice)"), "NAME" },
    { "music", 0, 0, G_OPTION_ARG_STRING, &music, N_("The music asset"), "ID" },
    { "default", 0, 0, G_OPTION_ARG_NONE, &make_default, N_("Make it the default for new ads"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the style as JSON"), NULL },
    { NULL }
  };
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(AdmintBrandStyle) style = NULL;
  g_autoptr(AdmintBrandStyle) stored = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("name the style, once (quote a name with spaces)"));
  if (!admint_cli_check_text (command, _("the style name"), argv[1]))
    return ADMINT_EXIT_USAGE;
  style = admint_brand_style_new (argv[1]);
  if (logo != NULL && !parse_id (logo, &style->logo_asset_id))
    return admint_cli_usage_error (command, _("“%s” is not an asset id; see `admint assets "
                                              "list`"), logo);
  if (music != NULL && !parse_id (music, &style->music_asset_id))
    return admint_cli_usage_error (command, _("“%s” is not an asset id; see `admint assets "
                                              "list`"), music);
  if (palette != NULL)
    {
      g_strfreev (style->palette);
      if ((style->palette = admint_style_parse_palette (palette, &error)) == NULL)
        return admint_cli_usage_error (command, "%s", error->message);
    }
  style->framework = g_strdup (framework);
  style->voice = g_strdup (voice);
  style->is_default = make_default;
  if (!admint_brand_style_check (style, &error))
    return admint_cli_usage_error (command, "%s", error->message);
  if ((store = open_store (&status)) == NULL)
    return status;
  if (palette == NULL && style->logo_asset_id > 0)
    {
      g_autoptr(AdmintAssetRow) row = admint_store_get_asset (store, style->logo_asset_id, &error);
      if (row == NULL)
        return admint_cli_report_error (error);
      g_strfreev (style->palette);
      if ((style->palette = admint_style_palette_from_logo (admint_asset_row_get_path (row), 5,
                                                            &error)) == NULL)
        return admint_cli_report_error (error);
    }
  if ((style->id = admint_store_save_style (store, style, &error)) == 0)
    return admint_cli_report_error (error);
  stored = admint_store_get_style (store, style->name, &error);
  if (stored == NULL)
    return admint_cli_report_error (error);
  if (json)
    {
      g_autoptr(JsonNode) node = style_to_json (stored);
      admint_cli_print_json (node);
    }
  else
    {
      g_autofree char *colours = g_strjoinv (" ", stored->palette);
      g_autofree char *name = admint_cli_printable (stored->name);
      printf (_("Saved the style “%s” (%s)%s.\n"), name, *colours ? colours : _("no colours"),
              stored->is_default ? _(", the default for new ads") : "");
    }
  return ADMINT_EXIT_OK;
}

static int
styles_remove_or_default (const AdmintCliCommand *command,
                          int                     argc,
                          char                  **argv,
                          gboolean                remove)
{
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(AdmintBrandStyle) style = NULL;
  g_autoptr(GError) error = NULL;
  int status = ADMINT_EXIT_OK;

  if (!admint_cli_parse_options (command, NULL, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("name exactly one style"));
  if ((store = open_store (&status)) == NULL)
    return status;
  if ((style = admint_store_get_style (store, argv[1], &error)) == NULL)
    return admint_cli_report_error (error);
  if (remove)
    {
      if (!admint_store_delete_style (store, style->id, &error))
        return admint_cli_report_error (error);
      printf (_("Removed the style “%s”.\n"), argv[1]);
      return ADMINT_EXIT_OK;
    }
  style->is_default = TRUE;
  if (admint_store_save_style (store, style, &error) == 0)
    return admint_cli_report_error (error);
  printf (_("New ads now use the style “%s”.\n"), argv[1]);
  return ADMINT_EXIT_OK;
}

static int
styles_remove (const AdmintCliCommand *command,
               int                     argc,
               char                  **argv)
{
  return styles_remove_or_default (command, argc, argv, TRUE);
}

static int
styles_default (const AdmintCliCommand *command,
                int                     argc,
                char                  **argv)
{
  return styles_remove_or_default (command, argc, argv, FALSE);
}

static const AdmintCliCommand style_commands[] = {
  { "styles add", "NAME [--logo ID] [--palette COLOURS] [--framework NAME] [--voice NAME] [--music ID] [--default] [--json]", N_("Make a brand style"), styles_add },
  { "styles list", "[--json]", N_("List the brand styles"), styles_list },
  { "styles remove", "NAME", N_("Delete a brand style"), styles_remove },
  { "styles default", "NAME", N_("Make a style the default for new ads"), styles_default },
};

int
admint_cli_styles (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_("Usage: admint styles add|list|remove|default …\n\n%s\n\nCommands:\n"),
              _(command->summary));
      for (gsize i = 0; i < G_N_ELEMENTS (style_commands); i++)
        printf ("  %-16s %s\n     %s\n", style_commands[i].name, style_commands[i].parameters,
                _(style_commands[i].summary));
      return ADMINT_EXIT_OK;
    }
  if (argc < 2)
    return admint_cli_usage_error (command, _("name what to do: add, list, remove or default"));
  for (gsize i = 0; i < G_N_ELEMENTS (style_commands); i++)
    if (g_str_equal (style_commands[i].name + strlen ("styles "), argv[1]))
      return style_commands[i].run (&style_commands[i], argc - 1, argv + 1);
  return admint_cli_usage_error (command,
                                 _("unknown styles command “%s”; use add, list, remove or "
                                   "default"), argv[1]);
}
