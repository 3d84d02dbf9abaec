/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `admint generate`, `resume` and `batch` as scripts use them: JSON out, scripted stdin, bad
 * input, variants, and — against the fake AI server — failing and refused clips, and SIGKILL at
 * every stage boundary followed by `resume`, with exactly one paid prediction per clip. */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-fake-ai.h"
#include "admint-media.h"
#include "admint-render.h"
#include "admint-test-util.h"
#include "pipeline-test-util.h"

#define VIDEO_CREATE "/v1/models/google/veo-3/predictions"

typedef struct {
  GMainLoop        *loop;
  GSubprocess      *proc;
  GDataInputStream *err_in;
  GString          *err;
  char             *out;
  const char       *kill_when;
  guint             kill_count;     /* kill at the Nth line matching kill_when */
  guint             matches;
  gboolean          killed;
  gboolean          out_done;
  gboolean          err_done;
  gboolean          exited;
} Child;

static char *config_file;
static AdmintFakeAi *fake;
static int kill_signal = SIGKILL;  /* what run_admint's KILL_WHEN sends */
/* When set, run_admint kills admint (SIGKILL) once the fake server has had this many
 * /v1/audio/speech requests in all. */
static guint kill_at_speech_request;
#define SPEECH "/v1/audio/speech"

static void
maybe_quit (Child *c)
{
  if (c->out_done && c->err_done && c->exited)
    g_main_loop_quit (c->loop);
}

static void read_err_line (Child *c);

static void
on_err_line (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Child *c = user_data;
  gsize len;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (c->err_in, result, &len,
                                                                     NULL);
  if (line == NULL)
    {
      c->err_done = TRUE;
      maybe_quit (c);
      return;
    }
  g_string_append_printf (c->err, "%s\n", line);
  if (c->kill_when != NULL && !c->killed && strstr (line, c->kill_when) != NULL &&
      ++c->matches >= MAX (c->kill_count, 1))
    {
      g_subprocess_send_signal (c->proc, kill_signal);
      c->killed = TRUE;
    }
  read_err_line (c);
}

static gboolean
check_speech_requests (gpointer user_data)
{
  Child *c = user_data;

  if (c->killed || c->exited)
    return G_SOURCE_REMOVE;
  if (admint_fake_ai_count_requests (fake, "POST", SPEECH) >= kill_at_speech_request)
    {
      g_subprocess_send_signal (c->proc, SIGKILL);
      c->killed = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
read_err_line (Child *c)
{
  g_data_input_stream_read_line_async (c->err_in, G_PRIORITY_DEFAULT, NULL, on_err_line, c);
}

static void
on_spliced (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Child *c = user_data;
  g_autoptr(GBytes) bytes = NULL;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  c->out = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  c->out_done = TRUE;
  maybe_quit (c);
}

static void
on_child_exit (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Child *c = user_data;
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  c->exited = TRUE;
  maybe_quit (c);
}

/* Runs admint with ARGS (and the test's config), feeding STDIN_TEXT; kills it with SIGKILL at
 * the KILL_COUNT-th stderr line containing KILL_WHEN. Returns the exit status (-9 if killed). */
static int
run_admint (const char * const *args,
            const char         *stdin_text,
            const char         *kill_when,
            guint               kill_count,
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
  if (fake != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "ADMINT_REPLICATE_BASE_URL",
                                    admint_fake_ai_get_base_url (fake), TRUE);
      g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", "r8-test-token", TRUE);
      /* The voice, when --voice openai asks for it (the writer stays local). */
      g_subprocess_launcher_setenv (launcher, "ADMINT_OPENAI_BASE_URL",
                                    admint_fake_ai_get_base_url (fake), TRUE);
      g_subprocess_launcher_setenv (launcher, "OPENAI_API_KEY", "r8-test-token", TRUE);
    }
  c.proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  c.loop = g_main_loop_new (NULL, FALSE);
  c.err = g_string_new (NULL);
  c.kill_when = kill_when;
  c.kill_count = kill_count;

  GOutputStream *in = g_subprocess_get_stdin_pipe (c.proc);
  if (stdin_text != NULL)
    g_output_stream_write_all (in, stdin_text, strlen (stdin_text), NULL, NULL, &error);
  g_output_stream_close (in, NULL, NULL);
  g_clear_error (&error);

  c.err_in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (c.proc));
  read_err_line (&c);
  /* Everything is read on the main loop, which also serves the fake AI server. */
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (mem, g_subprocess_get_stdout_pipe (c.proc),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, on_spliced, &c);
  g_subprocess_wait_async (c.proc, NULL, on_child_exit, &c);
  if (kill_at_speech_request > 0)
    g_timeout_add (10, check_speech_requests, &c);
  g_main_loop_run (c.loop);

  int status = c.killed ? -9
               : g_subprocess_get_if_exited (c.proc) ? g_subprocess_get_exit_status (c.proc)
               : -1000 - g_subprocess_get_term_sig (c.proc);
  if (g_test_verbose () || (status != 0 && status != -9 && status != 2))
    g_test_message ("admint stderr:\n%s", c.err->str);
  *out = c.out ? c.out : g_strdup ("");
  *err = g_string_free (c.err, FALSE);
  g_object_unref (c.err_in);
  g_object_unref (c.proc);
  g_main_loop_unref (c.loop);
  return status;
}

/* SIGTERM while the clips render: the run says it finished only once the render workers have
 * ended, and no partial clip file (".clip-01-v1.mp4.XXXXXX.part") is left behind. */
static void
test_cancel_mid_clips (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "12", "--config", config_file,
    "24-second ad for a solar lantern, for campers", NULL
  };

  kill_signal = SIGTERM;
  run_admint (args, NULL, "clip 3: starting", 1, &out, &err);
  kill_signal = SIGKILL;
  g_assert_nonnull (strstr (err, "finished: cancelled"));
  g_autofree char *id = pipeline_test_generation_id_from (err);
  g_autofree char *dir = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "media",
                                           "generations", id, NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".part"))
      g_error ("a partial file was left: %s/%s", dir, name);
}

static void
test_offline_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *copy = g_build_filename (admint_test_get_root (), "ad.mp4", NULL);
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "3", "--config", config_file, "--output", copy,
    "12-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };

  int status = run_admint (args, NULL, NULL, 0, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  static const char * const fields[] = {
    "generation_id", "group_id", "status", "prompt", "framework", "story", "references",
    "scenes", "clips", "final_video", "quality", "cost", "timings", NULL
  };
  for (guint i = 0; fields[i] != NULL; i++)
    g_assert_true (json_object_has_member (doc, fields[i]));
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  /* Progress went to stderr, never stdout. */
  g_assert_nonnull (strstr (err, "stage: clips"));
  g_assert_null (strstr (out, "stage:"));

  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintMediaInfo) info = admint_media_probe (copy, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (info->duration - 12.0), <, 0.5);

  /* It is in the history, and `show` finds it. */
  g_autofree char *hout = NULL, *herr = NULL;
  const char *history[] = { "history", "--json", NULL };
  g_assert_cmpint (run_admint (history, NULL, NULL, 0, &hout, &herr), ==, 0);
  g_assert_nonnull (strstr (hout, json_object_get_string_member (doc, "generation_id")));
}

static void
test_interactive_stdin (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = {
    "generate", "--json", "--seed", "4", "--framework", "PAS", "--config", config_file,
    "12-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };
  const char *replies = "make it funnier\nok\nscene 2: The hiker refills AquaPeak at a stream\n"
                        "ok\n";

  int status = run_admint (args, replies, NULL, 0, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  JsonObject *story = json_object_get_object_member (doc, "story");
  g_assert_cmpstr (json_object_get_string_member (story, "tone"), ==, "playful");
  JsonArray *scenes = json_object_get_array_member (doc, "scenes");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (scenes, 1),
                                                  "description"), ==,
                   "The hiker refills AquaPeak at a stream");
  /* The questions were asked on stderr (stdout holds only the JSON). */
  g_assert_nonnull (strstr (err, "Here is the story"));
  g_assert_nonnull (strstr (err, "Here are the scenes"));

  /* stdin closing while a reply is awaited stops cleanly, keeping the work. */
  g_autofree char *out2 = NULL, *err2 = NULL;
  status = run_admint (args, "", NULL, 0, &out2, &err2);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err2, "admint resume"));
}

static void
test_bad_input (void)
{
  g_autofree char *text_png = g_build_filename (admint_test_get_root (), "notes.png", NULL);
  g_autofree char *bad_config = g_build_filename (admint_test_get_root (), "bad.yaml", NULL);
  g_file_set_contents (text_png, "this is not a picture\n", -1, NULL);
  g_file_set_contents (bad_config, "video:\n  aspect: 4:3\n", -1, NULL);
  g_autofree char *long_brief = g_strnfill (5001, 'x');
  const struct { const char *args[8]; const char *says; } cases[] = {
    { { "generate", "--auto", "", NULL }, "empty" },
    { { "generate", "--auto", long_brief, NULL }, "5000" },
    { { "generate", "--auto", "--framework", "STORYBRAND", "ad for socks", NULL }, "AIDA" },
    { { "generate", "--auto", "--asset", "/nonexistent/logo.png", "ad for socks", NULL },
      "logo.png" },
    { { "generate", "--auto", "--asset", text_png, "ad for socks", NULL }, "notes.png" },
    { { "generate", "--auto", "--config", bad_config, "ad for socks", NULL }, "bad.yaml:2" },
    { { "generate", "--auto", "--variants", "0", "ad for socks", NULL }, "--variants" },
    { { "generate", "--auto", "--max-cost", "lots", "ad for socks", NULL }, "--max-cost" },
    { { "generate", "--auto", "--aspect", "4:3", "ad for socks", NULL }, "4:3" },
    { { "generate", "--auto", NULL }, "brief" },
    { { "resume", "no-such-id", NULL }, "no-such-id" },
    { { "generate", "--auto", "--set", "stages.story.enabled=maybe", "ad for socks", NULL },
      "stages.story.enabled" },
    { { "generate", "--auto", "--set", "stages.story.colour=red", "ad for socks", NULL },
      "stages.story.colour" },
    { { "generate", "--auto", "--set", "video.resolution", "ad for socks", NULL }, "KEY=VALUE" },
    { { "resume", "--set", "stages.story.enabled=maybe", "no-such-id", NULL },
      "stages.story.enabled" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_admint (cases[i].args, NULL, NULL, 0, &out, &err);
      g_test_message ("case %zu: %s", i, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].says));
    }

  /* Nothing was started for any of them. */
  g_autofree char *out = NULL, *err = NULL;
  const char *history[] = { "history", "--json", NULL };
  g_assert_cmpint (run_admint (history, NULL, NULL, 0, &out, &err), ==, 0);
  g_assert_null (strstr (out, "ad for socks"));
}

/* --set changes the run: the quick config asks for one reference, --set for two. */
static void
test_set (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "3", "--config", config_file,
    "--set", "stages.references.count=2", "6-second ad for a bamboo toothbrush", NULL
  };

  g_assert_cmpint (run_admint (args, NULL, NULL, 0, &out, &err), ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "references")),
                    ==, 2);

  /* resume keeps the settings the ad started with (one reference), each --set on top. */
  g_autofree char *out2 = NULL, *err2 = NULL;
  const char *stop_at_story[] = {
    "generate", "--seed", "5", "--config", config_file, "6-second ad for a wool beanie", NULL
  };
  g_assert_cmpint (run_admint (stop_at_story, "", NULL, 0, &out2, &err2), ==, 2);
  g_autofree char *id = pipeline_test_generation_id_from (err2);
  g_autofree char *out3 = NULL, *err3 = NULL;
  const char *resume[] = {
    "resume", "--auto", "--json", "--set", "stages.references.count=2", id, NULL
  };
  g_assert_cmpint (run_admint (resume, NULL, NULL, 0, &out3, &err3), ==, 0);
  g_autoptr(JsonObject) resumed = pipeline_test_parse_document (out3);
  g_assert_cmpstr (json_object_get_string_member (resumed, "status"), ==, "completed");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resumed,
                                                                         "references")), ==, 2);
}

static void
test_variants (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--variants", "3", "--config", config_file,
    "6-second ad for a bamboo toothbrush", NULL
  };

  int status = run_admint (args, NULL, NULL, 0, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  const char *group = json_object_get_string_member (doc, "group_id");
  g_assert_nonnull (group);
  JsonArray *variants = json_object_get_array_member (doc, "variants");
  g_assert_cmpuint (json_array_get_length (variants), ==, 3);
  double previous = 101;
  g_autoptr(GHashTable) frameworks = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *v = json_array_get_object_element (variants, i);
      double q = json_object_get_double_member (json_object_get_object_member (v, "quality"),
                                                "quality_score");
      g_assert_cmpint (json_object_get_int_member (v, "rank"), ==, i + 1);
      g_assert_cmpfloat (q, <=, previous);   /* ranked best first */
      previous = q;
      g_assert_cmpstr (json_object_get_string_member (v, "group_id"), ==, group);
      g_hash_table_add (frameworks, (gpointer) json_object_get_string_member (v, "framework"));
    }
  g_assert_cmpuint (g_hash_table_size (frameworks), ==, 3);

  /* The store knows the group. */
  g_autofree char *sout = NULL, *serr = NULL;
  const char *show[] = {
    "show", "--json",
    json_object_get_string_member (json_array_get_object_element (variants, 0),
                                   "generation_id"), NULL
  };
  g_assert_cmpint (run_admint (show, NULL, NULL, 0, &sout, &serr), ==, 0);
  g_assert_nonnull (strstr (sout, group));
}

static void
test_batch (void)
{
  g_autofree char *file = g_build_filename (admint_test_get_root (), "briefs.yaml", NULL);
  g_autofree char *bad = g_build_filename (admint_test_get_root (), "bad-briefs.yaml", NULL);
  g_autofree char *yaml = g_strdup_printf (
    "concurrency: 2\n"
    "briefs:\n"
    "  - 6-second ad for a bamboo toothbrush\n"
    "  - prompt: 6-second ad for a wool beanie, for skiers\n"
    "    framework: PAS\n"
    "    aspect: \"9:16\"\n"
    "    config: %s\n", config_file);
  g_assert_true (g_file_set_contents (file, yaml, -1, NULL));
  g_assert_true (g_file_set_contents (bad, "briefs:\n  - prompt: ad for socks\n    colour: red\n",
                                      -1, NULL));

  /* The first brief has no config of its own: it runs with the defaults (720p). Both land. */
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "batch", "--json", "--captions", "off", file, NULL };
  g_assert_cmpint (run_admint (args, NULL, NULL, 0, &out, &err), ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  JsonArray *results = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  JsonObject *first = json_array_get_object_element (results, 0);
  JsonObject *second = json_array_get_object_element (results, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (second, "status"), ==, "completed");
  g_assert_nonnull (strstr (json_object_get_string_member (first, "prompt"), "toothbrush"));
  g_assert_cmpstr (json_object_get_string_member (second, "framework"), ==, "PAS");

  /* A key no brief takes is named, and nothing runs. */
  g_autofree char *bout = NULL, *berr = NULL;
  const char *bad_args[] = { "batch", "--json", bad, NULL };
  g_assert_cmpint (run_admint (bad_args, NULL, NULL, 0, &bout, &berr), ==, 2);
  g_assert_cmpstr (bout, ==, "");
  g_assert_nonnull (strstr (berr, "colour"));

  /* A bad --set stops the batch before any brief runs. */
  g_autofree char *sout = NULL, *serr = NULL;
  const char *set_args[] = { "batch", "--set", "stages.story.enabled=maybe", file, NULL };
  g_assert_cmpint (run_admint (set_args, NULL, NULL, 0, &sout, &serr), ==, 2);
  g_assert_cmpstr (sout, ==, "");
  g_assert_nonnull (strstr (serr, "stages.story.enabled"));
  g_assert_null (strstr (serr, "brief 1: starting"));
}

/* ---- against the fake AI server ---------------------------------------------------------- */

static char *replicate_config;

static void
setup_fake (void)
{
  g_autoptr(GError) error = NULL;

  fake = pipeline_test_fake_serving_clip ();
  admint_fake_ai_set_api_key (fake, "r8-test-token");

  replicate_config = g_build_filename (admint_test_get_root (), "replicate.yaml", NULL);
  g_autofree char *yaml = g_strdup_printf (
    "video:\n  resolution: 360p\nstages:\n  references:\n    count: 1\n  clips:\n"
    "    max_retries: 1\nnetwork:\n  poll_interval_image_seconds: 0.05\n"
    "  poll_interval_video_max_seconds: 0.1\n  backoff_initial_seconds: 0.01\n"
    "  backoff_max_seconds: 0.05\nproviders:\n  video:\n    provider: replicate\n"
    "budget:\n  max_usd_per_generation: 100\ncaptions:\n  burn: false\n");
  g_assert_true (g_file_set_contents (replicate_config, yaml, -1, &error));
}

static guint
count_creates_with (const char *needle)
{
  guint n = admint_fake_ai_count_requests (fake, "POST", VIDEO_CREATE), found = 0;
  for (guint i = 0; i < n; i++)
    {
      const AdmintFakeRequest *r = admint_fake_ai_get_request (fake, "POST", VIDEO_CREATE, i);
      gsize len;
      const char *body = g_bytes_get_data (r->body, &len);
      g_autofree char *text = g_strndup (body, len);
      if (needle == NULL || strstr (text, needle) != NULL)
        found++;
    }
  return found;
}

static void
test_fake_partial_and_refused (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "8", "--config", replicate_config,
    "24-second ad for AquaPeak, a reusable water bottle, for hikers", NULL
  };

  admint_fake_ai_clear_requests (fake);
  /* Scene 2 (“… its standout detail in focus”) fails both its tries (max_retries is 1 in the
   * config); scene 1 is refused once, then passes. Both rules are used up afterwards. */
  admint_fake_ai_add_prediction_rule (fake, "standout detail", "failed", "GPU fell over", 2);
  admint_fake_ai_add_prediction_rule (fake, "striking opening", "failed",
                                      "Prompt flagged as sensitive (E005)", 1);

  int status = run_admint (args, NULL, NULL, 0, &out, &err);
  g_assert_cmpint (status, ==, 1);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "partial");
  const char *message = json_object_get_string_member (doc, "error");
  g_assert_nonnull (strstr (message, "scene 2"));
  g_assert_null (strstr (message, "scene 1"));
  JsonArray *clips = json_object_get_array_member (doc, "clips");
  g_assert_cmpuint (json_array_get_length (clips), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clips, 0),
                                                  "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clips, 1),
                                                  "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clips, 2),
                                                  "status"), ==, "completed");
  /* The video has the clips that worked. */
  g_assert_true (g_file_test (json_object_get_string_member (doc, "final_video"),
                              G_FILE_TEST_IS_REGULAR));
  /* Refused once, rephrased, made: two creates. Failing for good: first try + one retry. */
  g_assert_cmpuint (count_creates_with ("striking opening"), ==, 2);
  g_assert_cmpuint (count_creates_with ("standout detail"), ==, 2);
  g_assert_cmpuint (count_creates_with ("family-safe"), ==, 1);
}

/* A prediction alive at Replicate that we lost touch with (every poll fails past the video
 * timeout) is neither failed nor made again: the run ends resumable, and `resume` picks up the
 * same predictions once they are done. One paid prediction per clip in all. */
static void
test_fake_still_running (void)
{
  g_autofree char *out = NULL, *err = NULL, *rout = NULL, *rerr = NULL;
  g_autofree char *config = g_build_filename (admint_test_get_root (), "still.yaml", NULL);
  g_autofree char *yaml = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "10", "--config", config,
    "24-second ad for a folding kayak, for lake paddlers", NULL
  };

  /* The video timeout runs from before the create request: when the create's answer takes
   * longer than it (a sanitized build at load 70 did, with a timeout of 1 s), the deadline has
   * passed before the first poll, so the prediction is cancelled as too slow and the clip's
   * retry makes a new one (4 creates, the first cancelled): a different case from this one. */
  guint timeout = (guint) ceil (3 * admint_test_time_scale ());
  g_assert_true (g_file_get_contents (replicate_config, &yaml, NULL, NULL));
  g_autofree char *with_timeout = NULL;
  {
    g_auto(GStrv) parts = g_strsplit (yaml, "network:\n", 2);
    g_autofree char *network = g_strdup_printf ("network:\n  video_timeout_seconds: %u\n",
                                                timeout);
    with_timeout = g_strjoin (network, parts[0], parts[1], NULL);
  }
  g_assert_true (g_file_set_contents (config, with_timeout, -1, NULL));

  admint_fake_ai_clear_requests (fake);
  admint_fake_ai_set_prediction_latency (fake, 3600);
  /* Every poll fails until the timeout (600 were enough for 1 s). */
  for (guint i = 0; i < 600 * timeout; i++)
    admint_fake_ai_push_status (fake, "GET", "/v1/predictions/", 503,
                                "{\"detail\": \"unavailable\"}", NULL);
  int status = run_admint (args, NULL, NULL, 0, &out, &err);
  admint_fake_ai_clear_faults (fake);
  admint_fake_ai_set_prediction_latency (fake, 0);
  g_assert_cmpint (status, ==, 1);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (out);
  const char *id = json_object_get_string_member (doc, "generation_id");
  JsonObject *failure = json_object_get_object_member (doc, "failure");
  g_assert_cmpstr (json_object_get_string_member (failure, "kind"), ==, "still_running");
  const char *reason = json_object_get_string_member (failure, "reason");
  g_assert_nonnull (strstr (reason, "still running on Replicate"));
  g_autofree char *resume_hint = g_strdup_printf ("`admint resume %s`", id);
  g_assert_nonnull (strstr (reason, resume_hint));
  JsonArray *clips = json_object_get_array_member (doc, "clips");
  for (guint i = 0; i < json_array_get_length (clips); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clips, i),
                                                    "status"), !=, "failed");
  /* Not retried in this run: one create per clip. */
  g_assert_cmpuint (count_creates_with (NULL), ==, 3);

  /* The service finishes them; resume polls the same predictions. */
  admint_fake_ai_finish_predictions (fake);
  const char *resume[] = { "resume", "--auto", "--json", id, NULL };
  status = run_admint (resume, NULL, NULL, 0, &rout, &rerr);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonObject) rdoc = pipeline_test_parse_document (rout);
  g_assert_cmpstr (json_object_get_string_member (rdoc, "status"), ==, "completed");
  g_assert_cmpuint (count_creates_with (NULL), ==, 3);
}

static void
kill_and_resume (const char *kill_when,
                 guint       kill_count)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "9", "--config", replicate_config,
    "24-second ad for a solar lantern, for campers", NULL
  };

  admint_fake_ai_clear_requests (fake);
  int status = run_admint (args, NULL, kill_when, kill_count, &out, &err);
  g_test_message ("killed at “%s”: status %d", kill_when, status);
  g_assert_cmpint (status, ==, -9);
  g_autofree char *id = pipeline_test_generation_id_from (err);

  g_autofree char *rout = NULL, *rerr = NULL;
  const char *resume[] = { "resume", "--auto", "--json", id, NULL };
  status = run_admint (resume, NULL, NULL, 0, &rout, &rerr);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (rout);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (doc, "generation_id"), ==, id);
  g_assert_true (g_file_test (json_object_get_string_member (doc, "final_video"),
                              G_FILE_TEST_IS_REGULAR));
  /* Exactly one paid prediction per clip, across the killed run and the resumed one. */
  g_assert_cmpuint (count_creates_with (NULL), ==, 3);
}

static void
test_kill_story (void)
{
  kill_and_resume ("stage: story", 1);
}

static void
test_kill_references (void)
{
  kill_and_resume ("stage: references", 1);
}

static void
test_kill_scenes (void)
{
  kill_and_resume ("stage: scenes", 1);
}

static void
test_kill_clips_start (void)
{
  kill_and_resume ("stage: clips", 1);
}

static void
test_kill_mid_fanout (void)
{
  /* After the first clip is done and the others are in flight at Replicate. */
  admint_fake_ai_set_prediction_latency (fake, 0.6);
  kill_and_resume (": completed", 1);
  admint_fake_ai_set_prediction_latency (fake, 0);
}

static void
test_kill_stitching (void)
{
  kill_and_resume ("stage: stitching", 1);
}

static void
test_kill_scoring (void)
{
  kill_and_resume ("stage: scoring", 1);
}

/* Each /v1/audio/speech request so far, oldest first: its "input", or with WITH_SPEED its
 * "input" and "speed" (a line too long is asked for again, faster: another request). */
static GPtrArray *
speech_inputs (gboolean with_speed)
{
  GPtrArray *inputs = g_ptr_array_new_with_free_func (g_free);
  guint n = admint_fake_ai_count_requests (fake, "POST", SPEECH);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) body = admint_fake_ai_request_json (
        admint_fake_ai_get_request (fake, "POST", SPEECH, i));

      JsonObject *obj;

      g_assert_nonnull (body);
      obj = json_node_get_object (body);
      if (with_speed)
        g_ptr_array_add (inputs, g_strdup_printf ("%s @%.3f",
                                                  json_object_get_string_member (obj, "input"),
                                                  json_object_get_double_member (obj, "speed")));
      else
        g_ptr_array_add (inputs, g_strdup (json_object_get_string_member (obj, "input")));
    }
  return inputs;
}

/* Killed while the voice-over is spoken (before the clips, so they can show its captions) once
 * the second line was asked for (the first one spoken and paid for): the resumed run never asks
 * for the first line again, every line is recorded in `usage` once with its cost, and the ad is
 * finished with its sound (the clips come from a video model: the captions are burned after
 * stitching). */
static void
test_kill_in_sound (void)
{
  g_autofree char *out = NULL, *err = NULL, *rout = NULL, *rerr = NULL;
  g_autofree char *sout = NULL, *serr = NULL;
  g_autoptr(GPtrArray) asked = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GHashTable) lines = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) requests = g_hash_table_new (g_str_hash, g_str_equal);
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "9", "--config", replicate_config,
    "--voice", "openai", "--music", "none", "24-second ad for a solar lantern, for campers",
    NULL
  };
  double cost = 0;
  guint n_speech_rows = 0, n_before;
  const char *in_flight;

  admint_fake_ai_clear_requests (fake);
  kill_at_speech_request = 2;
  int status = run_admint (args, NULL, NULL, 0, &out, &err);
  kill_at_speech_request = 0;
  g_assert_cmpint (status, ==, -9);
  g_autofree char *id = pipeline_test_generation_id_from (err);
  g_assert_nonnull (strstr (err, "stage: voice"));
  g_assert_null (strstr (err, "stage: clips"));
  n_before = admint_fake_ai_count_requests (fake, "POST", SPEECH);
  g_assert_cmpuint (n_before, >=, 2);

  const char *resume[] = { "resume", "--auto", "--json", id, NULL };
  g_assert_cmpint (run_admint (resume, NULL, NULL, 0, &rout, &rerr), ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (rout);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (doc, "final_video"),
                                   "final.mp4"));
  /* The progress names the stage. */
  g_assert_nonnull (strstr (rerr, "stage: sound"));

  texts = speech_inputs (FALSE);
  asked = speech_inputs (TRUE);
  for (guint i = 0; i < asked->len; i++)
    {
      g_test_message ("speech %u: %s", i, (char *) g_ptr_array_index (asked, i));
      g_hash_table_add (lines, g_ptr_array_index (texts, i));
      g_hash_table_add (requests, g_ptr_array_index (asked, i));
    }
  /* Three scenes, three lines. A line whose requests all came before the kill was spoken and
   * kept: the resumed run never asks for it. Only the line being spoken at the kill (the text
   * of the last request before it; a line too long takes one request a speed) is asked for
   * again. Within each run no request is repeated. */
  g_assert_cmpuint (g_hash_table_size (lines), ==, 3);
  in_flight = g_ptr_array_index (texts, n_before - 1);
  for (guint i = 0; i < n_before; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      if (g_str_equal (text, in_flight))
        continue;
      for (guint k = n_before; k < texts->len; k++)
        g_assert_cmpstr (g_ptr_array_index (texts, k), !=, text);
    }
  g_assert_cmpstr (g_ptr_array_index (texts, 0), !=, in_flight);
  for (guint k = n_before; k < asked->len; k++)
    {
      guint again = 0;

      for (guint j = n_before; j < asked->len; j++)
        again += g_str_equal (g_ptr_array_index (asked, j), g_ptr_array_index (asked, k));
      g_assert_cmpuint (again, ==, 1);
    }

  /* Each line kept is one row in usage, with what it cost. */
  const char *show[] = { "show", "--json", id, NULL };
  g_assert_cmpint (run_admint (show, NULL, NULL, 0, &sout, &serr), ==, 0);
  g_autoptr(JsonObject) shown = pipeline_test_parse_document (sout);
  JsonArray *usage = json_object_get_array_member (shown, "usage");
  g_assert_nonnull (usage);
  for (guint i = 0; i < json_array_get_length (usage); i++)
    {
      JsonObject *row = json_array_get_object_element (usage, i);

      if (g_strcmp0 (json_object_get_string_member (row, "operation"), "speech") != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (row, "provider"), ==, "openai");
      g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, "tts-1");
      g_assert_cmpfloat (json_object_get_double_member (row, "cost_usd"), >, 0);
      cost += json_object_get_double_member (row, "cost_usd");
      n_speech_rows++;
    }
  /* One row a paid take (issue 14), told the moment it came: every request answered, which is
   * all of them but perhaps the one in flight at the kill. */
  g_assert_cmpuint (n_speech_rows, <=, asked->len);
  g_assert_cmpuint (n_speech_rows, >=, asked->len - 1);
  g_assert_cmpfloat (cost, <, 0.01);
}

/* The speech rows of generation ID's usage: how many, and their cost in *COST. */
static guint
speech_rows (const char *id,
             double     *cost)
{
  g_autofree char *sout = NULL, *serr = NULL;
  const char *show[] = { "show", "--json", id, NULL };
  guint n = 0;

  *cost = 0;
  g_assert_cmpint (run_admint (show, NULL, NULL, 0, &sout, &serr), ==, 0);
  g_autoptr(JsonObject) shown = pipeline_test_parse_document (sout);
  JsonArray *usage = json_object_get_array_member (shown, "usage");
  for (guint i = 0; usage != NULL && i < json_array_get_length (usage); i++)
    {
      JsonObject *row = json_array_get_object_element (usage, i);

      if (g_strcmp0 (json_object_get_string_member (row, "operation"), "speech") != 0)
        continue;
      g_assert_cmpfloat (json_object_get_double_member (row, "cost_usd"), >, 0);
      *cost += json_object_get_double_member (row, "cost_usd");
      n++;
    }
  return n;
}

/* Issue 14: killed between two takes of one line (it ran long and was being asked for again,
 * faster): the first take, paid for, is in `usage` and kept in the generation's folder; the
 * resumed run adds the takes it pays for, and never loses one. */
static void
test_kill_between_takes (void)
{
  g_autofree char *out = NULL, *err = NULL, *rout = NULL, *rerr = NULL;
  g_autoptr(GPtrArray) asked = NULL;
  AdmintFakeFault first = ADMINT_FAKE_FAULT_INIT, held = ADMINT_FAKE_FAULT_INIT;
  const char *args[] = {
    "generate", "--auto", "--json", "--seed", "11", "--config", replicate_config,
    "--voice", "openai", "--music", "none", "24-second ad for a solar lantern, for campers",
    NULL
  };
  double cost = 0;
  guint n_before;

  admint_fake_ai_clear_requests (fake);
  /* Every line runs long at first; the second take (faster) is held until the kill. */
  admint_fake_ai_set_speech_slowness (fake, 3);
  admint_fake_ai_push_fault (fake, "POST", SPEECH, &first);
  held.delay_ms = 600000;
  admint_fake_ai_push_fault (fake, "POST", SPEECH, &held);
  kill_at_speech_request = 2;
  int status = run_admint (args, NULL, NULL, 0, &out, &err);
  kill_at_speech_request = 0;
  admint_fake_ai_set_speech_slowness (fake, 1);
  admint_fake_ai_clear_faults (fake);
  g_assert_cmpint (status, ==, -9);
  g_autofree char *id = pipeline_test_generation_id_from (err);
  asked = speech_inputs (TRUE);
  g_assert_cmpuint (asked->len, ==, 2);
  {
    g_autoptr(GPtrArray) texts = speech_inputs (FALSE);
    /* One line, a faster take of it in flight at the kill. */
    g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, g_ptr_array_index (texts, 1));
    g_assert_cmpstr (g_ptr_array_index (asked, 0), !=, g_ptr_array_index (asked, 1));
  }
  g_assert_cmpuint (speech_rows (id, &cost), ==, 1);
  g_autofree char *take = g_build_filename (g_getenv ("XDG_DATA_HOME"), "admint", "media",
                                            "generations", id, "sound", "voice-00-take-1.wav",
                                            NULL);
  g_assert_true (g_file_test (take, G_FILE_TEST_IS_REGULAR));

  /* The resume pays for the line again, takes and all: each one counted, the first kept. */
  n_before = admint_fake_ai_count_requests (fake, "POST", SPEECH);
  const char *resume[] = { "resume", "--auto", "--json", id, NULL };
  g_assert_cmpint (run_admint (resume, NULL, NULL, 0, &rout, &rerr), ==, 0);
  g_autoptr(JsonObject) doc = pipeline_test_parse_document (rout);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "completed");
  g_assert_cmpuint (speech_rows (id, &cost), ==,
                    1 + admint_fake_ai_count_requests (fake, "POST", SPEECH) - n_before);
  g_assert_true (g_file_test (take, G_FILE_TEST_IS_REGULAR));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  admint_media_init ();

  config_file = g_build_filename (admint_test_get_root (), "quick.yaml", NULL);
  g_assert_true (g_file_set_contents (config_file,
                                      "video:\n  resolution: 360p\nstages:\n  references:\n"
                                      "    count: 1\ncaptions:\n  burn: false\n", -1,
                                      NULL));
  setup_fake ();

  g_test_add_func ("/cli-generate/offline-json", test_offline_json);
  g_test_add_func ("/cli-generate/interactive-stdin", test_interactive_stdin);
  g_test_add_func ("/cli-generate/bad-input", test_bad_input);
  g_test_add_func ("/cli-generate/cancel-mid-clips", test_cancel_mid_clips);
  g_test_add_func ("/cli-generate/set", test_set);
  g_test_add_func ("/cli-generate/variants", test_variants);
  g_test_add_func ("/cli-generate/batch", test_batch);
  g_test_add_func ("/cli-generate/fake/partial-and-refused", test_fake_partial_and_refused);
  g_test_add_func ("/cli-generate/fake/still-running", test_fake_still_running);
  g_test_add_func ("/cli-generate/fake/kill-at-story", test_kill_story);
  g_test_add_func ("/cli-generate/fake/kill-at-references", test_kill_references);
  g_test_add_func ("/cli-generate/fake/kill-at-scenes", test_kill_scenes);
  g_test_add_func ("/cli-generate/fake/kill-at-clips", test_kill_clips_start);
  g_test_add_func ("/cli-generate/fake/kill-mid-fan-out", test_kill_mid_fanout);
  g_test_add_func ("/cli-generate/fake/kill-at-stitching", test_kill_stitching);
  g_test_add_func ("/cli-generate/fake/kill-at-scoring", test_kill_scoring);
  g_test_add_func ("/cli-generate/fake/kill-in-sound", test_kill_in_sound);
  g_test_add_func ("/cli-generate/fake/kill-between-takes", test_kill_between_takes);
  int status = g_test_run ();
  g_clear_object (&fake);
  return status;
}
