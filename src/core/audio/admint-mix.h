/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ad's sound: voice on top, music ducked under it, the clips' own sound, at -14 LUFS. */
#pragma once

#include <gio/gio.h>

#include "admint-audio.h"

G_BEGIN_DECLS

/* Zero fields take the defaults in brackets. Every stem is ADMINT_AUDIO_RATE stereo. */
typedef struct {
  const AdmintAudio *voice;            /* the placed voice-over, or NULL */
  const AdmintAudio *music;            /* the bed (looped when short), or NULL */
  const AdmintAudio *clips;            /* the clips' own sound, or NULL */
  double             duration;         /* seconds of the ad [the longest stem] */
  double             clip_level;       /* the clips' sound under the voice, linear [0.25] */
  double             music_level_db;   /* the bed's loudness against the voice's [-8] */
  double             duck_db;          /* the bed's dip under speech, >= 10 [12] */
  double             attack;           /* seconds to dip [0.15]: starts before the speech */
  double             release;          /* seconds to come back [0.4] */
  double             fade_out;         /* the bed's fade at the end, seconds [1] */
  double             target_lufs;      /* integrated loudness [-14] */
  double             ceiling_dbtp;     /* the true peak never above [-1] */
} AdmintMixSettings;

typedef struct {
  double integrated_lufs;   /* of the mix, as delivered (float, before any encoder) */
  double true_peak_dbtp;
  double gain_db;           /* applied to reach the target */
  double limited_db;        /* the most the peak limiter took off */
  double speech_share;      /* from the voice stem: the share of the ad with speech */
  double duck_db;           /* the bed's dip under speech */
} AdmintMixReport;

/* Mixes the stems in the calling thread. NULL with an error only on cancellation or when
 * there is nothing to mix at all. */
AdmintAudio *admint_mix          (const AdmintMixSettings  *settings,
                                  AdmintMixReport          *report,
                                  GCancellable             *cancellable,
                                  GError                  **error);

/* The bed's gain (linear, per frame of VOICE) under VOICE: 1 where nobody speaks, 10^(-DUCK/20)
 * under speech, reached ATTACK seconds before it starts and left over RELEASE after it ends. */
float       *admint_mix_duck_envelope (const AdmintAudio *voice,
                                       double             duck_db,
                                       double             attack,
                                       double             release);

/* Brings AUDIO to TARGET_LUFS with its true peak at most CEILING_DBTP (a look-ahead peak
 * limiter where the gain alone would pass it), in place. */
gboolean     admint_mix_normalise (AdmintAudio   *audio,
                                   double         target_lufs,
                                   double         ceiling_dbtp,
                                   double        *gain_db,
                                   double        *limited_db,
                                   GError       **error);

G_END_DECLS
