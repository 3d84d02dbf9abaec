/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's listing of generations and the JSON of one generation, all of it. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-rows-private.h"
#include "admint-store-worker-private.h"

/* ---- listing ---- */

typedef struct
{
  guint offset;
  int   limit;
} ListArgs;

static gpointer
generation_from_row (sqlite3_stmt  *st,
                     gconstpointer  data)
{
  AdmintGenerationRow *row;

  row = admint_generation_row_new (store_column_text (st, 0), sqlite3_column_int64 (st, 1),
                                   store_column_text (st, 2), store_column_text (st, 3),
                                   store_column_optional_double (st, 4),
                                   sqlite3_column_double (st, 5));
  admint_generation_row_set_variant (row, store_column_text (st, 6), store_column_text (st, 7),
                                     store_column_text (st, 9), sqlite3_column_int (st, 8) != 0);
  return row;
}

static gboolean
job_list_generations (StoreWorker  *w,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  ListArgs *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "SELECT g.id, g.created_at, g.prompt, g.status,"
    " coalesce(g.quality_score, (SELECT q.quality_score FROM quality_metrics q"
    "   WHERE q.generation_id = g.id AND q.clip_index IS NULL"
    "   ORDER BY q.scored_at DESC LIMIT 1)),"
    " (SELECT total(u.cost_usd) FROM usage u WHERE u.generation_id = g.id),"
    " g.name,"
    " (SELECT min(m.group_id) FROM generation_group_members m WHERE m.generation_id = g.id),"
    " EXISTS (SELECT 1 FROM generation_groups w WHERE w.winner_id = g.id),"
    " (SELECT m.variant FROM generation_group_members m WHERE m.generation_id = g.id"
    "  ORDER BY m.group_id LIMIT 1)"
    " FROM generations g WHERE g.deleted_at IS NULL"
    " ORDER BY g.created_at DESC, g.rowid DESC LIMIT ? OFFSET ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, a->limit > 0 ? a->limit : -1);
  sqlite3_bind_int64 (st, 2, a->offset);
  return store_collect_rows (w, st, ADMINT_TYPE_GENERATION_ROW, generation_from_row, NULL,
                             "list the generations", result, error);
}

GListModel *
admint_store_list_generations (AdmintStore  *self,
                               guint         offset,
                               int           limit,
                               GError      **error)
{
  ListArgs a = { offset, limit };

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  return store_run_sync_pointer (self, job_list_generations, &a, error);
}

void
admint_store_list_generations_async (AdmintStore         *self,
                                     guint                offset,
                                     int                  limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ListArgs *a;

  g_return_if_fail (ADMINT_IS_STORE (self));

  a = g_new0 (ListArgs, 1);
  a->offset = offset;
  a->limit = limit;
  store_run_async (self, job_list_generations, a, g_free, g_object_unref,
                   admint_store_list_generations_async, cancellable, callback, user_data);
}

GListModel *
admint_store_list_generations_finish (AdmintStore   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return store_finish_pointer (self, result, admint_store_list_generations_async, error);
}

/* ---- one generation, all of it ---- */

static void
add_time (JsonBuilder *b,
          const char  *name,
          sqlite3_stmt *st,
          int          col)
{
  json_builder_set_member_name (b, name);
  if (sqlite3_column_type (st, col) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    {
      g_autofree char *text = admint_store_format_time (sqlite3_column_int64 (st, col));
      json_builder_add_string_value (b, text);
    }
}

/* Adds column col as name, typed as it is stored; stored JSON is parsed when json is TRUE. */
static void
add_column (JsonBuilder  *b,
            const char   *name,
            sqlite3_stmt *st,
            int           col,
            gboolean      json)
{
  json_builder_set_member_name (b, name);
  switch (sqlite3_column_type (st, col))
    {
    case SQLITE_NULL:
      json_builder_add_null_value (b);
      break;
    case SQLITE_INTEGER:
      json_builder_add_int_value (b, sqlite3_column_int64 (st, col));
      break;
    case SQLITE_FLOAT:
      json_builder_add_double_value (b, sqlite3_column_double (st, col));
      break;
    default:
      if (json)
        {
          JsonNode *node = json_from_string (store_column_text (st, col), NULL);
          if (node != NULL)
            {
              json_builder_add_value (b, node);
              break;
            }
        }
      json_builder_add_string_value (b, store_column_text (st, col));
    }
}

/* The columns of st's current row as members of the open object; columns named by names, where
 * a name ending in '@' is a timestamp, one ending in '$' is stored JSON and one ending in '?' is
 * a boolean. */
static void
add_columns (JsonBuilder         *b,
             sqlite3_stmt        *st,
             const char * const  *names)
{
  for (int c = 0; names[c] != NULL; c++)
    {
      gsize len = strlen (names[c]);
      g_autofree char *name = g_strndup (names[c], len - 1);
      char last = names[c][len - 1];

      if (last == '@')
        add_time (b, name, st, c);
      else if (last == '$')
        add_column (b, name, st, c, TRUE);
      else if (last == '?')
        {
          json_builder_set_member_name (b, name);
          json_builder_add_boolean_value (b, sqlite3_column_int (st, c) != 0);
        }
      else
        add_column (b, names[c], st, c, FALSE);
    }
}

/* Every row of st (with id bound) as an array of objects, columns as add_columns names them. */
static gboolean
add_rows (StoreWorker         *w,
          JsonBuilder         *b,
          const char          *member,
          sqlite3_stmt        *st,
          const char * const  *names,
          GError             **error)
{
  int rc;

  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      add_columns (b, st, names);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    return store_db_fail (w, error, "read the generation");
  return TRUE;
}

/* add_rows for the rows sql (one parameter: id) selects. */
static gboolean
add_rows_for_id (StoreWorker         *w,
                 JsonBuilder         *b,
                 const char          *member,
                 const char          *sql,
                 const char          *id,
                 const char * const  *names,
                 GError             **error)
{
  sqlite3_stmt *st = store_stmt (w, sql, error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, id);
  return add_rows (w, b, member, st, names, error);
}

/* As its answer, the rows of st as a JSON array of objects (see add_rows). */
gboolean
store_rows_to_array (StoreWorker         *w,
                     sqlite3_stmt        *st,
                     const char * const  *names,
                     gpointer            *result,
                     GError             **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  if (!add_rows (w, b, "rows", st, names, error))
    return FALSE;
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  *result = json_node_ref (json_object_get_member (json_node_get_object (root), "rows"));
  return TRUE;
}

static gboolean
job_get_generation (StoreWorker  *w,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  const char *id = data;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  sqlite3_stmt *st = store_stmt (w,
    "SELECT id, prompt, framework, assets_json, status, stage, story_json, story_score,"
    " references_json, scenes_json, final_video_path, quality_score, config_snapshot,"
    " error_message, created_at, updated_at, completed_at, deleted_at,"
    " (SELECT total(cost_usd) FROM usage WHERE generation_id = generations.id), name,"
    " EXISTS (SELECT 1 FROM generation_groups w WHERE w.winner_id = generations.id)"
    " FROM generations WHERE id = ?", error);
  static const char * const columns[] = {
    "id", "prompt", "framework", "assets$", "status", "stage", "story$", "story_score",
    "references$", "scenes$", "final_video_path", "quality_score", "config$",
    "error_message", "created@", "updated@", "completed@", "deleted@", "cost_usd", "name",
    "winner?", NULL
  };
  static const char * const clip_columns[] = {
    "scene_index", "version", "provider", "prediction_id", "status", "local_path",
    "duration", "cost_usd", "error_message", "created@", "updated@", NULL
  };
  static const char * const message_columns[] = {
    "id", "role", "kind", "body$", "created@", NULL
  };
  static const char * const quality_columns[] = {
    "clip_index", "subject_consistency", "background_consistency", "temporal_flickering",
    "motion_smoothness", "dynamic_degree", "aesthetic_quality", "imaging_quality",
    "quality_score", "scored_at@", "scoring_seconds", NULL
  };
  static const char * const usage_columns[] = {
    "provider", "model", "operation", "units", "cost_usd", "created@", NULL
  };
  static const char * const group_columns[] = {
    "group_id", "name", "variant", "winner_id", NULL
  };
  int rc;

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, id);
  rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (st);
      if (rc == SQLITE_DONE)
        return store_not_found (error, "generation", id);
      return store_db_fail (w, error, "read the generation");
    }

  json_builder_begin_object (b);
  add_columns (b, st, columns);
  sqlite3_reset (st);

  if (!add_rows_for_id (w, b, "clips",
    "SELECT scene_index, version, provider, prediction_id, status, local_path, duration,"
    " cost_usd, error_message, created_at, updated_at FROM clips WHERE generation_id = ?"
    " ORDER BY scene_index, version", id, clip_columns, error))
    return FALSE;

  if (!add_rows_for_id (w, b, "messages",
    "SELECT id, role, kind, body, created_at FROM messages WHERE generation_id = ?"
    " ORDER BY id", id, message_columns, error))
    return FALSE;

  if (!add_rows_for_id (w, b, "quality",
    "SELECT clip_index, subject_consistency, background_consistency, temporal_flickering,"
    " motion_smoothness, dynamic_degree, aesthetic_quality, imaging_quality, quality_score,"
    " scored_at, scoring_seconds FROM quality_metrics WHERE generation_id = ?"
    " ORDER BY clip_index IS NOT NULL, clip_index", id, quality_columns, error))
    return FALSE;

  if (!add_rows_for_id (w, b, "usage",
    "SELECT provider, model, operation, units, cost_usd, created_at FROM usage"
    " WHERE generation_id = ? ORDER BY id", id, usage_columns, error))
    return FALSE;

  if (!add_rows_for_id (w, b, "groups",
    "SELECT m.group_id, g.name, m.variant, g.winner_id FROM generation_group_members m"
    " JOIN generation_groups g ON g.id = m.group_id WHERE m.generation_id = ?",
    id, group_columns, error))
    return FALSE;

  json_builder_end_object (b);
  *result = json_builder_get_root (b);
  return TRUE;
}

JsonNode *
admint_store_get_generation (AdmintStore  *self,
                             const char   *id,
                             GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return store_run_sync_pointer (self, job_get_generation, (gpointer) id, error);
}

void
admint_store_get_generation_async (AdmintStore         *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_STORE (self));
  g_return_if_fail (id != NULL);

  store_run_async (self, job_get_generation, g_strdup (id), g_free,
                   (GDestroyNotify) json_node_unref, admint_store_get_generation_async,
                   cancellable, callback, user_data);
}

JsonNode *
admint_store_get_generation_finish (AdmintStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return store_finish_pointer (self, result, admint_store_get_generation_async, error);
}
