/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmarks the pipeline: (1) six clips against a fake video model that answers each
 * prediction after L seconds — in parallel they should take at most 1.2 L, sequentially 6 L;
 * (2) the offline 30-second ad end to end, with each stage's share of the wall time.
 * Prints its figures; it is not a test. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "admint-fake-ai.h"
#include "admint-generation.h"
#include "admint-media.h"
#include "admint-provider-factory.h"
#include "admint-render.h"

typedef struct {
  GMainLoop *loop;
  gint64     clips_started;
  gint64     last_clip_ready;
  guint      clips_ready;
  char      *status;
} Watch;

static void
on_stage (AdmintGeneration *gen,
          const char       *stage,
          Watch            *w)
{
  if (g_str_equal (stage, "clips") && w->clips_started == 0)
    w->clips_started = g_get_monotonic_time ();
}

static void
on_clip_ready (AdmintGeneration *gen,
               int               index,
               const char       *path,
               Watch            *w)
{
  w->clips_ready++;
  w->last_clip_ready = g_get_monotonic_time ();
}

static void
on_finished (AdmintGeneration *gen,
             const char       *status,
             Watch            *w)
{
  w->status = g_strdup (status);
  g_main_loop_quit (w->loop);
}

static AdmintGeneration *
run_generation (AdmintStore  *store,
                AdmintConfig *config,
                const char   *brief,
                Watch        *w)
{
  g_autoptr(GError) error = NULL;
  g_auto(AdmintProviderSet) providers = { 0 };

  if (!admint_provider_set_init (&providers, config, store, &error))
    g_error ("%s", error->message);
  AdmintGeneration *gen = admint_generation_new (store, config, providers.llm, providers.images,
                                                 providers.video);
  admint_generation_set_seed (gen, 1);
  if (!admint_generation_create (gen, brief, "AIDA", NULL, &error))
    g_error ("%s", error->message);
  w->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (gen, "stage-changed", G_CALLBACK (on_stage), w);
  g_signal_connect (gen, "clip-ready", G_CALLBACK (on_clip_ready), w);
  g_signal_connect (gen, "finished", G_CALLBACK (on_finished), w);
  admint_generation_run (gen);
  g_main_loop_run (w->loop);
  g_main_loop_unref (w->loop);
  return gen;
}

static void
set (AdmintConfig *config,
     const char   *key,
     const char   *value)
{
  g_autoptr(GError) error = NULL;
  admint_config_set_override (config, key, value, &error);
  if (error != NULL)
    g_error ("%s", error->message);
}

static double
fan_out_seconds (AdmintStore  *store,
                 AdmintFakeAi *fake,
                 gboolean      parallel)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  Watch w = { 0 };

  set (config, "video.resolution", "360p");
  set (config, "stages.references.count", "1");
  set (config, "stages.clips.max_concurrent", "6");
  set (config, "stages.clips.parallel", parallel ? "true" : "false");
  set (config, "providers.video.provider", "replicate");
  set (config, "providers.video.base_url", admint_fake_ai_get_base_url (fake));
  set (config, "network.poll_interval_image_seconds", "0.05");
  set (config, "network.poll_interval_video_max_seconds", "0.1");
  set (config, "budget.max_usd_per_generation", "1000");

  g_autoptr(AdmintGeneration) gen = run_generation (store, config,
                                                    "48-second ad for a solar lantern, for "
                                                    "campers", &w);
  if (g_strcmp0 (w.status, "completed") != 0 || w.clips_ready != 6)
    g_error ("the run ended %s with %u clips", w.status, w.clips_ready);
  g_free (w.status);
  return (w.last_clip_ready - w.clips_started) / 1e6;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("admint-bench-XXXXXX", &error);
  double latency = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 3.0;

  g_setenv ("XDG_DATA_HOME", root, TRUE);
  g_setenv ("XDG_STATE_HOME", root, TRUE);
  g_setenv ("XDG_CONFIG_HOME", root, TRUE);
  g_setenv ("REPLICATE_API_TOKEN", "r8-bench-token", TRUE);
  admint_media_init ();

  g_autofree char *db = g_build_filename (root, "bench.db", NULL);
  g_autoptr(AdmintStore) store = admint_store_open (db, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  /* (1) The fan-out against a model that takes L seconds a prediction. */
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autofree char *clip = g_build_filename (root, "served.mp4", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  job->duration = 2;
  job->size = ADMINT_RENDER_SIZE_360P;
  if (!admint_render_clip (job, clip, NULL, NULL, NULL, &error) ||
      !g_file_get_contents (clip, &contents, &length, &error))
    g_error ("%s", error->message);
  g_autoptr(AdmintFakeAi) fake = admint_fake_ai_new (0, &error);
  if (fake == NULL)
    g_error ("%s", error->message);
  admint_fake_ai_add_defaults (fake);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  admint_fake_ai_add_file (fake, "/files/output.mp4", "video/mp4", bytes);
  admint_fake_ai_set_prediction_plan (fake, 0, "succeeded", NULL, latency);
  admint_fake_ai_set_prediction_latency (fake, latency);

  double parallel = fan_out_seconds (store, fake, TRUE);
  double sequential = fan_out_seconds (store, fake, FALSE);
  printf ("clip fan-out, 6 clips, fake model latency L = %.1f s\n", latency);
  printf ("  parallel (max_concurrent 6): %6.2f s = %.2f L   (target <= 1.2 L)\n", parallel,
          parallel / latency);
  printf ("  sequential (parallel false): %6.2f s = %.2f L   (6 L expected)\n", sequential,
          sequential / latency);
  printf ("  speed-up: %.2fx\n", sequential / parallel);

  /* (2) The offline 30-second ad with the built-in providers, at the default 720p. */
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  Watch w = { 0 };
  gint64 start = g_get_monotonic_time ();
  g_autoptr(AdmintGeneration) gen = run_generation (store, config,
                                                    "30-second ad for a reusable water bottle "
                                                    "for hikers", &w);
  double wall = (g_get_monotonic_time () - start) / 1e6;
  g_autoptr(JsonNode) doc = admint_generation_to_json (gen);
  JsonObject *timings = json_object_get_object_member (json_node_get_object (doc), "timings");
  printf ("\noffline 30-second 720p ad, local providers: %s in %.2f s wall\n", w.status, wall);
  static const char * const stages[] = {
    "story", "references", "scenes", "clips", "stitching", "scoring", NULL
  };
  for (guint i = 0; stages[i] != NULL; i++)
    {
      double s = json_object_get_double_member_with_default (timings, stages[i], 0);
      printf ("  %-10s %7.2f s  %5.1f%%\n", stages[i], s, 100.0 * s / wall);
    }
  printf ("  (clips includes scoring each clip as it lands; scoring is the whole video)\n");
  g_free (w.status);

  g_clear_object (&gen);
  g_clear_object (&store);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", root);
  if (system (cmd) != 0)
    fprintf (stderr, "could not remove %s\n", root);
  return 0;
}
