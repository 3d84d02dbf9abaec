/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Errors of the AI clients: one domain whose codes say what a person can do about a failure. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <string.h>

#include "admint-ai-error.h"

G_DEFINE_QUARK (admint-ai-error-quark, admint_ai_error)

const char *
admint_ai_error_code_name (int code)
{
  static const char * const names[] = {
    "authentication", "quota_exhausted", "rate_limited", "server_error", "timeout",
    "bad_response", "content_filtered", "cancelled", "network_unreachable", "not_found",
    "bad_request", "still_running",
  };

  if (code < 0 || code >= (int) G_N_ELEMENTS (names))
    return "unknown";
  return names[code];
}

gboolean
admint_ai_error_is_transient (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != ADMINT_AI_ERROR)
    return FALSE;
  return error->code == ADMINT_AI_ERROR_RATE_LIMITED ||
         error->code == ADMINT_AI_ERROR_SERVER_ERROR ||
         error->code == ADMINT_AI_ERROR_TIMEOUT ||
         error->code == ADMINT_AI_ERROR_NETWORK_UNREACHABLE;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

char *
admint_ai_redact (const char *text,
                  const char *secret)
{
  /* Prefixes of the keys of the providers we talk to; a word starting with one is a key. */
  static const char * const prefixes[] = { "sk-", "r8_", "Bearer " };
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0';)
    {
      gboolean redacted = FALSE;

      if (secret != NULL && *secret != '\0' && g_str_has_prefix (p, secret))
        {
          p += strlen (secret);
          redacted = TRUE;
        }
      else if (p == text || !is_token_char (p[-1]))
        {
          for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
            if (g_str_has_prefix (p, prefixes[i]))
              {
                p += strlen (prefixes[i]);
                while (*p != '\0' && (is_token_char (*p) || *p == '*' || *p == '.'))
                  p++;
                redacted = TRUE;
                break;
              }
        }

      if (redacted)
        g_string_append (out, "[REDACTED]");
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}
