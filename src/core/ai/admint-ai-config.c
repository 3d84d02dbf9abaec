/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AI clients' options from the configuration (providers.*, prices.*, network.*). */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include "admint-chat-client.h"
#include "admint-config.h"
#include "admint-replicate-client.h"

static void
retry_from_config (AdmintRetryPolicy *retry,
                   AdmintConfig      *config)
{
  retry->max_retries = (guint) MAX (0, admint_config_get_int (config, "network.max_retries"));
  retry->backoff_initial_seconds = admint_config_get_double (config,
                                                             "network.backoff_initial_seconds");
  retry->backoff_max_seconds = admint_config_get_double (config, "network.backoff_max_seconds");
  retry->max_retry_after_seconds = admint_config_get_double (config,
                                                             "network.max_retry_after_seconds");
}

void
admint_chat_options_from_config (AdmintChatOptions *options,
                                 AdmintConfig      *config)
{
  JsonObject *extra;

  g_return_if_fail (options != NULL);
  g_return_if_fail (ADMINT_IS_CONFIG (config));

  *options = (AdmintChatOptions) ADMINT_CHAT_OPTIONS_INIT;
  options->base_url = admint_config_get_string (config, "providers.llm.base_url");
  options->model = admint_config_get_string (config, "providers.llm.model");
  options->vision_model = admint_config_get_string (config, "providers.llm.vision_model");
  options->first_byte_timeout_seconds =
    admint_config_get_double (config, "network.chat_first_byte_timeout_seconds");
  retry_from_config (&options->retry, config);
  options->input_per_1k_tokens = admint_config_get_double (config,
                                                           "prices.llm.input_per_1k_tokens");
  options->output_per_1k_tokens = admint_config_get_double (config,
                                                            "prices.llm.output_per_1k_tokens");
  extra = admint_config_get_object (config, "providers.llm.options");
  if (extra != NULL && json_object_has_member (extra, "temperature"))
    options->temperature = json_object_get_double_member (extra, "temperature");
}

/* A music model (providers.music.*): its waits are a video model's, it is priced per second
 * of music made, and its inputs go by our names. */
static void
music_options_from_config (AdmintReplicateOptions *options,
                           AdmintConfig           *config)
{
  *options = (AdmintReplicateOptions) ADMINT_REPLICATE_OPTIONS_INIT;
  options->kind = "music";
  options->base_url = admint_config_get_string (config, "providers.music.base_url");
  options->model = admint_config_get_string (config, "providers.music.model");
  retry_from_config (&options->retry, config);
  options->overall_timeout_seconds = admint_config_get_double (config,
                                                               "network.video_timeout_seconds");
  options->poll_interval_seconds = admint_config_get_double (config,
                                                             "network.poll_interval_image_seconds");
  options->poll_interval_max_seconds =
    admint_config_get_double (config, "network.poll_interval_video_max_seconds");
  options->download_max_bytes = (guint64) MAX (0, admint_config_get_int (config,
                                                 "network.download_max_bytes"));
  options->prices.per_second = admint_config_get_double (config, "prices.music.per_second");
}

void
admint_replicate_options_from_config (AdmintReplicateOptions *options,
                                      AdmintConfig           *config,
                                      const char             *kind)
{
  gboolean video;

  g_return_if_fail (options != NULL);
  g_return_if_fail (ADMINT_IS_CONFIG (config));
  g_return_if_fail (g_strcmp0 (kind, "images") == 0 || g_strcmp0 (kind, "video") == 0 ||
                    g_strcmp0 (kind, "music") == 0);

  if (g_str_equal (kind, "music"))
    {
      music_options_from_config (options, config);
      return;
    }
  video = g_str_equal (kind, "video");
  *options = (AdmintReplicateOptions) ADMINT_REPLICATE_OPTIONS_INIT;
  options->kind = video ? "video" : "images";
  options->base_url = admint_config_get_string (config, video ? "providers.video.base_url"
                                                              : "providers.images.base_url");
  options->model = admint_config_get_string (config, video ? "providers.video.model"
                                                           : "providers.images.model");
  retry_from_config (&options->retry, config);
  options->overall_timeout_seconds =
    admint_config_get_double (config, video ? "network.video_timeout_seconds"
                                            : "network.image_timeout_seconds");
  options->poll_interval_seconds = admint_config_get_double (config,
                                                             "network.poll_interval_image_seconds");
  options->poll_interval_max_seconds =
    video ? admint_config_get_double (config, "network.poll_interval_video_max_seconds")
          : options->poll_interval_seconds;
  options->download_max_bytes = (guint64) MAX (0, admint_config_get_int (config,
                                                 "network.download_max_bytes"));
  options->inline_image_max_bytes = (guint64) MAX (0, admint_config_get_int (config,
                                                     "network.inline_image_max_bytes"));
  options->inputs = admint_config_get_object (config, video ? "providers.video.inputs"
                                                            : "providers.images.inputs");
  options->options = admint_config_get_object (config, video ? "providers.video.options"
                                                             : "providers.images.options");
  if (video)
    {
      options->clip_seconds = admint_config_get_double (config, "providers.video.clip_seconds");
      options->prices.per_second = admint_config_get_double (config, "prices.video.per_second");
      options->prices.per_predict_second =
        admint_config_get_double (config, "prices.video.per_predict_second");
    }
  else
    options->prices.per_image = admint_config_get_double (config, "prices.images.per_image");
}
