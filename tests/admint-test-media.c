/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GStreamer helpers for the tests that make or play synthetic media (media, score). */
#include "config.h"

#include "admint-test-media.h"

void
admint_test_gst_run (GstElement *pipeline,
                     guint       timeout_seconds,
                     const char *what)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = NULL;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, timeout_seconds * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_error ("%s failed: %s", what, gst_error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

void
admint_test_gst_launch (const char *description,
                        const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autofree char *named = NULL;

  g_assert_no_error (error);
  if (what == NULL)
    what = named = g_strdup_printf ("pipeline “%s”", description);
  admint_test_gst_run (pipeline, 60, what);
}
