/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A typed conversation message, read once from the stored JSON so no view parses it again. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-message.h"

struct _AdmintMessage
{
  GObject            parent_instance;

  AdmintMessageRole  role;
  AdmintMessageKind  kind;
  char              *text;
  JsonNode          *payload;
  double             score;
  char              *path;
};

G_DEFINE_FINAL_TYPE (AdmintMessage, admint_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROLE,
  PROP_KIND,
  PROP_TEXT,
  PROP_PAYLOAD,
  PROP_SCORE,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
admint_message_finalize (GObject *object)
{
  AdmintMessage *self = ADMINT_MESSAGE (object);

  g_free (self->text);
  g_clear_pointer (&self->payload, json_node_unref);
  g_free (self->path);
  G_OBJECT_CLASS (admint_message_parent_class)->finalize (object);
}

static void
admint_message_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdmintMessage *self = ADMINT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_PAYLOAD:
      g_value_set_boxed (value, self->payload);
      break;
    case PROP_SCORE:
      g_value_set_double (value, self->score);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
admint_message_class_init (AdmintMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = admint_message_finalize;
  object_class->get_property = admint_message_get_property;

  properties[PROP_ROLE] = g_param_spec_enum ("role", NULL, NULL, ADMINT_TYPE_MESSAGE_ROLE,
                                             ADMINT_MESSAGE_ROLE_ASSISTANT, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, ADMINT_TYPE_MESSAGE_KIND,
                                             ADMINT_MESSAGE_TEXT, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_PAYLOAD] = g_param_spec_boxed ("payload", NULL, NULL, JSON_TYPE_NODE, flags);
  properties[PROP_SCORE] = g_param_spec_double ("score", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
admint_message_init (AdmintMessage *self)
{
  self->score = -1;
}

static char *
dup_member_string (JsonObject *obj,
                   const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

AdmintMessage *
admint_message_new (const char *role,
                    const char *kind,
                    JsonNode   *body)
{
  AdmintMessage *self = g_object_new (ADMINT_TYPE_MESSAGE, NULL);
  JsonObject *obj = body != NULL && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body)
                                                                  : NULL;
  int value = ADMINT_MESSAGE_ROLE_ASSISTANT;

  admint_enum_from_string (ADMINT_TYPE_MESSAGE_ROLE, role, &value);
  self->role = value;
  value = ADMINT_MESSAGE_TEXT;
  if (g_strcmp0 (kind, "critique") != 0)
    admint_enum_from_string (ADMINT_TYPE_MESSAGE_KIND, kind, &value);
  self->kind = value;
  /* The critics speak in scores: their "text" messages are critiques. */
  if (self->role == ADMINT_MESSAGE_ROLE_CRITIC && obj != NULL &&
      json_object_has_member (obj, "score"))
    self->kind = ADMINT_MESSAGE_CRITIQUE;

  self->text = dup_member_string (obj, "text");
  self->path = dup_member_string (obj, "path");
  if (obj != NULL && self->kind == ADMINT_MESSAGE_CRITIQUE)
    self->score = json_object_get_double_member_with_default (obj, "score", -1);
  else if (obj != NULL && self->kind == ADMINT_MESSAGE_SCORES)
    self->score = json_object_get_double_member_with_default (obj, "quality_score", -1);
  if (body != NULL && self->text == NULL)
    self->payload = json_node_copy (body);
  return self;
}

AdmintMessage *
admint_message_new_from_row (AdmintMessageRow *row)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_val_if_fail (ADMINT_IS_MESSAGE_ROW (row), NULL);
  body = json_from_string (admint_message_row_get_body_json (row), NULL);
  return admint_message_new (admint_message_row_get_role (row),
                             admint_message_row_get_kind (row), body);
}

AdmintMessageRole
admint_message_get_role (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), ADMINT_MESSAGE_ROLE_ASSISTANT);
  return self->role;
}

AdmintMessageKind
admint_message_get_kind (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), ADMINT_MESSAGE_TEXT);
  return self->kind;
}

const char *
admint_message_get_text (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), NULL);
  return self->text;
}

JsonNode *
admint_message_get_payload (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), NULL);
  return self->payload;
}

double
admint_message_get_score (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), -1);
  return self->score;
}

const char *
admint_message_get_path (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), NULL);
  return self->path;
}

JsonObject *
admint_message_get_object (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), NULL);
  return self->payload != NULL && JSON_NODE_HOLDS_OBJECT (self->payload)
         ? json_node_get_object (self->payload) : NULL;
}

JsonArray *
admint_message_get_array (AdmintMessage *self)
{
  g_return_val_if_fail (ADMINT_IS_MESSAGE (self), NULL);
  return self->payload != NULL && JSON_NODE_HOLDS_ARRAY (self->payload)
         ? json_node_get_array (self->payload) : NULL;
}
