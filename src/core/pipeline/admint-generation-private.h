/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AdmintGeneration's insides, shared by the files of the pipeline's stages (core only). */
#pragma once

#include <glib/gi18n-lib.h>

#include "admint-ai-error.h"
#include "admint-brief.h"
#include "admint-clip-private.h"
#include "admint-error.h"
#include "admint-generation.h"
#include "admint-voice.h"
#include "admint-generation-failure.h"
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
  AdmintVoiceProvider  *voice;           /* NULL: built from the config by the sound stage */
  gboolean              voice_set;       /* voice chosen by the caller (NULL then means none) */
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
  gint64                progress_emitted_at;  /* monotonic µs of the last running-clip notice */
  guint                 progress_flush_id;    /* a notice held back by the throttle */
  guint                 scores_in_flight;
  char                 *final_video;     /* the stitched video, once it exists */
  char                 *stitch_output;   /* where the stitch in progress writes */
  gboolean              stitch_copied;   /* this run's stitch joined the clips' streams */
  AdmintScores          final_scores;
  gboolean              final_scored;
  gboolean              done;
  gboolean              running_stage;
  guint                 sound_rewrites;   /* rounds of lines sent back to the writer (sound) */
  JsonNode             *voice_plan;       /* per scene: {"captions", "word_times"} for its clip,
                                           * from the voice spoken before the clips; or NULL */

  JsonObject           *timings;
  char                 *timed_stage;
  gint64                stage_started;
  double                stage_cpu_started; /* process CPU seconds then (ADMINT_STAGE_TIMES) */

  guint                 stage_timeout_id; /* the running stage's time limit */
  char                 *timeout_stage;    /* "story", "references", "scenes" */
  AdmintFailureKind     failure_kind;
  char                 *failure_key;      /* the config key a timeout names */
  int                   lock_fd;          /* the generation's lock file, or -1 */

  GListStore           *clip_models;     /* AdmintClip, one per ClipState (admint-clip.h) */
  gboolean              rescore_scenes;  /* the scene critic judges the next saved scenes */
  GTask                *redo_task;       /* an edit or a clip made again, until it ends */
  gulong                redo_finished_id;
  /* What a streaming agent has written so far, read as JSON (admint-generation-agents.c). */
  JsonNode             *draft;
  AdmintMessageKind     draft_kind;
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
  double            emitted_fraction;  /* the fraction last told to listeners */
  AdmintScores      scores;
  gboolean          scored;
  AdmintClipRequest *request;
  GCancellable     *cancellable;  /* this clip's attempt: cancelled by its time limit */
  gulong            cancel_link;  /* on the generation's cancellable */
  guint             timeout_id;
  gboolean          timed_out;
  JsonNode         *ad_checks;   /* {name: {pass, reason}, …} once scored, or NULL */
  char             *thumbnail;   /* a PNG of one of its frames, once made */
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
  SIGNAL_DRAFT_CHANGED,
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
/* A stage the stored status does not name (the sound stage runs under "stitching"). */
void     _admint_gen_set_stage         (AdmintGeneration      *self,
                                        AdmintGenerationStage  stage);
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
  AdmintGeneration    *self;
  AdmintAgentRequest  *request;
  gpointer             extra;
  GAsyncReadyCallback  callback;  /* to ask again with the same request */
  guint                asked;     /* times this request was sent */
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
/* CALL's answer when CHECK accepts it. An unusable answer (malformed, against the schema, or
 * refused by CHECK) is asked for once more: NULL is returned and CALL's callback runs again.
 * When that fails too, or on any other error, the generation fails saying WHAT could not be
 * done and why (BAD_REPLY when the agent answered but not usably). NULL as well once the
 * generation is over (failed, timed out, cancelled): the late answer is dropped. */
JsonNode           *_admint_gen_agent_result     (AgentCall           *call,
                                                  GAsyncResult        *result,
                                                  NodeCheck            check,
                                                  const char          *bad_reply,
                                                  const char          *what);
gboolean            _admint_gen_is_object        (JsonNode            *node);
gboolean            _admint_gen_is_story         (JsonNode            *node);

/* ---- failures (admint-generation-failure.c) ---- */
/* A record in the log whatever the verbosity (never on stderr). */
void     _admint_gen_log_event         (AdmintGeneration  *self,
                                        const char        *event,
                                        const char        *text);
/* _admint_gen_fail, saying what kind of failure it is (and the config key that governs it). */
void     _admint_gen_fail_as           (AdmintGeneration  *self,
                                        AdmintFailureKind  kind,
                                        const char        *key,
                                        const char        *message);

/* ---- time limits, switched-off stages, model output repair, the lock ---- */
/* Arms stages.STAGE.timeout_seconds for the stage that starts now; stop disarms it. */
void     _admint_gen_stage_timer_start (AdmintGeneration  *self,
                                        const char        *stage);
void     _admint_gen_stage_timer_stop  (AdmintGeneration  *self);
/* Gives CLIP its own cancellable and arms stages.clips.timeout_seconds; done disarms. */
GCancellable *_admint_gen_clip_timer_start (AdmintGeneration *self,
                                            ClipState        *clip);
void     _admint_gen_clip_timer_done   (ClipState         *clip);
/* stages.STAGE.enabled */
gboolean _admint_gen_stage_enabled     (AdmintGeneration  *self,
                                        const char        *stage);
/* What a switched-off stage gives instead of running (admint-stage-skip.c). */
void     _admint_gen_skip_story        (AdmintGeneration  *self);
void     _admint_gen_skip_references   (AdmintGeneration  *self);
void     _admint_gen_skip_scenes       (AdmintGeneration  *self);
void     _admint_gen_skip_clips        (AdmintGeneration  *self);
/* A reference analysis from a vision model, made usable: a palette of "#RRGGBB" colours
 * (repairable ones fixed, others dropped), text fields as text. Each change is logged. */
void     _admint_gen_repair_analysis   (AdmintGeneration  *self,
                                        JsonObject        *analysis);
/* Scenes from a writer, made usable: durations into (0, clip_seconds], optional fields of the
 * wrong type dropped. FALSE when nothing usable is left (no scene with a description). */
gboolean _admint_gen_repair_scenes     (AdmintGeneration  *self,
                                        JsonArray         *scenes);
/* Takes the generation's lock (one process works on a generation at a time). */
gboolean _admint_gen_lock              (AdmintGeneration  *self,
                                        GError           **error);
void     _admint_gen_unlock            (AdmintGeneration  *self);

/* ---- the stages (admint-stage-*.c) ---- */
/* The sound stage (admint-stage-sound.c): voice, captions and music onto the stitched video. */
gboolean    _admint_gen_sound_done        (AdmintGeneration *self);
void        _admint_gen_start_sound       (AdmintGeneration *self);
/* The voice-over spoken (or taken from the store) and placed before the clips, so the local
 * renderer draws each clip's captions and word timings; then _admint_gen_clips_after_voice. */
void        _admint_gen_start_voice       (AdmintGeneration *self);
void        _admint_gen_clips_after_voice (AdmintGeneration *self);
/* The scene at INDEX as JSON for its clip request, with its part of the voice plan. */
char       *_admint_gen_clip_scene_json   (AdmintGeneration *self,
                                           int               index);
void        _admint_gen_start_story       (AdmintGeneration *self,
                                           JsonNode         *previous,
                                           const char       *feedback);
void        _admint_gen_start_references  (AdmintGeneration *self);
/* Appends to REFS, up to COUNT in all, the ad's image assets of each of ROLES in that order, as
 * references taken from the user ("source": "asset"). */
void        _admint_gen_add_asset_references (AdmintGeneration   *self,
                                              const char * const *roles,
                                              gsize               n_roles,
                                              JsonArray          *refs,
                                              gint64              count);
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
/* ---- per-clip state for the front ends, edits, clips made again (admint-generation-edit.c) */
/* Brings the AdmintClip of CLIP (making the list if needed) up to date with it. */
void        _admint_gen_sync_clip         (AdmintGeneration *self,
                                           ClipState        *clip);
/* CLIP was scored: keeps its ad checks, writes its scores beside it, updates its AdmintClip. */
void        _admint_gen_clip_scored       (AdmintGeneration *self,
                                           ClipState        *clip);
/* CLIP's file exists: makes its thumbnail in a worker (once) unless there is one. */
void        _admint_gen_clip_thumbnail    (AdmintGeneration *self,
                                           ClipState        *clip);
/* The stored scores of the completed clips (the file beside each clip, else the store's rows),
 * so a loaded generation shows them without scoring again. */
void        _admint_gen_restore_clip_scores (AdmintGeneration *self,
                                             JsonObject       *stored);
/* Runs the scene critic on the scenes as they are now; its critique becomes a message. */
void        _admint_gen_rescore_scenes    (AdmintGeneration *self,
                                           GTask            *then_redo);
/* Starts whatever comes next, unless a stage runs or the user is asked. */
void        _admint_gen_advance           (AdmintGeneration *self);

G_END_DECLS
