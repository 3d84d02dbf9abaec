/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The voice provider interface, spoken lines with word timings, and aligning words to audio. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "admint-error.h"
#include "admint-voice.h"

G_DEFINE_INTERFACE (AdmintVoiceProvider, admint_voice_provider, G_TYPE_OBJECT)

static void
admint_voice_provider_default_init (AdmintVoiceProviderInterface *iface)
{
}

const char *
admint_voice_provider_get_name (AdmintVoiceProvider *self)
{
  g_return_val_if_fail (ADMINT_IS_VOICE_PROVIDER (self), NULL);
  return ADMINT_VOICE_PROVIDER_GET_IFACE (self)->get_name (self);
}

void
admint_voice_provider_synthesize_async (AdmintVoiceProvider *self,
                                        AdmintVoiceRequest  *request,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_VOICE_PROVIDER (self));
  g_return_if_fail (request != NULL && request->text != NULL);
  ADMINT_VOICE_PROVIDER_GET_IFACE (self)->synthesize_async (self, request, cancellable,
                                                            callback, user_data);
}

AdmintSpeech *
admint_voice_provider_synthesize_finish (AdmintVoiceProvider  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  g_return_val_if_fail (ADMINT_IS_VOICE_PROVIDER (self), NULL);
  return ADMINT_VOICE_PROVIDER_GET_IFACE (self)->synthesize_finish (self, result, error);
}

AdmintVoiceRequest *
admint_voice_request_new (const char *text,
                          double      speed)
{
  AdmintVoiceRequest *request = g_new0 (AdmintVoiceRequest, 1);

  request->text = g_strdup (text);
  request->speed = speed > 0 ? speed : 1.0;
  return request;
}

void
admint_voice_request_free (AdmintVoiceRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->text);
  g_free (request->generation_id);
  g_free (request);
}

/* Speech -------------------------------------------------------------------------------------- */

static void
word_clear (gpointer data)
{
  AdmintWord *word = data;
  g_free (word->text);
}

AdmintSpeech *
admint_speech_new (const char *text)
{
  AdmintSpeech *speech = g_new0 (AdmintSpeech, 1);

  speech->text = g_strdup (text ? text : "");
  speech->words = g_array_new (FALSE, TRUE, sizeof (AdmintWord));
  g_array_set_clear_func (speech->words, word_clear);
  speech->speed = 1.0;
  return speech;
}

void
admint_speech_free (AdmintSpeech *speech)
{
  if (speech == NULL)
    return;
  g_free (speech->text);
  g_clear_pointer (&speech->audio, admint_audio_free);
  g_array_unref (speech->words);
  g_free (speech->provider);
  g_free (speech->voice);
  g_free (speech);
}

AdmintSpeech *
admint_speech_copy (const AdmintSpeech *speech)
{
  AdmintSpeech *copy;

  g_return_val_if_fail (speech != NULL, NULL);

  copy = admint_speech_new (speech->text);
  copy->audio = speech->audio ? admint_audio_copy (speech->audio) : NULL;
  copy->speed = speech->speed;
  copy->cost_usd = speech->cost_usd;
  copy->provider = g_strdup (speech->provider);
  copy->voice = g_strdup (speech->voice);
  for (guint i = 0; i < speech->words->len; i++)
    {
      const AdmintWord *w = &g_array_index (speech->words, AdmintWord, i);
      admint_speech_add_word (copy, w->text, w->start, w->end);
    }
  return copy;
}

void
admint_speech_add_word (AdmintSpeech *speech,
                        const char   *text,
                        double        start,
                        double        end)
{
  AdmintWord word = { g_strdup (text), start, MAX (start, end) };

  g_return_if_fail (speech != NULL);
  g_array_append_val (speech->words, word);
}

double
admint_speech_voiced_start (const AdmintSpeech *speech)
{
  g_return_val_if_fail (speech != NULL, 0);
  if (speech->words->len == 0)
    return 0;
  return g_array_index (speech->words, AdmintWord, 0).start;
}

double
admint_speech_voiced_end (const AdmintSpeech *speech)
{
  g_return_val_if_fail (speech != NULL, 0);
  if (speech->words->len == 0)
    return 0;
  return g_array_index (speech->words, AdmintWord, speech->words->len - 1).end;
}

AdmintSpeech *
admint_speech_trim (const AdmintSpeech *speech,
                    double              pad)
{
  AdmintSpeech *out;
  double start, end;

  g_return_val_if_fail (speech != NULL && speech->audio != NULL, NULL);

  out = admint_speech_new (speech->text);
  out->speed = speech->speed;
  out->cost_usd = speech->cost_usd;
  out->provider = g_strdup (speech->provider);
  out->voice = g_strdup (speech->voice);
  start = MAX (0, admint_speech_voiced_start (speech) - pad);
  end = MIN (admint_audio_get_duration (speech->audio), admint_speech_voiced_end (speech) + pad);
  if (speech->words->len == 0)
    {
      start = 0;
      end = admint_audio_get_duration (speech->audio);
    }
  out->audio = admint_audio_slice (speech->audio, start, end);
  /* The slice starts on a whole frame: shift the words by exactly as much. */
  start = (double) llround (start * speech->audio->rate) / speech->audio->rate;
  for (guint i = 0; i < speech->words->len; i++)
    {
      const AdmintWord *w = &g_array_index (speech->words, AdmintWord, i);
      admint_speech_add_word (out, w->text, w->start - start, w->end - start);
    }
  return out;
}

JsonNode *
admint_speech_to_json (const AdmintSpeech *speech)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (speech != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, speech->text);
  json_builder_set_member_name (b, "words");
  json_builder_begin_array (b);
  for (guint i = 0; i < speech->words->len; i++)
    {
      const AdmintWord *w = &g_array_index (speech->words, AdmintWord, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, w->text);
      json_builder_set_member_name (b, "start");
      json_builder_add_double_value (b, w->start);
      json_builder_set_member_name (b, "end");
      json_builder_add_double_value (b, w->end);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "speed");
  json_builder_add_double_value (b, speech->speed);
  json_builder_set_member_name (b, "cost_usd");
  json_builder_add_double_value (b, speech->cost_usd);
  json_builder_set_member_name (b, "provider");
  json_builder_add_string_value (b, speech->provider ? speech->provider : "");
  json_builder_set_member_name (b, "voice");
  json_builder_add_string_value (b, speech->voice ? speech->voice : "");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

AdmintSpeech *
admint_speech_from_json (JsonNode    *node,
                         const char  *audio_path,
                         GError     **error)
{
  g_autoptr(AdmintSpeech) speech = NULL;
  JsonObject *o;
  JsonArray *words;

  g_return_val_if_fail (audio_path != NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (o = json_node_get_object (node), "words") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "words")))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The stored word timings of %s are not readable. Speak the line again"),
                   audio_path);
      return NULL;
    }
  speech = admint_speech_new (json_object_get_string_member_with_default (o, "text", ""));
  speech->speed = json_object_get_double_member_with_default (o, "speed", 1.0);
  speech->cost_usd = json_object_get_double_member_with_default (o, "cost_usd", 0);
  speech->provider = g_strdup (json_object_get_string_member_with_default (o, "provider", ""));
  speech->voice = g_strdup (json_object_get_string_member_with_default (o, "voice", ""));
  words = json_object_get_array_member (o, "words");
  for (guint i = 0; i < json_array_get_length (words); i++)
    {
      JsonObject *w = json_array_get_object_element (words, i);

      if (w == NULL)
        continue;
      admint_speech_add_word (speech, json_object_get_string_member_with_default (w, "text", ""),
                              json_object_get_double_member_with_default (w, "start", 0),
                              json_object_get_double_member_with_default (w, "end", 0));
    }
  speech->audio = admint_audio_read_wav (audio_path, error);
  if (speech->audio == NULL)
    return NULL;
  return g_steal_pointer (&speech);
}

/* Words and syllables ------------------------------------------------------------------------- */

GStrv
admint_voice_split_words (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", " \t\r\n", -1);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (b, parts[i]);
  return g_strv_builder_end (b);
}

guint
admint_voice_count_syllables (const char *word)
{
  guint count = 0, digits = 0;
  gboolean in_vowel = FALSE;
  g_autofree char *lower = g_ascii_strdown (word ? word : "", -1);
  gsize len = 0;
  char last = 0, before_last = 0;

  for (const char *p = lower; *p; p++)
    {
      gboolean vowel = strchr ("aeiouy", *p) != NULL && *p != '\0';

      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '%')
        count += 2;                     /* "percent" */
      else if (*p == '$' || *p == '&')
        count += 1;
      if (g_ascii_isalpha (*p))
        {
          if (vowel && !in_vowel)
            count++;
          in_vowel = vowel;
          before_last = last;
          last = *p;
          len++;
        }
      else
        in_vowel = FALSE;
    }
  /* A silent final e ("make"), but not "-le" ("bottle"). */
  if (last == 'e' && before_last != 'l' && len > 2 && count > 1)
    count--;
  count += digits * 2;   /* "thirty", "twenty five": about two a digit */
  return MAX (1, count);
}

/* Voice activity and alignment ---------------------------------------------------------------- */

#define VAD_FRAME 0.01

GArray *
admint_voice_activity (const AdmintAudio *audio)
{
  gsize frame = MAX (1, (gsize) (audio->rate * VAD_FRAME));
  gsize n = audio->n_frames / frame;
  g_autofree double *db = g_new0 (double, MAX (1, n));
  g_autofree double *sorted = NULL;
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (double));
  double floor_db, peak_db = -200, threshold;
  gssize open = -1, last_end = -1000;

  g_return_val_if_fail (audio != NULL, spans);

  for (gsize f = 0; f < n; f++)
    {
      double e = 0;

      for (gsize i = f * frame; i < (f + 1) * frame; i++)
        for (int c = 0; c < audio->channels; c++)
          e += (double) audio->samples[i * audio->channels + c] *
               audio->samples[i * audio->channels + c];
      db[f] = 10 * log10 (e / (frame * audio->channels) + 1e-12);
      peak_db = MAX (peak_db, db[f]);
    }
  if (n == 0)
    return spans;
  sorted = g_memdup2 (db, n * sizeof (double));
  for (gsize i = 1; i < n; i++)   /* insertion sort is enough for a line's few hundred frames */
    for (gsize j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
      {
        double t = sorted[j];
        sorted[j] = sorted[j - 1];
        sorted[j - 1] = t;
      }
  floor_db = sorted[n / 10];
  /* Voiced: well above the floor and not far under the loudest frame. */
  threshold = MAX (floor_db + 12, peak_db - 35);

  for (gsize f = 0; f <= n; f++)
    {
      gboolean voiced = f < n && db[f] > threshold;

      if (voiced && open < 0)
        {
          /* Close a gap shorter than 120 ms: a stop consonant, not a pause. */
          if (spans->len > 0 && (gssize) f - last_end < (gssize) (0.12 / VAD_FRAME))
            {
              open = (gssize) llround (g_array_index (spans, double, spans->len - 2) / VAD_FRAME);
              g_array_set_size (spans, spans->len - 2);
            }
          else
            open = (gssize) f;
        }
      else if (!voiced && open >= 0)
        {
          double a = open * VAD_FRAME, b = f * VAD_FRAME;

          if (b - a >= 0.05)
            {
              g_array_append_val (spans, a);
              g_array_append_val (spans, b);
            }
          last_end = (gssize) f;
          open = -1;
        }
    }
  return spans;
}

void
admint_voice_align_words (AdmintSpeech *speech)
{
  g_auto(GStrv) words = admint_voice_split_words (speech->text);
  g_autoptr(GArray) spans = admint_voice_activity (speech->audio);
  guint n_words = g_strv_length (words), n_spans = spans->len / 2;
  g_autofree guint *syl = g_new0 (guint, MAX (1, n_words));
  g_autofree guint *span_of = g_new0 (guint, MAX (1, n_words));
  double voiced_total = 0, syl_total = 0, cum = 0;

  g_array_set_size (speech->words, 0);
  if (n_words == 0)
    return;
  if (n_spans == 0)
    {
      double d = admint_audio_get_duration (speech->audio);
      g_array_append_val (spans, (double) { 0 });
      g_array_append_val (spans, d);
      n_spans = 1;
    }
  for (guint s = 0; s < n_spans; s++)
    voiced_total += g_array_index (spans, double, 2 * s + 1) - g_array_index (spans, double, 2 * s);
  for (guint w = 0; w < n_words; w++)
    syl_total += syl[w] = admint_voice_count_syllables (words[w]);

  /* Each word goes to the span its middle falls in on the voiced timeline. */
  for (guint w = 0; w < n_words; w++)
    {
      double mid = (cum + syl[w] / 2.0) / syl_total * voiced_total, acc = 0;
      guint s = 0;

      cum += syl[w];
      for (; s + 1 < n_spans; s++)
        {
          double len = g_array_index (spans, double, 2 * s + 1) - g_array_index (spans, double, 2 * s);
          if (mid < acc + len)
            break;
          acc += len;
        }
      span_of[w] = w > 0 ? MAX (s, span_of[w - 1]) : s;
    }
  /* Inside a span, its words share it by syllables. */
  for (guint w = 0; w < n_words;)
    {
      guint s = span_of[w], last = w, total = 0, done = 0;
      double a = g_array_index (spans, double, 2 * s), b = g_array_index (spans, double, 2 * s + 1);

      while (last + 1 < n_words && span_of[last + 1] == s)
        last++;
      for (guint k = w; k <= last; k++)
        total += syl[k];
      for (guint k = w; k <= last; k++)
        {
          double start = a + (b - a) * done / total;
          done += syl[k];
          admint_speech_add_word (speech, words[k], start, a + (b - a) * done / total);
        }
      w = last + 1;
    }
}
