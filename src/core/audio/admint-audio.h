/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sound area's shared vocabulary: a buffer of float samples, WAV files, decoding. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The rate and channels of everything mixed: what the muxer and loudness meter get. */
#define ADMINT_AUDIO_RATE 48000

/* Interleaved float samples in [-1, 1]. */
typedef struct {
  float  *samples;
  gsize   n_frames;
  int     rate;
  int     channels;
} AdmintAudio;

/* N_FRAMES frames of silence. */
AdmintAudio *admint_audio_new          (int                 rate,
                                        int                 channels,
                                        gsize               n_frames);
AdmintAudio *admint_audio_copy         (const AdmintAudio  *audio);
void         admint_audio_free         (AdmintAudio        *audio);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintAudio, admint_audio_free)

double       admint_audio_get_duration (const AdmintAudio  *audio);
/* A copy at RATE with CHANNELS (1 or 2): mono is spread to both sides, stereo averaged to
 * mono; the rate changed with a windowed-sinc interpolator. */
AdmintAudio *admint_audio_convert      (const AdmintAudio  *audio,
                                        int                 rate,
                                        int                 channels);
/* The frames from START to END seconds (clamped), as a new buffer. */
AdmintAudio *admint_audio_slice        (const AdmintAudio  *audio,
                                        double              start,
                                        double              end);
/* Adds SRC × GAIN into DST from AT seconds (negative: SRC's head is dropped). Same rate and
 * channels. */
void         admint_audio_mix_into     (AdmintAudio        *dst,
                                        const AdmintAudio  *src,
                                        double              at,
                                        double              gain);
/* The largest absolute sample. */
float        admint_audio_peak         (const AdmintAudio  *audio);

/* WAV: 16-bit PCM (FLOAT FALSE) or 32-bit float. */
GBytes      *admint_audio_to_wav       (const AdmintAudio  *audio,
                                        gboolean            is_float);
gboolean     admint_audio_write_wav    (const AdmintAudio  *audio,
                                        const char         *path,
                                        gboolean            is_float,
                                        GError            **error);
/* Reads 8/16/24/32-bit PCM or 32-bit float WAV of any rate and channel count. SOURCE names the
 * data in errors. */
AdmintAudio *admint_audio_from_wav     (GBytes             *wav,
                                        const char         *source,
                                        GError            **error);
AdmintAudio *admint_audio_read_wav     (const char         *path,
                                        GError            **error);

/* Decodes any file GStreamer can read to RATE/CHANNELS floats, in the calling thread. A missing
 * file is ADMINT_ERROR_NOT_FOUND; a file with no sound or that is not media is
 * ADMINT_ERROR_INVALID_INPUT naming it. With ALLOW_SILENT, a video without a sound track gives
 * an empty buffer instead of an error. */
AdmintAudio *admint_audio_decode_file  (const char         *path,
                                        int                 rate,
                                        int                 channels,
                                        gboolean            allow_silent,
                                        GCancellable       *cancellable,
                                        GError            **error);

G_END_DECLS
