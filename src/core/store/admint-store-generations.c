/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's generation rows: creating, updating, costing and deleting them. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <sqlite3.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-rows-private.h"
#include "admint-store-worker-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Argument checks (caller's thread)                                                           */

static const char * const generation_statuses[] = {
  "pending", "story", "references", "scenes", "clips", "stitching", "scoring", "completed",
  "partial", "failed", "cancelled", NULL
};

/* ------------------------------------------------------------------------------------------ */
/* Generations                                                                                 */

static gboolean
job_create_generation (StoreWorker  *w,
                       gpointer      data,
                       gpointer     *result,
                       GError      **error)
{
  Args *a = data;
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = g_get_real_time ();
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO generations (id, prompt, framework, config_snapshot, assets_json, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, id);
  store_bind_text (st, 2, a->s[0]);
  store_bind_text (st, 3, a->s[1]);
  store_bind_text (st, 4, a->s[2] ? a->s[2] : "{}");
  store_bind_text (st, 5, a->s[3] ? a->s[3] : "[]");
  sqlite3_bind_int64 (st, 6, now);
  sqlite3_bind_int64 (st, 7, now);
  if (!store_step_done (w, st, "record the new generation", error))
    return FALSE;
  *result = g_steal_pointer (&id);
  return TRUE;
}

char *
admint_store_create_generation (AdmintStore  *self,
                                const char   *prompt,
                                const char   *framework,
                                const char   *config_snapshot_json,
                                const char   *assets_json,
                                GError      **error)
{
  Args a = { .s = { prompt, framework, config_snapshot_json, assets_json } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (prompt != NULL, NULL);

  if (!store_check_json (config_snapshot_json, "config snapshot", error) ||
            !store_check_json (assets_json, "list of assets", error))
    return NULL;
  return store_run_sync_pointer (self, job_create_generation, &a, error);
}

gboolean
store_update_generation (StoreWorker   *w,
                         sqlite3_stmt  *st,
                         const char    *id,
                         const char    *what,
                         GError       **error)
{
  if (!store_step_done (w, st, what, error))
    return FALSE;
  if (sqlite3_changes (w->db) == 0)
    return store_not_found (error, "generation", id);
  return TRUE;
}

static gboolean
job_update_status (StoreWorker  *w,
                   gpointer      data,
                   gpointer     *result,
                   GError      **error)
{
  Args *a = data;
  gint64 now = g_get_real_time ();
  const char *status = a->s[1];
  gboolean final = g_str_equal (status, "completed") || g_str_equal (status, "partial") ||
                   g_str_equal (status, "failed") || g_str_equal (status, "cancelled");
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE generations SET status = ?, stage = ?, error_message = ?, updated_at = ?,"
    " completed_at = coalesce(?, completed_at) WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, status);
  store_bind_text (st, 2, a->s[2]);
  store_bind_text (st, 3, a->s[3]);
  sqlite3_bind_int64 (st, 4, now);
  if (final)
    sqlite3_bind_int64 (st, 5, now);
  store_bind_text (st, 6, a->s[0]);
  return store_update_generation (w, st, a->s[0], "update the generation's status", error);
}

gboolean
admint_store_update_generation_status (AdmintStore  *self,
                                       const char   *id,
                                       const char   *status,
                                       const char   *stage,
                                       const char   *error_message,
                                       GError      **error)
{
  Args a = { .s = { id, status, stage, error_message } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!store_check_one_of (status, generation_statuses, "generation status", error))
    return FALSE;
  return store_run_write (self, job_update_status, &a, error);
}

static gboolean
job_set_json (StoreWorker  *w,
              gpointer      data,
              gpointer     *result,
              GError      **error)
{
  Args *a = data;
  const char *sql;
  sqlite3_stmt *st;

  /* One fixed statement per field: the column name never comes from the caller. */
  if (g_str_equal (a->s[1], "story"))
    sql = "UPDATE generations SET story_json = ?, updated_at = ? WHERE id = ?";
  else if (g_str_equal (a->s[1], "references"))
    sql = "UPDATE generations SET references_json = ?, updated_at = ? WHERE id = ?";
  else
    sql = "UPDATE generations SET scenes_json = ?, updated_at = ? WHERE id = ?";

  st = store_stmt (w, sql, error);
  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[2]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  store_bind_text (st, 3, a->s[0]);
  return store_update_generation (w, st, a->s[0], "save the generation's result", error);
}

gboolean
admint_store_set_generation_json (AdmintStore  *self,
                                  const char   *id,
                                  const char   *field,
                                  const char   *json,
                                  GError      **error)
{
  static const char * const fields[] = { "story", "references", "scenes", NULL };
  Args a = { .s = { id, field, json } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!store_check_one_of (field, fields, "generation JSON field", error) ||
            !store_check_json (json, field, error))
    return FALSE;
  return store_run_sync (self, job_set_json, &a, NULL, error);
}

static gboolean
job_set_story_score (StoreWorker  *w,
                     gpointer      data,
                     gpointer     *result,
                     GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE generations SET story_score = ?, updated_at = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_optional_double (st, 1, a->d[0]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  store_bind_text (st, 3, a->s[0]);
  return store_update_generation (w, st, a->s[0], "save the story's score", error);
}

gboolean
admint_store_set_story_score (AdmintStore  *self,
                              const char   *id,
                              double        score,
                              GError      **error)
{
  Args a = { .s = { id }, .d = { score } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return store_run_sync (self, job_set_story_score, &a, NULL, error);
}

static gboolean
job_set_final_video (StoreWorker  *w,
                     gpointer      data,
                     gpointer     *result,
                     GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE generations SET final_video_path = ?, quality_score = coalesce(?, quality_score),"
    " updated_at = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[1]);
  store_bind_optional_double (st, 2, a->d[0]);
  sqlite3_bind_int64 (st, 3, g_get_real_time ());
  store_bind_text (st, 4, a->s[0]);
  return store_update_generation (w, st, a->s[0], "save the final video", error);
}

gboolean
admint_store_set_final_video (AdmintStore  *self,
                              const char   *id,
                              const char   *path,
                              double        quality_score,
                              GError      **error)
{
  Args a = { .s = { id, path }, .d = { quality_score } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return store_run_sync (self, job_set_final_video, &a, NULL, error);
}

static gboolean
job_soft_delete (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE generations SET deleted_at = coalesce(deleted_at, ?) WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, g_get_real_time ());
  store_bind_text (st, 2, a->s[0]);
  return store_update_generation (w, st, a->s[0], "delete the generation", error);
}

gboolean
admint_store_soft_delete_generation (AdmintStore  *self,
                                     const char   *id,
                                     GError      **error)
{
  Args a = { .s = { id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return store_run_sync (self, job_soft_delete, &a, NULL, error);
}

static gboolean
job_has_generation (StoreWorker  *w,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "SELECT deleted_at IS NULL FROM generations WHERE id = ?", error);
  int rc;

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    *result = GINT_TO_POINTER (a->i[0] || sqlite3_column_int (st, 0));
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return store_db_fail (w, error, "look the generation up");
  return TRUE;
}

gboolean
admint_store_has_generation (AdmintStore  *self,
                             const char   *id,
                             gboolean      include_deleted,
                             GError      **error)
{
  Args a = { .s = { id }, .i = { include_deleted } };
  gpointer found = NULL;

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!store_run_sync (self, job_has_generation, &a, &found, error))
    return FALSE;
  return GPOINTER_TO_INT (found);
}

static gboolean
job_generation_cost (StoreWorker  *w,
                     gpointer      data,
                     gpointer     *result,
                     GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "SELECT total(cost_usd) FROM usage WHERE generation_id = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  if (sqlite3_step (st) == SQLITE_ROW)
    a->d[0] = sqlite3_column_double (st, 0);
  else
    return store_db_fail (w, error, "sum the generation's cost");
  sqlite3_reset (st);
  return TRUE;
}

double
admint_store_get_generation_cost (AdmintStore  *self,
                                  const char   *id,
                                  GError      **error)
{
  Args a = { .s = { id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), -1);
  g_return_val_if_fail (id != NULL, -1);

  if (!store_run_sync (self, job_generation_cost, &a, NULL, error))
    return -1;
  return a.d[0];
}

/* job_generation_cost for an owned id, its answer a newly allocated double. */
static gboolean
job_generation_cost_owned (StoreWorker  *w,
                           gpointer      data,
                           gpointer     *result,
                           GError      **error)
{
  Args a = { .s = { data } };

  if (!job_generation_cost (w, &a, NULL, error))
    return FALSE;
  *result = g_memdup2 (&a.d[0], sizeof a.d[0]);
  return TRUE;
}

void
admint_store_get_generation_cost_async (AdmintStore         *self,
                                        const char          *id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_STORE (self));
  g_return_if_fail (id != NULL);

  store_run_async (self, job_generation_cost_owned, g_strdup (id), g_free, g_free,
                   admint_store_get_generation_cost_async, cancellable, callback, user_data);
}

double
admint_store_get_generation_cost_finish (AdmintStore   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_autofree double *cost = store_finish_pointer (self, result,
                                                  admint_store_get_generation_cost_async, error);

  return cost != NULL ? *cost : -1;
}
