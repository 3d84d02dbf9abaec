/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every stage key changes what the pipeline does (stages.*.enabled, stages.*.timeout_seconds,
 * video.fps, quality bands); model output is repaired or asked for again; one process a
 * generation; no clip row left "running"; the memory bound of variants and batches. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-ai-error.h"
#include "admint-error.h"
#include "admint-generation.h"
#include "admint-generation-failure.h"
#include "admint-media.h"
#include "admint-provider-factory.h"
#include "admint-test-util.h"
#include "pipeline-test-util.h"

#define BRIEF "12-second ad for AquaPeak, a reusable water bottle, for hikers"

/* ---- a scriptable, slowable LLM over the local one ---------------------------------------- */

#define TEST_TYPE_LLM (test_llm_get_type ())
G_DECLARE_FINAL_TYPE (TestLlm, test_llm, TEST, LLM, GObject)

struct _TestLlm
{
  GObject            parent_instance;
  AdmintLlmProvider *inner;
  guint              delay_ms;
  GHashTable        *scripts;  /* agent -> GQueue of answers: JSON text, or "!bad" */
  GPtrArray         *asked;    /* agent names, in order */
};

static void test_llm_iface_init (AdmintLlmProviderInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestLlm, test_llm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_LLM_PROVIDER,
                                                      test_llm_iface_init))

static const char *
test_llm_get_name (AdmintLlmProvider *provider)
{
  return "test";
}

typedef struct {
  GTask    *task;
  JsonNode *node;
  GError   *error;
} Answer;

static gboolean
deliver (gpointer data)
{
  Answer *a = data;

  if (g_task_return_error_if_cancelled (a->task))
    g_clear_pointer (&a->node, json_node_unref);
  else if (a->error != NULL)
    g_task_return_error (a->task, g_steal_pointer (&a->error));
  else
    g_task_return_pointer (a->task, g_steal_pointer (&a->node),
                           (GDestroyNotify) json_node_unref);
  g_clear_error (&a->error);
  g_object_unref (a->task);
  g_free (a);
  return G_SOURCE_REMOVE;
}

static void
answer_later (TestLlm  *self,
              Answer   *a)
{
  if (self->delay_ms > 0)
    g_timeout_add (self->delay_ms, deliver, a);
  else
    g_idle_add (deliver, a);
}

static void
on_inner (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  TestLlm *self = g_task_get_source_object (task);
  Answer *a = g_new0 (Answer, 1);

  a->task = task;
  a->node = admint_llm_provider_run_agent_finish (self->inner, result, &a->error);
  answer_later (self, a);
}

static void
test_llm_run_agent_async (AdmintLlmProvider   *provider,
                          AdmintAgentRequest  *request,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  TestLlm *self = TEST_LLM (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GQueue *script = g_hash_table_lookup (self->scripts, request->agent);

  g_ptr_array_add (self->asked, g_strdup (request->agent));
  if (script != NULL && !g_queue_is_empty (script))
    {
      g_autofree char *text = g_queue_pop_head (script);
      Answer *a = g_new0 (Answer, 1);
      a->task = task;
      if (g_str_equal (text, "!bad"))
        a->error = g_error_new_literal (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                        "the reply is not JSON");
      else
        a->node = json_from_string (text, NULL);
      g_assert (a->error != NULL || a->node != NULL);
      answer_later (self, a);
      return;
    }
  admint_llm_provider_run_agent_async (self->inner, request, cancellable, on_inner, task);
}

static JsonNode *
test_llm_run_agent_finish (AdmintLlmProvider  *provider,
                           GAsyncResult       *result,
                           GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_llm_iface_init (AdmintLlmProviderInterface *iface)
{
  iface->get_name = test_llm_get_name;
  iface->run_agent_async = test_llm_run_agent_async;
  iface->run_agent_finish = test_llm_run_agent_finish;
}

static void
test_llm_finalize (GObject *object)
{
  TestLlm *self = TEST_LLM (object);

  g_clear_object (&self->inner);
  g_hash_table_unref (self->scripts);
  g_ptr_array_unref (self->asked);
  G_OBJECT_CLASS (test_llm_parent_class)->finalize (object);
}

static void
test_llm_class_init (TestLlmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_llm_finalize;
}

static void
free_queue (gpointer q)
{
  g_queue_free_full (q, g_free);
}

static void
test_llm_init (TestLlm *self)
{
  self->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);
  self->asked = g_ptr_array_new_with_free_func (g_free);
}

static void
test_llm_script (TestLlm    *self,
                 const char *agent,
                 const char *answer)
{
  GQueue *q = g_hash_table_lookup (self->scripts, agent);
  if (q == NULL)
    g_hash_table_insert (self->scripts, g_strdup (agent), (q = g_queue_new ()));
  g_queue_push_tail (q, g_strdup (answer));
}

static guint
test_llm_count (TestLlm    *self,
                const char *agent)
{
  guint n = 0;
  for (guint i = 0; i < self->asked->len; i++)
    n += g_str_equal (g_ptr_array_index (self->asked, i), agent);
  return n;
}

/* ---- a video provider that takes its time -------------------------------------------------- */

#define TEST_TYPE_VIDEO (test_video_get_type ())
G_DECLARE_FINAL_TYPE (TestVideo, test_video, TEST, VIDEO, GObject)

struct _TestVideo
{
  GObject              parent_instance;
  AdmintVideoProvider *inner;
  guint                hang_ms;  /* before handing the request to the local renderer */
};

static void test_video_iface_init (AdmintVideoProviderInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestVideo, test_video, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_VIDEO_PROVIDER,
                                                      test_video_iface_init))

static const char *
test_video_get_name (AdmintVideoProvider *p)
{
  return "test";
}

static double
test_video_max_clip_seconds (AdmintVideoProvider *p)
{
  return admint_video_provider_get_max_clip_seconds (TEST_VIDEO (p)->inner);
}

static gboolean
test_video_takes_first_frame (AdmintVideoProvider *p)
{
  return admint_video_provider_takes_first_frame (TEST_VIDEO (p)->inner);
}

static double
test_video_estimate_cost (AdmintVideoProvider *p,
                          double               seconds)
{
  return 0;
}

typedef struct {
  GTask             *task;
  AdmintClipRequest *request;
  guint              source;
  gulong             cancelled;
} Hang;

static void
on_inner_clip (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  double cost;

  if (admint_video_provider_generate_finish (ADMINT_VIDEO_PROVIDER (source), result, &cost,
                                             &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
hang_over (gpointer data)
{
  Hang *h = data;
  TestVideo *self = g_task_get_source_object (h->task);
  GCancellable *cancellable = g_task_get_cancellable (h->task);

  h->source = 0;
  g_cancellable_disconnect (cancellable, h->cancelled);
  if (g_task_return_error_if_cancelled (h->task))
    g_object_unref (h->task);
  else
    admint_video_provider_generate_async (self->inner, h->request, cancellable, on_inner_clip,
                                          h->task);
  g_free (h);
  return G_SOURCE_REMOVE;
}

static gboolean
hang_cancelled_idle (gpointer data)
{
  Hang *h = data;
  g_clear_handle_id (&h->source, g_source_remove);
  return hang_over (h);
}

static void
on_hang_cancelled (GCancellable *cancellable,
                   Hang         *h)
{
  /* Called inside g_cancellable_cancel: finish from the main loop. */
  g_idle_add (hang_cancelled_idle, h);
}

static void
test_video_generate_async (AdmintVideoProvider *p,
                           AdmintClipRequest   *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Hang *h = g_new0 (Hang, 1);

  h->task = g_task_new (p, cancellable, callback, user_data);
  h->request = request;
  h->source = g_timeout_add (TEST_VIDEO (p)->hang_ms, hang_over, h);
  h->cancelled = g_cancellable_connect (cancellable, G_CALLBACK (on_hang_cancelled), h, NULL);
}

static gboolean
test_video_generate_finish (AdmintVideoProvider  *p,
                            GAsyncResult         *result,
                            double               *cost,
                            GError              **error)
{
  if (cost != NULL)
    *cost = 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_video_iface_init (AdmintVideoProviderInterface *iface)
{
  iface->get_name = test_video_get_name;
  iface->get_max_clip_seconds = test_video_max_clip_seconds;
  iface->takes_first_frame = test_video_takes_first_frame;
  iface->estimate_cost = test_video_estimate_cost;
  iface->generate_async = test_video_generate_async;
  iface->generate_finish = test_video_generate_finish;
}

static void
test_video_finalize (GObject *object)
{
  g_clear_object (&TEST_VIDEO (object)->inner);
  G_OBJECT_CLASS (test_video_parent_class)->finalize (object);
}

static void
test_video_class_init (TestVideoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_video_finalize;
}

static void
test_video_init (TestVideo *self)
{
}

/* ---- fixture ------------------------------------------------------------------------------- */

typedef struct {
  AdmintStore       *store;
  AdmintConfig      *config;
  AdmintProviderSet  providers;
  TestLlm           *llm;
  TestVideo         *video;    /* NULL: the local one */
  AdmintGeneration  *gen;
  GMainLoop         *loop;
  char              *finished;
  char              *failed;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static guint counter;
  g_autofree char *db = g_strdup_printf ("%s/data/admint/stages-%u.db", admint_test_get_root (),
                                         counter++);

  f->store = admint_store_open (db, &error);
  g_assert_no_error (error);
  f->config = admint_config_load_defaults ();
  pipeline_test_set (f->config, "video.resolution", "360p");
  pipeline_test_set (f->config, "stages.references.count", "1");
  /* No stage test checks burned captions (generation's offline-auto does): not re-encoded. */
  pipeline_test_set (f->config, "captions.burn", "false");
  g_assert_true (admint_provider_set_init (&f->providers, f->config, f->store, &error));
  g_assert_no_error (error);
  f->llm = g_object_new (TEST_TYPE_LLM, NULL);
  f->llm->inner = g_object_ref (f->providers.llm);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->gen);
  g_clear_object (&f->llm);
  g_clear_object (&f->video);
  admint_provider_set_clear (&f->providers);
  g_clear_object (&f->config);
  g_clear_object (&f->store);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_free (f->finished);
  g_free (f->failed);
}

static void
on_finished (AdmintGeneration       *gen,
             AdmintGenerationStatus  status,
             Fixture                *f)
{
  g_free (f->finished);
  f->finished = g_strdup (admint_generation_status_to_string (status));
  g_main_loop_quit (f->loop);
}

static void
on_failed (AdmintGeneration *gen,
           const char       *message,
           Fixture          *f)
{
  g_free (f->failed);
  f->failed = g_strdup (message);
}

static gboolean
on_too_long (gpointer user_data)
{
  g_error ("the generation did not finish in time");
  return G_SOURCE_REMOVE;
}

static AdmintGeneration *
make_generation (Fixture *f)
{
  AdmintGeneration *gen = admint_generation_new (f->store, f->config,
                                                 ADMINT_LLM_PROVIDER (f->llm),
                                                 f->providers.images,
                                                 f->video ? ADMINT_VIDEO_PROVIDER (f->video)
                                                          : f->providers.video);
  admint_generation_set_mode (gen, ADMINT_GENERATION_AUTO);
  admint_generation_set_seed (gen, 3);
  g_signal_connect (gen, "finished", G_CALLBACK (on_finished), f);
  g_signal_connect (gen, "failed", G_CALLBACK (on_failed), f);
  return gen;
}

static void
create (Fixture   *f,
        GPtrArray *assets)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->gen);
  f->gen = make_generation (f);
  g_assert_true (admint_generation_create (f->gen, BRIEF, "AIDA", assets, &error));
  g_assert_no_error (error);
}

static void
run (Fixture *f)
{
  guint timeout = g_timeout_add_seconds (240 * admint_test_time_scale (), on_too_long, NULL);
  g_clear_pointer (&f->finished, g_free);
  g_clear_pointer (&f->failed, g_free);
  admint_generation_run (f->gen);
  g_main_loop_run (f->loop);
  g_source_remove (timeout);
}

static JsonObject *
stored (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = admint_store_get_generation (f->store, admint_generation_get_id (f->gen),
                                                &error);
  g_assert_no_error (error);
  JsonObject *obj = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return obj;
}

static gboolean
member_is_null (JsonObject *obj,
                const char *name)
{
  return !json_object_has_member (obj, name) ||
         JSON_NODE_HOLDS_NULL (json_object_get_member (obj, name));
}

/* ---- stages.*.enabled ---------------------------------------------------------------------- */

static void
test_story_disabled (Fixture       *f,
                     gconstpointer  data)
{
  pipeline_test_set (f->config, "stages.story.enabled", "false");
  create (f, NULL);
  run (f);

  g_assert_cmpstr (f->finished, ==, "completed");
  /* No director, no critic, no story in the store or the result; the scenes still came. */
  g_assert_cmpuint (test_llm_count (f->llm, "director"), ==, 0);
  g_assert_cmpuint (test_llm_count (f->llm, "critic"), ==, 0);
  g_autoptr(JsonObject) s = stored (f);
  g_assert_true (member_is_null (s, "story"));
  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  g_assert_true (member_is_null (json_node_get_object (doc), "story"));
  g_assert_cmpuint (test_llm_count (f->llm, "scene_writer"), >=, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "scenes")), >, 0);
  g_assert_true (g_file_test (admint_generation_get_final_video (f->gen),
                              G_FILE_TEST_IS_REGULAR));
}

static char *
write_png (const char *name)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_autoptr(GError) error = NULL;
  /* A real photo-sized image: two colour fields and a stripe. */
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 320);
  guchar *px = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < 320; y++)
    for (int x = 0; x < 320; x++)
      {
        guchar *p = px + y * stride + x * 3;
        p[0] = x < 160 ? 0x12 : 0xE0;
        p[1] = (guchar) ((x * y) & 0xff);
        p[2] = y < 160 ? 0x54 : 0x30;
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_references_disabled (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *photo = write_png ("product.png");
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean duplicate;

  pipeline_test_set (f->config, "stages.references.enabled", "false");
  pipeline_test_set (f->config, "stages.references.count", "2");
  g_ptr_array_add (assets, admint_store_import_asset (f->store, photo, "product", NULL, NULL,
                                                      &duplicate, &error));
  g_assert_no_error (error);
  create (f, assets);
  run (f);

  g_assert_cmpstr (f->finished, ==, "completed");
  /* Only the user's image, as it is: nothing generated (count is 2), nothing described. */
  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonArray *refs = json_object_get_array_member (json_node_get_object (doc), "references");
  g_assert_cmpuint (json_array_get_length (refs), ==, 1);
  JsonObject *ref = json_array_get_object_element (refs, 0);
  g_assert_cmpstr (json_object_get_string_member (ref, "source"), ==, "asset");
  g_assert_true (member_is_null (ref, "analysis"));
  g_assert_cmpuint (test_llm_count (f->llm, "reference_analyst"), ==, 0);
}

static void
test_scenes_disabled (Fixture       *f,
                      gconstpointer  data)
{
  pipeline_test_set (f->config, "stages.scenes.enabled", "false");
  create (f, NULL);
  run (f);

  g_assert_cmpstr (f->finished, ==, "completed");
  g_assert_cmpuint (test_llm_count (f->llm, "scene_writer"), ==, 0);
  g_assert_cmpuint (test_llm_count (f->llm, "scene_critic"), ==, 0);
  g_assert_cmpuint (test_llm_count (f->llm, "cohesor"), ==, 0);
  /* One scene a beat of the story (AIDA: 4), sharing the 12 seconds. */
  g_autoptr(JsonObject) s = stored (f);
  JsonArray *scenes = json_object_get_array_member (s, "scenes");
  JsonArray *beats = json_object_get_array_member (json_object_get_object_member (s, "story"),
                                                   "beats");
  g_assert_cmpuint (json_array_get_length (scenes), ==, json_array_get_length (beats));
  double total = 0;
  for (guint i = 0; i < json_array_get_length (scenes); i++)
    total += json_object_get_double_member (json_array_get_object_element (scenes, i),
                                            "duration");
  g_assert_cmpfloat (fabs (total - 12), <, 0.3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "clips")), ==,
                    json_array_get_length (scenes));
}

static void
test_clips_disabled (Fixture       *f,
                     gconstpointer  data)
{
  pipeline_test_set (f->config, "stages.clips.enabled", "false");
  create (f, NULL);
  run (f);

  /* A plan: story, references and scenes, and no clip, no video. */
  g_assert_cmpstr (f->finished, ==, "completed");
  g_autoptr(JsonObject) s = stored (f);
  g_assert_false (member_is_null (s, "story"));
  g_assert_false (member_is_null (s, "scenes"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "clips")), ==, 0);
  g_assert_null (admint_generation_get_final_video (f->gen));
}

/* ---- video.fps, quality bands --------------------------------------------------------------- */

static void
test_fps_and_verdicts (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pipeline_test_set (f->config, "video.fps", "12");
  /* Every score is at least 0: with both bands at 0 every verdict is "good". */
  pipeline_test_set (f->config, "quality.acceptable", "0");
  pipeline_test_set (f->config, "quality.good", "0");
  create (f, NULL);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");

  g_autoptr(AdmintMediaInfo) info = admint_media_probe (admint_generation_get_final_video (f->gen),
                                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs ((double) info->fps_n / info->fps_d - 12), <, 0.01);

  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonObject *obj = json_node_get_object (doc);
  JsonArray *clips = json_object_get_array_member (obj, "clips");
  for (guint i = 0; i < json_array_get_length (clips); i++)
    {
      JsonObject *clip = json_array_get_object_element (clips, i);
      g_assert_cmpstr (json_object_get_string_member (clip, "verdict"), ==, "good");
      g_assert_cmpint (admint_generation_get_clip_verdict (f->gen, i), ==, ADMINT_VERDICT_GOOD);
    }
  g_assert_cmpstr (json_object_get_string_member (obj, "verdict"), ==, "good");

  /* The same scores against bands no clip reaches. */
  pipeline_test_set (f->config, "quality.good", "100");
  pipeline_test_set (f->config, "quality.acceptable", "99.99");
  g_autoptr(JsonNode) again = admint_generation_to_json (f->gen);
  clips = json_object_get_array_member (json_node_get_object (again), "clips");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clips, 0),
                                                  "verdict"), ==, "poor");

  g_assert_cmpint (admint_generation_get_clip_verdict (f->gen, 0), ==, ADMINT_VERDICT_POOR);
  g_assert_cmpint (admint_generation_get_clip_verdict (f->gen, 99), ==, ADMINT_VERDICT_NONE);
}

/* ---- stages.*.timeout_seconds ---------------------------------------------------------------- */

static void
test_story_timeout_then_resume (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pipeline_test_set (f->config, "stages.story.timeout_seconds", "1");
  f->llm->delay_ms = 1500;
  create (f, NULL);
  run (f);

  g_assert_cmpstr (f->finished, ==, "failed");
  g_assert_nonnull (strstr (f->failed, "story"));
  g_assert_nonnull (strstr (f->failed, "1 s"));
  g_assert_nonnull (strstr (f->failed, "stages.story.timeout_seconds"));
  g_autofree char *reason = NULL, *advice = NULL;
  g_assert_cmpint (admint_generation_get_failure (f->gen, &reason, &advice), ==,
                   ADMINT_FAILURE_TIMEOUT);
  g_assert_nonnull (strstr (advice, "--set stages.story.timeout_seconds="));
  g_assert_nonnull (strstr (advice, admint_generation_get_id (f->gen)));

  /* Resume with a higher limit: it carries on and finishes. */
  g_autofree char *id = g_strdup (admint_generation_get_id (f->gen));
  g_clear_object (&f->gen);
  pipeline_test_set (f->config, "stages.story.timeout_seconds", "60");
  f->llm->delay_ms = 10;
  f->gen = make_generation (f);
  g_assert_true (admint_generation_load (f->gen, id, &error));
  g_assert_no_error (error);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  g_assert_cmpint (admint_generation_get_failure (f->gen, NULL, NULL), ==, ADMINT_FAILURE_NONE);
}

static void
test_clip_timeout (Fixture       *f,
                   gconstpointer  data)
{
  pipeline_test_set (f->config, "stages.clips.timeout_seconds", "1");
  f->video = g_object_new (TEST_TYPE_VIDEO, NULL);
  f->video->inner = g_object_ref (f->providers.video);
  f->video->hang_ms = 30000;
  create (f, NULL);
  run (f);

  /* Each clip is stopped at its limit, not retried; no clip, no video. */
  g_assert_cmpstr (f->finished, ==, "failed");
  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonArray *clips = json_object_get_array_member (json_node_get_object (doc), "clips");
  g_assert_cmpuint (json_array_get_length (clips), >, 0);
  for (guint i = 0; i < json_array_get_length (clips); i++)
    {
      JsonObject *clip = json_array_get_object_element (clips, i);
      g_assert_cmpstr (json_object_get_string_member (clip, "status"), ==, "failed");
      g_assert_nonnull (strstr (json_object_get_string_member (clip, "error"),
                                "stages.clips.timeout_seconds"));
      g_assert_cmpint (json_object_get_int_member (clip, "version"), ==, 1);
    }
  g_autofree char *advice = NULL;
  g_assert_cmpint (admint_generation_get_failure (f->gen, NULL, &advice), ==,
                   ADMINT_FAILURE_TIMEOUT);
  g_assert_nonnull (strstr (advice, "stages.clips.timeout_seconds"));
}

/* ---- model output: repaired, asked again, or failing with a reason ------------------------- */

static void
test_repairs (Fixture       *f,
              gconstpointer  data)
{
  /* A palette with a name, a short hex, one without "#", one with alpha and two that are not
   * colours; a "style" that is not text. */
  test_llm_script (f->llm, "reference_analyst",
                   "{\"subject\": \"a bottle\", \"style\": 7, \"palette\": [\"navy\", \"#fa0\", "
                   "\"12ab34\", \"#112233ff\", \"sea-ish blue\", 42]}");
  /* Scenes: one too long, one without a duration, one without a description, a camera that
   * is not text, a reference that does not exist. */
  test_llm_script (f->llm, "cohesor",
                   "{\"scenes\": [{\"description\": \"The bottle on a summit\", \"duration\": 40,"
                   " \"camera\": 3}, {\"description\": \"A hiker drinks\", \"reference\": 9},"
                   " {\"duration\": 2}]}");
  create (f, NULL);
  run (f);

  g_assert_cmpstr (f->finished, ==, "completed");
  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonObject *obj = json_node_get_object (doc);
  JsonObject *analysis = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (obj, "references"), 0),
    "analysis");
  JsonArray *palette = json_object_get_array_member (analysis, "palette");
  const char *expected[] = { "#000080", "#FFAA00", "#12AB34", "#112233" };
  g_assert_cmpuint (json_array_get_length (palette), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (json_array_get_string_element (palette, i), ==, expected[i]);
  g_assert_false (json_object_has_member (analysis, "style"));

  JsonArray *scenes = json_object_get_array_member (obj, "scenes");
  g_assert_cmpuint (json_array_get_length (scenes), ==, 2);
  JsonObject *s0 = json_array_get_object_element (scenes, 0);
  JsonObject *s1 = json_array_get_object_element (scenes, 1);
  g_assert_cmpfloat (json_object_get_double_member (s0, "duration"), ==, 8);
  g_assert_false (json_object_has_member (s0, "camera"));
  g_assert_cmpfloat (json_object_get_double_member (s1, "duration"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (s1, "duration"), <=, 8);
  g_assert_false (json_object_has_member (s1, "reference"));
  g_assert_cmpint (json_object_get_int_member (s1, "index"), ==, 1);
  g_assert_true (g_file_test (admint_generation_get_final_video (f->gen),
                              G_FILE_TEST_IS_REGULAR));
}

static void
test_unusable_asked_again (Fixture       *f,
                           gconstpointer  data)
{
  /* Not JSON, then a story without beats: asked once more each time, then it goes on. */
  test_llm_script (f->llm, "director", "!bad");
  test_llm_script (f->llm, "scene_writer", "{\"scenes\": [{\"duration\": 3}]}");
  create (f, NULL);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  g_assert_cmpuint (test_llm_count (f->llm, "director"), ==, 2);
  g_assert_cmpuint (test_llm_count (f->llm, "scene_writer"), ==, 2);

  /* Unusable twice: a clear failure that says so, and what to do. */
  test_llm_script (f->llm, "director", "!bad");
  test_llm_script (f->llm, "director", "{\"title\": \"no beats\"}");
  create (f, NULL);
  run (f);
  g_assert_cmpstr (f->finished, ==, "failed");
  g_assert_nonnull (strstr (f->failed, "director"));
  g_assert_nonnull (strstr (f->failed, "asked twice"));
  g_assert_cmpint (admint_generation_get_failure (f->gen, NULL, NULL), ==, ADMINT_FAILURE_MODEL);
}

/* ---- one process a generation; no stale "running" rows ------------------------------------- */

static void
test_lock_and_stale_rows (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  create (f, NULL);
  /* The process that creates a generation holds it too. */
  g_autoptr(AdmintGeneration) early = make_generation (f);
  g_assert_false (admint_generation_load (early, admint_generation_get_id (f->gen), &error));
  g_assert_nonnull (strstr (error->message, "another process"));
  g_clear_error (&error);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  g_autofree char *id = g_strdup (admint_generation_get_id (f->gen));
  g_clear_object (&f->gen);

  /* A killed run left scene 1 with a newer version "running" (nothing polls it: a local
   * render), and an old row "running". */
  int v = admint_store_add_clip_version (f->store, id, 0, "local", &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_update_clip (f->store, id, 0, v, "running", NULL, -1, -1, NULL,
                                           &error));
  g_assert_true (admint_store_update_clip (f->store, id, 1, 1, "running", NULL, -1, -1, NULL,
                                           &error));
  g_assert_true (admint_store_update_generation_status (f->store, id, "clips", NULL, NULL,
                                                        &error));

  AdmintGeneration *first = make_generation (f);
  g_assert_true (admint_generation_load (first, id, &error));
  g_assert_no_error (error);
  /* A second one at the same time is refused, saying why and what to do. */
  g_autoptr(AdmintGeneration) second = make_generation (f);
  g_assert_false (admint_generation_load (second, id, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "another process"));
  g_assert_nonnull (strstr (error->message, "admint resume"));
  g_clear_error (&error);

  f->gen = first;
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  g_autoptr(JsonObject) s = stored (f);
  JsonArray *clips = json_object_get_array_member (s, "clips");
  for (guint i = 0; i < json_array_get_length (clips); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clips, i),
                                                    "status"), !=, "running");

  /* Once the first is gone, the generation can be opened again. */
  g_clear_object (&f->gen);
  g_clear_object (&second);
  second = make_generation (f);
  g_assert_true (admint_generation_load (second, id, &error));
  g_assert_no_error (error);
}

/* ---- failures: reason and advice ------------------------------------------------------------ */

static void
test_budget_advice (Fixture       *f,
                    gconstpointer  data)
{
  pipeline_test_set (f->config, "budget.max_usd_per_generation", "1.0");
  pipeline_test_set (f->config, "prices.local", "1.5");
  create (f, NULL);
  run (f);

  g_assert_cmpstr (f->finished, ==, "failed");
  g_autofree char *reason = NULL, *advice = NULL;
  g_assert_cmpint (admint_generation_get_failure (f->gen, &reason, &advice), ==,
                   ADMINT_FAILURE_BUDGET);
  g_assert_nonnull (strstr (reason, "budget"));
  g_assert_nonnull (strstr (advice, "--set budget.max_usd_per_generation="));
  g_autoptr(JsonNode) doc = admint_generation_to_json (f->gen);
  JsonObject *failure = json_object_get_object_member (json_node_get_object (doc), "failure");
  g_assert_cmpstr (json_object_get_string_member (failure, "kind"), ==, "budget");
}

/* ---- memory bound --------------------------------------------------------------------------- */

static void
test_memory_bound (void)
{
  const char *two_gb = "MemTotal: 8000000 kB\nMemFree: 100 kB\nMemAvailable: 2097152 kB\n";
  const char *one_and_a_half = "MemAvailable: 1572864 kB\n";
  const char *eight_gb = "MemAvailable: 8388608 kB\n";
  guint64 first, more;

  admint_generation_memory_estimate (30, "1080p", &first, &more);
  g_assert_cmpuint (first, ==, 1470ull * 1024 * 1024);
  g_assert_cmpuint (more, ==, 170ull * 1024 * 1024);

  /* 2 GB: the first ad (1.47 GB) and three more variants of 170 MB. */
  g_assert_cmpuint (admint_generation_max_parallel (8, 30, "1080p", TRUE, two_gb), ==, 4);
  g_assert_cmpuint (admint_generation_max_parallel (2, 30, "1080p", TRUE, two_gb), ==, 2);
  /* Room for one only, and never less than one. */
  g_assert_cmpuint (admint_generation_max_parallel (8, 30, "1080p", TRUE, one_and_a_half), ==, 1);
  g_assert_cmpuint (admint_generation_max_parallel (8, 30, "1080p", TRUE, "MemAvailable: 1 kB"),
                    ==, 1);
  /* Batch jobs are processes: each needs a whole ad's peak. */
  g_assert_cmpuint (admint_generation_max_parallel (8, 30, "1080p", FALSE, eight_gb), ==, 5);
  /* Smaller pictures fit more. */
  g_assert_cmpuint (admint_generation_max_parallel (8, 30, "360p", FALSE, two_gb), >, 1);
  /* Nothing to go by: as asked. */
  g_assert_cmpuint (admint_generation_max_parallel (3, 30, "1080p", TRUE, "nothing here"), ==, 3);
}

/* A line too long to speak in its scene even at 1.15x goes back to the writer: the local one
 * shortens it to whole words of its own, the scene keeps the shorter line, and that is what is
 * spoken; the other lines, already spoken, are not spoken again. */
static void
test_line_too_long_rewritten (Fixture       *f,
                              gconstpointer  data)
{
  static const char *long_line =
    "Meet AquaPeak, the reusable steel bottle that keeps your water really cold for a full "
    "day on the trail, survives every drop onto the rocks, fits every single pack pocket you "
    "own, and leaves no plastic behind on the mountain, ever, for you and for every hiker "
    "who comes after you.";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) scenes_node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *id = NULL, *dir = NULL, *stitched = NULL, *json = NULL;
  g_autofree char *other_json = NULL, *voice_json = NULL, *voice_text = NULL;
  GStatBuf other_before, other_after;
  JsonArray *scenes;
  const char *shorter;
  gboolean asked = FALSE;

  pipeline_test_set (f->config, "audio.music", "none");
  create (f, NULL);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  id = g_strdup (admint_generation_get_id (f->gen));
  before = stored (f);
  dir = g_path_get_dirname (json_object_get_string_member (before, "final_video_path"));
  stitched = g_build_filename (dir, "stitched.mp4", NULL);
  g_assert_true (g_file_test (stitched, G_FILE_TEST_IS_REGULAR));
  other_json = g_build_filename (dir, "sound", "voice-01.json", NULL);
  g_assert_cmpint (g_stat (other_json, &other_before), ==, 0);

  /* The first scene's line made far too long, and the ad taken back to before its sound. */
  scenes = json_array_ref (json_object_get_array_member (before, "scenes"));
  json_object_set_string_member (json_array_get_object_element (scenes, 0), "voice_over",
                                 long_line);
  json_node_take_array (scenes_node, scenes);
  json_generator_set_root (gen, scenes_node);
  json = json_generator_to_data (gen, NULL);
  g_assert_true (admint_store_set_generation_json (f->store, id, "scenes", json, &error));
  g_assert_true (admint_store_set_final_video (f->store, id, stitched, -1, &error));
  g_assert_true (admint_store_update_generation_status (f->store, id, "stitching", NULL, NULL,
                                                        &error));
  g_assert_no_error (error);

  g_clear_object (&f->gen);
  f->gen = make_generation (f);
  g_assert_true (admint_generation_load (f->gen, id, &error));
  g_assert_no_error (error);
  run (f);
  g_assert_cmpstr (f->finished, ==, "completed");
  for (guint i = 0; i < f->llm->asked->len; i++)
    asked |= g_str_equal (g_ptr_array_index (f->llm->asked, i), "line_shortener");
  g_assert_true (asked);

  after = stored (f);
  shorter = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (after, "scenes"), 0),
    "voice_over");
  g_test_message ("shortened: %s", shorter);
  g_assert_cmpuint (strlen (shorter), <, strlen (long_line) / 2);
  /* Whole words of the line, in its order: nothing cut inside a word. */
  {
    g_auto(GStrv) words = g_strsplit (shorter, " ", -1);
    g_auto(GStrv) original = g_strsplit (long_line, " ", -1);
    guint j = 0;

    for (guint i = 0; words[i] != NULL; i++)
      {
        const char *word = g_strstrip (g_strdelimit (words[i], ".!?,", ' '));

        while (original[j] != NULL && !g_str_has_prefix (original[j], word))
          j++;
        g_assert_nonnull (original[j]);
        j++;
      }
  }
  /* The shorter line is what was spoken, and the ad is finished with it. */
  voice_json = g_build_filename (dir, "sound", "voice-00.json", NULL);
  g_assert_true (g_file_get_contents (voice_json, &voice_text, NULL, NULL));
  g_assert_nonnull (strstr (voice_text, shorter));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (after, "final_video_path"),
                                   "final.mp4"));
  /* The other line was not spoken again: its file was not written again (a new write is a
   * new file, renamed into place). */
  g_assert_cmpint (g_stat (other_json, &other_after), ==, 0);
  g_assert_cmpuint (other_after.st_ino, ==, other_before.st_ino);
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/stages/story-disabled", test_story_disabled);
  ADD ("/stages/references-disabled", test_references_disabled);
  ADD ("/stages/scenes-disabled", test_scenes_disabled);
  ADD ("/stages/clips-disabled", test_clips_disabled);
  ADD ("/stages/fps-and-verdicts", test_fps_and_verdicts);
  ADD ("/stages/story-timeout-then-resume", test_story_timeout_then_resume);
  ADD ("/stages/clip-timeout", test_clip_timeout);
  ADD ("/stages/repairs", test_repairs);
  ADD ("/stages/unusable-asked-again", test_unusable_asked_again);
  ADD ("/stages/lock-and-stale-rows", test_lock_and_stale_rows);
  ADD ("/stages/budget-advice", test_budget_advice);
  ADD ("/stages/line-too-long-rewritten", test_line_too_long_rewritten);
#undef ADD
  g_test_add_func ("/stages/memory-bound", test_memory_bound);
  return g_test_run ();
}
