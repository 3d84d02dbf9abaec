/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Brand styles in the library: checked, listed, saved and deleted on their own connection. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdlib.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-scene.h"
#include "admint-store-styles.h"
#include "admint-store-private.h"

#define MAX_NAME_CHARS 80

/* ---- the value ---- */

AdmintBrandStyle *
admint_brand_style_new (const char *name)
{
  AdmintBrandStyle *style = g_new0 (AdmintBrandStyle, 1);

  style->name = g_strdup (name != NULL ? name : "");
  style->palette = g_new0 (char *, 1);
  return style;
}

AdmintBrandStyle *
admint_brand_style_copy (const AdmintBrandStyle *style)
{
  AdmintBrandStyle *copy;

  g_return_val_if_fail (style != NULL, NULL);
  copy = g_memdup2 (style, sizeof *style);
  copy->name = g_strdup (style->name);
  copy->palette = style->palette != NULL ? g_strdupv (style->palette) : g_new0 (char *, 1);
  copy->framework = g_strdup (style->framework);
  copy->voice = g_strdup (style->voice);
  return copy;
}

void
admint_brand_style_free (AdmintBrandStyle *style)
{
  if (style == NULL)
    return;
  g_free (style->name);
  g_strfreev (style->palette);
  g_free (style->framework);
  g_free (style->voice);
  g_free (style);
}

char *
admint_style_normalize_colour (const char *text)
{
  g_autofree char *t = NULL;

  if (text == NULL)
    return NULL;
  t = g_strstrip (g_ascii_strdown (text, -1));
  if (strlen (t) != 7 || t[0] != '#')
    return NULL;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (t[i]))
      return NULL;
  return g_steal_pointer (&t);
}

GStrv
admint_style_parse_palette (const char  *text,
                            GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *colour = NULL;

      if (*g_strstrip (parts[i]) == '\0')
        continue;
      colour = admint_style_normalize_colour (parts[i]);
      if (colour == NULL)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("“%s” is not a colour; write each as #rrggbb, e.g. #1f6feb, separated "
                         "by commas."), parts[i]);
          return NULL;
        }
      g_strv_builder_add (builder, colour);
    }
  return g_strv_builder_end (builder);
}

gboolean
admint_brand_style_check (const AdmintBrandStyle  *style,
                          GError                 **error)
{
  g_return_val_if_fail (style != NULL, FALSE);

  if (style->name == NULL || *style->name == '\0' || !g_utf8_validate (style->name, -1, NULL))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("A brand style needs a name; give it one, e.g. “Spring Campaign”."));
      return FALSE;
    }
  if (g_utf8_strlen (style->name, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The style name “%.20s…” is longer than %d characters; shorten it."),
                   style->name, MAX_NAME_CHARS);
      return FALSE;
    }
  if (style->palette != NULL && g_strv_length (style->palette) > ADMINT_STYLE_MAX_COLOURS)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The style “%s” has %u colours; keep at most %d."), style->name,
                   g_strv_length (style->palette), ADMINT_STYLE_MAX_COLOURS);
      return FALSE;
    }
  for (guint i = 0; style->palette != NULL && style->palette[i] != NULL; i++)
    {
      g_autofree char *colour = admint_style_normalize_colour (style->palette[i]);
      if (colour == NULL || !g_str_equal (colour, style->palette[i]))
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("“%s” in the style “%s” is not a colour; write it as #rrggbb."),
                       style->palette[i], style->name);
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  guint  count;
  double r, g, b;
} Bucket;

static int
compare_buckets (gconstpointer a,
                 gconstpointer b)
{
  const Bucket *x = a, *y = b;
  return (x->count < y->count) - (x->count > y->count);
}

/* The N most used colours of the opaque pixels (4 bits a channel), each its bucket's mean. */
static GStrv
most_used_colours (const char *path,
                   guint       n)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_scale (path, 64, 64, TRUE, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree Bucket *buckets = NULL;
  int channels, stride;
  const guchar *pixels;

  if (pixbuf == NULL || gdk_pixbuf_get_bits_per_sample (pixbuf) != 8)
    return NULL;
  buckets = g_new0 (Bucket, 4096);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        const guchar *p = pixels + y * stride + x * channels;
        Bucket *bucket;

        if (channels == 4 && p[3] < 128)
          continue;
        bucket = &buckets[(p[0] >> 4) << 8 | (p[1] >> 4) << 4 | p[2] >> 4];
        bucket->count++;
        bucket->r += p[0], bucket->g += p[1], bucket->b += p[2];
      }
  qsort (buckets, 4096, sizeof (Bucket), compare_buckets);
  for (guint i = 0; i < n && buckets[i].count > 0; i++)
    {
      g_autofree char *colour = g_strdup_printf ("#%02x%02x%02x",
                                                 (int) (buckets[i].r / buckets[i].count + 0.5),
                                                 (int) (buckets[i].g / buckets[i].count + 0.5),
                                                 (int) (buckets[i].b / buckets[i].count + 0.5));
      g_strv_builder_add (builder, colour);
    }
  return g_strv_builder_end (builder);
}

GStrv
admint_style_palette_from_logo (const char  *path,
                                guint        n,
                                GError     **error)
{
  const char *paths[] = { path, NULL };
  GStrv palette;

  g_return_val_if_fail (path != NULL, NULL);

  palette = admint_palette_from_images (paths, MIN (n, ADMINT_STYLE_MAX_COLOURS));
  /* The clusterer leaves out a photo's plain border, which is all of a one-colour logo. */
  if (palette == NULL || palette[0] == NULL)
    {
      g_strfreev (palette);
      palette = most_used_colours (path, MIN (n, ADMINT_STYLE_MAX_COLOURS));
    }
  if (palette == NULL || palette[0] == NULL)
    {
      g_strfreev (palette);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("No colours could be read from the logo %s; pick the colours by hand or "
                     "choose another logo."), path);
      return NULL;
    }
  return palette;
}

/* ---- the rows ---- */

static GStrv
palette_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *colour =
            admint_style_normalize_colour (json_array_get_string_element (array, i));
          if (colour != NULL)
            g_strv_builder_add (builder, colour);
        }
    }
  return g_strv_builder_end (builder);
}

static char *
palette_to_json (const char * const *palette)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; palette != NULL && palette[i] != NULL; i++)
    json_builder_add_string_value (builder, palette[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

#define STYLE_COLUMNS \
  "id, name, palette, framework, voice, logo_asset_id, music_asset_id, is_default"

static AdmintBrandStyle *
style_from_row (sqlite3_stmt *st)
{
  AdmintBrandStyle *style = g_new0 (AdmintBrandStyle, 1);

  style->id = sqlite3_column_int64 (st, 0);
  style->name = g_strdup ((const char *) sqlite3_column_text (st, 1));
  style->palette = palette_from_json ((const char *) sqlite3_column_text (st, 2));
  style->framework = g_strdup ((const char *) sqlite3_column_text (st, 3));
  style->voice = g_strdup ((const char *) sqlite3_column_text (st, 4));
  style->logo_asset_id = sqlite3_column_int64 (st, 5);
  style->music_asset_id = sqlite3_column_int64 (st, 6);
  style->is_default = sqlite3_column_int (st, 7) != 0;
  return style;
}

static GPtrArray *
list_styles (sqlite3  *db,
             GError  **error)
{
  g_autoptr(GPtrArray) styles = g_ptr_array_new_with_free_func (
    (GDestroyNotify) admint_brand_style_free);
  sqlite3_stmt *st = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT " STYLE_COLUMNS " FROM brand_styles ORDER BY name", -1,
                          &st, NULL) != SQLITE_OK)
    {
      admint_store_library_fail (db, "list the brand styles", error);
      return NULL;
    }
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (styles, style_from_row (st));
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE)
    {
      admint_store_library_fail (db, "list the brand styles", error);
      return NULL;
    }
  return g_steal_pointer (&styles);
}

GPtrArray *
admint_store_list_styles (AdmintStore  *self,
                          GError      **error)
{
  sqlite3 *db;
  GPtrArray *styles;

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);
  if ((db = admint_store_library_open (self, error)) == NULL)
    return NULL;
  styles = list_styles (db, error);
  sqlite3_close (db);
  return styles;
}

AdmintBrandStyle *
admint_store_get_style (AdmintStore  *self,
                        const char   *name,
                        GError      **error)
{
  g_autoptr(GPtrArray) styles = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  g_return_val_if_fail (ADMINT_IS_STORE (self), NULL);

  if ((styles = admint_store_list_styles (self, error)) == NULL)
    return NULL;
  for (guint i = 0; i < styles->len; i++)
    {
      AdmintBrandStyle *style = g_ptr_array_index (styles, i);
      if (name == NULL ? style->is_default : g_str_equal (style->name, name))
        return admint_brand_style_copy (style);
      g_string_append_printf (names, "%s“%s”", names->len ? ", " : "", style->name);
    }
  if (name != NULL)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                 styles->len ? _("There is no brand style “%s”; the styles are %s.")
                             : _("There is no brand style “%s”; there are none yet: make one "
                                 "with “admint styles add NAME”.%s"),
                 name, names->str);
  return NULL;
}

static gboolean
bind_id_or_null (sqlite3_stmt *st,
                 int           index,
                 gint64        id)
{
  return (id > 0 ? sqlite3_bind_int64 (st, index, id) : sqlite3_bind_null (st, index)) == SQLITE_OK;
}

static gint64
save_style (sqlite3                 *db,
            const AdmintBrandStyle  *style,
            GError                 **error)
{
  g_autofree char *palette = palette_to_json ((const char * const *) style->palette);
  sqlite3_stmt *st = NULL;
  gint64 id = style->id;
  int rc;

  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return admint_store_library_fail (db, "save the brand style", error);
  if (style->is_default &&
      sqlite3_exec (db, "UPDATE brand_styles SET is_default = 0 WHERE is_default = 1", NULL,
                    NULL, NULL) != SQLITE_OK)
    goto fail;
  if (sqlite3_prepare_v2 (db, id > 0
                          ? "UPDATE brand_styles SET name = ?1, palette = ?2, framework = ?3,"
                            " voice = ?4, logo_asset_id = ?5, music_asset_id = ?6,"
                            " is_default = ?7 WHERE id = ?8"
                          : "INSERT INTO brand_styles (name, palette, framework, voice,"
                            " logo_asset_id, music_asset_id, is_default, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &st, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (st, 1, style->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 2, palette, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, style->framework, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 4, style->voice, -1, SQLITE_TRANSIENT);
  bind_id_or_null (st, 5, style->logo_asset_id);
  bind_id_or_null (st, 6, style->music_asset_id);
  sqlite3_bind_int (st, 7, style->is_default ? 1 : 0);
  sqlite3_bind_int64 (st, 8, id > 0 ? id : g_get_real_time ());
  rc = sqlite3_step (st);
  sqlite3_finalize (st);
  if (rc == SQLITE_CONSTRAINT)
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("A brand style named “%s” exists already, or its logo or music is not in "
                     "the library; choose another name or asset."), style->name);
      return 0;
    }
  if (rc != SQLITE_DONE)
    goto fail;
  if (id > 0 && sqlite3_changes (db) == 0)
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("Brand style %lld is not in the library; it may have been deleted."),
                   (long long) id);
      return 0;
    }
  if (id <= 0)
    id = sqlite3_last_insert_rowid (db);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    goto fail;
  return id;

fail:
  admint_store_library_fail (db, "save the brand style", error);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return 0;
}

gint64
admint_store_save_style (AdmintStore             *self,
                         const AdmintBrandStyle  *style,
                         GError                 **error)
{
  sqlite3 *db;
  gint64 id;

  g_return_val_if_fail (ADMINT_IS_STORE (self), 0);
  g_return_val_if_fail (style != NULL, 0);

  if (!admint_brand_style_check (style, error) || (db = admint_store_library_open (self, error)) == NULL)
    return 0;
  id = save_style (db, style, error);
  sqlite3_close (db);
  return id;
}

gboolean
admint_store_delete_style (AdmintStore  *self,
                           gint64        id,
                           GError      **error)
{
  sqlite3 *db;
  sqlite3_stmt *st = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (ADMINT_IS_STORE (self), FALSE);

  if ((db = admint_store_library_open (self, error)) == NULL)
    return FALSE;
  if (sqlite3_prepare_v2 (db, "DELETE FROM brand_styles WHERE id = ?", -1, &st, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (st, 1, id);
      ok = sqlite3_step (st) == SQLITE_DONE;
    }
  sqlite3_finalize (st);
  if (!ok)
    admint_store_library_fail (db, "delete the brand style", error);
  else if (sqlite3_changes (db) == 0)
    {
      ok = FALSE;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("Brand style %lld is not in the library; it may have been deleted."),
                   (long long) id);
    }
  sqlite3_close (db);
  return ok;
}

/* ---- in workers ---- */

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *styles = admint_store_list_styles (source, &error);

  if (styles == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, styles, (GDestroyNotify) g_ptr_array_unref);
}

void
admint_store_list_styles_async (AdmintStore         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ADMINT_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_list_styles_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
admint_store_list_styles_finish (AdmintStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  AdmintBrandStyle *style;
  gboolean          extract;
} SaveData;

static void
save_data_free (SaveData *data)
{
  admint_brand_style_free (data->style);
  g_free (data);
}

static char *
asset_path (AdmintStore *store,
            gint64       id)
{
  sqlite3 *db = admint_store_library_open (store, NULL);
  sqlite3_stmt *st = NULL;
  char *path = NULL;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, "SELECT path FROM assets WHERE id = ?", -1, &st, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (st, 1, id);
      if (sqlite3_step (st) == SQLITE_ROW)
        path = g_strdup ((const char *) sqlite3_column_text (st, 0));
    }
  sqlite3_finalize (st);
  sqlite3_close (db);
  return path;
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;
  AdmintBrandStyle *style = admint_brand_style_copy (data->style);

  if (data->extract && style->logo_asset_id > 0)
    {
      g_autofree char *path = asset_path (source, style->logo_asset_id);
      GStrv palette = path != NULL ? admint_style_palette_from_logo (path, 5, NULL) : NULL;
      if (palette != NULL)
        {
          g_strfreev (style->palette);
          style->palette = palette;
        }
    }
  style->id = admint_store_save_style (source, style, &error);
  if (style->id == 0)
    {
      admint_brand_style_free (style);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, style, (GDestroyNotify) admint_brand_style_free);
}

void
admint_store_save_style_async (AdmintStore             *self,
                               const AdmintBrandStyle  *style,
                               gboolean                 extract_from_logo,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (ADMINT_IS_STORE (self));
  g_return_if_fail (style != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_save_style_async);
  data = g_new0 (SaveData, 1);
  data->style = admint_brand_style_copy (style);
  data->extract = extract_from_logo;
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

AdmintBrandStyle *
admint_store_save_style_finish (AdmintStore   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (admint_store_delete_style (source, *(gint64 *) task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
admint_store_delete_style_async (AdmintStore         *self,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ADMINT_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_store_delete_style_async);
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  g_task_run_in_thread (task, delete_thread);
}

gboolean
admint_store_delete_style_finish (AdmintStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
