/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks that a file a service produced is whole and of the kind asked before it is used. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  ADMINT_OUTPUT_IMAGE,  /* PNG, JPEG, WebP or GIF, not cut short */
  ADMINT_OUTPUT_VIDEO,  /* ISO BMFF (MP4, MOV): ftyp first, moov and mdat, boxes whole; or WebM */
  ADMINT_OUTPUT_AUDIO,  /* WAV (RIFF/WAVE), Ogg, FLAC or MP3 by its magic: only a decode proves
                         * it whole (admint_music_check_file) */
} AdmintOutputKind;

/* Checks DATA (the whole file). On a problem sets ERROR (ADMINT_AI_ERROR_BAD_RESPONSE) with
 * what is wrong, e.g. "it ends inside its “mdat” box". */
gboolean admint_output_check_bytes (const guint8      *data,
                                    gsize              len,
                                    AdmintOutputKind   kind,
                                    GError           **error);

/* admint_output_check_bytes on the file at PATH (read whole; outputs are capped in size). */
gboolean admint_output_check_file  (const char        *path,
                                    AdmintOutputKind   kind,
                                    GError           **error);

G_END_DECLS
