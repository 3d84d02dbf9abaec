/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The whole pipeline through `admint` with remote providers (--llm openai, --images replicate,
 * --video replicate) against the fake AI server, offline: a malformed answer is asked again, a
 * bad palette and an overlong scene are repaired, and the log says so. Also: a run stopped by
 * the budget says why without --json, a generation another process holds is refused, and a
 * run killed while its reference image was being made, or while the answer to a clip's or the
 * music bed's create request was on its way, does not pay for it twice; a clip thumbnail's
 * partial file left by a kill is removed by the next run. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "admint-fake-ai.h"
#include "admint-media.h"
#include "admint-test-util.h"
#include "pipeline-test-util.h"

static AdmintFakeAi *fake;

typedef struct {
  GMainLoop   *loop;
  GSubprocess *proc;
  char        *out;
  char        *err;
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

/* Runs admint with ARGS on the main loop (which serves the fake server); returns its exit
 * status and its stdout and stderr. */
static int
run_admint (const char * const *args,
            char              **out,
            char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  Child c = { 0 };

  g_ptr_array_add (argv, (gpointer) admint_test_program ("ADMINT_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "ADMINT_OPENAI_BASE_URL",
                                admint_fake_ai_get_base_url (fake), TRUE);
  g_subprocess_launcher_setenv (launcher, "OPENAI_API_KEY", "sk-test-key", TRUE);
  g_subprocess_launcher_setenv (launcher, "ADMINT_REPLICATE_BASE_URL",
                                admint_fake_ai_get_base_url (fake), TRUE);
  g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", "r8-test-token", TRUE);
  c.proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  c.loop = g_main_loop_new (NULL, FALSE);
  g_subprocess_communicate_utf8_async (c.proc, "", NULL, on_communicated, &c);
  g_main_loop_run (c.loop);
  g_subprocess_wait (c.proc, NULL, NULL);

  int status = g_subprocess_get_if_exited (c.proc) ? g_subprocess_get_exit_status (c.proc) : -1;
  if (g_test_verbose () || (status != 0 && status != 1))
    g_test_message ("admint stderr:\n%s", c.err);
  *out = c.out;
  *err = c.err;
  g_object_unref (c.proc);
  g_main_loop_unref (c.loop);
  return status;
}

static char *
write_config (const char *name,
              const char *yaml)
{
  char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
  return path;
}

static char *
read_log (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("XDG_STATE_HOME"), "admint", "admint.log",
                                            NULL);
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static void
test_remote_end_to_end (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *config = write_config ("remote.yaml",
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\n"
    "network:\n  poll_interval_image_seconds: 0.05\n  poll_interval_video_max_seconds: 0.1\n"
    "budget:\n  max_usd_per_generation: 100\n");
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "4", "--config", config, "--llm", "openai",
    "--images", "replicate", "--video", "replicate",
    "12-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };

  /* In the order the agents ask: the director's first answer is not JSON at all. */
  admint_fake_ai_push_chat_reply (fake, "Sure! Here is a great story for your bottle.");
  admint_fake_ai_push_chat_reply (fake,
    "{\"title\": \"AquaPeak\", \"call_to_action\": \"Get AquaPeak\", \"beats\": ["
    "{\"beat\": \"Attention\", \"text\": \"Thirsty on the trail?\", \"seconds\": 6},"
    "{\"beat\": \"Action\", \"text\": \"Get AquaPeak today.\", \"seconds\": 6}]}");
  admint_fake_ai_push_chat_reply (fake, "{\"score\": 9, \"reasons\": [\"clear\"]}");
  /* A vision answer with one colour that is no colour and two that need writing out. */
  admint_fake_ai_push_chat_reply (fake,
    "{\"subject\": \"a green bottle\", \"palette\": [\"sea-ish teal\", \"#0a8\", \"navy\"]}");
  /* Scenes: one longer than any clip (8 s), one without its optional on-screen text. */
  const char *scenes =
    "{\"scenes\": [{\"description\": \"A hiker lifts the bottle on a ridge\", \"duration\": 40,"
    " \"on_screen_text\": \"Thirsty?\"}, {\"description\": \"The AquaPeak logo\","
    " \"duration\": 4}]}";
  admint_fake_ai_push_chat_reply (fake, scenes);
  admint_fake_ai_push_chat_reply (fake, "{\"score\": 8.5, \"reasons\": [\"flows\"]}");
  admint_fake_ai_push_chat_reply (fake, scenes);

  int status = run_admint (args, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  g_assert_false (json_object_has_member (doc, "failure"));

  /* Director twice (the first answer unusable), critic, analyst, writer, critic, cohesor. */
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", "/v1/chat/completions"), ==, 7);

  JsonObject *ref = json_array_get_object_element (json_object_get_array_member (doc,
                                                                                 "references"),
                                                   0);
  JsonArray *palette = json_object_get_array_member (json_object_get_object_member (ref,
                                                                                    "analysis"),
                                                     "palette");
  g_assert_cmpuint (json_array_get_length (palette), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (palette, 0), ==, "#00AA88");
  g_assert_cmpstr (json_array_get_string_element (palette, 1), ==, "#000080");

  JsonArray *scene_list = json_object_get_array_member (doc, "scenes");
  g_assert_cmpuint (json_array_get_length (scene_list), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (scene_list,
                                                                                   0),
                                                    "duration"), ==, 8);
  JsonArray *clips = json_object_get_array_member (doc, "clips");
  for (guint i = 0; i < json_array_get_length (clips); i++)
    {
      JsonObject *clip = json_array_get_object_element (clips, i);
      g_assert_cmpstr (json_object_get_string_member (clip, "status"), ==, "completed");
      g_assert_cmpstr (json_object_get_string_member (clip, "provider"), ==, "replicate");
      g_assert_nonnull (json_object_get_string_member (clip, "verdict"));
    }
  g_assert_true (g_file_test (json_object_get_string_member (doc, "final_video"),
                              G_FILE_TEST_IS_REGULAR));

  /* Each repair and the second asking are in the log, though --verbose was not given. */
  g_autofree char *log = read_log ();
  g_assert_nonnull (strstr (log, "sea-ish teal"));
  g_assert_nonnull (strstr (log, "shortened to 8 s"));
  g_assert_nonnull (strstr (log, "asking again"));
}

static void
test_budget_reason_and_lock (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *config = write_config ("budget.yaml",
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\n"
    "prices:\n  local: 1.5\nbudget:\n  max_usd_per_generation: 1\n");
  const char *args[] = {
    "generate", "--auto", "--seed", "2", "--config", config,
    "12-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };

  /* Without --json the summary says why it stopped and what to do. */
  int status = run_admint (args, &out, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (out, "failed"));
  g_assert_nonnull (strstr (out, "over the budget"));
  g_assert_nonnull (strstr (out, "--set budget.max_usd_per_generation="));
  g_autofree char *log = read_log ();
  g_assert_nonnull (strstr (log, "\"admint_record\":\"failure\""));

  /* Another process holds the generation: `resume` refuses, saying so, and changes nothing. */
  g_autofree char *id = pipeline_test_generation_id_from (err);
  g_autofree char *lock = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "media",
                                            "generations", id, "run.lock", NULL);
  int fd = g_open (lock, O_RDWR | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  /* A partial file as a run killed while writing the final video leaves it (issue 14's soak). */
  g_autofree char *dead = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "media",
                                            "generations", id, ".final.mp4.AB12CD.part", NULL);
  g_assert_true (g_file_set_contents (dead, "half a video", -1, NULL));
  const char *resume[] = { "resume", id, "--auto", "--json", NULL };
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_admint (resume, &out, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "another process"));
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_test (dead, G_FILE_TEST_EXISTS));
  close (fd);

  /* Let go of, it resumes (and stops at the budget again, the config it started with). */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_admint (resume, &out, &err);
  g_assert_cmpint (status, ==, 1);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  JsonObject *failure = json_object_get_object_member (doc, "failure");
  g_assert_cmpstr (json_object_get_string_member (failure, "kind"), ==, "budget");
  /* The run that took the lock removed what the killed one left. */
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
}

/* The image prediction exists and the run has its id: it is following it. */
static gboolean
reference_polled (gpointer unused)
{
  return admint_fake_ai_count_requests (fake, "POST", "/v1/models/") >= 1 &&
         admint_fake_ai_count_requests (fake, "GET", "/v1/predictions/") >= 1;
}

static gboolean
quit_on_timeout (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

typedef struct {
  GMainLoop   *loop;
  GSourceFunc  ready;
  gboolean     reached;
} KillWait;

static gboolean
check_ready (gpointer user_data)
{
  KillWait *w = user_data;

  if (w->ready (NULL))
    {
      w->reached = TRUE;
      g_main_loop_quit (w->loop);
    }
  return G_SOURCE_CONTINUE;
}

/* Issue 14's kills: starts `admint generate --auto --json` with ARGS and a config of YAML
 * (written as NAME.yaml) against the fake server, SIGKILLs it the moment READY says the point
 * to kill at has come (nothing is cancelled, nothing cleaned up), and returns the id of the
 * generation it left. */
static char *
generate_and_kill (const char         *name,
                   const char         *yaml,
                   const char * const *args,
                   GSourceFunc         ready)
{
  g_autofree char *file = g_strconcat (name, ".yaml", NULL);
  g_autofree char *config = write_config (file, yaml);
  g_autofree char *err_name = g_strconcat (name, ".err", NULL);
  g_autofree char *err_path = g_build_filename (admint_test_get_root (), err_name, NULL);
  g_autofree char *errors = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  KillWait wait = { loop, ready, FALSE };
  guint poll, limit;

  g_ptr_array_add (argv, (gpointer) admint_test_program ("ADMINT_CLI"));
  g_ptr_array_add (argv, "generate");
  g_ptr_array_add (argv, "--auto");
  g_ptr_array_add (argv, "--json");
  g_ptr_array_add (argv, "--config");
  g_ptr_array_add (argv, config);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  g_subprocess_launcher_setenv (launcher, "ADMINT_REPLICATE_BASE_URL",
                                admint_fake_ai_get_base_url (fake), TRUE);
  g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", "r8-test-token", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  poll = g_timeout_add (10, check_ready, &wait);
  limit = g_timeout_add_seconds (120, quit_on_timeout, loop);
  g_main_loop_run (loop);
  g_source_remove (limit);
  g_source_remove (poll);
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
  g_assert_true (wait.reached);
  g_assert_true (g_file_get_contents (err_path, &errors, NULL, NULL));
  return pipeline_test_generation_id_from (errors);
}

/* `admint resume ID --auto --json` after a kill, which must complete: its document, and its
 * stderr in *ERR. */
static JsonObject *
resume_to_completion (const char  *id,
                      char       **err)
{
  g_autofree char *out = NULL;
  const char *resume[] = { "resume", id, "--auto", "--json", NULL };
  JsonObject *doc;

  g_assert_cmpint (run_admint (resume, &out, err), ==, 0);
  doc = pipeline_test_parse_document (out);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  return doc;
}

/* Issue 14's soak: a run killed while its reference image's prediction was still being made
 * is resumed by following that prediction, not by paying for a new one. */
static void
test_killed_reference_not_paid_twice (void)
{
  g_autofree char *err = NULL;
  const char *args[] = {
    "--seed", "6", "--llm", "local", "--images", "replicate", "--video", "local",
    "12-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };

  admint_fake_ai_clear_requests (fake);
  /* The model takes "forever": the kill comes while the image is being made. */
  admint_fake_ai_set_prediction_latency (fake, 600);
  g_autofree char *id = generate_and_kill ("killed-reference",
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\n"
    "network:\n  poll_interval_image_seconds: 0.05\n"
    "budget:\n  max_usd_per_generation: 100\n", args, reference_polled);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", "/v1/models/"), ==, 1);
  admint_fake_ai_clear_requests (fake);

  /* The model is done at last; the resume picks up what the killed run paid for. */
  admint_fake_ai_set_prediction_latency (fake, 0);
  admint_fake_ai_finish_predictions (fake);
  g_autoptr(JsonObject) doc = resume_to_completion (id, &err);
  /* The resume followed the killed run's prediction to its end and downloaded its image before
   * it made any prediction: the only one it may make is the one made again on purpose when
   * that image is too small or blurry (the fake's is a tiny PNG), after looking at it. */
  guint created = admint_fake_ai_count_requests (fake, "POST", "/v1/models/");
  g_assert_cmpuint (created, <=, 1);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "GET", "/files/output.png"), >=, 1);
  const AdmintFakeRequest *download = admint_fake_ai_get_request (fake, "GET",
                                                                  "/files/output.png", 0);
  if (created > 0)
    g_assert_cmpint (admint_fake_ai_get_request (fake, "POST", "/v1/models/", 0)->time_us, >,
                     download->time_us);
  g_assert_cmpint (admint_fake_ai_get_request (fake, "GET", "/v1/predictions/", 0)->time_us, <,
                   download->time_us);
  JsonObject *ref = json_array_get_object_element (json_object_get_array_member (doc,
                                                                                 "references"),
                                                   0);
  g_assert_true (g_file_test (json_object_get_string_member (ref, "path"),
                              G_FILE_TEST_IS_REGULAR));
}

/* The fake's video predictions so far, counted by prompt. */
static GHashTable *
video_predictions_by_prompt (void)
{
  g_autofree char *ledger = admint_fake_ai_ledger (fake);
  g_autoptr(JsonNode) root = json_from_string (ledger, NULL);
  JsonArray *predictions = json_object_get_array_member (json_node_get_object (root),
                                                         "predictions");
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (predictions); i++)
    {
      JsonObject *p = json_array_get_object_element (predictions, i);
      const char *text = json_object_get_string_member (p, "prompt");
      if (!g_str_equal (json_object_get_string_member (p, "model"), "google/veo-3"))
        continue;
      g_hash_table_insert (counts, g_strdup (text), GUINT_TO_POINTER (
        GPOINTER_TO_UINT (g_hash_table_lookup (counts, text)) + 1));
    }
  return counts;
}

/* The first clip's create request has reached the service, which holds its answer. */
static gboolean
clip_created (gpointer unused)
{
  return admint_fake_ai_count_requests (fake, "POST", "/v1/models/google/veo-3/predictions") >= 1;
}

/* Issue 14: a run SIGKILLed while the service holds the answer to a clip's create request (the
 * prediction exists, its id never reached the app) is resumed by finding that prediction in the
 * account's list and following it: no clip is paid for twice. */
static void
test_killed_create_not_paid_twice (void)
{
  g_autofree char *err = NULL;
  AdmintFakeFault held = ADMINT_FAKE_FAULT_INIT;
  const char *args[] = {
    "--seed", "9", "--llm", "local", "--images", "local", "--video", "replicate",
    "12-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };

  g_autoptr(GHashTable) before = video_predictions_by_prompt ();

  admint_fake_ai_clear_requests (fake);
  admint_fake_ai_set_prediction_latency (fake, 0);
  /* The first clip's prediction is made at once; its answer is held past the kill. */
  held.delay_ms = 600000;
  admint_fake_ai_push_fault (fake, "POST", "/v1/models/google/veo-3/predictions", &held);
  g_autofree char *id = generate_and_kill ("killed-create",
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\n"
    "network:\n  poll_interval_video_max_seconds: 0.1\n"
    "budget:\n  max_usd_per_generation: 100\n", args, clip_created);
  g_autoptr(JsonNode) sent = admint_fake_ai_request_json (
    admint_fake_ai_get_request (fake, "POST", "/v1/models/google/veo-3/predictions", 0));
  g_autofree char *prompt = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (sent), "input"), "prompt"));
  g_assert_cmpuint (admint_fake_ai_count_predictions (fake, prompt), ==, 1);
  admint_fake_ai_clear_faults (fake);
  admint_fake_ai_clear_requests (fake);

  g_autoptr(JsonObject) doc = resume_to_completion (id, &err);
  /* The resume looked the lost prediction up and followed it: still one for that clip. */
  g_assert_cmpuint (admint_fake_ai_count_predictions (fake, prompt), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "GET", "/v1/predictions"), >=, 1);
  g_assert_nonnull (strstr (err, "instead of making a new one"));
  /* And no clip of this generation has two. */
  g_autoptr(GHashTable) after = video_predictions_by_prompt ();
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (value) -
                      GPOINTER_TO_UINT (g_hash_table_lookup (before, key)), <=, 1);
}

/* The `usage` rows of generation ID with OPERATION, as `admint show --json` lists them. */
static guint
usage_rows (const char *id,
            const char *operation)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *show[] = { "show", "--json", id, NULL };
  g_autoptr(JsonObject) doc = NULL;
  JsonArray *usage;
  guint rows = 0;

  g_assert_cmpint (run_admint (show, &out, &err), ==, 0);
  doc = pipeline_test_parse_document (out);
  usage = json_object_get_array_member (doc, "usage");
  for (guint i = 0; i < json_array_get_length (usage); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (usage, i),
                                                  "operation"), operation) == 0)
      rows++;
  return rows;
}

#define MUSIC_CREATE "/v1/models/meta/musicgen/predictions"
/* What the music bed's prompt starts with (admint_music_replicate_prompt). */
#define MUSIC_PROMPT "Instrumental background music"

/* The music bed's create request has reached the service, which holds its answer. */
static gboolean
music_created (gpointer unused)
{
  return admint_fake_ai_count_requests (fake, "POST", MUSIC_CREATE) >= 1;
}

/* Issue 14 for the sound stage: a run SIGKILLed while the service holds the answer to the music
 * bed's create request (providers.music.provider: replicate; the prediction exists, its id
 * never reached the app) is resumed by finding that prediction in the account's list and
 * following it: one music prediction, one usage row. */
static void
test_killed_music_create_not_paid_twice (void)
{
  g_autofree char *err = NULL;
  AdmintFakeFault held = ADMINT_FAKE_FAULT_INIT;
  const char *args[] = {
    "--seed", "11", "--llm", "local", "--images", "local", "--video", "replicate",
    "12-second ad for a calm spa weekend", NULL
  };

  g_assert_cmpuint (admint_fake_ai_count_predictions (fake, MUSIC_PROMPT), ==, 0);
  admint_fake_ai_clear_requests (fake);
  admint_fake_ai_set_prediction_latency (fake, 0);
  /* The bed's prediction is made at once; its answer is held past the kill. */
  held.delay_ms = 600000;
  admint_fake_ai_push_fault (fake, "POST", MUSIC_CREATE, &held);
  g_autofree char *id = generate_and_kill ("killed-music",
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\n"
    "providers:\n  music:\n    provider: replicate\n"
    "network:\n  poll_interval_video_max_seconds: 0.1\n"
    "budget:\n  max_usd_per_generation: 100\n", args, music_created);
  g_assert_cmpuint (admint_fake_ai_count_predictions (fake, MUSIC_PROMPT), ==, 1);
  admint_fake_ai_clear_faults (fake);
  admint_fake_ai_clear_requests (fake);

  g_autoptr(JsonObject) doc = resume_to_completion (id, &err);
  /* The resume looked the lost prediction up and followed it: no second create. */
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "POST", MUSIC_CREATE), ==, 0);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "GET", "/v1/predictions"), >=, 1);
  g_assert_nonnull (strstr (err, "instead of making a new one"));
  g_assert_cmpuint (admint_fake_ai_count_predictions (fake, MUSIC_PROMPT), ==, 1);
  g_assert_cmpuint (admint_fake_ai_count_requests (fake, "GET", "/files/music-"), >=, 1);
  g_assert_cmpuint (usage_rows (id, "music"), ==, 1);
}

/* Watches the generations folder and each generation folder made in it; SIGKILLs PID the moment
 * a file whose name has ".thumb.png" in it is created (the final thumbnail comes by a rename,
 * so that is its partial file). */
typedef struct {
  const char *generations;
  GPid        pid;
  char       *id;         /* the generation folder seen */
  char       *part;       /* the partial file the kill caught */
  gint        stop;
} ThumbWatch;

static gpointer
watch_for_thumbnail (gpointer data)
{
  ThumbWatch *w = data;
  int fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  int top = inotify_add_watch (fd, w->generations, IN_CREATE | IN_ONLYDIR);
  int sub = -1;
  char buf[8192] __attribute__ ((aligned (__alignof__ (struct inotify_event))));

  g_assert_cmpint (top, >=, 0);
  while (!g_atomic_int_get (&w->stop) && w->part == NULL)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      if (poll (&pfd, 1, 50) <= 0)
        continue;
      ssize_t len = read (fd, buf, sizeof buf);
      for (char *at = buf; len > 0 && at < buf + len;
           at += sizeof (struct inotify_event) + ((struct inotify_event *) at)->len)
        {
          const struct inotify_event *ev = (const struct inotify_event *) at;
          if (ev->len == 0 || !(ev->mask & IN_CREATE))
            continue;
          if (ev->wd == top && (ev->mask & IN_ISDIR) && w->id == NULL)
            {
              w->id = g_strdup (ev->name);
              g_autofree char *dir = g_build_filename (w->generations, ev->name, NULL);
              sub = inotify_add_watch (fd, dir, IN_CREATE);
            }
          else if (ev->wd == sub && strstr (ev->name, ".thumb.png") != NULL)
            {
              kill (w->pid, SIGKILL);
              w->part = g_build_filename (w->generations, w->id, ev->name, NULL);
              break;
            }
        }
    }
  close (fd);
  return NULL;
}

/* Issue 14's 200-generation soak: a run killed while it wrote a clip's thumbnail left the
 * partial file for good. The next run of the generation removes it. */
static void
test_killed_thumbnail_part_removed (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *config = write_config ("killed-thumbnail.yaml",
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\n");
  g_autofree char *generations = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "media",
                                                   "generations", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    admint_test_program ("ADMINT_CLI"), "generate", "--auto", "--json", "--seed", "11",
    "--config", config, "--llm", "local", "--images", "local", "--video", "local",
    "12-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };
  ThumbWatch w = { generations, 0, NULL, NULL, 0 };

  g_assert_cmpint (g_mkdir_with_parents (generations, 0700), ==, 0);
  g_autoptr(GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  w.pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (proc), NULL, 10);
  GThread *watcher = g_thread_new ("thumbnail-watch", watch_for_thumbnail, &w);
  g_subprocess_wait (proc, NULL, NULL);
  g_atomic_int_set (&w.stop, 1);
  g_thread_join (watcher);

  /* Killed while the first thumbnail was being written: its partial file is left. */
  g_assert_nonnull (w.part);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_true (g_file_test (w.part, G_FILE_TEST_EXISTS));

  const char *resume[] = { "resume", w.id, "--auto", "--json", NULL };
  g_assert_cmpint (run_admint (resume, &out, &err), ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  /* The resume removed it, and left no partial file of its own. */
  g_assert_false (g_file_test (w.part, G_FILE_TEST_EXISTS));
  g_autofree char *dir = g_build_filename (generations, w.id, NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part"));
  g_free (w.id);
  g_free (w.part);
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);
  admint_media_init ();
  fake = pipeline_test_fake_serving_clip ();

  g_test_add_func ("/pipeline-e2e/remote-end-to-end", test_remote_end_to_end);
  g_test_add_func ("/pipeline-e2e/budget-reason-and-lock", test_budget_reason_and_lock);
  g_test_add_func ("/pipeline-e2e/killed-reference-not-paid-twice",
                   test_killed_reference_not_paid_twice);
  g_test_add_func ("/pipeline-e2e/killed-create-not-paid-twice",
                   test_killed_create_not_paid_twice);
  g_test_add_func ("/pipeline-e2e/killed-music-create-not-paid-twice",
                   test_killed_music_create_not_paid_twice);
  g_test_add_func ("/pipeline-e2e/killed-thumbnail-part-removed",
                   test_killed_thumbnail_part_removed);
  int status = g_test_run ();
  g_clear_object (&fake);
  return status;
}
