/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Errors of the AI clients: one domain whose codes say what a person can do about a failure. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ADMINT_AI_ERROR (admint_ai_error_quark ())

typedef enum {
  ADMINT_AI_ERROR_AUTHENTICATION,      /* the key is missing or was rejected */
  ADMINT_AI_ERROR_QUOTA_EXHAUSTED,     /* insufficient_quota / payment required: never retried */
  ADMINT_AI_ERROR_RATE_LIMITED,        /* 429 after the retries, or a Retry-After over the limit */
  ADMINT_AI_ERROR_SERVER_ERROR,        /* 5xx or 409 after the retries, or a failed prediction */
  ADMINT_AI_ERROR_TIMEOUT,             /* no answer in time (first byte, stall or overall) */
  ADMINT_AI_ERROR_BAD_RESPONSE,        /* malformed JSON, a stream cut short, schema mismatch */
  ADMINT_AI_ERROR_CONTENT_FILTERED,    /* the provider refused the prompt or the output */
  ADMINT_AI_ERROR_CANCELLED,           /* the caller cancelled */
  ADMINT_AI_ERROR_NETWORK_UNREACHABLE, /* DNS, connection refused, TLS */
  ADMINT_AI_ERROR_NOT_FOUND,           /* 404: a wrong base URL or an unknown model */
  ADMINT_AI_ERROR_BAD_REQUEST,         /* 400/422 the server would refuse again */
  ADMINT_AI_ERROR_STILL_RUNNING,       /* a paid prediction we lost touch with: it is still
                                        * running and is resumed by its id, never made again */
} AdmintAiError;

GQuark      admint_ai_error_quark       (void);

/* A short stable name of a code ("quota_exhausted"), for JSON output and logs. */
const char *admint_ai_error_code_name   (int code);

/* Whether a failure with this error may succeed when simply tried again later. */
gboolean    admint_ai_error_is_transient (const GError *error);

/* Replaces every occurrence of SECRET and anything shaped like an API token with "[REDACTED]",
 * so that a server's echo of a key never reaches a message or a log. */
char       *admint_ai_redact            (const char *text,
                                         const char *secret);

G_END_DECLS
