/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small immutable GObjects the store hands out as list rows (history, chat messages, assets). */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <string.h>

#include "admint-store-rows.h"
#include "admint-store-rows-private.h"

char *
admint_store_format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;

  if (usec == 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (dt == NULL)
    return NULL;
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%06" G_GINT64_FORMAT "Z", base, usec % G_USEC_PER_SEC);
}

/* ---- AdmintGenerationRow ---- */

struct _AdmintGenerationRow
{
  GObject parent_instance;
  char   *id;
  gint64  created;
  char   *prompt;
  char   *status;
  double  quality_score;
  double  cost;
  char   *name;
  char   *group_id;
  char   *variant;
  gboolean winner;
};

G_DEFINE_FINAL_TYPE (AdmintGenerationRow, admint_generation_row, G_TYPE_OBJECT)

enum {
  GEN_PROP_0,
  GEN_PROP_ID,
  GEN_PROP_CREATED,
  GEN_PROP_PROMPT,
  GEN_PROP_STATUS,
  GEN_PROP_QUALITY_SCORE,
  GEN_PROP_COST,
  GEN_N_PROPS
};

static GParamSpec *gen_properties[GEN_N_PROPS];

static void
admint_generation_row_finalize (GObject *object)
{
  AdmintGenerationRow *self = ADMINT_GENERATION_ROW (object);

  g_free (self->id);
  g_free (self->prompt);
  g_free (self->status);
  g_free (self->name);
  g_free (self->group_id);
  g_free (self->variant);
  G_OBJECT_CLASS (admint_generation_row_parent_class)->finalize (object);
}

static void
admint_generation_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AdmintGenerationRow *self = ADMINT_GENERATION_ROW (object);

  switch (prop_id)
    {
    case GEN_PROP_ID: g_value_set_string (value, self->id); break;
    case GEN_PROP_CREATED: g_value_set_int64 (value, self->created); break;
    case GEN_PROP_PROMPT: g_value_set_string (value, self->prompt); break;
    case GEN_PROP_STATUS: g_value_set_string (value, self->status); break;
    case GEN_PROP_QUALITY_SCORE: g_value_set_double (value, self->quality_score); break;
    case GEN_PROP_COST: g_value_set_double (value, self->cost); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
admint_generation_row_class_init (AdmintGenerationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags f = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = admint_generation_row_finalize;
  object_class->get_property = admint_generation_row_get_property;

  gen_properties[GEN_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, f);
  gen_properties[GEN_PROP_CREATED] =
    g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, f);
  gen_properties[GEN_PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, f);
  gen_properties[GEN_PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, f);
  gen_properties[GEN_PROP_QUALITY_SCORE] =
    g_param_spec_double ("quality-score", NULL, NULL, -1, 100, -1, f);
  gen_properties[GEN_PROP_COST] = g_param_spec_double ("cost", NULL, NULL, 0, G_MAXDOUBLE, 0, f);
  g_object_class_install_properties (object_class, GEN_N_PROPS, gen_properties);
}

static void
admint_generation_row_init (AdmintGenerationRow *self)
{
}

AdmintGenerationRow *
admint_generation_row_new (const char *id,
                           gint64      created,
                           const char *prompt,
                           const char *status,
                           double      quality_score,
                           double      cost)
{
  AdmintGenerationRow *self = g_object_new (ADMINT_TYPE_GENERATION_ROW, NULL);

  self->id = g_strdup (id);
  self->created = created;
  self->prompt = g_strdup (prompt);
  self->status = g_strdup (status);
  self->quality_score = quality_score;
  self->cost = cost;
  return self;
}

void
admint_generation_row_set_variant (AdmintGenerationRow *self,
                                   const char          *name,
                                   const char          *group_id,
                                   const char          *variant,
                                   gboolean             winner)
{
  g_return_if_fail (ADMINT_IS_GENERATION_ROW (self));

  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  g_free (self->variant);
  self->variant = g_strdup (variant);
  self->winner = winner;
}

#define GETTER(Type, type, ret, field, def) \
  ret admint_##type##_get_##field (Admint##Type *self) \
  { \
    g_return_val_if_fail (ADMINT_IS_##Type##_CHECK (self), def); \
    return self->field; \
  }

#define ADMINT_IS_GenerationRow_CHECK ADMINT_IS_GENERATION_ROW
#define ADMINT_IS_MessageRow_CHECK ADMINT_IS_MESSAGE_ROW
#define ADMINT_IS_AssetRow_CHECK ADMINT_IS_ASSET_ROW

GETTER (GenerationRow, generation_row, const char *, id, NULL)
GETTER (GenerationRow, generation_row, gint64, created, 0)
GETTER (GenerationRow, generation_row, const char *, prompt, NULL)
GETTER (GenerationRow, generation_row, const char *, status, NULL)
GETTER (GenerationRow, generation_row, double, quality_score, -1)
GETTER (GenerationRow, generation_row, double, cost, 0)
GETTER (GenerationRow, generation_row, const char *, name, NULL)
GETTER (GenerationRow, generation_row, const char *, group_id, NULL)
GETTER (GenerationRow, generation_row, const char *, variant, NULL)
GETTER (GenerationRow, generation_row, gboolean, winner, FALSE)

/* ---- AdmintMessageRow ---- */

struct _AdmintMessageRow
{
  GObject parent_instance;
  gint64  id;
  char   *generation_id;
  char   *role;
  char   *kind;
  char   *body_json;
  gint64  created;
};

G_DEFINE_FINAL_TYPE (AdmintMessageRow, admint_message_row, G_TYPE_OBJECT)

enum {
  MSG_PROP_0,
  MSG_PROP_ID,
  MSG_PROP_GENERATION_ID,
  MSG_PROP_ROLE,
  MSG_PROP_KIND,
  MSG_PROP_BODY_JSON,
  MSG_PROP_CREATED,
  MSG_N_PROPS
};

static GParamSpec *msg_properties[MSG_N_PROPS];

static void
admint_message_row_finalize (GObject *object)
{
  AdmintMessageRow *self = ADMINT_MESSAGE_ROW (object);

  g_free (self->generation_id);
  g_free (self->role);
  g_free (self->kind);
  g_free (self->body_json);
  G_OBJECT_CLASS (admint_message_row_parent_class)->finalize (object);
}

static void
admint_message_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AdmintMessageRow *self = ADMINT_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case MSG_PROP_ID: g_value_set_int64 (value, self->id); break;
    case MSG_PROP_GENERATION_ID: g_value_set_string (value, self->generation_id); break;
    case MSG_PROP_ROLE: g_value_set_string (value, self->role); break;
    case MSG_PROP_KIND: g_value_set_string (value, self->kind); break;
    case MSG_PROP_BODY_JSON: g_value_set_string (value, self->body_json); break;
    case MSG_PROP_CREATED: g_value_set_int64 (value, self->created); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
admint_message_row_class_init (AdmintMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags f = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = admint_message_row_finalize;
  object_class->get_property = admint_message_row_get_property;

  msg_properties[MSG_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, f);
  msg_properties[MSG_PROP_GENERATION_ID] =
    g_param_spec_string ("generation-id", NULL, NULL, NULL, f);
  msg_properties[MSG_PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, f);
  msg_properties[MSG_PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, f);
  msg_properties[MSG_PROP_BODY_JSON] = g_param_spec_string ("body-json", NULL, NULL, NULL, f);
  msg_properties[MSG_PROP_CREATED] =
    g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, f);
  g_object_class_install_properties (object_class, MSG_N_PROPS, msg_properties);
}

static void
admint_message_row_init (AdmintMessageRow *self)
{
}

AdmintMessageRow *
admint_message_row_new (gint64      id,
                        const char *generation_id,
                        const char *role,
                        const char *kind,
                        const char *body_json,
                        gint64      created)
{
  AdmintMessageRow *self = g_object_new (ADMINT_TYPE_MESSAGE_ROW, NULL);

  self->id = id;
  self->generation_id = g_strdup (generation_id);
  self->role = g_strdup (role);
  self->kind = g_strdup (kind);
  self->body_json = g_strdup (body_json);
  self->created = created;
  return self;
}

GETTER (MessageRow, message_row, gint64, id, 0)
GETTER (MessageRow, message_row, const char *, generation_id, NULL)
GETTER (MessageRow, message_row, const char *, role, NULL)
GETTER (MessageRow, message_row, const char *, kind, NULL)
GETTER (MessageRow, message_row, const char *, body_json, NULL)
GETTER (MessageRow, message_row, gint64, created, 0)

/* ---- AdmintAssetRow ---- */

struct _AdmintAssetRow
{
  GObject           parent_instance;
  AdmintAssetFields f;
};

G_DEFINE_FINAL_TYPE (AdmintAssetRow, admint_asset_row, G_TYPE_OBJECT)

enum {
  ASSET_PROP_0,
  ASSET_PROP_ID,
  ASSET_PROP_SHA256,
  ASSET_PROP_PATH,
  ASSET_PROP_THUMBNAIL_PATH,
  ASSET_PROP_ORIGINAL_NAME,
  ASSET_PROP_MIME,
  ASSET_PROP_KIND,
  ASSET_PROP_WIDTH,
  ASSET_PROP_HEIGHT,
  ASSET_N_PROPS
};

static GParamSpec *asset_properties[ASSET_N_PROPS];

static void
admint_asset_row_finalize (GObject *object)
{
  AdmintAssetRow *self = ADMINT_ASSET_ROW (object);

  g_free (self->f.sha256);
  g_free (self->f.path);
  g_free (self->f.thumbnail_path);
  g_free (self->f.original_name);
  g_free (self->f.mime);
  g_free (self->f.kind);
  g_strfreev (self->f.tags);
  G_OBJECT_CLASS (admint_asset_row_parent_class)->finalize (object);
}

static void
admint_asset_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AdmintAssetRow *self = ADMINT_ASSET_ROW (object);

  switch (prop_id)
    {
    case ASSET_PROP_ID: g_value_set_int64 (value, self->f.id); break;
    case ASSET_PROP_SHA256: g_value_set_string (value, self->f.sha256); break;
    case ASSET_PROP_PATH: g_value_set_string (value, self->f.path); break;
    case ASSET_PROP_THUMBNAIL_PATH: g_value_set_string (value, self->f.thumbnail_path); break;
    case ASSET_PROP_ORIGINAL_NAME: g_value_set_string (value, self->f.original_name); break;
    case ASSET_PROP_MIME: g_value_set_string (value, self->f.mime); break;
    case ASSET_PROP_KIND: g_value_set_string (value, self->f.kind); break;
    case ASSET_PROP_WIDTH: g_value_set_int (value, self->f.width); break;
    case ASSET_PROP_HEIGHT: g_value_set_int (value, self->f.height); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
admint_asset_row_class_init (AdmintAssetRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags f = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = admint_asset_row_finalize;
  object_class->get_property = admint_asset_row_get_property;

  asset_properties[ASSET_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, f);
  asset_properties[ASSET_PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, f);
  asset_properties[ASSET_PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, f);
  asset_properties[ASSET_PROP_THUMBNAIL_PATH] =
    g_param_spec_string ("thumbnail-path", NULL, NULL, NULL, f);
  asset_properties[ASSET_PROP_ORIGINAL_NAME] =
    g_param_spec_string ("original-name", NULL, NULL, NULL, f);
  asset_properties[ASSET_PROP_MIME] = g_param_spec_string ("mime", NULL, NULL, NULL, f);
  asset_properties[ASSET_PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, f);
  asset_properties[ASSET_PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, f);
  asset_properties[ASSET_PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, f);
  g_object_class_install_properties (object_class, ASSET_N_PROPS, asset_properties);
}

static void
admint_asset_row_init (AdmintAssetRow *self)
{
}

AdmintAssetRow *
admint_asset_row_new (AdmintAssetFields *fields)
{
  AdmintAssetRow *self = g_object_new (ADMINT_TYPE_ASSET_ROW, NULL);

  self->f = *fields;
  if (self->f.tags == NULL)
    self->f.tags = g_new0 (char *, 1);
  memset (fields, 0, sizeof *fields);
  return self;
}

#define ASSET_GETTER(ret, field, def) \
  ret admint_asset_row_get_##field (AdmintAssetRow *self) \
  { \
    g_return_val_if_fail (ADMINT_IS_ASSET_ROW (self), def); \
    return self->f.field; \
  }

ASSET_GETTER (gint64, id, 0)
ASSET_GETTER (const char *, sha256, NULL)
ASSET_GETTER (const char *, path, NULL)
ASSET_GETTER (const char *, thumbnail_path, NULL)
ASSET_GETTER (const char *, original_name, NULL)
ASSET_GETTER (const char *, mime, NULL)
ASSET_GETTER (const char *, kind, NULL)
ASSET_GETTER (int, width, 0)
ASSET_GETTER (int, height, 0)
ASSET_GETTER (double, duration, -1)
ASSET_GETTER (gint64, size, 0)
ASSET_GETTER (gint64, created, 0)

const char * const *
admint_asset_row_get_tags (AdmintAssetRow *self)
{
  g_return_val_if_fail (ADMINT_IS_ASSET_ROW (self), NULL);
  return (const char * const *) self->f.tags;
}

JsonNode *
admint_asset_row_to_json (AdmintAssetRow *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = NULL;

  g_return_val_if_fail (ADMINT_IS_ASSET_ROW (self), NULL);

  created = admint_store_format_time (self->f.created);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, self->f.id);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, self->f.sha256);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, self->f.path);
  json_builder_set_member_name (b, "thumbnail");
  if (self->f.thumbnail_path != NULL)
    json_builder_add_string_value (b, self->f.thumbnail_path);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "original_name");
  json_builder_add_string_value (b, self->f.original_name);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->f.kind);
  json_builder_set_member_name (b, "mime");
  json_builder_add_string_value (b, self->f.mime);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, self->f.width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, self->f.height);
  json_builder_set_member_name (b, "duration");
  if (self->f.duration >= 0)
    json_builder_add_double_value (b, self->f.duration);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, self->f.size);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; self->f.tags[i] != NULL; i++)
    json_builder_add_string_value (b, self->f.tags[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, created);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
