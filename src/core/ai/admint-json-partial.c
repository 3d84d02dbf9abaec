/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads the opening of a JSON document that is still being written (a streamed answer). */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <string.h>

#include "admint-json-partial.h"

static JsonNode *
try_parse (const char *text,
           gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* TEXT[0, LEN) with STACK's containers closed (innermost last in STACK). */
static JsonNode *
close_and_parse (const char    *text,
                 gsize          len,
                 const GString *stack,
                 gboolean       close_string)
{
  g_autoptr(GString) out = g_string_new_len (text, (gssize) len);

  if (close_string)
    g_string_append_c (out, '"');
  for (gssize i = (gssize) stack->len - 1; i >= 0; i--)
    g_string_append_c (out, stack->str[i] == '{' ? '}' : ']');
  return try_parse (out->str, out->len);
}

JsonNode *
admint_json_parse_partial (const char *text)
{
  g_autoptr(GString) stack = g_string_new (NULL);
  g_autoptr(GString) cut_stack = g_string_new (NULL);
  const char *start;
  gsize len, cut = 0, string_start = 0;
  gboolean in_string = FALSE, escape = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  start = strpbrk (text, "{[");
  if (start == NULL)
    return NULL;
  len = strlen (start);

  for (gsize i = 0; i < len; i++)
    {
      char c = start[i];

      if (in_string)
        {
          if (escape)
            escape = FALSE;
          else if (c == '\\')
            escape = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          string_start = i;
          break;
        case '{':
        case '[':
          g_string_append_c (stack, c);
          cut = i + 1;
          g_string_assign (cut_stack, stack->str);
          break;
        case '}':
        case ']':
          if (stack->len > 0)
            g_string_truncate (stack, stack->len - 1);
          cut = i + 1;
          g_string_assign (cut_stack, stack->str);
          if (stack->len == 0)
            return try_parse (start, i + 1);  /* the whole value: what follows is not ours */
          break;
        case ',':
          cut = i;
          g_string_assign (cut_stack, stack->str);
          break;
        default:
          break;
        }
    }

  /* Best: everything so far, an open string ended where the text stops. A half-written
   * escape ("\\" or "\\u00") is left out of it. */
  if (in_string)
    {
      gsize end = len;
      const char *slash = NULL;
      for (gsize i = string_start + 1; i < len; i++)
        if (start[i] == '\\')
          {
            slash = start + i;
            i++;
          }
      if (slash != NULL)
        {
          gsize at = (gsize) (slash - start);
          gsize need = start[at + 1] == 'u' ? 6 : 2;
          if (at + need > len)
            end = at;
        }
      JsonNode *node = close_and_parse (start, end, stack, TRUE);
      if (node != NULL)
        return node;
    }
  else
    {
      JsonNode *node = close_and_parse (start, len, stack, FALSE);
      if (node != NULL)
        return node;
    }
  /* Else up to the last member or element that was whole. */
  return close_and_parse (start, cut, cut_stack, FALSE);
}
