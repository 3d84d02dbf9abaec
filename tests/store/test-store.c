/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: migrations, refusal of newer databases, crash safety, and every table's API. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"
#include "admint-test-util.h"

static const char *self_path;

static char *
fresh_db_path (const char *name)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), name, NULL);

  admint_test_rm_rf (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, "admint.db", NULL);
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *st = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  if (sqlite3_step (st) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return text;
}

static AdmintStore *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  AdmintStore *store = admint_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
test_open_empty (void)
{
  g_autofree char *path = fresh_db_path ("empty");
  AdmintStore *store = open_ok (path);
  sqlite3 *db;
  g_autofree char *version = NULL, *mode = NULL, *tables = NULL;

  g_assert_cmpstr (admint_store_get_db_path (store), ==, path);
  g_assert_true (g_str_has_suffix (admint_store_get_media_dir (store), "/empty/media"));

  db = raw_open (path);
  version = raw_text (db, "PRAGMA user_version");
  mode = raw_text (db, "PRAGMA journal_mode");
  tables = raw_text (db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema"
                         " WHERE type = 'table' ORDER BY name)");
  sqlite3_close (db);
  g_assert_cmpint (atoi (version), ==, ADMINT_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpstr (tables, ==, "assets brand_style_assets brand_styles clips "
                               "generation_group_members generation_groups generations "
                               "messages predictions quality_metrics reference_predictions "
                               "usage");
  g_assert_finalize_object (store);

  /* Opening again is a no-op. */
  store = open_ok (path);
  g_assert_finalize_object (store);
}

/* A database as version `from` of Ad Mint left it, with one generation in it, migrates to the
 * current schema and keeps its data. */
static void
test_migrate_from (gconstpointer data)
{
  int from = GPOINTER_TO_INT (data);
  g_autofree char *name = g_strdup_printf ("migrate-%d", from);
  g_autofree char *path = fresh_db_path (name);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = raw_open (path);
  AdmintStore *store;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *version = NULL, *indexes = NULL;
  double dims[ADMINT_QUALITY_N_DIMENSIONS] = { 0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.7 };

  g_assert_true (admint_store_schema_migrate (db, from, &error));
  g_assert_no_error (error);
  g_assert_cmpint (admint_store_schema_get_version (db, NULL), ==, from);
  if (from >= 1)
    {
      g_assert_cmpint (sqlite3_exec (db,
        "INSERT INTO generations (id, prompt, status, created_at, updated_at) VALUES"
        " ('old-one', 'an old brief', 'completed', 1000000, 1000000);"
        "INSERT INTO usage (provider, model, operation, units, cost_usd, generation_id,"
        " created_at) VALUES ('openai', 'gpt', 'chat', 10, 0.25, 'old-one', 1000000);"
        "INSERT INTO assets (sha256, path, original_name, mime, kind, size_bytes, created_at)"
        " VALUES ('abc', '/x/abc.png', 'logo.png', 'image/png', 'logo', 10, 1000000);",
        NULL, NULL, NULL), ==, SQLITE_OK);
    }
  if (from >= 2)
    /* A style that refers to the logo: rebuilding the assets table in step 4 must keep both. */
    g_assert_cmpint (sqlite3_exec (db,
      "PRAGMA foreign_keys = ON;"
      "INSERT INTO brand_styles (id, name, logo_asset_id, palette, created_at) VALUES"
      " (1, 'Old Style', 1, '[\"#112233\"]', 1000000);"
      "INSERT INTO brand_style_assets (style_id, asset_id) VALUES (1, 1);",
      NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_ok (path);

  db = raw_open (path);
  version = raw_text (db, "PRAGMA user_version");
  indexes = raw_text (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                          " AND name NOT LIKE 'sqlite_autoindex%'");
  if (from >= 2)
    {
      g_autofree char *kept = raw_text (db, "SELECT s.name || ':' || s.logo_asset_id || ':' ||"
                                            " s.is_default || ':' || (SELECT count(*) FROM"
                                            " brand_style_assets) FROM brand_styles s");
      g_assert_cmpstr (kept, ==, "Old Style:1:0:1");
    }
  /* Step 4 lets an asset be a style reference, and still refuses unknown kinds. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO assets (sha256, path, original_name, mime, kind,"
                                     " size_bytes, created_at) VALUES ('def', '/x/def.png',"
                                     " 'mood.png', 'image/png', 'style', 10, 1)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO assets (sha256, path, original_name, mime, kind,"
                                     " size_bytes, created_at) VALUES ('ghi', '/x/ghi.png',"
                                     " 'x.png', 'image/png', 'poster', 10, 1)",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
  g_assert_cmpint (atoi (version), ==, ADMINT_STORE_SCHEMA_VERSION);
  g_assert_cmpint (atoi (indexes), ==, 12);

  list = admint_store_list_generations (store, 0, -1, &error);
  g_assert_no_error (error);
  if (from >= 1)
    {
      g_autoptr(AdmintGenerationRow) row = NULL;
      g_autoptr(AdmintAssetRow) asset = NULL;

      g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
      row = g_list_model_get_item (list, 0);
      g_assert_cmpstr (admint_generation_row_get_id (row), ==, "old-one");
      g_assert_cmpfloat (admint_generation_row_get_cost (row), ==, 0.25);

      /* The columns later steps added work on old rows. */
      g_assert_true (admint_store_save_quality (store, "old-one", -1, dims, 71, 2.5, &error));
      g_assert_no_error (error);
      node = admint_store_get_generation (store, "old-one", &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (node),
                                                        "quality_score"), ==, 71);
      asset = admint_store_get_asset (store, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (admint_asset_row_get_duration (asset), <, 0);
    }
  else
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);

  g_clear_object (&list);
  g_assert_finalize_object (store);
}

static GBytes *
read_bytes (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static void
test_too_new (void)
{
  g_autofree char *path = fresh_db_path ("too-new");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  sqlite3 *db = raw_open (path);
  AdmintStore *store;

  g_assert_true (admint_store_schema_migrate (db, ADMINT_STORE_SCHEMA_VERSION, NULL));
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO generations (id, prompt, created_at, updated_at) VALUES ('x', 'y', 1, 1);"
    "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = read_bytes (path);

  store = admint_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "Upgrade Ad Mint"));
  g_assert_nonnull (strstr (error->message, "99"));

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_not_a_database (void)
{
  g_autofree char *path = fresh_db_path ("garbage");
  g_autoptr(GError) error = NULL;
  AdmintStore *store;

  g_assert_true (g_file_set_contents (path, "this is not SQLite, it is a text file that is "
                                            "long enough to have a header of its own.\n",
                                      -1, NULL));
  store = admint_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_generations (void)
{
  g_autofree char *path = fresh_db_path ("generations");
  AdmintStore *store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  a = admint_store_create_generation (store, "first brief", "AIDA", "{\"k\": 1}",
                                      "[\"/a.png\"]", &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (a));
  b = admint_store_create_generation (store, "second brief", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  c = admint_store_create_generation (store, "third brief", "PAS", NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (admint_store_update_generation_status (store, a, "story", "writing", NULL,
                                                        &error));
  g_assert_true (admint_store_set_generation_json (store, a, "story", "{\"beats\": [1, 2]}",
                                                   &error));
  g_assert_true (admint_store_set_story_score (store, a, 8.5, &error));
  g_assert_true (admint_store_set_generation_json (store, a, "references", "[]", &error));
  g_assert_true (admint_store_set_generation_json (store, a, "scenes", "[{\"n\": 1}]", &error));
  g_assert_true (admint_store_set_final_video (store, a, "/tmp/final.mp4", 77.5, &error));
  g_assert_true (admint_store_update_generation_status (store, a, "completed", NULL, NULL,
                                                        &error));
  g_assert_true (admint_store_record_usage (store, "openai", "gpt-4o", "chat", 1200, 0.5, a,
                                            &error));
  g_assert_true (admint_store_record_usage (store, "replicate", "veo-3", "video", 8, 1.25, a,
                                            &error));
  g_assert_true (admint_store_record_usage (store, "openai", "gpt-4o", "chat", 10, 0.01, NULL,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (admint_store_get_generation_cost (store, a, &error), 1.75,
                                  1e-9);
  g_assert_true (admint_store_soft_delete_generation (store, b, &error));
  g_assert_no_error (error);

  /* Newest first, without the deleted one, with score and cost. */
  list = admint_store_list_generations (store, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  {
    g_autoptr(AdmintGenerationRow) first = g_list_model_get_item (list, 0);
    g_autoptr(AdmintGenerationRow) second = g_list_model_get_item (list, 1);
    g_autofree char *status = NULL;

    g_assert_cmpstr (admint_generation_row_get_id (first), ==, c);
    g_assert_cmpstr (admint_generation_row_get_status (first), ==, "pending");
    g_assert_cmpfloat (admint_generation_row_get_quality_score (first), <, 0);
    g_assert_cmpstr (admint_generation_row_get_id (second), ==, a);
    g_assert_cmpstr (admint_generation_row_get_prompt (second), ==, "first brief");
    g_assert_cmpfloat (admint_generation_row_get_quality_score (second), ==, 77.5);
    g_assert_cmpfloat_with_epsilon (admint_generation_row_get_cost (second), 1.75, 1e-9);
    g_object_get (second, "status", &status, NULL);
    g_assert_cmpstr (status, ==, "completed");
  }
  g_clear_object (&list);
  list = admint_store_list_generations (store, 1, 50, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);

  g_assert_true (admint_store_has_generation (store, b, TRUE, &error));
  g_assert_false (admint_store_has_generation (store, b, FALSE, &error));
  g_assert_false (admint_store_has_generation (store, "nope", TRUE, &error));
  g_assert_no_error (error);

  node = admint_store_get_generation (store, a, &error);
  g_assert_no_error (error);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, a);
  g_assert_cmpstr (json_object_get_string_member (o, "framework"), ==, "AIDA");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "completed");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "config"),
                                               "k"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "assets")), ==, 1);
  g_assert_cmpuint (json_array_get_length (
    json_object_get_array_member (json_object_get_object_member (o, "story"), "beats")), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (o, "story_score"), ==, 8.5);
  g_assert_cmpstr (json_object_get_string_member (o, "final_video_path"), ==, "/tmp/final.mp4");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "created"), "Z"));
  g_assert_false (json_object_get_null_member (o, "completed"));
  g_assert_true (json_object_get_null_member (o, "deleted"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "usage")), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "cost_usd"), 1.75, 1e-9);

  /* Bad input, each with its error. */
  g_assert_false (admint_store_update_generation_status (store, a, "exploded", NULL, NULL,
                                                         &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "exploded"));
  g_clear_error (&error);
  g_assert_false (admint_store_update_generation_status (store, "missing-id", "story", NULL,
                                                         NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing-id"));
  g_clear_error (&error);
  g_assert_false (admint_store_set_generation_json (store, a, "story", "{oops", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (admint_store_set_generation_json (store, a, "prompt; DROP TABLE x", "{}",
                                                    &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (admint_store_get_generation (store, "missing-id", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (admint_store_record_usage (store, "x", "y", "z", 1, 1, "missing-id", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (admint_store_record_usage (store, "x", "y", "z", 1, -1, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (admint_store_soft_delete_generation (store, "missing-id", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&list);
  g_assert_finalize_object (store);
}

static void
test_clips_messages_quality (void)
{
  g_autofree char *path = fresh_db_path ("clips");
  AdmintStore *store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = admint_store_create_generation (store, "brief", NULL, NULL, NULL, NULL);
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GListModel) list = NULL;
  JsonArray *clips, *quality;
  double dims[ADMINT_QUALITY_N_DIMENSIONS] = { 0.95, 0.94, 0.97, 0.98, -1, 0.55, 0.61 };

  g_assert_cmpint (admint_store_add_clip_version (store, id, 0, "local", &error), ==, 1);
  g_assert_cmpint (admint_store_add_clip_version (store, id, 0, "replicate", &error), ==, 2);
  g_assert_cmpint (admint_store_add_clip_version (store, id, 1, "local", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (admint_store_set_clip_prediction (store, id, 0, 2, "pred-123", &error));
  /* A reference image's prediction: none yet, then the one stored, replaced when set again;
   * the remade image (attempt 1) has its own. */
  g_assert_null (admint_store_get_reference_prediction (store, id, 0, 0, "a can", &error));
  g_assert_no_error (error);
  g_assert_true (admint_store_set_reference_prediction (store, id, 0, 0, "a can", "img-1",
                                                        &error));
  g_assert_true (admint_store_set_reference_prediction (store, id, 0, 1, "a can", "img-2",
                                                        &error));
  g_assert_true (admint_store_set_reference_prediction (store, id, 0, 0, "a can", "img-3",
                                                        &error));
  g_assert_no_error (error);
  {
    g_autofree char *first = admint_store_get_reference_prediction (store, id, 0, 0, "a can",
                                                                    &error);
    g_autofree char *again = admint_store_get_reference_prediction (store, id, 0, 1, "a can",
                                                                    &error);
    g_assert_cmpstr (first, ==, "img-3");
    g_assert_cmpstr (again, ==, "img-2");
    g_assert_null (admint_store_get_reference_prediction (store, id, 1, 0, "a can", &error));
    /* Another prompt (a new story) is another image. */
    g_assert_null (admint_store_get_reference_prediction (store, id, 0, 0, "a cup", &error));
    g_assert_no_error (error);
  }
  g_assert_false (admint_store_set_reference_prediction (store, "missing-id", 0, 0, "a can",
                                                         "img-4", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (admint_store_update_clip (store, id, 0, 2, "running", NULL, -1, -1, NULL,
                                           &error));
  g_assert_true (admint_store_update_clip (store, id, 0, 2, "done", "/tmp/c.mp4", 4.0, 0.8,
                                           NULL, &error));
  g_assert_true (admint_store_update_clip (store, id, 0, 2, "done", NULL, -1, -1, NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpint (admint_store_add_clip_version (store, "missing-id", 0, "local", &error), ==,
                   0);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (admint_store_update_clip (store, id, 3, 1, "done", NULL, -1, -1, NULL,
                                            &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (admint_store_add_message (store, id, "user", "text", "{\"text\": \"hi\"}",
                                             &error), >, 0);
  g_assert_cmpint (admint_store_add_message (store, id, "director", "story", "{}", &error), >,
                   0);
  g_assert_no_error (error);
  g_assert_cmpint (admint_store_add_message (store, id, "user", "shout", "{}", &error), ==, -1);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (admint_store_add_message (store, id, "user", "text", "not json", &error), ==,
                   -1);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  messages = admint_store_list_messages (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  {
    g_autoptr(AdmintMessageRow) m = g_list_model_get_item (messages, 0);
    g_assert_cmpstr (admint_message_row_get_role (m), ==, "user");
    g_assert_cmpstr (admint_message_row_get_kind (m), ==, "text");
    g_assert_cmpstr (admint_message_row_get_body_json (m), ==, "{\"text\": \"hi\"}");
    g_assert_cmpstr (admint_message_row_get_generation_id (m), ==, id);
  }

  g_assert_true (admint_store_save_quality (store, id, 0, dims, 60, 1.5, &error));
  g_assert_true (admint_store_save_quality (store, id, -1, dims, 50, 3.0, &error));
  dims[0] = 0.5;
  g_assert_true (admint_store_save_quality (store, id, -1, dims, 65, 3.5, &error));
  g_assert_no_error (error);
  dims[0] = 1.5;
  g_assert_false (admint_store_save_quality (store, id, 0, dims, 60, 1, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  node = admint_store_get_generation (store, id, &error);
  g_assert_no_error (error);
  clips = json_object_get_array_member (json_node_get_object (node), "clips");
  g_assert_cmpuint (json_array_get_length (clips), ==, 3);
  {
    JsonObject *v2 = json_array_get_object_element (clips, 1);
    g_assert_cmpint (json_object_get_int_member (v2, "version"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (v2, "prediction_id"), ==, "pred-123");
    g_assert_cmpstr (json_object_get_string_member (v2, "status"), ==, "done");
    g_assert_cmpstr (json_object_get_string_member (v2, "local_path"), ==, "/tmp/c.mp4");
    g_assert_cmpfloat (json_object_get_double_member (v2, "duration"), ==, 4.0);
  }
  quality = json_object_get_array_member (json_node_get_object (node), "quality");
  g_assert_cmpuint (json_array_get_length (quality), ==, 2);
  {
    JsonObject *whole = json_array_get_object_element (quality, 0);
    g_assert_true (json_object_get_null_member (whole, "clip_index"));
    g_assert_cmpfloat (json_object_get_double_member (whole, "subject_consistency"), ==, 0.5);
    g_assert_true (json_object_get_null_member (whole, "dynamic_degree"));
    g_assert_cmpfloat (json_object_get_double_member (whole, "quality_score"), ==, 65);
    g_assert_cmpfloat (json_object_get_double_member (whole, "scoring_seconds"), ==, 3.5);
  }
  g_assert_cmpuint (json_array_get_length (
    json_object_get_array_member (json_node_get_object (node), "messages")), ==, 2);

  list = admint_store_list_generations (store, 0, 1, &error);
  {
    g_autoptr(AdmintGenerationRow) row = g_list_model_get_item (list, 0);
    g_assert_cmpfloat (admint_generation_row_get_quality_score (row), ==, 65);
  }

  g_clear_object (&list);
  g_clear_object (&messages);
  g_assert_finalize_object (store);
}

static void
test_groups_and_styles (void)
{
  g_autofree char *path = fresh_db_path ("groups");
  AdmintStore *store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = admint_store_create_generation (store, "brief", NULL, NULL, NULL, NULL);
  g_autofree char *b = admint_store_create_generation (store, "brief", NULL, NULL, NULL, NULL);
  g_autofree char *group = admint_store_create_group (store, "water bottle A/B", &error);
  g_autoptr(JsonNode) members = NULL;
  g_autoptr(JsonNode) styles = NULL;
  g_autoptr(JsonNode) gen = NULL;
  gint64 style;

  g_assert_no_error (error);
  g_assert_true (admint_store_add_group_member (store, group, b, "B", &error));
  g_assert_true (admint_store_add_group_member (store, group, a, "A", &error));
  g_assert_no_error (error);
  g_assert_false (admint_store_add_group_member (store, group, a, "C", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (admint_store_add_group_member (store, "no-group", a, "A", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  members = admint_store_list_group_members (store, group, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (members)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (members), 0), "variant"), ==, "A");
  gen = admint_store_get_generation (store, b, &error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (gen), "groups"), 0), "variant"), ==,
    "B");

  style = admint_store_create_brand_style (store, "Eco", 0, "[\"#12ab34\", \"#ffffff\"]",
                                           "[\"Cantarell\"]", "calm and green", &error);
  g_assert_no_error (error);
  g_assert_cmpint (style, >, 0);
  g_assert_cmpint (admint_store_create_brand_style (store, "Bad", 0, "[\"green\"]", NULL, NULL,
                                                    &error), ==, 0);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (admint_store_add_brand_style_asset (store, style, 42, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  styles = admint_store_list_brand_styles (store, &error);
  g_assert_no_error (error);
  {
    JsonObject *s = json_array_get_object_element (json_node_get_array (styles), 0);
    g_assert_cmpstr (json_object_get_string_member (s, "name"), ==, "Eco");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "palette")), ==,
                      2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "asset_ids")),
                      ==, 0);
  }

  g_assert_finalize_object (store);
}

/* ---- async ---- */

typedef struct
{
  GMainLoop *loop;
  gpointer   result;
  GError    *error;
  int        pending;
} AsyncState;

static void
got_generations (GObject *source, GAsyncResult *res, gpointer data)
{
  AsyncState *s = data;
  GListModel *list = admint_store_list_generations_finish (ADMINT_STORE (source), res, &s->error);
  g_assert_no_error (s->error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  g_object_unref (list);
  if (--s->pending == 0)
    g_main_loop_quit (s->loop);
}

static void
got_generation (GObject *source, GAsyncResult *res, gpointer data)
{
  AsyncState *s = data;
  JsonNode *node = admint_store_get_generation_finish (ADMINT_STORE (source), res, &s->error);
  g_assert_error (s->error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_null (node);
  g_clear_error (&s->error);
  if (--s->pending == 0)
    g_main_loop_quit (s->loop);
}

static void
got_messages (GObject *source, GAsyncResult *res, gpointer data)
{
  AsyncState *s = data;
  GListModel *list = admint_store_list_messages_finish (ADMINT_STORE (source), res, &s->error);
  g_assert_no_error (s->error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_object_unref (list);
  if (--s->pending == 0)
    g_main_loop_quit (s->loop);
}

static void
got_assets (GObject *source, GAsyncResult *res, gpointer data)
{
  AsyncState *s = data;
  GListModel *list = admint_store_list_assets_finish (ADMINT_STORE (source), res, &s->error);
  g_assert_no_error (s->error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_object_unref (list);
  if (--s->pending == 0)
    g_main_loop_quit (s->loop);
}

static void
test_async (void)
{
  g_autofree char *path = fresh_db_path ("async");
  AdmintStore *store = open_ok (path);
  g_autofree char *a = admint_store_create_generation (store, "one", NULL, NULL, NULL, NULL);
  g_autofree char *b = admint_store_create_generation (store, "two", NULL, NULL, NULL, NULL);
  AsyncState s = { g_main_loop_new (NULL, FALSE), NULL, NULL, 4 };

  g_assert_cmpint (admint_store_add_message (store, a, "user", "text", "{}", NULL), >, 0);
  admint_store_list_generations_async (store, 0, 50, NULL, got_generations, &s);
  admint_store_get_generation_async (store, "missing-id", NULL, got_generation, &s);
  admint_store_list_messages_async (store, a, NULL, got_messages, &s);
  admint_store_list_assets_async (store, NULL, got_assets, &s);
  g_main_loop_run (s.loop);
  g_main_loop_unref (s.loop);
  g_assert_finalize_object (store);
}

/* ---- purge ---- */

static void
test_purge (void)
{
  g_autofree char *path = fresh_db_path ("purge");
  AdmintStore *store = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *video = g_build_filename (dir, "media", "final.mp4", NULL);
  g_autofree char *outside = g_build_filename (admint_test_get_root (), "exported.mp4", NULL);
  g_autofree char *id = admint_store_create_generation (store, "brief", NULL, NULL, NULL, NULL);
  g_autofree char *id2 = admint_store_create_generation (store, "secret brief", NULL, NULL,
                                                         NULL, NULL);
  g_autoptr(GListModel) list = NULL;
  sqlite3 *db;
  g_autofree char *count = NULL;
  g_autoptr(GBytes) bytes = NULL;

  {
    g_autofree char *media = g_build_filename (dir, "media", NULL);
    g_assert_cmpint (g_mkdir_with_parents (media, 0700), ==, 0);
  }
  g_assert_true (g_file_set_contents (video, "video", -1, NULL));
  g_assert_true (g_file_set_contents (outside, "video", -1, NULL));
  g_assert_true (admint_store_set_final_video (store, id, video, 50, &error));
  g_assert_true (admint_store_set_final_video (store, id2, outside, 50, &error));
  g_assert_cmpint (admint_store_add_message (store, id2, "user", "text",
                                             "{\"text\": \"the secret brief\"}", NULL), >, 0);

  g_assert_true (admint_store_purge (store, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (video, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (outside, G_FILE_TEST_EXISTS));
  list = admint_store_list_generations (store, 0, -1, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_clear_object (&list);
  g_assert_finalize_object (store);

  db = raw_open (path);
  count = raw_text (db, "SELECT (SELECT count(*) FROM generations) + (SELECT count(*) FROM"
                        " messages) + (SELECT count(*) FROM usage)");
  sqlite3_close (db);
  g_assert_cmpstr (count, ==, "0");
  /* Nothing of the deleted text lingers in the file's free pages. */
  bytes = read_bytes (path);
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                               "secret brief"));
}

/* ---- crash safety ---- */

/* The child: writes as fast as it can, printing each generation id once its transaction has
 * committed, until it is killed. */
static int
crash_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (path, &error);

  if (store == NULL)
    {
      fprintf (stderr, "child: %s\n", error->message);
      return 1;
    }
  for (int i = 0;; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("burst %d", i);
      g_autofree char *id = admint_store_create_generation (store, prompt, NULL, NULL, NULL,
                                                            &error);
      if (id == NULL ||
          admint_store_add_message (store, id, "user", "text", "{\"text\": \"go\"}", &error) < 0 ||
          admint_store_add_clip_version (store, id, 0, "local", &error) == 0)
        {
          fprintf (stderr, "child: %s\n", error->message);
          return 1;
        }
      printf ("%s\n", id);
      fflush (stdout);
    }
  return 0;
}

static void
test_crash (void)
{
  g_autofree char *path = fresh_db_path ("crash");
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GPtrArray) committed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  char *line;
  AdmintStore *store;
  sqlite3 *db;
  g_autofree char *check = NULL;

  g_subprocess_launcher_setenv (launcher, "ADMINT_STORE_CRASH_CHILD", path, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  while ((line = g_data_input_stream_read_line (in, NULL, NULL, &error)) != NULL)
    {
      g_ptr_array_add (committed, line);
      if (committed->len == 300)
        g_subprocess_send_signal (child, SIGKILL);
    }
  g_assert_no_error (error);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  g_assert_cmpuint (committed->len, >=, 300);

  store = open_ok (path);
  for (guint i = 0; i < committed->len; i++)
    {
      g_autoptr(JsonNode) node = admint_store_get_generation (store, committed->pdata[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
        json_node_get_object (node), "messages")), ==, 1);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
        json_node_get_object (node), "clips")), ==, 1);
    }
  g_assert_finalize_object (store);

  db = raw_open (path);
  check = raw_text (db, "PRAGMA integrity_check");
  sqlite3_close (db);
  g_assert_cmpstr (check, ==, "ok");
  g_test_message ("%u generations committed before SIGKILL, all present", committed->len);
}

int
main (int argc, char **argv)
{
  if (g_getenv ("ADMINT_STORE_CRASH_CHILD") != NULL)
    return crash_child (g_getenv ("ADMINT_STORE_CRASH_CHILD"));

  self_path = argv[0];
  admint_test_init (&argc, &argv);

  g_test_add_func ("/store/open-empty", test_open_empty);
  for (int v = 0; v < ADMINT_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *name = g_strdup_printf ("/store/migrate-from-%d", v);
      g_test_add_data_func (name, GINT_TO_POINTER (v), test_migrate_from);
    }
  g_test_add_func ("/store/too-new", test_too_new);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  g_test_add_func ("/store/generations", test_generations);
  g_test_add_func ("/store/clips-messages-quality", test_clips_messages_quality);
  g_test_add_func ("/store/groups-and-styles", test_groups_and_styles);
  g_test_add_func ("/store/async", test_async);
  g_test_add_func ("/store/purge", test_purge);
  g_test_add_func ("/store/crash", test_crash);
  return g_test_run ();
}
