/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One ad in the sidebar: a stored generation row whose status and score follow a live run. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "admint-history-item.h"

struct _AdmintHistoryItem
{
  GObject                 parent_instance;

  char                   *id;
  char                   *prompt;
  AdmintGenerationStatus  status;
  double                  quality_score;
  gboolean                waiting;
  char                   *subtitle;
  char                   *name;
  char                   *group_id;
  char                   *variant;
  gboolean                winner;
  AdmintGeneration       *generation;
};

G_DEFINE_FINAL_TYPE (AdmintHistoryItem, admint_history_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROMPT,
  PROP_STATUS,
  PROP_QUALITY_SCORE,
  PROP_SUBTITLE,
  PROP_GENERATION,
  PROP_NAME,
  PROP_TITLE,
  PROP_GROUP_ID,
  PROP_WINNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_subtitle (AdmintHistoryItem *self)
{
  g_autofree char *subtitle = NULL;

  g_autofree char *prefix = self->variant != NULL
                            /* Translators: a variant's letter, before its status */
                            ? g_strdup_printf (_("Variant %s · "), self->variant)
                            : g_strdup ("");

  /* A score is the finished ad's: while a clip or a scene is made again, the old one no longer
   * says what the ad will be, and the row says what is being done instead. */
  gboolean ended = self->status >= ADMINT_GENERATION_STATUS_COMPLETED;

  if (self->waiting)
    subtitle = g_strdup (_("Waiting for your reply"));
  else if (self->quality_score >= 0 && ended)
    /* Translators: a status, then the video's quality score out of 100 */
    subtitle = g_strdup_printf (_("%s · score %.0f"),
                                admint_generation_status_get_label (self->status),
                                self->quality_score);
  else if (self->status == ADMINT_GENERATION_STATUS_STITCHING && self->generation != NULL &&
           admint_generation_get_stage (self->generation) == ADMINT_GENERATION_STAGE_SOUND)
    /* The sound stage keeps the stored status "stitching"; say what it does. */
    subtitle = g_strdup (_("Adding the sound"));
  else if (self->generation != NULL &&
           admint_generation_get_stage (self->generation) == ADMINT_GENERATION_STAGE_VOICE)
    /* Spoken before the clips, so they show its captions. */
    subtitle = g_strdup (_("Speaking the voice-over"));
  else
    subtitle = g_strdup (admint_generation_status_get_label (self->status));
  if (*prefix != '\0')
    {
      char *joined = g_strconcat (prefix, subtitle, NULL);
      g_free (subtitle);
      subtitle = joined;
    }
  if (g_strcmp0 (subtitle, self->subtitle) == 0)
    return;
  g_free (self->subtitle);
  self->subtitle = g_steal_pointer (&subtitle);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

/* The item follows its generation's properties. */
static void
sync_from_generation (AdmintHistoryItem *self)
{
  AdmintGeneration *gen = self->generation;
  AdmintGenerationStatus status = admint_generation_get_status (gen);
  double score = admint_generation_get_quality_score (gen);
  gboolean waiting = admint_generation_get_waiting_for (gen) != ADMINT_GENERATION_WAIT_NONE;

  if (status != self->status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (score >= 0 && score != self->quality_score)
    {
      self->quality_score = score;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY_SCORE]);
    }
  self->waiting = waiting;
  update_subtitle (self);
}

static void
admint_history_item_dispose (GObject *object)
{
  AdmintHistoryItem *self = ADMINT_HISTORY_ITEM (object);

  if (self->generation != NULL)
    g_signal_handlers_disconnect_by_data (self->generation, self);
  g_clear_object (&self->generation);
  G_OBJECT_CLASS (admint_history_item_parent_class)->dispose (object);
}

static void
admint_history_item_finalize (GObject *object)
{
  AdmintHistoryItem *self = ADMINT_HISTORY_ITEM (object);

  g_free (self->id);
  g_free (self->prompt);
  g_free (self->subtitle);
  g_free (self->name);
  g_free (self->group_id);
  g_free (self->variant);
  G_OBJECT_CLASS (admint_history_item_parent_class)->finalize (object);
}

static void
admint_history_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AdmintHistoryItem *self = ADMINT_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_QUALITY_SCORE:
      g_value_set_double (value, self->quality_score);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_GENERATION:
      g_value_set_object (value, self->generation);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, admint_history_item_get_title (self));
      break;
    case PROP_GROUP_ID:
      g_value_set_string (value, self->group_id);
      break;
    case PROP_WINNER:
      g_value_set_boolean (value, self->winner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
admint_history_item_class_init (AdmintHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = admint_history_item_dispose;
  object_class->finalize = admint_history_item_finalize;
  object_class->get_property = admint_history_item_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL,
                                               ADMINT_TYPE_GENERATION_STATUS,
                                               ADMINT_GENERATION_STATUS_PENDING, flags);
  properties[PROP_QUALITY_SCORE] = g_param_spec_double ("quality-score", NULL, NULL, -1, 100, -1,
                                                        flags);
  properties[PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL, flags);
  properties[PROP_GENERATION] = g_param_spec_object ("generation", NULL, NULL,
                                                     ADMINT_TYPE_GENERATION, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /* The name the user gave the ad, else its brief: the row's first line and the header's. */
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_GROUP_ID] = g_param_spec_string ("group-id", NULL, NULL, NULL, flags);
  properties[PROP_WINNER] = g_param_spec_boolean ("winner", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
admint_history_item_init (AdmintHistoryItem *self)
{
  self->quality_score = -1;
}

AdmintHistoryItem *
admint_history_item_new (AdmintGenerationRow *row)
{
  AdmintHistoryItem *self;

  g_return_val_if_fail (ADMINT_IS_GENERATION_ROW (row), NULL);

  self = g_object_new (ADMINT_TYPE_HISTORY_ITEM, NULL);
  self->id = g_strdup (admint_generation_row_get_id (row));
  self->prompt = g_strdup (admint_generation_row_get_prompt (row));
  self->status = admint_generation_status_from_string (admint_generation_row_get_status (row));
  self->quality_score = admint_generation_row_get_quality_score (row);
  self->name = g_strdup (admint_generation_row_get_name (row));
  self->group_id = g_strdup (admint_generation_row_get_group_id (row));
  self->variant = g_strdup (admint_generation_row_get_variant (row));
  self->winner = admint_generation_row_get_winner (row);
  update_subtitle (self);
  return self;
}

AdmintHistoryItem *
admint_history_item_new_for (AdmintGeneration *generation)
{
  AdmintHistoryItem *self;

  g_return_val_if_fail (ADMINT_IS_GENERATION (generation), NULL);

  self = g_object_new (ADMINT_TYPE_HISTORY_ITEM, NULL);
  self->id = g_strdup (admint_generation_get_id (generation));
  /* The brief is the conversation's first message. */
  g_autoptr(AdmintMessage) first = g_list_model_get_item (
    admint_generation_get_messages (generation), 0);
  self->prompt = g_strdup (first != NULL ? admint_message_get_text (first) : NULL);
  self->group_id = g_strdup (admint_generation_get_group (generation));
  admint_history_item_set_generation (self, generation);
  return self;
}

const char *
admint_history_item_get_id (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
  return self->id;
}

const char *
admint_history_item_get_prompt (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
  return self->prompt;
}

AdmintGenerationStatus
admint_history_item_get_status (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), ADMINT_GENERATION_STATUS_FAILED);
  return self->status;
}

double
admint_history_item_get_quality_score (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), -1);
  return self->quality_score;
}

const char *
admint_history_item_get_subtitle (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
  return self->subtitle;
}

AdmintGeneration *
admint_history_item_get_generation (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
  return self->generation;
}

void
admint_history_item_set_generation (AdmintHistoryItem *self,
                                    AdmintGeneration  *generation)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ITEM (self));
  g_return_if_fail (generation == NULL || ADMINT_IS_GENERATION (generation));

  if (self->generation == generation)
    return;
  if (self->generation != NULL)
    g_signal_handlers_disconnect_by_data (self->generation, self);
  g_set_object (&self->generation, generation);
  if (generation != NULL)
    {
      g_signal_connect_object (generation, "notify::status", G_CALLBACK (sync_from_generation),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (generation, "notify::quality-score",
                               G_CALLBACK (sync_from_generation), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (generation, "notify::waiting-for",
                               G_CALLBACK (sync_from_generation), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (generation, "notify::stage", G_CALLBACK (sync_from_generation),
                               self, G_CONNECT_SWAPPED);
      sync_from_generation (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATION]);
}

gboolean
admint_history_item_is_running (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), FALSE);
  return self->generation != NULL && !admint_generation_is_done (self->generation);
}

const char *
admint_history_item_get_name (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
  return self->name;
}

void
admint_history_item_set_name (AdmintHistoryItem *self,
                              const char        *name)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ITEM (self));

  if (name != NULL && *name == '\0')
    name = NULL;
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
admint_history_item_get_title (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
  return self->name != NULL ? self->name : self->prompt;
}

const char *
admint_history_item_get_group_id (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
  return self->group_id;
}

void
admint_history_item_set_variant (AdmintHistoryItem *self,
                                 const char        *variant)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ITEM (self));

  g_free (self->variant);
  self->variant = g_strdup (variant);
  update_subtitle (self);
}

gboolean
admint_history_item_get_winner (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), FALSE);
  return self->winner;
}

void
admint_history_item_set_winner (AdmintHistoryItem *self,
                                gboolean           winner)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ITEM (self));

  winner = !!winner;
  if (self->winner == winner)
    return;
  self->winner = winner;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINNER]);
}

gboolean
admint_history_item_matches (AdmintHistoryItem *self,
                             const char        *folded_text)
{
  g_autofree char *prompt = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), FALSE);

  if (folded_text == NULL || *folded_text == '\0')
    return TRUE;
  prompt = self->prompt != NULL ? g_utf8_casefold (self->prompt, -1) : NULL;
  name = self->name != NULL ? g_utf8_casefold (self->name, -1) : NULL;
  return (prompt != NULL && strstr (prompt, folded_text) != NULL) ||
         (name != NULL && strstr (name, folded_text) != NULL);
}
