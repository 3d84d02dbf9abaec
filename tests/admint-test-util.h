/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared test set-up: every test runs in its own throw-away HOME and XDG directories. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Calls g_test_init after pointing HOME and XDG_* at a fresh temporary folder, which is removed
 * when the test program exits. Returns that folder. */
const char *admint_test_init (int    *argc,
                              char ***argv);

/* The temporary root made by admint_test_init. */
const char *admint_test_get_root (void);

/* Runs a built program with args; captures stdout, stderr and the exit status. */
void        admint_test_run      (const char * const *argv,
                                  const char         *stdin_text,
                                  char              **out,
                                  char              **err,
                                  int                *exit_status);

/* Runs the admint CLI ($ADMINT_CLI) with args (NULL-terminated, without the program name);
 * stdin_text, if not NULL, is written to its standard input. Captures stdout, stderr and the
 * exit status like admint_test_run. */
void        admint_test_run_cli  (const char * const *args,
                                  const char         *stdin_text,
                                  char              **out,
                                  char              **err,
                                  int                *exit_status);

/* Path of a built program: the value of env var NAME (set by tests/meson.build). */
const char *admint_test_program  (const char *env_name);

gboolean    admint_test_rm_rf    (const char *path);

/* How much longer a test's own waits may take in a slower build: $ADMINT_TEST_TIME_SCALE
 * (the sanitized run sets it), at least 1. */
double      admint_test_time_scale (void);

G_END_DECLS
