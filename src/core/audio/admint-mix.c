/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mixing: stems levelled by loudness, the bed ducked under the voice, normalised and limited. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "admint-audio-private.h"
#include "admint-error.h"
#include "admint-loudness.h"
#include "admint-mix.h"
#include "admint-voice.h"

/* Where the stems are levelled before the whole is normalised. */
#define REFERENCE_LUFS -18.0
/* AAC encoding adds a little to the peaks: the float mix keeps this much more headroom. */
#define ENCODER_MARGIN_DB 1.0
#define LIMITER_LOOKAHEAD 0.005
#define LIMITER_RELEASE 0.08

static double
db_to_gain (double db)
{
  return pow (10, db / 20);
}

/* The gain that brings STEM to LUFS (1 when it is silent). */
static double
level_gain (const AdmintAudio *stem,
            double             lufs)
{
  double measured;

  if (stem == NULL || !admint_loudness_quick (stem, &measured, NULL) || !isfinite (measured))
    return 1.0;
  return db_to_gain (lufs - measured);
}

float *
admint_mix_duck_envelope (const AdmintAudio *voice,
                          double             duck_db,
                          double             attack,
                          double             release)
{
  gsize n = voice->n_frames;
  float *gain = g_new (float, MAX (1, n));
  g_autofree guint8 *active = g_new0 (guint8, MAX (1, n));
  g_autoptr(GArray) spans = admint_voice_activity (voice);
  double g = 0, down = 1 - exp (-1.0 / (attack / 3 * voice->rate));
  double up = 1 - exp (-1.0 / (release / 3 * voice->rate));
  /* Within a line the dip holds through the pauses between words. */
  double hold = 0.35;

  for (guint s = 0; s + 1 < spans->len; s += 2)
    {
      double a = g_array_index (spans, double, s) - attack;
      double b = g_array_index (spans, double, s + 1) + hold;
      gsize i0 = (gsize) MAX (0, llround (a * voice->rate));
      gsize i1 = (gsize) MIN ((gint64) n, llround (b * voice->rate));

      if (i1 > i0)
        memset (active + i0, 1, i1 - i0);
    }
  /* The dip is planned ahead (the voice is known): a third of the attack time is the time
   * constant, so it is at 95 % of the depth when the first word starts. */
  for (gsize i = 0; i < n; i++)
    {
      double target = active[i] ? -duck_db : 0;
      g += (target - g) * (target < g ? down : up);
      gain[i] = (float) db_to_gain (g);
    }
  return gain;
}

/* The largest absolute sample of each frame over the next LOOKAHEAD frames (a monotonic
 * deque: one pass). */
static float *
lookahead_peaks (const AdmintAudio *audio,
                 gsize              lookahead)
{
  gsize n = audio->n_frames;
  float *frame_peak = g_new (float, MAX (1, n));
  float *out = g_new (float, MAX (1, n));
  g_autofree gsize *deque = g_new (gsize, n + 1);
  gsize head = 0, tail = 0;

  for (gsize i = 0; i < n; i++)
    {
      float p = 0;
      for (int c = 0; c < audio->channels; c++)
        p = MAX (p, fabsf (audio->samples[i * audio->channels + c]));
      frame_peak[i] = p;
    }
  /* out[i] = max(frame_peak[i .. i + lookahead]); walk the window's right edge. */
  for (gsize r = 0; r < n + lookahead; r++)
    {
      if (r < n)
        {
          while (tail > head && frame_peak[deque[tail - 1]] <= frame_peak[r])
            tail--;
          deque[tail++] = r;
        }
      if (r >= lookahead)
        {
          gsize i = r - lookahead;
          while (deque[head] < i)
            head++;
          out[i] = frame_peak[deque[head]];
        }
    }
  g_free (frame_peak);
  return out;
}

/* Keeps every sample under CEILING (linear); returns the deepest gain reduction in dB. */
static double
limit (AdmintAudio *audio,
       double       ceiling)
{
  gsize lookahead = (gsize) (LIMITER_LOOKAHEAD * audio->rate);
  g_autofree float *peaks = lookahead_peaks (audio, lookahead);
  double g = 1.0, deepest = 1.0, rel = 1 - exp (-1.0 / (LIMITER_RELEASE * audio->rate));

  for (gsize i = 0; i < audio->n_frames; i++)
    {
      double need = peaks[i] > ceiling ? ceiling / peaks[i] : 1.0;

      /* Down at once (the look-ahead saw it coming), back up slowly. */
      g = need < g ? need : g + (need - g) * rel;
      deepest = MIN (deepest, g);
      for (int c = 0; c < audio->channels; c++)
        audio->samples[i * audio->channels + c] *= (float) g;
    }
  return -20 * log10 (deepest);
}

static void
scale (AdmintAudio *audio,
       double       gain)
{
  for (gsize i = 0; i < audio->n_frames * audio->channels; i++)
    audio->samples[i] *= (float) gain;
}

gboolean
admint_mix_normalise (AdmintAudio  *audio,
                      double        target_lufs,
                      double        ceiling_dbtp,
                      double       *gain_db,
                      double       *limited_db,
                      GError      **error)
{
  g_autoptr(AdmintAudio) original = NULL;
  struct { double integrated_lufs, true_peak_dbtp; } l;
  double gain = 0, ceiling = ceiling_dbtp - ENCODER_MARGIN_DB - 0.5, deepest = 0;
  double last_gain = 0, last_lufs = 0;
  gboolean have_last = FALSE;

  g_return_val_if_fail (audio != NULL, FALSE);

  if (!admint_loudness_quick (audio, &l.integrated_lufs, NULL))
    return TRUE;
  if (!isfinite (l.integrated_lufs))
    return TRUE;   /* silence stays silence */
  original = admint_audio_copy (audio);
  gain = target_lufs - l.integrated_lufs;

  /* Gain, then limit the sample peaks under a ceiling; the limiter costs some loudness and
   * inter-sample peaks may still pass: measure and go again, from the original each time. The
   * next gain follows the secant of the last two tries (loudness rises slower than the gain
   * once the limiter works). */
  for (int round = 0; round < 10; round++)
    {
      memcpy (audio->samples, original->samples,
              audio->n_frames * audio->channels * sizeof (float));
      scale (audio, db_to_gain (gain));
      deepest = limit (audio, db_to_gain (ceiling));
      admint_loudness_quick (audio, &l.integrated_lufs, &l.true_peak_dbtp);
      g_debug ("normalise round %d: gain %.2f dB, ceiling %.2f dBFS -> %.2f LUFS, %.2f dBTP",
               round, gain, ceiling, l.integrated_lufs, l.true_peak_dbtp);
      if (l.true_peak_dbtp > ceiling_dbtp - ENCODER_MARGIN_DB)
        {
          ceiling -= l.true_peak_dbtp - (ceiling_dbtp - ENCODER_MARGIN_DB) + 0.1;
          have_last = FALSE;
          continue;
        }
      if (fabs (l.integrated_lufs - target_lufs) <= 0.2)
        break;
      {
        double slope = 1.0, next;

        if (have_last && fabs (l.integrated_lufs - last_lufs) > 0.01)
          slope = CLAMP ((gain - last_gain) / (l.integrated_lufs - last_lufs), 1.0, 6.0);
        next = gain + slope * (target_lufs - l.integrated_lufs);
        last_gain = gain;
        last_lufs = l.integrated_lufs;
        have_last = TRUE;
        gain = next;
      }
    }
  if (gain_db != NULL)
    *gain_db = gain;
  if (limited_db != NULL)
    *limited_db = deepest;
  return TRUE;
}

/* A stem at the mix's length: looped when it is the music and shorter, cut or padded
 * otherwise. */
static AdmintAudio *
fit_stem (const AdmintAudio *stem,
          gsize              n,
          gboolean           loop)
{
  AdmintAudio *out = admint_audio_new (ADMINT_AUDIO_RATE, 2, n);

  if (stem->n_frames == 0)
    return out;
  for (gsize i = 0; i < n; i++)
    {
      gsize j = loop ? i % stem->n_frames : i;

      if (j >= stem->n_frames)
        break;
      out->samples[2 * i] = stem->samples[2 * j];
      out->samples[2 * i + 1] = stem->samples[2 * j + 1];
    }
  return out;
}

static double
stems_duration (const AdmintMixSettings *s)
{
  double d = s->duration;

  if (d <= 0)
    {
      if (s->voice != NULL)
        d = MAX (d, admint_audio_get_duration (s->voice));
      if (s->clips != NULL)
        d = MAX (d, admint_audio_get_duration (s->clips));
      if (s->music != NULL)
        d = MAX (d, admint_audio_get_duration (s->music));
    }
  return d;
}

/* The bed under the voice: levelled, ducked, faded in briefly and out over FADE seconds. */
static void
add_music (AdmintAudio             *out,
           const AdmintMixSettings *s,
           const AdmintAudio       *voice,
           double                   music_lufs,
           double                   duck_db)
{
  g_autoptr(AdmintAudio) music = fit_stem (s->music, out->n_frames, TRUE);
  g_autofree float *duck = NULL;
  double gain = level_gain (music, music_lufs);
  double fade = s->fade_out > 0 ? s->fade_out : 1.0;
  gsize fade_frames = MIN (out->n_frames, (gsize) (fade * ADMINT_AUDIO_RATE));
  gsize fade_in = ADMINT_AUDIO_RATE / 50;

  if (voice != NULL)
    duck = admint_mix_duck_envelope (voice, duck_db, s->attack > 0 ? s->attack : 0.15,
                                     s->release > 0 ? s->release : 0.4);
  for (gsize i = 0; i < out->n_frames; i++)
    {
      double g = gain * (duck ? duck[i] : 1.0);

      if (i < fade_in)
        g *= (double) i / fade_in;
      if (i + fade_frames >= out->n_frames)
        g *= (double) (out->n_frames - 1 - i) / MAX (1, fade_frames - 1);
      out->samples[2 * i] += (float) (g * music->samples[2 * i]);
      out->samples[2 * i + 1] += (float) (g * music->samples[2 * i + 1]);
    }
}

static double
voice_share (const AdmintAudio *voice,
             double             duration)
{
  g_autoptr(GArray) spans = admint_voice_activity (voice);
  double voiced = 0;

  for (guint s = 0; s + 1 < spans->len; s += 2)
    voiced += g_array_index (spans, double, s + 1) - g_array_index (spans, double, s);
  return duration > 0 ? CLAMP (voiced / duration, 0, 1) : 0;
}

AdmintAudio *
admint_mix (const AdmintMixSettings  *s,
            AdmintMixReport          *report,
            GCancellable             *cancellable,
            GError                  **error)
{
  g_autoptr(AdmintAudio) out = NULL;
  g_autoptr(AdmintAudio) voice = NULL;
  double duration, duck_db, music_db, clip_level;
  AdmintMixReport r = { 0 };
  gsize n;

  g_return_val_if_fail (s != NULL, NULL);

  duration = stems_duration (s);
  if (duration <= 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("There is no sound to mix: give a voice, music or the clips' sound"));
      return NULL;
    }
  n = (gsize) llround (duration * ADMINT_AUDIO_RATE);
  out = admint_audio_new (ADMINT_AUDIO_RATE, 2, n);
  duck_db = s->duck_db > 0 ? MAX (10, s->duck_db) : 12;
  music_db = s->music_level_db != 0 ? s->music_level_db : -8;
  clip_level = s->clip_level > 0 ? s->clip_level : 0.25;

  if (s->voice != NULL)
    {
      voice = fit_stem (s->voice, n, FALSE);
      admint_audio_mix_into (out, voice, 0, level_gain (voice, REFERENCE_LUFS));
      r.speech_share = voice_share (voice, duration);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (s->clips != NULL)
    {
      g_autoptr(AdmintAudio) clips = fit_stem (s->clips, n, FALSE);
      double lufs = REFERENCE_LUFS + (voice ? 20 * log10 (clip_level) : 0);

      admint_audio_mix_into (out, clips, 0, level_gain (clips, lufs));
    }
  if (s->music != NULL && s->music->n_frames > 0)
    {
      add_music (out, s, voice, voice ? REFERENCE_LUFS + music_db : REFERENCE_LUFS, duck_db);
      r.duck_db = voice ? duck_db : 0;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!admint_mix_normalise (out, s->target_lufs != 0 ? s->target_lufs : -14,
                             s->ceiling_dbtp != 0 ? s->ceiling_dbtp : -1, &r.gain_db,
                             &r.limited_db, error))
    return NULL;
  admint_loudness_quick (out, &r.integrated_lufs, &r.true_peak_dbtp);
  if (report != NULL)
    *report = r;
  return g_steal_pointer (&out);
}
