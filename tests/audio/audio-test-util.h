/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the sound tests: waiting for async calls, tones, tone levels, parsing
 * caption files. */
#pragma once

#include <gio/gio.h>

#include "admint-audio.h"
#include "admint-voice.h"

G_BEGIN_DECLS

/* Runs the default main context until *RESULT is set by audio_test_done. */
GAsyncResult *audio_test_wait       (GAsyncResult **result);
/* A GAsyncReadyCallback storing a reference to RESULT in *(GAsyncResult **) USER_DATA. */
void          audio_test_done       (GObject       *source,
                                     GAsyncResult  *result,
                                     gpointer       user_data);

/* A stereo sine at ADMINT_AUDIO_RATE: FREQ Hz, AMPLITUDE, from START to END seconds of a buffer
 * DURATION long (silence elsewhere). */
AdmintAudio  *audio_test_tone       (double         duration,
                                     double         freq,
                                     double         amplitude,
                                     double         start,
                                     double         end);
/* The amplitude of FREQ in AUDIO's left channel between START and END seconds (Goertzel). */
double        audio_test_tone_level (const AdmintAudio *audio,
                                     double             freq,
                                     double             start,
                                     double             end);

typedef struct {
  double start, end;
  char  *text;   /* lines joined with "\n" */
} AudioTestCue;

/* Parses SubRip or WebVTT text into AudioTestCue (text unescaped); fails the test on a
 * malformed cue. */
GArray       *audio_test_parse_cues (const char    *text,
                                     gboolean       vtt);

/* A speech of WORDS (NULL-terminated) each SECONDS long with GAP between, no audio. */
AdmintSpeech *audio_test_speech     (const char * const *words,
                                     double              seconds,
                                     double              gap);

G_END_DECLS
