/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AdmintStudio: the one call the app and the CLI start, resume and vary ads through. */
#define G_LOG_DOMAIN "admint-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-media.h"
#include "admint-studio.h"
#include "admint-test-util.h"

#define BRIEF "6-second ad for a bamboo toothbrush, for students"

static AdmintStudio *
new_studio (void)
{
  g_autoptr(GError) error = NULL;
  static guint counter;
  g_autofree char *db = g_strdup_printf ("%s/studio-%u.db", admint_test_get_root (), counter++);
  g_autoptr(AdmintStore) store = admint_store_open (db, &error);
  g_assert_no_error (error);
  AdmintStudio *studio = admint_studio_new (store, &error);
  g_assert_no_error (error);
  g_assert_true (admint_studio_load_config (studio, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (admint_studio_set (studio, "video.resolution", "360p", &error));
  g_assert_true (admint_studio_set (studio, "stages.references.count", "1", &error));
  g_assert_no_error (error);
  return studio;
}

static const char *
framework_of (AdmintGeneration *gen)
{
  static char name[32];
  g_autoptr(JsonNode) doc = admint_generation_to_json (gen);
  g_strlcpy (name, json_object_get_string_member (json_node_get_object (doc), "framework"),
             sizeof name);
  return name;
}

static void
test_start_one (void)
{
  g_autoptr(AdmintStudio) studio = new_studio ();
  g_autoptr(GError) error = NULL;
  g_autofree char *group = NULL;
  AdmintStartOptions options = ADMINT_START_OPTIONS_INIT;

  options.prompt = BRIEF;
  options.framework = "PAS";
  g_autoptr(GPtrArray) gens = admint_studio_start (studio, &options, &group, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gens->len, ==, 1);
  g_assert_null (group);
  AdmintGeneration *gen = g_ptr_array_index (gens, 0);
  g_assert_nonnull (admint_generation_get_id (gen));
  g_assert_null (admint_generation_get_group (gen));
  g_assert_cmpint (admint_generation_get_status (gen), ==, ADMINT_GENERATION_STATUS_PENDING);
  g_assert_cmpstr (framework_of (gen), ==, "PAS");
  /* Stored, with the brief as the conversation's first message. */
  g_assert_cmpuint (g_list_model_get_n_items (admint_generation_get_messages (gen)), ==, 1);
  g_autoptr(JsonNode) stored = admint_store_get_generation (admint_studio_get_store (studio),
                                                            admint_generation_get_id (gen),
                                                            &error);
  g_assert_no_error (error);
}

static void
test_variants (void)
{
  g_autoptr(AdmintStudio) studio = new_studio ();
  g_autoptr(GError) error = NULL;
  g_autofree char *group = NULL;
  AdmintStartOptions options = ADMINT_START_OPTIONS_INIT;

  options.prompt = BRIEF;
  options.variants = 3;
  options.mode = ADMINT_GENERATION_INTERACTIVE;
  g_autoptr(GPtrArray) gens = admint_studio_start (studio, &options, &group, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gens->len, ==, 3);
  g_assert_nonnull (group);
  /* One group; with no framework asked for, each variant tells it another way. */
  const char *expected[] = { "AIDA", "PAS", "FAB" };
  for (guint i = 0; i < 3; i++)
    {
      AdmintGeneration *gen = g_ptr_array_index (gens, i);
      g_assert_cmpstr (admint_generation_get_group (gen), ==, group);
      g_assert_cmpstr (framework_of (gen), ==, expected[i]);
    }

  /* Too many is a clear error, and nothing is stored for it. */
  g_autoptr(GListModel) before = admint_store_list_generations (admint_studio_get_store (studio),
                                                               0, -1, NULL);
  options.variants = ADMINT_STUDIO_MAX_VARIANTS + 1;
  g_autoptr(GPtrArray) none = admint_studio_start (studio, &options, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_autoptr(GListModel) after = admint_store_list_generations (admint_studio_get_store (studio),
                                                              0, -1, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, g_list_model_get_n_items (before));

  /* Unscored variants rank after nothing in particular, but ranking keeps them all. */
  admint_studio_rank (gens);
  g_assert_cmpuint (gens->len, ==, 3);
}

static void
on_waiting (AdmintGeneration     *gen,
            AdmintGenerationWait  wait,
            const char           *question,
            GMainLoop            *loop)
{
  g_main_loop_quit (loop);
}

static void
test_resume (void)
{
  g_autoptr(AdmintStudio) studio = new_studio ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AdmintStartOptions options = ADMINT_START_OPTIONS_INIT;
  g_autofree char *id = NULL;

  /* An interactive ad stops at its story, waiting; the process "goes away". */
  options.prompt = BRIEF;
  options.mode = ADMINT_GENERATION_INTERACTIVE;
  options.seed = 3;
  {
    g_autoptr(GPtrArray) gens = admint_studio_start (studio, &options, NULL, &error);
    g_assert_no_error (error);
    AdmintGeneration *gen = g_ptr_array_index (gens, 0);
    id = g_strdup (admint_generation_get_id (gen));
    g_signal_connect (gen, "waiting-for-user", G_CALLBACK (on_waiting), loop);
    admint_generation_run (gen);
    g_main_loop_run (loop);
    g_assert_cmpint (admint_generation_get_waiting_for (gen), ==, ADMINT_GENERATION_WAIT_STORY);
    g_signal_handlers_disconnect_by_data (gen, loop);
  }

  /* Resumed from its stored settings: the conversation so far is there, the same story is
   * asked about again rather than written anew. */
  g_autoptr(AdmintGeneration) again = admint_studio_resume (studio, id,
                                                            ADMINT_GENERATION_INTERACTIVE,
                                                            ADMINT_RESUME_STORED_SETTINGS,
                                                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (admint_generation_get_status (again), ==, ADMINT_GENERATION_STATUS_STORY);
  GListModel *messages = admint_generation_get_messages (again);
  guint n = g_list_model_get_n_items (messages);
  g_assert_cmpuint (n, >=, 3);   /* the brief, the story, the critique, the question */
  g_signal_connect (again, "waiting-for-user", G_CALLBACK (on_waiting), loop);
  admint_generation_run (again);
  /* The question may come at once, from what is stored, before any loop runs. */
  if (admint_generation_get_waiting_for (again) == ADMINT_GENERATION_WAIT_NONE)
    g_main_loop_run (loop);
  g_assert_cmpint (admint_generation_get_waiting_for (again), ==, ADMINT_GENERATION_WAIT_STORY);
  guint stories = 0;
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(AdmintMessage) m = g_list_model_get_item (messages, i);
      stories += admint_message_get_kind (m) == ADMINT_MESSAGE_STORY;
    }
  g_assert_cmpuint (stories, ==, 1);
  g_signal_handlers_disconnect_by_data (again, loop);
  admint_generation_cancel (again);

  /* An id that does not exist says so. */
  g_autoptr(AdmintGeneration) missing = admint_studio_resume (studio, "no-such-id",
                                                              ADMINT_GENERATION_AUTO, 0, &error);
  g_assert_null (missing);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
}

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_batch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = write_file ("good.yaml",
    "concurrency: 3\n"
    "briefs:\n"
    "  - ad for socks\n"
    "  - prompt: ad for a beanie\n"
    "    framework: PAS\n"
    "    variants: 2\n"
    "    max_cost: 1.5\n"
    "    assets: [logo:brand.png, photo.jpg]\n");
  g_autoptr(AdmintBatch) batch = admint_studio_parse_batch (good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->concurrency, ==, 3);
  g_assert_cmpuint (batch->briefs->len, ==, 2);
  AdmintBatchBrief *first = g_ptr_array_index (batch->briefs, 0);
  AdmintBatchBrief *second = g_ptr_array_index (batch->briefs, 1);
  g_assert_cmpstr (first->prompt, ==, "ad for socks");
  g_assert_null (first->framework);
  g_assert_cmpint (first->variants, ==, -1);
  g_assert_cmpstr (second->framework, ==, "PAS");
  g_assert_cmpint (second->variants, ==, 2);
  g_assert_cmpfloat (second->max_cost, ==, 1.5);
  g_assert_cmpuint (g_strv_length (second->assets), ==, 2);
  g_assert_cmpstr (second->assets[0], ==, "logo:brand.png");

  /* A plain list works too, with two at once by default. */
  g_autofree char *list = write_file ("list.yaml", "- one\n- two\n- three\n");
  g_autoptr(AdmintBatch) plain = admint_studio_parse_batch (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain->concurrency, ==, 2);
  g_assert_cmpuint (plain->briefs->len, ==, 3);

  /* Each mistake is named. */
  const struct { const char *yaml; const char *says; } bad[] = {
    { "- prompt: socks\n  colour: red\n", "colour" },
    { "- prompt: socks\n  variants: many\n", "variants" },
    { "- framework: PAS\n", "brief 1" },
    { "briefs: []\n", "list of briefs" },
    { "concurrency: 0\nbriefs: [a]\n", "concurrency" },
    { "- [unclosed\n", "" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_file ("bad.yaml", bad[i].yaml);
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(AdmintBatch) none = admint_studio_parse_batch (path, &bad_error);
      g_assert_null (none);
      g_assert_error (bad_error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
      if (strstr (bad_error->message, bad[i].says) == NULL)
        g_error ("case %zu: “%s” does not name “%s”", i, bad_error->message, bad[i].says);
    }
  g_autoptr(AdmintBatch) unreadable = admint_studio_parse_batch ("/nonexistent/b.yaml", &error);
  g_assert_null (unreadable);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

static void
test_set_validates (void)
{
  g_autoptr(AdmintStudio) studio = new_studio ();
  g_autoptr(GError) error = NULL;

  g_assert_false (admint_studio_set (studio, "video.aspect", "4:3", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_true (strstr (error->message, "4:3") != NULL);
  g_clear_error (&error);
  g_assert_true (admint_studio_set (studio, "video.aspect", "9:16", &error));
  g_assert_cmpstr (admint_config_get_string (admint_studio_get_config (studio), "video.aspect"),
                   ==, "9:16");

  /* A bad config file is reported, not dropped. */
  g_autofree char *bad = write_file ("bad-config.yaml", "video:\n  aspect: \"4:3\"\n");
  g_assert_false (admint_studio_load_config (studio, bad, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  admint_media_init ();

  g_test_add_func ("/studio/start-one", test_start_one);
  g_test_add_func ("/studio/variants", test_variants);
  g_test_add_func ("/studio/resume", test_resume);
  g_test_add_func ("/studio/batch", test_batch);
  g_test_add_func ("/studio/set-validates", test_set_validates);
  return g_test_run ();
}
