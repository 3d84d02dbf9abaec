/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Images for the AI services: downscaled and base64-encoded as data: URLs. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ADMINT_AI_IMAGE_MAX_SIDE 1024

/* Loads the image at PATH, scales it so that its long side is at most MAX_SIDE pixels (never
 * up), and returns it as a data: URL (PNG when it has transparency, else JPEG). Blocking:
 * prefer the _async form on the main thread. */
char *admint_ai_image_data_url        (const char           *path,
                                       guint                 max_side,
                                       GError              **error);
void  admint_ai_image_data_url_async  (const char           *path,
                                       guint                 max_side,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char *admint_ai_image_data_url_finish (GAsyncResult         *result,
                                       GError              **error);

/* The file's bytes as they are, as a data: URL with the content type guessed from them. */
char *admint_ai_file_data_url         (GBytes               *bytes,
                                       const char           *filename);

G_END_DECLS
