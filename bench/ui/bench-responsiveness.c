/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's main loop during a whole offline ad: stalls seen by a timer and the frame clock. */
#define G_LOG_DOMAIN "admint-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>

#include "admint-application.h"
#include "admint-generation.h"
#include "admint-history-item.h"

/* Drives the real app as a user would (brief typed, Create pressed, each question approved)
 * and measures, from inside the main loop, how late a 10 ms timer runs (work on the main loop
 * and everything that keeps the main thread off a core) and how far apart the frame clock's
 * frames are while the window animates its progress. Run under Xvfb; see docs/app.md. */

#define TICK_MS 10

typedef struct
{
  GArray *late;          /* gint64 µs a tick came after it was due, in the timed phase */
  gint64  last;
  GArray *frames;        /* gint64 µs between frame-clock updates */
  gint64  last_frame;
  gint64  main_cpu_start;
  GArray *cpu;           /* gint64 µs of the main thread's own CPU time between two ticks */
  gint64  last_cpu;
  GArray *waits;         /* gint64 µs the main thread slept between two ticks beyond the period */
  GArray *ticks;         /* Tick, every tick of the timed phase, in order */
  gint64  last_run, last_queued;
  guint   clip_notices;  /* clip-progress signals */
} Probe;

/* One tick of the timer: when it came and where the main thread's time since the last went. */
typedef struct
{
  gint64 end;            /* monotonic µs (CLOCK_MONOTONIC, as perf -k CLOCK_MONOTONIC stamps) */
  gint64 late;           /* µs after it was due */
  gint64 cpu;            /* µs the main thread ran */
  gint64 queued;         /* µs it was runnable but waited for a core */
  gint64 asleep;         /* µs it slept (poll, futex, read…): the rest of the interval */
} Tick;

typedef struct
{
  AdmintApplication *app;
  GtkWindow         *window;
  AdmintGeneration  *gen;
  Probe              probe;
  guint              step;
  gboolean           measuring;
  gboolean           done;
  gint64             started;
  gint64             finished;
  char              *outcome;
  const char        *renderer;  /* the window's GskRenderer type: the app may have chosen it */
  GString           *stages;    /* each status the generation reached, with its time */
} Bench;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The main thread's time on a core and waiting for one, in µs, from the kernel's schedstat
 * (Linux keeps it per thread); FALSE where there is none. */
static gboolean
thread_schedstat (gint64 *run,
                  gint64 *queued)
{
  char buf[128];
  FILE *f = fopen ("/proc/thread-self/schedstat", "r");
  unsigned long long r = 0, q = 0;
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fgets (buf, sizeof buf, f) != NULL && sscanf (buf, "%llu %llu", &r, &q) == 2;
  fclose (f);
  *run = r / 1000;
  *queued = q / 1000;
  return ok;
}

static gboolean
on_tick (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  gint64 run = 0, queued = 0;

  thread_schedstat (&run, &queued);
  if (b->measuring && b->probe.last > 0)
    {
      Tick t = { .end = now };
      gint64 wait;

      t.late = MAX (0, now - b->probe.last - TICK_MS * 1000);
      t.cpu = cpu - b->probe.last_cpu;
      t.queued = queued - b->probe.last_queued;
      t.asleep = MAX (0, now - b->probe.last - t.cpu - t.queued);
      wait = MAX (0, t.asleep - TICK_MS * 1000);
      g_array_append_val (b->probe.late, t.late);
      g_array_append_val (b->probe.cpu, t.cpu);
      g_array_append_val (b->probe.waits, wait);
      g_array_append_val (b->probe.ticks, t);
    }
  b->probe.last = now;
  b->probe.last_cpu = cpu;
  b->probe.last_run = run;
  b->probe.last_queued = queued;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_frame (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();

  if (b->measuring && b->probe.last_frame > 0)
    {
      gint64 gap = now - b->probe.last_frame;
      g_array_append_val (b->probe.frames, gap);
    }
  b->probe.last_frame = now;
  return G_SOURCE_CONTINUE;
}

/* ---- finding the app's widgets, as a user sees them ---- */

typedef gboolean (*Match) (GtkWidget *widget);

static GtkWidget *
find (GtkWidget *root,
      Match      match)
{
  if (match (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find (c, match);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_brief (GtkWidget *widget)
{
  return GTK_IS_ENTRY (widget) && gtk_widget_is_visible (widget);
}

static gboolean
is_create (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "suggested-action") &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget),
                    "Start making the ad from this brief") == 0;
}

static gboolean
is_history (GtkWidget *widget)
{
  GtkSelectionModel *model;

  return GTK_IS_LIST_VIEW (widget) &&
         (model = gtk_list_view_get_model (GTK_LIST_VIEW (widget))) != NULL &&
         GTK_IS_SINGLE_SELECTION (model) &&
         g_list_model_get_item_type (gtk_single_selection_get_model (
           GTK_SINGLE_SELECTION (model))) == ADMINT_TYPE_HISTORY_ITEM;
}

static void
on_clip_progress (AdmintGeneration *gen,
                  int               index,
                  double            fraction,
                  const char       *status,
                  Bench            *b)
{
  b->probe.clip_notices++;
}

static void
on_status (AdmintGeneration *gen,
           GParamSpec       *pspec,
           Bench            *b)
{
  g_string_append_printf (b->stages, "  %.3f s: %s\n",
                          g_get_monotonic_time () / (double) G_USEC_PER_SEC,
                          admint_generation_status_to_string (admint_generation_get_status (gen)));
}

static void
on_finished (AdmintGeneration       *gen,
             AdmintGenerationStatus  status,
             Bench                  *b)
{
  GEnumClass *klass = g_type_class_ref (ADMINT_TYPE_GENERATION_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  b->finished = g_get_monotonic_time ();
  b->outcome = g_strdup (value != NULL ? value->value_nick : "?");
  g_type_class_unref (klass);
  b->measuring = FALSE;
  b->done = TRUE;
}

static gboolean
drive (gpointer data)
{
  Bench *b = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (b->app));

  if (b->done)
    {
      g_application_quit (G_APPLICATION (b->app));
      return G_SOURCE_REMOVE;
    }
  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;
  b->window = window;

  if (b->step == 0 && b->step++ == 0)
    {
      GtkWidget *entry = find (GTK_WIDGET (window), is_brief);
      GtkWidget *create = find (GTK_WIDGET (window), is_create);

      if (entry == NULL || create == NULL)
        g_error ("The new-ad page was not found");
      gtk_widget_add_tick_callback (GTK_WIDGET (window), on_frame, b, NULL);
      b->renderer = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)));
      gtk_editable_set_text (GTK_EDITABLE (entry),
                             "12-second ad for a steel water bottle that keeps drinks cold");
      b->measuring = TRUE;
      b->started = g_get_monotonic_time ();
      b->probe.main_cpu_start = thread_cpu_us ();
      g_signal_emit_by_name (create, "clicked");
      return G_SOURCE_CONTINUE;
    }
  if (b->gen == NULL)
    {
      GtkWidget *list = find (GTK_WIDGET (window), is_history);
      GListModel *model = list ? G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)))
                               : NULL;
      g_autoptr(AdmintHistoryItem) item = model && g_list_model_get_n_items (model) > 0
                                          ? g_list_model_get_item (model, 0) : NULL;

      if (item == NULL || admint_history_item_get_generation (item) == NULL)
        return G_SOURCE_CONTINUE;
      b->gen = g_object_ref (admint_history_item_get_generation (item));
      g_signal_connect (b->gen, "clip-progress", G_CALLBACK (on_clip_progress), b);
      g_signal_connect (b->gen, "finished", G_CALLBACK (on_finished), b);
      g_signal_connect (b->gen, "notify::status", G_CALLBACK (on_status), b);
      on_status (b->gen, NULL, b);
    }
  /* The app asks after the story and after the scenes: the user approves. */
  if (admint_generation_get_waiting_for (b->gen) != ADMINT_GENERATION_WAIT_NONE)
    admint_generation_reply (b->gen, "approve");
  return G_SOURCE_CONTINUE;
}

static void
on_activate (GApplication *app,
             Bench        *b)
{
  g_timeout_add (100, drive, b);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static void
report (const char *what,
        GArray     *values,
        gint64      ideal)
{
  gint64 p99, longest;
  guint over_16 = 0, over_50 = 0;

  if (values->len == 0)
    {
      printf ("%-28s no samples\n", what);
      return;
    }
  g_array_sort (values, compare_gint64);
  p99 = g_array_index (values, gint64, values->len * 99 / 100);
  longest = g_array_index (values, gint64, values->len - 1);
  for (guint i = 0; i < values->len; i++)
    {
      gint64 stall = g_array_index (values, gint64, i) - ideal;
      over_16 += stall > 16000;
      over_50 += stall > 50000;
    }
  printf ("%-28s p99 %6.1f ms   longest %6.1f ms   over 16 ms: %u   over 50 ms: %u"
          "   (%u samples)\n",
          what, (p99 - ideal) / 1000.0, (longest - ideal) / 1000.0, over_16, over_50, values->len);
}

static int
compare_late (gconstpointer a,
              gconstpointer b)
{
  const Tick *x = a, *y = b;
  return (x->late < y->late) - (x->late > y->late);
}

static int
compare_cpu (gconstpointer a,
             gconstpointer b)
{
  const Tick *x = a, *y = b;
  return (x->cpu < y->cpu) - (x->cpu > y->cpu);
}

/* The N worst ticks by COMPARE, each with when it ended (seconds on CLOCK_MONOTONIC, to find
 * it in a perf or strace record) and where the main thread's time went. */
static void
report_worst (const char       *what,
              GArray           *ticks,
              GCompareFunc      compare,
              guint             n)
{
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (Tick), ticks->len);

  g_array_append_vals (sorted, ticks->data, ticks->len);
  g_array_sort (sorted, compare);
  printf ("%s\n", what);
  for (guint i = 0; i < MIN (n, sorted->len); i++)
    {
      Tick *t = &g_array_index (sorted, Tick, i);
      printf ("  ended at %.3f s: late %6.1f ms; main thread ran %6.1f ms, waited for a core "
              "%6.1f ms, slept %6.1f ms\n",
              t->end / (double) G_USEC_PER_SEC, t->late / 1000.0, t->cpu / 1000.0,
              t->queued / 1000.0, t->asleep / 1000.0);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *root = g_dir_make_tmp ("admint-bench-resp-XXXXXX", NULL);
  g_autofree char *config_dir = g_build_filename (root, "config", "admint", NULL);
  g_autofree char *config_file = g_build_filename (config_dir, "config.yaml", NULL);
  g_autofree char *data = g_build_filename (root, "data", NULL);
  g_autofree char *state = g_build_filename (root, "state", NULL);
  g_autofree char *config_root = g_build_filename (root, "config", NULL);
  Bench b = { 0 };
  /* As asked: the app sets GSK_RENDERER itself on a software rasterizer. */
  g_autofree char *asked_renderer = g_strdup (g_getenv ("GSK_RENDERER"));
  int status;
  double seconds;

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_root, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* The app's window settings, from the build tree (the app is not installed). */
  g_setenv ("GSETTINGS_SCHEMA_DIR", ADMINT_BENCH_SCHEMA_DIR, FALSE);
  g_mkdir_with_parents (config_dir, 0700);
  /* Offline: the built-in providers for every role; a 12-second ad. */
  if (!g_file_set_contents (config_file,
                            "video:\n  target_seconds: 12\n"
                            "providers:\n  llm:\n    provider: local\n"
                            "  images:\n    provider: local\n  video:\n    provider: local\n",
                            -1, NULL))
    g_error ("Cannot write %s", config_file);

  b.probe.late = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.probe.frames = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.probe.cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.probe.waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.probe.ticks = g_array_new (FALSE, FALSE, sizeof (Tick));
  b.stages = g_string_new (NULL);
  b.app = admint_application_new ();
  g_application_set_flags (G_APPLICATION (b.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (b.app, "activate", G_CALLBACK (on_activate), &b);
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, &b, NULL);
  status = g_application_run (G_APPLICATION (b.app), 0, NULL);

  seconds = (b.finished - b.started) / (double) G_USEC_PER_SEC;
  printf ("Renderer: %s (GSK_RENDERER=%s LIBGL_ALWAYS_SOFTWARE=%s); workers %s; %u cores\n",
          b.renderer ? b.renderer : "?",
          asked_renderer ? asked_renderer : "(default)",
          g_getenv ("LIBGL_ALWAYS_SOFTWARE") ? g_getenv ("LIBGL_ALWAYS_SOFTWARE") : "0",
          g_strcmp0 (g_getenv ("ADMINT_WORKER_PRIORITY"), "normal") == 0 ? "not niced" : "niced",
          g_get_num_processors ());
  {
    double load[3] = { 0 };
    if (getloadavg (load, 3) > 0)
      printf ("Load average at the end: %.1f\n", load[0]);
  }
  printf ("Generation: %s in %.1f s; clip-progress notices: %u (%.1f a second)\n",
          b.outcome ? b.outcome : "not finished", seconds, b.probe.clip_notices,
          seconds > 0 ? b.probe.clip_notices / seconds : 0);
  printf ("Main thread's own CPU: %.1f s\n",
          (thread_cpu_us () - b.probe.main_cpu_start) / (double) G_USEC_PER_SEC);
  report ("10 ms timer lateness:", b.probe.late, 0);
  report ("frame gaps (- 16.7 ms):", b.probe.frames, 16667);
  /* The app's own work: what the main thread computed between two ticks (the rest of a late
   * tick is the scheduler's: other threads and processes on the cores). */
  report ("main-thread CPU a tick:", b.probe.cpu, 0);
  /* What the main thread blocked in (a lock, a read, a GL wait), beyond the timer's own 10 ms
   * of sleep: neither the app's computing nor the machine's load. */
  report ("main thread asleep > 10 ms:", b.probe.waits, 0);
  report_worst ("Latest ticks:", b.probe.ticks, compare_late, 5);
  report_worst ("Ticks with the most main-thread CPU:", b.probe.ticks, compare_cpu, 5);
  printf ("Stages (CLOCK_MONOTONIC):\n%s", b.stages->str);
  printf ("Goal: timer p99 < 16 ms, no stall over 50 ms.\n");

  g_clear_object (&b.gen);
  g_object_unref (b.app);
  g_array_unref (b.probe.late);
  g_array_unref (b.probe.frames);
  g_array_unref (b.probe.cpu);
  g_array_unref (b.probe.waits);
  g_array_unref (b.probe.ticks);
  g_string_free (b.stages, TRUE);
  g_free (b.outcome);
  return status == 0 && b.done ? EXIT_SUCCESS : EXIT_FAILURE;
}
