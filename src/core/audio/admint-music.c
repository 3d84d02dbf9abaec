/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A generated music bed: four bars of chords, bass, pad and drums per mood, played by FluidSynth
 * with a General MIDI soundfont at a tempo that puts the scene cuts on beats. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <fluidsynth.h>
#include <math.h>
#include <string.h>

#include "admint-error.h"
#include "admint-music.h"

enum { CH_CHORDS = 0, CH_BASS = 1, CH_PAD = 2, CH_DRUMS = 9 };
enum { KICK = 36, SNARE = 38, CLAP = 39, HAT = 42, OPEN_HAT = 46, CRASH = 49, SHAKER = 70 };

typedef struct {
  const char *name;
  double      bpm_lo, bpm_hi;
  int         prog[4][2];      /* per bar: semitones from the key, 1 for a minor chord */
  int         chord_program, bass_program, pad_program;
  int         chord_style;     /* 0 off-beat stabs, 1 arpeggio, 2 quarter chords, 3 pushes */
  int         bass_style;      /* 0 eighths, 1 whole notes, 2 halves, 3 octave eighths */
  int         drum_style;      /* 0 pop, 1 soft, 2 half-time, 3 driving */
} MoodStyle;

static const MoodStyle styles[] = {
  [ADMINT_MOOD_UPBEAT] = { "upbeat", 108, 128, { { 0, 0 }, { 7, 0 }, { 9, 1 }, { 5, 0 } },
                           4, 33, 89, 0, 0, 0 },
  [ADMINT_MOOD_CALM] = { "calm", 66, 88, { { 0, 0 }, { 9, 1 }, { 5, 0 }, { 7, 0 } },
                         0, 32, 88, 1, 1, 1 },
  [ADMINT_MOOD_INSPIRING] = { "inspiring", 88, 108, { { 9, 1 }, { 5, 0 }, { 0, 0 }, { 7, 0 } },
                              0, 33, 48, 2, 2, 2 },
  [ADMINT_MOOD_BOLD] = { "bold", 96, 120, { { 0, 1 }, { 8, 0 }, { 3, 0 }, { 10, 0 } },
                         61, 38, 50, 3, 3, 3 },
};

gboolean
admint_mood_from_string (const char *text,
                         AdmintMood *mood)
{
  g_return_val_if_fail (mood != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (styles); i++)
    if (g_ascii_strcasecmp (text, styles[i].name) == 0)
      {
        *mood = (AdmintMood) i;
        return TRUE;
      }
  return FALSE;
}

const char *
admint_mood_to_string (AdmintMood mood)
{
  g_return_val_if_fail (mood < G_N_ELEMENTS (styles), NULL);
  return styles[mood].name;
}

AdmintMood
admint_mood_guess (const char *text)
{
  static const struct { const char *word; AdmintMood mood; } cues[] = {
    { "calm", ADMINT_MOOD_CALM }, { "relax", ADMINT_MOOD_CALM }, { "sleep", ADMINT_MOOD_CALM },
    { "gentle", ADMINT_MOOD_CALM }, { "peace", ADMINT_MOOD_CALM }, { "spa", ADMINT_MOOD_CALM },
    { "inspir", ADMINT_MOOD_INSPIRING }, { "dream", ADMINT_MOOD_INSPIRING },
    { "future", ADMINT_MOOD_INSPIRING }, { "planet", ADMINT_MOOD_INSPIRING },
    { "eco", ADMINT_MOOD_INSPIRING }, { "hope", ADMINT_MOOD_INSPIRING },
    { "power", ADMINT_MOOD_BOLD }, { "bold", ADMINT_MOOD_BOLD }, { "strong", ADMINT_MOOD_BOLD },
    { "extreme", ADMINT_MOOD_BOLD }, { "sport", ADMINT_MOOD_BOLD }, { "fast", ADMINT_MOOD_BOLD },
  };
  g_autofree char *lower = g_utf8_strdown (text ? text : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS (cues); i++)
    if (strstr (lower, cues[i].word) != NULL)
      return cues[i].mood;
  return ADMINT_MOOD_UPBEAT;
}

static double
grid_error (double        beat,
            double        phase,
            const double *cuts,
            guint         n_cuts)
{
  double worst = 0;

  for (guint i = 0; i < n_cuts; i++)
    worst = MAX (worst, fabs ((cuts[i] - phase) - round ((cuts[i] - phase) / beat) * beat));
  return worst;
}

double
admint_music_choose_tempo (AdmintMood    mood,
                           const double *cuts,
                           guint         n_cuts,
                           double       *phase,
                           double       *max_error)
{
  const MoodStyle *st;
  double best = 0, best_phase = 0, best_score = HUGE_VAL, mid;

  g_return_val_if_fail (mood < G_N_ELEMENTS (styles), 120);

  st = &styles[mood];
  mid = (st->bpm_lo + st->bpm_hi) / 2;
  /* Every tempo on a 0.02 BPM grid and every first beat on a 5 ms grid: some hundred thousand
   * tries of a few cuts each. A distance under 2 ms is as good as none; past that the nearer
   * grid wins, then no pickup, then the middle tempo. */
  for (int i = 0; st->bpm_lo + i * 0.02 <= st->bpm_hi + 1e-9; i++)
    {
      double bpm = st->bpm_lo + i * 0.02, beat = 60.0 / bpm;

      for (double ph = 0; ph < beat; ph += 0.005)
        {
          /* On a beat, or else on the half-beat between two (an eighth note, still on the
           * grid), at a small cost. */
          double err = MIN (grid_error (beat, ph, cuts, n_cuts),
                            grid_error (beat / 2, ph, cuts, n_cuts) + 0.01);
          double score = MAX (err, 0.002) + 0.0001 * fabs (bpm - mid) + 0.001 * (ph > 0);

          if (score < best_score)
            {
              best_score = score;
              best = bpm;
              best_phase = ph;
            }
          if (n_cuts == 0)
            break;
        }
    }
  if (phase != NULL)
    *phase = best_phase;
  if (max_error != NULL)
    *max_error = MIN (grid_error (60.0 / best, best_phase, cuts, n_cuts),
                      grid_error (30.0 / best, best_phase, cuts, n_cuts));
  return best;
}

char *
admint_music_find_soundfont (GError **error)
{
  static const char * const dirs[] = { "/app/share/sounds/sf2", "/usr/share/sounds/sf2",
                                       "/usr/local/share/sounds/sf2", NULL };
  static const char * const names[] = { "FluidR3_GM.sf2", "TimGM6mb.sf2", "default-GM.sf2",
                                        NULL };
  const char *env = g_getenv ("ADMINT_SOUNDFONT");

  if (env != NULL && env[0] != '\0')
    {
      if (g_file_test (env, G_FILE_TEST_IS_REGULAR))
        return g_strdup (env);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("ADMINT_SOUNDFONT names %s, which does not exist. Point it at a .sf2 file "
                   "or unset it"), env);
      return NULL;
    }
  for (guint n = 0; names[n] != NULL; n++)
    for (guint d = 0; dirs[d] != NULL; d++)
      {
        g_autofree char *path = g_build_filename (dirs[d], names[n], NULL);

        if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
          return g_steal_pointer (&path);
      }
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
               _("No General MIDI soundfont is installed for the music bed. Install "
               "timgm6mb-soundfont (or fluid-soundfont-gm), or use --music none or a file"));
  return NULL;
}

/* Events ------------------------------------------------------------------------------------- */

typedef struct {
  gint64  frame;
  guint8  on;       /* 1 note on, 0 note off */
  guint8  channel;
  guint8  key;
  guint8  velocity;
} Event;

static int
event_compare (gconstpointer a,
               gconstpointer b)
{
  const Event *x = a, *y = b;

  if (x->frame != y->frame)
    return x->frame < y->frame ? -1 : 1;
  return (int) x->on - (int) y->on;   /* offs before ons at the same instant */
}

typedef struct {
  GArray *events;
  double  beat;     /* seconds */
  double  phase;    /* the first downbeat, seconds */
  GRand  *rand;
} Score;

static void
note (Score *sc,
      int    channel,
      int    key,
      double at_beats,
      double beats,
      int    velocity)
{
  Event on = { 0 }, off = { 0 };

  velocity += g_rand_int_range (sc->rand, -6, 7);
  on.frame = llround ((sc->phase + at_beats * sc->beat) * ADMINT_AUDIO_RATE);
  off.frame = llround ((sc->phase + (at_beats + beats) * sc->beat) * ADMINT_AUDIO_RATE);
  if (on.frame < 0)   /* the pickup bar before the first downbeat: only what falls after 0 */
    return;
  on.on = 1;
  on.channel = off.channel = (guint8) channel;
  on.key = off.key = (guint8) CLAMP (key, 0, 127);
  on.velocity = (guint8) CLAMP (velocity, 1, 127);
  g_array_append_val (sc->events, on);
  g_array_append_val (sc->events, off);
}

/* The chord of bar BAR: three notes from ROOT (minor or major), in the octave around C4. */
static void
chord_notes (int root,
             int minor,
             int notes[3])
{
  notes[0] = root;
  notes[1] = root + (minor ? 3 : 4);
  notes[2] = root + 7;
}

static void
play_chords (Score *sc, const MoodStyle *st, int bar, const int notes[3])
{
  double b0 = bar * 4.0;

  switch (st->chord_style)
    {
    case 0:   /* off-beat stabs */
      for (int beat = 0; beat < 4; beat++)
        for (int k = 0; k < 3; k++)
          note (sc, CH_CHORDS, notes[k], b0 + beat + 0.5, 0.35, 72);
      break;
    case 1:   /* a gentle arpeggio */
      for (int e = 0; e < 8; e++)
        note (sc, CH_CHORDS, notes[(e % 4 == 3) ? 1 : e % 3] + (e >= 4 ? 12 : 0),
              b0 + e * 0.5, 0.9, 58);
      break;
    case 2:   /* steady quarters */
      for (int beat = 0; beat < 4; beat++)
        for (int k = 0; k < 3; k++)
          note (sc, CH_CHORDS, notes[k], b0 + beat, 0.9, beat == 0 ? 70 : 60);
      break;
    default:  /* pushes on 1 and the and of 2 */
      for (int k = 0; k < 3; k++)
        {
          note (sc, CH_CHORDS, notes[k], b0, 1.0, 88);
          note (sc, CH_CHORDS, notes[k], b0 + 1.5, 1.5, 84);
        }
      break;
    }
}

static void
play_bass (Score *sc, const MoodStyle *st, int bar, int root)
{
  double b0 = bar * 4.0;
  int key = root - 24;

  switch (st->bass_style)
    {
    case 0:
      for (int e = 0; e < 8; e++)
        note (sc, CH_BASS, key, b0 + e * 0.5, 0.45, e % 2 ? 78 : 92);
      break;
    case 1:
      note (sc, CH_BASS, key, b0, 3.9, 80);
      break;
    case 2:
      note (sc, CH_BASS, key, b0, 1.9, 88);
      note (sc, CH_BASS, key + (bar % 2 ? 7 : 0), b0 + 2, 1.9, 82);
      break;
    default:
      for (int e = 0; e < 8; e++)
        note (sc, CH_BASS, key + (e % 2 ? 12 : 0), b0 + e * 0.5, 0.4, 96);
      break;
    }
}

static void
play_drums (Score *sc, const MoodStyle *st, int bar, gboolean fill)
{
  double b0 = bar * 4.0;

  if (bar % 4 == 0 && st->drum_style != 1)
    note (sc, CH_DRUMS, CRASH, b0, 1, 80);
  for (int e = 0; e < 8; e++)
    {
      double t = b0 + e * 0.5;

      switch (st->drum_style)
        {
        case 0:
          if (e == 0 || e == 4 || (e == 5 && bar % 2))
            note (sc, CH_DRUMS, KICK, t, 0.4, 100);
          if (e == 2 || e == 6)
            note (sc, CH_DRUMS, fill && e == 6 ? CLAP : SNARE, t, 0.4, 92);
          note (sc, CH_DRUMS, e == 7 && fill ? OPEN_HAT : HAT, t, 0.3, e % 2 ? 60 : 75);
          break;
        case 1:
          if (e == 0)
            note (sc, CH_DRUMS, KICK, t, 0.4, 62);
          note (sc, CH_DRUMS, SHAKER, t, 0.3, e % 2 ? 40 : 52);
          break;
        case 2:
          if (e == 0 || (e == 3 && bar % 2))
            note (sc, CH_DRUMS, KICK, t, 0.4, 92);
          if (e == 4)
            note (sc, CH_DRUMS, SNARE, t, 0.4, 86);
          note (sc, CH_DRUMS, HAT, t, 0.3, e % 2 ? 50 : 66);
          break;
        default:
          if (e == 0 || e == 3 || e == 4)
            note (sc, CH_DRUMS, KICK, t, 0.4, 110);
          if (e == 2 || e == 6 || (fill && e == 7))
            note (sc, CH_DRUMS, SNARE, t, 0.4, 104);
          note (sc, CH_DRUMS, HAT, t, 0.3, 80);
          break;
        }
    }
}

/* The whole arrangement, bar by bar, to the end of DURATION. */
static GArray *
compose (const MoodStyle *st,
         double           bpm,
         double           phase,
         double           duration,
         guint32          seed)
{
  Score sc = { g_array_new (FALSE, FALSE, sizeof (Event)), 60.0 / bpm, phase,
               g_rand_new_with_seed (seed) };
  int key = 57 + (int) (seed % 7);                    /* A3 to D#4 */
  int rotate = (int) ((seed / 7) % 2) * 2;            /* start the progression half-way */
  int bars = (int) ceil (duration / (4 * sc.beat)) + 1;

  for (int bar = phase > 0 ? -1 : 0; bar < bars; bar++)
    {
      const int *chord = st->prog[(bar + 4 + rotate) % 4];
      int root = key + chord[0], notes[3];

      if (root > 64)
        root -= 12;
      chord_notes (root, chord[1], notes);
      play_chords (&sc, st, bar, notes);
      play_bass (&sc, st, bar, root);
      for (int k = 0; k < 3; k++)
        note (&sc, CH_PAD, notes[k] + 12, bar * 4.0, 4.0, 56);
      play_drums (&sc, st, bar, (bar + 4) % 4 == 3);
    }
  g_rand_free (sc.rand);
  g_array_sort (sc.events, event_compare);
  return sc.events;
}

static void
fluid_log_to_glib (int    level,
                   const char *message,
                   void  *data)
{
  g_debug ("fluidsynth: %s", message);
}

static fluid_synth_t *
make_synth (fluid_settings_t  *settings,
            const MoodStyle   *st,
            const char        *soundfont,
            GError           **error)
{
  fluid_synth_t *synth;

  fluid_settings_setnum (settings, "synth.sample-rate", ADMINT_AUDIO_RATE);
  fluid_settings_setnum (settings, "synth.gain", 0.4);
  fluid_settings_setint (settings, "synth.chorus.active", 0);
  fluid_settings_setint (settings, "synth.reverb.active", 1);
  fluid_settings_setint (settings, "synth.cpu-cores", 1);
  synth = new_fluid_synth (settings);
  if (synth == NULL || fluid_synth_sfload (synth, soundfont, 1) == FLUID_FAILED)
    {
      if (synth != NULL)
        delete_fluid_synth (synth);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The soundfont %s cannot be loaded. Use a General MIDI .sf2 file"),
                   soundfont);
      return NULL;
    }
  fluid_synth_program_change (synth, CH_CHORDS, st->chord_program);
  fluid_synth_program_change (synth, CH_BASS, st->bass_program);
  fluid_synth_program_change (synth, CH_PAD, st->pad_program);
  fluid_synth_cc (synth, CH_CHORDS, 7, 88);
  fluid_synth_cc (synth, CH_CHORDS, 10, 48);
  fluid_synth_cc (synth, CH_BASS, 7, 100);
  fluid_synth_cc (synth, CH_PAD, 7, 64);
  fluid_synth_cc (synth, CH_PAD, 10, 80);
  fluid_synth_cc (synth, CH_DRUMS, 7, 96);
  return synth;
}

AdmintAudio *
admint_music_generate (const AdmintMusicSettings  *settings,
                       double                     *tempo,
                       GCancellable               *cancellable,
                       GError                    **error)
{
  g_autofree char *found = NULL;
  const char *soundfont;
  const MoodStyle *st;
  fluid_settings_t *fs;
  fluid_synth_t *synth;
  g_autoptr(GArray) events = NULL;
  g_autoptr(AdmintAudio) audio = NULL;
  double bpm, phase = 0, err = 0;
  gsize pos = 0;
  guint e = 0;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (settings->mood < G_N_ELEMENTS (styles), NULL);

  soundfont = settings->soundfont;
  if (soundfont == NULL && (soundfont = found = admint_music_find_soundfont (error)) == NULL)
    return NULL;
  if (settings->duration <= 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The music bed needs a length above 0 seconds"));
      return NULL;
    }
  st = &styles[settings->mood];
  bpm = admint_music_choose_tempo (settings->mood, settings->cuts, settings->n_cuts, &phase,
                                   &err);
  g_debug ("%s bed at %.2f BPM from %.3f s, cuts within %.0f ms of a beat", st->name, bpm,
           phase, err * 1000);

  fluid_set_log_function (FLUID_PANIC, fluid_log_to_glib, NULL);
  fluid_set_log_function (FLUID_ERR, fluid_log_to_glib, NULL);
  fluid_set_log_function (FLUID_WARN, fluid_log_to_glib, NULL);
  fluid_set_log_function (FLUID_INFO, fluid_log_to_glib, NULL);
  fluid_set_log_function (FLUID_DBG, fluid_log_to_glib, NULL);
  fs = new_fluid_settings ();
  synth = make_synth (fs, st, soundfont, error);
  if (synth == NULL)
    {
      delete_fluid_settings (fs);
      return NULL;
    }
  events = compose (st, bpm, phase, settings->duration, settings->seed);
  audio = admint_audio_new (ADMINT_AUDIO_RATE, 2, (gsize) llround (settings->duration *
                                                                   ADMINT_AUDIO_RATE));
  /* Render up to each event, then play it: sample-exact and the same every time. */
  while (pos < audio->n_frames)
    {
      gsize until = audio->n_frames;

      while (e < events->len && g_array_index (events, Event, e).frame <= (gint64) pos)
        {
          const Event *ev = &g_array_index (events, Event, e++);
          if (ev->on)
            fluid_synth_noteon (synth, ev->channel, ev->key, ev->velocity);
          else
            fluid_synth_noteoff (synth, ev->channel, ev->key);
        }
      if (e < events->len)
        until = MIN (until, (gsize) g_array_index (events, Event, e).frame);
      until = MIN (until, pos + 4096);
      fluid_synth_write_float (synth, (int) (until - pos), audio->samples + 2 * pos, 0, 2,
                               audio->samples + 2 * pos, 1, 2);
      pos = until;
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  delete_fluid_synth (synth);
  delete_fluid_settings (fs);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (tempo != NULL)
    *tempo = bpm;
  return g_steal_pointer (&audio);
}

AdmintAudio *
admint_music_load (const char    *path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  AdmintAudio *audio;

  g_return_val_if_fail (path != NULL, NULL);

  audio = admint_audio_decode_file (path, ADMINT_AUDIO_RATE, 2, FALSE, cancellable, error);
  if (audio != NULL && audio->n_frames < ADMINT_AUDIO_RATE / 10)
    {
      admint_audio_free (audio);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The music file %s has no sound in it. Use an MP3, Ogg, FLAC, WAV or M4A "
                   "file with music"), path);
      return NULL;
    }
  return audio;
}

gboolean
admint_music_check_file (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(AdmintAudio) audio = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("The music file %s does not exist. Give the path of an MP3, Ogg, FLAC, WAV "
                   "or M4A file"), path);
      return FALSE;
    }
  audio = admint_music_load (path, cancellable, error);
  return audio != NULL;
}
