/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stitcher and exporter: a stream-copy join when clips match, one re-encode otherwise. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/audio/audio.h>
#include <gst/video/video.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-media-private.h"
#include "admint-stitch.h"
#include "admint-stitch-private.h"

#define AUDIO_RATE 48000

void
admint_stitch_result_free (AdmintStitchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->output);
  g_free (result);
}

gboolean
admint_transition_from_string (const char       *text,
                               AdmintTransition *transition)
{
  g_return_val_if_fail (transition != NULL, FALSE);

  if (g_strcmp0 (text, "none") == 0)
    *transition = ADMINT_TRANSITION_NONE;
  else if (g_strcmp0 (text, "crossfade") == 0)
    *transition = ADMINT_TRANSITION_CROSSFADE;
  else
    return FALSE;
  return TRUE;
}

/* The copy path ----------------------------------------------------------------------------- */

typedef struct {
  GstElement *pipeline;
  GstElement *concat_video;
  GstElement *concat_audio;
  GPtrArray  *video_pads;   /* concat sink pads, one per input, requested in order */
  GPtrArray  *audio_pads;
  gint        position_ms;
} CopyJob;

typedef struct {
  CopyJob *job;
  guint    index;
} CopyInput;

/* What pad carries: its negotiated caps, or else what it could carry. */
GstCaps *
admint_stitch_pad_caps (GstPad *pad)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);

  return caps != NULL ? caps : gst_pad_query_caps (pad, NULL);
}

static void
copy_pad_added (GstElement *parsebin,
                GstPad     *pad,
                gpointer    user_data)
{
  CopyInput *input = user_data;
  g_autoptr(GstCaps) caps = admint_stitch_pad_caps (pad);
  const char *name;
  GstPad *target = NULL;

  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "video/"))
    target = g_ptr_array_index (input->job->video_pads, input->index);
  else if (g_str_has_prefix (name, "audio/") && input->job->audio_pads != NULL)
    target = g_ptr_array_index (input->job->audio_pads, input->index);

  if (target != NULL && !gst_pad_is_linked (target))
    {
      GstPadLinkReturn ret = gst_pad_link (pad, target);

      if (ret != GST_PAD_LINK_OK)
        g_debug ("cannot link %s of input %u: %s", name, input->index,
                 gst_pad_link_get_name (ret));
    }
  else
    {
      /* A stream we do not keep (subtitles, a second audio track): drain it. */
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");

      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (input->job->pipeline), sink);
      gst_element_sync_state_with_parent (sink);
      gst_pad_link (pad, sinkpad);
    }
}

GstPadProbeReturn
admint_stitch_position_probe (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  gint *position_ms = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  g_autoptr(GstEvent) event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  const GstSegment *segment;

  if (event == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  gst_event_parse_segment (event, &segment);
  {
    guint64 rt = gst_segment_to_running_time (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
    if (rt != GST_CLOCK_TIME_NONE)
      g_atomic_int_set (position_ms, (gint) (rt / GST_MSECOND));
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
stitch_copy (GPtrArray            *infos,
             const char           *temp,
             double                total,
             GCancellable         *cancellable,
             AdmintMediaProgress  *progress,
             GError              **error)
{
  CopyJob job = { 0 };
  const AdmintMediaInfo *first = g_ptr_array_index (infos, 0);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GstElement) pipeline = NULL;
  GstElement *vqueue, *mux, *sink;
  g_autoptr(GstPad) probe_pad = NULL;
  gboolean ok;

  mux = admint_media_make_muxer (ADMINT_MEDIA_CONTAINER_MP4, error);
  if (mux == NULL)
    return FALSE;
  pipeline = gst_object_ref_sink (gst_pipeline_new ("stitch-copy"));
  admint_worker_watch_pipeline (pipeline);
  job.pipeline = pipeline;
  job.concat_video = gst_element_factory_make ("concat", "concat-video");
  vqueue = gst_element_factory_make ("queue", NULL);
  sink = gst_element_factory_make ("filesink", NULL);
  g_object_set (sink, "location", temp, NULL);
  /* Audio and video of one file come from one demuxer thread: the queues let the muxer take
   * them in its own order. */
  g_object_set (vqueue, "max-size-buffers", 0, "max-size-bytes", 0,
                "max-size-time", (guint64) 5 * GST_SECOND, NULL);
  gst_bin_add_many (GST_BIN (pipeline), job.concat_video, vqueue, mux, sink, NULL);
  gst_element_link_many (job.concat_video, vqueue, NULL);
  gst_element_link_pads (vqueue, "src", mux, "video_%u");
  gst_element_link (mux, sink);

  job.video_pads = g_ptr_array_new_with_free_func (gst_object_unref);
  if (first->has_audio)
    {
      GstElement *aqueue = gst_element_factory_make ("queue", NULL);

      job.concat_audio = gst_element_factory_make ("concat", "concat-audio");
      g_object_set (aqueue, "max-size-buffers", 0, "max-size-bytes", 0,
                    "max-size-time", (guint64) 5 * GST_SECOND, NULL);
      gst_bin_add_many (GST_BIN (pipeline), job.concat_audio, aqueue, NULL);
      gst_element_link (job.concat_audio, aqueue);
      gst_element_link_pads (aqueue, "src", mux, "audio_%u");
      job.audio_pads = g_ptr_array_new_with_free_func (gst_object_unref);
    }

  for (guint i = 0; i < infos->len; i++)
    {
      const AdmintMediaInfo *info = g_ptr_array_index (infos, i);
      /* Named "input-N-…" so that an error from inside can be traced back to its file. */
      g_autofree char *src_name = g_strdup_printf ("input-%u-src", i);
      g_autofree char *parse_name = g_strdup_printf ("input-%u-parse", i);
      GstElement *src = gst_element_factory_make ("filesrc", src_name);
      GstElement *parse = gst_element_factory_make ("parsebin", parse_name);
      CopyInput *input = g_new0 (CopyInput, 1);

      input->job = &job;
      input->index = i;
      g_ptr_array_add (inputs, input);
      g_ptr_array_add (paths, info->path);
      g_object_set (src, "location", info->path, NULL);
      gst_bin_add_many (GST_BIN (pipeline), src, parse, NULL);
      gst_element_link (src, parse);
      g_signal_connect (parse, "pad-added", G_CALLBACK (copy_pad_added), input);

      /* concat plays its sink pads in the order they were requested. */
      g_ptr_array_add (job.video_pads, gst_element_request_pad_simple (job.concat_video,
                                                                       "sink_%u"));
      if (job.audio_pads != NULL)
        g_ptr_array_add (job.audio_pads, gst_element_request_pad_simple (job.concat_audio,
                                                                         "sink_%u"));
    }
  g_ptr_array_add (paths, NULL);

  probe_pad = gst_element_get_static_pad (vqueue, "sink");
  gst_pad_add_probe (probe_pad, GST_PAD_PROBE_TYPE_BUFFER, admint_stitch_position_probe, &job.position_ms,
                     NULL);

  ok = admint_media_run_pipeline (pipeline, (const char * const *) paths->pdata, cancellable,
                                  progress, &job.position_ms, (gint) (total * 1000), error);
  g_ptr_array_unref (job.video_pads);
  g_clear_pointer (&job.audio_pads, g_ptr_array_unref);
  return ok;
}

/* Readers: one decoding pipeline per input, frames and samples pulled from appsinks --------- */

static gboolean
skip_other_kind (GstElement *decodebin,
                 GstPad     *pad,
                 GstCaps    *caps,
                 gpointer    user_data)
{
  static const char * const containers[] = {
    "video/quicktime", "video/x-matroska", "video/webm", "video/x-msvideo", "video/mpegts",
    "video/x-flv", "video/x-ms-asf", "audio/x-m4a", "audio/x-wav", "audio/x-aiff", NULL
  };
  const char *unwanted = user_data;  /* "audio/" or "video/" */
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  const char *name = gst_structure_get_name (s);
  gboolean system = FALSE;

  if (!g_str_has_prefix (name, unwanted))
    return TRUE;
  /* A container's caps can start with "video/" too: those must still be demuxed. */
  if (g_strv_contains (containers, name) ||
      (gst_structure_get_boolean (s, "systemstream", &system) && system))
    return TRUE;
  /* FALSE stops decodebin here: the other kind of stream is exposed undecoded and drained,
   * so a video reader never spends time decoding sound and vice versa. */
  return FALSE;
}

typedef struct {
  GstElement *first;   /* where decoded pads of the wanted kind are linked */
  const char *wanted;  /* "video/x-raw" or "audio/x-raw" */
} ReaderLink;

static void
reader_pad_added (GstElement *decodebin,
                  GstPad     *pad,
                  gpointer    user_data)
{
  ReaderLink *link = user_data;
  g_autoptr(GstCaps) caps = admint_stitch_pad_caps (pad);
  g_autoptr(GstPad) target = gst_element_get_static_pad (link->first, "sink");
  const char *name;

  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_equal (name, link->wanted) && !gst_pad_is_linked (target))
    gst_pad_link (pad, target);
  else
    {
      /* The demuxer feeds every stream from one thread: a queue in front of the drain lets
       * the kept stream preroll while this one waits. */
      GstElement *pipeline = GST_ELEMENT (gst_object_get_parent (GST_OBJECT (decodebin)));
      GstElement *queue = gst_element_factory_make ("queue", NULL);
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (queue, "sink");

      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      g_object_set (queue, "max-size-buffers", 0, "max-size-bytes", 0, "max-size-time",
                    (guint64) 0, NULL);
      gst_bin_add_many (GST_BIN (pipeline), queue, sink, NULL);
      gst_element_link (queue, sink);
      gst_element_sync_state_with_parent (sink);
      gst_element_sync_state_with_parent (queue);
      gst_pad_link (pad, sinkpad);
      gst_object_unref (pipeline);
    }
}

typedef struct {
  const char  *path;
  GstElement  *pipeline;
  GstElement  *appsink;
  GstBus      *bus;
  ReaderLink   link;
  gboolean     eos;
} Reader;

static void
reader_close (Reader *reader)
{
  if (reader->pipeline != NULL)
    gst_element_set_state (reader->pipeline, GST_STATE_NULL);
  g_clear_object (&reader->bus);
  g_clear_object (&reader->pipeline);
  reader->appsink = NULL;
}

/* Sets error from the ERROR message msg, as admint_media_set_gst_error words it for path. */
static void
set_error_from_message (GstMessage  *msg,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GError) gst_error = NULL;

  gst_message_parse_error (msg, &gst_error, NULL);
  admint_media_set_gst_error (error, gst_error, path);
}

/* Builds filesrc ! decodebin ! CHAIN… ! appsink, where CHAIN ends in a capsfilter with CAPS. */
static gboolean
reader_open (Reader      *reader,
             const char  *path,
             gboolean     video,
             GstCaps     *caps,
             GError     **error)
{
  GstElement *src, *dec, *queue, *capsfilter, *convert, *scale = NULL, *rate = NULL;

  memset (reader, 0, sizeof *reader);
  reader->path = path;
  reader->pipeline = gst_object_ref_sink (gst_pipeline_new (video ? "read-video"
                                                                  : "read-audio"));
  admint_worker_watch_pipeline (reader->pipeline);
  src = gst_element_factory_make ("filesrc", NULL);
  dec = gst_element_factory_make ("decodebin", NULL);
  capsfilter = gst_element_factory_make ("capsfilter", NULL);
  queue = gst_element_factory_make ("queue", NULL);
  reader->appsink = gst_element_factory_make ("appsink", NULL);
  if (video)
    {
      convert = gst_element_factory_make ("videoconvert", NULL);
      scale = gst_element_factory_make ("videoscale", NULL);
      rate = gst_element_factory_make ("videorate", NULL);
      g_object_set (convert, "n-threads", 2, NULL);
      g_object_set (scale, "n-threads", 2, NULL);
      g_object_set (reader->appsink, "max-buffers", 4, NULL);
    }
  else
    {
      convert = gst_element_factory_make ("audioconvert", NULL);
      scale = gst_element_factory_make ("audioresample", NULL);
    }
  g_object_set (src, "location", path, NULL);
  g_object_set (capsfilter, "caps", caps, NULL);
  g_object_set (reader->appsink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (reader->pipeline), src, dec, queue, convert, scale, capsfilter,
                    reader->appsink, NULL);
  if (rate != NULL)
    gst_bin_add (GST_BIN (reader->pipeline), rate);
  gst_element_link (src, dec);
  if (rate != NULL)
    gst_element_link_many (queue, convert, scale, rate, capsfilter, reader->appsink, NULL);
  else
    gst_element_link_many (queue, convert, scale, capsfilter, reader->appsink, NULL);

  reader->link.first = queue;
  reader->link.wanted = video ? "video/x-raw" : "audio/x-raw";
  g_signal_connect (dec, "autoplug-continue", G_CALLBACK (skip_other_kind),
                    (gpointer) (video ? "audio/" : "video/"));
  g_signal_connect (dec, "pad-added", G_CALLBACK (reader_pad_added), &reader->link);
  reader->bus = gst_element_get_bus (reader->pipeline);

  if (gst_element_set_state (reader->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (reader->bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) gst_error = NULL;

      if (msg != NULL)
        gst_message_parse_error (msg, &gst_error, NULL);
      else
        gst_error = g_error_new_literal (GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                                         "cannot start decoding");
      admint_media_set_gst_error (error, gst_error, path);
      reader_close (reader);
      return FALSE;
    }
  return TRUE;
}

/* The next sample, or NULL at the end (ERROR unset) or on failure (ERROR set). */
static GstSample *
reader_pull (Reader        *reader,
             GCancellable  *cancellable,
             GError       **error)
{
  while (!reader->eos)
    {
      GstSample *sample;
      g_autoptr(GstMessage) msg = NULL;

      if (admint_media_check_cancelled (cancellable, error))
        return NULL;
      msg = gst_bus_pop_filtered (reader->bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        {
          set_error_from_message (msg, reader->path, error);
          return NULL;
        }
      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (reader->appsink), 50 * GST_MSECOND);
      if (sample != NULL)
        return sample;
      if (gst_app_sink_is_eos (GST_APP_SINK (reader->appsink)))
        reader->eos = TRUE;
    }
  return NULL;
}

/* Decodes PATH's sound as 48 kHz stereo float. */
static gboolean
read_audio (const char    *path,
            GArray        *samples,
            GCancellable  *cancellable,
            GError       **error)
{
  Reader reader;
  g_autoptr(GstCaps) caps = gst_caps_new_simple ("audio/x-raw",
                                                 "format", G_TYPE_STRING, "F32LE",
                                                 "layout", G_TYPE_STRING, "interleaved",
                                                 "rate", G_TYPE_INT, AUDIO_RATE,
                                                 "channels", G_TYPE_INT, 2, NULL);

  if (!reader_open (&reader, path, FALSE, caps, error))
    return FALSE;
  for (;;)
    {
      g_autoptr(GstSample) sample = reader_pull (&reader, cancellable, error);
      GstMapInfo map;

      if (sample == NULL)
        break;
      if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
        {
          g_array_append_vals (samples, map.data, map.size / sizeof (float));
          gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
        }
    }
  reader_close (&reader);
  return error == NULL || *error == NULL;
}

/* The re-encode path ------------------------------------------------------------------------ */

typedef struct {
  GstElement   *pipeline;
  GstElement   *video_src;
  GstElement   *audio_src;
  GstBus       *bus;
  guint64       frames_pushed;
} Encoder;

static gboolean
encoder_open (Encoder      *enc,
              const Target *t,
              const char   *location,
              GError      **error)
{
  GstElement *venc, *aenc, *mux, *sink, *aconv, *vqueue, *aqueue;
  g_autoptr(GstCaps) vcaps = gst_video_info_to_caps (&t->out_info);
  g_autoptr(GstCaps) acaps = gst_caps_new_simple ("audio/x-raw",
                                                  "format", G_TYPE_STRING, "F32LE",
                                                  "layout", G_TYPE_STRING, "interleaved",
                                                  "rate", G_TYPE_INT, AUDIO_RATE,
                                                  "channels", G_TYPE_INT, 2,
                                                  "channel-mask", GST_TYPE_BITMASK,
                                                  (guint64) 0x3, NULL);
  gboolean webm = t->container == ADMINT_MEDIA_CONTAINER_WEBM;

  memset (enc, 0, sizeof *enc);
  venc = webm ? admint_media_make_vp9_encoder (ADMINT_MEDIA_SPEED_NORMAL, error)
              : admint_media_make_h264_encoder (ADMINT_MEDIA_SPEED_NORMAL, error);
  if (venc == NULL)
    return FALSE;
  aenc = webm ? admint_media_make_opus_encoder (error) : admint_media_make_aac_encoder (error);
  mux = aenc ? admint_media_make_muxer (t->container, error) : NULL;
  if (aenc == NULL || mux == NULL)
    {
      gst_object_unref (gst_object_ref_sink (venc));
      if (aenc != NULL)
        gst_object_unref (gst_object_ref_sink (aenc));
      return FALSE;
    }

  enc->pipeline = gst_object_ref_sink (gst_pipeline_new ("encode"));
  admint_worker_watch_pipeline (enc->pipeline);
  enc->video_src = gst_element_factory_make ("appsrc", NULL);
  enc->audio_src = gst_element_factory_make ("appsrc", NULL);
  vqueue = gst_element_factory_make ("queue", NULL);
  aqueue = gst_element_factory_make ("queue", NULL);
  aconv = gst_element_factory_make ("audioconvert", NULL);
  sink = gst_element_factory_make ("filesink", NULL);
  g_object_set (enc->video_src, "caps", vcaps, "format", GST_FORMAT_TIME, "max-bytes",
                (guint64) 0, NULL);
  g_object_set (enc->audio_src, "caps", acaps, "format", GST_FORMAT_TIME, "max-bytes",
                (guint64) 0, NULL);
  /* The encoder's look-ahead holds many frames before the muxer sees one: the audio queue
   * must hold that much sound or the two branches wait for each other. */
  g_object_set (aqueue, "max-size-buffers", 0, "max-size-bytes", 0,
                "max-size-time", (guint64) 10 * GST_SECOND, NULL);
  g_object_set (vqueue, "max-size-buffers", 0, "max-size-bytes", 0,
                "max-size-time", (guint64) 10 * GST_SECOND, NULL);
  g_object_set (sink, "location", location, NULL);
  gst_bin_add_many (GST_BIN (enc->pipeline), enc->video_src, venc, vqueue, enc->audio_src,
                    aconv, aenc, aqueue, mux, sink, NULL);
  if (!gst_element_link_many (enc->video_src, venc, vqueue, mux, sink, NULL) ||
      !gst_element_link_many (enc->audio_src, aconv, aenc, aqueue, mux, NULL))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot build the encoding pipeline for %d×%d (an encoder refused the "
                   "format). Try another preset"), t->width, t->height);
      g_clear_object (&enc->pipeline);
      return FALSE;
    }
  enc->bus = gst_element_get_bus (enc->pipeline);
  gst_element_set_state (enc->pipeline, GST_STATE_PLAYING);
  return TRUE;
}

static void
encoder_close (Encoder *enc)
{
  if (enc->pipeline != NULL)
    gst_element_set_state (enc->pipeline, GST_STATE_NULL);
  g_clear_object (&enc->bus);
  g_clear_object (&enc->pipeline);
}

/* Pushes one output frame and the sound that goes with it; waits while the encoder is busy. */
static gboolean
encoder_push (Encoder       *enc,
              Target        *t,
              GstBuffer     *frame,
              GCancellable  *cancellable,
              GError       **error)
{
  guint64 index = enc->frames_pushed++;
  guint64 pts = gst_util_uint64_scale (index, GST_SECOND * t->fps_d, t->fps_n);
  guint64 next = gst_util_uint64_scale (index + 1, GST_SECOND * t->fps_d, t->fps_n);
  guint64 sample_end = gst_util_uint64_scale (next, AUDIO_RATE, GST_SECOND);
  guint64 total_samples = t->audio->len / 2;

  while (gst_app_src_get_current_level_bytes (GST_APP_SRC (enc->video_src)) >
         4 * (guint64) GST_VIDEO_INFO_SIZE (&t->out_info))
    {
      g_autoptr(GstMessage) msg = NULL;

      if (admint_media_check_cancelled (cancellable, error))
        {
          gst_buffer_unref (frame);
          return FALSE;
        }
      msg = gst_bus_timed_pop_filtered (enc->bus, 2 * GST_MSECOND, GST_MESSAGE_ERROR);
      if (msg != NULL)
        {
          set_error_from_message (msg, NULL, error);
          gst_buffer_unref (frame);
          return FALSE;
        }
    }

  frame = gst_buffer_make_writable (frame);
  GST_BUFFER_PTS (frame) = pts;
  GST_BUFFER_DTS (frame) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (frame) = next - pts;
  gst_app_src_push_buffer (GST_APP_SRC (enc->video_src), frame);

  sample_end = MIN (sample_end, total_samples);
  if (sample_end > t->audio_pushed)
    {
      gsize n = sample_end - t->audio_pushed;
      GstBuffer *chunk = gst_buffer_new_memdup (&g_array_index (t->audio, float,
                                                                t->audio_pushed * 2),
                                                n * 2 * sizeof (float));

      GST_BUFFER_PTS (chunk) = gst_util_uint64_scale (t->audio_pushed, GST_SECOND, AUDIO_RATE);
      GST_BUFFER_DURATION (chunk) = gst_util_uint64_scale (n, GST_SECOND, AUDIO_RATE);
      gst_app_src_push_buffer (GST_APP_SRC (enc->audio_src), chunk);
      t->audio_pushed = sample_end;
    }
  return TRUE;
}

/* Mixes every clip's sound (silence where a clip has none), cross-fading where the pictures
 * do, and the music bed under it all, faded in and out. */
static gboolean
mix_audio (Target                     *t,
           Clip                       *clips,
           guint                       n_clips,
           guint                       total_frames,
           guint                       overlap,
           const AdmintStitchOptions  *options,
           GCancellable               *cancellable,
           GError                    **error)
{
  guint64 total = gst_util_uint64_scale (total_frames, (guint64) AUDIO_RATE * t->fps_d,
                                         t->fps_n);
  float *out;
  gboolean any_sound = FALSE;

  g_array_set_size (t->audio, total * 2);
  out = (float *) t->audio->data;
  memset (out, 0, total * 2 * sizeof (float));

  for (guint i = 0; i < n_clips; i++)
    {
      g_autoptr(GArray) samples = NULL;
      guint64 start = gst_util_uint64_scale (clips[i].start, (guint64) AUDIO_RATE * t->fps_d,
                                             t->fps_n);
      guint64 length = gst_util_uint64_scale (clips[i].n_frames,
                                              (guint64) AUDIO_RATE * t->fps_d, t->fps_n);
      guint64 fade = gst_util_uint64_scale (overlap, (guint64) AUDIO_RATE * t->fps_d, t->fps_n);

      if (!clips[i].info->has_audio)
        continue;
      samples = g_array_new (FALSE, FALSE, sizeof (float));
      if (!read_audio (clips[i].info->path, samples, cancellable, error))
        return FALSE;
      any_sound = TRUE;
      length = MIN (length, samples->len / 2);
      for (guint64 s = 0; s < length && start + s < total; s++)
        {
          float gain = 1.0f;

          if (fade > 0 && i > 0 && s < fade)
            gain = (float) s / fade;
          if (fade > 0 && i + 1 < n_clips && s >= length - MIN (fade, length))
            gain *= (float) (length - s) / fade;
          out[(start + s) * 2] += gain * g_array_index (samples, float, s * 2);
          out[(start + s) * 2 + 1] += gain * g_array_index (samples, float, s * 2 + 1);
        }
    }

  if (options->music != NULL)
    {
      g_autoptr(GArray) music = g_array_new (FALSE, FALSE, sizeof (float));
      double volume = options->music_volume > 0 ? options->music_volume
                                                : any_sound ? 0.35 : 0.8;
      guint64 fade_in = AUDIO_RATE / 2;
      guint64 fade_out = MIN ((guint64) AUDIO_RATE * 2, total / 3);
      guint64 n;

      if (!read_audio (options->music, music, cancellable, error))
        return FALSE;
      n = music->len / 2;
      if (n == 0)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("The music file %s has no sound. Use an MP3, Ogg, FLAC, WAV or M4A "
                       "file with audio"), options->music);
          return FALSE;
        }
      /* A bed shorter than the video loops. */
      for (guint64 s = 0; s < total; s++)
        {
          double gain = volume;
          guint64 m = s % n;

          if (s < fade_in)
            gain *= (double) s / fade_in;
          if (s + fade_out > total)
            gain *= (double) (total - s) / fade_out;
          out[s * 2] += (float) (gain * g_array_index (music, float, m * 2));
          out[s * 2 + 1] += (float) (gain * g_array_index (music, float, m * 2 + 1));
        }
    }

  for (guint64 s = 0; s < total * 2; s++)
    out[s] = CLAMP (out[s], -1.0f, 1.0f);
  return TRUE;
}

/* The readers of the clip playing and (during a cross-fade) the one coming in, with the last
 * frame each gave: a clip that ends early holds its last picture. */
typedef struct {
  Reader     current, next;
  gboolean   have_next;
  GstBuffer *last, *last_next;
  guint      overlap;
} Playhead;

static void
playhead_clear (Playhead *p)
{
  g_clear_pointer (&p->last, gst_buffer_unref);
  g_clear_pointer (&p->last_next, gst_buffer_unref);
  reader_close (&p->current);
  reader_close (&p->next);
}

/* Pulls a sample from READER into *LAST (shaped for CLIP); FALSE on error only. */
static gboolean
pull_into (Reader        *reader,
           const Target  *t,
           const Clip    *clip,
           GstBuffer    **last,
           GCancellable  *cancellable,
           GError       **error)
{
  GstSample *sample = reader_pull (reader, cancellable, error);

  if (sample == NULL)
    return error == NULL || *error == NULL;
  g_clear_pointer (last, gst_buffer_unref);
  *last = admint_stitch_clip_frame (t, clip, sample);
  gst_sample_unref (sample);
  return TRUE;
}

/* Frame F of clip I of N, blended with the next clip's opening in the cross-fade. */
static GstBuffer *
next_frame (Playhead      *p,
            const Target  *t,
            Clip          *clips,
            guint          n,
            guint          i,
            guint          f,
            GCancellable  *cancellable,
            GError       **error)
{
  const Clip *clip = &clips[i];
  GstBuffer *frame;

  if (!pull_into (&p->current, t, clip, &p->last, cancellable, error))
    return NULL;
  if (p->last == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "%s has no picture that can be decoded. The file is corrupt or "
                   "truncated: use a complete video file", clip->info->path);
      return NULL;
    }
  frame = gst_buffer_ref (p->last);
  if (p->overlap == 0 || i + 1 >= n || f < clip->n_frames - p->overlap)
    return frame;

  if (!p->have_next)
    {
      g_autoptr(GstCaps) next_caps = admint_stitch_clip_video_caps (t, &clips[i + 1]);

      if (!reader_open (&p->next, clips[i + 1].info->path, TRUE, next_caps, error))
        goto fail;
      p->have_next = TRUE;
    }
  if (!pull_into (&p->next, t, &clips[i + 1], &p->last_next, cancellable, error))
    goto fail;
  if (p->last_next != NULL)
    {
      guint g = f - (clip->n_frames - p->overlap);
      GstBuffer *mixed = admint_stitch_blend_frames (t, frame, p->last_next,
                                                     (g + 1.0) / (p->overlap + 1.0));

      gst_buffer_unref (frame);
      frame = mixed;
    }
  return frame;

fail:
  gst_buffer_unref (frame);
  return NULL;
}

/* Encodes clip I's frames from FIRST_FRAME (past what the cross-fade already showed). */
static gboolean
encode_clip (Playhead             *p,
             Encoder              *enc,
             Target               *t,
             Clip                 *clips,
             guint                 n,
             guint                 i,
             guint                 first_frame,
             guint                 total_frames,
             GCancellable         *cancellable,
             AdmintMediaProgress  *progress,
             GError              **error)
{
  if (p->have_next)
    {
      p->current = p->next;
      memset (&p->next, 0, sizeof p->next);
      p->have_next = FALSE;
      g_clear_pointer (&p->last, gst_buffer_unref);
      p->last = g_steal_pointer (&p->last_next);
    }
  else
    {
      g_autoptr(GstCaps) caps = admint_stitch_clip_video_caps (t, &clips[i]);

      if (!reader_open (&p->current, clips[i].info->path, TRUE, caps, error))
        return FALSE;
    }

  for (guint f = first_frame; f < clips[i].n_frames; f++)
    {
      GstBuffer *frame = next_frame (p, t, clips, n, i, f, cancellable, error);

      if (frame == NULL || !encoder_push (enc, t, frame, cancellable, error))
        return FALSE;
      admint_media_progress_report (progress, 0.02 + 0.95 * enc->frames_pushed / total_frames);
    }
  reader_close (&p->current);
  return TRUE;
}

static gboolean
stitch_reencode (GPtrArray                  *infos,
                 const char                 *temp,
                 const AdmintStitchOptions  *options,
                 Target                     *t,
                 GCancellable               *cancellable,
                 AdmintMediaProgress        *progress,
                 double                     *duration,
                 GError                    **error)
{
  guint n = infos->len, overlap, total_frames;
  g_autofree Clip *clips = NULL;
  Encoder enc = { 0 };
  Playhead p = { 0 };
  gboolean ok = FALSE;

  gst_video_info_set_format (&t->out_info, GST_VIDEO_FORMAT_I420, t->width, t->height);
  GST_VIDEO_INFO_FPS_N (&t->out_info) = t->fps_n;
  GST_VIDEO_INFO_FPS_D (&t->out_info) = t->fps_d;
  t->audio = g_array_new (FALSE, FALSE, sizeof (float));
  t->audio_pushed = 0;
  clips = admint_stitch_plan_clips (infos, options, t, &overlap, &total_frames);
  p.overlap = overlap;
  *duration = (double) total_frames * t->fps_d / t->fps_n;

  if (!mix_audio (t, clips, n, total_frames, overlap, options, cancellable, error))
    goto out;
  admint_media_progress_report (progress, 0.02);
  if (!encoder_open (&enc, t, temp, error))
    goto out;

  for (guint i = 0; i < n; i++)
    if (!encode_clip (&p, &enc, t, clips, n, i, i > 0 && overlap > 0 ? overlap : 0,
                      total_frames, cancellable, progress, error))
      goto out;

  gst_app_src_end_of_stream (GST_APP_SRC (enc.video_src));
  gst_app_src_end_of_stream (GST_APP_SRC (enc.audio_src));
  {
    GstElement *pipeline = g_object_ref (enc.pipeline);
    ok = admint_media_run_pipeline (pipeline, NULL, cancellable, NULL, NULL, 0, error);
    gst_object_unref (pipeline);
  }

out:
  playhead_clear (&p);
  encoder_close (&enc);
  g_clear_pointer (&t->audio, g_array_unref);
  return ok;
}

/* The entry points -------------------------------------------------------------------------- */

static gboolean
can_copy (GPtrArray                  *infos,
          const AdmintStitchOptions  *options)
{
  const AdmintMediaInfo *first = g_ptr_array_index (infos, 0);
  const GstStructure *s;

  if (options->force_reencode || options->transition != ADMINT_TRANSITION_NONE ||
      options->music != NULL)
    return FALSE;
  s = gst_caps_get_structure (first->video_caps, 0);
  if (!gst_structure_has_name (s, "video/x-h264"))
    return FALSE;
  if (first->has_audio &&
      !gst_structure_has_name (gst_caps_get_structure (first->audio_caps, 0), "audio/mpeg"))
    return FALSE;
  if (options->preset != NULL &&
      (options->preset->container != ADMINT_MEDIA_CONTAINER_MP4 ||
       options->preset->width != first->width || options->preset->height != first->height ||
       options->preset->fps * first->fps_d != first->fps_n))
    return FALSE;
  for (guint i = 1; i < infos->len; i++)
    {
      const AdmintMediaInfo *info = g_ptr_array_index (infos, i);

      /* Identical caps include identical SPS/PPS (codec_data): the decoder can run through
       * the joins without being told anything changed. */
      if (!gst_caps_is_equal (info->video_caps, first->video_caps) ||
          info->has_audio != first->has_audio ||
          (first->has_audio && !gst_caps_is_equal (info->audio_caps, first->audio_caps)))
        return FALSE;
    }
  return TRUE;
}

static AdmintStitchResult *
stitch_internal (const char * const         *clips,
                 const char                 *output,
                 const AdmintStitchOptions  *options,
                 GCancellable               *cancellable,
                 AdmintMediaProgress        *progress,
                 GError                    **error)
{
  AdmintStitchOptions defaults = { 0 };
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               admint_media_info_free);
  g_autofree char *temp = NULL;
  g_autoptr(AdmintStitchResult) result = g_new0 (AdmintStitchResult, 1);
  const AdmintMediaInfo *first;
  double total = 0;
  gboolean ok;

  admint_media_init ();
  if (options == NULL)
    options = &defaults;
  if (clips == NULL || clips[0] == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("No clips to stitch. Name at least one video file"));
      return NULL;
    }
  if (options->music != NULL)
    {
      if (!g_file_test (options->music, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                       _("The music file %s does not exist. Check the path"), options->music);
          return NULL;
        }
    }
  for (guint i = 0; clips[i] != NULL; i++)
    {
      AdmintMediaInfo *info = admint_media_probe (clips[i], cancellable, error);

      if (info == NULL)
        return NULL;
      total += info->duration;
      g_ptr_array_add (infos, info);
    }
  first = g_ptr_array_index (infos, 0);

  temp = admint_media_temp_path (output, error);
  if (temp == NULL)
    return NULL;
  admint_media_progress_report (progress, 0.0);

  result->output = g_strdup (output);
  if (can_copy (infos, options))
    {
      result->copied = TRUE;
      result->width = first->width;
      result->height = first->height;
      result->container = ADMINT_MEDIA_CONTAINER_MP4;
      result->duration = total;
      g_debug ("stitching %u clips by copying their streams", infos->len);
      ok = stitch_copy (infos, temp, total, cancellable, progress, error);
    }
  else
    {
      Target t = { 0 };

      if (options->preset != NULL)
        {
          t.width = options->preset->width;
          t.height = options->preset->height;
          t.fps_n = options->preset->fps;
          t.fps_d = 1;
          t.container = options->preset->container;
        }
      else
        {
          t.width = MAX (2, first->width & ~1);
          t.height = MAX (2, first->height & ~1);
          t.fps_n = first->fps_n;
          t.fps_d = first->fps_d;
          t.container = ADMINT_MEDIA_CONTAINER_MP4;
        }
      t.fit = options->fit;
      result->width = t.width;
      result->height = t.height;
      result->container = t.container;
      g_debug ("stitching %u clips by re-encoding to %d×%d", infos->len, t.width, t.height);
      ok = stitch_reencode (infos, temp, options, &t, cancellable, progress, &result->duration,
                            error);
    }

  if (ok)
    ok = admint_media_finish_output (temp, output, error);
  else
    g_unlink (temp);
  if (!ok)
    return NULL;
  admint_media_progress_report (progress, 1.0);
  return g_steal_pointer (&result);
}

AdmintStitchResult *
admint_media_stitch (const char * const         *clips,
                     const char                 *output,
                     const AdmintStitchOptions  *options,
                     GCancellable               *cancellable,
                     AdmintMediaProgressFunc     progress,
                     gpointer                    progress_data,
                     GError                    **error)
{
  AdmintMediaProgress p;
  AdmintStitchResult *result;

  g_return_val_if_fail (clips != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  admint_media_progress_init (&p, NULL, progress, progress_data);
  result = stitch_internal (clips, output, options, cancellable, &p, error);
  admint_media_progress_clear (&p);
  return result;
}

AdmintStitchResult *
admint_media_export (const char               *input,
                     const char               *output,
                     const AdmintMediaPreset  *preset,
                     GCancellable             *cancellable,
                     AdmintMediaProgressFunc   progress,
                     gpointer                  progress_data,
                     GError                  **error)
{
  const char *clips[] = { input, NULL };
  AdmintStitchOptions options = { .preset = preset };

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);
  g_return_val_if_fail (preset != NULL, NULL);

  return admint_media_stitch (clips, output, &options, cancellable, progress, progress_data,
                              error);
}

typedef struct {
  AdmintStitchWork     work;
  gpointer             data;
  GDestroyNotify       data_free;
  AdmintMediaProgress  progress;
} StitchTask;

static void
stitch_task_free (StitchTask *task)
{
  if (task->data_free != NULL)
    task->data_free (task->data);
  admint_media_progress_clear (&task->progress);
  g_free (task);
}

static void
stitch_task_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StitchTask *t = task_data;
  GError *error = NULL;
  AdmintStitchResult *result;

  result = t->work (t->data, cancellable, &t->progress, &error);
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) admint_stitch_result_free);
  else
    g_task_return_error (task, error);
}

void
admint_stitch_run_task (gpointer                 source_tag,
                        AdmintStitchWork         work,
                        gpointer                 data,
                        GDestroyNotify           data_free,
                        GCancellable            *cancellable,
                        AdmintMediaProgressFunc  progress,
                        gpointer                 progress_data,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  StitchTask *t = g_new0 (StitchTask, 1);

  g_task_set_source_tag (task, source_tag);
  t->work = work;
  t->data = data;
  t->data_free = data_free;
  admint_media_progress_init (&t->progress, context, progress, progress_data);
  g_task_set_task_data (task, t, (GDestroyNotify) stitch_task_free);
  g_task_run_in_thread (task, stitch_task_thread);
}

typedef struct {
  GStrv                clips;
  char                *output;
  AdmintStitchOptions  options;
  char                *music;
} StitchTaskData;

static void
stitch_task_data_free (StitchTaskData *data)
{
  g_strfreev (data->clips);
  g_free (data->output);
  g_free (data->music);
  g_free (data);
}

static AdmintStitchResult *
stitch_work (gpointer              task_data,
             GCancellable         *cancellable,
             AdmintMediaProgress  *progress,
             GError              **error)
{
  admint_worker_lower_priority ();
  StitchTaskData *data = task_data;

  return stitch_internal ((const char * const *) data->clips, data->output, &data->options,
                          cancellable, progress, error);
}

static void
start_stitch_task (gpointer                    source_tag,
                   const char * const         *clips,
                   const char                 *output,
                   const AdmintStitchOptions  *options,
                   GCancellable               *cancellable,
                   AdmintMediaProgressFunc     progress,
                   gpointer                    progress_data,
                   GAsyncReadyCallback         callback,
                   gpointer                    user_data)
{
  StitchTaskData *data = g_new0 (StitchTaskData, 1);

  data->clips = g_strdupv ((char **) clips);
  data->output = g_strdup (output);
  if (options != NULL)
    data->options = *options;
  data->music = g_strdup (data->options.music);
  data->options.music = data->music;
  admint_stitch_run_task (source_tag, stitch_work, data, (GDestroyNotify) stitch_task_data_free,
                          cancellable, progress, progress_data, callback, user_data);
}

void
admint_media_stitch_async (const char * const         *clips,
                           const char                 *output,
                           const AdmintStitchOptions  *options,
                           GCancellable               *cancellable,
                           AdmintMediaProgressFunc     progress,
                           gpointer                    progress_data,
                           GAsyncReadyCallback         callback,
                           gpointer                    user_data)
{
  g_return_if_fail (clips != NULL);
  g_return_if_fail (output != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_stitch_task (admint_media_stitch_async, clips, output, options, cancellable, progress,
                     progress_data, callback, user_data);
}

/* The end of stitch_finish and export_finish: the result of the task source_tag started. */
AdmintStitchResult *
admint_stitch_finish_task (GAsyncResult  *result,
                           gpointer       source_tag,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

AdmintStitchResult *
admint_media_stitch_finish (GAsyncResult  *result,
                            GError       **error)
{
  return admint_stitch_finish_task (result, admint_media_stitch_async, error);
}

void
admint_media_export_async (const char               *input,
                           const char               *output,
                           const AdmintMediaPreset  *preset,
                           GCancellable             *cancellable,
                           AdmintMediaProgressFunc   progress,
                           gpointer                  progress_data,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  const char *clips[] = { input, NULL };
  AdmintStitchOptions options = { .preset = preset };

  g_return_if_fail (input != NULL);
  g_return_if_fail (output != NULL);
  g_return_if_fail (preset != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_stitch_task (admint_media_export_async, clips, output, &options, cancellable, progress,
                     progress_data, callback, user_data);
}

AdmintStitchResult *
admint_media_export_finish (GAsyncResult  *result,
                            GError       **error)
{
  return admint_stitch_finish_task (result, admint_media_export_async, error);
}
