/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the store's files share: the store thread's state, its jobs, and the SQLite helpers. */
#pragma once

#include <sqlite3.h>
#include <gio/gio.h>

#include "admint-store.h"

G_BEGIN_DECLS

/* Everything the store thread owns. Only the store thread touches db and stmts. */
typedef struct
{
  GAsyncQueue *queue;
  sqlite3     *db;
  GHashTable  *stmts;      /* SQL text -> sqlite3_stmt*, prepared once */
  char        *db_path;
  char        *data_dir;
  char        *media_dir;
  GError      *queued_error;  /* the first queued record that failed since the last flush */
} StoreWorker;

typedef gboolean (*StoreJobFunc) (StoreWorker  *w,
                                  gpointer      data,
                                  gpointer     *result,
                                  GError      **error);

struct _AdmintStore
{
  GObject      parent_instance;
  GThread     *thread;
  GAsyncQueue *queue;
  char        *db_path;
  char        *media_dir;
  gint         queue_writes;  /* atomic: admint_store_set_queue_writes */
};

/* One object made from the current row of st; data is store_collect_rows's row_data. */
typedef gpointer (*StoreRowFunc) (sqlite3_stmt  *st,
                                  gconstpointer  data);

/* The arguments of a blocking call, borrowed from the caller's stack. */
typedef struct
{
  const char   *s[6];
  double        d[ADMINT_QUALITY_N_DIMENSIONS + 3];
  gint64        i[3];
  const char  **strv;
} Args;

G_GNUC_INTERNAL
gboolean store_run_sync (AdmintStore   *self,
                         StoreJobFunc   func,
                         gpointer       data,
                         gpointer      *result,
                         GError       **error);

/* store_run_sync for a job whose answer is a pointer: that answer, or NULL with error set. */
G_GNUC_INTERNAL
gpointer store_run_sync_pointer (AdmintStore   *self,
                                 StoreJobFunc   func,
                                 gpointer       data,
                                 GError       **error);

/* A record whose caller needs no answer: queued when the store queues writes (A is copied;
 * TRUE at once), else store_run_sync. See admint_store_set_queue_writes. */
G_GNUC_INTERNAL
gboolean store_run_write (AdmintStore   *self,
                          StoreJobFunc   func,
                          const Args    *a,
                          GError       **error);

G_GNUC_INTERNAL
void store_run_async (AdmintStore         *self,
                      StoreJobFunc         func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data);

G_GNUC_INTERNAL
gpointer store_finish_pointer (AdmintStore   *self,
                               GAsyncResult  *result,
                               gpointer       source_tag,
                               GError       **error);

G_GNUC_INTERNAL
gboolean store_db_fail (StoreWorker  *w,
                        GError      **error,
                        const char   *what);

/* A cached prepared statement, reset and with no bindings. */
G_GNUC_INTERNAL
sqlite3_stmt *store_stmt (StoreWorker  *w,
                          const char   *sql,
                          GError      **error);

G_GNUC_INTERNAL
void store_bind_text (sqlite3_stmt *st,
                      int           index,
                      const char   *text);

/* NaN or negative: NULL. */
G_GNUC_INTERNAL
void store_bind_optional_double (sqlite3_stmt *st,
                                 int           index,
                                 double        value);

/* Runs ST, one UPDATE of a generation by ID, and reports an unknown id as NOT_FOUND
 * (admint-store-generations.c). */
G_GNUC_INTERNAL
gboolean store_update_generation (StoreWorker   *w,
                                  sqlite3_stmt  *st,
                                  const char    *id,
                                  const char    *what,
                                  GError       **error);

G_GNUC_INTERNAL
gboolean store_step_done (StoreWorker   *w,
                          sqlite3_stmt  *st,
                          const char    *what,
                          GError       **error);

G_GNUC_INTERNAL
gboolean store_exec_cached (StoreWorker  *w,
                            const char   *sql,
                            GError      **error);

G_GNUC_INTERNAL
gboolean store_begin (StoreWorker  *w,
                      GError      **error);

G_GNUC_INTERNAL
gboolean store_commit (StoreWorker  *w,
                       GError      **error);

G_GNUC_INTERNAL
gboolean store_rollback (StoreWorker *w);

G_GNUC_INTERNAL
const char *store_column_text (sqlite3_stmt *st,
                               int           col);

G_GNUC_INTERNAL
double store_column_optional_double (sqlite3_stmt *st,
                                     int           col);

/* As its answer, a GListStore of item_type holding make_row's object for every row of st
 * (bound already); what names the work in the error. */
G_GNUC_INTERNAL
gboolean store_collect_rows (StoreWorker    *w,
                             sqlite3_stmt   *st,
                             GType           item_type,
                             StoreRowFunc    make_row,
                             gconstpointer   row_data,
                             const char     *what,
                             gpointer       *result,
                             GError        **error);

G_GNUC_INTERNAL
gboolean store_not_found (GError     **error,
                          const char  *what,
                          const char  *id);

G_GNUC_INTERNAL
gboolean store_check_one_of (const char          *value,
                             const char * const  *allowed,
                             const char          *what,
                             GError             **error);

G_GNUC_INTERNAL
gboolean store_check_json (const char  *json,
                           const char  *what,
                           GError     **error);

/* As its answer, the rows of st as a JSON array of objects (see add_rows in
 * admint-store-listing.c). */
G_GNUC_INTERNAL
gboolean store_rows_to_array (StoreWorker         *w,
                              sqlite3_stmt        *st,
                              const char * const  *names,
                              gpointer            *result,
                              GError             **error);

G_END_DECLS
