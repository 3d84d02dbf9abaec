/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Makes the providers a configuration selects: local, openai, replicate. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <string.h>

#include "admint-error.h"
#include "admint-local-providers.h"
#include "admint-provider-factory.h"
#include "admint-remote-providers.h"

void
admint_provider_set_clear (AdmintProviderSet *set)
{
  g_clear_object (&set->llm);
  g_clear_object (&set->images);
  g_clear_object (&set->video);
}

gboolean
admint_provider_set_init (AdmintProviderSet  *set,
                          AdmintConfig       *config,
                          AdmintStore        *store,
                          GError            **error)
{
  const char *llm, *images, *video;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (ADMINT_IS_CONFIG (config), FALSE);

  memset (set, 0, sizeof *set);
  llm = admint_config_get_string (config, "providers.llm.provider");
  images = admint_config_get_string (config, "providers.images.provider");
  video = admint_config_get_string (config, "providers.video.provider");

  if (g_strcmp0 (llm, "openai") == 0)
    set->llm = admint_openai_llm_new (config, store, error);
  else
    set->llm = admint_local_llm_new (config);
  if (set->llm == NULL)
    goto fail;

  if (g_strcmp0 (images, "replicate") == 0)
    set->images = admint_replicate_image_new (config, store, error);
  else
    set->images = admint_local_image_new (config);
  if (set->images == NULL)
    goto fail;

  if (g_strcmp0 (video, "replicate") == 0)
    set->video = admint_replicate_video_new (config, store, error);
  else
    set->video = admint_local_video_new (config);
  if (set->video == NULL)
    goto fail;
  return TRUE;

fail:
  admint_provider_set_clear (set);
  return FALSE;
}
