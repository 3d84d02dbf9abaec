/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admint score: the VBench-style quality scores of video files, as a table or as JSON. */
#define G_LOG_DOMAIN "admint-cli"

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "admint-cli.h"
#include "admint-error.h"
#include "admint-score.h"

typedef struct {
  GMainLoop    *loop;
  AdmintScores  scores;
  GError       *error;
  gboolean      tty;
  int           last_percent;
} ScoreRun;

static void
on_progress (const char *path,
             double      fraction,
             gpointer    user_data)
{
  ScoreRun *run = user_data;
  int percent = (int) (fraction * 100);

  if (!run->tty || percent == run->last_percent)
    return;
  run->last_percent = percent;
  fprintf (stderr, "\r%s %3d%%", path, percent);
  fflush (stderr);
}

static void
on_scored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ScoreRun *run = user_data;

  admint_score_file_finish (result, &run->scores, &run->error);
  g_main_loop_quit (run->loop);
}

static void
add_scores (JsonBuilder        *builder,
            const char         *path,
            const AdmintScores *s)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, s->frames);
  json_builder_set_member_name (builder, "fps");
  json_builder_add_double_value (builder, s->fps);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, s->duration);
  json_builder_set_member_name (builder, "scores");
  json_builder_begin_object (builder);
#define MEMBER(name) \
  json_builder_set_member_name (builder, #name); \
  json_builder_add_double_value (builder, s->name);
  MEMBER (subject_consistency)
  MEMBER (background_consistency)
  MEMBER (temporal_flickering)
  MEMBER (motion_smoothness)
  MEMBER (dynamic_degree)
  MEMBER (aesthetic_quality)
  MEMBER (imaging_quality)
  MEMBER (quality_score)
#undef MEMBER
  json_builder_end_object (builder);
  if (s->ad_checks.measured)
    {
      admint_ad_checks_to_json (&s->ad_checks, builder);
      json_builder_set_member_name (builder, "overall_score");
      json_builder_add_double_value (builder, s->overall_score);
    }
  json_builder_end_object (builder);
}

static void
print_table (const char         *path,
             const AdmintScores *s)
{
  printf ("%s\n", path);
  printf (_("  %u frames, %.2f fps, %.2f s, %dx%d (scored in %.2f s)\n"),
          s->frames, s->fps, s->duration, s->width, s->height, s->seconds);
  printf ("  %-24s %.4f\n", "subject_consistency", s->subject_consistency);
  printf ("  %-24s %.4f\n", "background_consistency", s->background_consistency);
  printf ("  %-24s %.4f\n", "temporal_flickering", s->temporal_flickering);
  printf ("  %-24s %.4f\n", "motion_smoothness", s->motion_smoothness);
  printf ("  %-24s %.4f\n", "dynamic_degree", s->dynamic_degree);
  printf ("  %-24s %.4f\n", "aesthetic_quality", s->aesthetic_quality);
  printf ("  %-24s %.4f\n", "imaging_quality", s->imaging_quality);
  printf ("  %-24s %.2f / 100\n", "quality_score", s->quality_score);
  if (s->ad_checks.measured)
    {
      GArray *checks = admint_ad_checks_list (&s->ad_checks);

      printf (_("  ad checks:\n"));
      for (guint i = 0; i < checks->len; i++)
        {
          AdmintAdCheck *c = &g_array_index (checks, AdmintAdCheck, i);
          printf ("    %-22s %-4s %s\n", c->name, c->pass ? _("pass") : _("FAIL"), c->reason);
        }
      admint_ad_check_list_free (checks);
      printf ("  %-24s %.2f / 100\n", "overall_score", s->overall_score);
    }
}

/* The scorer decodes whatever GStreamer can, so a still image would be scored as a one-frame
 * "video". What the first bytes say is an image, a sound or text is refused here. */
static gboolean
check_is_video (const char  *path,
                GError     **error)
{
  guint8 head[4096];
  gssize len;
  gboolean uncertain = FALSE;
  g_autofree char *type = NULL;
  g_autofree char *description = NULL;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);

  if (fd < 0)
    return TRUE;   /* the scorer says what is wrong with it */
  len = read (fd, head, sizeof head);
  close (fd);
  if (len <= 0)
    return TRUE;
  type = g_content_type_guess (NULL, head, len, &uncertain);
  if (uncertain || !(g_str_has_prefix (type, "image/") || g_str_has_prefix (type, "audio/") ||
                     g_str_has_prefix (type, "text/")))
    return TRUE;
  description = g_content_type_get_description (type);
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("“%s” is not a video: its content is %s (%s). Score a video file, such as an "
                 "MP4 or WebM."), path, description, type);
  return FALSE;
}

int
admint_cli_score (const AdmintCliCommand *command,
                  int                     argc,
                  char                  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array, one object per file"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GMainLoop) loop = NULL;
  gboolean any_bad_input = FALSE, any_failed = FALSE;

  if (!admint_cli_parse_options (command, entries, &argc, &argv))
    return ADMINT_EXIT_USAGE;
  if (argc < 2)
    return admint_cli_usage_error (command, _("expected at least one video FILE"));

  loop = g_main_loop_new (NULL, FALSE);
  json_builder_begin_array (builder);
  /* One file at a time: each already keeps both cores busy. A file that fails is reported and
   * the others are still scored; the exit status says that something failed. */
  for (int i = 1; i < argc; i++)
    {
      ScoreRun run = { .loop = loop, .tty = isatty (STDERR_FILENO), .last_percent = -1 };

      if (!run.tty)
        fprintf (stderr, _("scoring %s\n"), argv[i]);
      if (check_is_video (argv[i], &run.error))
        {
          admint_score_file_async (argv[i], ADMINT_SCORE_FLAGS_NONE, NULL, on_progress, &run,
                                   on_scored, &run);
          g_main_loop_run (loop);
          if (run.tty)
            fprintf (stderr, "\r\033[K");
        }

      if (run.error != NULL)
        {
          if (admint_cli_report_error (run.error) == ADMINT_EXIT_USAGE)
            any_bad_input = TRUE;
          else
            any_failed = TRUE;
          g_clear_error (&run.error);
          continue;
        }
      fprintf (stderr, _("scored %s in %.2f s\n"), argv[i], run.scores.seconds);
      if (json)
        add_scores (builder, argv[i], &run.scores);
      else
        print_table (argv[i], &run.scores);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      admint_cli_print_json (root);
    }
  if (any_bad_input)
    return ADMINT_EXIT_USAGE;
  return any_failed ? ADMINT_EXIT_FAILED : ADMINT_EXIT_OK;
}
