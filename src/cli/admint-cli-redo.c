/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `admint regenerate ID --clip N` and `admint edit ID --scene N`: one clip made again, one scene
 * edited, on a finished ad. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "admint-cli.h"
#include "admint-error.h"
#include "admint-studio.h"

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      ok;
  GError       *error;
  gboolean      edit;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;
  AdmintGeneration *gen = ADMINT_GENERATION (source);

  wait->ok = wait->edit ? admint_generation_edit_scene_finish (gen, result, &wait->error)
                        : admint_generation_regenerate_clip_finish (gen, result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_sigint (gpointer user_data)
{
  Wait *wait = user_data;

  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_clip_progress (AdmintGeneration *gen,
                  int               index,
                  double            fraction,
                  const char       *status,
                  gpointer          user_data)
{
  /* Plain lines: a bar would be overkill for one clip. */
  if (fraction < 0 || fraction >= 1)
    fprintf (stderr, "clip %d: %s\n", index + 1, status);
}

static void
on_status (AdmintGeneration *gen,
           GParamSpec       *pspec,
           gpointer          user_data)
{
  fprintf (stderr, "%s\n", admint_generation_status_to_string (admint_generation_get_status (gen)));
}

/* The outcome in words: the clip's version, score and verdict, and the ad's. */
static void
print_summary (AdmintGeneration *gen,
               int               index)
{
  g_autoptr(AdmintClip) clip = g_list_model_get_item (admint_generation_get_clips (gen),
                                                      (guint) index);

  printf (_("Clip %d: version %d, %s"), index + 1, admint_clip_get_version (clip),
          admint_clip_get_path (clip));
  if (admint_clip_get_quality_score (clip) >= 0)
    printf (_(", score %.0f/100 (%s)"), admint_clip_get_quality_score (clip),
            admint_verdict_to_string (admint_clip_get_verdict (clip)));
  printf ("\n");
  printf (_("The ad: %s"), admint_generation_get_final_video (gen));
  if (admint_generation_get_quality_score (gen) >= 0)
    printf (_(", score %.0f/100 (%s)"), admint_generation_get_quality_score (gen),
            admint_verdict_to_string (admint_generation_get_verdict (gen)));
  printf ("\n");
}

typedef struct {
  const char *id;
  int         number;       /* 1-based, as the user gave it */
  const char *text;
  double      duration;     /* < 0: unchanged */
  gboolean    yes;
  gboolean    json;
  const char *config_file;
  char      **sets;
  gboolean    edit;
} Request;

static int
run_request (const Request *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStudio) studio = admint_studio_new (NULL, &error);
  Wait wait = { .edit = r->edit };

  if (studio == NULL ||
      (r->config_file != NULL && !admint_studio_load_config (studio, r->config_file, &error)))
    return admint_cli_report_error (error);
  for (guint i = 0; r->sets != NULL && r->sets[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (r->sets[i], "=", 2);
      if (kv[1] == NULL)
        {
          fprintf (stderr, _("admint: error: --set %s: give KEY=VALUE, for example "
                             "--set budget.max_usd_per_generation=5\n"), r->sets[i]);
          return ADMINT_EXIT_USAGE;
        }
      if (!admint_studio_set (studio, kv[0], kv[1], &error))
        return admint_cli_report_error (error);
    }
  g_autoptr(AdmintGeneration) gen = admint_studio_resume (
    studio, r->id, ADMINT_GENERATION_AUTO,
    r->config_file != NULL ? ADMINT_RESUME_CURRENT_CONFIG : ADMINT_RESUME_STORED_SETTINGS,
    &error);
  if (gen == NULL)
    return admint_cli_report_error (error);

  g_signal_connect (gen, "clip-progress", G_CALLBACK (on_clip_progress), NULL);
  g_signal_connect (gen, "notify::status", G_CALLBACK (on_status), NULL);
  wait.loop = g_main_loop_new (NULL, FALSE);
  wait.cancellable = g_cancellable_new ();
  guint sigint = g_unix_signal_add (SIGINT, on_sigint, &wait);
  AdmintRedoFlags flags = r->yes ? ADMINT_REDO_FORCE : ADMINT_REDO_NONE;
  if (r->edit)
    admint_generation_edit_scene_async (gen, r->number - 1, r->text, r->duration, flags,
                                        wait.cancellable, on_done, &wait);
  else
    admint_generation_regenerate_clip_async (gen, r->number - 1, flags, wait.cancellable,
                                             on_done, &wait);
  g_main_loop_run (wait.loop);
  g_source_remove (sigint);
  g_main_loop_unref (wait.loop);
  g_object_unref (wait.cancellable);

  if (!wait.ok)
    {
      g_autoptr(GError) failure = wait.error;
      int status = admint_cli_report_error (failure);
      if (g_error_matches (failure, ADMINT_ERROR, ADMINT_ERROR_OVER_BUDGET))
        fprintf (stderr, _("Run it again with --yes to spend past the budget.\n"));
      return status;
    }
  if (r->json)
    {
      g_autoptr(JsonNode) node = admint_generation_to_json (gen);
      admint_cli_print_json (node);
    }
  else
    print_summary (gen, r->number - 1);
  return ADMINT_EXIT_OK;
}

int
admint_cli_regenerate (const AdmintCliCommand *command,
                       int                     argc,
                       char                  **argv)
{
  int clip = 0;
  gboolean yes = FALSE, json = FALSE;
  g_autofree char *config_file = NULL;
  g_auto(GStrv) sets = NULL;
  const GOptionEntry entries[] = {
    { "clip", 0, 0, G_OPTION_ARG_INT, &clip, N_("The clip to make again (1 is the first)"), "N" },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Spend past the budget without asking"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON document"), NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, N_("Use this config file instead of the one the generation started with"), "FILE" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("Set a config key for this run (repeatable)"), "KEY=VALUE" },
    { NULL }
  };

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("give the id of the ad (see `admint history`)"));
  if (clip < 1)
    return admint_cli_usage_error (command, _("say which clip with --clip N (1 is the first; "
                                              "`admint show %s` lists them)"), argv[1]);

  Request r = { .id = argv[1], .number = clip, .duration = -1, .yes = yes, .json = json,
                .config_file = config_file, .sets = sets };
  return run_request (&r);
}

int
admint_cli_edit (const AdmintCliCommand *command,
                 int                     argc,
                 char                  **argv)
{
  int scene = 0;
  double duration = -1;
  gboolean yes = FALSE, json = FALSE;
  g_autofree char *text = NULL, *config_file = NULL;
  g_auto(GStrv) sets = NULL;
  const GOptionEntry entries[] = {
    { "scene", 0, 0, G_OPTION_ARG_INT, &scene, N_("The scene to edit (1 is the first)"), "N" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("What the scene shows, in your words"), "TEXT" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, N_("The scene's length in seconds"), "S" },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Spend past the budget without asking"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON document"), NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, N_("Use this config file instead of the one the generation started with"), "FILE" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("Set a config key for this run (repeatable)"), "KEY=VALUE" },
    { NULL }
  };

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("give the id of the ad (see `admint history`)"));
  if (scene < 1)
    return admint_cli_usage_error (command, _("say which scene with --scene N (1 is the first; "
                                              "`admint show %s` lists them)"), argv[1]);
  if (text == NULL && duration < 0)
    return admint_cli_usage_error (command, _("say what changes: --text TEXT, --duration S, or "
                                              "both"));
  if (text != NULL && !admint_cli_check_text (command, "--text", text))
    return ADMINT_EXIT_USAGE;
  if (duration != -1 && duration <= 0)
    return admint_cli_usage_error (command, _("--duration %g: give the scene's length in "
                                              "seconds, more than 0"), duration);

  Request r = { .id = argv[1], .number = scene, .text = text, .duration = duration, .yes = yes,
                .json = json, .config_file = config_file, .sets = sets, .edit = TRUE };
  return run_request (&r);
}
