/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pipeline's providers over network services: agents on any OpenAI-compatible chat server,
 * images and clips from Replicate predictions. */
#pragma once

#include "admint-config.h"
#include "admint-providers.h"
#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_OPENAI_LLM (admint_openai_llm_get_type ())
G_DECLARE_FINAL_TYPE (AdmintOpenaiLlm, admint_openai_llm, ADMINT, OPENAI_LLM, GObject)

#define ADMINT_TYPE_REPLICATE_IMAGE (admint_replicate_image_get_type ())
G_DECLARE_FINAL_TYPE (AdmintReplicateImage, admint_replicate_image, ADMINT, REPLICATE_IMAGE,
                      GObject)

#define ADMINT_TYPE_REPLICATE_VIDEO (admint_replicate_video_get_type ())
G_DECLARE_FINAL_TYPE (AdmintReplicateVideo, admint_replicate_video, ADMINT, REPLICATE_VIDEO,
                      GObject)

/* Keys come from the environment (OPENAI_API_KEY, REPLICATE_API_TOKEN) or the keyring; an
 * OpenAI-compatible server may need none, Replicate always does. */
AdmintLlmProvider   *admint_openai_llm_new       (AdmintConfig  *config,
                                                  AdmintStore   *store,
                                                  GError       **error);
AdmintImageProvider *admint_replicate_image_new  (AdmintConfig  *config,
                                                  AdmintStore   *store,
                                                  GError       **error);
AdmintVideoProvider *admint_replicate_video_new  (AdmintConfig  *config,
                                                  AdmintStore   *store,
                                                  GError       **error);

/* The JSON Schema an agent's reply must follow. */
JsonNode            *admint_agent_schema         (const char    *agent);

G_END_DECLS
