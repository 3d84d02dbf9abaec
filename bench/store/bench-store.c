/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Store benchmark: a library of 10 000 generations — time to open it, to list the newest 50
 * with their scores, and its size per generation; a raw SQLite peer in the same run. */
#define G_LOG_DOMAIN "admint-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "admint-store.h"
#include "admint-store-private.h"

#define N_GENERATIONS 10000
#define N_MESSAGES 6
#define N_CLIPS 4
#define N_RUNS 25

#define LIST_SQL(INDEXED) \
  "SELECT g.id, g.created_at, g.prompt, g.status," \
  " coalesce(g.quality_score, (SELECT q.quality_score FROM quality_metrics q" \
  "   WHERE q.generation_id = g.id AND q.clip_index IS NULL" \
  "   ORDER BY q.scored_at DESC LIMIT 1))," \
  " (SELECT total(u.cost_usd) FROM usage u WHERE u.generation_id = g.id)" \
  " FROM generations g " INDEXED " WHERE g.deleted_at IS NULL" \
  " ORDER BY g.created_at DESC, g.rowid DESC LIMIT 50"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return v[n / 2];
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Rows like the pipeline writes, for N_GENERATIONS generations, in one transaction (filling
 * through the API would take minutes of fsyncs and measure nothing the figures ask for). */
static void
fill (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *gen, *msg, *clip, *use, *qual;
  g_autoptr(GError) error = NULL;
  gint64 t0 = 1700000000LL * G_USEC_PER_SEC;
  const char *story = "{\"title\": \"Refill the planet\", \"beats\": [{\"beat\": \"Attention\","
                      " \"text\": \"A hiker finds the last clean stream.\"}, {\"beat\": "
                      "\"Interest\", \"text\": \"The bottle filters it.\"}, {\"beat\": \"Desire"
                      "\", \"text\": \"Cold for 24 hours.\"}, {\"beat\": \"Action\", \"text\": "
                      "\"Order today.\"}]}";

  g_assert (sqlite3_open (path, &db) == SQLITE_OK);
  if (!admint_store_schema_migrate (db, ADMINT_STORE_SCHEMA_VERSION, &error))
    g_error ("%s", error->message);
  exec_or_die (db, "PRAGMA journal_mode = WAL; BEGIN");
  sqlite3_prepare_v2 (db, "INSERT INTO generations (id, prompt, framework, status, story_json,"
                      " story_score, scenes_json, final_video_path, quality_score, created_at,"
                      " updated_at, completed_at) VALUES (?, ?, 'AIDA', 'completed', ?, 8.5, ?,"
                      " ?, ?, ?, ?, ?)", -1, &gen, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO messages (generation_id, role, kind, body, created_at)"
                      " VALUES (?, ?, ?, ?, ?)", -1, &msg, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO clips (generation_id, scene_index, version, provider,"
                      " prediction_id, status, local_path, duration, cost_usd, created_at,"
                      " updated_at) VALUES (?, ?, 1, 'replicate', ?, 'done', ?, 4.0, 0.5, ?, ?)",
                      -1, &clip, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO usage (provider, model, operation, units, cost_usd,"
                      " generation_id, created_at) VALUES ('openai', 'gpt-4o', 'chat', 3000,"
                      " 0.03, ?, ?)", -1, &use, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO quality_metrics (generation_id, clip_index,"
                      " subject_consistency, background_consistency, temporal_flickering,"
                      " motion_smoothness, dynamic_degree, aesthetic_quality, imaging_quality,"
                      " quality_score, scored_at, scoring_seconds) VALUES (?, NULL, 0.95, 0.94,"
                      " 0.97, 0.98, 0.4, 0.6, 0.65, ?, ?, 3.2)", -1, &qual, NULL);

  for (int i = 0; i < N_GENERATIONS; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *prompt = g_strdup_printf ("30-second ad number %d for an eco-friendly "
                                                 "water bottle, upbeat, outdoors", i);
      g_autofree char *video = g_strdup_printf ("/home/u/.local/share/admint/media/%s.mp4", id);
      gint64 t = t0 + (gint64) i * 60 * G_USEC_PER_SEC;

      sqlite3_bind_text (gen, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (gen, 2, prompt, -1, SQLITE_STATIC);
      sqlite3_bind_text (gen, 3, story, -1, SQLITE_STATIC);
      sqlite3_bind_text (gen, 4, story, -1, SQLITE_STATIC);
      sqlite3_bind_text (gen, 5, video, -1, SQLITE_STATIC);
      sqlite3_bind_double (gen, 6, 50 + i % 50);
      sqlite3_bind_int64 (gen, 7, t);
      sqlite3_bind_int64 (gen, 8, t);
      sqlite3_bind_int64 (gen, 9, t);
      g_assert (sqlite3_step (gen) == SQLITE_DONE);
      sqlite3_reset (gen);

      for (int m = 0; m < N_MESSAGES; m++)
        {
          sqlite3_bind_text (msg, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_text (msg, 2, m % 2 ? "director" : "user", -1, SQLITE_STATIC);
          sqlite3_bind_text (msg, 3, m % 2 ? "story" : "text", -1, SQLITE_STATIC);
          sqlite3_bind_text (msg, 4, m % 2 ? story : "{\"text\": \"make it greener\"}", -1,
                             SQLITE_STATIC);
          sqlite3_bind_int64 (msg, 5, t + m);
          g_assert (sqlite3_step (msg) == SQLITE_DONE);
          sqlite3_reset (msg);
        }
      for (int c = 0; c < N_CLIPS; c++)
        {
          g_autofree char *pred = g_strdup_printf ("pred-%d-%d", i, c);
          g_autofree char *local = g_strdup_printf ("/home/u/.local/share/admint/media/%s-%d.mp4",
                                                    id, c);
          sqlite3_bind_text (clip, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_int (clip, 2, c);
          sqlite3_bind_text (clip, 3, pred, -1, SQLITE_STATIC);
          sqlite3_bind_text (clip, 4, local, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (clip, 5, t);
          sqlite3_bind_int64 (clip, 6, t);
          g_assert (sqlite3_step (clip) == SQLITE_DONE);
          sqlite3_reset (clip);
        }
      sqlite3_bind_text (use, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (use, 2, t);
      g_assert (sqlite3_step (use) == SQLITE_DONE);
      sqlite3_reset (use);
      sqlite3_bind_text (qual, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_double (qual, 2, 50 + i % 50);
      sqlite3_bind_int64 (qual, 3, t);
      g_assert (sqlite3_step (qual) == SQLITE_DONE);
      sqlite3_reset (qual);
    }
  exec_or_die (db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_finalize (gen);
  sqlite3_finalize (msg);
  sqlite3_finalize (clip);
  sqlite3_finalize (use);
  sqlite3_finalize (qual);
  sqlite3_close (db);
}

/* The peer: the same query on a bare connection, no store thread, no row objects. */
static double
raw_list_ms (const char *path,
             gboolean    use_index)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  const char *sql = use_index ? LIST_SQL ("") : LIST_SQL ("NOT INDEXED");
  double runs[N_RUNS];
  int rows = 0;

  sqlite3_open (path, &db);
  sqlite3_prepare_v2 (db, sql, -1, &st, NULL);
  for (int r = 0; r < N_RUNS; r++)
    {
      gint64 t = g_get_monotonic_time ();
      rows = 0;
      while (sqlite3_step (st) == SQLITE_ROW)
        rows++;
      sqlite3_reset (st);
      runs[r] = (g_get_monotonic_time () - t) / 1000.0;
    }
  g_assert (rows == 50);
  sqlite3_finalize (st);
  sqlite3_close (db);
  return median (runs, N_RUNS);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("admint-bench-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "admint.db", NULL);
  double open_runs[N_RUNS], list_runs[N_RUNS], first_list = 0, write_ms;
  GStatBuf sb;
  gint64 t;

  g_assert_no_error (error);
  printf ("Filling %d generations (%d messages, %d clips, 1 usage row, 1 score each)…\n",
          N_GENERATIONS, N_MESSAGES, N_CLIPS);
  t = g_get_monotonic_time ();
  fill (path);
  printf ("  filled in %.1f s (raw SQLite, one transaction)\n",
          (g_get_monotonic_time () - t) / 1e6);
  g_assert (g_stat (path, &sb) == 0);

  for (int r = 0; r < N_RUNS; r++)
    {
      AdmintStore *store;
      g_autoptr(GListModel) list = NULL;

      t = g_get_monotonic_time ();
      store = admint_store_open (path, &error);
      open_runs[r] = (g_get_monotonic_time () - t) / 1000.0;
      g_assert_no_error (error);

      t = g_get_monotonic_time ();
      list = admint_store_list_generations (store, 0, 50, &error);
      list_runs[r] = (g_get_monotonic_time () - t) / 1000.0;
      g_assert_no_error (error);
      g_assert (g_list_model_get_n_items (list) == 50);
      if (r == 0)
        first_list = list_runs[0];
      g_object_unref (store);
    }

  /* What one generation's writes cost through the API (each call one durable commit). */
  {
    AdmintStore *store = admint_store_open (path, &error);
    const int n = 50;
    double dims[ADMINT_QUALITY_N_DIMENSIONS] = { 0.9, 0.9, 0.9, 0.9, 0.4, 0.6, 0.6 };

    t = g_get_monotonic_time ();
    for (int i = 0; i < n; i++)
      {
        g_autofree char *id = admint_store_create_generation (store, "bench", "AIDA", NULL, NULL,
                                                              &error);
        for (int m = 0; m < N_MESSAGES; m++)
          admint_store_add_message (store, id, "user", "text", "{\"text\": \"x\"}", &error);
        for (int c = 0; c < N_CLIPS; c++)
          {
            admint_store_add_clip_version (store, id, c, "local", &error);
            admint_store_update_clip (store, id, c, 1, "done", "/tmp/x.mp4", 4, 0, NULL, &error);
          }
        admint_store_save_quality (store, id, -1, dims, 70, 3, &error);
        g_assert_no_error (error);
      }
    write_ms = (g_get_monotonic_time () - t) / 1000.0 / n;
    g_object_unref (store);
  }

  printf ("\nStore with %d generations (%s)\n", N_GENERATIONS, path);
  printf ("  open (admint_store_open, migrations checked)   median %.2f ms over %d runs\n",
          median (open_runs, N_RUNS), N_RUNS);
  printf ("  list newest 50 with scores and costs (store)   median %.3f ms, first %.3f ms "
          "(aim < 10 ms)\n", median (list_runs, N_RUNS), first_list);
  printf ("  peer: same query, bare sqlite3 connection      median %.3f ms\n",
          raw_list_ms (path, TRUE));
  printf ("  peer: same query, NOT INDEXED (full sort)      median %.3f ms\n",
          raw_list_ms (path, FALSE));
  printf ("  database size                                  %.1f MB, %.0f bytes per generation\n",
          sb.st_size / 1e6, (double) sb.st_size / N_GENERATIONS);
  printf ("  API writes of one generation (%d commits)      %.1f ms\n",
          2 + N_MESSAGES + 2 * N_CLIPS, write_ms);

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return 0;
}
