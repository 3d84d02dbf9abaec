/* Helpers every admint subcommand shares: option parsing, usage errors, JSON output. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "admint-cli.h"
#include "admint-error.h"

gboolean admint_cli_verbose = FALSE;

gboolean
admint_cli_parse_options (const AdmintCliCommand *command,
                          const GOptionEntry     *entries,
                          int                    *argc,
                          char                 ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parameter_string = NULL;
  g_autoptr(GOptionContext) context = NULL;

  g_return_val_if_fail (command != NULL, FALSE);

  parameter_string = g_strdup_printf ("%s", command->parameters ? command->parameters : "");
  context = g_option_context_new (parameter_string);
  g_option_context_set_summary (context, command->summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* --help is handled here so that it goes to stdout with exit status 0, as users expect. */
  g_autofree char *prgname = g_strdup_printf ("admint %s", command->name);
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      admint_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
admint_cli_usage_error (const AdmintCliCommand *command,
                        const char             *format,
                        ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "admint %s: %s\n", command->name, message);
  fprintf (stderr, _("Usage: admint %s %s\nTry 'admint %s --help' for more information.\n"),
           command->name, command->parameters ? command->parameters : "", command->name);
  return ADMINT_EXIT_USAGE;
}

int
admint_cli_report_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, ADMINT_EXIT_FAILED);

  fprintf (stderr, "admint: error: %s\n", error->message);
  if (error->domain == G_OPTION_ERROR || admint_error_is_bad_input (error))
    return ADMINT_EXIT_USAGE;
  return ADMINT_EXIT_FAILED;
}

void
admint_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  g_return_if_fail (node != NULL);

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}
