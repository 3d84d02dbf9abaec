/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The admint command's contract: --version, --help, and exit 2 on bad usage. */
#include "config.h"

#include <string.h>

#include "admint-test-util.h"

static void
test_version (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "--version", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "admint " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_help (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "--help", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "Usage: admint"));
  g_assert_nonnull (strstr (out, "Commands:"));
  g_assert_nonnull (strstr (out, "Exit status"));
  g_assert_cmpstr (err, ==, "");
}

static void
test_unknown_command (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "frobnicate", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "unknown command"));
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_assert_nonnull (strstr (err, "Usage: admint"));
}

static void
test_unknown_global_option (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "--frobnicate", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "--frobnicate"));
  g_assert_nonnull (strstr (err, "Usage: admint"));
}

static void
test_unknown_subcommand_option (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "help", "--frobnicate", NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "--frobnicate"));
  g_assert_nonnull (strstr (err, "Usage: admint help"));
}

static void
test_no_command (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Usage: admint"));
}

static void
test_help_command (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "help", "help", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "admint help"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "help", "nosuch", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "nosuch"));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/unknown-command", test_unknown_command);
  g_test_add_func ("/cli/unknown-global-option", test_unknown_global_option);
  g_test_add_func ("/cli/unknown-subcommand-option", test_unknown_subcommand_option);
  g_test_add_func ("/cli/no-command", test_no_command);
  g_test_add_func ("/cli/help-command", test_help_command);
  return g_test_run ();
}
