/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic clips and checks on media files, shared by the media tests. */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

G_BEGIN_DECLS

/* Encodes a clip with videotestsrc (and a sine tone when AUDIO) into an MP4 (H.264/AAC). */
void     media_test_make_clip      (const char *path,
                                    int         width,
                                    int         height,
                                    int         fps,
                                    double      seconds,
                                    gboolean    audio,
                                    const char *pattern);

GstDiscovererInfo *media_test_discover (const char *path);
/* The first video stream's parameters, and whether an audio stream exists. */
void     media_test_video_params   (GstDiscovererInfo *info,
                                    int               *width,
                                    int               *height,
                                    int               *fps_n,
                                    int               *fps_d,
                                    char             **video_codec_caps,
                                    char             **audio_codec_caps);
double   media_test_duration       (GstDiscovererInfo *info);

/* The top-level ISO-BMFF box names in file order, e.g. "ftyp moov mdat". */
char    *media_test_box_order      (const char *path);
/* Decodes every picture and sound; fails the test on any error. Returns the picture count. */
guint    media_test_decode_all     (const char *path);
/* Decoded sound as mono RMS over windows of WINDOW seconds. */
GArray  *media_test_audio_rms      (const char *path,
                                    double      window);
/* The number of entries in DIR (the test's scratch folders should hold only outputs). */
guint    media_test_count_files    (const char *dir);

/* Fails the test unless PATH's index (moov) comes before its data (mdat): fast start. */
void     media_test_assert_faststart (const char *path);

/* An async render or stitch call in a test: give it media_test_on_progress and
 * media_test_on_done with a MediaTestRun, then media_test_run_wait for its result. */
typedef struct
{
  GThread      *main_thread;   /* when set, every report must come on this thread */
  GCancellable *cancellable;   /* when set, cancelled once a report passes cancel_after */
  double        cancel_after;
  double        last;          /* the last fraction reported */
  guint         calls;
  gboolean      done;          /* the call has finished: no report may come after it */
  GAsyncResult *result;
  GMainLoop    *loop;
} MediaTestRun;

/* An AdmintMediaProgressFunc; USER_DATA is a MediaTestRun. Fractions must not go back. */
void     media_test_on_progress    (double        fraction,
                                    gpointer      user_data);
/* A GAsyncReadyCallback; USER_DATA is the same MediaTestRun. */
void     media_test_on_done        (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data);
/* Runs the default main context until the call has finished; returns its result (transfer full)
 * for the call's _finish. */
GAsyncResult *media_test_run_wait  (MediaTestRun *run);

/* Waits (up to 1 s) for a worker thread to let go of CANCELLABLE, then asserts that dropping
 * the caller's reference finalizes it. */
void     media_test_finalize_cancellable (GCancellable *cancellable);

G_END_DECLS
