/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTTP for the AI clients: the app's one SoupSession, retries with backoff, timeouts, errors. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "admint-error.h"
#include "admint-http.h"

#define DEFAULT_MAX_BODY (64 * 1024 * 1024)
#define ERROR_BODY_MAX   (64 * 1024)
#define CHUNK_SIZE       16384

static SoupSession *default_session;

SoupSession *
admint_http_session_get_default (void)
{
  if (default_session == NULL)
    {
      g_autofree char *agent = g_strdup_printf ("AdMint/%s", PACKAGE_VERSION);

      /* Timeouts are per operation (see Guard below), not per socket. */
      default_session = soup_session_new_with_options ("user-agent", agent,
                                                       "timeout", 0,
                                                       "idle-timeout", 60,
                                                       "max-conns-per-host", 8,
                                                       NULL);
    }
  return default_session;
}

double
admint_retry_policy_backoff (const AdmintRetryPolicy *policy,
                             guint                    attempt)
{
  double delay;

  g_return_val_if_fail (policy != NULL, 0);

  delay = policy->backoff_initial_seconds * (double) (1u << MIN (attempt, 20u));
  delay = MIN (delay, policy->backoff_max_seconds);
  /* Jitter spreads out clients that failed together: somewhere in [3/4, 1] of the delay. */
  return delay * g_random_double_range (0.75, 1.0);
}

gboolean
admint_http_parse_retry_after (SoupMessageHeaders *headers,
                               GDateTime          *now,
                               double             *seconds)
{
  const char *value;
  char *end = NULL;
  double parsed;

  g_return_val_if_fail (headers != NULL, FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);

  value = soup_message_headers_get_one (headers, "retry-after-ms");
  if (value != NULL)
    {
      parsed = g_ascii_strtod (value, &end);
      if (end != value && *end == '\0' && parsed >= 0)
        {
          *seconds = parsed / 1000.0;
          return TRUE;
        }
    }

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return FALSE;
  parsed = g_ascii_strtod (value, &end);
  if (end != value && *end == '\0' && parsed >= 0)
    {
      *seconds = parsed;
      return TRUE;
    }

  g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return FALSE;
  g_autoptr(GDateTime) current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  *seconds = MAX (0.0, g_date_time_difference (when, current) / (double) G_TIME_SPAN_SECOND);
  return TRUE;
}

char *
admint_http_join_url (const char *base,
                      const char *path)
{
  gsize len;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    len--;
  while (*path == '/')
    path++;
  return g_strdup_printf ("%.*s/%s", (int) len, base, path);
}

char *
admint_http_body_error_message (GBytes  *body,
                                char   **code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *data;
  gsize len;
  JsonNode *root;

  if (code != NULL)
    *code = NULL;
  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  JsonObject *obj = json_node_get_object (root);
  JsonNode *err = json_object_get_member (obj, "error");
  if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
    {
      JsonObject *eo = json_node_get_object (err);
      if (code != NULL)
        {
          JsonNode *c = json_object_get_member (eo, "code");
          if (c != NULL && JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_STRING)
            *code = g_strdup (json_node_get_string (c));
          else if (json_object_has_member (eo, "type") &&
                   JSON_NODE_HOLDS_VALUE (json_object_get_member (eo, "type")))
            *code = g_strdup (json_object_get_string_member (eo, "type"));
        }
      if (json_object_has_member (eo, "message") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (eo, "message")))
        return g_strdup (json_object_get_string_member (eo, "message"));
      return NULL;
    }
  if (err != NULL && JSON_NODE_HOLDS_VALUE (err) && json_node_get_value_type (err) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (err));
  JsonNode *detail = json_object_get_member (obj, "detail");
  if (detail != NULL && JSON_NODE_HOLDS_VALUE (detail) &&
      json_node_get_value_type (detail) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (detail));
  return NULL;
}

static gboolean
mentions_content_filter (const char *code,
                         const char *message)
{
  static const char * const words[] = { "content_filter", "content_policy", "content policy",
                                        "flagged", "safety", "moderation" };
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if ((code && strstr (code, words[i])) || (message && strstr (message, words[i])))
      return TRUE;
  return FALSE;
}

GError *
admint_http_error_from_status (guint               status,
                               SoupMessageHeaders *headers,
                               GBytes             *body,
                               const char         *service,
                               const char         *url,
                               const char         *secret)
{
  g_autofree char *code = NULL;
  g_autofree char *raw = admint_http_body_error_message (body, &code);
  g_autofree char *said = NULL;
  g_autofree char *safe_url = admint_ai_redact (url, secret);

  if (service == NULL)
    service = "The server";
  if (raw != NULL)
    {
      g_autofree char *redacted = admint_ai_redact (raw, secret);
      if (strlen (redacted) > 300)
        redacted[300] = '\0';
      said = g_strdup_printf (" It said: “%s”.", redacted);
    }
  else
    said = g_strdup ("");

  if (g_strcmp0 (code, "insufficient_quota") == 0 || status == SOUP_STATUS_PAYMENT_REQUIRED)
    return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_QUOTA_EXHAUSTED,
                        _("%s says the account has no credit or quota left (HTTP %u).%s "
                          "Add credit or raise the limit in the provider's billing settings, or "
                          "switch to the local provider."), service, status, said);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_AUTHENTICATION,
                          _("%s rejected the API key (HTTP %u).%s Set a valid key with "
                            "“admint keys set PROVIDER” or the environment variable."),
                          service, status, said);
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND,
                          _("%s has nothing at %s (HTTP 404).%s Check the base URL (it usually "
                            "ends in /v1) and the model name in the config."),
                          service, safe_url ? safe_url : "that address", said);
    case 429:
      return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_RATE_LIMITED,
                          _("%s is rate limiting us (HTTP 429) and retrying did not help.%s "
                            "Wait a minute, or lower stages.clips.max_concurrent."),
                          service, said);
    case SOUP_STATUS_REQUEST_TIMEOUT:
      return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT,
                          _("%s timed out the request (HTTP 408).%s Try again later."),
                          service, said);
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      if (mentions_content_filter (code, raw))
        return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED,
                            _("%s refused the request under its content policy (HTTP %u).%s "
                              "Reword the brief or the scene."), service, status, said);
      return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_REQUEST,
                          _("%s refused the request as invalid (HTTP %u).%s Check the model "
                            "name and its options in the config."), service, status, said);
    default:
      break;
    }

  if (status >= 500 || status == SOUP_STATUS_CONFLICT)
    return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR,
                        _("%s failed with HTTP %u even after retrying.%s This is on the "
                          "provider's side: try again later."), service, status, said);
  return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                      _("%s answered with an unexpected HTTP %u.%s Check the base URL in the "
                        "config."), service, status, said);
}

GError *
admint_ai_error_new_cancelled (void)
{
  return g_error_new_literal (ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED,
                              _("The operation was cancelled."));
}

/* ---- Guard: a child cancellable that the caller's cancellable and a timer both cancel ---- */

typedef struct {
  GCancellable *inner;
  GSource      *outer_source;
  guint         timeout_id;
  double        seconds;
  gboolean      timed_out;
} Guard;

static gboolean
guard_outer_cancelled (GCancellable *outer,
                       gpointer      user_data)
{
  Guard *guard = user_data;

  g_cancellable_cancel (guard->inner);
  return G_SOURCE_CONTINUE;
}

static gboolean
guard_timeout (gpointer user_data)
{
  Guard *guard = user_data;

  guard->timeout_id = 0;
  guard->timed_out = TRUE;
  g_cancellable_cancel (guard->inner);
  return G_SOURCE_REMOVE;
}

static void
guard_rearm (Guard *guard)
{
  g_clear_handle_id (&guard->timeout_id, g_source_remove);
  if (guard->seconds > 0)
    guard->timeout_id = g_timeout_add ((guint) MAX (1.0, guard->seconds * 1000.0),
                                       guard_timeout, guard);
}

static void
guard_start (Guard        *guard,
             GCancellable *outer,
             double        seconds)
{
  memset (guard, 0, sizeof *guard);
  guard->inner = g_cancellable_new ();
  guard->seconds = seconds;
  if (outer != NULL)
    {
      guard->outer_source = g_cancellable_source_new (outer);
      g_source_set_callback (guard->outer_source, G_SOURCE_FUNC (guard_outer_cancelled),
                             guard, NULL);
      g_source_attach (guard->outer_source, g_main_context_get_thread_default ());
      if (g_cancellable_is_cancelled (outer))
        g_cancellable_cancel (guard->inner);
    }
  guard_rearm (guard);
}

static void
guard_stop (Guard *guard)
{
  g_clear_handle_id (&guard->timeout_id, g_source_remove);
  if (guard->outer_source != NULL)
    {
      g_source_destroy (guard->outer_source);
      g_clear_pointer (&guard->outer_source, g_source_unref);
    }
  g_clear_object (&guard->inner);
}

/* A service's name starts the sentences of the errors ("The chat server at … did not
 * answer"), so it is kept capitalised ("the speech service" becomes "The speech service");
 * inside a sentence its article is lower case again ("Could not reach the chat server at …"). */
static char *
service_sentence_start (const char *service)
{
  if (service == NULL)
    return g_strdup (_("The server"));
  if (g_ascii_islower (service[0]))
    {
      char *copy = g_strdup (service);
      copy[0] = g_ascii_toupper (copy[0]);
      return copy;
    }
  return g_strdup (service);
}

static char *
service_in_sentence (const char *service)
{
  if (g_str_has_prefix (service, "The "))
    return g_strconcat ("the ", service + strlen ("The "), NULL);
  return g_strdup (service);
}

/* Turns an I/O failure into the AI domain, telling a cancel from a timeout from the network. */
static GError *
guard_map_error (Guard        *guard,
                 GCancellable *outer,
                 const GError *error,
                 const char   *service,
                 const char   *doing)
{
  if (outer != NULL && g_cancellable_is_cancelled (outer))
    return admint_ai_error_new_cancelled ();
  if (guard->timed_out)
    return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT,
                        _("%s did not answer within %g s while %s. Check that it is running "
                          "and not overloaded, or raise the timeout in the network settings."),
                        service, guard->seconds, doing);
  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_PARTIAL_INPUT || error->code == G_IO_ERROR_CONNECTION_CLOSED ||
       error->code == G_IO_ERROR_BROKEN_PIPE))
    return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                        _("%s closed the connection before the whole answer arrived (while %s). "
                          "Try again; if it keeps happening, check the network."),
                        service, doing);
  if (error->domain == G_RESOLVER_ERROR || error->domain == G_IO_ERROR || error->domain == G_TLS_ERROR)
    {
      g_autofree char *inside = service_in_sentence (service);
      return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_NETWORK_UNREACHABLE,
                          _("Could not reach %s while %s: %s. Check the base URL and that the "
                            "host is up and reachable."), inside, doing, error->message);
    }
  return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                      _("%s sent an answer we could not read while %s: %s."),
                      service, doing, error->message);
}

/* ---- sleeping ---- */

typedef struct {
  guint    timeout_id;
  GSource *cancel_source;
} Sleep;

static void
sleep_free (Sleep *sleep)
{
  g_clear_handle_id (&sleep->timeout_id, g_source_remove);
  if (sleep->cancel_source != NULL)
    {
      g_source_destroy (sleep->cancel_source);
      g_source_unref (sleep->cancel_source);
    }
  g_free (sleep);
}

static gboolean
sleep_done (gpointer user_data)
{
  GTask *task = user_data;
  Sleep *sleep = g_task_get_task_data (task);

  sleep->timeout_id = 0;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled (GCancellable *cancellable,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Sleep *sleep = g_task_get_task_data (task);

  if (sleep->timeout_id == 0)
    return G_SOURCE_REMOVE;
  g_clear_handle_id (&sleep->timeout_id, g_source_remove);
  g_task_return_error (task, admint_ai_error_new_cancelled ());
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

void
admint_ai_sleep_async (double               seconds,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Sleep *sleep = g_new0 (Sleep, 1);

  g_task_set_source_tag (task, admint_ai_sleep_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, sleep, (GDestroyNotify) sleep_free);
  sleep->timeout_id = g_timeout_add ((guint) MAX (0.0, seconds * 1000.0), sleep_done, task);
  if (cancellable != NULL)
    {
      sleep->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (sleep->cancel_source, G_SOURCE_FUNC (sleep_cancelled), task, NULL);
      g_source_attach (sleep->cancel_source, g_main_context_get_thread_default ());
    }
}

gboolean
admint_ai_sleep_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  GTask           *task;
  AdmintRetryFunc  again;
} RetryWait;

static void
retry_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RetryWait *wait = user_data;
  g_autoptr(GTask) task = wait->task;
  AdmintRetryFunc again = wait->again;
  g_autoptr(GError) error = NULL;

  g_free (wait);
  if (!admint_ai_sleep_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  again (g_steal_pointer (&task));
}

void
admint_ai_retry_after (GTask           *task,
                       double           seconds,
                       GCancellable    *cancellable,
                       AdmintRetryFunc  again)
{
  RetryWait *wait = g_new0 (RetryWait, 1);

  wait->task = g_object_ref (task);
  wait->again = again;
  admint_ai_sleep_async (seconds, cancellable, retry_wait_cb, wait);
}

/* ---- reading a body chunk by chunk ---- */

typedef struct {
  GInputStream        *stream;
  GCancellable        *outer;
  Guard                guard;
  char                *service;
  AdmintHttpChunkFunc  func;
  gpointer             func_data;
  goffset              expected;
  goffset              received;
  guint8               buffer[CHUNK_SIZE];
} ReadData;

static void
read_data_free (ReadData *data)
{
  guard_stop (&data->guard);
  g_clear_object (&data->stream);
  g_clear_object (&data->outer);
  g_free (data->service);
  g_free (data);
}

static void read_next (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      g_task_return_error (task, guard_map_error (&data->guard, data->outer, error,
                                                  data->service, _("reading the answer")));
      return;
    }
  if (n == 0)
    {
      /* libsoup reports a connection closed before Content-Length as a plain end. */
      if (data->expected >= 0 && data->received != data->expected)
        g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                 _("%s closed the connection after %lld of %lld bytes. Try again; if it "
                                   "keeps happening, check the network."), data->service,
                                 (long long) data->received, (long long) data->expected);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  data->received += n;
  if (!data->func (data->buffer, (gsize) n, data->func_data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  guard_rearm (&data->guard);
  g_input_stream_read_async (data->stream, data->buffer, sizeof data->buffer, G_PRIORITY_DEFAULT,
                             data->guard.inner, read_cb, task);
}

void
admint_http_read_stream_async (GInputStream        *stream,
                               goffset              expected_length,
                               double               stall_seconds,
                               const char          *service,
                               AdmintHttpChunkFunc  func,
                               gpointer             func_data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  ReadData *data;

  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (func != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_http_read_stream_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (ReadData, 1);
  data->stream = g_object_ref (stream);
  data->outer = cancellable ? g_object_ref (cancellable) : NULL;
  data->service = service_sentence_start (service);
  data->func = func;
  data->func_data = func_data;
  data->expected = expected_length;
  guard_start (&data->guard, cancellable, stall_seconds);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  read_next (task);
}

gboolean
admint_http_read_stream_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sending with retries ---- */

typedef struct {
  SoupSession        *session;
  AdmintHttpRequest   req;      /* strings below are owned copies */
  char               *method;
  char               *url;
  char               *bearer;
  char               *content_type;
  char               *service;
  GCancellable       *outer;
  Guard               guard;
  gboolean            guard_on;
  SoupMessage        *message;
  GByteArray         *body;
  guint64             body_cap;
  guint               attempts;
  guint               redirects;
} SendData;

static void
send_data_free (SendData *data)
{
  if (data->guard_on)
    guard_stop (&data->guard);
  g_clear_object (&data->session);
  g_clear_pointer (&data->req.body, g_bytes_unref);
  g_free (data->method);
  g_free (data->url);
  if (data->bearer != NULL)
    memset (data->bearer, 0, strlen (data->bearer));
  g_free (data->bearer);
  g_free (data->content_type);
  g_free (data->service);
  g_clear_object (&data->outer);
  g_clear_object (&data->message);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_free (data);
}

static void send_attempt (GTask *task);

static gboolean
collect_chunk (const guint8  *bytes,
               gsize          len,
               gpointer       user_data,
               GError       **error)
{
  SendData *data = user_data;

  if (data->body->len + len > data->body_cap)
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer larger than %llu bytes; that is not what this call "
                     "expects. Check the base URL."), data->service,
                   (unsigned long long) data->body_cap);
      return FALSE;
    }
  g_byte_array_append (data->body, bytes, len);
  return TRUE;
}

static gboolean
status_is_retryable (AdmintHttpRetry retry,
                     guint           status)
{
  switch (retry)
    {
    case ADMINT_HTTP_RETRY_SAFE:
      return status == 408 || status == 409 || status == 429 || status >= 500;
    case ADMINT_HTTP_RETRY_THROTTLED:
      return status == 429;
    case ADMINT_HTTP_RETRY_NEVER:
    default:
      return FALSE;
    }
}

static void
finish_failure (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->message);
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->message);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));
  g_autoptr(GError) error = admint_http_error_from_status (status, headers, body, data->service,
                                                           data->url, data->bearer);
  double wait = 0;
  gboolean has_retry_after;

  g_debug ("%s %s: HTTP %u (attempt %u)", data->method, data->url, status, data->attempts);

  if (!status_is_retryable (data->req.retry, status) ||
      g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_QUOTA_EXHAUSTED) ||
      data->attempts > data->req.policy.max_retries)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  has_retry_after = admint_http_parse_retry_after (headers, NULL, &wait);
  if (has_retry_after && wait > data->req.policy.max_retry_after_seconds)
    {
      g_prefix_error (&error, _("%s asked us to wait %.0f s before trying again, longer than the "
                                "%.0f s we wait at most (network.max_retry_after_seconds); try "
                                "again later. "), data->service, wait,
                      data->req.policy.max_retry_after_seconds);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!has_retry_after)
    wait = admint_retry_policy_backoff (&data->req.policy, data->attempts - 1);

  g_debug ("retrying %s %s in %.3f s", data->method, data->url, wait);
  admint_ai_retry_after (task, wait, data->outer, send_attempt);
}

static void
body_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status = soup_message_get_status (data->message);

  if (!admint_http_read_stream_finish (result, &error))
    {
      /* An error body that cannot be read completely still tells us the status. */
      if (SOUP_STATUS_IS_SUCCESSFUL (status) || g_error_matches (error, ADMINT_AI_ERROR,
                                                                 ADMINT_AI_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      finish_failure (task);
      return;
    }

  AdmintHttpResponse *response = g_new0 (AdmintHttpResponse, 1);
  response->status = status;
  response->message = g_object_ref (data->message);
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));
  response->attempts = data->attempts;
  g_task_return_pointer (task, response, (GDestroyNotify) admint_http_response_free);
}

/* scheme://host:port, for telling whether a redirect leaves the host the key is meant for. */
static char *
origin_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                          : g_str_equal (g_uri_get_scheme (uri), "https") ? 443 : 80);
}

/* libsoup would carry the Authorization header along a redirect: a request with a key follows
 * redirects itself, and drops the key when one leads to another scheme, host or port. TRUE
 * when the request went out again. */
static gboolean
follow_redirect (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->message);
  const char *location;
  g_autofree char *target = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || status == 304 || status == 305 ||
      data->redirects >= 5)
    return FALSE;
  location = soup_message_headers_get_one (soup_message_get_response_headers (data->message),
                                           "Location");
  if (location == NULL)
    return FALSE;
  target = g_uri_resolve_relative (data->url, location, G_URI_FLAGS_NONE, NULL);
  if (target == NULL)
    return FALSE;
  from = origin_of (data->url);
  to = origin_of (target);
  if (to == NULL || g_strcmp0 (from, to) != 0)
    {
      g_debug ("redirect from %s to another host: the key stays behind", data->url);
      if (data->bearer != NULL)
        memset (data->bearer, 0, strlen (data->bearer));
      g_clear_pointer (&data->bearer, g_free);
    }
  if (status == 303 || ((status == 301 || status == 302) &&
                        !g_str_equal (data->method, "GET") && !g_str_equal (data->method, "HEAD")))
    {
      g_free (data->method);
      data->method = g_strdup ("GET");
      g_clear_pointer (&data->req.body, g_bytes_unref);
    }
  g_free (data->url);
  data->url = g_steal_pointer (&target);
  data->redirects++;
  data->attempts--;  /* a redirect is not a failed attempt */
  send_attempt (g_object_ref (task));
  return TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  SoupMessageHeaders *headers;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      g_debug ("%s %s: %s", data->method, data->url, error->message);
      g_task_return_error (task, guard_map_error (&data->guard, data->outer, error, data->service,
                                                  _("waiting for its answer")));
      guard_stop (&data->guard);
      data->guard_on = FALSE;
      return;
    }
  guard_stop (&data->guard);
  data->guard_on = FALSE;

  if (follow_redirect (task))
    {
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  status = soup_message_get_status (data->message);
  if (SOUP_STATUS_IS_SUCCESSFUL (status) && data->req.stream)
    {
      AdmintHttpResponse *response = g_new0 (AdmintHttpResponse, 1);

      g_debug ("%s %s: HTTP %u, streaming", data->method, data->url, status);
      response->status = status;
      response->message = g_object_ref (data->message);
      response->stream = g_steal_pointer (&stream);
      response->attempts = data->attempts;
      g_task_return_pointer (task, response, (GDestroyNotify) admint_http_response_free);
      return;
    }

  data->body = g_byte_array_new ();
  data->body_cap = SOUP_STATUS_IS_SUCCESSFUL (status) ? data->req.max_body_bytes : ERROR_BODY_MAX;
  if (data->body_cap == 0)
    data->body_cap = DEFAULT_MAX_BODY;
  headers = soup_message_get_response_headers (data->message);
  admint_http_read_stream_async (stream,
                                 soup_message_headers_get_encoding (headers) ==
                                 SOUP_ENCODING_CONTENT_LENGTH
                                 ? soup_message_headers_get_content_length (headers) : -1,
                                 data->req.timeout_seconds, data->service, collect_chunk,
                                 data, data->outer, body_read_cb, g_steal_pointer (&task));
}

static void
send_attempt (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  data->attempts++;
  g_clear_object (&data->message);
  data->message = soup_message_new (data->method, data->url);
  if (data->message == NULL)
    {
      g_autofree char *inside = service_in_sentence (data->service);
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                               _("“%s” is not a valid URL for %s. Fix the base_url of the "
                                 "provider in the config (e.g. https://api.openai.com/v1)."),
                               data->url, inside);
      return;
    }
  headers = soup_message_get_request_headers (data->message);
  if (data->bearer != NULL && *data->bearer != '\0')
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", data->bearer);

      soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
      soup_message_headers_replace (headers, "Authorization", auth);
      memset (auth, 0, strlen (auth));
    }
  soup_message_headers_replace (headers, "Accept", data->req.stream ? "*/*" : "application/json");
  if (data->req.body != NULL)
    soup_message_set_request_body_from_bytes (data->message, data->content_type, data->req.body);

  g_debug ("%s %s (attempt %u)", data->method, data->url, data->attempts);
  guard_start (&data->guard, data->outer, data->req.timeout_seconds);
  data->guard_on = TRUE;
  soup_session_send_async (data->session, data->message, G_PRIORITY_DEFAULT, data->guard.inner,
                           sent_cb, g_object_ref (task));
  g_object_unref (task);
}

void
admint_http_send_async (SoupSession             *session,
                        const AdmintHttpRequest *request,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  GTask *task;
  SendData *data;

  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_http_send_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (SendData, 1);
  data->session = g_object_ref (session ? session : admint_http_session_get_default ());
  data->req = *request;
  data->req.body = request->body ? g_bytes_ref (request->body) : NULL;
  data->method = g_strdup (request->method ? request->method : "GET");
  data->url = g_strdup (request->url);
  data->bearer = g_strdup (request->bearer);
  data->content_type = g_strdup (request->content_type ? request->content_type
                                                       : "application/json");
  data->service = service_sentence_start (request->service);
  data->outer = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, admint_ai_error_new_cancelled ());
      g_object_unref (task);
      return;
    }
  send_attempt (task);
}

AdmintHttpResponse *
admint_http_send_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
admint_http_response_free (AdmintHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_object (&response->message);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_object (&response->stream);
  g_free (response);
}

goffset
admint_http_response_get_length (AdmintHttpResponse *response)
{
  SoupMessageHeaders *headers;

  g_return_val_if_fail (response != NULL, -1);
  headers = soup_message_get_response_headers (response->message);
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return -1;
  return soup_message_headers_get_content_length (headers);
}
