/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recording the usage of a call, shared by the AI clients: a signal and the store's table. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include "admint-ai-usage-private.h"
#include "admint-store.h"

guint
admint_ai_usage_signal_new (GType type)
{
  return g_signal_new ("usage", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 6,
                       G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                       G_TYPE_STRING);
}

void
admint_ai_usage_emit (gpointer     instance,
                      guint        signal_id,
                      AdmintStore *store,
                      const char  *provider,
                      const char  *model,
                      const char  *operation,
                      double       units,
                      double       cost_usd,
                      const char  *generation_id)
{
  g_debug ("usage: %s %s %s units=%g cost=%.6f USD", provider, model, operation, units, cost_usd);
  g_signal_emit (instance, signal_id, 0, provider, model, operation, units, cost_usd,
                 generation_id);
  if (store != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!admint_store_record_usage (store, provider, model, operation, units, cost_usd,
                                      generation_id, &error))
        g_message ("Could not record the usage of %s %s: %s", provider, operation, error->message);
    }
}
