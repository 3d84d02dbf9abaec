/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The README's demo ad, stage by stage, and the cost of its final score measured in full
 * against combined from the clips' scores, in the same run. */
#define G_LOG_DOMAIN "admint-bench"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "admint-score.h"

#define DEMO_PROMPT "30-second ad for a reusable water bottle for hikers"

static char *opt_admint = NULL;
static char *opt_dir = NULL;
static gboolean opt_keep = FALSE;

static const GOptionEntry entries[] = {
  { "admint", 0, 0, G_OPTION_ARG_FILENAME, &opt_admint, "The admint CLI to run", "PATH" },
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir,
    "Score an existing generation folder (clip-*.mp4 and final.mp4) instead of making one",
    "DIR" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the demo's data folders", NULL },
  { NULL }
};

static double
cpu_seconds (int who)
{
  struct rusage ru;

  getrusage (who, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
         ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
print_load (void)
{
  g_autofree char *load = NULL;

  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    printf ("load average: %s", load);
}

/* Runs the demo with ADMINT_STAGE_TIMES=1 in fresh folders; prints its stage lines and the
 * whole command's wall and CPU seconds. Returns the generation's folder. */
static char *
run_demo (const char *root)
{
  g_autofree char *data = g_build_filename (root, "data", NULL);
  g_autofree char *xdg_data = g_build_filename (root, "xdg-data", NULL);
  g_autofree char *config = g_build_filename (root, "config", NULL);
  g_autofree char *cache = g_build_filename (root, "cache", NULL);
  g_autofree char *output = g_build_filename (root, "ad.mp4", NULL);
  g_autofree char *gens = g_build_filename (xdg_data, "admint", "media", "generations", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *argv[] = { opt_admint, "generate", "--auto", "--seed", "1", "--output", output,
                         DEMO_PROMPT, NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_auto(GStrv) lines = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu0 = cpu_seconds (RUSAGE_CHILDREN);
  int status = 0;
  const char *name;

  env = g_environ_setenv (env, "ADMINT_DATA_DIR", data, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", xdg_data, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", cache, TRUE);
  env = g_environ_setenv (env, "ADMINT_STAGE_TIMES", "1", TRUE);
  printf ("demo: %s generate --auto --seed 1 \"%s\"\n", opt_admint, DEMO_PROMPT);
  print_load ();
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     &err, &status, &error))
    g_error ("Cannot run %s: %s", opt_admint, error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("The demo failed: %s\n%s", error->message, err);
  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], " took ") != NULL)
      printf ("  %s\n", lines[i]);
  printf ("  whole command: %.1f s wall, %.1f s CPU\n",
          (g_get_monotonic_time () - start) / 1e6, cpu_seconds (RUSAGE_CHILDREN) - cpu0);
  print_load ();

  dir = g_dir_open (gens, 0, &error);
  if (dir == NULL)
    g_error ("No generation folder: %s", error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    return g_build_filename (gens, name, NULL);
  g_error ("No generation in %s", gens);
}

/* The clips of DIR in scene order, the latest version of each scene. */
static GPtrArray *
find_clips (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *clips = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "clip-") && g_str_has_suffix (name, ".mp4"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      const char *next = i + 1 < names->len ? g_ptr_array_index (names, i + 1) : NULL;

      /* clip-NN-vM.mp4: a later version of the same scene sorts next ("clip-NN-"). */
      if (next != NULL && strncmp (n, next, 8) == 0)
        continue;
      g_ptr_array_add (clips, g_build_filename (dir_path, n, NULL));
    }
  return clips;
}

typedef struct {
  double wall, cpu;
} Cost;

static void
score_timed (const char   *path,
             AdmintScores *out,
             Cost         *cost)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu0 = cpu_seconds (RUSAGE_SELF);

  if (!admint_score_file (path, ADMINT_SCORE_FLAGS_NONE, NULL, out, &error))
    g_error ("Cannot score %s: %s", path, error->message);
  cost->wall += (g_get_monotonic_time () - start) / 1e6;
  cost->cpu += cpu_seconds (RUSAGE_SELF) - cpu0;
}

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
joined_timed (const char         *path,
              const AdmintScores *clips,
              guint               n_clips,
              AdmintScores       *out,
              Cost               *cost)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu0 = cpu_seconds (RUSAGE_SELF);

  admint_score_joined_file_async (path, clips, n_clips, NULL, on_joined, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!admint_score_file_finish (result, out, &error))
    g_error ("Cannot score %s: %s", path, error->message);
  cost->wall += (g_get_monotonic_time () - start) / 1e6;
  cost->cpu += cpu_seconds (RUSAGE_SELF) - cpu0;
}

static void
compare (const AdmintScores *full,
         const AdmintScores *joined)
{
  const struct { const char *name; double a, b; } rows[] = {
    { "subject_consistency", full->subject_consistency, joined->subject_consistency },
    { "background_consistency", full->background_consistency, joined->background_consistency },
    { "temporal_flickering", full->temporal_flickering, joined->temporal_flickering },
    { "motion_smoothness", full->motion_smoothness, joined->motion_smoothness },
    { "dynamic_degree", full->dynamic_degree, joined->dynamic_degree },
    { "aesthetic_quality", full->aesthetic_quality, joined->aesthetic_quality },
    { "imaging_quality", full->imaging_quality, joined->imaging_quality },
    { "quality_score", full->quality_score, joined->quality_score },
    { "overall_score", full->overall_score, joined->overall_score },
  };

  printf ("  %-24s %10s %10s %10s\n", "", "full", "combined", "diff");
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    printf ("  %-24s %10.4f %10.4f %+10.4f\n", rows[i].name, rows[i].a, rows[i].b,
            rows[i].b - rows[i].a);
  printf ("  ad checks failed: full %u, combined %u; combined: %s\n",
          admint_ad_checks_failed (&full->ad_checks),
          admint_ad_checks_failed (&joined->ad_checks), joined->combined ? "yes" : "NO");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the demo's stages and its final score, old way and new");
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *gen = NULL;
  g_autofree char *final = NULL;
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GArray) clip_scores = g_array_new (FALSE, TRUE, sizeof (AdmintScores));
  AdmintScores full, joined;
  Cost clips_cost = { 0 }, full_cost = { 0 }, joined_cost = { 0 };

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_admint == NULL)
    opt_admint = g_strdup (ADMINT_CLI_PATH);

  if (opt_dir != NULL)
    gen = g_strdup (opt_dir);
  else
    {
      root = g_dir_make_tmp ("admint-bench-demo-XXXXXX", &error);
      g_assert_no_error (error);
      gen = run_demo (root);
    }
  final = g_build_filename (gen, "final.mp4", NULL);
  if (!g_file_test (final, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("%s has no final.mp4\n", gen);
      return 2;
    }
  clips = find_clips (gen);

  printf ("the final score of %s (%u clips):\n", final, clips->len);
  print_load ();
  for (guint i = 0; i < clips->len; i++)
    {
      AdmintScores s;

      score_timed (g_ptr_array_index (clips, i), &s, &clips_cost);
      g_array_append_val (clip_scores, s);
    }
  score_timed (final, &full, &full_cost);
  joined_timed (final, (const AdmintScores *) clip_scores->data, clip_scores->len, &joined,
                &joined_cost);
  printf ("  the clips' own scores (done in the clips stage): %5.1f s wall, %5.1f s CPU\n",
          clips_cost.wall, clips_cost.cpu);
  printf ("  old: every frame measured again:                %5.1f s wall, %5.1f s CPU\n",
          full_cost.wall, full_cost.cpu);
  printf ("  new: ad checks measured, dimensions combined:   %5.1f s wall, %5.1f s CPU\n",
          joined_cost.wall, joined_cost.cpu);
  compare (&full, &joined);
  print_load ();

  if (root != NULL)
    {
      if (opt_keep)
        printf ("kept %s\n", root);
      else
        {
          g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", root);
          if (system (cmd) != 0)
            g_warning ("Cannot remove %s", root);
        }
    }
  return 0;
}
