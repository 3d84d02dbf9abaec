/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads the opening of a JSON document that is still being written (a streamed answer). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The value TEXT holds so far, closed where it stops: an open string ends where the text
 * ends, open arrays and objects are closed, and a member whose value has not begun is left
 * out. Prose or a ``` fence before the first '{' or '[' is skipped. NULL when nothing can be
 * read yet. */
JsonNode *admint_json_parse_partial (const char *text);

G_END_DECLS
