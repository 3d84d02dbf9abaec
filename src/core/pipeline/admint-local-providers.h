/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The embedded local providers: rule-based agents, title-card images and clips rendered with
 * GStreamer from the references. No network, no key, nothing to pay. */
#pragma once

#include "admint-config.h"
#include "admint-providers.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_LOCAL_LLM (admint_local_llm_get_type ())
G_DECLARE_FINAL_TYPE (AdmintLocalLlm, admint_local_llm, ADMINT, LOCAL_LLM, GObject)

#define ADMINT_TYPE_LOCAL_IMAGE (admint_local_image_get_type ())
G_DECLARE_FINAL_TYPE (AdmintLocalImage, admint_local_image, ADMINT, LOCAL_IMAGE, GObject)

#define ADMINT_TYPE_LOCAL_VIDEO (admint_local_video_get_type ())
G_DECLARE_FINAL_TYPE (AdmintLocalVideo, admint_local_video, ADMINT, LOCAL_VIDEO, GObject)

AdmintLlmProvider   *admint_local_llm_new   (AdmintConfig *config);
AdmintImageProvider *admint_local_image_new (AdmintConfig *config);
AdmintVideoProvider *admint_local_video_new (AdmintConfig *config);

/* The palette ("#rrggbb", most frequent first) and mean brightness/saturation of an image,
 * as the local reference analyst sees it. */
gboolean admint_image_palette (const char  *path,
                               guint        n_colours,
                               GStrv       *palette,
                               double      *brightness,
                               double      *saturation,
                               GError     **error);

G_END_DECLS
