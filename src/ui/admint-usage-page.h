/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Usage page: spend per day by provider, each ad's cost and quality, the totals. */
#pragma once

#include <adwaita.h>

#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_USAGE_PAGE (admint_usage_page_get_type ())
G_DECLARE_FINAL_TYPE (AdmintUsagePage, admint_usage_page, ADMINT, USAGE_PAGE, AdwBin)

/* Signals:
 *   "export-requested" (const char *generation_id): the Export button of an ad's row.
 *   "refreshed": a new report is shown. */

AdmintUsagePage *admint_usage_page_new         (void);
void             admint_usage_page_set_store   (AdmintUsagePage *self,
                                                AdmintStore     *store);
/* Reads the usage rows again (off the main loop); the page also does when it is shown. */
void             admint_usage_page_refresh     (AdmintUsagePage *self);
/* The figures of the chart as text, one line a day with spend (what assistive technology
 * reads for the chart). */
const char      *admint_usage_page_get_summary (AdmintUsagePage *self);

G_END_DECLS
