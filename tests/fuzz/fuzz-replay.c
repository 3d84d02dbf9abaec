/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays a fuzz target's corpus (files or folders) through its LLVMFuzzerTestOneInput, as a
 * TAP test: what once crashed under libFuzzer stays fixed in the plain and sanitized builds. */
#define G_LOG_DOMAIN "admint-fuzz"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "fuzz-target.h"

static int
by_name (gconstpointer a,
         gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file under PATH, sorted, so a failure points at the same file on every run. */
static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, by_name);
  for (guint i = 0; i < names->len; i++)
    collect (names->pdata[i], files);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  char **args = argv;

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &args);
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      collect (argv[i], files);
  if (files->len == 0)
    {
      printf ("1..0 # SKIP no corpus files\n");
      return 0;
    }
  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;

      if (!g_file_get_contents (files->pdata[i], &contents, &len, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, (char *) files->pdata[i], error->message);
          continue;
        }
      fflush (stdout);
      /* A copy of exactly LEN bytes, so ASan sees any read past the input's end; never NULL,
       * as with libFuzzer, even for an empty file. */
      guint8 *copy = malloc (len > 0 ? len : 1);
      memcpy (copy, contents, len);
      LLVMFuzzerTestOneInput (copy, len);
      free (copy);
      printf ("ok %u - %s\n", i + 1, (char *) files->pdata[i]);
    }
  return 0;
}
