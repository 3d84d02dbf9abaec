/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SSE parser, the JSON schema check and the JSON extraction, without any network. */
#include "config.h"

#include <string.h>

#include "admint-ai-error.h"
#include "admint-json-schema.h"
#include "admint-sse.h"
#include "admint-test-util.h"

/* A recorded chat stream, with a comment line, a named event, a multi-line data field and
 * UTF-8 split across events. */
static const char recorded[] =
  ": keep-alive comment\n"
  "\n"
  "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n"
  "\n"
  "event: message\n"
  "data: {\"choices\":[{\"delta\":\n"
  "data: {\"content\":\"lo, wörld\"}}]}\n"
  "\n"
  "id: 3\n"
  "data:{\"usage\":{\"prompt_tokens\":5}}\n"
  "\n"
  "data: [DONE]\n"
  "\n";

static const char * const expected[] = {
  "{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
  "{\"choices\":[{\"delta\":\n{\"content\":\"lo, wörld\"}}]}",
  "{\"usage\":{\"prompt_tokens\":5}}",
  "[DONE]",
};

static gboolean
collect (const char  *event,
         const char  *data,
         gpointer     user_data,
         GError     **error)
{
  g_ptr_array_add (user_data, g_strdup (data));
  g_assert_cmpstr (event, ==, "message");
  return TRUE;
}

static void
check_events (GPtrArray *events)
{
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (events, i), ==, expected[i]);
}

static char *
with_line_ends (const char *text,
                const char *eol)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  return g_strjoinv (eol, lines);
}

static void
test_split_everywhere (gconstpointer eol)
{
  g_autofree char *stream = with_line_ends (recorded, eol);
  gsize len = strlen (stream);

  /* Two pieces, split at every byte position, including inside "\r\n" and inside UTF-8. */
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(AdmintSseParser) parser = admint_sse_parser_new (collect, events);
      g_autoptr(GError) error = NULL;

      g_assert_true (admint_sse_parser_feed (parser, stream, cut, &error));
      g_assert_true (admint_sse_parser_feed (parser, stream + cut, len - cut, &error));
      g_assert_no_error (error);
      check_events (events);
    }

  /* And one byte at a time. */
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AdmintSseParser) parser = admint_sse_parser_new (collect, events);
  for (gsize i = 0; i < len; i++)
    g_assert_true (admint_sse_parser_feed (parser, stream + i, 1, NULL));
  check_events (events);
  g_assert_cmpuint (admint_sse_parser_get_n_events (parser), ==, G_N_ELEMENTS (expected));
}

static gboolean
refuse_second (const char  *event,
               const char  *data,
               gpointer     user_data,
               GError     **error)
{
  guint *n = user_data;

  if (++*n == 2)
    {
      g_set_error_literal (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE, "stop");
      return FALSE;
    }
  return TRUE;
}

static void
test_callback_error_stops (void)
{
  guint n = 0;
  g_autoptr(AdmintSseParser) parser = admint_sse_parser_new (refuse_second, &n);
  g_autoptr(GError) error = NULL;

  g_assert_false (admint_sse_parser_feed (parser, recorded, strlen (recorded), &error));
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (n, ==, 2);
}

static void
test_incomplete_event_not_dispatched (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AdmintSseParser) parser = admint_sse_parser_new (collect, events);

  g_assert_true (admint_sse_parser_feed (parser, "data: a\n\ndata: b\n", 17, NULL));
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (events, 0), ==, "a");
}

static JsonNode *
json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

static const char schema_text[] =
  "{\"type\":\"object\",\"required\":[\"title\",\"scenes\"],\"additionalProperties\":false,"
  "\"properties\":{\"title\":{\"type\":\"string\",\"minLength\":1},"
  "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":10},"
  "\"tone\":{\"enum\":[\"calm\",\"bold\"]},"
  "\"scenes\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\","
  "\"required\":[\"duration\"],\"properties\":{\"duration\":{\"type\":\"integer\"}}}}}}";

static void
test_schema (void)
{
  g_autoptr(JsonNode) schema = json (schema_text);
  struct { const char *instance; const char *where; } cases[] = {
    { "{\"title\":\"A\",\"scenes\":[{\"duration\":4}],\"score\":7.5,\"tone\":\"calm\"}", NULL },
    { "{\"title\":\"A\",\"scenes\":[{\"duration\":4.0}]}", NULL },
    { "{\"scenes\":[{\"duration\":4}]}", "“title” is missing" },
    { "{\"title\":\"A\",\"scenes\":[]}", "at least 1" },
    { "{\"title\":\"A\",\"scenes\":[{\"duration\":\"4\"}]}", "$.scenes[0].duration" },
    { "{\"title\":\"A\",\"scenes\":[{\"duration\":4}],\"score\":11}", "maximum" },
    { "{\"title\":\"A\",\"scenes\":[{\"duration\":4}],\"tone\":\"loud\"}", "allowed values" },
    { "{\"title\":\"A\",\"scenes\":[{\"duration\":4}],\"extra\":1}", "$.extra" },
    { "{\"title\":\"\",\"scenes\":[{\"duration\":4}]}", "shorter" },
    { "[1]", "expected object" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) instance = json (cases[i].instance);
      g_autoptr(GError) error = NULL;
      gboolean ok = admint_json_schema_validate (schema, instance, &error);

      if (cases[i].where == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
          g_assert_nonnull (strstr (error->message, cases[i].where));
        }
    }
}

static void
test_extract (void)
{
  struct { const char *text; const char *want; } cases[] = {
    { "{\"a\":1}", "{\"a\":1}" },
    { "Sure! Here it is:\n```json\n{\"a\":2}\n```\nAnything else?", "{\"a\":2}" },
    { "```\n{\"a\":3}\n```", "{\"a\":3}" },
    { "```python\nprint(1)\n```\n```JSON\n{\"a\":4}\n```", "{\"a\":4}" },
    { "The answer is {\"a\": 5} as requested.", "{\"a\":5}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = admint_json_extract_from_text (cases[i].text, &error);
      g_assert_no_error (error);
      g_autofree char *text = json_to_string (node, FALSE);
      g_assert_cmpstr (text, ==, cases[i].want);
    }

  g_autoptr(GError) error = NULL;
  g_assert_null (admint_json_extract_from_text ("no json here, sorry", &error));
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  admint_test_init (&argc, &argv);

  g_test_add_data_func ("/ai/sse/split-lf", "\n", test_split_everywhere);
  g_test_add_data_func ("/ai/sse/split-crlf", "\r\n", test_split_everywhere);
  g_test_add_data_func ("/ai/sse/split-cr", "\r", test_split_everywhere);
  g_test_add_func ("/ai/sse/callback-error", test_callback_error_stops);
  g_test_add_func ("/ai/sse/incomplete-event", test_incomplete_event_not_dispatched);
  g_test_add_func ("/ai/json/schema", test_schema);
  g_test_add_func ("/ai/json/extract", test_extract);
  return g_test_run ();
}
