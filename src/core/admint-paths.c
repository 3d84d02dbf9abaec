/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where Ad Mint keeps its files: XDG data, config, state and cache directories. */
#define G_LOG_DOMAIN "admint-paths"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "admint-error.h"
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

/* ---- output paths ------------------------------------------------------------------------ */

/* PATH with its symbolic links and dot components resolved; for a PATH that does not exist yet,
 * its existing parent resolved and its name appended. NULL when the parent does not exist. */
static char *
resolve (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *parent = NULL;
  g_autofree char *name = NULL;
  char *real;

  real = realpath (absolute, NULL);
  if (real != NULL)
    {
      char *copy = g_strdup (real);
      free (real);
      return copy;
    }
  parent = g_path_get_dirname (absolute);
  name = g_path_get_basename (absolute);
  real = realpath (parent, NULL);
  if (real == NULL)
    return NULL;
  g_autofree char *copy = g_strdup (real);
  free (real);
  return g_build_filename (copy, name, NULL);
}

/* PATH with its nearest existing ancestor resolved and the rest appended as written: where
 * PATH would be, even when folders on the way do not exist yet. */
static char *
resolve_lenient (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *existing = g_strdup (absolute);
  g_autofree char *resolved = NULL;
  const char *rest;

  while (!g_file_test (existing, G_FILE_TEST_EXISTS) && strcmp (existing, "/") != 0)
    {
      char *up = g_path_get_dirname (existing);
      g_free (existing);
      existing = up;
    }
  resolved = resolve (existing);
  if (resolved == NULL)
    resolved = g_strdup (existing);
  rest = absolute + strlen (existing);
  while (*rest == '/')
    rest++;
  return *rest != '\0' ? g_build_filename (resolved, rest, NULL) : g_steal_pointer (&resolved);
}

/* TRUE when PATH (resolved) is FOLDER or lies anywhere below it. */
static gboolean
is_within (const char *path,
           const char *folder)
{
  g_autofree char *resolved = resolve (folder);
  const char *dir = resolved ? resolved : folder;
  gsize len = strlen (dir);

  while (len > 1 && dir[len - 1] == '/')
    len--;
  return strncmp (path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

static gboolean
same_file (const struct stat *a,
           const char        *path)
{
  struct stat b;

  return g_stat (path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

static gboolean
output_error (GError    **error,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
output_error (GError    **error,
              const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* The folders Ad Mint's own files live in, with how to name them to a user. */
static gboolean
check_not_ours (const char  *what,
                const char  *resolved,
                gboolean     folder,
                GError     **error)
{
  g_autofree char *data = admint_paths_data_dir ();
  g_autofree char *config = admint_paths_config_dir ();
  g_autofree char *state = admint_paths_state_dir ();
  const struct { const char *dir; const char *name; } ours[] = {
    { data, N_("data folder, which holds the library") },
    { config, N_("config folder") },
    { state, N_("log folder") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ours); i++)
    if (is_within (resolved, ours[i].dir))
      return output_error (error,
                           _("Cannot write to %s: it is inside Ad Mint's %s (%s), and writing "
                             "there could destroy it. Choose %s elsewhere, such as %s."), what, _(ours[i].name), ours[i].dir,
                           folder ? _("a folder") : _("a file"),
                           folder ? "~/Videos/clips" : "~/Videos/ad.mp4");
  return TRUE;
}

gboolean
admint_paths_check_output (const char          *output,
                           const char * const  *inputs,
                           GError             **error)
{
  g_autofree char *resolved = NULL;
  g_autofree char *parent = NULL;
  struct stat sb;

  g_return_val_if_fail (output != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*output == '\0')
    return output_error (error, _("The output file name is empty. Name the file to write, such "
                                  "as ad.mp4."));
  if (g_str_has_suffix (output, "/") ||
      (g_stat (output, &sb) == 0 && S_ISDIR (sb.st_mode)))
    {
      g_autofree char *example = g_build_filename (output, "ad.mp4", NULL);
      return output_error (error, _("Cannot write to %s: it is a folder. Name a file in it, "
                                    "such as %s."), output, example);
    }

  resolved = resolve_lenient (output);
  if (!check_not_ours (output, resolved, FALSE, error))
    return FALSE;
  parent = g_path_get_dirname (resolved);
  if (!g_file_test (parent, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *named = g_path_get_dirname (output);
      return output_error (error, _("Cannot write to %s: the folder %s does not exist. Create "
                                    "it first or choose another folder."), output, named);
    }

  if (g_stat (resolved, &sb) == 0)
    {
      if (!S_ISREG (sb.st_mode))
        return output_error (error, _("Cannot write to %s: it is not a regular file (a device, "
                                      "pipe or socket). Name a file, such as ad.mp4."), output);
      for (gsize i = 0; inputs != NULL && inputs[i] != NULL; i++)
        if (same_file (&sb, inputs[i]))
          return output_error (error, _("Cannot write to %s: it is the input %s, which would be "
                                        "overwritten while it is read. Choose another output "
                                        "file."), output, inputs[i]);
    }
  if (access (parent, W_OK | X_OK) != 0)
    return output_error (error, _("Cannot write to %s: the folder %s is not writable (%s). "
                                  "Choose a folder you may write to."), output, parent,
                         g_strerror (errno));
  return TRUE;
}

gboolean
admint_paths_check_output_folder (const char  *folder,
                                  GError     **error)
{
  g_autofree char *resolved = NULL;

  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*folder == '\0')
    return output_error (error, _("The folder name is empty. Name the folder to write into."));
  resolved = resolve_lenient (folder);
  if (!check_not_ours (folder, resolved, TRUE, error))
    return FALSE;
  if (g_file_test (resolved, G_FILE_TEST_EXISTS) && !g_file_test (resolved, G_FILE_TEST_IS_DIR))
    return output_error (error, _("Cannot write into %s: it is a file, not a folder. Choose "
                                  "another folder."), folder);
  return TRUE;
}

/* ---- a private temporary folder ---------------------------------------------------------- */

/* The start time of process PID in clock ticks since boot (field 22 of /proc/PID/stat), or 0
 * when it cannot be read: with the PID it names one process, even after the PID is reused. */
static guint64
process_start_time (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  /* The command name (field 2) may hold spaces and parentheses: count from the last ')'. */
  p = strrchr (text, ')');
  if (p == NULL)
    return 0;
  for (int field = 2; field < 22 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  return p != NULL ? g_ascii_strtoull (p + 1, NULL, 10) : 0;
}

/* A folder named PID-START belongs to a process that is still running. */
static gboolean
owner_running (const char *name)
{
  char *end = NULL;
  gint64 pid = g_ascii_strtoll (name, &end, 10);
  guint64 start;

  if (end == name || *end != '-' || pid <= 0 || pid > G_MAXINT)
    return FALSE;
  start = g_ascii_strtoull (end + 1, NULL, 10);
  if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
    return FALSE;
  return process_start_time ((pid_t) pid) == start;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  struct stat sb;

  if (g_lstat (path, &sb) != 0)
    return;
  if (S_ISDIR (sb.st_mode) && (dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *private_tmp_dir;

static void
remove_private_tmp_dir (void)
{
  if (private_tmp_dir != NULL)
    remove_tree (private_tmp_dir);
  g_clear_pointer (&private_tmp_dir, g_free);
}

char *
admint_paths_use_private_tmp_dir (GError **error)
{
  g_autofree char *cache = admint_paths_cache_dir ();
  g_autofree char *base = g_build_filename (cache, "tmp", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *own = NULL;
  const char *name;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (private_tmp_dir != NULL)
    return g_strdup (private_tmp_dir);
  if (!admint_paths_ensure_dir (base, error))
    return NULL;
  /* An older version, or a umask, may have made it readable by others. */
  g_chmod (base, 0700);

  /* What processes killed before they could clean up left behind. */
  dir = g_dir_open (base, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (!owner_running (name))
      {
        g_autofree char *stale = g_build_filename (base, name, NULL);
        g_debug ("removing the stale temporary folder %s", stale);
        remove_tree (stale);
      }

  own = g_strdup_printf ("%s/%d-%" G_GUINT64_FORMAT, base, (int) getpid (),
                         process_start_time (getpid ()));
  if (g_mkdir (own, 0700) != 0 && errno != EEXIST)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s. Check that its parent is writable."),
                   own, g_strerror (saved));
      return NULL;
    }
  g_setenv ("TMPDIR", own, TRUE);
  private_tmp_dir = g_strdup (own);
  atexit (remove_private_tmp_dir);
  return g_steal_pointer (&own);
}
