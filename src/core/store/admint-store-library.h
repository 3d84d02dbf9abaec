/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library views' queries and edits: kind and tags, spend by day, storage, purging. */
#pragma once

#include <gio/gio.h>

#include "admint-store.h"

G_BEGIN_DECLS

/* The kinds an asset can be given. */
gboolean admint_asset_kind_is_valid (const char *kind);

/* Sets the asset's kind and tags (tags: lowercase words as `assets add --tag` takes; NULL: none).
 * ADMINT_ERROR_NOT_FOUND for an unknown id, ADMINT_ERROR_INVALID_INPUT for a bad kind or tag. */
void     admint_store_update_asset_async  (AdmintStore         *self,
                                           gint64               id,
                                           const char          *kind,
                                           const char * const  *tags,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean admint_store_update_asset_finish (AdmintStore         *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* ---- spend ---- */

typedef struct
{
  char   *day;       /* "2026-11-30", UTC */
  char   *provider;
  double  cost_usd;
} AdmintUsageDay;

typedef struct
{
  char   *id;
  char   *prompt;
  char   *status;
  gint64  created;        /* unix microseconds */
  double  cost_usd;
  double  quality_score;  /* < 0: not scored */
} AdmintUsageGeneration;

typedef struct
{
  guint       n_days;
  char      **days;          /* the N_DAYS dates of the window, oldest first */
  char      **providers;     /* sorted: every provider with spend in the window */
  GArray     *spend;         /* AdmintUsageDay, only the non-zero ones */
  GPtrArray  *generations;   /* AdmintUsageGeneration, newest first, soft-deleted excluded */
  double      window_total;  /* USD in the window */
  double      all_time_total;
} AdmintUsageReport;

void admint_usage_report_free (AdmintUsageReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintUsageReport, admint_usage_report_free)

/* The day's spend by provider, 0 when none. */
double admint_usage_report_get_spend (AdmintUsageReport *report,
                                      const char        *day,
                                      const char        *provider);

/* The last N_DAYS days up to TODAY (UTC; NULL: now) from the usage rows. */
void               admint_store_usage_report_async  (AdmintStore         *self,
                                                     guint                n_days,
                                                     GDateTime           *today,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
AdmintUsageReport *admint_store_usage_report_finish (AdmintStore         *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* ---- storage ---- */

/* Bytes the data folder holds: the database, its journal and media/. */
void     admint_store_data_size_async  (AdmintStore         *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gint64   admint_store_data_size_finish (AdmintStore         *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Removes for good the generations that failed or were cancelled, the deleted ones, and, when
 * OLDER_THAN_DAYS > 0, those created before then; with their media folders. Assets stay.
 * The number removed is the result. */
void     admint_store_purge_generations_async  (AdmintStore         *self,
                                                guint                older_than_days,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gint64   admint_store_purge_generations_finish (AdmintStore         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS

G_BEGIN_DECLS

/* admint_store_remove_asset in a GTask thread. */
void     admint_store_remove_asset_async  (AdmintStore         *self,
                                           gint64               id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean admint_store_remove_asset_finish (AdmintStore         *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
