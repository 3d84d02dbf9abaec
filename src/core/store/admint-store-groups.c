/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's variant groups and brand styles. */
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
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO generation_groups (id, name, created_at) VALUES (?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, id);
  store_bind_text (st, 2, a->s[0]);
  sqlite3_bind_int64 (st, 3, g_get_real_time ());
  if (!store_step_done (w, st, "create the group", error))
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

  return store_run_sync_pointer (self, job_create_group, &a, error);
}

static gboolean
job_add_group_member (StoreWorker  *w,
                      gpointer      data,
                      gpointer     *result,
                      GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO generation_group_members (group_id, generation_id, variant) VALUES (?, ?, ?)",
    error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  store_bind_text (st, 2, a->s[1]);
  store_bind_text (st, 3, a->s[2]);
  return store_step_done (w, st, "add the variant to the group", error);
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

  return store_run_sync (self, job_add_group_member, &a, NULL, error);
}

static gboolean
job_list_group_members (StoreWorker  *w,
                        gpointer      data,
                        gpointer     *result,
                        GError      **error)
{
  static const char * const names[] = {
    "generation_id", "variant", "status", "quality_score", "prompt", "name", "winner?", NULL
  };
  sqlite3_stmt *st = store_stmt (w,
    "SELECT m.generation_id, m.variant, g.status, g.quality_score, g.prompt, g.name,"
    " coalesce(gg.winner_id = m.generation_id, 0)"
    " FROM generation_group_members m JOIN generations g ON g.id = m.generation_id"
    " JOIN generation_groups gg ON gg.id = m.group_id"
    " WHERE m.group_id = ? AND g.deleted_at IS NULL ORDER BY m.variant", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, data);
  return store_rows_to_array (w, st, names, result, error);
}

JsonNode *
admint_store_list_group_members (AdmintStore  *self,
                                 const char   *group_id,
                                 GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  return store_run_sync_pointer (self, job_list_group_members, (gpointer) group_id, error);
}

static gboolean
job_create_brand_style (StoreWorker  *w,
                        gpointer      data,
                        gpointer     *result,
                        GError      **error)
{
  Args *a = data;
  sqlite3_stmt *st = store_stmt (w,
    "INSERT INTO brand_styles (name, logo_asset_id, palette, fonts, description, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  store_bind_text (st, 1, a->s[0]);
  if (a->i[0] > 0)
    sqlite3_bind_int64 (st, 2, a->i[0]);
  store_bind_text (st, 3, a->s[1] ? a->s[1] : "[]");
  store_bind_text (st, 4, a->s[2] ? a->s[2] : "[]");
  store_bind_text (st, 5, a->s[3]);
  sqlite3_bind_int64 (st, 6, g_get_real_time ());
  if (!store_step_done (w, st, "save the brand style", error))
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
  if (!store_check_json (fonts_json, "list of fonts", error))
    return 0;
  if (!store_run_sync (self, job_create_brand_style, &a, NULL, error))
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
  sqlite3_stmt *st = store_stmt (w,
    "INSERT OR IGNORE INTO brand_style_assets (style_id, asset_id) VALUES (?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, a->i[0]);
  sqlite3_bind_int64 (st, 2, a->i[1]);
  return store_step_done (w, st, "add the asset to the brand style", error);
}

gboolean
admint_store_add_brand_style_asset (AdmintStore  *self,
                                    gint64        style_id,
                                    gint64        asset_id,
                                    GError      **error)
{
  Args a = { .i = { style_id, asset_id } };

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);

  return store_run_sync (self, job_add_brand_style_asset, &a, NULL, error);
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
  sqlite3_stmt *st = store_stmt (w,
    "SELECT s.id, s.name, s.logo_asset_id, s.palette, s.fonts, s.description,"
    " (SELECT json_group_array(a.asset_id) FROM brand_style_assets a WHERE a.style_id = s.id)"
    " FROM brand_styles s ORDER BY s.name", error);

  if (st == NULL)
    return FALSE;
  return store_rows_to_array (w, st, names, result, error);
}

JsonNode *
admint_store_list_brand_styles (AdmintStore  *self,
                                GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  return store_run_sync_pointer (self, job_list_brand_styles, NULL, error);
}
