/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's brand assets: importing, finding, listing and removing them, and the size limits. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-store-rows-private.h"
#include "admint-store-worker-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Assets                                                                                      */

static const char * const asset_kinds[] = {
  "product", "logo", "character", "music", "style", "misc", NULL
};

#define ASSET_COLUMNS \
  "id, sha256, path, thumbnail_path, original_name, mime, kind, width, height," \
  " duration_seconds, size_bytes, tags, created_at"

static gpointer
asset_from_row (sqlite3_stmt  *st,
                gconstpointer  data)
{
  AdmintAssetFields f = { 0 };
  g_autoptr(JsonNode) tags = json_from_string (store_column_text (st, 11), NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  f.id = sqlite3_column_int64 (st, 0);
  f.sha256 = g_strdup (store_column_text (st, 1));
  f.path = g_strdup (store_column_text (st, 2));
  f.thumbnail_path = g_strdup (store_column_text (st, 3));
  f.original_name = g_strdup (store_column_text (st, 4));
  f.mime = g_strdup (store_column_text (st, 5));
  f.kind = g_strdup (store_column_text (st, 6));
  f.width = sqlite3_column_int (st, 7);
  f.height = sqlite3_column_int (st, 8);
  f.duration = store_column_optional_double (st, 9);
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
      st = store_stmt (w, "SELECT " ASSET_COLUMNS " FROM assets WHERE sha256 = ?", error);
      if (st == NULL)
        return FALSE;
      store_bind_text (st, 1, a->s[0]);
    }
  else
    {
      st = store_stmt (w, "SELECT " ASSET_COLUMNS " FROM assets WHERE id = ?", error);
      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, a->i[0]);
    }
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    *result = asset_from_row (st, NULL);
  sqlite3_reset (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return store_db_fail (w, error, "look the asset up");
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

  if (!store_run_sync (self, job_find_asset, &a, &row, error))
    return NULL;
  if (row == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      store_not_found (error, "asset", text);
    }
  return row;
}

static gboolean
job_list_assets (StoreWorker  *w,
                 gpointer      data,
                 gpointer     *result,
                 GError      **error)
{
  sqlite3_stmt *st = store_stmt (w, "SELECT " ASSET_COLUMNS " FROM assets ORDER BY id", error);

  if (st == NULL)
    return FALSE;
  return store_collect_rows (w, st, ADMINT_TYPE_ASSET_ROW, asset_from_row, NULL,
                             "list the assets", result, error);
}

GListModel *
admint_store_list_assets (AdmintStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  return store_run_sync_pointer (self, job_list_assets, NULL, error);
}

void
admint_store_list_assets_async (AdmintStore         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_STORE (self));

  store_run_async (self, job_list_assets, NULL, NULL, g_object_unref,
                   admint_store_list_assets_async, cancellable, callback, user_data);
}

GListModel *
admint_store_list_assets_finish (AdmintStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return store_finish_pointer (self, result, admint_store_list_assets_async, error);
}

static gboolean
asset_file_in_use (StoreWorker *w,
                   const char  *sha256)
{
  sqlite3_stmt *st = store_stmt (w,
    "SELECT EXISTS (SELECT 1 FROM generations WHERE instr(assets_json, ?) > 0)"
    " OR EXISTS (SELECT 1 FROM assets WHERE sha256 = ?)", NULL);
  gboolean used = TRUE;   /* when in doubt, keep the file */

  if (st == NULL)
    return TRUE;
  store_bind_text (st, 1, sha256);
  store_bind_text (st, 2, sha256);
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
      return store_not_found (error, "asset", text);
    }

  st = store_stmt (w, "DELETE FROM assets WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, a->i[0]);
  if (!store_step_done (w, st, "remove the asset", error))
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

  return store_run_sync (self, job_remove_asset, &a, NULL, error);
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
  sqlite3_stmt *st = store_stmt (w,
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

  store_bind_text (st, 1, admint_asset_row_get_sha256 (row));
  store_bind_text (st, 2, admint_asset_row_get_path (row));
  store_bind_text (st, 3, admint_asset_row_get_thumbnail_path (row));
  store_bind_text (st, 4, admint_asset_row_get_original_name (row));
  store_bind_text (st, 5, admint_asset_row_get_mime (row));
  store_bind_text (st, 6, admint_asset_row_get_kind (row));
  sqlite3_bind_int (st, 7, admint_asset_row_get_width (row));
  sqlite3_bind_int (st, 8, admint_asset_row_get_height (row));
  store_bind_optional_double (st, 9, admint_asset_row_get_duration (row));
  sqlite3_bind_int64 (st, 10, admint_asset_row_get_size (row));
  store_bind_text (st, 11, tags_json);
  sqlite3_bind_int64 (st, 12, admint_asset_row_get_created (row));

  if (sqlite3_step (st) != SQLITE_DONE)
    {
      /* Another import of the same bytes won the race: report that one as the duplicate. */
      gboolean dup = sqlite3_extended_errcode (w->db) == SQLITE_CONSTRAINT_UNIQUE;
      sqlite3_reset (st);
      if (dup)
        return job_find_asset (w, &find, result, error);
      return store_db_fail (w, error, "record the asset");
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
  static const char * const raster_kinds[] = { "product", "logo", "character", "style", "misc", NULL };
  static const char * const svg_kinds[] = { "logo", "style", "misc", NULL };
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

  if ((kind != NULL && !store_check_one_of (kind, asset_kinds, "kind of asset", error)) ||
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
    if (!store_run_sync (self, job_find_asset, &find, (gpointer *) &existing, error))
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

  if (!store_run_sync (self, job_insert_asset, fresh, &inserted, error))
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
  /* Hashing, decoding and thumbnailing 200 photos must not take cores from the UI. */
  admint_worker_lower_priority ();
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
  ImportResult *r = store_finish_pointer (self, result, admint_store_import_asset_async, error);
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
