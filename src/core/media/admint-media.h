/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The media area's shared vocabulary: export presets, encoder choice, input probing, progress. */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* Called on the caller's main context (for the _async functions) or in the calling thread
 * (for the synchronous ones) with a fraction in [0, 1]. */
typedef void (*AdmintMediaProgressFunc) (double   fraction,
                                         gpointer user_data);

typedef enum {
  ADMINT_MEDIA_CONTAINER_MP4,   /* H.264 + AAC, moov at the front */
  ADMINT_MEDIA_CONTAINER_WEBM,  /* VP9 + Opus */
} AdmintMediaContainer;

typedef struct {
  const char           *name;        /* "web-1080p" */
  const char           *summary;
  int                   width;
  int                   height;
  int                   fps;
  AdmintMediaContainer  container;
} AdmintMediaPreset;

/* NULL when NAME is unknown. */
const AdmintMediaPreset *admint_media_preset_lookup (const char *name);
/* NULL-terminated table of every preset. */
const AdmintMediaPreset *admint_media_presets       (guint      *n_presets);
/* "web-1080p, web-720p, …" for error messages and --help. */
char                    *admint_media_preset_names  (void);

/* Initialises GStreamer once; safe from any thread. */
void        admint_media_init                  (void);

/* How hard the H.264/VP9 encoder should work. */
typedef enum {
  ADMINT_MEDIA_SPEED_FAST,    /* the local renderer: x264 veryfast */
  ADMINT_MEDIA_SPEED_NORMAL,  /* stitching and export: x264 fast */
} AdmintMediaSpeed;

/* Probes, in order, x264enc, openh264enc, avenc_h264, vaapih264enc; sets quality settings
 * fitting SPEED. Fails with ADMINT_ERROR_FAILED naming the plugins to install. */
GstElement *admint_media_make_h264_encoder     (AdmintMediaSpeed   speed,
                                                GError           **error);
/* avenc_aac, then voaacenc, then fdkaacenc. */
GstElement *admint_media_make_aac_encoder      (GError           **error);
GstElement *admint_media_make_vp9_encoder      (AdmintMediaSpeed   speed,
                                                GError           **error);
GstElement *admint_media_make_opus_encoder     (GError           **error);
/* mp4mux with faststart, or webmmux. */
GstElement *admint_media_make_muxer            (AdmintMediaContainer container,
                                                GError           **error);
/* The factory name the H.264 probe picks (for logs and reports), or NULL. */
const char *admint_media_h264_encoder_name     (void);

/* What a stream of an input file is. */
typedef struct {
  char     *path;
  double    duration;       /* seconds: the video stream's, else the longest stream's */
  gboolean  has_video;
  gboolean  has_audio;
  int       width;
  int       height;
  int       fps_n;
  int       fps_d;
  GstCaps  *video_caps;     /* parsed (not decoded) caps, with codec_data */
  GstCaps  *audio_caps;     /* NULL when there is no audio */
  char     *container;      /* "video/quicktime", "video/webm"…, NULL when not known */
} AdmintMediaInfo;

void             admint_media_info_free (AdmintMediaInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintMediaInfo, admint_media_info_free)

/* Reads the container and the streams' parameters without decoding. A missing file is
 * ADMINT_ERROR_NOT_FOUND; an empty, corrupt, truncated or audio-only file is
 * ADMINT_ERROR_INVALID_INPUT; both messages name the file. */
AdmintMediaInfo *admint_media_probe     (const char    *path,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
