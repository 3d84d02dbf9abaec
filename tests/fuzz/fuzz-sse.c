/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the server-sent events parser, fed in chunks split where the input says. */
#define G_LOG_DOMAIN "admint-fuzz"

#include <string.h>
#include <gio/gio.h>

#include "admint-sse.h"
#include "fuzz-target.h"

typedef struct {
  guint  events;
  gsize  bytes;
} Seen;

static gboolean
on_event (const char  *event,
          const char  *data,
          gpointer     user_data,
          GError     **error)
{
  Seen *seen = user_data;

  g_assert (event != NULL && data != NULL);
  seen->events++;
  seen->bytes += strlen (event) + strlen (data);
  /* A client stops on its own sentinel; "[STOP]" exercises the error path. */
  if (strcmp (data, "[STOP]") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
      return FALSE;
    }
  return TRUE;
}

/* The first byte sets the chunk size (1..256), so splits fall between CR and LF, inside
 * multi-byte characters and inside field names. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Seen seen = { 0 };
  g_autoptr(AdmintSseParser) parser = admint_sse_parser_new (on_event, &seen);
  gsize chunk, pos;

  if (size == 0)
    return 0;
  chunk = (gsize) data[0] + 1;
  data++, size--;
  for (pos = 0; pos < size; pos += chunk)
    {
      g_autoptr(GError) error = NULL;

      if (!admint_sse_parser_feed (parser, (const char *) data + pos, MIN (chunk, size - pos),
                                   &error))
        {
          g_assert (error != NULL);
          break;
        }
    }
  g_assert (admint_sse_parser_get_n_events (parser) == seen.events);
  return 0;
}
