/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scene's insides, shared by admint-scene.c and its background (admint-scene-background.c). */
#pragma once

#include <cairo.h>

#include "admint-scene.h"

G_BEGIN_DECLS

#define BG_OVERSCAN 1.16      /* the background is drawn this much larger, then drifts */
#define N_MOTES 14            /* bokeh discs rising through the background */
#define N_MOTES_TALL 26       /* more of them in a tall frame, where nothing else travels far */
#define MOTE_ALPHA 0.2        /* their strongest opacity */

typedef struct { double r, g, b; } Rgb;

/* One bokeh disc: where it starts and how it travels, drawn once at its own size as an alpha
 * mask (the colour is one for all of them), so a frame only blends it at a whole pixel. */
typedef struct {
  cairo_surface_t *mask;       /* A8 */
  double           r;          /* its radius */
  double           speed, sway, y0, x0, alpha;
} Mote;

/* One text box, drawn once; its pieces (words or lines) enter on their own. */
typedef struct {
  AdmintTextBox    box;
  cairo_surface_t *surface;     /* text (and plate) at box size */
  GArray          *pieces;      /* cairo_rectangle_t in surface coordinates */
  GArray          *starts;      /* double: each piece's entrance time */
  /* The figure counts up: redrawn each frame from these. */
  char            *prefix, *suffix;
  double           value;
  int              decimals;
  Rgb              fg;
  double           font_px;
  double           align_x;
} Text;

struct _AdmintScene
{
  int                 width, height;
  double              duration;
  const AdmintLayout *layout;
  AdmintLayoutShape   shape;
  double              sx, sy, sw, sh;      /* the safe area */
  Rgb                 primary, accent;
  cairo_surface_t    *background;          /* BG_OVERSCAN × the frame */
  cairo_surface_t    *blob;                /* a soft light (A8), drifting over the background */
  Rgb                 blob_colour;
  cairo_surface_t    *sweep;               /* the diagonal light sweep's alpha (A8), drawn once:
                                            * a frame only moves it sideways */
  cairo_surface_t    *product;             /* cut out or carded, with its shadow */
  double              product_x, product_y;
  cairo_surface_t    *logo;
  double              logo_x, logo_y;
  GArray             *texts;               /* Text */
  AdmintTransition    in, out;
  cairo_surface_t    *scratch;             /* the foreground, during transitions */
  Mote                motes[N_MOTES_TALL]; /* bokeh discs, rising over the background */
  int                 n_motes;
  Rgb                 mote_colour;
  guint32             seed;                /* places the motes: the scene's own pattern */
  gboolean            mirror;              /* the background drifts the other way */
  guint               filled;              /* bit per text slot the job gives words for */
  AdmintLayoutBox     laid[ADMINT_N_TEXT_SLOTS]; /* each text's box once laid out (grown) */
  AdmintLayoutBackground bg;               /* the background drawn: the layout's, or drift
                                            * when a studio sweep would have nothing on it */
};
static inline Rgb
mix (Rgb a, Rgb b, double k)
{
  return (Rgb) { a.r + (b.r - a.r) * k, a.g + (b.g - a.g) * k, a.b + (b.b - a.b) * k };
}

static inline Rgb
desaturate (Rgb c, double k)
{
  double grey = 0.3 * c.r + 0.59 * c.g + 0.11 * c.b;
  return mix (c, (Rgb) { grey, grey, grey }, k);
}

static const Rgb white = { 1, 1, 1 }, black = { 0, 0, 0 };

cairo_surface_t *admint_scene_draw_background (AdmintScene           *scene,
                                               const AdmintRenderJob *job);
cairo_surface_t *admint_scene_draw_blob       (int                    radius);
void             admint_scene_prepare_lights  (AdmintScene           *scene);
void             admint_scene_clear_lights    (AdmintScene           *scene);
void             admint_scene_paint_background (AdmintScene          *scene,
                                                cairo_t              *cr,
                                                double                t);

G_END_DECLS
