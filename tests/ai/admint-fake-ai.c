/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fake AI server for tests: OpenAI-style chat and Replicate predictions on 127.0.0.1, with
 * faults scripted per request and every request recorded. */
#define G_LOG_DOMAIN "admint-fake-ai"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-fake-ai.h"

typedef struct {
  char            *method;
  char            *path;
  AdmintFakeFault  fault;    /* strings owned below */
  char            *body;
  char            *content_type;
  char           **headers;
} Fault;

typedef struct {
  char     *input_properties;
  GStrv     outputs;
  gboolean  music;   /* each prediction's output is a WAV of its own "duration" */
} Model;

typedef struct {
  char       *id;
  char       *model;
  guint       polls_left;
  char       *status;
  JsonNode   *input;
  char       *final_status;   /* what it ends as: the plan's, or a matching rule's */
  char       *final_error;
  gint64      ready_us;       /* with a latency: processing until this monotonic time */
  gint64      created_us;     /* g_get_real_time() at its creation: created_at */
  guint       serial;         /* creation order */
} Prediction;

typedef struct {
  char  *needle;
  char  *status;
  char  *error;
  guint  times;               /* 0: every time */
} PredictionRule;

typedef struct {
  char   *content_type;
  GBytes *data;
} File;

struct _AdmintFakeAi
{
  GObject     parent_instance;

  GPtrArray  *prediction_rules;
  double      prediction_latency;
  SoupServer *server;
  guint       port;
  char       *origin;
  char       *base_url;
  char       *api_key;
  GStrv       models;
  GQueue      replies;
  gboolean    head_served;  /* the head reply was given once: the next one takes over */
  gint64      prompt_tokens;
  gint64      completion_tokens;
  GHashTable *replicate_models;  /* owner/name -> Model */
  GHashTable *predictions;       /* id -> Prediction */
  GHashTable *files;             /* path -> File */
  GHashTable *versions;          /* version id -> owner/name, learnt from version pages */
  guint       plan_polls;
  char       *plan_status;
  char       *plan_error;
  double      plan_predict_time;
  guint       next_id;
  GQueue      faults;
  GPtrArray  *requests;
  GPtrArray  *held;              /* stalled connections, closed on dispose */
  GPtrArray  *pending;           /* delayed messages */
  guint       stream_ms;         /* between the pieces of a chat stream; 0: all at once */
  guint       list_page_size;    /* GET /v1/predictions: predictions a page */
  double      speech_slowness;   /* /v1/audio/speech: its lengths times this; 0: 1 */
  GPtrArray  *streams;           /* Streaming: paced chat streams in progress */
};

G_DEFINE_FINAL_TYPE (AdmintFakeAi, admint_fake_ai, G_TYPE_OBJECT)

typedef struct _Delayed Delayed;
static void delayed_free (Delayed *d);
static void put_le (guint8 *p, guint32 value, guint bytes);
typedef struct _Streaming Streaming;
static void streaming_free (Streaming *st);
static Fault *chaos_fault (AdmintFakeAi *self, const char *method, const char *path);
static const char *chat_content (AdmintFakeAi *self, JsonObject *req);

static void
fault_free (Fault *f)
{
  g_free (f->method);
  g_free (f->path);
  g_free (f->body);
  g_free (f->content_type);
  g_strfreev (f->headers);
  g_free (f);
}

static void
model_free (Model *m)
{
  g_free (m->input_properties);
  g_strfreev (m->outputs);
  g_free (m);
}

static void
prediction_free (Prediction *p)
{
  g_free (p->final_status);
  g_free (p->final_error);
  g_free (p->id);
  g_free (p->model);
  g_free (p->status);
  g_clear_pointer (&p->input, json_node_unref);
  g_free (p);
}

static void
file_free (File *f)
{
  g_free (f->content_type);
  g_bytes_unref (f->data);
  g_free (f);
}

static void
request_free (AdmintFakeRequest *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->authorization);
  g_free (r->content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r);
}

static void
close_held (gpointer data)
{
  g_io_stream_close (data, NULL, NULL);
  g_object_unref (data);
}

static void
admint_fake_ai_dispose (GObject *object)
{
  AdmintFakeAi *self = ADMINT_FAKE_AI (object);

  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->streams, 0);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  G_OBJECT_CLASS (admint_fake_ai_parent_class)->dispose (object);
}

static void
admint_fake_ai_finalize (GObject *object)
{
  AdmintFakeAi *self = ADMINT_FAKE_AI (object);
  g_clear_pointer (&self->prediction_rules, g_ptr_array_unref);

  g_free (self->origin);
  g_free (self->base_url);
  g_free (self->api_key);
  g_strfreev (self->models);
  g_queue_clear_full (&self->replies, g_free);
  g_hash_table_unref (self->replicate_models);
  g_hash_table_unref (self->predictions);
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->versions);
  g_free (self->plan_status);
  g_free (self->plan_error);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->streams);
  G_OBJECT_CLASS (admint_fake_ai_parent_class)->finalize (object);
}

static void
admint_fake_ai_class_init (AdmintFakeAiClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = admint_fake_ai_dispose;
  G_OBJECT_CLASS (klass)->finalize = admint_fake_ai_finalize;
}

static void
admint_fake_ai_init (AdmintFakeAi *self)
{
  static const char * const models[] = { "gpt-4o-mini", NULL };

  self->models = g_strdupv ((char **) models);
  self->prompt_tokens = 12;
  self->completion_tokens = 34;
  self->replicate_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) model_free);
  self->predictions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) prediction_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) file_free);
  self->versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->plan_polls = 1;
  self->plan_status = g_strdup ("succeeded");
  self->plan_predict_time = 4.5;
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->held = g_ptr_array_new_with_free_func (close_held);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) delayed_free);
  self->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) streaming_free);
}

/* ---- answering ---- */

static void
set_json (SoupServerMessage *msg,
          guint              status,
          const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

static char *
node_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static JsonNode *
parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
next_reply (AdmintFakeAi *self)
{
  if (self->head_served && g_queue_get_length (&self->replies) > 1)
    {
      g_autofree char *old = g_queue_pop_head (&self->replies);
      (void) old;
    }
  self->head_served = !g_queue_is_empty (&self->replies);
  return g_queue_is_empty (&self->replies) ? "Hello from the fake AI server."
                                           : g_queue_peek_head (&self->replies);
}

/* A chat stream sent piece by piece, stream_ms apart, as a model writes. */
struct _Streaming {
  AdmintFakeAi      *self;
  SoupServerMessage *msg;
  GPtrArray         *events;   /* of char *: "data: …\n\n" */
  guint              next;
  guint              source_id;
};

static void
streaming_free (Streaming *st)
{
  g_clear_handle_id (&st->source_id, g_source_remove);
  g_clear_object (&st->msg);
  g_ptr_array_unref (st->events);
  g_free (st);
}

static gboolean
stream_next (gpointer data)
{
  Streaming *st = data;
  SoupMessageBody *body = soup_server_message_get_response_body (st->msg);
  const char *event = g_ptr_array_index (st->events, st->next++);

  soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
  if (st->next == st->events->len)
    soup_message_body_complete (body);
  soup_server_message_unpause (st->msg);
  if (st->next < st->events->len)
    return G_SOURCE_CONTINUE;
  st->source_id = 0;
  g_ptr_array_remove (st->self->streams, st);
  return G_SOURCE_REMOVE;
}

static void
send_paced (AdmintFakeAi      *self,
            SoupServerMessage *msg,
            const char        *sse)
{
  Streaming *st = g_new0 (Streaming, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_auto(GStrv) events = g_strsplit (sse, "\n\n", -1);

  st->self = self;
  st->msg = g_object_ref (msg);
  st->events = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; events[i] != NULL; i++)
    if (events[i][0] != '\0')
      g_ptr_array_add (st->events, g_strconcat (events[i], "\n\n", NULL));
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  g_ptr_array_add (self->streams, st);
  soup_server_message_pause (msg);
  st->source_id = g_timeout_add (self->stream_ms, stream_next, st);
}

static void
chat_completion (AdmintFakeAi      *self,
                 SoupServerMessage *msg)
{
  g_autoptr(JsonNode) request = parse_body (msg);
  JsonObject *req = request && JSON_NODE_HOLDS_OBJECT (request) ? json_node_get_object (request) : NULL;
  const char *model = req ? json_object_get_string_member_with_default (req, "model", "fake") : "fake";
  gboolean stream = req && json_object_get_boolean_member_with_default (req, "stream", FALSE);
  const char *content = chat_content (self, req);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (req == NULL)
    {
      set_json (msg, 400, "{\"error\":{\"message\":\"We could not parse the JSON body.\","
                          "\"type\":\"invalid_request_error\"}}");
      return;
    }

  if (!stream)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, "chatcmpl-fake");
      json_builder_set_member_name (b, "object");
      json_builder_add_string_value (b, "chat.completion");
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, model);
      json_builder_set_member_name (b, "choices");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, 0);
      json_builder_set_member_name (b, "message");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, "assistant");
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, content);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "finish_reason");
      json_builder_add_string_value (b, "stop");
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "usage");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "prompt_tokens");
      json_builder_add_int_value (b, self->prompt_tokens);
      json_builder_set_member_name (b, "completion_tokens");
      json_builder_add_int_value (b, self->completion_tokens);
      json_builder_set_member_name (b, "total_tokens");
      json_builder_add_int_value (b, self->prompt_tokens + self->completion_tokens);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      text = node_text (root);
      set_json (msg, 200, text);
      return;
    }

  /* A stream: pieces of a few characters, the finish, the usage, then [DONE]. */
  GString *sse = g_string_new (": fake stream\n\n");
  gsize len = strlen (content);
  for (gsize i = 0; i < len;)
    {
      gsize n = MIN (7, len - i);
      while (i + n < len && (content[i + n] & 0xC0) == 0x80)
        n++;  /* keep UTF-8 sequences whole */
      g_autofree char *piece = g_strndup (content + i, n);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, piece);
      g_autofree char *quoted = node_text (node);
      g_string_append_printf (sse, "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion."
                                   "chunk\",\"model\":\"%s\",\"choices\":[{\"index\":0,\"delta\":"
                                   "{\"content\":%s},\"finish_reason\":null}]}\n\n", model, quoted);
      i += n;
    }
  g_string_append_printf (sse, "data: {\"id\":\"chatcmpl-fake\",\"model\":\"%s\",\"choices\":"
                               "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                          model);
  g_string_append_printf (sse, "data: {\"id\":\"chatcmpl-fake\",\"model\":\"%s\",\"choices\":[],"
                               "\"usage\":{\"prompt_tokens\":%" G_GINT64_FORMAT ",\"completion_"
                               "tokens\":%" G_GINT64_FORMAT "}}\n\n", model, self->prompt_tokens,
                          self->completion_tokens);
  g_string_append (sse, "data: [DONE]\n\n");
  if (self->stream_ms > 0)
    {
      send_paced (self, msg, sse->str);
      g_string_free (sse, TRUE);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_TAKE, sse->str, sse->len);
  g_string_free (sse, FALSE);
}

static void
models_list (AdmintFakeAi      *self,
             SoupServerMessage *msg)
{
  GString *json = g_string_new ("{\"object\":\"list\",\"data\":[");

  for (guint i = 0; self->models && self->models[i]; i++)
    g_string_append_printf (json, "%s{\"id\":\"%s\",\"object\":\"model\",\"owned_by\":\"fake\"}",
                            i ? "," : "", self->models[i]);
  g_string_append (json, "]}");
  set_json (msg, 200, json->str);
  g_string_free (json, TRUE);
}

static char *
model_json (const char *owner_name,
            Model      *model,
            gboolean    version_only)
{
  g_autofree char *schema = g_strdup_printf (
    "{\"openapi\":\"3.0.2\",\"components\":{\"schemas\":{\"Input\":{\"type\":\"object\","
    "\"properties\":%s}}}}", model->input_properties);
  g_auto(GStrv) parts = g_strsplit (owner_name, "/", 2);

  if (version_only)
    return g_strdup_printf ("{\"id\":\"v1\",\"openapi_schema\":%s}", schema);
  return g_strdup_printf ("{\"owner\":\"%s\",\"name\":\"%s\",\"latest_version\":{\"id\":\"v1\","
                          "\"openapi_schema\":%s}}", parts[0], parts[1] ? parts[1] : "", schema);
}

static char *
absolute (AdmintFakeAi *self,
          const char   *url)
{
  if (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))
    return g_strdup (url);
  return g_strconcat (self->origin, url, NULL);
}

/* A music model's bed: a steady ADMINT_FAKE_MUSIC_HZ tone over a 110 Hz drone, 32 kHz stereo
 * 16-bit, as long as the prediction's input "duration" asked (8 s when it did not), served at
 * /files/music-ID.wav. Returns its URL. */
static char *
music_output (AdmintFakeAi *self,
              Prediction   *p)
{
  g_autofree char *path = g_strdup_printf ("/files/music-%s.wav", p->id);

  if (!g_hash_table_contains (self->files, path))
    {
      JsonObject *in = p->input && JSON_NODE_HOLDS_OBJECT (p->input)
                       ? json_node_get_object (p->input) : NULL;
      JsonNode *d = in ? json_object_get_member (in, "duration") : NULL;
      double seconds = d && JSON_NODE_HOLDS_VALUE (d) ? json_node_get_double (d) : 8;
      const guint rate = 32000;
      guint n = (guint) (CLAMP (seconds, 0.5, 300) * rate);
      guint32 data_size = n * 4;
      guint8 *wav = g_malloc (44 + data_size);
      File *file = g_new0 (File, 1);

      memcpy (wav, "RIFF", 4);
      put_le (wav + 4, 36 + data_size, 4);
      memcpy (wav + 8, "WAVEfmt ", 8);
      put_le (wav + 16, 16, 4);
      put_le (wav + 20, 1, 2);                 /* PCM */
      put_le (wav + 22, 2, 2);                 /* stereo */
      put_le (wav + 24, rate, 4);
      put_le (wav + 28, rate * 4, 4);
      put_le (wav + 32, 4, 2);
      put_le (wav + 34, 16, 2);
      memcpy (wav + 36, "data", 4);
      put_le (wav + 40, data_size, 4);
      for (guint i = 0; i < n; i++)
        {
          double t = (double) i / rate;
          gint16 v = (gint16) (9000 * sin (2 * G_PI * ADMINT_FAKE_MUSIC_HZ * t) +
                               6000 * sin (2 * G_PI * 110 * t));
          put_le (wav + 44 + 4 * i, (guint16) v, 2);
          put_le (wav + 46 + 4 * i, (guint16) v, 2);
        }
      file->content_type = g_strdup ("audio/wav");
      file->data = g_bytes_new_take (wav, 44 + data_size);
      g_hash_table_insert (self->files, g_strdup (path), file);
    }
  return absolute (self, path);
}

static char *
prediction_json (AdmintFakeAi *self,
                 Prediction   *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  Model *model = g_hash_table_lookup (self->replicate_models, p->model);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, p->id);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, p->model);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, p->status);
  {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (p->created_us / G_USEC_PER_SEC);
    g_autoptr(GDateTime) exact = g_date_time_add (when, p->created_us % G_USEC_PER_SEC);
    g_autofree char *text = g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%fZ");
    json_builder_set_member_name (b, "created_at");
    json_builder_add_string_value (b, text);
  }
  json_builder_set_member_name (b, "input");
  json_builder_add_value (b, p->input ? json_node_copy (p->input) : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (b, "logs");
  if (g_str_equal (p->status, "processing"))
    json_builder_add_string_value (b, "Starting\n 30%|███       | 3/10 [00:01<00:02]\n"
                                      " 60%|██████    | 6/10 [00:02<00:01]\n");
  else
    json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "output");
  if (g_str_equal (p->status, "succeeded") && model != NULL && model->music)
    {
      g_autofree char *url = music_output (self, p);
      json_builder_add_string_value (b, url);
    }
  else if (g_str_equal (p->status, "succeeded") && model != NULL && model->outputs != NULL)
    {
      if (g_strv_length (model->outputs) == 1)
        {
          g_autofree char *url = absolute (self, model->outputs[0]);
          json_builder_add_string_value (b, url);
        }
      else
        {
          json_builder_begin_array (b);
          for (guint i = 0; model->outputs[i]; i++)
            {
              g_autofree char *url = absolute (self, model->outputs[i]);
              json_builder_add_string_value (b, url);
            }
          json_builder_end_array (b);
        }
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "error");
  if (g_str_equal (p->status, "failed"))
    json_builder_add_string_value (b, p->final_error ? p->final_error : "fake failure");
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  /* As Replicate does, a prediction that ran reports its time, however it ended. */
  if (g_str_equal (p->status, "succeeded") || g_str_equal (p->status, "failed") ||
      g_str_equal (p->status, "canceled"))
    {
      json_builder_set_member_name (b, "predict_time");
      json_builder_add_double_value (b, self->plan_predict_time);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "urls");
  json_builder_begin_object (b);
  {
    g_autofree char *get = g_strdup_printf ("%s/predictions/%s", self->base_url, p->id);
    g_autofree char *cancel = g_strdup_printf ("%s/predictions/%s/cancel", self->base_url, p->id);
    json_builder_set_member_name (b, "get");
    json_builder_add_string_value (b, get);
    json_builder_set_member_name (b, "cancel");
    json_builder_add_string_value (b, cancel);
  }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return node_text (root);
}

static void
create_prediction (AdmintFakeAi      *self,
                   SoupServerMessage *msg,
                   const char        *owner_name)
{
  g_autoptr(JsonNode) body = parse_body (msg);
  Prediction *p;
  g_autofree char *json = NULL;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body) ||
      !json_object_has_member (json_node_get_object (body), "input"))
    {
      set_json (msg, 422, "{\"detail\":\"input is required\",\"title\":\"Invalid input\"}");
      return;
    }
  if (owner_name == NULL)
    {
      JsonObject *obj = json_node_get_object (body);
      const char *version = json_object_get_string_member_with_default (obj, "version", "");
      owner_name = g_hash_table_lookup (self->versions, version);
      if (owner_name == NULL)
        {
          set_json (msg, 422, "{\"detail\":\"Invalid version or not permitted\"}");
          return;
        }
    }
  if (!g_hash_table_contains (self->replicate_models, owner_name))
    {
      set_json (msg, 404, "{\"detail\":\"Not found.\",\"status\":404}");
      return;
    }
  p = g_new0 (Prediction, 1);
  p->id = g_strdup_printf ("fakepred%u", ++self->next_id);
  p->serial = self->next_id;
  p->created_us = g_get_real_time ();
  p->model = g_strdup (owner_name);
  p->status = g_strdup ("starting");
  p->polls_left = self->plan_polls;
  p->input = json_node_copy (json_object_get_member (json_node_get_object (body), "input"));
  p->final_status = g_strdup (self->plan_status);
  p->final_error = g_strdup (self->plan_error);
  if (self->prediction_latency > 0)
    p->ready_us = g_get_monotonic_time () + (gint64) (self->prediction_latency * G_USEC_PER_SEC);
  {
    /* A rule whose text is in the prompt decides how this prediction ends. */
    JsonNode *in = p->input;
    const char *prompt = in && JSON_NODE_HOLDS_OBJECT (in)
                         ? json_object_get_string_member_with_default (json_node_get_object (in),
                                                                       "prompt", "")
                         : "";
    for (guint i = 0; self->prediction_rules && i < self->prediction_rules->len; i++)
      {
        PredictionRule *rule = g_ptr_array_index (self->prediction_rules, i);
        if (rule->times == G_MAXUINT || strstr (prompt, rule->needle) == NULL)
          continue;
        g_free (p->final_status);
        g_free (p->final_error);
        p->final_status = g_strdup (rule->status);
        p->final_error = g_strdup (rule->error);
        if (rule->times > 0 && --rule->times == 0)
          rule->times = G_MAXUINT;  /* used up */
        break;
      }
  }
  g_hash_table_insert (self->predictions, p->id, p);
  json = prediction_json (self, p);
  set_json (msg, 201, json);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const Prediction *pa = *(Prediction * const *) a, *pb = *(Prediction * const *) b;

  return pa->serial < pb->serial ? 1 : pa->serial > pb->serial ? -1 : 0;
}

/* GET /v1/predictions[?cursor=N]: Replicate's listing, newest first, a page at a time, with
 * the whole prediction (input and created_at included) for each. */
static void
list_predictions (AdmintFakeAi      *self,
                  SoupServerMessage *msg)
{
  GHashTable *query = soup_form_decode (g_uri_get_query (soup_server_message_get_uri (msg))
                                        ? g_uri_get_query (soup_server_message_get_uri (msg))
                                        : "");
  const char *cursor = g_hash_table_lookup (query, "cursor");
  guint start = cursor ? (guint) g_ascii_strtoull (cursor, NULL, 10) : 0;
  guint size = self->list_page_size > 0 ? self->list_page_size : 100;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GString) json = g_string_new ("{\"previous\":");
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->predictions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, value);

  g_ptr_array_sort (all, newest_first);
  if (start == 0)
    g_string_append (json, "null");
  else
    g_string_append_printf (json, "\"%s/predictions?cursor=%u\"", self->base_url,
                            start > size ? start - size : 0);
  g_string_append (json, ",\"next\":");
  if (start + size < all->len)
    g_string_append_printf (json, "\"%s/predictions?cursor=%u\"", self->base_url, start + size);
  else
    g_string_append (json, "null");
  g_string_append (json, ",\"results\":[");
  for (guint i = start; i < all->len && i < start + size; i++)
    {
      g_autofree char *one = prediction_json (self, g_ptr_array_index (all, i));
      g_string_append_printf (json, "%s%s", i > start ? "," : "", one);
    }
  g_string_append (json, "]}");
  g_hash_table_unref (query);
  set_json (msg, 200, json->str);
}

static void
poll_prediction (AdmintFakeAi      *self,
                 SoupServerMessage *msg,
                 const char        *id,
                 gboolean           cancel)
{
  Prediction *p = g_hash_table_lookup (self->predictions, id);
  g_autofree char *json = NULL;

  if (p == NULL)
    {
      set_json (msg, 404, "{\"detail\":\"Not found.\",\"status\":404}");
      return;
    }
  if (cancel)
    {
      if (!g_str_equal (p->status, "succeeded") && !g_str_equal (p->status, "failed"))
        {
          g_free (p->status);
          p->status = g_strdup ("canceled");
        }
    }
  else if (g_str_equal (p->status, "starting") || g_str_equal (p->status, "processing"))
    {
      g_free (p->status);
      if (p->polls_left > 0 || (p->ready_us > 0 && g_get_monotonic_time () < p->ready_us))
        {
          if (p->polls_left > 0)
            p->polls_left--;
          p->status = g_strdup ("processing");
        }
      else
        p->status = g_strdup (p->final_status);
    }
  json = prediction_json (self, p);
  set_json (msg, 200, json);
}

static void
upload_file (AdmintFakeAi      *self,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  SoupMultipart *multipart = soup_multipart_new_from_message (headers, body);
  SoupMessageHeaders *part_headers = NULL;
  GBytes *part = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  File *file;

  if (multipart == NULL || soup_multipart_get_length (multipart) < 1 ||
      !soup_multipart_get_part (multipart, 0, &part_headers, &part))
    {
      if (multipart)
        soup_multipart_free (multipart);
      set_json (msg, 400, "{\"detail\":\"expected a multipart upload with a content part\"}");
      return;
    }
  file = g_new0 (File, 1);
  file->content_type = g_strdup (soup_message_headers_get_content_type (part_headers, NULL));
  file->data = g_bytes_ref (part);
  path = g_strdup_printf ("/files/upload%u", ++self->next_id);
  g_hash_table_insert (self->files, g_strdup (path), file);
  soup_multipart_free (multipart);
  json = g_strdup_printf ("{\"id\":\"upload%u\",\"size\":%" G_GSIZE_FORMAT ",\"urls\":{\"get\":"
                          "\"%s%s\"}}", self->next_id, g_bytes_get_size (file->data),
                          self->origin, path);
  set_json (msg, 201, json);
}

static void audio_speech (AdmintFakeAi      *self,
                          SoupServerMessage *msg);

static void
normal_answer (AdmintFakeAi      *self,
               SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(GStrv) parts = NULL;
  guint n;

  if (g_str_has_prefix (path, "/files/"))
    {
      File *file = g_hash_table_lookup (self->files, path);
      if (file == NULL)
        {
          soup_server_message_set_status (msg, 404, NULL);
          return;
        }
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, file->content_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (file->data, NULL),
                                        g_bytes_get_size (file->data));
      return;
    }
  if (!g_str_has_prefix (path, "/v1/"))
    {
      set_json (msg, 404, "{\"error\":{\"message\":\"Unknown path; the API is under /v1\"}}");
      return;
    }

  if (self->api_key != NULL)
    {
      const char *auth = soup_message_headers_get_one (headers, "Authorization");
      g_autofree char *want = g_strdup_printf ("Bearer %s", self->api_key);
      if (g_strcmp0 (auth, want) != 0)
        {
          set_json (msg, 401, "{\"error\":{\"message\":\"Incorrect API key provided: "
                              "sk-wro**********ng.\",\"type\":\"invalid_request_error\","
                              "\"code\":\"invalid_api_key\"}}");
          return;
        }
    }

  parts = g_strsplit (path + 4, "/", -1);
  n = g_strv_length (parts);
  if (g_str_equal (method, "GET") && n == 1 && g_str_equal (parts[0], "models"))
    models_list (self, msg);
  else if (g_str_equal (method, "POST") && n == 2 && g_str_equal (parts[0], "chat") &&
           g_str_equal (parts[1], "completions"))
    chat_completion (self, msg);
  else if (g_str_equal (parts[0], "models") && n >= 3)
    {
      g_autofree char *owner_name = g_strdup_printf ("%s/%s", parts[1], parts[2]);
      Model *model = g_hash_table_lookup (self->replicate_models, owner_name);

      if (g_str_equal (method, "POST") && n == 4 && g_str_equal (parts[3], "predictions"))
        create_prediction (self, msg, owner_name);
      else if (g_str_equal (method, "GET") && model != NULL && (n == 3 || n == 5))
        {
          g_autofree char *json = model_json (owner_name, model, n == 5);
          if (n == 5)
            g_hash_table_replace (self->versions, g_strdup (parts[4]), g_strdup (owner_name));
          set_json (msg, 200, json);
        }
      else
        set_json (msg, 404, "{\"detail\":\"Not found.\",\"status\":404}");
    }
  else if (g_str_equal (parts[0], "predictions"))
    {
      if (g_str_equal (method, "POST") && n == 1)
        create_prediction (self, msg, NULL);
      else if (g_str_equal (method, "GET") && n == 1)
        list_predictions (self, msg);
      else if (g_str_equal (method, "GET") && n == 2)
        poll_prediction (self, msg, parts[1], FALSE);
      else if (g_str_equal (method, "POST") && n == 3 && g_str_equal (parts[2], "cancel"))
        poll_prediction (self, msg, parts[1], TRUE);
      else
        set_json (msg, 404, "{\"detail\":\"Not found.\",\"status\":404}");
    }
  else if (g_str_equal (method, "POST") && n == 1 && g_str_equal (parts[0], "files"))
    upload_file (self, msg);
  else if (g_str_equal (method, "POST") && n == 2 && g_str_equal (parts[0], "audio") &&
           g_str_equal (parts[1], "speech"))
    audio_speech (self, msg);
  else
    set_json (msg, 404, "{\"error\":{\"message\":\"Not found\"}}");
}

/* /v1/audio/speech ------------------------------------------------------------------------ */

#define SPEECH_RATE 24000

static guint
fake_syllables (const char *word)
{
  guint count = 0;
  gboolean in_vowel = FALSE;

  for (const char *p = word; *p; p++)
    {
      gboolean vowel = strchr ("aeiouyAEIOUY", *p) != NULL;
      if (g_ascii_isdigit (*p))
        count += 2;
      if (vowel && !in_vowel)
        count++;
      in_vowel = vowel;
    }
  return MAX (1, count);
}

/* A voiced burst of SECONDS: a 140 Hz buzz with its harmonics, faded in and out. */
static void
append_buzz (GArray *pcm,
             double  seconds)
{
  guint n = (guint) (seconds * SPEECH_RATE), fade = SPEECH_RATE / 100;

  for (guint i = 0; i < n; i++)
    {
      double t = (double) i / SPEECH_RATE, v = 0, env = 1;

      for (int h = 1; h <= 6; h++)
        v += sin (2 * G_PI * 140 * h * t) / h;
      if (i < fade)
        env = (double) i / fade;
      else if (i + fade > n)
        env = (double) (n - i) / fade;
      g_array_append_val (pcm, (gint16) { (gint16) (v * env * 9000) });
    }
}

/* Little-endian, byte by byte: no unaligned stores. */
static void
put_le (guint8  *p,
        guint32  value,
        guint    bytes)
{
  for (guint i = 0; i < bytes; i++)
    p[i] = (guint8) (value >> (8 * i));
}

static void
append_silence (GArray *pcm,
                double  seconds)
{
  guint n = (guint) (seconds * SPEECH_RATE);
  g_array_set_size (pcm, pcm->len + n);
}

/* A WAV of speech-like bursts, one per word of "input", about 0.18 s a syllable divided by
 * "speed": the length a real voice would take, so timing and alignment can be tested. */
static void
audio_speech (AdmintFakeAi      *self,
              SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) pcm = g_array_new (FALSE, TRUE, sizeof (gint16));
  g_auto(GStrv) words = NULL;
  JsonObject *o;
  double speed;
  guint8 head[44];
  guint32 data_size;
  GByteArray *wav;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !json_object_has_member (o = json_node_get_object (json_parser_get_root (parser)),
                               "input"))
    {
      set_json (msg, 400, "{\"error\":{\"message\":\"'input' is a required property\"}}");
      return;
    }
  speed = CLAMP (json_object_get_double_member_with_default (o, "speed", 1.0), 0.25, 4.0);
  words = g_strsplit_set (json_object_get_string_member (o, "input"), " \t\n", -1);
  append_silence (pcm, 0.12);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize len = strlen (words[i]);

      if (len == 0)
        continue;
      double slow = self->speech_slowness > 0 ? self->speech_slowness : 1.0;
      append_buzz (pcm, slow * 0.18 * fake_syllables (words[i]) / speed);
      append_silence (pcm, slow * (strchr (".,;:!?", words[i][len - 1]) ? 0.3 : 0.07) / speed);
    }
  append_silence (pcm, 0.15);

  data_size = pcm->len * 2;
  memcpy (head, "RIFF", 4);
  put_le (head + 4, 36 + data_size, 4);
  memcpy (head + 8, "WAVEfmt ", 8);
  put_le (head + 16, 16, 4);
  put_le (head + 20, 1, 2);                 /* PCM */
  put_le (head + 22, 1, 2);                 /* mono */
  put_le (head + 24, SPEECH_RATE, 4);
  put_le (head + 28, SPEECH_RATE * 2, 4);
  put_le (head + 32, 2, 2);
  put_le (head + 34, 16, 2);
  memcpy (head + 36, "data", 4);
  put_le (head + 40, data_size, 4);
  wav = g_byte_array_new ();
  g_byte_array_append (wav, head, sizeof head);
  g_byte_array_append (wav, (guint8 *) pcm->data, data_size);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "audio/wav", SOUP_MEMORY_COPY, (const char *) wav->data,
                                    wav->len);
  g_byte_array_unref (wav);
}

static Fault *
take_fault (AdmintFakeAi *self,
            const char   *method,
            const char   *path)
{
  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      Fault *f = l->data;
      if ((f->method == NULL || g_str_equal (f->method, method)) &&
          g_str_has_prefix (path, f->path))
        {
          g_queue_delete_link (&self->faults, l);
          return f;
        }
    }
  return NULL;
}

/* Writes the answer by hand on the stolen connection, so that it can be cut or held. */
static void
answer_raw (AdmintFakeAi      *self,
            SoupServerMessage *msg,
            Fault             *fault)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  guint status = soup_server_message_get_status (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  gsize len = g_bytes_get_size (body);
  gsize send = fault->fault.cut_at >= 0 ? MIN ((gsize) fault->fault.cut_at, len) : len;
  g_autoptr(GString) head = g_string_new (NULL);
  GIOStream *io;
  GOutputStream *out;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  g_string_append_printf (head, "Content-Type: %s\r\n", type ? type : "application/json");
  if (type == NULL || !g_str_equal (type, "text/event-stream"))
    g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", len);
  for (guint i = 0; fault->headers && fault->headers[i] && fault->headers[i + 1]; i += 2)
    g_string_append_printf (head, "%s: %s\r\n", fault->headers[i], fault->headers[i + 1]);
  g_string_append (head, "Connection: close\r\n\r\n");

  io = soup_server_message_steal_connection (msg);
  out = g_io_stream_get_output_stream (io);
  g_output_stream_write_all (out, head->str, head->len, NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (body, NULL), send, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  if (fault->fault.stall)
    g_ptr_array_add (self->held, io);
  else
    close_held (io);
}

/* ANSWERED: the normal answer was made already (on the request's arrival, as a service acts
 * on a request at once even when its answer is slow to come back). */
static void
answer (AdmintFakeAi      *self,
        SoupServerMessage *msg,
        Fault             *fault,
        gboolean           answered)
{
  if (!answered && (fault == NULL || fault->fault.status == 0))
    normal_answer (self, msg);
  if (fault == NULL)
    return;

  if (fault->fault.status != 0)
    {
      soup_server_message_set_status (msg, fault->fault.status, NULL);
      if (fault->body != NULL)
        soup_server_message_set_response (msg, fault->content_type ? fault->content_type
                                                                   : "application/json",
                                          SOUP_MEMORY_COPY, fault->body, strlen (fault->body));
    }
  else if (fault->body != NULL)
    soup_server_message_set_response (msg, fault->content_type ? fault->content_type
                                                               : "application/json",
                                      SOUP_MEMORY_COPY, fault->body, strlen (fault->body));

  if (fault->fault.cut_at >= 0 || fault->fault.stall)
    {
      answer_raw (self, msg, fault);
      return;
    }
  for (guint i = 0; fault->headers && fault->headers[i] && fault->headers[i + 1]; i += 2)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  fault->headers[i], fault->headers[i + 1]);
}

struct _Delayed {
  AdmintFakeAi      *self;
  SoupServerMessage *msg;
  Fault             *fault;
  guint              source_id;
};

static void
delayed_free (Delayed *d)
{
  g_clear_handle_id (&d->source_id, g_source_remove);
  g_clear_object (&d->msg);
  g_clear_pointer (&d->fault, fault_free);
  g_free (d);
}

static gboolean
delayed_answer (gpointer data)
{
  Delayed *d = data;
  gboolean raw = d->fault->fault.cut_at >= 0 || d->fault->fault.stall;

  d->source_id = 0;
  answer (d->self, d->msg, d->fault, TRUE);
  if (!raw)
    soup_server_message_unpause (d->msg);
  g_ptr_array_remove (d->self->pending, d);
  return G_SOURCE_REMOVE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  AdmintFakeAi *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  AdmintFakeRequest *r = g_new0 (AdmintFakeRequest, 1);
  const char *method = soup_server_message_get_method (msg);
  Fault *fault;

  r->method = g_strdup (method);
  r->path = g_strdup (path);
  r->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  r->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  r->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  r->time_us = g_get_monotonic_time ();
  g_ptr_array_add (self->requests, r);
  g_debug ("%s %s", method, path);

  fault = take_fault (self, method, path);
  if (fault == NULL)
    fault = chaos_fault (self, method, path);
  if (fault != NULL && fault->fault.delay_ms > 0)
    {
      Delayed *d = g_new0 (Delayed, 1);
      if (fault->fault.status == 0)
        normal_answer (self, msg);
      d->self = self;
      d->msg = g_object_ref (msg);
      d->fault = fault;
      g_ptr_array_add (self->pending, d);
      soup_server_message_pause (msg);
      d->source_id = g_timeout_add (fault->fault.delay_ms, delayed_answer, d);
      return;
    }
  answer (self, msg, fault, FALSE);
  g_clear_pointer (&fault, fault_free);
}

AdmintFakeAi *
admint_fake_ai_new (guint    port,
                    GError **error)
{
  g_autoptr(AdmintFakeAi) self = g_object_new (ADMINT_TYPE_FAKE_AI, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  self->server = soup_server_new ("server-header", "admint-fake-ai ", NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->origin = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->base_url = g_strdup_printf ("%s/v1", self->origin);
  return g_steal_pointer (&self);
}

guint
admint_fake_ai_get_port (AdmintFakeAi *self)
{
  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), 0);
  return self->port;
}

const char *
admint_fake_ai_get_origin (AdmintFakeAi *self)
{
  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), NULL);
  return self->origin;
}

const char *
admint_fake_ai_get_base_url (AdmintFakeAi *self)
{
  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), NULL);
  return self->base_url;
}

void
admint_fake_ai_set_api_key (AdmintFakeAi *self,
                            const char   *key)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_free (self->api_key);
  self->api_key = g_strdup (key);
}

void
admint_fake_ai_set_models (AdmintFakeAi       *self,
                           const char * const *ids)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_strfreev (self->models);
  self->models = g_strdupv ((char **) ids);
}

void
admint_fake_ai_push_chat_reply (AdmintFakeAi *self,
                                const char   *content)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_queue_push_tail (&self->replies, g_strdup (content));
}

void
admint_fake_ai_set_stream_interval (AdmintFakeAi *self,
                                    guint         ms)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  self->stream_ms = ms;
}

void
admint_fake_ai_set_chat_usage (AdmintFakeAi *self,
                               gint64        prompt_tokens,
                               gint64        completion_tokens)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  self->prompt_tokens = prompt_tokens;
  self->completion_tokens = completion_tokens;
}

void
admint_fake_ai_add_model (AdmintFakeAi       *self,
                          const char         *owner_name,
                          const char         *input_properties_json,
                          const char * const *outputs)
{
  Model *model;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_return_if_fail (owner_name != NULL);

  model = g_new0 (Model, 1);
  model->input_properties = g_strdup (input_properties_json ? input_properties_json : "{}");
  model->outputs = g_strdupv ((char **) outputs);
  g_hash_table_replace (self->replicate_models, g_strdup (owner_name), model);
}

void
admint_fake_ai_add_music_model (AdmintFakeAi *self,
                                const char   *owner_name)
{
  Model *model;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_return_if_fail (owner_name != NULL);

  admint_fake_ai_add_model (self, owner_name,
    "{\"prompt\":{\"type\":\"string\"},\"duration\":{\"type\":\"integer\"},\"seed\":"
    "{\"type\":\"integer\"},\"output_format\":{\"type\":\"string\",\"enum\":[\"wav\","
    "\"mp3\"]},\"model_version\":{\"type\":\"string\"},\"normalization_strategy\":"
    "{\"type\":\"string\"}}", NULL);
  model = g_hash_table_lookup (self->replicate_models, owner_name);
  model->music = TRUE;
}

void
admint_fake_ai_set_prediction_plan (AdmintFakeAi *self,
                                    guint         polls,
                                    const char   *status,
                                    const char   *error,
                                    double        predict_time)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  self->plan_polls = polls;
  g_free (self->plan_status);
  self->plan_status = g_strdup (status ? status : "succeeded");
  g_free (self->plan_error);
  self->plan_error = g_strdup (error);
  self->plan_predict_time = predict_time;
}

void
admint_fake_ai_add_file (AdmintFakeAi *self,
                         const char   *path,
                         const char   *content_type,
                         GBytes       *data)
{
  File *file;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_return_if_fail (path != NULL && data != NULL);

  file = g_new0 (File, 1);
  file->content_type = g_strdup (content_type ? content_type : "application/octet-stream");
  file->data = g_bytes_ref (data);
  g_hash_table_replace (self->files, g_strdup (path), file);
}

void
admint_fake_ai_clear_faults (AdmintFakeAi *self)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
}

void
admint_fake_ai_push_fault (AdmintFakeAi          *self,
                           const char            *method,
                           const char            *path,
                           const AdmintFakeFault *fault)
{
  Fault *f;
  GPtrArray *headers;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_return_if_fail (path != NULL && fault != NULL);

  f = g_new0 (Fault, 1);
  f->method = g_strdup (method);
  f->path = g_strdup (path);
  f->fault = *fault;
  f->body = g_strdup (fault->body);
  f->content_type = g_strdup (fault->content_type);
  headers = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (fault->headers) && fault->headers[i]; i++)
    g_ptr_array_add (headers, g_strdup (fault->headers[i]));
  g_ptr_array_add (headers, NULL);
  f->headers = (char **) g_ptr_array_free (headers, FALSE);
  g_queue_push_tail (&self->faults, f);
}

void
admint_fake_ai_push_status (AdmintFakeAi *self,
                            const char   *method,
                            const char   *path,
                            guint         status,
                            const char   *body,
                            ...)
{
  AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;
  va_list args;
  const char *s;
  guint i = 0;

  fault.status = status;
  fault.body = body;
  va_start (args, body);
  while ((s = va_arg (args, const char *)) != NULL && i < G_N_ELEMENTS (fault.headers) - 1)
    fault.headers[i++] = s;
  va_end (args);
  admint_fake_ai_push_fault (self, method, path, &fault);
}

static gboolean
request_matches (const AdmintFakeRequest *r,
                 const char              *method,
                 const char              *path)
{
  return (method == NULL || g_str_equal (r->method, method)) &&
         (path == NULL || g_str_has_prefix (r->path, path));
}

guint
admint_fake_ai_count_requests (AdmintFakeAi *self,
                               const char   *method,
                               const char   *path)
{
  guint n = 0;

  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), 0);
  for (guint i = 0; i < self->requests->len; i++)
    n += request_matches (g_ptr_array_index (self->requests, i), method, path);
  return n;
}

const AdmintFakeRequest *
admint_fake_ai_get_request (AdmintFakeAi *self,
                            const char   *method,
                            const char   *path,
                            guint         nth)
{
  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), NULL);
  for (guint i = 0; i < self->requests->len; i++)
    {
      AdmintFakeRequest *r = g_ptr_array_index (self->requests, i);
      if (request_matches (r, method, path) && nth-- == 0)
        return r;
    }
  return NULL;
}

JsonNode *
admint_fake_ai_request_json (const AdmintFakeRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data;

  g_return_val_if_fail (request != NULL, NULL);
  data = g_bytes_get_data (request->body, &len);
  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

GPtrArray *
admint_fake_ai_get_requests (AdmintFakeAi *self)
{
  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), NULL);
  return self->requests;
}

void
admint_fake_ai_clear_requests (AdmintFakeAi *self)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_ptr_array_set_size (self->requests, 0);
}

void
admint_fake_ai_add_defaults (AdmintFakeAi *self)
{
  static const char * const image_outputs[] = { "/files/output.png", NULL };
  static const char * const video_outputs[] = { "/files/output.mp4", NULL };
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 64);
  g_autofree char *png = NULL;
  gsize len = 0;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));

  admint_fake_ai_add_model (self, "google/nano-banana-pro",
    "{\"prompt\":{\"type\":\"string\"},\"image_input\":{\"type\":\"array\",\"items\":{\"type\":"
    "\"string\",\"format\":\"uri\"}},\"aspect_ratio\":{\"type\":\"string\"},\"output_format\":"
    "{\"type\":\"string\"}}", image_outputs);
  admint_fake_ai_add_model (self, "google/veo-3",
    "{\"prompt\":{\"type\":\"string\"},\"image\":{\"type\":\"string\",\"format\":\"uri\"},"
    "\"duration\":{\"type\":\"integer\"},\"aspect_ratio\":{\"type\":\"string\"},\"resolution\":"
    "{\"type\":\"string\"},\"generate_audio\":{\"type\":\"boolean\"},\"negative_prompt\":"
    "{\"type\":\"string\"},\"seed\":{\"type\":\"integer\"}}", video_outputs);
  admint_fake_ai_add_music_model (self, "meta/musicgen");
  gdk_pixbuf_fill (pixbuf, 0x2e8b57ff);
  if (gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", NULL, NULL))
    {
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&png), len);
      admint_fake_ai_add_file (self, "/files/output.png", "image/png", bytes);
    }
}

static void
prediction_rule_free (PredictionRule *rule)
{
  g_free (rule->needle);
  g_free (rule->status);
  g_free (rule->error);
  g_free (rule);
}

void
admint_fake_ai_add_prediction_rule (AdmintFakeAi *self,
                                    const char   *prompt_contains,
                                    const char   *status,
                                    const char   *error,
                                    guint         times)
{
  PredictionRule *rule;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_return_if_fail (prompt_contains != NULL && status != NULL);

  if (self->prediction_rules == NULL)
    self->prediction_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) prediction_rule_free);
  rule = g_new0 (PredictionRule, 1);
  rule->needle = g_strdup (prompt_contains);
  rule->status = g_strdup (status);
  rule->error = g_strdup (error);
  rule->times = times;
  g_ptr_array_add (self->prediction_rules, rule);
}

void
admint_fake_ai_set_prediction_latency (AdmintFakeAi *self,
                                       double        seconds)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  self->prediction_latency = seconds;
}

void
admint_fake_ai_set_speech_slowness (AdmintFakeAi *self,
                                    double        factor)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  self->speech_slowness = factor;
}

void
admint_fake_ai_set_list_page_size (AdmintFakeAi *self,
                                   guint         size)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  self->list_page_size = size;
}

guint
admint_fake_ai_count_predictions (AdmintFakeAi *self,
                                  const char   *prompt_contains)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), 0);
  g_hash_table_iter_init (&iter, self->predictions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Prediction *p = value;
      const char *prompt = p->input && JSON_NODE_HOLDS_OBJECT (p->input)
                           ? json_object_get_string_member_with_default (
                               json_node_get_object (p->input), "prompt", "") : "";
      if (prompt_contains == NULL || strstr (prompt, prompt_contains) != NULL)
        n++;
    }
  return n;
}

void
admint_fake_ai_finish_predictions (AdmintFakeAi *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  g_hash_table_iter_init (&iter, self->predictions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Prediction *p = value;
      p->ready_us = 0;
      p->polls_left = 0;
    }
}

/* ---- random faults, replies from the request's schema, and the ledger of predictions ----
 * For the kill-and-fault soak (build-aux/soak.sh): every request may get a fault drawn at
 * random, and at the end the ledger says which predictions were left to be paid for. */

typedef enum {
  CHAOS_429,
  CHAOS_5XX_BURST,
  CHAOS_SLOW,
  CHAOS_TRUNCATED,
  CHAOS_MALFORMED_JSON,
  CHAOS_MALFORMED_SSE,
  CHAOS_STALLED_SSE,
  CHAOS_401,
  CHAOS_PREDICTION_FAILED,
  CHAOS_PREDICTION_STUCK,
  CHAOS_BAD_DOWNLOAD,
  N_CHAOS
} ChaosKind;

static const char * const chaos_names[N_CHAOS] = {
  "429_retry_after", "5xx_burst", "slow_past_timeout", "truncated_json", "malformed_json",
  "malformed_sse", "stalled_sse", "401", "prediction_failed", "prediction_never_finishes",
  "truncated_download",
};

typedef struct {
  double      rate;
  guint       slow_ms;
  GRand      *rand;
  guint       burst_left;
  guint       counts[N_CHAOS];
  GHashTable *fated;           /* prediction ids whose fate is decided */
  gboolean    schema_replies;
  char       *last_reply;      /* owns the schema reply being sent */
} Chaos;

static void
chaos_free (Chaos *c)
{
  g_rand_free (c->rand);
  g_hash_table_unref (c->fated);
  g_free (c->last_reply);
  g_free (c);
}

static Chaos *
chaos_get (AdmintFakeAi *self)
{
  Chaos *c = g_object_get_data (G_OBJECT (self), "admint-fake-chaos");

  if (c == NULL)
    {
      c = g_new0 (Chaos, 1);
      c->rand = g_rand_new_with_seed (1);
      c->fated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      c->slow_ms = 4000;
      g_object_set_data_full (G_OBJECT (self), "admint-fake-chaos", c,
                              (GDestroyNotify) chaos_free);
    }
  return c;
}

void
admint_fake_ai_set_random_faults (AdmintFakeAi *self,
                                  double        rate,
                                  guint32       seed,
                                  guint         slow_ms)
{
  Chaos *c;

  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  c = chaos_get (self);
  c->rate = CLAMP (rate, 0.0, 1.0);
  g_rand_set_seed (c->rand, seed);
  c->slow_ms = slow_ms;
}

void
admint_fake_ai_set_schema_replies (AdmintFakeAi *self,
                                   gboolean      enabled)
{
  g_return_if_fail (ADMINT_IS_FAKE_AI (self));
  chaos_get (self)->schema_replies = enabled;
}

static Fault *
chaos_new_fault (const char *method,
                 const char *path,
                 guint       status,
                 const char *body)
{
  Fault *f = g_new0 (Fault, 1);

  f->method = g_strdup (method);
  f->path = g_strdup (path);
  f->fault.cut_at = -1;
  f->fault.status = status;
  f->body = g_strdup (body);
  return f;
}

/* A prediction seen for the first time may be doomed to fail or to never finish. */
static void
chaos_decide_fate (AdmintFakeAi *self,
                   Chaos        *c,
                   const char   *id)
{
  Prediction *p = g_hash_table_lookup (self->predictions, id);

  if (p == NULL || g_hash_table_contains (c->fated, id))
    return;
  g_hash_table_add (c->fated, g_strdup (id));
  if (g_rand_double (c->rand) >= c->rate)
    return;
  if (g_rand_boolean (c->rand))
    {
      g_free (p->final_status);
      g_free (p->final_error);
      p->final_status = g_strdup ("failed");
      p->final_error = g_strdup ("CUDA out of memory (injected by the soak)");
      c->counts[CHAOS_PREDICTION_FAILED]++;
    }
  else
    {
      p->ready_us = G_MAXINT64;
      c->counts[CHAOS_PREDICTION_STUCK]++;
    }
}

/* The fault for this request, or NULL to answer normally. */
static Fault *
chaos_fault (AdmintFakeAi *self,
             const char   *method,
             const char   *path)
{
  Chaos *c = g_object_get_data (G_OBJECT (self), "admint-fake-chaos");
  gboolean chat = g_str_has_suffix (path, "/chat/completions");
  gboolean poll = g_str_has_prefix (path, "/v1/predictions/") && g_str_equal (method, "GET");
  Fault *f;
  ChaosKind kind;

  if (c == NULL || c->rate <= 0)
    return NULL;
  if (poll)
    chaos_decide_fate (self, c, path + strlen ("/v1/predictions/"));
  if (c->burst_left > 0)
    {
      c->burst_left--;
      c->counts[CHAOS_5XX_BURST]++;
      return chaos_new_fault (method, path, g_rand_boolean (c->rand) ? 500 : 503,
                              "{\"detail\":\"Internal server error (injected)\"}");
    }
  if (g_rand_double (c->rand) >= c->rate)
    return NULL;

  if (g_str_has_prefix (path, "/files/"))
    {
      f = chaos_new_fault (method, path, 0, NULL);
      f->fault.cut_at = g_rand_int_range (c->rand, 0, 2000);
      c->counts[CHAOS_BAD_DOWNLOAD]++;
      return f;
    }
  kind = (ChaosKind) g_rand_int_range (c->rand, 0, CHAOS_401 + 1);
  if (!chat && (kind == CHAOS_MALFORMED_SSE || kind == CHAOS_STALLED_SSE))
    kind = CHAOS_MALFORMED_JSON;
  c->counts[kind]++;
  switch (kind)
    {
    case CHAOS_429:
      f = chaos_new_fault (method, path, 429, "{\"detail\":\"Request was throttled.\"}");
      f->headers = g_new0 (char *, 3);
      f->headers[0] = g_strdup ("Retry-After");
      f->headers[1] = g_strdup ("1");
      return f;
    case CHAOS_5XX_BURST:
      c->burst_left = (guint) g_rand_int_range (c->rand, 1, 6);
      return chaos_new_fault (method, path, 503, "{\"detail\":\"Service unavailable\"}");
    case CHAOS_SLOW:
      f = chaos_new_fault (method, path, 0, NULL);
      f->fault.delay_ms = c->slow_ms;
      return f;
    case CHAOS_TRUNCATED:
      f = chaos_new_fault (method, path, 0, NULL);
      f->fault.cut_at = g_rand_int_range (c->rand, 1, 40);
      return f;
    case CHAOS_MALFORMED_JSON:
      return chaos_new_fault (method, path, 200, "{\"status\": \"succ<html>garbled");
    case CHAOS_MALFORMED_SSE:
      f = chaos_new_fault (method, path, 200,
                           "data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\ndata: {]\n\n");
      f->content_type = g_strdup ("text/event-stream");
      return f;
    case CHAOS_STALLED_SSE:
      f = chaos_new_fault (method, path, 200, "data: {\"choices\":[{\"delta\":{\"content\":"
                                              "\"Once\"}}]}\n\n");
      f->content_type = g_strdup ("text/event-stream");
      f->fault.stall = TRUE;
      f->fault.cut_at = 40;
      return f;
    case CHAOS_401:
    default:
      return chaos_new_fault (method, path, 401, "{\"error\":{\"message\":\"Incorrect API key "
                                                 "provided (injected).\",\"code\":"
                                                 "\"invalid_api_key\"}}");
    }
}

/* ---- a reply that fits the schema the request asks for ---- */

static JsonNode *schema_instance (JsonObject *schema, const char *name, guint index,
                                  const char *tag, guint depth);

static const char *
schema_first_type (JsonObject *schema)
{
  JsonNode *type = json_object_get_member (schema, "type");

  if (type != NULL && JSON_NODE_HOLDS_ARRAY (type) &&
      json_array_get_length (json_node_get_array (type)) > 0)
    return json_array_get_string_element (json_node_get_array (type), 0);
  if (type != NULL && JSON_NODE_HOLDS_VALUE (type))
    return json_node_get_string (type);
  return json_object_has_member (schema, "properties") ? "object" : "string";
}

static JsonNode *
schema_number (JsonObject *schema,
               gboolean    integer)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  double v = 3.0;

  if (json_object_has_member (schema, "maximum"))
    v = json_object_get_double_member (schema, "maximum");
  else if (json_object_has_member (schema, "minimum"))
    v = MAX (v, json_object_get_double_member (schema, "minimum"));
  if (integer)
    json_node_set_int (node, (gint64) v);
  else
    json_node_set_double (node, v);
  return node;
}

static JsonNode *
schema_instance (JsonObject *schema,
                 const char *name,
                 guint       index,
                 const char *tag,
                 guint       depth)
{
  const char *type = schema_first_type (schema);
  JsonNode *node;

  if (json_object_has_member (schema, "enum"))
    return json_node_copy (json_array_get_element (json_object_get_array_member (schema, "enum"),
                                                   0));
  if (depth > 8 || type == NULL || g_str_equal (type, "null"))
    return json_node_new (JSON_NODE_NULL);
  if (g_str_equal (type, "object"))
    {
      JsonObject *props = json_object_has_member (schema, "properties")
                          ? json_object_get_object_member (schema, "properties") : NULL;
      JsonObject *obj = json_object_new ();
      g_autoptr(GList) names = props ? json_object_get_members (props) : NULL;

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *sub = json_object_get_member (props, l->data);
          if (JSON_NODE_HOLDS_OBJECT (sub))
            json_object_set_member (obj, l->data,
                                    schema_instance (json_node_get_object (sub), l->data, index,
                                                     tag, depth + 1));
        }
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, obj);
      return node;
    }
  if (g_str_equal (type, "array"))
    {
      JsonArray *array = json_array_new ();
      gint64 n = MAX (2, json_object_get_int_member_with_default (schema, "minItems", 0));
      JsonNode *items = json_object_get_member (schema, "items");

      if (json_object_has_member (schema, "maxItems"))
        n = MIN (n, json_object_get_int_member (schema, "maxItems"));
      for (gint64 i = 0; i < n && items != NULL && JSON_NODE_HOLDS_OBJECT (items); i++)
        json_array_add_element (array, schema_instance (json_node_get_object (items), name,
                                                        (guint) i + 1, tag, depth + 1));
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      return node;
    }
  if (g_str_equal (type, "number") || g_str_equal (type, "integer"))
    return schema_number (schema, g_str_equal (type, "integer"));
  node = json_node_new (JSON_NODE_VALUE);
  if (g_str_equal (type, "boolean"))
    json_node_set_boolean (node, TRUE);
  else if (strstr (name, "palette") != NULL)
    json_node_set_string (node, index % 2 ? "#2a9d8f" : "#e9c46a");
  else
    {
      g_autofree char *text = g_strdup_printf ("The %s %u of %s, in a sunny meadow", name, index,
                                               tag);
      json_node_set_string (node, text);
    }
  return node;
}

/* The schema a chat request asks its reply to match: response_format's, or the one quoted in
 * the instruction the client prepends when the server has no structured output. */
static JsonNode *
chat_request_schema (JsonObject *req)
{
  JsonObject *format = json_object_has_member (req, "response_format")
                       ? json_object_get_object_member (req, "response_format") : NULL;
  JsonArray *messages;

  if (format != NULL && json_object_has_member (format, "json_schema"))
    {
      JsonObject *js = json_object_get_object_member (format, "json_schema");
      if (js != NULL && json_object_has_member (js, "schema"))
        return json_node_copy (json_object_get_member (js, "schema"));
    }
  messages = json_object_has_member (req, "messages")
             ? json_object_get_array_member (req, "messages") : NULL;
  for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
    {
      JsonNode *m = json_array_get_element (messages, i);
      const char *content = JSON_NODE_HOLDS_OBJECT (m)
        ? json_object_get_string_member_with_default (json_node_get_object (m), "content", NULL)
        : NULL;
      const char *at = content ? strstr (content, "JSON Schema: ") : NULL;
      if (at != NULL)
        return json_from_string (at + strlen ("JSON Schema: "), NULL);
    }
  return NULL;
}

/* The content of a chat reply: made from the request's schema when that is on, else the
 * queued reply. */
static const char *
chat_content (AdmintFakeAi *self,
              JsonObject   *req)
{
  Chaos *c = g_object_get_data (G_OBJECT (self), "admint-fake-chaos");
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *tag = NULL;

  if (c == NULL || !c->schema_replies || req == NULL ||
      (schema = chat_request_schema (req)) == NULL || !JSON_NODE_HOLDS_OBJECT (schema))
    return next_reply (self);
  /* Strings carry a digest of the request's messages, so two briefs never share a scene. */
  seed = json_to_string (json_object_get_member (req, "messages"), FALSE);
  tag = g_compute_checksum_for_string (G_CHECKSUM_SHA1, seed ? seed : "", -1);
  tag[8] = '\0';
  reply = schema_instance (json_node_get_object (schema), "text", 1, tag, 0);
  g_free (c->last_reply);
  c->last_reply = json_to_string (reply, FALSE);
  return c->last_reply;
}

/* ---- the ledger ---- */

char *
admint_fake_ai_ledger (AdmintFakeAi *self)
{
  Chaos *c = g_object_get_data (G_OBJECT (self), "admint-fake-chaos");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) values = NULL;

  g_return_val_if_fail (ADMINT_IS_FAKE_AI (self), NULL);

  values = g_hash_table_get_values (self->predictions);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "faults");
  json_builder_begin_object (b);
  for (guint i = 0; i < N_CHAOS; i++)
    {
      json_builder_set_member_name (b, chaos_names[i]);
      json_builder_add_int_value (b, c ? c->counts[i] : 0);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "predictions");
  json_builder_begin_array (b);
  for (GList *l = values; l != NULL; l = l->next)
    {
      Prediction *p = l->data;
      JsonNode *in = p->input;
      const char *prompt = in && JSON_NODE_HOLDS_OBJECT (in)
        ? json_object_get_string_member_with_default (json_node_get_object (in), "prompt", "")
        : "";

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, p->id);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, p->model);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, p->status);
      json_builder_set_member_name (b, "prompt");
      json_builder_add_string_value (b, prompt);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}
