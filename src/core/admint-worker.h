/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Workers that render, encode, mix and score run below the UI's CPU priority. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

struct _GstElement;

/* The nice value workers run at: the UI's thread (0) always wins a contended core. */
#define ADMINT_WORKER_NICE 10

/* Lowers the calling thread (only it: Linux keeps a nice value per thread) to
 * ADMINT_WORKER_NICE; cheap to call again. Threads it creates afterwards inherit it, so an
 * encoder's own threads follow. Never called on the main thread. */
void  admint_worker_lower_priority      (void);
/* The nice value of the calling thread (0 where it cannot be read). */
int   admint_worker_get_priority        (void);
/* Makes every streaming thread of PIPELINE lower itself as it starts (they come from
 * GStreamer's shared pool, which does not inherit the creating thread's priority). Declared
 * without gst.h so that the front ends, which use the rest, need no GStreamer. */
void  admint_worker_watch_pipeline      (struct _GstElement *pipeline);
/* How many local renders to run at once: the cores there are (at least 1). */
guint admint_worker_local_parallelism   (void);

G_END_DECLS
