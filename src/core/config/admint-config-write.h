/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing settings into the user's config.yaml: validated first, then replaced atomically. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Sets each KEYS[i] to VALUES[i] (text as `--set KEY=VALUE` takes it, e.g. "9:16", "4", "0.7")
 * in $XDG_CONFIG_HOME/admint/config.yaml, keeping the file's other values. Each value is first
 * validated on top of the effective configuration, in order, like a command-line override;
 * then the whole new file is validated as `admint config check` would, written beside the old
 * one and renamed over it. On any problem nothing is written: the error is
 * ADMINT_ERROR_INVALID_CONFIG and *out_bad_key (when not NULL) names the key at fault (NULL
 * when the fault is the existing file's). The file's comments are not kept. */
gboolean admint_config_write_user        (const char * const   *keys,
                                          const char * const   *values,
                                          char                **out_bad_key,
                                          GError              **error);
/* The same in a GTask thread. KEYS and VALUES are copied. */
void     admint_config_write_user_async  (const char * const   *keys,
                                          const char * const   *values,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean admint_config_write_user_finish (GAsyncResult         *result,
                                          char                **out_bad_key,
                                          GError              **error);

/* Renders NODE (an object, as admint_config_to_json makes) as block YAML. */
char    *admint_config_json_to_yaml      (JsonNode             *node);

G_END_DECLS
