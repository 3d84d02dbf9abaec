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
  /* Only the ad checks (picture and sound) and the frame counts: no VBench dimension. What
   * admint_score_joined_file_async measures of the whole when its clips were scored. */
  ADMINT_SCORE_FLAGS_AD_CHECKS_ONLY           = 1 << 1,
} AdmintScoreFlags;

/* The sums behind the dimensions of one scored file, so that the scores of clips joined end to
 * end can be combined (admint_score_combine) without decoding their frames again. */
typedef struct {
  gboolean valid;          /* measured with every dimension */
  double   tf_sum;         /* sum over pairs of the mean |frame - previous| (0-255) */
  guint    tf_pairs;
  double   smooth_sum;     /* sum of the interpolation errors (0-255) */
  guint    smooth_n;
  guint    flow_moving;    /* sampled pairs that move */
  guint    flow_pairs;
  double   aesthetic_sum;  /* per frame, before mapping */
  double   imaging_sum;    /* per sampled frame, before mapping */
  guint    imaging_n;
} AdmintScoreSums;

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
  AdmintScoreSums sums;
  /* TRUE: the dimensions were combined from the clips' scores (admint_score_combine); the ad
   * checks were measured on the file itself. */
  gboolean combined;
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

/* The same for a video that is CLIPS' video streams joined end to end (copied, not encoded
 * again): the dimensions are combined from the clips' scores (each with valid sums) and only
 * the ad checks are measured on PATH. When PATH's frames or size do not match the clips, every
 * dimension is measured on PATH as admint_score_file_async does. Finish with
 * admint_score_file_finish. CLIPS is copied. */
void     admint_score_joined_file_async (const char          *path,
                                         const AdmintScores  *clips,
                                         guint                n_clips,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);

/* The scores of a video made of N_CLIPS clips joined end to end, from the clips' scores (each
 * with valid sums) and WHOLE, the video measured with ADMINT_SCORE_FLAGS_AD_CHECKS_ONLY. The
 * dimensions differ from a full measure of the video only by the pairs of frames across the
 * cuts (docs/quality.md gives the tolerance). FALSE with ERROR when the clips' frames or size
 * do not add up to WHOLE's, or a clip was not measured with every dimension. */
gboolean admint_score_combine     (const AdmintScores  *clips,
                                   guint                n_clips,
                                   const AdmintScores  *whole,
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
