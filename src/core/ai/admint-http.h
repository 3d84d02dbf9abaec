/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTTP for the AI clients: the app's one SoupSession, retries with backoff, timeouts, errors. */
#pragma once

#include <libsoup/soup.h>

#include "admint-ai-error.h"

G_BEGIN_DECLS

/* When to try a request again; the defaults are the network.* keys of the config. */
typedef struct {
  guint  max_retries;              /* network.max_retries: 3 */
  double backoff_initial_seconds;  /* network.backoff_initial_seconds: 0.5 */
  double backoff_max_seconds;      /* network.backoff_max_seconds: 8 */
  double max_retry_after_seconds;  /* network.max_retry_after_seconds: 120 */
} AdmintRetryPolicy;

#define ADMINT_RETRY_POLICY_INIT { 3, 0.5, 8.0, 120.0 }

typedef enum {
  ADMINT_HTTP_RETRY_SAFE,       /* safe to repeat: retried on 408, 409, 429 and 5xx */
  ADMINT_HTTP_RETRY_THROTTLED,  /* retried on 429 only, where the server proved it did nothing */
  ADMINT_HTTP_RETRY_NEVER,
} AdmintHttpRetry;

typedef struct {
  const char        *method;
  const char        *url;
  const char        *bearer;          /* the key; NULL sends no Authorization */
  GBytes            *body;            /* NULL: no body */
  const char        *content_type;    /* of body; default application/json */
  AdmintHttpRetry    retry;
  AdmintRetryPolicy  policy;
  double             timeout_seconds; /* to the response headers, and the longest silence while
                                         the body is read; 0: no limit */
  gboolean           stream;          /* leave the body to the caller (response->stream) */
  guint64            max_body_bytes;  /* when not streaming; 0: 64 MiB */
  const char        *service;         /* names the server in messages, e.g. "Replicate" */
} AdmintHttpRequest;

typedef struct {
  guint         status;
  SoupMessage  *message;  /* for the response headers */
  GBytes       *body;     /* unless the request asked for a stream */
  GInputStream *stream;   /* when it did */
  guint         attempts;
} AdmintHttpResponse;

/* The app's one session: created on first use, main thread only. */
SoupSession        *admint_http_session_get_default (void);

/* The delay before retry ATTEMPT (0 for the first retry): exponential, capped, with jitter. */
double              admint_retry_policy_backoff     (const AdmintRetryPolicy *policy,
                                                     guint                    attempt);

/* Reads retry-after-ms or Retry-After (seconds or an HTTP date, relative to NOW or the
 * current time). Returns FALSE when neither is present or readable. */
gboolean            admint_http_parse_retry_after   (SoupMessageHeaders *headers,
                                                     GDateTime          *now,
                                                     double             *seconds);

/* Maps a non-2xx answer to an ADMINT_AI_ERROR that says what to do; SECRET is redacted. */
GError             *admint_http_error_from_status   (guint               status,
                                                     SoupMessageHeaders *headers,
                                                     GBytes             *body,
                                                     const char         *service,
                                                     const char         *url,
                                                     const char         *secret);

/* Sends REQUEST, retrying as its policy allows. Fails with an ADMINT_AI_ERROR for any
 * non-2xx final status; the response of a success is the caller's to free. */
void                admint_http_send_async          (SoupSession             *session,
                                                     const AdmintHttpRequest *request,
                                                     GCancellable            *cancellable,
                                                     GAsyncReadyCallback      callback,
                                                     gpointer                 user_data);
AdmintHttpResponse *admint_http_send_finish         (GAsyncResult            *result,
                                                     GError                 **error);
void                admint_http_response_free       (AdmintHttpResponse      *response);
/* The Content-Length of the response, or -1. */
goffset             admint_http_response_get_length (AdmintHttpResponse      *response);

/* Hands each chunk of STREAM to FUNC as it arrives, until the end. A silence longer than
 * STALL_SECONDS (0: none) fails with TIMEOUT; FUNC returning FALSE stops with its error; an
 * end before EXPECTED_LENGTH bytes (-1: unknown) fails with BAD_RESPONSE. */
typedef gboolean  (*AdmintHttpChunkFunc)            (const guint8  *data,
                                                     gsize          len,
                                                     gpointer       user_data,
                                                     GError       **error);
void                admint_http_read_stream_async   (GInputStream        *stream,
                                                     goffset              expected_length,
                                                     double               stall_seconds,
                                                     const char          *service,
                                                     AdmintHttpChunkFunc  func,
                                                     gpointer             func_data,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            admint_http_read_stream_finish  (GAsyncResult        *result,
                                                     GError             **error);

/* Waits SECONDS on the main loop; fails with CANCELLED when CANCELLABLE fires first. */
void                admint_ai_sleep_async           (double               seconds,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            admint_ai_sleep_finish          (GAsyncResult        *result,
                                                     GError             **error);

/* Asks again after a wait: waits SECONDS as admint_ai_sleep_async does, then calls AGAIN with
 * a reference to TASK that AGAIN takes; when CANCELLABLE fires first, returns the cancellation
 * on TASK instead. TASK is borrowed. */
typedef void      (*AdmintRetryFunc)                (GTask               *task);
void                admint_ai_retry_after           (GTask               *task,
                                                     double               seconds,
                                                     GCancellable        *cancellable,
                                                     AdmintRetryFunc      again);

/* The error a cancelled operation reports. */
GError             *admint_ai_error_new_cancelled   (void);

/* Joins a base URL and a path with exactly one slash between them. */
char               *admint_http_join_url            (const char *base,
                                                     const char *path);

/* The error message of a JSON error body ({"error":{"message"}}, {"error":"…"},
 * {"detail":"…"}), or NULL. CODE, when not NULL, receives error.code or error.type. */
char               *admint_http_body_error_message  (GBytes  *body,
                                                     char   **code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintHttpResponse, admint_http_response_free)

G_END_DECLS
