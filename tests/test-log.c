/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The structured log writer: JSON lines, secrets redacted, debug only when asked. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "admint-log.h"
#include "admint-paths.h"
#include "admint-test-util.h"

static GPtrArray *
read_log_lines (void)
{
  g_autofree char *path = admint_paths_log_file ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  admint_log_shutdown ();  /* flushes nothing, but makes the next write reopen the file */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      g_autoptr(JsonParser) parser = json_parser_new ();
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      g_ptr_array_add (objects, json_node_copy (json_parser_get_root (parser)));
    }
  return objects;
}

static JsonObject *
find_line (GPtrArray  *lines,
           const char *message)
{
  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *obj = json_node_get_object (g_ptr_array_index (lines, i));
      if (g_strcmp0 (json_object_get_string_member (obj, "message"), message) == 0)
        return obj;
    }
  return NULL;
}

static void
test_secret_names (void)
{
  g_assert_true (admint_log_field_is_secret ("token"));
  g_assert_true (admint_log_field_is_secret ("API_KEY"));
  g_assert_true (admint_log_field_is_secret ("REPLICATE_API_TOKEN"));
  g_assert_true (admint_log_field_is_secret ("Authorization"));
  g_assert_true (admint_log_field_is_secret ("x-api-key"));
  g_assert_true (admint_log_field_is_secret ("password"));
  g_assert_false (admint_log_field_is_secret ("keyframe"));
  g_assert_false (admint_log_field_is_secret ("generation_id"));
  g_assert_false (admint_log_field_is_secret ("MESSAGE"));
}

static void
test_json_lines_redacted (void)
{
  g_log_structured ("admint-test", G_LOG_LEVEL_MESSAGE,
                    "PROVIDER", "replicate",
                    "TOKEN", "r8_supersecretvalue",
                    "AUTHORIZATION", "Bearer sk-verysecret",
                    "MESSAGE", "calling the provider");
  g_message ("a plain message with \"quotes\" and a newline\nin it");

  g_autoptr(GPtrArray) lines = read_log_lines ();
  g_assert_cmpuint (lines->len, >=, 2);

  JsonObject *obj = find_line (lines, "calling the provider");
  g_assert_nonnull (obj);
  g_assert_cmpstr (json_object_get_string_member (obj, "level"), ==, "message");
  g_assert_cmpstr (json_object_get_string_member (obj, "domain"), ==, "admint-test");
  g_assert_true (json_object_has_member (obj, "timestamp"));
  JsonObject *fields = json_object_get_object_member (obj, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "provider"), ==, "replicate");
  g_assert_cmpstr (json_object_get_string_member (fields, "token"), ==, "[REDACTED]");
  g_assert_cmpstr (json_object_get_string_member (fields, "authorization"), ==, "[REDACTED]");

  /* The secret must not appear anywhere in the file, not even escaped. */
  g_autofree char *path = admint_paths_log_file ();
  g_autofree char *contents = NULL;
  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_null (strstr (contents, "supersecret"));
  g_assert_null (strstr (contents, "verysecret"));

  g_assert_nonnull (find_line (lines, "a plain message with \"quotes\" and a newline\nin it"));
}

static void
test_debug_only_when_asked (void)
{
  g_unsetenv ("G_MESSAGES_DEBUG");
  admint_log_set_verbose (FALSE);
  g_debug ("quiet-debug-line");
  g_autoptr(GPtrArray) lines = read_log_lines ();
  g_assert_null (find_line (lines, "quiet-debug-line"));
}

static void
test_verbose_debug_logged (void)
{
  if (g_test_subprocess ())
    {
      admint_log_set_verbose (TRUE);
      g_debug ("loud-debug-line");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDIN);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*loud-debug-line*");
  g_autoptr(GPtrArray) lines = read_log_lines ();
  JsonObject *obj = find_line (lines, "loud-debug-line");
  g_assert_nonnull (obj);
  g_assert_cmpstr (json_object_get_string_member (obj, "level"), ==, "debug");
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  admint_log_init ("test-log", FALSE);

  g_test_add_func ("/log/secret-names", test_secret_names);
  g_test_add_func ("/log/json-lines-redacted", test_json_lines_redacted);
  g_test_add_func ("/log/debug-only-when-asked", test_debug_only_when_asked);
  g_test_add_func ("/log/verbose-debug-logged", test_verbose_debug_logged);
  return g_test_run ();
}
