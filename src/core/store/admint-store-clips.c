/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's clip versions of a generation and their predictions. */
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
/* Clips                                                                                       */

static gboolean
job_add_clip_version (StoreWorker  *w,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  Args *a = data;
  gint64 now = g_get_real_time ();
  sqlite3_stmt *st;
  int version = 0;

  if (!store_begin (w, error))
    return FALSE;

  st = store_stmt (w,
    "SELECT coalesce(max(version), 0) + 1 FROM clips WHERE generation_id = ? AND scene_index = ?",
    error);
  if (st == NULL)
    return store_rollback (w);
  store_bind_text (st, 1, a->s[0]);
  sqlite3_bind_int64 (st, 2, a->i[0]);
  if (sqlite3_step (st) == SQLITE_ROW)
    version = sqlite3_column_int (st, 0);
  sqlite3_reset (st);
  if (version <= 0)
    {
      store_db_fail (w, error, "number the new clip");
      return store_rollback (w);
    }

  st = store_stmt (w,
    "INSERT INTO clips (generation_id, scene_index, version, provider, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return store_rollback (w);
  store_bind_text (st, 1, a->s[0]);
  sqlite3_bind_int64 (st, 2, a->i[0]);
  sqlite3_bind_int (st, 3, version);
  store_bind_text (st, 4, a->s[1]);
  sqlite3_bind_int64 (st, 5, now);
  sqlite3_bind_int64 (st, 6, now);
  if (!store_step_done (w, st, "record the new clip", error) || !store_commit (w, error))
    return store_rollback (w);
  *result = GINT_TO_POINTER (version);
  return TRUE;
}

int
admint_store_add_clip_version (AdmintStore  *self,
                               const char   *generation_id,
                               int           scene_index,
                               const char   *provider,
                               GError      **error)
{
  Args a = { .s = { generation_id, provider }, .i = { scene_index } };
  gpointer version = NULL;

  g_return_val_if_fail (ADMINT_IS_STORE (self), 0);
  g_return_val_if_fail (generation_id != NULL, 0);
  g_return_val_if_fail (provider != NULL, 0);
  g_return_val_if_fail (scene_index >= 0, 0);

  if (!store_run_sync (self, job_add_clip_version, &a, &version, error))
    return 0;
  return GPOINTER_TO_INT (version);
}

static gboolean
clip_updated (StoreWorker   *w,
              sqlite3_stmt  *st,
              Args          *a,
              GError       **error)
{
  if (!store_step_done (w, st, "update the clip", error))
    return FALSE;
  if (sqlite3_changes (w->db) == 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("Generation “%s” has no version %d of the clip of scene %d. Create it with "
                   "admint_store_add_clip_version first."),
                   a->s[0], (int) a->i[1], (int) a->i[0]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
job_set_clip_prediction (StoreWorker  *w,
                         gpointer      data,
                         gpointer     *result,
                         GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE clips SET prediction_id = ?, updated_at = ?"
    " WHERE generation_id = ? AND scene_index = ? AND version = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[1]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  store_bind_text (st, 3, a->s[0]);
  sqlite3_bind_int64 (st, 4, a->i[0]);
  sqlite3_bind_int64 (st, 5, a->i[1]);
  return clip_updated (w, st, a, error);
}

gboolean
admint_store_set_clip_prediction (AdmintStore  *self,
                                  const char   *generation_id,
                                  int           scene_index,
                                  int           version,
                                  const char   *prediction_id,
                                  GError      **error)
{
  Args a = { .s = { generation_id, prediction_id }, .i = { scene_index, version } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (generation_id != NULL, FALSE);
  g_return_val_if_fail (prediction_id != NULL, FALSE);

  return store_run_sync (self, job_set_clip_prediction, &a, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Reference images' predictions                                                               */

static gboolean
job_set_reference_prediction (StoreWorker  *w,
                              gpointer      data,
                              gpointer     *result,
                              GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO reference_predictions (generation_id, ref_index, attempt, prediction_id,"
    " prompt, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (generation_id, ref_index, attempt) DO UPDATE SET"
    " prediction_id = excluded.prediction_id, prompt = excluded.prompt,"
    " updated_at = excluded.updated_at",
    error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  sqlite3_bind_int64 (st, 2, a->i[0]);
  sqlite3_bind_int64 (st, 3, a->i[1]);
  store_bind_text (st, 4, a->s[1]);
  store_bind_text (st, 5, a->s[2]);
  sqlite3_bind_int64 (st, 6, g_get_real_time ());
  return store_step_done (w, st, "record the reference image's prediction", error);
}

gboolean
admint_store_set_reference_prediction (AdmintStore  *self,
                                       const char   *generation_id,
                                       int           ref_index,
                                       int           attempt,
                                       const char   *prompt,
                                       const char   *prediction_id,
                                       GError      **error)
{
  Args a = { .s = { generation_id, prediction_id, prompt }, .i = { ref_index, attempt } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (generation_id != NULL, FALSE);
  g_return_val_if_fail (prompt != NULL, FALSE);
  g_return_val_if_fail (prediction_id != NULL, FALSE);
  g_return_val_if_fail (ref_index >= 0 && attempt >= 0, FALSE);

  return store_run_sync (self, job_set_reference_prediction, &a, NULL, error);
}

static gboolean
job_get_reference_prediction (StoreWorker  *w,
                              gpointer      data,
                              gpointer     *result,
                              GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "SELECT prediction_id FROM reference_predictions"
    " WHERE generation_id = ? AND ref_index = ? AND attempt = ? AND prompt = ?", error);
  int rc;

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  sqlite3_bind_int64 (st, 2, a->i[0]);
  sqlite3_bind_int64 (st, 3, a->i[1]);
  store_bind_text (st, 4, a->s[1]);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    *result = g_strdup (store_column_text (st, 0));
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      store_db_fail (w, error, "read the reference image's prediction");
      return FALSE;
    }
  return TRUE;
}

char *
admint_store_get_reference_prediction (AdmintStore  *self,
                                       const char   *generation_id,
                                       int           ref_index,
                                       int           attempt,
                                       const char   *prompt,
                                       GError      **error)
{
  Args a = { .s = { generation_id, prompt }, .i = { ref_index, attempt } };
  gpointer id = NULL;

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (generation_id != NULL, NULL);
  g_return_val_if_fail (prompt != NULL, NULL);

  if (!store_run_sync (self, job_get_reference_prediction, &a, &id, error))
    return NULL;
  return id;
}

static gboolean
job_update_clip (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE clips SET status = ?, local_path = coalesce(?, local_path),"
    " duration = coalesce(?, duration), cost_usd = coalesce(?, cost_usd),"
    " error_message = coalesce(?, error_message), updated_at = ?"
    " WHERE generation_id = ? AND scene_index = ? AND version = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[1]);
  store_bind_text (st, 2, a->s[2]);
  store_bind_optional_double (st, 3, a->d[0]);
  store_bind_optional_double (st, 4, a->d[1]);
  store_bind_text (st, 5, a->s[3]);
  sqlite3_bind_int64 (st, 6, g_get_real_time ());
  store_bind_text (st, 7, a->s[0]);
  sqlite3_bind_int64 (st, 8, a->i[0]);
  sqlite3_bind_int64 (st, 9, a->i[1]);
  return clip_updated (w, st, a, error);
}

gboolean
admint_store_update_clip (AdmintStore  *self,
                          const char   *generation_id,
                          int           scene_index,
                          int           version,
                          const char   *status,
                          const char   *local_path,
                          double        duration,
                          double        cost_usd,
                          const char   *error_message,
                          GError      **error)
{
  Args a = {
    .s = { generation_id, status, local_path, error_message },
    .d = { duration, cost_usd },
    .i = { scene_index, version },
  };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (generation_id != NULL, FALSE);
  g_return_val_if_fail (status != NULL && *status != '\0', FALSE);

  return store_run_write (self, job_update_clip, &a, error);
}
