/* Synthetic clips for the scorer's tests, made with GStreamer in the test's temporary folder. */
#include "config.h"

#include <gst/gst.h>

#include "admint-test-util.h"
#include "score-test-clips.h"

char *
score_test_make_clip (const char *name,
                      const char *pipeline_without_sink)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  gst_init (NULL, NULL);
  description = g_strdup_printf ("%s ! filesink location=\"%s\"", pipeline_without_sink, path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_error ("making %s failed: %s", name, gst_error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
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
