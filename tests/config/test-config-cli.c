/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `admint config show` and `admint config check`: output, origins and exit statuses. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-test-util.h"

static char *
write_temp (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (admint_test_get_root (), name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_check_ok (void)
{
  g_autofree char *file = write_temp ("ok.yaml", "stages:\n  clips:\n    max_concurrent: 8\n");
  g_autofree char *expected = g_strdup_printf ("%s: ok\n", file);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "config", "check", file, NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "");
}

static void
test_check_errors (void)
{
  g_autofree char *file = write_temp ("bad.yaml",
                                      "stages:\n"
                                      "  clips:\n"
                                      "    max_concurrent: 64\n"
                                      "video:\n"
                                      "  aspect: 4:3\n");
  g_autofree char *expected = g_strdup_printf (
    "%s:3:21: stages.clips.max_concurrent is 64; it must be from 1 to 32\n"
    "%s:5:11: video.aspect is “4:3”; allowed: 16:9, 9:16, 1:1\n", file, file);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "config", "check", file, NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, expected);
}

static void
test_check_missing (void)
{
  g_autofree char *file = g_build_filename (admint_test_get_root (), "absent.yaml", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "config", "check", file, NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, file));
  g_assert_nonnull (strstr (err, "no such file"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "config", "check", admint_test_get_root (), NULL }, NULL,
                       &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "is a folder"));
}

/* With no FILE: the user's config and frameworks, on top of the defaults. */
static void
test_check_user_config (void)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), "config", "admint", NULL);
  g_autofree char *user = g_build_filename (dir, "config.yaml", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "config", "check", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "built-in defaults: ok\n"));
  g_assert_nonnull (strstr (out, "not present"));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (user, "video:\n  fps: 0\n", -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "config", "check", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  {
    g_autofree char *expected = g_strdup_printf ("%s:2:8: video.fps is 0; it must be from 1 to "
                                                 "120\n", user);
    g_assert_cmpstr (err, ==, expected);
  }

  /* and every command that loads the config refuses it: show here */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "config", "show", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "video.fps is 0"));
  g_assert_cmpint (g_unlink (user), ==, 0);
}

static void
test_show (void)
{
  g_autofree char *file = write_temp ("show.yaml", "video:\n  aspect: \"9:16\"\n");
  g_autofree char *origin = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "config", "show", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "\nstages:\n  story:\n    enabled: true  # default\n"));
  g_assert_nonnull (strstr (out, "  aspect: \"16:9\"  # default\n"));
  g_assert_nonnull (strstr (out, "\nframeworks:\n  - name: \"AIDA\""));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "config", "show", "--config", file, NULL }, NULL, &out,
                       &err, &status);
  g_assert_cmpint (status, ==, 0);
  origin = g_strdup_printf ("  aspect: \"9:16\"  # --config %s:2\n", file);
  g_assert_nonnull (strstr (out, origin));
}

static void
test_show_bad_config (void)
{
  g_autofree char *bad = write_temp ("show-bad.yaml", "video: [\n");
  g_autofree char *missing = g_build_filename (admint_test_get_root (), "missing.yaml", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *prefix = g_strdup_printf ("admint: error: %s:2:1: malformed YAML", bad);
  int status;

  admint_test_run_cli ((const char *[]) { "config", "show", "--config", bad, NULL }, NULL, &out,
                       &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, prefix));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "config", "show", "--config", missing, NULL }, NULL, &out,
                       &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no such file"));
}

static void
test_usage (void)
{
  static const char *cases[][4] = {
    { "config", NULL },
    { "config", "frob", NULL },
    { "config", "show", "extra", NULL },
    { "config", "check", "a", "b" },
    { "config", "--nope", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *args[5] = { NULL };
      int status;

      for (gsize j = 0; j < 4 && cases[i][j] != NULL; j++)
        args[j] = cases[i][j];
      admint_test_run_cli (args, NULL, &out, &err, &status);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, "Usage: admint config"));
    }
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_unsetenv ("ADMINT_OPENAI_BASE_URL");
  g_unsetenv ("ADMINT_REPLICATE_BASE_URL");

  g_test_add_func ("/config-cli/check-ok", test_check_ok);
  g_test_add_func ("/config-cli/check-errors", test_check_errors);
  g_test_add_func ("/config-cli/check-missing", test_check_missing);
  g_test_add_func ("/config-cli/check-user-config", test_check_user_config);
  g_test_add_func ("/config-cli/show", test_show);
  g_test_add_func ("/config-cli/show-bad-config", test_show_bad_config);
  g_test_add_func ("/config-cli/usage", test_usage);
  return g_test_run ();
}
