/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ad checks: what makes an ad fail that VBench does not see, measured from the file alone. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ADMINT_AD_MAX_SCENES 64

/* Plain values, so AdmintScores stays copyable. */
typedef struct {
  gboolean measured;
  guint    scenes;              /* scenes found (cuts + 1) */
  double   scene_start[ADMINT_AD_MAX_SCENES];   /* seconds */
  int      repeat_a, repeat_b;  /* the first pair of scenes that look alike (-1: none) */
  guint    repeated;            /* scenes that repeat an earlier one */
  double   longest_still;       /* seconds of near-still picture outside the last scene */
  double   longest_still_at;
  double   edge_text_seconds;   /* how long text-like detail touches the frame's edge */
  double   edge_text_at;
  const char *edge_text_side;   /* "top", "bottom", "left", "right" (static) */
  /* The sound (admint_ad_checks_set_sound): checked only when the ad has a sound track
   * that is not silent. */
  gboolean sound_measured;
  gboolean has_sound;           /* a track with something audible in it */
  double   loudness_lufs;       /* integrated, EBU R 128 */
  double   true_peak_dbtp;
  double   speech_share;        /* of the duration, [0, 1] */
} AdmintAdChecks;

/* One check's outcome for the JSON and the score card. */
typedef struct {
  const char *name;
  gboolean    pass;
  char       *reason;
} AdmintAdCheck;

/* Near-still for longer than this outside the last scene fails. */
#define ADMINT_AD_STILL_MAX_S 1.0
/* Text-like detail at an edge for longer than this fails. */
#define ADMINT_AD_EDGE_TEXT_MAX_S 0.5
/* The delivery target of the social platforms: -14 LUFS integrated, within this much. */
#define ADMINT_AD_LOUDNESS_LUFS      -14.0
#define ADMINT_AD_LOUDNESS_TOLERANCE 1.0
/* A true peak above this clips after the platforms' own encoding. */
#define ADMINT_AD_TRUE_PEAK_MAX_DBTP -1.0
/* Speech over more of the ad than this leaves the viewer no pause. */
#define ADMINT_AD_SPEECH_MAX_SHARE   0.9

typedef struct _AdmintAdCheckState AdmintAdCheckState;

AdmintAdCheckState *admint_ad_checks_begin     (int                 width,
                                                int                 height,
                                                double              fps);
/* Frames in order: width*height*3 packed BGR. */
void                admint_ad_checks_add_frame (AdmintAdCheckState *state,
                                                const guint8       *bgr,
                                                guint               index);
/* Finishes the measures into OUT and frees STATE. */
void                admint_ad_checks_end       (AdmintAdCheckState *state,
                                                AdmintAdChecks     *out);

/* Adds the sound's measures (from admint_loudness_measure_file) to CHECKS. HAS_AUDIO FALSE or
 * a silent track (LUFS not finite): the sound checks are left out, "has_sound" says so. */
void                admint_ad_checks_set_sound (AdmintAdChecks     *checks,
                                                gboolean            has_audio,
                                                double              integrated_lufs,
                                                double              true_peak_dbtp,
                                                double              speech_share);

/* The checks with pass/fail and a reason: AdmintAdCheck each (free with
 * admint_ad_check_list_free). Empty when the checks were not measured. */
GArray             *admint_ad_checks_list      (const AdmintAdChecks *checks);
void                admint_ad_check_list_free  (GArray               *list);
guint               admint_ad_checks_failed    (const AdmintAdChecks *checks);

/* "ad_checks": {name: {pass, reason}, …, "passed": bool} into BUILDER (inside an object). */
void                admint_ad_checks_to_json   (const AdmintAdChecks *checks,
                                                JsonBuilder          *builder);

/* 64-bit perceptual hash (DCT of a 32×32 luma image, 8×8 low frequencies against their
 * median) of a W×H luma picture; and the Hamming distance of two hashes. */
guint64             admint_ad_phash            (const guint8 *luma,
                                                int           w,
                                                int           h);
guint               admint_ad_phash_distance   (guint64       a,
                                                guint64       b);

G_END_DECLS
