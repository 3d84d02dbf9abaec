/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When each scene's line is spoken: inside its scene, sped up a little when it runs long. */
#pragma once

#include <gio/gio.h>

#include "admint-voice.h"

G_BEGIN_DECLS

/* The margins inside a scene: speech starts this long after the cut and ends this long before
 * the next one. */
#define ADMINT_TIMING_LEAD_IN   0.2
#define ADMINT_TIMING_LEAD_OUT  0.3
/* The fastest a line is spoken before it goes back to the writer. */
#define ADMINT_TIMING_MAX_SPEED 1.15

typedef enum {
  ADMINT_LINE_FITS,       /* at normal speed */
  ADMINT_LINE_SPED_UP,    /* spoken faster, at most ADMINT_TIMING_MAX_SPEED */
  ADMINT_LINE_TOO_LONG,   /* too long even then: the writer must shorten it */
} AdmintLineFit;

const char   *admint_line_fit_to_string (AdmintLineFit fit);

/* The span a scene from SCENE_START to SCENE_END seconds leaves for speech. */
double        admint_timing_window      (double        scene_start,
                                         double        scene_end);
/* What speaking VOICED seconds (at normal speed) in WINDOW seconds needs: FITS, or SPED_UP
 * with the speed in *SPEED, or TOO_LONG (*SPEED the needed speed, above the limit). */
AdmintLineFit admint_timing_plan        (double        voiced,
                                         double        window,
                                         double       *speed);

typedef struct {
  AdmintSpeech  *speech;   /* trimmed to its words, 50 ms either side */
  AdmintLineFit  fit;
  double         window;   /* seconds it had */
  guint          attempts; /* requests made to the provider */
} AdmintFittedLine;

void admint_fitted_line_free (AdmintFittedLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintFittedLine, admint_fitted_line_free)

/* Speaks TEXT with PROVIDER so that its words fit in WINDOW seconds: at normal speed, then (if
 * it runs long) faster, at most 1.15×. A line still too long comes back whole with fit
 * TOO_LONG: nothing is ever cut. Costs of every attempt are summed in speech->cost_usd. An
 * empty line is ADMINT_ERROR_INVALID_INPUT (callers skip those). */
void              admint_timing_fit_line_async  (AdmintVoiceProvider  *provider,
                                                 const char           *text,
                                                 double                window,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
AdmintFittedLine *admint_timing_fit_line_finish (GAsyncResult         *result,
                                                 GError              **error);

/* Where a fitted line's audio starts (seconds in the ad) in the scene from SCENE_START to
 * SCENE_END, not before NOT_BEFORE (the previous line's end plus a breath): its first word a
 * little after the lead-in, more when the scene leaves room. */
double            admint_timing_place           (const AdmintSpeech  *speech,
                                                 double               scene_start,
                                                 double               scene_end,
                                                 double               not_before);

G_END_DECLS
