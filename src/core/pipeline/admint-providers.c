/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The three provider roles of the pipeline — text agents, images, video clips — as GInterfaces,
 * so the local, OpenAI-compatible and Replicate implementations are interchangeable. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-providers.h"

/* ---- requests ----------------------------------------------------------------------------- */

AdmintAgentRequest *
admint_agent_request_new (const char *agent,
                          const char *generation_id)
{
  AdmintAgentRequest *request = g_new0 (AdmintAgentRequest, 1);

  g_return_val_if_fail (agent != NULL, NULL);

  request->agent = g_strdup (agent);
  request->generation_id = g_strdup (generation_id);
  request->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  request->context = json_object_new ();
  request->images = g_ptr_array_new_with_free_func (g_free);
  return request;
}

void
admint_agent_request_free (AdmintAgentRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->agent);
  g_free (request->generation_id);
  g_clear_pointer (&request->values, g_hash_table_unref);
  g_clear_pointer (&request->context, json_object_unref);
  g_clear_pointer (&request->images, g_ptr_array_unref);
  g_free (request);
}

/* Sets a placeholder value and the same fact in the JSON context. */
void
admint_agent_request_set (AdmintAgentRequest *request,
                          const char         *name,
                          const char         *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);

  g_hash_table_insert (request->values, g_strdup (name), g_strdup (value ? value : ""));
  json_object_set_string_member (request->context, name, value ? value : "");
}

AdmintImageRequest *
admint_image_request_new (void)
{
  AdmintImageRequest *request = g_new0 (AdmintImageRequest, 1);

  request->input_images = g_ptr_array_new_with_free_func (g_free);
  request->aspect = g_strdup ("16:9");
  return request;
}

void
admint_image_request_free (AdmintImageRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->prompt);
  g_clear_pointer (&request->input_images, g_ptr_array_unref);
  g_free (request->aspect);
  g_strfreev (request->palette);
  g_free (request->title);
  g_free (request->tagline);
  g_free (request->output_dir);
  g_free (request->generation_id);
  g_free (request->prediction_id);
  g_free (request);
}

AdmintClipRequest *
admint_clip_request_new (void)
{
  AdmintClipRequest *request = g_new0 (AdmintClipRequest, 1);

  request->images = g_ptr_array_new_with_free_func (g_free);
  request->aspect = g_strdup ("16:9");
  request->resolution = g_strdup ("720p");
  return request;
}

void
admint_clip_request_free (AdmintClipRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->prompt);
  g_free (request->negative_prompt);
  g_free (request->first_frame);
  g_clear_pointer (&request->images, g_ptr_array_unref);
  g_free (request->logo);
  g_free (request->camera);
  g_free (request->on_screen_text);
  g_free (request->scene_json);
  g_strfreev (request->palette);
  g_free (request->product_name);
  g_free (request->tagline);
  g_free (request->aspect);
  g_free (request->resolution);
  g_free (request->output_path);
  g_free (request->prediction_id);
  g_free (request->generation_id);
  g_free (request);
}

/* ---- interfaces --------------------------------------------------------------------------- */

G_DEFINE_INTERFACE (AdmintLlmProvider, admint_llm_provider, G_TYPE_OBJECT)

static void
admint_llm_provider_default_init (AdmintLlmProviderInterface *iface)
{
}

const char *
admint_llm_provider_get_name (AdmintLlmProvider *self)
{
  g_return_val_if_fail (ADMINT_IS_LLM_PROVIDER (self), NULL);
  return ADMINT_LLM_PROVIDER_GET_IFACE (self)->get_name (self);
}

void
admint_llm_provider_run_agent_async (AdmintLlmProvider   *self,
                                     AdmintAgentRequest  *request,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_LLM_PROVIDER (self));
  g_return_if_fail (request != NULL);
  ADMINT_LLM_PROVIDER_GET_IFACE (self)->run_agent_async (self, request, cancellable, callback,
                                                         user_data);
}

JsonNode *
admint_llm_provider_run_agent_finish (AdmintLlmProvider  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (ADMINT_IS_LLM_PROVIDER (self), NULL);
  return ADMINT_LLM_PROVIDER_GET_IFACE (self)->run_agent_finish (self, result, error);
}

G_DEFINE_INTERFACE (AdmintImageProvider, admint_image_provider, G_TYPE_OBJECT)

static void
admint_image_provider_default_init (AdmintImageProviderInterface *iface)
{
}

const char *
admint_image_provider_get_name (AdmintImageProvider *self)
{
  g_return_val_if_fail (ADMINT_IS_IMAGE_PROVIDER (self), NULL);
  return ADMINT_IMAGE_PROVIDER_GET_IFACE (self)->get_name (self);
}

void
admint_image_provider_generate_async (AdmintImageProvider *self,
                                      AdmintImageRequest  *request,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_IMAGE_PROVIDER (self));
  g_return_if_fail (request != NULL);
  ADMINT_IMAGE_PROVIDER_GET_IFACE (self)->generate_async (self, request, cancellable, callback,
                                                          user_data);
}

char *
admint_image_provider_generate_finish (AdmintImageProvider  *self,
                                       GAsyncResult         *result,
                                       double               *cost_usd,
                                       GError              **error)
{
  g_return_val_if_fail (ADMINT_IS_IMAGE_PROVIDER (self), NULL);
  return ADMINT_IMAGE_PROVIDER_GET_IFACE (self)->generate_finish (self, result, cost_usd, error);
}

G_DEFINE_INTERFACE (AdmintVideoProvider, admint_video_provider, G_TYPE_OBJECT)

static void
admint_video_provider_default_init (AdmintVideoProviderInterface *iface)
{
}

const char *
admint_video_provider_get_name (AdmintVideoProvider *self)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_PROVIDER (self), NULL);
  return ADMINT_VIDEO_PROVIDER_GET_IFACE (self)->get_name (self);
}

double
admint_video_provider_get_max_clip_seconds (AdmintVideoProvider *self)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_PROVIDER (self), 0);
  return ADMINT_VIDEO_PROVIDER_GET_IFACE (self)->get_max_clip_seconds (self);
}

gboolean
admint_video_provider_takes_first_frame (AdmintVideoProvider *self)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_PROVIDER (self), FALSE);
  return ADMINT_VIDEO_PROVIDER_GET_IFACE (self)->takes_first_frame (self);
}

double
admint_video_provider_estimate_cost (AdmintVideoProvider *self,
                                     double               seconds)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_PROVIDER (self), 0);
  return ADMINT_VIDEO_PROVIDER_GET_IFACE (self)->estimate_cost (self, seconds);
}

void
admint_video_provider_generate_async (AdmintVideoProvider *self,
                                      AdmintClipRequest   *request,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (ADMINT_IS_VIDEO_PROVIDER (self));
  g_return_if_fail (request != NULL);
  ADMINT_VIDEO_PROVIDER_GET_IFACE (self)->generate_async (self, request, cancellable, callback,
                                                          user_data);
}

gboolean
admint_video_provider_generate_finish (AdmintVideoProvider  *self,
                                       GAsyncResult         *result,
                                       double               *cost_usd,
                                       GError              **error)
{
  g_return_val_if_fail (ADMINT_IS_VIDEO_PROVIDER (self), FALSE);
  return ADMINT_VIDEO_PROVIDER_GET_IFACE (self)->generate_finish (self, result, cost_usd, error);
}
