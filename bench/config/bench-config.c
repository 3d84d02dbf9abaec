/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: loading and validating the configuration, against PyYAML parsing the same files. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "admint-config.h"

#define RUNS 200

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median_ms (double *samples)
{
  qsort (samples, RUNS, sizeof (double), compare_doubles);
  return samples[RUNS / 2];
}

static const char *user_config =
  "stages:\n  clips:\n    max_concurrent: 8\n    max_retries: 1\n"
  "video:\n  aspect: \"9:16\"\n  fps: 24\n"
  "providers:\n  llm:\n    provider: openai\n    base_url: http://127.0.0.1:8080/v1\n"
  "    options: {temperature: 0.2, top_p: 0.9}\n"
  "  video:\n    options: {resolution: 1080p, seed: 42}\n"
  "prompts:\n  intent:\n    user_prompt_template: \"{stage}: {message}\"\n"
  "frameworks:\n  - name: Hook\n    description: d\n    beats: [{name: a, goal: b}, {name: c, goal: d}]\n";

int
main (void)
{
  g_autofree char *root = g_dir_make_tmp ("admint-bench-XXXXXX", NULL);
  g_autofree char *config_dir = g_build_filename (root, "admint", NULL);
  g_autofree char *user_file = g_build_filename (config_dir, "config.yaml", NULL);
  g_autofree char *peer_out = NULL;
  g_autofree char *peer_script = NULL;
  double defaults[RUNS], layered[RUNS];
  g_autoptr(AdmintConfig) config = NULL;
  gint64 start, sum = 0;
  int peer_status = 0;

  g_setenv ("XDG_CONFIG_HOME", root, TRUE);
  g_mkdir_with_parents (config_dir, 0700);
  g_file_set_contents (user_file, user_config, -1, NULL);

  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(AdmintConfig) c = NULL;

      start = g_get_monotonic_time ();
      c = admint_config_load_defaults ();
      defaults[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(AdmintConfig) c = NULL;

      start = g_get_monotonic_time ();
      c = admint_config_load (NULL, NULL);
      layered[i] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (c != NULL);
    }

  config = admint_config_load (NULL, NULL);
  start = g_get_monotonic_time ();
  for (int i = 0; i < 1000000; i++)
    sum += admint_config_get_int (config, "stages.clips.max_concurrent");
  printf ("admint (libyaml + schema validation), median of %d runs:\n", RUNS);
  printf ("  defaults (pipeline, 7 prompts, 3 frameworks):  %.3f ms\n", median_ms (defaults));
  printf ("  defaults + user config.yaml (%zu bytes):        %.3f ms\n",
          strlen (user_config), median_ms (layered));
  printf ("  admint_config_get_int:                          %.0f ns a call (sum %" G_GINT64_FORMAT ")\n",
          (g_get_monotonic_time () - start) * 1000.0 / 1000000, sum);

  /* The peer parses the very same files, with no validation and no layering. */
  peer_script = g_strdup_printf (
    "import glob, time, yaml\n"
    "L = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n"
    "files = ['%s/pipelines/default.yaml'] + sorted(glob.glob('%s/prompts/*.yaml')) + "
    "sorted(glob.glob('%s/frameworks/*.yaml'))\n"
    "texts = [open(f).read() for f in files]\n"
    "def run(ts):\n"
    "    t = time.perf_counter()\n"
    "    for x in ts: yaml.load(x, Loader=L)\n"
    "    return (time.perf_counter() - t) * 1000\n"
    "a = sorted(run(texts) for _ in range(%d))[%d]\n"
    "user = texts + [open('%s').read()]\n"
    "b = sorted(run(user) for _ in range(%d))[%d]\n"
    "print('PyYAML %%s (%%s), parsing only, median of %d runs:' %% (yaml.__version__, L.__name__))\n"
    "print('  defaults (%%d files):                            %%.3f ms' %% (len(files), a))\n"
    "print('  defaults + user config.yaml:                    %%.3f ms' %% b)\n",
    ADMINT_DATA_DIR, ADMINT_DATA_DIR, ADMINT_DATA_DIR, RUNS, RUNS / 2, user_file, RUNS,
    RUNS / 2, RUNS);
  {
    const char *argv[] = { "python3", "-c", peer_script, NULL };
    g_autoptr(GError) error = NULL;

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &peer_out,
                       NULL, &peer_status, &error))
      printf ("peer: not run (%s)\n", error->message);
    else
      fputs (peer_out, stdout);
  }

  g_unlink (user_file);
  g_rmdir (config_dir);
  g_rmdir (root);
  return 0;
}
