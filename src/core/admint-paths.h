/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where Ad Mint keeps its files: XDG data, config, state and cache directories. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *admint_paths_data_dir   (void);
char *admint_paths_media_dir  (void);
char *admint_paths_db_file    (void);
char *admint_paths_config_dir (void);
char *admint_paths_config_file (void);
char *admint_paths_state_dir  (void);
char *admint_paths_log_file   (void);
char *admint_paths_cache_dir  (void);

gboolean admint_paths_ensure_dir (const char *dir,
                                  GError    **error);

/* Checks a file the user asked us to write before any work starts. Refuses (with
 * ADMINT_ERROR_INVALID_INPUT and a message naming the fix) an output that is a folder, not a
 * regular file, inside Ad Mint's data, config or log folder, the same file (by inode, through
 * links) as one of INPUTS, or in a folder that does not exist or is not writable. */
gboolean admint_paths_check_output        (const char          *output,
                                           const char * const  *inputs,
                                           GError             **error);
/* The same for a folder to write files into (it may not exist yet). */
gboolean admint_paths_check_output_folder (const char          *folder,
                                           GError             **error);

/* Points TMPDIR at a folder of this process's own, mode 0700, under the cache folder
 * (cache/tmp/PID-START), removes the folders of processes that are no longer running, and
 * removes its own at exit. Call it first thing in main(), before anything asks GLib for the
 * temporary folder (g_get_tmp_dir caches it): GStreamer's MP4 muxer writes world-readable
 * "qtmux*" files there. Returns the folder. */
char    *admint_paths_use_private_tmp_dir (GError             **error);

G_END_DECLS
