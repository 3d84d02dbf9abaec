/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Workers run below the UI's priority: the thread itself, threads it makes, GStreamer's. */
#include "config.h"

#include <gst/gst.h>

#include "admint-test-util.h"
#include "admint-worker.h"

static gpointer
child_thread (gpointer data)
{
  return GINT_TO_POINTER (admint_worker_get_priority ());
}

static gpointer
worker_thread (gpointer data)
{
  int *seen = data;
  GThread *child;

  admint_worker_lower_priority ();
  seen[0] = admint_worker_get_priority ();
  admint_worker_lower_priority ();  /* again: no change, no error */
  seen[1] = admint_worker_get_priority ();
  /* A thread it starts (an encoder's, say) inherits the lower priority. */
  child = g_thread_new ("child", child_thread, NULL);
  seen[2] = GPOINTER_TO_INT (g_thread_join (child));
  return NULL;
}

static void
test_thread (void)
{
  int seen[3] = { -1, -1, -1 };
  int before = admint_worker_get_priority ();

  g_thread_join (g_thread_new ("worker", worker_thread, seen));
#ifdef __linux__
  g_assert_cmpint (seen[0], >=, ADMINT_WORKER_NICE);
  g_assert_cmpint (seen[1], ==, seen[0]);
  g_assert_cmpint (seen[2], ==, seen[0]);
#endif
  /* Only that thread: the calling (UI) thread keeps its priority. */
  g_assert_cmpint (admint_worker_get_priority (), ==, before);
}

static GstPadProbeReturn
on_buffer (GstPad          *pad,
           GstPadProbeInfo *info,
           gpointer         data)
{
  g_atomic_int_set ((int *) data, admint_worker_get_priority ());
  return GST_PAD_PROBE_OK;
}

/* A watched pipeline's streaming thread lowers itself; the caller's thread does not. */
static void
test_pipeline (void)
{
  g_autoptr(GError) error = NULL;
  GstElement *pipeline = gst_parse_launch ("fakesrc num-buffers=20 ! queue name=q ! fakesink",
                                           &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  g_autoptr(GstElement) queue = NULL;
  g_autoptr(GstPad) pad = NULL;
  int seen = -1;
  int before = admint_worker_get_priority ();

  g_assert_no_error (error);
  admint_worker_watch_pipeline (pipeline);
  queue = gst_bin_get_by_name (GST_BIN (pipeline), "q");
  pad = gst_element_get_static_pad (queue, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, &seen, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
#ifdef __linux__
  g_assert_cmpint (g_atomic_int_get (&seen), >=, ADMINT_WORKER_NICE);
#endif
  g_assert_cmpint (admint_worker_get_priority (), ==, before);
}

static void
test_parallelism (void)
{
  g_assert_cmpuint (admint_worker_local_parallelism (), ==, MAX (1, g_get_num_processors ()));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  gst_init (NULL, NULL);

  g_test_add_func ("/worker/thread", test_thread);
  g_test_add_func ("/worker/pipeline", test_pipeline);
  g_test_add_func ("/worker/parallelism", test_parallelism);
  return g_test_run ();
}
