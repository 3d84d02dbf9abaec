/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The check behind `admint providers test` and the Preferences' Test buttons. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One role's verdict. problem is NULL when ok, else a stable word for scripts: no_key,
 * key_rejected, quota_exhausted, unreachable, not_found, wrong_base_url, model_not_found, … */
typedef struct
{
  char     *role;        /* llm, images, video, voice */
  char     *provider;    /* local, openai, replicate */
  char     *base_url;    /* without a trailing slash; NULL for local */
  char     *model;       /* NULL for local */
  char     *key_source;  /* none, environment, keyring */
  gboolean  ok;
  char     *problem;
  char     *message;     /* the verdict or diagnosis, in the user's words */
} AdmintProviderCheck;

void admint_provider_check_free (AdmintProviderCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintProviderCheck, admint_provider_check_free)

/* Checks PROVIDER for ROLE: local needs nothing; openai asks GET {base_url}/models and looks
 * for MODEL; replicate asks for MODEL's schema. The key comes from the environment, then the
 * keyring, as the pipeline finds it. A base URL missing /v1 is recognised and named. Runs on
 * the caller's main context (libsoup, fully async). The verdict, good or bad, is the result;
 * the only error is G_IO_ERROR_CANCELLED. */
void                 admint_provider_check_async  (const char          *role,
                                                   const char          *provider,
                                                   const char          *base_url,
                                                   const char          *model,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
AdmintProviderCheck *admint_provider_check_finish (GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
