/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals the sound area's files share. */
#pragma once

#include "admint-audio.h"

G_BEGIN_DECLS

/* Integrated loudness (LUFS, -HUGE_VAL for silence) and, when TRUE_PEAK is not NULL, the true
 * peak (dBTP): only what is asked is computed. */
gboolean admint_loudness_quick (const AdmintAudio  *audio,
                                double             *lufs,
                                double             *true_peak);

G_END_DECLS
