/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AdmintGeneration's insides, shared by the files of the pipeline's stages (core only). */
#pragma once

#include <glib/gi18n-lib.h>

#include "admint-ai-error.h"
#include "admint-brief.h"
#include "admint-error.h"
#include "admint-generation.h"
#include "admint-intent.h"
#include "admint-local-providers.h"
#include "admint-message.h"
#include "admint-media.h"
#include "admint-score.h"
#include "admint-stitch.h"

G_BEGIN_DECLS

typedef struct _ClipState ClipState;

struct _AdmintGeneration
{
  GObject               parent_instance;

  AdmintStore          *store;
  AdmintConfig         *config;
  AdmintLlmProvider    *llm;
  AdmintImageProvider  *images;
  AdmintVideoProvider  *video;
  GCancellable         *cancellable;

  AdmintGenerationMode  mode;
  guint32               seed;
  double                max_cost;

  char                 *id;
  char                 *group_id;
  char                 *prompt;
  char                 *framework;
  AdmintBrief          *brief;
  int                   target_seconds;
  GPtrArray            *assets;          /* AdmintAssetRow */
  char                 *dir;             /* media/generations/<id> */
  AdmintGenerationStatus status;
  AdmintGenerationStage stage;
  char                 *error_message;
  GListStore           *messages;        /* AdmintMessage */
  double                progress;
  double                cost;
  AdmintVerdict         verdict;

  JsonNode             *story;           /* object */
  JsonNode             *references;      /* array */
  JsonNode             *scenes;          /* array */
  gboolean              story_approved;
  gboolean              scenes_approved;
  gboolean              budget_approved;
  AdmintGenerationWait  waiting;
  int                   iteration;
  guint                 reference_cursor;
  gboolean              reference_retried;
  int                   regenerate_scene; /* 0-based, or -1 */

  GPtrArray            *clips;           /* ClipState, one per scene */
  guint                 clips_in_flight;
  guint                 scores_in_flight;
  char                 *final_video;     /* the stitched video, once it exists */
  char                 *stitch_output;   /* where the stitch in progress writes */
  AdmintScores          final_scores;
  gboolean              final_scored;
  gboolean              done;
  gboolean              running_stage;

  JsonObject           *timings;
  char                 *timed_stage;
  gint64                stage_started;
};

struct _ClipState
{
  AdmintGeneration *self;   /* borrowed; the generation outlives its clips' operations */
  int               index;
  int               version;
  guint             attempts;
  gboolean          rephrased;
  char             *status;  /* pending running completed failed */
  char             *path;
  char             *prompt;
  char             *prediction_id;
  char             *error;
  double            duration;
  double            cost;
  double            fraction;  /* of the clip made, while it runs; < 0: unknown */
  AdmintScores      scores;
  gboolean          scored;
  AdmintClipRequest *request;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_STATUS,
  PROP_STAGE,
  PROP_WAITING_FOR,
  PROP_PROGRESS,
  PROP_COST,
  PROP_VIDEO,
  PROP_QUALITY_SCORE,
  PROP_VERDICT,
  PROP_MESSAGES,
  N_PROPS
};

extern GParamSpec *_admint_gen_properties[N_PROPS];

enum {
  SIGNAL_STORY_READY,
  SIGNAL_REFERENCES_READY,
  SIGNAL_SCENES_READY,
  SIGNAL_CLIP_PROGRESS,
  SIGNAL_CLIP_READY,
  SIGNAL_CLIP_FAILED,
  SIGNAL_SCORE_READY,
  SIGNAL_WAITING_FOR_USER,
  SIGNAL_FINISHED,
  SIGNAL_FAILED,
  N_SIGNALS
};

extern guint _admint_gen_signals[N_SIGNALS];

/* ---- state (admint-generation-state.c) ---- */
void     _admint_gen_clip_state_free   (ClipState        *clip);
char    *_admint_gen_node_to_string    (JsonNode         *node);
void     _admint_gen_time_stage        (AdmintGeneration *self,
                                        const char       *stage);
/* Records STATUS (with STAGE_TEXT for the store) and notifies status, stage and progress. */
void     _admint_gen_set_status        (AdmintGeneration       *self,
                                        AdmintGenerationStatus  status,
                                        const char             *stage_text);
void     _admint_gen_set_waiting       (AdmintGeneration     *self,
                                        AdmintGenerationWait  wait);
void     _admint_gen_update_progress   (AdmintGeneration *self);
void     _admint_gen_update_cost       (AdmintGeneration *self);
void     _admint_gen_set_video         (AdmintGeneration *self,
                                        const char       *path);
void     _admint_gen_set_quality       (AdmintGeneration *self,
                                        double            score);
void     _admint_gen_add_message       (AdmintGeneration *self,
                                        const char       *role,
                                        const char       *kind,
                                        JsonNode         *body);
void     _admint_gen_add_text_message  (AdmintGeneration *self,
                                        const char       *role,
                                        const char       *kind,
                                        const char       *text);
void     _admint_gen_fail              (AdmintGeneration *self,
                                        const char       *message);
/* TRUE when the operation was cancelled: the generation has then been marked cancelled. */
gboolean _admint_gen_handle_error      (AdmintGeneration *self,
                                        const char       *what,
                                        GError           *error);
void     _admint_gen_wait_for_user     (AdmintGeneration     *self,
                                        AdmintGenerationWait  wait,
                                        const char           *question);

/* ---- agents (admint-generation-agents.c) ---- */
typedef struct {
  AdmintGeneration   *self;
  AdmintAgentRequest *request;
  gpointer            extra;
} AgentCall;

void     _admint_gen_agent_call_free   (AgentCall        *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgentCall, _admint_gen_agent_call_free)

typedef gboolean (*NodeCheck) (JsonNode *node);

const char         *_admint_gen_brand_name       (AdmintGeneration    *self);
GStrv               _admint_gen_palette_strv     (AdmintGeneration    *self);
AdmintAgentRequest *_admint_gen_agent_request    (AdmintGeneration    *self,
                                                  const char          *agent);
void                _admint_gen_run_agent        (AdmintGeneration    *self,
                                                  AdmintAgentRequest  *request,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             extra);
double              _admint_gen_critique_score   (JsonNode            *critique);
char               *_admint_gen_critique_reasons (JsonNode            *critique);
gboolean            _admint_gen_valid_critique   (JsonNode            *node);
JsonNode           *_admint_gen_agent_result     (AdmintGeneration    *self,
                                                  GAsyncResult        *result,
                                                  NodeCheck            check,
                                                  const char          *bad_reply,
                                                  const char          *what);
gboolean            _admint_gen_is_object        (JsonNode            *node);
gboolean            _admint_gen_is_story         (JsonNode            *node);

/* ---- the stages (admint-stage-*.c) ---- */
void        _admint_gen_start_story       (AdmintGeneration *self,
                                           JsonNode         *previous,
                                           const char       *feedback);
void        _admint_gen_start_references  (AdmintGeneration *self);
void        _admint_gen_start_scenes      (AdmintGeneration *self,
                                           const char       *feedback,
                                           guint32           seed);
void        _admint_gen_run_scene_writer  (AdmintGeneration *self,
                                           const char       *feedback,
                                           guint32           seed);
void        _admint_gen_run_cohesor       (AdmintGeneration *self);
/* TRUE to go on with the clips now. */
gboolean    _admint_gen_check_budget      (AdmintGeneration *self);
JsonObject *_admint_gen_scene_at          (AdmintGeneration *self,
                                           int               index);
void        _admint_gen_prepare_clips     (AdmintGeneration *self,
                                           JsonArray        *stored_clips);
void        _admint_gen_start_clips       (AdmintGeneration *self);
void        _admint_gen_save_scores       (AdmintGeneration   *self,
                                           int                 index,
                                           const AdmintScores *scores);
void        _admint_gen_start_stitch      (AdmintGeneration *self);
void        _admint_gen_start_final_score (AdmintGeneration *self);
void        _admint_gen_finish            (AdmintGeneration *self);
/* Starts whatever comes next, unless a stage runs or the user is asked. */
void        _admint_gen_advance           (AdmintGeneration *self);

G_END_DECLS
