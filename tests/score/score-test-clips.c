/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic clips for the scorer's tests, made with GStreamer in the test's temporary folder. */
#include "config.h"

#include <gst/gst.h>

#include "admint-test-media.h"
#include "admint-test-util.h"
#include "score-test-clips.h"

char *
score_test_make_clip (const char *name,
                      const char *pipeline_without_sink)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_autofree char *description = NULL;
  g_autofree char *what = g_strdup_printf ("making %s", name);

  gst_init (NULL, NULL);
  description = g_strdup_printf ("%s ! filesink location=\"%s\"", pipeline_without_sink, path);
  admint_test_gst_launch (description, what);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return g_steal_pointer (&path);
}

char *
score_test_make_pattern (const char *name,
                         const char *pattern)
{
  g_autofree char *description = NULL;
  /* Constant quantiser: every frame of a still encodes (and so decodes) identically. */
  const char *encode = "video/x-raw,width=160,height=120,framerate=30/1 ! videoconvert ! "
                       "x264enc speed-preset=ultrafast pass=quant quantizer=20 ! mp4mux";

  if (g_str_equal (pattern, "still"))
    description = g_strdup_printf ("videotestsrc num-buffers=1 pattern=smpte ! "
                                   "imagefreeze num-buffers=60 ! %s", encode);
  else
    description = g_strdup_printf ("videotestsrc num-buffers=60 pattern=%s ! %s", pattern, encode);
  return score_test_make_clip (name, description);
}
