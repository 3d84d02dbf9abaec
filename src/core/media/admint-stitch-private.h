/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the stitcher's two files share. */
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>

#include "admint-media.h"
#include "admint-media-private.h"

#include "admint-stitch.h"

G_BEGIN_DECLS

/* What PAD carries: its negotiated caps, or else what it could carry. */
GstCaps            *admint_stitch_pad_caps       (GstPad          *pad);
/* A buffer probe keeping *USER_DATA (a gint) at the running time in ms of what passes. */
GstPadProbeReturn   admint_stitch_position_probe (GstPad          *pad,
                                                  GstPadProbeInfo *info,
                                                  gpointer         user_data);
/* What a stitch task does in its thread with its DATA, reporting to PROGRESS. */
typedef AdmintStitchResult *(*AdmintStitchWork) (gpointer              data,
                                                 GCancellable         *cancellable,
                                                 AdmintMediaProgress  *progress,
                                                 GError              **error);
/* Runs WORK on DATA in a thread, as a task tagged SOURCE_TAG (end it with
 * admint_stitch_finish_task); PROGRESS is called in the caller's thread-default context, and
 * DATA_FREE frees DATA with the task. */
void                admint_stitch_run_task       (gpointer                 source_tag,
                                                  AdmintStitchWork         work,
                                                  gpointer                 data,
                                                  GDestroyNotify           data_free,
                                                  GCancellable            *cancellable,
                                                  AdmintMediaProgressFunc  progress,
                                                  gpointer                 progress_data,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
/* The result of a task SOURCE_TAG started. */
AdmintStitchResult *admint_stitch_finish_task    (GAsyncResult    *result,
                                                  gpointer         source_tag,
                                                  GError         **error);

/* The re-encode path (admint-stitch-frames.c) ------------------------------------------------ */

typedef struct {
  const AdmintMediaInfo *info;
  guint                  n_frames;   /* at the target rate */
  guint                  start;      /* first output frame */
  gboolean               fitted;     /* another shape: composed over a fill */
  int                    fit_w, fit_h;
} Clip;

typedef struct {
  int                    width, height, fps_n, fps_d;
  AdmintMediaContainer   container;
  AdmintFit              fit;
  GstVideoInfo           out_info;
  GArray                *audio;      /* the whole mixed sound track, interleaved stereo */
  guint64                audio_pushed;
} Target;

/* Caps of CLIP's decoded frames at the target rate (its fitted size when fitted). */
GstCaps            *admint_stitch_clip_video_caps (const Target    *t,
                                                   const Clip      *clip);
/* A target-shaped frame from a clip's sample: the decoded buffer itself when it already fits. */
GstBuffer          *admint_stitch_clip_frame      (const Target    *t,
                                                   const Clip      *clip,
                                                   GstSample       *sample);
/* A new frame: A faded into B by ALPHA (0: all A, 1: all B). */
GstBuffer          *admint_stitch_blend_frames    (const Target    *t,
                                                   GstBuffer       *a,
                                                   GstBuffer       *b,
                                                   double           alpha);
/* Where each clip lands at the target rate, fitted when its shape differs, and how many frames
 * consecutive clips share in a cross-fade. Free with g_free. */
Clip               *admint_stitch_plan_clips      (GPtrArray                 *infos,
                                                   const AdmintStitchOptions *options,
                                                   const Target              *t,
                                                   guint                     *overlap,
                                                   guint                     *total_frames);

G_END_DECLS
