/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Replicate image and video providers against the fake server: what is made again, what
 * is followed instead of paid for twice. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-ai-error.h"
#include "admint-config.h"
#include "admint-fake-ai.h"
#include "admint-remote-providers.h"
#include "admint-test-util.h"
#include "ai-test-util.h"

#define KEY "r8_providers_test_token"

typedef struct {
  AdmintFakeAi *api;
  AdmintConfig *config;
  char         *dir;
  GPtrArray    *predictions;  /* ids handed to on_prediction */
} Fixture;

static const char mp4_data[] =
  "\0\0\0\x14" "ftypisom\0\0\x02\0isom" "\0\0\0\x08" "moov" "\0\0\0\x0c" "mdatdata";

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
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) mp4 = g_bytes_new_static (mp4_data, sizeof mp4_data - 1);
  static guint n;

  f->api = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_defaults (f->api);
  admint_fake_ai_add_file (f->api, "/files/output.mp4", "video/mp4", mp4);
  admint_fake_ai_set_api_key (f->api, KEY);
  admint_fake_ai_set_prediction_plan (f->api, 1, "succeeded", NULL, 2.0);
  g_setenv ("REPLICATE_API_TOKEN", KEY, TRUE);

  f->config = admint_config_load_defaults ();
  set (f->config, "providers.images.base_url", admint_fake_ai_get_base_url (f->api));
  set (f->config, "providers.video.base_url", admint_fake_ai_get_base_url (f->api));
  set (f->config, "network.backoff_initial_seconds", "0.01");
  set (f->config, "network.backoff_max_seconds", "0.02");
  set (f->config, "network.poll_interval_image_seconds", "0.01");
  set (f->config, "network.poll_interval_video_max_seconds", "0.02");
  f->dir = g_strdup_printf ("%s/providers-%u", admint_test_get_root (), ++n);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  f->predictions = g_ptr_array_new_with_free_func (g_free);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->config);
  g_assert_finalize_object (f->api);
  admint_test_rm_rf (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->predictions);
  g_unsetenv ("REPLICATE_API_TOKEN");
}

static void
on_prediction (const char *prediction_id,
               gpointer    user_data)
{
  Fixture *f = user_data;
  g_ptr_array_add (f->predictions, g_strdup (prediction_id));
}

static gboolean
make_clip (Fixture              *f,
           AdmintVideoProvider  *video,
           GError              **error)
{
  g_autoptr(AdmintClipRequest) request = admint_clip_request_new ();
  GAsyncResult *result = NULL;
  double cost = 0;

  request->index = 2;
  request->prompt = g_strdup ("Waves on a rock");
  request->duration = 4;
  request->output_path = g_build_filename (f->dir, "clip-03.mp4", NULL);
  request->generation_id = g_strdup ("gen-p");
  request->on_prediction = on_prediction;
  request->callback_data = f;
  admint_video_provider_generate_async (video, request, NULL, ai_test_store_result, &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_video_provider_generate_finish (video, done, &cost, error);
}

/* A clip whose prediction we lost touch with is followed on its next attempt, not made again. */
static void
test_clip_lost_then_followed (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintVideoProvider) video = NULL;
  g_autoptr(GError) error = NULL;

  set (f->config, "network.video_timeout_seconds", "1");
  video = admint_replicate_video_new (f->config, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 400; i++)
    admint_fake_ai_push_status (f->api, "GET", "/v1/predictions/", 503, "{}", NULL);
  g_assert_false (make_clip (f, video, &error));
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_STILL_RUNNING);
  g_clear_error (&error);
  g_assert_cmpuint (f->predictions->len, ==, 1);

  /* The pipeline tries the clip again once the service is back: the same prediction. */
  admint_fake_ai_clear_faults (f->api);
  g_assert_true (make_clip (f, video, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
  g_assert_cmpuint (f->predictions->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->predictions, 1), ==,
                   g_ptr_array_index (f->predictions, 0));
  g_assert_true (g_file_test (f->dir, G_FILE_TEST_IS_DIR));
}

/* A clip that failed on the service is made again after a backoff, not at once. */
static void
test_clip_retry_backoff (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintVideoProvider) video = NULL;
  g_autoptr(GError) error = NULL;
  const AdmintFakeRequest *first, *second;

  set (f->config, "network.backoff_max_seconds", "0.4");
  set (f->config, "network.backoff_initial_seconds", "0.4");
  video = admint_replicate_video_new (f->config, NULL, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_prediction_rule (f->api, "Waves", "failed", "GPU fell over", 1);
  g_assert_false (make_clip (f, video, &error));
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR);
  g_clear_error (&error);
  g_assert_true (make_clip (f, video, &error));
  g_assert_no_error (error);
  first = admint_fake_ai_get_request (f->api, "POST", "/v1/models/", 0);
  second = admint_fake_ai_get_request (f->api, "POST", "/v1/models/", 1);
  g_assert_nonnull (second);
  /* Jitter keeps at least 3/4 of the delay. */
  g_assert_cmpint (second->time_us - first->time_us, >=, 300000);
}

/* A reference image whose prediction failed, or whose output never downloads whole, is made
 * again; one the service refused is not. */
static void
test_image_retried (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintImageProvider) images = NULL;
  g_autoptr(AdmintImageRequest) request = admint_image_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GAsyncResult *result = NULL;
  double cost = 0;

  images = admint_replicate_image_new (f->config, NULL, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_prediction_rule (f->api, "bottle", "failed", "CUDA out of memory", 1);
  request->prompt = g_strdup ("A green bottle");
  g_free (request->aspect);
  request->aspect = g_strdup ("1:1");
  request->output_dir = g_strdup (f->dir);
  admint_image_provider_generate_async (images, request, NULL, ai_test_store_result, &result);
  {
    g_autoptr(GAsyncResult) done = ai_test_wait (&result);
    path = admint_image_provider_generate_finish (images, done, &cost, &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 2);
  g_clear_pointer (&path, g_free);

  admint_fake_ai_clear_requests (f->api);
  admint_fake_ai_add_prediction_rule (f->api, "bottle", "failed", "flagged as sensitive", 1);
  admint_image_provider_generate_async (images, request, NULL, ai_test_store_result, &result);
  {
    g_autoptr(GAsyncResult) done = ai_test_wait (&result);
    path = admint_image_provider_generate_finish (images, done, &cost, &error);
  }
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  admint_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/ai/providers/clip-lost-then-followed", test_clip_lost_then_followed);
  ADD ("/ai/providers/clip-retry-backoff", test_clip_retry_backoff);
  ADD ("/ai/providers/image-retried", test_image_retried);
  return g_test_run ();
}
