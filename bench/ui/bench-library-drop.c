/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Library benchmark: 200 photos dropped at once; the longest main-loop stall. Run under Xvfb. */
#define G_LOG_DOMAIN "admint-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <glib/gstdio.h>

#include "admint-library-page.h"
#include "admint-store.h"

#define N_PHOTOS 200
#define PHOTO_WIDTH 1600
#define PHOTO_HEIGHT 1200
#define TICK_MS 2

typedef struct
{
  gint64  last;
  gint64  last_cpu;
  gint64  longest_cpu;
  gint64  longest;
  gint64  longest_at;   /* monotonic time at the end of the longest stall */
  guint   over_16;
  guint   over_50;
  GArray *gaps;
} Probe;

/* A high-priority timer every 2 ms: the gap between two of its calls, less 2 ms, is how long
 * the main loop was busy with something else. */
/* The main thread's own CPU time: a stall it did not spend computing was the scheduler's
 * (other processes on a shared machine), not the app's work on the main loop. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
on_tick (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (probe->last_cpu > 0 && cpu - probe->last_cpu > probe->longest_cpu)
    probe->longest_cpu = cpu - probe->last_cpu;
  probe->last_cpu = cpu;
  if (probe->last > 0)
    {
      gint64 stall = now - probe->last - TICK_MS * 1000;
      if (stall > probe->longest)
        {
          probe->longest = stall;
          probe->longest_at = now;
        }
      probe->over_16 += stall > 16000;
      probe->over_50 += stall > 50000;
      g_array_append_val (probe->gaps, stall);
    }
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static void
count_paint (guint *paints)
{
  (*paints)++;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* Photos as cameras make them: JPEG, 1600×1200, with noise so that each is its own file. */
static char **
make_photos (const char *dir)
{
  char **paths = g_new0 (char *, N_PHOTOS + 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < N_PHOTOS; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, PHOTO_WIDTH,
                                                    PHOTO_HEIGHT);
      guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
      int stride = gdk_pixbuf_get_rowstride (pixbuf);
      guint8 base = g_rand_int_range (rand, 0, 200);

      for (int y = 0; y < PHOTO_HEIGHT; y++)
        for (int x = 0; x < PHOTO_WIDTH * 3; x++)
          pixels[y * stride + x] = base + ((x * 7 + y * 3 + (int) i) & 31) +
                                   (g_rand_int (rand) & 15);
      paths[i] = g_strdup_printf ("%s/photo-%03u.jpg", dir, i);
      if (!gdk_pixbuf_save (pixbuf, paths[i], "jpeg", NULL, "quality", "90", NULL))
        g_error ("Cannot write %s", paths[i]);
    }
  return paths;
}

int
main (int argc, char **argv)
{
  g_autofree char *root = g_dir_make_tmp ("admint-bench-ui-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (root, "data", NULL);
  g_autofree char *config = g_build_filename (root, "config", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = NULL;
  g_auto(GStrv) photos = NULL;
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  Probe probe = { 0 };
  GtkWindow *window;
  AdmintLibraryPage *page;
  gint64 start, imported = 0, done;
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  GSList *list = NULL;
  gboolean accepted;

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();

  printf ("Making %u photos (%dx%d JPEG)…\n", N_PHOTOS, PHOTO_WIDTH, PHOTO_HEIGHT);
  photos = make_photos (root);

  store = admint_store_open (NULL, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  window = GTK_WINDOW (gtk_window_new ());
  page = admint_library_page_new ();
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_set_default_size (window, 1100, 720);
  gtk_window_present (window);
  admint_library_page_set_store (page, store);
  while (admint_library_page_get_pending (page) > 0 || !gtk_widget_get_mapped (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);
  /* Files are dropped on a window the user already sees: let it paint its first frames (the
   * software renderer compiles its shaders and FreeType hints the glyphs then) before the drop,
   * or that one-off start-up cost would be counted as the import's. */
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    guint paints = 0;
    gulong id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (count_paint), &paints);

    while (paints < 3)
      {
        gtk_widget_queue_draw (GTK_WIDGET (window));
        g_main_context_iteration (NULL, TRUE);
      }
    g_signal_handler_disconnect (clock, id);
    for (gint64 until = g_get_monotonic_time () + 300000; g_get_monotonic_time () < until;)
      g_main_context_iteration (NULL, FALSE);
  }

  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  for (guint i = 0; photos[i] != NULL; i++)
    list = g_slist_append (list, g_file_new_for_path (photos[i]));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, list);

  probe.gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, &probe, NULL);
  start = g_get_monotonic_time ();
  /* The drop itself is on the main loop too: it is measured as a stall of its own. */
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  gint64 drop_us = g_get_monotonic_time () - start;
  g_value_unset (&value);
  while (admint_library_page_get_pending (page) > 0 || admint_library_page_get_loading (page) > 0)
    {
      g_main_context_iteration (NULL, TRUE);
      if (imported == 0 && admint_library_page_get_pending (page) == 0)
        imported = g_get_monotonic_time ();
    }
  done = g_get_monotonic_time ();
  /* A few more frames with the grid full. */
  for (gint64 until = done + 500000; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, TRUE);

  g_array_sort (probe.gaps, compare_gint64);
  gint64 p99 = probe.gaps->len > 0
               ? g_array_index (probe.gaps, gint64, probe.gaps->len * 99 / 100) : 0;
  printf ("Assets in the library:          %u of %u\n",
          g_list_model_get_n_items (admint_library_page_get_assets (page)), N_PHOTOS);
  printf ("The drop handler itself:        %.1f ms\n", drop_us / 1000.0);
  printf ("All imported (store thread):    %.2f s\n", ((imported ? imported : done) - start) / 1e6);
  printf ("Thumbnails shown:               %.2f s\n", (done - start) / 1e6);
  printf ("Longest main-loop stall:        %.1f ms (goal < 50 ms)\n",
          MAX (probe.longest, drop_us) / 1000.0);
  printf ("Longest main-thread work between ticks (its own CPU time): %.1f ms\n",
          probe.longest_cpu / 1000.0);
  printf ("Longest stall ended at:         %.3f s after the drop (monotonic %" G_GINT64_FORMAT " µs)\n",
          (probe.longest_at - start) / 1e6, probe.longest_at);
  printf ("99th percentile stall:          %.1f ms\n", p99 / 1000.0);
  printf ("Stalls over 16 ms / over 50 ms: %u / %u (of %u ticks)\n", probe.over_16, probe.over_50,
          probe.gaps->len);

  gtk_window_destroy (window);
  g_array_unref (probe.gaps);
  g_clear_object (&store);
  for (guint i = 0; photos[i] != NULL; i++)
    g_unlink (photos[i]);
  return MAX (probe.longest, drop_us) < 50000 ? EXIT_SUCCESS : EXIT_FAILURE;
}
