/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Constructors of the store's row objects: only the store makes them. */
#pragma once

#include "admint-store-rows.h"

G_BEGIN_DECLS

AdmintGenerationRow *admint_generation_row_new (const char *id,
                                                gint64      created,
                                                const char *prompt,
                                                const char *status,
                                                double      quality_score,
                                                double      cost);
/* What the history shows beside the brief: the ad's own name, its variant group, the pick. */
void                 admint_generation_row_set_variant (AdmintGenerationRow *self,
                                                        const char          *name,
                                                        const char          *group_id,
                                                        const char          *variant,
                                                        gboolean             winner);

AdmintMessageRow    *admint_message_row_new    (gint64      id,
                                                const char *generation_id,
                                                const char *role,
                                                const char *kind,
                                                const char *body_json,
                                                gint64      created);

/* Takes the strings from the caller: all are newly allocated and owned by the row after. */
typedef struct
{
  gint64  id;
  char   *sha256;
  char   *path;
  char   *thumbnail_path;
  char   *original_name;
  char   *mime;
  char   *kind;
  int     width;
  int     height;
  double  duration;
  gint64  size;
  char  **tags;
  gint64  created;
} AdmintAssetFields;

AdmintAssetRow      *admint_asset_row_new      (AdmintAssetFields *fields);

G_END_DECLS
