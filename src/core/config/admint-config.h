/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The effective configuration: built-in YAML defaults, user files, --config, env and flags. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- frameworks ------------------------------------------------------------------------- */

/* An ad framework (AIDA, PAS, FAB or a user's own): a name, a description and ordered beats,
 * each with a goal. Immutable and reference counted. */
typedef struct _AdmintFramework AdmintFramework;

#define ADMINT_TYPE_FRAMEWORK (admint_framework_get_type ())
GType            admint_framework_get_type        (void) G_GNUC_CONST;
AdmintFramework *admint_framework_ref             (AdmintFramework *framework);
void             admint_framework_unref           (AdmintFramework *framework);
const char      *admint_framework_get_name        (AdmintFramework *framework);
const char      *admint_framework_get_description (AdmintFramework *framework);
guint            admint_framework_get_n_beats     (AdmintFramework *framework);
const char      *admint_framework_get_beat_name   (AdmintFramework *framework,
                                                   guint            index);
const char      *admint_framework_get_beat_goal   (AdmintFramework *framework,
                                                   guint            index);
/* Where it was defined: a resource path for built-ins, else FILE:LINE. */
const char      *admint_framework_get_origin      (AdmintFramework *framework);
/* "1. Attention: goal\n2. Interest: goal\n…", the value of the {beats} placeholder. */
char            *admint_framework_format_beats    (AdmintFramework *framework);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintFramework, admint_framework_unref)

/* ---- prompts ---------------------------------------------------------------------------- */

/* One agent's prompt pair. Both texts are templates: `{name}` is a placeholder the agent fills
 * in, `{{` and `}}` are literal braces, any other brace is literal. Immutable, ref counted. */
typedef struct _AdmintPrompt AdmintPrompt;

#define ADMINT_TYPE_PROMPT (admint_prompt_get_type ())
GType         admint_prompt_get_type          (void) G_GNUC_CONST;
AdmintPrompt *admint_prompt_ref               (AdmintPrompt *prompt);
void          admint_prompt_unref             (AdmintPrompt *prompt);
const char   *admint_prompt_get_agent         (AdmintPrompt *prompt);
const char   *admint_prompt_get_system_prompt (AdmintPrompt *prompt);
const char   *admint_prompt_get_user_template (AdmintPrompt *prompt);
/* Renders system_prompt / user_prompt_template with values (char * -> char *). */
char         *admint_prompt_render_system     (AdmintPrompt *prompt,
                                               GHashTable   *values,
                                               GError      **error);
char         *admint_prompt_render_user       (AdmintPrompt *prompt,
                                               GHashTable   *values,
                                               GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintPrompt, admint_prompt_unref)

/* The agents, NULL-terminated: director, critic, reference_analyst, scene_writer,
 * scene_critic, cohesor, intent. */
const char * const *admint_prompt_list_agents        (void);
/* The placeholders an agent provides (NULL-terminated), or NULL for an unknown agent. A
 * template of that agent may use these and no others. */
const char * const *admint_prompt_agent_placeholders (const char *agent);

/* Replaces each {name} in template by values[name] (a char *). A placeholder with no value is
 * an ADMINT_ERROR_FAILED error (the caller forgot to provide it). */
char *admint_prompt_render (const char  *template_text,
                            GHashTable  *values,
                            GError     **error);

/* ---- the configuration ------------------------------------------------------------------ */

#define ADMINT_TYPE_CONFIG (admint_config_get_type ())
G_DECLARE_FINAL_TYPE (AdmintConfig, admint_config, ADMINT, CONFIG, GObject)

/* Layers, each overriding the one before: built-in defaults (GResource) <-
 * $XDG_CONFIG_HOME/admint/config.yaml and $XDG_CONFIG_HOME/admint/frameworks/\*.yaml <-
 * cli_file (--config, nullable) <- environment (ADMINT_OPENAI_BASE_URL,
 * ADMINT_REPLICATE_BASE_URL). Every layer is validated as it is read; all problems of a file
 * come back at once in one ADMINT_ERROR_INVALID_CONFIG error, one "FILE:LINE:COLUMN: …" line
 * each. A missing cli_file is ADMINT_ERROR_NOT_FOUND. */
AdmintConfig *admint_config_load          (const char *cli_file,
                                           GError    **error);
/* The built-in defaults alone (they are validated by the test suite, so this cannot fail). */
AdmintConfig *admint_config_load_defaults (void);

/* Validates one file as a --config layer on top of the defaults (not the user's config). */
gboolean      admint_config_check_file    (const char *file,
                                           GError    **error);

/* Getters take a dotted key such as "stages.clips.max_concurrent". A key the schema does not
 * have, or one of another type, is a programming error: g_critical and a zero value. */
gint64        admint_config_get_int       (AdmintConfig *self,
                                           const char   *dotted_key);
/* Integer keys may be read as double too. */
double        admint_config_get_double    (AdmintConfig *self,
                                           const char   *dotted_key);
gboolean      admint_config_get_boolean   (AdmintConfig *self,
                                           const char   *dotted_key);
const char   *admint_config_get_string    (AdmintConfig *self,
                                           const char   *dotted_key);
/* Free-form maps such as providers.video.options and providers.video.inputs (transfer none). */
JsonObject   *admint_config_get_object    (AdmintConfig *self,
                                           const char   *dotted_key);
/* Where the key's value came from: "default", "FILE:LINE", "--config FILE:LINE",
 * "env VAR" or "flag". */
const char   *admint_config_get_origin    (AdmintConfig *self,
                                           const char   *dotted_key);

/* A value from a command-line flag (--llm openai, --aspect 9:16), parsed for the key's type and
 * validated like YAML. An unknown key or bad value is ADMINT_ERROR_INVALID_CONFIG. */
void          admint_config_set_override  (AdmintConfig *self,
                                           const char   *dotted_key,
                                           const char   *value,
                                           GError      **error);

/* The effective configuration as YAML that `admint config check` accepts; with_origins adds a
 * comment after each value saying where it came from. */
char         *admint_config_to_yaml       (AdmintConfig *self,
                                           gboolean      with_origins);

/* The effective values as one JSON object shaped like the YAML (stages: {story: {…}}, …,
 * prompts, frameworks: […]), without origins: the snapshot a generation is stored with.
 * Transfer full. */
JsonNode     *admint_config_to_json       (AdmintConfig *self);
/* The defaults with a snapshot from admint_config_to_json on top (JSON is YAML, so it is
 * validated like any config file, labelled "snapshot"); used to resume a generation with the
 * settings it started with. */
AdmintConfig *admint_config_load_snapshot (const char   *json_text,
                                           GError      **error);

/* The config's frameworks as sorted names (transfer full, char * elements). */
GPtrArray       *admint_config_list_frameworks (AdmintConfig *self);
/* Case-insensitive. NULL and ADMINT_ERROR_NOT_FOUND naming the known ones when unknown.
 * Transfer full. */
AdmintFramework *admint_config_get_framework   (AdmintConfig *self,
                                                const char   *name,
                                                GError      **error);
/* Transfer full; NULL with a g_critical for an agent not in admint_prompt_list_agents(). */
AdmintPrompt    *admint_config_get_prompt      (AdmintConfig *self,
                                                const char   *agent);

G_END_DECLS
