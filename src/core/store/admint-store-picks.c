/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's names of ads, the undoing of a delete, and the variant picked from a group. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-worker-private.h"

#define MAX_NAME_CHARS 120

static gboolean
job_rename (StoreWorker  *w,
            gpointer      data,
            gpointer     *result,
            GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE generations SET name = ?, updated_at = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[1]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  store_bind_text (st, 3, a->s[0]);
  return store_update_generation (w, st, a->s[0], "rename the ad", error);
}

gboolean
admint_store_rename_generation (AdmintStore  *self,
                                const char   *id,
                                const char   *name,
                                GError      **error)
{
  g_autofree char *clean = NULL;
  Args a = { .s = { id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (name != NULL)
    {
      if (!g_utf8_validate (name, -1, NULL))
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("The name is not valid UTF-8 text; type it again."));
          return FALSE;
        }
      clean = g_strstrip (g_strdup (name));
      if (strchr (clean, '\n') != NULL || strchr (clean, '\r') != NULL)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("A name is one line: take out the line breaks."));
          return FALSE;
        }
      if (g_utf8_strlen (clean, -1) > MAX_NAME_CHARS)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("The name is %ld characters long; shorten it to %d at most."),
                       g_utf8_strlen (clean, -1), MAX_NAME_CHARS);
          return FALSE;
        }
    }
  /* An empty name means "no name": the brief is shown again. */
  a.s[1] = clean != NULL && *clean != '\0' ? clean : NULL;
  return store_run_sync (self, job_rename, &a, NULL, error);
}

static gboolean
job_restore (StoreWorker  *w,
             gpointer      data,
             gpointer     *result,
             GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w, "UPDATE generations SET deleted_at = NULL WHERE id = ?",
                                 error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  return store_update_generation (w, st, a->s[0], "bring the ad back", error);
}

gboolean
admint_store_restore_generation (AdmintStore  *self,
                                 const char   *id,
                                 GError      **error)
{
  Args a = { .s = { id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return store_run_sync (self, job_restore, &a, NULL, error);
}

/* The answer: the group's id, or NULL (no error) when the ad is in none. */
static gboolean
job_get_group (StoreWorker  *w,
               gpointer      data,
               gpointer     *result,
               GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "SELECT (SELECT min(m.group_id) FROM generation_group_members m"
    "        WHERE m.generation_id = g.id) FROM generations g WHERE g.id = ?", error);
  int rc;

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    *result = g_strdup (store_column_text (st, 0));
  sqlite3_reset (st);
  if (rc == SQLITE_DONE)
    return store_not_found (error, "generation", a->s[0]);
  if (rc != SQLITE_ROW)
    return store_db_fail (w, error, "find the ad's variants");
  return TRUE;
}

char *
admint_store_get_generation_group (AdmintStore  *self,
                                   const char   *generation_id,
                                   GError      **error)
{
  Args a = { .s = { generation_id } };
  gpointer group = NULL;

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (generation_id != NULL, NULL);

  if (!store_run_sync (self, job_get_group, &a, &group, error))
    return NULL;
  return group;
}

static gboolean
job_pick (StoreWorker  *w,
          gpointer      data,
          gpointer     *result,
          GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "UPDATE generation_groups SET winner_id = ?, picked_at = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  store_bind_text (st, 3, a->s[1]);
  return store_step_done (w, st, "store the picked variant", error);
}

char *
admint_store_pick_winner (AdmintStore  *self,
                          const char   *generation_id,
                          GError      **error)
{
  g_autofree char *group = NULL;
  g_autoptr(GError) local = NULL;
  Args a = { .s = { generation_id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (generation_id != NULL, NULL);

  group = admint_store_get_generation_group (self, generation_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (group == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Ad %s is a single ad, not one of a group of variants, so there is nothing "
                   "to pick it from. Make variants with `admint generate --variants N`."),
                   generation_id);
      return NULL;
    }
  a.s[1] = group;
  if (!store_run_sync (self, job_pick, &a, NULL, error))
    return NULL;
  return g_steal_pointer (&group);
}
