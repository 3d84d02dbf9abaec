/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the voices: Flite's words and timings, the voice list, the OpenAI-compatible
 * service through the fake server, and aligning words to audio. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-error.h"
#include "admint-ai-error.h"
#include "admint-fake-ai.h"
#include "admint-test-util.h"
#include "admint-voice.h"
#include "audio-test-util.h"

static AdmintSpeech *
speak (AdmintVoiceProvider  *provider,
       const char           *text,
       double                speed,
       GError              **error)
{
  g_autoptr(AdmintVoiceRequest) request = admint_voice_request_new (text, speed);
  g_autoptr(GAsyncResult) result = NULL;

  admint_voice_provider_synthesize_async (provider, request, NULL, audio_test_done, &result);
  return admint_voice_provider_synthesize_finish (provider, audio_test_wait (&result), error);
}

static void
assert_words_ordered (const AdmintSpeech *speech)
{
  double last = 0, duration = admint_audio_get_duration (speech->audio);

  for (guint i = 0; i < speech->words->len; i++)
    {
      const AdmintWord *w = &g_array_index (speech->words, AdmintWord, i);

      g_assert_cmpfloat (w->start, >=, last - 1e-6);
      g_assert_cmpfloat (w->end, >, w->start);
      g_assert_cmpfloat (w->end, <=, duration + 1e-6);
      last = w->end;
    }
}

static void
test_local_words (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new (NULL, &error);
  g_autoptr(AdmintSpeech) speech = NULL;
  g_auto(GStrv) words = admint_voice_split_words ("Meet the Aqua bottle: 30% lighter, for $25.");

  g_assert_no_error (error);
  g_assert_cmpstr (admint_voice_provider_get_name (voice), ==, "local");
  speech = speak (voice, "Meet the Aqua bottle: 30% lighter, for $25.", 1.0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (speech->audio->rate, ==, 16000);
  g_assert_cmpstr (speech->provider, ==, "local");
  g_assert_cmpfloat (speech->cost_usd, ==, 0);
  /* Every written word, punctuation kept, with Flite's own timing. */
  g_assert_cmpuint (speech->words->len, ==, g_strv_length (words));
  for (guint i = 0; words[i] != NULL; i++)
    g_assert_cmpstr (g_array_index (speech->words, AdmintWord, i).text, ==, words[i]);
  assert_words_ordered (speech);
  /* "30%" is said as "thirty percent": longer than "the". */
  g_assert_cmpfloat (g_array_index (speech->words, AdmintWord, 4).end -
                     g_array_index (speech->words, AdmintWord, 4).start, >,
                     2 * (g_array_index (speech->words, AdmintWord, 1).end -
                          g_array_index (speech->words, AdmintWord, 1).start));
  /* Flite opens with a short pause: the first word does not start at 0. */
  g_assert_cmpfloat (admint_speech_voiced_start (speech), >, 0.05);
}

static void
test_local_speed (void)
{
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("slt", NULL);
  g_autoptr(AdmintSpeech) normal = speak (voice, "Refill it anywhere, all day long.", 1.0, NULL);
  g_autoptr(AdmintSpeech) fast = speak (voice, "Refill it anywhere, all day long.", 1.15, NULL);
  double a = admint_speech_voiced_end (normal) - admint_speech_voiced_start (normal);
  double b = admint_speech_voiced_end (fast) - admint_speech_voiced_start (fast);

  g_assert_cmpfloat (b, <, a / 1.10);
  g_assert_cmpfloat (b, >, a / 1.20);
  g_assert_cmpfloat (fast->speed, ==, 1.15);
}

static void
test_local_voices (void)
{
  const char * const *voices = admint_voice_local_voices ();

  g_assert_cmpuint (g_strv_length ((char **) voices), ==, 4);
  for (guint i = 0; voices[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new (voices[i], &error);
      g_autoptr(AdmintSpeech) speech = NULL;

      g_assert_no_error (error);
      speech = speak (voice, "Hello there.", 1.0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (speech->voice, ==, voices[i]);
      g_assert_cmpuint (speech->words->len, ==, 2);
      g_assert_cmpfloat (admint_audio_peak (speech->audio), >, 0.05);
    }
}

static void
test_local_unknown_voice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("nobody", &error);

  g_assert_null (voice);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "\"nobody\""));
  g_assert_nonnull (strstr (error->message, "slt, rms, awb, kal"));
  g_assert_true (admint_error_is_bad_input (error));
}

static void
test_syllables (void)
{
  g_assert_cmpuint (admint_voice_count_syllables ("water"), ==, 2);
  g_assert_cmpuint (admint_voice_count_syllables ("bottle"), ==, 2);
  g_assert_cmpuint (admint_voice_count_syllables ("make"), ==, 1);
  g_assert_cmpuint (admint_voice_count_syllables ("Refreshing!"), ==, 3);
  g_assert_cmpuint (admint_voice_count_syllables ("—"), ==, 1);
  g_assert_cmpuint (admint_voice_count_syllables ("25"), ==, 4);
}

/* Three bursts of 0.3, 0.6 and 0.3 s: the words land on them, the long word on the long one. */
static void
test_align_bursts (void)
{
  g_autoptr(AdmintSpeech) speech = admint_speech_new ("Go. Everywhere! Now.");
  AdmintAudio *audio = admint_audio_new (24000, 1, 24000 * 2);
  const double bursts[3][2] = { { 0.2, 0.5 }, { 0.8, 1.4 }, { 1.6, 1.9 } };

  for (guint b = 0; b < 3; b++)
    for (gsize i = (gsize) (bursts[b][0] * 24000); i < (gsize) (bursts[b][1] * 24000); i++)
      audio->samples[i] = (float) (0.3 * sin (2 * G_PI * 150 * i / 24000.0));
  speech->audio = audio;
  admint_voice_align_words (speech);
  g_assert_cmpuint (speech->words->len, ==, 3);
  for (guint b = 0; b < 3; b++)
    {
      const AdmintWord *w = &g_array_index (speech->words, AdmintWord, b);
      g_assert_cmpfloat (fabs (w->start - bursts[b][0]), <, 0.03);
      g_assert_cmpfloat (fabs (w->end - bursts[b][1]), <, 0.03);
    }
}

static void
test_speech_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new ("rms", NULL);
  g_autoptr(AdmintSpeech) speech = speak (voice, "Pure taste.", 1.0, NULL);
  g_autofree char *path = g_build_filename (admint_test_get_root (), "line.wav", NULL);
  g_autoptr(JsonNode) node = admint_speech_to_json (speech);
  g_autoptr(AdmintSpeech) back = NULL;

  g_assert_true (admint_audio_write_wav (speech->audio, path, FALSE, &error));
  back = admint_speech_from_json (node, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->text, ==, "Pure taste.");
  g_assert_cmpstr (back->voice, ==, "rms");
  g_assert_cmpuint (back->words->len, ==, 2);
  g_assert_cmpfloat (g_array_index (back->words, AdmintWord, 1).end, ==,
                     g_array_index (speech->words, AdmintWord, 1).end);
  g_assert_cmpuint (back->audio->n_frames, ==, speech->audio->n_frames);
  g_assert_cmpfloat (fabs (back->audio->samples[800] - speech->audio->samples[800]), <, 1e-4);

  g_clear_pointer (&back, admint_speech_free);
  back = admint_speech_from_json (NULL, path, &error);
  g_assert_null (back);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

static AdmintFakeAi *
start_fake (void)
{
  g_autoptr(GError) error = NULL;
  AdmintFakeAi *fake = admint_fake_ai_new (0, &error);

  g_assert_no_error (error);
  admint_fake_ai_set_api_key (fake, "sk-test");
  return fake;
}

static AdmintVoiceProvider *
openai_voice (AdmintFakeAi *fake,
              const char   *key)
{
  AdmintVoiceOpenaiSettings settings = {
    .base_url = admint_fake_ai_get_base_url (fake),
    .model = "tts-1",
    .voice = "nova",
    .speed = 1.0,
    .usd_per_million_chars = 15,
    .api_key = key,
  };
  g_autoptr(GError) error = NULL;
  AdmintVoiceProvider *voice = admint_voice_openai_new (&settings, &error);

  g_assert_no_error (error);
  return voice;
}

static void
test_openai_speech (void)
{
  g_autoptr(AdmintFakeAi) fake = start_fake ();
  g_autoptr(AdmintVoiceProvider) voice = openai_voice (fake, "sk-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintSpeech) speech = speak (voice, "Fresh water, anywhere you go.", 1.1, &error);
  const AdmintFakeRequest *request;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *o;
  double t = 0.12;
  const guint syllables[] = { 1, 2, 4, 1, 1 };
  const double gaps[] = { 0.07, 0.3, 0.07, 0.07, 0.3 };

  g_assert_no_error (error);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", "/v1/audio/speech"), ==, 1);
  request = admint_fake_ai_get_request (fake, "POST", "/v1/audio/speech", 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer sk-test");
  body = admint_fake_ai_request_json (request);
  o = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "tts-1");
  g_assert_cmpstr (json_object_get_string_member (o, "voice"), ==, "nova");
  g_assert_cmpstr (json_object_get_string_member (o, "input"), ==,
                   "Fresh water, anywhere you go.");
  g_assert_cmpstr (json_object_get_string_member (o, "response_format"), ==, "wav");
  g_assert_cmpfloat (fabs (json_object_get_double_member (o, "speed") - 1.1), <, 1e-9);

  g_assert_cmpint (speech->audio->rate, ==, 24000);
  g_assert_cmpstr (speech->provider, ==, "openai");
  g_assert_cmpfloat (fabs (speech->cost_usd - 29 * 15 / 1e6), <, 1e-12);
  g_assert_cmpuint (speech->words->len, ==, 5);
  assert_words_ordered (speech);
  /* The fake voice's bursts: "Fresh water," then a pause, then "anywhere you go." (the short
   * gaps inside each run are closed as stops). A run's first and last words are exact; the
   * words inside it are spread by syllables, so within 80 ms. */
  for (guint i = 0; i < 5; i++)
    {
      const AdmintWord *w = &g_array_index (speech->words, AdmintWord, i);
      double len = 0.18 * syllables[i] / 1.1;

      g_assert_cmpfloat (fabs (w->start - t), <, (i == 0 || i == 2) ? 0.03 : 0.08);
      g_assert_cmpfloat (fabs (w->end - (t + len)), <, (i == 1 || i == 4) ? 0.03 : 0.08);
      t += len + gaps[i] / 1.1;
    }
}

static void
test_openai_bad_key (void)
{
  g_autoptr(AdmintFakeAi) fake = start_fake ();
  g_autoptr(AdmintVoiceProvider) voice = openai_voice (fake, "sk-wrong");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintSpeech) speech = speak (voice, "Hello.", 1.0, &error);

  g_assert_null (speech);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_AUTHENTICATION);
}

static void
test_openai_not_wav (void)
{
  g_autoptr(AdmintFakeAi) fake = start_fake ();
  g_autoptr(AdmintVoiceProvider) voice = openai_voice (fake, "sk-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintSpeech) speech = NULL;
  AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;

  fault.status = 200;
  fault.body = "ID3 this is an mp3";
  fault.content_type = "audio/mpeg";
  admint_fake_ai_push_fault (fake, "POST", "/v1/audio/speech", &fault);
  speech = speak (voice, "Hello.", 1.0, &error);
  g_assert_null (speech);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "wav"));
}

static void
test_openai_bad_settings (void)
{
  AdmintVoiceOpenaiSettings settings = { .base_url = "ftp://example", .speed = 1.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_openai_new (&settings, &error);

  g_assert_null (voice);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_clear_error (&error);
  settings.base_url = "http://127.0.0.1:1/v1";
  settings.speed = 9;
  voice = admint_voice_openai_new (&settings, &error);
  g_assert_null (voice);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "0.25 to 4"));
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/voice/local/words", test_local_words);
  g_test_add_func ("/voice/local/speed", test_local_speed);
  g_test_add_func ("/voice/local/voices", test_local_voices);
  g_test_add_func ("/voice/local/unknown-voice", test_local_unknown_voice);
  g_test_add_func ("/voice/syllables", test_syllables);
  g_test_add_func ("/voice/align-bursts", test_align_bursts);
  g_test_add_func ("/voice/speech-json", test_speech_json);
  g_test_add_func ("/voice/openai/speech", test_openai_speech);
  g_test_add_func ("/voice/openai/bad-key", test_openai_bad_key);
  g_test_add_func ("/voice/openai/not-wav", test_openai_not_wav);
  g_test_add_func ("/voice/openai/bad-settings", test_openai_bad_settings);
  return g_test_run ();
}
