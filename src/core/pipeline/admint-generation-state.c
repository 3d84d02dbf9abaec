/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The generation's state: its status and stage timings, its chat messages, failing, waiting for
 * the user. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

#include "admint-generation-private.h"

void
_admint_gen_clip_state_free (ClipState *clip)
{
  g_free (clip->status);
  g_free (clip->path);
  g_free (clip->prompt);
  g_free (clip->prediction_id);
  g_free (clip->error);
  g_free (clip->thumbnail);
  g_clear_pointer (&clip->ad_checks, json_node_unref);
  g_clear_pointer (&clip->request, admint_clip_request_free);
  _admint_gen_clip_timer_done (clip);
  g_free (clip);
}

char *
_admint_gen_node_to_string (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("null");
}

void
_admint_gen_time_stage (AdmintGeneration *self,
                        const char       *stage)
{
  gint64 now = g_get_monotonic_time ();
  struct rusage usage;
  double cpu = 0;

  if (stage != NULL && g_strcmp0 (stage, self->timed_stage) == 0)
    return;   /* still the same stage */
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
          (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  /* ADMINT_STAGE_TIMES=1: each stage's wall-clock and CPU seconds (the whole process's, worker
   * threads included: clip scores running beside the clips count in "clips") on stderr. */
  if (self->timed_stage != NULL && g_getenv ("ADMINT_STAGE_TIMES") != NULL)
    fprintf (stderr, "admint: stage %s took %.2f s wall, %.2f s CPU\n", self->timed_stage,
             (now - self->stage_started) / 1e6, cpu - self->stage_cpu_started);
  self->stage_cpu_started = cpu;
  if (self->timed_stage != NULL)
    {
      double previous = json_object_get_double_member_with_default (self->timings,
                                                                   self->timed_stage, 0);
      json_object_set_double_member (self->timings, self->timed_stage,
                                     previous + (now - self->stage_started) / 1e6);
    }
  g_free (self->timed_stage);
  self->timed_stage = g_strdup (stage);
  self->stage_started = now;
}

void
_admint_gen_set_status (AdmintGeneration       *self,
                        AdmintGenerationStatus  status,
                        const char             *stage_text)
{
  g_autoptr(GError) error = NULL;
  const char *name = admint_generation_status_to_string (status);

  if (self->status != status)
    {
      AdmintGenerationStage stage = admint_generation_status_get_stage (status);
      self->status = status;
      _admint_gen_time_stage (self, name);
      /* A failed or cancelled run keeps the stage it stopped in. */
      if (stage != ADMINT_GENERATION_STAGE_NONE && stage != self->stage)
        {
          self->stage = stage;
          g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_STAGE]);
        }
      g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_STATUS]);
      _admint_gen_update_progress (self);
      _admint_gen_update_cost (self);
    }
  if (!admint_store_update_generation_status (self->store, self->id, name, stage_text,
                                              self->error_message, &error))
    g_warning ("Cannot record the status of %s: %s", self->id, error->message);
}

void
_admint_gen_set_stage (AdmintGeneration      *self,
                       AdmintGenerationStage  stage)
{
  if (self->stage == stage)
    return;
  self->stage = stage;
  g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_STAGE]);
  _admint_gen_update_progress (self);
}

void
_admint_gen_add_message (AdmintGeneration *self,
                         const char       *role,
                         const char       *kind,
                         JsonNode         *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = _admint_gen_node_to_string (body);

  g_autoptr(AdmintMessage) message = admint_message_new (role, kind, body);

  if (admint_store_add_message (self->store, self->id, role, kind, json, &error) < 0)
    g_warning ("Cannot store a chat message of %s: %s", self->id, error->message);
  g_list_store_append (self->messages, message);
}

void
_admint_gen_add_text_message (AdmintGeneration *self,
                              const char       *role,
                              const char       *kind,
                              const char       *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "text", text);
  json_node_take_object (node, obj);
  _admint_gen_add_message (self, role, kind, node);
}

void
_admint_gen_fail (AdmintGeneration *self,
                  const char       *message)
{
  if (self->done)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  self->done = TRUE;
  _admint_gen_log_event (self, "failure", message);
  _admint_gen_unlock (self);  /* over: a resume may start while late answers drain */
  _admint_gen_add_text_message (self, "system", "error", message);
  _admint_gen_set_status (self,
                          g_cancellable_is_cancelled (self->cancellable)
                          ? ADMINT_GENERATION_STATUS_CANCELLED : ADMINT_GENERATION_STATUS_FAILED,
                          NULL);
  _admint_gen_time_stage (self, NULL);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_FAILED], 0, message);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_FINISHED], 0, (int) self->status);
}

/* TRUE when the operation was cancelled: the generation has then been marked cancelled. */
gboolean
_admint_gen_handle_error (AdmintGeneration *self,
                          const char       *what,
                          GError           *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      _admint_gen_fail (self, "Cancelled.");
      return TRUE;
    }
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);
  _admint_gen_fail (self, message);
  return FALSE;
}

void
_admint_gen_wait_for_user (AdmintGeneration     *self,
                           AdmintGenerationWait  wait,
                           const char           *question)
{
  _admint_gen_add_text_message (self, "assistant", "text", question);
  _admint_gen_set_waiting (self, wait);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_WAITING_FOR_USER], 0, (int) wait, question);
}

void
_admint_gen_set_waiting (AdmintGeneration     *self,
                         AdmintGenerationWait  wait)
{
  if (self->waiting == wait)
    return;
  self->waiting = wait;
  g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_WAITING_FOR]);
}

/* The share of the pipeline done: the stages before the clips are quick, the clips are most of
 * the time, each clip counting for its part. */
void
_admint_gen_update_progress (AdmintGeneration *self)
{
  static const double at_start[] = {
    [ADMINT_GENERATION_STAGE_NONE] = 0,
    [ADMINT_GENERATION_STAGE_STORY] = 0.02,
    [ADMINT_GENERATION_STAGE_REFERENCES] = 0.1,
    [ADMINT_GENERATION_STAGE_SCENES] = 0.2,
    [ADMINT_GENERATION_STAGE_VOICE] = 0.25,
    [ADMINT_GENERATION_STAGE_CLIPS] = 0.3,
    [ADMINT_GENERATION_STAGE_STITCHING] = 0.85,
    [ADMINT_GENERATION_STAGE_SOUND] = 0.88,
    [ADMINT_GENERATION_STAGE_SCORING] = 0.93,
    [ADMINT_GENERATION_STAGE_DONE] = 1,
  };
  double progress = at_start[self->stage];

  if (self->stage == ADMINT_GENERATION_STAGE_CLIPS && self->clips != NULL && self->clips->len > 0)
    {
      double sum = 0;
      for (guint i = 0; i < self->clips->len; i++)
        {
          ClipState *clip = g_ptr_array_index (self->clips, i);
          sum += g_strcmp0 (clip->status, "completed") == 0 ||
                 g_strcmp0 (clip->status, "failed") == 0 ? 1 : CLAMP (clip->fraction, 0, 1);
        }
      progress += (at_start[ADMINT_GENERATION_STAGE_STITCHING] - progress) * sum / self->clips->len;
    }
  if (fabs (progress - self->progress) < 1e-9)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_PROGRESS]);
}

static void
set_cost (AdmintGeneration *self,
          double            cost)
{
  if (fabs (cost - self->cost) < 1e-9)
    return;
  self->cost = cost;
  g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_COST]);
}

static void
on_cost_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  double cost = admint_store_get_generation_cost_finish (ADMINT_STORE (source), result, NULL);

  set_cost (self, MAX (0, cost));
}

void
_admint_gen_update_cost (AdmintGeneration *self)
{
  if (self->id == NULL)
    {
      set_cost (self, 0);
      return;
    }
  /* Where the store queues writes (the app), a blocking read would wait on the main loop for
   * every record queued before it: the sum comes back a moment later instead. */
  if (admint_store_get_queue_writes (self->store))
    {
      admint_store_get_generation_cost_async (self->store, self->id, NULL, on_cost_read,
                                              g_object_ref (self));
      return;
    }
  double cost = admint_store_get_generation_cost (self->store, self->id, NULL);

  set_cost (self, MAX (0, cost));
}

void
_admint_gen_set_video (AdmintGeneration *self,
                       const char       *path)
{
  if (g_strcmp0 (self->final_video, path) == 0)
    return;
  g_free (self->final_video);
  self->final_video = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_VIDEO]);
}

/* The whole video's score (< 0: none) and the verdict the config's bands give it. */
void
_admint_gen_set_quality (AdmintGeneration *self,
                         double            score)
{
  AdmintVerdict verdict = admint_verdict_for_score (
    score, admint_config_get_double (self->config, "quality.good"),
    admint_config_get_double (self->config, "quality.acceptable"));

  self->final_scored = score >= 0;
  if (fabs (self->final_scores.quality_score - score) > 1e-9)
    {
      self->final_scores.quality_score = score;
      g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_QUALITY_SCORE]);
    }
  if (verdict != self->verdict)
    {
      self->verdict = verdict;
      g_object_notify_by_pspec (G_OBJECT (self), _admint_gen_properties[PROP_VERDICT]);
    }
}
