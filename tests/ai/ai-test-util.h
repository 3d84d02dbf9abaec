/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the ai tests share: waiting on the main loop for an async result. */
#pragma once

#include <gio/gio.h>

/* An AsyncReadyCallback that keeps the result in *(GAsyncResult **) user_data. */
static inline void
ai_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/* Iterates the default main context until *SLOT is set, and returns it (transfer full). */
static inline GAsyncResult *
ai_test_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static inline gboolean
ai_test_cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* Lets the main loop run for MS milliseconds (to let stray sources settle). */
static inline void
ai_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}
