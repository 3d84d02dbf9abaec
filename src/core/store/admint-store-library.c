/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library views' queries and edits, in GTask workers on their own connection. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-store-library.h"
#include "admint-store-private.h"

/* These calls open their own connection (WAL lets it read beside the store thread's, and
 * busy_timeout queues its rare writes behind it), so that they need nothing from the store
 * thread's internals. Each runs in a GTask worker, never on the caller's main loop. */

static const char * const asset_kinds[] = {
  "product", "logo", "character", "music", "style", "misc", NULL
};

gboolean
admint_asset_kind_is_valid (const char *kind)
{
  return kind != NULL && g_strv_contains (asset_kinds, kind);
}

sqlite3 *
admint_store_library_open (AdmintStore  *store,
                           GError      **error)
{
  sqlite3 *db = NULL;
  const char *path = admint_store_get_db_path (store);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot open the library %s: %s. Restart Ad Mint; the log says more."),
                   path, db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  sqlite3_exec (db, "PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
  return db;
}

gboolean
admint_store_library_fail (sqlite3     *db,
                           const char  *what,
                           GError     **error)
{
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
               _("Cannot %s in the library: %s. Check that the disk is not full."), what,
               sqlite3_errmsg (db));
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *st,
             int           i)
{
  const char *text = (const char *) sqlite3_column_text (st, i);
  return text != NULL ? text : "";
}

/* ---- kind and tags ---- */

typedef struct
{
  gint64  id;
  char   *kind;
  GStrv   tags;
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  g_free (data->kind);
  g_strfreev (data->tags);
  g_free (data);
}

static gboolean
check_tags (const char * const  *tags,
            GError             **error)
{
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      const char *t = tags[i];
      gboolean ok = *t != '\0' && strlen (t) <= 64 && g_utf8_validate (t, -1, NULL);

      for (const char *p = t; ok && *p; p = g_utf8_next_char (p))
        ok = !g_unichar_iscntrl (g_utf8_get_char (p));
      if (!ok)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("The tag “%s” cannot be used: a tag is 1 to 64 printable "
                         "characters."), t);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
update_asset (sqlite3     *db,
              UpdateData  *data,
              GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *tags_json = NULL;
  sqlite3_stmt *st = NULL;
  gboolean ok;

  json_builder_begin_array (b);
  for (guint i = 0; data->tags != NULL && data->tags[i] != NULL; i++)
    json_builder_add_string_value (b, data->tags[i]);
  json_builder_end_array (b);
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  tags_json = json_generator_to_data (gen, NULL);

  if (sqlite3_prepare_v2 (db, "UPDATE assets SET kind = ?, tags = ? WHERE id = ?", -1, &st,
                          NULL) != SQLITE_OK)
    return admint_store_library_fail (db, "change an asset", error);
  sqlite3_bind_text (st, 1, data->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 2, tags_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (st, 3, data->id);
  ok = sqlite3_step (st) == SQLITE_DONE;
  sqlite3_finalize (st);
  if (!ok)
    return admint_store_library_fail (db, "change an asset", error);
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("There is no asset %lld in the library; it may have been removed."),
                   (long long) data->id);
      return FALSE;
    }
  return TRUE;
}

static void
update_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  sqlite3 *db = admint_store_library_open (source, &error);

  if (db != NULL && update_asset (db, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  sqlite3_close (db);
}

void
admint_store_update_asset_async (AdmintStore         *self,
                                 gint64               id,
                                 const char          *kind,
                                 const char * const  *tags,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  UpdateData *data;

  g_return_if_fail (ADMINT_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_update_asset_async);
  if (!admint_asset_kind_is_valid (kind))
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("“%s” is not a kind of asset; use product, logo, character, "
                                 "music or misc."), kind ? kind : "");
      return;
    }
  if (!check_tags (tags, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_new0 (UpdateData, 1);
  data->id = id;
  data->kind = g_strdup (kind);
  data->tags = g_strdupv ((char **) tags);
  g_task_set_task_data (task, data, (GDestroyNotify) update_data_free);
  g_task_run_in_thread (task, update_thread);
}

gboolean
admint_store_update_asset_finish (AdmintStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- spend ---- */

static void
usage_generation_free (AdmintUsageGeneration *g)
{
  g_free (g->id);
  g_free (g->prompt);
  g_free (g->status);
  g_free (g);
}

static void
usage_day_clear (AdmintUsageDay *d)
{
  g_free (d->day);
  g_free (d->provider);
}

void
admint_usage_report_free (AdmintUsageReport *report)
{
  if (report == NULL)
    return;
  g_strfreev (report->days);
  g_strfreev (report->providers);
  g_clear_pointer (&report->spend, g_array_unref);
  g_clear_pointer (&report->generations, g_ptr_array_unref);
  g_free (report);
}

double
admint_usage_report_get_spend (AdmintUsageReport *report,
                               const char        *day,
                               const char        *provider)
{
  g_return_val_if_fail (report != NULL, 0);

  for (guint i = 0; i < report->spend->len; i++)
    {
      AdmintUsageDay *d = &g_array_index (report->spend, AdmintUsageDay, i);
      if (g_str_equal (d->day, day) && g_str_equal (d->provider, provider))
        return d->cost_usd;
    }
  return 0;
}

typedef struct
{
  guint      n_days;
  GDateTime *today;
} ReportData;

static void
report_data_free (ReportData *data)
{
  g_date_time_unref (data->today);
  g_free (data);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
read_spend (sqlite3           *db,
            AdmintUsageReport *report,
            gint64             since,
            GError           **error)
{
  g_autoptr(GPtrArray) providers = g_ptr_array_new ();
  sqlite3_stmt *st = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db,
        "SELECT date(created_at / 1000000, 'unixepoch') AS day, provider, sum(cost_usd)"
        " FROM usage WHERE created_at >= ? GROUP BY day, provider ORDER BY day, provider",
        -1, &st, NULL) != SQLITE_OK)
    return admint_store_library_fail (db, "read the spend", error);
  sqlite3_bind_int64 (st, 1, since);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      AdmintUsageDay d = { g_strdup (column_text (st, 0)), g_strdup (column_text (st, 1)),
                           sqlite3_column_double (st, 2) };
      if (d.cost_usd <= 0)
        {
          usage_day_clear (&d);
          continue;
        }
      report->window_total += d.cost_usd;
      g_array_append_val (report->spend, d);
    }
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE)
    return admint_store_library_fail (db, "read the spend", error);

  for (guint i = 0; i < report->spend->len; i++)
    {
      const char *p = g_array_index (report->spend, AdmintUsageDay, i).provider;
      gboolean seen = FALSE;
      for (guint j = 0; j < providers->len && !seen; j++)
        seen = g_str_equal (providers->pdata[j], p);
      if (!seen)
        g_ptr_array_add (providers, g_strdup (p));
    }
  g_ptr_array_sort (providers, compare_names);
  g_ptr_array_add (providers, NULL);
  report->providers = (char **) g_ptr_array_steal (providers, NULL);

  if (sqlite3_prepare_v2 (db, "SELECT coalesce(sum(cost_usd), 0) FROM usage", -1, &st, NULL) !=
      SQLITE_OK)
    return admint_store_library_fail (db, "read the spend", error);
  if (sqlite3_step (st) == SQLITE_ROW)
    report->all_time_total = sqlite3_column_double (st, 0);
  sqlite3_finalize (st);
  return TRUE;
}

static gboolean
read_generations (sqlite3           *db,
                  AdmintUsageReport *report,
                  GError           **error)
{
  sqlite3_stmt *st = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db,
        "SELECT g.id, g.prompt, g.status, g.created_at, g.quality_score,"
        " (SELECT coalesce(sum(u.cost_usd), 0) FROM usage u WHERE u.generation_id = g.id)"
        " FROM generations g WHERE g.deleted_at IS NULL ORDER BY g.created_at DESC",
        -1, &st, NULL) != SQLITE_OK)
    return admint_store_library_fail (db, "list the generations", error);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      AdmintUsageGeneration *g = g_new0 (AdmintUsageGeneration, 1);
      g->id = g_strdup (column_text (st, 0));
      g->prompt = g_strdup (column_text (st, 1));
      g->status = g_strdup (column_text (st, 2));
      g->created = sqlite3_column_int64 (st, 3);
      g->quality_score = sqlite3_column_type (st, 4) == SQLITE_NULL
                         ? -1 : sqlite3_column_double (st, 4);
      g->cost_usd = sqlite3_column_double (st, 5);
      g_ptr_array_add (report->generations, g);
    }
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE)
    return admint_store_library_fail (db, "list the generations", error);
  return TRUE;
}

static void
report_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportData *data = task_data;
  GError *error = NULL;
  sqlite3 *db = admint_store_library_open (source, &error);
  g_autoptr(AdmintUsageReport) report = g_new0 (AdmintUsageReport, 1);
  g_autoptr(GDateTime) midnight = g_date_time_new_utc (g_date_time_get_year (data->today),
                                                       g_date_time_get_month (data->today),
                                                       g_date_time_get_day_of_month (data->today),
                                                       0, 0, 0);
  g_autoptr(GDateTime) first = g_date_time_add_days (midnight, 1 - (int) data->n_days);

  report->n_days = data->n_days;
  report->days = g_new0 (char *, data->n_days + 1);
  for (guint i = 0; i < data->n_days; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (first, i);
      report->days[i] = g_date_time_format (day, "%Y-%m-%d");
    }
  report->spend = g_array_new (FALSE, TRUE, sizeof (AdmintUsageDay));
  g_array_set_clear_func (report->spend, (GDestroyNotify) usage_day_clear);
  report->generations = g_ptr_array_new_with_free_func ((GDestroyNotify) usage_generation_free);

  if (db != NULL &&
      read_spend (db, report, g_date_time_to_unix (first) * G_USEC_PER_SEC, &error) &&
      read_generations (db, report, &error))
    g_task_return_pointer (task, g_steal_pointer (&report),
                           (GDestroyNotify) admint_usage_report_free);
  else
    g_task_return_error (task, error);
  sqlite3_close (db);
}

void
admint_store_usage_report_async (AdmintStore         *self,
                                 guint                n_days,
                                 GDateTime           *today,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReportData *data;

  g_return_if_fail (ADMINT_IS_STORE (self));
  g_return_if_fail (n_days >= 1 && n_days <= 366);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_usage_report_async);
  data = g_new0 (ReportData, 1);
  data->n_days = n_days;
  data->today = today != NULL ? g_date_time_to_utc (today) : g_date_time_new_now_utc ();
  g_task_set_task_data (task, data, (GDestroyNotify) report_data_free);
  g_task_run_in_thread (task, report_thread);
}

AdmintUsageReport *
admint_store_usage_report_finish (AdmintStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- storage ---- */

static gint64
tree_size (const char *path)
{
  GStatBuf sb;
  gint64 total = 0;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_lstat (path, &sb) != 0)
    return 0;
  if (!S_ISDIR (sb.st_mode))
    return S_ISREG (sb.st_mode) ? (gint64) sb.st_size : 0;
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      total += tree_size (child);
    }
  return total;
}

static void
size_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AdmintStore *store = source;
  const char *db = admint_store_get_db_path (store);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_task_return_int (task, tree_size (db) + tree_size (wal) + tree_size (shm) +
                           tree_size (admint_store_get_media_dir (store)));
}

void
admint_store_data_size_async (AdmintStore         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ADMINT_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_data_size_async);
  g_task_run_in_thread (task, size_thread);
}

gint64
admint_store_data_size_finish (AdmintStore   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- purging generations ---- */

static void
remove_tree (const char *path)
{
  GStatBuf sb;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_lstat (path, &sb) != 0)
    return;
  if (S_ISDIR (sb.st_mode))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static gboolean
purge (sqlite3      *db,
       const char   *media_dir,
       guint         older_than_days,
       gint64       *removed,
       GError      **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 cutoff = older_than_days > 0
                  ? g_get_real_time () - (gint64) older_than_days * 24 * 3600 * G_USEC_PER_SEC
                  : G_MININT64;
  const char *where = " WHERE status IN ('failed', 'cancelled') OR deleted_at IS NOT NULL"
                      " OR created_at < ?1";
  g_autofree char *select = g_strconcat ("SELECT id FROM generations", where, NULL);
  g_autofree char *delete = g_strconcat ("DELETE FROM generations", where, NULL);
  sqlite3_stmt *st = NULL;
  int rc;

  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return admint_store_library_fail (db, "start removing generations", error);
  if (sqlite3_prepare_v2 (db, select, -1, &st, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (st, 1, cutoff);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (column_text (st, 0)));
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE || sqlite3_prepare_v2 (db, delete, -1, &st, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (st, 1, cutoff);
  rc = sqlite3_step (st);
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE || sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;

  /* Each generation's media lives in media/generations/<id>. */
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = ids->pdata[i];
      if (strchr (id, '/') == NULL && strstr (id, "..") == NULL && *id != '\0')
        {
          g_autofree char *dir = g_build_filename (media_dir, "generations", id, NULL);
          remove_tree (dir);
        }
    }
  *removed = ids->len;
  return TRUE;

failed:
  admint_store_library_fail (db, "remove generations", error);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static void
purge_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  sqlite3 *db = admint_store_library_open (source, &error);
  gint64 removed = 0;

  if (db != NULL && purge (db, admint_store_get_media_dir (source), GPOINTER_TO_UINT (task_data),
                           &removed, &error))
    g_task_return_int (task, removed);
  else
    g_task_return_error (task, error);
  sqlite3_close (db);
}

void
admint_store_purge_generations_async (AdmintStore         *self,
                                      guint                older_than_days,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ADMINT_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_purge_generations_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (older_than_days), NULL);
  g_task_run_in_thread (task, purge_thread);
}

gint64
admint_store_purge_generations_finish (AdmintStore   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- removing an asset ---- */

static void
remove_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 *id = task_data;

  /* The store's own call: it queues the job to the store thread and waits here, off the
   * caller's main loop. */
  if (admint_store_remove_asset (source, *id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
admint_store_remove_asset_async (AdmintStore         *self,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ADMINT_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_remove_asset_async);
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
admint_store_remove_asset_finish (AdmintStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
