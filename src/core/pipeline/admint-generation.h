/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One ad being made: runs brief -> story -> references -> scenes -> clips -> stitch -> score,
 * writes every stage to the store before the next, pauses for the user in interactive mode,
 * and resumes a generation a killed process left behind. Never blocks the main loop on I/O:
 * HTTP is async and media work runs in GTask threads. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "admint-config.h"
#include "admint-message.h"
#include "admint-pipeline-enums.h"
#include "admint-providers.h"
#include "admint-store.h"

G_BEGIN_DECLS

typedef enum {
  ADMINT_GENERATION_AUTO,         /* straight through */
  ADMINT_GENERATION_INTERACTIVE,  /* pause for approval after the story and the scenes */
} AdmintGenerationMode;

#define ADMINT_TYPE_GENERATION (admint_generation_get_type ())
G_DECLARE_FINAL_TYPE (AdmintGeneration, admint_generation, ADMINT, GENERATION, GObject)

/* Properties (read-only; notify on the main context, only when the value changes):
 *   id (string)                      status (AdmintGenerationStatus)
 *   stage (AdmintGenerationStage)    waiting-for (AdmintGenerationWait)
 *   progress (double, 0–1)           cost (double, USD spent so far)
 *   video (string, the stitched video's path, or NULL)
 *   quality-score (double, 0–100, < 0 before it is scored)
 *   verdict (AdmintVerdict: the score against quality.good / quality.acceptable)
 *   messages (GListModel of AdmintMessage: the conversation, stored and live)
 *
 * Signals (all on the main context), for events rather than state:
 *   story-ready (JsonNode *story)            references-ready (JsonNode *references)
 *   scenes-ready (JsonNode *scenes)
 *   clip-progress (int index, double fraction  (< 0: indeterminate), const char *status)
 *   clip-ready (int index, const char *path)  clip-failed (int index, const char *message)
 *   score-ready (int clip_index (-1: the whole video), double quality_score)
 *   waiting-for-user (AdmintGenerationWait wait, const char *question)
 *   finished (AdmintGenerationStatus status)  failed (const char *message)
 *   draft-changed (AdmintMessageKind kind, JsonNode *draft): while an agent streams its answer
 *     (an OpenAI-compatible server), DRAFT is what it has written so far, read as far as it
 *     goes: for ADMINT_MESSAGE_STORY the story object, for ADMINT_MESSAGE_SCENES the scenes
 *     array, their last string cut where the text stops. Emitted as the text grows, then once
 *     with DRAFT NULL when the answer is complete (just before its message is added) or the
 *     call ended without one. The local agents answer at once and never draft.
 */

AdmintGeneration *admint_generation_new (AdmintStore         *store,
                                         AdmintConfig        *config,
                                         AdmintLlmProvider   *llm,
                                         AdmintImageProvider *images,
                                         AdmintVideoProvider *video);

void        admint_generation_set_mode     (AdmintGeneration     *self,
                                            AdmintGenerationMode  mode);
void        admint_generation_set_seed     (AdmintGeneration     *self,
                                            guint32               seed);
/* The A/B group this generation is a variant of (for the JSON result). */
void        admint_generation_set_group    (AdmintGeneration     *self,
                                            const char           *group_id);
/* Spending allowed beyond the configured budget without asking; < 0: none. */
void        admint_generation_set_max_cost (AdmintGeneration     *self,
                                            double                max_cost);

/* Checks the brief, framework and assets (ADMINT_ERROR_INVALID_INPUT / NOT_FOUND naming what
 * to fix, before anything is spent) and stores a new generation. asset_ids: imported asset
 * rows (AdmintAssetRow) to use, may be NULL. */
gboolean    admint_generation_create       (AdmintGeneration  *self,
                                            const char        *prompt,
                                            const char        *framework,
                                            GPtrArray         *assets,
                                            GError           **error);
/* Loads a stored generation to carry it on where it stopped. */
gboolean    admint_generation_load         (AdmintGeneration  *self,
                                            const char        *id,
                                            GError           **error);
/* Runs (or resumes) the pipeline; progress arrives through the signals. */
void        admint_generation_run          (AdmintGeneration  *self);
/* The user's reply while waiting-for-user: approve, regenerate, refine, edit scene N… */
void        admint_generation_reply        (AdmintGeneration  *self,
                                            const char        *text);
void        admint_generation_cancel       (AdmintGeneration  *self);

const char *admint_generation_get_id       (AdmintGeneration  *self);
AdmintGenerationStatus admint_generation_get_status (AdmintGeneration *self);
AdmintGenerationStage  admint_generation_get_stage  (AdmintGeneration *self);
AdmintGenerationWait admint_generation_get_waiting_for (AdmintGeneration *self);
double      admint_generation_get_progress (AdmintGeneration  *self);
double      admint_generation_get_cost     (AdmintGeneration  *self);
AdmintVerdict admint_generation_get_verdict (AdmintGeneration *self);
/* The conversation: a GListModel of AdmintMessage (owned by the generation). */
GListModel *admint_generation_get_messages (AdmintGeneration  *self);
/* The draft of the agent streaming now (see draft-changed), and its kind; NULL when none. */
JsonNode   *admint_generation_get_draft    (AdmintGeneration  *self,
                                            AdmintMessageKind *kind);
/* Why it stopped (failed, partial, cancelled), or NULL. */
const char *admint_generation_get_error_message (AdmintGeneration *self);
const char *admint_generation_get_group    (AdmintGeneration  *self);
gboolean    admint_generation_is_done      (AdmintGeneration  *self);
const char *admint_generation_get_final_video (AdmintGeneration *self);
double      admint_generation_get_quality_score (AdmintGeneration *self);
int         admint_generation_get_n_clips  (AdmintGeneration  *self);
/* The generation's result as `admint generate --json` prints it. */
JsonNode   *admint_generation_to_json      (AdmintGeneration  *self);

G_END_DECLS
