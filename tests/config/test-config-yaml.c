/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The YAML matrix: each bad config is reported as FILE:LINE:COLUMN with what is allowed. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-config.h"
#include "admint-error.h"
#include "admint-test-util.h"

typedef struct
{
  const char *name;
  const char *yaml;
  /* "LINE:COLUMN: text the message must contain", one per expected line, in order. */
  const char *expected[8];
} Case;

static const Case cases[] = {
  { "malformed-indent",
    "stages:\n"
    "  story:\n"
    "    enabled: true\n"
    "   max_iterations: 3\n",
    { "4:4: malformed YAML: did not find expected key (while parsing a block mapping at line 2, "
      "column 3)" } },
  { "malformed-unclosed-quote",
    "video:\n"
    "  aspect: \"9:16\n"
    "  fps: 24\n",
    { "4:1: malformed YAML: found unexpected end of stream (while scanning a quoted scalar at "
      "line 2, column 11)" } },
  { "malformed-tab",
    "video:\n"
    "\tfps: 30\n",
    { "2:1: malformed YAML: found character that cannot start any token" } },
  { "two-documents",
    "video:\n  fps: 30\n---\nvideo:\n  fps: 24\n",
    { "4:1: a second YAML document" } },
  { "root-is-a-list",
    "- stages\n",
    { "1:1: the file must be a mapping of keys to values; got a list" } },
  { "wrong-type-int",
    "stages:\n"
    "  clips:\n"
    "    max_concurrent: four\n",
    { "3:21: stages.clips.max_concurrent must be a whole number from 1 to 32; got “four”" } },
  { "wrong-type-quoted-bool",
    "stages:\n"
    "  clips:\n"
    "    parallel: \"yes\"\n",
    { "3:15: stages.clips.parallel must be true or false; got the quoted text “yes” (remove the "
      "quotes)" } },
  { "wrong-type-section",
    "video: 30\n",
    { "1:8: video must be a mapping of keys to values; got “30”" } },
  { "wrong-type-double",
    "quality:\n"
    "  good: high\n",
    { "2:9: quality.good must be a number from 0 to 100; got “high”" } },
  { "wrong-type-object",
    "providers:\n"
    "  video:\n"
    "    options: [1, 2]\n",
    { "3:14: providers.video.options must be a mapping of names to values; got a list" } },
  { "recursive-alias",
    "providers:\n"
    "  llm:\n"
    "    options: &x {a: *x}\n",
    { "3:14: values nested more than 64 deep (a recursive alias?)" } },
  { "unknown-key",
    "video:\n"
    "  aspect: \"9:16\"\n"
    "  framerate: 24\n",
    { "3:3: unknown key “framerate” in video; allowed: target_seconds, aspect, resolution, "
      "fps" } },
  { "unknown-key-suggestion",
    "stages:\n"
    "  clips:\n"
    "    max_concurent: 2\n",
    { "3:5: unknown key “max_concurent” in stages.clips (did you mean “max_concurrent”?)" } },
  { "unknown-top-level-key",
    "\n"
    "  stagez:\n"
    "    story: {}\n",
    { "2:3: unknown top-level key “stagez” (did you mean “stages”?); allowed: stages, video, "
      "quality, providers, captions, audio, brand, prices, budget, limits, network, prompts, frameworks" } },
  { "unknown-input",
    "providers:\n"
    "  video:\n"
    "    inputs:\n"
    "      promt: prompt\n",
    { "4:7: unknown input “promt” in providers.video.inputs (did you mean “prompt”?)" } },
  { "duplicate-key",
    "video:\n"
    "  fps: 30\n"
    "  fps: 24\n",
    { "3:3: duplicate key “fps” in video; give each key once" } },
  { "out-of-range-int",
    "stages:\n"
    "  references:\n"
    "    count: 5\n",
    { "3:12: stages.references.count is 5; it must be from 0 to 3" } },
  { "out-of-range-double",
    "stages:\n"
    "  story:\n"
    "    quality_threshold: 11.5\n",
    { "3:24: stages.story.quality_threshold is 11.5; it must be from 0 to 10" } },
  { "bad-choice",
    "video:\n"
    "  aspect: 4:3\n",
    { "2:11: video.aspect is “4:3”; allowed: 16:9, 9:16, 1:1" } },
  { "bad-provider",
    "providers:\n"
    "  images:\n"
    "    provider: openai\n",
    { "3:15: providers.images.provider is “openai”; allowed: local, replicate" } },
  { "bad-url",
    "providers:\n"
    "  llm:\n"
    "    base_url: ftp://example.com/v1\n",
    { "3:15: providers.llm.base_url is “ftp://example.com/v1”, which is not an http:// or "
      "https:// URL with a host" } },
  { "plain-http-remote",
    "providers:\n"
    "  video:\n"
    "    base_url: http://api.replicate.com/v1\n",
    { "3:15: providers.video.base_url is “http://api.replicate.com/v1”: plain http:// would "
      "send the API key unencrypted to api.replicate.com; use https://, or http:// only for a "
      "server on this machine" } },
  { "bad-placeholder-quoted",
    "prompts:\n"
    "  director:\n"
    "    user_prompt_template: \"Brief: {brief} in {colour}\"\n",
    { "3:46: prompts.director.user_prompt_template uses {colour}, which the director agent does "
      "not provide; use one of {brief}, {framework}" } },
  { "bad-placeholder-block",
    "prompts:\n"
    "  critic:\n"
    "    system_prompt: |\n"
    "      Line one.\n"
    "      Use {story} and {mood}, {mood} and {{braces}}.\n",
    { "5:23: prompts.critic.system_prompt uses {mood}, which the critic agent does not "
      "provide" } },
  { "unknown-agent",
    "prompts:\n"
    "  narrator:\n"
    "    system_prompt: hi\n",
    { "2:3: unknown key “narrator” in prompts; allowed: director, critic, reference_analyst, "
      "scene_writer, scene_critic, cohesor, intent" } },
  { "framework-without-beats",
    "frameworks:\n"
    "  - name: Hero\n"
    "    description: The hero's journey\n",
    { "2:5: framework “Hero” has no “beats”" } },
  { "framework-empty-beats",
    "frameworks:\n"
    "  - name: Hero\n"
    "    description: The hero's journey\n"
    "    beats: []\n",
    { "4:12: framework “Hero” has no beats (got an empty list)" } },
  { "framework-bad-beat",
    "frameworks:\n"
    "  - name: Hero\n"
    "    description: The hero's journey\n"
    "    beats:\n"
    "      - name: Call\n"
    "        goal: ~\n"
    "      - nom: Return\n",
    { "6:15: a beat's goal must be non-empty text; got nothing",
      "7:9: unknown key “nom” in a beat; allowed: name, goal",
      "7:9: the beat has no “name”",
      "7:9: the beat has no “goal”" } },
  { "framework-duplicate-name",
    "frameworks:\n"
    "  - name: Hero\n"
    "    description: One\n"
    "    beats: [{name: a, goal: b}]\n"
    "  - name: hero\n"
    "    description: Two\n"
    "    beats: [{name: a, goal: b}]\n",
    { "5:11: a second framework named “hero”" } },
  { "cross-field",
    "quality:\n"
    "  acceptable: 90\n",
    { "2:15: quality.acceptable is 90 but quality.good is 80 (from default)" } },
  { "several-errors",
    "stages:\n"
    "  clips:\n"
    "    max_concurrent: 0\n"
    "    parallel: \"yes\"\n"
    "  stroy:\n"
    "    enabled: true\n"
    "video:\n"
    "  aspect: 4:3\n"
    "providers:\n"
    "  llm:\n"
    "    provider: anthropic\n"
    "prompts:\n"
    "  intent:\n"
    "    user_prompt_template: \"{message} {brief}\"\n",
    { "3:21: stages.clips.max_concurrent is 0; it must be from 1 to 32",
      "4:15: stages.clips.parallel must be true or false",
      "5:3: unknown key “stroy” in stages (did you mean “story”?)",
      "8:11: video.aspect is “4:3”",
      "11:15: providers.llm.provider is “anthropic”; allowed: local, openai",
      "14:38: prompts.intent.user_prompt_template uses {brief}, which the intent agent does not "
      "provide" } },
};

static char *
write_case_file (const char *name,
                 const char *yaml)
{
  g_autoptr(GError) error = NULL;
  char *path = g_strdup_printf ("%s/%s.yaml", admint_test_get_root (), name);

  g_file_set_contents (path, yaml, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Each expected line must be the next line of the message, at exactly that position. */
static void
assert_lines (const char         *message,
              const char         *file,
              const char * const *expected)
{
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);
  guint n_expected = 0;

  while (n_expected < 8 && expected[n_expected] != NULL)
    n_expected++;
  if (g_strv_length (lines) != n_expected)
    g_error ("expected %u lines, got:\n%s", n_expected, message);

  for (guint i = 0; i < n_expected; i++)
    {
      const char *colon = strchr (expected[i], ':');
      const char *second = strchr (colon + 1, ':');
      g_autofree char *position = g_strndup (expected[i], second - expected[i]);
      g_autofree char *prefix = g_strdup_printf ("%s:%s: ", file, position);
      const char *text = second + 2;

      if (!g_str_has_prefix (lines[i], prefix) || strstr (lines[i], text) == NULL)
        g_error ("line %u is\n  %s\nexpected it to start with\n  %s\nand contain\n  %s",
                 i + 1, lines[i], prefix, text);
    }
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = write_case_file (c->name, c->yaml);
  g_autoptr(GError) error = NULL;

  g_assert_false (admint_config_check_file (path, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  assert_lines (error->message, path, c->expected);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* The same problems in the user's own config are refused by admint_config_load too. */
static void
test_user_config_errors (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", NULL);
  g_autofree char *path = g_build_filename (dir, "config.yaml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "video:\n  fps: 1000\n  aspect: 2:1\n", -1, &error);
  g_assert_no_error (error);

  config = admint_config_load (NULL, &error);
  g_assert_null (config);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  assert_lines (error->message, path,
                (const char *[]) { "2:8: video.fps is 1000; it must be from 1 to 120",
                                   "3:11: video.aspect is “2:1”", NULL });
  g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
test_user_framework_errors (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", "frameworks",
                                           NULL);
  g_autofree char *good = g_build_filename (dir, "a-good.yaml", NULL);
  g_autofree char *bad = g_build_filename (dir, "b-bad.yaml", NULL);
  g_autofree char *empty = g_build_filename (dir, "c-empty.yml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (good, "name: Hook\ndescription: d\nbeats:\n  - {name: a, goal: b}\n", -1,
                       &error);
  g_assert_no_error (error);
  g_file_set_contents (bad, "# no beats\nname: Story\ndescription: d\nbeats:\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "", -1, &error);
  g_assert_no_error (error);

  config = admint_config_load (NULL, &error);
  g_assert_null (config);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  {
    g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
    g_autofree char *bad_prefix = g_strdup_printf ("%s:4:7: framework “Story” has no beats", bad);
    g_autofree char *empty_prefix = g_strdup_printf ("%s:1:1: the file is empty", empty);

    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    g_assert_true (g_str_has_prefix (lines[0], bad_prefix));
    g_assert_true (g_str_has_prefix (lines[1], empty_prefix));
  }

  g_assert_cmpint (g_unlink (bad), ==, 0);
  g_assert_cmpint (g_unlink (empty), ==, 0);
  g_clear_error (&error);
  config = admint_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_cmpint (g_unlink (good), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_missing_and_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (admint_test_get_root (), "nope.yaml", NULL);

  g_assert_null (admint_config_load (missing, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_nonnull (strstr (error->message, "no such file"));
  g_clear_error (&error);

  g_assert_false (admint_config_check_file (admint_test_get_root (), &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "is a folder"));
  g_clear_error (&error);

  {
    g_autofree char *latin1 = write_case_file ("latin1", "video:\n  aspect: \"caf\xe9\"\n");
    g_autofree char *expected = g_strdup_printf ("%s:1:1: the file is not UTF-8 text", latin1);

    g_assert_false (admint_config_check_file (latin1, &error));
    g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
    g_assert_true (g_str_has_prefix (error->message, expected));
  }
}

/* An empty or all-comment file is a valid (empty) override. */
static void
test_empty_file_is_ok (void)
{
  g_autofree char *empty = write_case_file ("empty", "");
  g_autofree char *comments = write_case_file ("comments", "# nothing yet\n\nstages:\n");
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_config_check_file (empty, &error));
  g_assert_no_error (error);
  g_assert_true (admint_config_check_file (comments, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config-yaml/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/config-yaml/user-config-errors", test_user_config_errors);
  g_test_add_func ("/config-yaml/user-framework-errors", test_user_framework_errors);
  g_test_add_func ("/config-yaml/missing-and-unreadable", test_missing_and_unreadable);
  g_test_add_func ("/config-yaml/empty-file-is-ok", test_empty_file_is_ok);
  return g_test_run ();
}
