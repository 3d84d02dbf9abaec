/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of the config area: libyaml documents with positions, framework/prompt builders. */
#pragma once

#include <yaml.h>

#include "admint-config.h"

G_BEGIN_DECLS

/* One parsed YAML file: its label for messages (a path, or a resource path for built-ins), its
 * text (to place positions inside scalars) and libyaml's document with 0-based marks. */
typedef struct
{
  char            *label;
  char            *text;
  gsize            length;
  yaml_document_t  document;
  gboolean         has_document;
} AdmintYamlFile;

/* Parses text. On malformed YAML, appends "LABEL:LINE:COLUMN: …" to errors and returns NULL. */
AdmintYamlFile *admint_yaml_file_parse   (const char *label,
                                          const char *text,
                                          gsize       length,
                                          GPtrArray  *errors);
void            admint_yaml_file_free    (AdmintYamlFile *file);
yaml_node_t    *admint_yaml_file_root    (AdmintYamlFile *file);
yaml_node_t    *admint_yaml_file_node    (AdmintYamlFile *file,
                                          int             index);

/* Appends "LABEL:LINE:COLUMN: message" (1-based) to errors. */
void            admint_yaml_error        (GPtrArray      *errors,
                                          AdmintYamlFile *file,
                                          yaml_mark_t     mark,
                                          const char     *format,
                                          ...) G_GNUC_PRINTF (4, 5);

/* The mark of byte offset `offset` inside a scalar node's value, found in the source text
 * (exact for placeholders, which hold no characters YAML escapes or folds). */
yaml_mark_t     admint_yaml_scalar_mark  (AdmintYamlFile *file,
                                          yaml_node_t    *node,
                                          const char     *needle);

const char     *admint_yaml_scalar       (yaml_node_t *node);
gboolean        admint_yaml_is_plain     (yaml_node_t *node);
gboolean        admint_yaml_is_null      (yaml_node_t *node);
/* "a mapping", "a list", "“text”", "nothing": what the user wrote, for messages. */
char           *admint_yaml_describe     (yaml_node_t *node);

gboolean        admint_yaml_parse_bool   (const char *text,
                                          gboolean   *out);
gboolean        admint_yaml_parse_int    (const char *text,
                                          gint64     *out);
gboolean        admint_yaml_parse_double (const char *text,
                                          double     *out);

/* A scalar, list or mapping as JSON (plain scalars typed as YAML would type them). Appends an
 * error and returns NULL for duplicate keys or non-scalar keys. */
JsonNode       *admint_yaml_to_json      (AdmintYamlFile *file,
                                          yaml_node_t    *node,
                                          GPtrArray      *errors);

/* Frameworks and prompts, built by the loader once validated. beats holds name, goal, name,
 * goal… (char *). */
AdmintFramework *admint_framework_new (const char *name,
                                       const char *description,
                                       GPtrArray  *beats,
                                       const char *origin);
AdmintPrompt    *admint_prompt_new    (const char *agent,
                                       const char *system_prompt,
                                       const char *user_template);

/* Walks the placeholders of a template: returns FALSE when there are no more; otherwise sets
 * name (a new string) and *pos past it. */
gboolean admint_prompt_next_placeholder (const char  *text,
                                         gsize       *pos,
                                         char       **name,
                                         gsize       *start);

G_END_DECLS
