/* The main window: ads in a sidebar, the current ad's conversation beside it. */
#pragma once

#include <adwaita.h>

#include "admint-application.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_WINDOW (admint_window_get_type ())

G_DECLARE_FINAL_TYPE (AdmintWindow, admint_window, ADMINT, WINDOW, AdwApplicationWindow)

AdmintWindow *admint_window_new (AdmintApplication *application);

G_END_DECLS
