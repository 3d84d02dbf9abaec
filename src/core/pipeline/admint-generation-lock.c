/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One process at a time works on a generation: an flock()ed file in its media folder, held from
 * create or load until the run ends (or the AdmintGeneration goes). The kernel lets it go when
 * the process dies, so a killed run never leaves a stale lock. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "admint-generation-private.h"
#include "admint-media-private.h"

gboolean
_admint_gen_lock (AdmintGeneration  *self,
                  GError           **error)
{
  g_autofree char *dir = g_build_filename (admint_store_get_media_dir (self->store),
                                           "generations", self->id, NULL);
  g_autofree char *path = g_build_filename (dir, "run.lock", NULL);
  int fd;

  if (self->lock_fd >= 0)
    return TRUE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("Cannot create the folder %s: %s"),
                   dir, g_strerror (errno));
      return FALSE;
    }
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("Cannot open the lock file %s: %s"),
                   path, g_strerror (errno));
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      char pid[32] = "";
      ssize_t n = pread (fd, pid, sizeof pid - 1, 0);
      close (fd);
      if (saved == EWOULDBLOCK)
        {
          pid[MAX (n, 0)] = '\0';
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                       _("Generation %s is being made by another process%s%s%s right now. Wait "
                         "for it to finish (or stop it), then run `admint resume %s` again."),
                       self->id, *pid ? " (pid " : "", g_strstrip (pid), *pid ? ")" : "",
                       self->id);
        }
      else
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("Cannot lock %s: %s"), path,
                     g_strerror (saved));
      return FALSE;
    }
  g_autofree char *me = g_strdup_printf ("%ld\n", (long) getpid ());
  if (ftruncate (fd, 0) != 0 || pwrite (fd, me, strlen (me), 0) < 0)
    g_debug ("cannot write the pid into %s: %s", path, g_strerror (errno));
  self->lock_fd = fd;
  /* Partial files in the folder are from a run that was killed while writing them (a clean run
   * removes its own): with the lock held nothing else writes there. */
  admint_media_remove_partials (dir);
  return TRUE;
}

void
_admint_gen_unlock (AdmintGeneration *self)
{
  if (self->lock_fd < 0)
    return;
  /* The file stays: removing it would race with a process that just opened it. */
  close (self->lock_fd);
  self->lock_fd = -1;
}
