/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point of the admint command: global options and the subcommand table. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <glib/gi18n.h>

#include "admint-cli.h"
#include "admint-log.h"
#include "admint-paths.h"

static int run_help (const AdmintCliCommand *command, int argc, char **argv);

/* One row per subcommand; each later capability adds its row here. */
static const AdmintCliCommand commands[] = {
  { "help", "[COMMAND]", N_("Show help for admint or one of its commands"), run_help },
  { "generate", "PROMPT [--framework NAME] [--asset FILE]… [--variants N] [--auto] [--json] [--output FILE] [--voice local|openai|none] [--captions on|off] [--music auto|none|FILE]", N_("Make a video ad from a brief"), admint_cli_generate },
  { "resume", "ID [--auto] [--json]", N_("Carry on a generation where it stopped"), admint_cli_resume },
  { "regenerate", "ID --clip N [--yes] [--json]", N_("Make one clip of a finished ad again, then stitch and score the ad"), admint_cli_regenerate },
  { "edit", "ID --scene N [--text TEXT] [--duration S] [--yes] [--json]", N_("Edit one scene of an ad and make its clip again"), admint_cli_edit },
  { "batch", "FILE.yaml [--json]", N_("Make the ads of a list of briefs"), admint_cli_batch },
  { "score", "FILE… [--json]", N_("Score video files on VBench's quality dimensions"), admint_cli_score },
  { "config", "show [--config FILE] | check [FILE]", N_("Show the effective configuration or check a config file"), admint_cli_config },
  { "assets", "add|list|remove …", N_("Manage the brand asset library"), admint_cli_assets },
  { "styles", "add|list|remove|default …", N_("Manage the brand styles new ads start from"), admint_cli_styles },
  { "history", "[--json]", N_("List past generations, newest first"), admint_cli_history },
  { "show", "ID [--json]", N_("Show everything about one generation"), admint_cli_show },
  { "delete", "ID", N_("Remove a generation from the history"), admint_cli_delete },
  { "pick", "ID [--json]", N_("Keep one variant as the winner of its group"), admint_cli_pick },
  { "rename", "ID NAME | ID --clear", N_("Give an ad a name the history shows"), admint_cli_rename },
  { "purge", "--yes", N_("Delete all generations, assets and media for good"), admint_cli_purge },
  { "stitch", "CLIP… --output FILE [--transition none|crossfade] [--music FILE] [--preset NAME]", N_("Join clips into one video, copying the streams when they match"), admint_cli_stitch },
  { "export", "ID --output FILE [--preset NAME] [--clips DIR] [--captions srt|vtt]", N_("Write a finished generation's video in a preset's size and format"), admint_cli_export },
  { "keys", "set openai|replicate | clear PROVIDER | status [--json]", N_("Store, remove or list the API keys in the keyring"), admint_cli_keys },
  { "providers", "test [--llm local|openai] [--images local|replicate] [--video local|replicate] [--json]", N_("Check that each configured AI provider answers"), admint_cli_providers },
};

static const AdmintCliCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static void
print_help (FILE *out)
{
  fprintf (out, _("Usage: admint [--verbose] COMMAND [OPTION…]\n\n"
                  "Make video advertisements from a short brief, headless.\n\n"
                  "Commands:\n"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\nGlobal options:\n"
                  "  -h, --help     Show this help\n"
                  "  --version      Show the version\n"
                  "  -v, --verbose  Print debug messages to stderr\n\n"
                  "Run 'admint COMMAND --help' for a command's options.\n"
                  "Exit status: 0 done, 1 failed at run time, 2 bad usage or bad input.\n"));
}

static void
print_short_usage (void)
{
  fprintf (stderr, _("Usage: admint [--verbose] COMMAND [OPTION…]\n"
                     "Try 'admint --help' for the list of commands.\n"));
}

static int
run_help (const AdmintCliCommand *command,
          int                     argc,
          char                  **argv)
{
  if (!admint_cli_parse_options (command, NULL, &argc, &argv))
    return ADMINT_EXIT_USAGE;

  if (argc < 2)
    {
      print_help (stdout);
      return ADMINT_EXIT_OK;
    }
  if (argc > 2)
    return admint_cli_usage_error (command, _("expected at most one command name"));

  const AdmintCliCommand *target = find_command (argv[1]);
  if (target == NULL)
    return admint_cli_usage_error (command, _("unknown command “%s”"), argv[1]);

  char *help_argv[] = { (char *) target->name, (char *) "--help", NULL };
  return target->run (target, 2, help_argv);
}

/* ---- signals ---- */

/* The commands that run for long (generate, resume, stitch, export, score) cancel their work on
 * SIGINT with g_unix_signal_add: partial files are removed and the exit status is the usual
 * one. SIGTERM, which service managers, timeout(1) and `kill` send, must do the same, so it is
 * turned into SIGINT whenever a command handles SIGINT; otherwise it keeps its default action.
 * Doing it here covers every command, including ones added later, without each repeating it. */
static void
on_sigterm (int signum)
{
  struct sigaction sigint;
  int saved_errno = errno;

  if (sigaction (SIGINT, NULL, &sigint) == 0 && sigint.sa_handler != SIG_DFL &&
      sigint.sa_handler != SIG_IGN)
    raise (SIGINT);
  else
    {
      signal (SIGTERM, SIG_DFL);
      raise (SIGTERM);   /* delivered, with its default action, when this handler returns */
    }
  errno = saved_errno;
}

static void
handle_sigterm (void)
{
  struct sigaction action = { 0 };

  action.sa_handler = on_sigterm;
  action.sa_flags = SA_RESTART;
  sigemptyset (&action.sa_mask);
  sigaction (SIGTERM, &action, NULL);
}

static pid_t admint_pid;

/* Between fork and exec in the child: async-signal-safe calls only. */
void
admint_cli_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* The parent died before the line above took effect: nobody will send the signal. */
  if (getppid () != admint_pid)
    _exit (ADMINT_EXIT_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  int i;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("admint");

  /* Global options come before the subcommand; everything after it belongs to the subcommand. */
  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char *arg = argv[i];

      if (strcmp (arg, "--version") == 0)
        {
          printf ("admint %s\n", PACKAGE_VERSION);
          return ADMINT_EXIT_OK;
        }
      else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          print_help (stdout);
          return ADMINT_EXIT_OK;
        }
      else if (strcmp (arg, "--verbose") == 0 || strcmp (arg, "-v") == 0)
        admint_cli_verbose = TRUE;
      else
        {
          fprintf (stderr, _("admint: unknown option “%s”\n"), arg);
          print_short_usage ();
          return ADMINT_EXIT_USAGE;
        }
    }

  if (i >= argc)
    {
      fprintf (stderr, _("admint: no command given\n"));
      print_short_usage ();
      return ADMINT_EXIT_USAGE;
    }

  const AdmintCliCommand *command = find_command (argv[i]);
  if (command == NULL)
    {
      fprintf (stderr, _("admint: unknown command “%s”\n"), argv[i]);
      print_short_usage ();
      return ADMINT_EXIT_USAGE;
    }

  admint_pid = getpid ();
  handle_sigterm ();
  /* Before anything asks GLib for the temporary folder: GStreamer's muxer leaves world-readable
   * files there, and a killed run would leave them in /tmp for good. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *tmp = admint_paths_use_private_tmp_dir (&error);
    if (tmp == NULL)
      fprintf (stderr, "admint: %s\n", error->message);
  }

  admint_log_init ("admint", admint_cli_verbose);
  int status = command->run (command, argc - i, argv + i);
  admint_log_shutdown ();
  return status;
}
