/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `admint stitch` and `admint export`: exit statuses, JSON output, files named in errors. */
#include "config.h"

#include <signal.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "admint-store.h"
#include "admint-test-util.h"
#include "media-test-util.h"

static char *clip_a, *clip_b;

static void
test_stitch_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = g_build_filename (admint_test_get_root (), "joined.mp4", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  int status;

  admint_test_run_cli ((const char *[]) { "stitch", clip_a, clip_b, "--output", path, "--json",
                                          NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "output"), ==, path);
  g_assert_true (json_object_get_boolean_member (o, "copied"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "duration"), 2.0, 0.1);
  g_assert_cmpstr (json_object_get_string_member (o, "container"), ==, "mp4");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_stitch_crossfade_text (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = g_build_filename (admint_test_get_root (), "xfade.mp4", NULL);
  int status;

  admint_test_run_cli ((const char *[]) { "stitch", clip_a, clip_b, "-o", path, "--transition",
                                          "crossfade", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, path));
  g_assert_nonnull (strstr (out, "re-encoded"));
}

static void
test_stitch_usage (void)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), "x.mp4", NULL);
  struct {
    const char *args[8];
    const char *needle;
  } cases[] = {
    { { "stitch", NULL }, "Usage: admint stitch" },
    { { "stitch", clip_a, NULL }, "--output" },
    { { "stitch", clip_a, "-o", path, "--preset", "cinema-8k", NULL }, "web-1080p" },
    { { "stitch", clip_a, "-o", path, "--transition", "wipe", NULL }, "crossfade" },
    { { "stitch", clip_a, "-o", path, "--frobnicate", NULL }, "--frobnicate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status;

      admint_test_run_cli (cases[i].args, NULL, &out, &err, &status);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].needle));
    }
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_stitch_bad_file (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *junk = g_build_filename (admint_test_get_root (), "junk.mp4", NULL);
  g_autofree char *path = g_build_filename (admint_test_get_root (), "never.mp4", NULL);
  int status;

  g_assert_true (g_file_set_contents (junk, "definitely not a video", -1, NULL));
  admint_test_run_cli ((const char *[]) { "stitch", clip_a, junk, "-o", path, "--json", NULL },
                       NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, junk));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *id = NULL, *unfinished = NULL;
  g_autofree char *path = g_build_filename (admint_test_get_root (), "export.mp4", NULL);
  g_autofree char *clips = g_build_filename (admint_test_get_root (), "export-clips", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_assert_no_error (error);
  id = admint_store_create_generation (store, "a water bottle ad", "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_set_final_video (store, id, clip_a, -1, &error));
  g_assert_true (admint_store_add_clip_version (store, id, 0, "local", &error) == 1);
  g_assert_true (admint_store_update_clip (store, id, 0, 1, "completed", clip_b, 1.0, 0,
                                           NULL, &error));
  g_assert_no_error (error);
  unfinished = admint_store_create_generation (store, "another", "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  admint_test_run_cli ((const char *[]) { "export", id, "--output", path, "--preset", "web-720p",
                                          "--clips", clips, "--json", NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"width\" : 1280"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (media_test_count_files (clips), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  admint_test_run_cli ((const char *[]) { "export", "no-such-id", "-o", path, NULL }, NULL, &out,
                       &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  admint_test_run_cli ((const char *[]) { "export", unfinished, "-o", path, NULL }, NULL, &out,
                       &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no finished video"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  admint_test_run_cli ((const char *[]) { "export", id, "-o", path, "--preset", "huge", NULL },
                       NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
}

/* Runs admint ARGS and checks that it refuses with exit 2 before writing anything, the message
 * saying NEEDLE. */
static void
assert_refused (const char * const *args,
                const char         *needle)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli (args, NULL, &out, &err, &status);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  if (strstr (err, needle) == NULL)
    g_error ("“%s” does not say “%s”", err, needle);
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, len);
}

/* issue 14: `export ID --output <data folder>/admint.db` exited 0 and every later command
 * failed with "not an Ad Mint library"; an output equal to an input overwrote it. */
static void
test_output_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *data = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", NULL);
  g_autofree char *db = g_build_filename (data, "admint.db", NULL);
  g_autofree char *in_media = g_build_filename (data, "media", "ad.mp4", NULL);
  g_autofree char *clips_in_media = g_build_filename (data, "media", "clips", NULL);
  g_autofree char *config = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "admint",
                                              "config.yaml", NULL);
  g_autofree char *hard_link = g_build_filename (admint_test_get_root (), "a-link.mp4", NULL);
  g_autofree char *missing = g_build_filename (admint_test_get_root (), "nowhere", "x.mp4", NULL);
  g_autofree char *db_before = NULL, *db_after = NULL, *a_before = NULL, *a_after = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *id = NULL;
  int status;

  g_assert_no_error (error);
  id = admint_store_create_generation (store, "a water bottle ad", "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_set_final_video (store, id, clip_a, -1, &error));
  g_clear_object (&store);
  g_autofree char *config_dir = g_path_get_dirname (config);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, "video:\n  aspect: \"16:9\"\n", -1, NULL));
  g_assert_cmpint (link (clip_a, hard_link), ==, 0);
  db_before = file_digest (db);
  a_before = file_digest (clip_a);

  assert_refused ((const char *[]) { "export", id, "--output", db, NULL }, "data folder");
  assert_refused ((const char *[]) { "export", id, "-o", in_media, NULL }, "data folder");
  assert_refused ((const char *[]) { "export", id, "-o", config, NULL }, "config folder");
  assert_refused ((const char *[]) { "export", id, "-o", clip_a, NULL }, "is the input");
  assert_refused ((const char *[]) { "export", id, "-o", missing, NULL }, "does not exist");
  assert_refused ((const char *[]) { "export", id, "-o", admint_test_get_root (), NULL },
                  "is a folder");
  assert_refused ((const char *[]) { "export", id, "-o", "/dev/null", NULL },
                  "not a regular file");
  assert_refused ((const char *[]) { "export", id, "-o", "x.mp4", "--clips", clips_in_media,
                                     NULL }, "data folder");
  assert_refused ((const char *[]) { "stitch", clip_a, clip_b, "--output", db, NULL },
                  "data folder");
  assert_refused ((const char *[]) { "stitch", clip_a, clip_b, "--output", clip_b, NULL },
                  "is the input");
  /* A hard link is the same file under another name. */
  assert_refused ((const char *[]) { "stitch", clip_a, clip_b, "--output", hard_link, NULL },
                  "is the input");
  assert_refused ((const char *[]) { "stitch", clip_b, "--music", clip_a, "-o", clip_a, NULL },
                  "is the input");

  db_after = file_digest (db);
  a_after = file_digest (clip_a);
  g_assert_cmpstr (db_before, ==, db_after);
  g_assert_cmpstr (a_before, ==, a_after);
  g_assert_false (g_file_test (in_media, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (clips_in_media, G_FILE_TEST_EXISTS));
  admint_test_run_cli ((const char *[]) { "history", "--json", NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 0);
  g_unlink (hard_link);
}

/* The files in DIR whose name starts with PREFIX, at any depth. */
static guint
count_named (const char *dir,
             const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_str_has_prefix (name, prefix))
        n++;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        n += count_named (path, prefix);
    }
  return n;
}

/* Starts a long re-encoding stitch into DIR/out.mp4 with TMPDIR set to TMP; returns once it
 * has started encoding (its first progress line). */
static GSubprocess *
start_long_stitch (const char        *dir,
                   const char        *tmp,
                   GDataInputStream **err_lines)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *output = g_build_filename (dir, "out.mp4", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_setenv (launcher, "TMPDIR", tmp, TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, admint_test_program ("ADMINT_CLI"),
                                      "stitch", clip_a, clip_b, clip_a, clip_b, "--output", output,
                                      "--transition", "crossfade", "--preset", "web-1080p", NULL);
  g_assert_no_error (error);
  *err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  while ((line = g_data_input_stream_read_line (*err_lines, NULL, NULL, &error)) != NULL &&
         !g_str_has_prefix (line, "progress"))
    g_clear_pointer (&line, g_free);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  return proc;
}

/* issue 14: SIGTERM (what `kill`, timeout(1) and service managers send) was not handled: the
 * run died leaving its .part file. It now cancels like Ctrl+C and exits with the usual status. */
static void
test_sigterm (void)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), "sigterm", NULL);
  g_autofree char *tmp = g_build_filename (admint_test_get_root (), "shared-tmp", NULL);
  g_autofree char *private_tmp = g_build_filename (g_getenv ("XDG_CACHE_HOME"), "admint", "tmp",
                                                   NULL);
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (tmp, 0777), ==, 0);
  proc = start_long_stitch (dir, tmp, &err_lines);
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_cmpuint (media_test_count_files (dir), ==, 0);
  /* Its temporary folder went with it. */
  g_assert_cmpuint (count_named (private_tmp, "qtmux"), ==, 0);
  g_assert_cmpuint (count_named (tmp, "qtmux"), ==, 0);
}

/* issue 14: a killed run left world-readable qtmux* files (GStreamer's MP4 muxer) in /tmp for
 * good. They now go to a folder of the process's own, mode 0700, removed by the next run. */
static void
test_private_tmp (void)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), "killed", NULL);
  g_autofree char *tmp = g_build_filename (admint_test_get_root (), "shared-tmp", NULL);
  g_autofree char *private_tmp = g_build_filename (g_getenv ("XDG_CACHE_HOME"), "admint", "tmp",
                                                   NULL);
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  struct stat sb;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (tmp, 0777), ==, 0);
  proc = start_long_stitch (dir, tmp, &err_lines);
  /* Kill it once the muxer has its temporary file, wherever that is. */
  while (count_named (tmp, "qtmux") + count_named (private_tmp, "qtmux") == 0 &&
         g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
  g_assert_cmpuint (count_named (tmp, "qtmux"), ==, 0);
  g_assert_cmpuint (count_named (private_tmp, "qtmux"), ==, 1);
  g_assert_cmpint (g_stat (private_tmp, &sb), ==, 0);
  g_assert_cmpint (sb.st_mode & 0777, ==, 0700);

  /* The next run removes what the killed one left. */
  admint_test_run_cli ((const char *[]) { "history", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_named (private_tmp, "qtmux"), ==, 0);
  g_assert_cmpuint (count_named (private_tmp, ""), ==, 0);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  gst_init (NULL, NULL);

  clip_a = g_build_filename (admint_test_get_root (), "a.mp4", NULL);
  clip_b = g_build_filename (admint_test_get_root (), "b.mp4", NULL);
  media_test_make_clip (clip_a, 320, 180, 30, 1.0, TRUE, "smpte");
  media_test_make_clip (clip_b, 320, 180, 30, 1.0, TRUE, "ball");

  g_test_add_func ("/media/cli/stitch-json", test_stitch_json);
  g_test_add_func ("/media/cli/stitch-crossfade", test_stitch_crossfade_text);
  g_test_add_func ("/media/cli/stitch-usage", test_stitch_usage);
  g_test_add_func ("/media/cli/stitch-bad-file", test_stitch_bad_file);
  g_test_add_func ("/media/cli/export", test_export);
  g_test_add_func ("/media/cli/output-refused", test_output_refused);
  g_test_add_func ("/media/cli/sigterm", test_sigterm);
  g_test_add_func ("/media/cli/private-tmp", test_private_tmp);
  return g_test_run ();
}
