/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the MP4/ISO-BMFF box walk that refuses a video cut short before GStreamer
 * sees it (a truncated download must never be stored as a finished clip). */
#define G_LOG_DOMAIN "admint-fuzz"

#include <glib.h>

#include "admint-error.h"
#include "admint-media-private.h"
#include "fuzz-target.h"

static const char *path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  path = fuzz_temp_file_init ("admint-fuzz-XXXXXX.mp4");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;

  if (!fuzz_temp_file_set (data, size))
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
