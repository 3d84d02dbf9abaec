/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's usage (cost) records and quality scores. */
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
/* Usage and quality                                                                           */

static const char * const dimension_names[] = {
  "subject_consistency", "background_consistency", "temporal_flickering", "motion_smoothness",
  "dynamic_degree", "aesthetic_quality", "imaging_quality",
};
G_STATIC_ASSERT (G_N_ELEMENTS (dimension_names) == ADMINT_QUALITY_N_DIMENSIONS);

const char *
admint_quality_dimension_name (AdmintQualityDimension dimension)
{
  g_return_val_if_fail (dimension < ADMINT_QUALITY_N_DIMENSIONS, NULL);
  return dimension_names[dimension];
}

static gboolean
job_record_usage (StoreWorker  *w,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO usage (provider, model, operation, units, cost_usd, generation_id, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  store_bind_text (st, 2, a->s[1]);
  store_bind_text (st, 3, a->s[2]);
  sqlite3_bind_double (st, 4, a->d[0]);
  sqlite3_bind_double (st, 5, a->d[1]);
  store_bind_text (st, 6, a->s[3]);
  sqlite3_bind_int64 (st, 7, g_get_real_time ());
  return store_step_done (w, st, "record the usage", error);
}

gboolean
admint_store_record_usage (AdmintStore  *self,
                           const char   *provider,
                           const char   *model,
                           const char   *operation,
                           double        units,
                           double        cost_usd,
                           const char   *generation_id,
                           GError      **error)
{
  Args a = { .s = { provider, model, operation, generation_id }, .d = { units, cost_usd } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (provider != NULL && model != NULL && operation != NULL, FALSE);

  if (!(units >= 0) || !(cost_usd >= 0))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Usage of %s %s must have units and a cost of 0 or more (got %g and %g)."),
                   provider, model, units, cost_usd);
      return FALSE;
    }
  /* A line with a cost is part of the budget the next payment is checked against: it waits. */
  if (cost_usd > 0)
    return store_run_sync (self, job_record_usage, &a, NULL, error);
  return store_run_write (self, job_record_usage, &a, error);
}

static gboolean
job_save_quality (StoreWorker  *w,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  Args *a = data;
  const int n = ADMINT_QUALITY_N_DIMENSIONS;
  sqlite3_stmt *st;

  if (!store_begin (w, error))
    return FALSE;

  st = store_stmt (w,
    "DELETE FROM quality_metrics WHERE generation_id = ? AND clip_index IS ?", error);
  if (st == NULL)
    return store_rollback (w);
  store_bind_text (st, 1, a->s[0]);
  if (a->i[0] >= 0)
    sqlite3_bind_int64 (st, 2, a->i[0]);
  if (!store_step_done (w, st, "replace the earlier score", error))
    return store_rollback (w);

  st = store_stmt (w,
    "INSERT INTO quality_metrics (generation_id, clip_index, subject_consistency,"
    " background_consistency, temporal_flickering, motion_smoothness, dynamic_degree,"
    " aesthetic_quality, imaging_quality, quality_score, scored_at, scoring_seconds)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return store_rollback (w);
  store_bind_text (st, 1, a->s[0]);
  if (a->i[0] >= 0)
    sqlite3_bind_int64 (st, 2, a->i[0]);
  for (int d = 0; d < n; d++)
    store_bind_optional_double (st, 3 + d, a->d[d]);
  store_bind_optional_double (st, 3 + n, a->d[n]);
  sqlite3_bind_int64 (st, 4 + n, g_get_real_time ());
  store_bind_optional_double (st, 5 + n, a->d[n + 1]);
  if (!store_step_done (w, st, "save the quality scores", error))
    return store_rollback (w);

  if (a->i[0] < 0)
    {
      st = store_stmt (w,
        "UPDATE generations SET quality_score = ?, updated_at = ? WHERE id = ?", error);
      if (st == NULL)
        return store_rollback (w);
      store_bind_optional_double (st, 1, a->d[n]);
      sqlite3_bind_int64 (st, 2, g_get_real_time ());
      store_bind_text (st, 3, a->s[0]);
      if (!store_step_done (w, st, "save the video's score", error))
        return store_rollback (w);
    }
  if (!store_commit (w, error))
    return store_rollback (w);
  return TRUE;
}

gboolean
admint_store_save_quality (AdmintStore  *self,
                           const char   *generation_id,
                           int           clip_index,
                           const double  dims[ADMINT_QUALITY_N_DIMENSIONS],
                           double        quality_score,
                           double        scoring_seconds,
                           GError      **error)
{
  Args a = { .s = { generation_id }, .i = { clip_index } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (generation_id != NULL, FALSE);
  g_return_val_if_fail (dims != NULL, FALSE);

  for (int d = 0; d < ADMINT_QUALITY_N_DIMENSIONS; d++)
    {
      if (dims[d] > 1.0)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("The %s score %g is outside [0, 1]; VBench dimensions are in [0, 1]."),
                       dimension_names[d], dims[d]);
          return FALSE;
        }
      a.d[d] = dims[d];
    }
  if (quality_score > 100)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The quality score %g is outside [0, 100]."), quality_score);
      return FALSE;
    }
  a.d[ADMINT_QUALITY_N_DIMENSIONS] = quality_score;
  a.d[ADMINT_QUALITY_N_DIMENSIONS + 1] = scoring_seconds;
  return store_run_write (self, job_save_quality, &a, error);
}
