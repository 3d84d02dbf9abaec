/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The core's own error domain: what went wrong, in terms a user can act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ADMINT_ERROR (admint_error_quark ())

typedef enum {
  ADMINT_ERROR_FAILED,          /* a run-time failure with no better code */
  ADMINT_ERROR_INVALID_INPUT,   /* the user gave something we cannot use: exit 2 on the CLI */
  ADMINT_ERROR_NOT_FOUND,       /* an id or file the user named does not exist: exit 2 */
  ADMINT_ERROR_INVALID_CONFIG,  /* a config or YAML file failed validation: exit 2 */
  ADMINT_ERROR_TOO_NEW,         /* data written by a newer Ad Mint */
  ADMINT_ERROR_CANCELLED,
  ADMINT_ERROR_OVER_BUDGET,     /* it would spend past the budget: ask the user, then force it */
} AdmintError;

GQuark   admint_error_quark        (void);
gboolean admint_error_is_bad_input (const GError *error);

G_END_DECLS
