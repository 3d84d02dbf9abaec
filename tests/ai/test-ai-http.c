/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP layer against the fake server: error codes, retries, Retry-After, timeouts. */
#include "config.h"

#include <string.h>

#include "admint-fake-ai.h"
#include "admint-http.h"
#include "admint-test-util.h"
#include "ai-test-util.h"

static const AdmintRetryPolicy fast = { 3, 0.01, 0.04, 120.0 };

typedef struct {
  AdmintFakeAi *fake;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->fake = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_defaults (f->fake);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->fake);
}

static AdmintHttpResponse *
send (Fixture          *f,
      const char       *method,
      const char       *path,
      AdmintHttpRetry   retry,
      double            timeout,
      GCancellable     *cancellable,
      GError          **error)
{
  g_autofree char *url = g_strconcat (admint_fake_ai_get_base_url (f->fake), path, NULL);
  AdmintHttpRequest req = {
    .method = method, .url = url, .bearer = "sk-test-secret-0123456789", .retry = retry,
    .policy = fast, .timeout_seconds = timeout, .service = "The fake server",
  };
  GAsyncResult *result = NULL;

  if (g_str_equal (method, "POST"))
    {
      static const char body[] = "{\"model\":\"m\",\"messages\":[]}";
      req.body = g_bytes_new_static (body, sizeof body - 1);
    }
  admint_http_send_async (NULL, &req, cancellable, ai_test_store_result, &result);
  g_clear_pointer (&req.body, g_bytes_unref);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_http_send_finish (done, error);
}

static void
test_backoff (void)
{
  AdmintRetryPolicy policy = ADMINT_RETRY_POLICY_INIT;

  for (guint attempt = 0; attempt < 8; attempt++)
    for (int i = 0; i < 50; i++)
      {
        double d = admint_retry_policy_backoff (&policy, attempt);
        double full = MIN (0.5 * (1 << attempt), 8.0);
        g_assert_cmpfloat (d, >=, full * 0.75 - 1e-9);
        g_assert_cmpfloat (d, <=, full + 1e-9);
        g_assert_cmpfloat (d, <=, 8.0);
      }
}

static void
test_retry_after_parse (void)
{
  g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 5, 1, 12, 0, 0);
  double s = -1;

  g_assert_false (admint_http_parse_retry_after (h, now, &s));
  soup_message_headers_replace (h, "Retry-After", "7");
  g_assert_true (admint_http_parse_retry_after (h, now, &s));
  g_assert_cmpfloat (s, ==, 7.0);
  soup_message_headers_replace (h, "Retry-After", "Wed, 01 May 2024 12:00:30 GMT");
  g_assert_true (admint_http_parse_retry_after (h, now, &s));
  g_assert_cmpfloat_with_epsilon (s, 30.0, 0.001);
  soup_message_headers_replace (h, "Retry-After", "Wed, 01 May 2024 11:00:00 GMT");
  g_assert_true (admint_http_parse_retry_after (h, now, &s));
  g_assert_cmpfloat (s, ==, 0.0);
  soup_message_headers_replace (h, "Retry-After", "soon");
  g_assert_false (admint_http_parse_retry_after (h, now, &s));
  /* retry-after-ms wins when both are there. */
  soup_message_headers_replace (h, "Retry-After", "7");
  soup_message_headers_replace (h, "retry-after-ms", "50");
  g_assert_true (admint_http_parse_retry_after (h, now, &s));
  g_assert_cmpfloat_with_epsilon (s, 0.05, 1e-9);
}

static void
test_redact (void)
{
  g_autofree char *a = admint_ai_redact ("Incorrect API key provided: sk-abc**********xyz.", NULL);
  g_autofree char *b = admint_ai_redact ("token r8_SECRETTOKEN rejected; key=mysecret", "mysecret");
  g_autofree char *c = admint_ai_redact ("Authorization: Bearer abc.def", NULL);

  g_assert_cmpstr (a, ==, "Incorrect API key provided: [REDACTED]");
  g_assert_cmpstr (b, ==, "token [REDACTED] rejected; key=[REDACTED]");
  g_assert_cmpstr (c, ==, "Authorization: [REDACTED]");
}

/* Every error code reached through the fake server, and never a key in a message. */
static void
test_error_codes (Fixture *f, gconstpointer data)
{
  static const struct {
    guint status; const char *body; const char *hdr; const char *val; int code; guint requests;
  } cases[] = {
    { 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-secret-0123456789\"}}",
      NULL, NULL, ADMINT_AI_ERROR_AUTHENTICATION, 1 },
    { 403, "{\"detail\":\"forbidden\"}", NULL, NULL, ADMINT_AI_ERROR_AUTHENTICATION, 1 },
    { 429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":"
           "\"insufficient_quota\",\"code\":\"insufficient_quota\"}}", NULL, NULL,
      ADMINT_AI_ERROR_QUOTA_EXHAUSTED, 1 },
    { 402, "{\"detail\":\"Payment required\"}", NULL, NULL, ADMINT_AI_ERROR_QUOTA_EXHAUSTED, 1 },
    { 429, "{\"error\":{\"message\":\"Rate limit reached\"}}", "retry-after-ms", "1",
      ADMINT_AI_ERROR_RATE_LIMITED, 4 },
    { 503, "{\"error\":{\"message\":\"overloaded\"}}", NULL, NULL, ADMINT_AI_ERROR_SERVER_ERROR, 4 },
    { 409, "{}", NULL, NULL, ADMINT_AI_ERROR_SERVER_ERROR, 4 },
    { 408, "{}", NULL, NULL, ADMINT_AI_ERROR_TIMEOUT, 4 },
    { 404, "{\"error\":{\"message\":\"The model `x` does not exist\"}}", NULL, NULL,
      ADMINT_AI_ERROR_NOT_FOUND, 1 },
    { 400, "{\"error\":{\"message\":\"bad field\"}}", NULL, NULL, ADMINT_AI_ERROR_BAD_REQUEST, 1 },
    { 400, "{\"error\":{\"message\":\"Your request was rejected by our safety system\","
           "\"code\":\"content_policy_violation\"}}", NULL, NULL,
      ADMINT_AI_ERROR_CONTENT_FILTERED, 1 },
    { 302, "", NULL, NULL, ADMINT_AI_ERROR_BAD_RESPONSE, 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintHttpResponse) response = NULL;

      admint_fake_ai_clear_requests (f->fake);
      for (guint k = 0; k < cases[i].requests; k++)
        admint_fake_ai_push_status (f->fake, "GET", "/v1/models", cases[i].status, cases[i].body,
                                    cases[i].hdr, cases[i].val, NULL);
      response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_SAFE, 5, NULL, &error);
      g_assert_null (response);
      g_test_message ("HTTP %u: %s", cases[i].status, error->message);
      g_assert_error (error, ADMINT_AI_ERROR, cases[i].code);
      g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "GET", "/v1/models"), ==,
                        cases[i].requests);
      g_assert_null (strstr (error->message, "sk-test-secret"));
      g_assert_null (strstr (error->message, "Bearer"));
    }
}

static void
test_retry_after_honoured (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = NULL;
  const AdmintFakeRequest *first, *second, *third;

  admint_fake_ai_push_status (f->fake, "GET", "/v1/models", 429, "{}", "Retry-After", "1", NULL);
  admint_fake_ai_push_status (f->fake, "GET", "/v1/models", 503, "{}", "retry-after-ms", "50",
                              NULL);
  response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_SAFE, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (response->attempts, ==, 3);
  first = admint_fake_ai_get_request (f->fake, "GET", "/v1/models", 0);
  second = admint_fake_ai_get_request (f->fake, "GET", "/v1/models", 1);
  third = admint_fake_ai_get_request (f->fake, "GET", "/v1/models", 2);
  g_assert_nonnull (third);
  /* The backoff alone would have waited at most 40 ms. */
  g_assert_cmpint (second->time_us - first->time_us, >=, 1000 * 1000);
  g_assert_cmpint (third->time_us - second->time_us, >=, 50 * 1000);
  g_assert_cmpint (third->time_us - second->time_us, <, 1000 * 1000);
  g_assert_cmpstr (first->authorization, ==, "Bearer sk-test-secret-0123456789");
}

static void
test_retry_after_too_long (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = NULL;
  gint64 start = g_get_monotonic_time ();

  admint_fake_ai_push_status (f->fake, "GET", "/v1/models", 429, "{}", "Retry-After", "300", NULL);
  response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_SAFE, 5, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "300 s"));
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, NULL, "/v1/models"), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_retry_modes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = NULL;

  /* A create that may have happened is not repeated: only 429 proves it did not. */
  admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 500, "{}", NULL);
  response = send (f, "POST", "/chat/completions", ADMINT_HTTP_RETRY_THROTTLED, 5, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", "/v1/chat"), ==, 1);
  g_clear_error (&error);

  admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 429, "{}", "retry-after-ms", "5", NULL);
  response = send (f, "POST", "/chat/completions", ADMINT_HTTP_RETRY_THROTTLED, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", "/v1/chat"), ==, 3);
  g_clear_pointer (&response, admint_http_response_free);

  admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 503, "{}", NULL);
  response = send (f, "POST", "/chat/completions", ADMINT_HTTP_RETRY_NEVER, 5, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", "/v1/chat"), ==, 4);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  AdmintFakeFault slow = ADMINT_FAKE_FAULT_INIT;
  AdmintFakeFault stall = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = NULL;

  slow.delay_ms = 1000;
  admint_fake_ai_push_fault (f->fake, "GET", "/v1/models", &slow);
  response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_NEVER, 0.1, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT);
  g_clear_error (&error);

  /* Headers arrive, then the body stops half way and nothing more comes. */
  stall.cut_at = 10;
  stall.stall = TRUE;
  admint_fake_ai_push_fault (f->fake, "GET", "/v1/models", &stall);
  response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_NEVER, 0.2, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT);
}

static void
test_cut_short (Fixture *f, gconstpointer data)
{
  AdmintFakeFault cut = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = NULL;

  cut.cut_at = 10;
  admint_fake_ai_push_fault (f->fake, "GET", "/v1/models", &cut);
  response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_NEVER, 5, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  AdmintFakeFault slow = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = NULL;

  slow.delay_ms = 2000;
  admint_fake_ai_push_fault (f->fake, "GET", "/v1/models", &slow);
  g_timeout_add (50, ai_test_cancel_cb, cancellable);
  response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_SAFE, 5, cancellable, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED);
  g_clear_error (&error);

  /* A cancel during the wait between retries. */
  g_cancellable_reset (cancellable);
  admint_fake_ai_push_status (f->fake, "GET", "/v1/models", 503, "{}", "Retry-After", "5", NULL);
  g_timeout_add (100, ai_test_cancel_cb, cancellable);
  response = send (f, "GET", "/models", ADMINT_HTTP_RETRY_SAFE, 5, cancellable, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GAsyncResult *result = NULL;

  /* A port that was free a moment ago and has nobody listening. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1/models",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  AdmintHttpRequest req = { .method = "GET", .url = url, .retry = ADMINT_HTTP_RETRY_SAFE,
                            .policy = fast, .timeout_seconds = 5, .service = "The fake server" };
  admint_http_send_async (NULL, &req, NULL, ai_test_store_result, &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  g_assert_null (admint_http_send_finish (done, &error));
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NETWORK_UNREACHABLE);
}

int
main (int   argc,
      char *argv[])
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/ai/http/backoff", test_backoff);
  g_test_add_func ("/ai/http/retry-after-parse", test_retry_after_parse);
  g_test_add_func ("/ai/http/redact", test_redact);
  g_test_add ("/ai/http/error-codes", Fixture, NULL, setup, test_error_codes, teardown);
  g_test_add ("/ai/http/retry-after", Fixture, NULL, setup, test_retry_after_honoured, teardown);
  g_test_add ("/ai/http/retry-after-too-long", Fixture, NULL, setup, test_retry_after_too_long,
              teardown);
  g_test_add ("/ai/http/retry-modes", Fixture, NULL, setup, test_retry_modes, teardown);
  g_test_add ("/ai/http/timeout", Fixture, NULL, setup, test_timeout, teardown);
  g_test_add ("/ai/http/cut-short", Fixture, NULL, setup, test_cut_short, teardown);
  g_test_add ("/ai/http/cancel", Fixture, NULL, setup, test_cancel, teardown);
  g_test_add_func ("/ai/http/unreachable", test_unreachable);
  return g_test_run ();
}
