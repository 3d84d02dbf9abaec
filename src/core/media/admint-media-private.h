/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the media workers share: temporary outputs, progress hand-off, pipeline running. */
#pragma once

#include "admint-media.h"

G_BEGIN_DECLS

/* Reports progress at most once a percent, on CONTEXT (or directly when CONTEXT is NULL). */
typedef struct {
  GMainContext            *context;
  AdmintMediaProgressFunc  func;
  gpointer                 user_data;
  double                   last;
} AdmintMediaProgress;

void     admint_media_progress_init   (AdmintMediaProgress     *progress,
                                       GMainContext            *context,
                                       AdmintMediaProgressFunc  func,
                                       gpointer                 user_data);
void     admint_media_progress_report (AdmintMediaProgress     *progress,
                                       double                   fraction);
void     admint_media_progress_clear  (AdmintMediaProgress     *progress);

/* Creates an empty hidden file beside OUTPUT for the worker to write, so the final rename is
 * atomic; fails when OUTPUT's folder cannot be written. */
char    *admint_media_temp_path       (const char              *output,
                                       GError                 **error);
/* Removes every partial file admint_media_temp_path() made in DIR (".NAME.XXXXXX.part"): for a
 * caller that knows nothing else is writing there, to clear what a killed run left. */
void     admint_media_remove_partials (const char              *dir);
/* Renames TEMP to OUTPUT, or removes TEMP when ERROR is set. */
gboolean admint_media_finish_output   (const char              *temp,
                                       const char              *output,
                                       GError                 **error);

/* Runs PIPELINE to EOS, reporting *POSITION_MS (updated atomically by a pad probe) / TOTAL_MS
 * when both are given. Errors from inside an element named "input-N…" are reported as
 * ADMINT_ERROR_INVALID_INPUT naming INPUTS[N]. Returns FALSE on error or cancellation; the
 * pipeline is left in NULL state. */
gboolean admint_media_run_pipeline    (GstElement              *pipeline,
                                       const char * const      *inputs,
                                       GCancellable            *cancellable,
                                       AdmintMediaProgress     *progress,
                                       gint                    *position_ms,
                                       gint                     total_ms,
                                       GError                 **error);

/* Maps a GStreamer error posted by an element to an AdmintError naming PATH (may be NULL). */
void     admint_media_set_gst_error   (GError                 **error,
                                       GError                  *gst_error,
                                       const char              *path);

/* Checks a cancellable and sets G_IO_ERROR_CANCELLED. */
gboolean admint_media_check_cancelled (GCancellable            *cancellable,
                                       GError                 **error);

/* TRUE unless PATH is an ISO-BMFF file (MP4, MOV, M4A) whose top-level boxes run past its end
 * (then FALSE with ADMINT_ERROR_INVALID_INPUT): what admint_media_probe() checks first. */
gboolean admint_media_check_boxes     (const char              *path,
                                       GError                 **error);

G_END_DECLS
