/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic clips and checks on media files, shared by the media tests. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gst/app/gstappsink.h>

#include "admint-test-media.h"
#include "media-test-util.h"

void
media_test_make_clip (const char *path,
                      int         width,
                      int         height,
                      int         fps,
                      double      seconds,
                      gboolean    audio,
                      const char *pattern)
{
  int frames = (int) (seconds * fps + 0.5);
  g_autofree char *desc = NULL;
  g_autofree char *audio_part = NULL;

  if (audio)
    audio_part = g_strdup_printf (" audiotestsrc num-buffers=%d samplesperbuffer=%d freq=440 ! "
                                  "audio/x-raw,rate=48000,channels=2 ! audioconvert ! "
                                  "avenc_aac ! mux.", frames, 48000 / fps);
  desc = g_strdup_printf ("videotestsrc num-buffers=%d pattern=%s ! "
                          "video/x-raw,width=%d,height=%d,framerate=%d/1 ! videoconvert ! "
                          "x264enc speed-preset=ultrafast key-int-max=30 ! mp4mux name=mux "
                          "faststart=true ! filesink location=\"%s\"%s",
                          frames, pattern ? pattern : "smpte", width, height, fps, path,
                          audio_part ? audio_part : "");
  admint_test_gst_launch (desc, NULL);
}

GstDiscovererInfo *
media_test_discover (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (20 * GST_SECOND, &error);
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  GstDiscovererInfo *info;

  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  return info;
}

void
media_test_video_params (GstDiscovererInfo  *info,
                         int                *width,
                         int                *height,
                         int                *fps_n,
                         int                *fps_d,
                         char              **video_codec_caps,
                         char              **audio_codec_caps)
{
  GList *video = gst_discoverer_info_get_video_streams (info);
  GList *audio = gst_discoverer_info_get_audio_streams (info);
  GstDiscovererVideoInfo *v;

  g_assert_nonnull (video);
  v = video->data;
  *width = gst_discoverer_video_info_get_width (v);
  *height = gst_discoverer_video_info_get_height (v);
  *fps_n = gst_discoverer_video_info_get_framerate_num (v);
  *fps_d = gst_discoverer_video_info_get_framerate_denom (v);
  if (video_codec_caps)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (video->data);
      *video_codec_caps = gst_caps_to_string (caps);
    }
  if (audio_codec_caps)
    {
      *audio_codec_caps = NULL;
      if (audio != NULL)
        {
          g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (audio->data);
          *audio_codec_caps = gst_caps_to_string (caps);
        }
    }
  gst_discoverer_stream_info_list_free (video);
  gst_discoverer_stream_info_list_free (audio);
}

double
media_test_duration (GstDiscovererInfo *info)
{
  return (double) gst_discoverer_info_get_duration (info) / GST_SECOND;
}

char *
media_test_box_order (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0, pos = 0;
  GString *order = g_string_new (NULL);

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  while (pos + 8 <= len)
    {
      guint64 size = GST_READ_UINT32_BE (data + pos);

      if (size == 1)
        size = GST_READ_UINT64_BE (data + pos + 8);
      else if (size == 0)
        size = len - pos;
      g_string_append_printf (order, "%s%.4s", order->len ? " " : "", data + pos + 4);
      if (size < 8)
        break;
      pos += size;
    }
  return g_string_free (order, FALSE);
}

static void
count_frame (GstElement *sink,
             GstBuffer  *buffer,
             GstPad     *pad,
             gpointer    user_data)
{
  guint *frames = user_data;
  (*frames)++;
}

guint
media_test_decode_all (const char *path)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GstElement) playbin = gst_object_ref_sink (gst_element_factory_make ("playbin", NULL));
  GstElement *vsink = gst_element_factory_make ("fakesink", NULL);
  GstElement *asink = gst_element_factory_make ("fakesink", NULL);
  g_autofree char *what = NULL;
  guint frames = 0;

  /* Both sinks unsynchronised: every picture and every sound is decoded as fast as possible. */
  g_object_set (vsink, "sync", FALSE, "signal-handoffs", TRUE, NULL);
  g_object_set (asink, "sync", FALSE, NULL);
  g_signal_connect (vsink, "handoff", G_CALLBACK (count_frame), &frames);
  g_object_set (playbin, "uri", uri, "video-sink", vsink, "audio-sink", asink, NULL);
  what = g_strdup_printf ("decoding %s", path);
  admint_test_gst_run (playbin, 120, what);
  return frames;
}

GArray *
media_test_audio_rms (const char *path,
                      double      window)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *desc = g_strdup_printf ("uridecodebin uri=\"%s\" caps=audio/x-raw ! "
                                           "audioconvert ! audioresample ! "
                                           "audio/x-raw,format=F32LE,channels=1,rate=48000 ! "
                                           "appsink name=sink sync=false", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstElement) sink = NULL;
  GArray *rms = g_array_new (FALSE, TRUE, sizeof (double));
  guint per_window = (guint) (window * 48000);
  double sum = 0;
  guint n = 0;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
      GstMapInfo map;

      if (sample == NULL)
        break;
      gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
      for (gsize i = 0; i < map.size / sizeof (float); i++)
        {
          float v = ((const float *) map.data)[i];
          sum += v * v;
          if (++n == per_window)
            {
              double r = sqrt (sum / n);
              g_array_append_val (rms, r);
              sum = 0;
              n = 0;
            }
        }
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return rms;
}

guint
media_test_count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

void
media_test_assert_faststart (const char *path)
{
  g_autofree char *boxes = media_test_box_order (path);
  const char *moov = strstr (boxes, "moov"), *mdat = strstr (boxes, "mdat");

  g_assert_nonnull (moov);
  g_assert_nonnull (mdat);
  g_assert_true (moov < mdat);
}

void
media_test_on_progress (double   fraction,
                        gpointer user_data)
{
  MediaTestRun *p = user_data;

  if (p->main_thread != NULL)
    g_assert_true (g_thread_self () == p->main_thread);
  g_assert_cmpfloat (fraction, >=, p->last);
  g_assert_false (p->done);
  p->last = fraction;
  p->calls++;
  if (p->cancellable != NULL && fraction > p->cancel_after)
    g_cancellable_cancel (p->cancellable);
}

void
media_test_on_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MediaTestRun *run = user_data;

  g_assert_null (run->result);
  run->result = g_object_ref (result);
  run->done = TRUE;
  if (run->loop != NULL)
    g_main_loop_quit (run->loop);
}

GAsyncResult *
media_test_run_wait (MediaTestRun *run)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  run->loop = loop;
  if (!run->done)
    g_main_loop_run (loop);
  run->loop = NULL;
  return g_steal_pointer (&run->result);
}

void
media_test_finalize_cancellable (GCancellable *cancellable)
{
  /* The worker thread drops its reference to the task (and so to the cancellable) just after
   * the callback may have run. */
  for (guint i = 0; i < 200 && G_OBJECT (cancellable)->ref_count > 1; i++)
    g_usleep (5000);
  g_assert_finalize_object (cancellable);
}
