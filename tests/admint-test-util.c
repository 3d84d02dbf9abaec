/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared test set-up: every test runs in its own throw-away HOME and XDG directories. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "admint-test-util.h"

static char *test_root;

gboolean
admint_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return g_unlink (path) == 0;

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        admint_test_rm_rf (child);
      }
  return g_rmdir (path) == 0;
}

static void
remove_test_root (void)
{
  if (test_root != NULL && g_getenv ("ADMINT_TEST_KEEP") == NULL)
    admint_test_rm_rf (test_root);
  g_clear_pointer (&test_root, g_free);
}

const char *
admint_test_init (int    *argc,
                  char ***argv)
{
  static const struct { const char *env; const char *sub; } dirs[] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  g_autoptr(GError) error = NULL;

  /* A g_test_trap_subprocess child shares its parent's folder (and leaves its removal to it). */
  if (g_getenv ("ADMINT_TEST_ROOT") != NULL)
    {
      g_test_init (argc, argv, NULL);
      return g_getenv ("ADMINT_TEST_ROOT");
    }

  /* Before anything caches a user directory. */
  test_root = g_dir_make_tmp ("admint-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("ADMINT_TEST_ROOT", test_root, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (test_root, dirs[i].sub, NULL);
      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (dirs[i].env, path, TRUE);
    }
  atexit (remove_test_root);

  g_test_init (argc, argv, NULL);
  return test_root;
}

const char *
admint_test_get_root (void)
{
  return g_getenv ("ADMINT_TEST_ROOT");
}

const char *
admint_test_program (const char *env_name)
{
  const char *path = g_getenv (env_name);

  if (path == NULL)
    g_error ("%s is not set: run the tests with `meson test`", env_name);
  return path;
}

void
admint_test_run (const char * const *argv,
                 const char         *stdin_text,
                 char              **out,
                 char              **err,
                 int                *exit_status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  if (stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;

  launcher = g_subprocess_launcher_new (flags);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, stdin_text, NULL, out, err, &error);
  g_assert_no_error (error);
  /* A child killed by a signal (a sanitizer's abort) says why on its stderr: show it. */
  if (!g_subprocess_get_if_exited (proc) && err != NULL && *err != NULL)
    g_printerr ("%s", *err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *exit_status = g_subprocess_get_exit_status (proc);
}

void
admint_test_run_cli (const char * const *args,
                     const char         *stdin_text,
                     char              **out,
                     char              **err,
                     int                *exit_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) admint_test_program ("ADMINT_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  admint_test_run ((const char * const *) argv->pdata, stdin_text, out, err, exit_status);
}

double
admint_test_time_scale (void)
{
  const char *value = g_getenv ("ADMINT_TEST_TIME_SCALE");
  double scale = value != NULL ? g_ascii_strtod (value, NULL) : 1.0;

  return MAX (scale, 1.0);
}
