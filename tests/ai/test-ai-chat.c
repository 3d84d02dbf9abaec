/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chat client against the fake server: replies, images, structured output, streaming. */
#include "config.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-chat-client.h"
#include "admint-error.h"
#include "admint-fake-ai.h"
#include "admint-json-partial.h"
#include "admint-store.h"
#include "admint-test-util.h"
#include "ai-test-util.h"

#define KEY "sk-chat-test-key-0123456789"

typedef struct {
  AdmintFakeAi     *fake;
  AdmintChatClient *client;
  GString          *usage;
  double            cost;
} Fixture;

static void
on_usage (AdmintChatClient *client,
          const char       *provider,
          const char       *model,
          const char       *operation,
          double            units,
          double            cost,
          const char       *generation_id,
          Fixture          *f)
{
  g_string_append_printf (f->usage, "%s %s %s %g %s;", provider, model, operation, units,
                          generation_id ? generation_id : "-");
  f->cost += cost;
}

static AdmintChatClient *
make_client (Fixture *f,
             double   timeout)
{
  AdmintChatOptions options = ADMINT_CHAT_OPTIONS_INIT;
  AdmintChatClient *client;

  options.base_url = admint_fake_ai_get_base_url (f->fake);
  options.model = "gpt-4o-mini";
  options.vision_model = "gpt-4o";
  options.api_key = KEY;
  options.first_byte_timeout_seconds = timeout;
  options.retry = (AdmintRetryPolicy) { 3, 0.01, 0.02, 120 };
  options.input_per_1k_tokens = 1.0;
  options.output_per_1k_tokens = 2.0;
  client = admint_chat_client_new (NULL, &options);
  g_signal_connect (client, "usage", G_CALLBACK (on_usage), f);
  return client;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->fake = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_set_api_key (f->fake, KEY);
  f->client = make_client (f, 5);
  f->usage = g_string_new (NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->fake);
  g_string_free (f->usage, TRUE);
}

static AdmintChatResult *
complete (AdmintChatClient   *client,
          AdmintChatRequest  *request,
          GError            **error)
{
  GAsyncResult *result = NULL;

  admint_chat_client_complete_async (client, request, NULL, ai_test_store_result, &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_chat_client_complete_finish (client, done, error);
}

static void
on_delta (const char *delta,
          gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (delta));
}

static AdmintChatResult *
stream (AdmintChatClient   *client,
        AdmintChatRequest  *request,
        GPtrArray          *deltas,
        GError            **error)
{
  GAsyncResult *result = NULL;

  admint_chat_client_stream_async (client, request, on_delta, deltas, NULL, ai_test_store_result,
                                   &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_chat_client_stream_finish (client, done, error);
}

static AdmintChatRequest *
simple_request (void)
{
  AdmintChatRequest *request = admint_chat_request_new ();

  admint_chat_request_add_message (request, "system", "You write ads.");
  admint_chat_request_add_message (request, "user", "A bottle.");
  admint_chat_request_set_generation_id (request, "gen-1");
  admint_chat_request_set_operation (request, "story.director");
  return request;
}

static void
test_complete (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatRequest) request = simple_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintChatResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;
  const AdmintFakeRequest *sent;

  admint_fake_ai_push_chat_reply (f->fake, "Drink better.");
  admint_fake_ai_set_chat_usage (f->fake, 1000, 500);
  result = complete (f->client, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, "Drink better.");
  g_assert_cmpint (result->prompt_tokens, ==, 1000);
  g_assert_cmpint (result->completion_tokens, ==, 500);
  g_assert_cmpfloat_with_epsilon (result->cost_usd, 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->cost, 2.0, 1e-9);
  g_assert_cmpstr (f->usage->str, ==, "openai gpt-4o-mini story.director 1500 gen-1;");
  g_assert_cmpint (result->format, ==, ADMINT_CHAT_FORMAT_NONE);
  g_assert_null (result->json);

  sent = admint_fake_ai_get_request (f->fake, "POST", "/v1/chat/completions", 0);
  g_assert_cmpstr (sent->authorization, ==, "Bearer " KEY);
  body = admint_fake_ai_request_json (sent);
  JsonObject *obj = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (obj, "model"), ==, "gpt-4o-mini");
  g_assert_false (json_object_has_member (obj, "response_format"));
  g_assert_false (json_object_has_member (obj, "stream"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "messages")), ==, 2);
}

static void
test_image (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatRequest) request = admint_chat_request_new ();
  g_autoptr(GdkPixbuf) big = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 2000, 800);
  g_autofree char *path = g_build_filename (admint_test_get_root (), "big.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintChatResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;

  gdk_pixbuf_fill (big, 0xff8800ff);
  g_assert_true (gdk_pixbuf_save (big, path, "png", &error, NULL));
  admint_chat_request_add_message (request, "user", "Describe this product.");
  g_assert_true (admint_chat_request_add_image_file (request, path, &error));
  g_assert_no_error (error);
  g_assert_false (admint_chat_request_add_image_file (request, "/nonexistent.png", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  result = complete (f->client, request, &error);
  g_assert_no_error (error);
  body = admint_fake_ai_request_json (admint_fake_ai_get_request (f->fake, "POST", "/v1/chat", 0));
  JsonObject *obj = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (obj, "model"), ==, "gpt-4o");
  JsonArray *messages = json_object_get_array_member (obj, "messages");
  JsonArray *parts = json_object_get_array_member (json_array_get_object_element (messages, 0),
                                                   "content");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  JsonObject *text = json_array_get_object_element (parts, 0);
  g_assert_cmpstr (json_object_get_string_member (text, "text"), ==, "Describe this product.");
  JsonObject *image = json_array_get_object_element (parts, 1);
  g_assert_cmpstr (json_object_get_string_member (image, "type"), ==, "image_url");
  const char *url = json_object_get_string_member (json_object_get_object_member (image,
                                                                                   "image_url"),
                                                   "url");
  g_assert_true (g_str_has_prefix (url, "data:image/jpeg;base64,"));

  /* Downscaled to 1024 px on the long side, aspect kept. */
  gsize len;
  g_autofree guchar *jpeg = g_base64_decode (url + strlen ("data:image/jpeg;base64,"), &len);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_assert_true (gdk_pixbuf_loader_write (loader, jpeg, len, NULL));
  g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
  GdkPixbuf *decoded = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 1024);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 410);
}

static const char story_schema[] =
  "{\"type\":\"object\",\"required\":[\"title\",\"score\"],\"properties\":{"
  "\"title\":{\"type\":\"string\"},\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":10}}}";

static AdmintChatRequest *
schema_request (void)
{
  AdmintChatRequest *request = simple_request ();
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, story_schema, -1, NULL));
  admint_chat_request_set_schema (request, "story", json_parser_get_root (parser));
  return request;
}

static const char *
format_of (AdmintFakeAi *fake,
           guint         nth)
{
  static char type[32];
  g_autoptr(JsonNode) body = admint_fake_ai_request_json (
    admint_fake_ai_get_request (fake, "POST", "/v1/chat/completions", nth));
  JsonObject *obj = json_node_get_object (body);

  if (!json_object_has_member (obj, "response_format"))
    return "none";
  g_strlcpy (type, json_object_get_string_member (
    json_object_get_object_member (obj, "response_format"), "type"), sizeof type);
  return type;
}

static void
test_structured_fallbacks (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatRequest) request = schema_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintChatResult) result = NULL;

  /* First the schema is accepted as is. */
  admint_fake_ai_push_chat_reply (f->fake, "{\"title\":\"Go\",\"score\":8}");
  result = complete (f->client, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->format, ==, ADMINT_CHAT_FORMAT_JSON_SCHEMA);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (result->json), "score"),
                     ==, 8);
  g_assert_cmpstr (format_of (f->fake, 0), ==, "json_schema");
  g_clear_pointer (&result, admint_chat_result_free);

  /* A server that knows neither json_schema nor json_object: JSON from a fenced block. */
  admint_fake_ai_clear_requests (f->fake);
  admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 400,
                              "{\"error\":{\"message\":\"response_format json_schema is not "
                              "supported\"}}", NULL);
  admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 400,
                              "{\"error\":{\"message\":\"response_format is not supported\"}}",
                              NULL);
  admint_fake_ai_push_chat_reply (f->fake, "Here:\n```json\n{\"title\":\"Sip\",\"score\":6.5}\n```");
  result = complete (f->client, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->format, ==, ADMINT_CHAT_FORMAT_TEXT);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result->json), "title"),
                   ==, "Sip");
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", "/v1/chat"), ==, 3);
  g_assert_cmpstr (format_of (f->fake, 0), ==, "json_schema");
  g_assert_cmpstr (format_of (f->fake, 1), ==, "json_object");
  g_assert_cmpstr (format_of (f->fake, 2), ==, "none");
  g_clear_pointer (&result, admint_chat_result_free);

  /* The client remembers: the next call goes straight to the form that worked. */
  admint_fake_ai_clear_requests (f->fake);
  result = complete (f->client, request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", "/v1/chat"), ==, 1);
  g_assert_cmpint (admint_chat_client_get_format (f->client), ==, ADMINT_CHAT_FORMAT_TEXT);
  g_clear_pointer (&result, admint_chat_result_free);

  /* A reply that does not match the schema is an error, whatever the form. */
  admint_fake_ai_push_chat_reply (f->fake, "```json\n{\"title\":\"Sip\",\"score\":12}\n```");
  result = complete (f->client, request, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "$.score"));
  g_clear_error (&error);

  admint_fake_ai_push_chat_reply (f->fake, "I cannot do JSON today.");
  result = complete (f->client, request, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
}

static void
test_stream (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatRequest) request = simple_request ();
  g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintChatResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  const char *reply = "A long, streamed reply about a water bottle — with ünïcödé.";

  admint_fake_ai_push_chat_reply (f->fake, reply);
  result = stream (f->client, request, deltas, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, reply);
  g_assert_cmpuint (deltas->len, >, 5);
  for (guint i = 0; i < deltas->len; i++)
    g_string_append (joined, g_ptr_array_index (deltas, i));
  g_assert_cmpstr (joined->str, ==, reply);
  g_assert_cmpint (result->prompt_tokens, ==, 12);
  g_assert_cmpint (result->completion_tokens, ==, 34);
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpstr (f->usage->str, ==, "openai gpt-4o-mini story.director 46 gen-1;");

  body = admint_fake_ai_request_json (admint_fake_ai_get_request (f->fake, "POST", "/v1/chat", 0));
  JsonObject *obj = json_node_get_object (body);
  g_assert_true (json_object_get_boolean_member (obj, "stream"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (obj,
                                                   "stream_options"), "include_usage"));
}

/* Each delta with the time it came, for the paced stream. */
static void
on_timed_delta (const char *delta,
                gpointer    user_data)
{
  g_array_append_val ((GArray *) user_data, (gint64) { g_get_monotonic_time () });
}

static void
test_stream_paced (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatRequest) request = simple_request ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintChatResult) result = NULL;
  GAsyncResult *res = NULL;
  const char *reply = "Twenty-eight characters, or so, in four pieces at least.";

  /* A model that writes a piece every 40 ms: the pieces come apart, not all at the end. */
  admint_fake_ai_set_stream_interval (f->fake, 40);
  admint_fake_ai_push_chat_reply (f->fake, reply);
  admint_chat_client_stream_async (f->client, request, on_timed_delta, times, NULL,
                                   ai_test_store_result, &res);
  g_autoptr(GAsyncResult) done = ai_test_wait (&res);
  result = admint_chat_client_stream_finish (f->client, done, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, reply);
  g_assert_cmpuint (times->len, >=, 8);
  gint64 first = g_array_index (times, gint64, 0);
  gint64 last = g_array_index (times, gint64, times->len - 1);
  g_assert_cmpint (last - first, >=, (gint64) (times->len - 1) * 30 * 1000);
}

/* A server that is not there: the message reads as a sentence ("the chat server", not "The"). */
static void
test_unreachable_message (void)
{
  AdmintChatOptions options = ADMINT_CHAT_OPTIONS_INIT;
  g_autoptr(AdmintChatRequest) request = simple_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintChatResult) result = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and has nobody listening. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  options.base_url = url;
  options.retry.max_retries = 0;
  g_autoptr(AdmintChatClient) client = admint_chat_client_new (NULL, &options);
  result = complete (client, request, &error);
  g_assert_null (result);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach the chat server at "));
}

/* The opening of a JSON answer, read as far as it goes. */
static void
test_partial_json (void)
{
  static const struct { const char *text; const char *json; } cases[] = {
    { "", NULL },
    { "Here is the story:", NULL },
    { "```json\n{", "{}" },
    { "{\"title\": \"Sip", "{\"title\":\"Sip\"}" },
    { "{\"title\": \"Sip\", \"bea", "{\"title\":\"Sip\"}" },
    { "{\"title\": \"Sip\", \"beats\":", "{\"title\":\"Sip\"}" },
    { "{\"title\": \"Sip\", \"beats\": [{\"beat\": \"Att", 
      "{\"title\":\"Sip\",\"beats\":[{\"beat\":\"Att\"}]}" },
    { "{\"a\": \"x\\", "{\"a\":\"x\"}" },
    { "{\"a\": \"x\\u00", "{\"a\":\"x\"}" },
    { "{\"a\": \"\\u00e9t\\u00e9\"", "{\"a\":\"\u00e9t\u00e9\"}" },
    { "{\"a\": tru", "{}" },
    { "{\"n\": 1, \"m\": [1, 2", "{\"n\":1,\"m\":[1,2]}" },
    { "{\"scenes\": [{\"description\": \"A\"}, {\"desc", "{\"scenes\":[{\"description\":\"A\"},{}]}" },
    { "{\"a\": 1}\n``` and then some prose {", "{\"a\":1}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = admint_json_parse_partial (cases[i].text);
      g_autofree char *got = node != NULL ? json_to_string (node, FALSE) : NULL;
      g_test_message ("%s -> %s", cases[i].text, got);
      g_assert_cmpstr (got, ==, cases[i].json);
    }
}

static void
test_stream_faults (Fixture *f, gconstpointer data)
{
  static const struct { const char *body; int code; guint times; } cases[] = {
    /* an error payload mid-stream */
    { "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n"
      "data: {\"error\":{\"message\":\"You exceeded your current quota\",\"code\":"
      "\"insufficient_quota\"}}\r\n\r\n", ADMINT_AI_ERROR_QUOTA_EXHAUSTED, 1 },
    { "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n",
      ADMINT_AI_ERROR_SERVER_ERROR, 1 },
    /* a stream that ends without [DONE], after showing text: not asked again */
    { ": hello\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n",
      ADMINT_AI_ERROR_BAD_RESPONSE, 1 },
    /* not JSON, every time (asked again up to max_retries) */
    { "data: {oops\n\n", ADMINT_AI_ERROR_BAD_RESPONSE, 4 },
    /* the content filter stopped it */
    { "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"content_filter\"}]}\n\n"
      "data: [DONE]\n\n", ADMINT_AI_ERROR_CONTENT_FILTERED, 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;
      g_autoptr(AdmintChatRequest) request = simple_request ();
      g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintChatResult) result = NULL;

      fault.status = 200;
      fault.body = cases[i].body;
      fault.content_type = "text/event-stream";
      for (guint n = 0; n < cases[i].times; n++)
        admint_fake_ai_push_fault (f->fake, "POST", "/v1/chat", &fault);
      result = stream (f->client, request, deltas, &error);
      g_assert_null (result);
      g_test_message ("%s", error->message);
      g_assert_error (error, ADMINT_AI_ERROR, cases[i].code);
    }
}

static void
test_stream_stall (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatClient) client = make_client (f, 0.2);
  AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(AdmintChatRequest) request = simple_request ();
  g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintChatResult) result = NULL;

  /* Headers and the first event, then silence. */
  fault.cut_at = 200;
  fault.stall = TRUE;
  admint_fake_ai_push_chat_reply (f->fake, "This reply will never finish arriving.");
  admint_fake_ai_push_fault (f->fake, "POST", "/v1/chat", &fault);
  result = stream (client, request, deltas, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT);
  g_assert_cmpuint (deltas->len, >=, 1);
}

static void
test_bad_answers (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatRequest) request = simple_request ();
  g_autoptr(AdmintChatClient) wrong_key = NULL;
  AdmintChatOptions options = ADMINT_CHAT_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  AdmintChatResult *result;

  for (guint i = 0; i < 4; i++)
    admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 200, "this is not json", NULL);
  result = complete (f->client, request, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", "/v1/chat"), ==, 4);
  g_clear_error (&error);

  admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 200,
                              "{\"choices\":[{\"message\":{\"content\":\"\"},\"finish_reason\":"
                              "\"content_filter\"}]}", NULL);
  result = complete (f->client, request, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED);
  g_clear_error (&error);

  options.base_url = admint_fake_ai_get_base_url (f->fake);
  options.api_key = "sk-wrong-key-abcdef";
  wrong_key = admint_chat_client_new (NULL, &options);
  result = complete (wrong_key, request, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_AUTHENTICATION);
  g_assert_null (strstr (error->message, "sk-wrong"));
  g_assert_null (strstr (error->message, "sk-wro*"));
  g_clear_error (&error);
  g_assert_cmpstr (f->usage->str, ==, "");
}

/* One timeout, a reply cut short, a non-JSON reply or an empty `choices` is asked again
 * (with backoff) and the answer that follows is used. */
static void
test_transient_retried (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintChatClient) client = make_client (f, 0.3);
  AdmintFakeFault slow = ADMINT_FAKE_FAULT_INIT;
  AdmintFakeFault cut = ADMINT_FAKE_FAULT_INIT;
  const char *bodies[] = { "not json at all", "{\"id\":\"x\",\"choices\":[]}" };

  slow.delay_ms = 700;
  cut.cut_at = 12;
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(AdmintChatRequest) request = simple_request ();
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintChatResult) result = NULL;

      admint_fake_ai_clear_requests (f->fake);
      admint_fake_ai_push_chat_reply (f->fake, "All good.");
      if (i == 0)
        admint_fake_ai_push_fault (f->fake, "POST", "/v1/chat", &slow);
      else if (i == 1)
        admint_fake_ai_push_fault (f->fake, "POST", "/v1/chat", &cut);
      else
        admint_fake_ai_push_status (f->fake, "POST", "/v1/chat", 200, bodies[i - 2], NULL);
      result = complete (client, request, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (result->content, ==, "All good.");
      g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", "/v1/chat"), ==, 2);
    }
  ai_test_spin (500);  /* the slow answer goes out */
}

static void
test_list_models (Fixture *f, gconstpointer data)
{
  static const char * const ids[] = { "llama3", "gpt-4o-mini", NULL };
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = NULL;

  admint_fake_ai_set_models (f->fake, ids);
  admint_chat_client_list_models_async (f->client, NULL, ai_test_store_result, &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  models = admint_chat_client_list_models_finish (f->client, done, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (models, ids);
}

static void
test_store_usage (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (admint_test_get_root (), "usage.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (db, &error);
  g_autofree char *gen = NULL;
  g_autoptr(AdmintChatRequest) request = simple_request ();
  g_autoptr(AdmintChatResult) result = NULL;

  g_assert_no_error (error);
  gen = admint_store_create_generation (store, "A bottle", "aida", NULL, NULL, &error);
  g_assert_no_error (error);
  admint_chat_request_set_generation_id (request, gen);
  admint_chat_client_set_store (f->client, store);
  admint_fake_ai_set_chat_usage (f->fake, 2000, 1000);
  result = complete (f->client, request, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (admint_store_get_generation_cost (store, gen, NULL), 4.0, 1e-9);
  admint_chat_client_set_store (f->client, NULL);
}

int
main (int   argc,
      char *argv[])
{
  admint_test_init (&argc, &argv);

  g_test_add ("/ai/chat/complete", Fixture, NULL, setup, test_complete, teardown);
  g_test_add ("/ai/chat/image", Fixture, NULL, setup, test_image, teardown);
  g_test_add ("/ai/chat/structured-fallbacks", Fixture, NULL, setup, test_structured_fallbacks,
              teardown);
  g_test_add ("/ai/chat/stream", Fixture, NULL, setup, test_stream, teardown);
  g_test_add ("/ai/chat/stream-paced", Fixture, NULL, setup, test_stream_paced, teardown);
  g_test_add_func ("/ai/chat/partial-json", test_partial_json);
  g_test_add_func ("/ai/chat/unreachable-message", test_unreachable_message);
  g_test_add ("/ai/chat/stream-faults", Fixture, NULL, setup, test_stream_faults, teardown);
  g_test_add ("/ai/chat/stream-stall", Fixture, NULL, setup, test_stream_stall, teardown);
  g_test_add ("/ai/chat/bad-answers", Fixture, NULL, setup, test_bad_answers, teardown);
  g_test_add ("/ai/chat/transient-retried", Fixture, NULL, setup, test_transient_retried,
              teardown);
  g_test_add ("/ai/chat/list-models", Fixture, NULL, setup, test_list_models, teardown);
  g_test_add ("/ai/chat/store-usage", Fixture, NULL, setup, test_store_usage, teardown);
  return g_test_run ();
}
