/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a brief says: the product, the audience, the length, the brand, the benefits and tone. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char      *text;            /* the brief as the user wrote it */
  char      *product;         /* "eco-friendly water bottle" */
  char      *audience;        /* "hikers"; NULL when the brief names none */
  char      *brand;           /* a name the brief gives ("AquaPeak"), else NULL */
  GPtrArray *benefits;        /* of char*, verb clauses: "keeps water cold for 24 hours" */
  GPtrArray *features;        /* of char*, noun phrases: "a lifetime warranty" */
  GPtrArray *qualities;       /* of char*, adjectives: "eco-friendly", "reusable" */
  char      *tone;            /* "playful", "premium", "emotional", … or NULL */
  int        target_seconds;  /* from the brief, or 0 when it gives none */
  GPtrArray *claims;          /* of char*: every concrete claim, number or offer, as written
                               * ("keeps water cold for 24 hours", "20% off your first order") */
  char      *handle;          /* a web address or @handle the brief gives, else NULL */
} AdmintBrief;

AdmintBrief *admint_brief_parse (const char  *text);
void         admint_brief_free  (AdmintBrief *brief);

/* The first claim with a number in it, split for a count-up: "keeps water cold for 24 hours"
 * -> figure "24 h", label "Keeps water cold". NULL when no claim has a number. */
gboolean     admint_brief_get_figure (const AdmintBrief *brief,
                                      char             **figure,
                                      char             **label,
                                      guint             *claim_index);

/* The brand if given, else the product: how the ad names what it sells. */
const char  *admint_brief_get_name (const AdmintBrief *brief);

/* The brand, or the product in title case: the name as on-screen text shows it. */
char        *admint_brief_get_title (const AdmintBrief *brief);

/* "eco-friendly water bottle" -> "Eco-Friendly Water Bottle". */
char        *admint_title_case      (const char        *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintBrief, admint_brief_free)

G_END_DECLS
