/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole generations with providers.music.provider: replicate, through the fake server: the bed
 * the music model made is under the voice in the finished ad (ducking measured on the file), one
 * prediction and one usage row; killed once the prediction was created, the resumed run follows
 * it and makes none. */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include "admint-audio.h"
#include "admint-fake-ai.h"
#include "admint-media.h"
#include "admint-music-replicate.h"
#include "admint-test-util.h"
#include "audio-test-util.h"
#include "pipeline-test-util.h"

#define CREATE "/v1/models/meta/musicgen/predictions"
#define POLL "/v1/predictions/"
#define TOKEN "r8-test-token"
/* The fake voice's second harmonic: where speech is found in the mix. */
#define VOICE_HZ 280.0

static AdmintFakeAi *fake;
static char *config_file;

typedef struct {
  GMainLoop   *loop;
  GSubprocess *proc;
  char        *out, *err;
  gboolean     kill_when_polled;   /* SIGKILL once the music prediction has been polled */
  gboolean     killed;
} Child;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Child *c = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err, &error);
  g_assert_no_error (error);
  g_main_loop_quit (c->loop);
}

/* The create's answer came back and the prediction is being polled: its id is recorded. */
static gboolean
check_polled (gpointer user_data)
{
  Child *c = user_data;
  const AdmintFakeRequest *create;
  guint n = admint_fake_ai_count_requests (fake, "GET", POLL);

  if (c->killed || admint_fake_ai_count_requests (fake, "POST", CREATE) == 0)
    return !c->killed;
  create = admint_fake_ai_get_request (fake, "POST", CREATE, 0);
  for (guint i = 0; i < n; i++)
    if (admint_fake_ai_get_request (fake, "GET", POLL, i)->time_us > create->time_us)
      {
        g_subprocess_send_signal (c->proc, SIGKILL);
        c->killed = TRUE;
        return G_SOURCE_REMOVE;
      }
  return G_SOURCE_CONTINUE;
}

/* Runs admint ARGS against the fake server; -9 when killed. */
static int
run_admint (const char * const *args,
            gboolean            kill_when_polled,
            char              **out,
            char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  Child c = { .kill_when_polled = kill_when_polled };
  int status;

  g_ptr_array_add (argv, (gpointer) admint_test_program ("ADMINT_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "ADMINT_REPLICATE_BASE_URL",
                                admint_fake_ai_get_base_url (fake), TRUE);
  g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "ADMINT_OPENAI_BASE_URL",
                                admint_fake_ai_get_base_url (fake), TRUE);
  g_subprocess_launcher_setenv (launcher, "OPENAI_API_KEY", TOKEN, TRUE);
  c.proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  c.loop = g_main_loop_new (NULL, FALSE);
  if (kill_when_polled)
    g_timeout_add (5, check_polled, &c);
  /* The fake server is served by this loop while admint runs. */
  g_subprocess_communicate_utf8_async (c.proc, NULL, NULL, on_communicated, &c);
  g_main_loop_run (c.loop);
  g_subprocess_wait (c.proc, NULL, NULL);
  status = c.killed ? -9 : g_subprocess_get_if_exited (c.proc)
                           ? g_subprocess_get_exit_status (c.proc) : -1;
  if (status != 0 && status != -9)
    g_test_message ("admint stderr:\n%s", c.err);
  *out = c.out ? c.out : g_strdup ("");
  *err = c.err ? c.err : g_strdup ("");
  g_object_unref (c.proc);
  g_main_loop_unref (c.loop);
  return status;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* The fake model's bed is in the ad's sound and at least 10 dB down while the voice speaks,
 * measured in 100 ms frames: "under" where the voice is (its 280 Hz harmonic within 12 dB of
 * its loudest), "open" where no speech is within 0.7 s (nor the fade-in or fade-out). */
static void
assert_bed_ducked (const char *video)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintAudio) audio = admint_audio_decode_file (video, ADMINT_AUDIO_RATE, 2, FALSE,
                                                           NULL, &error);
  g_autoptr(GArray) music = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) voice = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) under = g_array_new (FALSE, FALSE, sizeof (double));
  double seconds, loudest = 0, depth;
  guint n;

  g_assert_no_error (error);
  seconds = (double) audio->n_frames / audio->rate;
  n = (guint) (seconds / 0.1);
  for (guint i = 0; i < n; i++)
    {
      double m = audio_test_tone_level (audio, ADMINT_FAKE_MUSIC_HZ, i * 0.1, (i + 1) * 0.1);
      double v = audio_test_tone_level (audio, VOICE_HZ, i * 0.1, (i + 1) * 0.1);

      g_array_append_val (music, m);
      g_array_append_val (voice, v);
      loudest = MAX (loudest, v);
    }
  for (guint i = 0; i < n; i++)
    {
      gboolean near_speech = FALSE;

      if (g_array_index (voice, double, i) > loudest / 4)
        {
          g_array_append_val (under, g_array_index (music, double, i));
          continue;
        }
      for (guint k = (i >= 7 ? i - 7 : 0); k <= i + 7 && k < n; k++)
        near_speech = near_speech || g_array_index (voice, double, k) > loudest / 20;
      if (!near_speech && i * 0.1 >= 0.3 && (i + 1) * 0.1 <= seconds - 1.2)
        g_array_append_val (open, g_array_index (music, double, i));
    }
  g_test_message ("%u frames under the voice, %u open", under->len, open->len);
  g_assert_cmpuint (under->len, >=, 10);
  g_assert_cmpuint (open->len, >=, 3);
  /* The fake's tone is there, at a level one hears. */
  g_assert_cmpfloat (median (open), >, 0.01);
  depth = 20 * log10 (median (under) / median (open));
  g_test_message ("the bed is %.1f dB down under the voice", depth);
  g_assert_cmpfloat (depth, <=, -10);
}

/* The `usage` rows with operation "music" of generation ID. */
static guint
music_rows (const char *id,
            double     *cost)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *show[] = { "show", "--json", id, NULL };
  g_autoptr(JsonObject) doc = NULL;
  JsonArray *usage;
  guint rows = 0;

  g_assert_cmpint (run_admint (show, FALSE, &out, &err), ==, 0);
  doc = pipeline_test_parse_document (out);
  usage = json_object_get_array_member (doc, "usage");
  *cost = 0;
  for (guint i = 0; i < json_array_get_length (usage); i++)
    {
      JsonObject *row = json_array_get_object_element (usage, i);

      if (g_strcmp0 (json_object_get_string_member (row, "operation"), "music") != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (row, "provider"), ==, "replicate");
      g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, "meta/musicgen");
      *cost += json_object_get_double_member (row, "cost_usd");
      rows++;
    }
  return rows;
}

/* The bed the model made is kept beside the ad's other sound files, with its record. */
static void
assert_bed_kept (const char *final_video)
{
  g_autofree char *dir = g_path_get_dirname (final_video);
  g_autofree char *record = g_build_filename (dir, "sound", ADMINT_MUSIC_REPLICATE_RECORD, NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (record, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"recorded\" : true"));
  g_assert_nonnull (strstr (text, "fakepred"));
}

static void
test_replicate_bed (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "5", "--config", config_file, "--voice", "openai",
    "12-second ad for a calm spa weekend", NULL
  };
  g_autoptr(JsonObject) doc = NULL;
  const char *video;
  g_autofree char *id = NULL;
  double cost;

  admint_fake_ai_clear_requests (fake);
  g_assert_cmpint (run_admint (args, FALSE, &out, &err), ==, 0);
  doc = pipeline_test_parse_document (out);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  video = json_object_get_string_member (doc, "final_video");
  g_assert_true (g_str_has_suffix (video, "final.mp4"));
  id = pipeline_test_generation_id_from (err);

  /* One prediction, for the ad's length, in its mood. */
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", CREATE), ==, 1);
  {
    g_autoptr(JsonNode) body = admint_fake_ai_request_json (
      admint_fake_ai_get_request (fake, "POST", CREATE, 0));
    JsonObject *input = json_object_get_object_member (json_node_get_object (body), "input");

    g_assert_nonnull (strstr (json_object_get_string_member (input, "prompt"), "calm"));
    g_assert_cmpint (json_object_get_int_member (input, "duration"), >=, 12);
  }
  g_assert_cmpuint (music_rows (id, &cost), ==, 1);
  g_assert_cmpfloat (cost, >, 0);
  assert_bed_kept (video);
  assert_bed_ducked (video);
}

static void
test_kill_and_resume (void)
{
  g_autofree char *out = NULL, *err = NULL, *rout = NULL, *rerr = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "6", "--config", config_file, "--voice", "openai",
    "12-second ad for a calm spa weekend", NULL
  };
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *id = NULL;
  double cost;

  admint_fake_ai_clear_requests (fake);
  /* The model takes a while: the run is killed while it is being polled. */
  admint_fake_ai_set_prediction_latency (fake, 600);
  g_assert_cmpint (run_admint (args, TRUE, &out, &err), ==, -9);
  id = pipeline_test_generation_id_from (err);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", CREATE), ==, 1);

  admint_fake_ai_set_prediction_latency (fake, 0);
  admint_fake_ai_finish_predictions (fake);
  {
    const char *resume[] = { "resume", "--auto", "--json", id, NULL };
    g_assert_cmpint (run_admint (resume, FALSE, &rout, &rerr), ==, 0);
  }
  doc = pipeline_test_parse_document (rout);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  /* Followed, not made again; paid for once. */
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", CREATE), ==, 1);
  g_assert_nonnull (strstr (rerr, "Following the music prediction fakepred"));
  g_assert_cmpuint (music_rows (id, &cost), ==, 1);
  assert_bed_kept (json_object_get_string_member (doc, "final_video"));
  assert_bed_ducked (json_object_get_string_member (doc, "final_video"));
}

/* `admint providers test` checks the music model the config selects, like the other Replicate
 * roles: reachable with its inputs, or not found, naming providers.music.model. */
static void
test_providers_test (void)
{
  g_autofree char *out = NULL, *err = NULL, *bad_out = NULL, *bad_err = NULL;
  g_autofree char *bad_config = g_build_filename (admint_test_get_root (), "bad-music.yaml", NULL);
  const char *args[] = { "providers", "test", "--json", "--config", config_file, NULL };
  const char *bad_args[] = { "providers", "test", "--json", "--config", bad_config, NULL };
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) bad_doc = NULL;
  JsonObject *music = NULL;
  JsonArray *list;

  g_assert_cmpint (run_admint (args, FALSE, &out, &err), ==, 0);
  doc = pipeline_test_parse_document (out);
  list = json_object_get_array_member (doc, "providers");
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (list, i),
                                                    "role"), "music"))
      music = json_array_get_object_element (list, i);
  g_assert_nonnull (music);
  g_assert_true (json_object_get_boolean_member (music, "ok"));
  g_assert_cmpstr (json_object_get_string_member (music, "model"), ==, "meta/musicgen");
  g_assert_cmpstr (json_object_get_string_member (music, "base_url"), ==,
                   admint_fake_ai_get_base_url (fake));

  g_assert_true (g_file_set_contents (bad_config, "providers:\n  music:\n    provider: replicate\n"
                                      "    model: meta/no-such-model\n", -1, NULL));
  g_assert_cmpint (run_admint (bad_args, FALSE, &bad_out, &bad_err), ==, 1);
  bad_doc = pipeline_test_parse_document (bad_out);
  g_assert_false (json_object_get_boolean_member (bad_doc, "ok"));
  g_assert_nonnull (strstr (bad_out, "providers.music.model"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  admint_test_init (&argc, &argv);
  admint_media_init ();

  fake = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_defaults (fake);
  admint_fake_ai_set_api_key (fake, TOKEN);
  admint_fake_ai_set_prediction_plan (fake, 1, "succeeded", NULL, 5.0);
  config_file = g_build_filename (admint_test_get_root (), "music.yaml", NULL);
  g_assert_true (g_file_set_contents (config_file,
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\ncaptions:\n"
    "  burn: false\nproviders:\n  music:\n    provider: replicate\nnetwork:\n"
    "  poll_interval_image_seconds: 0.05\n  poll_interval_video_max_seconds: 0.1\n"
    "  backoff_initial_seconds: 0.01\n  backoff_max_seconds: 0.05\n", -1, &error));

  g_test_add_func ("/music-generation/providers-test", test_providers_test);
  g_test_add_func ("/music-generation/replicate-bed", test_replicate_bed);
  g_test_add_func ("/music-generation/kill-and-resume", test_kill_and_resume);
  status = g_test_run ();
  g_clear_object (&fake);
  g_free (config_file);
  return status;
}
