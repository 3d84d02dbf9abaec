/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One ad being made: runs brief -> story -> references -> scenes -> clips -> stitch -> score,
 * writes every stage to the store before the next, pauses for the user in interactive mode,
 * and resumes a generation a killed process left behind. Never blocks the main loop on I/O:
 * HTTP is async and media work runs in GTask threads. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "admint-clip.h"
#include "admint-config.h"
#include "admint-message.h"
#include "admint-pipeline-enums.h"
#include "admint-providers.h"
#include "admint-store.h"
#include "admint-voice.h"

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
/* The voice-over's provider (NULL: no voice-over). Without this call the sound stage builds the
 * one providers.voice.* selects. */
void        admint_generation_set_voice    (AdmintGeneration     *self,
                                            AdmintVoiceProvider  *voice);
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
/* ---- one scene, one clip (admint-generation-edit.c) ----
 * Both run on a finished generation (completed or partial, live or loaded), never while a
 * stage runs. Making a clip again pays for that clip alone, then stitches, re-runs the sound
 * and scores the ad again; the call ends when the generation has finished once more. */
typedef enum {
  ADMINT_REDO_NONE  = 0,
  ADMINT_REDO_FORCE = 1 << 0,  /* spend past the budget: the user said yes */
} AdmintRedoFlags;

/* The per-clip state: a GListModel of AdmintClip, one per scene once the clips stage has
 * started (empty before); the same list for the generation's life. */
GListModel *admint_generation_get_clips    (AdmintGeneration  *self);
/* What making clip INDEX (0-based) again would cost at DURATION seconds (< 0: the scene's),
 * and what the budget leaves (budget.max_usd_per_generation less what was spent, plus any
 * max-cost allowance). TRUE when it fits. */
gboolean    admint_generation_clip_fits_budget (AdmintGeneration *self,
                                                int               index,
                                                double            duration,
                                                double           *estimate,
                                                double           *left);
/* Makes clip INDEX again. Over the budget without ADMINT_REDO_FORCE it fails at once with
 * ADMINT_ERROR_OVER_BUDGET (the message says the figures), before anything is spent; a bad
 * index or a generation that is still running is ADMINT_ERROR_INVALID_INPUT. */
void        admint_generation_regenerate_clip_async  (AdmintGeneration     *self,
                                                      int                   index,
                                                      AdmintRedoFlags       flags,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    admint_generation_regenerate_clip_finish (AdmintGeneration     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* Edits scene INDEX: TEXT (NULL: unchanged) becomes its description and DURATION (< 0:
 * unchanged) its length, stored as the scene's next version ("version" in the scene). The
 * scene critic scores the edited scenes. When the scene already has a clip, that clip (and
 * only it) is made again as regenerate_clip does, with the same budget check first; while the
 * scenes wait for approval it ends after the critic. */
void        admint_generation_edit_scene_async       (AdmintGeneration     *self,
                                                      int                   index,
                                                      const char           *text,
                                                      double                duration,
                                                      AdmintRedoFlags       flags,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    admint_generation_edit_scene_finish      (AdmintGeneration     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* The per-clip state of stored generation ID as admint_generation_get_clips gives it (the
 * newest clip of each scene, its score, verdict, ad checks and thumbnail — made if missing and
 * INDEX is -1 or that clip's), read in a worker without taking the generation: for a view of
 * an ad that is not running. An unknown ID is ADMINT_ERROR_NOT_FOUND. */
void        admint_generation_read_clips_async  (AdmintStore          *store,
                                                 const char           *id,
                                                 int                   index,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GListModel *admint_generation_read_clips_finish (GAsyncResult         *result,
                                                 GError              **error);

/* The generation's result as `admint generate --json` prints it. */
JsonNode   *admint_generation_to_json      (AdmintGeneration  *self);

G_END_DECLS
