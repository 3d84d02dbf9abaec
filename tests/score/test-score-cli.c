/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admint score: the JSON shape, the table, and the exit statuses for good and bad files. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "admint-test-util.h"
#include "score-test-clips.h"

static char *still_path;

static JsonArray *
parse_array (const char *text,
             JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_node_get_array (root);
}

static void
assert_entry (JsonObject *entry,
              const char *path)
{
  static const char *dims[] = {
    "subject_consistency", "background_consistency", "temporal_flickering", "motion_smoothness",
    "dynamic_degree", "aesthetic_quality", "imaging_quality", "quality_score",
  };
  JsonObject *scores;

  g_assert_cmpstr (json_object_get_string_member (entry, "file"), ==, path);
  g_assert_cmpint (json_object_get_int_member (entry, "frames"), ==, 60);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "fps"), 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "duration"), 2.0, 1e-9);
  /* file, frames, fps, duration, scores, ad_checks, overall_score */
  g_assert_cmpuint (json_object_get_size (entry), ==, 7);
  g_assert_true (json_object_has_member (json_object_get_object_member (entry, "ad_checks"),
                                         "passed"));
  g_assert_true (json_object_has_member (entry, "overall_score"));
  scores = json_object_get_object_member (entry, "scores");
  g_assert_nonnull (scores);
  g_assert_cmpuint (json_object_get_size (scores), ==, G_N_ELEMENTS (dims));
  for (guint i = 0; i < G_N_ELEMENTS (dims); i++)
    {
      double v;

      g_assert_true (json_object_has_member (scores, dims[i]));
      v = json_object_get_double_member (scores, dims[i]);
      g_assert_cmpfloat (v, >=, 0.0);
      g_assert_cmpfloat (v, <=, i == G_N_ELEMENTS (dims) - 1 ? 100.0 : 1.0);
    }
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (scores, "temporal_flickering"),
                                  1.0, 1e-9);
  g_assert_cmpfloat (json_object_get_double_member (scores, "dynamic_degree"), ==, 0.0);
}

static void
test_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  int status;

  admint_test_run_cli ((const char *[]) { "score", "--json", still_path, still_path, NULL }, NULL,
                       &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  array = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  assert_entry (json_array_get_object_element (array, 0), still_path);
  assert_entry (json_array_get_object_element (array, 1), still_path);
  /* Progress goes to stderr only. */
  g_assert_nonnull (strstr (err, still_path));
}

static void
test_table (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "score", still_path, NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, still_path));
  g_assert_nonnull (strstr (out, "60 frames"));
  g_assert_nonnull (strstr (out, "temporal_flickering      1.0000"));
  g_assert_nonnull (strstr (out, "dynamic_degree           0.0000"));
  g_assert_nonnull (strstr (out, "quality_score"));
}

static void
test_bad_file_among_good (void)
{
  g_autofree char *missing = g_build_filename (admint_test_get_root (), "missing.mp4", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  int status;

  admint_test_run_cli ((const char *[]) { "score", "--json", missing, still_path, NULL }, NULL,
                       &out, &err, &status);
  /* The good file is still scored; the bad one is named on stderr and makes the exit 2. */
  g_assert_cmpint (status, ==, 2);
  array = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  assert_entry (json_array_get_object_element (array, 0), still_path);
  g_assert_nonnull (strstr (err, "admint: error:"));
  g_assert_nonnull (strstr (err, missing));
}

static void
test_only_bad_file (void)
{
  g_autofree char *bad = g_build_filename (admint_test_get_root (), "garbage.mp4", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_file_set_contents (bad, "this is not a video at all, not even a little", -1, &error);
  g_assert_no_error (error);
  admint_test_run_cli ((const char *[]) { "score", "--json", bad, NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpuint (json_array_get_length (parse_array (out, parser)), ==, 0);
  g_assert_nonnull (strstr (err, bad));
}

static void
test_usage (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "score", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Usage: admint score"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "score", "--frobnicate", still_path, NULL }, NULL, &out,
                       &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "score", "--help", NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "--json"));
}

int
main (int argc, char **argv)
{
  int status;

  admint_test_init (&argc, &argv);
  still_path = score_test_make_pattern ("still.mp4", "still");

  g_test_add_func ("/score/cli/json", test_json);
  g_test_add_func ("/score/cli/table", test_table);
  g_test_add_func ("/score/cli/bad-file-among-good", test_bad_file_among_good);
  g_test_add_func ("/score/cli/only-bad-file", test_only_bad_file);
  g_test_add_func ("/score/cli/usage", test_usage);
  status = g_test_run ();
  g_free (still_path);
  return status;
}
