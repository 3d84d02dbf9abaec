/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AdmintConfig: defaults, layering and origins, overrides, frameworks, prompts, round trip. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-config.h"
#include "admint-error.h"
#include "admint-test-util.h"

static char *
user_config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "admint", "config.yaml", NULL);
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_defaults (void)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  JsonObject *inputs;

  g_assert_cmpint (admint_config_get_int (config, "stages.clips.max_concurrent"), ==, 4);
  g_assert_cmpint (admint_config_get_int (config, "stages.references.count"), ==, 3);
  g_assert_cmpfloat (admint_config_get_double (config, "stages.story.quality_threshold"), ==, 7.0);
  /* Integers read as doubles too. */
  g_assert_cmpfloat (admint_config_get_double (config, "video.target_seconds"), ==, 30.0);
  g_assert_true (admint_config_get_boolean (config, "stages.clips.parallel"));
  g_assert_cmpstr (admint_config_get_string (config, "video.aspect"), ==, "16:9");
  g_assert_cmpstr (admint_config_get_string (config, "providers.llm.provider"), ==, "local");
  g_assert_cmpstr (admint_config_get_string (config, "providers.video.model"), ==,
                   "google/veo-3");
  g_assert_cmpint (admint_config_get_int (config, "limits.asset_max_bytes"), ==, 10485760);
  g_assert_cmpfloat (admint_config_get_double (config, "prices.images.per_image"), ==, 0.039);
  g_assert_cmpstr (admint_config_get_origin (config, "video.aspect"), ==, "default");

  inputs = admint_config_get_object (config, "providers.video.inputs");
  g_assert_cmpstr (json_object_get_string_member (inputs, "first_frame"), ==, "image");
  g_assert_cmpint (json_object_get_size (inputs), ==, 8);
  g_assert_false (json_object_get_boolean_member (
    admint_config_get_object (config, "providers.video.options"), "generate_audio"));
  g_assert_cmpfloat (json_object_get_double_member (
    admint_config_get_object (config, "providers.llm.options"), "temperature"), ==, 0.7);

  /* No file, no env: load() gives the defaults. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AdmintConfig) loaded = admint_config_load (NULL, &error);
    g_autofree char *a = NULL, *b = NULL;

    g_assert_no_error (error);
    a = admint_config_to_yaml (config, TRUE);
    b = admint_config_to_yaml (loaded, TRUE);
    g_assert_cmpstr (a, ==, b);
    g_assert_finalize_object (g_steal_pointer (&loaded));
  }
  g_assert_finalize_object (g_steal_pointer (&config));
}

/* Reading an unknown key, or a key with the wrong getter, is a programming error. */
static void
test_unknown_key_is_critical (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
      admint_config_get_int (config, "stages.clips.max_concurent");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*No config key*stages.clips.max_concurent*");
}

static void
test_wrong_getter_is_critical (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
      admint_config_get_int (config, "video.aspect");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*video.aspect*another type*");
}

static void
test_layering (void)
{
  g_autofree char *user = user_config_path ();
  g_autofree char *cli = g_build_filename (admint_test_get_root (), "cli.yaml", NULL);
  g_autofree char *user_origin = NULL, *cli_origin = NULL, *yaml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = NULL;
  JsonObject *options;

  write_file (user,
              "# mine\n"
              "stages:\n"
              "  clips:\n"
              "    max_concurrent: 8\n"
              "video:\n"
              "  fps: 24\n"
              "providers:\n"
              "  llm:\n"
              "    base_url: http://127.0.0.1:1/v1\n"
              "  video:\n"
              "    options:\n"
              "      resolution: 1080p\n"
              "      seed: 42\n"
              "      generate_audio: ~\n");
  write_file (cli,
              "stages:\n"
              "  clips:\n"
              "    max_concurrent: 2\n");

  /* user file over the defaults */
  config = admint_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (admint_config_get_int (config, "stages.clips.max_concurrent"), ==, 8);
  g_assert_cmpint (admint_config_get_int (config, "video.fps"), ==, 24);
  user_origin = g_strdup_printf ("%s:4", user);
  g_assert_cmpstr (admint_config_get_origin (config, "stages.clips.max_concurrent"), ==,
                   user_origin);
  g_assert_cmpstr (admint_config_get_origin (config, "stages.clips.max_retries"), ==, "default");
  /* objects merge member by member; a null member removes it */
  options = admint_config_get_object (config, "providers.video.options");
  g_assert_cmpstr (json_object_get_string_member (options, "resolution"), ==, "1080p");
  g_assert_cmpint (json_object_get_int_member (options, "seed"), ==, 42);
  g_assert_false (json_object_has_member (options, "generate_audio"));
  g_assert_cmpuint (json_object_get_size (options), ==, 2);
  g_assert_finalize_object (g_steal_pointer (&config));

  /* --config over the user file */
  config = admint_config_load (cli, &error);
  g_assert_no_error (error);
  g_assert_cmpint (admint_config_get_int (config, "stages.clips.max_concurrent"), ==, 2);
  g_assert_cmpint (admint_config_get_int (config, "video.fps"), ==, 24);
  cli_origin = g_strdup_printf ("--config %s:3", cli);
  g_assert_cmpstr (admint_config_get_origin (config, "stages.clips.max_concurrent"), ==,
                   cli_origin);
  g_assert_finalize_object (g_steal_pointer (&config));

  /* the environment over both, for base URLs */
  g_setenv ("ADMINT_OPENAI_BASE_URL", "http://127.0.0.1:8080/v1", TRUE);
  g_setenv ("ADMINT_REPLICATE_BASE_URL", "http://127.0.0.1:8081/v1", TRUE);
  config = admint_config_load (cli, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_config_get_string (config, "providers.llm.base_url"), ==,
                   "http://127.0.0.1:8080/v1");
  g_assert_cmpstr (admint_config_get_string (config, "providers.images.base_url"), ==,
                   "http://127.0.0.1:8081/v1");
  g_assert_cmpstr (admint_config_get_string (config, "providers.video.base_url"), ==,
                   "http://127.0.0.1:8081/v1");
  g_assert_cmpstr (admint_config_get_origin (config, "providers.llm.base_url"), ==,
                   "env ADMINT_OPENAI_BASE_URL");
  g_assert_cmpstr (admint_config_get_origin (config, "providers.video.base_url"), ==,
                   "env ADMINT_REPLICATE_BASE_URL");

  /* each value's origin in config show */
  yaml = admint_config_to_yaml (config, TRUE);
  {
    g_autofree char *a = g_strdup_printf ("    max_concurrent: 2  # --config %s:3\n", cli);
    g_autofree char *b = g_strdup_printf ("  fps: 24  # %s:6\n", user);
    g_autofree char *c = g_strdup_printf ("      resolution: \"1080p\"  # %s:12\n", user);

    g_assert_nonnull (strstr (yaml, a));
    g_assert_nonnull (strstr (yaml, b));
    g_assert_nonnull (strstr (yaml, c));
    g_assert_nonnull (strstr (yaml, "    max_retries: 2  # default\n"));
    g_assert_nonnull (strstr (yaml, "    base_url: \"http://127.0.0.1:8080/v1\"  "
                                    "# env ADMINT_OPENAI_BASE_URL\n"));
    g_assert_null (strstr (yaml, "generate_audio: "));
  }
  g_assert_finalize_object (g_steal_pointer (&config));

  /* a bad URL in the environment is refused like a bad file */
  g_setenv ("ADMINT_OPENAI_BASE_URL", "localhost:8080", TRUE);
  g_assert_null (admint_config_load (NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "environment variable ADMINT_OPENAI_BASE_URL: "
                                                   "providers.llm.base_url is “localhost:8080”"));
  g_clear_error (&error);

  g_unsetenv ("ADMINT_OPENAI_BASE_URL");
  g_unsetenv ("ADMINT_REPLICATE_BASE_URL");
  g_assert_cmpint (g_unlink (user), ==, 0);
}

static void
test_override (void)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  g_autoptr(GError) error = NULL;

  admint_config_set_override (config, "providers.llm.provider", "openai", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_config_get_string (config, "providers.llm.provider"), ==, "openai");
  g_assert_cmpstr (admint_config_get_origin (config, "providers.llm.provider"), ==, "flag");

  admint_config_set_override (config, "video.aspect", "9:16", &error);
  g_assert_no_error (error);
  admint_config_set_override (config, "stages.clips.max_concurrent", "16", &error);
  g_assert_no_error (error);
  admint_config_set_override (config, "stages.clips.parallel", "false", &error);
  g_assert_no_error (error);
  admint_config_set_override (config, "budget.max_usd_per_generation", "12.5", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_config_get_string (config, "video.aspect"), ==, "9:16");
  g_assert_cmpint (admint_config_get_int (config, "stages.clips.max_concurrent"), ==, 16);
  g_assert_false (admint_config_get_boolean (config, "stages.clips.parallel"));
  g_assert_cmpfloat (admint_config_get_double (config, "budget.max_usd_per_generation"), ==, 12.5);

  /* validated like YAML; a refused value leaves the old one */
  admint_config_set_override (config, "providers.images.provider", "openai", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "providers.images.provider is “openai”; allowed: local, replicate");
  g_clear_error (&error);
  g_assert_cmpstr (admint_config_get_string (config, "providers.images.provider"), ==, "local");

  admint_config_set_override (config, "video.aspect", "4:3", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_clear_error (&error);
  admint_config_set_override (config, "stages.clips.max_concurrent", "33", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "stages.clips.max_concurrent is 33; it must be from 1 to 32");
  g_clear_error (&error);
  g_assert_cmpint (admint_config_get_int (config, "stages.clips.max_concurrent"), ==, 16);

  admint_config_set_override (config, "nope.key", "1", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "“nope.key” is not a config key; "));
  g_clear_error (&error);
  admint_config_set_override (config, "providers.video.options", "x", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "is a mapping"));
  g_clear_error (&error);

  /* a refused rule between keys shows plain numbers */
  admint_config_set_override (config, "network.backoff_initial_seconds", "9.4", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "network.backoff_initial_seconds is 9.4 but "
                                            "network.backoff_max_seconds is 8 "));
  g_clear_error (&error);

  /* an unknown key names the keys near it */
  admint_config_set_override (config, "stages.story.enabld", "false", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "“stages.story.enabld” is not a config key "
                                   "(did you mean “stages.story.enabled”"));
  g_clear_error (&error);
  admint_config_set_override (config, "stages.story", "false", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "“stages.story."));
  g_clear_error (&error);
  admint_config_set_override (config, "stages.story.enabled", "false", &error);
  g_assert_no_error (error);
  g_assert_false (admint_config_get_boolean (config, "stages.story.enabled"));

  /* a mapping takes a flow mapping, checked as in a file and merged member by member */
  admint_config_set_override (config, "providers.video.options", "{generate_audio: false}",
                              &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (
    admint_config_get_object (config, "providers.video.options"), "generate_audio"));
  admint_config_set_override (config, "providers.video.inputs", "{promt: text}", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "unknown input “promt”"));
  g_assert_nonnull (strstr (error->message, "did you mean “prompt”"));
  g_clear_error (&error);

  /* a rule between keys is checked too, and the old value kept */
  admint_config_set_override (config, "quality.acceptable", "95", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "quality.good"));
  g_clear_error (&error);
  g_assert_cmpfloat (admint_config_get_double (config, "quality.acceptable"), ==, 60.0);

  admint_config_set_override (config, "prompts.intent.user_prompt_template", "{message} {x}",
                              &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "uses {x}"));
  g_clear_error (&error);

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_frameworks (void)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  g_autoptr(GPtrArray) names = admint_config_list_frameworks (config);
  g_autoptr(AdmintFramework) aida = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *beats = NULL;

  g_assert_cmpuint (names->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "AIDA");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "FAB");
  g_assert_cmpstr (g_ptr_array_index (names, 2), ==, "PAS");

  aida = admint_config_get_framework (config, "aida", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_framework_get_name (aida), ==, "AIDA");
  g_assert_cmpuint (admint_framework_get_n_beats (aida), ==, 4);
  g_assert_cmpstr (admint_framework_get_beat_name (aida, 0), ==, "Attention");
  g_assert_cmpstr (admint_framework_get_beat_name (aida, 3), ==, "Action");
  g_assert_true (g_str_has_prefix (admint_framework_get_beat_goal (aida, 1), "Show the product"));
  g_assert_cmpstr (admint_framework_get_origin (aida), ==,
                   "/io/github/admint/core/frameworks/aida.yaml");
  beats = admint_framework_format_beats (aida);
  g_assert_true (g_str_has_prefix (beats, "1. Attention: Stop the scroll"));
  g_assert_nonnull (strstr (beats, "\n4. Action: "));

  g_assert_null (admint_config_get_framework (config, "hero", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“hero”"));
  g_assert_nonnull (strstr (error->message, "AIDA, FAB, PAS"));
}

static void
test_custom_frameworks (void)
{
  g_autofree char *user = user_config_path ();
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", "frameworks", NULL);
  g_autofree char *file = g_build_filename (dir, "hook.yaml", NULL);
  g_autofree char *origin = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = NULL;
  g_autoptr(AdmintFramework) hook = NULL, pas = NULL;
  g_autoptr(GPtrArray) names = NULL;

  write_file (file,
              "name: Hook-Story-Offer\n"
              "description: Hook them, tell a story, make the offer.\n"
              "beats:\n"
              "  - name: Hook\n"
              "    goal: Open on a surprise.\n"
              "  - name: Offer\n"
              "    goal: Name the price and the deadline.\n");
  /* a user's config may redefine a built-in one, by name in any case */
  write_file (user,
              "frameworks:\n"
              "  - name: pas\n"
              "    description: My PAS.\n"
              "    beats:\n"
              "      - {name: Pain, goal: Show it.}\n");

  config = admint_config_load (NULL, &error);
  g_assert_no_error (error);
  names = admint_config_list_frameworks (config);
  g_assert_cmpuint (names->len, ==, 4);

  hook = admint_config_get_framework (config, "HOOK-story-offer", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (admint_framework_get_n_beats (hook), ==, 2);
  g_assert_cmpstr (admint_framework_get_beat_goal (hook, 1), ==,
                   "Name the price and the deadline.");
  origin = g_strdup_printf ("%s:1", file);
  g_assert_cmpstr (admint_framework_get_origin (hook), ==, origin);

  pas = admint_config_get_framework (config, "PAS", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_framework_get_description (pas), ==, "My PAS.");
  g_assert_cmpuint (admint_framework_get_n_beats (pas), ==, 1);

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_unlink (user), ==, 0);
}

static void
test_prompts (void)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  const char * const *agents = admint_prompt_list_agents ();

  g_assert_cmpuint (g_strv_length ((char **) agents), ==, 7);
  g_assert_null (admint_prompt_agent_placeholders ("narrator"));

  /* every built-in template renders with exactly its agent's placeholders */
  for (gsize i = 0; agents[i] != NULL; i++)
    {
      g_autoptr(AdmintPrompt) prompt = admint_config_get_prompt (config, agents[i]);
      const char * const *names = admint_prompt_agent_placeholders (agents[i]);
      g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autoptr(GError) error = NULL;
      g_autofree char *system = NULL, *user = NULL;

      g_assert_nonnull (names);
      g_assert_cmpstr (admint_prompt_get_agent (prompt), ==, agents[i]);
      for (gsize n = 0; names[n] != NULL; n++)
        g_hash_table_insert (values, (gpointer) names[n], g_strdup_printf ("<%s>", names[n]));

      system = admint_prompt_render_system (prompt, values, &error);
      g_assert_no_error (error);
      user = admint_prompt_render_user (prompt, values, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (system), >, 50);
      g_assert_cmpuint (strlen (user), >, 50);
      g_assert_null (strstr (user, "{{"));
    }

  {
    g_autoptr(AdmintPrompt) director = admint_config_get_prompt (config, "director");
    g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    g_assert_nonnull (strstr (admint_prompt_get_user_template (director), "{brief}"));
    g_assert_nonnull (strstr (admint_prompt_get_system_prompt (director), "director"));
    /* a missing value is the caller's bug, reported rather than sent to a model */
    g_assert_null (admint_prompt_render_user (director, values, &error));
    g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED);
    g_clear_error (&error);

    g_hash_table_insert (values, "brief", "a bottle");
    g_hash_table_insert (values, "n", "3");
    text = admint_prompt_render ("{brief}: {{\"n\": {n}}} {not closed {} {1x} }}", values, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "a bottle: {\"n\": 3} {not closed {} {1x} }");
  }
  g_assert_finalize_object (g_steal_pointer (&config));
}

/* A user's prompt override replaces the built-in one. */
static void
test_prompt_override (void)
{
  g_autofree char *cli = g_build_filename (admint_test_get_root (), "prompt.yaml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = NULL;
  g_autoptr(AdmintPrompt) prompt = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;

  write_file (cli,
              "prompts:\n"
              "  intent:\n"
              "    user_prompt_template: \"Stage {stage}: {message}\"\n");
  config = admint_config_load (cli, &error);
  g_assert_no_error (error);
  prompt = admint_config_get_prompt (config, "intent");
  g_hash_table_insert (values, "stage", "story");
  g_hash_table_insert (values, "message", "looks good");
  text = admint_prompt_render_user (prompt, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Stage story: looks good");
  g_assert_nonnull (strstr (admint_prompt_get_system_prompt (prompt), "route a user's message"));
}

/* config show's YAML is itself a valid config that gives back the same values. */
static void
test_round_trip (void)
{
  g_autofree char *cli = g_build_filename (admint_test_get_root (), "tricky.yaml", NULL);
  g_autofree char *shown = g_build_filename (admint_test_get_root (), "shown.yaml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) first = NULL, second = NULL;
  g_autofree char *yaml = NULL, *first_plain = NULL, *second_plain = NULL;

  write_file (cli,
              "providers:\n"
              "  llm:\n"
              "    model: \"quote \\\" backslash \\\\ tab \\t #hash: colon\"\n"
              "    options:\n"
              "      stop: [\"\\n\", \"END\"]\n"
              "      nested: {a: 1, b: [true, ~, 2.5e-3]}\n"
              "      \"odd key\": yes\n"
              "prices:\n"
              "  llm:\n"
              "    input_per_1k_tokens: 0.1\n"
              "prompts:\n"
              "  cohesor:\n"
              "    system_prompt: \"  leading spaces\\nthen lines\\n\\n\\n\"\n"
              "    user_prompt_template: |+\n"
              "      {scenes}\n"
              "        indented\n"
              "\n"
              "frameworks:\n"
              "  - name: \"Ünïcode: 1\"\n"
              "    description: \"multi\\nline\"\n"
              "    beats: [{name: \"#1\", goal: \"- dash\"}]\n");
  first = admint_config_load (cli, &error);
  g_assert_no_error (error);
  yaml = admint_config_to_yaml (first, TRUE);
  write_file (shown, yaml);

  g_assert_true (admint_config_check_file (shown, &error));
  g_assert_no_error (error);
  second = admint_config_load (shown, &error);
  g_assert_no_error (error);

  first_plain = admint_config_to_yaml (first, FALSE);
  second_plain = admint_config_to_yaml (second, FALSE);
  g_assert_cmpstr (first_plain, ==, second_plain);
  g_assert_cmpstr (admint_config_get_string (second, "providers.llm.model"), ==,
                   "quote \" backslash \\ tab \t #hash: colon");
  g_assert_cmpstr (admint_config_get_string (second, "prompts.cohesor.system_prompt"), ==,
                   "  leading spaces\nthen lines\n\n\n");
  g_assert_cmpstr (admint_config_get_string (second, "prompts.cohesor.user_prompt_template"), ==,
                   "{scenes}\n  indented\n\n");
  g_assert_cmpfloat (admint_config_get_double (second, "prices.llm.input_per_1k_tokens"), ==, 0.1);
  g_assert_null (strstr (first_plain, "  # "));
}

/* A generation's stored snapshot gives back the configuration it ran with. */
static void
test_snapshot (void)
{
  g_autofree char *cli = g_build_filename (admint_test_get_root (), "snap.yaml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = NULL, restored = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL, *before = NULL, *after = NULL;

  write_file (cli,
              "video:\n"
              "  aspect: \"1:1\"\n"
              "providers:\n"
              "  video:\n"
              "    options: {seed: 7, tags: [\"a/b\", \"c\\td\"]}\n"
              "frameworks:\n"
              "  - {name: Mine, description: \"Ok \\u0001\", beats: [{name: x, goal: y}]}\n");
  config = admint_config_load (cli, &error);
  g_assert_no_error (error);
  node = admint_config_to_json (config);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpint (json_object_get_int_member (
    json_object_get_object_member (json_object_get_object_member (json_node_get_object (node),
                                                                  "stages"), "clips"),
    "max_concurrent"), ==, 4);
  json = json_to_string (node, FALSE);

  restored = admint_config_load_snapshot (json, &error);
  g_assert_no_error (error);
  before = admint_config_to_yaml (config, FALSE);
  after = admint_config_to_yaml (restored, FALSE);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (admint_config_get_string (restored, "video.aspect"), ==, "1:1");
  g_assert_cmpstr (admint_config_get_origin (restored, "video.aspect"), ==, "snapshot:1");

  g_assert_null (admint_config_load_snapshot ("{\"video\": {\"fps\": \"x\"}}", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "snapshot:1:19: video.fps must be"));
  g_clear_error (&error);
  g_assert_null (admint_config_load_snapshot ("[1", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);

  g_assert_finalize_object (g_steal_pointer (&config));
  g_assert_finalize_object (g_steal_pointer (&restored));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_unsetenv ("ADMINT_OPENAI_BASE_URL");
  g_unsetenv ("ADMINT_REPLICATE_BASE_URL");

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/unknown-key-is-critical", test_unknown_key_is_critical);
  g_test_add_func ("/config/wrong-getter-is-critical", test_wrong_getter_is_critical);
  g_test_add_func ("/config/layering", test_layering);
  g_test_add_func ("/config/override", test_override);
  g_test_add_func ("/config/frameworks", test_frameworks);
  g_test_add_func ("/config/custom-frameworks", test_custom_frameworks);
  g_test_add_func ("/config/prompts", test_prompts);
  g_test_add_func ("/config/prompt-override", test_prompt_override);
  g_test_add_func ("/config/round-trip", test_round_trip);
  g_test_add_func ("/config/snapshot", test_snapshot);
  return g_test_run ();
}
