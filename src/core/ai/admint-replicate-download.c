/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outputs of a finished Replicate prediction: downloaded, checked, recorded with their cost. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "admint-ai-image.h"
#include "admint-ai-usage-private.h"
#include "admint-error.h"
#include "admint-output-check.h"
#include "admint-paths.h"
#include "admint-replicate-client.h"
#include "admint-replicate-private.h"
#include "admint-store.h"

/* -- download -- */

/* A bad download (cut short, garbled, not what the model makes, a network fault) is fetched
 * again from the same output URL, with backoff, up to network.max_retries times: never by a
 * new prediction, which would be paid again. */
static void download_again (GTask  *task,
                            GError *error);

static gboolean
write_chunk (const guint8  *data,
             gsize          len,
             gpointer       user_data,
             GError       **error)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) local = NULL;

  p->written += len;
  if (p->written > self->options.download_max_bytes)
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("An output of prediction %s is larger than %llu bytes; it was not kept. "
                     "Raise network.download_max_bytes if that is expected."),
                   p->id, (unsigned long long) self->options.download_max_bytes);
      return FALSE;
    }
  if (!g_output_stream_write_all (p->out, data, len, NULL, NULL, &local))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Could not save an output of prediction %s in %s: %s. Free some disk "
                     "space."), p->id, self->output_dir, local->message);
      return FALSE;
    }
  return TRUE;
}

/* A download error: the caller's cancel ends the call, our time cap becomes a TIMEOUT. */
static void
download_failed (GTask  *task,
                 GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);

  if (replicate_caller_cancelled (task))
    {
      g_error_free (error);
      replicate_cancel_and_fail (task, admint_ai_error_new_cancelled ());
      return;
    }
  if (p->download_timed_out)
    {
      g_error_free (error);
      error = g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT,
                           _("Downloading an output of prediction %s took longer than %.0f s"),
                           p->id, self->options.overall_timeout_seconds);
    }
  download_again (task, error);
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AdmintOutputKind kind = g_str_equal (self->kind, "video") ? ADMINT_OUTPUT_VIDEO
                          : g_str_equal (self->kind, "music") ? ADMINT_OUTPUT_AUDIO
                          : ADMINT_OUTPUT_IMAGE;

  if (!admint_http_read_stream_finish (result, &error) ||
      !g_output_stream_close (p->out, NULL, &error))
    {
      if (p->written > self->options.download_max_bytes)
        replicate_fail (task, g_steal_pointer (&error));
      else
        download_failed (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&p->out);
  if (!admint_output_check_file (p->tmp_path, kind, &error))
    {
      g_prefix_error (&error, _("An output of prediction %s is not usable: "), p->id);
      download_again (task, g_steal_pointer (&error));
      return;
    }
  if (g_rename (p->tmp_path, p->final_path) != 0)
    {
      int saved = errno;
      replicate_fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_FAILED,
                                         _("Could not move the output of prediction %s into "
                                           "place: %s."), p->id, g_strerror (saved)));
      return;
    }
  g_clear_pointer (&p->tmp_path, g_free);
  g_ptr_array_add (p->files, g_steal_pointer (&p->final_path));
  replicate_remove_partial (p);
  p->url_index++;
  p->download_attempts = 0;
  replicate_next_download (task);
}

static const char *
extension_for (const char *url,
               const char *content_type)
{
  static const struct { const char *type; const char *ext; } types[] = {
    { "image/png", "png" }, { "image/jpeg", "jpg" }, { "image/webp", "webp" },
    { "image/gif", "gif" }, { "video/mp4", "mp4" }, { "video/webm", "webm" },
    { "video/quicktime", "mov" }, { "audio/wav", "wav" }, { "audio/x-wav", "wav" },
    { "audio/wave", "wav" }, { "audio/mpeg", "mp3" }, { "audio/ogg", "ogg" },
    { "audio/flac", "flac" },
  };
  const char *slash = strrchr (url, '/');
  const char *dot = slash ? strrchr (slash, '.') : NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (content_type && g_str_equal (content_type, types[i].type))
      return types[i].ext;
  if (dot != NULL && strlen (dot + 1) <= 4 && strlen (dot + 1) > 0)
    {
      for (const char *c = dot + 1; *c; c++)
        if (!g_ascii_isalnum (*c))
          return "bin";
      return dot + 1;
    }
  return "bin";
}

/* What the headers of an output say, checked before a byte is kept; FALSE: failed already. */
static gboolean
check_headers (GTask              *task,
               AdmintHttpResponse *response,
               const char        **type)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (response->message);
  const char *want = g_str_equal (self->kind, "video") ? "video/"
                     : g_str_equal (self->kind, "music") ? "audio/" : "image/";
  goffset length;

  *type = soup_message_headers_get_content_type (headers, NULL);
  if (*type == NULL || !g_str_has_prefix (*type, want))
    {
      /* A file host answering with an error page is a bad download: fetched again. */
      download_again (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                         _("An output of prediction %s is %s, not the %s… the "
                                           "model should make; it was not kept. Check "
                                           "providers.%s.model."), p->id,
                                         *type ? *type : _("of no stated type"), want,
                                         self->kind));
      return FALSE;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length > 0 && (guint64) length > self->options.download_max_bytes)
    {
      replicate_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                         _("An output of prediction %s is %lld bytes, more than "
                                           "the %llu allowed; it was not downloaded. Raise "
                                           "network.download_max_bytes if that is expected."),
                                         p->id, (long long) length,
                                         (unsigned long long) self->options.download_max_bytes));
      return FALSE;
    }
  return TRUE;
}

static void
download_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  const char *url = g_ptr_array_index (p->urls, p->url_index);
  const char *type;
  g_autofree char *template = NULL;
  g_autofree char *name = NULL;
  int fd;

  if (response == NULL)
    {
      download_failed (task, g_steal_pointer (&error));
      return;
    }
  if (!check_headers (task, response, &type))
    return;

  template = g_build_filename (self->output_dir, ".admint-download-XXXXXX", NULL);
  fd = g_mkstemp_full (template, O_RDWR, 0600);
  if (fd < 0)
    {
      int saved = errno;
      replicate_fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_FAILED,
                                         _("Could not create a file in %s: %s. Check that it is "
                                           "writable."), self->output_dir, g_strerror (saved)));
      return;
    }
  p->tmp_path = g_steal_pointer (&template);
  p->out = g_unix_output_stream_new (fd, TRUE);
  p->written = 0;
  name = g_strdup_printf ("%s-%u.%s", p->id, p->url_index, extension_for (url, type));
  g_free (p->final_path);
  p->final_path = g_build_filename (self->output_dir, name, NULL);
  admint_http_read_stream_async (response->stream, admint_http_response_get_length (response),
                                 self->options.request_timeout_seconds,
                                 self->service, write_chunk, task,
                                 p->download_cancel, downloaded_cb, task);
}

static void
again_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!admint_ai_sleep_finish (result, &error))
    {
      replicate_cancel_and_fail (task, g_steal_pointer (&error));
      return;
    }
  replicate_next_download (task);
}

static void
download_again (GTask  *task,
                GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  double wait;

  replicate_remove_partial (p);
  p->download_attempts++;
  if (p->download_attempts > self->options.retry.max_retries)
    {
      g_prefix_error (&error, _("Gave up on an output of prediction %s after %u downloads: "),
                      p->id, p->download_attempts);
      replicate_fail (task, error);
      return;
    }
  wait = admint_retry_policy_backoff (&self->options.retry, p->download_attempts - 1);
  g_message ("%s: %s; downloading it again in %.1f s", self->service, error->message, wait);
  g_error_free (error);
  admint_ai_sleep_async (wait, g_task_get_cancellable (task), again_wait_cb, task);
}

static JsonObject *
metrics_of (JsonObject *prediction)
{
  JsonNode *node = json_object_get_member (prediction, "metrics");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

void
replicate_record_ended_usage (AdmintReplicateClient *self,
                              Predict               *p,
                              JsonObject            *prediction)
{
  JsonObject *metrics = metrics_of (prediction);
  double predict_time = metrics ? json_object_get_double_member_with_default (metrics,
                                                                              "predict_time",
                                                                              -1) : -1;

  const char *operation = g_str_equal (self->kind, "video") ? "video.predict_time"
                          : g_str_equal (self->kind, "music") ? "music.predict_time"
                          : "image.predict_time";
  double cost = predict_time * self->options.prices.per_predict_second;
  g_autofree char *item = g_strconcat ("replicate:", p->id, NULL);
  g_autoptr(GError) error = NULL;

  /* Priced per output, a prediction that made none costs nothing. */
  if (self->options.prices.per_predict_second <= 0 || predict_time < 0)
    return;
  g_signal_emit (self, replicate_signals[SIGNAL_USAGE], 0, "replicate", self->owner_name,
                 operation, predict_time, cost, p->generation_id);
  if (self->store != NULL &&
      !admint_store_record_usage_once (self->store, item, "replicate", self->owner_name,
                                       operation, predict_time, cost, p->generation_id, NULL,
                                       &error))
    g_message ("Could not record the usage of prediction %s: %s", p->id, error->message);
}

static void
record_and_return (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  AdmintPredictionResult *result = g_new0 (AdmintPredictionResult, 1);
  JsonObject *metrics = metrics_of (p->prediction);
  const char *operation;
  double units;

  result->predict_time = -1;
  if (metrics != NULL && json_object_has_member (metrics, "predict_time") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (metrics, "predict_time")))
    result->predict_time = json_object_get_double_member (metrics, "predict_time");

  if (self->options.prices.per_predict_second > 0 && result->predict_time >= 0)
    {
      operation = g_str_equal (self->kind, "video") ? "video.predict_time"
                  : g_str_equal (self->kind, "music") ? "music.predict_time"
                  : "image.predict_time";
      units = result->predict_time;
      result->cost_usd = units * self->options.prices.per_predict_second;
    }
  else if (g_str_equal (self->kind, "video"))
    {
      operation = "video";
      units = (p->output_seconds > 0 ? p->output_seconds : self->options.clip_seconds) *
              p->files->len;
      result->cost_usd = units * self->options.prices.per_second;
    }
  else if (g_str_equal (self->kind, "music"))
    {
      /* One bed a prediction, however many files it comes in (MusicGen can add stems). */
      operation = "music";
      units = p->output_seconds > 0 ? p->output_seconds : 0;
      result->cost_usd = units * self->options.prices.per_second;
    }
  else
    {
      operation = "image";
      units = p->files->len;
      result->cost_usd = units * self->options.prices.per_image;
    }
  g_signal_emit (self, replicate_signals[SIGNAL_USAGE], 0, "replicate", self->owner_name,
                 operation, units, result->cost_usd, p->generation_id);
  if (self->store != NULL)
    {
      /* The files and the cost in one commit, the cost once a prediction: a resume after a
       * kill uses these files and does not count them again (issue 14). */
      g_autoptr(GError) error = NULL;
      g_ptr_array_add (p->files, NULL);
      if (!admint_store_set_prediction_outputs (self->store, p->id,
                                                (const char * const *) p->files->pdata,
                                                "replicate", self->owner_name, operation, units,
                                                result->cost_usd, p->generation_id, &error))
        g_message ("Could not record the outputs of prediction %s: %s", p->id, error->message);
      g_ptr_array_set_size (p->files, p->files->len - 1);
    }

  result->id = g_strdup (p->id);
  g_ptr_array_add (p->files, NULL);
  result->files = (char **) g_ptr_array_steal (p->files, NULL);
  g_ptr_array_add (p->dropped, NULL);
  result->dropped_inputs = (char **) g_ptr_array_steal (p->dropped, NULL);
  g_task_return_pointer (task, result, (GDestroyNotify) admint_prediction_result_free);
  g_object_unref (task);
}

static gboolean
download_time_up (gpointer user_data)
{
  Predict *p = user_data;

  p->download_timer = 0;
  p->download_timed_out = TRUE;
  g_cancellable_cancel (p->download_cancel);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *download)
{
  g_cancellable_cancel (download);
}

void
replicate_next_download (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);
  const char *url;
  g_autofree char *origin = NULL;
  AdmintHttpRequest req;

  if (replicate_caller_cancelled (task))
    {
      replicate_cancel_and_fail (task, admint_ai_error_new_cancelled ());
      return;
    }
  if (p->url_index >= p->urls->len)
    {
      record_and_return (task);
      return;
    }

  /* Each output gets at most the prediction's overall time to arrive, on top of the stall
   * timeout of each read. */
  replicate_remove_partial (p);
  p->download_cancel = g_cancellable_new ();
  p->download_timed_out = FALSE;
  p->caller_cancel = caller;
  if (caller != NULL)
    p->download_cancel_id = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled_cb),
                                                   g_object_ref (p->download_cancel),
                                                   g_object_unref);
  if (self->options.overall_timeout_seconds > 0)
    p->download_timer = g_timeout_add ((guint) (self->options.overall_timeout_seconds * 1000),
                                       download_time_up, p);

  url = g_ptr_array_index (p->urls, p->url_index);
  origin = replicate_origin_of (url);
  replicate_init_request (self, &req, "GET", url, ADMINT_HTTP_RETRY_SAFE);
  /* The key goes to the API host only, never to wherever the outputs are served from. */
  if (origin == NULL || g_strcmp0 (origin, self->api_origin) != 0)
    req.bearer = NULL;
  req.stream = TRUE;
  req.service = _("The Replicate file host");
  admint_http_send_async (self->session, &req, p->download_cancel, download_started_cb, task);
}

gboolean
admint_replicate_client_move_output (AdmintReplicateClient  *self,
                                     const char             *prediction_id,
                                     const char             *from,
                                     const char             *to,
                                     GError                **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (ADMINT_IS_REPLICATE_CLIENT (self), FALSE);
  g_return_val_if_fail (prediction_id != NULL && from != NULL && to != NULL, FALSE);

  if (g_strcmp0 (from, to) == 0)
    return TRUE;
  if (g_rename (from, to) != 0)
    {
      int saved = errno;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot move the downloaded %s to %s: %s"), from, to, g_strerror (saved));
      return FALSE;
    }
  if (self->store != NULL &&
      !admint_store_move_prediction_output (self->store, prediction_id, from, to, &local))
    g_message ("Could not record where the output of prediction %s went: %s", prediction_id,
               local->message);
  return TRUE;
}
