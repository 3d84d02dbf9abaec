/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pipeline's enum types: a generation's status, stage, what it waits for, its verdict, and
 * the kinds and roles of its messages. One list each; the nicks are the stored strings. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How far a generation got, as the store keeps it (the nick is the stored string). */
typedef enum {
  ADMINT_GENERATION_STATUS_PENDING,
  ADMINT_GENERATION_STATUS_STORY,
  ADMINT_GENERATION_STATUS_REFERENCES,
  ADMINT_GENERATION_STATUS_SCENES,
  ADMINT_GENERATION_STATUS_CLIPS,
  ADMINT_GENERATION_STATUS_STITCHING,
  ADMINT_GENERATION_STATUS_SCORING,
  ADMINT_GENERATION_STATUS_COMPLETED,
  ADMINT_GENERATION_STATUS_PARTIAL,
  ADMINT_GENERATION_STATUS_FAILED,
  ADMINT_GENERATION_STATUS_CANCELLED,
} AdmintGenerationStatus;

/* The pipeline stage a generation is in, or (once it ended) the last one it reached. */
typedef enum {
  ADMINT_GENERATION_STAGE_NONE,
  ADMINT_GENERATION_STAGE_STORY,
  ADMINT_GENERATION_STAGE_REFERENCES,
  ADMINT_GENERATION_STAGE_SCENES,
  ADMINT_GENERATION_STAGE_VOICE,       /* the voice-over spoken before the clips; stored status:
                                        * scenes or clips */
  ADMINT_GENERATION_STAGE_CLIPS,
  ADMINT_GENERATION_STAGE_STITCHING,
  ADMINT_GENERATION_STAGE_SOUND,       /* voice, captions, music; stored status: stitching */
  ADMINT_GENERATION_STAGE_SCORING,
  ADMINT_GENERATION_STAGE_DONE,
} AdmintGenerationStage;

/* What the generation waits for the user's reply on. */
typedef enum {
  ADMINT_GENERATION_WAIT_NONE,
  ADMINT_GENERATION_WAIT_STORY,
  ADMINT_GENERATION_WAIT_SCENES,
  ADMINT_GENERATION_WAIT_BUDGET,
} AdmintGenerationWait;

/* A quality score against the config's bands: quality.good and quality.acceptable. */
typedef enum {
  ADMINT_VERDICT_NONE,        /* not scored (yet) */
  ADMINT_VERDICT_POOR,
  ADMINT_VERDICT_ACCEPTABLE,
  ADMINT_VERDICT_GOOD,
} AdmintVerdict;

typedef enum {
  ADMINT_MESSAGE_ROLE_USER,
  ADMINT_MESSAGE_ROLE_ASSISTANT,
  ADMINT_MESSAGE_ROLE_CRITIC,
  ADMINT_MESSAGE_ROLE_SYSTEM,
} AdmintMessageRole;

typedef enum {
  ADMINT_MESSAGE_TEXT,        /* text */
  ADMINT_MESSAGE_PROGRESS,    /* text: a note on the way (a retry, a redo) */
  ADMINT_MESSAGE_ERROR,       /* text: why it stopped */
  ADMINT_MESSAGE_STORY,       /* story */
  ADMINT_MESSAGE_CRITIQUE,    /* score and reasons */
  ADMINT_MESSAGE_REFERENCES,  /* references */
  ADMINT_MESSAGE_SCENES,      /* scenes */
  ADMINT_MESSAGE_VIDEO,       /* path */
  ADMINT_MESSAGE_SCORES,      /* path and score */
} AdmintMessageKind;

#define ADMINT_TYPE_GENERATION_STATUS (admint_generation_status_get_type ())
#define ADMINT_TYPE_GENERATION_STAGE  (admint_generation_stage_get_type ())
#define ADMINT_TYPE_GENERATION_WAIT   (admint_generation_wait_get_type ())
#define ADMINT_TYPE_VERDICT           (admint_verdict_get_type ())
#define ADMINT_TYPE_MESSAGE_ROLE      (admint_message_role_get_type ())
#define ADMINT_TYPE_MESSAGE_KIND      (admint_message_kind_get_type ())

GType admint_generation_status_get_type (void) G_GNUC_CONST;
GType admint_generation_stage_get_type  (void) G_GNUC_CONST;
GType admint_generation_wait_get_type   (void) G_GNUC_CONST;
GType admint_verdict_get_type           (void) G_GNUC_CONST;
GType admint_message_role_get_type      (void) G_GNUC_CONST;
GType admint_message_kind_get_type      (void) G_GNUC_CONST;

/* An enum value's nick ("completed", "good", …); NULL for a value not in the list. */
const char *admint_enum_to_string   (GType       enum_type,
                                     int         value);
/* The value whose nick is NICK; FALSE (and *value untouched) when there is none. */
gboolean    admint_enum_from_string (GType       enum_type,
                                     const char *nick,
                                     int        *value);

const char *admint_generation_status_to_string (AdmintGenerationStatus status);
/* An unknown string (data from a newer version) reads as failed, so it can be resumed. */
AdmintGenerationStatus admint_generation_status_from_string (const char *status);
/* TRUE for completed, partial, failed and cancelled. */
gboolean    admint_generation_status_is_finished (AdmintGenerationStatus status);
/* The status as the app shows it ("Writing the story"), translated. */
const char *admint_generation_status_get_label (AdmintGenerationStatus status);
/* The stage a status belongs to (completed and partial: DONE; failed, cancelled: NONE). */
AdmintGenerationStage admint_generation_status_get_stage (AdmintGenerationStatus status);

const char *admint_verdict_to_string (AdmintVerdict verdict);
/* The verdict of a 0–100 score with the bands GOOD and ACCEPTABLE; < 0 is NONE. */
AdmintVerdict admint_verdict_for_score (double score,
                                        double good,
                                        double acceptable);

G_END_DECLS
