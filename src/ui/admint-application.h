/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ad-mint application object: actions, accelerators, the About window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ADMINT_TYPE_APPLICATION (admint_application_get_type ())

G_DECLARE_FINAL_TYPE (AdmintApplication, admint_application, ADMINT, APPLICATION, AdwApplication)

AdmintApplication *admint_application_new (void);

G_END_DECLS
