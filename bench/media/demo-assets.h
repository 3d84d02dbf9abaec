/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A drawn product photo (a bottle on a plain studio backdrop) and a logo, for demos and benches. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes DIR/product.png and DIR/logo.png; returns FALSE when DIR cannot be written. */
gboolean admint_demo_assets_write (const char *dir);
/* Removes DIR and the files in it (the assets and whatever a bench wrote beside them). */
void     admint_demo_assets_remove (const char *dir);

G_END_DECLS
