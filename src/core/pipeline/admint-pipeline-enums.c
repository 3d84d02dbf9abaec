/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pipeline's enum types, registered with GObject so properties and views can use them. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "admint-pipeline-enums.h"

G_DEFINE_ENUM_TYPE (AdmintGenerationStatus, admint_generation_status,
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_STORY, "story"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_REFERENCES, "references"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_SCENES, "scenes"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_CLIPS, "clips"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_STITCHING, "stitching"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_SCORING, "scoring"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_PARTIAL, "partial"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STATUS_CANCELLED, "cancelled"))

G_DEFINE_ENUM_TYPE (AdmintGenerationStage, admint_generation_stage,
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_STORY, "story"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_REFERENCES, "references"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_SCENES, "scenes"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_VOICE, "voice"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_CLIPS, "clips"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_STITCHING, "stitching"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_SOUND, "sound"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_SCORING, "scoring"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_STAGE_DONE, "done"))

G_DEFINE_ENUM_TYPE (AdmintGenerationWait, admint_generation_wait,
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_WAIT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_WAIT_STORY, "story"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_WAIT_SCENES, "scenes"),
  G_DEFINE_ENUM_VALUE (ADMINT_GENERATION_WAIT_BUDGET, "budget"))

G_DEFINE_ENUM_TYPE (AdmintVerdict, admint_verdict,
  G_DEFINE_ENUM_VALUE (ADMINT_VERDICT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ADMINT_VERDICT_POOR, "poor"),
  G_DEFINE_ENUM_VALUE (ADMINT_VERDICT_ACCEPTABLE, "acceptable"),
  G_DEFINE_ENUM_VALUE (ADMINT_VERDICT_GOOD, "good"))

G_DEFINE_ENUM_TYPE (AdmintMessageRole, admint_message_role,
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_ROLE_USER, "user"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_ROLE_ASSISTANT, "assistant"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_ROLE_CRITIC, "critic"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_ROLE_SYSTEM, "system"))

G_DEFINE_ENUM_TYPE (AdmintMessageKind, admint_message_kind,
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_TEXT, "text"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_PROGRESS, "progress"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_STORY, "story"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_CRITIQUE, "critique"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_REFERENCES, "references"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_SCENES, "scenes"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_VIDEO, "video"),
  G_DEFINE_ENUM_VALUE (ADMINT_MESSAGE_SCORES, "scores"))

const char *
admint_enum_to_string (GType enum_type,
                       int   value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *v;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);
  klass = g_type_class_ref (enum_type);
  v = g_enum_get_value (klass, value);
  /* The class of a static enum type is never freed, so the nick outlives the ref. */
  return v != NULL ? v->value_nick : NULL;
}

gboolean
admint_enum_from_string (GType       enum_type,
                         const char *nick,
                         int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *v;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (enum_type);
  v = g_enum_get_value_by_nick (klass, nick);
  if (v == NULL)
    return FALSE;
  *value = v->value;
  return TRUE;
}

const char *
admint_generation_status_to_string (AdmintGenerationStatus status)
{
  return admint_enum_to_string (ADMINT_TYPE_GENERATION_STATUS, status);
}

AdmintGenerationStatus
admint_generation_status_from_string (const char *status)
{
  int value = ADMINT_GENERATION_STATUS_FAILED;

  admint_enum_from_string (ADMINT_TYPE_GENERATION_STATUS, status, &value);
  return value;
}

gboolean
admint_generation_status_is_finished (AdmintGenerationStatus status)
{
  return status >= ADMINT_GENERATION_STATUS_COMPLETED;
}

const char *
admint_generation_status_get_label (AdmintGenerationStatus status)
{
  static const char * const labels[] = {
    [ADMINT_GENERATION_STATUS_PENDING] = N_("Starting"),
    [ADMINT_GENERATION_STATUS_STORY] = N_("Writing the story"),
    [ADMINT_GENERATION_STATUS_REFERENCES] = N_("Making references"),
    [ADMINT_GENERATION_STATUS_SCENES] = N_("Writing the scenes"),
    [ADMINT_GENERATION_STATUS_CLIPS] = N_("Making the clips"),
    [ADMINT_GENERATION_STATUS_STITCHING] = N_("Stitching"),
    [ADMINT_GENERATION_STATUS_SCORING] = N_("Scoring"),
    [ADMINT_GENERATION_STATUS_COMPLETED] = N_("Completed"),
    [ADMINT_GENERATION_STATUS_PARTIAL] = N_("Partly made"),
    [ADMINT_GENERATION_STATUS_FAILED] = N_("Failed"),
    [ADMINT_GENERATION_STATUS_CANCELLED] = N_("Cancelled"),
  };

  if ((guint) status >= G_N_ELEMENTS (labels))
    return "";
  return g_dgettext (GETTEXT_PACKAGE, labels[status]);
}

AdmintGenerationStage
admint_generation_status_get_stage (AdmintGenerationStatus status)
{
  switch (status)
    {
    case ADMINT_GENERATION_STATUS_STORY: return ADMINT_GENERATION_STAGE_STORY;
    case ADMINT_GENERATION_STATUS_REFERENCES: return ADMINT_GENERATION_STAGE_REFERENCES;
    case ADMINT_GENERATION_STATUS_SCENES: return ADMINT_GENERATION_STAGE_SCENES;
    case ADMINT_GENERATION_STATUS_CLIPS: return ADMINT_GENERATION_STAGE_CLIPS;
    case ADMINT_GENERATION_STATUS_STITCHING: return ADMINT_GENERATION_STAGE_STITCHING;
    case ADMINT_GENERATION_STATUS_SCORING: return ADMINT_GENERATION_STAGE_SCORING;
    case ADMINT_GENERATION_STATUS_COMPLETED:
    case ADMINT_GENERATION_STATUS_PARTIAL: return ADMINT_GENERATION_STAGE_DONE;
    case ADMINT_GENERATION_STATUS_PENDING:
    case ADMINT_GENERATION_STATUS_FAILED:
    case ADMINT_GENERATION_STATUS_CANCELLED:
    default: return ADMINT_GENERATION_STAGE_NONE;
    }
}

const char *
admint_verdict_to_string (AdmintVerdict verdict)
{
  return admint_enum_to_string (ADMINT_TYPE_VERDICT, verdict);
}

AdmintVerdict
admint_verdict_for_score (double score,
                          double good,
                          double acceptable)
{
  if (score < 0)
    return ADMINT_VERDICT_NONE;
  if (score >= good)
    return ADMINT_VERDICT_GOOD;
  if (score >= acceptable)
    return ADMINT_VERDICT_ACCEPTABLE;
  return ADMINT_VERDICT_POOR;
}
