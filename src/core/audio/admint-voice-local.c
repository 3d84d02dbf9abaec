/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local voice: Flite linked in, with word timings read from its utterance. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <flite/flite.h>
#include <math.h>
#include <string.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-voice.h"

cst_voice *register_cmu_us_slt (const char *voxdir);
cst_voice *register_cmu_us_rms (const char *voxdir);
cst_voice *register_cmu_us_awb (const char *voxdir);
cst_voice *register_cmu_us_kal (const char *voxdir);

struct _AdmintVoiceLocal
{
  GObject  parent_instance;
  char    *voice;
  double   speed;   /* providers.voice.speed: every line's speed is multiplied by it */
};

static void admint_voice_local_iface_init (AdmintVoiceProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintVoiceLocal, admint_voice_local, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_VOICE_PROVIDER,
                                                      admint_voice_local_iface_init))

static const char * const voice_names[] = { "slt", "rms", "awb", "kal", NULL };

/* Flite keeps global state (its lexicon, feature tables) and a voice's features are changed
 * for each line's speed: one line at a time. */
static GMutex flite_lock;

static cst_voice *
flite_voice (const char *name)
{
  static cst_voice *voices[G_N_ELEMENTS (voice_names)];
  static gboolean initialised;
  guint i;

  if (!initialised)
    {
      flite_init ();
      initialised = TRUE;
    }
  for (i = 0; voice_names[i] != NULL; i++)
    if (g_str_equal (voice_names[i], name))
      break;
  g_assert (voice_names[i] != NULL);
  if (voices[i] == NULL)
    {
      switch (i)
        {
        case 0: voices[i] = register_cmu_us_slt (NULL); break;
        case 1: voices[i] = register_cmu_us_rms (NULL); break;
        case 2: voices[i] = register_cmu_us_awb (NULL); break;
        default: voices[i] = register_cmu_us_kal (NULL); break;
        }
    }
  return voices[i];
}

const char * const *
admint_voice_local_voices (void)
{
  return voice_names;
}

/* When a token's words start and end: from its first word's first segment to its last word's
 * last one. A token that says nothing ("—") gets NAN. */
static void
token_times (cst_item *token,
             double   *start,
             double   *end)
{
  cst_item *first = item_daughter (token), *last = item_last_daughter (token);

  *start = *end = NAN;
  if (first == NULL || last == NULL)
    return;
  *start = ffeature_float (first, "R:SylStructure.daughter1.daughter1.R:Segment.p.end");
  *end = ffeature_float (last, "R:SylStructure.daughtern.daughtern.R:Segment.end");
}

/* Words as the line writes them, timed by Flite's tokens: they are split on the same white
 * space. When the counts differ the syllable aligner takes over. */
static void
speech_words_from_utterance (AdmintSpeech  *speech,
                             cst_utterance *utt)
{
  g_auto(GStrv) words = admint_voice_split_words (speech->text);
  guint n = g_strv_length (words), i = 0;
  double last_end = 0;
  cst_item *token;

  for (token = relation_head (utt_relation (utt, "Token")); token; token = item_next (token))
    i++;
  if (i != n)
    {
      g_debug ("Flite made %u tokens of %u words: aligning by syllables", i, n);
      admint_voice_align_words (speech);
      return;
    }
  for (token = relation_head (utt_relation (utt, "Token")), i = 0; token;
       token = item_next (token), i++)
    {
      double start, end;

      token_times (token, &start, &end);
      if (isnan (start))
        start = end = last_end;
      admint_speech_add_word (speech, words[i], start, end);
      last_end = end;
    }
}

static AdmintSpeech *
synthesize (const char  *voice_name,
            const char  *text,
            double       base_speed,
            double       speed,
            GError     **error)
{
  g_autoptr(AdmintSpeech) speech = admint_speech_new (text);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&flite_lock);
  cst_voice *voice = flite_voice (voice_name);
  cst_utterance *utt;
  cst_wave *wave;

  flite_feat_set_float (voice->features, "duration_stretch", 1.0 / (base_speed * speed));
  utt = flite_synth_text (text, voice);
  wave = utt != NULL ? utt_wave (utt) : NULL;
  if (wave == NULL || wave->num_samples <= 0)
    {
      if (utt != NULL)
        delete_utterance (utt);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The voice cannot say \"%s\": it has nothing to speak. Write the line "
                   "with words"), text);
      return NULL;
    }
  speech->audio = admint_audio_new (wave->sample_rate, 1, (gsize) wave->num_samples);
  for (int i = 0; i < wave->num_samples; i++)
    speech->audio->samples[i] = wave->samples[i * wave->num_channels] / 32768.0f;
  speech->speed = speed;
  speech->provider = g_strdup ("local");
  speech->voice = g_strdup (voice_name);
  speech_words_from_utterance (speech, utt);
  delete_utterance (utt);
  return g_steal_pointer (&speech);
}

static void
synthesize_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  admint_worker_lower_priority ();
  AdmintVoiceLocal *self = source_object;
  AdmintVoiceRequest *request = task_data;
  GError *error = NULL;
  AdmintSpeech *speech;

  if (g_task_return_error_if_cancelled (task))
    return;
  speech = synthesize (self->voice, request->text, self->speed, request->speed, &error);
  if (speech != NULL)
    g_task_return_pointer (task, speech, (GDestroyNotify) admint_speech_free);
  else
    g_task_return_error (task, error);
}

static const char *
local_get_name (AdmintVoiceProvider *provider)
{
  return "local";
}

static void
local_synthesize_async (AdmintVoiceProvider *provider,
                        AdmintVoiceRequest  *request,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, local_synthesize_async);
  /* A copy: the thread may outlive the caller's request. */
  g_task_set_task_data (task, admint_voice_request_new (request->text, request->speed),
                        (GDestroyNotify) admint_voice_request_free);
  g_task_run_in_thread (task, synthesize_thread);
}

static AdmintSpeech *
local_synthesize_finish (AdmintVoiceProvider  *provider,
                         GAsyncResult         *result,
                         GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
admint_voice_local_iface_init (AdmintVoiceProviderInterface *iface)
{
  iface->get_name = local_get_name;
  iface->synthesize_async = local_synthesize_async;
  iface->synthesize_finish = local_synthesize_finish;
}

static void
admint_voice_local_finalize (GObject *object)
{
  AdmintVoiceLocal *self = ADMINT_VOICE_LOCAL (object);

  g_free (self->voice);
  G_OBJECT_CLASS (admint_voice_local_parent_class)->finalize (object);
}

static void
admint_voice_local_class_init (AdmintVoiceLocalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_voice_local_finalize;
}

static void
admint_voice_local_init (AdmintVoiceLocal *self)
{
  self->speed = 1.0;
}

void
admint_voice_local_set_speed (AdmintVoiceLocal *self,
                              double            speed)
{
  g_return_if_fail (ADMINT_IS_VOICE_LOCAL (self));
  g_return_if_fail (speed > 0);
  self->speed = speed;
}

AdmintVoiceProvider *
admint_voice_local_new (const char  *voice,
                        GError     **error)
{
  AdmintVoiceLocal *self;

  if (voice == NULL || voice[0] == '\0')
    voice = "slt";
  if (!g_strv_contains (voice_names, voice))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) voice_names);

      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   _("providers.voice.voice: the local voice \"%s\" does not exist. Choose one "
                   "of: %s"), voice, list);
      return NULL;
    }
  self = g_object_new (ADMINT_TYPE_VOICE_LOCAL, NULL);
  self->voice = g_strdup (voice);
  return ADMINT_VOICE_PROVIDER (self);
}
