/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the music bed from a Replicate music model, through the fake server: one prediction,
 * one usage row, a kept bed never fetched or paid for again, a stopped run followed instead of
 * made again, a create whose answer was lost found and followed (now or by the next run), and
 * a download that does not decode fetched again from the same prediction. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-ai-error.h"
#include "admint-error.h"
#include "admint-fake-ai.h"
#include "admint-media.h"
#include "admint-music-replicate.h"
#include "admint-provider-factory.h"
#include "admint-store.h"
#include "admint-test-util.h"
#include "ai-test-util.h"
#include "audio-test-util.h"

#define CREATE "/v1/models/meta/musicgen/predictions"
#define TOKEN "r8-music-token"
#define PER_SECOND 0.003

typedef struct {
  AdmintFakeAi *fake;
  AdmintStore  *store;
  char         *generation;
  char         *dir;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  static guint n;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->fake = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_defaults (f->fake);
  admint_fake_ai_set_api_key (f->fake, TOKEN);
  admint_fake_ai_set_prediction_plan (f->fake, 1, "succeeded", NULL, 4.0);
  db = g_strdup_printf ("%s/music-%u.db", admint_test_get_root (), ++n);
  f->store = admint_store_open (db, &error);
  g_assert_no_error (error);
  f->generation = admint_store_create_generation (f->store, "30-second ad for a spa", "aida",
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  f->dir = g_strdup_printf ("%s/music-%u/sound", admint_test_get_root (), n);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->fake);
  g_clear_object (&f->store);
  g_free (f->generation);
  g_free (f->dir);
}

static AdmintMusicReplicate *
make_music_of (Fixture    *f,
               const char *model)
{
  AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;

  options.base_url = admint_fake_ai_get_base_url (f->fake);
  options.model = model;
  options.api_key = TOKEN;
  options.kind = "music";
  options.poll_interval_seconds = 0.01;
  options.poll_interval_max_seconds = 0.05;
  options.overall_timeout_seconds = 60;
  options.retry.max_retries = 2;
  options.retry.backoff_initial_seconds = 0.01;
  options.retry.backoff_max_seconds = 0.02;
  options.prices.per_second = PER_SECOND;
  return admint_music_replicate_new (&options, f->store);
}

static AdmintMusicReplicate *
make_music (Fixture *f)
{
  return make_music_of (f, "meta/musicgen");
}

static AdmintMusicRequest
request_for (Fixture *f)
{
  return (AdmintMusicRequest) {
    .dir = f->dir, .generation_id = f->generation, .mood = ADMINT_MOOD_CALM,
    .duration = 6.4, .tempo = 80, .seed = 7,
  };
}

static char *
fetch (Fixture               *f,
       AdmintMusicReplicate  *music,
       GCancellable          *cancellable,
       double                *cost,
       GError               **error)
{
  AdmintMusicRequest request = request_for (f);
  g_autoptr(GAsyncResult) result = NULL;

  admint_music_replicate_fetch_async (music, &request, cancellable, audio_test_done, &result);
  audio_test_wait (&result);
  return admint_music_replicate_fetch_finish (music, result, cost, error);
}

/* The rows of `usage` with operation "music". */
static guint
music_rows (Fixture *f,
            double  *cost)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) gen = admint_store_get_generation (f->store, f->generation, &error);
  JsonArray *usage;
  guint n = 0;

  g_assert_no_error (error);
  usage = json_object_get_array_member (json_node_get_object (gen), "usage");
  *cost = 0;
  for (guint i = 0; i < json_array_get_length (usage); i++)
    {
      JsonObject *row = json_array_get_object_element (usage, i);

      if (!g_str_equal (json_object_get_string_member (row, "operation"), "music"))
        continue;
      g_assert_cmpstr (json_object_get_string_member (row, "provider"), ==, "replicate");
      g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, "meta/musicgen");
      *cost += json_object_get_double_member (row, "cost_usd");
      n++;
    }
  return n;
}

/* The bed decodes, is at least the ad's length (whole seconds asked) and is the fake's. */
static void
assert_fake_bed (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintAudio) audio = admint_music_load (path, NULL, &error);
  double seconds;

  g_assert_no_error (error);
  seconds = (double) audio->n_frames / audio->rate;
  g_assert_cmpfloat (fabs (seconds - 7.0), <, 0.05);
  g_assert_cmpfloat (audio_test_tone_level (audio, ADMINT_FAKE_MUSIC_HZ, 1, 2), >, 0.1);
}

static guint
downloads (Fixture *f)
{
  return admint_fake_ai_count_requests (f->fake, "GET", "/files/music-");
}

static void
test_fetch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AdmintMusicReplicate) music = make_music (f);
  g_autoptr(AdmintMusicReplicate) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *second = NULL, *kept = NULL, *body = NULL;
  g_autoptr(JsonNode) sent = NULL;
  JsonObject *input;
  AdmintMusicRequest request = request_for (f);
  double cost = -1, rows_cost;

  path = fetch (f, music, NULL, &cost, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, f->dir));
  assert_fake_bed (path);

  /* One prediction, asked for the mood, the tempo and the ad's length in whole seconds. */
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 1);
  sent = admint_fake_ai_request_json (admint_fake_ai_get_request (f->fake, "POST", CREATE, 0));
  input = json_object_get_object_member (json_node_get_object (sent), "input");
  g_assert_nonnull (strstr (json_object_get_string_member (input, "prompt"), "calm"));
  g_assert_nonnull (strstr (json_object_get_string_member (input, "prompt"), "80 BPM"));
  g_assert_cmpint (json_object_get_int_member (input, "duration"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (input, "seed"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (input, "output_format"), ==, "wav");
  g_assert_cmpuint (downloads (f), ==, 1);

  /* Its cost once in `usage`: 7 seconds of music. */
  g_assert_cmpfloat_with_epsilon (cost, 7 * PER_SECOND, 1e-9);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
  g_assert_cmpfloat_with_epsilon (rows_cost, 7 * PER_SECOND, 1e-9);

  /* Kept: found without the network, and a new provider asks nobody and pays nothing. */
  kept = admint_music_replicate_lookup_kept (music, &request);
  g_assert_cmpstr (kept, ==, path);
  admint_fake_ai_clear_requests (f->fake);
  again = make_music (f);
  second = fetch (f, again, NULL, &cost, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, path);
  g_assert_cmpfloat (cost, ==, 0);
  g_assert_cmpuint (admint_fake_ai_get_requests (f->fake)->len, ==, 0);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);

  /* Another model's, or another ad length's, is another bed. */
  {
    g_autoptr(AdmintMusicReplicate) other = make_music_of (f, "someone/other-music");
    g_assert_null (admint_music_replicate_lookup_kept (other, &request));
  }
  request.duration = 9;
  g_assert_null (admint_music_replicate_lookup_kept (music, &request));
}

static gboolean
record_has_prediction (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, ADMINT_MUSIC_REPLICATE_RECORD, NULL);
  g_autofree char *text = NULL;

  return g_file_get_contents (path, &text, NULL, NULL) && strstr (text, "prediction_id");
}

/* A run stopped once the prediction was created (cancelled, and the cancel lost, so the
 * prediction runs on as after a kill): the next run follows it, never makes another. */
static void
test_follow_after_stop (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AdmintMusicReplicate) music = make_music (f);
  g_autoptr(AdmintMusicReplicate) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;
  AdmintMusicRequest request = request_for (f);
  double cost, rows_cost;

  admint_fake_ai_set_prediction_latency (f->fake, 60);
  for (guint i = 0; i < 4; i++)
    admint_fake_ai_push_status (f->fake, "POST", "/v1/predictions/", 503,
                                "{\"detail\":\"unavailable\"}", NULL);
  admint_music_replicate_fetch_async (music, &request, cancellable, audio_test_done, &result);
  while (!record_has_prediction (f->dir))
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  audio_test_wait (&result);
  g_assert_null (admint_music_replicate_fetch_finish (music, result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 1);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 0);
  g_assert_null (admint_music_replicate_lookup_kept (music, &request));

  /* The model is done at last; a new process follows the same prediction. */
  admint_fake_ai_clear_faults (f->fake);
  admint_fake_ai_set_prediction_latency (f->fake, 0);
  admint_fake_ai_finish_predictions (f->fake);
  resumed = make_music (f);
  path = fetch (f, resumed, NULL, &cost, &error);
  g_assert_no_error (error);
  assert_fake_bed (path);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "GET", "/v1/predictions/fakepred1"),
                    >=, 1);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
  g_assert_cmpfloat_with_epsilon (rows_cost, 7 * PER_SECOND, 1e-9);
}

/* A download that is not sound (an error page) and one that looks like a WAV but does not
 * decode are both fetched again from the same prediction: one prediction, one usage row. */
static void
test_garbled_download (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(AdmintMusicReplicate) music = make_music (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDir) dir = NULL;
  AdmintFakeFault page = ADMINT_FAKE_FAULT_INIT;
  AdmintFakeFault garbled = ADMINT_FAKE_FAULT_INIT;
  const char *name;
  double cost, rows_cost;
  guint files = 0;

  /* A status of its own: the fault's body is then the whole answer. */
  page.status = 200;
  page.body = "<html>Service busy</html>";
  page.content_type = "audio/wav";
  garbled.status = 200;
  garbled.body = "RIFF????WAVEnot a format chunk, nor data: bytes that no decoder can read";
  garbled.content_type = "audio/wav";
  admint_fake_ai_push_fault (f->fake, "GET", "/files/music-", &page);
  admint_fake_ai_push_fault (f->fake, "GET", "/files/music-", &garbled);

  path = fetch (f, music, NULL, &cost, &error);
  g_assert_no_error (error);
  assert_fake_bed (path);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 1);
  g_assert_cmpuint (downloads (f), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (admint_fake_ai_get_request (f->fake, "GET", "/files/music-", i)->path, ==,
                     "/files/music-fakepred1.wav");
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
  g_assert_cmpfloat_with_epsilon (rows_cost, 7 * PER_SECOND, 1e-9);

  /* Nothing but the bed and its record is left in the folder. */
  dir = g_dir_open (f->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_true (g_str_equal (name, ADMINT_MUSIC_REPLICATE_RECORD) ||
                     g_str_has_prefix (name, "fakepred1"));
      files++;
    }
  g_assert_cmpuint (files, ==, 2);
}

/* A model that only ever makes files that do not decode: a clear error after a few downloads
 * of the same prediction, never a second prediction. The prediction succeeded at the service,
 * so it was paid for: its cost is in `usage` once, however many times it was downloaded. */
static void
test_never_decodes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AdmintMusicReplicate) music = make_music (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  AdmintFakeFault garbled = ADMINT_FAKE_FAULT_INIT;
  double rows_cost;

  garbled.status = 200;
  garbled.body = "RIFF????WAVEjunk";
  garbled.content_type = "audio/wav";
  for (guint i = 0; i < 10; i++)
    admint_fake_ai_push_fault (f->fake, "GET", "/files/music-", &garbled);
  path = fetch (f, music, NULL, NULL, &error);
  g_assert_null (path);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "fakepred1"));
  g_assert_nonnull (strstr (error->message, "providers.music.model"));
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 1);
  g_assert_cmpuint (downloads (f), ==, 3);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
  g_assert_cmpfloat_with_epsilon (rows_cost, 7 * PER_SECOND, 1e-9);
}

/* Sets "recorded" in the record in F->dir to VALUE, as a run stopped before it said so left it. */
static void
set_recorded (Fixture  *f,
              gboolean  value)
{
  g_autofree char *path = g_build_filename (f->dir, ADMINT_MUSIC_REPLICATE_RECORD, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  json_object_set_boolean_member (json_node_get_object (json_parser_get_root (parser)),
                                  "recorded", value);
  json_generator_set_root (gen, json_parser_get_root (parser));
  json_generator_to_file (gen, path, &error);
  g_assert_no_error (error);
}

/* Runs stopped between the steps after the download: the cost is in `usage` exactly once, and a
 * kept bed that went missing comes again from the same prediction, not paid for again. */
static void
test_recovery (Fixture       *f,
               gconstpointer  data)
{
  AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;
  g_autoptr(AdmintMusicReplicate) unstored = NULL;
  g_autoptr(AdmintMusicReplicate) music = make_music (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *again = NULL, *third = NULL;
  double cost, rows_cost;

  /* Kept, stopped before the cost was recorded: the next run records it, once. */
  options.base_url = admint_fake_ai_get_base_url (f->fake);
  options.model = "meta/musicgen";
  options.api_key = TOKEN;
  options.poll_interval_seconds = 0.01;
  options.prices.per_second = PER_SECOND;
  unstored = admint_music_replicate_new (&options, NULL);
  path = fetch (f, unstored, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 0);
  set_recorded (f, FALSE);
  admint_fake_ai_clear_requests (f->fake);
  again = fetch (f, music, NULL, &cost, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, path);
  g_assert_cmpuint (admint_fake_ai_get_requests (f->fake)->len, ==, 0);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
  g_assert_cmpfloat_with_epsilon (cost, 7 * PER_SECOND, 1e-9);

  /* Recorded, stopped before the record said so: not recorded twice. */
  set_recorded (f, FALSE);
  g_clear_pointer (&again, g_free);
  again = fetch (f, music, NULL, &cost, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (cost, ==, 0);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);

  /* The kept file is gone: downloaded again from the same prediction, nothing paid again. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  admint_fake_ai_clear_requests (f->fake);
  third = fetch (f, music, NULL, &cost, &error);
  g_assert_no_error (error);
  assert_fake_bed (third);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 0);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "GET", "/v1/predictions/fakepred1"),
                    >=, 1);
  g_assert_cmpuint (downloads (f), ==, 1);
  g_assert_cmpfloat (cost, ==, 0);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
}

/* The listings of the account's predictions read (GET /v1/predictions, first pages). */
static guint
listings (Fixture *f)
{
  GPtrArray *requests = admint_fake_ai_get_requests (f->fake);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      const AdmintFakeRequest *r = g_ptr_array_index (requests, i);
      if (g_str_equal (r->method, "GET") && g_str_equal (r->path, "/v1/predictions"))
        n++;
    }
  return n;
}

/* Issue 14 for the bed: the answer to its create is cut off on the way, before its id arrived
 * whole (the prediction is then found in the account's list by model, input and time) or after
 * (it names the prediction). Either way the one prediction made is followed: one create, one
 * usage row, and the record names it. */
static void
test_lost_create_answer (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AdmintMusicReplicate) music = make_music (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  AdmintFakeFault fault = ADMINT_FAKE_FAULT_INIT;
  gssize cut = GPOINTER_TO_INT (data);
  double cost, rows_cost;

  fault.cut_at = cut;
  admint_fake_ai_push_fault (f->fake, "POST", CREATE, &fault);
  path = fetch (f, music, NULL, &cost, &error);
  g_assert_no_error (error);
  assert_fake_bed (path);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_predictions (f->fake, "Instrumental"), ==, 1);
  /* Cut inside the id: looked up in the list; the id whole: no need. */
  g_assert_cmpuint (listings (f), ==, cut < 20 ? 1 : 0);
  g_assert_true (record_has_prediction (f->dir));
  g_assert_cmpfloat_with_epsilon (cost, 7 * PER_SECOND, 1e-9);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
  g_assert_cmpfloat_with_epsilon (rows_cost, 7 * PER_SECOND, 1e-9);
}

/* Issue 14 for the bed: a create made at once but answered too late (as when the process dies
 * with the answer on its way), and the list of predictions unreadable then, so that the run
 * fails knowing nothing of it. The next run (a new provider on the same store, as after a
 * restart) looks for it before making another, finds it and follows it: still one prediction,
 * one usage row. */
static void
test_lost_create_next_run (Fixture       *f,
                           gconstpointer  data)
{
  AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;
  g_autoptr(AdmintMusicReplicate) first = NULL;
  g_autoptr(AdmintMusicReplicate) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *lost = NULL;
  AdmintFakeFault late = ADMINT_FAKE_FAULT_INIT;
  double cost, rows_cost;

  options.base_url = admint_fake_ai_get_base_url (f->fake);
  options.model = "meta/musicgen";
  options.api_key = TOKEN;
  options.poll_interval_seconds = 0.01;
  options.poll_interval_max_seconds = 0.05;
  options.request_timeout_seconds = 0.5;
  options.retry.max_retries = 2;
  options.retry.backoff_initial_seconds = 0.01;
  options.retry.backoff_max_seconds = 0.02;
  options.prices.per_second = PER_SECOND;
  first = admint_music_replicate_new (&options, f->store);
  late.delay_ms = 2000;
  admint_fake_ai_push_fault (f->fake, "POST", CREATE, &late);
  for (guint i = 0; i < 4; i++)
    admint_fake_ai_push_status (f->fake, "GET", "/v1/predictions", 503, "{}", NULL);
  lost = fetch (f, first, NULL, NULL, &error);
  g_assert_null (lost);
  g_assert_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT);
  g_clear_error (&error);
  g_assert_false (record_has_prediction (f->dir));
  g_assert_cmpuint (admint_fake_ai_count_predictions (f->fake, "Instrumental"), ==, 1);
  ai_test_spin (1700);   /* the late answer goes out to nobody */
  admint_fake_ai_clear_faults (f->fake);
  admint_fake_ai_clear_requests (f->fake);

  next = make_music (f);
  path = fetch (f, next, NULL, &cost, &error);
  g_assert_no_error (error);
  assert_fake_bed (path);
  g_assert_cmpuint (admint_fake_ai_count_requests (f->fake, "POST", CREATE), ==, 0);
  g_assert_cmpuint (listings (f), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_predictions (f->fake, "Instrumental"), ==, 1);
  g_assert_true (record_has_prediction (f->dir));
  g_assert_cmpfloat_with_epsilon (cost, 7 * PER_SECOND, 1e-9);
  g_assert_cmpuint (music_rows (f, &rows_cost), ==, 1);
  g_assert_cmpfloat_with_epsilon (rows_cost, 7 * PER_SECOND, 1e-9);
}

/* The factory: replicate with a token gives the provider; local and none give none; the
 * config accepts the keys. */
static void
test_factory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintConfig) config = admint_config_load (NULL, &error);
  g_autoptr(AdmintMusicReplicate) music = NULL;

  g_assert_no_error (error);
  g_assert_null (admint_provider_music_new (config, NULL, &error));
  g_assert_no_error (error);
  admint_config_set_override (config, "providers.music.provider", "replicate", &error);
  g_assert_no_error (error);
  g_setenv ("REPLICATE_API_TOKEN", TOKEN, TRUE);
  music = admint_provider_music_new (config, NULL, &error);
  g_unsetenv ("REPLICATE_API_TOKEN");
  g_assert_no_error (error);
  g_assert_cmpstr (admint_music_replicate_get_model (music), ==, "meta/musicgen");
  admint_config_set_override (config, "providers.music.provider", "none", &error);
  g_assert_no_error (error);
  g_assert_null (admint_provider_music_new (config, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  admint_test_init (&argc, &argv);
  admint_media_init ();

  g_test_add ("/music-replicate/fetch", Fixture, NULL, setup, test_fetch, teardown);
  g_test_add ("/music-replicate/follow-after-stop", Fixture, NULL, setup, test_follow_after_stop,
              teardown);
  g_test_add ("/music-replicate/garbled-download", Fixture, NULL, setup, test_garbled_download,
              teardown);
  g_test_add ("/music-replicate/never-decodes", Fixture, NULL, setup, test_never_decodes,
              teardown);
  g_test_add ("/music-replicate/recovery", Fixture, NULL, setup, test_recovery, teardown);
  /* {"id":"fakep: cut inside the id; 60 bytes: the id came whole. */
  g_test_add ("/music-replicate/lost-create-answer/id-cut", Fixture, GINT_TO_POINTER (12), setup,
              test_lost_create_answer, teardown);
  g_test_add ("/music-replicate/lost-create-answer/id-whole", Fixture, GINT_TO_POINTER (60),
              setup, test_lost_create_answer, teardown);
  g_test_add ("/music-replicate/lost-create-next-run", Fixture, NULL, setup,
              test_lost_create_next_run, teardown);
  g_test_add_func ("/music-replicate/factory", test_factory);
  return g_test_run ();
}
