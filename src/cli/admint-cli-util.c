/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers every admint subcommand shares: option parsing, usage errors, JSON output. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "admint-cli.h"
#include "admint-error.h"
#include "admint-paths.h"

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
  /* json-glib copies a string's bytes as they are: text stored before invalid UTF-8 was refused
   * would make the document invalid JSON. Bad bytes only occur inside strings, so replacing
   * them with U+FFFD keeps the document valid. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (text, -1);
      g_free (text);
      text = valid;
    }
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* ---- text from and to the user ----------------------------------------------------------- */

gboolean
admint_cli_check_text (const AdmintCliCommand *command,
                       const char             *what,
                       const char             *text)
{
  const char *end = NULL;

  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (g_utf8_validate (text, -1, &end))
    return TRUE;
  admint_cli_usage_error (command,
                          _("%s is not valid UTF-8 text (byte 0x%02x at position %ld cannot be "
                            "read). Write it in UTF-8, for example with `iconv -t UTF-8`."),
                          what, (guchar) *end, (long) (end - text) + 1);
  return FALSE;
}

/* Characters that would move the cursor, clear the screen, ring the bell or reorder the text
 * on a terminal: C0 (other than the layout ones, which become spaces), DEL, C1, and the
 * bidirectional overrides. */
static gboolean
is_unprintable (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

char *
admint_cli_printable (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || c == '\n' || c == '\r')
        g_string_append_c (out, ' ');
      else if (is_unprintable (c))
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

/* ---- output files ------------------------------------------------------------------------ */

int
admint_cli_check_output (const AdmintCliCommand *command,
                         const char             *output,
                         const char * const     *inputs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  g_return_val_if_fail (command != NULL, ADMINT_EXIT_USAGE);
  g_return_val_if_fail (output != NULL, ADMINT_EXIT_USAGE);

  /* An input may carry a KIND: prefix (--asset logo:brand.svg): compare the file it names. */
  for (gsize i = 0; inputs != NULL && inputs[i] != NULL; i++)
    {
      const char *colon = strchr (inputs[i], ':');

      g_ptr_array_add (files, (gpointer) inputs[i]);
      if (colon != NULL && !g_file_test (inputs[i], G_FILE_TEST_EXISTS))
        g_ptr_array_add (files, (gpointer) (colon + 1));
    }
  g_ptr_array_add (files, NULL);

  if (admint_paths_check_output (output, (const char * const *) files->pdata, &error))
    return ADMINT_EXIT_OK;
  fprintf (stderr, "admint %s: %s\n", command->name, error->message);
  return ADMINT_EXIT_USAGE;
}
