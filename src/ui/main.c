/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point of the ad-mint GTK application. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "admint-application.h"
#include "admint-log.h"
#include "admint-paths.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdmintApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Before anything asks GLib for the temporary folder, as the CLI does: GStreamer's muxer
   * leaves world-readable files there, and a killed app would leave them in /tmp for good. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *tmp = admint_paths_use_private_tmp_dir (&error);
    if (tmp == NULL)
      g_printerr ("ad-mint: %s\n", error->message);
  }

  admint_log_init ("ad-mint", FALSE);

  app = admint_application_new ();
  int status = g_application_run (G_APPLICATION (app), argc, argv);
  admint_log_shutdown ();
  return status;
}
