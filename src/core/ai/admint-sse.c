/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An incremental parser of server-sent events (text/event-stream), fed as bytes arrive. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <string.h>

#include "admint-sse.h"

struct _AdmintSseParser
{
  AdmintSseEventFunc  func;
  gpointer            user_data;
  GString            *line;
  GString            *data;
  char               *event;
  gboolean            has_data;
  gboolean            after_cr;   /* the previous byte ended a line with CR: skip one LF */
  guint               n_events;
};

AdmintSseParser *
admint_sse_parser_new (AdmintSseEventFunc func,
                       gpointer           user_data)
{
  AdmintSseParser *parser = g_new0 (AdmintSseParser, 1);

  g_return_val_if_fail (func != NULL, NULL);

  parser->func = func;
  parser->user_data = user_data;
  parser->line = g_string_new (NULL);
  parser->data = g_string_new (NULL);
  return parser;
}

void
admint_sse_parser_free (AdmintSseParser *parser)
{
  if (parser == NULL)
    return;
  g_string_free (parser->line, TRUE);
  g_string_free (parser->data, TRUE);
  g_free (parser->event);
  g_free (parser);
}

guint
admint_sse_parser_get_n_events (AdmintSseParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);
  return parser->n_events;
}

static gboolean
dispatch (AdmintSseParser  *parser,
          GError          **error)
{
  gboolean ok = TRUE;

  if (parser->has_data)
    {
      parser->n_events++;
      ok = parser->func (parser->event ? parser->event : "message", parser->data->str,
                         parser->user_data, error);
    }
  g_string_truncate (parser->data, 0);
  g_clear_pointer (&parser->event, g_free);
  parser->has_data = FALSE;
  return ok;
}

static gboolean
process_line (AdmintSseParser  *parser,
              GError          **error)
{
  const char *line = parser->line->str;
  const char *colon;
  g_autofree char *field = NULL;
  const char *value;

  if (parser->line->len == 0)
    return dispatch (parser, error);
  if (line[0] == ':')
    return TRUE;

  colon = strchr (line, ':');
  if (colon != NULL)
    {
      field = g_strndup (line, colon - line);
      value = colon + 1;
      if (*value == ' ')
        value++;
    }
  else
    {
      field = g_strdup (line);
      value = "";
    }

  if (strcmp (field, "data") == 0)
    {
      if (parser->has_data)
        g_string_append_c (parser->data, '\n');
      g_string_append (parser->data, value);
      parser->has_data = TRUE;
    }
  else if (strcmp (field, "event") == 0)
    {
      g_free (parser->event);
      parser->event = g_strdup (value);
    }
  /* id and retry do not matter for a one-shot completion stream. */
  return TRUE;
}

gboolean
admint_sse_parser_feed (AdmintSseParser  *parser,
                        const char       *data,
                        gsize             len,
                        GError          **error)
{
  g_return_val_if_fail (parser != NULL, FALSE);

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (parser->after_cr)
        {
          parser->after_cr = FALSE;
          if (c == '\n')
            continue;
        }
      if (c == '\r' || c == '\n')
        {
          parser->after_cr = (c == '\r');
          gboolean ok = process_line (parser, error);
          g_string_truncate (parser->line, 0);
          if (!ok)
            return FALSE;
        }
      else
        g_string_append_c (parser->line, c);
    }
  return TRUE;
}
