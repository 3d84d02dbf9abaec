/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An incremental parser of server-sent events (text/event-stream), fed as bytes arrive. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AdmintSseParser AdmintSseParser;

/* Called once per complete event: EVENT is its type ("message" unless named), DATA its data
 * lines joined with "\n". Return FALSE (with ERROR set) to stop the parser. */
typedef gboolean (*AdmintSseEventFunc) (const char  *event,
                                        const char  *data,
                                        gpointer     user_data,
                                        GError     **error);

AdmintSseParser *admint_sse_parser_new    (AdmintSseEventFunc  func,
                                           gpointer            user_data);
void             admint_sse_parser_free   (AdmintSseParser    *parser);

/* Feeds the next LEN bytes; lines may end in LF, CR or CRLF and may be split anywhere, even
 * between the CR and LF of one line ending. Comment lines (": …") are skipped. */
gboolean         admint_sse_parser_feed   (AdmintSseParser    *parser,
                                           const char         *data,
                                           gsize               len,
                                           GError            **error);

/* Number of events dispatched so far. */
guint            admint_sse_parser_get_n_events (AdmintSseParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintSseParser, admint_sse_parser_free)

G_END_DECLS
