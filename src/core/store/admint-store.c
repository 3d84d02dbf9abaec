/* The library of generations and brand assets: one SQLite database owned by one store thread. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-paths.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-rows-private.h"

/* ------------------------------------------------------------------------------------------ */
/* The store thread                                                                            */

/* Everything the store thread owns. Only the store thread touches db and stmts. */
typedef struct
{
  GAsyncQueue *queue;
  sqlite3     *db;
  GHashTable  *stmts;      /* SQL text -> sqlite3_stmt*, prepared once */
  char        *db_path;
  char        *data_dir;
  char        *media_dir;
} StoreWorker;

typedef gboolean (*StoreJobFunc) (StoreWorker  *w,
                                  gpointer      data,
                                  gpointer     *result,
                                  GError      **error);

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
} StoreJob;

struct _AdmintStore
{
  GObject      parent_instance;
  GThread     *thread;
  GAsyncQueue *queue;
  char        *db_path;
  char        *media_dir;
};

G_DEFINE_FINAL_TYPE (AdmintStore, admint_store, G_TYPE_OBJECT)

static void
worker_free (StoreWorker *w)
{
  if (w->stmts != NULL)
    g_hash_table_destroy (w->stmts);
  if (w->db != NULL)
    sqlite3_close (w->db);
  g_async_queue_unref (w->queue);
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

      if (job->task != NULL)
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

static gboolean
run_sync (AdmintStore   *self,
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

/* run_sync for a job whose answer is a pointer: that answer, or NULL with error set. */
static gpointer
run_sync_pointer (AdmintStore   *self,
                  StoreJobFunc   func,
                  gpointer       data,
                  GError       **error)
{
  gpointer result = NULL;

  if (!run_sync (self, func, data, &result, error))
    return NULL;
  return result;
}

static void
run_async (AdmintStore         *self,
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

/* ------------------------------------------------------------------------------------------ */
/* SQLite helpers (store thread only)                                                          */

static gboolean
db_fail (StoreWorker  *w,
         GError      **error,
         const char   *what)
{
  int code = sqlite3_extended_errcode (w->db);

  if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                 _("Cannot %s: it refers to a generation, group or asset that does not exist. "
                 "Check the id (see `admint history` or `admint assets list`)."), what);
  else if ((code & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                 _("Cannot %s: %s. Use a value the library allows."), what, sqlite3_errmsg (w->db));
  else if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                 _("Cannot %s: the disk holding %s is full. Free some space and try again."),
                 what, w->db_path);
  else
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                 _("Cannot %s in the library %s: %s. Check that the file is writable and not "
                 "damaged."), what, w->db_path, sqlite3_errmsg (w->db));
  return FALSE;
}

/* A cached prepared statement, reset and with no bindings. */
static sqlite3_stmt *
stmt (StoreWorker  *w,
      const char   *sql,
      GError      **error)
{
  sqlite3_stmt *st = g_hash_table_lookup (w->stmts, sql);

  if (st != NULL)
    {
      sqlite3_reset (st);
      sqlite3_clear_bindings (st);
      return st;
    }
  if (sqlite3_prepare_v3 (w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
    {
      db_fail (w, error, "prepare a query");
      g_critical ("Cannot prepare %s: %s", sql, sqlite3_errmsg (w->db));
      return NULL;
    }
  g_hash_table_insert (w->stmts, (gpointer) sql, st);
  return st;
}

static void
bind_text (sqlite3_stmt *st,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (st, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (st, index);
}

/* NaN or negative: NULL. */
static void
bind_optional_double (sqlite3_stmt *st,
                      int           index,
                      double        value)
{
  if (isnan (value) || value < 0)
    sqlite3_bind_null (st, index);
  else
    sqlite3_bind_double (st, index, value);
}

static gboolean
step_done (StoreWorker   *w,
           sqlite3_stmt  *st,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (st);

  sqlite3_reset (st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return db_fail (w, error, what);
  return TRUE;
}

static gboolean
exec_cached (StoreWorker  *w,
             const char   *sql,
             GError      **error)
{
  sqlite3_stmt *st = stmt (w, sql, error);
  return st != NULL && step_done (w, st, sql, error);
}

static gboolean
begin (StoreWorker  *w,
       GError      **error)
{
  return exec_cached (w, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (StoreWorker  *w,
        GError      **error)
{
  return exec_cached (w, "COMMIT", error);
}

static gboolean
rollback (StoreWorker *w)
{
  if (!sqlite3_get_autocommit (w->db))
    exec_cached (w, "ROLLBACK", NULL);
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *st,
             int           col)
{
  return (const char *) sqlite3_column_text (st, col);
}

static double
column_optional_double (sqlite3_stmt *st,
                        int           col)
{
  return sqlite3_column_type (st, col) == SQLITE_NULL ? -1 : sqlite3_column_double (st, col);
}

/* One object made from the current row of st; data is collect_rows's row_data. */
typedef gpointer (*RowFunc) (sqlite3_stmt  *st,
                             gconstpointer  data);

/* As its answer, a GListStore of item_type holding make_row's object for every row of st
 * (bound already); what names the work in the error. */
static gboolean
collect_rows (StoreWorker    *w,
              sqlite3_stmt   *st,
              GType           item_type,
              RowFunc         make_row,
              gconstpointer   row_data,
              const char     *what,
              gpointer       *result,
              GError        **error)
{
  g_autoptr(GListStore) list = g_list_store_new (item_type);
  int rc;

  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      g_autoptr(GObject) row = make_row (st, row_data);
      g_list_store_append (list, row);
    }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    return db_fail (w, error, what);
  *result = g_steal_pointer (&list);
  return TRUE;
}

static gboolean
not_found (GError     **error,
           const char  *what,
           const char  *id)
{
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
               _("There is no %s with id “%s”. See `admint %s` for the ids there are."),
               what, id, g_str_equal (what, "asset") ? "assets list" : "history");
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Argument checks (caller's thread)                                                           */

static const char * const generation_statuses[] = {
  "pending", "story", "references", "scenes", "clips", "stitching", "scoring", "completed",
  "partial", "failed", "cancelled", NULL
};
static const char * const message_kinds[] = {
  "text", "story", "references", "scenes", "progress", "video", "scores", "error", NULL
};
static const char * const asset_kinds[] = {
  "product", "logo", "character", "music", "misc", NULL
};
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
check_one_of (const char          *value,
              const char * const  *allowed,
              const char          *what,
              GError             **error)
{
  if (value != NULL && g_strv_contains (allowed, value))
    return TRUE;
  g_autofree char *list = g_strjoinv (", ", (char **) allowed);
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               "“%s” is not a %s; use one of: %s.", value ? value : "(none)", what, list);
  return FALSE;
}

static gboolean
check_json (const char  *json,
            const char  *what,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  if (json == NULL || json_parser_load_from_data (parser, json, -1, &local))
    return TRUE;
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("The %s is not valid JSON (%s); pass a JSON document."), what, local->message);
  return FALSE;
}

/* The arguments of a blocking call, borrowed from the caller's stack. */
typedef struct
{
  const char   *s[6];
  double        d[ADMINT_QUALITY_N_DIMENSIONS + 3];
  gint64        i[3];
  const char  **strv;
} Args;

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
    return db_fail (w, error, "set up the database");

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

  if (!run_sync (self, job_open, NULL, NULL, error))
    return NULL;
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
  sqlite3_stmt *st = stmt (w,
    "INSERT INTO generations (id, prompt, framework, config_snapshot, assets_json, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, id);
  bind_text (st, 2, a->s[0]);
  bind_text (st, 3, a->s[1]);
  bind_text (st, 4, a->s[2] ? a->s[2] : "{}");
  bind_text (st, 5, a->s[3] ? a->s[3] : "[]");
  sqlite3_bind_int64 (st, 6, now);
  sqlite3_bind_int64 (st, 7, now);
  if (!step_done (w, st, "record the new generation", error))
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

  if (!check_json (config_snapshot_json, "config snapshot", error) ||
      !check_json (assets_json, "list of assets", error))
    return NULL;
  return run_sync_pointer (self, job_create_generation, &a, error);
}

/* Runs one UPDATE … WHERE id = ? (the id bound last, at index id_index) and reports an unknown
 * id as NOT_FOUND. */
static gboolean
update_generation (StoreWorker   *w,
                   sqlite3_stmt  *st,
                   const char    *id,
                   const char    *what,
                   GError       **error)
{
  if (!step_done (w, st, what, error))
    return FALSE;
  if (sqlite3_changes (w->db) == 0)
    return not_found (error, "generation", id);
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
  sqlite3_stmt *st = stmt (w,
    "UPDATE generations SET status = ?, stage = ?, error_message = ?, updated_at = ?,"
    " completed_at = coalesce(?, completed_at) WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, status);
  bind_text (st, 2, a->s[2]);
  bind_text (st, 3, a->s[3]);
  sqlite3_bind_int64 (st, 4, now);
  if (final)
    sqlite3_bind_int64 (st, 5, now);
  bind_text (st, 6, a->s[0]);
  return update_generation (w, st, a->s[0], "update the generation's status", error);
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

  if (!check_one_of (status, generation_statuses, "generation status", error))
    return FALSE;
  return run_sync (self, job_update_status, &a, NULL, error);
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

  st = stmt (w, sql, error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[2]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  bind_text (st, 3, a->s[0]);
  return update_generation (w, st, a->s[0], "save the generation's result", error);
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

  if (!check_one_of (field, fields, "generation JSON field", error) ||
      !check_json (json, field, error))
    return FALSE;
  return run_sync (self, job_set_json, &a, NULL, error);
}

static gboolean
job_set_story_score (StoreWorker  *w,
                     gpointer      data,
                     gpointer     *result,
                     GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "UPDATE generations SET story_score = ?, updated_at = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  bind_optional_double (st, 1, a->d[0]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  bind_text (st, 3, a->s[0]);
  return update_generation (w, st, a->s[0], "save the story's score", error);
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

  return run_sync (self, job_set_story_score, &a, NULL, error);
}

static gboolean
job_set_final_video (StoreWorker  *w,
                     gpointer      data,
                     gpointer     *result,
                     GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "UPDATE generations SET final_video_path = ?, quality_score = coalesce(?, quality_score),"
    " updated_at = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[1]);
  bind_optional_double (st, 2, a->d[0]);
  sqlite3_bind_int64 (st, 3, g_get_real_time ());
  bind_text (st, 4, a->s[0]);
  return update_generation (w, st, a->s[0], "save the final video", error);
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

  return run_sync (self, job_set_final_video, &a, NULL, error);
}

static gboolean
job_soft_delete (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "UPDATE generations SET deleted_at = coalesce(deleted_at, ?) WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, g_get_real_time ());
  bind_text (st, 2, a->s[0]);
  return update_generation (w, st, a->s[0], "delete the generation", error);
}

gboolean
admint_store_soft_delete_generation (AdmintStore  *self,
                                     const char   *id,
                                     GError      **error)
{
  Args a = { .s = { id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return run_sync (self, job_soft_delete, &a, NULL, error);
}

static gboolean
job_has_generation (StoreWorker  *w,
                    gpointer      data,
                    gpointer     *result,
                    GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "SELECT deleted_at IS NULL FROM generations WHERE id = ?", error);
  int rc;

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[0]);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    *result = GINT_TO_POINTER (a->i[0] || sqlite3_column_int (st, 0));
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_fail (w, error, "look the generation up");
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

  if (!run_sync (self, job_has_generation, &a, &found, error))
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
  sqlite3_stmt *st = stmt (w,
    "SELECT total(cost_usd) FROM usage WHERE generation_id = ?", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[0]);
  if (sqlite3_step (st) == SQLITE_ROW)
    a->d[0] = sqlite3_column_double (st, 0);
  else
    return db_fail (w, error, "sum the generation's cost");
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

  if (!run_sync (self, job_generation_cost, &a, NULL, error))
    return -1;
  return a.d[0];
}

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
  return admint_generation_row_new (column_text (st, 0), sqlite3_column_int64 (st, 1),
                                    column_text (st, 2), column_text (st, 3),
                                    column_optional_double (st, 4),
                                    sqlite3_column_double (st, 5));
}

static gboolean
job_list_generations (StoreWorker  *w,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  ListArgs *a = data;
  sqlite3_stmt *st = stmt (w,
    "SELECT g.id, g.created_at, g.prompt, g.status,"
    " coalesce(g.quality_score, (SELECT q.quality_score FROM quality_metrics q"
    "   WHERE q.generation_id = g.id AND q.clip_index IS NULL"
    "   ORDER BY q.scored_at DESC LIMIT 1)),"
    " (SELECT total(u.cost_usd) FROM usage u WHERE u.generation_id = g.id)"
    " FROM generations g WHERE g.deleted_at IS NULL"
    " ORDER BY g.created_at DESC, g.rowid DESC LIMIT ? OFFSET ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, a->limit > 0 ? a->limit : -1);
  sqlite3_bind_int64 (st, 2, a->offset);
  return collect_rows (w, st, ADMINT_TYPE_GENERATION_ROW, generation_from_row, NULL,
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

  return run_sync_pointer (self, job_list_generations, &a, error);
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
  run_async (self, job_list_generations, a, g_free, g_object_unref,
             admint_store_list_generations_async, cancellable, callback, user_data);
}

static gpointer
finish_pointer (AdmintStore   *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GListModel *
admint_store_list_generations_finish (AdmintStore   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, admint_store_list_generations_async, error);
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
          JsonNode *node = json_from_string (column_text (st, col), NULL);
          if (node != NULL)
            {
              json_builder_add_value (b, node);
              break;
            }
        }
      json_builder_add_string_value (b, column_text (st, col));
    }
}

/* The columns of st's current row as members of the open object; columns named by names, where
 * a name ending in '@' is a timestamp and one ending in '$' is stored JSON. */
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
    return db_fail (w, error, "read the generation");
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
  sqlite3_stmt *st = stmt (w, sql, error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, id);
  return add_rows (w, b, member, st, names, error);
}

/* As its answer, the rows of st as a JSON array of objects (see add_rows). */
static gboolean
rows_to_array (StoreWorker         *w,
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
  sqlite3_stmt *st = stmt (w,
    "SELECT id, prompt, framework, assets_json, status, stage, story_json, story_score,"
    " references_json, scenes_json, final_video_path, quality_score, config_snapshot,"
    " error_message, created_at, updated_at, completed_at, deleted_at,"
    " (SELECT total(cost_usd) FROM usage WHERE generation_id = generations.id)"
    " FROM generations WHERE id = ?", error);
  static const char * const columns[] = {
    "id", "prompt", "framework", "assets$", "status", "stage", "story$", "story_score",
    "references$", "scenes$", "final_video_path", "quality_score", "config$",
    "error_message", "created@", "updated@", "completed@", "deleted@", "cost_usd", NULL
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
    "group_id", "name", "variant", NULL
  };
  int rc;

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, id);
  rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (st);
      if (rc == SQLITE_DONE)
        return not_found (error, "generation", id);
      return db_fail (w, error, "read the generation");
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
    "SELECT m.group_id, g.name, m.variant FROM generation_group_members m"
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

  return run_sync_pointer (self, job_get_generation, (gpointer) id, error);
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

  run_async (self, job_get_generation, g_strdup (id), g_free, (GDestroyNotify) json_node_unref,
             admint_store_get_generation_async, cancellable, callback, user_data);
}

JsonNode *
admint_store_get_generation_finish (AdmintStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, admint_store_get_generation_async, error);
}

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

  if (!begin (w, error))
    return FALSE;

  st = stmt (w,
    "SELECT coalesce(max(version), 0) + 1 FROM clips WHERE generation_id = ? AND scene_index = ?",
    error);
  if (st == NULL)
    return rollback (w);
  bind_text (st, 1, a->s[0]);
  sqlite3_bind_int64 (st, 2, a->i[0]);
  if (sqlite3_step (st) == SQLITE_ROW)
    version = sqlite3_column_int (st, 0);
  sqlite3_reset (st);
  if (version <= 0)
    {
      db_fail (w, error, "number the new clip");
      return rollback (w);
    }

  st = stmt (w,
    "INSERT INTO clips (generation_id, scene_index, version, provider, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return rollback (w);
  bind_text (st, 1, a->s[0]);
  sqlite3_bind_int64 (st, 2, a->i[0]);
  sqlite3_bind_int (st, 3, version);
  bind_text (st, 4, a->s[1]);
  sqlite3_bind_int64 (st, 5, now);
  sqlite3_bind_int64 (st, 6, now);
  if (!step_done (w, st, "record the new clip", error) || !commit (w, error))
    return rollback (w);
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

  if (!run_sync (self, job_add_clip_version, &a, &version, error))
    return 0;
  return GPOINTER_TO_INT (version);
}

static gboolean
clip_updated (StoreWorker   *w,
              sqlite3_stmt  *st,
              Args          *a,
              GError       **error)
{
  if (!step_done (w, st, "update the clip", error))
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
  sqlite3_stmt *st = stmt (w,
    "UPDATE clips SET prediction_id = ?, updated_at = ?"
    " WHERE generation_id = ? AND scene_index = ? AND version = ?", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[1]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  bind_text (st, 3, a->s[0]);
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

  return run_sync (self, job_set_clip_prediction, &a, NULL, error);
}

static gboolean
job_update_clip (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "UPDATE clips SET status = ?, local_path = coalesce(?, local_path),"
    " duration = coalesce(?, duration), cost_usd = coalesce(?, cost_usd),"
    " error_message = coalesce(?, error_message), updated_at = ?"
    " WHERE generation_id = ? AND scene_index = ? AND version = ?", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[1]);
  bind_text (st, 2, a->s[2]);
  bind_optional_double (st, 3, a->d[0]);
  bind_optional_double (st, 4, a->d[1]);
  bind_text (st, 5, a->s[3]);
  sqlite3_bind_int64 (st, 6, g_get_real_time ());
  bind_text (st, 7, a->s[0]);
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

  return run_sync (self, job_update_clip, &a, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Messages                                                                                    */

static gboolean
job_add_message (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "INSERT INTO messages (generation_id, role, kind, body, created_at) VALUES (?, ?, ?, ?, ?)",
    error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[0]);
  bind_text (st, 2, a->s[1]);
  bind_text (st, 3, a->s[2]);
  bind_text (st, 4, a->s[3]);
  sqlite3_bind_int64 (st, 5, g_get_real_time ());
  if (!step_done (w, st, "save the message", error))
    return FALSE;
  a->i[0] = sqlite3_last_insert_rowid (w->db);
  return TRUE;
}

gint64
admint_store_add_message (AdmintStore  *self,
                          const char   *generation_id,
                          const char   *role,
                          const char   *kind,
                          const char   *body_json,
                          GError      **error)
{
  Args a = { .s = { generation_id, role, kind, body_json } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), -1);
  g_return_val_if_fail (generation_id != NULL, -1);
  g_return_val_if_fail (role != NULL && *role != '\0', -1);
  g_return_val_if_fail (body_json != NULL, -1);

  if (!check_one_of (kind, message_kinds, "message kind", error) ||
      !check_json (body_json, "message body", error))
    return -1;
  if (!run_sync (self, job_add_message, &a, NULL, error))
    return -1;
  return a.i[0];
}

/* data: the generation's id. */
static gpointer
message_from_row (sqlite3_stmt  *st,
                  gconstpointer  data)
{
  return admint_message_row_new (sqlite3_column_int64 (st, 0), data, column_text (st, 1),
                                 column_text (st, 2), column_text (st, 3),
                                 sqlite3_column_int64 (st, 4));
}

static gboolean
job_list_messages (StoreWorker  *w,
                   gpointer      data,
                   gpointer     *result,
                   GError      **error)
{
  const char *id = data;
  sqlite3_stmt *st = stmt (w,
    "SELECT id, role, kind, body, created_at FROM messages WHERE generation_id = ? ORDER BY id",
    error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, id);
  return collect_rows (w, st, ADMINT_TYPE_MESSAGE_ROW, message_from_row, id,
                       "list the messages", result, error);
}

GListModel *
admint_store_list_messages (AdmintStore  *self,
                            const char   *generation_id,
                            GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (generation_id != NULL, NULL);

  return run_sync_pointer (self, job_list_messages, (gpointer) generation_id, error);
}

void
admint_store_list_messages_async (AdmintStore         *self,
                                  const char          *generation_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_STORE (self));
  g_return_if_fail (generation_id != NULL);

  run_async (self, job_list_messages, g_strdup (generation_id), g_free, g_object_unref,
             admint_store_list_messages_async, cancellable, callback, user_data);
}

GListModel *
admint_store_list_messages_finish (AdmintStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, admint_store_list_messages_async, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Usage and quality                                                                           */

static gboolean
job_record_usage (StoreWorker  *w,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "INSERT INTO usage (provider, model, operation, units, cost_usd, generation_id, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[0]);
  bind_text (st, 2, a->s[1]);
  bind_text (st, 3, a->s[2]);
  sqlite3_bind_double (st, 4, a->d[0]);
  sqlite3_bind_double (st, 5, a->d[1]);
  bind_text (st, 6, a->s[3]);
  sqlite3_bind_int64 (st, 7, g_get_real_time ());
  return step_done (w, st, "record the usage", error);
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
  return run_sync (self, job_record_usage, &a, NULL, error);
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

  if (!begin (w, error))
    return FALSE;

  st = stmt (w,
    "DELETE FROM quality_metrics WHERE generation_id = ? AND clip_index IS ?", error);
  if (st == NULL)
    return rollback (w);
  bind_text (st, 1, a->s[0]);
  if (a->i[0] >= 0)
    sqlite3_bind_int64 (st, 2, a->i[0]);
  if (!step_done (w, st, "replace the earlier score", error))
    return rollback (w);

  st = stmt (w,
    "INSERT INTO quality_metrics (generation_id, clip_index, subject_consistency,"
    " background_consistency, temporal_flickering, motion_smoothness, dynamic_degree,"
    " aesthetic_quality, imaging_quality, quality_score, scored_at, scoring_seconds)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return rollback (w);
  bind_text (st, 1, a->s[0]);
  if (a->i[0] >= 0)
    sqlite3_bind_int64 (st, 2, a->i[0]);
  for (int d = 0; d < n; d++)
    bind_optional_double (st, 3 + d, a->d[d]);
  bind_optional_double (st, 3 + n, a->d[n]);
  sqlite3_bind_int64 (st, 4 + n, g_get_real_time ());
  bind_optional_double (st, 5 + n, a->d[n + 1]);
  if (!step_done (w, st, "save the quality scores", error))
    return rollback (w);

  if (a->i[0] < 0)
    {
      st = stmt (w,
        "UPDATE generations SET quality_score = ?, updated_at = ? WHERE id = ?", error);
      if (st == NULL)
        return rollback (w);
      bind_optional_double (st, 1, a->d[n]);
      sqlite3_bind_int64 (st, 2, g_get_real_time ());
      bind_text (st, 3, a->s[0]);
      if (!step_done (w, st, "save the video's score", error))
        return rollback (w);
    }
  if (!commit (w, error))
    return rollback (w);
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
  return run_sync (self, job_save_quality, &a, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Groups and brand styles                                                                     */

static gboolean
job_create_group (StoreWorker  *w,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  Args *a = data;
  g_autofree char *id = g_uuid_string_random ();
  sqlite3_stmt *st = stmt (w,
    "INSERT INTO generation_groups (id, name, created_at) VALUES (?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, id);
  bind_text (st, 2, a->s[0]);
  sqlite3_bind_int64 (st, 3, g_get_real_time ());
  if (!step_done (w, st, "create the group", error))
    return FALSE;
  *result = g_steal_pointer (&id);
  return TRUE;
}

char *
admint_store_create_group (AdmintStore  *self,
                           const char   *name,
                           GError      **error)
{
  Args a = { .s = { name } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  return run_sync_pointer (self, job_create_group, &a, error);
}

static gboolean
job_add_group_member (StoreWorker  *w,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "INSERT INTO generation_group_members (group_id, generation_id, variant) VALUES (?, ?, ?)",
    error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[0]);
  bind_text (st, 2, a->s[1]);
  bind_text (st, 3, a->s[2]);
  return step_done (w, st, "add the variant to the group", error);
}

gboolean
admint_store_add_group_member (AdmintStore  *self,
                               const char   *group_id,
                               const char   *generation_id,
                               const char   *variant,
                               GError      **error)
{
  Args a = { .s = { group_id, generation_id, variant } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (group_id != NULL && generation_id != NULL, FALSE);
  g_return_val_if_fail (variant != NULL && *variant != '\0', FALSE);

  return run_sync (self, job_add_group_member, &a, NULL, error);
}

static gboolean
job_list_group_members (StoreWorker  *w,
                        gpointer      data,
                        gpointer     *result,
                        GError      **error)
{
  static const char * const names[] = {
    "generation_id", "variant", "status", "quality_score", "prompt", NULL
  };
  sqlite3_stmt *st = stmt (w,
    "SELECT m.generation_id, m.variant, g.status, g.quality_score, g.prompt"
    " FROM generation_group_members m JOIN generations g ON g.id = m.generation_id"
    " WHERE m.group_id = ? ORDER BY m.variant", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, data);
  return rows_to_array (w, st, names, result, error);
}

JsonNode *
admint_store_list_group_members (AdmintStore  *self,
                                 const char   *group_id,
                                 GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  return run_sync_pointer (self, job_list_group_members, (gpointer) group_id, error);
}

static gboolean
job_create_brand_style (StoreWorker  *w,
                        gpointer      data,
                        gpointer     *result,
                        GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "INSERT INTO brand_styles (name, logo_asset_id, palette, fonts, description, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  bind_text (st, 1, a->s[0]);
  if (a->i[0] > 0)
    sqlite3_bind_int64 (st, 2, a->i[0]);
  bind_text (st, 3, a->s[1] ? a->s[1] : "[]");
  bind_text (st, 4, a->s[2] ? a->s[2] : "[]");
  bind_text (st, 5, a->s[3]);
  sqlite3_bind_int64 (st, 6, g_get_real_time ());
  if (!step_done (w, st, "save the brand style", error))
    return FALSE;
  a->i[1] = sqlite3_last_insert_rowid (w->db);
  return TRUE;
}

gint64
admint_store_create_brand_style (AdmintStore  *self,
                                 const char   *name,
                                 gint64        logo_asset_id,
                                 const char   *palette_json,
                                 const char   *fonts_json,
                                 const char   *description,
                                 GError      **error)
{
  Args a = { .s = { name, palette_json, fonts_json, description }, .i = { logo_asset_id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL && *name != '\0', 0);

  if (palette_json != NULL)
    {
      g_autoptr(JsonNode) palette = json_from_string (palette_json, NULL);
      gboolean ok = palette != NULL && JSON_NODE_HOLDS_ARRAY (palette);

      for (guint i = 0; ok && i < json_array_get_length (json_node_get_array (palette)); i++)
        {
          const char *c = json_array_get_string_element (json_node_get_array (palette), i);
          ok = c != NULL && strlen (c) == 7 && c[0] == '#';
          for (int k = 1; ok && k < 7; k++)
            ok = g_ascii_isxdigit (c[k]);
        }
      if (!ok)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("The palette of brand style “%s” must be a JSON array of colours written "
                       "#rrggbb, like [\"#1a2b3c\"]."), name);
          return 0;
        }
    }
  if (!check_json (fonts_json, "list of fonts", error))
    return 0;
  if (!run_sync (self, job_create_brand_style, &a, NULL, error))
    return 0;
  return a.i[1];
}

static gboolean
job_add_brand_style_asset (StoreWorker  *w,
                           gpointer      data,
                           gpointer     *result,
                           GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = stmt (w,
    "INSERT OR IGNORE INTO brand_style_assets (style_id, asset_id) VALUES (?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, a->i[0]);
  sqlite3_bind_int64 (st, 2, a->i[1]);
  return step_done (w, st, "add the asset to the brand style", error);
}

gboolean
admint_store_add_brand_style_asset (AdmintStore  *self,
                                    gint64        style_id,
                                    gint64        asset_id,
                                    GError      **error)
{
  Args a = { .i = { style_id, asset_id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);

  return run_sync (self, job_add_brand_style_asset, &a, NULL, error);
}

static gboolean
job_list_brand_styles (StoreWorker  *w,
                       gpointer      data,
                       gpointer     *result,
                       GError      **error)
{
  static const char * const names[] = {
    "id", "name", "logo_asset_id", "palette$", "fonts$", "description", "asset_ids$", NULL
  };
  sqlite3_stmt *st = stmt (w,
    "SELECT s.id, s.name, s.logo_asset_id, s.palette, s.fonts, s.description,"
    " (SELECT json_group_array(a.asset_id) FROM brand_style_assets a WHERE a.style_id = s.id)"
    " FROM brand_styles s ORDER BY s.name", error);

  if (st == NULL)
    return FALSE;
  return rows_to_array (w, st, names, result, error);
}

JsonNode *
admint_store_list_brand_styles (AdmintStore  *self,
                                GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  return run_sync_pointer (self, job_list_brand_styles, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Assets                                                                                      */

#define ASSET_COLUMNS \
  "id, sha256, path, thumbnail_path, original_name, mime, kind, width, height," \
  " duration_seconds, size_bytes, tags, created_at"

static gpointer
asset_from_row (sqlite3_stmt  *st,
                gconstpointer  data)
{
  AdmintAssetFields f = { 0 };
  g_autoptr(JsonNode) tags = json_from_string (column_text (st, 11), NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  f.id = sqlite3_column_int64 (st, 0);
  f.sha256 = g_strdup (column_text (st, 1));
  f.path = g_strdup (column_text (st, 2));
  f.thumbnail_path = g_strdup (column_text (st, 3));
  f.original_name = g_strdup (column_text (st, 4));
  f.mime = g_strdup (column_text (st, 5));
  f.kind = g_strdup (column_text (st, 6));
  f.width = sqlite3_column_int (st, 7);
  f.height = sqlite3_column_int (st, 8);
  f.duration = column_optional_double (st, 9);
  f.size = sqlite3_column_int64 (st, 10);
  if (tags != NULL && JSON_NODE_HOLDS_ARRAY (tags))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (tags)); i++)
      {
        const char *tag = json_array_get_string_element (json_node_get_array (tags), i);
        if (tag != NULL)
          g_strv_builder_add (builder, tag);
      }
  f.tags = g_strv_builder_end (builder);
  f.created = sqlite3_column_int64 (st, 12);
  return admint_asset_row_new (&f);
}

/* data: the sha256 (i[0] == 0) or the id (s[0] == NULL). A missing asset is a NULL result. */
static gboolean
job_find_asset (StoreWorker  *w,
                gpointer      data,
                gpointer     *result,
                GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st;
  int rc;

  if (a->s[0] != NULL)
    {
      st = stmt (w, "SELECT " ASSET_COLUMNS " FROM assets WHERE sha256 = ?", error);
      if (st == NULL)
        return FALSE;
      bind_text (st, 1, a->s[0]);
    }
  else
    {
      st = stmt (w, "SELECT " ASSET_COLUMNS " FROM assets WHERE id = ?", error);
      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, a->i[0]);
    }
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    *result = asset_from_row (st, NULL);
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_fail (w, error, "look the asset up");
  return TRUE;
}

AdmintAssetRow *
admint_store_get_asset (AdmintStore  *self,
                        gint64        id,
                        GError      **error)
{
  Args a = { .i = { id } };
  gpointer row = NULL;

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  if (!run_sync (self, job_find_asset, &a, &row, error))
    return NULL;
  if (row == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      not_found (error, "asset", text);
    }
  return row;
}

static gboolean
job_list_assets (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  sqlite3_stmt *st = stmt (w, "SELECT " ASSET_COLUMNS " FROM assets ORDER BY id", error);

  if (st == NULL)
    return FALSE;
  return collect_rows (w, st, ADMINT_TYPE_ASSET_ROW, asset_from_row, NULL,
                       "list the assets", result, error);
}

GListModel *
admint_store_list_assets (AdmintStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  return run_sync_pointer (self, job_list_assets, NULL, error);
}

void
admint_store_list_assets_async (AdmintStore         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_STORE (self));

  run_async (self, job_list_assets, NULL, NULL, g_object_unref,
             admint_store_list_assets_async, cancellable, callback, user_data);
}

GListModel *
admint_store_list_assets_finish (AdmintStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_pointer (self, result, admint_store_list_assets_async, error);
}

static gboolean
asset_file_in_use (StoreWorker *w,
                   const char  *sha256)
{
  sqlite3_stmt *st = stmt (w,
    "SELECT EXISTS (SELECT 1 FROM generations WHERE instr(assets_json, ?) > 0)"
    " OR EXISTS (SELECT 1 FROM assets WHERE sha256 = ?)", NULL);
  gboolean used = TRUE;   /* when in doubt, keep the file */

  if (st == NULL)
    return TRUE;
  bind_text (st, 1, sha256);
  bind_text (st, 2, sha256);
  if (sqlite3_step (st) == SQLITE_ROW)
    used = sqlite3_column_int (st, 0) != 0;
  sqlite3_reset (st);
  return used;
}

static gboolean
job_remove_asset (StoreWorker  *w,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  Args *a = data;
  g_autoptr(AdmintAssetRow) row = NULL;
  sqlite3_stmt *st;

  if (!job_find_asset (w, a, (gpointer *) &row, error))
    return FALSE;
  if (row == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, a->i[0]);
      return not_found (error, "asset", text);
    }

  st = stmt (w, "DELETE FROM assets WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, a->i[0]);
  if (!step_done (w, st, "remove the asset", error))
    return FALSE;

  if (!asset_file_in_use (w, admint_asset_row_get_sha256 (row)))
    {
      g_unlink (admint_asset_row_get_path (row));
      if (admint_asset_row_get_thumbnail_path (row) != NULL)
        g_unlink (admint_asset_row_get_thumbnail_path (row));
    }
  return TRUE;
}

gboolean
admint_store_remove_asset (AdmintStore  *self,
                           gint64        id,
                           GError      **error)
{
  Args a = { .i = { id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);

  return run_sync (self, job_remove_asset, &a, NULL, error);
}

static gboolean
job_insert_asset (StoreWorker  *w,
                  gpointer      data,
                  gpointer     *result,
                  GError      **error)
{
  AdmintAssetRow *row = data;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  const char * const *tags = admint_asset_row_get_tags (row);
  g_autofree char *tags_json = NULL;
  sqlite3_stmt *st = stmt (w,
    "INSERT INTO assets (sha256, path, thumbnail_path, original_name, mime, kind, width,"
    " height, duration_seconds, size_bytes, tags, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  Args find = { .s = { admint_asset_row_get_sha256 (row) } };

  if (st == NULL)
    return FALSE;

  json_builder_begin_array (b);
  for (guint i = 0; tags[i] != NULL; i++)
    json_builder_add_string_value (b, tags[i]);
  json_builder_end_array (b);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    tags_json = json_generator_to_data (gen, NULL);
  }

  bind_text (st, 1, admint_asset_row_get_sha256 (row));
  bind_text (st, 2, admint_asset_row_get_path (row));
  bind_text (st, 3, admint_asset_row_get_thumbnail_path (row));
  bind_text (st, 4, admint_asset_row_get_original_name (row));
  bind_text (st, 5, admint_asset_row_get_mime (row));
  bind_text (st, 6, admint_asset_row_get_kind (row));
  sqlite3_bind_int (st, 7, admint_asset_row_get_width (row));
  sqlite3_bind_int (st, 8, admint_asset_row_get_height (row));
  bind_optional_double (st, 9, admint_asset_row_get_duration (row));
  sqlite3_bind_int64 (st, 10, admint_asset_row_get_size (row));
  bind_text (st, 11, tags_json);
  sqlite3_bind_int64 (st, 12, admint_asset_row_get_created (row));

  if (sqlite3_step (st) != SQLITE_DONE)
    {
      /* Another import of the same bytes won the race: report that one as the duplicate. */
      gboolean dup = sqlite3_extended_errcode (w->db) == SQLITE_CONSTRAINT_UNIQUE;
      sqlite3_reset (st);
      if (dup)
        return job_find_asset (w, &find, result, error);
      return db_fail (w, error, "record the asset");
    }
  sqlite3_reset (st);
  return job_find_asset (w, &find, result, error);
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
                       _("The tag “%s” cannot be used: a tag is 1 to 64 printable characters."), t);
          return FALSE;
        }
    }
  return TRUE;
}

/* The kinds an asset of each sniffed class may have; NULL kind: the first. */
static gboolean
resolve_kind (const AdmintSniffResult  *type,
              const char               *file,
              const char              **kind,
              GError                  **error)
{
  static const char * const raster_kinds[] = { "product", "logo", "character", "misc", NULL };
  static const char * const svg_kinds[] = { "logo", "misc", NULL };
  static const char * const audio_kinds[] = { "music", "misc", NULL };
  const char * const *allowed;

  switch (type->klass)
    {
    case ADMINT_SNIFF_RASTER: allowed = raster_kinds; break;
    case ADMINT_SNIFF_SVG: allowed = svg_kinds; break;
    case ADMINT_SNIFF_AUDIO: allowed = audio_kinds; break;
    case ADMINT_SNIFF_UNKNOWN:
    default: g_assert_not_reached ();
    }

  if (*kind == NULL)
    {
      *kind = allowed[0];
      return TRUE;
    }
  if (g_strv_contains (allowed, *kind))
    return TRUE;
  g_autofree char *list = g_strjoinv (", ", (char **) allowed);
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               "%s is %s %s, which cannot be a %s asset; use --type %s.",
               file, type->klass == ADMINT_SNIFF_AUDIO ? "an" : "a", type->label, *kind, list);
  return FALSE;
}

AdmintAssetRow *
admint_store_import_asset (AdmintStore              *self,
                           const char               *file,
                           const char               *kind,
                           const char * const       *tags,
                           const AdmintAssetLimits  *limits,
                           gboolean                 *out_duplicate,
                           GError                  **error)
{
  g_auto(AdmintAssetStaging) staging = { 0 };
  g_autoptr(AdmintAssetRow) existing = NULL;
  g_autoptr(AdmintAssetRow) fresh = NULL;
  gpointer inserted = NULL;
  gint64 max_file = ADMINT_ASSET_DEFAULT_MAX_FILE_BYTES;
  g_autofree char *final_path = NULL;
  g_autofree char *final_thumb = NULL;
  gboolean had_file, had_thumb = FALSE;
  AdmintAssetFields f = { 0 };

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (file != NULL, NULL);

  if (out_duplicate != NULL)
    *out_duplicate = FALSE;
  if (limits != NULL && limits->max_file_bytes > 0)
    max_file = limits->max_file_bytes;

  if ((kind != NULL && !check_one_of (kind, asset_kinds, "kind of asset", error)) ||
      !check_tags (tags, error))
    {
      g_prefix_error (error, _("Cannot import %s: "), file);
      return NULL;
    }

  if (!admint_asset_stage (&staging, file, self->media_dir, max_file, error) ||
      !resolve_kind (&staging.type, file, &kind, error))
    return NULL;

  /* The same bytes were imported before: nothing to decode or copy. */
  {
    Args find = { .s = { staging.sha256 } };
    if (!run_sync (self, job_find_asset, &find, (gpointer *) &existing, error))
      return NULL;
    if (existing != NULL)
      {
        if (out_duplicate != NULL)
          *out_duplicate = TRUE;
        return g_steal_pointer (&existing);
      }
  }

  if (!admint_asset_probe (&staging, self->media_dir, error))
    return NULL;

  final_path = g_strdup_printf ("%s/%s.%s", self->media_dir, staging.sha256,
                                staging.type.extension);
  had_file = g_file_test (final_path, G_FILE_TEST_EXISTS);
  if (g_rename (staging.tmp_path, final_path) != 0)
    {
      int saved = errno;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot move %s into %s: %s. Check that the folder is writable."),
                   file, self->media_dir, g_strerror (saved));
      return NULL;
    }
  g_clear_pointer (&staging.tmp_path, g_free);

  if (staging.tmp_thumb_path != NULL)
    {
      final_thumb = g_strdup_printf ("%s/thumbnails/%s.png", self->media_dir, staging.sha256);
      had_thumb = g_file_test (final_thumb, G_FILE_TEST_EXISTS);
      if (g_rename (staging.tmp_thumb_path, final_thumb) != 0)
        {
          int saved = errno;
          if (!had_file)
            g_unlink (final_path);
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                       _("Cannot store the thumbnail of %s: %s. Check that %s is writable."),
                       file, g_strerror (saved), self->media_dir);
          return NULL;
        }
      g_clear_pointer (&staging.tmp_thumb_path, g_free);
    }

  f.sha256 = g_strdup (staging.sha256);
  f.path = g_strdup (final_path);
  f.thumbnail_path = g_strdup (final_thumb);
  f.original_name = g_path_get_basename (file);
  f.mime = g_strdup (staging.type.mime);
  f.kind = g_strdup (kind);
  f.width = staging.width;
  f.height = staging.height;
  f.duration = staging.duration;
  f.size = staging.size;
  f.tags = g_strdupv ((char **) tags);
  f.created = g_get_real_time ();
  fresh = admint_asset_row_new (&f);

  if (!run_sync (self, job_insert_asset, fresh, &inserted, error))
    {
      if (!had_file)
        g_unlink (final_path);
      if (final_thumb != NULL && !had_thumb)
        g_unlink (final_thumb);
      return NULL;
    }
  if (inserted != NULL && out_duplicate != NULL &&
      admint_asset_row_get_created (inserted) != admint_asset_row_get_created (fresh))
    *out_duplicate = TRUE;
  return inserted;
}

typedef struct
{
  char             *file;
  char             *kind;
  char            **tags;
  AdmintAssetLimits limits;
  gboolean          duplicate;
} ImportData;

static void
import_data_free (ImportData *d)
{
  g_free (d->file);
  g_free (d->kind);
  g_strfreev (d->tags);
  g_free (d);
}

typedef struct
{
  AdmintAssetRow *row;
  gboolean        duplicate;
} ImportResult;

static void
import_result_free (ImportResult *r)
{
  g_clear_object (&r->row);
  g_free (r);
}

static void
import_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ImportData *d = task_data;
  g_autoptr(GError) error = NULL;
  ImportResult *r = g_new0 (ImportResult, 1);

  r->row = admint_store_import_asset (source_object, d->file, d->kind,
                                      (const char * const *) d->tags, &d->limits,
                                      &r->duplicate, &error);
  if (r->row == NULL)
    {
      import_result_free (r);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) import_result_free);
}

void
admint_store_import_asset_async (AdmintStore              *self,
                                 const char               *file,
                                 const char               *kind,
                                 const char * const       *tags,
                                 const AdmintAssetLimits  *limits,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *d;

  g_return_if_fail (ADMINT_IS_STORE (self));
  g_return_if_fail (file != NULL);

  d = g_new0 (ImportData, 1);
  d->file = g_strdup (file);
  d->kind = g_strdup (kind);
  d->tags = g_strdupv ((char **) tags);
  if (limits != NULL)
    d->limits = *limits;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_import_asset_async);
  g_task_set_task_data (task, d, (GDestroyNotify) import_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, import_in_thread);
}

AdmintAssetRow *
admint_store_import_asset_finish (AdmintStore   *self,
                                  GAsyncResult  *result,
                                  gboolean      *out_duplicate,
                                  GError       **error)
{
  ImportResult *r = finish_pointer (self, result, admint_store_import_asset_async, error);
  AdmintAssetRow *row;

  if (r == NULL)
    return NULL;
  if (out_duplicate != NULL)
    *out_duplicate = r->duplicate;
  row = g_steal_pointer (&r->row);
  import_result_free (r);
  return row;
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
    "DELETE FROM clips", "DELETE FROM generations", "DELETE FROM assets", NULL
  };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = g_strconcat (w->data_dir, G_DIR_SEPARATOR_S, NULL);
  sqlite3_stmt *st;
  int rc;

  /* Generated media inside the data folder goes too; files the user exported elsewhere stay. */
  st = stmt (w,
    "SELECT final_video_path FROM generations WHERE final_video_path IS NOT NULL"
    " UNION SELECT local_path FROM clips WHERE local_path IS NOT NULL", error);
  if (st == NULL)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    if (g_str_has_prefix (column_text (st, 0), prefix) &&
        strstr (column_text (st, 0), "/../") == NULL)
      g_ptr_array_add (files, g_strdup (column_text (st, 0)));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    return db_fail (w, error, "list the files to remove");

  if (!begin (w, error))
    return FALSE;
  for (guint i = 0; deletes[i] != NULL; i++)
    if (!exec_cached (w, deletes[i], error))
      return rollback (w);
  if (!commit (w, error))
    return rollback (w);

  for (guint i = 0; i < files->len; i++)
    g_unlink (files->pdata[i]);
  remove_tree_contents (w->media_dir);

  /* Deleted rows linger in free pages and the WAL until the file is rewritten. */
  if (!exec_cached (w, "VACUUM", error) ||
      !exec_cached (w, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    return FALSE;
  return TRUE;
}

gboolean
admint_store_purge (AdmintStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);

  return run_sync (self, job_purge, NULL, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */

gboolean
admint_asset_limits_check_files (const AdmintAssetLimits *limits,
                                 const char * const      *files,
                                 GError                 **error)
{
  gint64 max_file = ADMINT_ASSET_DEFAULT_MAX_FILE_BYTES;
  gint64 max_total = ADMINT_ASSET_DEFAULT_MAX_GENERATION_BYTES;
  gint64 total = 0;

  g_return_val_if_fail (files != NULL, FALSE);

  if (limits != NULL && limits->max_file_bytes > 0)
    max_file = limits->max_file_bytes;
  if (limits != NULL && limits->max_generation_bytes > 0)
    max_total = limits->max_generation_bytes;

  for (guint i = 0; files[i] != NULL; i++)
    {
      GStatBuf sb;

      if (g_stat (files[i], &sb) != 0)
        {
          int saved = errno;
          g_set_error (error, ADMINT_ERROR,
                       saved == ENOENT ? ADMINT_ERROR_NOT_FOUND : ADMINT_ERROR_INVALID_INPUT,
                       _("Cannot read %s: %s. Check the path and its permissions."),
                       files[i], g_strerror (saved));
          return FALSE;
        }
      if (sb.st_size > max_file)
        {
          g_autofree char *size = g_format_size (sb.st_size);
          g_autofree char *limit = g_format_size (max_file);
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       "%s is %s; the limit is %s a file. Use a smaller file or raise "
                       "limits.asset_max_bytes.", files[i], size, limit);
          return FALSE;
        }
      total += sb.st_size;
    }
  if (total > max_total)
    {
      g_autofree char *size = g_format_size (total);
      g_autofree char *limit = g_format_size (max_total);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("These %u files add up to %s; the limit for the assets of one generation is "
                   "%s. Use fewer or smaller files, or raise limits.generation_assets_max_bytes."),
                   g_strv_length ((char **) files), size, limit);
      return FALSE;
    }
  return TRUE;
}
