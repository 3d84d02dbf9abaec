/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Makes the providers a configuration selects: local, openai, replicate. */
#pragma once

#include "admint-config.h"
#include "admint-music-replicate.h"
#include "admint-providers.h"
#include "admint-store.h"
#include "admint-voice.h"

G_BEGIN_DECLS

typedef struct {
  AdmintLlmProvider   *llm;
  AdmintImageProvider *images;
  AdmintVideoProvider *video;
  AdmintVoiceProvider *voice;   /* NULL: providers.voice.provider is none */
} AdmintProviderSet;

/* providers.llm.provider, providers.images.provider and providers.video.provider pick the
 * implementations; remote ones record their usage in store. A remote provider without its key
 * is ADMINT_ERROR_INVALID_CONFIG saying how to set it. */
gboolean admint_provider_set_init  (AdmintProviderSet  *set,
                                    AdmintConfig       *config,
                                    AdmintStore        *store,
                                    GError            **error);
void     admint_provider_set_clear (AdmintProviderSet  *set);

/* The voice providers.voice.* selects: local (Flite), openai (speech endpoint) or none, which
 * returns NULL without an error. An unknown local voice is ADMINT_ERROR_INVALID_CONFIG listing
 * the voices. */
AdmintVoiceProvider *admint_provider_voice_new (AdmintConfig  *config,
                                                GError       **error);

/* The music model providers.music.* selects when it is replicate (its key from the environment
 * or the keyring, as the other Replicate roles); NULL without an error for local and none. No
 * key is ADMINT_ERROR_INVALID_CONFIG saying how to set one. Its cost goes to STORE. */
AdmintMusicReplicate *admint_provider_music_new (AdmintConfig  *config,
                                                 AdmintStore   *store,
                                                 GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AdmintProviderSet, admint_provider_set_clear)

G_END_DECLS
