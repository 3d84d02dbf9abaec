/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OpenAI-compatible voice: POST /audio/speech for a WAV, word timings from its voiced spans. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "admint-error.h"
#include "admint-http.h"
#include "admint-keys.h"
#include "admint-voice.h"

struct _AdmintVoiceOpenai
{
  GObject  parent_instance;
  char    *base_url;
  char    *model;
  char    *voice;
  double   speed;
  double   usd_per_million_chars;
  char    *api_key;
  double   timeout_seconds;
};

static void admint_voice_openai_iface_init (AdmintVoiceProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintVoiceOpenai, admint_voice_openai, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_VOICE_PROVIDER,
                                                      admint_voice_openai_iface_init))

static guint speech_paid_signal;

typedef struct {
  AdmintVoiceRequest *request;
  char               *key;
} SpeakData;

static void
speak_data_free (SpeakData *data)
{
  admint_voice_request_free (data->request);
  g_free (data->key);
  g_free (data);
}

static GBytes *
speech_body (AdmintVoiceOpenai  *self,
             AdmintVoiceRequest *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, self->model);
  json_builder_set_member_name (b, "input");
  json_builder_add_string_value (b, request->text);
  json_builder_set_member_name (b, "voice");
  json_builder_add_string_value (b, self->voice);
  json_builder_set_member_name (b, "speed");
  json_builder_add_double_value (b, CLAMP (self->speed * request->speed, 0.25, 4.0));
  json_builder_set_member_name (b, "response_format");
  json_builder_add_string_value (b, "wav");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return g_bytes_new_take (text, strlen (text));
}

static void
speech_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintVoiceOpenai *self = g_task_get_source_object (task);
  SpeakData *data = g_task_get_task_data (task);
  g_autoptr(AdmintHttpResponse) response = NULL;
  g_autoptr(AdmintSpeech) speech = NULL;
  g_autofree char *source_name = NULL;
  GError *error = NULL;

  response = admint_http_send_finish (result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  speech = admint_speech_new (data->request->text);
  source_name = g_strdup_printf (_("The speech from %s"), self->base_url);
  speech->audio = admint_audio_from_wav (response->body, source_name, &error);
  if (speech->audio == NULL)
    {
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE, "%s",
                               error->message);
      g_clear_error (&error);
      return;
    }
  if (speech->audio->channels != 1)
    {
      AdmintAudio *mono = admint_audio_convert (speech->audio, speech->audio->rate, 1);
      admint_audio_free (speech->audio);
      speech->audio = mono;
    }
  speech->speed = data->request->speed;
  speech->provider = g_strdup ("openai");
  speech->voice = g_strdup (self->voice);
  speech->cost_usd = g_utf8_strlen (data->request->text, -1) *
                     self->usd_per_million_chars / 1e6;
  /* The service says nothing of timing: the words are placed on the voiced spans (a few
   * milliseconds for a line, so done here rather than in a thread). */
  admint_voice_align_words (speech);
  g_signal_emit (self, speech_paid_signal, 0, speech);
  g_task_return_pointer (task, g_steal_pointer (&speech), (GDestroyNotify) admint_speech_free);
}

static void
send_speech (GTask *task)
{
  AdmintVoiceOpenai *self = g_task_get_source_object (task);
  SpeakData *data = g_task_get_task_data (task);
  g_autofree char *url = admint_http_join_url (self->base_url, "audio/speech");
  g_autoptr(GBytes) body = speech_body (self, data->request);
  AdmintHttpRequest req = {
    .method = "POST",
    .url = url,
    .bearer = data->key,
    .body = body,
    .content_type = "application/json",
    .retry = ADMINT_HTTP_RETRY_THROTTLED,
    .policy = ADMINT_RETRY_POLICY_INIT,
    .timeout_seconds = self->timeout_seconds,
    .service = "the speech service",
  };

  admint_http_send_async (admint_http_session_get_default (), &req,
                          g_task_get_cancellable (task), speech_sent_cb, task);
}

static void
key_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  SpeakData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->key = admint_keys_lookup_finish (result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* No key is the server's to refuse: local OpenAI-compatible servers take none. */
  send_speech (task);
}

static void
openai_synthesize_async (AdmintVoiceProvider *provider,
                         AdmintVoiceRequest  *request,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  AdmintVoiceOpenai *self = ADMINT_VOICE_OPENAI (provider);
  GTask *task = g_task_new (provider, cancellable, callback, user_data);
  SpeakData *data = g_new0 (SpeakData, 1);

  g_task_set_source_tag (task, openai_synthesize_async);
  data->request = admint_voice_request_new (request->text, request->speed);
  data->key = g_strdup (self->api_key);
  g_task_set_task_data (task, data, (GDestroyNotify) speak_data_free);
  if (g_utf8_strlen (request->text, -1) > 4096)
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("A voice-over line has %ld characters; the speech service "
                               "takes at most 4096. Shorten the line"),
                               g_utf8_strlen (request->text, -1));
      g_object_unref (task);
      return;
    }
  if (data->key != NULL)
    send_speech (task);
  else
    admint_keys_lookup_async ("openai", cancellable, key_cb, task);
}

static AdmintSpeech *
openai_synthesize_finish (AdmintVoiceProvider  *provider,
                          GAsyncResult         *result,
                          GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
openai_get_name (AdmintVoiceProvider *provider)
{
  return "openai";
}

static void
admint_voice_openai_iface_init (AdmintVoiceProviderInterface *iface)
{
  iface->get_name = openai_get_name;
  iface->synthesize_async = openai_synthesize_async;
  iface->synthesize_finish = openai_synthesize_finish;
}

static void
admint_voice_openai_finalize (GObject *object)
{
  AdmintVoiceOpenai *self = ADMINT_VOICE_OPENAI (object);

  g_free (self->base_url);
  g_free (self->model);
  g_free (self->voice);
  g_free (self->api_key);
  G_OBJECT_CLASS (admint_voice_openai_parent_class)->finalize (object);
}

static void
admint_voice_openai_class_init (AdmintVoiceOpenaiClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_voice_openai_finalize;

  /* "speech-paid" (const AdmintSpeech *speech): a take the service answered (and charges
   * for), the moment it is here, before it is returned: a caller that asks again faster
   * after it records its cost at once (issue 14). */
  speech_paid_signal = g_signal_new ("speech-paid", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                     G_TYPE_POINTER);
}

static void
admint_voice_openai_init (AdmintVoiceOpenai *self)
{
}

AdmintVoiceProvider *
admint_voice_openai_new (const AdmintVoiceOpenaiSettings  *settings,
                         GError                          **error)
{
  AdmintVoiceOpenai *self;

  g_return_val_if_fail (settings != NULL, NULL);

  if (settings->base_url == NULL ||
      !(g_str_has_prefix (settings->base_url, "http://") ||
        g_str_has_prefix (settings->base_url, "https://")))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   _("providers.voice.base_url \"%s\" is not an http(s) URL. Set it to the "
                   "service's API root, e.g. https://api.openai.com/v1"),
                   settings->base_url ? settings->base_url : "");
      return NULL;
    }
  if (settings->speed != 0 && (settings->speed < 0.25 || settings->speed > 4.0))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   _("providers.voice.speed %g is out of range. Use a value from 0.25 to 4"),
                   settings->speed);
      return NULL;
    }
  self = g_object_new (ADMINT_TYPE_VOICE_OPENAI, NULL);
  self->base_url = g_strdup (settings->base_url);
  self->model = g_strdup (settings->model ? settings->model : "tts-1");
  self->voice = g_strdup (settings->voice ? settings->voice : "alloy");
  self->speed = settings->speed > 0 ? settings->speed : 1.0;
  self->usd_per_million_chars = MAX (0, settings->usd_per_million_chars);
  self->api_key = g_strdup (settings->api_key);
  self->timeout_seconds = settings->timeout_seconds > 0 ? settings->timeout_seconds : 120;
  return ADMINT_VOICE_PROVIDER (self);
}
