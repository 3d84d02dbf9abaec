/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Replicate client against the fake server: inputs, create/poll/download, faults, cancel. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-fake-ai.h"
#include "admint-replicate-client.h"
#include "admint-store.h"
#include "admint-test-util.h"
#include "ai-test-util.h"

#define KEY "r8_replicate_test_token_0123"

/* Outputs the download check accepts: a PNG with its end, an MP4 whose boxes tile it. */
static const char png_data[] = "\x89PNG\r\n\x1a\nfake image data\0\0\0\0IEND\xae\x42\x60\x82";
#define PNG_LEN (sizeof png_data - 1)
static const char mp4_data[] =
  "\0\0\0\x14" "ftypisom\0\0\x02\0isom"   /* ftyp, 20 bytes */
  "\0\0\0\x08" "moov"                        /* an empty moov */
  "\0\0\0\x0c" "mdatdata";                   /* mdat with 4 bytes */
#define MP4_LEN (sizeof mp4_data - 1)

typedef struct {
  AdmintFakeAi          *api;
  AdmintFakeAi          *files;   /* another host, as replicate.delivery is */
  char                  *out_dir;
  JsonObject            *inputs;
  JsonObject            *fixed;
  AdmintReplicateOptions options;
  GPtrArray             *events;
  guint                  polls_at_create;
  GCancellable          *cancel_on_create;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = g_bytes_new_static (png_data, PNG_LEN);
  g_autoptr(GBytes) mp4 = g_bytes_new_static (mp4_data, MP4_LEN);
  g_autofree char *image_url = NULL, *video_url = NULL;
  static guint n;

  f->api = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  f->files = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_set_api_key (f->api, KEY);
  admint_fake_ai_add_file (f->files, "/files/out.png", "image/png", png);
  admint_fake_ai_add_file (f->files, "/files/out.mp4", "video/mp4", mp4);
  image_url = g_strconcat (admint_fake_ai_get_origin (f->files), "/files/out.png", NULL);
  video_url = g_strconcat (admint_fake_ai_get_origin (f->files), "/files/out.mp4", NULL);
  admint_fake_ai_add_model (f->api, "google/nano-banana-pro",
    "{\"prompt\":{\"type\":\"string\"},\"image_input\":{\"type\":\"array\"},"
    "\"aspect_ratio\":{\"type\":\"string\"},\"output_format\":{\"type\":\"string\"}}",
    (const char * const[]) { image_url, NULL });
  admint_fake_ai_add_model (f->api, "google/veo-3",
    "{\"prompt\":{\"type\":\"string\"},\"image\":{\"type\":\"string\"},\"duration\":"
    "{\"type\":\"integer\"},\"generate_audio\":{\"type\":\"boolean\"}}",
    (const char * const[]) { video_url, NULL });
  admint_fake_ai_set_prediction_plan (f->api, 2, "succeeded", NULL, 4.0);

  g_autofree char *media = g_build_filename (admint_test_get_root (), "media", NULL);
  f->out_dir = g_strdup_printf ("%s-%u", media, ++n);
  g_assert_cmpint (g_mkdir_with_parents (f->out_dir, 0700), ==, 0);

  f->inputs = json_object_new ();
  json_object_set_string_member (f->inputs, "prompt", "prompt");
  json_object_set_string_member (f->inputs, "input_images", "image_input");
  json_object_set_string_member (f->inputs, "aspect_ratio", "aspect_ratio");
  json_object_set_string_member (f->inputs, "first_frame", "image");
  json_object_set_string_member (f->inputs, "audio", "generate_audio");
  json_object_set_string_member (f->inputs, "seed", "seed");
  f->fixed = json_object_new ();
  json_object_set_string_member (f->fixed, "output_format", "png");

  f->options = (AdmintReplicateOptions) ADMINT_REPLICATE_OPTIONS_INIT;
  f->options.base_url = admint_fake_ai_get_base_url (f->api);
  f->options.model = "google/nano-banana-pro";
  f->options.api_key = KEY;
  f->options.retry = (AdmintRetryPolicy) { 3, 0.01, 0.02, 120 };
  f->options.request_timeout_seconds = 5;
  f->options.overall_timeout_seconds = 20;
  f->options.poll_interval_seconds = 0.01;
  f->options.poll_interval_max_seconds = 0.02;
  f->options.output_dir = f->out_dir;
  f->options.inputs = f->inputs;
  f->options.options = f->fixed;
  f->options.inline_image_max_bytes = 1000;
  f->options.prices = (AdmintReplicatePrices) { 0.04, 0.5, 0 };
  f->events = g_ptr_array_new_with_free_func (g_free);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->api);
  g_assert_finalize_object (f->files);
  admint_test_rm_rf (f->out_dir);
  g_free (f->out_dir);
  json_object_unref (f->inputs);
  json_object_unref (f->fixed);
  g_ptr_array_unref (f->events);
  g_clear_object (&f->cancel_on_create);
}

static void
on_created (AdmintReplicateClient *client,
            const char            *id,
            const char            *generation_id,
            Fixture               *f)
{
  g_ptr_array_add (f->events, g_strdup_printf ("created %s %s", id, generation_id));
  f->polls_at_create = admint_fake_ai_count_requests (f->api, "GET", "/v1/predictions/");
  if (f->cancel_on_create != NULL)
    g_cancellable_cancel (f->cancel_on_create);
}

static void
on_progress (AdmintReplicateClient *client,
             const char            *id,
             double                 fraction,
             Fixture               *f)
{
  g_ptr_array_add (f->events, g_strdup_printf ("progress %.2f", fraction));
}

static void
on_usage (AdmintReplicateClient *client,
          const char            *provider,
          const char            *model,
          const char            *operation,
          double                 units,
          double                 cost,
          const char            *generation_id,
          Fixture               *f)
{
  g_ptr_array_add (f->events, g_strdup_printf ("usage %s %s %s %g %.3f", provider, model,
                                               operation, units, cost));
}

static AdmintReplicateClient *
make_client (Fixture *f)
{
  AdmintReplicateClient *client = admint_replicate_client_new (NULL, &f->options);

  g_signal_connect (client, "prediction-created", G_CALLBACK (on_created), f);
  g_signal_connect (client, "progress", G_CALLBACK (on_progress), f);
  g_signal_connect (client, "usage", G_CALLBACK (on_usage), f);
  return client;
}

static AdmintPredictionResult *
predict (AdmintReplicateClient  *client,
         AdmintReplicateInput   *input,
         GCancellable           *cancellable,
         GError                **error)
{
  GAsyncResult *result = NULL;

  admint_replicate_client_predict_async (client, input, cancellable, ai_test_store_result,
                                         &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  return admint_replicate_client_predict_finish (client, done, error);
}

static char *
write_file (const char *name,
            gsize       size)
{
  g_autofree char *data = g_malloc (size);
  char *path = g_build_filename (admint_test_get_root (), name, NULL);

  /* A PNG signature so that the content type is guessed as image/png. */
  memset (data, 'x', size);
  memcpy (data, "\x89PNG\r\n\x1a\n", MIN (size, 8));
  g_assert_true (g_file_set_contents (path, data, size, NULL));
  return path;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static AdmintReplicateInput *
image_input (void)
{
  AdmintReplicateInput *input = admint_replicate_input_new ();

  admint_replicate_input_set_string (input, "prompt", "A green bottle on a rock");
  admint_replicate_input_set_string (input, "aspect_ratio", "16:9");
  admint_replicate_input_set_int (input, "seed", 42);
  admint_replicate_input_set_generation_id (input, "gen-7");
  return input;
}

static void
test_predict_image (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = make_client (f);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autofree char *small = write_file ("small.png", 100);
  g_autofree char *large = write_file ("large.png", 5000);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const AdmintFakeRequest *download;

  admint_replicate_input_add_file (input, "input_images", small);
  admint_replicate_input_add_file (input, "input_images", large);
  result = predict (client, input, NULL, &error);
  g_assert_no_error (error);

  /* The id reached the caller before any poll. */
  g_assert_cmpstr (g_ptr_array_index (f->events, 0), ==, "created fakepred2 gen-7");
  g_assert_cmpuint (f->polls_at_create, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (f->events, 1), ==, "progress -1.00");
  g_assert_cmpstr (g_ptr_array_index (f->events, 2), ==, "progress 0.60");
  g_assert_cmpstr (g_ptr_array_index (f->events, f->events->len - 1), ==,
                   "usage replicate google/nano-banana-pro image 1 0.040");

  g_assert_cmpstr (result->id, ==, "fakepred2");
  g_assert_cmpuint (g_strv_length (result->files), ==, 1);
  g_assert_true (g_str_has_prefix (result->files[0], f->out_dir));
  g_assert_true (g_str_has_suffix (result->files[0], "fakepred2-0.png"));
  g_assert_true (g_file_get_contents (result->files[0], &contents, &length, NULL));
  g_assert_cmpmem (contents, length, png_data, PNG_LEN);
  g_assert_cmpuint (count_files (f->out_dir), ==, 1);
  g_assert_cmpfloat (result->predict_time, ==, 4.0);
  g_assert_cmpfloat_with_epsilon (result->cost_usd, 0.04, 1e-9);
  g_assert_cmpstrv (result->dropped_inputs, ((const char * const[]) { "seed", NULL }));

  /* Inputs: mapped to the model's names, checked against its schema, files inline or uploaded. */
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/files"), ==, 1);
  body = admint_fake_ai_request_json (admint_fake_ai_get_request (f->api, "POST",
                                                                  "/v1/models/google/nano-banana-pro/predictions", 0));
  JsonObject *in = json_object_get_object_member (json_node_get_object (body), "input");
  g_assert_cmpstr (json_object_get_string_member (in, "prompt"), ==, "A green bottle on a rock");
  g_assert_cmpstr (json_object_get_string_member (in, "aspect_ratio"), ==, "16:9");
  g_assert_cmpstr (json_object_get_string_member (in, "output_format"), ==, "png");
  g_assert_false (json_object_has_member (in, "seed"));
  JsonArray *images = json_object_get_array_member (in, "image_input");
  g_assert_cmpuint (json_array_get_length (images), ==, 2);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (images, 0),
                                   "data:image/png;base64,"));
  g_assert_true (g_str_has_prefix (json_array_get_string_element (images, 1),
                                   admint_fake_ai_get_origin (f->api)));

  /* The key went to the API and never to the file host. */
  for (guint i = 0; i < admint_fake_ai_get_requests (f->api)->len; i++)
    g_assert_cmpstr (((AdmintFakeRequest *) g_ptr_array_index (admint_fake_ai_get_requests (f->api),
                                                               i))->authorization, ==,
                     "Bearer " KEY);
  download = admint_fake_ai_get_request (f->files, "GET", "/files/out.png", 0);
  g_assert_nonnull (download);
  g_assert_null (download->authorization);
}

/* An output on the API host that redirects to another port: the key goes to the API host and
 * stays behind on the redirect. */
static void
test_redirect_drops_key (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) result = NULL;
  g_autofree char *target = g_strconcat (admint_fake_ai_get_origin (f->files), "/files/out.png",
                                         NULL);
  const AdmintFakeRequest *hop, *download;

  admint_fake_ai_add_model (f->api, "acme/hop", "{\"prompt\":{\"type\":\"string\"}}",
                            (const char * const[]) { "/files/hop.png", NULL });
  admint_fake_ai_push_status (f->api, "GET", "/files/hop.png", 302, "{}", "Location", target,
                              NULL);
  f->options.model = "acme/hop";
  client = make_client (f);
  result = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  hop = admint_fake_ai_get_request (f->api, "GET", "/files/hop.png", 0);
  g_assert_nonnull (hop);
  g_assert_cmpstr (hop->authorization, ==, "Bearer " KEY);
  download = admint_fake_ai_get_request (f->files, "GET", "/files/out.png", 0);
  g_assert_nonnull (download);
  g_assert_null (download->authorization);
}

static void
test_video_version_and_cost (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateInput) input = admint_replicate_input_new ();
  g_autofree char *frame = write_file ("frame.png", 200);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;

  f->options.model = "google/veo-3:v1";
  f->options.kind = "video";
  json_object_remove_member (f->fixed, "output_format");
  json_object_set_boolean_member (f->fixed, "generate_audio", FALSE);
  client = make_client (f);
  admint_replicate_input_set_string (input, "prompt", "Waves");
  admint_replicate_input_set_int (input, "duration", 6);
  admint_replicate_input_set_boolean (input, "audio", TRUE);
  admint_replicate_input_add_file (input, "first_frame", frame);
  result = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (result->files[0], ".mp4"));
  g_assert_cmpfloat_with_epsilon (result->cost_usd, 3.0, 1e-9);  /* 6 s at 0.50 */

  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "GET", "/v1/models/google/veo-3/versions/v1"), ==, 1);
  body = admint_fake_ai_request_json (admint_fake_ai_get_request (f->api, "POST", "/v1/predictions", 0));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "version"), ==, "v1");
  JsonObject *in = json_object_get_object_member (json_node_get_object (body), "input");
  g_assert_true (json_object_get_boolean_member (in, "generate_audio"));
  g_assert_cmpint (json_object_get_int_member (in, "duration"), ==, 6);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (in, "image"), "data:"));
  g_clear_pointer (&result, admint_prediction_result_free);

  /* With a price per second of predict time, metrics.predict_time decides. */
  g_clear_object (&client);
  f->options.prices.per_predict_second = 0.1;
  client = make_client (f);
  result = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (result->cost_usd, 0.4, 1e-9);
  g_assert_cmpstr (g_ptr_array_index (f->events, f->events->len - 1), ==,
                   "usage replicate google/veo-3 video.predict_time 4 0.400");
}

/* No fault ever makes the client create a second prediction, unless the server said 429. A
 * 5xx, 408 or 409 made none here; the client looks (GET /predictions) and fails. */
static void
test_no_duplicate_create (Fixture *f, gconstpointer data)
{
  static const struct { guint status; const char *hdr; const char *val; gssize cut; guint delay;
                        guint creates; gboolean ok; } cases[] = {
    { 500, NULL, NULL, -1, 0, 1, FALSE },
    { 502, NULL, NULL, -1, 0, 1, FALSE },
    { 409, NULL, NULL, -1, 0, 1, FALSE },
    { 408, NULL, NULL, -1, 0, 1, FALSE },
    /* The answer cut short, or not in time: the prediction it made is found by listing the
     * account's predictions and followed (issue 14), never made again. */
    { 0, NULL, NULL, 5, 0, 1, TRUE },
    { 0, NULL, NULL, -1, 1500, 1, TRUE },
    { 429, "retry-after-ms", "5", -1, 0, 2, TRUE },
  };

  f->options.request_timeout_seconds = 0.5;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AdmintReplicateClient) client = make_client (f);
      g_autoptr(AdmintReplicateInput) input = image_input ();
      AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintPredictionResult) result = NULL;

      admint_fake_ai_clear_requests (f->api);
      fault.status = cases[i].status;
      fault.body = cases[i].status ? "{\"detail\":\"boom\"}" : NULL;
      fault.headers[0] = cases[i].hdr;
      fault.headers[1] = cases[i].val;
      fault.cut_at = cases[i].cut;
      fault.delay_ms = cases[i].delay;
      admint_fake_ai_push_fault (f->api, "POST", "/v1/models/google/nano-banana-pro/predictions",
                                 &fault);
      /* A failing poll is retried: it is safe. */
      if (cases[i].ok)
        admint_fake_ai_push_status (f->api, "GET", "/v1/predictions/", 503, "{}", NULL);
      result = predict (client, input, NULL, &error);
      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error ? error->message : "ok");
      g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==,
                        cases[i].creates);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_nonnull (result);
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_null (result);
        }
      /* Let a delayed answer go out before the fault list is reused. */
      ai_test_spin (cases[i].delay ? 1200 : 0);
    }
}

static void
test_prediction_failures (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = make_client (f);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GError) error = NULL;
  AdmintPredictionResult *result;

  admint_fake_ai_set_prediction_plan (f->api, 0, "failed", "CUDA out of memory", 1);
  result = predict (client, input, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (error->message, "CUDA out of memory"));
  g_clear_error (&error);

  admint_fake_ai_set_prediction_plan (f->api, 0, "failed", "The input was flagged as sensitive", 1);
  result = predict (client, input, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED);
  g_clear_error (&error);

  /* Priced by predict time, a failed prediction still costs the time it ran. */
  g_ptr_array_set_size (f->events, 0);
  f->options.prices.per_predict_second = 0.1;
  g_autoptr(AdmintReplicateClient) timed = make_client (f);
  admint_fake_ai_set_prediction_plan (f->api, 0, "failed", "CUDA out of memory", 4);
  result = predict (timed, input, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR);
  g_clear_error (&error);
  g_assert_cmpstr (g_ptr_array_index (f->events, f->events->len - 1), ==,
                   "usage replicate google/nano-banana-pro image.predict_time 4 0.400");
  f->options.prices.per_predict_second = 0;

  f->options.model = "google/no-such-model";
  g_autoptr(AdmintReplicateClient) missing = make_client (f);
  result = predict (missing, input, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "google/no-such-model"));
  g_clear_error (&error);

  f->options.model = "google/nano-banana-pro";
  f->options.api_key = "r8_wrong";
  g_autoptr(AdmintReplicateClient) wrong = make_client (f);
  result = predict (wrong, input, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_AUTHENTICATION);
  g_assert_null (strstr (error->message, "r8_wrong"));
  g_assert_cmpuint (count_files (f->out_dir), ==, 0);
}

/* A bad download is fetched again from the same output URL, never by a new prediction. */
static void
test_download_faults (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateInput) input = image_input ();
  AdmintFakeFault cut = ADMINT_FAKE_FAULT_INIT;
  AdmintFakeFault garbled = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  AdmintPredictionResult *result;
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* Cut short, then garbled bytes served as a PNG: both fetched again, then kept. */
  client = make_client (f);
  cut.cut_at = 7;
  admint_fake_ai_push_fault (f->files, "GET", "/files/", &cut);
  garbled.status = 200;
  garbled.body = "\x89PNG\r\n\x1a\n and then nothing of the rest";
  garbled.content_type = "image/png";
  admint_fake_ai_push_fault (f->files, "GET", "/files/", &garbled);
  result = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (result->files[0], &contents, &length, NULL));
  g_assert_cmpmem (contents, length, png_data, PNG_LEN);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->files, "GET", "/files/"), ==, 3);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
  g_assert_cmpuint (count_files (f->out_dir), ==, 1);
  admint_prediction_result_free (result);
  admint_test_rm_rf (f->out_dir);
  g_assert_cmpint (g_mkdir_with_parents (f->out_dir, 0700), ==, 0);

  /* Bad every time (here: not an image at all): given up after the retries, nothing kept. */
  admint_fake_ai_clear_requests (f->files);
  admint_fake_ai_clear_requests (f->api);
  for (guint i = 0; i <= f->options.retry.max_retries; i++)
    admint_fake_ai_push_status (f->files, "GET", "/files/", 200, "<html>login</html>", NULL);
  result = predict (client, input, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "application/json"));
  g_assert_cmpuint (admint_fake_ai_count_requests (f->files, "GET", "/files/"), ==,
                    f->options.retry.max_retries + 1);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
  g_assert_cmpuint (count_files (f->out_dir), ==, 0);
  g_clear_error (&error);

  /* Over the size cap: not fetched again, it would not shrink. */
  admint_fake_ai_clear_requests (f->files);
  g_clear_object (&client);
  f->options.download_max_bytes = 10;
  client = make_client (f);
  result = predict (client, input, NULL, &error);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "download_max_bytes"));
  g_assert_cmpuint (admint_fake_ai_count_requests (f->files, "GET", "/files/"), ==, 1);
  g_assert_cmpuint (count_files (f->out_dir), ==, 0);
}

/* Trouble following a prediction never makes another one: a slow poll, five 500s in a row, a
 * garbled answer, a 401 and a dropped connection are all waited out, and it is paid once. */
static void
test_poll_trouble (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateInput) input = image_input ();
  AdmintFakeFault slow = ADMINT_FAKE_FAULT_INIT;
  AdmintFakeFault cut = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) result = NULL;
  guint usages = 0;

  f->options.request_timeout_seconds = 0.3;
  client = make_client (f);
  admint_fake_ai_set_prediction_plan (f->api, 2, "succeeded", NULL, 4.0);
  slow.delay_ms = 800;
  admint_fake_ai_push_fault (f->api, "GET", "/v1/predictions/", &slow);
  for (guint i = 0; i < 5; i++)
    admint_fake_ai_push_status (f->api, "GET", "/v1/predictions/", 500, "{}", NULL);
  admint_fake_ai_push_status (f->api, "GET", "/v1/predictions/", 200, "{\"status\": ", NULL);
  admint_fake_ai_push_status (f->api, "GET", "/v1/predictions/", 401,
                              "{\"detail\":\"Invalid token\"}", NULL);
  cut.cut_at = 3;
  admint_fake_ai_push_fault (f->api, "GET", "/v1/predictions/", &cut);
  result = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
  g_assert_null (admint_fake_ai_get_request (f->api, "POST", "/v1/predictions/", 0));
  for (guint i = 0; i < f->events->len; i++)
    usages += g_str_has_prefix (g_ptr_array_index (f->events, i), "usage ");
  g_assert_cmpuint (usages, ==, 1);
  ai_test_spin (600);  /* the slow answer goes out */
}

/* Out of touch until the deadline: reported STILL_RUNNING, not cancelled; resuming it by its
 * id fetches its result without a new prediction. */
static void
test_poll_lost (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) again = NULL;
  AdmintPredictionResult *result;
  GAsyncResult *async = NULL;
  g_auto(GStrv) created = NULL;

  f->options.overall_timeout_seconds = 0.4;
  client = make_client (f);
  for (guint i = 0; i < 200; i++)
    admint_fake_ai_push_status (f->api, "GET", "/v1/predictions/", 503, "{}", NULL);
  result = predict (client, input, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_STILL_RUNNING);
  g_assert_false (admint_ai_error_is_transient (error));
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", NULL), ==, 1);
  g_assert_cmpuint (count_files (f->out_dir), ==, 0);
  created = g_strsplit (g_ptr_array_index (f->events, 0), " ", -1);
  g_assert_cmpstr (created[0], ==, "created");
  g_clear_error (&error);

  /* The service is back. */
  admint_fake_ai_clear_faults (f->api);
  admint_fake_ai_clear_requests (f->api);
  admint_replicate_client_resume_async (client, created[1], "gen-7", NULL, ai_test_store_result,
                                        &async);
  g_autoptr(GAsyncResult) done = ai_test_wait (&async);
  again = admint_replicate_client_resume_finish (client, done, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id, ==, created[1]);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", NULL), ==, 0);
}

static void
check_cancelled (Fixture                *f,
                 AdmintPredictionResult *result,
                 GError                 *error)
{
  const AdmintFakeRequest *cancel;

  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
  cancel = admint_fake_ai_get_request (f->api, "POST", "/v1/predictions/", 0);
  g_assert_nonnull (cancel);
  g_assert_true (g_str_has_suffix (cancel->path, "/cancel"));
  g_assert_cmpuint (count_files (f->out_dir), ==, 0);
}

/* Cancels once the fake server has received a request to PATH: the phase under test has
 * surely begun, however slow the machine is. */
typedef struct {
  AdmintFakeAi *server;
  const char   *method;
  const char   *path;
  GCancellable *cancellable;
} CancelWhenSeen;

static gboolean
cancel_when_seen (gpointer user_data)
{
  CancelWhenSeen *w = user_data;

  if (admint_fake_ai_count_requests (w->server, w->method, w->path) == 0)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (w->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_in_create (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = make_client (f);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AdmintFakeFault slow = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  AdmintPredictionResult *result;

  /* The caller cancels while the create is on its way: its answer is awaited, then cancelled. */
  slow.delay_ms = 300;
  admint_fake_ai_push_fault (f->api, "POST", "/v1/models/", &slow);
  CancelWhenSeen w = { f->api, "POST", "/v1/models/", cancellable };
  g_timeout_add (5, cancel_when_seen, &w);
  result = predict (client, input, cancellable, &error);
  check_cancelled (f, result, error);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "GET", "/v1/predictions/"), ==, 0);
}

static void
test_cancel_in_poll (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = make_client (f);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GError) error = NULL;
  AdmintPredictionResult *result;

  f->cancel_on_create = g_cancellable_new ();
  admint_fake_ai_set_prediction_plan (f->api, 1000, "succeeded", NULL, 1);
  result = predict (client, input, f->cancel_on_create, &error);
  check_cancelled (f, result, error);
}

static void
test_cancel_in_download (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = make_client (f);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AdmintFakeFault stall = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  AdmintPredictionResult *result;

  /* The file host sends half the file and stalls; the caller gives up. */
  stall.cut_at = 8;
  stall.stall = TRUE;
  admint_fake_ai_push_fault (f->files, "GET", "/files/", &stall);
  admint_fake_ai_set_prediction_plan (f->api, 0, "succeeded", NULL, 1);
  CancelWhenSeen w = { f->files, "GET", "/files/", cancellable };
  g_timeout_add (5, cancel_when_seen, &w);
  result = predict (client, input, cancellable, &error);
  check_cancelled (f, result, error);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->files, "GET", "/files/"), ==, 1);
}

static void
test_overall_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GError) error = NULL;
  AdmintPredictionResult *result;

  f->options.overall_timeout_seconds = 0.2;
  client = make_client (f);
  admint_fake_ai_set_prediction_plan (f->api, 1000, "succeeded", NULL, 1);
  result = predict (client, input, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT);
  g_assert_nonnull (admint_fake_ai_get_request (f->api, "POST", "/v1/predictions/", 0));
}

/* A create answer slower than the prediction's whole allowed time does not use that time up:
 * the prediction is followed from its answer on and finishes, never cancelled before its first
 * poll and made again (a sanitized build under load made a fourth clip that way). */
static void
test_slow_create_answer (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) result = NULL;
  AdmintFakeFault slow = ADMINT_FAKE_FAULT_INIT;

  f->options.overall_timeout_seconds = 0.3;
  client = make_client (f);
  slow.delay_ms = 900;
  admint_fake_ai_push_fault (f->api, "POST", "/v1/models/", &slow);
  admint_fake_ai_set_prediction_plan (f->api, 2, "succeeded", NULL, 1);
  result = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/predictions/"), ==, 0);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "GET", "/v1/predictions/"), >=, 1);
}

static void
test_resume (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = make_client (f);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) first = NULL;
  g_autoptr(AdmintPredictionResult) again = NULL;
  GAsyncResult *result = NULL;

  first = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (first->files[0]), ==, 0);

  admint_fake_ai_clear_requests (f->api);
  admint_replicate_client_resume_async (client, first->id, "gen-7", NULL, ai_test_store_result,
                                        &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  again = admint_replicate_client_resume_finish (client, done, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id, ==, first->id);
  g_assert_true (g_file_test (again->files[0], G_FILE_TEST_EXISTS));
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", NULL), ==, 0);
}

/* A resumed clip is costed at the length it was asked for, not providers.video.clip_seconds. */
static void
test_resume_video_cost (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintReplicateClient) client = NULL;
  g_autoptr(AdmintReplicateClient) later = NULL;
  g_autoptr(AdmintReplicateInput) input = admint_replicate_input_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) first = NULL;
  g_autoptr(AdmintPredictionResult) again = NULL;
  GAsyncResult *result = NULL;

  f->options.model = "google/veo-3";
  f->options.kind = "video";
  f->options.clip_seconds = 8;
  json_object_set_string_member (f->inputs, "duration", "duration");
  client = make_client (f);
  admint_replicate_input_set_string (input, "prompt", "Waves");
  admint_replicate_input_set_int (input, "duration", 6);
  first = predict (client, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (first->cost_usd, 3.0, 1e-9);

  later = make_client (f);  /* another process: it never saw the input */
  admint_replicate_client_resume_async (later, first->id, "gen-7", NULL, ai_test_store_result,
                                        &result);
  g_autoptr(GAsyncResult) done = ai_test_wait (&result);
  again = admint_replicate_client_resume_finish (later, done, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (again->cost_usd, 3.0, 1e-9);  /* 6 s at 0.50, not 8 s */
  g_assert_cmpstr (g_ptr_array_index (f->events, f->events->len - 1), ==,
                   "usage replicate google/veo-3 video 6 3.000");
}

static guint
count_listings (AdmintFakeAi *api)
{
  GPtrArray *requests = admint_fake_ai_get_requests (api);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      const AdmintFakeRequest *r = g_ptr_array_index (requests, i);
      if (g_str_equal (r->method, "GET") && g_str_equal (r->path, "/v1/predictions"))
        n++;
    }
  return n;
}

/* Issue 14: the answer to a create cut off on the way. The prediction it made is followed:
 * found by its id when the cut came after it, else by listing the account's predictions (a
 * page at a time, past others made just before), never made again. */
static void
test_lost_create_answer (Fixture *f, gconstpointer data)
{
  static const char *others[] = { "A red kite", "A blue boat", "A grey owl" };
  static const struct { gssize cut; guint listings; } cases[] = {
    { 12, 2 },   /* {"id":"fakep: the id did not arrive whole; both pages of 2 are read */
    { 60, 0 },   /* the id arrived whole */
  };

  admint_fake_ai_set_list_page_size (f->api, 2);
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(AdmintReplicateClient) client = make_client (f);
      g_autoptr(AdmintReplicateInput) input = admint_replicate_input_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintPredictionResult) result = NULL;

      admint_replicate_input_set_string (input, "prompt", others[i]);
      result = predict (client, input, NULL, &error);
      g_assert_no_error (error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AdmintReplicateClient) client = make_client (f);
      g_autoptr(AdmintReplicateInput) input = image_input ();
      g_autofree char *prompt = g_strdup_printf ("A green bottle, take %" G_GSIZE_FORMAT, i);
      AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;
      g_autoptr(GError) error = NULL;
      g_autoptr(AdmintPredictionResult) result = NULL;

      admint_replicate_input_set_string (input, "prompt", prompt);
      admint_fake_ai_clear_requests (f->api);
      fault.cut_at = cases[i].cut;
      admint_fake_ai_push_fault (f->api, "POST", "/v1/models/", &fault);
      result = predict (client, input, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_assert_true (g_file_test (result->files[0], G_FILE_TEST_IS_REGULAR));
      /* Exactly one prediction for it, the one followed. */
      g_assert_cmpuint (admint_fake_ai_count_predictions (f->api, prompt), ==, 1);
      g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 1);
      g_assert_cmpuint (count_listings (f->api), ==, cases[i].listings);
      g_assert_cmpstr (g_ptr_array_index (f->events, f->events->len - 1), ==,
                       "usage replicate google/nano-banana-pro image 1 0.040");
    }
  /* Three others and two takes: the listing was read across its pages (2 a page). */
  g_assert_cmpuint (admint_fake_ai_count_predictions (f->api, NULL), ==, 5);
}

static AdmintStore *
open_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (admint_test_get_root (), name, "admint.db", NULL);
  AdmintStore *store = admint_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* Issue 14: a create whose answer never came, and whose prediction could not be looked for
 * then (the listing failed too), is looked for by the next attempt (here another client on the
 * same store, as a resumed process) before it makes another: it follows the one that exists. */
static void
test_lost_create_next_attempt (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintStore) store = open_store ("lost-create");
  g_autoptr(GError) error = NULL;
  g_autofree char *generation = admint_store_create_generation (store, "an ad", NULL, NULL, NULL,
                                                                &error);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;
  g_autoptr(AdmintPredictionResult) result = NULL;
  g_autofree char *created = NULL;

  g_assert_no_error (error);
  admint_replicate_input_set_generation_id (input, generation);
  f->options.request_timeout_seconds = 0.5;
  {
    g_autoptr(AdmintReplicateClient) first = make_client (f);

    admint_replicate_client_set_store (first, store);
    fault.delay_ms = 2000;   /* made at once, answered too late */
    admint_fake_ai_push_fault (f->api, "POST", "/v1/models/", &fault);
    for (guint i = 0; i < 4; i++)
      admint_fake_ai_push_status (f->api, "GET", "/v1/predictions", 503, "{}", NULL);
    result = predict (first, input, NULL, &error);
    g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT);
    g_assert_null (result);
    g_clear_error (&error);
  }
  g_assert_cmpuint (admint_fake_ai_count_predictions (f->api, "A green bottle"), ==, 1);
  ai_test_spin (1700);   /* the late answer goes out to nobody */
  admint_fake_ai_clear_faults (f->api);
  admint_fake_ai_clear_requests (f->api);
  g_ptr_array_set_size (f->events, 0);

  {
    g_autoptr(AdmintReplicateClient) next = make_client (f);

    admint_replicate_client_set_store (next, store);
    result = predict (next, input, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, "POST", "/v1/models/"), ==, 0);
  g_assert_cmpuint (count_listings (f->api), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_predictions (f->api, "A green bottle"), ==, 1);
  created = g_strdup_printf ("created %s %s", result->id, generation);
  g_assert_cmpstr (g_ptr_array_index (f->events, 0), ==, created);
  g_assert_cmpfloat_with_epsilon (admint_store_get_generation_cost (store, generation, NULL),
                                  0.04, 1e-9);

  /* Settled: a later, new prediction of the same input is made without looking. */
  {
    g_autoptr(AdmintReplicateClient) later = make_client (f);
    g_autoptr(AdmintPredictionResult) again = NULL;

    admint_replicate_client_set_store (later, store);
    admint_fake_ai_clear_requests (f->api);
    again = predict (later, input, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again->id, !=, result->id);
    g_assert_cmpuint (count_listings (f->api), ==, 0);
  }
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Issue 14: a prediction downloaded (and counted) just before a kill is not followed again on
 * resume: its files are used, nothing is fetched, its cost is not recorded a second time. */
static void
test_downloaded_not_again (Fixture *f, gconstpointer data)
{
  g_autoptr(AdmintStore) store = open_store ("downloaded");
  g_autoptr(GError) error = NULL;
  g_autofree char *generation = admint_store_create_generation (store, "an ad", NULL, NULL, NULL,
                                                                &error);
  g_autoptr(AdmintReplicateInput) input = image_input ();
  g_autoptr(AdmintPredictionResult) first = NULL;
  g_autoptr(AdmintPredictionResult) again = NULL;
  GAsyncResult *result = NULL;

  g_assert_no_error (error);
  admint_replicate_input_set_generation_id (input, generation);
  {
    g_autoptr(AdmintReplicateClient) client = make_client (f);

    admint_replicate_client_set_store (client, store);
    first = predict (client, input, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpfloat_with_epsilon (admint_store_get_generation_cost (store, generation, NULL),
                                  0.04, 1e-9);
  admint_fake_ai_clear_requests (f->api);
  admint_fake_ai_clear_requests (f->files);
  g_ptr_array_set_size (f->events, 0);
  {
    g_autoptr(AdmintReplicateClient) resumed = make_client (f);

    admint_replicate_client_set_store (resumed, store);
    admint_replicate_client_resume_async (resumed, first->id, generation, NULL,
                                          ai_test_store_result, &result);
    g_autoptr(GAsyncResult) done = ai_test_wait (&result);
    again = admint_replicate_client_resume_finish (resumed, done, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (again->id, ==, first->id);
  g_assert_cmpstr (again->files[0], ==, first->files[0]);
  g_assert_cmpfloat_with_epsilon (again->cost_usd, 0.04, 1e-9);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->api, NULL, "/"), ==, 0);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->files, NULL, "/"), ==, 0);
  g_assert_cmpuint (f->events->len, ==, 0);
  g_assert_cmpfloat_with_epsilon (admint_store_get_generation_cost (store, generation, NULL),
                                  0.04, 1e-9);

  /* Its file gone, it is followed and fetched again, and still counted once. */
  g_assert_cmpint (g_unlink (first->files[0]), ==, 0);
  g_clear_pointer (&again, admint_prediction_result_free);
  {
    g_autoptr(AdmintReplicateClient) resumed = make_client (f);

    admint_replicate_client_set_store (resumed, store);
    admint_replicate_client_resume_async (resumed, first->id, generation, NULL,
                                          ai_test_store_result, &result);
    g_autoptr(GAsyncResult) done = ai_test_wait (&result);
    again = admint_replicate_client_resume_finish (resumed, done, &error);
    g_assert_no_error (error);
  }
  g_assert_true (g_file_test (again->files[0], G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (admint_fake_ai_count_requests (f->files, "GET", "/files/out.png"), ==, 1);
  g_assert_cmpfloat_with_epsilon (admint_store_get_generation_cost (store, generation, NULL),
                                  0.04, 1e-9);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_progress_parse (void)
{
  g_assert_cmpfloat (admint_replicate_parse_progress (NULL), ==, -1);
  g_assert_cmpfloat (admint_replicate_parse_progress ("loading weights\n"), ==, -1);
  g_assert_cmpfloat (admint_replicate_parse_progress (" 5%|▌ | 1/20\n 45%|████▌ | 9/20"), ==, 0.45);
  g_assert_cmpfloat (admint_replicate_parse_progress ("100%|██████████| 20/20"), ==, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  admint_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/ai/replicate/predict-image", test_predict_image);
  ADD ("/ai/replicate/redirect-drops-key", test_redirect_drops_key);
  ADD ("/ai/replicate/video-version-cost", test_video_version_and_cost);
  ADD ("/ai/replicate/no-duplicate-create", test_no_duplicate_create);
  ADD ("/ai/replicate/failures", test_prediction_failures);
  ADD ("/ai/replicate/download-faults", test_download_faults);
  ADD ("/ai/replicate/poll-trouble", test_poll_trouble);
  ADD ("/ai/replicate/poll-lost", test_poll_lost);
  ADD ("/ai/replicate/cancel-create", test_cancel_in_create);
  ADD ("/ai/replicate/cancel-poll", test_cancel_in_poll);
  ADD ("/ai/replicate/cancel-download", test_cancel_in_download);
  ADD ("/ai/replicate/overall-timeout", test_overall_timeout);
  ADD ("/ai/replicate/slow-create-answer", test_slow_create_answer);
  ADD ("/ai/replicate/resume", test_resume);
  ADD ("/ai/replicate/resume-video-cost", test_resume_video_cost);
  ADD ("/ai/replicate/lost-create-answer", test_lost_create_answer);
  ADD ("/ai/replicate/lost-create-next-attempt", test_lost_create_next_attempt);
  ADD ("/ai/replicate/downloaded-not-again", test_downloaded_not_again);
  g_test_add_func ("/ai/replicate/progress-parse", test_progress_parse);
  return g_test_run ();
}
