/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's log of Replicate predictions (schema step 7) and usage recorded once an item. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <sqlite3.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-worker-private.h"

/* ------------------------------------------------------------------------------------------ */
/* A create request, before it is sent and once it is answered                                 */

static gboolean
job_begin_prediction (StoreWorker  *w,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO predictions (generation_id, model, input_hash, started_at, state, updated_at)"
    " VALUES (?, ?, ?, ?, 'creating', ?)", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  store_bind_text (st, 2, a->s[1]);
  store_bind_text (st, 3, a->s[2]);
  sqlite3_bind_int64 (st, 4, a->i[0]);
  sqlite3_bind_int64 (st, 5, a->i[0]);
  if (!store_step_done (w, st, "record the start of a prediction", error))
    return FALSE;
  *result = g_memdup2 (&(gint64) { sqlite3_last_insert_rowid (w->db) }, sizeof (gint64));
  return TRUE;
}

gint64
admint_store_begin_prediction (AdmintStore  *self,
                               const char   *generation_id,
                               const char   *model,
                               const char   *input_hash,
                               gint64        started_at,
                               GError      **error)
{
  Args a = { .s = { generation_id, model, input_hash }, .i = { started_at } };
  g_autofree gint64 *row = NULL;

  g_return_val_if_fail (ADMINT_IS_STORE (self), 0);
  g_return_val_if_fail (model != NULL && input_hash != NULL, 0);

  row = store_run_sync_pointer (self, job_begin_prediction, &a, error);
  return row ? *row : 0;
}

static gboolean
job_prediction_created (StoreWorker  *w,
                        gpointer      data,
                        gpointer     *result,
                        GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE predictions SET prediction_id = ?, state = ?, updated_at = ? WHERE row_id = ?",
    error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  store_bind_text (st, 2, a->s[0] != NULL ? "created" : "not-created");
  sqlite3_bind_int64 (st, 3, g_get_real_time ());
  sqlite3_bind_int64 (st, 4, a->i[0]);
  return store_step_done (w, st, "record the prediction's id", error);
}

gboolean
admint_store_set_prediction_created (AdmintStore  *self,
                                     gint64        row,
                                     const char   *prediction_id,
                                     GError      **error)
{
  Args a = { .s = { prediction_id }, .i = { row } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (row > 0, FALSE);

  return store_run_sync (self, job_prediction_created, &a, NULL, error);
}

static gboolean
job_prediction_ended (StoreWorker  *w,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE predictions SET state = 'ended', updated_at = ?"
    " WHERE prediction_id = ? AND state = 'created'", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, g_get_real_time ());
  store_bind_text (st, 2, a->s[0]);
  return store_step_done (w, st, "record the end of a prediction", error);
}

gboolean
admint_store_set_prediction_ended (AdmintStore  *self,
                                   const char   *prediction_id,
                                   GError      **error)
{
  Args a = { .s = { prediction_id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (prediction_id != NULL, FALSE);

  return store_run_sync (self, job_prediction_ended, &a, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Creates whose answer was lost                                                               */

static gboolean
job_lost_creates (StoreWorker  *w,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  Args *a = data;
  AdmintStoreLostCreates *lost = g_new0 (AdmintStoreLostCreates, 1);
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *st = store_stmt (w,
    "SELECT state, prediction_id, started_at FROM predictions"
    " WHERE generation_id IS ? AND model = ? AND input_hash = ? ORDER BY started_at", error);
  int rc;

  if (st == NULL)
    {
      g_free (lost);
      return FALSE;
    }
  store_bind_text (st, 1, a->s[0]);
  store_bind_text (st, 2, a->s[1]);
  store_bind_text (st, 3, a->s[2]);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      const char *state = store_column_text (st, 0);
      const char *id = store_column_text (st, 1);

      if (id != NULL)
        {
          g_ptr_array_add (known, g_strdup (id));
          /* Made and not over, but maybe never told to its owner (a kill between the two
           * commits): the newest such is followed rather than made again. */
          if (g_strcmp0 (state, "created") == 0)
            {
              g_free (lost->unfinished_id);
              lost->unfinished_id = g_strdup (id);
            }
        }
      else if (g_strcmp0 (state, "creating") == 0)
        {
          if (lost->count++ == 0)
            lost->earliest_started = sqlite3_column_int64 (st, 2);
        }
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      admint_store_lost_creates_free (lost);
      return store_db_fail (w, error, "read the predictions started");
    }
  g_ptr_array_add (known, NULL);
  lost->known_ids = (char **) g_ptr_array_steal (known, NULL);
  *result = lost;
  return TRUE;
}

AdmintStoreLostCreates *
admint_store_find_lost_creates (AdmintStore  *self,
                                const char   *generation_id,
                                const char   *model,
                                const char   *input_hash,
                                GError      **error)
{
  Args a = { .s = { generation_id, model, input_hash } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (model != NULL && input_hash != NULL, NULL);

  return store_run_sync_pointer (self, job_lost_creates, &a, error);
}

void
admint_store_lost_creates_free (AdmintStoreLostCreates *lost)
{
  if (lost == NULL)
    return;
  g_strfreev (lost->known_ids);
  g_free (lost->unfinished_id);
  g_free (lost);
}

static gboolean
job_settle_lost_creates (StoreWorker  *w,
                         gpointer      data,
                         gpointer     *result,
                         GError      **error)
{
  Args *a = data;
  gint64 now = g_get_real_time ();
  sqlite3_stmt *st;

  if (!store_begin (w, error))
    return FALSE;
  if (a->s[3] != NULL)
    {
      /* The earliest lost create made the prediction found. */
      st = store_stmt (w,
        "UPDATE predictions SET prediction_id = ?, state = 'created', updated_at = ?"
        " WHERE row_id = (SELECT row_id FROM predictions WHERE generation_id IS ? AND model = ?"
        " AND input_hash = ? AND state = 'creating' ORDER BY started_at LIMIT 1)", error);
      if (st == NULL)
        return store_rollback (w);
      store_bind_text (st, 1, a->s[3]);
      sqlite3_bind_int64 (st, 2, now);
      store_bind_text (st, 3, a->s[0]);
      store_bind_text (st, 4, a->s[1]);
      store_bind_text (st, 5, a->s[2]);
      if (!store_step_done (w, st, "record the prediction found", error))
        return store_rollback (w);
    }
  st = store_stmt (w,
    "UPDATE predictions SET state = 'not-created', updated_at = ?"
    " WHERE generation_id IS ? AND model = ? AND input_hash = ? AND state = 'creating'", error);
  if (st == NULL)
    return store_rollback (w);
  sqlite3_bind_int64 (st, 1, now);
  store_bind_text (st, 2, a->s[0]);
  store_bind_text (st, 3, a->s[1]);
  store_bind_text (st, 4, a->s[2]);
  if (!store_step_done (w, st, "settle the lost creates", error) || !store_commit (w, error))
    return store_rollback (w);
  return TRUE;
}

gboolean
admint_store_settle_lost_creates (AdmintStore  *self,
                                  const char   *generation_id,
                                  const char   *model,
                                  const char   *input_hash,
                                  const char   *found_id,
                                  GError      **error)
{
  Args a = { .s = { generation_id, model, input_hash, found_id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (model != NULL && input_hash != NULL, FALSE);

  return store_run_sync (self, job_settle_lost_creates, &a, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Usage once an item, and the outputs a prediction was downloaded to                          */

static gboolean
insert_usage_once (StoreWorker  *w,
                   const Args   *a,
                   gboolean     *added,
                   GError      **error)
{
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO usage (provider, model, operation, units, cost_usd, generation_id, created_at,"
    " paid_item) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (paid_item)"
    " WHERE paid_item IS NOT NULL DO NOTHING", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  store_bind_text (st, 2, a->s[1]);
  store_bind_text (st, 3, a->s[2]);
  sqlite3_bind_double (st, 4, a->d[0]);
  sqlite3_bind_double (st, 5, a->d[1]);
  store_bind_text (st, 6, a->s[3]);
  sqlite3_bind_int64 (st, 7, g_get_real_time ());
  store_bind_text (st, 8, a->s[4]);
  if (!store_step_done (w, st, "record the usage", error))
    return FALSE;
  if (added != NULL)
    *added = sqlite3_changes (w->db) > 0;
  return TRUE;
}

static gboolean
job_record_usage_once (StoreWorker  *w,
                       gpointer      data,
                       gpointer     *result,
                       GError      **error)
{
  gboolean added = FALSE;

  if (!insert_usage_once (w, data, &added, error))
    return FALSE;
  *result = GINT_TO_POINTER (added ? 1 : 2);
  return TRUE;
}

static gboolean
check_usage (const char  *provider,
             const char  *operation,
             double       units,
             double       cost_usd,
             GError     **error)
{
  if (!(units >= 0) || !(cost_usd >= 0))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Usage of %s %s must have units and a cost of 0 or more (got %g and %g)."),
                   provider, operation, units, cost_usd);
      return FALSE;
    }
  return TRUE;
}

gboolean
admint_store_record_usage_once (AdmintStore  *self,
                                const char   *paid_item,
                                const char   *provider,
                                const char   *model,
                                const char   *operation,
                                double        units,
                                double        cost_usd,
                                const char   *generation_id,
                                gboolean     *added,
                                GError      **error)
{
  Args a = { .s = { provider, model, operation, generation_id, paid_item },
             .d = { units, cost_usd } };
  gpointer answer = NULL;

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (paid_item != NULL, FALSE);
  g_return_val_if_fail (provider != NULL && model != NULL && operation != NULL, FALSE);

  if (!check_usage (provider, operation, units, cost_usd, error))
    return FALSE;
  if (!store_run_sync (self, job_record_usage_once, &a, &answer, error))
    return FALSE;
  if (added != NULL)
    *added = GPOINTER_TO_INT (answer) == 1;
  return TRUE;
}

static gboolean
job_prediction_downloaded (StoreWorker  *w,
                           gpointer      data,
                           gpointer     *result,
                           GError      **error)
{
  Args *a = data;
  g_autofree char *item = g_strconcat ("replicate:", a->s[5], NULL);
  Args usage = *a;
  sqlite3_stmt *st;

  if (!store_begin (w, error))
    return FALSE;
  st = store_stmt (w,
    "INSERT INTO predictions (generation_id, model, input_hash, started_at, prediction_id,"
    " state, outputs_json, cost_usd, updated_at) VALUES (?, ?, '', ?, ?, 'downloaded', ?, ?, ?)"
    " ON CONFLICT (prediction_id) WHERE prediction_id IS NOT NULL DO UPDATE SET"
    " state = 'downloaded', outputs_json = excluded.outputs_json,"
    " cost_usd = excluded.cost_usd, updated_at = excluded.updated_at", error);
  if (st == NULL)
    return store_rollback (w);
  store_bind_text (st, 1, a->s[3]);
  store_bind_text (st, 2, a->s[1]);
  sqlite3_bind_int64 (st, 3, g_get_real_time ());
  store_bind_text (st, 4, a->s[5]);
  store_bind_text (st, 5, a->strv[0]);
  sqlite3_bind_double (st, 6, a->d[1]);
  sqlite3_bind_int64 (st, 7, g_get_real_time ());
  if (!store_step_done (w, st, "record the prediction's outputs", error))
    return store_rollback (w);
  usage.s[4] = item;
  if (!insert_usage_once (w, &usage, NULL, error) || !store_commit (w, error))
    return store_rollback (w);
  return TRUE;
}

static char *
files_to_json (const char * const *files)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    json_builder_add_string_value (b, files[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gboolean
admint_store_set_prediction_outputs (AdmintStore         *self,
                                     const char          *prediction_id,
                                     const char * const  *files,
                                     const char          *provider,
                                     const char          *model,
                                     const char          *operation,
                                     double               units,
                                     double               cost_usd,
                                     const char          *generation_id,
                                     GError             **error)
{
  g_autofree char *json = files_to_json (files);
  const char *strv[] = { json, NULL };
  Args a = { .s = { provider, model, operation, generation_id, NULL, prediction_id },
             .d = { units, cost_usd }, .strv = strv };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (prediction_id != NULL, FALSE);
  g_return_val_if_fail (provider != NULL && model != NULL && operation != NULL, FALSE);

  if (!check_usage (provider, operation, units, cost_usd, error))
    return FALSE;
  return store_run_sync (self, job_prediction_downloaded, &a, NULL, error);
}

typedef struct {
  char   *json;
  double  cost;
} StoredOutputs;

static gboolean
job_get_prediction_outputs (StoreWorker  *w,
                            gpointer      data,
                            gpointer     *result,
                            GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "SELECT outputs_json, cost_usd FROM predictions"
    " WHERE prediction_id = ? AND state = 'downloaded'", error);
  int rc;

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW && store_column_text (st, 0) != NULL)
    {
      StoredOutputs *out = g_new0 (StoredOutputs, 1);
      out->json = g_strdup (store_column_text (st, 0));
      out->cost = sqlite3_column_double (st, 1);
      *result = out;
    }
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return store_db_fail (w, error, "read the prediction's outputs");
  return TRUE;
}

char **
admint_store_get_prediction_outputs (AdmintStore  *self,
                                     const char   *prediction_id,
                                     double       *cost_usd,
                                     GError      **error)
{
  Args a = { .s = { prediction_id } };
  gpointer answer = NULL;
  g_autofree StoredOutputs *out = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  JsonNode *root;

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (prediction_id != NULL, NULL);

  if (!store_run_sync (self, job_get_prediction_outputs, &a, &answer, error) || answer == NULL)
    return NULL;
  out = answer;
  json = out->json;
  if (cost_usd != NULL)
    *cost_usd = out->cost;
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (root), i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (files, g_strdup (json_node_get_string (node)));
    }
  if (files->len == 0)
    return NULL;
  g_ptr_array_add (files, NULL);
  return (char **) g_ptr_array_steal (files, NULL);
}

static gboolean
job_move_prediction_output (StoreWorker  *w,
                            gpointer      data,
                            gpointer     *result,
                            GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE predictions SET outputs_json = (SELECT json_group_array(CASE WHEN value = ?"
    " THEN ? ELSE value END) FROM json_each(predictions.outputs_json)), updated_at = ?"
    " WHERE prediction_id = ? AND outputs_json IS NOT NULL", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[1]);
  store_bind_text (st, 2, a->s[2]);
  sqlite3_bind_int64 (st, 3, g_get_real_time ());
  store_bind_text (st, 4, a->s[0]);
  return store_step_done (w, st, "record where the prediction's output went", error);
}

gboolean
admint_store_move_prediction_output (AdmintStore  *self,
                                     const char   *prediction_id,
                                     const char   *from,
                                     const char   *to,
                                     GError      **error)
{
  Args a = { .s = { prediction_id, from, to } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (prediction_id != NULL && from != NULL && to != NULL, FALSE);

  return store_run_sync (self, job_move_prediction_output, &a, NULL, error);
}
