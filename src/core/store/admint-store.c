/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library of generations and brand assets: one SQLite database owned by one store thread.
 * This file: the thread, opening and purging; each area of the library has its own file. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-paths.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-rows-private.h"
#include "admint-store-worker-private.h"

/* ------------------------------------------------------------------------------------------ */
/* The store thread                                                                            */

typedef struct
{
  StoreJobFunc   func;
  gpointer       data;
  gboolean       quit;

  /* A blocking caller waits on cond; data is borrowed from its stack. */
  GMutex         mutex;
  GCond          cond;
  gboolean       done;
  gboolean       ok;
  gpointer       result;
  GError        *error;

  /* An async caller gets its answer through task; data is owned. */
  GTask         *task;
  GDestroyNotify data_free;
  GDestroyNotify result_free;

  /* A queued record: nobody waits; data is owned, a failure kept for the next flush. */
  gboolean       queued;
} StoreJob;

G_DEFINE_FINAL_TYPE (AdmintStore, admint_store, G_TYPE_OBJECT)

static void
worker_free (StoreWorker *w)
{
  if (w->stmts != NULL)
    g_hash_table_destroy (w->stmts);
  if (w->db != NULL)
    sqlite3_close (w->db);
  g_async_queue_unref (w->queue);
  if (w->queued_error != NULL)
    g_warning ("A queued write to the library was never reported: %s", w->queued_error->message);
  g_clear_error (&w->queued_error);
  g_free (w->db_path);
  g_free (w->data_dir);
  g_free (w->media_dir);
  g_free (w);
}

static gboolean
complete_async_job (gpointer data)
{
  StoreJob *job = data;

  if (!g_task_return_error_if_cancelled (job->task))
    {
      if (job->ok)
        g_task_return_pointer (job->task, job->result, job->result_free);
      else
        g_task_return_error (job->task, job->error);
    }
  else if (job->ok && job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
  else if (!job->ok)
    g_clear_error (&job->error);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_object_unref (job->task);
  g_free (job);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_main (gpointer data)
{
  StoreWorker *w = data;

  for (;;)
    {
      StoreJob *job = g_async_queue_pop (w->queue);

      if (job->quit)
        {
          g_free (job);
          break;
        }

      if (job->queued)
        {
          g_autoptr(GError) error = NULL;

          if (!job->func (w, job->data, &job->result, &error))
            {
              g_warning ("A queued write to the library failed: %s", error->message);
              if (w->queued_error == NULL)
                w->queued_error = g_steal_pointer (&error);
            }
          job->data_free (job->data);
          g_free (job);
        }
      else if (job->task != NULL)
        {
          if (!g_cancellable_is_cancelled (g_task_get_cancellable (job->task)))
            job->ok = job->func (w, job->data, &job->result, &job->error);
          /* The task is returned and released in its own context, so that no reference to it
           * (or to the store) outlives the caller's callback on this thread. */
          g_main_context_invoke (g_task_get_context (job->task), complete_async_job, job);
        }
      else
        {
          gboolean ok = job->func (w, job->data, &job->result, &job->error);

          g_mutex_lock (&job->mutex);
          job->ok = ok;
          job->done = TRUE;
          g_cond_signal (&job->cond);
          /* After this unlock the job belongs to its caller again. */
          g_mutex_unlock (&job->mutex);
        }
    }

  worker_free (w);
  return NULL;
}

gboolean
store_run_sync (AdmintStore   *self,
                StoreJobFunc   func,
                gpointer       data,
                gpointer      *result,
                GError       **error)
{
  StoreJob job = { 0 };

  g_assert (g_thread_self () != self->thread);

  job.func = func;
  job.data = data;
  g_mutex_init (&job.mutex);
  g_cond_init (&job.cond);

  g_async_queue_push (self->queue, &job);

  g_mutex_lock (&job.mutex);
  while (!job.done)
    g_cond_wait (&job.cond, &job.mutex);
  g_mutex_unlock (&job.mutex);

  g_mutex_clear (&job.mutex);
  g_cond_clear (&job.cond);

  if (!job.ok)
    {
      g_assert (job.error != NULL);
      g_propagate_error (error, job.error);
      return FALSE;
    }
  if (result != NULL)
    *result = job.result;
  return TRUE;
}

/* store_run_sync for a job whose answer is a pointer: that answer, or NULL with error set. */
gpointer
store_run_sync_pointer (AdmintStore   *self,
                        StoreJobFunc   func,
                        gpointer       data,
                        GError       **error)
{
  gpointer result = NULL;

  if (!store_run_sync (self, func, data, &result, error))
    return NULL;
  return result;
}

static Args *
args_copy (const Args *a)
{
  Args *copy = g_new (Args, 1);

  *copy = *a;
  for (guint i = 0; i < G_N_ELEMENTS (a->s); i++)
    copy->s[i] = g_strdup (a->s[i]);
  copy->strv = (const char **) g_strdupv ((char **) a->strv);
  return copy;
}

static void
args_free (gpointer data)
{
  Args *a = data;

  for (guint i = 0; i < G_N_ELEMENTS (a->s); i++)
    g_free ((char *) a->s[i]);
  g_strfreev ((char **) a->strv);
  g_free (a);
}

gboolean
store_run_write (AdmintStore   *self,
                 StoreJobFunc   func,
                 const Args    *a,
                 GError       **error)
{
  StoreJob *job;

  if (!g_atomic_int_get (&self->queue_writes))
    return store_run_sync (self, func, (gpointer) a, NULL, error);

  job = g_new0 (StoreJob, 1);
  job->func = func;
  job->data = args_copy (a);
  job->data_free = args_free;
  job->queued = TRUE;
  g_async_queue_push (self->queue, job);
  return TRUE;
}

void
store_run_async (AdmintStore         *self,
                 StoreJobFunc         func,
                 gpointer             data,
                 GDestroyNotify       data_free,
                 GDestroyNotify       result_free,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  StoreJob *job = g_new0 (StoreJob, 1);

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_async_queue_push (self->queue, job);
}

static void
stop_thread (AdmintStore *self)
{
  StoreJob *quit;

  if (self->thread == NULL)
    return;

  quit = g_new0 (StoreJob, 1);
  quit->quit = TRUE;
  g_async_queue_push (self->queue, quit);

  /* The last reference can drop on the store thread itself (an async job's GTask): then the
   * thread finishes on its own after the current job. */
  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);
  self->thread = NULL;
}

static void
admint_store_finalize (GObject *object)
{
  AdmintStore *self = ADMINT_STORE (object);

  stop_thread (self);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_free (self->db_path);
  g_free (self->media_dir);
  G_OBJECT_CLASS (admint_store_parent_class)->finalize (object);
}

static void
admint_store_class_init (AdmintStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_store_finalize;
}

static void
admint_store_init (AdmintStore *self)
{
}

gpointer
store_finish_pointer (AdmintStore   *self,
                      GAsyncResult  *result,
                      gpointer       source_tag,
                      GError       **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                     */

static gboolean
job_open (StoreWorker  *w,
          gpointer      data,
          gpointer     *result,
          GError      **error)
{
  int rc, version;
  g_autoptr(GError) local = NULL;

  rc = sqlite3_open_v2 (w->db_path, &w->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot open the library %s: %s. Check that its folder is writable."),
                   w->db_path, w->db ? sqlite3_errmsg (w->db) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_extended_result_codes (w->db, 1);
  sqlite3_busy_timeout (w->db, 5000);

  /* Nothing may be written before the version is known: a newer database stays untouched. */
  version = admint_store_schema_get_version (w->db, &local);
  if (version < 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   "%s is not an Ad Mint library (%s). Move it away, or point Ad Mint at "
                   "another file.", w->db_path, sqlite3_errmsg (w->db));
      return FALSE;
    }
  if (version > ADMINT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_TOO_NEW,
                   _("The library %s was written by a newer Ad Mint (schema version %d; this "
                   "version knows up to %d). It was not changed. Upgrade Ad Mint to use it."),
                   w->db_path, version, ADMINT_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* FULL: a committed generation survives a power cut too, not only a crash. */
  if (sqlite3_exec (w->db,
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    "PRAGMA foreign_keys = ON;", NULL, NULL, NULL) != SQLITE_OK)
    return store_db_fail (w, error, "set up the database");

  if (!admint_store_schema_migrate (w->db, ADMINT_STORE_SCHEMA_VERSION, error))
    return FALSE;
  return TRUE;
}

AdmintStore *
admint_store_open (const char  *db_path,
                   GError     **error)
{
  g_autoptr(AdmintStore) self = NULL;
  g_autofree char *default_path = NULL;
  g_autoptr(GError) local = NULL;
  StoreWorker *w;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (db_path == NULL)
    db_path = default_path = admint_paths_db_file ();

  self = g_object_new (ADMINT_TYPE_STORE, NULL);
  self->db_path = g_strdup (db_path);
  {
    g_autofree char *dir = g_path_get_dirname (db_path);
    self->media_dir = g_build_filename (dir, "media", NULL);
    if (!admint_paths_ensure_dir (dir, error))
      return NULL;
  }

  w = g_new0 (StoreWorker, 1);
  self->queue = g_async_queue_new ();
  w->queue = g_async_queue_ref (self->queue);
  w->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                    (GDestroyNotify) sqlite3_finalize);
  w->db_path = g_strdup (self->db_path);
  w->data_dir = g_path_get_dirname (self->db_path);
  w->media_dir = g_strdup (self->media_dir);

  self->thread = g_thread_try_new ("admint-store", worker_main, w, &local);
  if (self->thread == NULL)
    {
      worker_free (w);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot start the store thread: %s"), local->message);
      return NULL;
    }

  if (!store_run_sync (self, job_open, NULL, NULL, error))
    return NULL;
  /* What killed imports left in media/ (.import-*, .thumb-*) goes now, not at the next import. */
  admint_asset_clean_stale (self->media_dir);
  return g_steal_pointer (&self);
}

const char *
admint_store_get_db_path (AdmintStore *self)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  return self->db_path;
}

const char *
admint_store_get_media_dir (AdmintStore *self)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  return self->media_dir;
}

/* ------------------------------------------------------------------------------------------ */
/* Queued writes                                                                               */

void
admint_store_set_queue_writes (AdmintStore *self,
                               gboolean     queue_writes)
{
  g_return_if_fail (ADMINT_IS_STORE (self));
  g_atomic_int_set (&self->queue_writes, queue_writes ? 1 : 0);
}

gboolean
admint_store_get_queue_writes (AdmintStore *self)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  return g_atomic_int_get (&self->queue_writes) != 0;
}

/* Runs after every job queued before it (the thread takes them in order): it only reports. */
static gboolean
job_flush (StoreWorker  *w,
           gpointer      data,
           gpointer     *result,
           GError      **error)
{
  if (w->queued_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&w->queued_error));
  return FALSE;
}

gboolean
admint_store_flush (AdmintStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return store_run_sync (self, job_flush, NULL, NULL, error);
}

void
admint_store_flush_async (AdmintStore         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_STORE (self));

  store_run_async (self, job_flush, NULL, NULL, NULL, admint_store_flush_async, cancellable,
                   callback, user_data);
}

gboolean
admint_store_flush_finish (AdmintStore   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(GError) local = NULL;

  store_finish_pointer (self, result, admint_store_flush_async, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Purge                                                                                       */

static void
remove_tree_contents (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        {
          remove_tree_contents (child);
          g_rmdir (child);
        }
      else
        g_unlink (child);
    }
}

static gboolean
job_purge (StoreWorker  *w,
           gpointer      data,
           gpointer     *result,
           GError      **error)
{
  static const char * const deletes[] = {
    "DELETE FROM brand_style_assets", "DELETE FROM brand_styles",
    "DELETE FROM generation_group_members", "DELETE FROM generation_groups",
    "DELETE FROM quality_metrics", "DELETE FROM messages", "DELETE FROM usage",
    "DELETE FROM predictions", "DELETE FROM reference_predictions", "DELETE FROM clips", "DELETE FROM generations", "DELETE FROM assets", NULL
  };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = g_strconcat (w->data_dir, G_DIR_SEPARATOR_S, NULL);
  sqlite3_stmt *st;
  int rc;

  /* Generated media inside the data folder goes too; files the user exported elsewhere stay. */
  st = store_stmt (w,
    "SELECT final_video_path FROM generations WHERE final_video_path IS NOT NULL"
    " UNION SELECT local_path FROM clips WHERE local_path IS NOT NULL", error);
  if (st == NULL)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    if (g_str_has_prefix (store_column_text (st, 0), prefix) &&
              strstr (store_column_text (st, 0), "/../") == NULL)
      g_ptr_array_add (files, g_strdup (store_column_text (st, 0)));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    return store_db_fail (w, error, "list the files to remove");

  if (!store_begin (w, error))
    return FALSE;
  for (guint i = 0; deletes[i] != NULL; i++)
    if (!store_exec_cached (w, deletes[i], error))
      return store_rollback (w);
  if (!store_commit (w, error))
    return store_rollback (w);

  for (guint i = 0; i < files->len; i++)
    g_unlink (files->pdata[i]);
  remove_tree_contents (w->media_dir);

  /* Deleted rows linger in free pages and the WAL until the file is rewritten. */
  if (!store_exec_cached (w, "VACUUM", error) ||
            !store_exec_cached (w, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    return FALSE;
  return TRUE;
}

gboolean
admint_store_purge (AdmintStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);

  return store_run_sync (self, job_purge, NULL, NULL, error);
}
