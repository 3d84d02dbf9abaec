/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pipeline's providers over network services: agents on any OpenAI-compatible chat server,
 * images and clips from Replicate predictions. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-ai-error.h"
#include "admint-chat-client.h"
#include "admint-error.h"
#include "admint-json-schema.h"
#include "admint-keys.h"
#include "admint-remote-providers.h"
#include "admint-replicate-client.h"

/* ---- agent schemas ------------------------------------------------------------------------ */

static const struct { const char *agent; const char *schema; } agent_schemas[] = {
  { "director",
    "{\"type\":\"object\",\"required\":[\"title\",\"beats\"],\"properties\":{"
    "\"title\":{\"type\":\"string\"},\"logline\":{\"type\":\"string\"},"
    "\"call_to_action\":{\"type\":\"string\"},"
    "\"beats\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\","
    "\"required\":[\"beat\",\"text\"],\"properties\":{\"beat\":{\"type\":\"string\"},"
    "\"text\":{\"type\":\"string\",\"minLength\":1},\"seconds\":{\"type\":\"number\"}}}}}}" },
  { "critic",
    "{\"type\":\"object\",\"required\":[\"score\",\"reasons\"],\"properties\":{"
    "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":10},"
    "\"reasons\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"suggestions\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}" },
  { "scene_critic",
    "{\"type\":\"object\",\"required\":[\"score\",\"reasons\"],\"properties\":{"
    "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":10},"
    "\"reasons\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"suggestions\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}" },
  { "reference_analyst",
    "{\"type\":\"object\",\"required\":[\"subject\",\"palette\"],\"properties\":{"
    "\"subject\":{\"type\":\"string\"},\"character\":{\"type\":\"string\"},"
    "\"product\":{\"type\":\"string\"},\"style\":{\"type\":\"string\"},"
    "\"lighting\":{\"type\":\"string\"},\"consistency_notes\":{\"type\":\"string\"},"
    "\"palette\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}" },
  { "scene_writer",
    "{\"type\":\"object\",\"required\":[\"scenes\"],\"properties\":{\"scenes\":{"
    "\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\","
    "\"required\":[\"description\",\"duration\"],\"properties\":{"
    "\"description\":{\"type\":\"string\",\"minLength\":1},"
    "\"duration\":{\"type\":\"number\",\"minimum\":0.5},\"camera\":{\"type\":\"string\"},"
    "\"on_screen_text\":{\"type\":\"string\"}}}}}}" },
  { "cohesor",
    "{\"type\":\"object\",\"required\":[\"scenes\"],\"properties\":{\"scenes\":{"
    "\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"object\","
    "\"required\":[\"description\",\"duration\"],\"properties\":{"
    "\"description\":{\"type\":\"string\",\"minLength\":1},"
    "\"duration\":{\"type\":\"number\",\"minimum\":0.5},\"camera\":{\"type\":\"string\"},"
    "\"on_screen_text\":{\"type\":\"string\"}}}}}}" },
  { "intent",
    "{\"type\":\"object\",\"required\":[\"intent\"],\"properties\":{"
    "\"intent\":{\"type\":\"string\",\"enum\":[\"approve\",\"refine\",\"regenerate\","
    "\"edit_scene\",\"regenerate_scene\"]},\"scene\":{\"type\":[\"integer\",\"null\"]},"
    "\"feedback\":{\"type\":\"string\"}}}" },
  { "rephraser",
    "{\"type\":\"object\",\"required\":[\"prompt\"],\"properties\":{"
    "\"prompt\":{\"type\":\"string\",\"minLength\":1}}}" },
  { "line_shortener",
    "{\"type\":\"object\",\"required\":[\"line\"],\"properties\":{"
    "\"line\":{\"type\":\"string\",\"minLength\":1}}}" },
};

JsonNode *
admint_agent_schema (const char *agent)
{
  g_return_val_if_fail (agent != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (agent_schemas); i++)
    if (g_str_equal (agent_schemas[i].agent, agent))
      return json_from_string (agent_schemas[i].schema, NULL);
  return NULL;
}

/* Keys are wiped from memory when their provider goes. */
static void
clear_key (char **key)
{
  if (*key != NULL)
    memset (*key, 0, strlen (*key));
  g_clear_pointer (key, g_free);
}

/* ---- agents on a chat server -------------------------------------------------------------- */

struct _AdmintOpenaiLlm
{
  GObject           parent_instance;
  AdmintConfig     *config;
  AdmintChatClient *client;
  char             *key;
};

static void admint_openai_llm_iface_init (AdmintLlmProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintOpenaiLlm, admint_openai_llm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_LLM_PROVIDER,
                                                      admint_openai_llm_iface_init))

static const char *
openai_llm_get_name (AdmintLlmProvider *provider)
{
  return "openai";
}

static void
on_chat_complete (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  /* One finish serves both: a streamed call ends with the same result as a complete one. */
  AdmintChatResult *reply = admint_chat_client_complete_finish (ADMINT_CHAT_CLIENT (source), result,
                                                                &error);
  JsonNode *node;

  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  node = reply->json != NULL ? json_node_copy (reply->json)
                             : admint_json_extract_from_text (reply->content, &error);
  admint_chat_result_free (reply);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static const char *line_shortener_system =
  "You are the copywriter of a video ad. A voice-over line does not fit in its scene: write a "
  "shorter line that says the same thing in plain spoken English, within the word limit. Answer "
  "with one JSON object and nothing else.";

/* A streamed answer as it grows, for the request's delta function. */
typedef struct {
  GString              *text;
  AdmintAgentDeltaFunc  func;
  gpointer              data;
} Streamed;

static void
streamed_free (Streamed *streamed)
{
  g_string_free (streamed->text, TRUE);
  g_free (streamed);
}

static void
on_chat_delta (const char *delta,
               gpointer    user_data)
{
  Streamed *streamed = user_data;

  g_string_append (streamed->text, delta);
  streamed->func (streamed->text->str, streamed->data);
}

static const char *rephraser_system =
  "You rewrite prompts for a video generation model that refused them. Keep the scene, the "
  "product and the brand; remove or soften anything a content filter could object to. Answer "
  "with one JSON object and nothing else.";

static void
openai_llm_run_agent_async (AdmintLlmProvider   *provider,
                            AdmintAgentRequest  *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  AdmintOpenaiLlm *self = ADMINT_OPENAI_LLM (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(AdmintChatRequest) chat = admint_chat_request_new ();
  g_autoptr(JsonNode) schema = admint_agent_schema (request->agent);
  g_autofree char *system = NULL;
  g_autofree char *user = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, openai_llm_run_agent_async);

  if (g_str_equal (request->agent, "line_shortener"))
    {
      system = g_strdup (line_shortener_system);
      user = g_strdup_printf ("The line, too long to speak in %s seconds even a little faster:\n"
                              "%s\n\nRewrite it in at most %s words, keeping what it sells. "
                              "Reply as JSON: {\"line\": \"<the shorter line>\"}.",
                              (char *) g_hash_table_lookup (request->values, "seconds"),
                              (char *) g_hash_table_lookup (request->values, "line"),
                              (char *) g_hash_table_lookup (request->values, "max_words"));
    }
  else if (g_str_equal (request->agent, "rephraser"))
    {
      system = g_strdup (rephraser_system);
      user = g_strdup_printf ("The refused prompt:\n%s\n\nThe provider said: %s\n\nReply as "
                              "JSON: {\"prompt\": \"<the rewritten prompt>\"}.",
                              (char *) g_hash_table_lookup (request->values, "prompt"),
                              (char *) g_hash_table_lookup (request->values, "message"));
    }
  else
    {
      g_autoptr(AdmintPrompt) prompt = admint_config_get_prompt (self->config, request->agent);
      if (prompt == NULL ||
          (system = admint_prompt_render_system (prompt, request->values, &error)) == NULL ||
          (user = admint_prompt_render_user (prompt, request->values, &error)) == NULL)
        {
          if (error == NULL)
            error = g_error_new (ADMINT_ERROR, ADMINT_ERROR_FAILED, _("No prompt for agent %s"),
                                 request->agent);
          g_task_return_error (task, error);
          return;
        }
    }

  admint_chat_request_add_message (chat, "system", system);
  admint_chat_request_add_message (chat, "user", user);
  for (guint i = 0; i < request->images->len; i++)
    if (!admint_chat_request_add_image_file (chat, g_ptr_array_index (request->images, i),
                                             &error))
      {
        g_task_return_error (task, error);
        return;
      }
  if (schema != NULL)
    admint_chat_request_set_schema (chat, request->agent, schema);
  admint_chat_request_set_generation_id (chat, request->generation_id);
  admint_chat_request_set_operation (chat, request->agent);
  if (request->on_delta != NULL)
    {
      /* The text arrives as it is written; the task keeps what has come so far. */
      Streamed *streamed = g_new0 (Streamed, 1);
      streamed->text = g_string_new (NULL);
      streamed->func = request->on_delta;
      streamed->data = request->delta_data;
      g_task_set_task_data (task, streamed, (GDestroyNotify) streamed_free);
      admint_chat_client_stream_async (self->client, chat, on_chat_delta, streamed, cancellable,
                                       on_chat_complete, g_steal_pointer (&task));
      return;
    }
  admint_chat_client_complete_async (self->client, chat, cancellable, on_chat_complete,
                                     g_steal_pointer (&task));
}

static JsonNode *
openai_llm_run_agent_finish (AdmintLlmProvider  *provider,
                             GAsyncResult       *result,
                             GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
admint_openai_llm_iface_init (AdmintLlmProviderInterface *iface)
{
  iface->get_name = openai_llm_get_name;
  iface->run_agent_async = openai_llm_run_agent_async;
  iface->run_agent_finish = openai_llm_run_agent_finish;
}

static void
admint_openai_llm_finalize (GObject *object)
{
  AdmintOpenaiLlm *self = ADMINT_OPENAI_LLM (object);

  g_clear_object (&self->config);
  g_clear_object (&self->client);
  clear_key (&self->key);
  G_OBJECT_CLASS (admint_openai_llm_parent_class)->finalize (object);
}

static void
admint_openai_llm_class_init (AdmintOpenaiLlmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_openai_llm_finalize;
}

static void
admint_openai_llm_init (AdmintOpenaiLlm *self)
{
}

AdmintLlmProvider *
admint_openai_llm_new (AdmintConfig  *config,
                       AdmintStore   *store,
                       GError       **error)
{
  AdmintOpenaiLlm *self;
  AdmintChatOptions options = ADMINT_CHAT_OPTIONS_INIT;
  g_autoptr(GError) key_error = NULL;

  g_return_val_if_fail (ADMINT_IS_CONFIG (config), NULL);

  self = g_object_new (ADMINT_TYPE_OPENAI_LLM, NULL);
  self->config = g_object_ref (config);
  /* Local servers (Ollama, llama.cpp) need no key, so a missing one is not an error here;
   * the server says so if it wants one. */
  self->key = admint_keys_lookup_sync ("openai", NULL, &key_error);
  /* issue 14: a key that is set but unusable (a line break in OPENAI_API_KEY) is reported. */
  if (g_error_matches (key_error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT))
    {
      g_propagate_error (error, g_steal_pointer (&key_error));
      g_object_unref (self);
      return NULL;
    }
  admint_chat_options_from_config (&options, config);
  options.api_key = self->key;
  self->client = admint_chat_client_new (admint_http_session_get_default (), &options);
  if (store != NULL)
    admint_chat_client_set_store (self->client, store);
  (void) error;
  return ADMINT_LLM_PROVIDER (self);
}

/* ---- Replicate: shared -------------------------------------------------------------------- */

static char *
replicate_key (GError **error)
{
  g_autoptr(GError) local_error = NULL;
  char *key = admint_keys_lookup_sync ("replicate", NULL, &local_error);

  /* issue 14: a token that is set but unusable says so itself. */
  if (g_error_matches (local_error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (key == NULL || *key == '\0')
    {
      g_free (key);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   _("Replicate needs an API token: run `admint keys set replicate` (it reads the "
                   "token from stdin) or set REPLICATE_API_TOKEN, or choose the local provider "
                   "with --images local --video local.%s%s"),
                   local_error ? " Keyring: " : "", local_error ? local_error->message : "");
      return NULL;
    }
  return key;
}

/* What the Replicate image and video providers both hold. */
typedef struct {
  AdmintConfig *config;
  AdmintStore  *store;
  char         *key;
} ReplicateCommon;

static gboolean
replicate_common_init (ReplicateCommon  *common,
                       AdmintConfig     *config,
                       AdmintStore      *store,
                       GError          **error)
{
  common->key = replicate_key (error);
  if (common->key == NULL)
    return FALSE;
  common->config = g_object_ref (config);
  common->store = store ? g_object_ref (store) : NULL;
  return TRUE;
}

static void
replicate_common_clear (ReplicateCommon *common)
{
  g_clear_object (&common->config);
  g_clear_object (&common->store);
  clear_key (&common->key);
}

typedef struct {
  AdmintReplicateClient *client;
  char                  *output_path;
  char                  *prediction_id;
  AdmintClipRequest     *clip;       /* borrowed, video only */
  gulong                 created_id;
  gulong                 progress_id;
  AdmintReplicateInput  *input;      /* images: made again when a prediction failed */
  AdmintRetryPolicy      retry;
  guint                  attempts;
  char                  *clip_key;   /* video: "generation/scene" */
  AdmintImagePredictionFunc on_image_prediction;  /* images: the request's, copied */
  gpointer               image_data;
} PredictionCall;

static void
prediction_call_free (PredictionCall *call)
{
  if (call->client != NULL)
    {
      g_clear_signal_handler (&call->created_id, call->client);
      g_clear_signal_handler (&call->progress_id, call->client);
    }
  g_clear_object (&call->client);
  g_free (call->output_path);
  g_free (call->prediction_id);
  g_clear_pointer (&call->input, admint_replicate_input_unref);
  g_free (call->clip_key);
  g_free (call);
}

static void
on_prediction_created (AdmintReplicateClient *client,
                       const char            *prediction_id,
                       const char            *generation_id,
                       gpointer               user_data)
{
  PredictionCall *call = user_data;

  g_free (call->prediction_id);
  call->prediction_id = g_strdup (prediction_id);
  if (call->clip != NULL && call->clip->on_prediction != NULL)
    call->clip->on_prediction (prediction_id, call->clip->callback_data);
  if (call->on_image_prediction != NULL)
    call->on_image_prediction (prediction_id, call->image_data);
}

static void
on_prediction_progress (AdmintReplicateClient *client,
                        const char            *prediction_id,
                        double                 fraction,
                        gpointer               user_data)
{
  PredictionCall *call = user_data;

  if (call->clip != NULL && call->clip->on_progress != NULL)
    call->clip->on_progress (fraction, call->clip->callback_data);
}

/* TRUE: took ERROR and saw to TASK (borrowed: a handler that keeps it takes a reference);
 * FALSE: the failure goes to the caller as it is. */
typedef gboolean (*PredictionErrorFunc) (GTask  *task,
                                         GError *error);
typedef void     (*PredictionDoneFunc)  (GTask  *task);

/* Moves the first output to where the pipeline wants it. */
static void
on_prediction_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PredictionCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  AdmintPredictionResult *prediction;
  gboolean resumed = g_task_get_source_tag (task) == (gpointer) on_prediction_done;

  prediction = resumed ? admint_replicate_client_resume_finish (call->client, result, &error)
                       : admint_replicate_client_predict_finish (call->client, result, &error);
  if (prediction == NULL)
    {
      PredictionErrorFunc handle = g_object_get_data (G_OBJECT (task), "on-error");
      if (handle != NULL && handle (task, error))
        return;
      g_task_return_error (task, error);
      return;
    }
  {
    PredictionDoneFunc done = g_object_get_data (G_OBJECT (task), "on-done");
    if (done != NULL)
      done (task);
  }
  if (prediction->files == NULL || prediction->files[0] == NULL)
    {
      admint_prediction_result_free (prediction);
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("Replicate's prediction %s finished with no output file."),
                               call->prediction_id ? call->prediction_id : "");
      return;
    }
  /* Recorded with the prediction too: a resume after a kill uses the file (issue 14). */
  if (call->output_path != NULL &&
      !admint_replicate_client_move_output (call->client, prediction->id, prediction->files[0],
                                            call->output_path, &error))
    {
      g_task_return_error (task, error);
      admint_prediction_result_free (prediction);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "path",
                          g_strdup (call->output_path ? call->output_path
                                                      : prediction->files[0]), g_free);
  double *cost = g_new (double, 1);
  *cost = prediction->cost_usd;
  admint_prediction_result_free (prediction);
  g_task_return_pointer (task, cost, g_free);
}

/* ---- Replicate images ------------------------------------------------------------------------ */

struct _AdmintReplicateImage
{
  GObject          parent_instance;
  ReplicateCommon  common;
};

static void admint_replicate_image_iface_init (AdmintImageProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintReplicateImage, admint_replicate_image, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_IMAGE_PROVIDER,
                                                      admint_replicate_image_iface_init))

static AdmintReplicateClient *
make_client (ReplicateCommon *common,
             const char      *kind,
             const char      *output_dir)
{
  AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;
  AdmintReplicateClient *client;

  admint_replicate_options_from_config (&options, common->config, kind);
  options.api_key = common->key;
  options.output_dir = output_dir;
  client = admint_replicate_client_new (admint_http_session_get_default (), &options);
  if (common->store != NULL)
    admint_replicate_client_set_store (client, common->store);
  return client;
}

static const char *
replicate_image_get_name (AdmintImageProvider *provider)
{
  return "replicate";
}

static void replicate_image_generate_async (AdmintImageProvider *provider,
                                            AdmintImageRequest  *request,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

static void
image_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PredictionCall *call = g_task_get_task_data (task);
  GError *error = NULL;

  if (!admint_ai_sleep_finish (result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_clear_pointer (&call->prediction_id, g_free);
  /* A new prediction now, whether the last one was made in this run or followed after one. */
  g_task_set_source_tag (task, replicate_image_generate_async);
  admint_replicate_client_predict_async (call->client, call->input, g_task_get_cancellable (task),
                                         on_prediction_done, task);
}

/* A reference image whose prediction ended badly (failed on the service, or an output that
 * could not be downloaded whole) is made again, with backoff, up to network.max_retries
 * times. A prediction that may still run, a refusal, a key or quota problem are not. One
 * followed after a restart that the service cancelled or no longer knows is over too. */
static gboolean
image_failed (GTask  *task,
              GError *error)
{
  PredictionCall *call = g_task_get_task_data (task);
  gboolean followed = g_task_get_source_tag (task) == (gpointer) on_prediction_done;
  gboolean ended = call->prediction_id != NULL &&
                   (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR) ||
                    g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE) ||
                    (followed &&
                     (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED) ||
                      g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND))));
  /* A create with no readable answer whose prediction was not found: the next attempt looks
   * for it again before making another (issue 14), so it is safe to try. */
  gboolean create_lost = call->prediction_id == NULL && !followed &&
                         (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR) ||
                          g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE) ||
                          g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT) ||
                          g_error_matches (error, ADMINT_AI_ERROR,
                                           ADMINT_AI_ERROR_NETWORK_UNREACHABLE));
  double wait;

  if ((!ended && !create_lost) || call->attempts > call->retry.max_retries ||
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  wait = admint_retry_policy_backoff (&call->retry, call->attempts - 1);
  call->attempts++;
  g_message ("A reference image failed (%s); making it again in %.1f s", error->message, wait);
  g_error_free (error);
  admint_ai_sleep_async (wait, g_task_get_cancellable (task), image_wait_cb,
                         g_object_ref (task));
  return TRUE;
}

static void
replicate_image_generate_async (AdmintImageProvider *provider,
                                AdmintImageRequest  *request,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  AdmintReplicateImage *self = ADMINT_REPLICATE_IMAGE (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PredictionCall *call = g_new0 (PredictionCall, 1);
  AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;

  g_task_set_source_tag (task, replicate_image_generate_async);
  g_mkdir_with_parents (request->output_dir, 0700);
  call->client = make_client (&self->common, "images", request->output_dir);
  call->created_id = g_signal_connect (call->client, "prediction-created",
                                       G_CALLBACK (on_prediction_created), call);
  admint_replicate_options_from_config (&options, self->common.config, "images");
  call->retry = options.retry;
  call->attempts = 1;
  g_task_set_task_data (task, call, (GDestroyNotify) prediction_call_free);
  g_object_set_data (G_OBJECT (task), "on-error", image_failed);
  call->on_image_prediction = request->on_prediction;
  call->image_data = request->callback_data;

  call->input = admint_replicate_input_new ();
  admint_replicate_input_set_string (call->input, "prompt", request->prompt);
  admint_replicate_input_set_string (call->input, "aspect_ratio", request->aspect);
  for (guint i = 0; i < request->input_images->len; i++)
    admint_replicate_input_add_file (call->input, "input_images",
                                     g_ptr_array_index (request->input_images, i));
  admint_replicate_input_set_generation_id (call->input, request->generation_id);
  if (request->prediction_id != NULL)
    {
      /* Paid for before a restart (issue 14): follow it, never create another while it may
       * still finish. The input stays ready in case it turns out to have failed. */
      g_message ("Following the reference image's prediction %s instead of making a new one",
                 request->prediction_id);
      g_task_set_source_tag (task, on_prediction_done);
      call->prediction_id = g_strdup (request->prediction_id);
      admint_replicate_client_resume_async (call->client, request->prediction_id,
                                            request->generation_id, cancellable,
                                            on_prediction_done, task);
      return;
    }
  admint_replicate_client_predict_async (call->client, call->input, cancellable,
                                         on_prediction_done, task);
}

static char *
replicate_image_generate_finish (AdmintImageProvider  *provider,
                                 GAsyncResult         *result,
                                 double               *cost_usd,
                                 GError              **error)
{
  g_autofree double *cost = g_task_propagate_pointer (G_TASK (result), error);

  if (cost == NULL)
    return NULL;
  if (cost_usd != NULL)
    *cost_usd = *cost;
  return g_strdup (g_object_get_data (G_OBJECT (result), "path"));
}

static void
admint_replicate_image_iface_init (AdmintImageProviderInterface *iface)
{
  iface->get_name = replicate_image_get_name;
  iface->generate_async = replicate_image_generate_async;
  iface->generate_finish = replicate_image_generate_finish;
}

static void
admint_replicate_image_finalize (GObject *object)
{
  replicate_common_clear (&ADMINT_REPLICATE_IMAGE (object)->common);
  G_OBJECT_CLASS (admint_replicate_image_parent_class)->finalize (object);
}

static void
admint_replicate_image_class_init (AdmintReplicateImageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_replicate_image_finalize;
}

static void
admint_replicate_image_init (AdmintReplicateImage *self)
{
}

AdmintImageProvider *
admint_replicate_image_new (AdmintConfig  *config,
                            AdmintStore   *store,
                            GError       **error)
{
  g_autoptr(AdmintReplicateImage) self = g_object_new (ADMINT_TYPE_REPLICATE_IMAGE, NULL);

  if (!replicate_common_init (&self->common, config, store, error))
    return NULL;
  return ADMINT_IMAGE_PROVIDER (g_steal_pointer (&self));
}

/* ---- Replicate video ------------------------------------------------------------------------- */

struct _AdmintReplicateVideo
{
  GObject          parent_instance;
  ReplicateCommon  common;
  /* "generation/scene" -> the id of a prediction we lost touch with: it may still finish,
   * so the clip's next attempt follows it instead of paying for a new one. */
  GHashTable      *outstanding;
  /* "generation/scene" -> failed attempts in a row, for the backoff before the next. */
  GHashTable      *failures;
};

static void admint_replicate_video_iface_init (AdmintVideoProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintReplicateVideo, admint_replicate_video, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_VIDEO_PROVIDER,
                                                      admint_replicate_video_iface_init))

static const char *
replicate_video_get_name (AdmintVideoProvider *provider)
{
  return "replicate";
}

static double
replicate_video_get_max_clip_seconds (AdmintVideoProvider *provider)
{
  return admint_config_get_double (ADMINT_REPLICATE_VIDEO (provider)->common.config,
                                   "providers.video.clip_seconds");
}

static gboolean
replicate_video_takes_first_frame (AdmintVideoProvider *provider)
{
  return admint_config_get_boolean (ADMINT_REPLICATE_VIDEO (provider)->common.config,
                                    "providers.video.takes_first_frame");
}

static double
replicate_video_estimate_cost (AdmintVideoProvider *provider,
                               double               seconds)
{
  AdmintConfig *config = ADMINT_REPLICATE_VIDEO (provider)->common.config;
  double per_second = admint_config_get_double (config, "prices.video.per_second");
  double per_predict = admint_config_get_double (config, "prices.video.per_predict_second");

  /* Predict time is unknown in advance; a clip takes about its own length to predict at least. */
  return seconds * MAX (per_second, per_predict);
}

static void replicate_video_generate_async (AdmintVideoProvider *provider,
                                            AdmintClipRequest   *request,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

/* Remembers how a clip's prediction ended, for the clip's next attempt. */
static gboolean
video_failed (GTask  *task,
              GError *error)
{
  AdmintReplicateVideo *self = g_task_get_source_object (task);
  PredictionCall *call = g_task_get_task_data (task);
  guint failures = GPOINTER_TO_UINT (g_hash_table_lookup (self->failures, call->clip_key));

  if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_STILL_RUNNING) &&
      call->prediction_id != NULL)
    g_hash_table_replace (self->outstanding, g_strdup (call->clip_key),
                          g_strdup (call->prediction_id));
  else
    g_hash_table_remove (self->outstanding, call->clip_key);
  g_hash_table_replace (self->failures, g_strdup (call->clip_key),
                        GUINT_TO_POINTER (failures + 1));
  return FALSE;
}

static void
video_done (GTask *task)
{
  AdmintReplicateVideo *self = g_task_get_source_object (task);
  PredictionCall *call = g_task_get_task_data (task);

  g_hash_table_remove (self->outstanding, call->clip_key);
  g_hash_table_remove (self->failures, call->clip_key);
}

static void
follow_prediction (GTask      *task,
                   const char *prediction_id)
{
  PredictionCall *call = g_task_get_task_data (task);
  AdmintClipRequest *request = call->clip;

  g_task_set_source_tag (task, on_prediction_done);
  g_free (call->prediction_id);
  call->prediction_id = g_strdup (prediction_id);
  admint_replicate_client_resume_async (call->client, prediction_id, request->generation_id,
                                        g_task_get_cancellable (task), on_prediction_done, task);
}

static void
create_clip (GTask *task)
{
  PredictionCall *call = g_task_get_task_data (task);
  AdmintClipRequest *request = call->clip;
  g_autoptr(AdmintReplicateInput) input = admint_replicate_input_new ();

  g_task_set_source_tag (task, replicate_video_generate_async);
  admint_replicate_input_set_string (input, "prompt", request->prompt);
  if (request->negative_prompt != NULL)
    admint_replicate_input_set_string (input, "negative_prompt", request->negative_prompt);
  if (request->first_frame != NULL)
    admint_replicate_input_add_file (input, "first_frame", request->first_frame);
  admint_replicate_input_set_int (input, "duration", (gint64) (request->duration + 0.5));
  admint_replicate_input_set_string (input, "aspect_ratio", request->aspect);
  admint_replicate_input_set_string (input, "resolution", request->resolution);
  admint_replicate_input_set_int (input, "seed", request->seed);
  admint_replicate_input_set_generation_id (input, request->generation_id);
  admint_replicate_client_predict_async (call->client, input, g_task_get_cancellable (task),
                                         on_prediction_done, task);
}

static void
clip_wait_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!admint_ai_sleep_finish (result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  create_clip (task);
}

static void
replicate_video_generate_async (AdmintVideoProvider *provider,
                                AdmintClipRequest   *request,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  AdmintReplicateVideo *self = ADMINT_REPLICATE_VIDEO (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PredictionCall *call = g_new0 (PredictionCall, 1);
  g_autofree char *dir = g_path_get_dirname (request->output_path);
  const char *outstanding;
  guint failures;

  call->client = make_client (&self->common, "video", dir);
  call->output_path = g_strdup (request->output_path);
  call->clip = request;
  call->clip_key = g_strdup_printf ("%s/%d", request->generation_id ? request->generation_id
                                                                     : "", request->index);
  call->created_id = g_signal_connect (call->client, "prediction-created",
                                       G_CALLBACK (on_prediction_created), call);
  call->progress_id = g_signal_connect (call->client, "progress",
                                        G_CALLBACK (on_prediction_progress), call);
  g_task_set_task_data (task, call, (GDestroyNotify) prediction_call_free);
  g_object_set_data (G_OBJECT (task), "on-error", video_failed);
  g_object_set_data (G_OBJECT (task), "on-done", video_done);

  if (request->prediction_id != NULL)
    {
      /* Paid for before a restart: poll it, never create another. */
      follow_prediction (task, request->prediction_id);
      return;
    }
  outstanding = g_hash_table_lookup (self->outstanding, call->clip_key);
  if (outstanding != NULL)
    {
      /* A prediction of this clip we lost touch with may still finish: it is the clip's. */
      g_message ("Following the prediction %s again instead of making a new clip",
                 outstanding);
      if (request->on_prediction != NULL)
        request->on_prediction (outstanding, request->callback_data);
      follow_prediction (task, outstanding);
      return;
    }
  failures = GPOINTER_TO_UINT (g_hash_table_lookup (self->failures, call->clip_key));
  if (failures > 0)
    {
      AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;
      double wait;

      /* A clip that just failed waits before its next attempt: a short outage should not use
       * up every attempt at once. */
      admint_replicate_options_from_config (&options, self->common.config, "video");
      wait = admint_retry_policy_backoff (&options.retry, failures - 1);
      admint_ai_sleep_async (wait, cancellable, clip_wait_cb, task);
      return;
    }
  create_clip (task);
}

static gboolean
replicate_video_generate_finish (AdmintVideoProvider  *provider,
                                 GAsyncResult         *result,
                                 double               *cost_usd,
                                 GError              **error)
{
  g_autofree double *cost = g_task_propagate_pointer (G_TASK (result), error);

  if (cost == NULL)
    return FALSE;
  if (cost_usd != NULL)
    *cost_usd = *cost;
  return TRUE;
}

static void
admint_replicate_video_iface_init (AdmintVideoProviderInterface *iface)
{
  iface->get_name = replicate_video_get_name;
  iface->get_max_clip_seconds = replicate_video_get_max_clip_seconds;
  iface->takes_first_frame = replicate_video_takes_first_frame;
  iface->estimate_cost = replicate_video_estimate_cost;
  iface->generate_async = replicate_video_generate_async;
  iface->generate_finish = replicate_video_generate_finish;
}

static void
admint_replicate_video_finalize (GObject *object)
{
  AdmintReplicateVideo *self = ADMINT_REPLICATE_VIDEO (object);

  g_clear_pointer (&self->outstanding, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  replicate_common_clear (&self->common);
  G_OBJECT_CLASS (admint_replicate_video_parent_class)->finalize (object);
}

static void
admint_replicate_video_class_init (AdmintReplicateVideoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_replicate_video_finalize;
}

static void
admint_replicate_video_init (AdmintReplicateVideo *self)
{
  self->outstanding = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

AdmintVideoProvider *
admint_replicate_video_new (AdmintConfig  *config,
                            AdmintStore   *store,
                            GError       **error)
{
  g_autoptr(AdmintReplicateVideo) self = g_object_new (ADMINT_TYPE_REPLICATE_VIDEO, NULL);

  if (!replicate_common_init (&self->common, config, store, error))
    return NULL;
  return ADMINT_VIDEO_PROVIDER (g_steal_pointer (&self));
}
