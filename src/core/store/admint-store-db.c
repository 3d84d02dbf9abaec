/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store thread's SQLite helpers and the caller-side argument checks. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-rows-private.h"
#include "admint-store-worker-private.h"

/* ------------------------------------------------------------------------------------------ */
/* SQLite helpers (store thread only)                                                          */

gboolean
store_db_fail (StoreWorker  *w,
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
sqlite3_stmt *
store_stmt (StoreWorker  *w,
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
      store_db_fail (w, error, "prepare a query");
      g_critical ("Cannot prepare %s: %s", sql, sqlite3_errmsg (w->db));
      return NULL;
    }
  g_hash_table_insert (w->stmts, (gpointer) sql, st);
  return st;
}

void
store_bind_text (sqlite3_stmt *st,
                 int           index,
                 const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (st, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (st, index);
}

/* NaN or negative: NULL. */
void
store_bind_optional_double (sqlite3_stmt *st,
                            int           index,
                            double        value)
{
  if (isnan (value) || value < 0)
    sqlite3_bind_null (st, index);
  else
    sqlite3_bind_double (st, index, value);
}

gboolean
store_step_done (StoreWorker   *w,
                 sqlite3_stmt  *st,
                 const char    *what,
                 GError       **error)
{
  int rc = sqlite3_step (st);

  sqlite3_reset (st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return store_db_fail (w, error, what);
  return TRUE;
}

gboolean
store_exec_cached (StoreWorker  *w,
                   const char   *sql,
                   GError      **error)
{
  sqlite3_stmt *st = store_stmt (w, sql, error);
  return st != NULL && store_step_done (w, st, sql, error);
}

gboolean
store_begin (StoreWorker  *w,
             GError      **error)
{
  return store_exec_cached (w, "BEGIN IMMEDIATE", error);
}

gboolean
store_commit (StoreWorker  *w,
              GError      **error)
{
  return store_exec_cached (w, "COMMIT", error);
}

gboolean
store_rollback (StoreWorker *w)
{
  if (!sqlite3_get_autocommit (w->db))
    store_exec_cached (w, "ROLLBACK", NULL);
  return FALSE;
}

const char *
store_column_text (sqlite3_stmt *st,
                   int           col)
{
  return (const char *) sqlite3_column_text (st, col);
}

double
store_column_optional_double (sqlite3_stmt *st,
                              int           col)
{
  return sqlite3_column_type (st, col) == SQLITE_NULL ? -1 : sqlite3_column_double (st, col);
}

/* As its answer, a GListStore of item_type holding make_row's object for every row of st
 * (bound already); what names the work in the error. */
gboolean
store_collect_rows (StoreWorker    *w,
                    sqlite3_stmt   *st,
                    GType           item_type,
                    StoreRowFunc    make_row,
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
    return store_db_fail (w, error, what);
  *result = g_steal_pointer (&list);
  return TRUE;
}

gboolean
store_not_found (GError     **error,
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

gboolean
store_check_one_of (const char          *value,
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

gboolean
store_check_json (const char  *json,
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
