/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one entry point the front ends use: loads the config once, builds the providers, starts,
 * resumes and varies generations, ranks variants and reads batch files. */
#pragma once

#include <gio/gio.h>

#include "admint-config.h"
#include "admint-generation.h"
#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_STUDIO (admint_studio_get_type ())
G_DECLARE_FINAL_TYPE (AdmintStudio, admint_studio, ADMINT, STUDIO, GObject)

#define ADMINT_STUDIO_MAX_VARIANTS 8

/* What a new ad is made from. */
typedef struct {
  const char           *prompt;
  const char           *framework;  /* NULL: AIDA; with variants, AIDA, PAS and FAB in turn */
  GPtrArray            *assets;     /* AdmintAssetRow, may be NULL */
  AdmintGenerationMode  mode;       /* variants always run straight through */
  gint64                seed;       /* < 0: a random one */
  double                max_cost;   /* spending allowed beyond the budget; < 0: none */
  guint                 variants;   /* 0 or 1: one ad; up to ADMINT_STUDIO_MAX_VARIANTS */
  const char           *style;      /* a brand style's name; NULL: the default one, "": none */
} AdmintStartOptions;

#define ADMINT_START_OPTIONS_INIT { NULL, NULL, NULL, ADMINT_GENERATION_AUTO, -1, -1, 1 }

typedef enum {
  ADMINT_RESUME_STORED_SETTINGS = 0,       /* the config the generation started with */
  ADMINT_RESUME_CURRENT_CONFIG  = 1 << 0,  /* the studio's config instead */
} AdmintResumeFlags;

/* One brief of a batch file: the prompt and the generate options it sets (NULL/-1: unset). */
typedef struct {
  char   *prompt;
  char   *framework;
  char   *aspect;
  char   *llm;
  char   *images;
  char   *video;
  char   *output;
  char   *config;
  GStrv   assets;
  gint64  variants;   /* -1: unset */
  gint64  seed;       /* -1: unset */
  double  max_cost;   /* < 0: unset */
} AdmintBatchBrief;

typedef struct {
  guint      concurrency;
  GPtrArray *briefs;    /* AdmintBatchBrief */
} AdmintBatch;

void admint_batch_free (AdmintBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintBatch, admint_batch_free)

/* STORE NULL opens the default library (errors say why it cannot be opened). */
AdmintStudio *admint_studio_new          (AdmintStore                *store,
                                          GError                    **error);
/* Loads the config (CONFIG_FILE, or NULL for the user's) once; a bad config is
 * ADMINT_ERROR_INVALID_CONFIG naming each problem. */
gboolean      admint_studio_load_config  (AdmintStudio               *self,
                                          const char                 *config_file,
                                          GError                    **error);
/* The loaded config (NULL before admint_studio_load_config). */
AdmintConfig *admint_studio_get_config   (AdmintStudio               *self);
AdmintStore  *admint_studio_get_store    (AdmintStudio               *self);
/* Sets one config key for what the studio starts from now on, validated like the YAML; a
 * resume with the stored settings gets it on top of them too. */
gboolean      admint_studio_set          (AdmintStudio               *self,
                                          const char                 *key,
                                          const char                 *value,
                                          GError                    **error);
/* The asset size limits of the loaded config (the defaults before one is loaded). */
void          admint_studio_get_asset_limits (AdmintStudio           *self,
                                              AdmintAssetLimits      *limits);

/* Checks the brief and stores one generation, or a group of variants; they are not run yet
 * (admint_generation_run each). GROUP_ID (may be NULL) receives the group's id with
 * variants. Returns a GPtrArray of AdmintGeneration, or NULL with ERROR set before anything is
 * spent. */
GPtrArray    *admint_studio_start        (AdmintStudio               *self,
                                          const AdmintStartOptions   *options,
                                          char                      **group_id,
                                          GError                    **error);
/* Loads stored generation ID with the settings it started with (or the studio's config with
 * ADMINT_RESUME_CURRENT_CONFIG), ready to run on from where it stopped. */
AdmintGeneration *admint_studio_resume   (AdmintStudio               *self,
                                          const char                 *id,
                                          AdmintGenerationMode        mode,
                                          AdmintResumeFlags           flags,
                                          GError                    **error);
/* Sorts variants best first (by the whole video's quality score; unscored last). */
void          admint_studio_rank         (GPtrArray                  *generations);

/* Reads a batch file: a list of briefs, or {concurrency: N, briefs: [...]}; each brief a
 * string or an object of generate's options. Problems are ADMINT_ERROR_INVALID_INPUT, one
 * line each. */
AdmintBatch  *admint_studio_parse_batch  (const char                 *path,
                                          GError                    **error);

G_END_DECLS
