/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One scene's clip as the front ends see it: state, progress, thumbnail, score, ad checks. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <math.h>

#include "admint-clip-private.h"

struct _AdmintClip
{
  GObject        parent_instance;

  int            index;
  int            version;
  char          *status;
  double         progress;
  char          *path;
  char          *thumbnail;
  double         quality_score;
  AdmintVerdict  verdict;
  JsonNode      *ad_checks;
  char          *error;
};

G_DEFINE_FINAL_TYPE (AdmintClip, admint_clip, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INDEX,
  PROP_VERSION,
  PROP_STATUS,
  PROP_PROGRESS,
  PROP_PATH,
  PROP_THUMBNAIL,
  PROP_QUALITY_SCORE,
  PROP_VERDICT,
  PROP_AD_CHECKS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
admint_clip_finalize (GObject *object)
{
  AdmintClip *self = ADMINT_CLIP (object);

  g_free (self->status);
  g_free (self->path);
  g_free (self->thumbnail);
  g_clear_pointer (&self->ad_checks, json_node_unref);
  g_free (self->error);
  G_OBJECT_CLASS (admint_clip_parent_class)->finalize (object);
}

static void
admint_clip_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AdmintClip *self = ADMINT_CLIP (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_int (value, self->index);
      break;
    case PROP_VERSION:
      g_value_set_int (value, self->version);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_THUMBNAIL:
      g_value_set_string (value, self->thumbnail);
      break;
    case PROP_QUALITY_SCORE:
      g_value_set_double (value, self->quality_score);
      break;
    case PROP_VERDICT:
      g_value_set_enum (value, self->verdict);
      break;
    case PROP_AD_CHECKS:
      g_value_set_boxed (value, self->ad_checks);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
admint_clip_class_init (AdmintClipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = admint_clip_finalize;
  object_class->get_property = admint_clip_get_property;

  properties[PROP_INDEX] = g_param_spec_int ("index", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_VERSION] = g_param_spec_int ("version", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, "pending", flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, 0, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_THUMBNAIL] = g_param_spec_string ("thumbnail", NULL, NULL, NULL, flags);
  properties[PROP_QUALITY_SCORE] = g_param_spec_double ("quality-score", NULL, NULL, -1, 100, -1,
                                                        flags);
  properties[PROP_VERDICT] = g_param_spec_enum ("verdict", NULL, NULL, ADMINT_TYPE_VERDICT,
                                                ADMINT_VERDICT_NONE, flags);
  properties[PROP_AD_CHECKS] = g_param_spec_boxed ("ad-checks", NULL, NULL, JSON_TYPE_NODE,
                                                   flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
admint_clip_init (AdmintClip *self)
{
  self->status = g_strdup ("pending");
  self->quality_score = -1;
}

AdmintClip *
_admint_clip_new (int index)
{
  AdmintClip *self = g_object_new (ADMINT_TYPE_CLIP, NULL);

  self->index = index;
  return self;
}

static void
set_string (AdmintClip *self,
            char      **field,
            const char *value,
            int         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_admint_clip_set_version (AdmintClip *self,
                          int         version)
{
  if (self->version == version)
    return;
  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

void
_admint_clip_set_status (AdmintClip *self,
                         const char *status)
{
  set_string (self, &self->status, status ? status : "pending", PROP_STATUS);
}

void
_admint_clip_set_progress (AdmintClip *self,
                           double      progress)
{
  progress = progress < 0 ? -1 : MIN (progress, 1);
  if (fabs (self->progress - progress) < 1e-6)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

void
_admint_clip_set_path (AdmintClip *self,
                       const char *path)
{
  set_string (self, &self->path, path, PROP_PATH);
}

void
_admint_clip_set_thumbnail (AdmintClip *self,
                            const char *thumbnail)
{
  set_string (self, &self->thumbnail, thumbnail, PROP_THUMBNAIL);
}

void
_admint_clip_set_score (AdmintClip    *self,
                        double         score,
                        AdmintVerdict  verdict,
                        JsonNode      *ad_checks)
{
  if (score < 0)
    {
      score = -1;
      verdict = ADMINT_VERDICT_NONE;
      ad_checks = NULL;
    }
  g_object_freeze_notify (G_OBJECT (self));
  if (fabs (self->quality_score - score) > 1e-9)
    {
      self->quality_score = score;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY_SCORE]);
    }
  if (self->verdict != verdict)
    {
      self->verdict = verdict;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
    }
  if (self->ad_checks != ad_checks &&
      (self->ad_checks == NULL || ad_checks == NULL || !json_node_equal (self->ad_checks,
                                                                         ad_checks)))
    {
      g_clear_pointer (&self->ad_checks, json_node_unref);
      self->ad_checks = ad_checks ? json_node_copy (ad_checks) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AD_CHECKS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_admint_clip_set_error (AdmintClip *self,
                        const char *error)
{
  set_string (self, &self->error, error, PROP_ERROR);
}

int
admint_clip_get_index (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), 0);
  return self->index;
}

int
admint_clip_get_version (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), 0);
  return self->version;
}

const char *
admint_clip_get_status (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), NULL);
  return self->status;
}

double
admint_clip_get_progress (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), 0);
  return self->progress;
}

const char *
admint_clip_get_path (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), NULL);
  return self->path;
}

const char *
admint_clip_get_thumbnail (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), NULL);
  return self->thumbnail;
}

double
admint_clip_get_quality_score (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), -1);
  return self->quality_score;
}

AdmintVerdict
admint_clip_get_verdict (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), ADMINT_VERDICT_NONE);
  return self->verdict;
}

JsonNode *
admint_clip_get_ad_checks (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), NULL);
  return self->ad_checks;
}

const char *
admint_clip_get_error (AdmintClip *self)
{
  g_return_val_if_fail (ADMINT_IS_CLIP (self), NULL);
  return self->error;
}
