/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic clips for the scorer's tests, made with GStreamer in the test's temporary folder. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs "SOURCE ! ... ! filesink location=<root>/NAME" to the end; returns the file's path. */
char *score_test_make_clip (const char *name,
                            const char *pipeline_without_sink);

/* A 160x120 30 fps 2 s H.264/MP4 clip of a videotestsrc pattern. "still" freezes one frame. */
char *score_test_make_pattern (const char *name,
                               const char *pattern);

G_END_DECLS
