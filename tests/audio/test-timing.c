/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of line timing: inside the scene, sped up at most 1.15× when long, reported (never cut)
 * when too long even then. */
#include "config.h"

#include <math.h>

#include "admint-error.h"
#include "admint-test-util.h"
#include "admint-timing.h"
#include "audio-test-util.h"

#define LINE "Our bottle keeps water ice cold for a full day, wherever the trail takes you."

static AdmintFittedLine *
fit (AdmintVoiceProvider  *voice,
     const char           *text,
     double                window,
     GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  admint_timing_fit_line_async (voice, text, window, NULL, audio_test_done, &result);
  return admint_timing_fit_line_finish (audio_test_wait (&result), error);
}

static double
voiced (const AdmintSpeech *speech)
{
  return admint_speech_voiced_end (speech) - admint_speech_voiced_start (speech);
}

/* How long LINE takes at normal speed. */
static double
natural_length (AdmintVoiceProvider *voice)
{
  g_autoptr(AdmintFittedLine) line = fit (voice, LINE, 100, NULL);

  g_assert_cmpint (line->fit, ==, ADMINT_LINE_FITS);
  return voiced (line->speech);
}

static void
test_plan (void)
{
  double speed;

  g_assert_cmpfloat (admint_timing_window (4.0, 8.0), ==, 3.5);
  g_assert_cmpfloat (admint_timing_window (4.0, 4.4), ==, 0);
  g_assert_cmpint (admint_timing_plan (3.0, 3.5, &speed), ==, ADMINT_LINE_FITS);
  g_assert_cmpfloat (speed, ==, 1.0);
  g_assert_cmpint (admint_timing_plan (3.85, 3.5, &speed), ==, ADMINT_LINE_SPED_UP);
  g_assert_cmpfloat (fabs (speed - 1.1), <, 1e-9);
  g_assert_cmpint (admint_timing_plan (4.2, 3.5, &speed), ==, ADMINT_LINE_TOO_LONG);
  g_assert_cmpfloat (speed, >, 1.15);
  g_assert_cmpstr (admint_line_fit_to_string (ADMINT_LINE_TOO_LONG), ==, "too-long");
}

static void
test_fits (void)
{
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintFittedLine) line = fit (voice, "Stay fresh all day.", 4.5, &error);
  double offset;

  g_assert_no_error (error);
  g_assert_cmpint (line->fit, ==, ADMINT_LINE_FITS);
  g_assert_cmpuint (line->attempts, ==, 1);
  g_assert_cmpfloat (line->speech->speed, ==, 1.0);
  /* Trimmed to its words, 50 ms either side. */
  g_assert_cmpfloat (fabs (admint_speech_voiced_start (line->speech) - 0.05), <, 0.001);
  g_assert_cmpfloat (admint_audio_get_duration (line->speech->audio), <=,
                     admint_speech_voiced_end (line->speech) + 0.051);

  /* In the scene from 10 to 15 s: the first word at least 0.2 s after the cut, the last at
   * least 0.3 s before the next. */
  offset = admint_timing_place (line->speech, 10, 15, 0);
  g_assert_cmpfloat (offset + admint_speech_voiced_start (line->speech), >=, 10.2);
  g_assert_cmpfloat (offset + admint_speech_voiced_end (line->speech), <=, 14.7);
  /* A line before it still speaking: this one waits. */
  offset = admint_timing_place (line->speech, 10, 15, 10.8);
  g_assert_cmpfloat (offset, >=, 10.8);
}

static void
test_sped_up (void)
{
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  double natural = natural_length (voice);
  double window = natural / 1.08;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintFittedLine) line = fit (voice, LINE, window, &error);
  g_auto(GStrv) words = admint_voice_split_words (LINE);

  g_assert_no_error (error);
  g_assert_cmpint (line->fit, ==, ADMINT_LINE_SPED_UP);
  g_assert_cmpuint (line->attempts, >=, 2);
  g_assert_cmpfloat (line->speech->speed, >, 1.0);
  g_assert_cmpfloat (line->speech->speed, <=, 1.15);
  g_assert_cmpfloat (voiced (line->speech), <=, window);
  g_assert_cmpuint (line->speech->words->len, ==, g_strv_length (words));
}

static void
test_too_long (void)
{
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  double natural = natural_length (voice);
  double window = natural / 1.5;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintFittedLine) line = fit (voice, LINE, window, &error);
  g_auto(GStrv) words = admint_voice_split_words (LINE);
  const AdmintWord *last;

  g_assert_no_error (error);
  g_assert_cmpint (line->fit, ==, ADMINT_LINE_TOO_LONG);
  /* Reported, at the fastest allowed speed, and whole: every word, the audio past the last. */
  g_assert_cmpfloat (line->speech->speed, ==, 1.15);
  g_assert_cmpfloat (voiced (line->speech), >, window);
  g_assert_cmpuint (line->speech->words->len, ==, g_strv_length (words));
  last = &g_array_index (line->speech->words, AdmintWord, line->speech->words->len - 1);
  g_assert_cmpstr (last->text, ==, "you.");
  g_assert_cmpfloat (admint_audio_get_duration (line->speech->audio), >=, last->end);
  g_assert_cmpfloat (voiced (line->speech), >, natural / 1.2);
}

static void
test_empty_line (void)
{
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintFittedLine) line = fit (voice, "  \n ", 3, &error);

  g_assert_null (line);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "The voice-over line is empty"));
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/timing/plan", test_plan);
  g_test_add_func ("/timing/fits", test_fits);
  g_test_add_func ("/timing/sped-up", test_sped_up);
  g_test_add_func ("/timing/too-long", test_too_long);
  g_test_add_func ("/timing/empty-line", test_empty_line);
  return g_test_run ();
}
