/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the MP4/ISO-BMFF box walk that refuses a video cut short before GStreamer
 * sees it (a truncated download must never be stored as a finished clip). */
#define G_LOG_DOMAIN "admint-fuzz"

#include <stdlib.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-media-private.h"
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
  int fd = g_file_open_tmp ("admint-fuzz-XXXXXX.mp4", &path, &error);

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
  if (!admint_media_check_boxes (path, &error))
    {
      g_assert (error != NULL);
      g_assert (g_error_matches (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT));
    }
  else
    g_assert (error == NULL);
  return 0;
}
