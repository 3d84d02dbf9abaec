/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stitcher's frames on the re-encode path: where each clip lands, fitting a clip of
 * another shape over a (blurred) fill, and cross-fade blends. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gst/video/video.h>

#include "admint-media-private.h"
#include "admint-stitch.h"
#include "admint-stitch-private.h"

GstCaps *
admint_stitch_clip_video_caps (const Target *t,
                               const Clip   *clip)
{
  return gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "I420",
                              "width", G_TYPE_INT, clip->fitted ? clip->fit_w : t->width,
                              "height", G_TYPE_INT, clip->fitted ? clip->fit_h : t->height,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              "framerate", GST_TYPE_FRACTION, t->fps_n, t->fps_d, NULL);
}

/* Fills a plane with a blurred, dimmed enlargement of SRC (cover-cropped): a tiny box-averaged
 * copy scaled back up bilinearly is blur enough, and costs one pass over the output. */
static void
blur_fill_plane (guint8       *dst,
                 int           dst_stride,
                 int           dw,
                 int           dh,
                 const guint8 *src,
                 int           src_stride,
                 int           sw,
                 int           sh,
                 gboolean      chroma)
{
  enum { TW = 24, TH = 24 };
  float tiny[TH][TW];
  double k = MAX ((double) dw / sw, (double) dh / sh);
  double cw = dw / k, ch = dh / k;          /* the cover crop, in source pixels */
  double cx = (sw - cw) / 2, cy = (sh - ch) / 2;
  int *x0 = g_new (int, dw);
  float *fx = g_new (float, dw);

  for (int ty = 0; ty < TH; ty++)
    for (int tx = 0; tx < TW; tx++)
      {
        int ax = (int) (cx + cw * tx / TW), bx = MAX (ax + 1, (int) (cx + cw * (tx + 1) / TW));
        int ay = (int) (cy + ch * ty / TH), by = MAX (ay + 1, (int) (cy + ch * (ty + 1) / TH));
        guint64 sum = 0;
        int n = 0;

        bx = MIN (bx, sw);
        by = MIN (by, sh);
        for (int y = ay; y < by; y += 2)
          for (int x = ax; x < bx; x += 2, n++)
            sum += src[y * src_stride + x];
        tiny[ty][tx] = n ? (float) sum / n : (chroma ? 128 : 16);
        /* Dimmed, so the real picture stands out. */
        tiny[ty][tx] = chroma ? 128 + (tiny[ty][tx] - 128) * 0.7f : 16 + (tiny[ty][tx] - 16) * 0.55f;
      }

  for (int x = 0; x < dw; x++)
    {
      float sx = ((x + 0.5f) * TW / dw) - 0.5f;
      sx = CLAMP (sx, 0, TW - 1.001f);
      x0[x] = (int) sx;
      fx[x] = sx - x0[x];
    }
  for (int y = 0; y < dh; y++)
    {
      float sy = ((y + 0.5f) * TH / dh) - 0.5f;
      int y0;
      float fy;
      guint8 *row = dst + y * dst_stride;

      sy = CLAMP (sy, 0, TH - 1.001f);
      y0 = (int) sy;
      fy = sy - y0;
      for (int x = 0; x < dw; x++)
        {
          const float *a = &tiny[y0][x0[x]], *b = &tiny[y0 + 1][x0[x]];
          float top = a[0] + (a[1] - a[0]) * fx[x];
          float bottom = b[0] + (b[1] - b[0]) * fx[x];
          row[x] = (guint8) (top + (bottom - top) * fy + 0.5f);
        }
    }
  g_free (x0);
  g_free (fx);
}

/* Places a fitted clip frame in the middle of a full target frame over the fill. */
static GstBuffer *
compose_fitted (const Target *t,
                GstSample    *sample)
{
  GstVideoInfo in_info;
  GstVideoFrame in, out;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&t->out_info), NULL);

  gst_video_info_from_caps (&in_info, gst_sample_get_caps (sample));
  gst_video_frame_map (&in, &in_info, gst_sample_get_buffer (sample), GST_MAP_READ);
  gst_video_frame_map (&out, &t->out_info, buffer, GST_MAP_WRITE);
  for (guint p = 0; p < 3; p++)
    {
      guint8 *d = GST_VIDEO_FRAME_PLANE_DATA (&out, p);
      int ds = GST_VIDEO_FRAME_PLANE_STRIDE (&out, p);
      int dw = GST_VIDEO_FRAME_COMP_WIDTH (&out, p), dh = GST_VIDEO_FRAME_COMP_HEIGHT (&out, p);
      const guint8 *s = GST_VIDEO_FRAME_PLANE_DATA (&in, p);
      int ss = GST_VIDEO_FRAME_PLANE_STRIDE (&in, p);
      int sw = GST_VIDEO_FRAME_COMP_WIDTH (&in, p), sh = GST_VIDEO_FRAME_COMP_HEIGHT (&in, p);
      int ox = (dw - sw) / 2, oy = (dh - sh) / 2;

      if (t->fit == ADMINT_FIT_BLUR)
        blur_fill_plane (d, ds, dw, dh, s, ss, sw, sh, p > 0);
      else
        for (int y = 0; y < dh; y++)
          memset (d + y * ds, p > 0 ? 128 : 16, dw);
      for (int y = 0; y < sh && oy + y < dh; y++)
        memcpy (d + (oy + y) * ds + ox, s + y * ss, MIN (sw, dw - ox));
    }
  gst_video_frame_unmap (&out);
  gst_video_frame_unmap (&in);
  return buffer;
}

/* A target-shaped frame from a clip's sample: the decoded buffer itself when it already fits. */
GstBuffer *
admint_stitch_clip_frame (const Target *t,
                          const Clip   *clip,
                          GstSample    *sample)
{
  if (clip->fitted)
    return compose_fitted (t, sample);
  return gst_buffer_ref (gst_sample_get_buffer (sample));
}

GstBuffer *
admint_stitch_blend_frames (const Target *t,
                            GstBuffer    *a,
                            GstBuffer    *b,
                            double        alpha)
{
  GstVideoFrame fa, fb, fo;
  GstBuffer *out = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&t->out_info), NULL);
  guint w = (guint) (CLAMP (alpha, 0, 1) * 256);

  gst_video_frame_map (&fa, &t->out_info, a, GST_MAP_READ);
  gst_video_frame_map (&fb, &t->out_info, b, GST_MAP_READ);
  gst_video_frame_map (&fo, &t->out_info, out, GST_MAP_WRITE);
  for (guint p = 0; p < 3; p++)
    {
      int pw = GST_VIDEO_FRAME_COMP_WIDTH (&fo, p), ph = GST_VIDEO_FRAME_COMP_HEIGHT (&fo, p);

      for (int y = 0; y < ph; y++)
        {
          const guint8 *ra = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fa, p) +
                             y * GST_VIDEO_FRAME_PLANE_STRIDE (&fa, p);
          const guint8 *rb = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fb, p) +
                             y * GST_VIDEO_FRAME_PLANE_STRIDE (&fb, p);
          guint8 *ro = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fo, p) +
                       y * GST_VIDEO_FRAME_PLANE_STRIDE (&fo, p);

          for (int x = 0; x < pw; x++)
            ro[x] = (guint8) ((ra[x] * (256 - w) + rb[x] * w + 128) >> 8);
        }
    }
  gst_video_frame_unmap (&fo);
  gst_video_frame_unmap (&fb);
  gst_video_frame_unmap (&fa);
  return out;
}

/* Where each clip lands at the target rate, fitted when its shape differs, and how many frames
 * consecutive clips share in a cross-fade. */
Clip *
admint_stitch_plan_clips (GPtrArray                  *infos,
                          const AdmintStitchOptions  *options,
                          const Target               *t,
                          guint                      *overlap,
                          guint                      *total_frames)
{
  guint n = infos->len;
  Clip *clips = g_new0 (Clip, n);
  double target_aspect = (double) t->width / t->height;

  for (guint i = 0; i < n; i++)
    {
      const AdmintMediaInfo *info = g_ptr_array_index (infos, i);
      double aspect = info->height > 0 ? (double) info->width / info->height : target_aspect;

      clips[i].info = info;
      clips[i].n_frames = MAX (1, (guint) llround (info->duration * t->fps_n / t->fps_d));
      if (fabs (aspect - target_aspect) / target_aspect > 0.01)
        {
          double k = MIN ((double) t->width / info->width, (double) t->height / info->height);

          clips[i].fitted = TRUE;
          clips[i].fit_w = MAX (2, ((int) (info->width * k)) & ~1);
          clips[i].fit_h = MAX (2, ((int) (info->height * k)) & ~1);
        }
    }
  *overlap = 0;
  if (options->transition == ADMINT_TRANSITION_CROSSFADE && n > 1)
    {
      double seconds = options->crossfade > 0 ? options->crossfade : 0.5;

      *overlap = (guint) llround (seconds * t->fps_n / t->fps_d);
      for (guint i = 0; i < n; i++)
        *overlap = MIN (*overlap, clips[i].n_frames / 2);
    }
  *total_frames = 0;
  for (guint i = 0; i < n; i++)
    {
      clips[i].start = *total_frames - (i > 0 ? *overlap : 0);
      *total_frames = clips[i].start + clips[i].n_frames;
    }
  return clips;
}
