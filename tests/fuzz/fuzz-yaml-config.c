/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the YAML config loader on a --config file (alias bombs, deep nesting, bad
 * types, tags, anchors, broken UTF-8), checked as `admint config check FILE` does. */
#define G_LOG_DOMAIN "admint-fuzz"

#include <stdlib.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "admint-config.h"
#include "admint-error.h"
#include "fuzz-target.h"

static char *path;

static void
remove_file (void)
{
  g_unlink (path);
  g_free (path);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp ("admint-fuzz-XXXXXX.yaml", &path, &error);

  g_assert_no_error (error);
  close (fd);
  atexit (remove_file);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    return 0;
  if (!admint_config_check_file (path, &error))
    {
      /* Every refusal is ours and says what to fix. */
      g_assert (error != NULL && error->domain == ADMINT_ERROR);
      g_assert (error->message != NULL && error->message[0] != '\0');
    }
  else
    g_assert (error == NULL);
  return 0;
}
