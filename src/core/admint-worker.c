/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Worker threads below the UI's priority: per-thread nice on Linux, and GStreamer's threads. */
#define G_LOG_DOMAIN "admint-worker"

#include "config.h"

#include <errno.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#endif

#include <gst/gst.h>

#include "admint-worker.h"

static GPrivate lowered;

static int
thread_id (void)
{
#ifdef __linux__
  return (int) syscall (SYS_gettid);
#else
  return 0;
#endif
}

int
admint_worker_get_priority (void)
{
#ifdef __linux__
  int nice_value;

  errno = 0;
  nice_value = getpriority (PRIO_PROCESS, (id_t) thread_id ());
  return errno == 0 ? nice_value : 0;
#else
  return 0;
#endif
}

void
admint_worker_lower_priority (void)
{
#ifdef __linux__
  /* On Linux PRIO_PROCESS with a thread id sets that one thread (nice is per task). A thread
   * can always lower itself; it could not raise itself back, so it is done once and kept. */
  static int off = -1;

  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (1));
  /* For measuring what the lower priority buys (bench/ui/bench-responsiveness). */
  if (g_atomic_int_get (&off) < 0)
    g_atomic_int_set (&off, g_strcmp0 (g_getenv ("ADMINT_WORKER_PRIORITY"), "normal") == 0);
  if (g_atomic_int_get (&off))
    return;
  if (admint_worker_get_priority () >= ADMINT_WORKER_NICE)
    return;
  if (setpriority (PRIO_PROCESS, (id_t) thread_id (), ADMINT_WORKER_NICE) != 0)
    g_debug ("Cannot lower a worker's priority: %s", g_strerror (errno));
#endif
}

static GstBusSyncReply
on_sync_message (GstBus     *bus,
                 GstMessage *message,
                 gpointer    user_data)
{
  /* ENTER is posted by the streaming thread itself, as it starts its loop. */
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_STREAM_STATUS)
    {
      GstStreamStatusType type;
      GstElement *owner;

      gst_message_parse_stream_status (message, &type, &owner);
      if (type == GST_STREAM_STATUS_TYPE_ENTER)
        admint_worker_lower_priority ();
    }
  return GST_BUS_PASS;
}

void
admint_worker_watch_pipeline (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = NULL;

  g_return_if_fail (GST_IS_PIPELINE (pipeline));
  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  gst_bus_set_sync_handler (bus, on_sync_message, NULL, NULL);
}

guint
admint_worker_local_parallelism (void)
{
  return MAX (1, g_get_num_processors ());
}
