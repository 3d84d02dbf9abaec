/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small immutable GObjects the store hands out as list rows (history, chat messages, assets). */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One line of the history: what `admint history` prints and the GUI's generation list shows. */
#define ADMINT_TYPE_GENERATION_ROW (admint_generation_row_get_type ())
G_DECLARE_FINAL_TYPE (AdmintGenerationRow, admint_generation_row, ADMINT, GENERATION_ROW, GObject)

const char *admint_generation_row_get_id            (AdmintGenerationRow *self);
/* Unix time in microseconds, UTC. */
gint64      admint_generation_row_get_created       (AdmintGenerationRow *self);
const char *admint_generation_row_get_prompt        (AdmintGenerationRow *self);
const char *admint_generation_row_get_status        (AdmintGenerationRow *self);
/* 0–100, or a negative number when the generation has not been scored yet. */
double      admint_generation_row_get_quality_score (AdmintGenerationRow *self);
/* The sum of the generation's usage rows, in USD. */
double      admint_generation_row_get_cost          (AdmintGenerationRow *self);
/* The name the user gave the ad, or NULL. */
const char *admint_generation_row_get_name          (AdmintGenerationRow *self);
/* The variant group the ad belongs to, or NULL when it is a single ad. */
const char *admint_generation_row_get_group_id      (AdmintGenerationRow *self);
/* Its name in the group ("A", "B", …), or NULL. */
const char *admint_generation_row_get_variant       (AdmintGenerationRow *self);
/* TRUE when the ad was picked as the best of its variants. */
gboolean    admint_generation_row_get_winner        (AdmintGenerationRow *self);

/* One chat message of a generation. */
#define ADMINT_TYPE_MESSAGE_ROW (admint_message_row_get_type ())
G_DECLARE_FINAL_TYPE (AdmintMessageRow, admint_message_row, ADMINT, MESSAGE_ROW, GObject)

gint64      admint_message_row_get_id            (AdmintMessageRow *self);
const char *admint_message_row_get_generation_id (AdmintMessageRow *self);
const char *admint_message_row_get_role          (AdmintMessageRow *self);
const char *admint_message_row_get_kind          (AdmintMessageRow *self);
const char *admint_message_row_get_body_json     (AdmintMessageRow *self);
gint64      admint_message_row_get_created       (AdmintMessageRow *self);

/* One imported brand asset. */
#define ADMINT_TYPE_ASSET_ROW (admint_asset_row_get_type ())
G_DECLARE_FINAL_TYPE (AdmintAssetRow, admint_asset_row, ADMINT, ASSET_ROW, GObject)

gint64              admint_asset_row_get_id             (AdmintAssetRow *self);
const char         *admint_asset_row_get_sha256         (AdmintAssetRow *self);
const char         *admint_asset_row_get_path           (AdmintAssetRow *self);
/* NULL for audio. */
const char         *admint_asset_row_get_thumbnail_path (AdmintAssetRow *self);
const char         *admint_asset_row_get_original_name  (AdmintAssetRow *self);
const char         *admint_asset_row_get_mime           (AdmintAssetRow *self);
const char         *admint_asset_row_get_kind           (AdmintAssetRow *self);
/* 0 for audio. */
int                 admint_asset_row_get_width          (AdmintAssetRow *self);
int                 admint_asset_row_get_height         (AdmintAssetRow *self);
/* Seconds; negative for images. */
double              admint_asset_row_get_duration       (AdmintAssetRow *self);
gint64              admint_asset_row_get_size           (AdmintAssetRow *self);
const char * const *admint_asset_row_get_tags           (AdmintAssetRow *self);
gint64              admint_asset_row_get_created        (AdmintAssetRow *self);

/* The asset as the JSON object `admint assets list --json` prints. */
JsonNode            *admint_asset_row_to_json  (AdmintAssetRow *self);

/* ISO-8601 UTC ("2026-01-31T12:00:00.000000Z") of a unix time in microseconds, or NULL if 0. */
char                *admint_store_format_time  (gint64 usec);


G_END_DECLS
