/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A mixed sound track onto a finished video: the video stream copied (remix), or every frame
 * drawn on (burned captions, blended into the decoded I420 frames where they have ink) and
 * encoded again. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include <glib/gstdio.h>
#include <gst/video/video.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-media-private.h"
#include "admint-stitch.h"
#include "admint-stitch-private.h"

/* A sound track onto a video: the remix path (video copied) and the overlay path ------------- */

typedef struct {
  GstElement             *pipeline;
  GstElement             *video_first;   /* where the video pad is linked */
  gboolean                decode;        /* overlay path: decoded video */
  AdmintMediaOverlayFunc  overlay;
  gpointer                overlay_data;
  GstVideoInfo            info;          /* the decoded frames' (I420) */
  int                     width, height;
  gint                    position_ms;
} MuxJob;

static void
mux_pad_added (GstElement *element,
               GstPad     *pad,
               gpointer    user_data)
{
  MuxJob *job = user_data;
  g_autoptr(GstCaps) caps = admint_stitch_pad_caps (pad);
  g_autoptr(GstPad) target = gst_element_get_static_pad (job->video_first, "sink");
  const char *name = gst_structure_get_name (gst_caps_get_structure (caps, 0));

  if (g_str_has_prefix (name, "video/") && !gst_pad_is_linked (target))
    gst_pad_link (pad, target);
  else
    {
      /* The video's own sound (replaced) and anything else: drained. */
      GstElement *queue = gst_element_factory_make ("queue", NULL);
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (queue, "sink");

      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      g_object_set (queue, "max-size-buffers", 0, "max-size-bytes", 0, "max-size-time",
                    (guint64) 0, NULL);
      gst_bin_add_many (GST_BIN (job->pipeline), queue, sink, NULL);
      gst_element_link (queue, sink);
      gst_element_sync_state_with_parent (sink);
      gst_element_sync_state_with_parent (queue);
      gst_pad_link (pad, sinkpad);
    }
}

/* The overlay drawn straight onto the decoded I420 frame: what the callback draws is recorded,
 * and only its ink (the caption box) is rasterised and blended. A frame with nothing on it passes
 * untouched. Converting every whole frame to BGRx and back for cairooverlay cost more CPU than
 * the encoder. */
static GstVideoOverlayComposition *
overlay_composition (MuxJob *job,
                     double  t)
{
  cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (recording);
  GstVideoOverlayComposition *composition = NULL;
  double x, y, w, h;

  job->overlay (cr, job->width, job->height, t, job->overlay_data);
  cairo_destroy (cr);
  cairo_recording_surface_ink_extents (recording, &x, &y, &w, &h);
  {
    /* Whole pixels inside the frame. */
    int x0 = CLAMP ((int) floor (x), 0, job->width), y0 = CLAMP ((int) floor (y), 0, job->height);
    int x1 = CLAMP ((int) ceil (x + w), 0, job->width);
    int y1 = CLAMP ((int) ceil (y + h), 0, job->height);

    if (x1 > x0 && y1 > y0)
      {
        int width = x1 - x0, height = y1 - y0;
        GstBuffer *pixels = gst_buffer_new_allocate (NULL, (gsize) width * height * 4, NULL);
        GstMapInfo map;
        GstVideoOverlayRectangle *rect;

        gst_buffer_map (pixels, &map, GST_MAP_WRITE);
        {
          cairo_surface_t *image = cairo_image_surface_create_for_data (
            map.data, CAIRO_FORMAT_ARGB32, width, height, width * 4);
          cairo_t *paint = cairo_create (image);

          cairo_set_operator (paint, CAIRO_OPERATOR_CLEAR);
          cairo_paint (paint);
          cairo_set_operator (paint, CAIRO_OPERATOR_OVER);
          cairo_set_source_surface (paint, recording, -x0, -y0);
          cairo_paint (paint);
          cairo_destroy (paint);
          cairo_surface_flush (image);
          cairo_surface_destroy (image);
        }
        gst_buffer_unmap (pixels, &map);
        /* Cairo's ARGB32 is premultiplied BGRA in memory on little endian, ARGB on big. */
        gst_buffer_add_video_meta (pixels, GST_VIDEO_FRAME_FLAG_NONE,
                                   G_BYTE_ORDER == G_LITTLE_ENDIAN ? GST_VIDEO_FORMAT_BGRA
                                                                   : GST_VIDEO_FORMAT_ARGB,
                                   width, height);
        rect = gst_video_overlay_rectangle_new_raw (pixels, x0, y0, width, height,
                                                    GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);
        composition = gst_video_overlay_composition_new (rect);
        gst_video_overlay_rectangle_unref (rect);
        gst_buffer_unref (pixels);
      }
  }
  cairo_surface_destroy (recording);
  return composition;
}

static GstPadProbeReturn
overlay_probe (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  MuxJob *job = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstVideoOverlayComposition *composition;
  GstVideoFrame frame;

  if (job->width <= 0)
    {
      g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
      GstVideoInfo vinfo;

      if (caps == NULL || !gst_video_info_from_caps (&vinfo, caps))
        return GST_PAD_PROBE_OK;
      job->info = vinfo;
      job->width = GST_VIDEO_INFO_WIDTH (&vinfo);
      job->height = GST_VIDEO_INFO_HEIGHT (&vinfo);
    }
  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  composition = overlay_composition (job, (double) GST_BUFFER_PTS (buffer) / GST_SECOND);
  if (composition == NULL)
    return GST_PAD_PROBE_OK;
  buffer = gst_buffer_make_writable (buffer);
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (gst_video_frame_map (&frame, &job->info, buffer, GST_MAP_READWRITE))
    {
      gst_video_overlay_composition_blend (composition, &frame);
      gst_video_frame_unmap (&frame);
    }
  gst_video_overlay_composition_unref (composition);
  return GST_PAD_PROBE_OK;
}

/* The video branch, from its first element to the muxer: a queue alone when copying; decode,
 * draw and encode otherwise. */
static GstElement *
mux_video_branch (MuxJob      *job,
                  GstElement  *mux,
                  GError     **error)
{
  GstElement *queue = gst_element_factory_make ("queue", NULL);

  g_object_set (queue, "max-size-buffers", 0, "max-size-bytes", 0,
                "max-size-time", (guint64) 10 * GST_SECOND, NULL);
  gst_bin_add (GST_BIN (job->pipeline), queue);
  if (!job->decode)
    {
      gst_element_link_pads (queue, "src", mux, "video_%u");
      return queue;
    }
  {
    /* The local renderer's speed: the pictures were encoded once already. */
    GstElement *enc = admint_media_make_h264_encoder (ADMINT_MEDIA_SPEED_FAST, error);
    GstElement *in = gst_element_factory_make ("videoconvert", NULL);
    GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
    GstElement *equeue = gst_element_factory_make ("queue", NULL);
    g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
                                                   "I420", NULL);

    if (enc == NULL)
      return NULL;
    /* A passthrough when the decoder gives I420 already (H.264 does). */
    g_object_set (in, "n-threads", 2, NULL);
    g_object_set (filter, "caps", caps, NULL);
    g_object_set (equeue, "max-size-buffers", 0, "max-size-bytes", 0,
                  "max-size-time", (guint64) 10 * GST_SECOND, NULL);
    if (job->overlay != NULL)
      {
        g_autoptr(GstPad) src = gst_element_get_static_pad (filter, "src");
        gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, overlay_probe, job, NULL);
      }
    gst_bin_add_many (GST_BIN (job->pipeline), in, filter, enc, equeue, NULL);
    gst_element_link_many (queue, in, filter, enc, equeue, NULL);
    gst_element_link_pads (equeue, "src", mux, "video_%u");
    return queue;
  }
}

static gboolean
mux_run (MuxJob        *job,
         const char    *video,
         const char    *audio,
         const char    *temp,
         double         total,
         GCancellable  *cancellable,
         AdmintMediaProgress *progress,
         GError       **error)
{
  const char *inputs[] = { video, audio, NULL };
  GstElement *vsrc, *vdemux, *asrc, *wav, *aconv, *ares, *aenc, *aqueue, *mux, *sink;
  g_autoptr(GstPad) probe_pad = NULL;
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new ("mux-audio"));

  job->pipeline = pipeline;
  mux = admint_media_make_muxer (ADMINT_MEDIA_CONTAINER_MP4, error);
  if (mux == NULL)
    return FALSE;
  aenc = admint_media_make_aac_encoder (error);
  if (aenc == NULL)
    {
      gst_object_unref (gst_object_ref_sink (mux));
      return FALSE;
    }
  vsrc = gst_element_factory_make ("filesrc", "input-0-src");
  vdemux = gst_element_factory_make (job->decode ? "decodebin" : "parsebin", "input-0-demux");
  asrc = gst_element_factory_make ("filesrc", "input-1-src");
  wav = gst_element_factory_make ("wavparse", "input-1-parse");
  aconv = gst_element_factory_make ("audioconvert", NULL);
  ares = gst_element_factory_make ("audioresample", NULL);
  aqueue = gst_element_factory_make ("queue", NULL);
  sink = gst_element_factory_make ("filesink", NULL);
  g_object_set (vsrc, "location", video, NULL);
  g_object_set (asrc, "location", audio, NULL);
  g_object_set (sink, "location", temp, NULL);
  g_object_set (aqueue, "max-size-buffers", 0, "max-size-bytes", 0,
                "max-size-time", (guint64) 10 * GST_SECOND, NULL);
  gst_bin_add_many (GST_BIN (pipeline), vsrc, vdemux, asrc, wav, aconv, ares, aenc, aqueue, mux,
                    sink, NULL);
  gst_element_link (vsrc, vdemux);
  gst_element_link_many (asrc, wav, aconv, ares, aenc, aqueue, NULL);
  gst_element_link_pads (aqueue, "src", mux, "audio_%u");
  gst_element_link (mux, sink);
  job->video_first = mux_video_branch (job, mux, error);
  if (job->video_first == NULL)
    return FALSE;
  g_signal_connect (vdemux, "pad-added", G_CALLBACK (mux_pad_added), job);
  admint_worker_watch_pipeline (pipeline);

  probe_pad = gst_element_get_static_pad (job->video_first, "sink");
  gst_pad_add_probe (probe_pad, GST_PAD_PROBE_TYPE_BUFFER, admint_stitch_position_probe, &job->position_ms,
                     NULL);
  return admint_media_run_pipeline (pipeline, inputs, cancellable, progress, &job->position_ms,
                                    (gint) (total * 1000), error);
}

static AdmintStitchResult *
mux_audio_internal (const char              *video,
                    const char              *audio,
                    const char              *output,
                    AdmintMediaOverlayFunc   overlay,
                    gpointer                 overlay_data,
                    GCancellable            *cancellable,
                    AdmintMediaProgress     *progress,
                    GError                 **error)
{
  g_autoptr(AdmintMediaInfo) info = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  g_autofree char *temp = NULL;
  MuxJob job = { 0 };

  admint_media_init ();
  if (!g_file_test (audio, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("The sound track %s does not exist. Mix the sound first"), audio);
      return NULL;
    }
  info = admint_media_probe (video, cancellable, error);
  if (info == NULL)
    return NULL;
  temp = admint_media_temp_path (output, error);
  if (temp == NULL)
    return NULL;

  job.overlay = overlay;
  job.overlay_data = overlay_data;
  job.decode = overlay != NULL ||
               !gst_structure_has_name (gst_caps_get_structure (info->video_caps, 0),
                                        "video/x-h264");
  admint_media_progress_report (progress, 0.0);
  if (!mux_run (&job, video, audio, temp, info->duration, cancellable, progress, error))
    {
      g_unlink (temp);
      return NULL;
    }
  if (!admint_media_finish_output (temp, output, error))
    return NULL;
  admint_media_progress_report (progress, 1.0);

  result = g_new0 (AdmintStitchResult, 1);
  result->output = g_strdup (output);
  result->duration = info->duration;
  result->copied = !job.decode;
  result->width = info->width;
  result->height = info->height;
  result->container = ADMINT_MEDIA_CONTAINER_MP4;
  return g_steal_pointer (&result);
}

AdmintStitchResult *
admint_media_mux_audio (const char               *video,
                        const char               *audio,
                        const char               *output,
                        AdmintMediaOverlayFunc    overlay,
                        gpointer                  overlay_data,
                        GCancellable             *cancellable,
                        AdmintMediaProgressFunc   progress,
                        gpointer                  progress_data,
                        GError                  **error)
{
  AdmintMediaProgress p;
  AdmintStitchResult *result;

  g_return_val_if_fail (video != NULL && audio != NULL && output != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  admint_media_progress_init (&p, NULL, progress, progress_data);
  result = mux_audio_internal (video, audio, output, overlay, overlay_data, cancellable, &p,
                               error);
  admint_media_progress_clear (&p);
  return result;
}

typedef struct {
  char                   *video;
  char                   *audio;
  char                   *output;
  AdmintMediaOverlayFunc  overlay;
  gpointer                overlay_data;
} MuxTaskData;

static void
mux_task_data_free (MuxTaskData *data)
{
  g_free (data->video);
  g_free (data->audio);
  g_free (data->output);
  g_free (data);
}

static AdmintStitchResult *
mux_work (gpointer              task_data,
          GCancellable         *cancellable,
          AdmintMediaProgress  *progress,
          GError              **error)
{
  admint_worker_lower_priority ();
  MuxTaskData *data = task_data;

  return mux_audio_internal (data->video, data->audio, data->output, data->overlay,
                             data->overlay_data, cancellable, progress, error);
}

void
admint_media_mux_audio_async (const char               *video,
                              const char               *audio,
                              const char               *output,
                              AdmintMediaOverlayFunc    overlay,
                              gpointer                  overlay_data,
                              GCancellable             *cancellable,
                              AdmintMediaProgressFunc   progress,
                              gpointer                  progress_data,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  MuxTaskData *data;

  g_return_if_fail (video != NULL && audio != NULL && output != NULL);

  data = g_new0 (MuxTaskData, 1);
  data->video = g_strdup (video);
  data->audio = g_strdup (audio);
  data->output = g_strdup (output);
  data->overlay = overlay;
  data->overlay_data = overlay_data;
  admint_stitch_run_task (admint_media_mux_audio_async, mux_work, data,
                          (GDestroyNotify) mux_task_data_free, cancellable, progress,
                          progress_data, callback, user_data);
}

AdmintStitchResult *
admint_media_mux_audio_finish (GAsyncResult  *result,
                               GError       **error)
{
  return admint_stitch_finish_task (result, admint_media_mux_audio_async, error);
}
