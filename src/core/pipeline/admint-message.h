/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One message of a generation's conversation, typed: who said it, what kind it is, its text,
 * and its payload (the story, the scenes, the references, the video). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "admint-pipeline-enums.h"
#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_MESSAGE (admint_message_get_type ())
G_DECLARE_FINAL_TYPE (AdmintMessage, admint_message, ADMINT, MESSAGE, GObject)

/* Properties (read-only, set at construction): role (AdmintMessageRole), kind
 * (AdmintMessageKind), text (the text, or NULL), payload (JsonNode, the structured part or
 * NULL), score (a critique's 0–10 or the video's 0–100, < 0 when none), path (a video's file). */

/* ROLE and KIND as stored; BODY the stored JSON (an object with "text", a story, an array…). */
AdmintMessage     *admint_message_new          (const char       *role,
                                                const char       *kind,
                                                JsonNode         *body);
AdmintMessage     *admint_message_new_from_row (AdmintMessageRow *row);

AdmintMessageRole  admint_message_get_role     (AdmintMessage    *self);
AdmintMessageKind  admint_message_get_kind     (AdmintMessage    *self);
const char        *admint_message_get_text     (AdmintMessage    *self);
/* The structured part: the story object, the scenes or references array, or NULL. */
JsonNode          *admint_message_get_payload  (AdmintMessage    *self);
double             admint_message_get_score    (AdmintMessage    *self);
const char        *admint_message_get_path     (AdmintMessage    *self);
/* The payload as the object or array it holds (NULL otherwise). */
JsonObject        *admint_message_get_object   (AdmintMessage    *self);
JsonArray         *admint_message_get_array    (AdmintMessage    *self);

G_END_DECLS
