/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `admint stitch` and `admint export`: the media workers from the command line. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include <glib-unix.h>
#include <signal.h>

#include "admint-cli.h"
#include "admint-error.h"
#include "admint-export.h"
#include "admint-paths.h"
#include "admint-stitch.h"
#include "admint-store.h"

typedef struct {
  GMainLoop          *loop;
  GCancellable       *cancellable;
  AdmintStitchResult *result;
  GError             *error;
  gboolean            tty;
  int                 last_percent;
  const char         *captions_from;  /* export --captions: copied beside captions_to */
  const char         *captions_to;
} MediaRun;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  MediaRun *run = user_data;
  int percent = (int) (fraction * 100);

  if (percent == run->last_percent)
    return;
  run->last_percent = percent;
  if (run->tty)
    {
      int filled = percent * 30 / 100;
      fprintf (stderr, "\r[%.*s%*s] %3d%%", filled, "##############################",
               30 - filled, "", percent);
      if (percent >= 100)
        fputc ('\n', stderr);
    }
  else if (percent % 10 == 0)
    fprintf (stderr, _("progress: %d%%\n"), percent);
  fflush (stderr);
}

static gboolean
on_sigint (gpointer user_data)
{
  MediaRun *run = user_data;

  fprintf (stderr, _("\nadmint: cancelling; no partial file is left.\n"));
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_stitched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MediaRun *run = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == admint_media_export_async)
    run->result = admint_media_export_finish (result, &run->error);
  else
    run->result = admint_media_stitch_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
print_result (const AdmintStitchResult *result,
              gboolean                  json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, result->output);
      json_builder_set_member_name (b, "duration");
      json_builder_add_double_value (b, result->duration);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, result->width);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, result->height);
      json_builder_set_member_name (b, "container");
      json_builder_add_string_value (b, result->container == ADMINT_MEDIA_CONTAINER_WEBM
                                          ? "webm" : "mp4");
      json_builder_set_member_name (b, "copied");
      json_builder_add_boolean_value (b, result->copied);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      admint_cli_print_json (root);
    }
  else
    printf (_("Wrote %s (%d×%d, %.2f s, %s)\n"), result->output, result->width,
            result->height, result->duration,
            result->copied ? _("streams copied") : _("re-encoded"));
}

/* Runs an already started worker on a main loop. */
static int
finish_run (MediaRun *run,
            gboolean  json)
{
  /* Ctrl+C cancels the work, which removes its temporary file: nothing partial is left.
   * SIGTERM comes here too (main() turns it into SIGINT while this handler is installed). */
  guint sigint = g_unix_signal_add (SIGINT, on_sigint, run);
  g_main_loop_run (run->loop);
  g_source_remove (sigint);
  g_main_loop_unref (run->loop);
  g_clear_object (&run->cancellable);
  if (run->tty && run->last_percent >= 0 && run->last_percent < 100)
    fputc ('\n', stderr);
  if (run->result == NULL)
    {
      int status = admint_cli_report_error (run->error);
      g_clear_error (&run->error);
      return status;
    }
  print_result (run->result, json);
  admint_stitch_result_free (g_steal_pointer (&run->result));
  if (run->captions_from != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *written = admint_export_captions (run->captions_from, run->captions_to,
                                                         &error);

      if (written == NULL)
        return admint_cli_report_error (error);
      fprintf (stderr, _("captions: %s\n"), written);
    }
  return ADMINT_EXIT_OK;
}

static gboolean
lookup_preset (const AdmintCliCommand   *command,
               const char               *name,
               const AdmintMediaPreset **preset)
{
  g_autofree char *names = NULL;

  *preset = NULL;
  if (name == NULL)
    return TRUE;
  *preset = admint_media_preset_lookup (name);
  if (*preset != NULL)
    return TRUE;
  names = admint_media_preset_names ();
  admint_cli_usage_error (command, _("unknown preset “%s”; the presets are %s"), name, names);
  return FALSE;
}

int
admint_cli_stitch (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  g_autofree char *output = NULL, *transition = NULL, *music = NULL, *preset_name = NULL;
  g_autofree char *fit = NULL;
  gboolean reencode = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the video to FILE"),
      N_("FILE") },
    { "transition", 't', 0, G_OPTION_ARG_STRING, &transition,
      N_("Between clips: none (default) or crossfade"), N_("NAME") },
    { "music", 'm', 0, G_OPTION_ARG_FILENAME, &music,
      N_("Mix a music bed under the clips, faded out at the end"), N_("FILE") },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &preset_name,
      N_("web-1080p, web-720p, vertical-1080x1920, square-1080 or webm-1080p (default: the "
         "first clip's size, MP4)"), N_("NAME") },
    { "fit", 0, 0, G_OPTION_ARG_STRING, &fit,
      N_("Clips of another shape: blur (default) or letterbox"), N_("MODE") },
    { "reencode", 0, 0, G_OPTION_ARG_NONE, &reencode,
      N_("Re-encode even when the clips could be copied"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  AdmintStitchOptions options = { 0 };
  MediaRun run = { 0 };

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc < 2)
    return admint_cli_usage_error (command, _("name at least one clip to stitch"));
  if (output == NULL)
    return admint_cli_usage_error (command, _("--output FILE is required"));
  if (transition != NULL && !admint_transition_from_string (transition, &options.transition))
    return admint_cli_usage_error (command,
                                   _("unknown transition “%s”; use none or crossfade"),
                                   transition);
  if (fit != NULL && g_strcmp0 (fit, "blur") != 0 && g_strcmp0 (fit, "letterbox") != 0)
    return admint_cli_usage_error (command, _("unknown fit “%s”; use blur or letterbox"), fit);
  if (!lookup_preset (command, preset_name, &options.preset))
    return ADMINT_EXIT_USAGE;
  {
    /* The clips and the music are read while the output is written: it must be none of them. */
    g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
    for (int i = 1; i < argc; i++)
      g_ptr_array_add (inputs, argv[i]);
    if (music != NULL)
      g_ptr_array_add (inputs, music);
    g_ptr_array_add (inputs, NULL);
    if (admint_cli_check_output (command, output, (const char * const *) inputs->pdata) !=
        ADMINT_EXIT_OK)
      return ADMINT_EXIT_USAGE;
  }
  options.fit = g_strcmp0 (fit, "letterbox") == 0 ? ADMINT_FIT_LETTERBOX : ADMINT_FIT_BLUR;
  options.music = music;
  options.force_reencode = reencode;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.tty = isatty (STDERR_FILENO);
  run.last_percent = -1;
  admint_media_stitch_async ((const char * const *) argv + 1, output, &options, run.cancellable,
                             on_progress, &run, on_stitched, &run);
  return finish_run (&run, json);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Copies the clips as the app's Export dialog does, waiting for the copy to end. */
static gboolean
copy_clips (GPtrArray   *paths,
            const char  *dir,
            GError     **error)
{
  GAsyncResult *slot = NULL;

  admint_export_clips_async (paths, dir, NULL, store_result, &slot);
  while (slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_autoptr(GAsyncResult) result = slot;
  return admint_export_clips_finish (result, error) >= 0;
}

int
admint_cli_export (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  g_autofree char *output = NULL, *preset_name = NULL, *clips_dir = NULL, *captions = NULL;
  g_autofree char *captions_from = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the video to FILE"),
      N_("FILE") },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &preset_name,
      N_("web-1080p (default), web-720p, vertical-1080x1920, square-1080 or webm-1080p"),
      N_("NAME") },
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &clips_dir,
      N_("Also copy the generation's clips into DIR"), N_("DIR") },
    { "captions", 0, 0, G_OPTION_ARG_STRING, &captions,
      N_("Also write the captions next to the video: srt (SubRip) or vtt (WebVTT)"), "srt|vtt" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  const AdmintMediaPreset *preset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) clip_paths = NULL;
  JsonObject *generation;
  const char *video = NULL;
  MediaRun run = { 0 };

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("name exactly one generation ID"));
  if (output == NULL)
    return admint_cli_usage_error (command, _("--output FILE is required"));
  if (!lookup_preset (command, preset_name ? preset_name : "web-1080p", &preset))
    return ADMINT_EXIT_USAGE;
  if (captions != NULL && !g_str_equal (captions, "srt") && !g_str_equal (captions, "vtt"))
    return admint_cli_usage_error (command, _("--captions takes srt or vtt (got “%s”)"),
                                   captions);

  store = admint_store_open (NULL, &error);
  if (store == NULL)
    return admint_cli_report_error (error);
  node = admint_store_get_generation (store, argv[1], &error);
  if (node == NULL)
    return admint_cli_report_error (error);
  generation = json_node_get_object (node);
  if (json_object_has_member (generation, "final_video_path") &&
      !json_object_get_null_member (generation, "final_video_path"))
    video = json_object_get_string_member (generation, "final_video_path");
  if (video == NULL || *video == '\0')
    {
      g_set_error (&error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "Generation %s has no finished video yet (status: %s). Finish it with "
                   "'admint resume %s' first", argv[1],
                   json_object_has_member (generation, "status")
                     ? json_object_get_string_member (generation, "status") : "unknown",
                   argv[1]);
      return admint_cli_report_error (error);
    }

  {
    const char *inputs[] = { video, NULL };
    if (admint_cli_check_output (command, output, inputs) != ADMINT_EXIT_OK)
      return ADMINT_EXIT_USAGE;
  }
  if (clips_dir != NULL && !admint_paths_check_output_folder (clips_dir, &error))
    return admint_cli_report_error (error);
  /* A generation without captions is refused before anything is encoded. */
  if (captions != NULL &&
      (captions_from = admint_export_captions_source (video, captions, &error)) == NULL)
    return admint_cli_report_error (error);
  run.captions_from = captions_from;
  run.captions_to = output;

  if (clips_dir != NULL)
    {
      clip_paths = admint_export_clip_paths (generation);
      if (!copy_clips (clip_paths, clips_dir, &error))
        return admint_cli_report_error (error);
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.tty = isatty (STDERR_FILENO);
  run.last_percent = -1;
  admint_media_export_async (video, output, preset, run.cancellable, on_progress, &run,
                             on_stitched, &run);
  return finish_run (&run, json);
}
