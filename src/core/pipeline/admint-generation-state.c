/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The generation's state: its status and stage timings, its chat messages, failing, waiting for
 * the user. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

void
_admint_gen_clip_state_free (ClipState *clip)
{
  g_free (clip->status);
  g_free (clip->path);
  g_free (clip->prompt);
  g_free (clip->prediction_id);
  g_free (clip->error);
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
_admint_gen_set_status (AdmintGeneration *self,
                        const char       *status,
                        const char       *stage_text)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (self->status, status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (status);
      _admint_gen_time_stage (self, status);
      g_signal_emit (self, _admint_gen_signals[SIGNAL_STAGE_CHANGED], 0, status);
    }
  if (!admint_store_update_generation_status (self->store, self->id, status, stage_text,
                                              self->error_message, &error))
    g_warning ("Cannot record the status of %s: %s", self->id, error->message);
}

void
_admint_gen_add_message (AdmintGeneration *self,
                         const char       *role,
                         const char       *kind,
                         JsonNode         *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = _admint_gen_node_to_string (body);

  if (admint_store_add_message (self->store, self->id, role, kind, json, &error) < 0)
    g_warning ("Cannot store a chat message of %s: %s", self->id, error->message);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_MESSAGE_ADDED], 0, role, kind, json);
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
  _admint_gen_add_text_message (self, "system", "error", message);
  _admint_gen_set_status (self,
                          g_cancellable_is_cancelled (self->cancellable) ? "cancelled" : "failed",
                          NULL);
  _admint_gen_time_stage (self, NULL);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_FAILED], 0, message);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_FINISHED], 0, self->status);
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
_admint_gen_wait_for_user (AdmintGeneration *self,
                           const char       *stage,
                           const char       *question)
{
  g_free (self->waiting);
  self->waiting = g_strdup (stage);
  _admint_gen_add_text_message (self, "assistant", "text", question);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_WAITING_FOR_USER], 0, stage, question);
}
