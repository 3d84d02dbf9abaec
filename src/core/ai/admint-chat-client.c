/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client of any OpenAI-compatible /chat/completions server: text, images, JSON, streaming. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "admint-ai-image.h"
#include "admint-ai-usage-private.h"
#include "admint-chat-client.h"
#include "admint-json-schema.h"
#include "admint-sse.h"
#include "admint-store.h"

/* ---- request ---- */

struct _AdmintChatRequest
{
  JsonArray *messages;
  JsonNode  *schema;
  char      *schema_name;
  char      *generation_id;
  char      *operation;
  guint      max_tokens;
  gboolean   has_images;
};

G_DEFINE_BOXED_TYPE (AdmintChatRequest, admint_chat_request,
                     admint_chat_request_ref, admint_chat_request_unref)

AdmintChatRequest *
admint_chat_request_new (void)
{
  AdmintChatRequest *request = g_atomic_rc_box_new0 (AdmintChatRequest);

  request->messages = json_array_new ();
  return request;
}

AdmintChatRequest *
admint_chat_request_ref (AdmintChatRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return g_atomic_rc_box_acquire (request);
}

static void
chat_request_clear (AdmintChatRequest *request)
{
  json_array_unref (request->messages);
  g_clear_pointer (&request->schema, json_node_unref);
  g_free (request->schema_name);
  g_free (request->generation_id);
  g_free (request->operation);
}

void
admint_chat_request_unref (AdmintChatRequest *request)
{
  g_return_if_fail (request != NULL);
  g_atomic_rc_box_release_full (request, (GDestroyNotify) chat_request_clear);
}

void
admint_chat_request_add_message (AdmintChatRequest *request,
                                 const char        *role,
                                 const char        *text)
{
  JsonObject *msg;

  g_return_if_fail (request != NULL);
  g_return_if_fail (role != NULL);
  g_return_if_fail (text != NULL);

  msg = json_object_new ();
  json_object_set_string_member (msg, "role", role);
  json_object_set_string_member (msg, "content", text);
  json_array_add_object_element (request->messages, msg);
}

void
admint_chat_request_add_image_url (AdmintChatRequest *request,
                                   const char        *data_url)
{
  JsonObject *msg = NULL;
  JsonArray *parts;
  guint n;

  g_return_if_fail (request != NULL);
  g_return_if_fail (data_url != NULL);

  n = json_array_get_length (request->messages);
  if (n > 0)
    {
      JsonObject *last = json_array_get_object_element (request->messages, n - 1);
      if (g_strcmp0 (json_object_get_string_member (last, "role"), "user") == 0)
        msg = last;
    }
  if (msg == NULL)
    {
      msg = json_object_new ();
      json_object_set_string_member (msg, "role", "user");
      json_object_set_array_member (msg, "content", json_array_new ());
      json_array_add_object_element (request->messages, msg);
    }

  /* Text content becomes the first part of a list of parts. */
  JsonNode *content = json_object_get_member (msg, "content");
  if (JSON_NODE_HOLDS_VALUE (content))
    {
      JsonObject *text = json_object_new ();
      json_object_set_string_member (text, "type", "text");
      json_object_set_string_member (text, "text", json_node_get_string (content));
      parts = json_array_new ();
      json_array_add_object_element (parts, text);
      json_object_set_array_member (msg, "content", parts);
    }
  parts = json_object_get_array_member (msg, "content");

  JsonObject *image = json_object_new ();
  JsonObject *url = json_object_new ();
  json_object_set_string_member (url, "url", data_url);
  json_object_set_string_member (image, "type", "image_url");
  json_object_set_object_member (image, "image_url", url);
  json_array_add_object_element (parts, image);
  request->has_images = TRUE;
}

gboolean
admint_chat_request_add_image_file (AdmintChatRequest  *request,
                                    const char         *path,
                                    GError            **error)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  url = admint_ai_image_data_url (path, ADMINT_AI_IMAGE_MAX_SIDE, error);
  if (url == NULL)
    return FALSE;
  admint_chat_request_add_image_url (request, url);
  return TRUE;
}

void
admint_chat_request_set_schema (AdmintChatRequest *request,
                                const char        *name,
                                JsonNode          *schema)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);

  g_clear_pointer (&request->schema, json_node_unref);
  request->schema = schema ? json_node_copy (schema) : NULL;
  g_free (request->schema_name);
  request->schema_name = g_strdup (name);
}

void
admint_chat_request_set_max_tokens (AdmintChatRequest *request,
                                    guint              max_tokens)
{
  g_return_if_fail (request != NULL);
  request->max_tokens = max_tokens;
}

void
admint_chat_request_set_generation_id (AdmintChatRequest *request,
                                       const char        *generation_id)
{
  g_return_if_fail (request != NULL);
  g_free (request->generation_id);
  request->generation_id = g_strdup (generation_id);
}

void
admint_chat_request_set_operation (AdmintChatRequest *request,
                                   const char        *operation)
{
  g_return_if_fail (request != NULL);
  g_free (request->operation);
  request->operation = g_strdup (operation);
}

void
admint_chat_result_free (AdmintChatResult *result)
{
  if (result == NULL)
    return;
  g_free (result->content);
  g_clear_pointer (&result->json, json_node_unref);
  g_free (result->model);
  g_free (result->finish_reason);
  g_free (result);
}

/* ---- client ---- */

struct _AdmintChatClient
{
  GObject            parent_instance;

  SoupSession       *session;
  AdmintChatOptions  options;   /* strings below */
  char              *base_url;
  char              *model;
  char              *vision_model;
  char              *api_key;
  char              *provider;
  char              *service;
  AdmintStore       *store;
  AdmintChatFormat   format;
};

G_DEFINE_FINAL_TYPE (AdmintChatClient, admint_chat_client, G_TYPE_OBJECT)

enum { SIGNAL_USAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
admint_chat_client_dispose (GObject *object)
{
  AdmintChatClient *self = ADMINT_CHAT_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (admint_chat_client_parent_class)->dispose (object);
}

static void
admint_chat_client_finalize (GObject *object)
{
  AdmintChatClient *self = ADMINT_CHAT_CLIENT (object);

  g_free (self->base_url);
  g_free (self->model);
  g_free (self->vision_model);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  g_free (self->provider);
  g_free (self->service);
  G_OBJECT_CLASS (admint_chat_client_parent_class)->finalize (object);
}

static void
admint_chat_client_class_init (AdmintChatClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = admint_chat_client_dispose;
  object_class->finalize = admint_chat_client_finalize;
  signals[SIGNAL_USAGE] = admint_ai_usage_signal_new (ADMINT_TYPE_CHAT_CLIENT);
}

static void
admint_chat_client_init (AdmintChatClient *self)
{
}

AdmintChatClient *
admint_chat_client_new (SoupSession             *session,
                        const AdmintChatOptions *options)
{
  AdmintChatClient *self;
  const AdmintChatOptions defaults = ADMINT_CHAT_OPTIONS_INIT;

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  if (options == NULL)
    options = &defaults;
  self = g_object_new (ADMINT_TYPE_CHAT_CLIENT, NULL);
  self->session = g_object_ref (session ? session : admint_http_session_get_default ());
  self->options = *options;
  self->base_url = g_strdup (options->base_url ? options->base_url : defaults.base_url);
  self->model = g_strdup (options->model ? options->model : defaults.model);
  self->vision_model = g_strdup (options->vision_model ? options->vision_model : self->model);
  self->api_key = (options->api_key && *options->api_key) ? g_strdup (options->api_key) : NULL;
  self->provider = g_strdup (options->provider ? options->provider : "openai");
  self->service = g_strdup_printf (_("The chat server at %s"), self->base_url);
  self->format = ADMINT_CHAT_FORMAT_JSON_SCHEMA;
  return self;
}

void
admint_chat_client_set_store (AdmintChatClient *self,
                              AdmintStore      *store)
{
  g_return_if_fail (ADMINT_IS_CHAT_CLIENT (self));
  g_set_object (&self->store, store);
}

AdmintChatFormat
admint_chat_client_get_format (AdmintChatClient *self)
{
  g_return_val_if_fail (ADMINT_IS_CHAT_CLIENT (self), ADMINT_CHAT_FORMAT_NONE);
  return self->format;
}

/* ---- one call: complete or stream, with the structured-output fallbacks ---- */

typedef struct {
  AdmintChatRequest   *request;
  AdmintChatFormat     format;
  gboolean             stream;
  AdmintChatDeltaFunc  delta_func;
  gpointer             delta_data;
  /* stream state */
  AdmintSseParser     *parser;
  GString             *content;
  char                *model;
  char                *finish_reason;
  gint64               prompt_tokens;
  gint64               completion_tokens;
  gboolean             done;
  GByteArray          *raw;      /* a server that ignored "stream" and sent JSON */
  guint                retries;  /* asked again after transient trouble */
} Call;

static void
call_free (Call *call)
{
  admint_chat_request_unref (call->request);
  g_clear_pointer (&call->parser, admint_sse_parser_free);
  if (call->content)
    g_string_free (call->content, TRUE);
  g_free (call->model);
  g_free (call->finish_reason);
  g_clear_pointer (&call->raw, g_byte_array_unref);
  g_free (call);
}

static GBytes *
build_body (AdmintChatClient *self,
            Call             *call)
{
  AdmintChatRequest *request = call->request;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonNode *messages;
  char *text;
  gsize len;

  {
    g_autoptr(JsonNode) shared = json_node_new (JSON_NODE_ARRAY);

    json_node_set_array (shared, request->messages);
    messages = json_node_copy (shared);  /* a deep copy: we may prepend an instruction */
  }

  if (request->schema != NULL && call->format != ADMINT_CHAT_FORMAT_JSON_SCHEMA)
    {
      g_autofree char *schema_text = json_to_string (request->schema, FALSE);
      g_autofree char *instruction = g_strdup_printf (
        "Reply with only a JSON object, with no other text, that matches this JSON Schema: %s",
        schema_text);
      JsonObject *sys = json_object_new ();
      JsonArray *old = json_node_get_array (messages);
      JsonArray *with = json_array_new ();

      json_object_set_string_member (sys, "role", "system");
      json_object_set_string_member (sys, "content", instruction);
      json_array_add_object_element (with, sys);
      for (guint i = 0; i < json_array_get_length (old); i++)
        json_array_add_element (with, json_node_copy (json_array_get_element (old, i)));
      json_node_take_array (messages, with);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, request->has_images ? self->vision_model : self->model);
  json_builder_set_member_name (builder, "messages");
  json_builder_add_value (builder, messages);
  if (self->options.temperature >= 0)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, self->options.temperature);
    }
  if (request->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, request->max_tokens);
    }
  if (call->stream)
    {
      json_builder_set_member_name (builder, "stream");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "stream_options");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "include_usage");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
    }
  if (request->schema != NULL && call->format == ADMINT_CHAT_FORMAT_JSON_SCHEMA)
    {
      json_builder_set_member_name (builder, "response_format");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "json_schema");
      json_builder_set_member_name (builder, "json_schema");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, request->schema_name);
      json_builder_set_member_name (builder, "schema");
      json_builder_add_value (builder, json_node_copy (request->schema));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  else if (request->schema != NULL && call->format == ADMINT_CHAT_FORMAT_JSON_OBJECT)
    {
      json_builder_set_member_name (builder, "response_format");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "json_object");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static void send_call (GTask *task);

/* Transient trouble with one answer (none in time, the network, a reply cut short, not JSON
 * or without choices) asks again, with backoff and jitter, up to network.max_retries times;
 * HTTP statuses were retried already, honouring Retry-After. A stream that has shown text is
 * not asked again. Takes ERROR; TASK is borrowed. */
static void
call_failed (GTask  *task,
             GError *error)
{
  AdmintChatClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gboolean transient = error->domain == ADMINT_AI_ERROR &&
                       (error->code == ADMINT_AI_ERROR_TIMEOUT ||
                        error->code == ADMINT_AI_ERROR_NETWORK_UNREACHABLE ||
                        error->code == ADMINT_AI_ERROR_BAD_RESPONSE);
  double wait;

  if (!transient || call->retries >= self->options.retry.max_retries ||
      (call->stream && call->content->len > 0) ||
      (cancellable != NULL && g_cancellable_is_cancelled (cancellable)))
    {
      g_task_return_error (task, error);
      return;
    }
  wait = admint_retry_policy_backoff (&self->options.retry, call->retries);
  call->retries++;
  g_message ("%s: %s; asking again in %.1f s", self->service, error->message, wait);
  g_error_free (error);
  g_clear_pointer (&call->parser, admint_sse_parser_free);
  g_clear_pointer (&call->raw, g_byte_array_unref);
  g_clear_pointer (&call->finish_reason, g_free);
  call->done = FALSE;
  admint_ai_retry_after (task, wait, cancellable, send_call);
}

/* An error object inside a 200 answer or a stream: the same codes as an HTTP failure. */
static GError *
error_from_payload (AdmintChatClient *self,
                    JsonNode         *payload)
{
  char *text = json_to_string (payload, FALSE);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autofree char *code = NULL;
  g_autofree char *message = admint_http_body_error_message (bytes, &code);
  g_autofree char *safe = admint_ai_redact (message ? message : _("no details"), self->api_key);

  if (g_strcmp0 (code, "insufficient_quota") == 0)
    return admint_http_error_from_status (429, NULL, bytes, self->service, NULL, self->api_key);
  if (code != NULL && strstr (code, "rate_limit") != NULL)
    return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_RATE_LIMITED,
                        _("%s is rate limiting us: “%s”. Wait a minute and try again."),
                        self->service, safe);
  if ((code != NULL && strstr (code, "content") != NULL) ||
      (message != NULL && strstr (message, "content policy") != NULL))
    return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED,
                        _("%s refused the request under its content policy: “%s”. Reword the "
                          "brief or the scene."), self->service, safe);
  return g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR,
                      _("%s reported an error in its answer: “%s”. Try again later."),
                      self->service, safe);
}

static void
read_usage (Call       *call,
            JsonObject *obj)
{
  JsonObject *usage;

  if (!json_object_has_member (obj, "usage") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "usage")))
    return;
  usage = json_object_get_object_member (obj, "usage");
  call->prompt_tokens = json_object_get_int_member_with_default (usage, "prompt_tokens", -1);
  call->completion_tokens = json_object_get_int_member_with_default (usage, "completion_tokens",
                                                                     -1);
}

static void
read_choice (Call       *call,
             JsonObject *obj,
             const char *part)
{
  JsonArray *choices;
  JsonObject *choice;
  JsonNode *node;

  if (json_object_has_member (obj, "model") && call->model == NULL)
    call->model = g_strdup (json_object_get_string_member (obj, "model"));
  if (!json_object_has_member (obj, "choices") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "choices")))
    return;
  choices = json_object_get_array_member (obj, "choices");
  if (json_array_get_length (choices) == 0)
    return;
  node = json_array_get_element (choices, 0);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  choice = json_node_get_object (node);

  node = json_object_get_member (choice, "finish_reason");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      g_free (call->finish_reason);
      call->finish_reason = g_strdup (json_node_get_string (node));
    }
  node = json_object_get_member (choice, part);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *content = json_object_get_member (json_node_get_object (node), "content");
      if (content != NULL && JSON_NODE_HOLDS_VALUE (content) &&
          json_node_get_value_type (content) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (content);
          g_string_append (call->content, text);
          if (call->delta_func != NULL && *text != '\0')
            call->delta_func (text, call->delta_data);
        }
    }
}

static void
finish_call (GTask *task)
{
  AdmintChatClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(AdmintChatResult) result = g_new0 (AdmintChatResult, 1);
  g_autoptr(GError) error = NULL;
  const char *model;

  result->content = g_strdup (call->content->str);
  result->model = g_strdup (call->model);
  result->finish_reason = g_strdup (call->finish_reason);
  result->prompt_tokens = call->prompt_tokens;
  result->completion_tokens = call->completion_tokens;
  result->format = call->request->schema ? call->format : ADMINT_CHAT_FORMAT_NONE;
  result->cost_usd = MAX (0, call->prompt_tokens) / 1000.0 * self->options.input_per_1k_tokens +
                     MAX (0, call->completion_tokens) / 1000.0 * self->options.output_per_1k_tokens;

  /* The tokens were paid for whatever the content turns out to be. */
  model = call->request->has_images ? self->vision_model : self->model;
  if (call->prompt_tokens >= 0 || call->completion_tokens >= 0)
    admint_ai_usage_emit (self, signals[SIGNAL_USAGE], self->store, self->provider, model,
                          call->request->operation ? call->request->operation : "chat",
                          (double) (MAX (0, call->prompt_tokens) + MAX (0, call->completion_tokens)),
                          result->cost_usd, call->request->generation_id);

  if (g_strcmp0 (call->finish_reason, "content_filter") == 0)
    {
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED,
                               _("%s withheld its answer under its content policy. Reword the "
                                 "brief or the scene."), self->service);
      return;
    }

  if (call->request->schema != NULL)
    {
      result->json = admint_json_extract_from_text (result->content, &error);
      if (result->json == NULL ||
          !admint_json_schema_validate (call->request->schema, result->json, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) admint_chat_result_free);
}

static gboolean
on_sse_event (const char  *event,
              const char  *data,
              gpointer     user_data,
              GError     **error)
{
  GTask *task = user_data;
  AdmintChatClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (call->done)
    return TRUE;
  if (g_strcmp0 (g_strstrip ((char *) data), "[DONE]") == 0)
    {
      call->done = TRUE;
      return TRUE;
    }
  if (!json_parser_load_from_data (parser, data, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("%s sent a stream event that is not JSON. Check that the base URL points "
                     "to an OpenAI-compatible server."), self->service);
      return FALSE;
    }
  if (json_object_has_member (json_node_get_object (root), "error") || g_strcmp0 (event, "error") == 0)
    {
      *error = error_from_payload (self, root);
      return FALSE;
    }
  read_usage (call, json_node_get_object (root));
  read_choice (call, json_node_get_object (root), "delta");
  return TRUE;
}

static gboolean
on_stream_chunk (const guint8  *data,
                 gsize          len,
                 gpointer       user_data,
                 GError       **error)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  if (call->raw != NULL)
    {
      g_byte_array_append (call->raw, data, len);
      return TRUE;
    }
  return admint_sse_parser_feed (call->parser, (const char *) data, len, error);
}

static gboolean parse_whole (GTask *task, GBytes *body, GError **error);

static void
stream_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintChatClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!admint_http_read_stream_finish (result, &error))
    {
      call_failed (task, g_steal_pointer (&error));
      return;
    }
  if (call->raw != NULL)
    {
      g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&call->raw));
      if (!parse_whole (task, body, &error))
        call_failed (task, g_steal_pointer (&error));
      else
        finish_call (task);
      return;
    }
  if (!call->done)
    {
      call_failed (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                      _("%s ended the stream before it was complete (no "
                                        "[DONE]); the answer may be cut short. Try again."),
                                      self->service));
      return;
    }
  finish_call (task);
}

static gboolean
parse_whole (GTask   *task,
             GBytes  *body,
             GError **error)
{
  AdmintChatClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("%s answered with something that is not JSON. Check that the base URL "
                     "points to an OpenAI-compatible server (it usually ends in /v1)."),
                   self->service);
      return FALSE;
    }
  if (json_object_has_member (json_node_get_object (root), "error"))
    {
      *error = error_from_payload (self, root);
      return FALSE;
    }
  if (!json_object_has_member (json_node_get_object (root), "choices") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "choices")) ||
      json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                           "choices")) == 0)
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("%s answered without any choices. Check that the base URL points to an "
                     "OpenAI-compatible chat server."), self->service);
      return FALSE;
    }
  read_usage (call, json_node_get_object (root));
  read_choice (call, json_node_get_object (root), "message");
  return TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintChatClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = NULL;

  response = admint_http_send_finish (result, &error);
  if (response == NULL)
    {
      /* A server that refuses this form of structured output gets the next, simpler one. */
      if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_REQUEST) &&
          call->request->schema != NULL && call->format < ADMINT_CHAT_FORMAT_TEXT)
        {
          g_debug ("structured output form %d refused: %s", call->format, error->message);
          call->format++;
          send_call (g_steal_pointer (&task));
          return;
        }
      call_failed (task, g_steal_pointer (&error));
      return;
    }
  if (call->request->schema != NULL)
    self->format = call->format;

  if (response->stream != NULL)
    {
      const char *type = soup_message_headers_get_content_type (
        soup_message_get_response_headers (response->message), NULL);

      if (type != NULL && g_str_equal (type, "application/json"))
        {
          /* A server that ignores "stream" answers all at once: read it as such. */
          g_debug ("stream requested but the server answered with JSON");
          call->raw = g_byte_array_new ();
        }
      call->parser = admint_sse_parser_new (on_sse_event, task);
      admint_http_read_stream_async (response->stream, admint_http_response_get_length (response),
                                     self->options.first_byte_timeout_seconds,
                                     self->service, on_stream_chunk, task,
                                     g_task_get_cancellable (task), stream_done_cb,
                                     g_object_ref (task));
      return;
    }

  if (!parse_whole (task, response->body, &error))
    {
      call_failed (task, g_steal_pointer (&error));
      return;
    }
  finish_call (task);
}

/* A request to the API at url with this client's key, retries, timeout and name. */
static AdmintHttpRequest
api_request (AdmintChatClient *self,
             const char       *method,
             const char       *url)
{
  AdmintHttpRequest req = {
    .method = method,
    .url = url,
    .bearer = self->api_key,
    .retry = ADMINT_HTTP_RETRY_SAFE,
    .policy = self->options.retry,
    .timeout_seconds = self->options.first_byte_timeout_seconds,
    .service = self->service,
  };
  return req;
}

static void
send_call (GTask *task)
{
  AdmintChatClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) body = build_body (self, call);
  g_autofree char *url = admint_http_join_url (self->base_url, "chat/completions");
  AdmintHttpRequest req = api_request (self, "POST", url);

  req.body = body;
  req.stream = call->stream;
  g_string_truncate (call->content, 0);
  admint_http_send_async (self->session, &req, g_task_get_cancellable (task), sent_cb, task);
}

/* The end of every _finish of this client: the task's pointer, or NULL with error set. */
static gpointer
finish_pointer (AdmintChatClient  *self,
                GAsyncResult      *result,
                GError           **error)
{
  g_return_val_if_fail (ADMINT_IS_CHAT_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_call (AdmintChatClient    *self,
            AdmintChatRequest   *request,
            gboolean             stream,
            AdmintChatDeltaFunc  delta_func,
            gpointer             delta_data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, tag);
  g_task_set_check_cancellable (task, FALSE);
  call->request = admint_chat_request_ref (request);
  call->stream = stream;
  call->delta_func = delta_func;
  call->delta_data = delta_data;
  call->content = g_string_new (NULL);
  call->prompt_tokens = -1;
  call->completion_tokens = -1;
  call->format = request->schema ? self->format : ADMINT_CHAT_FORMAT_NONE;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  send_call (task);
}

void
admint_chat_client_complete_async (AdmintChatClient    *self,
                                   AdmintChatRequest   *request,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_CHAT_CLIENT (self));
  g_return_if_fail (request != NULL);

  start_call (self, request, FALSE, NULL, NULL, cancellable, callback, user_data,
              admint_chat_client_complete_async);
}

AdmintChatResult *
admint_chat_client_complete_finish (AdmintChatClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return finish_pointer (self, result, error);
}

void
admint_chat_client_stream_async (AdmintChatClient    *self,
                                 AdmintChatRequest   *request,
                                 AdmintChatDeltaFunc  delta_func,
                                 gpointer             delta_data,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_CHAT_CLIENT (self));
  g_return_if_fail (request != NULL);

  start_call (self, request, TRUE, delta_func, delta_data, cancellable, callback, user_data,
              admint_chat_client_stream_async);
}

AdmintChatResult *
admint_chat_client_stream_finish (AdmintChatClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return finish_pointer (self, result, error);
}

/* ---- models ---- */

static void
models_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintChatClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  JsonNode *root, *data = NULL;
  gsize len;
  const char *bytes;

  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bytes = g_bytes_get_data (response->body, &len);
  if (len > 0 && json_parser_load_from_data (parser, bytes, len, NULL) &&
      JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    data = json_object_get_member (json_node_get_object (root), "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("%s did not answer GET /models with a list of models. Check that "
                                 "the base URL points to an OpenAI-compatible server."),
                               self->service);
      return;
    }
  JsonArray *array = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (node) &&
          json_object_has_member (json_node_get_object (node), "id"))
        g_strv_builder_add (ids, json_object_get_string_member (json_node_get_object (node), "id"));
    }
  g_task_return_pointer (task, g_strv_builder_end (ids), (GDestroyNotify) g_strfreev);
}

void
admint_chat_client_list_models_async (AdmintChatClient    *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  g_autofree char *url = NULL;

  g_return_if_fail (ADMINT_IS_CHAT_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_chat_client_list_models_async);
  url = admint_http_join_url (self->base_url, "models");
  AdmintHttpRequest req = api_request (self, "GET", url);
  admint_http_send_async (self->session, &req, cancellable, models_cb, task);
}

GStrv
admint_chat_client_list_models_finish (AdmintChatClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  return finish_pointer (self, result, error);
}
