/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The admint command's subcommand table and the helpers every subcommand shares. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit statuses, part of the CLI contract in docs/cli.md. */
enum {
  ADMINT_EXIT_OK = 0,
  ADMINT_EXIT_FAILED = 1,
  ADMINT_EXIT_USAGE = 2,
};

typedef struct _AdmintCliCommand AdmintCliCommand;

/* argv[0] is the subcommand's name; the function owns nothing it is given. */
typedef int (*AdmintCliRun) (const AdmintCliCommand *command,
                             int                     argc,
                             char                  **argv);

struct _AdmintCliCommand
{
  const char   *name;
  const char   *parameters;  /* e.g. "FILE..." for the usage line */
  const char   *summary;
  AdmintCliRun  run;
};

/* Parses a subcommand's options with its own GOptionContext. On bad usage it prints a short
 * usage and the problem to stderr and returns FALSE: the caller exits ADMINT_EXIT_USAGE. */
gboolean admint_cli_parse_options (const AdmintCliCommand *command,
                                   const GOptionEntry     *entries,
                                   int                    *argc,
                                   char                 ***argv);

/* Prints "admint NAME: message" and a hint to stderr and returns ADMINT_EXIT_USAGE. */
int      admint_cli_usage_error   (const AdmintCliCommand *command,
                                   const char             *format,
                                   ...) G_GNUC_PRINTF (2, 3);

/* Prints "admint: error: message" to stderr and returns the status fitting the error. */
int      admint_cli_report_error  (const GError *error);

/* Writes one JSON document (and a newline) to stdout. */
void     admint_cli_print_json    (JsonNode *node);

/* Refuses TEXT (a brief, a tag, a reply…) that is not valid UTF-8: prints the problem, naming
 * it as WHAT ("the brief"), and returns FALSE; the caller exits ADMINT_EXIT_USAGE. */
gboolean admint_cli_check_text    (const AdmintCliCommand *command,
                                   const char             *what,
                                   const char             *text);

/* TEXT made safe to print on a terminal: invalid UTF-8 and control characters (escape
 * sequences, bidirectional overrides) become U+FFFD, tabs and line breaks become spaces. */
char    *admint_cli_printable     (const char *text);

/* Checks --output FILE before any work starts (admint_paths_check_output): not inside Ad Mint's
 * data, config or log folder, not one of INPUTS (which may carry a KIND: prefix), in a
 * writable folder. Prints the problem and returns ADMINT_EXIT_USAGE, or ADMINT_EXIT_OK. */
int      admint_cli_check_output  (const AdmintCliCommand *command,
                                   const char             *output,
                                   const char * const     *inputs);

/* For g_subprocess_launcher_set_child_setup: a child admint started by another (batch) gets
 * SIGTERM when its parent dies, so that killing the parent stops the children too. */
void     admint_cli_child_setup   (gpointer user_data);

extern gboolean admint_cli_verbose;

int admint_cli_generate (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_resume (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_regenerate (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_edit (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_batch (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_score (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_config (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_assets (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_styles (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_history (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_show (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_pick (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_rename (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_delete (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_purge (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_stitch (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_export (const AdmintCliCommand *command, int argc, char **argv);

int admint_cli_keys (const AdmintCliCommand *command, int argc, char **argv);
int admint_cli_providers (const AdmintCliCommand *command, int argc, char **argv);
/* Loads the configuration with an optional --config FILE. On failure prints the problems and
 * returns NULL with *exit_status set (2 for a bad or missing file); callers exit with it. */
typedef struct _AdmintConfig AdmintConfig;
AdmintConfig *admint_cli_load_config (const char *config_file, int *exit_status);

G_END_DECLS
