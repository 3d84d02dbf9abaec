/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the music bed: tempo on the cuts, the same music for the same seed, every mood, and
 * the user's music file (a bad one named in a clear error). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-error.h"
#include "admint-music.h"
#include "admint-test-util.h"
#include "audio-test-util.h"

static void
test_tempo (void)
{
  const double even[] = { 2.0, 4.0, 6.0 };
  const double odd[] = { 3.2, 7.1, 11.9 };
  double err, bpm, phase;

  bpm = admint_music_choose_tempo (ADMINT_MOOD_UPBEAT, even, G_N_ELEMENTS (even), &phase, &err);
  g_assert_cmpfloat (phase, ==, 0);
  g_assert_cmpfloat (bpm, >=, 108);
  g_assert_cmpfloat (bpm, <=, 128);
  g_assert_cmpfloat (err, <, 0.005);
  /* Uneven cuts still land on the grid of beats and half-beats within a video frame (33 ms;
   * the bed may open with a pickup), in each
   * mood's own range. */
  for (AdmintMood mood = ADMINT_MOOD_UPBEAT; mood <= ADMINT_MOOD_BOLD; mood++)
    {
      bpm = admint_music_choose_tempo (mood, odd, G_N_ELEMENTS (odd), &phase, &err);
      g_test_message ("%s: %.2f BPM from %.3f s, %.1f ms", admint_mood_to_string (mood), bpm,
                      phase, err * 1000);
      g_assert_cmpfloat (err, <, 1 / 30.0);
      g_assert_cmpfloat (phase, <, 60 / bpm);
      for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
        {
          double halves = (odd[i] - phase) * bpm / 30;
          g_assert_cmpfloat (fabs (halves - round (halves)) * 30 / bpm, <=, err + 1e-9);
        }
    }
}

static void
test_moods (void)
{
  AdmintMood mood;

  g_assert_true (admint_mood_from_string ("Calm", &mood));
  g_assert_cmpint (mood, ==, ADMINT_MOOD_CALM);
  g_assert_true (admint_mood_from_string ("bold", &mood));
  g_assert_cmpint (mood, ==, ADMINT_MOOD_BOLD);
  g_assert_false (admint_mood_from_string ("sad", &mood));
  g_assert_cmpint (admint_mood_guess ("A relaxing spa weekend"), ==, ADMINT_MOOD_CALM);
  g_assert_cmpint (admint_mood_guess ("Save the planet, one bottle at a time"), ==,
                   ADMINT_MOOD_INSPIRING);
  g_assert_cmpint (admint_mood_guess ("Shoes"), ==, ADMINT_MOOD_UPBEAT);
}

static AdmintAudio *
generate (AdmintMood  mood,
          guint32     seed,
          double      duration,
          double     *tempo)
{
  const double cuts[] = { 2.0, 4.0 };
  AdmintMusicSettings settings = { mood, duration, cuts, 2, seed, NULL };
  g_autoptr(GError) error = NULL;
  AdmintAudio *audio = admint_music_generate (&settings, tempo, NULL, &error);

  g_assert_no_error (error);
  return audio;
}

static void
test_generate (void)
{
  for (AdmintMood mood = ADMINT_MOOD_UPBEAT; mood <= ADMINT_MOOD_BOLD; mood++)
    {
      double tempo = 0;
      g_autoptr(AdmintAudio) audio = generate (mood, 7, 6.0, &tempo);

      g_assert_cmpint (audio->rate, ==, ADMINT_AUDIO_RATE);
      g_assert_cmpint (audio->channels, ==, 2);
      g_assert_cmpuint (audio->n_frames, ==, 6 * ADMINT_AUDIO_RATE);
      g_assert_cmpfloat (admint_audio_peak (audio), >, 0.02);
      g_assert_cmpfloat (admint_audio_peak (audio), <, 1.0);
      g_assert_cmpfloat (tempo, >, 60);
      /* Something plays all through: no second of silence. */
      for (int s = 0; s < 6; s++)
        {
          g_autoptr(AdmintAudio) second = admint_audio_slice (audio, s, s + 1);
          g_assert_cmpfloat (admint_audio_peak (second), >, 0.005);
        }
    }
}

static void
test_deterministic (void)
{
  g_autoptr(AdmintAudio) a = generate (ADMINT_MOOD_UPBEAT, 42, 4.0, NULL);
  g_autoptr(AdmintAudio) b = generate (ADMINT_MOOD_UPBEAT, 42, 4.0, NULL);
  g_autoptr(AdmintAudio) c = generate (ADMINT_MOOD_UPBEAT, 43, 4.0, NULL);

  g_assert_cmpuint (a->n_frames, ==, b->n_frames);
  g_assert_cmpmem (a->samples, a->n_frames * 8, b->samples, b->n_frames * 8);
  g_assert_true (memcmp (a->samples, c->samples, a->n_frames * 8) != 0);
}

static void
test_load_file (void)
{
  g_autoptr(AdmintAudio) tone = audio_test_tone (2.0, 440, 0.5, 0, 2);
  g_autofree char *wav = g_build_filename (admint_test_get_root (), "song.wav", NULL);
  g_autofree char *text = g_build_filename (admint_test_get_root (), "notes.mp3", NULL);
  g_autofree char *missing = g_build_filename (admint_test_get_root (), "none.mp3", NULL);
  g_autoptr(AdmintAudio) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_audio_write_wav (tone, wav, FALSE, &error));
  loaded = admint_music_load (wav, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->n_frames, ==, tone->n_frames);
  g_assert_cmpfloat (fabs (audio_test_tone_level (loaded, 440, 0.5, 1.5) - 0.5), <, 0.01);

  g_assert_true (g_file_set_contents (text, "This is a shopping list, not a song.\n", -1, NULL));
  g_clear_pointer (&loaded, admint_audio_free);
  loaded = admint_music_load (text, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, text));
  g_assert_nonnull (strstr (error->message, "MP3, Ogg, FLAC, WAV or M4A"));
  g_clear_error (&error);

  loaded = admint_music_load (missing, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
}

static void
test_soundfont (void)
{
  g_autofree char *found = admint_music_find_soundfont (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;

  g_assert_nonnull (found);
  g_assert_true (g_str_has_suffix (found, ".sf2"));
  g_setenv ("ADMINT_SOUNDFONT", "/nonexistent/gm.sf2", TRUE);
  none = admint_music_find_soundfont (&error);
  g_unsetenv ("ADMINT_SOUNDFONT");
  g_assert_null (none);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/gm.sf2"));
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/music/tempo", test_tempo);
  g_test_add_func ("/music/moods", test_moods);
  g_test_add_func ("/music/generate", test_generate);
  g_test_add_func ("/music/deterministic", test_deterministic);
  g_test_add_func ("/music/load-file", test_load_file);
  g_test_add_func ("/music/soundfont", test_soundfont);
  return g_test_run ();
}
