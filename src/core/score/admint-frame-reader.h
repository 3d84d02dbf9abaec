/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decodes every frame of a video file at native size as 8-bit BGR, off the caller's thread. */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _AdmintFrameReader AdmintFrameReader;

/* One decoded frame: width*height*3 tightly packed BGR bytes. Reference counted, thread-safe. */
typedef struct {
  guint         index;
  int           width;
  int           height;
  const guint8 *bgr;
  /*< private >*/
  gint          ref_count;
  GstSample    *sample;
  GstBuffer    *buffer;
  GstMapInfo    map;
  guint8       *packed;
} AdmintFrame;

/* Starts decoding and waits for the first frame's format. Errors name the file. */
AdmintFrameReader *admint_frame_reader_open        (const char         *path,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
/* The next frame, or NULL: at the end of the stream with *error unset, else with it set. */
AdmintFrame       *admint_frame_reader_next        (AdmintFrameReader  *reader,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
int                admint_frame_reader_get_width   (AdmintFrameReader  *reader);
int                admint_frame_reader_get_height  (AdmintFrameReader  *reader);
/* Frames per second from the stream's caps; 0 when the stream does not say. */
double             admint_frame_reader_get_fps     (AdmintFrameReader  *reader);
/* Container duration in seconds, or 0 if unknown. */
double             admint_frame_reader_get_duration (AdmintFrameReader *reader);
void               admint_frame_reader_free        (AdmintFrameReader  *reader);

AdmintFrame       *admint_frame_ref                (AdmintFrame        *frame);
void               admint_frame_unref              (AdmintFrame        *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintFrameReader, admint_frame_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintFrame, admint_frame_unref)

G_END_DECLS
