/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the mix: the bed ducked at least 10 dB under the voice and back after, faded out at
 * the end, and the whole at -14 LUFS with true peak at most -1 dBTP and no clipped sample. */
#include "config.h"

#include <math.h>

#include "admint-error.h"
#include "admint-loudness.h"
#include "admint-mix.h"
#include "admint-test-util.h"
#include "audio-test-util.h"

#define MUSIC_HZ 220.0
#define VOICE_HZ 1500.0

/* A bed at 220 Hz for 8 s and a "voice" at 1.5 kHz from 2.5 to 4.5 s: the two can be measured
 * apart in the mix. */
static AdmintAudio *
mix_tones (AdmintMixReport *report)
{
  g_autoptr(AdmintAudio) music = audio_test_tone (8, MUSIC_HZ, 0.3, 0, 8);
  g_autoptr(AdmintAudio) voice = audio_test_tone (8, VOICE_HZ, 0.3, 2.5, 4.5);
  AdmintMixSettings settings = { .voice = voice, .music = music };
  g_autoptr(GError) error = NULL;
  AdmintAudio *mix = admint_mix (&settings, report, NULL, &error);

  g_assert_no_error (error);
  return mix;
}

static void
test_ducking (void)
{
  AdmintMixReport report;
  g_autoptr(AdmintAudio) mix = mix_tones (&report);
  double open = audio_test_tone_level (mix, MUSIC_HZ, 0.5, 1.5);
  double under = audio_test_tone_level (mix, MUSIC_HZ, 2.5, 4.5);
  double after = audio_test_tone_level (mix, MUSIC_HZ, 5.6, 6.6);
  double first_word = audio_test_tone_level (mix, MUSIC_HZ, 2.5, 2.6);

  g_test_message ("bed %.4f, under the voice %.4f (%.1f dB), after %.4f", open, under,
                  20 * log10 (under / open), after);
  g_assert_cmpfloat (20 * log10 (under / open), <=, -10);
  /* Down before the first word: the dip is planned ahead. */
  g_assert_cmpfloat (20 * log10 (first_word / open), <=, -9);
  /* Back within 1 dB once the release (0.4 s) and hold are over. */
  g_assert_cmpfloat (fabs (20 * log10 (after / open)), <, 1.0);
  g_assert_cmpfloat (report.duck_db, >=, 10);
  /* The voice on top. */
  g_assert_cmpfloat (audio_test_tone_level (mix, VOICE_HZ, 2.5, 4.5), >, 4 * under);
}

static void
test_fade_out (void)
{
  g_autoptr(AdmintAudio) mix = mix_tones (NULL);
  double before = audio_test_tone_level (mix, MUSIC_HZ, 6.0, 6.9);
  double end = audio_test_tone_level (mix, MUSIC_HZ, 7.9, 8.0);

  g_assert_cmpfloat (end, <, before * 0.15);
  g_assert_cmpfloat (fabsf (mix->samples[mix->n_frames * 2 - 1]), <, 0.01);
}

static void
test_loudness_target (void)
{
  AdmintMixReport report;
  g_autoptr(AdmintAudio) mix = mix_tones (&report);
  AdmintLoudness l;
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_loudness_measure (mix, &l, &error));
  g_assert_cmpfloat (fabs (l.integrated_lufs - -14), <=, 0.5);
  g_assert_cmpfloat (l.true_peak_dbtp, <=, -1);
  g_assert_cmpfloat (l.sample_peak, <, 1.0);
  g_assert_cmpfloat (fabs (report.integrated_lufs - l.integrated_lufs), <, 0.01);
  g_assert_cmpfloat (report.speech_share, >, 0.2);
  g_assert_cmpfloat (report.speech_share, <, 0.3);
}

/* A peaky signal (drum hits over a quiet tone) needs the limiter: still on target. */
static void
test_normalise_peaky (void)
{
  g_autoptr(AdmintAudio) audio = audio_test_tone (6, 100, 0.05, 0, 6);
  AdmintLoudness l;
  double gain = 0, limited = 0;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < audio->n_frames; i += ADMINT_AUDIO_RATE / 2)
    for (gsize k = 0; k < ADMINT_AUDIO_RATE / 10 && i + k < audio->n_frames; k++)
      {
        double t = (double) k / ADMINT_AUDIO_RATE;
        float v = (float) (0.95 * exp (-t * 40) * sin (2 * G_PI * 80 * t));
        audio->samples[2 * (i + k)] += v;
        audio->samples[2 * (i + k) + 1] += v;
      }
  g_assert_true (admint_mix_normalise (audio, -14, -1, &gain, &limited, &error));
  g_assert_true (admint_loudness_measure (audio, &l, &error));
  g_test_message ("gain %.1f dB, limited %.1f dB: %.2f LUFS, %.2f dBTP", gain, limited,
                  l.integrated_lufs, l.true_peak_dbtp);
  g_assert_cmpfloat (fabs (l.integrated_lufs - -14), <=, 1);
  g_assert_cmpfloat (l.true_peak_dbtp, <=, -1);
  g_assert_cmpfloat (limited, >, 1);
  for (gsize i = 0; i < audio->n_frames * 2; i++)
    g_assert_cmpfloat (fabsf (audio->samples[i]), <, 1.0f);
}

static void
test_nothing_to_mix (void)
{
  AdmintMixSettings settings = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintAudio) mix = admint_mix (&settings, NULL, NULL, &error);

  g_assert_null (mix);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

static void
test_speech_share (void)
{
  g_autoptr(AdmintAudio) silence = admint_audio_new (ADMINT_AUDIO_RATE, 2, ADMINT_AUDIO_RATE * 4);
  g_autoptr(AdmintAudio) steady = audio_test_tone (4, 300, 0.2, 0, 4);
  g_autoptr(AdmintAudio) syllables = admint_audio_new (ADMINT_AUDIO_RATE, 2, ADMINT_AUDIO_RATE * 4);

  /* Syllable-like bursts (5 a second) for the first 2 s. */
  for (gsize i = 0; i < 2 * ADMINT_AUDIO_RATE; i++)
    {
      double t = (double) i / ADMINT_AUDIO_RATE;
      double env = fmod (t, 0.2) < 0.12 ? 1 : 0;
      float v = (float) (env * 0.3 * sin (2 * G_PI * 700 * t));
      syllables->samples[2 * i] = syllables->samples[2 * i + 1] = v;
    }
  g_assert_cmpfloat (admint_loudness_speech_share (silence), ==, 0);
  g_assert_cmpfloat (admint_loudness_speech_share (steady), <, 0.1);
  g_assert_cmpfloat (fabs (admint_loudness_speech_share (syllables) - 0.5), <, 0.15);
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/mix/ducking", test_ducking);
  g_test_add_func ("/mix/fade-out", test_fade_out);
  g_test_add_func ("/mix/loudness-target", test_loudness_target);
  g_test_add_func ("/mix/normalise-peaky", test_normalise_peaky);
  g_test_add_func ("/mix/nothing-to-mix", test_nothing_to_mix);
  g_test_add_func ("/mix/speech-share", test_speech_share);
  return g_test_run ();
}
