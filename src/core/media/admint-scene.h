/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A laid-out scene: moving background, product, kinetic type and transitions, painted per frame. */
#pragma once

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-layout.h"
#include "admint-render.h"

G_BEGIN_DECLS

/* Where one text box landed, in frame pixels, and how legible it is. */
typedef struct {
  AdmintSlot slot;
  double     x, y, width, height;  /* the ink's box (text plus its plate, if any) */
  double     font_px;
  double     contrast;             /* worst WCAG ratio against what can be behind it */
  gboolean   plated;               /* on a scrim or button of the brand colour */
} AdmintTextBox;

typedef struct _AdmintScene AdmintScene;

/* Prepares JOB (whose layout must name a known layout) for painting at its frame size. */
AdmintScene  *admint_scene_new            (const AdmintRenderJob *job,
                                           GError               **error);
void          admint_scene_free           (AdmintScene           *scene);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintScene, admint_scene_free)

/* Paints the frame at T seconds into CR (which covers the whole frame). */
void          admint_scene_paint          (AdmintScene           *scene,
                                           cairo_t               *cr,
                                           double                 t);
/* The scene's text boxes, AdmintTextBox each. */
GArray       *admint_scene_get_text_boxes (AdmintScene           *scene);
/* The title-safe area: the central 90 % of each side. */
void          admint_scene_get_safe_area  (AdmintScene           *scene,
                                           double                *x,
                                           double                *y,
                                           double                *width,
                                           double                *height);
gboolean      admint_scene_has_product    (AdmintScene           *scene);
/* The background drawn: the layout's, except that a studio sweep with neither the product nor
 * the logo on it becomes the moving (drift) background with its setting. */
AdmintLayoutBackground admint_scene_get_background (AdmintScene    *scene);
/* When each piece of text (word, line or box) starts to enter, in seconds, sorted: what a
 * viewer sees arrive over the scene. */
GArray       *admint_scene_get_reveal_times (AdmintScene         *scene);

/* WCAG 2 contrast ratio of two sRGB colours (components 0-1). */
double        admint_contrast_ratio       (double r1, double g1, double b1,
                                           double r2, double g2, double b2);

/* The product photo as an ARGB32 surface: cut out along a soft mask grown from its border
 * colour when the border is plain (*cut_out TRUE), else NULL-masked (the caller cards it).
 * MAX_SIDE bounds the working size. */
cairo_surface_t *admint_product_cutout    (GdkPixbuf             *photo,
                                           int                    max_side,
                                           gboolean              *cut_out);

/* Up to N brand colours "#rrggbb" from the pixels of the images (logo first, then product),
 * clustered by k-means in OKLab; the plain border of a product photo is left out. Most used
 * and most colourful first. */
GStrv         admint_palette_from_images  (const char * const    *paths,
                                           guint                  n);

G_END_DECLS
