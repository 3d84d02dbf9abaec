/* `admint stitch` and `admint export`: exit statuses, JSON output, files named in errors. */
#include "config.h"

#include <string.h>
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
  return g_test_run ();
}
