/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the fuzz targets share: the temporary file the file-reading targets feed each input. */
#define G_LOG_DOMAIN "admint-fuzz"

#include <stdlib.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "fuzz-target.h"

static char *temp_path;

static void
remove_temp_file (void)
{
  g_unlink (temp_path);
  g_clear_pointer (&temp_path, g_free);
}

const char *
fuzz_temp_file_init (const char *name_template)
{
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp (name_template, &temp_path, &error);

  g_assert_no_error (error);
  close (fd);
  atexit (remove_temp_file);
  return temp_path;
}

gboolean
fuzz_temp_file_set (const uint8_t *data,
                    size_t         size)
{
  g_assert (temp_path != NULL);
  return g_file_set_contents (temp_path, (const char *) data, size, NULL);
}
