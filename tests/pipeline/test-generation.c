/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The orchestrator with the local providers: a full offline ad, the conversation (refine, edit a
 * scene, approve), the budget gate, and resuming a stored generation. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-error.h"
#include "admint-generation.h"
#include "admint-loudness.h"
#include "admint-media.h"
#include "admint-provider-factory.h"
#include "admint-test-util.h"
#include "pipeline-test-util.h"

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
  GArray            *progress;     /* every notified progress value */
  guint              video_notifies;
  guint              quality_notifies;
  guint              verdict_notifies;
} Fixture;

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
  pipeline_test_set (f->config, "video.resolution", "360p");
  pipeline_test_set (f->config, "stages.references.count", "2");
  /* Burning captions re-encodes every frame: only offline-auto, which checks them, does it. */
  pipeline_test_set (f->config, "captions.burn", "false");
  g_assert_true (admint_provider_set_init (&f->providers, f->config, f->store, &error));
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->replies = g_ptr_array_new_with_free_func (g_free);
  f->waits = g_ptr_array_new_with_free_func (g_free);
  f->stages = g_ptr_array_new_with_free_func (g_free);
  f->progress = g_array_new (FALSE, FALSE, sizeof (double));
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
  g_array_unref (f->progress);
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
on_waiting (AdmintGeneration     *gen,
            AdmintGenerationWait  wait,
            const char           *question,
            Fixture              *f)
{
  /* The signal and the property agree. */
  g_assert_cmpint (admint_generation_get_waiting_for (gen), ==, wait);
  g_ptr_array_add (f->waits, g_strdup (admint_enum_to_string (ADMINT_TYPE_GENERATION_WAIT, wait)));
  g_assert_cmpuint (strlen (question), >, 10);
  if (f->next_reply < f->replies->len)
    g_idle_add (reply_later, f);
  else
    g_main_loop_quit (f->loop);   /* nobody to answer: the test looks at the pause */
}

static void
on_stage (AdmintGeneration *gen,
          GParamSpec       *pspec,
          Fixture          *f)
{
  const char *stage = admint_generation_status_to_string (admint_generation_get_status (gen));

  /* Notified only on change: never the same status twice in a row. */
  if (f->stages->len > 0)
    g_assert_cmpstr (g_ptr_array_index (f->stages, f->stages->len - 1), !=, stage);
  g_ptr_array_add (f->stages, g_strdup (stage));
}

static void
on_property (AdmintGeneration *gen,
             GParamSpec       *pspec,
             Fixture          *f)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "progress"))
    {
      double value = admint_generation_get_progress (gen);
      g_array_append_val (f->progress, value);
    }
  else if (g_str_equal (name, "video"))
    f->video_notifies++;
  else if (g_str_equal (name, "quality-score"))
    f->quality_notifies++;
  else if (g_str_equal (name, "verdict"))
    f->verdict_notifies++;
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
on_finished (AdmintGeneration       *gen,
             AdmintGenerationStatus  status,
             Fixture                *f)
{
  g_assert_cmpint (admint_generation_get_status (gen), ==, status);
  g_free (f->finished);
  f->finished = g_strdup (admint_generation_status_to_string (status));
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
  guint timeout = g_timeout_add_seconds (240 * admint_test_time_scale (), on_timeout, f);
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
  g_signal_connect (f->gen, "notify::status", G_CALLBACK (on_stage), f);
  g_signal_connect (f->gen, "clip-ready", G_CALLBACK (on_clip_ready), f);
  g_signal_connect (f->gen, "score-ready", G_CALLBACK (on_score), f);
  g_signal_connect (f->gen, "finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->gen, "notify", G_CALLBACK (on_property), f);
}

/* The state a finished run shows through its properties, each notified when it changed. */
static void
check_properties (Fixture *f)
{
  AdmintGeneration *gen = f->gen;
  static const char * const statuses[] = {
    "story", "references", "scenes", "clips", "stitching", "scoring", "completed", NULL
  };
  g_autofree char *video = NULL;
  double quality = -1;
  AdmintGenerationStatus status;
  AdmintVerdict verdict;

  g_object_get (gen, "status", &status, "video", &video, "quality-score", &quality,
                "verdict", &verdict, NULL);
  g_assert_cmpint (status, ==, ADMINT_GENERATION_STATUS_COMPLETED);
  g_assert_cmpint (admint_generation_get_stage (gen), ==, ADMINT_GENERATION_STAGE_DONE);
  g_assert_cmpint (admint_generation_get_waiting_for (gen), ==, ADMINT_GENERATION_WAIT_NONE);
  g_ptr_array_add (f->stages, NULL);
  g_assert_cmpstrv ((const char * const *) f->stages->pdata, statuses);
  g_ptr_array_remove_index (f->stages, f->stages->len - 1);

  /* Progress only grows, and ends at 1. */
  g_assert_cmpuint (f->progress->len, >=, 5);
  for (guint i = 1; i < f->progress->len; i++)
    g_assert_cmpfloat (g_array_index (f->progress, double, i), >,
                       g_array_index (f->progress, double, i - 1));
  g_assert_cmpfloat (admint_generation_get_progress (gen), ==, 1.0);

  /* The video once it is stitched, the score once it is scored: one notify each. */
  g_assert_cmpuint (f->video_notifies, ==, 1);
  g_assert_true (g_file_test (video, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (f->quality_notifies, ==, 1);
  g_assert_cmpfloat (quality, >, 0);
  g_assert_cmpuint (f->verdict_notifies, ==, 1);
  g_assert_cmpint (verdict, ==, admint_verdict_for_score (
    quality, admint_config_get_double (f->config, "quality.good"),
    admint_config_get_double (f->config, "quality.acceptable")));
  g_assert_cmpint (verdict, !=, ADMINT_VERDICT_NONE);
  g_assert_cmpfloat (admint_generation_get_cost (gen), ==, 0);   /* all local */
}

/* The conversation as typed messages, in the order the pipeline said them. */
static void
check_messages (GListModel *messages)
{
  static const AdmintMessageKind expected[] = {
    ADMINT_MESSAGE_STORY, ADMINT_MESSAGE_CRITIQUE, ADMINT_MESSAGE_REFERENCES,
    ADMINT_MESSAGE_SCENES, ADMINT_MESSAGE_VIDEO, ADMINT_MESSAGE_SCORES,
  };
  guint next = 0;
  guint n = g_list_model_get_n_items (messages);

  g_assert_true (g_list_model_get_item_type (messages) == ADMINT_TYPE_MESSAGE);
  g_assert_cmpuint (n, >=, 7);
  g_autoptr(AdmintMessage) first = g_list_model_get_item (messages, 0);
  g_assert_cmpint (admint_message_get_role (first), ==, ADMINT_MESSAGE_ROLE_USER);
  g_assert_cmpstr (admint_message_get_text (first), ==, BRIEF);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(AdmintMessage) m = g_list_model_get_item (messages, i);
      AdmintMessageKind kind = admint_message_get_kind (m);
      if (next < G_N_ELEMENTS (expected) && kind == expected[next])
        next++;
      switch (kind)
        {
        case ADMINT_MESSAGE_STORY:
          g_assert_true (json_object_has_member (admint_message_get_object (m), "beats"));
          break;
        case ADMINT_MESSAGE_CRITIQUE:
          g_assert_cmpint (admint_message_get_role (m), ==, ADMINT_MESSAGE_ROLE_CRITIC);
          g_assert_cmpfloat (admint_message_get_score (m), >=, 0);
          break;
        case ADMINT_MESSAGE_SCENES:
        case ADMINT_MESSAGE_REFERENCES:
          g_assert_cmpuint (json_array_get_length (admint_message_get_array (m)), >=, 1);
          break;
        case ADMINT_MESSAGE_VIDEO:
          g_assert_true (g_file_test (admint_message_get_path (m), G_FILE_TEST_IS_REGULAR));
          break;
        case ADMINT_MESSAGE_SCORES:
          g_assert_cmpfloat (admint_message_get_score (m), >, 0);
          break;
        default:
          break;
        }
    }
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (expected));
}

static void
assert_member (JsonObject *obj,
               const char *name)
{
  if (!json_object_has_member (obj, name))
    g_error ("the result has no “%s”", name);
}

/* The captions were drawn into the clips by the renderer (one encode): each clip says which
 * cues it drew, every one of them is in the ad's SubRip file at the same time with the same
 * words, and the sound stage copied the picture instead of encoding it again. */
static void
assert_captions_in_clips (Fixture    *f,
                          JsonArray  *clips,
                          JsonArray  *scenes,
                          const char *srt)
{
  GListModel *messages = admint_generation_get_messages (f->gen);
  double start = 0;
  guint n_cues = 0, n_srt = 0;
  gboolean copied = FALSE;

  for (guint i = 0; i < json_array_get_length (clips); i++)
    {
      JsonObject *clip = json_array_get_object_element (clips, i);
      g_autofree char *boxes = g_strconcat (json_object_get_string_member (clip, "path"),
                                            ".text.json", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *cues;

      g_assert_true (json_parser_load_from_file (parser, boxes, &error));
      g_assert_no_error (error);
      cues = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "captions");
      for (guint k = 0; k < json_array_get_length (cues); k++)
        {
          JsonObject *cue = json_array_get_object_element (cues, k);
          gint64 ms = llround (start * 1000) + json_object_get_int_member (cue, "start_ms");
          JsonArray *words = json_object_get_array_member (cue, "words");
          g_autofree char *at = NULL;

          if (json_object_get_int_member (cue, "start_ms") < 0)
            continue;   /* a cue from the scene before, running over the cut */
          at = g_strdup_printf ("%02d:%02d:%02d,%03d --> ", (int) (ms / 3600000),
                                (int) (ms / 60000 % 60), (int) (ms / 1000 % 60),
                                (int) (ms % 1000));
          g_assert_nonnull (strstr (srt, at));
          g_assert_nonnull (strstr (strstr (srt, at), json_object_get_string_member (
            json_array_get_object_element (words, 0), "text")));
          n_cues++;
        }
      start += json_object_get_double_member (json_array_get_object_element (scenes, i),
                                              "duration");
    }
  for (const char *p = srt; (p = strstr (p, " --> ")) != NULL; p++)
    n_srt++;
  g_assert_cmpuint (n_cues, >=, 2);
  g_assert_cmpuint (n_cues, ==, n_srt);
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(AdmintMessage) message = g_list_model_get_item (messages, i);
      JsonObject *body = admint_message_get_object (message);

      if (body != NULL && json_object_has_member (body, "video_copied"))
        copied = json_object_get_boolean_member (body, "video_copied");
    }
  g_assert_true (copied);
}

static void
test_offline_auto (Fixture       *f,
                   gconstpointer  data)
{
  pipeline_test_set (f->config, "captions.burn", "true");
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

  /* The whole pipeline with its sound: the ad speaks, with captions burned and beside it. */
  {
    g_autofree char *dir = g_path_get_dirname (video);
    g_autofree char *srt_path = g_build_filename (dir, "final.srt", NULL);
    g_autofree char *srt = NULL;
    AdmintLoudness loudness;

    g_assert_true (g_str_has_suffix (video, "final.mp4"));
    g_assert_true (g_file_get_contents (srt_path, &srt, NULL, NULL));
    g_assert_nonnull (strstr (srt, "1\n00:00:"));
    g_assert_nonnull (strstr (srt, " --> "));
    g_assert_true (admint_loudness_measure_file (video, &loudness, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat (fabs (loudness.integrated_lufs + 14), <=, 1.0);
    g_assert_cmpfloat (loudness.true_peak_dbtp, <=, -1.0);
    assert_captions_in_clips (f, json_object_get_array_member (obj, "clips"), scenes, srt);
  }

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
  g_assert_true (json_object_has_member (timings, "voice"));
  g_assert_true (json_object_has_member (timings, "sound"));

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
  g_assert_cmpstr (json_object_get_string_member (obj, "verdict"), ==,
                   admint_verdict_to_string (admint_generation_get_verdict (f->gen)));

  check_properties (f);
  check_messages (admint_generation_get_messages (f->gen));
  g_assert_cmpuint (g_list_model_get_n_items (admint_generation_get_messages (f->gen)), ==,
                    json_array_get_length (json_object_get_array_member (s, "messages")));

  /* Loaded again, it has the same conversation, state and verdict without running. */
  g_autoptr(AdmintGeneration) again = admint_generation_new (f->store, f->config,
                                                             f->providers.llm,
                                                             f->providers.images,
                                                             f->providers.video);
  g_assert_true (admint_generation_load (again, admint_generation_get_id (f->gen), &error));
  g_assert_no_error (error);
  g_assert_cmpint (admint_generation_get_status (again), ==, ADMINT_GENERATION_STATUS_COMPLETED);
  g_assert_cmpint (admint_generation_get_verdict (again), ==,
                   admint_generation_get_verdict (f->gen));
  g_assert_cmpstr (admint_generation_get_final_video (again), ==,
                   admint_generation_get_final_video (f->gen));
  check_messages (admint_generation_get_messages (again));
}

/* One list a type: every value has a nick, read back to the same value. */
static void
test_enums (void)
{
  const GType types[] = {
    ADMINT_TYPE_GENERATION_STATUS, ADMINT_TYPE_GENERATION_STAGE, ADMINT_TYPE_GENERATION_WAIT,
    ADMINT_TYPE_VERDICT, ADMINT_TYPE_MESSAGE_ROLE, ADMINT_TYPE_MESSAGE_KIND,
  };

  for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (types[t]);
      g_assert_cmpuint (klass->n_values, >=, 3);
      for (guint i = 0; i < klass->n_values; i++)
        {
          int value = -1;
          const char *nick = admint_enum_to_string (types[t], klass->values[i].value);
          g_assert_cmpstr (nick, ==, klass->values[i].value_nick);
          g_assert_true (admint_enum_from_string (types[t], nick, &value));
          g_assert_cmpint (value, ==, klass->values[i].value);
        }
      int untouched = 42;
      g_assert_false (admint_enum_from_string (types[t], "no-such-value", &untouched));
      g_assert_cmpint (untouched, ==, 42);
    }

  /* The stored strings are the nicks; an unknown one (a newer version's) reads as failed. */
  g_assert_cmpint (admint_generation_status_from_string ("scenes"), ==,
                   ADMINT_GENERATION_STATUS_SCENES);
  g_assert_cmpint (admint_generation_status_from_string ("dreaming"), ==,
                   ADMINT_GENERATION_STATUS_FAILED);
  g_assert_true (admint_generation_status_is_finished (ADMINT_GENERATION_STATUS_PARTIAL));
  g_assert_false (admint_generation_status_is_finished (ADMINT_GENERATION_STATUS_SCORING));
  g_assert_cmpint (admint_generation_status_get_stage (ADMINT_GENERATION_STATUS_CLIPS), ==,
                   ADMINT_GENERATION_STAGE_CLIPS);
  g_assert_cmpstr (admint_generation_status_get_label (ADMINT_GENERATION_STATUS_SCENES), ==,
                   "Writing the scenes");

  /* The bands: good from quality.good up, acceptable from quality.acceptable up. */
  g_assert_cmpint (admint_verdict_for_score (-1, 70, 50), ==, ADMINT_VERDICT_NONE);
  g_assert_cmpint (admint_verdict_for_score (49.9, 70, 50), ==, ADMINT_VERDICT_POOR);
  g_assert_cmpint (admint_verdict_for_score (50, 70, 50), ==, ADMINT_VERDICT_ACCEPTABLE);
  g_assert_cmpint (admint_verdict_for_score (70, 70, 50), ==, ADMINT_VERDICT_GOOD);
  g_assert_cmpstr (admint_verdict_to_string (ADMINT_VERDICT_ACCEPTABLE), ==, "acceptable");
}

/* Stored message bodies become typed messages. */
static void
test_messages (void)
{
  g_autoptr(JsonNode) critique = json_from_string ("{\"score\": 7.5, \"reasons\": [\"ok\"]}",
                                                   NULL);
  g_autoptr(JsonNode) error_body = json_from_string ("{\"text\": \"Budget reached\"}", NULL);
  g_autoptr(JsonNode) scores = json_from_string ("{\"quality_score\": 64, \"path\": \"/v.mp4\"}",
                                                 NULL);
  g_autoptr(JsonNode) scenes = json_from_string ("[{\"description\": \"a\", \"duration\": 4}]",
                                                 NULL);

  g_autoptr(AdmintMessage) c = admint_message_new ("critic", "text", critique);
  g_assert_cmpint (admint_message_get_kind (c), ==, ADMINT_MESSAGE_CRITIQUE);
  g_assert_cmpint (admint_message_get_role (c), ==, ADMINT_MESSAGE_ROLE_CRITIC);
  g_assert_cmpfloat (admint_message_get_score (c), ==, 7.5);
  g_assert_nonnull (admint_message_get_object (c));

  g_autoptr(AdmintMessage) e = admint_message_new ("system", "error", error_body);
  g_assert_cmpint (admint_message_get_kind (e), ==, ADMINT_MESSAGE_ERROR);
  g_assert_cmpstr (admint_message_get_text (e), ==, "Budget reached");
  g_assert_null (admint_message_get_payload (e));

  g_autoptr(AdmintMessage) v = admint_message_new ("assistant", "scores", scores);
  g_assert_cmpint (admint_message_get_kind (v), ==, ADMINT_MESSAGE_SCORES);
  g_assert_cmpfloat (admint_message_get_score (v), ==, 64);
  g_assert_cmpstr (admint_message_get_path (v), ==, "/v.mp4");

  g_autoptr(AdmintMessage) sc = admint_message_new ("assistant", "scenes", scenes);
  g_assert_cmpint (admint_message_get_kind (sc), ==, ADMINT_MESSAGE_SCENES);
  g_assert_cmpuint (json_array_get_length (admint_message_get_array (sc)), ==, 1);
  g_assert_null (admint_message_get_object (sc));
  AdmintMessageKind kind;
  g_object_get (sc, "kind", &kind, NULL);
  g_assert_cmpint (kind, ==, ADMINT_MESSAGE_SCENES);
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
  pipeline_test_set (f->config, "prices.local", "1.5");
  pipeline_test_set (f->config, "budget.max_usd_per_generation", "1.0");

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
  g_signal_connect (f->gen, "notify::status", G_CALLBACK (on_stage), f);
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
  g_signal_connect (f->gen, "notify::status", G_CALLBACK (on_stage), f);
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

  g_test_add_func ("/generation/enums", test_enums);
  g_test_add_func ("/generation/messages", test_messages);
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
