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

G_END_DECLS
