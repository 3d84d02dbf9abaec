/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of the quality scorer shared by its source files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* numpy's float32 pairwise_sum over one run of values. */
float  admint_score_pairwise_sum_f32   (const float *values,
                                        gsize        n);

/* (255 - numpy-float32-mean(means)) / 255, as VBench computes it. */
double admint_score_flicker_from_means (const float *means,
                                        gsize        n_means);

/* A classical measure in [0, 1] mapped into the range of VBench's networks' scores. */
double admint_score_map_range          (double q);

/* VBench dynamic degree: every round(fps / 8)-th frame is paired with the next sampled one; the
 * video is dynamic when at least this many of the pairs move. */
guint  admint_score_flow_interval      (double fps);
guint  admint_score_flow_needed        (guint n_frames,
                                        guint flow_interval);

G_END_DECLS

G_BEGIN_DECLS

/* A frame scaled down (box filter) for the dimensions that need no full resolution. */
typedef struct {
  gint    ref_count;
  guint   index;
  int     factor;      /* full size / small size */
  int     w, h;        /* small size */
  guint8 *bgr;         /* w*h*3 */
  guint8 *luma;        /* w*h */
  int     hw, hh;      /* half of the small size, for coarse motion search */
  guint8 *half;        /* hw*hh luma */
} AdmintSmall;

/* Descriptor lengths. */
#define ADMINT_SUBJECT_DESC_LEN    (64 + 16 * 9)
#define ADMINT_BACKGROUND_DESC_LEN (64 + 8 * 6)

/* Picks the integer factor that brings width to at most max_width. */
int          admint_score_small_factor     (int width,
                                            int height);
AdmintSmall *admint_small_new              (const guint8 *bgr,
                                            int           width,
                                            int           height,
                                            int           factor,
                                            guint         index);
AdmintSmall *admint_small_ref              (AdmintSmall  *small);
void         admint_small_unref            (AdmintSmall  *small);

/* Unit-length descriptors, and the frame's aesthetic measure in [0, 1] (before mapping). */
void         admint_small_describe         (const AdmintSmall *small,
                                            float             *subject,
                                            float             *background,
                                            double            *aesthetic);

/* Mean of the top 5 % of flow magnitudes from a to b, in full-resolution pixels. */
double       admint_small_flow_top5        (const AdmintSmall *a,
                                            const AdmintSmall *b);
/* Mean absolute error (0-255) of mid against mid re-created from prev and next. */
double       admint_small_interpolation_mae (const AdmintSmall *prev,
                                             const AdmintSmall *mid,
                                             const AdmintSmall *next);

/* imaging quality in [0, 1] of a packed 8-bit picture; bgr_order picks B,G,R vs R,G,B. */
double       admint_score_imaging_raw      (const guint8 *pixels,
                                            int           width,
                                            int           height,
                                            int           rowstride,
                                            int           n_channels,
                                            gboolean      bgr_order);

/* VBench: mean over frames 1.. of (max(0, cos(prev)) + max(0, cos(first))) / 2. */
double       admint_score_consistency      (const float *descs,
                                            guint        n_frames,
                                            guint        len);

G_END_DECLS
