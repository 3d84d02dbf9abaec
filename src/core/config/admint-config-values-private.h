/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the config's files share: the schema's types, the values, and the loading steps. */
#pragma once

#include "admint-config-private.h"

G_BEGIN_DECLS

typedef enum {
  VT_BOOL,
  VT_INT,
  VT_DOUBLE,
  VT_STRING,
  VT_OBJECT,
} ValueType;

enum {
  F_URL = 1 << 0,            /* an http(s) URL with a host */
  F_NONEMPTY = 1 << 1,
  F_TEMPLATE = 1 << 2,       /* a prompt template: placeholders of its agent only */
  F_STRING_MEMBERS = 1 << 3, /* an object of strings whose member names are `choices` */
};

typedef struct
{
  const char         *key;
  ValueType           type;
  double              min;
  double              max;
  const char * const *choices;
  guint               flags;
} KeySpec;

/* Every key, in the order `config show` prints them. docs/config.md describes each one. */
extern const KeySpec config_schema[];
extern const gsize   config_schema_length;

typedef struct
{
  const KeySpec *spec;
  JsonNode      *value;
  char          *origin;       /* "default", "FILE:LINE", "--config FILE:LINE", "env X", "flag" */
  char          *position;     /* "FILE:LINE:COLUMN" when it came from a file */
  int            rank;         /* the layer it came from: higher overrides lower */
  GHashTable    *member_origins;
} Entry;

struct _AdmintConfig
{
  GObject     parent_instance;

  GHashTable *entries;     /* key -> Entry */
  GHashTable *frameworks;  /* casefolded name -> AdmintFramework */
};

typedef enum {
  FILE_CONFIG,     /* stages:, providers:, …, prompts:, frameworks: */
  FILE_PROMPT,     /* system_prompt and user_prompt_template of one agent */
  FILE_FRAMEWORK,  /* one framework */
} FileKind;

/* The layers, lowest first: a value from a higher one overrides a lower one's. */
enum {
  RANK_DEFAULT,
  RANK_USER,
  RANK_USER_FRAMEWORKS,
  RANK_CLI,
  RANK_ENV,
  RANK_FLAG,
};

G_GNUC_INTERNAL
const KeySpec *config_schema_lookup (const char *key);

/* The names directly under a section ("" is the top level), in schema order. */
G_GNUC_INTERNAL
GPtrArray *config_schema_children (const char *section);

G_GNUC_INTERNAL
gboolean config_schema_is_section (const char *path);

G_GNUC_INTERNAL
char *config_join_names (GPtrArray *names);

G_GNUC_INTERNAL
char *config_join_strv (const char * const *names,
                        const char         *before,
                        const char         *after);

/* " (did you mean “x”?)" when a known name is close to what was written. */
G_GNUC_INTERNAL
char *config_did_you_mean (const char *written,
                           GPtrArray  *names);

/* " (did you mean “a”, “b” or “c”?)": up to three keys close to WRITTEN, or "". */
G_GNUC_INTERNAL
char *config_near_keys (const char *written);

G_GNUC_INTERNAL
void config_entry_free (Entry *entry);

G_GNUC_INTERNAL
Entry *config_entry_new (const KeySpec *spec,
                         JsonNode      *value,
                         const char    *origin,
                         const char    *position,
                         int            rank);

/* Checks a scalar's text against its key. `plain` says whether YAML would type it (unquoted).
 * Returns the typed value, or NULL and a problem ("what is wrong and what is allowed"). */
G_GNUC_INTERNAL
JsonNode *config_check_scalar (const KeySpec  *spec,
                               const char     *text,
                               gboolean        plain,
                               const char     *shown,
                               char          **problem);

/* Validates one file and, when it has no problem at all, applies it. Problems go to errors. */
G_GNUC_INTERNAL
gboolean config_load_text (AdmintConfig *self,
                           const char   *label,
                           const char   *text,
                           gsize         length,
                           FileKind      kind,
                           const char   *prompt_agent,
                           const char   *origin_prefix,
                           int           rank,
                           GPtrArray    *errors);

G_GNUC_INTERNAL
gboolean config_load_file (AdmintConfig  *self,
                           const char    *path,
                           const char    *what,
                           FileKind       kind,
                           const char    *origin_prefix,
                           int            rank,
                           GPtrArray     *errors,
                           GError       **error);

G_GNUC_INTERNAL
gboolean config_take_errors (GPtrArray  *errors,
                             GError    **error);

/* Rules between keys, checked on the merged result. The position is the later layer's. */
G_GNUC_INTERNAL
void config_cross_check (AdmintConfig *self,
                         GPtrArray    *errors);

/* Calls back for each distinct placeholder the agent does not provide. */
G_GNUC_INTERNAL
void config_check_template (const KeySpec *spec,
                            const char    *text,
                            void         (*report) (const char *bad,
                                                    const char *problem,
                                                    gpointer    data),
                            gpointer       data);

G_END_DECLS
