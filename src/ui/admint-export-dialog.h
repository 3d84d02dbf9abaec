/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Export dialog: a finished ad in one of core's presets, or its clips into a folder. */
#pragma once

#include <adwaita.h>

#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_EXPORT_DIALOG (admint_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AdmintExportDialog, admint_export_dialog, ADMINT, EXPORT_DIALOG, AdwWindow)

/* Signals:
 *   "exported" (const char *path): a video file or a folder of clips was written; the dialog
 *       closes itself after it.
 *   "failed" (const char *message): an export failed or was cancelled (nothing was left). */

/* Loads the generation GENERATION_ID from STORE (off the main loop) and offers its export. */
AdmintExportDialog *admint_export_dialog_new        (GtkWindow          *parent,
                                                     AdmintStore        *store,
                                                     const char         *generation_id);
/* TRUE once the generation is loaded and has a finished video. */
gboolean            admint_export_dialog_is_ready   (AdmintExportDialog *self);
/* Chooses a preset by core's name ("web-1080p", "webm-1080p"…); FALSE for an unknown one. */
gboolean            admint_export_dialog_set_preset (AdmintExportDialog *self,
                                                     const char         *name);
/* Exports to PATH without asking (what the save dialog's answer does). */
void                admint_export_dialog_export_to  (AdmintExportDialog *self,
                                                     const char         *path);
/* Copies the clips into DIR (what the folder chooser's answer does). */
void                admint_export_dialog_export_clips_to (AdmintExportDialog *self,
                                                          const char         *dir);
/* Cancels the running export, as its Cancel button does. */
void                admint_export_dialog_cancel     (AdmintExportDialog *self);
gboolean            admint_export_dialog_is_busy    (AdmintExportDialog *self);
/* The captions file written beside the video: "srt", "vtt" or NULL (none, or the ad has no
 * captions). Setting one the ad lacks returns FALSE. */
const char         *admint_export_dialog_get_sidecar_format (AdmintExportDialog *self);
gboolean            admint_export_dialog_set_sidecar_format (AdmintExportDialog *self,
                                                             const char         *format);

G_END_DECLS
