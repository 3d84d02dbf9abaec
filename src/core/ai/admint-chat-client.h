/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client of any OpenAI-compatible /chat/completions server: text, images, JSON, streaming. */
#pragma once

#include <json-glib/json-glib.h>

#include "admint-http.h"

G_BEGIN_DECLS

typedef struct _AdmintStore AdmintStore;
typedef struct _AdmintConfig AdmintConfig;

/* Everything the client needs, so that it works (and is tested) without a config. Strings
 * are copied by admint_chat_client_new. */
typedef struct {
  const char        *base_url;                   /* "https://api.openai.com/v1" */
  const char        *model;
  const char        *vision_model;               /* for requests with images; NULL: model */
  const char        *api_key;                    /* NULL: none (local servers need none) */
  double             first_byte_timeout_seconds; /* also the longest silence mid-stream */
  AdmintRetryPolicy  retry;
  double             input_per_1k_tokens;        /* USD, prices.llm.* */
  double             output_per_1k_tokens;
  double             temperature;                /* < 0: the server's default */
  const char        *provider;                   /* for the usage table: "openai" */
} AdmintChatOptions;

#define ADMINT_CHAT_OPTIONS_INIT \
  { "https://api.openai.com/v1", "gpt-4o-mini", NULL, NULL, 30.0, ADMINT_RETRY_POLICY_INIT, \
    0.0, 0.0, -1.0, "openai" }

/* Fills OPTIONS from providers.llm.*, prices.llm.* and network.*; the strings belong to
 * CONFIG. The key is not in the config: set options->api_key from admint_keys_lookup_*. */
void admint_chat_options_from_config (AdmintChatOptions *options,
                                      AdmintConfig      *config);

/* Which form of structured output the server accepted. */
typedef enum {
  ADMINT_CHAT_FORMAT_JSON_SCHEMA,  /* response_format json_schema */
  ADMINT_CHAT_FORMAT_JSON_OBJECT,  /* response_format json_object, schema in the prompt */
  ADMINT_CHAT_FORMAT_TEXT,         /* no response_format: JSON from a fenced block */
  ADMINT_CHAT_FORMAT_NONE,         /* the request had no schema */
} AdmintChatFormat;

/* ---- a request ---- */

typedef struct _AdmintChatRequest AdmintChatRequest;

GType               admint_chat_request_get_type       (void) G_GNUC_CONST;
AdmintChatRequest  *admint_chat_request_new            (void);
AdmintChatRequest  *admint_chat_request_ref            (AdmintChatRequest *request);
void                admint_chat_request_unref          (AdmintChatRequest *request);
/* Appends a message ROLE ("system", "user", "assistant") holding TEXT. */
void                admint_chat_request_add_message    (AdmintChatRequest *request,
                                                        const char        *role,
                                                        const char        *text);
/* Appends an image part to the last user message (starting one if needed). DATA_URL is a
 * data: URL, see admint_ai_image_data_url(); the request then uses the vision model. */
void                admint_chat_request_add_image_url  (AdmintChatRequest *request,
                                                        const char        *data_url);
/* The same from a file: downscaled to 1024 px on the long side (blocks while decoding). */
gboolean            admint_chat_request_add_image_file (AdmintChatRequest *request,
                                                        const char        *path,
                                                        GError           **error);
/* Asks for JSON matching SCHEMA (a JSON Schema object); NAME: [a-zA-Z0-9_-]. */
void                admint_chat_request_set_schema     (AdmintChatRequest *request,
                                                        const char        *name,
                                                        JsonNode          *schema);
void                admint_chat_request_set_max_tokens (AdmintChatRequest *request,
                                                        guint              max_tokens);
/* Recorded with the usage: the generation it is for, and the operation ("story.critic"). */
void                admint_chat_request_set_generation_id (AdmintChatRequest *request,
                                                           const char        *generation_id);
void                admint_chat_request_set_operation  (AdmintChatRequest *request,
                                                        const char        *operation);

/* ---- a result ---- */

typedef struct {
  char             *content;           /* the whole text of the reply */
  JsonNode         *json;              /* parsed and validated, when the request had a schema */
  char             *model;             /* as the server reported it */
  char             *finish_reason;
  gint64            prompt_tokens;     /* -1 when the server did not say */
  gint64            completion_tokens;
  double            cost_usd;
  AdmintChatFormat  format;
} AdmintChatResult;

void admint_chat_result_free (AdmintChatResult *result);

/* ---- the client ---- */

#define ADMINT_TYPE_CHAT_CLIENT (admint_chat_client_get_type ())
G_DECLARE_FINAL_TYPE (AdmintChatClient, admint_chat_client, ADMINT, CHAT_CLIENT, GObject)

/* SESSION: NULL for admint_http_session_get_default(). Signals:
 *   "usage" (const char *provider, const char *model, const char *operation, double units,
 *            double cost_usd, const char *generation_id) after every call that used tokens. */
AdmintChatClient *admint_chat_client_new           (SoupSession             *session,
                                                    const AdmintChatOptions *options);
/* Every call's usage is also recorded in STORE's usage table (NULL: not recorded). */
void              admint_chat_client_set_store     (AdmintChatClient        *self,
                                                    AdmintStore             *store);
/* The structured-output form the server accepted last (the next request starts there). */
AdmintChatFormat  admint_chat_client_get_format    (AdmintChatClient        *self);

void              admint_chat_client_complete_async  (AdmintChatClient    *self,
                                                      AdmintChatRequest   *request,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AdmintChatResult *admint_chat_client_complete_finish (AdmintChatClient    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Streams the reply: DELTA_FUNC gets each piece of text as it arrives (on the main loop). */
typedef void    (*AdmintChatDeltaFunc)               (const char          *delta,
                                                      gpointer             user_data);
void              admint_chat_client_stream_async    (AdmintChatClient    *self,
                                                      AdmintChatRequest   *request,
                                                      AdmintChatDeltaFunc  delta_func,
                                                      gpointer             delta_data,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AdmintChatResult *admint_chat_client_stream_finish   (AdmintChatClient    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* GET {base}/models: the ids the server offers (a cheap check of URL and key). */
void              admint_chat_client_list_models_async  (AdmintChatClient    *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GStrv             admint_chat_client_list_models_finish (AdmintChatClient    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintChatRequest, admint_chat_request_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintChatResult, admint_chat_result_free)

G_END_DECLS
