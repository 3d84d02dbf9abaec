/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A mixed sound track onto a finished video: the video stream copied (remix), or every frame
 * drawn on (burned captions) and encoded again. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>

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

static void
overlay_caps_changed (GstElement *overlay,
                      GstCaps    *caps,
                      gpointer    user_data)
{
  MuxJob *job = user_data;
  GstVideoInfo info;

  if (gst_video_info_from_caps (&info, caps))
    {
      job->width = GST_VIDEO_INFO_WIDTH (&info);
      job->height = GST_VIDEO_INFO_HEIGHT (&info);
    }
}

static void
overlay_draw (GstElement *overlay,
              cairo_t    *cr,
              guint64     timestamp,
              guint64     duration,
              gpointer    user_data)
{
  MuxJob *job = user_data;

  if (job->width > 0 && GST_CLOCK_TIME_IS_VALID (timestamp))
    job->overlay (cr, job->width, job->height, (double) timestamp / GST_SECOND,
                  job->overlay_data);
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
    GstElement *draw = gst_element_factory_make ("cairooverlay", NULL);
    GstElement *out = gst_element_factory_make ("videoconvert", NULL);
    GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
    GstElement *equeue = gst_element_factory_make ("queue", NULL);
    g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
                                                   "I420", NULL);

    if (enc == NULL)
      return NULL;
    if (draw == NULL)
      {
        gst_object_unref (gst_object_ref_sink (enc));
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                     _("Burning captions needs GStreamer's cairooverlay element. Install "
                     "gstreamer1.0-plugins-good"));
        return NULL;
      }
    g_object_set (in, "n-threads", 2, NULL);
    g_object_set (out, "n-threads", 2, NULL);
    g_object_set (filter, "caps", caps, NULL);
    g_object_set (equeue, "max-size-buffers", 0, "max-size-bytes", 0,
                  "max-size-time", (guint64) 10 * GST_SECOND, NULL);
    g_signal_connect (draw, "draw", G_CALLBACK (overlay_draw), job);
    g_signal_connect (draw, "caps-changed", G_CALLBACK (overlay_caps_changed), job);
    gst_bin_add_many (GST_BIN (job->pipeline), in, draw, out, filter, enc, equeue, NULL);
    gst_element_link_many (queue, in, draw, out, filter, enc, equeue, NULL);
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
