/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A video's poster: a representative frame (not the black one an ad fades in from). */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "admint-error.h"
#include "admint-media.h"
#include "admint-poster.h"

void
admint_poster_free (AdmintPoster *poster)
{
  if (poster == NULL)
    return;
  g_clear_pointer (&poster->rgb, g_bytes_unref);
  g_free (poster);
}

/* Detail: the mean difference between neighbouring pixels' green values, with dark frames
 * held back (a fade's frames are dark and flat). */
static double
detail_of (const guint8 *rgb,
           int           width,
           int           height,
           gsize         stride)
{
  double edges = 0, light = 0;
  guint64 n = 0;

  for (int y = 0; y + 1 < height; y += 2)
    for (int x = 0; x + 1 < width; x += 2)
      {
        const guint8 *p = rgb + y * stride + x * 3;
        edges += ABS ((int) p[1] - (int) p[4]) + ABS ((int) p[1] - (int) p[stride + 1]);
        light += p[1];
        n++;
      }
  if (n == 0)
    return 0;
  return edges / n * MIN (1.0, light / n / 64.0);
}

static gboolean
wait_paused (GstElement  *pipeline,
             const char  *path,
             GError     **error)
{
  if (gst_element_get_state (pipeline, NULL, NULL, 20 * GST_SECOND) == GST_STATE_CHANGE_SUCCESS)
    return TRUE;
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("Cannot read a frame of “%s”: it is not a video GStreamer can decode."), path);
  return FALSE;
}

AdmintPoster *
admint_poster_make (const char    *path,
                    int            max_width,
                    GCancellable  *cancellable,
                    GError       **error)
{
  static const double at[] = { 1.0 / 3, 0.25, 0.5 };
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(AdmintPoster) best = NULL;
  g_autofree char *caps = NULL;
  g_autofree char *launch = NULL;
  double best_detail = -1;
  gint64 duration = 0;

  g_return_val_if_fail (path != NULL, NULL);

  admint_media_init ();
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("Cannot make a poster of “%s”: the file does not exist."), path);
      return NULL;
    }
  caps = max_width > 0 ? g_strdup_printf (" ! videoscale ! video/x-raw,format=RGB,"
                                          "pixel-aspect-ratio=1/1,width=[1,%d]", max_width)
                       : g_strdup (" ! video/x-raw,format=RGB");
  launch = g_strdup_printf ("filesrc name=src ! decodebin ! videoconvert%s ! "
                            "appsink name=sink sync=false max-buffers=1", caps);
  pipeline = gst_parse_launch (launch, error);
  if (pipeline == NULL)
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", path, NULL);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (!wait_paused (pipeline, path, error))
    goto out;
  if (!gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration))
    duration = 0;

  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      gint64 position = (gint64) (duration * at[i]);
      if (duration > 0 &&
          (!gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
                                     GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, position) ||
           !wait_paused (pipeline, path, error)))
        goto out;
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink),
                                                                   5 * GST_SECOND);
      GstVideoInfo info;
      GstMapInfo map;
      if (sample == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
          !gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
        continue;
      gsize stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
      int width = GST_VIDEO_INFO_WIDTH (&info), height = GST_VIDEO_INFO_HEIGHT (&info);
      double detail = detail_of (map.data, width, height, stride);
      if (detail > best_detail)
        {
          g_clear_pointer (&best, admint_poster_free);
          best = g_new0 (AdmintPoster, 1);
          best->rgb = g_bytes_new (map.data, MIN (map.size, stride * height));
          best->width = width;
          best->height = height;
          best->stride = stride;
          best->position = position / (double) GST_SECOND;
          best_detail = detail;
        }
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
      if (duration <= 0)
        break;  /* no seeking in a stream of unknown length: its first frame it is */
    }
  if (best == NULL)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                 _("Cannot read a frame of “%s”: the video has no picture."), path);

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return best != NULL && (error == NULL || *error == NULL) ? g_steal_pointer (&best) : NULL;
}

typedef struct {
  char *path;
  int   max_width;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job);
}

static void
poster_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  AdmintPoster *poster = admint_poster_make (job->path, job->max_width, cancellable, &error);

  if (poster == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, poster, (GDestroyNotify) admint_poster_free);
}

void
admint_poster_make_async (const char          *path,
                          int                  max_width,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (path != NULL);

  job->path = g_strdup (path);
  job->max_width = max_width;
  g_task_set_source_tag (task, admint_poster_make_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* Below the UI: a poster is never more urgent than a frame. */
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_run_in_thread (task, poster_thread);
}

AdmintPoster *
admint_poster_make_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
