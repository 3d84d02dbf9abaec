/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the sound tests. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "audio-test-util.h"

void
audio_test_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
audio_test_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

AdmintAudio *
audio_test_tone (double duration,
                 double freq,
                 double amplitude,
                 double start,
                 double end)
{
  AdmintAudio *audio = admint_audio_new (ADMINT_AUDIO_RATE, 2,
                                         (gsize) (duration * ADMINT_AUDIO_RATE));

  for (gsize i = (gsize) (start * ADMINT_AUDIO_RATE);
       i < MIN (audio->n_frames, (gsize) (end * ADMINT_AUDIO_RATE)); i++)
    {
      float v = (float) (amplitude * sin (2 * G_PI * freq * i / ADMINT_AUDIO_RATE));
      audio->samples[2 * i] = audio->samples[2 * i + 1] = v;
    }
  return audio;
}

double
audio_test_tone_level (const AdmintAudio *audio,
                       double             freq,
                       double             start,
                       double             end)
{
  gsize a = (gsize) (start * audio->rate), b = MIN (audio->n_frames, (gsize) (end * audio->rate));
  double w = 2 * G_PI * freq / audio->rate, coeff = 2 * cos (w), s1 = 0, s2 = 0, power;

  for (gsize i = a; i < b; i++)
    {
      double s0 = audio->samples[i * audio->channels] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
  power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return 2 * sqrt (MAX (0, power)) / MAX (1, (double) (b - a));
}

static double
parse_time (const char *text,
            gboolean    vtt)
{
  int h, m, s, ms;
  char sep;

  g_assert_cmpint (sscanf (text, "%d:%d:%d%c%d", &h, &m, &s, &sep, &ms), ==, 5);
  g_assert_cmpint (sep, ==, vtt ? '.' : ',');
  return h * 3600 + m * 60 + s + ms / 1000.0;
}

static void
cue_clear (gpointer data)
{
  g_free (((AudioTestCue *) data)->text);
}

GArray *
audio_test_parse_cues (const char *text,
                       gboolean    vtt)
{
  GArray *cues = g_array_new (FALSE, TRUE, sizeof (AudioTestCue));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint i = 0;

  g_array_set_clear_func (cues, cue_clear);
  if (vtt)
    {
      g_assert_cmpstr (lines[0], ==, "WEBVTT");
      i = 2;
    }
  while (lines[i] != NULL && lines[i][0] != '\0')
    {
      AudioTestCue cue = { 0 };
      g_auto(GStrv) times = NULL;
      g_autoptr(GString) body = g_string_new (NULL);

      g_assert_cmpint (g_ascii_strtoll (lines[i++], NULL, 10), ==, cues->len + 1);
      g_assert_nonnull (lines[i]);
      times = g_strsplit (lines[i++], " --> ", 2);
      g_assert_cmpint (g_strv_length (times), ==, 2);
      cue.start = parse_time (times[0], vtt);
      cue.end = parse_time (times[1], vtt);
      for (; lines[i] != NULL && lines[i][0] != '\0'; i++)
        {
          g_autofree char *line = NULL;

          if (vtt)
            {
              g_autoptr(GString) u = g_string_new (lines[i]);
              g_string_replace (u, "&lt;", "<", 0);
              g_string_replace (u, "&gt;", ">", 0);
              g_string_replace (u, "&apos;", "'", 0);
              g_string_replace (u, "&quot;", "\"", 0);
              g_string_replace (u, "&amp;", "&", 0);
              line = g_string_free (g_steal_pointer (&u), FALSE);
            }
          else
            line = g_strdup (lines[i]);
          if (body->len > 0)
            g_string_append_c (body, '\n');
          g_string_append (body, line);
        }
      cue.text = g_string_free (g_steal_pointer (&body), FALSE);
      g_array_append_val (cues, cue);
      if (lines[i] != NULL)
        i++;
    }
  return cues;
}

AdmintSpeech *
audio_test_speech (const char * const *words,
                   double              seconds,
                   double              gap)
{
  g_autofree char *text = g_strjoinv (" ", (char **) words);
  AdmintSpeech *speech = admint_speech_new (text);
  double t = 0.1;

  for (guint i = 0; words[i] != NULL; i++)
    {
      admint_speech_add_word (speech, words[i], t, t + seconds);
      t += seconds + gap;
    }
  speech->audio = admint_audio_new (16000, 1, (gsize) ((t + 0.1) * 16000));
  return speech;
}
