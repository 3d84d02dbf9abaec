/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The admint command under hostile input and signals: the defects issue 14's probe found, each
 * checked the way it was found (bad bytes, odd files, kills). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "admint-store.h"
#include "admint-test-util.h"

typedef struct
{
  char  *out;       /* raw bytes, NUL-terminated */
  gsize  out_len;
  char  *err;
  int    status;    /* the exit status, or -1 when it had to be killed */
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
bytes_to_string (GBytes *bytes,
                 gsize  *len)
{
  gsize n = bytes ? g_bytes_get_size (bytes) : 0;

  if (len != NULL)
    *len = n;
  return g_strndup (bytes ? g_bytes_get_data (bytes, NULL) : "", n);
}

static gboolean
on_deadline (gpointer user_data)
{
  g_subprocess_force_exit (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs admint with ARGS, STDIN_TEXT (bytes, may be NULL), extra environment ENV (NAME=VALUE
 * strings, may be NULL), killing it after TIMEOUT seconds. Output is kept as bytes: what is
 * checked here is exactly what may not be valid text. */
static void
run_full (Run                *r,
          const char * const *args,
          const char         *stdin_text,
          const char * const *env,
          guint               timeout)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) in = g_bytes_new (stdin_text ? stdin_text : "",
                                     stdin_text ? strlen (stdin_text) : 0);
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint deadline;

  run_clear (r);
  g_ptr_array_add (argv, (gpointer) admint_test_program ("ADMINT_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  deadline = g_timeout_add_seconds (timeout, on_deadline, proc);
  g_subprocess_communicate_async (proc, in, NULL, on_communicated, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_finish (proc, result, &out, &err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, NULL);
  if (g_main_context_find_source_by_id (NULL, deadline) != NULL)
    g_source_remove (deadline);
  r->out = bytes_to_string (out, &r->out_len);
  r->err = bytes_to_string (err, NULL);
  r->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  g_test_message ("admint %s: exit %d\nstderr: %s", args[0], r->status, r->err);
}

#define RUN(r, ...) run_full ((r), (const char *[]) { __VA_ARGS__, NULL }, NULL, NULL, 60)

static void
assert_says (const char *text,
             const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” does not say “%s”", text, needle);
}

/* Nothing that would move the cursor, clear the screen or ring the bell, and valid UTF-8. */
static void
assert_terminal_safe (const char *text,
                      gsize       len)
{
  g_assert_true (g_utf8_validate (text, len, NULL));
  for (gsize i = 0; i < len; i++)
    if (((guchar) text[i] < 0x20 && text[i] != '\n') || (guchar) text[i] == 0x7f)
      g_error ("byte 0x%02x at %" G_GSIZE_FORMAT " reaches the terminal: %s",
               (guchar) text[i], i, text);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static guint
n_generations (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(JsonNode) list = NULL;

  RUN (&r, "history", "--json");
  g_assert_cmpint (r.status, ==, 0);
  list = parse_json (r.out);
  return json_array_get_length (json_node_get_array (list));
}

static char *
make_png (const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 24);
  char *path = g_build_filename (admint_test_get_root (), name, NULL);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return path;
}

/* ---- defect 2: --output ---- */

/* generate --output into the library, or onto an asset it reads, was found out only after the
 * paid work; it is refused before anything starts. */
static void
test_generate_output (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *db = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "admint.db",
                                          NULL);
  g_autofree char *logo = make_png ("brand-logo.png");
  g_autofree char *asset = g_strconcat ("logo:", logo, NULL);
  g_autofree char *before = NULL, *after = NULL;

  g_assert_cmpuint (n_generations (), ==, 0);
  g_assert_true (g_file_get_contents (logo, &before, NULL, NULL));

  RUN (&r, "generate", "--auto", "a 6-second ad for a water bottle", "--output", db);
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "data folder");
  RUN (&r, "generate", "--auto", "a 6-second ad for a water bottle", "--asset", asset,
       "--output", logo);
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "is the input");

  g_assert_true (g_file_get_contents (logo, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  /* Refused before a generation was even created: nothing was spent. */
  g_assert_cmpuint (n_generations (), ==, 0);
}

/* ---- defect 5: text ---- */

/* A brief with invalid UTF-8 gave GLib-CRITICALs, lost words and later invalid JSON. */
static void
test_brief_utf8 (void)
{
  g_auto(Run) r = { 0 };

  RUN (&r, "generate", "--auto", "a 6-second \xff\xfe ad for a bottle");
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "not valid UTF-8");
  g_assert_null (strstr (r.err, "CRITICAL"));
  g_assert_cmpuint (n_generations (), ==, 0);
}

/* A reply that is not UTF-8 ended the conversation with a wrong "stdin closed". */
static void
test_reply_utf8 (void)
{
  g_auto(Run) r = { 0 };

  run_full (&r, (const char *[]) { "generate", "a 6-second ad for a yellow bottle", NULL },
            "\xff\xfe looks good\n", NULL, 120);
  assert_says (r.out, "not valid UTF-8");
  /* It asked again, and only then found stdin closed: exit 2, the work kept for resume. */
  g_assert_cmpint (r.status, ==, 2);
}

/* Control characters in stored text reached the terminal through history and show; text from
 * before UTF-8 was checked made `history --json` invalid JSON. */
static void
test_terminal_output (void)
{
  static const char evil[] = "evil \x1b[2J\x1b]0;owned\x07 ad\r\nsecond line \xe2\x80\xae txt";
  static const char latin1[] = "caf\xe9 ad for a bottle";
  g_auto(Run) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(JsonNode) shown = NULL;

  g_assert_no_error (error);
  a = admint_store_create_generation (store, evil, "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_update_generation_status (store, a, "failed", "clips",
                                                        "the server said \x1b[31mno\x1b[0m",
                                                        &error));
  b = admint_store_create_generation (store, latin1, "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  RUN (&r, "history");
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out, r.out_len);
  assert_says (r.out, "evil");
  RUN (&r, "show", a);
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out, r.out_len);
  assert_says (r.out, "second line");
  assert_says (r.out, "the server said");
  RUN (&r, "show", b);
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out, r.out_len);

  RUN (&r, "history", "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_utf8_validate (r.out, r.out_len, NULL));
  history = parse_json (r.out);
  /* These two and the one /cli/text/reply left for resume. */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history)), ==, 3);
  RUN (&r, "show", b, "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_utf8_validate (r.out, r.out_len, NULL));
  shown = parse_json (r.out);
  assert_says (json_object_get_string_member (json_node_get_object (shown), "prompt"), "ad for");
}

/* A batch file's briefs are text too (the YAML loader checks it: kept so). */
static void
test_batch_utf8 (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *file = g_build_filename (admint_test_get_root (), "latin1.yaml", NULL);

  g_assert_true (g_file_set_contents (file, "- \"caf\xe9 ad for a bottle\"\n", -1, NULL));
  RUN (&r, "batch", file);
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "not UTF-8");
  assert_says (r.err, "latin1.yaml");
}

/* Tags and file names become text in the library: they must be UTF-8. GOption's own check
 * also refused a valid “café” in the C locale. */
static void
test_asset_text (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *png = make_png ("tagged.png");
  g_autofree char *odd_name = g_build_filename (admint_test_get_root (), "na\xefve.png", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(JsonNode) added = NULL;
  JsonArray *tags;

  RUN (&r, "assets", "add", png, "--tag", "caf\xe9");
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "not valid UTF-8");

  run_full (&r, (const char *[]) { "assets", "add", png, "--tag", "café", "--json", NULL }, NULL,
            (const char *[]) { "LC_ALL=C", NULL }, 60);
  g_assert_cmpint (r.status, ==, 0);
  added = parse_json (r.out);
  tags = json_object_get_array_member (json_array_get_object_element (json_node_get_array (added),
                                                                      0), "tags");
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "café");

  g_assert_true (g_file_get_contents (png, &contents, &len, NULL));
  contents[len - 1] ^= 1;   /* other bytes, so that it is not a duplicate */
  g_assert_true (g_file_set_contents (odd_name, contents, len, NULL));
  RUN (&r, "assets", "add", odd_name);
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "not valid UTF-8");
}

/* ---- defect 6: processes and files ---- */

/* `assets add` on a FIFO hung for good; devices and folders are refused the same way. */
static void
test_asset_special_files (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *fifo = g_build_filename (admint_test_get_root (), "pipe.png", NULL);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  run_full (&r, (const char *[]) { "assets", "add", fifo, NULL }, NULL, NULL, 10);
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "pipe");
  RUN (&r, "assets", "add", "/dev/zero");
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "device");
  RUN (&r, "assets", "add", admint_test_get_root ());
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "folder");
  g_unlink (fifo);
}

/* A process id that is not running: one that just ended. */
static int
dead_pid (void)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, NULL, 0), ==, pid);
  return pid;
}

static char *
touch (const char *dir,
       const char *name,
       gint64      age_seconds)
{
  char *path = g_build_filename (dir, name, NULL);
  struct utimbuf times;

  g_assert_true (g_file_set_contents (path, "partial", -1, NULL));
  times.actime = times.modtime = time (NULL) - age_seconds;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
  return path;
}

/* Killed imports left .import-* and .thumb-* files in media/ for good. */
static void
test_stale_import_files (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *media = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "media",
                                             NULL);
  g_autofree char *thumbs = g_build_filename (media, "thumbnails", NULL);
  g_autofree char *png = make_png ("fresh.png");
  int dead = dead_pid ();
  g_autofree char *dead_import_name = g_strdup_printf (".import-%d-Ab12Cd", dead);
  g_autofree char *dead_thumb_name = g_strdup_printf (".thumb-%d-Ef34Gh", dead);
  g_autofree char *live_name = g_strdup_printf (".import-%d-Ij56Kl", (int) getpid ());
  g_autofree char *dead_import = NULL, *dead_thumb = NULL, *live = NULL;
  g_autofree char *old_legacy = NULL, *new_legacy = NULL;

  g_assert_cmpint (g_mkdir_with_parents (thumbs, 0700), ==, 0);
  dead_import = touch (media, dead_import_name, 0);
  dead_thumb = touch (thumbs, dead_thumb_name, 0);
  live = touch (media, live_name, 0);
  old_legacy = touch (media, ".import-Mn78Op", 2 * 3600);
  new_legacy = touch (media, ".import-Qr90St", 60);

  RUN (&r, "assets", "add", png);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (dead_import, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dead_thumb, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_legacy, G_FILE_TEST_EXISTS));
  /* This process is running: its import may be under way. A recent file of an older version
   * may be one too. */
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_legacy, G_FILE_TEST_EXISTS));
  g_unlink (live);
  g_unlink (new_legacy);
}

/* Opening the store cleans media/ too: a command that imports nothing still removes them. */
static void
test_stale_files_on_open (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *media = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "media",
                                             NULL);
  g_autofree char *thumbs = g_build_filename (media, "thumbnails", NULL);
  int dead = dead_pid ();
  g_autofree char *import_name = g_strdup_printf (".import-%d-Uv12Wx", dead);
  g_autofree char *thumb_name = g_strdup_printf (".thumb-%d-Yz34Ab", dead);
  g_autofree char *import = NULL, *thumb = NULL;

  g_assert_cmpint (g_mkdir_with_parents (thumbs, 0700), ==, 0);
  import = touch (media, import_name, 0);
  thumb = touch (thumbs, thumb_name, 0);
  RUN (&r, "history");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (import, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (thumb, G_FILE_TEST_EXISTS));
}

/* `score` scored a PNG as a one-frame video. */
static void
test_score_not_video (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *png = make_png ("still.png");
  g_autofree char *text = g_build_filename (admint_test_get_root (), "notes.mp4", NULL);

  g_assert_true (g_file_set_contents (text, "just some words, not a video\n", -1, NULL));
  RUN (&r, "score", png, "--json");
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "not a video");
  assert_says (r.err, "PNG");
  g_assert_cmpstr (g_strstrip (r.out), ==, "[]");
  RUN (&r, "score", text);
  g_assert_cmpint (r.status, ==, 2);
  assert_says (r.err, "not a video");
}

/* The children of PARENT, from /proc. */
static GArray *
children_of (GPid parent)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      const char *p;
      int ppid = 0, pid = atoi (name);

      if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL) ||
          (p = strrchr (stat, ')')) == NULL)
        continue;
      if (sscanf (p + 2, "%*c %d", &ppid) == 1 && ppid == parent)
        g_array_append_val (pids, pid);
    }
  return pids;
}

/* Running, and not a zombie waiting to be reaped. */
static gboolean
is_running (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *p;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (p = strrchr (stat, ')')) == NULL)
    return FALSE;
  return p[2] != 'Z' && p[2] != 'X';
}

/* SIGTERM on `admint batch` left its children running and spending. */
static void
test_batch_sigterm (void)
{
  g_autofree char *file = g_build_filename (admint_test_get_root (), "briefs.yaml", NULL);
  g_autoptr(GSubprocess) batch = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GArray) children = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 deadline;
  int child;

  g_assert_true (g_file_set_contents (file, "- a 30-second ad for a green bottle\n", -1, NULL));
  batch = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error, admint_test_program ("ADMINT_CLI"), "batch", file, NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (batch));
  /* Once its brief has started its own process, and that has a generation. */
  while ((line = g_data_input_stream_read_line (err, NULL, NULL, &error)) != NULL &&
         !g_str_has_prefix (line, "generation "))
    g_clear_pointer (&line, g_free);
  g_assert_nonnull (line);
  children = children_of (atoi (g_subprocess_get_identifier (batch)));
  g_assert_cmpuint (children->len, ==, 1);
  child = g_array_index (children, int, 0);

  g_subprocess_send_signal (batch, SIGTERM);
  g_subprocess_wait (batch, NULL, NULL);
  /* Cancelling takes a second or two; the generation itself far longer. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (is_running (child) && g_get_monotonic_time () < deadline)
    g_usleep (100000);
  if (is_running (child))
    {
      kill (child, SIGKILL);
      g_error ("the brief's process %d kept running after its batch got SIGTERM", child);
    }
}

int
main (int   argc,
      char *argv[])
{
  admint_test_init (&argc, &argv);

  /* In this order: the first ones check that nothing was created. */
  g_test_add_func ("/cli/output/generate", test_generate_output);
  g_test_add_func ("/cli/text/brief", test_brief_utf8);
  g_test_add_func ("/cli/text/reply", test_reply_utf8);
  g_test_add_func ("/cli/text/terminal", test_terminal_output);
  g_test_add_func ("/cli/text/batch", test_batch_utf8);
  g_test_add_func ("/cli/text/assets", test_asset_text);
  g_test_add_func ("/cli/files/asset-special-files", test_asset_special_files);
  g_test_add_func ("/cli/files/stale-import-files", test_stale_import_files);
  g_test_add_func ("/cli/files/stale-files-on-open", test_stale_files_on_open);
  g_test_add_func ("/cli/files/score-not-video", test_score_not_video);
  g_test_add_func ("/cli/signals/batch-sigterm", test_batch_sigterm);
  return g_test_run ();
}
