/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Makes the providers a configuration selects: local, openai, replicate. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "admint-error.h"
#include "admint-keys.h"
#include "admint-local-providers.h"
#include "admint-provider-factory.h"
#include "admint-remote-providers.h"

void
admint_provider_set_clear (AdmintProviderSet *set)
{
  g_clear_object (&set->llm);
  g_clear_object (&set->images);
  g_clear_object (&set->video);
  g_clear_object (&set->voice);
}

AdmintVoiceProvider *
admint_provider_voice_new (AdmintConfig  *config,
                           GError       **error)
{
  const char *provider, *voice;
  double speed;

  g_return_val_if_fail (ADMINT_IS_CONFIG (config), NULL);

  provider = admint_config_get_string (config, "providers.voice.provider");
  voice = admint_config_get_string (config, "providers.voice.voice");
  speed = admint_config_get_double (config, "providers.voice.speed");
  if (voice != NULL && voice[0] == '\0')
    voice = NULL;   /* the provider's own */
  if (g_strcmp0 (provider, "none") == 0)
    return NULL;
  if (g_strcmp0 (provider, "openai") == 0)
    {
      AdmintVoiceOpenaiSettings settings = {
        .base_url = admint_config_get_string (config, "providers.voice.base_url"),
        .model = admint_config_get_string (config, "providers.voice.model"),
        .voice = voice,
        .speed = speed,
        .usd_per_million_chars = admint_config_get_double (config,
                                                           "prices.voice.per_million_chars"),
      };
      return admint_voice_openai_new (&settings, error);
    }
  {
    AdmintVoiceProvider *local = admint_voice_local_new (voice, error);

    if (local != NULL)
      admint_voice_local_set_speed (ADMINT_VOICE_LOCAL (local), speed);
    return local;
  }
}

AdmintMusicReplicate *
admint_provider_music_new (AdmintConfig  *config,
                           AdmintStore   *store,
                           GError       **error)
{
  AdmintReplicateOptions options;
  g_autoptr(GError) key_error = NULL;
  g_autofree char *key = NULL;
  AdmintMusicReplicate *music;

  g_return_val_if_fail (ADMINT_IS_CONFIG (config), NULL);

  if (g_strcmp0 (admint_config_get_string (config, "providers.music.provider"), "replicate") != 0)
    return NULL;
  key = admint_keys_lookup_sync ("replicate", NULL, &key_error);
  /* A token that is set but unusable says so itself. */
  if (g_error_matches (key_error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT))
    {
      g_propagate_error (error, g_steal_pointer (&key_error));
      return NULL;
    }
  if (key == NULL || *key == '\0')
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG,
                   _("providers.music.provider is replicate, which needs an API token: run "
                     "`admint keys set replicate` (it reads the token from stdin) or set "
                     "REPLICATE_API_TOKEN, or set providers.music.provider to local."));
      return NULL;
    }
  admint_replicate_options_from_config (&options, config, "music");
  options.api_key = key;
  music = admint_music_replicate_new (&options, store);
  memset (key, 0, strlen (key));
  return music;
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

  {
    g_autoptr(GError) voice_error = NULL;

    set->voice = admint_provider_voice_new (config, &voice_error);
    if (voice_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&voice_error));
        goto fail;
      }
  }
  {
    /* Built here only to say at once when its key is missing; the sound stage makes its own. */
    g_autoptr(GError) music_error = NULL;
    g_autoptr(AdmintMusicReplicate) music = admint_provider_music_new (config, store,
                                                                       &music_error);

    if (music_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&music_error));
        goto fail;
      }
  }
  return TRUE;

fail:
  admint_provider_set_clear (set);
  return FALSE;
}
