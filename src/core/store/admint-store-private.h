/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Store internals shared with its tests: the schema steps and raw access to a connection. */
#pragma once

#include <sqlite3.h>
#include <glib.h>

#include "admint-store.h"

G_BEGIN_DECLS

/* The user_version of db (0 for a new database); -1 on error. */
int      admint_store_schema_get_version (sqlite3     *db,
                                          GError     **error);

/* Runs every step from db's user_version up to target, each in its own transaction. Tests use
 * a target below ADMINT_STORE_SCHEMA_VERSION to build the databases earlier versions made. */
gboolean admint_store_schema_migrate     (sqlite3     *db,
                                          int          target,
                                          GError     **error);

/* A connection of its own to STORE's database (foreign keys on, a 5 s busy wait), for the
 * library's and the brand styles' work in their workers; NULL and an error saying what to do. */
sqlite3 *admint_store_library_open       (AdmintStore *store,
                                          GError     **error);
/* Sets ERROR to "Cannot WHAT in the library" with DB's message; returns FALSE. */
gboolean admint_store_library_fail       (sqlite3     *db,
                                          const char  *what,
                                          GError     **error);

G_END_DECLS

G_BEGIN_DECLS

/* What the bytes of a file say it is (admint-asset-file.c). */
typedef enum {
  ADMINT_SNIFF_UNKNOWN,
  ADMINT_SNIFF_RASTER,
  ADMINT_SNIFF_SVG,
  ADMINT_SNIFF_AUDIO,
} AdmintSniffClass;

typedef struct
{
  AdmintSniffClass  klass;
  const char       *mime;
  const char       *extension;
  const char       *label;      /* "PNG image", for messages */
} AdmintSniffResult;

void admint_asset_sniff (const guint8      *head,
                         gsize              len,
                         AdmintSniffResult *out);

/* A file on its way into media/: copied to a temporary name beside its final place. */
typedef struct
{
  char   *source;          /* as the user named it */
  char   *tmp_path;
  char   *tmp_thumb_path;
  char   *sha256;
  gint64  size;
  AdmintSniffResult type;
  int     width;
  int     height;
  double  duration;
} AdmintAssetStaging;

void     admint_asset_staging_clear (AdmintAssetStaging *staging);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AdmintAssetStaging, admint_asset_staging_clear)

/* Copies source into media_dir under a temporary name, hashing and sniffing it; checks the
 * per-file limit. */
gboolean admint_asset_stage        (AdmintAssetStaging  *staging,
                                    const char          *source,
                                    const char          *media_dir,
                                    gint64               max_file_bytes,
                                    GError             **error);

/* Removes the .import-* and thumbnails/.thumb-* files that imports killed half-way left in
 * media_dir: those of processes no longer running (and, for names without a process id, over
 * an hour old). admint_asset_stage calls it once per process and folder; opening the store may
 * too. */
void     admint_asset_clean_stale  (const char          *media_dir);

/* Decodes the staged copy fully (images: size and thumbnail; audio: duration). */
gboolean admint_asset_probe        (AdmintAssetStaging  *staging,
                                    const char          *media_dir,
                                    GError             **error);

G_END_DECLS
