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

/* The product's name in a sentence: the brand, or "the <Product In Title Case>". */
char     *admint_local_named_title    (const AdmintBrief *brief);
/* What the product is, in lower case: the brief's product, or, when that is the brand itself
 * ("XYZ Flask 2"), its last common word ("flask"). */
char     *admint_local_generic_product (const AdmintBrief *brief);
/* A quality as a short benefit with a verb or an object: "reusable" -> "Refill it, skip the
 * plastic"; an unknown one -> "A <quality> <noun> that lasts". */
char     *admint_local_quality_phrase (const char        *quality,
                                       const char        *product);
/* Words of voice-over that fit a scene of DURATION seconds: spoken from 0.2 s after its cut to
 * 0.3 s before the next, at ADMINT_SCENE_WORDS_PER_SECOND. */
guint     admint_scene_word_budget    (double             duration);

/* TEXT's sentences, each with its closing mark. */
GStrv     admint_split_sentences      (const char        *text);
/* Cuts each scene's voice-over to admint_scene_word_budget of its duration, keeping what it
 * must say (the product's name first, the brief's claims, the call to action). */
void      admint_local_fit_voice_over (JsonArray         *scenes,
                                       const AdmintBrief *brief);

G_END_DECLS
