/* SPDX-License-Identifier: GPL-3.0-or-later */
/* API keys in the keyring (libsecret), with environment variables overriding for headless use. */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

typedef enum {
  ADMINT_KEY_SOURCE_NONE,
  ADMINT_KEY_SOURCE_ENVIRONMENT,  /* OPENAI_API_KEY, REPLICATE_API_TOKEN */
  ADMINT_KEY_SOURCE_KEYRING,
  ADMINT_KEY_SOURCE_INPUT,        /* typed or piped in by the user, to be stored */
} AdmintKeySource;

/* The schema "io.github.admint.AdMint.ApiKey" with one attribute, "provider". */
const SecretSchema *admint_keys_get_schema      (void);
/* "openai" and "replicate". */
gboolean            admint_keys_is_provider     (const char *provider);
const char         *admint_keys_env_var         (const char *provider);
const char         *admint_keys_source_name     (AdmintKeySource source);

/* A key is one line of printable ASCII: LENGTH bytes of KEY (which may hold a NUL, as read
 * from stdin) with no NUL, control character (a CR or LF above all), space or non-ASCII byte.
 * Otherwise ADMINT_ERROR_INVALID_INPUT naming the character, its position, where the key came
 * from (SOURCE: the environment variable, the keyring or the user's input) and the fix. Every
 * lookup and store checks, so a bad key is reported wherever it would be used. */
gboolean  admint_keys_check         (const char          *provider,
                                     AdmintKeySource      source,
                                     const char          *key,
                                     gsize                length,
                                     GError             **error);

void      admint_keys_store_async   (const char          *provider,
                                     const char          *secret,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  admint_keys_store_finish  (GAsyncResult        *result,
                                     GError             **error);

/* The environment variable first, then the keyring. NULL with no error when there is none. */
void      admint_keys_lookup_async  (const char          *provider,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
char     *admint_keys_lookup_finish (GAsyncResult        *result,
                                     AdmintKeySource     *source,
                                     GError             **error);
/* The keyring alone, ignoring the environment. */
void      admint_keys_lookup_keyring_async (const char          *provider,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

/* Removes the key from the keyring; TRUE in *removed when there was one. */
void      admint_keys_clear_async   (const char          *provider,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  admint_keys_clear_finish  (GAsyncResult        *result,
                                     gboolean            *removed,
                                     GError             **error);

/* The same as admint_keys_lookup_async, blocking: for the CLI and worker threads, never the
 * GUI's main loop. NULL with no error when there is no key. */
char     *admint_keys_lookup_sync   (const char          *provider,
                                     AdmintKeySource     *source,
                                     GError             **error);

G_END_DECLS
