/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ad-mint application object: actions, accelerators, the About window. */
#pragma once

#include <adwaita.h>

#include "admint-pipeline-enums.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_APPLICATION (admint_application_get_type ())

G_DECLARE_FINAL_TYPE (AdmintApplication, admint_application, ADMINT, APPLICATION, AdwApplication)

AdmintApplication *admint_application_new (void);
/* "Your ad is ready", … for an ad that ended with STATUS; NULL when it is not news (the user
 * stopped it, or it is not done). */
const char        *admint_application_get_done_headline (AdmintGenerationStatus  status);
/* Sends the desktop notification that ad ID (TITLE: its name or brief) ended with STATUS; a
 * click opens it (app.show-ad). FALSE when there is nobody to show it (no session bus). */
gboolean           admint_application_notify_done       (AdmintApplication      *self,
                                                         const char             *id,
                                                         const char             *title,
                                                         AdmintGenerationStatus  status);

G_END_DECLS
