/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks an agent's JSON reply against its JSON Schema, and finds the JSON in a text reply. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Validates INSTANCE against the subset of JSON Schema our agents use: type (one or a list),
 * properties, required, additionalProperties: false, items, enum, minimum, maximum,
 * minItems, maxItems, minLength, maxLength. On failure the BAD_RESPONSE error names the path
 * ("$.scenes[2].duration") and what was expected. */
gboolean  admint_json_schema_validate   (JsonNode    *schema,
                                         JsonNode    *instance,
                                         GError     **error);

/* Parses the JSON in a model's text reply: the whole text, else the first ```json fenced
 * block (or any fenced block), else the outermost {…}. NULL with BAD_RESPONSE if none. */
JsonNode *admint_json_extract_from_text (const char  *text,
                                         GError     **error);

G_END_DECLS
