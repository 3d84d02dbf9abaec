/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GStreamer helpers for the tests that make or play synthetic media (media, score). */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Plays PIPELINE to the end of stream, waiting at most TIMEOUT_SECONDS, then sets it to NULL.
 * Fails the test when it cannot start, times out or posts an error; the message names WHAT. */
void admint_test_gst_run    (GstElement *pipeline,
                             guint       timeout_seconds,
                             const char *what);

/* Parses a gst-launch DESCRIPTION and runs it to the end (60 s at most) as admint_test_gst_run
 * does. WHAT names it in a failure; NULL names the description itself. */
void admint_test_gst_launch (const char *description,
                             const char *what);

G_END_DECLS
