/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal: recording the usage of a call, shared by the AI clients. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _AdmintStore AdmintStore;

/* Emits INSTANCE's "usage" signal and, when STORE is set, records a row in its usage table
 * (a failure to record is logged, never fatal to the call that was paid for). */
void admint_ai_usage_emit (gpointer     instance,
                           guint        signal_id,
                           AdmintStore *store,
                           const char  *provider,
                           const char  *model,
                           const char  *operation,
                           double       units,
                           double       cost_usd,
                           const char  *generation_id);

/* The "usage" signal's definition, the same on every client class. */
guint admint_ai_usage_signal_new (GType type);

G_END_DECLS
