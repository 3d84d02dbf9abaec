/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The VBench-style quality scorer: seven dimensions and an overall score for a video file. */
#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-ad-checks.h"

G_BEGIN_DECLS

typedef enum {
  ADMINT_SCORE_FLAGS_NONE                     = 0,
  /* Only temporal_flickering (and the frame counts); the other dimensions are left at 0. */
  ADMINT_SCORE_FLAGS_TEMPORAL_FLICKERING_ONLY = 1 << 0,
} AdmintScoreFlags;

/* Every dimension is in [0, 1] with VBench's names; quality_score is in [0, 100]. */
typedef struct {
  double subject_consistency;
  double background_consistency;
  double temporal_flickering;
  double motion_smoothness;
  double dynamic_degree;
  double aesthetic_quality;
  double imaging_quality;
  double quality_score;

  guint  frames;
  double fps;
  double duration;   /* seconds: frames / fps */
  int    width;
  int    height;
  double seconds;    /* wall-clock time the scoring took */
  /* What VBench does not see (not with TEMPORAL_FLICKERING_ONLY): repeated scenes, still
   * stretches, text at the edge. overall_score is quality_score less 15 points a failed
   * check: the verdict a front end shows. */
  AdmintAdChecks ad_checks;
  double overall_score;
} AdmintScores;

/* fraction is in [0, 1]; called on the main context that was thread-default at the _async call. */
typedef void (*AdmintScoreProgress) (const char *path,
                                     double      fraction,
                                     gpointer    user_data);

void     admint_score_file_async  (const char          *path,
                                   AdmintScoreFlags     flags,
                                   GCancellable        *cancellable,
                                   AdmintScoreProgress  progress_cb,
                                   gpointer             progress_data,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean admint_score_file_finish (GAsyncResult        *result,
                                   AdmintScores        *out,
                                   GError             **error);

/* Blocking: decodes and scores in the calling thread plus worker threads. */
gboolean admint_score_file        (const char          *path,
                                   AdmintScoreFlags     flags,
                                   GCancellable        *cancellable,
                                   AdmintScores        *out,
                                   GError             **error);

/* VBench's temporal flickering on raw frames: n_frames tightly packed 8-bit BGR images of
 * width x height (frames[t] points at width*height*3 bytes). Returns -1 if n_frames < 2. */
double   admint_score_temporal_flickering_frames (const guint8 * const *frames,
                                                  guint                 n_frames,
                                                  int                   width,
                                                  int                   height);

/* numpy (< 2.0) float32 mean of |a - b| over n bytes, in numpy's summation order. */
float    admint_score_mean_absdiff_f32           (const guint8 *a,
                                                  const guint8 *b,
                                                  gsize         n);

/* VBench's normalisation of the seven dimensions, weighted, summed / 6.5, on 0-100. */
double   admint_quality_score_from_dims          (const AdmintScores *scores);

/* imaging_quality of one picture (the same measure as for video frames). Like every classical
 * measure here it is mapped into [0.2, 0.8] (see docs/quality.md): a sharp photograph scores
 * about 0.6-0.75, a clearly blurry one below about 0.45.
 * pixels: 8-bit RGB (n_channels 3) or RGBA (4, alpha ignored) rows of rowstride bytes. */
double   admint_score_image_quality_rgb          (const guint8 *pixels,
                                                  int           width,
                                                  int           height,
                                                  int           rowstride,
                                                  int           n_channels);
double   admint_score_image_quality_pixbuf       (GdkPixbuf    *pixbuf);

G_END_DECLS
