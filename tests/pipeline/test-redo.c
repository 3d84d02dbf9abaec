/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One scene, one clip: editing scene 2 stores a new version, the critic scores it, and only its
 * clip is made again (the fake Replicate server sees exactly one new prediction); a clip over
 * the budget fails before anything is spent; the per-clip state survives a restart. */
#include "config.h"

#include <string.h>

#include "admint-error.h"
#include "admint-generation.h"
#include "admint-provider-factory.h"
#include "admint-test-util.h"
#include "pipeline-test-util.h"

#define BRIEF "12-second ad for AquaPeak, a reusable water bottle, for hikers"
#define VIDEO_CREATE "/v1/models/google/veo-3/predictions"

static AdmintFakeAi *fake;

typedef struct {
  AdmintStore       *store;
  AdmintConfig      *config;
  AdmintProviderSet  providers;
  GMainLoop         *loop;
  GAsyncResult      *result;
} Fixture;

static AdmintGeneration *
new_generation (Fixture *f)
{
  return admint_generation_new (f->store, f->config, f->providers.llm, f->providers.images,
                                f->providers.video);
}

static void
on_finished (AdmintGeneration       *gen,
             AdmintGenerationStatus  status,
             Fixture                *f)
{
  g_main_loop_quit (f->loop);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static void
wait_result (Fixture *f)
{
  while (f->result == NULL)
    g_main_loop_run (f->loop);
}

static void
check_clip (AdmintClip *clip,
            int         version)
{
  g_assert_cmpstr (admint_clip_get_status (clip), ==, "completed");
  g_assert_cmpint (admint_clip_get_version (clip), ==, version);
  g_assert_cmpfloat (admint_clip_get_progress (clip), ==, 1);
  g_assert_true (g_file_test (admint_clip_get_path (clip), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpfloat (admint_clip_get_quality_score (clip), >=, 0);
  g_assert_cmpint (admint_clip_get_verdict (clip), !=, ADMINT_VERDICT_NONE);
  g_assert_nonnull (admint_clip_get_ad_checks (clip));
  g_assert_true (json_object_has_member (json_node_get_object (admint_clip_get_ad_checks (clip)),
                                         "passed"));
}

static void
test_edit_and_regenerate (void)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (admint_test_get_root (), "data", "admint", "redo.db",
                                          NULL);

  f->store = admint_store_open (db, &error);
  g_assert_no_error (error);
  f->config = admint_config_load_defaults ();
  pipeline_test_set (f->config, "video.resolution", "360p");
  pipeline_test_set (f->config, "stages.references.count", "1");
  pipeline_test_set (f->config, "providers.video.provider", "replicate");
  pipeline_test_set (f->config, "providers.video.base_url", admint_fake_ai_get_base_url (fake));
  pipeline_test_set (f->config, "network.poll_interval_video_max_seconds", "0.1");
  pipeline_test_set (f->config, "budget.max_usd_per_generation", "100");
  g_assert_true (admint_provider_set_init (&f->providers, f->config, f->store, &error));
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);

  g_autoptr(AdmintGeneration) gen = new_generation (f);
  g_assert_true (admint_generation_create (gen, BRIEF, NULL, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (gen, "finished", G_CALLBACK (on_finished), f);
  admint_generation_run (gen);
  g_main_loop_run (f->loop);
  g_assert_cmpint (admint_generation_get_status (gen), ==, ADMINT_GENERATION_STATUS_COMPLETED);
  g_signal_handlers_disconnect_by_data (gen, f);
  char *id = g_strdup (admint_generation_get_id (gen));

  /* One clip object a scene, with what the app shows. */
  GListModel *clips = admint_generation_get_clips (gen);
  guint n = g_list_model_get_n_items (clips);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", VIDEO_CREATE), ==, n);
  /* Thumbnails are made in a worker: wait for them. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintClip) clip = g_list_model_get_item (clips, i);
      while (admint_clip_get_thumbnail (clip) == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (g_file_test (admint_clip_get_thumbnail (clip), G_FILE_TEST_IS_REGULAR));
      check_clip (clip, 1);
    }

  /* Bad input: no such scene, an empty text, a duration out of range. */
  admint_generation_regenerate_clip_async (gen, (int) n, ADMINT_REDO_NONE, NULL, on_result, f);
  wait_result (f);
  g_assert_false (admint_generation_regenerate_clip_finish (gen, f->result, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_clear_object (&f->result);
  admint_generation_edit_scene_async (gen, 1, "   ", -1, ADMINT_REDO_NONE, NULL, on_result, f);
  wait_result (f);
  g_assert_false (admint_generation_edit_scene_finish (gen, f->result, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_clear_object (&f->result);
  admint_generation_edit_scene_async (gen, 1, NULL, 99, ADMINT_REDO_NONE, NULL, on_result, f);
  wait_result (f);
  g_assert_false (admint_generation_edit_scene_finish (gen, f->result, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_clear_object (&f->result);

  /* Over the budget: a typed error at once, nothing spent. */
  pipeline_test_set (f->config, "budget.max_usd_per_generation", "0.5");
  g_assert_false (admint_generation_clip_fits_budget (gen, 0, -1, NULL, NULL));
  admint_generation_regenerate_clip_async (gen, 0, ADMINT_REDO_NONE, NULL, on_result, f);
  wait_result (f);
  g_assert_false (admint_generation_regenerate_clip_finish (gen, f->result, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_OVER_BUDGET);
  g_assert_nonnull (strstr (error->message, "budget"));
  g_clear_error (&error);
  g_clear_object (&f->result);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", VIDEO_CREATE), ==, n);

  /* Editing scene 2 (forced past the small budget): one new prediction, for that clip. */
  guint messages_before = g_list_model_get_n_items (admint_generation_get_messages (gen));
  admint_generation_edit_scene_async (gen, 1, "The hiker refills AquaPeak at a mountain spring",
                                      3, ADMINT_REDO_FORCE, NULL, on_result, f);
  wait_result (f);
  g_assert_true (admint_generation_edit_scene_finish (gen, f->result, &error));
  g_assert_no_error (error);
  g_clear_object (&f->result);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", VIDEO_CREATE), ==, n + 1);
  g_assert_cmpint (admint_generation_get_status (gen), ==, ADMINT_GENERATION_STATUS_COMPLETED);
  g_assert_cmpfloat (admint_generation_get_quality_score (gen), >=, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintClip) clip = g_list_model_get_item (clips, i);
      check_clip (clip, i == 1 ? 2 : 1);
    }

  /* The new version is stored, and the critic's score follows the edited scenes. */
  g_autoptr(JsonNode) stored = admint_store_get_generation (f->store, id, &error);
  g_assert_no_error (error);
  JsonObject *scene = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (stored), "scenes"), 1);
  g_assert_cmpstr (json_object_get_string_member (scene, "description"), ==,
                   "The hiker refills AquaPeak at a mountain spring");
  g_assert_cmpint (json_object_get_int_member (scene, "version"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (scene, "duration"), ==, 3);
  GListModel *messages = admint_generation_get_messages (gen);
  gboolean scenes_seen = FALSE, scored = FALSE;
  for (guint i = messages_before; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(AdmintMessage) m = g_list_model_get_item (messages, i);
      if (admint_message_get_kind (m) == ADMINT_MESSAGE_SCENES)
        scenes_seen = TRUE;
      else if (admint_message_get_kind (m) == ADMINT_MESSAGE_CRITIQUE && scenes_seen)
        scored = TRUE;
    }
  g_assert_true (scored);

  /* After a restart: the clips' scores, verdicts, checks and thumbnails, without scoring. */
  g_clear_object (&gen);
  g_autoptr(AdmintGeneration) loaded = new_generation (f);
  g_assert_true (admint_generation_load (loaded, id, &error));
  g_assert_no_error (error);
  clips = admint_generation_get_clips (loaded);
  g_assert_cmpuint (g_list_model_get_n_items (clips), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintClip) clip = g_list_model_get_item (clips, i);
      check_clip (clip, i == 1 ? 2 : 1);
      g_assert_nonnull (admint_clip_get_thumbnail (clip));
    }

  /* The same, read without taking the generation (a view of an ad that is not running). */
  admint_generation_read_clips_async (f->store, id, -1, NULL, on_result, f);
  wait_result (f);
  g_autoptr(GListModel) read = admint_generation_read_clips_finish (f->result, &error);
  g_assert_no_error (error);
  g_clear_object (&f->result);
  g_assert_cmpuint (g_list_model_get_n_items (read), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintClip) clip = g_list_model_get_item (read, i);
      g_autoptr(AdmintClip) same = g_list_model_get_item (clips, i);
      check_clip (clip, i == 1 ? 2 : 1);
      g_assert_cmpfloat (admint_clip_get_quality_score (clip), ==,
                         admint_clip_get_quality_score (same));
      g_assert_cmpint (admint_clip_get_verdict (clip), ==, admint_clip_get_verdict (same));
    }

  g_free (id);
  g_clear_object (&loaded);
  admint_provider_set_clear (&f->providers);
  g_clear_object (&f->config);
  g_clear_object (&f->store);
  g_main_loop_unref (f->loop);
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);
  g_setenv ("REPLICATE_API_TOKEN", "r8-test-token", TRUE);
  fake = pipeline_test_fake_serving_clip ();
  g_test_add_func ("/redo/edit-and-regenerate", test_edit_and_regenerate);
  int status = g_test_run ();
  g_clear_object (&fake);
  return status;
}
