/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admint providers test against the standalone admint-fake-ai program. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "admint-test-util.h"

static GSubprocess *fake;
static char *base_url;   /* http://127.0.0.1:PORT/v1 */
static char *origin;

static void
start_fake (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           admint_test_program ("ADMINT_FAKE_AI"), "--port", "0", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "admint-fake-ai listening on http://127.0.0.1:"));
  origin = g_strdup (strstr (line, "http://"));
  base_url = g_strconcat (origin, "/v1", NULL);
}

static JsonObject *
run (const char * const *args,
     int                *status)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  admint_test_run_cli (args, NULL, &out, &err, status);
  g_test_message ("stdout: %s\nstderr: %s", out, err);
  if (*status == 2)
    return NULL;
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
check_of (JsonObject *doc,
          const char *role)
{
  JsonArray *checks = json_object_get_array_member (doc, "providers");
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *c = json_array_get_object_element (checks, i);
      if (g_str_equal (json_object_get_string_member (c, "role"), role))
        return c;
    }
  g_assert_not_reached ();
}

static void
clean_env (void)
{
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("REPLICATE_API_TOKEN");
  g_unsetenv ("ADMINT_OPENAI_BASE_URL");
  g_unsetenv ("ADMINT_REPLICATE_BASE_URL");
}

static void
test_openai (void)
{
  g_autoptr(JsonObject) doc = NULL;
  int status;

  clean_env ();
  g_setenv ("ADMINT_OPENAI_BASE_URL", base_url, TRUE);
  doc = run ((const char *[]) { "providers", "test", "--llm", "openai", "--json", NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_object_get_boolean_member (doc, "ok"));
  g_assert_true (json_object_get_boolean_member (check_of (doc, "llm"), "ok"));
  g_clear_pointer (&doc, json_object_unref);

  /* A base URL without /v1 is diagnosed as such. */
  g_setenv ("ADMINT_OPENAI_BASE_URL", origin, TRUE);
  doc = run ((const char *[]) { "providers", "test", "--llm", "openai", "--json", NULL }, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (check_of (doc, "llm"), "problem"), ==,
                   "wrong_base_url");
  g_assert_nonnull (strstr (json_object_get_string_member (check_of (doc, "llm"), "message"),
                            "/v1"));
  g_clear_pointer (&doc, json_object_unref);

  /* Nobody listening. */
  g_setenv ("ADMINT_OPENAI_BASE_URL", "http://127.0.0.1:9/v1", TRUE);
  doc = run ((const char *[]) { "providers", "test", "--llm", "openai", "--json", NULL }, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (check_of (doc, "llm"), "problem"), ==,
                   "unreachable");
}

static void
test_replicate (void)
{
  g_autoptr(JsonObject) doc = NULL;
  int status;

  clean_env ();
  g_setenv ("ADMINT_REPLICATE_BASE_URL", base_url, TRUE);
  doc = run ((const char *[]) { "providers", "test", "--images", "replicate", "--video",
                                "replicate", "--json", NULL }, &status);
  /* No key anywhere: said so, without a network call. */
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (check_of (doc, "images"), "problem"), ==,
                   "no_key");
  g_clear_pointer (&doc, json_object_unref);

  g_setenv ("REPLICATE_API_TOKEN", "r8_cli_test_token", TRUE);
  doc = run ((const char *[]) { "providers", "test", "--images", "replicate", "--video",
                                "replicate", "--llm", "local", "--json", NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_object_get_boolean_member (check_of (doc, "images"), "ok"));
  g_assert_true (json_object_get_boolean_member (check_of (doc, "video"), "ok"));
  g_assert_true (json_object_get_boolean_member (check_of (doc, "llm"), "ok"));
  g_assert_cmpstr (json_object_get_string_member (check_of (doc, "video"), "key_source"), ==,
                   "environment");
  g_clear_pointer (&doc, json_object_unref);

  /* With no selection: the config's (local) plus what the environment points at. */
  doc = run ((const char *[]) { "providers", "test", "--json", NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "providers")), ==,
                    5);
}

/* issue 14: a CR/LF in a key from the environment was dropped on the way to the server while
 * this said ok; now the check fails and says what is wrong with the key. */
static void
test_bad_key (void)
{
  g_autoptr(JsonObject) doc = NULL;
  const char *message;
  int status;

  clean_env ();
  g_setenv ("ADMINT_OPENAI_BASE_URL", base_url, TRUE);
  g_setenv ("OPENAI_API_KEY", "sk-cli-test\r\n", TRUE);
  doc = run ((const char *[]) { "providers", "test", "--llm", "openai", "--json", NULL }, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_false (json_object_get_boolean_member (doc, "ok"));
  g_assert_cmpstr (json_object_get_string_member (check_of (doc, "llm"), "problem"), ==,
                   "bad_key");
  message = json_object_get_string_member (check_of (doc, "llm"), "message");
  g_assert_nonnull (strstr (message, "OPENAI_API_KEY"));
  g_assert_nonnull (strstr (message, "carriage return"));
  g_assert_null (strstr (message, "sk-cli-test"));
  g_clear_pointer (&doc, json_object_unref);

  g_setenv ("ADMINT_REPLICATE_BASE_URL", base_url, TRUE);
  g_setenv ("REPLICATE_API_TOKEN", "r8_cli\ntest", TRUE);
  doc = run ((const char *[]) { "providers", "test", "--video", "replicate", "--json", NULL },
             &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (check_of (doc, "video"), "problem"), ==,
                   "bad_key");
  g_assert_nonnull (strstr (json_object_get_string_member (check_of (doc, "video"), "message"),
                            "REPLICATE_API_TOKEN"));
  clean_env ();
}

static void
test_usage (void)
{
  int status;

  g_assert_null (run ((const char *[]) { "providers", "test", "--llm", "claude", NULL }, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_null (run ((const char *[]) { "providers", "frob", NULL }, &status));
  g_assert_cmpint (status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  admint_test_init (&argc, &argv);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", "/nonexistent-admint/keyring", TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "x", TRUE);
  start_fake ();
  g_test_add_func ("/ai/cli/providers-openai", test_openai);
  g_test_add_func ("/ai/cli/providers-replicate", test_replicate);
  g_test_add_func ("/ai/cli/providers-bad-key", test_bad_key);
  g_test_add_func ("/ai/cli/usage", test_usage);
  ret = g_test_run ();
  g_subprocess_send_signal (fake, 15);
  g_subprocess_wait (fake, NULL, NULL);
  g_clear_object (&fake);
  return ret;
}
