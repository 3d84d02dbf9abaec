/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: providers and their test, API keys in the keyring, generation defaults, storage. */
#pragma once

#include <adwaita.h>

#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_PREFERENCES_WINDOW (admint_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AdmintPreferencesWindow, admint_preferences_window, ADMINT,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Signals:
 *   "saved" (const char *key): a setting was written to config.yaml.
 *   "refused" (const char *key, const char *message): a value was refused; nothing was saved.
 *   "tested" (const char *role, gboolean ok, const char *message): a Test finished.
 *   "key-changed" (const char *service, gboolean stored): a key was stored or removed.
 *   "storage-changed" (gint64 bytes): the data folder's size was measured. */

/* STORE may be NULL (the Storage page is then insensitive). */
AdmintPreferencesWindow *admint_preferences_window_new     (GtkWindow               *parent,
                                                            AdmintStore             *store);
/* The row that edits a config key ("providers.llm.base_url"), a service's key row
 * ("keys.openai", "keys.openai.stored") or a role's Test row ("test.llm"), for tests and the
 * accessibility check; with a suffix, a part of one: an entry row's problem label
 * ("providers.llm.base_url.error"), a number row's spin button ("quality.acceptable.spin"),
 * a Test row's button ("test.llm.button"). NULL for an unknown name. */
GtkWidget               *admint_preferences_window_get_row (AdmintPreferencesWindow *self,
                                                            const char              *name);
/* Asks to purge failed and old ads, as the Purge button does (a confirmation first). */
void                     admint_preferences_window_purge   (AdmintPreferencesWindow *self);

G_END_DECLS
