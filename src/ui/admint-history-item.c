/* One ad in the sidebar: a stored generation row whose status and score follow a live run. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-history-item.h"

struct _AdmintHistoryItem
{
  GObject  parent_instance;

  char    *id;
  char    *prompt;
  char    *status;
  double   quality_score;
  gboolean waiting;
  char    *subtitle;
};

G_DEFINE_FINAL_TYPE (AdmintHistoryItem, admint_history_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROMPT,
  PROP_STATUS,
  PROP_QUALITY_SCORE,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
admint_history_status_label (const char *status)
{
  static const struct { const char *status; const char *label; } labels[] = {
    { "pending", N_("Starting") },
    { "story", N_("Writing the story") },
    { "references", N_("Making references") },
    { "scenes", N_("Writing the scenes") },
    { "clips", N_("Making the clips") },
    { "stitching", N_("Stitching") },
    { "scoring", N_("Scoring") },
    { "completed", N_("Completed") },
    { "partial", N_("Partly made") },
    { "failed", N_("Failed") },
    { "cancelled", N_("Cancelled") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (status, labels[i].status) == 0)
      return _(labels[i].label);
  return status != NULL ? status : "";
}

static void
update_subtitle (AdmintHistoryItem *self)
{
  g_free (self->subtitle);
  if (self->waiting)
    self->subtitle = g_strdup (_("Waiting for your reply"));
  else if (self->quality_score >= 0)
    /* Translators: a status, then the video's quality score out of 100 */
    self->subtitle = g_strdup_printf (_("%s · score %.0f"),
                                      admint_history_status_label (self->status),
                                      self->quality_score);
  else
    self->subtitle = g_strdup (admint_history_status_label (self->status));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

static void
admint_history_item_finalize (GObject *object)
{
  AdmintHistoryItem *self = ADMINT_HISTORY_ITEM (object);

  g_free (self->id);
  g_free (self->prompt);
  g_free (self->status);
  g_free (self->subtitle);
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
      g_value_set_string (value, self->status);
      break;
    case PROP_QUALITY_SCORE:
      g_value_set_double (value, self->quality_score);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
admint_history_item_class_init (AdmintHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = admint_history_item_finalize;
  object_class->get_property = admint_history_item_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                 G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_QUALITY_SCORE] =
    g_param_spec_double ("quality-score", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                   G_PARAM_EXPLICIT_NOTIFY);
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
  g_return_val_if_fail (ADMINT_IS_GENERATION_ROW (row), NULL);

  AdmintHistoryItem *self = g_object_new (ADMINT_TYPE_HISTORY_ITEM, NULL);
  self->id = g_strdup (admint_generation_row_get_id (row));
  self->prompt = g_strdup (admint_generation_row_get_prompt (row));
  self->status = g_strdup (admint_generation_row_get_status (row));
  self->quality_score = admint_generation_row_get_quality_score (row);
  update_subtitle (self);
  return self;
}

AdmintHistoryItem *
admint_history_item_new_for (const char *id,
                             const char *prompt,
                             const char *status)
{
  g_return_val_if_fail (id != NULL, NULL);

  AdmintHistoryItem *self = g_object_new (ADMINT_TYPE_HISTORY_ITEM, NULL);
  self->id = g_strdup (id);
  self->prompt = g_strdup (prompt);
  self->status = g_strdup (status);
  update_subtitle (self);
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

const char *
admint_history_item_get_status (AdmintHistoryItem *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ITEM (self), NULL);
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

void
admint_history_item_set_status (AdmintHistoryItem *self,
                                const char        *status)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ITEM (self));

  if (g_strcmp0 (self->status, status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  update_subtitle (self);
}

void
admint_history_item_set_waiting (AdmintHistoryItem *self,
                                 gboolean           waiting)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ITEM (self));

  if (self->waiting == !!waiting)
    return;
  self->waiting = !!waiting;
  update_subtitle (self);
}

void
admint_history_item_set_quality_score (AdmintHistoryItem *self,
                                       double             score)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ITEM (self));

  if (self->quality_score == score)
    return;
  self->quality_score = score;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY_SCORE]);
  update_subtitle (self);
}
