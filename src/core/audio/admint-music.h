/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The music bed: a short arrangement rendered with FluidSynth, or the user's own music file. */
#pragma once

#include <gio/gio.h>

#include "admint-audio.h"

G_BEGIN_DECLS

typedef enum {
  ADMINT_MOOD_UPBEAT,
  ADMINT_MOOD_CALM,
  ADMINT_MOOD_INSPIRING,
  ADMINT_MOOD_BOLD,
} AdmintMood;

/* "upbeat", "calm", "inspiring", "bold" (any case); FALSE otherwise. */
gboolean    admint_mood_from_string      (const char  *text,
                                          AdmintMood  *mood);
const char *admint_mood_to_string        (AdmintMood   mood);
/* The mood a story's words suggest ("relax" -> calm, "power" -> bold…); upbeat otherwise. */
AdmintMood  admint_mood_guess            (const char  *text);

/* The tempo (BPM, inside the mood's range) and the time of a first beat (*PHASE, in [0, one
 * beat): the bed may open with a pickup) that put the cut times CUTS (seconds from the start)
 * nearest to beats, or where no tempo does that within 20 ms, to beats and half-beats; the
 * worst distance in *MAX_ERROR. PHASE and MAX_ERROR may be NULL. */
double      admint_music_choose_tempo    (AdmintMood    mood,
                                          const double *cuts,
                                          guint         n_cuts,
                                          double       *phase,
                                          double       *max_error);

/* The soundfont to play: $ADMINT_SOUNDFONT, then FluidR3_GM.sf2, then TimGM6mb.sf2 in the
 * system's (or the Flatpak's) sf2 folder. NULL with an error naming the package to install. */
char       *admint_music_find_soundfont  (GError      **error);

typedef struct {
  AdmintMood    mood;
  double        duration;    /* seconds */
  const double *cuts;        /* scene cuts to put on beats; may be NULL */
  guint         n_cuts;
  guint32       seed;        /* the same seed gives the same music */
  const char   *soundfont;   /* NULL: admint_music_find_soundfont() */
} AdmintMusicSettings;

/* Renders the bed (chords, bass, drums, pad) at ADMINT_AUDIO_RATE stereo, in the calling
 * thread. *TEMPO (may be NULL) receives the BPM. */
AdmintAudio *admint_music_generate       (const AdmintMusicSettings  *settings,
                                          double                     *tempo,
                                          GCancellable               *cancellable,
                                          GError                    **error);

/* The user's music file decoded (any format GStreamer reads). A file with no sound is
 * ADMINT_ERROR_INVALID_INPUT naming it. */
AdmintAudio *admint_music_load           (const char                 *path,
                                          GCancellable               *cancellable,
                                          GError                    **error);
/* Whether PATH is a music file admint_music_load can use: ADMINT_ERROR_NOT_FOUND or
 * ADMINT_ERROR_INVALID_INPUT naming it otherwise. Decodes it: call it off the main loop, or
 * from a command line before anything starts. */
gboolean     admint_music_check_file     (const char                 *path,
                                          GCancellable               *cancellable,
                                          GError                    **error);

G_END_DECLS
