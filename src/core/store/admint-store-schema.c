/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's schema and its migrations, one PRAGMA user_version step at a time. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-private.h"

/* 4: a name the user gives an ad, and the variant picked as the winner of its group.
 * (Kept apart from the other steps so parallel branches that each add a step merge by
 * appending theirs; the order is the array's below.) */
static const char schema_step_names_and_winners[] =
  "ALTER TABLE generations ADD COLUMN name TEXT;"
  "ALTER TABLE generation_groups ADD COLUMN winner_id TEXT"
  "  REFERENCES generations (id) ON DELETE SET NULL;"
  "ALTER TABLE generation_groups ADD COLUMN picked_at INTEGER;";

/* 6: the Replicate prediction of each generated reference image, stored the moment it exists,
 * so a resumed generation follows it instead of paying for another (issue 14). ATTEMPT is 0
 * for the first image of a reference, 1 for the one made again because the first was too
 * small or blurry: a new prediction on purpose. PROMPT is what it was asked for: a stored
 * prediction is followed only for the same prompt (a new story makes new images). */
static const char schema_step_reference_predictions[] =
  "CREATE TABLE reference_predictions ("
  "  generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,"
  "  ref_index INTEGER NOT NULL CHECK (ref_index >= 0),"
  "  attempt INTEGER NOT NULL CHECK (attempt >= 0),"
  "  prediction_id TEXT NOT NULL,"
  "  prompt TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (generation_id, ref_index, attempt)"
  ") STRICT;";

/* 7: every Replicate prediction the app asks for, from the moment before its create request
 * is sent (issue 14): a create whose answer was lost leaves a row with no prediction id, so the
 * next attempt (or a resume) looks for that prediction on the service before making another;
 * a finished one keeps the files it was downloaded to, so following it again after a restart
 * neither downloads nor counts it again. usage.paid_item names what a usage row paid for (a
 * prediction, a voice take): a second record of the same item is not added. */
static const char schema_step_prediction_log[] =
  "CREATE TABLE predictions ("
  "  row_id INTEGER PRIMARY KEY,"
  "  generation_id TEXT REFERENCES generations (id) ON DELETE CASCADE,"
  "  model TEXT NOT NULL,"
  "  input_hash TEXT NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  prediction_id TEXT,"
  "  state TEXT NOT NULL CHECK (state IN ('creating', 'created', 'not-created',"
  "    'downloaded', 'ended')),"
  "  outputs_json TEXT,"
  "  cost_usd REAL,"
  "  updated_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX predictions_by_input ON predictions (generation_id, model, input_hash);"
  "CREATE UNIQUE INDEX predictions_by_id ON predictions (prediction_id)"
  "  WHERE prediction_id IS NOT NULL;"
  "ALTER TABLE usage ADD COLUMN paid_item TEXT;"
  "CREATE UNIQUE INDEX usage_once_an_item ON usage (paid_item) WHERE paid_item IS NOT NULL;";

/* Each step moves the schema from version N-1 to N. Never edit a released step: add one. */
static const char * const schema_steps[] = {
  NULL,

  /* 1: generations, their clips, chat and usage; brand assets. */
  "CREATE TABLE generations ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  prompt TEXT NOT NULL,"
  "  framework TEXT,"
  "  assets_json TEXT NOT NULL DEFAULT '[]',"
  "  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'story', 'references',"
  "    'scenes', 'clips', 'stitching', 'scoring', 'completed', 'partial', 'failed',"
  "    'cancelled')),"
  "  stage TEXT,"
  "  story_json TEXT,"
  "  story_score REAL,"
  "  references_json TEXT,"
  "  scenes_json TEXT,"
  "  final_video_path TEXT,"
  "  quality_score REAL,"
  "  config_snapshot TEXT NOT NULL DEFAULT '{}',"
  "  error_message TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  completed_at INTEGER,"
  "  deleted_at INTEGER"
  ") STRICT;"
  "CREATE TABLE clips ("
  "  id INTEGER PRIMARY KEY,"
  "  generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,"
  "  scene_index INTEGER NOT NULL CHECK (scene_index >= 0),"
  "  version INTEGER NOT NULL CHECK (version >= 1),"
  "  provider TEXT NOT NULL,"
  "  prediction_id TEXT,"
  "  status TEXT NOT NULL DEFAULT 'pending',"
  "  local_path TEXT,"
  "  duration REAL,"
  "  cost_usd REAL,"
  "  error_message TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  UNIQUE (generation_id, scene_index, version)"
  ") STRICT;"
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,"
  "  role TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('text', 'story', 'references', 'scenes', 'progress',"
  "    'video', 'scores', 'error')),"
  "  body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE usage ("
  "  id INTEGER PRIMARY KEY,"
  "  provider TEXT NOT NULL,"
  "  model TEXT NOT NULL,"
  "  operation TEXT NOT NULL,"
  "  units REAL NOT NULL,"
  "  cost_usd REAL NOT NULL,"
  "  generation_id TEXT REFERENCES generations (id) ON DELETE SET NULL,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE assets ("
  "  id INTEGER PRIMARY KEY,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  path TEXT NOT NULL,"
  "  thumbnail_path TEXT,"
  "  original_name TEXT NOT NULL,"
  "  mime TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('product', 'logo', 'character', 'music', 'misc')),"
  "  width INTEGER NOT NULL DEFAULT 0,"
  "  height INTEGER NOT NULL DEFAULT 0,"
  "  size_bytes INTEGER NOT NULL,"
  "  tags TEXT NOT NULL DEFAULT '[]',"
  "  created_at INTEGER NOT NULL"
  ") STRICT;",

  /* 2: A/B groups, quality metrics, brand styles. */
  "CREATE TABLE generation_groups ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE generation_group_members ("
  "  group_id TEXT NOT NULL REFERENCES generation_groups (id) ON DELETE CASCADE,"
  "  generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,"
  "  variant TEXT NOT NULL,"
  "  PRIMARY KEY (group_id, generation_id),"
  "  UNIQUE (group_id, variant)"
  ") STRICT;"
  "CREATE TABLE quality_metrics ("
  "  id INTEGER PRIMARY KEY,"
  "  generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,"
  "  clip_index INTEGER,"
  "  subject_consistency REAL,"
  "  background_consistency REAL,"
  "  temporal_flickering REAL,"
  "  motion_smoothness REAL,"
  "  dynamic_degree REAL,"
  "  aesthetic_quality REAL,"
  "  imaging_quality REAL,"
  "  quality_score REAL,"
  "  scored_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE brand_styles ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  logo_asset_id INTEGER REFERENCES assets (id) ON DELETE SET NULL,"
  "  palette TEXT NOT NULL DEFAULT '[]',"
  "  fonts TEXT NOT NULL DEFAULT '[]',"
  "  description TEXT,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE brand_style_assets ("
  "  style_id INTEGER NOT NULL REFERENCES brand_styles (id) ON DELETE CASCADE,"
  "  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (style_id, asset_id)"
  ") STRICT;",

  /* 3: audio durations, scoring time, and the indexes the views ask for. */
  "ALTER TABLE assets ADD COLUMN duration_seconds REAL;"
  "ALTER TABLE quality_metrics ADD COLUMN scoring_seconds REAL;"
  "CREATE INDEX generations_newest ON generations (created_at DESC) WHERE deleted_at IS NULL;"
  "CREATE INDEX generations_by_status ON generations (status, created_at DESC);"
  "CREATE INDEX clips_by_generation ON clips (generation_id, scene_index, version);"
  "CREATE INDEX messages_by_generation ON messages (generation_id, id);"
  "CREATE INDEX usage_by_generation ON usage (generation_id);"
  "CREATE INDEX quality_by_generation ON quality_metrics (generation_id, clip_index);"
  "CREATE INDEX group_members_by_generation ON generation_group_members (generation_id);"
  "CREATE INDEX style_assets_by_asset ON brand_style_assets (asset_id);",

  /* 4: a "style" asset kind (a mood or look reference), and brand styles that carry the default
   * framework, voice and music of the ads made with them; one style may be the default. The
   * assets table is rebuilt because SQLite cannot change a CHECK; the caller turns foreign keys
   * off around the steps, as SQLite's own procedure for this asks, so nothing cascades. */
  "CREATE TABLE assets_new ("
  "  id INTEGER PRIMARY KEY,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  path TEXT NOT NULL,"
  "  thumbnail_path TEXT,"
  "  original_name TEXT NOT NULL,"
  "  mime TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('product', 'logo', 'character', 'music', 'style',"
  "    'misc')),"
  "  width INTEGER NOT NULL DEFAULT 0,"
  "  height INTEGER NOT NULL DEFAULT 0,"
  "  size_bytes INTEGER NOT NULL,"
  "  tags TEXT NOT NULL DEFAULT '[]',"
  "  created_at INTEGER NOT NULL,"
  "  duration_seconds REAL"
  ") STRICT;"
  "INSERT INTO assets_new (id, sha256, path, thumbnail_path, original_name, mime, kind, width,"
  "  height, size_bytes, tags, created_at, duration_seconds)"
  "  SELECT id, sha256, path, thumbnail_path, original_name, mime, kind, width, height,"
  "  size_bytes, tags, created_at, duration_seconds FROM assets;"
  "DROP TABLE assets;"
  "ALTER TABLE assets_new RENAME TO assets;"
  "ALTER TABLE brand_styles ADD COLUMN framework TEXT;"
  "ALTER TABLE brand_styles ADD COLUMN voice TEXT;"
  "ALTER TABLE brand_styles ADD COLUMN music_asset_id INTEGER"
  "  REFERENCES assets (id) ON DELETE SET NULL;"
  "ALTER TABLE brand_styles ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0"
  "  CHECK (is_default IN (0, 1));"
  "CREATE UNIQUE INDEX brand_styles_one_default ON brand_styles (is_default)"
  "  WHERE is_default = 1;",

  /* 5: names and picked variants (admint-store-picks.c). */
  schema_step_names_and_winners,

  /* 6: reference images' predictions (admint-store-clips.c). */
  schema_step_reference_predictions,

  /* 7: the log of predictions and usage once an item (admint-store-predictions.c). */
  schema_step_prediction_log,
};

G_STATIC_ASSERT (G_N_ELEMENTS (schema_steps) == ADMINT_STORE_SCHEMA_VERSION + 1);

int
admint_store_schema_get_version (sqlite3  *db,
                                 GError  **error)
{
  sqlite3_stmt *st = NULL;
  int version = -1;

  g_return_val_if_fail (db != NULL, -1);

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step (st) == SQLITE_ROW)
    version = sqlite3_column_int (st, 0);
  else
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                 _("Cannot read the library's schema version: %s. If the file is not an Ad Mint "
                 "database, move it away and start again."), sqlite3_errmsg (db));
  sqlite3_finalize (st);
  return version;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      int          step,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
               _("Cannot upgrade the library to schema version %d: %s. The database was left as "
               "it was; check that the disk is not full and the file is writable."),
               step, message ? message : sqlite3_errmsg (db));
  sqlite3_free (message);
  return FALSE;
}

/* With foreign keys off during the steps, a step must still leave every reference whole. */
static gboolean
check_foreign_keys (sqlite3  *db,
                    int       step,
                    GError  **error)
{
  sqlite3_stmt *st = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
    return exec (db, "SELECT 1", step, error);
  ok = sqlite3_step (st) == SQLITE_DONE;
  if (!ok)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                 _("Cannot upgrade the library to schema version %d: table %s refers to a row "
                   "that is missing. The database was left as it was; run “sqlite3 FILE 'PRAGMA "
                   "foreign_key_check'” to see which."), step,
                 (const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return ok;
}

static gboolean migrate_steps (sqlite3 *db, int target, GError **error);

gboolean
admint_store_schema_migrate (sqlite3  *db,
                             int       target,
                             GError  **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (target >= 0 && target <= ADMINT_STORE_SCHEMA_VERSION, FALSE);

  /* A step that rebuilds a table must not cascade deletes into the tables that refer to it.
   * The pragma is a no-op inside a transaction, so it is set here, around all the steps. */
  int before = admint_store_schema_get_version (db, NULL);
  gboolean fk_off = before >= 0 && before < target;
  if (fk_off)
    sqlite3_exec (db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
  gboolean ok = migrate_steps (db, target, error);
  if (fk_off)
    sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  return ok;
}

static gboolean
migrate_steps (sqlite3  *db,
               int       target,
               GError  **error)
{
  for (int step = 1; step <= target; step++)
    {
      if (!exec (db, "BEGIN IMMEDIATE", step, error))
        return FALSE;

      /* Read inside the transaction: another process may have migrated meanwhile. */
      int current = admint_store_schema_get_version (db, error);
      if (current < 0)
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (current >= step)
        {
          if (!exec (db, "COMMIT", step, error))
            return FALSE;
          continue;
        }

      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", step);
      if (!exec (db, schema_steps[step], step, error) ||
          !check_foreign_keys (db, step, error) ||
          !exec (db, set_version, step, error) ||
          !exec (db, "COMMIT", step, error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      g_debug ("Library schema upgraded to version %d", step);
    }
  return TRUE;
}
