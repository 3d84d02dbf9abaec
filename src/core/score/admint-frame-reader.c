/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decodes every frame of a video file at native size as 8-bit BGR with GStreamer. */
#define G_LOG_DOMAIN "admint-score"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-frame-reader.h"

/* How long one wait for a frame lasts before the bus and the cancellable are looked at again. */
#define PULL_SLICE_NS (50 * GST_MSECOND)
/* Frames buffered between the decoder and the scorer: a bounded queue that blocks the decoder. */
#define QUEUE_FRAMES 6
/* decodebin can swallow a demuxer's error while it is still plugging it in, and then waits
 * forever: a file that yields no first frame in this time is given up on. */
#define FIRST_FRAME_TIMEOUT_S 20

struct _AdmintFrameReader
{
  char         *path;
  GstElement   *pipeline;
  GstElement   *convert;
  GstElement   *sink;
  GstBus       *bus;
  gint          linked;      /* atomic: a video pad reached videoconvert */
  gint          other_pads;  /* atomic: streams that are not the scored video (audio…) */
  AdmintFrame  *pending;     /* the first frame, read by _open */
  int           width;
  int           height;
  double        fps;
  double        duration;
  guint         next_index;
  gboolean      eos;
};

AdmintFrame *
admint_frame_ref (AdmintFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);

  g_atomic_int_inc (&frame->ref_count);
  return frame;
}

void
admint_frame_unref (AdmintFrame *frame)
{
  g_return_if_fail (frame != NULL);

  if (!g_atomic_int_dec_and_test (&frame->ref_count))
    return;
  if (frame->buffer != NULL)
    gst_buffer_unmap (frame->buffer, &frame->map);
  g_clear_pointer (&frame->sample, gst_sample_unref);
  g_free (frame->packed);
  g_free (frame);
}

static void
on_pad_added (GstElement *decodebin,
              GstPad     *pad,
              gpointer    user_data)
{
  AdmintFrameReader *self = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) sinkpad = NULL;
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return;
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (!g_str_has_prefix (name, "video/") ||
      !g_atomic_int_compare_and_exchange (&self->linked, 0, 1))
    {
      /* only the first video stream is scored */
      g_atomic_int_inc (&self->other_pads);
      return;
    }

  sinkpad = gst_element_get_static_pad (self->convert, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    g_atomic_int_set (&self->linked, 0);
}

static void
on_no_more_pads (GstElement *decodebin,
                 gpointer    user_data)
{
  AdmintFrameReader *self = user_data;

  if (g_atomic_int_get (&self->linked))
    return;
  gst_element_post_message (decodebin,
                            gst_message_new_application (GST_OBJECT (decodebin),
                                                         gst_structure_new_empty ("admint-no-video")));
}

static gboolean
set_error_from_message (AdmintFrameReader  *self,
                        GstMessage         *message,
                        GError            **error)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_APPLICATION &&
      gst_message_has_name (message, "admint-no-video"))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "“%s” has no video track (audio only?). Score a file that contains video.",
                   self->path);
      return TRUE;
    }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &gst_error, &debug);
      g_debug ("decoding %s failed: %s (%s)", self->path, gst_error->message,
               debug ? debug : "");
      if (!g_atomic_int_get (&self->linked) &&
          g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                     "“%s” cannot be decoded: %s. Install the GStreamer plugins for its format "
                     "(gstreamer1.0-libav) or convert it to H.264 in MP4.",
                     self->path, gst_error->message);
      else
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                     "“%s” is not a readable video (corrupt or truncated?): %s. "
                     "Use a complete video file, for example H.264 in MP4.",
                     self->path, gst_error->message);
      return TRUE;
    }
  return FALSE;
}

/* Looks at what the pipeline posted; TRUE with error set if it failed. */
static gboolean
check_bus (AdmintFrameReader  *self,
           GError            **error)
{
  GstMessage *message;

  while ((message = gst_bus_pop_filtered (self->bus,
                                          GST_MESSAGE_ERROR | GST_MESSAGE_APPLICATION)) != NULL)
    {
      gboolean failed = set_error_from_message (self, message, error);

      gst_message_unref (message);
      if (failed)
        return TRUE;
    }
  return FALSE;
}

static AdmintFrame *
frame_from_sample (AdmintFrameReader  *self,
                   GstSample          *sample,
                   GError            **error)
{
  g_autoptr(AdmintFrame) frame = g_new0 (AdmintFrame, 1);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstVideoInfo info;
  gsize row;

  frame->ref_count = 1;
  frame->sample = sample;
  if (caps == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGR)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Decoding “%s” gave frames in an unexpected format. "
                   "Check the GStreamer installation (gstreamer1.0-plugins-base)."), self->path);
      return NULL;
    }
  if (self->width != 0 &&
      (GST_VIDEO_INFO_WIDTH (&info) != self->width || GST_VIDEO_INFO_HEIGHT (&info) != self->height))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "“%s” changes its picture size from %dx%d to %dx%d mid-stream. "
                   "Re-encode it at one size to score it.", self->path, self->width, self->height,
                   GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));
      return NULL;
    }

  frame->index = self->next_index++;
  frame->width = GST_VIDEO_INFO_WIDTH (&info);
  frame->height = GST_VIDEO_INFO_HEIGHT (&info);
  frame->buffer = gst_sample_get_buffer (sample);
  if (frame->buffer == NULL || !gst_buffer_map (frame->buffer, &frame->map, GST_MAP_READ))
    {
      frame->buffer = NULL;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Could not read a decoded frame of “%s”. Try again."), self->path);
      return NULL;
    }

  row = (gsize) frame->width * 3;
  if ((gsize) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) == row &&
      GST_VIDEO_INFO_PLANE_OFFSET (&info, 0) == 0 && frame->map.size >= row * frame->height)
    frame->bgr = frame->map.data;
  else
    {
      /* Rows padded to 4 bytes: repack, since the scores are defined on H*W*3 packed values. */
      gsize stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
      const guint8 *src = frame->map.data + GST_VIDEO_INFO_PLANE_OFFSET (&info, 0);

      frame->packed = g_malloc (row * frame->height);
      for (int y = 0; y < frame->height; y++)
        memcpy (frame->packed + y * row, src + y * stride, row);
      frame->bgr = frame->packed;
    }
  return g_steal_pointer (&frame);
}

/* A file cut short after its index (MP4 with the index at the front) decodes without any error
 * and just ends early: compare what was decoded with the duration the container announces.
 * With other streams (audio) the container's duration may be theirs, so only a shortfall of
 * more than half counts there. */
static void
check_truncated (AdmintFrameReader  *self,
                 GError            **error)
{
  gint64 duration_ns = 0;
  double announced, decoded;
  gboolean short_by_much;

  if (self->fps <= 0 || self->next_index == 0 ||
      !gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration_ns) ||
      duration_ns <= 0)
    return;
  announced = (double) duration_ns / GST_SECOND;
  decoded = self->next_index / self->fps;
  if (g_atomic_int_get (&self->other_pads) == 0)
    short_by_much = decoded < announced - MAX (3.0 / self->fps, 0.05 * announced);
  else
    short_by_much = decoded < 0.5 * announced;
  if (short_by_much)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                 "“%s” ends after %.2f s of the %.2f s it announces: it looks truncated. "
                 "Use the complete file.", self->path, decoded, announced);
}

static AdmintFrame *
pull_frame (AdmintFrameReader  *self,
            GCancellable       *cancellable,
            GError            **error)
{
  gint64 start = g_get_monotonic_time ();

  for (;;)
    {
      GstSample *sample;

      if (self->next_index == 0 &&
          g_get_monotonic_time () - start > FIRST_FRAME_TIMEOUT_S * G_USEC_PER_SEC)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       "“%s” gave no picture in %d s: it is probably corrupt or truncated. "
                       "Use a complete video file.", self->path, FIRST_FRAME_TIMEOUT_S);
          return NULL;
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (check_bus (self, error))
        return NULL;
      if (self->eos)
        return NULL;

      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (self->sink), PULL_SLICE_NS);
      if (sample != NULL)
        return frame_from_sample (self, sample, error);
      if (gst_app_sink_is_eos (GST_APP_SINK (self->sink)))
        {
          self->eos = TRUE;
          /* An error is posted before the EOS that follows it: look once more. */
          if (!check_bus (self, error))
            check_truncated (self, error);
          return NULL;
        }
    }
}

static guint64
read_be (const guint8 *p,
         int           n)
{
  guint64 v = 0;

  for (int i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

/* An MP4/MOV file is a sequence of boxes. One cut short (an unfinished download or recording)
 * has its last box run past the end of the file, and may lack its index ("moov") altogether.
 * Checked here because decodebin does not always report it (see FIRST_FRAME_TIMEOUT_S). */
static gboolean
check_iso_boxes (const char  *path,
                 goffset      file_size,
                 GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  goffset offset = 0;
  gboolean have_moov = FALSE;

  if (stream == NULL)
    return TRUE;  /* GStreamer will say what is wrong */

  while (offset < file_size)
    {
      guint8 header[16];
      gsize got = 0;
      guint64 size;
      char type[5] = { 0 };

      if (!g_seekable_seek (G_SEEKABLE (stream), offset, G_SEEK_SET, NULL, NULL) ||
          !g_input_stream_read_all (G_INPUT_STREAM (stream), header, sizeof header, &got,
                                    NULL, NULL))
        return TRUE;
      if (got < 8)
        break;
      memcpy (type, header + 4, 4);
      if (offset == 0 && strcmp (type, "ftyp") != 0)
        return TRUE;  /* not an ISO media file: nothing to check here */
      size = read_be (header, 4);
      if (size == 1 && got >= 16)
        size = read_be (header + 8, 8);
      else if (size == 0)
        size = file_size - offset;
      if (size < 8)
        break;
      if (strcmp (type, "moov") == 0)
        have_moov = TRUE;
      if ((guint64) offset + size > (guint64) file_size)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       "“%s” is truncated: its “%s” box needs %" G_GUINT64_FORMAT " bytes but "
                       "only %" G_GUINT64_FORMAT " are left in the file. Use the complete file.",
                       path, type, size, (guint64) (file_size - offset));
          return FALSE;
        }
      offset += size;
    }
  if (!have_moov)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "“%s” has no index (“moov” box): it is truncated or still being written. "
                   "Use the complete file.", path);
      return FALSE;
    }
  return TRUE;
}

AdmintFrameReader *
admint_frame_reader_open (const char    *path,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(AdmintFrameReader) self = NULL;
  g_autoptr(GError) gst_error = NULL;
  GStatBuf st;
  GstElement *src, *decode;
  GstCaps *caps;
  gint64 duration_ns = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   "“%s” does not exist. Check the path and try again.", path);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "“%s” is not a regular file. Give the path of a video file.", path);
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "“%s” is empty (0 bytes). Use a complete video file.", path);
      return NULL;
    }
  if (!check_iso_boxes (path, st.st_size, error))
    return NULL;
  if (!gst_init_check (NULL, NULL, &gst_error))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("GStreamer could not start (%s). Check the GStreamer installation."),
                   gst_error->message);
      return NULL;
    }

  self = g_new0 (AdmintFrameReader, 1);
  self->path = g_strdup (path);
  self->pipeline = gst_pipeline_new ("admint-score-reader");
  admint_worker_watch_pipeline (self->pipeline);
  src = gst_element_factory_make ("filesrc", NULL);
  decode = gst_element_factory_make ("decodebin", NULL);
  self->convert = gst_element_factory_make ("videoconvert", NULL);
  self->sink = gst_element_factory_make ("appsink", NULL);
  if (src == NULL || decode == NULL || self->convert == NULL || self->sink == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("GStreamer elements are missing (filesrc, decodebin, videoconvert, appsink). "
                   "Install gstreamer1.0-plugins-base and gstreamer1.0-plugins-good."));
      g_clear_object (&src);
      g_clear_object (&decode);
      return NULL;
    }

  g_object_set (src, "location", path, NULL);
  g_object_set (self->convert, "n-threads", 2, NULL);
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "BGR", NULL);
  g_object_set (self->sink, "caps", caps, "sync", FALSE, "max-buffers", QUEUE_FRAMES,
                "drop", FALSE, "enable-last-sample", FALSE, NULL);
  gst_caps_unref (caps);
  gst_bin_add_many (GST_BIN (self->pipeline), src, decode, self->convert, self->sink, NULL);
  if (!gst_element_link (src, decode) || !gst_element_link (self->convert, self->sink))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Could not build the decoding pipeline for “%s”. "
                   "Check the GStreamer installation."), path);
      return NULL;
    }
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), self);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (on_no_more_pads), self);
  self->bus = gst_element_get_bus (self->pipeline);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (!check_bus (self, error))
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                     "“%s” could not be opened for decoding. Use a readable video file.", path);
      return NULL;
    }

  self->pending = pull_frame (self, cancellable, error);
  if (self->pending == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                     "“%s” contains no video frames. Use a video with at least one frame.", path);
      return NULL;
    }
  self->width = self->pending->width;
  self->height = self->pending->height;

  caps = gst_sample_get_caps (self->pending->sample);
  {
    int num = 0, den = 1;

    if (gst_structure_get_fraction (gst_caps_get_structure (caps, 0), "framerate", &num, &den) &&
        num > 0 && den > 0)
      self->fps = (double) num / den;
  }
  if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration_ns) &&
      duration_ns > 0)
    self->duration = (double) duration_ns / GST_SECOND;

  return g_steal_pointer (&self);
}

AdmintFrame *
admint_frame_reader_next (AdmintFrameReader  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->pending != NULL)
    return g_steal_pointer (&self->pending);
  return pull_frame (self, cancellable, error);
}

int
admint_frame_reader_get_width (AdmintFrameReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

int
admint_frame_reader_get_height (AdmintFrameReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

double
admint_frame_reader_get_fps (AdmintFrameReader *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->fps;
}

double
admint_frame_reader_get_duration (AdmintFrameReader *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->duration;
}

void
admint_frame_reader_free (AdmintFrameReader *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->pending, admint_frame_unref);
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_object_unref (self->pipeline);
    }
  g_clear_object (&self->bus);
  g_free (self->path);
  g_free (self);
}
