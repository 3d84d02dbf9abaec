/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `admint generate`, `admint resume` and `admint batch`: the pipeline from a terminal or a
 * script, with live progress on stderr and one JSON document on stdout with --json. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>

#include "admint-cli.h"
#include "admint-error.h"
#include "admint-generation-failure.h"
#include "admint-music.h"
#include "admint-studio.h"

/* ---- one run: a generation, or a group of variants ---------------------------------------- */

/* --voice, --captions and --music: the same on generate, resume and batch. */
typedef struct {
  char *voice;
  char *captions;
  char *music;
} SoundFlags;

static void
sound_flags_clear (SoundFlags *flags)
{
  g_free (flags->voice);
  g_free (flags->captions);
  g_free (flags->music);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SoundFlags, sound_flags_clear)

#define SOUND_OPTION_ENTRIES(f) \
    { "voice", 0, 0, G_OPTION_ARG_STRING, &(f).voice, N_("Voice-over: local, openai or none"), "PROVIDER" }, \
    { "captions", 0, 0, G_OPTION_ARG_STRING, &(f).captions, N_("Burn captions into the picture: on or off"), "on|off" }, \
    { "music", 0, 0, G_OPTION_ARG_FILENAME, &(f).music, N_("Music under the voice: auto, none or an audio FILE"), "auto|none|FILE" }

/* Checks the sound flags and turns them into config keys (a music FILE as its absolute path,
 * after checking that it decodes as sound): bad ones are ADMINT_ERROR_INVALID_INPUT (exit 2)
 * before anything is spent. */
static gboolean
apply_sound_flags (AdmintStudio      *studio,
                   const SoundFlags  *flags,
                   GError           **error)
{
  if (flags->voice != NULL &&
      !admint_studio_set (studio, "providers.voice.provider", flags->voice, error))
    return FALSE;
  if (flags->captions != NULL)
    {
      gboolean on = g_str_equal (flags->captions, "on");

      if (!on && !g_str_equal (flags->captions, "off"))
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("--captions takes on or off (got “%s”)"), flags->captions);
          return FALSE;
        }
      if (!admint_studio_set (studio, "captions.burn", on ? "true" : "false", error))
        return FALSE;
    }
  if (flags->music != NULL)
    {
      g_autofree char *value = NULL;

      if (g_str_equal (flags->music, "auto") || g_str_equal (flags->music, "none"))
        value = g_strdup (flags->music);
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (flags->music);

          if (!admint_music_check_file (flags->music, NULL, error))
            {
              g_prefix_error (error, "--music: ");
              if ((*error)->code == ADMINT_ERROR_NOT_FOUND)
                (*error)->code = ADMINT_ERROR_INVALID_INPUT;
              return FALSE;
            }
          value = g_file_get_path (file);
        }
      if (!admint_studio_set (studio, "audio.music", value, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  GMainLoop         *loop;
  AdmintStudio      *studio;
  GPtrArray         *generations;   /* AdmintGeneration */
  guint              running;
  gboolean           json;
  gboolean           tty;
  gboolean           interactive;
  FILE              *human;         /* where stories and questions go: stderr with --json */
  GDataInputStream  *input;
  AdmintGeneration  *waiting;
  gboolean           stdin_closed;
  /* Live bars: one line per clip of a single generation. */
  GArray            *fractions;
  GPtrArray         *clip_status;
  guint              bar_lines;
  char              *stage;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->studio);
  g_clear_pointer (&run->generations, g_ptr_array_unref);
  g_clear_object (&run->input);
  g_clear_pointer (&run->fractions, g_array_unref);
  g_clear_pointer (&run->clip_status, g_ptr_array_unref);
  g_free (run->stage);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static const char *
generation_label (Run              *run,
                  AdmintGeneration *gen)
{
  static char label[64];

  if (run->generations->len <= 1)
    return "";
  for (guint i = 0; i < run->generations->len; i++)
    if (g_ptr_array_index (run->generations, i) == gen)
      {
        g_snprintf (label, sizeof label, "[%c] ", 'A' + (int) i);
        return label;
      }
  return "";
}

/* ---- progress ----------------------------------------------------------------------------- */

static void
draw_bars (Run *run)
{
  if (!run->tty || run->fractions == NULL)
    return;
  /* Move up over the previous bars and draw them again. */
  if (run->bar_lines > 0)
    fprintf (stderr, "\033[%uA", run->bar_lines);
  fprintf (stderr, "\r\033[K%s\n", run->stage ? run->stage : "");
  for (guint i = 0; i < run->fractions->len; i++)
    {
      double f = g_array_index (run->fractions, double, i);
      const char *status = g_ptr_array_index (run->clip_status, i);
      char bar[31];
      int filled = f < 0 ? 0 : (int) lround (MIN (f, 1.0) * 30);
      for (int k = 0; k < 30; k++)
        bar[k] = f < 0 ? (k % 4 == 0 ? '.' : ' ') : (k < filled ? '#' : '-');
      bar[30] = '\0';
      if (f < 0)
        fprintf (stderr, "\r\033[K  clip %2u [%s]   …  %s\n", i + 1, bar, status);
      else
        fprintf (stderr, "\r\033[K  clip %2u [%s] %3d%%  %s\n", i + 1, bar, (int) lround (f * 100),
                 status);
    }
  run->bar_lines = run->fractions->len + 1;
  fflush (stderr);
}

static void
on_status_changed (AdmintGeneration *gen,
                   GParamSpec       *pspec,
                   Run              *run)
{
  const char *stage = admint_generation_status_to_string (admint_generation_get_status (gen));

  g_free (run->stage);
  run->stage = g_strdup_printf ("%sstage: %s", generation_label (run, gen), stage);
  if (run->tty && run->fractions != NULL)
    draw_bars (run);
  else if (!(run->tty && run->generations->len == 1 && g_str_equal (stage, "clips")))
    fprintf (stderr, "%s\n", run->stage);   /* on a terminal the bars' header says it */
}

/* The sound stage runs under the stored status "stitching", the voice-over before the clips
 * under "scenes" or "clips": their stage names them. */
static void
on_stage_changed (AdmintGeneration *gen,
                  GParamSpec       *pspec,
                  Run              *run)
{
  AdmintGenerationStage stage = admint_generation_get_stage (gen);

  if (stage != ADMINT_GENERATION_STAGE_SOUND && stage != ADMINT_GENERATION_STAGE_VOICE)
    return;
  g_free (run->stage);
  run->stage = g_strdup_printf ("%sstage: %s", generation_label (run, gen),
                                stage == ADMINT_GENERATION_STAGE_VOICE ? "voice" : "sound");
  if (run->tty && run->fractions != NULL)
    draw_bars (run);
  else
    fprintf (stderr, "%s\n", run->stage);
}

static void
on_clip_progress (AdmintGeneration *gen,
                  int               index,
                  double            fraction,
                  const char       *status,
                  Run              *run)
{
  if (run->tty && run->generations->len == 1)
    {
      guint n = (guint) admint_generation_get_n_clips (gen);
      if (run->fractions == NULL)
        {
          run->fractions = g_array_new (FALSE, TRUE, sizeof (double));
          run->clip_status = g_ptr_array_new_with_free_func (g_free);
          g_array_set_size (run->fractions, n);
          for (guint i = 0; i < n; i++)
            {
              g_array_index (run->fractions, double, i) = 0;
              g_ptr_array_add (run->clip_status, g_strdup ("waiting"));
            }
          run->bar_lines = 0;
        }
      if ((guint) index < run->fractions->len)
        {
          g_array_index (run->fractions, double, index) = fraction;
          g_free (g_ptr_array_index (run->clip_status, index));
          g_ptr_array_index (run->clip_status, index) = g_strdup (status);
        }
      draw_bars (run);
      return;
    }
  /* Plain lines: one per change of status, not per percent. */
  if (fraction < 0 || fraction >= 1.0 || g_strcmp0 (status, "running") != 0)
    fprintf (stderr, "%sclip %d: %s%s\n", generation_label (run, gen), index + 1, status,
             fraction >= 0 && fraction < 1.0 ? "" : "");
}

static void
on_clip_failed (AdmintGeneration *gen,
                int               index,
                const char       *message,
                Run              *run)
{
  if (!(run->tty && run->fractions != NULL))
    fprintf (stderr, "%sclip %d failed: %s\n", generation_label (run, gen), index + 1, message);
}

static void
on_score_ready (AdmintGeneration *gen,
                int               clip_index,
                double            score,
                Run              *run)
{
  if (run->tty && run->fractions != NULL && clip_index >= 0)
    return;
  if (clip_index < 0)
    fprintf (stderr, "%squality score of the video: %.1f/100\n", generation_label (run, gen),
             score);
  else
    fprintf (stderr, "%sclip %d scored %.1f/100\n", generation_label (run, gen), clip_index + 1,
             score);
}

/* ---- the conversation --------------------------------------------------------------------- */

static void
print_story (FILE     *out,
             JsonNode *node)
{
  JsonObject *story = json_node_get_object (node);
  JsonArray *beats = json_object_get_array_member (story, "beats");

  fprintf (out, "\n%s\n", json_object_get_string_member_with_default (story, "title", "Story"));
  for (guint i = 0; i < json_array_get_length (beats); i++)
    {
      JsonObject *beat = json_array_get_object_element (beats, i);
      fprintf (out, "  %u. %s: %s\n", i + 1,
               json_object_get_string_member_with_default (beat, "name", ""),
               json_object_get_string_member_with_default (beat, "text", ""));
    }
  if (json_object_has_member (story, "score"))
    fprintf (out, "  Critic: %.1f/10\n", json_object_get_double_member (story, "score"));
}

static void
print_scenes (FILE     *out,
              JsonNode *node)
{
  JsonArray *scenes = json_node_get_array (node);

  fprintf (out, "\nScenes\n");
  for (guint i = 0; i < json_array_get_length (scenes); i++)
    {
      JsonObject *s = json_array_get_object_element (scenes, i);
      const char *text = json_object_get_string_member_with_default (s, "on_screen_text", "");
      fprintf (out, "  %u. (%.1f s, %s) %s%s%s%s\n", i + 1,
               json_object_get_double_member_with_default (s, "duration", 0),
               json_object_get_string_member_with_default (s, "camera", ""),
               json_object_get_string_member_with_default (s, "description", ""),
               *text ? " [on screen: “" : "", text, *text ? "”]" : "");
    }
}

static void
on_story_ready (AdmintGeneration *gen,
                JsonNode         *story,
                Run              *run)
{
  if (run->interactive)
    print_story (run->human, story);
}

static void
on_scenes_ready (AdmintGeneration *gen,
                 JsonNode         *scenes,
                 Run              *run)
{
  if (run->interactive)
    print_scenes (run->human, scenes);
}

static void read_reply (Run *run);

static void
on_reply_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  gsize length;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (run->input, result, &length,
                                                                     &error);
  AdmintGeneration *gen = g_steal_pointer (&run->waiting);

  if (gen == NULL)
    return;
  /* issue 14: a reply that is not UTF-8 is not the end of stdin: say so and ask again. */
  if (line == NULL && g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
    {
      fprintf (run->human, _("Your reply is not valid UTF-8 text; type it again.\n> "));
      fflush (run->human);
      run->waiting = gen;
      read_reply (run);
      return;
    }
  if (line == NULL)
    {
      /* Nobody is there to answer: stop cleanly; the work so far is kept for `resume`. */
      run->stdin_closed = TRUE;
      fprintf (stderr, _("admint: stdin closed while waiting for your reply. Nothing is lost: "
                         "`admint resume %s` carries on, or use --auto to run straight "
                         "through.\n"), admint_generation_get_id (gen));
      admint_generation_cancel (gen);
      return;
    }
  admint_generation_reply (gen, g_strstrip (line));
}

static void
read_reply (Run *run)
{
  if (run->input == NULL)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      run->input = g_data_input_stream_new (in);
    }
  g_data_input_stream_read_line_async (run->input, G_PRIORITY_DEFAULT, NULL, on_reply_line, run);
}

static void
on_waiting (AdmintGeneration     *gen,
            AdmintGenerationWait  wait,
            const char           *question,
            Run                  *run)
{
  fprintf (run->human, "\n%s\n> ", question);
  fflush (run->human);
  run->waiting = gen;
  read_reply (run);
}

static void
on_finished (AdmintGeneration       *gen,
             AdmintGenerationStatus  status,
             Run                    *run)
{
  if (run->tty && run->fractions != NULL)
    draw_bars (run);
  fprintf (stderr, "%sfinished: %s\n", generation_label (run, gen),
           admint_generation_status_to_string (status));
  if (--run->running == 0)
    g_main_loop_quit (run->loop);
}

static gboolean
on_sigint (gpointer user_data)
{
  Run *run = user_data;

  fprintf (stderr, _("\nadmint: stopping; the work so far is saved.\n"));
  for (guint i = 0; i < run->generations->len; i++)
    admint_generation_cancel (g_ptr_array_index (run->generations, i));
  return G_SOURCE_CONTINUE;
}

static void
connect_run (Run              *run,
             AdmintGeneration *gen)
{
  g_signal_connect (gen, "notify::status", G_CALLBACK (on_status_changed), run);
  g_signal_connect (gen, "notify::stage", G_CALLBACK (on_stage_changed), run);
  g_signal_connect (gen, "clip-progress", G_CALLBACK (on_clip_progress), run);
  g_signal_connect (gen, "clip-failed", G_CALLBACK (on_clip_failed), run);
  g_signal_connect (gen, "score-ready", G_CALLBACK (on_score_ready), run);
  g_signal_connect (gen, "story-ready", G_CALLBACK (on_story_ready), run);
  g_signal_connect (gen, "scenes-ready", G_CALLBACK (on_scenes_ready), run);
  g_signal_connect (gen, "waiting-for-user", G_CALLBACK (on_waiting), run);
  g_signal_connect (gen, "finished", G_CALLBACK (on_finished), run);
}

/* Runs every generation of RUN to its end; returns the exit status. */
static int
run_to_end (Run        *run,
            const char *output)
{
  guint sigint = g_unix_signal_add (SIGINT, on_sigint, run);
  int status = ADMINT_EXIT_OK;

  run->loop = g_main_loop_new (NULL, FALSE);
  run->running = run->generations->len;
  for (guint i = 0; i < run->generations->len; i++)
    {
      AdmintGeneration *gen = g_ptr_array_index (run->generations, i);
      connect_run (run, gen);
      fprintf (stderr, "%sgeneration %s\n", generation_label (run, gen),
               admint_generation_get_id (gen));
    }
  /* Variants: as many at once as the memory allows (admint-generation-failure.h). */
  admint_generation_run_bounded (run->generations);
  if (run->running > 0)
    g_main_loop_run (run->loop);
  g_source_remove (sigint);

  /* Variants: best first. */
  admint_studio_rank (run->generations);
  AdmintGeneration *best = g_ptr_array_index (run->generations, 0);

  for (guint i = 0; i < run->generations->len; i++)
    {
      AdmintGeneration *gen = g_ptr_array_index (run->generations, i);
      if (admint_generation_get_status (gen) != ADMINT_GENERATION_STATUS_COMPLETED)
        status = run->stdin_closed ? ADMINT_EXIT_USAGE : ADMINT_EXIT_FAILED;
    }

  if (output != NULL && admint_generation_get_final_video (best) != NULL)
    {
      g_autoptr(GFile) src = g_file_new_for_path (admint_generation_get_final_video (best));
      g_autoptr(GFile) dst = g_file_new_for_path (output);
      g_autoptr(GError) error = NULL;
      if (!g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        {
          fprintf (stderr, _("admint: cannot copy the video to %s: %s\n"), output,
                   error->message);
          status = ADMINT_EXIT_FAILED;
        }
    }

  if (run->json)
    {
      g_autoptr(JsonNode) doc = NULL;
      if (run->generations->len == 1)
        doc = admint_generation_to_json (best);
      else
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) first = admint_generation_to_json (best);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "group_id");
          json_builder_add_value (b, json_node_copy (json_object_get_member (
            json_node_get_object (first), "group_id")));
          json_builder_set_member_name (b, "variants");
          json_builder_begin_array (b);
          for (guint i = 0; i < run->generations->len; i++)
            {
              JsonNode *v = admint_generation_to_json (g_ptr_array_index (run->generations, i));
              json_object_set_int_member (json_node_get_object (v), "rank", i + 1);
              json_builder_add_value (b, v);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
          doc = json_builder_get_root (b);
        }
      admint_cli_print_json (doc);
    }
  else
    for (guint i = 0; i < run->generations->len; i++)
      {
        AdmintGeneration *gen = g_ptr_array_index (run->generations, i);
        const char *video = admint_generation_get_final_video (gen);
        double q = admint_generation_get_quality_score (gen);
        if (run->generations->len > 1)
          printf ("%u. ", i + 1);
        printf ("%s  %s", admint_generation_get_id (gen),
                admint_generation_status_to_string (admint_generation_get_status (gen)));
        if (video != NULL && g_file_test (video, G_FILE_TEST_IS_REGULAR))
          printf ("  video: %s", i == 0 && output ? output : video);
        if (q >= 0)
          printf ("  quality: %.1f/100 (%s)", q,
                  admint_verdict_to_string (admint_generation_get_verdict (gen)));
        printf ("\n");
        /* Why it stopped, and what to do (the pipeline's own words; admint-generation-failure.h) */
        g_autofree char *reason = NULL, *advice = NULL;
        if (admint_generation_get_failure (gen, &reason, &advice) != ADMINT_FAILURE_NONE)
          printf ("  %s\n  %s\n", reason, advice);
      }
  return status;
}

/* ---- generate ----------------------------------------------------------------------------- */

typedef struct {
  char    *framework;
  char   **assets;
  int      variants;
  gboolean auto_mode;
  gboolean json;
  char    *output;
  char    *config_file;
  char    *llm;
  char    *images;
  char    *video;
  char    *aspect;
  char   **sets;
  gint64   seed;
  double   max_cost;
  SoundFlags sound;
} GenerateOptions;

static void
generate_options_clear (GenerateOptions *o)
{
  g_free (o->framework);
  g_strfreev (o->assets);
  g_free (o->output);
  g_free (o->config_file);
  g_free (o->llm);
  g_free (o->images);
  g_free (o->video);
  g_free (o->aspect);
  g_strfreev (o->sets);
  sound_flags_clear (&o->sound);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GenerateOptions, generate_options_clear)

/* Applies each --set KEY=VALUE to the config, validated like the YAML. */
static gboolean
apply_sets (AdmintStudio  *studio,
            char         **sets,
            GError       **error)
{
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      if (eq == NULL || eq == sets[i])
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                       _("--set takes KEY=VALUE, such as --set video.resolution=720p (got "
                         "“%s”)"), sets[i]);
          return FALSE;
        }
      g_autofree char *key = g_strndup (sets[i], eq - sets[i]);
      if (!admint_studio_set (studio, key, eq + 1, error))
        return FALSE;
    }
  return TRUE;
}

/* Applies the provider and aspect flags to the config; they mean the same on every command. */
static gboolean
apply_flags (AdmintStudio    *studio,
             GenerateOptions *o,
             GError         **error)
{
  const struct { const char *value; const char *key; } flags[] = {
    { o->llm, "providers.llm.provider" },
    { o->images, "providers.images.provider" },
    { o->video, "providers.video.provider" },
    { o->aspect, "video.aspect" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if (flags[i].value != NULL && !admint_studio_set (studio, flags[i].key, flags[i].value, error))
      return FALSE;
  if (!apply_sound_flags (studio, &o->sound, error))
    return FALSE;
  return apply_sets (studio, o->sets, error);
}

/* "logo:brand.svg" names the kind; a plain path lets the store guess it from the type. */
static GPtrArray *
import_assets (AdmintStudio  *studio,
               char         **specs,
               GError       **error)
{
  static const char * const kinds[] = { "product", "logo", "character", "music", "style", "misc",
                                        NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) kind_of = g_ptr_array_new_with_free_func (g_free);
  AdmintStore *store = admint_studio_get_store (studio);
  AdmintAssetLimits limits;

  admint_studio_get_asset_limits (studio, &limits);

  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      const char *spec = specs[i];
      const char *colon = strchr (spec, ':');
      char *kind = NULL;
      if (colon != NULL)
        {
          g_autofree char *prefix = g_strndup (spec, colon - spec);
          if (g_strv_contains (kinds, prefix))
            {
              kind = g_steal_pointer (&prefix);
              spec = colon + 1;
            }
        }
      g_ptr_array_add (files, g_strdup (spec));
      g_ptr_array_add (kind_of, kind);
    }
  g_ptr_array_add (files, NULL);
  /* Sizes first, for the whole set, before anything is copied. */
  if (!admint_asset_limits_check_files (&limits, (const char * const *) files->pdata, error))
    return NULL;

  for (guint i = 0; i + 1 < files->len; i++)
    {
      gboolean duplicate = FALSE;
      AdmintAssetRow *row = admint_store_import_asset (store, g_ptr_array_index (files, i),
                                                       g_ptr_array_index (kind_of, i), NULL,
                                                       &limits, &duplicate, error);
      if (row == NULL)
        return NULL;
      g_ptr_array_add (rows, row);
    }
  return g_steal_pointer (&rows);
}

static int
cli_error (const GError *error)
{
  return admint_cli_report_error (error);
}

int
admint_cli_generate (const AdmintCliCommand *command,
                     int                     argc,
                     char                  **argv)
{
  g_auto(GenerateOptions) o = { .variants = 1, .seed = -1, .max_cost = -1 };
  g_autofree char *max_cost_text = NULL;
  g_autofree char *style = NULL;
  const GOptionEntry entries[] = {
    { "style", 0, 0, G_OPTION_ARG_STRING, &style, N_("Brand style to use (default: the default style; none: no style)"), "NAME" },
    { "framework", 0, 0, G_OPTION_ARG_STRING, &o.framework, N_("Story framework: AIDA, PAS, FAB or your own"), "NAME" },
    { "asset", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.assets, N_("A brand asset to use, optionally as KIND:FILE (product, logo, character, music, misc)"), "FILE" },
    { "variants", 0, 0, G_OPTION_ARG_INT, &o.variants, N_("Make N variants at once and rank them"), "N" },
    { "auto", 0, 0, G_OPTION_ARG_NONE, &o.auto_mode, N_("Run straight through without asking for approval"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print the result as one JSON document"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, N_("Copy the finished video to FILE"), "FILE" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &o.config_file, N_("Use this config file"), "FILE" },
    { "llm", 0, 0, G_OPTION_ARG_STRING, &o.llm, N_("Text provider: local or openai"), "PROVIDER" },
    { "images", 0, 0, G_OPTION_ARG_STRING, &o.images, N_("Image provider: local or replicate"), "PROVIDER" },
    { "video", 0, 0, G_OPTION_ARG_STRING, &o.video, N_("Video provider: local or replicate"), "PROVIDER" },
    { "aspect", 0, 0, G_OPTION_ARG_STRING, &o.aspect, N_("Aspect ratio: 16:9, 9:16 or 1:1"), "RATIO" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, N_("Seed for the local writer (same seed, same ad)"), "N" },
    { "max-cost", 0, 0, G_OPTION_ARG_STRING, &max_cost_text, N_("Allow spending up to USD on clips beyond the budget"), "USD" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.sets, N_("Set a config key for this run (repeatable)"), "KEY=VALUE" },
    SOUND_OPTION_ENTRIES (o.sound),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  int status;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, argc < 2 ? _("give the brief, in quotes")
                                                     : _("give the brief as one argument, in "
                                                         "quotes"));
  /* issue 14: bad text and a dangerous --output are refused before anything is spent. */
  if (!admint_cli_check_text (command, _("the brief"), argv[1]))
    return ADMINT_EXIT_USAGE;
  if (o.output != NULL &&
      admint_cli_check_output (command, o.output, (const char * const *) o.assets) != 0)
    return ADMINT_EXIT_USAGE;
  if (o.variants < 1 || o.variants > 8)
    return admint_cli_usage_error (command, _("--variants must be between 1 and 8"));
  if (max_cost_text != NULL)
    {
      char *end = NULL;
      o.max_cost = g_ascii_strtod (max_cost_text, &end);
      if (end == max_cost_text || *end != '\0' || o.max_cost < 0 || !isfinite (o.max_cost))
        return admint_cli_usage_error (command, _("--max-cost takes an amount in USD, such as "
                                                  "2.50"));
    }

  run.studio = admint_studio_new (NULL, &error);
  if (run.studio == NULL || !admint_studio_load_config (run.studio, o.config_file, &error) ||
      !apply_flags (run.studio, &o, &error))
    return cli_error (error);

  /* Everything the user gave is checked before anything is spent. */
  g_autoptr(GPtrArray) assets = import_assets (run.studio, o.assets, &error);
  if (assets == NULL)
    return cli_error (error);

  run.json = o.json;
  run.tty = isatty (STDERR_FILENO) && g_getenv ("CI") == NULL;
  run.interactive = !o.auto_mode && o.variants == 1;
  run.human = o.json ? stderr : stdout;
  if (!o.auto_mode && o.variants > 1)
    fprintf (stderr, _("admint: variants run straight through (as with --auto); compare them "
                       "when they are done.\n"));

  AdmintStartOptions start = ADMINT_START_OPTIONS_INIT;
  start.prompt = argv[1];
  start.framework = o.framework;
  start.style = g_strcmp0 (style, "none") == 0 ? "" : style;
  start.assets = assets;
  start.mode = run.interactive ? ADMINT_GENERATION_INTERACTIVE : ADMINT_GENERATION_AUTO;
  start.seed = o.seed;
  start.max_cost = o.max_cost;
  start.variants = (guint) o.variants;
  run.generations = admint_studio_start (run.studio, &start, NULL, &error);
  if (run.generations == NULL)
    return cli_error (error);

  status = run_to_end (&run, o.output);
  return status;
}

/* ---- resume ------------------------------------------------------------------------------- */

int
admint_cli_resume (const AdmintCliCommand *command,
                   int                     argc,
                   char                  **argv)
{
  gboolean auto_mode = FALSE, json = FALSE;
  g_autofree char *config_file = NULL;
  g_auto(GStrv) sets = NULL;
  g_auto(SoundFlags) sound = { 0 };
  const GOptionEntry entries[] = {
    { "auto", 0, 0, G_OPTION_ARG_NONE, &auto_mode, N_("Run straight through without asking for approval"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON document"), NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, N_("Use this config file instead of the one the generation started with"), "FILE" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("Set a config key for this run (repeatable)"), "KEY=VALUE" },
    SOUND_OPTION_ENTRIES (sound),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("give the id of the generation to resume "
                                              "(see `admint history`)"));

  /* The settings the generation started with, unless told otherwise. */
  run.studio = admint_studio_new (NULL, &error);
  if (run.studio == NULL ||
      (config_file != NULL && !admint_studio_load_config (run.studio, config_file, &error)) ||
      !apply_sound_flags (run.studio, &sound, &error) || !apply_sets (run.studio, sets, &error))
    return cli_error (error);
  run.interactive = !auto_mode;
  g_autoptr(AdmintGeneration) gen = admint_studio_resume (
    run.studio, argv[1], auto_mode ? ADMINT_GENERATION_AUTO : ADMINT_GENERATION_INTERACTIVE,
    config_file != NULL ? ADMINT_RESUME_CURRENT_CONFIG : ADMINT_RESUME_STORED_SETTINGS, &error);
  if (gen == NULL)
    return cli_error (error);
  run.json = json;
  run.tty = isatty (STDERR_FILENO) && g_getenv ("CI") == NULL;
  run.human = json ? stderr : stdout;
  run.generations = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (run.generations, g_steal_pointer (&gen));

  return run_to_end (&run, NULL);
}

/* ---- batch -------------------------------------------------------------------------------- */

/* The `admint generate --auto --json` command line that makes BRIEF. */
static GStrv
brief_argv (const AdmintBatchBrief *brief,
            char                  **sets,
            const SoundFlags       *sound)
{
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  const struct { const char *flag; const char *value; } flags[] = {
    { "--framework", brief->framework }, { "--aspect", brief->aspect }, { "--llm", brief->llm },
    { "--images", brief->images }, { "--video", brief->video }, { "--output", brief->output },
    { "--config", brief->config },
  };

  g_strv_builder_add (args, "/proc/self/exe");
  g_strv_builder_add (args, "generate");
  g_strv_builder_add (args, "--auto");
  g_strv_builder_add (args, "--json");
  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if (flags[i].value != NULL)
      {
        g_strv_builder_add (args, flags[i].flag);
        g_strv_builder_add (args, flags[i].value);
      }
  for (guint i = 0; brief->assets != NULL && brief->assets[i] != NULL; i++)
    {
      g_strv_builder_add (args, "--asset");
      g_strv_builder_add (args, brief->assets[i]);
    }
  if (brief->variants >= 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, brief->variants);
      g_strv_builder_addv (args, (const char *[]) { "--variants", n, NULL });
    }
  if (brief->seed >= 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, brief->seed);
      g_strv_builder_addv (args, (const char *[]) { "--seed", n, NULL });
    }
  if (brief->max_cost >= 0)
    {
      char n[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_dtostr (n, sizeof n, brief->max_cost);
      g_strv_builder_addv (args, (const char *[]) { "--max-cost", n, NULL });
    }
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    g_strv_builder_addv (args, (const char *[]) { "--set", sets[i], NULL });
  if (sound->voice != NULL)
    g_strv_builder_addv (args, (const char *[]) { "--voice", sound->voice, NULL });
  if (sound->captions != NULL)
    g_strv_builder_addv (args, (const char *[]) { "--captions", sound->captions, NULL });
  if (sound->music != NULL)
    g_strv_builder_addv (args, (const char *[]) { "--music", sound->music, NULL });
  g_strv_builder_add (args, brief->prompt);
  return g_strv_builder_end (args);
}

/* Runs each brief as its own `admint generate`: one process each, at most CONCURRENCY at once,
 * so a crash in one brief never takes the others down. OUTPUTS gets each one's stdout, in the
 * file's order; returns the exit status. */
static int
run_briefs (AdmintBatch       *batch,
            char             **sets,
            const SoundFlags  *sound,
            char             **outputs)
{
  guint n = batch->briefs->len, next = 0, done = 0;
  g_autofree GSubprocess **procs = g_new0 (GSubprocess *, n);
  int status = ADMINT_EXIT_OK;

  while (done < n)
    {
      guint active = 0;
      for (guint i = 0; i < next; i++)
        if (procs[i] != NULL)
          active++;
      while (active < batch->concurrency && next < n)
        {
          g_autoptr(GError) error = NULL;
          g_auto(GStrv) argv = brief_argv (g_ptr_array_index (batch->briefs, next), sets,
                                           sound);
          g_autoptr(GSubprocessLauncher) launcher =
            g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                       G_SUBPROCESS_FLAGS_STDIN_INHERIT);
          /* issue 14: SIGTERM on batch stops its children too. */
          g_subprocess_launcher_set_child_setup (launcher, admint_cli_child_setup, NULL, NULL);
          fprintf (stderr, "brief %u: starting\n", next + 1);
          procs[next] = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv,
                                                      &error);
          if (procs[next] == NULL)
            {
              fprintf (stderr, "admint batch: %s\n", error->message);
              for (guint i = 0; i < next; i++)
                g_clear_object (&procs[i]);
              return ADMINT_EXIT_FAILED;
            }
          next++;
          active++;
        }
      /* Wait for the oldest one still running. */
      for (guint i = 0; i < next; i++)
        if (procs[i] != NULL)
          {
            g_subprocess_communicate_utf8 (procs[i], NULL, NULL, &outputs[i], NULL, NULL);
            int code = g_subprocess_get_exit_status (procs[i]);
            fprintf (stderr, "brief %u: exit %d\n", i + 1, code);
            if (code != 0 && status == ADMINT_EXIT_OK)
              status = code == ADMINT_EXIT_USAGE ? ADMINT_EXIT_USAGE : ADMINT_EXIT_FAILED;
            g_clear_object (&procs[i]);
            done++;
            break;
          }
    }
  return status;
}

static void
print_batch_results (char     **outputs,
                     guint      n,
                     gboolean   json)
{
  g_autoptr(JsonArray) results = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = outputs[i] ? json_from_string (outputs[i], NULL) : NULL;
      if (node == NULL)
        {
          JsonObject *obj = json_object_new ();
          json_object_set_int_member (obj, "brief", i + 1);
          json_object_set_string_member (obj, "status", "failed");
          json_object_set_string_member (obj, "error", "the run printed no result; see stderr");
          node = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (node, obj);
        }
      json_array_add_element (results, node);
    }
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (root, results);
  if (json)
    {
      admint_cli_print_json (root);
      return;
    }
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      printf ("%u. %s  %s  %s\n", i + 1,
              json_object_get_string_member_with_default (r, "generation_id", "-"),
              json_object_get_string_member_with_default (r, "status", "?"),
              json_object_get_string_member_with_default (r, "final_video", ""));
    }
}

int
admint_cli_batch (const AdmintCliCommand *command,
                  int                     argc,
                  char                  **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) sets = NULL;
  g_auto(SoundFlags) sound = { 0 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array with every result"), NULL },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("Set a config key for every brief (repeatable)"), "KEY=VALUE" },
    SOUND_OPTION_ENTRIES (sound),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintBatch) batch = NULL;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc != 2)
    return admint_cli_usage_error (command, _("give one batch file (YAML)"));

  batch = admint_studio_parse_batch (argv[1], &error);
  if (batch == NULL)
    {
      fprintf (stderr, "admint batch: %s\n", error->message);
      return ADMINT_EXIT_USAGE;
    }
  /* Checked once here (against the defaults), so a bad one stops the batch before any brief. */
  if (sets != NULL || sound.voice != NULL || sound.captions != NULL || sound.music != NULL)
    {
      g_autoptr(AdmintStudio) studio = admint_studio_new (NULL, &error);
      if (studio == NULL || !admint_studio_load_config (studio, NULL, &error) ||
          !apply_sound_flags (studio, &sound, &error) || !apply_sets (studio, sets, &error))
        return cli_error (error);
    }

  guint n = batch->briefs->len;
  char **outputs = g_new0 (char *, n + 1);
  int status = run_briefs (batch, sets, &sound, outputs);
  print_batch_results (outputs, n, json);
  g_strfreev (outputs);
  return status;
}
