/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's chat messages of a generation. */
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
/* Messages                                                                                    */

static const char * const message_kinds[] = {
  "text", "story", "references", "scenes", "progress", "video", "scores", "error", NULL
};

static gboolean
job_add_message (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO messages (generation_id, role, kind, body, created_at) VALUES (?, ?, ?, ?, ?)",
    error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  store_bind_text (st, 2, a->s[1]);
  store_bind_text (st, 3, a->s[2]);
  store_bind_text (st, 4, a->s[3]);
  sqlite3_bind_int64 (st, 5, g_get_real_time ());
  if (!store_step_done (w, st, "save the message", error))
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

  if (!store_check_one_of (kind, message_kinds, "message kind", error) ||
            !store_check_json (body_json, "message body", error))
    return -1;
  if (admint_store_get_queue_writes (self))
    return store_run_write (self, job_add_message, &a, error) ? 0 : -1;
  if (!store_run_sync (self, job_add_message, &a, NULL, error))
    return -1;
  return a.i[0];
}

/* data: the generation's id. */
static gpointer
message_from_row (sqlite3_stmt  *st,
                  gconstpointer  data)
{
  return admint_message_row_new (sqlite3_column_int64 (st, 0), data, store_column_text (st, 1),
                                       store_column_text (st, 2), store_column_text (st, 3),
                                       sqlite3_column_int64 (st, 4));
}

static gboolean
job_list_messages (StoreWorker  *w,
                   gpointer      data,
                   gpointer     *result,
                   GError      **error)
{
  const char *id = data;
  sqlite3_stmt *st = store_stmt (w,
    "SELECT id, role, kind, body, created_at FROM messages WHERE generation_id = ? ORDER BY id",
    error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, id);
  return store_collect_rows (w, st, ADMINT_TYPE_MESSAGE_ROW, message_from_row, id,
                             "list the messages", result, error);
}

GListModel *
admint_store_list_messages (AdmintStore  *self,
                            const char   *generation_id,
                            GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (generation_id != NULL, NULL);

  return store_run_sync_pointer (self, job_list_messages, (gpointer) generation_id, error);
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

  store_run_async (self, job_list_messages, g_strdup (generation_id), g_free, g_object_unref,
                   admint_store_list_messages_async, cancellable, callback, user_data);
}

GListModel *
admint_store_list_messages_finish (AdmintStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return store_finish_pointer (self, result, admint_store_list_messages_async, error);
}
