/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Exporting a stored generation's clips into a folder. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The newest version of each scene's clip that has a file, in scene order (char *), from the
 * object admint_store_get_generation returns. */
GPtrArray *admint_export_clip_paths    (JsonObject           *generation);

/* Copies CLIPS (paths) into DIR as scene-01-NAME, scene-02-NAME… in a GTask thread, creating
 * DIR if needed. A cancelled or failed copy removes what it had copied. The result is the
 * number of files written. */
void       admint_export_clips_async   (GPtrArray            *clips,
                                        const char           *dir,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gint64     admint_export_clips_finish  (GAsyncResult         *result,
                                        GError              **error);

/* The captions the sound stage wrote beside a generation's VIDEO (final.mp4: final.srt or .vtt) in
 * FORMAT ("srt" or "vtt"): their path, or NULL and ADMINT_ERROR_INVALID_INPUT saying the
 * generation has none (made before captions, or not finished). */
char      *admint_export_captions_source (const char          *video,
                                          const char          *format,
                                          GError             **error);
/* Copies the captions SOURCE next to the exported OUTPUT, as OUTPUT's name with the captions'
 * extension (ad.mp4 -> ad.srt). Returns the path written, or NULL with an error. */
char      *admint_export_captions        (const char          *source,
                                          const char          *output,
                                          GError             **error);
/* VIDEO's path with its extension replaced by FORMAT's: where a sidecar goes. */
char      *admint_export_captions_path   (const char           *video,
                                          const char           *format);

G_END_DECLS
