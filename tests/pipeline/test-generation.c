/* The orchestrator with the local providers: a full offline ad, the conversation (refine, edit a
 * scene, approve), the budget gate, and resuming a stored generation. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-error.h"
#include "admint-generation.h"
#include "admint-media.h"
#include "admint-provider-factory.h"
#include "admint-test-util.h"

#define BRIEF "12-second ad for AquaPeak, a reusable water bottle, for hikers"

typedef struct {
  AdmintStore       *store;
  AdmintConfig      *config;
  AdmintProviderSet  providers;
  AdmintGeneration  *gen;
  GMainLoop         *loop;
  GPtrArray         *replies;      /* scripted replies, in order */
  guint              next_reply;
  GPtrArray         *waits;        /* the stages it waited on */
  GPtrArray         *stages;
  guint              clips_ready;
  guint              scores;
  char              *finished;
} Fixture;

static void
set (AdmintConfig *config,
     const char   *key,
     const char   *value)
{
  g_autoptr(GError) error = NULL;
  admint_config_set_override (config, key, value, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (admint_test_get_root (), "data", "admint", "test.db",
                                          NULL);
  static guint counter;
  g_autofree char *unique = g_strdup_printf ("%s.%u", db, counter++);

  f->store = admint_store_open (unique, &error);
  g_assert_no_error (error);
  f->config = admint_config_load_defaults ();
  /* Small and quick: the pipeline is the point here, not the pixels. */
  set (f->config, "video.resolution", "360p");
  set (f->config, "stages.references.count", "2");
  g_assert_true (admint_provider_set_init (&f->providers, f->config, f->store, &error));
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->replies = g_ptr_array_new_with_free_func (g_free);
  f->waits = g_ptr_array_new_with_free_func (g_free);
  f->stages = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->gen);
  admint_provider_set_clear (&f->providers);
  g_clear_object (&f->config);
  g_clear_object (&f->store);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_pointer (&f->replies, g_ptr_array_unref);
  g_clear_pointer (&f->waits, g_ptr_array_unref);
  g_clear_pointer (&f->stages, g_ptr_array_unref);
  g_free (f->finished);
}

static gboolean
reply_later (gpointer user_data)
{
  Fixture *f = user_data;
  g_assert_cmpuint (f->next_reply, <, f->replies->len);
  admint_generation_reply (f->gen, g_ptr_array_index (f->replies, f->next_reply++));
  return G_SOURCE_REMOVE;
}

static void
on_waiting (AdmintGeneration *gen,
            const char       *stage,
            const char       *question,
            Fixture          *f)
{
  g_ptr_array_add (f->waits, g_strdup (stage));
  g_assert_cmpuint (strlen (question), >, 10);
  if (f->next_reply < f->replies->len)
    g_idle_add (reply_later, f);
  else
    g_main_loop_quit (f->loop);   /* nobody to answer: the test looks at the pause */
}

static void
on_stage (AdmintGeneration *gen,
          const char       *stage,
          Fixture          *f)
{
  g_ptr_array_add (f->stages, g_strdup (stage));
}

static void
on_clip_ready (AdmintGeneration *gen,
               int               index,
               const char       *path,
               Fixture          *f)
{
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  f->clips_ready++;
}

static void
on_score (AdmintGeneration *gen,
          int               index,
          double            score,
          Fixture          *f)
{
  g_assert_cmpfloat (score, >=, 0);
  g_assert_cmpfloat (score, <=, 100);
  f->scores++;
}

static void
on_finished (AdmintGeneration *gen,
             const char       *status,
             Fixture          *f)
{
  g_free (f->finished);
  f->finished = g_strdup (status);
  g_main_loop_quit (f->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("the generation did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
run (Fixture *f)
{
  guint timeout = g_timeout_add_seconds (240, on_timeout, f);
  admint_generation_run (f->gen);
  g_main_loop_run (f->loop);
  g_source_remove (timeout);
}

static void
new_generation (Fixture              *f,
                AdmintGenerationMode  mode,
                const char           *framework)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->gen);
  f->gen = admint_generation_new (f->store, f->config, f->providers.llm, f->providers.images,
                                  f->providers.video);
  admint_generation_set_mode (f->gen, mode);
  admint_generation_set_seed (f->gen, 5);
  g_assert_true (admint_generation_create (f->gen, BRIEF, framework, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (f->gen, "waiting-for-user", G_CALLBACK (on_waiting), f);
  g_signal_connect (f->gen, "stage-changed", G_CALLBACK (on_stage), f);
  g_signal_connect (f->gen, "clip-ready", G_CALLBACK (on_clip_ready), f);
  g_signal_connect (f->gen, "score-ready", G_CALLBACK (on_score), f);
  g_signal_connect (f->gen, "finished", G_CALLBACK (on_finished), f);
}

static void
assert_member (JsonObject *obj,
               const char *name)
{
  if (!json_object_has_member (obj, name))
    g_error ("the result has no “%s”", name);
}

static void
test_offline_auto (Fixture       *f,
                   gconstpointer  data)
{
  new_generation (f, ADMINT_GENERATION_AUTO, "AIDA");
  run (f);

  g_assert_cmpstr (f->finished, ==, "completed");
  g_assert_cmpuint (f->waits->len, ==, 0);
  g_assert_cmpuint (f->clips_ready, ==, 2);       /* 12 s at 8 s a clip */
  g_assert_cmpuint (f->scores, ==, 3);            /* each clip, then the whole */

  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonObject *obj = json_node_get_object (doc);
  static const char * const fields[] = {
    "generation_id", "group_id", "status", "prompt", "framework", "story", "references",
    "scenes", "clips", "final_video", "quality", "cost", "timings", NULL
  };
  for (guint i = 0; fields[i] != NULL; i++)
    assert_member (obj, fields[i]);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (obj, "framework"), ==, "AIDA");
  JsonObject *story = json_object_get_object_member (obj, "story");
  g_assert_cmpfloat (json_object_get_double_member (story, "score"), >=, 7.0);

  JsonArray *refs = json_object_get_array_member (obj, "references");
  g_assert_cmpuint (json_array_get_length (refs), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *ref = json_array_get_object_element (refs, i);
      g_assert_cmpstr (json_object_get_string_member (ref, "source"), ==, "generated");
      g_assert_true (g_file_test (json_object_get_string_member (ref, "path"),
                                  G_FILE_TEST_IS_REGULAR));
      JsonObject *analysis = json_object_get_object_member (ref, "analysis");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (analysis,
                                                                             "palette")), >=, 1);
    }

  JsonArray *scenes = json_object_get_array_member (obj, "scenes");
  double planned = 0;
  for (guint i = 0; i < json_array_get_length (scenes); i++)
    planned += json_object_get_double_member (json_array_get_object_element (scenes, i),
                                              "duration");
  g_assert_cmpfloat (fabs (planned - 12.0), <, 1e-6);

  JsonArray *clips = json_object_get_array_member (obj, "clips");
  g_assert_cmpuint (json_array_get_length (clips), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *clip = json_array_get_object_element (clips, i);
      g_assert_cmpint (json_object_get_int_member (clip, "index"), ==, i);
      g_assert_true (g_file_test (json_object_get_string_member (clip, "path"),
                                  G_FILE_TEST_IS_REGULAR));
      g_assert_cmpstr (json_object_get_string_member (clip, "provider"), ==, "local");
      g_assert_cmpfloat (json_object_get_double_member (clip, "cost_usd"), ==, 0);
      JsonObject *scores = json_object_get_object_member (clip, "scores");
      g_assert_cmpfloat (json_object_get_double_member (scores, "temporal_flickering"), >, 0.5);
    }

  /* A playable MP4 as long as the scenes. */
  const char *video = json_object_get_string_member (obj, "final_video");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintMediaInfo) info = admint_media_probe (video, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (info->has_video);
  g_assert_true (info->has_audio);
  g_assert_cmpfloat (fabs (info->duration - planned), <, 0.5);

  JsonObject *quality = json_object_get_object_member (obj, "quality");
  static const char * const dims[] = {
    "subject_consistency", "background_consistency", "temporal_flickering",
    "motion_smoothness", "dynamic_degree", "aesthetic_quality", "imaging_quality", NULL
  };
  for (guint i = 0; dims[i] != NULL; i++)
    {
      double v = json_object_get_double_member (quality, dims[i]);
      g_assert_cmpfloat (v, >=, 0);
      g_assert_cmpfloat (v, <=, 1);
    }
  g_assert_cmpfloat (json_object_get_double_member (quality, "quality_score"), >, 0);
  JsonObject *cost = json_object_get_object_member (obj, "cost");
  g_assert_cmpfloat (json_object_get_double_member (cost, "total_usd"), ==, 0);
  JsonObject *timings = json_object_get_object_member (obj, "timings");
  g_assert_true (json_object_has_member (timings, "story"));
  g_assert_true (json_object_has_member (timings, "clips"));

  /* Everything is in the store: status, the chat, every clip. */
  g_autoptr(JsonNode) stored = admint_store_get_generation (f->store,
                                                            admint_generation_get_id (f->gen),
                                                            &error);
  g_assert_no_error (error);
  JsonObject *s = json_node_get_object (stored);
  g_assert_cmpstr (json_object_get_string_member (s, "status"), ==, "completed");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "clips")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "messages")), >=, 6);
  g_assert_cmpfloat (json_object_get_double_member (s, "quality_score"), >, 0);
}

static void
test_conversation (Fixture       *f,
                   gconstpointer  data)
{
  g_ptr_array_add (f->replies, g_strdup ("make it funnier"));
  g_ptr_array_add (f->replies, g_strdup ("looks good"));
  g_ptr_array_add (f->replies, g_strdup ("scene 2: The hiker refills AquaPeak at a mountain "
                                         "stream"));
  g_ptr_array_add (f->replies, g_strdup ("ok"));
  new_generation (f, ADMINT_GENERATION_INTERACTIVE, "PAS");
  run (f);

  g_assert_cmpstr (f->finished, ==, "completed");
  g_assert_cmpuint (f->waits->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (f->waits, 0), ==, "story");
  g_assert_cmpstr (g_ptr_array_index (f->waits, 1), ==, "story");
  g_assert_cmpstr (g_ptr_array_index (f->waits, 2), ==, "scenes");
  g_assert_cmpstr (g_ptr_array_index (f->waits, 3), ==, "scenes");

  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonObject *obj = json_node_get_object (doc);
  JsonObject *story = json_object_get_object_member (obj, "story");
  g_assert_cmpstr (json_object_get_string_member (story, "tone"), ==, "playful");
  g_assert_cmpint (json_object_get_int_member (story, "version"), >=, 2);
  JsonArray *scenes = json_object_get_array_member (obj, "scenes");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (scenes, 1),
                                                  "description"), ==,
                   "The hiker refills AquaPeak at a mountain stream");

  /* Both sides of the conversation are stored. */
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) messages = admint_store_list_messages (f->store,
                                                               admint_generation_get_id (f->gen),
                                                               &error);
  g_assert_no_error (error);
  guint user = 0, stories = 0;
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(AdmintMessageRow) row = g_list_model_get_item (messages, i);
      if (g_str_equal (admint_message_row_get_role (row), "user"))
        user++;
      if (g_str_equal (admint_message_row_get_kind (row), "story"))
        stories++;
    }
  g_assert_cmpuint (user, ==, 5);      /* the brief and four replies */
  g_assert_cmpuint (stories, >=, 2);   /* every version is kept */
}

static void
test_budget_gate (Fixture       *f,
                  gconstpointer  data)
{
  set (f->config, "prices.local", "1.5");
  set (f->config, "budget.max_usd_per_generation", "1.0");

  /* Auto: stops before any clip, saying what it would cost and how to allow it. */
  new_generation (f, ADMINT_GENERATION_AUTO, "FAB");
  run (f);
  g_assert_cmpstr (f->finished, ==, "failed");
  g_assert_cmpuint (f->clips_ready, ==, 0);
  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  const char *message = json_object_get_string_member (json_node_get_object (doc), "error");
  g_assert_nonnull (strstr (message, "$3.00"));
  g_assert_nonnull (strstr (message, "--max-cost"));

  /* With --max-cost covering the estimate, it goes on. */
  g_clear_pointer (&f->finished, g_free);
  new_generation (f, ADMINT_GENERATION_AUTO, "FAB");
  admint_generation_set_max_cost (f->gen, 3.0);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  g_assert_cmpuint (f->clips_ready, ==, 2);

  /* Interactive: it asks, and "no" stops it. */
  g_clear_pointer (&f->finished, g_free);
  f->clips_ready = 0;
  g_ptr_array_add (f->replies, g_strdup ("ok"));
  g_ptr_array_add (f->replies, g_strdup ("ok"));
  g_ptr_array_add (f->replies, g_strdup ("no"));
  new_generation (f, ADMINT_GENERATION_INTERACTIVE, "FAB");
  run (f);
  g_assert_cmpstr (g_ptr_array_index (f->waits, f->waits->len - 1), ==, "budget");
  g_assert_cmpstr (f->finished, ==, "cancelled");
  g_assert_cmpuint (f->clips_ready, ==, 0);
}

static void
test_resume_keeps_work (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Stop at the scenes' approval, as if the process had been killed there. */
  new_generation (f, ADMINT_GENERATION_INTERACTIVE, "AIDA");
  g_ptr_array_add (f->replies, g_strdup ("ok"));
  run (f);
  g_assert_null (f->finished);
  g_assert_cmpstr (g_ptr_array_index (f->waits, f->waits->len - 1), ==, "scenes");
  g_autofree char *id = g_strdup (admint_generation_get_id (f->gen));
  g_autoptr(JsonNode) before = admint_store_get_generation (f->store, id, &error);
  g_assert_no_error (error);
  g_autofree char *story_before = json_to_string (
    json_object_get_member (json_node_get_object (before), "story"), FALSE);

  /* A new process: load, and carry on straight through. */
  g_clear_object (&f->gen);
  f->gen = admint_generation_new (f->store, f->config, f->providers.llm, f->providers.images,
                                  f->providers.video);
  admint_generation_set_mode (f->gen, ADMINT_GENERATION_AUTO);
  g_assert_true (admint_generation_load (f->gen, id, &error));
  g_assert_no_error (error);
  g_signal_connect (f->gen, "finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->gen, "stage-changed", G_CALLBACK (on_stage), f);
  g_ptr_array_set_size (f->stages, 0);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");

  /* The story and references were kept, not written again. */
  for (guint i = 0; i < f->stages->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (f->stages, i), !=, "story");
      g_assert_cmpstr (g_ptr_array_index (f->stages, i), !=, "references");
    }
  g_autoptr(JsonNode) after = admint_store_get_generation (f->store, id, &error);
  g_autofree char *story_after = json_to_string (
    json_object_get_member (json_node_get_object (after), "story"), FALSE);
  g_assert_cmpstr (story_before, ==, story_after);

  /* Loading a finished generation and running it changes nothing. */
  g_clear_pointer (&f->finished, g_free);
  g_clear_object (&f->gen);
  f->gen = admint_generation_new (f->store, f->config, f->providers.llm, f->providers.images,
                                  f->providers.video);
  g_assert_true (admint_generation_load (f->gen, id, &error));
  g_signal_connect (f->gen, "finished", G_CALLBACK (on_finished), f);
  admint_generation_run (f->gen);
  g_assert_cmpstr (f->finished, ==, "completed");
}

/* A soft, blurry "photo": smooth blobs and no edges. */
static char *
write_blurry_photo (const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autofree char *path = g_build_filename (admint_test_get_root (), name, NULL);

  for (int y = 0; y < 480; y++)
    for (int x = 0; x < 640; x++)
      {
        guchar *p = pixels + y * stride + x * 3;
        double v = 0.5 + 0.25 * sin (x / 90.0) * cos (y / 70.0);
        p[0] = (guchar) (200 * v);
        p[1] = (guchar) (120 + 60 * v);
        p[2] = (guchar) (90 * v);
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return g_steal_pointer (&path);
}

static char *
write_logo (const char *name)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_assert_true (g_file_set_contents (path,
    "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='200'>"
    "<rect width='200' height='200' fill='#D62828'/>"
    "<circle cx='100' cy='100' r='60' fill='#003049'/></svg>", -1, NULL));
  return g_steal_pointer (&path);
}

static void
test_user_assets (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *photo = write_blurry_photo ("bottle.png");
  g_autofree char *logo = write_logo ("logo.svg");
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean duplicate;

  g_ptr_array_add (assets, admint_store_import_asset (f->store, photo, "product", NULL, NULL,
                                                      &duplicate, &error));
  g_assert_no_error (error);
  g_ptr_array_add (assets, admint_store_import_asset (f->store, logo, "logo", NULL, NULL,
                                                      &duplicate, &error));
  g_assert_no_error (error);

  f->gen = admint_generation_new (f->store, f->config, f->providers.llm, f->providers.images,
                                  f->providers.video);
  admint_generation_set_mode (f->gen, ADMINT_GENERATION_AUTO);
  g_assert_true (admint_generation_create (f->gen, BRIEF, "AIDA", assets, &error));
  g_assert_no_error (error);
  g_signal_connect (f->gen, "finished", G_CALLBACK (on_finished), f);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");

  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonArray *refs = json_object_get_array_member (json_node_get_object (doc), "references");
  /* The user's product photo first, then the logo; none generated (count is 2). */
  g_assert_cmpuint (json_array_get_length (refs), ==, 2);
  JsonObject *product = json_array_get_object_element (refs, 0);
  JsonObject *logo_ref = json_array_get_object_element (refs, 1);
  g_assert_cmpstr (json_object_get_string_member (product, "role"), ==, "product");
  g_assert_cmpstr (json_object_get_string_member (product, "source"), ==, "asset");
  g_assert_cmpstr (json_object_get_string_member (logo_ref, "role"), ==, "logo");
  /* The logo's palette is found. */
  JsonArray *palette = json_object_get_array_member (
    json_object_get_object_member (logo_ref, "analysis"), "palette");
  g_autofree char *colours = json_to_string (json_array_get_element (palette, 0), FALSE);
  g_assert_true (strstr (colours, "D6") != NULL || strstr (colours, "00") != NULL);
  /* The last scene is anchored on the logo. */
  JsonArray *scenes = json_object_get_array_member (json_node_get_object (doc), "scenes");
  JsonObject *last = json_array_get_object_element (scenes, json_array_get_length (scenes) - 1);
  g_assert_cmpint (json_object_get_int_member (last, "reference"), ==, 1);

  /* The blurry photo was used, and the user was told why it may hold the clips back. */
  g_autoptr(GListModel) messages = admint_store_list_messages (f->store,
                                                               admint_generation_get_id (f->gen),
                                                               &error);
  gboolean told = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(AdmintMessageRow) row = g_list_model_get_item (messages, i);
      if (strstr (admint_message_row_get_body_json (row), "blurry") != NULL)
        told = TRUE;
    }
  g_assert_true (told);
}

static void
test_cancel_and_resume (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Stopped while the story waits for approval. */
  new_generation (f, ADMINT_GENERATION_INTERACTIVE, "AIDA");
  run (f);
  g_assert_cmpstr (g_ptr_array_index (f->waits, 0), ==, "story");
  admint_generation_cancel (f->gen);
  g_assert_cmpstr (f->finished, ==, "cancelled");
  g_autofree char *id = g_strdup (admint_generation_get_id (f->gen));
  g_autoptr(JsonNode) stored = admint_store_get_generation (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored), "status"), ==,
                   "cancelled");

  /* Resumed: it asks about the same story again (not a new one), then goes on to the end. */
  g_clear_pointer (&f->finished, g_free);
  g_ptr_array_set_size (f->waits, 0);
  g_ptr_array_add (f->replies, g_strdup ("ok"));
  g_ptr_array_add (f->replies, g_strdup ("ok"));
  g_clear_object (&f->gen);
  f->gen = admint_generation_new (f->store, f->config, f->providers.llm, f->providers.images,
                                  f->providers.video);
  admint_generation_set_mode (f->gen, ADMINT_GENERATION_INTERACTIVE);
  g_assert_true (admint_generation_load (f->gen, id, &error));
  g_assert_no_error (error);
  g_signal_connect (f->gen, "waiting-for-user", G_CALLBACK (on_waiting), f);
  g_signal_connect (f->gen, "stage-changed", G_CALLBACK (on_stage), f);
  g_signal_connect (f->gen, "finished", G_CALLBACK (on_finished), f);
  g_ptr_array_set_size (f->stages, 0);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  g_assert_cmpuint (f->waits->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->waits, 0), ==, "story");
  g_assert_cmpstr (g_ptr_array_index (f->waits, 1), ==, "scenes");
  /* No second story was written: the one asked about before is the one approved. */
  g_autoptr(GListModel) messages = admint_store_list_messages (f->store, id, &error);
  g_assert_no_error (error);
  guint stories = 0;
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(AdmintMessageRow) row = g_list_model_get_item (messages, i);
      if (g_str_equal (admint_message_row_get_kind (row), "story"))
        stories++;
    }
  g_assert_cmpuint (stories, ==, 1);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintGeneration) gen = admint_generation_new (f->store, f->config, f->providers.llm,
                                                           f->providers.images,
                                                           f->providers.video);

  g_assert_false (admint_generation_create (gen, "   ", "AIDA", NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  g_autofree char *long_brief = g_strnfill (5001, 'a');
  g_assert_false (admint_generation_create (gen, long_brief, "AIDA", NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "5000"));
  g_clear_error (&error);

  g_assert_false (admint_generation_create (gen, BRIEF, "STORYBRAND", NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "AIDA"));

  /* Nothing was stored for any of them. */
  g_autoptr(GListModel) list = admint_store_list_generations (f->store, 0, -1, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  admint_media_init ();

  g_test_add ("/generation/offline-auto", Fixture, NULL, fixture_setup, test_offline_auto,
              fixture_teardown);
  g_test_add ("/generation/conversation", Fixture, NULL, fixture_setup, test_conversation,
              fixture_teardown);
  g_test_add ("/generation/budget-gate", Fixture, NULL, fixture_setup, test_budget_gate,
              fixture_teardown);
  g_test_add ("/generation/resume-keeps-work", Fixture, NULL, fixture_setup,
              test_resume_keeps_work, fixture_teardown);
  g_test_add ("/generation/user-assets", Fixture, NULL, fixture_setup, test_user_assets,
              fixture_teardown);
  g_test_add ("/generation/cancel-and-resume", Fixture, NULL, fixture_setup,
              test_cancel_and_resume, fixture_teardown);
  g_test_add ("/generation/bad-input", Fixture, NULL, fixture_setup, test_bad_input,
              fixture_teardown);
  return g_test_run ();
}
