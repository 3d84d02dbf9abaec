/* Where Ad Mint keeps its files: XDG data, config, state and cache directories. */
#define G_LOG_DOMAIN "admint-paths"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "admint-paths.h"

/* The environment is read at every call (not cached like g_get_user_data_dir) so that tests and
 * the CLI's --config style overrides see a changed XDG_* at once. */
static char *
xdg_dir (const char *env_name,
         const char *fallback_under_home)
{
  const char *value = g_getenv (env_name);

  if (value != NULL && value[0] == '/')
    return g_build_filename (value, "admint", NULL);

  const char *home = g_getenv ("HOME");
  if (home == NULL || home[0] == '\0')
    home = g_get_home_dir ();
  return g_build_filename (home, fallback_under_home, "admint", NULL);
}

char *
admint_paths_data_dir (void)
{
  return xdg_dir ("XDG_DATA_HOME", ".local/share");
}

char *
admint_paths_media_dir (void)
{
  g_autofree char *data = admint_paths_data_dir ();
  return g_build_filename (data, "media", NULL);
}

char *
admint_paths_db_file (void)
{
  g_autofree char *data = admint_paths_data_dir ();
  return g_build_filename (data, "admint.db", NULL);
}

char *
admint_paths_config_dir (void)
{
  return xdg_dir ("XDG_CONFIG_HOME", ".config");
}

char *
admint_paths_config_file (void)
{
  g_autofree char *dir = admint_paths_config_dir ();
  return g_build_filename (dir, "config.yaml", NULL);
}

char *
admint_paths_state_dir (void)
{
  return xdg_dir ("XDG_STATE_HOME", ".local/state");
}

char *
admint_paths_log_file (void)
{
  g_autofree char *dir = admint_paths_state_dir ();
  return g_build_filename (dir, "admint.log", NULL);
}

char *
admint_paths_cache_dir (void)
{
  return xdg_dir ("XDG_CACHE_HOME", ".cache");
}

gboolean
admint_paths_ensure_dir (const char  *dir,
                         GError     **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s. Check that its parent is writable."),
                   dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
