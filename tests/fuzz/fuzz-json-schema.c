/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: finding the JSON in an agent's text reply and checking it against a schema. */
#define G_LOG_DOMAIN "admint-fuzz"

#include <string.h>
#include <json-glib/json-glib.h>

#include "admint-json-schema.h"
#include "fuzz-target.h"

/* A schema of the shape our agents use (scenes with bounded fields), for inputs that carry
 * only a reply. */
static const char scenes_schema[] =
  "{\"type\":\"object\",\"required\":[\"scenes\"],\"additionalProperties\":false,"
  "\"properties\":{\"title\":{\"type\":[\"string\",\"null\"],\"maxLength\":80},"
  "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":10},"
  "\"scenes\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":12,\"items\":{"
  "\"type\":\"object\",\"required\":[\"description\",\"duration\"],\"properties\":{"
  "\"description\":{\"type\":\"string\",\"minLength\":1},"
  "\"duration\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":30},"
  "\"camera\":{\"enum\":[\"static\",\"pan\",\"zoom\"]}}}}}}";

static JsonNode *fixed_schema;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fixed_schema = json_from_string (scenes_schema, NULL);
  g_assert (fixed_schema != NULL);
  return 0;
}

static void
check (JsonNode   *schema,
       const char *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) instance = admint_json_extract_from_text (reply, &error);

  if (instance == NULL)
    {
      g_assert (error != NULL);
      return;
    }
  g_assert (error == NULL);
  if (!admint_json_schema_validate (schema, instance, &error))
    g_assert (error != NULL && error->message[0] != '\0');
}

/* The input is a reply checked against the fixed schema; when it holds "\n=====\n" the part
 * before is a schema of its own (fuzzed too) and the part after the reply. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  char *split = strstr (text, "\n=====\n");

  if (split != NULL)
    {
      g_autoptr(JsonNode) schema = NULL;

      *split = '\0';
      schema = json_from_string (text, NULL);
      if (schema != NULL)
        check (schema, split + 7);
      return 0;
    }
  check (fixed_schema, text);
  return 0;
}
