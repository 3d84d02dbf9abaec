/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scene layouts as data: where a scene's words, product and logo go, how they enter, how it ends. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The things a layout places, each in a box given as fractions of the title-safe area. */
typedef enum {
  ADMINT_SLOT_HEADLINE,
  ADMINT_SLOT_LINES,     /* two or three short lines revealed one by one */
  ADMINT_SLOT_FIGURE,    /* a big number that counts up */
  ADMINT_SLOT_CTA,       /* the call to action, drawn as a button */
  ADMINT_SLOT_HANDLE,    /* a web address or social handle */
  ADMINT_SLOT_BADGE,     /* an offer ("20% off"), drawn as a badge */
  ADMINT_SLOT_PRODUCT,
  ADMINT_SLOT_LOGO,
  ADMINT_N_SLOTS
} AdmintSlot;

#define ADMINT_N_TEXT_SLOTS ADMINT_SLOT_PRODUCT

typedef enum {
  ADMINT_LAYOUT_BG_DRIFT,    /* palette gradient with drifting soft shapes and a light sweep */
  ADMINT_LAYOUT_BG_MOOD,     /* the same, muted and desaturated */
  ADMINT_LAYOUT_BG_STUDIO,   /* a clean studio sweep for a product */
} AdmintLayoutBackground;

typedef enum {
  ADMINT_LAYOUT_PRODUCT_NONE,
  ADMINT_LAYOUT_PRODUCT_SIDE,
  ADMINT_LAYOUT_PRODUCT_HERO,
  ADMINT_LAYOUT_PRODUCT_CORNER,
} AdmintLayoutProduct;

typedef enum {
  ADMINT_LAYOUT_ENTER_WORDS,   /* word by word */
  ADMINT_LAYOUT_ENTER_LINES,   /* line by line */
  ADMINT_LAYOUT_ENTER_RISE,    /* each box rises into place, staggered */
  ADMINT_LAYOUT_ENTER_COUNT,   /* the figure counts up, the rest rises */
} AdmintLayoutEnter;

typedef enum {
  ADMINT_TRANSITION_CUT,
  ADMINT_TRANSITION_CROSSFADE,
  ADMINT_TRANSITION_PUSH,
  ADMINT_TRANSITION_ZOOM,
} AdmintTransition;

typedef enum {
  ADMINT_LAYOUT_WIDE,     /* 16:9 */
  ADMINT_LAYOUT_TALL,     /* 9:16 */
  ADMINT_LAYOUT_SQUARE,   /* 1:1 (the wide boxes unless the file gives its own) */
  ADMINT_LAYOUT_N_SHAPES
} AdmintLayoutShape;

typedef struct {
  double   x, y, w, h;   /* fractions of the title-safe area */
  gboolean set;
} AdmintLayoutBox;

typedef struct {
  char                   *name;
  char                   *description;
  char                   *origin;       /* the file it came from */
  GStrv                   beats;        /* beat names it serves, lower case */
  char                   *fallback;     /* the layout used when its content is missing */
  AdmintLayoutBackground  background;
  AdmintLayoutProduct     product;
  AdmintLayoutEnter       enter;
  AdmintTransition        transition;   /* how a scene in this layout ends */
  double                  size[ADMINT_N_TEXT_SLOTS];  /* font size, fraction of the short side */
  double                  size_tall[ADMINT_N_TEXT_SLOTS]; /* the same in a tall frame where
                                                           * the file gives one (tall-text:),
                                                           * else 0: size[] */
  AdmintLayoutBox         boxes[ADMINT_LAYOUT_N_SHAPES][ADMINT_N_SLOTS];
} AdmintLayout;

typedef struct _AdmintLayoutSet AdmintLayoutSet;

/* The built-in layouts, then $XDG_CONFIG_HOME/admint/layouts/ over them (same name:
 * replaced). Errors are "FILE:LINE:COLUMN: problem; fix" lines joined in one
 * ADMINT_ERROR_INVALID_INPUT. */
AdmintLayoutSet    *admint_layout_set_load        (GError           **error);
/* The same, loaded once per process; a broken user file is logged and the built-ins used. */
AdmintLayoutSet    *admint_layout_set_get_default (void);
/* An empty set, and one file's text added to it (label names it in errors). Fallbacks are
 * checked by admint_layout_set_check once every file is in. */
AdmintLayoutSet    *admint_layout_set_new         (void);
gboolean            admint_layout_set_add_text    (AdmintLayoutSet   *set,
                                                   const char        *label,
                                                   const char        *text,
                                                   gssize             length,
                                                   GError           **error);
gboolean            admint_layout_set_check       (AdmintLayoutSet   *set,
                                                   GError           **error);
void                admint_layout_set_free        (AdmintLayoutSet   *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintLayoutSet, admint_layout_set_free)

guint               admint_layout_set_get_n       (AdmintLayoutSet   *set);
const AdmintLayout *admint_layout_set_get         (AdmintLayoutSet   *set,
                                                   guint              index);
const AdmintLayout *admint_layout_set_lookup      (AdmintLayoutSet   *set,
                                                   const char        *name);

/* Whether LAYOUT serves BEAT (case-insensitive). */
gboolean            admint_layout_serves          (const AdmintLayout *layout,
                                                   const char         *beat);
const char         *admint_transition_to_string   (AdmintTransition    transition);

G_END_DECLS
