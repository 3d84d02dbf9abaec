/* SPDX-License-Identifier: GPL-3.0-or-later */
/* API keys: libsecret's file backend (or a real gnome-keyring, see run-keyring-test.sh), the
 * environment override, and `admint keys set|clear|status`. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "admint-error.h"
#include "admint-keys.h"
#include "admint-test-util.h"
#include "ai-test-util.h"

#define SECRET "sk-keys-test-0123456789abcdef"

static const char *keyring_file;

static gboolean
store (const char  *provider,
       const char  *secret,
       GError     **error)
{
  GAsyncResult *result = NULL;

  admint_keys_store_async (provider, secret, NULL, ai_test_store_result, &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_keys_store_finish (done, error);
}

static char *
lookup (const char      *provider,
        gboolean         keyring_only,
        AdmintKeySource *source,
        GError         **error)
{
  GAsyncResult *result = NULL;

  if (keyring_only)
    admint_keys_lookup_keyring_async (provider, NULL, ai_test_store_result, &result);
  else
    admint_keys_lookup_async (provider, NULL, ai_test_store_result, &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_keys_lookup_finish (done, source, error);
}

static gboolean
clear (const char *provider,
       gboolean   *removed,
       GError    **error)
{
  GAsyncResult *result = NULL;

  admint_keys_clear_async (provider, NULL, ai_test_store_result, &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_keys_clear_finish (done, removed, error);
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  AdmintKeySource source;
  gboolean removed = FALSE;

  g_unsetenv ("OPENAI_API_KEY");
  key = lookup ("openai", FALSE, &source, &error);
  g_assert_no_error (error);
  g_assert_null (key);
  g_assert_cmpint (source, ==, ADMINT_KEY_SOURCE_NONE);

  g_assert_true (store ("openai", SECRET, &error));
  g_assert_no_error (error);
  key = lookup ("openai", FALSE, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, SECRET);
  g_assert_cmpint (source, ==, ADMINT_KEY_SOURCE_KEYRING);
  g_clear_pointer (&key, g_free);

  /* Replacing keeps one key. */
  store ("openai", SECRET "-2", &error);
  g_assert_no_error (error);
  key = lookup ("openai", FALSE, &source, &error);
  g_assert_cmpstr (key, ==, SECRET "-2");
  g_clear_pointer (&key, g_free);

  /* The file backend encrypts: the key is not in the file as plain text. */
  if (keyring_file != NULL)
    {
      g_autofree char *contents = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (keyring_file, &contents, &len, NULL));
      g_assert_null (g_strstr_len (contents, len, SECRET));
    }

  /* The environment overrides, for headless use. */
  g_setenv ("OPENAI_API_KEY", "sk-from-env", TRUE);
  key = lookup ("openai", FALSE, &source, &error);
  g_assert_cmpstr (key, ==, "sk-from-env");
  g_assert_cmpint (source, ==, ADMINT_KEY_SOURCE_ENVIRONMENT);
  g_clear_pointer (&key, g_free);
  key = lookup ("openai", TRUE, &source, &error);
  g_assert_cmpstr (key, ==, SECRET "-2");
  g_clear_pointer (&key, g_free);
  g_unsetenv ("OPENAI_API_KEY");

  /* Replicate's key is apart from OpenAI's. */
  key = lookup ("replicate", FALSE, &source, &error);
  g_assert_null (key);

  g_assert_true (clear ("openai", &removed, &error));
  g_assert_no_error (error);
  g_assert_true (removed);
  key = lookup ("openai", FALSE, &source, &error);
  g_assert_null (key);
  g_assert_true (clear ("openai", &removed, &error));
  g_assert_false (removed);
}

static void
test_bad_provider (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (store ("anthropic", SECRET, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (store ("openai", "", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

static void
test_cli (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status;

  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("REPLICATE_API_TOKEN");
  admint_test_run_cli ((const char *[]) { "keys", "set", "replicate", NULL }, SECRET "\n", &out,
                       &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, SECRET));
  g_assert_null (strstr (err, SECRET));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_setenv ("OPENAI_API_KEY", "sk-env-key", TRUE);
  admint_test_run_cli ((const char *[]) { "keys", "status", "--json", NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, SECRET));
  g_assert_null (strstr (out, "sk-env-key"));
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *openai = json_object_get_object_member (root, "openai");
  JsonObject *replicate = json_object_get_object_member (root, "replicate");
  g_assert_true (json_object_get_boolean_member (openai, "set"));
  g_assert_cmpstr (json_object_get_string_member (openai, "source"), ==, "environment");
  g_assert_true (json_object_get_boolean_member (replicate, "set"));
  g_assert_cmpstr (json_object_get_string_member (replicate, "source"), ==, "keyring");
  g_unsetenv ("OPENAI_API_KEY");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  admint_test_run_cli ((const char *[]) { "keys", "status", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "replicate"));
  g_assert_nonnull (strstr (out, "keyring"));
  g_assert_null (strstr (out, SECRET));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  admint_test_run_cli ((const char *[]) { "keys", "clear", "replicate", NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "keys", "clear", "replicate", NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "no"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad usage: exit 2. */
  const char * const *bad[] = {
    (const char *[]) { "keys", NULL },
    (const char *[]) { "keys", "set", NULL },
    (const char *[]) { "keys", "set", "anthropic", NULL },
    (const char *[]) { "keys", "frob", NULL },
    (const char *[]) { "keys", "clear", "openai", "extra", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      admint_test_run_cli (bad[i], "x\n", &out, &err, &status);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
  admint_test_run_cli ((const char *[]) { "keys", "set", "openai", NULL }, "\n", &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "empty"));
}

/* Runs admint with STDIN bytes that may hold a NUL (the shared helper takes a C string). */
static int
run_with_stdin (const char * const *args,
                const char         *input,
                gsize               length,
                char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) in = g_bytes_new (input, length);
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) admint_test_program ("ADMINT_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, in, NULL, NULL, &err_bytes, &error);
  g_assert_no_error (error);
  *err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

/* Whether `admint keys status` finds PROVIDER's key in the keyring (this process's libsecret
 * file backend does not see what another process stored). */
static gboolean
keyring_has (const char *provider)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  int status;

  admint_test_run_cli ((const char *[]) { "keys", "status", "--json", NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  return json_object_get_boolean_member (json_object_get_object_member (root, provider),
                                         "keyring");
}

/* issue 14: `keys set` stored a key cut at a NUL, and a line break in the environment was
 * dropped on the way to the server while `providers test` said ok. */
static void
test_bad_key_text (void)
{
  static const char with_nul[] = "sk-before\0after\n";
  static const char two_lines[] = "sk-first-line\nsecond-line\n";
  const char *set_openai[] = { "keys", "set", "openai", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *key = NULL;
  AdmintKeySource source;
  int status;

  g_unsetenv ("OPENAI_API_KEY");

  g_assert_cmpint (run_with_stdin (set_openai, with_nul, sizeof with_nul - 1, &err), ==, 2);
  g_assert_nonnull (strstr (err, "NUL"));
  g_assert_null (strstr (err, "sk-before"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_with_stdin (set_openai, two_lines, sizeof two_lines - 1, &err), ==, 2);
  g_assert_nonnull (strstr (err, "line break"));
  g_clear_pointer (&err, g_free);
  /* Nothing was stored, not even a part. */
  g_assert_false (keyring_has ("openai"));

  /* The line break that ends what was piped in is not part of the key. */
  g_assert_cmpint (run_with_stdin (set_openai, SECRET "\r\n", strlen (SECRET) + 2, &err), ==, 0);
  g_assert_true (keyring_has ("openai"));
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "keys", "clear", "openai", NULL }, NULL, &key, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&key, g_free);

  /* From the environment, every lookup refuses it, naming the variable and the character. */
  g_setenv ("OPENAI_API_KEY", "sk-env-key\r\n", TRUE);
  key = lookup ("openai", FALSE, &source, &error);
  g_assert_null (key);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "OPENAI_API_KEY"));
  g_assert_nonnull (strstr (error->message, "carriage return"));
  g_assert_null (strstr (error->message, "sk-env-key"));
  g_clear_error (&error);
  key = admint_keys_lookup_sync ("openai", &source, &error);
  g_assert_null (key);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (admint_keys_check ("replicate", ADMINT_KEY_SOURCE_INPUT, "r8_a b", 6, &error));
  g_assert_nonnull (strstr (error->message, "space"));
  g_clear_error (&error);
  g_assert_true (admint_keys_check ("replicate", ADMINT_KEY_SOURCE_INPUT, "r8_ab", 5, NULL));
  g_unsetenv ("OPENAI_API_KEY");
}

int
main (int   argc,
      char *argv[])
{
  const char *root = admint_test_init (&argc, &argv);

  /* Under run-keyring-test.sh a real gnome-keyring answers; otherwise libsecret's file backend
   * (present in libsecret 0.20) stores an encrypted file in the test's folder. */
  if (g_getenv ("ADMINT_TEST_KEYRING") == NULL)
    {
      static char *path;
      path = g_build_filename (root, "keyring", "test.keyring", NULL);
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
      keyring_file = path;
    }

  g_test_add_func ("/ai/keys/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/ai/keys/bad-provider", test_bad_provider);
  g_test_add_func ("/ai/keys/cli", test_cli);
  g_test_add_func ("/ai/keys/bad-key-text", test_bad_key_text);
  return g_test_run ();
}
