/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replicate predictions: the inputs sent, create, poll and cancel, and resuming one by its id. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-ai-image.h"
#include "admint-ai-usage-private.h"
#include "admint-error.h"
#include "admint-paths.h"
#include "admint-replicate-client.h"
#include "admint-replicate-private.h"
#include "admint-store.h"

/* ---- predictions ---- */

static void
file_slot_free (FileSlot *slot)
{
  g_free (slot->model_name);
  g_free (slot->path);
  g_free (slot);
}

void
replicate_remove_partial (Predict *p)
{
  if (p->out != NULL)
    {
      g_output_stream_close (p->out, NULL, NULL);
      g_clear_object (&p->out);
    }
  if (p->tmp_path != NULL)
    {
      g_unlink (p->tmp_path);
      g_clear_pointer (&p->tmp_path, g_free);
    }
  g_clear_pointer (&p->final_path, g_free);
  g_clear_handle_id (&p->download_timer, g_source_remove);
  if (p->download_cancel_id != 0)
    g_cancellable_disconnect (p->caller_cancel, p->download_cancel_id);
  p->download_cancel_id = 0;
  g_clear_object (&p->download_cancel);
}

static void
predict_free (Predict *p)
{
  replicate_remove_partial (p);
  g_clear_pointer (&p->input, admint_replicate_input_unref);
  g_free (p->generation_id);
  g_clear_pointer (&p->body_input, json_object_unref);
  g_ptr_array_unref (p->dropped);
  g_ptr_array_unref (p->slots);
  g_free (p->id);
  g_clear_pointer (&p->prediction, json_object_unref);
  g_ptr_array_unref (p->urls);
  g_ptr_array_unref (p->files);
  g_clear_error (&p->last_trouble);
  g_free (p->input_hash);
  g_clear_pointer (&p->create_response, admint_http_response_free);
  g_clear_pointer (&p->create_body, g_byte_array_unref);
  g_clear_error (&p->create_error);
  g_strfreev (p->look_known);
  g_free (p->look_found);
  g_free (p);
}

static void start_create (GTask *task);
static void schedule_poll (GTask *task);
static void handle_prediction (GTask *task);
static void mark_ended (GTask *task);

/* Removes whatever this prediction downloaded so far: a failed call leaves nothing behind. */
void
replicate_discard_files (Predict *p)
{
  replicate_remove_partial (p);
  for (guint i = 0; i < p->files->len; i++)
    g_unlink (g_ptr_array_index (p->files, i));
  g_ptr_array_set_size (p->files, 0);
}

static void
cancel_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  GError *pending = g_object_steal_data (G_OBJECT (task), "pending-error");
  g_autoptr(JsonObject) prediction = NULL;

  if (response == NULL)
    {
      /* It may still finish and be billed: say so, so that it is resumed, not made again. */
      g_message ("Could not cancel the Replicate prediction %s: %s", p->id, error->message);
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_STILL_RUNNING,
                               _("%s Cancelling the prediction %s failed too (%s), so it may "
                                 "still finish and be billed; resuming the generation picks it "
                                 "up instead of making a new one."),
                               pending->message, p->id, error->message);
      g_error_free (pending);
      return;
    }
  prediction = replicate_parse_object (response->body);
  if (prediction != NULL)
    replicate_record_ended_usage (self, p, prediction);
  mark_ended (task);
  g_task_return_error (task, pending);
}

/* Cancels the prediction on Replicate (so that it stops costing money), then fails with ERROR. */
void
replicate_cancel_and_fail (GTask  *task,
                           GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  AdmintHttpRequest req;

  replicate_discard_files (p);
  if (p->id == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_debug ("cancelling prediction %s", p->id);
  g_object_set_data_full (G_OBJECT (task), "pending-error", error, (GDestroyNotify) g_error_free);
  url = replicate_api_url (self, "predictions/%s/cancel", p->id);
  replicate_init_request (self, &req, "POST", url, ADMINT_HTTP_RETRY_SAFE);
  /* Not the caller's cancellable: it is cancelled already, and this must still go out. */
  admint_http_send_async (self->session, &req, NULL, cancel_sent_cb, task);
}

/* The prediction is over without a usable output: not one to follow again. */
static void
mark_ended (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (self->store != NULL && p->id != NULL &&
      !admint_store_set_prediction_ended (self->store, p->id, &error))
    g_message ("Could not record the end of prediction %s: %s", p->id, error->message);
}

void
replicate_fail (GTask  *task,
                GError *error)
{
  Predict *p = g_task_get_task_data (task);

  /* Alive at the service (lost touch while following it): followed again later. */
  if (!g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_STILL_RUNNING))
    mark_ended (task);
  replicate_discard_files (p);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* When a prediction started now must be finished by. */
static gint64
overall_deadline (AdmintReplicateClient *self)
{
  return g_get_monotonic_time () +
         (gint64) (self->options.overall_timeout_seconds * G_USEC_PER_SEC);
}

gboolean
replicate_caller_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

/* -- inputs -- */

const char *
replicate_model_name_for (AdmintReplicateClient *self,
                          const char            *ours)
{
  JsonNode *mapped;

  if (self->inputs == NULL || !json_object_has_member (self->inputs, ours))
    return ours;
  mapped = json_object_get_member (self->inputs, ours);
  if (!JSON_NODE_HOLDS_VALUE (mapped) || json_node_get_value_type (mapped) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (mapped);
}

/* Whether the model takes NAME; a field it does not take is dropped with a message. */
static gboolean
accepts (AdmintReplicateClient *self,
         Predict               *p,
         const char            *ours,
         const char            *name)
{
  if (name == NULL || *name == '\0' ||
      (self->schema != NULL && json_object_get_size (self->schema) > 0 &&
       !json_object_has_member (self->schema, name)))
    {
      g_message ("%s: the model %s takes no input “%s” (from “%s”): dropped", self->service,
                 self->owner_name, name ? name : "", ours);
      g_ptr_array_add (p->dropped, g_strdup (ours));
      return FALSE;
    }
  return TRUE;
}

static gboolean
schema_wants_array (AdmintReplicateClient *self,
                    const char            *name)
{
  JsonNode *prop;

  if (self->schema == NULL || !json_object_has_member (self->schema, name))
    return FALSE;
  prop = json_object_get_member (self->schema, name);
  return JSON_NODE_HOLDS_OBJECT (prop) &&
         g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (prop),
                                                                "type", ""), "array") == 0;
}

static void
build_inputs (AdmintReplicateClient *self,
              Predict               *p)
{
  g_autoptr(GList) names = NULL;

  p->body_input = json_object_new ();
  if (self->fixed != NULL)
    {
      g_autoptr(GList) fixed = json_object_get_members (self->fixed);
      for (GList *l = fixed; l != NULL; l = l->next)
        if (accepts (self, p, l->data, l->data))
          json_object_set_member (p->body_input, l->data,
                                  json_node_copy (json_object_get_member (self->fixed, l->data)));
    }

  names = json_object_get_members (p->input->values);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *ours = l->data;
      const char *name = replicate_model_name_for (self, ours);
      JsonNode *value = json_object_get_member (p->input->values, ours);

      if (g_strcmp0 (ours, "duration") == 0 && JSON_NODE_HOLDS_VALUE (value))
        p->output_seconds = json_node_get_value_type (value) == G_TYPE_INT64
                            ? (double) json_node_get_int (value) : json_node_get_double (value);
      if (accepts (self, p, ours, name))
        json_object_set_member (p->body_input, name, json_node_copy (value));
    }

  for (guint i = 0; i < p->input->file_order->len; i++)
    {
      const char *ours = g_ptr_array_index (p->input->file_order, i);
      const char *name = replicate_model_name_for (self, ours);
      GPtrArray *paths = g_hash_table_lookup (p->input->files, ours);

      if (!accepts (self, p, ours, name))
        continue;
      for (guint j = 0; j < paths->len; j++)
        {
          FileSlot *slot = g_new0 (FileSlot, 1);
          slot->model_name = g_strdup (name);
          slot->path = g_strdup (g_ptr_array_index (paths, j));
          slot->is_array = paths->len > 1 || schema_wants_array (self, name);
          g_ptr_array_add (p->slots, slot);
        }
    }
}

static void
place_file_url (Predict    *p,
                FileSlot   *slot,
                const char *url)
{
  if (slot->is_array)
    {
      if (!json_object_has_member (p->body_input, slot->model_name))
        json_object_set_array_member (p->body_input, slot->model_name, json_array_new ());
      json_array_add_string_element (json_object_get_array_member (p->body_input,
                                                                   slot->model_name), url);
    }
  else
    json_object_set_string_member (p->body_input, slot->model_name, url);
}

static void next_file (GTask *task);

/* The file of the current slot is in the request as url: on to the next. */
static void
file_placed (GTask      *task,
             const char *url)
{
  Predict *p = g_task_get_task_data (task);

  place_file_url (p, g_ptr_array_index (p->slots, p->slot_index), url);
  p->slot_index++;
  next_file (task);
}

static void
file_uploaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = admint_replicate_client_upload_file_finish (
    ADMINT_REPLICATE_CLIENT (source), result, &error);

  if (url == NULL)
    {
      replicate_fail (task, g_steal_pointer (&error));
      return;
    }
  file_placed (task, url);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Predict *p = g_task_get_task_data (task);
  FileSlot *slot = g_ptr_array_index (p->slots, p->slot_index);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      if (replicate_caller_cancelled (task))
        replicate_fail (task, admint_ai_error_new_cancelled ());
      else
        replicate_fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                                           _("Could not read the input file “%s”: %s. Check "
                                             "that it exists."), slot->path, error->message));
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  url = admint_ai_file_data_url (bytes, slot->path);
  file_placed (task, url);
}

static void
next_file (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  FileSlot *slot;
  GStatBuf st;

  if (p->slot_index >= p->slots->len)
    {
      start_create (task);
      return;
    }
  slot = g_ptr_array_index (p->slots, p->slot_index);
  if (g_stat (slot->path, &st) != 0)
    {
      int saved = errno;
      replicate_fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                                         _("Could not read the input file “%s”: %s. Check "
                                           "that it exists."), slot->path, g_strerror (saved)));
      return;
    }
  if ((guint64) st.st_size <= self->options.inline_image_max_bytes)
    {
      g_autoptr(GFile) file = g_file_new_for_path (slot->path);
      g_file_load_contents_async (file, g_task_get_cancellable (task), file_loaded_cb, task);
    }
  else
    admint_replicate_client_upload_file_async (self, slot->path, g_task_get_cancellable (task),
                                               file_uploaded_cb, task);
}

/* -- a create whose answer was lost (issue 14) -- */

/* The prediction found (or read from a cut-off answer) is this call's: followed from now on as
 * a resumed one is, and told to the caller as if just created. */
static void
adopt_prediction (GTask      *task,
                  const char *id,
                  JsonObject *prediction)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);

  g_free (p->id);
  p->id = g_strdup (id);
  g_clear_pointer (&p->prediction, json_object_unref);
  p->prediction = prediction;
  if (p->deadline == 0)
    p->deadline = overall_deadline (self);
  g_signal_emit (self, replicate_signals[SIGNAL_CREATED], 0, p->id, p->generation_id);
  if (replicate_caller_cancelled (task))
    {
      replicate_cancel_and_fail (task, admint_ai_error_new_cancelled ());
      return;
    }
  if (p->prediction != NULL)
    {
      handle_prediction (task);
      return;
    }
  p->interval = 0;
  schedule_poll (task);
  p->interval = self->options.poll_interval_seconds;
}

static void
settle_lost (AdmintReplicateClient *self,
             Predict               *p,
             const char            *found)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *model = replicate_model_key (self);

  if (self->store != NULL &&
      !admint_store_settle_lost_creates (self->store, p->generation_id, model, p->input_hash,
                                         found, &error))
    g_message ("Could not record the look-up of a lost prediction: %s", error->message);
}

static void
before_create_looked (GTask  *task,
                      char   *found,
                      GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autofree char *id = found;

  if (error != NULL && !g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND))
    {
      /* Creating now might pay twice; the next attempt looks again. */
      g_prefix_error (&error, _("An earlier request to make this prediction got no answer, "
                                "and checking whether it made one failed: "));
      replicate_fail (task, error);
      return;
    }
  if (error != NULL)
    {
      /* A service that cannot list predictions: nothing to find them with. */
      g_message ("%s cannot list predictions (%s): making a new one", self->service,
                 error->message);
      g_error_free (error);
    }
  settle_lost (self, p, id);
  if (id != NULL)
    {
      g_message ("%s: following the prediction %s that an earlier request made (its answer "
                 "was lost) instead of making a new one", self->service, id);
      adopt_prediction (task, id, NULL);
      return;
    }
  next_file (task);
}

/* Before a create: when an earlier create of the same model and inputs got no readable
 * answer (or was cut off by a kill), the prediction it may have made is looked for first.
 * TRUE: a look-up is under way. */
static gboolean
look_for_lost_creates (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *model = replicate_model_key (self);
  g_autoptr(AdmintStoreLostCreates) lost = NULL;

  if (self->store == NULL)
    return FALSE;
  lost = admint_store_find_lost_creates (self->store, p->generation_id, model, p->input_hash,
                                         &error);
  if (lost == NULL)
    {
      g_message ("Could not read the predictions started: %s", error->message);
      return FALSE;
    }
  if (lost->unfinished_id != NULL)
    {
      /* Made for this very input and not over, but its owner may never have heard of it (a
       * kill between our record and theirs): followed, not made again. */
      g_message ("%s: the prediction %s made for this input before is not over; following it "
                 "instead of making a new one", self->service, lost->unfinished_id);
      adopt_prediction (task, lost->unfinished_id, NULL);
      return TRUE;
    }
  if (lost->count == 0)
    return FALSE;
  g_message ("%s: %u earlier request%s to make this prediction got no answer; looking for "
             "what %s made", self->service, lost->count, lost->count == 1 ? "" : "s",
             lost->count == 1 ? "it" : "they");
  replicate_look_up (task, lost->earliest_started, (const char * const *) lost->known_ids,
                     before_create_looked);
  return TRUE;
}

static void
predict_model_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) schema = admint_replicate_client_get_model_finish (self, result, &error);

  if (schema == NULL)
    {
      replicate_fail (task, g_steal_pointer (&error));
      return;
    }
  build_inputs (self, p);
  p->input_hash = replicate_input_hash (self, p->input);
  if (!look_for_lost_creates (task))
    next_file (task);
}

/* -- create -- */

/* Whether a failed create proves that no prediction was made: the service refused it with an
 * answer we could read. A timeout, a cut or garbled answer, a 5xx or a broken connection do
 * not: the request may have reached the service. */
static gboolean
create_surely_failed (const GError *error)
{
  return error->domain != ADMINT_AI_ERROR ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_AUTHENTICATION) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_QUOTA_EXHAUSTED) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_RATE_LIMITED) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_REQUEST) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED);
}

static void
record_created (AdmintReplicateClient *self,
                Predict               *p,
                const char            *id)
{
  g_autoptr(GError) error = NULL;

  if (self->store != NULL && p->create_row > 0 &&
      !admint_store_set_prediction_created (self->store, p->create_row, id, &error))
    g_message ("Could not record the prediction %s: %s", id ? id : "(none)", error->message);
}

static void
after_create_looked (GTask  *task,
                     char   *found,
                     GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autofree char *id = found;
  GError *original = g_steal_pointer (&p->create_error);

  if (id == NULL)
    {
      /* Not found (yet), or the listing could not be read: the create stays "lost" in the
       * store, so the next attempt (or a resume) looks again before making another. */
      if (error != NULL)
        g_message ("%s: could not look for the prediction of a create whose answer was lost: "
                   "%s", self->service, error->message);
      g_clear_error (&error);
      replicate_fail (task, original);
      return;
    }
  settle_lost (self, p, id);
  g_message ("%s: the answer to a create was lost (%s); following the prediction %s it made",
             self->service, original->message, id);
  g_error_free (original);
  adopt_prediction (task, id, NULL);
}

/* The create failed: when that proves nothing was made, say so; otherwise look for what it
 * may have made before giving up. Takes ERROR. */
static void
create_failed (GTask  *task,
               GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(AdmintStoreLostCreates) lost = NULL;
  g_autofree char *model = NULL;

  if (create_surely_failed (error))
    {
      record_created (self, p, NULL);
      replicate_fail (task, error);
      return;
    }
  g_message ("%s: no readable answer to a create (%s); looking for the prediction it may have "
             "made", self->service, error->message);
  g_clear_error (&p->create_error);
  p->create_error = error;
  model = replicate_model_key (self);
  if (self->store != NULL)
    lost = admint_store_find_lost_creates (self->store, p->generation_id, model, p->input_hash,
                                           NULL);
  replicate_look_up (task, p->create_started,
                     lost ? (const char * const *) lost->known_ids : NULL, after_create_looked);
}

static void
created_with (GTask      *task,
              const char *id,
              JsonObject *prediction)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);

  record_created (self, p, id);
  g_debug ("prediction %s created", id);
  adopt_prediction (task, id, prediction);
}

static gboolean
collect_create_chunk (const guint8  *data,
                      gsize          len,
                      gpointer       user_data,
                      GError       **error)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);

  /* The answer to a create carries the inputs back (an inline image or two). */
  if (p->create_body->len + len > 64 * 1024 * 1024)
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("%s answered a create with more than 64 MiB"), self->service);
      return FALSE;
    }
  g_byte_array_append (p->create_body, data, len);
  return TRUE;
}

static void
create_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean whole = admint_http_read_stream_finish (result, &error);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&p->create_body));
  g_autoptr(JsonObject) prediction = whole ? replicate_parse_object (body) : NULL;
  g_autofree char *id = NULL;

  g_clear_pointer (&p->create_response, admint_http_response_free);
  if (prediction != NULL && replicate_string_member (prediction, "id") != NULL)
    {
      id = g_strdup (replicate_string_member (prediction, "id"));
      created_with (task, id, g_steal_pointer (&prediction));
      return;
    }
  /* Cut off or garbled: the id may still have arrived whole at its start. */
  id = replicate_partial_id (body);
  if (id != NULL)
    {
      g_message ("%s: the answer to a create was cut off (%s), but it names the prediction %s: "
                 "following it", self->service, error ? error->message : _("not JSON"), id);
      created_with (task, id, NULL);
      return;
    }
  if (error == NULL)
    error = g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                         _("%s accepted the prediction but its answer has no id, so it cannot "
                           "be followed. Check the Replicate dashboard for it."), self->service);
  create_failed (task, g_steal_pointer (&error));
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AdmintHttpResponse *response = admint_http_send_finish (result, &error);

  if (response == NULL)
    {
      if (replicate_caller_cancelled (task) &&
                    !g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED))
        g_debug ("create failed after the caller cancelled: %s", error->message);
      create_failed (task, g_steal_pointer (&error));
      return;
    }
  /* Read by hand, so that an answer cut off on the way still gives its start. */
  p->create_response = response;
  p->create_body = g_byte_array_new ();
  admint_http_read_stream_async (response->stream, admint_http_response_get_length (response),
                                 self->options.request_timeout_seconds, self->service,
                                 collect_create_chunk, task, NULL, create_read_cb, task);
}

static void
start_create (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) input = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = NULL;
  AdmintHttpRequest req;

  if (replicate_caller_cancelled (task))
    {
      replicate_fail (task, admint_ai_error_new_cancelled ());
      return;
    }

  json_node_set_object (input, p->body_input);
  json_builder_begin_object (builder);
  if (self->version != NULL)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, self->version);
    }
  json_builder_set_member_name (builder, "input");
  json_builder_add_value (builder, json_node_copy (input));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new (text, strlen (text));

  url = self->version ? replicate_api_url (self, "predictions")
                      : replicate_api_url (self, "models/%s/predictions", self->owner_name);
  /* Only a 429 proves that nothing was created; any other failure might have created a paid
   * prediction, so it is reported rather than repeated. The caller's cancellable is not
   * passed: a create that reached the server must come back with its id, to be cancelled. */
  replicate_init_request (self, &req, "POST", url, ADMINT_HTTP_RETRY_THROTTLED);
  req.body = body;
  req.stream = TRUE;
  /* The prediction's time runs from its create answer (adopt_prediction): an answer slow to
   * come must not use up the time its run is allowed, or it would be cancelled before its
   * first poll and the clip made again. */
  p->deadline = 0;
  /* Committed before the request leaves: a kill or a lost answer from here on leaves a row
   * that makes the next attempt look for the prediction instead of paying for another. */
  p->create_started = g_get_real_time ();
  if (self->store != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *model = replicate_model_key (self);

      p->create_row = admint_store_begin_prediction (self->store, p->generation_id, model,
                                                     p->input_hash, p->create_started, &error);
      if (p->create_row <= 0)
        g_message ("Could not record the start of a prediction: %s", error->message);
    }
  admint_http_send_async (self->session, &req, NULL, created_cb, task);
}

/* -- poll -- */

static void poll_wait_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

/* Trouble following a prediction that exists (no network, 5xx after the retries, a 401, a
 * garbled answer, a poll that timed out) never ends it: it is polled again with backoff until
 * its deadline. Then it is reported STILL_RUNNING, neither cancelled nor made again: its id is
 * stored, and resuming the generation picks it up. Takes ERROR. */
static void
poll_trouble (GTask  *task,
              GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  double wait;

  p->troubles++;
  g_clear_error (&p->last_trouble);
  p->last_trouble = error;
  if (g_get_monotonic_time () > p->deadline)
    {
      replicate_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_STILL_RUNNING,
                                         _("Lost touch with %s while following the prediction "
                                           "%s (%u failed polls; the last: %s). It was not "
                                           "cancelled and will not be made again: resume the "
                                           "generation later to pick up its result."),
                                         self->service, p->id, p->troubles,
                                         p->last_trouble->message));
      return;
    }
  wait = MAX (admint_retry_policy_backoff (&self->options.retry, p->troubles - 1), p->interval);
  g_message ("%s: trouble following the prediction %s (%s); polling it again in %.1f s",
             self->service, p->id, error->message, wait);
  admint_ai_sleep_async (wait, g_task_get_cancellable (task), poll_wait_cb, task);
}

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  JsonObject *prediction;

  if (response == NULL)
    {
      if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED))
        replicate_cancel_and_fail (task, g_steal_pointer (&error));
      else if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND))
        replicate_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND,
                                           _("%s no longer knows the prediction %s (HTTP 404): "
                                             "its result cannot be fetched. Make the clip "
                                             "again."), self->service, p->id));
      else
        poll_trouble (task, g_steal_pointer (&error));
      return;
    }
  prediction = replicate_parse_object (response->body);
  if (prediction == NULL || replicate_string_member (prediction, "status") == NULL)
    {
      g_clear_pointer (&prediction, json_object_unref);
      poll_trouble (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                       _("%s answered with something that is not a prediction"),
                                       self->service));
      return;
    }
  p->troubles = 0;
  g_clear_pointer (&p->prediction, json_object_unref);
  p->prediction = prediction;
  handle_prediction (task);
}

static void
poll_wait_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  AdmintHttpRequest req;

  if (!admint_ai_sleep_finish (result, &error))
    {
      replicate_cancel_and_fail (task, g_steal_pointer (&error));
      return;
    }
  url = replicate_api_url (self, "predictions/%s", p->id);
  replicate_init_request (self, &req, "GET", url, ADMINT_HTTP_RETRY_SAFE);
  admint_http_send_async (self->session, &req, g_task_get_cancellable (task), polled_cb, task);
}

static void
schedule_poll (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);

  if (g_get_monotonic_time () > p->deadline)
    {
      replicate_cancel_and_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT,
                                                    _("The prediction %s did not finish within "
                                                      "%.0f s, so it was cancelled. Try again, "
                                                      "or raise network.%s_timeout_seconds."),
                                                    p->id, self->options.overall_timeout_seconds,
                                                    g_str_equal (self->kind, "image")
                                                    || g_str_equal (self->kind, "images")
                                                    ? "image" : "video"));
      return;
    }
  admint_ai_sleep_async (p->interval, g_task_get_cancellable (task), poll_wait_cb, task);
  p->interval = MIN (p->interval * 1.5, MAX (self->options.poll_interval_max_seconds,
                                             self->options.poll_interval_seconds));
}

static void
collect_urls (JsonNode  *node,
              GPtrArray *urls)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      if (g_str_has_prefix (s, "http://") || g_str_has_prefix (s, "https://"))
        g_ptr_array_add (urls, g_strdup (s));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_urls (json_array_get_element (array, i), urls);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));
      for (GList *l = values; l != NULL; l = l->next)
        collect_urls (l->data, urls);
    }
}

/* The length of video asked for, from the prediction's own copy of its input: a resumed
 * prediction was not created by this process, and is costed at what it was asked to make. */
static void
take_output_seconds (AdmintReplicateClient *self,
                     Predict               *p)
{
  const char *name = replicate_model_name_for (self, "duration");
  JsonNode *input = json_object_get_member (p->prediction, "input");
  JsonNode *value;

  if (p->output_seconds > 0 || name == NULL || input == NULL || !JSON_NODE_HOLDS_OBJECT (input))
    return;
  value = json_object_get_member (json_node_get_object (input), name);
  if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
      (json_node_get_value_type (value) == G_TYPE_INT64 ||
       json_node_get_value_type (value) == G_TYPE_DOUBLE))
    p->output_seconds = json_node_get_double (value);
}

static void
prediction_failed (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  JsonNode *err = json_object_get_member (p->prediction, "error");
  const char *text = (err && JSON_NODE_HOLDS_VALUE (err) &&
                      json_node_get_value_type (err) == G_TYPE_STRING)
                     ? json_node_get_string (err) : NULL;
  g_autofree char *safe = admint_ai_redact (text ? text : _("no reason given"), self->api_key);
  gboolean filtered = text != NULL && (strstr (text, "sensitive") || strstr (text, "safety") ||
                                       strstr (text, "NSFW") || strstr (text, "policy"));

  replicate_record_ended_usage (self, p, p->prediction);
  if (filtered)
    replicate_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED,
                                       _("The model refused prediction %s under its content "
                                         "policy: “%s”. Reword the prompt."), p->id, safe));
  else
    replicate_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR,
                                       _("The prediction %s failed on Replicate: “%s”. Try "
                                         "again, or check the model's inputs."), p->id, safe));
}

static void
handle_prediction (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  const char *status = replicate_string_member (p->prediction, "status");
  double fraction;

  if (status == NULL)
    status = "";

  if (g_str_equal (status, "succeeded"))
    {
      take_output_seconds (self, p);
      g_ptr_array_set_size (p->urls, 0);
      collect_urls (json_object_get_member (p->prediction, "output"), p->urls);
      if (p->urls->len == 0)
        {
          replicate_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                             _("The prediction %s succeeded but produced no "
                                               "output to download. Try again."), p->id));
          return;
        }
      g_signal_emit (self, replicate_signals[SIGNAL_PROGRESS], 0, p->id, 1.0);
      if (!admint_paths_ensure_dir (self->output_dir, NULL))
        g_mkdir_with_parents (self->output_dir, 0700);
      replicate_next_download (task);
      return;
    }
  if (g_str_equal (status, "failed"))
    {
      prediction_failed (task);
      return;
    }
  if (g_str_equal (status, "canceled"))
    {
      replicate_record_ended_usage (self, p, p->prediction);
      replicate_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED,
                                         _("The prediction %s was cancelled on Replicate."),
                                         p->id));
      return;
    }

  fraction = admint_replicate_parse_progress (
    replicate_string_member (p->prediction, "logs"));
  g_signal_emit (self, replicate_signals[SIGNAL_PROGRESS], 0, p->id, fraction);
  schedule_poll (task);
}

/* The task of a prediction, with a fresh Predict (returned in *out) as its data. */
static GTask *
predict_task_new (AdmintReplicateClient  *self,
                  gpointer                source_tag,
                  GCancellable           *cancellable,
                  GAsyncReadyCallback     callback,
                  gpointer                user_data,
                  Predict               **out)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Predict *p = g_new0 (Predict, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  p->dropped = g_ptr_array_new_with_free_func (g_free);
  p->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) file_slot_free);
  p->urls = g_ptr_array_new_with_free_func (g_free);
  p->files = g_ptr_array_new_with_free_func (g_free);
  p->interval = self->options.poll_interval_seconds;
  g_task_set_task_data (task, p, (GDestroyNotify) predict_free);
  *out = p;
  return task;
}

void
admint_replicate_client_predict_async (AdmintReplicateClient *self,
                                       AdmintReplicateInput  *input,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  GTask *task;
  Predict *p;

  g_return_if_fail (ADMINT_IS_REPLICATE_CLIENT (self));
  g_return_if_fail (input != NULL);

  task = predict_task_new (self, admint_replicate_client_predict_async, cancellable, callback,
                           user_data, &p);
  p->input = admint_replicate_input_ref (input);
  p->generation_id = g_strdup (input->generation_id);
  admint_replicate_client_get_model_async (self, cancellable, predict_model_cb, task);
}

AdmintPredictionResult *
admint_replicate_client_predict_finish (AdmintReplicateClient  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  return replicate_finish_pointer (self, result, error);
}

/* A prediction downloaded (and counted) before a restart is not followed again: its files
 * are used as they are, and its cost is not recorded a second time. TRUE: returned. */
static gboolean
return_downloaded (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  AdmintPredictionResult *result;
  double cost = 0;

  if (self->store == NULL)
    return FALSE;
  files = admint_store_get_prediction_outputs (self->store, p->id, &cost, &error);
  if (files == NULL)
    {
      if (error != NULL)
        g_message ("Could not read the outputs of prediction %s: %s", p->id, error->message);
      return FALSE;
    }
  for (guint i = 0; files[i] != NULL; i++)
    if (!g_file_test (files[i], G_FILE_TEST_IS_REGULAR))
      return FALSE;
  g_message ("%s: prediction %s was downloaded before; using its %u file%s", self->service,
             p->id, g_strv_length (files), g_strv_length (files) == 1 ? "" : "s");
  result = g_new0 (AdmintPredictionResult, 1);
  result->id = g_strdup (p->id);
  result->files = g_steal_pointer (&files);
  result->dropped_inputs = g_new0 (char *, 1);
  result->predict_time = -1;
  result->cost_usd = cost;
  g_task_return_pointer (task, result, (GDestroyNotify) admint_prediction_result_free);
  g_object_unref (task);
  return TRUE;
}

void
admint_replicate_client_resume_async (AdmintReplicateClient *self,
                                      const char            *prediction_id,
                                      const char            *generation_id,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  GTask *task;
  Predict *p;

  g_return_if_fail (ADMINT_IS_REPLICATE_CLIENT (self));
  g_return_if_fail (prediction_id != NULL);

  task = predict_task_new (self, admint_replicate_client_resume_async, cancellable, callback,
                           user_data, &p);
  p->id = g_strdup (prediction_id);
  p->generation_id = g_strdup (generation_id);
  if (return_downloaded (task))
    return;
  p->interval = 0;
  p->deadline = overall_deadline (self);
  schedule_poll (task);
  p->interval = self->options.poll_interval_seconds;
}

AdmintPredictionResult *
admint_replicate_client_resume_finish (AdmintReplicateClient  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  return replicate_finish_pointer (self, result, error);
}
