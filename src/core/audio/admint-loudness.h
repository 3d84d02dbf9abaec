/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loudness of a sound or a finished ad: EBU R 128 integrated loudness, true peak, speech share. */
#pragma once

#include <gio/gio.h>

#include "admint-audio.h"

G_BEGIN_DECLS

typedef struct {
  double   integrated_lufs;  /* EBU R 128 / ITU-R BS.1770-4; -HUGE_VAL for silence */
  double   true_peak_dbtp;   /* the largest 4x-oversampled peak over the channels */
  double   sample_peak;      /* the largest absolute sample, linear */
  double   speech_share;     /* of the duration, [0, 1]: see admint_loudness_speech_share */
  double   duration;         /* seconds */
  gboolean has_audio;        /* FALSE: the file has no sound track (everything else 0) */
} AdmintLoudness;

/* Measures AUDIO (any rate, 1 or 2 channels) with libebur128. */
gboolean admint_loudness_measure             (const AdmintAudio  *audio,
                                              AdmintLoudness     *loudness,
                                              GError            **error);

/* Decodes PATH's sound (a video or a sound file) and measures it, in the calling thread. A file
 * without a sound track is not an error: has_audio is FALSE. */
gboolean admint_loudness_measure_file        (const char         *path,
                                              AdmintLoudness     *loudness,
                                              GCancellable       *cancellable,
                                              GError            **error);
/* The same in a GTask thread; the result is an AdmintLoudness to g_free. */
void            admint_loudness_measure_file_async  (const char          *path,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
AdmintLoudness *admint_loudness_measure_file_finish (GAsyncResult        *result,
                                                     GError             **error);

/* An estimate of the share of AUDIO with speech in it, from its mix alone: the share of
 * half-second windows whose speech-band (250 Hz - 3.5 kHz) level is within 18 dB of the
 * loudest window's and rises and falls at syllable rate (a spread of at least 4.5 dB between
 * its 20 ms frames). A steady music bed does neither; a ducked one under a voice does not
 * count. */
double   admint_loudness_speech_share        (const AdmintAudio  *audio);

/* The gain (dB) that brings LOUDNESS to TARGET_LUFS. */
double   admint_loudness_gain_to             (const AdmintLoudness *loudness,
                                              double                target_lufs);

G_END_DECLS
