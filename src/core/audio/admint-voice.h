/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The voice provider role: speaks a line and says when each word is spoken. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "admint-audio.h"

G_BEGIN_DECLS

/* A word of the line as written (punctuation kept) and when it is spoken, in seconds from the
 * start of the speech's audio. */
typedef struct {
  char   *text;
  double  start;
  double  end;
} AdmintWord;

/* A spoken line. */
typedef struct {
  char        *text;       /* the line */
  AdmintAudio *audio;      /* mono, at the provider's rate */
  GArray      *words;      /* of AdmintWord, in order */
  double       speed;      /* what it was asked for: 1.0 normal, 1.15 faster */
  double       cost_usd;   /* what the service charged for it (0 locally) */
  char        *provider;   /* "local", "openai" */
  char        *voice;
} AdmintSpeech;

AdmintSpeech *admint_speech_new          (const char          *text);
void          admint_speech_free         (AdmintSpeech        *speech);
AdmintSpeech *admint_speech_copy         (const AdmintSpeech  *speech);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintSpeech, admint_speech_free)
void          admint_speech_add_word     (AdmintSpeech        *speech,
                                          const char          *text,
                                          double               start,
                                          double               end);
/* The first word's start to the last word's end (0 and 0 without words). */
double        admint_speech_voiced_start (const AdmintSpeech  *speech);
double        admint_speech_voiced_end   (const AdmintSpeech  *speech);
/* The same speech trimmed to [start - pad, end + pad] of its words, word times shifted. */
AdmintSpeech *admint_speech_trim         (const AdmintSpeech  *speech,
                                          double               pad);

/* What the pipeline stores beside the sound file to use it again without asking anyone:
 * {"text", "words": [{"text", "start", "end"}], "speed", "cost_usd", "provider", "voice"}. */
JsonNode     *admint_speech_to_json      (const AdmintSpeech  *speech);
/* Reads the JSON back with the sound file AUDIO_PATH (a WAV). */
AdmintSpeech *admint_speech_from_json    (JsonNode            *node,
                                          const char          *audio_path,
                                          GError             **error);

/* Splits TEXT into the words captions show (whitespace-separated, punctuation kept). */
GStrv         admint_voice_split_words   (const char          *text);
/* English syllables in WORD, at least 1 (vowel groups, a silent final e, digits as numbers). */
guint         admint_voice_count_syllables (const char        *word);

/* Energy-based voice activity: spans (pairs of doubles, seconds) where AUDIO is voiced,
 * gaps shorter than 120 ms closed. */
GArray       *admint_voice_activity      (const AdmintAudio   *audio);
/* Gives SPEECH word timings from its audio alone: WORDS spread over the voiced spans by
 * syllable count, a span boundary kept between words where the count allows. */
void          admint_voice_align_words   (AdmintSpeech        *speech);

typedef struct {
  char   *text;
  double  speed;          /* 1.0: normal; the provider's own speed is multiplied by it */
  char   *generation_id;  /* for usage records; may be NULL */
} AdmintVoiceRequest;

#define ADMINT_TYPE_VOICE_PROVIDER (admint_voice_provider_get_type ())
G_DECLARE_INTERFACE (AdmintVoiceProvider, admint_voice_provider, ADMINT, VOICE_PROVIDER,
                     GObject)

struct _AdmintVoiceProviderInterface
{
  GTypeInterface parent_iface;

  const char   *(*get_name)          (AdmintVoiceProvider  *self);
  /* The request is borrowed until the callback runs. */
  void          (*synthesize_async)  (AdmintVoiceProvider  *self,
                                      AdmintVoiceRequest   *request,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  AdmintSpeech *(*synthesize_finish) (AdmintVoiceProvider  *self,
                                      GAsyncResult         *result,
                                      GError              **error);
};

const char   *admint_voice_provider_get_name          (AdmintVoiceProvider  *self);
void          admint_voice_provider_synthesize_async  (AdmintVoiceProvider  *self,
                                                       AdmintVoiceRequest   *request,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
AdmintSpeech *admint_voice_provider_synthesize_finish (AdmintVoiceProvider  *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* ---- local: Flite, linked in ---- */

#define ADMINT_TYPE_VOICE_LOCAL (admint_voice_local_get_type ())
G_DECLARE_FINAL_TYPE (AdmintVoiceLocal, admint_voice_local, ADMINT, VOICE_LOCAL, GObject)

/* "slt, rms, awb, kal". */
const char * const *admint_voice_local_voices (void);
/* VOICE NULL: "slt". An unknown voice is ADMINT_ERROR_INVALID_CONFIG listing the voices. */
AdmintVoiceProvider *admint_voice_local_new   (const char  *voice,
                                               GError     **error);
/* providers.voice.speed (0.5 - 2): every line is spoken at SPEED times what it asks for. */
void                 admint_voice_local_set_speed (AdmintVoiceLocal *self,
                                                   double            speed);

/* ---- openai: POST {base_url}/audio/speech ---- */

#define ADMINT_TYPE_VOICE_OPENAI (admint_voice_openai_get_type ())
G_DECLARE_FINAL_TYPE (AdmintVoiceOpenai, admint_voice_openai, ADMINT, VOICE_OPENAI, GObject)

typedef struct {
  const char *base_url;               /* "https://api.openai.com/v1" */
  const char *model;                  /* "tts-1" */
  const char *voice;                  /* "alloy" */
  double      speed;                  /* 0: 1.0; the service takes 0.25 - 4 */
  double      usd_per_million_chars;  /* the price, for cost_usd: 15 for tts-1 */
  const char *api_key;                /* NULL: from the keys API ("openai") when speaking */
  double      timeout_seconds;        /* 0: 120 */
} AdmintVoiceOpenaiSettings;

AdmintVoiceProvider *admint_voice_openai_new  (const AdmintVoiceOpenaiSettings *settings,
                                               GError                         **error);

void                 admint_voice_request_free (AdmintVoiceRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintVoiceRequest, admint_voice_request_free)
AdmintVoiceRequest  *admint_voice_request_new  (const char         *text,
                                                double              speed);

G_END_DECLS
