/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library of generations and brand assets: one SQLite database owned by one store thread. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "admint-store-rows.h"

G_BEGIN_DECLS

/* The schema version this build writes (PRAGMA user_version). */
#define ADMINT_STORE_SCHEMA_VERSION 7

/* VBench's dimensions, in the order of the dims[] arrays below. */
typedef enum {
  ADMINT_QUALITY_SUBJECT_CONSISTENCY,
  ADMINT_QUALITY_BACKGROUND_CONSISTENCY,
  ADMINT_QUALITY_TEMPORAL_FLICKERING,
  ADMINT_QUALITY_MOTION_SMOOTHNESS,
  ADMINT_QUALITY_DYNAMIC_DEGREE,
  ADMINT_QUALITY_AESTHETIC_QUALITY,
  ADMINT_QUALITY_IMAGING_QUALITY,
  ADMINT_QUALITY_N_DIMENSIONS
} AdmintQualityDimension;

/* "subject_consistency", … — the column and JSON names. */
const char *admint_quality_dimension_name (AdmintQualityDimension dimension);

/* Size limits for asset import, from limits.asset_max_bytes and
 * limits.generation_assets_max_bytes. A value <= 0 means the built-in default. */
typedef struct
{
  gint64 max_file_bytes;        /* default 10 MB */
  gint64 max_generation_bytes;  /* default 50 MB: all the assets given to one generation */
} AdmintAssetLimits;

#define ADMINT_ASSET_DEFAULT_MAX_FILE_BYTES       (10 * 1024 * 1024)
#define ADMINT_ASSET_DEFAULT_MAX_GENERATION_BYTES (50 * 1024 * 1024)

/* Checks, before anything is copied, that each file exists and is within max_file_bytes and
 * that together they are within max_generation_bytes. limits may be NULL (the defaults).
 * Errors are ADMINT_ERROR_INVALID_INPUT / ADMINT_ERROR_NOT_FOUND naming the file. */
gboolean admint_asset_limits_check_files (const AdmintAssetLimits *limits,
                                          const char * const      *files,
                                          GError                 **error);

#define ADMINT_TYPE_STORE (admint_store_get_type ())
G_DECLARE_FINAL_TYPE (AdmintStore, admint_store, ADMINT, STORE, GObject)

/* Opens (creating and migrating as needed) the database at db_path, or at
 * $XDG_DATA_HOME/admint/admint.db when NULL. Media files live in media/ beside the database.
 * A database written by a newer Ad Mint is refused untouched with ADMINT_ERROR_TOO_NEW.
 * Blocks while opening; every later call goes through the store's own thread. */
AdmintStore *admint_store_open          (const char  *db_path,
                                         GError     **error);
const char  *admint_store_get_db_path   (AdmintStore *self);
const char  *admint_store_get_media_dir (AdmintStore *self);

/* ---- queued writes ----
 * Off by default: every call then waits for its committed transaction, as it always did. On
 * (the desktop app turns it on, so that no write blocks its main loop), these records return
 * once their arguments are checked and their job is queued on the store thread:
 * admint_store_update_generation_status, admint_store_add_message (which then returns 0: the
 * id is not known yet), admint_store_update_clip, admint_store_save_quality, and
 * admint_store_record_usage of a line that costs nothing. Each is still one transaction, and
 * the store thread runs every job in the order it was made, so:
 * - any later call (blocking or _async, a read or a write) sees them;
 * - every call that still waits (stage results, prediction ids, usage with a cost, versions:
 *   whatever a payment or the next stage depends on) returns only once every record queued
 *   before it is committed too;
 * - a crash leaves the database as it was after some prefix of the calls, in their order: a
 *   state a crash a moment earlier would have left with every call waiting.
 * A queued record that fails is logged (g_warning) and its error kept for the next flush.
 * Disposing of the store commits what is queued before the store thread ends. */
void         admint_store_set_queue_writes (AdmintStore         *self,
                                            gboolean             queue_writes);
gboolean     admint_store_get_queue_writes (AdmintStore         *self);
/* Waits until everything queued before it is committed; FALSE with the first error of a
 * queued record since the last flush (the records after it were still tried). */
gboolean     admint_store_flush            (AdmintStore         *self,
                                            GError             **error);
void         admint_store_flush_async      (AdmintStore         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     admint_store_flush_finish     (AdmintStore         *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* ---- generations ----
 * Timestamps are unix microseconds (UTC) in the database and ISO-8601 UTC in JSON.
 * Status is one of pending story references scenes clips stitching scoring completed partial
 * failed cancelled; the last four set completed_at. Every call is one committed transaction. */

/* config_snapshot_json and assets_json may be NULL ("{}" and "[]"); returns the new uuid. */
char    *admint_store_create_generation       (AdmintStore  *self,
                                               const char   *prompt,
                                               const char   *framework,
                                               const char   *config_snapshot_json,
                                               const char   *assets_json,
                                               GError      **error);
/* stage: free text for the UI ("clips 3/5"), may be NULL; error_message may be NULL. */
gboolean admint_store_update_generation_status (AdmintStore  *self,
                                                const char   *id,
                                                const char   *status,
                                                const char   *stage,
                                                const char   *error_message,
                                                GError      **error);
/* field is "story", "references" or "scenes"; json must be valid JSON (or NULL to clear). */
gboolean admint_store_set_generation_json     (AdmintStore  *self,
                                               const char   *id,
                                               const char   *field,
                                               const char   *json,
                                               GError      **error);
/* The critic's score of the story, 0–10. */
gboolean admint_store_set_story_score         (AdmintStore  *self,
                                               const char   *id,
                                               double        score,
                                               GError      **error);
/* quality_score < 0: not scored (yet). */
gboolean admint_store_set_final_video         (AdmintStore  *self,
                                               const char   *id,
                                               const char   *path,
                                               double        quality_score,
                                               GError      **error);
/* Sets deleted_at: the generation leaves the history; purge removes it for real. */
gboolean admint_store_soft_delete_generation  (AdmintStore  *self,
                                               const char   *id,
                                               GError      **error);
/* TRUE if the id names a generation (soft-deleted ones included when include_deleted). */
gboolean admint_store_has_generation          (AdmintStore  *self,
                                               const char   *id,
                                               gboolean      include_deleted,
                                               GError      **error);
/* The sum of the generation's usage, USD (for the spending budget). Negative on error. */
double   admint_store_get_generation_cost     (AdmintStore  *self,
                                               const char   *id,
                                               GError      **error);
/* The same without waiting: read after every write queued before it. */
void     admint_store_get_generation_cost_async  (AdmintStore         *self,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
double   admint_store_get_generation_cost_finish (AdmintStore         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Newest first, soft-deleted excluded: a GListModel of AdmintGenerationRow. limit <= 0: all. */
GListModel *admint_store_list_generations        (AdmintStore          *self,
                                                  guint                 offset,
                                                  int                   limit,
                                                  GError              **error);
void        admint_store_list_generations_async  (AdmintStore          *self,
                                                  guint                 offset,
                                                  int                   limit,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GListModel *admint_store_list_generations_finish (AdmintStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Everything about one generation (what `admint show --json` prints): its columns, with the
 * stored JSON parsed, plus "cost_usd", "clips", "messages", "quality", "usage", "groups".
 * ADMINT_ERROR_NOT_FOUND for an unknown id. Soft-deleted generations are still found. */
JsonNode *admint_store_get_generation        (AdmintStore          *self,
                                              const char           *id,
                                              GError              **error);
void      admint_store_get_generation_async  (AdmintStore          *self,
                                              const char           *id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
JsonNode *admint_store_get_generation_finish (AdmintStore          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* ---- clips: every regeneration of a scene is a new version; older versions stay ---- */

/* Returns the new version (1, 2, …) for (generation, scene_index), or 0 on error. */
int      admint_store_add_clip_version    (AdmintStore  *self,
                                           const char   *generation_id,
                                           int           scene_index,
                                           const char   *provider,
                                           GError      **error);
/* Records the remote prediction id as soon as the provider gives it (committed at once), so
 * a killed process resumes polling instead of paying for a new prediction. */
gboolean admint_store_set_clip_prediction (AdmintStore  *self,
                                           const char   *generation_id,
                                           int           scene_index,
                                           int           version,
                                           const char   *prediction_id,
                                           GError      **error);
/* The same for a generated reference image: REF_INDEX in the generation's references, ATTEMPT
 * 0 for its first image and 1 for the one made again on purpose, PROMPT what it was asked
 * for. Setting it again replaces the id (a prediction that failed at the service is over). */
gboolean admint_store_set_reference_prediction (AdmintStore  *self,
                                                const char   *generation_id,
                                                int           ref_index,
                                                int           attempt,
                                                const char   *prompt,
                                                const char   *prediction_id,
                                                GError      **error);
/* The stored id for that reference and PROMPT, or NULL (no error) when there is none. */
char    *admint_store_get_reference_prediction (AdmintStore  *self,
                                                const char   *generation_id,
                                                int           ref_index,
                                                int           attempt,
                                                const char   *prompt,
                                                GError      **error);
/* ---- the log of Replicate predictions (schema step 7, admint-store-predictions.c) ---- */

/* Before a create request is sent: a row saying it started (MODEL, a hash of its input,
 * STARTED_AT in unix microseconds). Returns the row (> 0), or 0 with ERROR set. */
gint64   admint_store_begin_prediction     (AdmintStore  *self,
                                            const char   *generation_id,
                                            const char   *model,
                                            const char   *input_hash,
                                            gint64        started_at,
                                            GError      **error);
/* The create of ROW was answered: with PREDICTION_ID, or NULL when the answer proves that
 * nothing was made (a refusal). A create with no readable answer is left as it is: lost. */
gboolean admint_store_set_prediction_created (AdmintStore  *self,
                                              gint64        row,
                                              const char   *prediction_id,
                                              GError      **error);

/* The prediction ended without a usable output (failed, cancelled, gone, its output bad for
 * good): a new one for the same input is not taken for a lost one. */
gboolean admint_store_set_prediction_ended (AdmintStore  *self,
                                            const char   *prediction_id,
                                            GError      **error);

typedef struct {
  guint   count;             /* creates of that input whose answer was lost */
  gint64  earliest_started;  /* when the first of them started */
  char  **known_ids;         /* the predictions already known for that input */
  char   *unfinished_id;     /* the newest one made for it that neither ended nor was
                                downloaded, or NULL */
} AdmintStoreLostCreates;

/* The creates of GENERATION_ID (may be NULL), MODEL and INPUT_HASH whose answer was lost. */
AdmintStoreLostCreates *admint_store_find_lost_creates (AdmintStore  *self,
                                                        const char   *generation_id,
                                                        const char   *model,
                                                        const char   *input_hash,
                                                        GError      **error);
void     admint_store_lost_creates_free    (AdmintStoreLostCreates *lost);
/* After looking for them on the service: FOUND_ID is the prediction the earliest lost create
 * made (NULL: none was found); the others are marked as having made nothing. */
gboolean admint_store_settle_lost_creates  (AdmintStore  *self,
                                            const char   *generation_id,
                                            const char   *model,
                                            const char   *input_hash,
                                            const char   *found_id,
                                            GError      **error);
/* In one commit: the files PREDICTION_ID was downloaded to, and its usage, recorded once
 * (a second call for the same prediction adds no usage row). */
gboolean admint_store_set_prediction_outputs (AdmintStore         *self,
                                              const char          *prediction_id,
                                              const char * const  *files,
                                              const char          *provider,
                                              const char          *model,
                                              const char          *operation,
                                              double               units,
                                              double               cost_usd,
                                              const char          *generation_id,
                                              GError             **error);
/* The files a downloaded prediction went to (and its cost), or NULL (no error) when it was
 * not downloaded. */
char   **admint_store_get_prediction_outputs (AdmintStore  *self,
                                              const char   *prediction_id,
                                              double       *cost_usd,
                                              GError      **error);
/* One of its files was moved from FROM to TO. */
gboolean admint_store_move_prediction_output (AdmintStore  *self,
                                              const char   *prediction_id,
                                              const char   *from,
                                              const char   *to,
                                              GError      **error);
/* A usage row for PAID_ITEM ("replicate:ID", a voice take…) unless one exists: *ADDED says
 * whether this call added it. */
gboolean admint_store_record_usage_once    (AdmintStore  *self,
                                            const char   *paid_item,
                                            const char   *provider,
                                            const char   *model,
                                            const char   *operation,
                                            double        units,
                                            double        cost_usd,
                                            const char   *generation_id,
                                            gboolean     *added,
                                            GError      **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintStoreLostCreates, admint_store_lost_creates_free)

/* status is required; NULL strings and negative numbers leave the stored value unchanged. */
gboolean admint_store_update_clip         (AdmintStore  *self,
                                           const char   *generation_id,
                                           int           scene_index,
                                           int           version,
                                           const char   *status,
                                           const char   *local_path,
                                           double        duration,
                                           double        cost_usd,
                                           const char   *error_message,
                                           GError      **error);

/* ---- chat messages ----
 * kind: text story references scenes progress video scores error; body_json valid JSON.
 * Returns the new message's id (>= 1), 0 when it was queued (admint_store_set_queue_writes),
 * or -1 on error. */
gint64      admint_store_add_message          (AdmintStore          *self,
                                               const char           *generation_id,
                                               const char           *role,
                                               const char           *kind,
                                               const char           *body_json,
                                               GError              **error);
/* Oldest first: a GListModel of AdmintMessageRow. */
GListModel *admint_store_list_messages        (AdmintStore          *self,
                                               const char           *generation_id,
                                               GError              **error);
void        admint_store_list_messages_async  (AdmintStore          *self,
                                               const char           *generation_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GListModel *admint_store_list_messages_finish (AdmintStore          *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* ---- usage and quality ---- */

gboolean admint_store_record_usage (AdmintStore  *self,
                                    const char   *provider,
                                    const char   *model,
                                    const char   *operation,
                                    double        units,
                                    double        cost_usd,
                                    const char   *generation_id,
                                    GError      **error);
/* clip_index -1: the whole video (which also sets the generation's quality score). A dimension
 * that was not computed is NaN or negative (stored as NULL). Replaces an earlier score of the
 * same clip. */
gboolean admint_store_save_quality (AdmintStore  *self,
                                    const char   *generation_id,
                                    int           clip_index,
                                    const double  dims[ADMINT_QUALITY_N_DIMENSIONS],
                                    double        quality_score,
                                    double        scoring_seconds,
                                    GError      **error);

/* ---- A/B groups ---- */

char     *admint_store_create_group        (AdmintStore  *self,
                                            const char   *name,
                                            GError      **error);
gboolean  admint_store_add_group_member    (AdmintStore  *self,
                                            const char   *group_id,
                                            const char   *generation_id,
                                            const char   *variant,
                                            GError      **error);
/* A JSON array of {generation_id, variant, status, quality_score, prompt, name, winner}, by
 * variant name (winner: TRUE for the picked one). Soft-deleted variants are left out. */
JsonNode *admint_store_list_group_members  (AdmintStore  *self,
                                            const char   *group_id,
                                            GError      **error);

/* ---- names, deleting undone, and the picked variant (admint-store-picks.c) ---- */

/* The name the user gave the ad (shown instead of the brief); NULL or "" clears it. A name is
 * at most 120 characters, one line (ADMINT_ERROR_INVALID_INPUT otherwise). */
gboolean  admint_store_rename_generation   (AdmintStore  *self,
                                            const char   *id,
                                            const char   *name,
                                            GError      **error);
/* Undoes admint_store_soft_delete_generation: the ad is back in the history. */
gboolean  admint_store_restore_generation  (AdmintStore  *self,
                                            const char   *id,
                                            GError      **error);
/* Stores GENERATION_ID as the winner of its variant group (replacing an earlier pick) and
 * returns the group's id. ADMINT_ERROR_NOT_FOUND for an unknown id; ADMINT_ERROR_INVALID_INPUT
 * when the ad is not a variant. */
char     *admint_store_pick_winner         (AdmintStore  *self,
                                            const char   *generation_id,
                                            GError      **error);
/* The group of variants GENERATION_ID belongs to (a newly allocated id), or NULL when it is
 * none (error not set) or on failure (error set). */
char     *admint_store_get_generation_group (AdmintStore  *self,
                                             const char   *generation_id,
                                             GError      **error);

/* ---- brand styles ---- */

/* palette_json: array of "#rrggbb"; fonts_json: array of names; logo_asset_id 0 for none. */
gint64    admint_store_create_brand_style  (AdmintStore  *self,
                                            const char   *name,
                                            gint64        logo_asset_id,
                                            const char   *palette_json,
                                            const char   *fonts_json,
                                            const char   *description,
                                            GError      **error);
gboolean  admint_store_add_brand_style_asset (AdmintStore  *self,
                                              gint64        style_id,
                                              gint64        asset_id,
                                              GError      **error);
/* A JSON array of {id, name, logo_asset_id, palette, fonts, description, asset_ids}. */
JsonNode *admint_store_list_brand_styles   (AdmintStore  *self,
                                            GError      **error);

/* ---- assets ---- */

/* Copies file into media/ under its sha256, after sniffing its real type from its bytes
 * (JPEG, PNG, WebP; SVG for logos; MP3, Ogg, FLAC, WAV, M4A audio), reading its size or
 * duration and making a 256 px PNG thumbnail of images. kind: product logo character music
 * misc, or NULL to guess from the type; tags may be NULL. The same content twice is stored
 * once: *out_duplicate is then TRUE and the existing row is returned. On failure nothing is
 * left in media/. Blocking: runs the file work in the calling thread. */
AdmintAssetRow *admint_store_import_asset        (AdmintStore              *self,
                                                  const char               *file,
                                                  const char               *kind,
                                                  const char * const       *tags,
                                                  const AdmintAssetLimits  *limits,
                                                  gboolean                 *out_duplicate,
                                                  GError                  **error);
void            admint_store_import_asset_async  (AdmintStore              *self,
                                                  const char               *file,
                                                  const char               *kind,
                                                  const char * const       *tags,
                                                  const AdmintAssetLimits  *limits,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
AdmintAssetRow *admint_store_import_asset_finish (AdmintStore              *self,
                                                  GAsyncResult             *result,
                                                  gboolean                 *out_duplicate,
                                                  GError                  **error);

/* Oldest first: a GListModel of AdmintAssetRow. */
GListModel     *admint_store_list_assets         (AdmintStore              *self,
                                                  GError                  **error);
void            admint_store_list_assets_async   (AdmintStore              *self,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
GListModel     *admint_store_list_assets_finish  (AdmintStore              *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);
/* NULL with ADMINT_ERROR_NOT_FOUND for an unknown id. */
AdmintAssetRow *admint_store_get_asset           (AdmintStore              *self,
                                                  gint64                    id,
                                                  GError                  **error);
/* Removes the row, and its media file and thumbnail unless a generation still uses them. */
gboolean        admint_store_remove_asset        (AdmintStore              *self,
                                                  gint64                    id,
                                                  GError                  **error);

/* ---- deleting for real ---- */

/* Removes every row of every table and every file under media/, and the files of clips and
 * final videos that live inside the data folder; then compacts the database. */
gboolean admint_store_purge (AdmintStore  *self,
                             GError      **error);

G_END_DECLS
