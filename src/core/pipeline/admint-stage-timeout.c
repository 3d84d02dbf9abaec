/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stages' time limits (stages.*.timeout_seconds): a stage or a clip that runs past its
 * limit is stopped with an error naming the stage, the limit and the key to raise. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

static gboolean
on_stage_timeout (gpointer user_data)
{
  AdmintGeneration *self = user_data;
  g_autofree char *key = g_strdup_printf ("stages.%s.timeout_seconds", self->timeout_stage);
  gint64 limit = admint_config_get_int (self->config, key);
  g_autofree char *message = NULL;

  self->stage_timeout_id = 0;
  if (self->done)
    return G_SOURCE_REMOVE;
  message = g_strdup_printf (_("The %s stage took longer than its limit of %ld s (%s). Raise %s "
                               "(for example --set %s=%ld), then `admint resume %s` carries on "
                               "from the %s stage."),
                             self->timeout_stage, (long) limit, key, key, key, (long) limit * 2,
                             self->id, self->timeout_stage);
  g_object_ref (self);
  _admint_gen_fail_as (self, ADMINT_FAILURE_TIMEOUT, key, message);
  /* After the failure is recorded, so it reads "failed", not "cancelled": stops the requests
   * still in flight; their late answers find the generation done and are dropped. */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
_admint_gen_stage_timer_start (AdmintGeneration *self,
                               const char       *stage)
{
  g_autofree char *key = g_strdup_printf ("stages.%s.timeout_seconds", stage);

  _admint_gen_stage_timer_stop (self);
  g_free (self->timeout_stage);
  self->timeout_stage = g_strdup (stage);
  self->stage_timeout_id = g_timeout_add_seconds ((guint) admint_config_get_int (self->config,
                                                                                  key),
                                                  on_stage_timeout, self);
}

void
_admint_gen_stage_timer_stop (AdmintGeneration *self)
{
  g_clear_handle_id (&self->stage_timeout_id, g_source_remove);
}

static gboolean
on_clip_timeout (gpointer user_data)
{
  ClipState *clip = user_data;

  clip->timeout_id = 0;
  clip->timed_out = TRUE;
  g_cancellable_cancel (clip->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_generation_cancelled (GCancellable *generation,
                         GCancellable *clip)
{
  g_cancellable_cancel (clip);
}

GCancellable *
_admint_gen_clip_timer_start (AdmintGeneration *self,
                              ClipState        *clip)
{
  g_assert (clip->cancellable == NULL);
  clip->timed_out = FALSE;
  clip->cancellable = g_cancellable_new ();
  clip->cancel_link = g_cancellable_connect (self->cancellable,
                                             G_CALLBACK (on_generation_cancelled),
                                             g_object_ref (clip->cancellable), g_object_unref);
  clip->timeout_id = g_timeout_add_seconds (
    (guint) admint_config_get_int (self->config, "stages.clips.timeout_seconds"),
    on_clip_timeout, clip);
  return clip->cancellable;
}

void
_admint_gen_clip_timer_done (ClipState *clip)
{
  g_clear_handle_id (&clip->timeout_id, g_source_remove);
  if (clip->cancel_link != 0)
    g_cancellable_disconnect (clip->self->cancellable, clip->cancel_link);
  clip->cancel_link = 0;
  g_clear_object (&clip->cancellable);
}
