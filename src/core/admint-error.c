/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The core's own error domain: what went wrong, in terms a user can act on. */
#define G_LOG_DOMAIN "admint-error"

#include "config.h"

#include "admint-error.h"

G_DEFINE_QUARK (admint-error-quark, admint_error)

/* Bad input is the user's to fix (CLI exit 2); everything else is a run-time failure (exit 1). */
gboolean
admint_error_is_bad_input (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return error->domain == ADMINT_ERROR &&
         (error->code == ADMINT_ERROR_INVALID_INPUT ||
          error->code == ADMINT_ERROR_NOT_FOUND ||
          error->code == ADMINT_ERROR_INVALID_CONFIG);
}
