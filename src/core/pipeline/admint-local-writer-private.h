/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals the local writer's files share. */
#pragma once

#include "admint-local-writer.h"

G_BEGIN_DECLS

/* At most MAX_WORDS of TEXT's first sentence or clause, for on-screen text. */
char     *admint_headline             (const char        *text,
                                       guint              max_words);
/* Whether HAYSTACK mentions NEEDLE, ignoring case. */
gboolean  admint_text_mentions        (const char        *haystack,
                                       const char        *needle);
/* Gives each scene a layout (data/layouts) following its beat, none twice in a row, and the
 * on-screen words from the brief: the product named first, every claim on screen or said, no
 * line twice, the call to action last. Adds layout, transition_in, lines, figure, cta, handle. */
void      admint_local_lay_out_scenes (JsonArray         *scenes,
                                       JsonObject        *story,
                                       const AdmintBrief *brief,
                                       guint32            seed);

/* What a marketer would fault in the copy: repeated lines, lines with no basis in the brief,
 * words too long to fit, the product named late, no call to action. Appends reasons; returns
 * the points (of 10) to take off. */
double    admint_local_critique_copy  (JsonArray         *scenes,
                                       const AdmintBrief *brief,
                                       GPtrArray         *reasons);

G_END_DECLS
