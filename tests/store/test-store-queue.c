/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's queued writes: their order, what closing and a kill keep, and their errors. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-rows.h"
#include "admint-test-util.h"

#define N_RECORDS 40

static const char *self_path;

static char *
fresh_db_path (const char *name)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), name, NULL);

  admint_test_rm_rf (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, "admint.db", NULL);
}

static AdmintStore *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  AdmintStore *store = admint_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static char *
new_generation (AdmintStore *store)
{
  g_autoptr(GError) error = NULL;
  char *id = admint_store_create_generation (store, "a queued ad", NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return id;
}

/* Queues N_RECORDS messages numbered 0… and a status after each. */
static void
queue_records (AdmintStore *store,
               const char  *id)
{
  static const char * const statuses[] = { "story", "references", "scenes", "clips" };

  for (int i = 0; i < N_RECORDS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *body = g_strdup_printf ("{\"n\": %d}", i);

      g_assert_cmpint (admint_store_add_message (store, id, "assistant", "progress", body,
                                                 &error), ==, 0);
      g_assert_no_error (error);
      g_assert_true (admint_store_update_generation_status (store, id, statuses[i % 4], NULL,
                                                            NULL, &error));
      g_assert_no_error (error);
    }
}

/* The messages of ID as their numbers, in the order the store gives them. */
static GString *
stored_numbers (AdmintStore *store,
                const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) messages = admint_store_list_messages (store, id, &error);
  GString *numbers = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(AdmintMessageRow) row = g_list_model_get_item (messages, i);
      g_autoptr(JsonNode) body = json_from_string (admint_message_row_get_body_json (row), NULL);

      g_assert_cmpuint (admint_message_row_get_id (row), >=, 1);
      g_string_append_printf (numbers, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                              json_object_get_int_member (json_node_get_object (body), "n"));
    }
  return numbers;
}

static char *
expected_numbers (int n)
{
  GString *numbers = g_string_new (NULL);

  for (int i = 0; i < n; i++)
    g_string_append_printf (numbers, "%s%d", i > 0 ? "," : "", i);
  return g_string_free (numbers, FALSE);
}

static char *
stored_status (AdmintStore *store,
               const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = admint_store_get_generation (store, id, &error);

  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "status"));
}

static void
test_off_by_default (void)
{
  g_autofree char *path = fresh_db_path ("queue-off");
  AdmintStore *store = open_ok (path);
  g_autofree char *id = new_generation (store);
  g_autoptr(GError) error = NULL;

  g_assert_false (admint_store_get_queue_writes (store));
  /* Waiting, as before: the id of the committed row. */
  g_assert_cmpint (admint_store_add_message (store, id, "user", "text", "{\"n\": 0}", &error),
                   >=, 1);
  g_assert_no_error (error);
  g_assert_true (admint_store_flush (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);
}

static void
on_cost (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  double *cost = user_data;

  *cost = admint_store_get_generation_cost_finish (ADMINT_STORE (source), result, &error);
  g_assert_no_error (error);
}

/* Later calls, blocking or not, come after the queued records and see them in order. */
static void
test_order (void)
{
  g_autofree char *path = fresh_db_path ("queue-order");
  AdmintStore *store = open_ok (path);
  g_autofree char *id = new_generation (store);
  g_autofree char *expected = expected_numbers (N_RECORDS);
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) numbers = NULL;
  double cost = -1;

  admint_store_set_queue_writes (store, TRUE);
  g_assert_true (admint_store_get_queue_writes (store));
  queue_records (store, id);

  /* No flush: the read is queued behind them. */
  numbers = stored_numbers (store, id);
  g_assert_cmpstr (numbers->str, ==, expected);
  status = stored_status (store, id);
  g_assert_cmpstr (status, ==, "clips");

  /* A queued clip state after a waiting call that made the clip. */
  g_assert_cmpint (admint_store_add_clip_version (store, id, 0, "local", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (admint_store_update_clip (store, id, 0, 1, "completed", "/tmp/c.mp4", 2.0, 0,
                                           NULL, &error));
  g_assert_true (admint_store_record_usage (store, "local", "renderer", "video", 2.0, 0, id,
                                            &error));
  g_assert_true (admint_store_flush (store, &error));
  g_assert_no_error (error);
  /* A line with a cost waits; the sum read without waiting comes after it. */
  g_assert_true (admint_store_record_usage (store, "replicate", "veo", "video", 1, 0.5, id,
                                            &error));
  admint_store_get_generation_cost_async (store, id, NULL, on_cost, &cost);
  while (cost < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat_with_epsilon (cost, 0.5, 1e-9);
  {
    g_autoptr(JsonNode) node = admint_store_get_generation (store, id, &error);
    JsonArray *clips;

    g_assert_no_error (error);
    clips = json_object_get_array_member (json_node_get_object (node), "clips");
    g_assert_cmpuint (json_array_get_length (clips), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clips, 0),
                                                    "status"), ==, "completed");
  }
  g_assert_finalize_object (store);
}

/* Dropping the store commits what is queued: a new connection finds every record. */
static void
test_close (void)
{
  g_autofree char *path = fresh_db_path ("queue-close");
  AdmintStore *store = open_ok (path);
  g_autofree char *id = new_generation (store);
  g_autofree char *expected = expected_numbers (N_RECORDS);
  g_autofree char *status = NULL;
  g_autoptr(GString) numbers = NULL;

  admint_store_set_queue_writes (store, TRUE);
  queue_records (store, id);
  g_assert_finalize_object (store);

  store = open_ok (path);
  numbers = stored_numbers (store, id);
  g_assert_cmpstr (numbers->str, ==, expected);
  status = stored_status (store, id);
  g_assert_cmpstr (status, ==, "clips");
  g_assert_finalize_object (store);
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (admint_store_flush_finish (ADMINT_STORE (source), result, error));
}

/* A record that fails is logged and its error comes out of the next flush, once; the records
 * queued after it are still written. The store logs through GLib's structured API, which
 * g_test_expect_message does not see: the checks run in a subprocess whose stderr is read. */
static void
test_errors (void)
{
  g_autofree char *path = NULL;
  AdmintStore *store;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) async_error = NULL;
  g_autoptr(GString) numbers = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*A queued write to the library failed*no-such-ad*");
      g_test_trap_assert_stderr ("*A queued write to the library failed*scene 7*");
      return;
    }

  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  path = fresh_db_path ("queue-errors");
  store = open_ok (path);
  id = new_generation (store);
  admint_store_set_queue_writes (store, TRUE);
  /* Bad arguments are still refused at once, before anything is queued. */
  g_assert_false (admint_store_update_generation_status (store, id, "dancing", NULL, NULL,
                                                         &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* An unknown generation is only found out on the store thread. */
  g_assert_true (admint_store_update_generation_status (store, "no-such-ad", "story", NULL, NULL,
                                                        &error));
  g_assert_no_error (error);
  g_assert_cmpint (admint_store_add_message (store, id, "user", "text", "{\"n\": 0}", &error),
                   ==, 0);
  g_assert_false (admint_store_flush (store, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-ad"));
  g_clear_error (&error);
  numbers = stored_numbers (store, id);
  g_assert_cmpstr (numbers->str, ==, "0");
  g_assert_true (admint_store_flush (store, &error));
  g_assert_no_error (error);

  /* The same through flush_async, off the caller's main loop. */
  g_assert_true (admint_store_update_clip (store, id, 7, 1, "running", NULL, -1, -1, NULL,
                                           &error));
  admint_store_flush_async (store, NULL, on_flushed, &async_error);
  while (async_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (async_error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_finalize_object (store);
}

/* The child: per generation, queued records, then one call that waits (a stage's result);
 * the id is printed once that call returned, i.e. once the old code would have promised it all. */
static int
kill_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (path, &error);

  if (store == NULL)
    {
      fprintf (stderr, "child: %s\n", error->message);
      return 1;
    }
  admint_store_set_queue_writes (store, TRUE);
  for (;;)
    {
      g_autofree char *id = admint_store_create_generation (store, "killed", NULL, NULL, NULL,
                                                            &error);

      if (id == NULL)
        return 1;
      for (int i = 0; i < 5; i++)
        {
          g_autofree char *body = g_strdup_printf ("{\"n\": %d}", i);

          if (admint_store_add_message (store, id, "assistant", "progress", body, &error) < 0 ||
              !admint_store_update_generation_status (store, id, "story", NULL, NULL, &error))
            return 1;
        }
      if (!admint_store_set_generation_json (store, id, "story", "{\"title\": \"t\"}", &error))
        {
          fprintf (stderr, "child: %s\n", error->message);
          return 1;
        }
      printf ("%s\n", id);
      fflush (stdout);
    }
  return 0;
}

/* SIGKILL while records are queued: every generation the child reported has all its records
 * (the waiting call committed them), and the database holds a prefix of the calls. */
static void
test_kill (void)
{
  g_autofree char *path = fresh_db_path ("queue-kill");
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GPtrArray) promised = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autofree char *five = expected_numbers (5);
  AdmintStore *store;
  char *line;

  g_subprocess_launcher_setenv (launcher, "ADMINT_STORE_QUEUE_KILL_CHILD", path, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while ((line = g_data_input_stream_read_line (in, NULL, NULL, &error)) != NULL)
    {
      g_ptr_array_add (promised, line);
      if (promised->len == 100)
        g_subprocess_send_signal (child, SIGKILL);
    }
  g_assert_no_error (error);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));

  store = open_ok (path);
  for (guint i = 0; i < promised->len; i++)
    {
      g_autoptr(GString) numbers = stored_numbers (store, promised->pdata[i]);
      g_autofree char *status = stored_status (store, promised->pdata[i]);

      g_assert_cmpstr (numbers->str, ==, five);
      g_assert_cmpstr (status, ==, "story");
    }

  /* The one the kill cut short, if any: whatever it kept is a prefix of its calls. */
  all = admint_store_list_generations (store, 0, -1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(AdmintGenerationRow) row = g_list_model_get_item (all, i);
      const char *id = admint_generation_row_get_id (row);
      gboolean was_promised = FALSE;

      for (guint p = 0; p < promised->len; p++)
        was_promised = was_promised || g_str_equal (promised->pdata[p], id);
      if (!was_promised)
        {
          g_autoptr(GString) numbers = stored_numbers (store, id);
          g_assert_true (numbers->len == 0 || g_str_has_prefix (five, numbers->str));
          g_test_message ("cut short: %s kept messages [%s]", id, numbers->str);
        }
    }
  g_assert_finalize_object (store);
}

int
main (int argc, char **argv)
{
  if (g_getenv ("ADMINT_STORE_QUEUE_KILL_CHILD") != NULL)
    return kill_child (g_getenv ("ADMINT_STORE_QUEUE_KILL_CHILD"));

  self_path = argv[0];
  admint_test_init (&argc, &argv);

  g_test_add_func ("/store-queue/off-by-default", test_off_by_default);
  g_test_add_func ("/store-queue/order", test_order);
  g_test_add_func ("/store-queue/close", test_close);
  g_test_add_func ("/store-queue/errors", test_errors);
  g_test_add_func ("/store-queue/kill", test_kill);
  return g_test_run ();
}
