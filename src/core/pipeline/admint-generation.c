/* One ad being made: runs brief -> story -> references -> scenes -> clips -> stitch -> score,
 * writes every stage to the store before the next, pauses for the user in interactive mode,
 * and resumes a generation a killed process left behind.
 *
 * Store writes are the store's blocking calls: each is one small committed transaction on the
 * store thread (well under a millisecond with WAL), and a stage must be on disk before the next
 * starts anyway. Everything slow — HTTP, rendering, decoding, scoring — is asynchronous. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "admint-ai-error.h"
#include "admint-brief.h"
#include "admint-error.h"
#include "admint-generation.h"
#include "admint-intent.h"
#include "admint-local-providers.h"
#include "admint-media.h"
#include "admint-score.h"
#include "admint-stitch.h"

#define MIN_REFERENCE_SIDE 256
#define MIN_REFERENCE_IMAGING_QUALITY 0.45   /* sharp photos score 0.6-0.75, blurry ones under 0.45 */

typedef struct _ClipState ClipState;

struct _AdmintGeneration
{
  GObject               parent_instance;

  AdmintStore          *store;
  AdmintConfig         *config;
  AdmintLlmProvider    *llm;
  AdmintImageProvider  *images;
  AdmintVideoProvider  *video;
  GCancellable         *cancellable;

  AdmintGenerationMode  mode;
  guint32               seed;
  double                max_cost;

  char                 *id;
  char                 *group_id;
  char                 *prompt;
  char                 *framework;
  AdmintBrief          *brief;
  int                   target_seconds;
  GPtrArray            *assets;          /* AdmintAssetRow */
  char                 *dir;             /* media/generations/<id> */
  char                 *status;
  char                 *error_message;

  JsonNode             *story;           /* object */
  JsonNode             *references;      /* array */
  JsonNode             *scenes;          /* array */
  gboolean              story_approved;
  gboolean              scenes_approved;
  gboolean              budget_approved;
  char                 *waiting;         /* ADMINT_WAIT_* or NULL */
  int                   iteration;
  guint                 reference_cursor;
  gboolean              reference_retried;
  int                   regenerate_scene; /* 0-based, or -1 */

  GPtrArray            *clips;           /* ClipState, one per scene */
  guint                 clips_in_flight;
  guint                 scores_in_flight;
  char                 *final_video;
  AdmintScores          final_scores;
  gboolean              final_scored;
  gboolean              done;
  gboolean              running_stage;

  JsonObject           *timings;
  char                 *timed_stage;
  gint64                stage_started;
};

struct _ClipState
{
  AdmintGeneration *self;   /* borrowed; the generation outlives its clips' operations */
  int               index;
  int               version;
  guint             attempts;
  gboolean          rephrased;
  char             *status;  /* pending running completed failed */
  char             *path;
  char             *prompt;
  char             *prediction_id;
  char             *error;
  double            duration;
  double            cost;
  AdmintScores      scores;
  gboolean          scored;
  AdmintClipRequest *request;
};

enum {
  SIGNAL_STAGE_CHANGED,
  SIGNAL_MESSAGE_ADDED,
  SIGNAL_STORY_READY,
  SIGNAL_REFERENCES_READY,
  SIGNAL_SCENES_READY,
  SIGNAL_CLIP_PROGRESS,
  SIGNAL_CLIP_READY,
  SIGNAL_CLIP_FAILED,
  SIGNAL_SCORE_READY,
  SIGNAL_WAITING_FOR_USER,
  SIGNAL_FINISHED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AdmintGeneration, admint_generation, G_TYPE_OBJECT)

static void advance (AdmintGeneration *self);

/* ---- small helpers ------------------------------------------------------------------------ */

static void
clip_state_free (ClipState *clip)
{
  g_free (clip->status);
  g_free (clip->path);
  g_free (clip->prompt);
  g_free (clip->prediction_id);
  g_free (clip->error);
  g_clear_pointer (&clip->request, admint_clip_request_free);
  g_free (clip);
}

static char *
node_to_string (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("null");
}

static void
time_stage (AdmintGeneration *self,
            const char       *stage)
{
  gint64 now = g_get_monotonic_time ();

  if (self->timed_stage != NULL)
    {
      double previous = json_object_get_double_member_with_default (self->timings,
                                                                   self->timed_stage, 0);
      json_object_set_double_member (self->timings, self->timed_stage,
                                     previous + (now - self->stage_started) / 1e6);
    }
  g_free (self->timed_stage);
  self->timed_stage = g_strdup (stage);
  self->stage_started = now;
}

static void
set_status (AdmintGeneration *self,
            const char       *status,
            const char       *stage_text)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (self->status, status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (status);
      time_stage (self, status);
      g_signal_emit (self, signals[SIGNAL_STAGE_CHANGED], 0, status);
    }
  if (!admint_store_update_generation_status (self->store, self->id, status, stage_text,
                                              self->error_message, &error))
    g_warning ("Cannot record the status of %s: %s", self->id, error->message);
}

static void
add_message (AdmintGeneration *self,
             const char       *role,
             const char       *kind,
             JsonNode         *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = node_to_string (body);

  if (admint_store_add_message (self->store, self->id, role, kind, json, &error) < 0)
    g_warning ("Cannot store a chat message of %s: %s", self->id, error->message);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_ADDED], 0, role, kind, json);
}

static void
add_text_message (AdmintGeneration *self,
                  const char       *role,
                  const char       *kind,
                  const char       *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "text", text);
  json_node_take_object (node, obj);
  add_message (self, role, kind, node);
}

static void
fail (AdmintGeneration *self,
      const char       *message)
{
  if (self->done)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  self->done = TRUE;
  add_text_message (self, "system", "error", message);
  set_status (self, g_cancellable_is_cancelled (self->cancellable) ? "cancelled" : "failed",
              NULL);
  time_stage (self, NULL);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, message);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->status);
}

/* TRUE when the operation was cancelled: the generation has then been marked cancelled. */
static gboolean
handle_error (AdmintGeneration *self,
              const char       *what,
              GError           *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      fail (self, "Cancelled.");
      return TRUE;
    }
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);
  fail (self, message);
  return FALSE;
}

static const char *
brand_name (AdmintGeneration *self)
{
  return admint_brief_get_name (self->brief);
}

static char *
palette_text (AdmintGeneration *self)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (self->references != NULL)
    {
      JsonArray *refs = json_node_get_array (self->references);
      for (guint i = 0; i < json_array_get_length (refs); i++)
        {
          JsonObject *ref = json_array_get_object_element (refs, i);
          if (!json_object_has_member (ref, "analysis"))
            continue;
          JsonObject *analysis = json_object_get_object_member (ref, "analysis");
          if (!json_object_has_member (analysis, "palette"))
            continue;
          JsonArray *palette = json_object_get_array_member (analysis, "palette");
          for (guint j = 0; j < json_array_get_length (palette); j++)
            g_string_append_printf (out, "%s%s", out->len ? ", " : "",
                                    json_array_get_string_element (palette, j));
          break;
        }
    }
  return g_strdup (out->len ? out->str : "not set");
}

static GStrv
palette_strv (AdmintGeneration *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *refs = self->references ? json_node_get_array (self->references) : NULL;

  /* The logo's colours are the brand's; otherwise the product's. */
  for (int pass = 0; pass < 2 && refs != NULL; pass++)
    for (guint i = 0; i < json_array_get_length (refs); i++)
      {
        JsonObject *ref = json_array_get_object_element (refs, i);
        const char *role = json_object_get_string_member_with_default (ref, "role", "");
        if ((pass == 0) != g_str_equal (role, "logo") || !json_object_has_member (ref, "analysis"))
          continue;
        JsonObject *analysis = json_object_get_object_member (ref, "analysis");
        if (!json_object_has_member (analysis, "palette"))
          continue;
        JsonArray *palette = json_object_get_array_member (analysis, "palette");
        for (guint j = 0; j < json_array_get_length (palette); j++)
          g_strv_builder_add (builder, json_array_get_string_element (palette, j));
        return g_strv_builder_end (builder);
      }
  return NULL;
}

/* Every fact an agent's prompt may use, so any template of the config renders. */
static AdmintAgentRequest *
agent_request (AdmintGeneration *self,
               const char       *agent)
{
  AdmintAgentRequest *request = admint_agent_request_new (agent, self->id);
  g_autoptr(AdmintFramework) framework = admint_config_get_framework (self->config,
                                                                      self->framework, NULL);
  g_autofree char *target = g_strdup_printf ("%d", self->target_seconds);
  g_autofree char *clip_seconds = g_strdup_printf (
    "%g", admint_video_provider_get_max_clip_seconds (self->video));
  g_autofree char *palette = palette_text (self);
  g_autofree char *story = node_to_string (self->story);
  g_autofree char *scenes = node_to_string (self->scenes);
  g_autofree char *references = node_to_string (self->references);
  guint n_scenes = self->scenes ? json_array_get_length (json_node_get_array (self->scenes)) : 0;
  g_autofree char *scene_count = g_strdup_printf ("%u", n_scenes);
  g_autofree char *threshold = g_strdup_printf (
    "%g", admint_config_get_double (self->config, g_str_equal (agent, "scene_critic")
                                                  ? "stages.scenes.quality_threshold"
                                                  : "stages.story.quality_threshold"));
  g_autofree char *beats = framework ? admint_framework_format_beats (framework) : g_strdup ("");

  admint_agent_request_set (request, "brief", self->prompt);
  admint_agent_request_set (request, "framework", self->framework);
  admint_agent_request_set (request, "framework_description",
                            framework ? admint_framework_get_description (framework) : "");
  admint_agent_request_set (request, "beats", beats);
  admint_agent_request_set (request, "product", self->brief->product);
  admint_agent_request_set (request, "audience", self->brief->audience ? self->brief->audience
                                                                       : "a general audience");
  admint_agent_request_set (request, "brand", brand_name (self));
  admint_agent_request_set (request, "palette", palette);
  admint_agent_request_set (request, "target_seconds", target);
  admint_agent_request_set (request, "clip_seconds", clip_seconds);
  admint_agent_request_set (request, "scene_count", scene_count);
  admint_agent_request_set (request, "aspect", admint_config_get_string (self->config,
                                                                         "video.aspect"));
  admint_agent_request_set (request, "threshold", threshold);
  admint_agent_request_set (request, "story", story);
  admint_agent_request_set (request, "scenes", scenes);
  admint_agent_request_set (request, "references", references);
  admint_agent_request_set (request, "feedback", "");
  admint_agent_request_set (request, "previous_story", "");
  admint_agent_request_set (request, "previous_scenes", "");
  admint_agent_request_set (request, "iteration", "1");

  /* Structured facts for the local agents. */
  json_object_set_int_member (request->context, "target_seconds", self->target_seconds);
  json_object_set_double_member (request->context, "clip_seconds",
                                 admint_video_provider_get_max_clip_seconds (self->video));
  json_object_set_int_member (request->context, "seed", self->seed);
  if (self->story != NULL)
    json_object_set_member (request->context, "story", json_node_copy (self->story));
  if (self->scenes != NULL)
    json_object_set_member (request->context, "scenes", json_node_copy (self->scenes));
  if (self->references != NULL)
    json_object_set_member (request->context, "references", json_node_copy (self->references));
  return request;
}

typedef struct {
  AdmintGeneration   *self;
  AdmintAgentRequest *request;
  gpointer            extra;
} AgentCall;

static void
agent_call_free (AgentCall *call)
{
  g_clear_object (&call->self);
  g_clear_pointer (&call->request, admint_agent_request_free);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgentCall, agent_call_free)

static void
run_agent (AdmintGeneration    *self,
           AdmintAgentRequest  *request,
           GAsyncReadyCallback  callback,
           gpointer             extra)
{
  AgentCall *call = g_new0 (AgentCall, 1);

  call->self = g_object_ref (self);
  call->request = request;
  call->extra = extra;
  admint_llm_provider_run_agent_async (self->llm, request, self->cancellable, callback, call);
}

static double
critique_score (JsonNode *critique)
{
  JsonObject *obj = json_node_get_object (critique);
  JsonNode *score = json_object_get_member (obj, "score");
  return score != NULL && JSON_NODE_HOLDS_VALUE (score) ? json_node_get_double (score) : 0;
}

static char *
critique_reasons (JsonNode *critique)
{
  JsonObject *obj = json_node_get_object (critique);
  g_autoptr(GString) out = g_string_new (NULL);

  if (json_object_has_member (obj, "reasons"))
    {
      JsonArray *reasons = json_object_get_array_member (obj, "reasons");
      for (guint i = 0; i < json_array_get_length (reasons); i++)
        g_string_append_printf (out, "%s%s", i ? " " : "",
                                json_array_get_string_element (reasons, i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A chat model may answer with an object, or wrap it; the pipeline keeps one shape. */
static gboolean
valid_critique (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
         json_object_has_member (json_node_get_object (node), "score");
}

typedef gboolean (*NodeCheck) (JsonNode *node);

/* The agent's JSON when CHECK accepts it; otherwise the generation fails, saying WHAT could not
 * be done and why (BAD_REPLY when the agent answered but not usably), and NULL is returned. */
static JsonNode *
agent_result (AdmintGeneration *self,
              GAsyncResult     *result,
              NodeCheck         check,
              const char       *bad_reply,
              const char       *what)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = admint_llm_provider_run_agent_finish (self->llm, result, &error);

  if (node != NULL && check (node))
    return node;
  g_clear_pointer (&node, json_node_unref);
  if (error == NULL)
    g_set_error_literal (&error, ADMINT_ERROR, ADMINT_ERROR_FAILED, bad_reply);
  handle_error (self, what, error);
  return NULL;
}

static gboolean
is_object (JsonNode *node)
{
  return JSON_NODE_HOLDS_OBJECT (node);
}

static gboolean
is_story (JsonNode *node)
{
  return JSON_NODE_HOLDS_OBJECT (node) &&
         json_object_has_member (json_node_get_object (node), "beats");
}

/* ---- waiting for the user ----------------------------------------------------------------- */

static void
wait_for_user (AdmintGeneration *self,
               const char       *stage,
               const char       *question)
{
  g_free (self->waiting);
  self->waiting = g_strdup (stage);
  add_text_message (self, "assistant", "text", question);
  g_signal_emit (self, signals[SIGNAL_WAITING_FOR_USER], 0, stage, question);
}

/* ---- story -------------------------------------------------------------------------------- */

static void run_director (AdmintGeneration *self, JsonNode *previous, const char *feedback);

static void
on_critic (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) critique = agent_result (self, result, valid_critique,
                                               "the critic gave no score",
                                               _("The critic could not judge the story"));
  if (critique == NULL)
    return;

  double score = critique_score (critique);
  g_autofree char *reasons = critique_reasons (critique);
  JsonObject *story = json_node_get_object (self->story);
  json_object_set_double_member (story, "score", score);
  json_object_set_member (story, "critique", json_node_copy (critique));
  add_message (self, "critic", "text", critique);

  double threshold = admint_config_get_double (self->config, "stages.story.quality_threshold");
  gint64 max_iterations = admint_config_get_int (self->config, "stages.story.max_iterations");
  if (score < threshold && ++self->iteration < max_iterations)
    {
      g_autoptr(JsonNode) previous = json_node_copy (self->story);
      run_director (self, previous, reasons);
      return;
    }

  g_autoptr(GError) store_error = NULL;
  g_autofree char *json = node_to_string (self->story);
  if (!admint_store_set_generation_json (self->store, self->id, "story", json, &store_error) ||
      !admint_store_set_story_score (self->store, self->id, score, &store_error))
    {
      handle_error (self, _("Cannot save the story"), store_error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_STORY_READY], 0, self->story);
  self->story_approved = self->mode == ADMINT_GENERATION_AUTO;
  self->running_stage = FALSE;
  advance (self);
}

/* A chat model's story uses "beat" and "seconds"; the pipeline's uses "name". */
static void
normalise_story (JsonObject *story)
{
  if (!json_object_has_member (story, "beats"))
    return;
  JsonArray *beats = json_object_get_array_member (story, "beats");
  GString *vo = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (beats); i++)
    {
      JsonObject *beat = json_array_get_object_element (beats, i);
      if (!json_object_has_member (beat, "name") && json_object_has_member (beat, "beat"))
        json_object_set_string_member (beat, "name", json_object_get_string_member (beat, "beat"));
      const char *text = json_object_get_string_member_with_default (beat, "text", "");
      g_string_append_printf (vo, "%s%s", vo->len ? " " : "", text);
    }
  if (!json_object_has_member (story, "voice_over"))
    json_object_set_string_member (story, "voice_over", vo->str);
  g_string_free (vo, TRUE);
}

static void
on_director (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  JsonNode *story = agent_result (self, result, is_story, "the story has no beats",
                                  _("The director could not write the story"));
  if (story == NULL)
    return;

  normalise_story (json_node_get_object (story));
  g_clear_pointer (&self->story, json_node_unref);
  self->story = story;
  add_message (self, "assistant", "story", story);

  AdmintAgentRequest *request = agent_request (self, "critic");
  run_agent (self, request, on_critic, NULL);
}

static void
run_director (AdmintGeneration *self,
              JsonNode         *previous,
              const char       *feedback)
{
  AdmintAgentRequest *request = agent_request (self, "director");
  g_autofree char *iteration = g_strdup_printf ("%d", self->iteration + 1);
  g_autofree char *previous_text = node_to_string (previous);

  admint_agent_request_set (request, "feedback", feedback ? feedback : "");
  admint_agent_request_set (request, "previous_story", previous ? previous_text : "");
  admint_agent_request_set (request, "iteration", iteration);
  json_object_remove_member (request->context, "story");
  if (previous != NULL)
    json_object_set_member (request->context, "previous", json_node_copy (previous));
  run_agent (self, request, on_director, NULL);
}

static void
start_story (AdmintGeneration *self,
             JsonNode         *previous,
             const char       *feedback)
{
  self->running_stage = TRUE;
  self->iteration = 0;
  set_status (self, "story", "writing the story");
  run_director (self, previous, feedback);
}

/* ---- references --------------------------------------------------------------------------- */

static void references_next (AdmintGeneration *self);

typedef struct {
  char    *path;
  gboolean too_small;
  double   imaging_quality;
} ImageCheck;

static void
check_image_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_file (path, &error);
  ImageCheck *check;

  if (full == NULL)
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("Cannot read the reference image %s: %s"), path, error->message);
      return;
    }
  check = g_new0 (ImageCheck, 1);
  check->too_small = MIN (gdk_pixbuf_get_width (full), gdk_pixbuf_get_height (full))
                     < MIN_REFERENCE_SIDE;
  check->imaging_quality = admint_score_image_quality_pixbuf (full);
  g_task_return_pointer (task, check, g_free);
}

static void
on_reference_analysed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) analysis = agent_result (self, result, is_object, "no analysis came back",
                                               _("The reference analyst could not describe an "
                                               "image"));
  if (analysis == NULL)
    return;

  JsonObject *ref = json_array_get_object_element (json_node_get_array (self->references),
                                                   self->reference_cursor);
  json_object_set_member (ref, "analysis", json_node_copy (analysis));
  self->reference_cursor++;
  self->reference_retried = FALSE;
  references_next (self);
}

static void
analyse_reference (AdmintGeneration *self,
                   JsonObject       *ref)
{
  AdmintAgentRequest *request = agent_request (self, "reference_analyst");
  const char *role = json_object_get_string_member_with_default (ref, "role", "product");

  admint_agent_request_set (request, "asset_kind", role);
  admint_agent_request_set (request, "asset_name",
                            json_object_get_string_member_with_default (ref, "name", ""));
  admint_agent_request_set (request, "role", role);
  admint_agent_request_set (request, "name", brand_name (self));
  g_ptr_array_add (request->images, g_strdup (json_object_get_string_member (ref, "path")));
  run_agent (self, request, on_reference_analysed, NULL);
}

static void generate_reference (AdmintGeneration *self, JsonObject *ref);

static void
on_reference_checked (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree ImageCheck *check = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->done)
    return;
  if (check == NULL)
    {
      handle_error (self, _("A reference image cannot be used"), error);
      return;
    }

  JsonObject *ref = json_array_get_object_element (json_node_get_array (self->references),
                                                   self->reference_cursor);
  json_object_set_double_member (ref, "imaging_quality", check->imaging_quality);
  gboolean bad = check->too_small || check->imaging_quality < MIN_REFERENCE_IMAGING_QUALITY;
  const char *source_kind = json_object_get_string_member (ref, "source");

  if (bad && g_str_equal (source_kind, "generated") && !self->reference_retried)
    {
      /* Too small or too blurry: one more try before settling for it. */
      self->reference_retried = TRUE;
      add_text_message (self, "assistant", "progress",
                        check->too_small ? _("A generated reference image came out too small; "
                                           "making it again.")
                                         : _("A generated reference image came out blurry; "
                                           "making it again."));
      generate_reference (self, ref);
      return;
    }
  if (bad)
    {
      g_autofree char *note = g_strdup_printf (_("The reference %s is %s; it is used anyway. A "
                                               "sharper image of at least %d px gives better "
                                               "clips."),
                                               json_object_get_string_member (ref, "path"),
                                               check->too_small ? "small" : "blurry",
                                               MIN_REFERENCE_SIDE);
      add_text_message (self, "assistant", "text", note);
    }
  analyse_reference (self, ref);
}

static void
check_reference (AdmintGeneration *self,
                 JsonObject       *ref)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_reference_checked,
                                      g_object_ref (self));

  g_task_set_task_data (task, g_strdup (json_object_get_string_member (ref, "path")), g_free);
  g_task_run_in_thread (task, check_image_thread);
}

static void
on_reference_generated (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  g_autoptr(GError) error = NULL;
  double cost = 0;
  g_autofree char *path = admint_image_provider_generate_finish (self->images, result, &cost,
                                                                 &error);

  if (self->done)
    return;
  if (path == NULL)
    {
      handle_error (self, _("The image provider could not make a reference image"), error);
      return;
    }
  if (g_str_equal (admint_image_provider_get_name (self->images), "local"))
    admint_store_record_usage (self->store, "local", "title-card", "image", 1, cost, self->id,
                               NULL);
  JsonObject *ref = json_array_get_object_element (json_node_get_array (self->references),
                                                   self->reference_cursor);
  json_object_set_string_member (ref, "path", path);
  check_reference (self, ref);
}

static void
generate_reference (AdmintGeneration *self,
                    JsonObject       *ref)
{
  g_autoptr(AdmintImageRequest) request = admint_image_request_new ();
  JsonObject *story = json_node_get_object (self->story);
  JsonArray *beats = json_object_get_array_member (story, "beats");
  guint n = json_array_get_length (beats);
  JsonObject *beat = json_array_get_object_element (beats, MIN (self->reference_cursor, n - 1));
  const char *visual = json_object_get_string_member_with_default (
    beat, "visual", json_object_get_string_member_with_default (beat, "text", ""));

  request->prompt = g_strdup_printf ("%s. %s, advertising photograph of the %s (%s).",
                                     json_object_get_string_member_with_default (story, "title",
                                                                                 ""),
                                     visual, self->brief->product, brand_name (self));
  JsonArray *refs = json_node_get_array (self->references);
  for (guint i = 0; i < self->reference_cursor; i++)
    g_ptr_array_add (request->input_images,
                     g_strdup (json_object_get_string_member (
                       json_array_get_object_element (refs, i), "path")));
  g_free (request->aspect);
  request->aspect = g_strdup (admint_config_get_string (self->config, "video.aspect"));
  /* Each generated card says something of its own, in the palette turned a step, so the
   * references (and the clips made from them) are not all alike. */
  guint k = self->reference_cursor;
  g_auto(GStrv) palette = palette_strv (self);
  guint n_colours = palette ? g_strv_length (palette) : 0;
  if (n_colours > 1)
    {
      request->palette = g_new0 (char *, n_colours + 1);
      for (guint c = 0; c < n_colours; c++)
        request->palette[c] = g_strdup (palette[(c + k) % n_colours]);
    }
  else if (k % 2 == 1)
    {
      /* No brand colours yet: alternate the renderer's two defaults. */
      request->palette = g_new0 (char *, 3);
      request->palette[0] = g_strdup ("#F2C14E");
      request->palette[1] = g_strdup ("#125C54");
    }
  g_autofree char *title = admint_brief_get_title (self->brief);
  const char *cta = json_object_get_string_member_with_default (story, "call_to_action",
                                                                self->brief->product);
  const char *overlay = json_object_get_string_member_with_default (beat, "on_screen_text", NULL);
  if (k == 0 || overlay == NULL || *overlay == '\0')
    {
      request->title = g_strdup (title);
      request->tagline = g_strdup (cta);
    }
  else
    {
      request->title = g_strdup (overlay);
      request->tagline = g_strdup (title);
    }
  request->output_dir = g_build_filename (self->dir, "references", NULL);
  request->seed = self->seed + self->reference_cursor * 31u + (self->reference_retried ? 977u : 0u);
  request->generation_id = g_strdup (self->id);
  json_object_set_string_member (ref, "prompt", request->prompt);

  admint_image_provider_generate_async (self->images, request, self->cancellable,
                                        on_reference_generated, g_object_ref (self));
  /* The provider copies what it needs before returning to the main loop; see the local and
   * Replicate implementations. The request must still live until then: keep it on the ref. */
  g_object_set_data_full (G_OBJECT (self), "image-request", g_steal_pointer (&request),
                          (GDestroyNotify) admint_image_request_free);
}

static void
references_next (AdmintGeneration *self)
{
  JsonArray *refs = json_node_get_array (self->references);

  if (self->done)
    return;
  if (self->reference_cursor < json_array_get_length (refs))
    {
      JsonObject *ref = json_array_get_object_element (refs, self->reference_cursor);
      if (json_object_has_member (ref, "path"))
        check_reference (self, ref);
      else
        generate_reference (self, ref);
      return;
    }

  g_autoptr(GError) error = NULL;
  g_autofree char *json = node_to_string (self->references);
  if (!admint_store_set_generation_json (self->store, self->id, "references", json, &error))
    {
      handle_error (self, _("Cannot save the references"), error);
      return;
    }
  add_message (self, "assistant", "references", self->references);
  g_signal_emit (self, signals[SIGNAL_REFERENCES_READY], 0, self->references);
  self->running_stage = FALSE;
  advance (self);
}

static void
start_references (AdmintGeneration *self)
{
  static const char * const roles[] = { "product", "character", "logo" };
  gint64 count = admint_config_get_int (self->config, "stages.references.count");
  JsonArray *refs = json_array_new ();

  self->running_stage = TRUE;
  set_status (self, "references", "preparing reference images");

  /* The user's own assets first, in the order that matters most for consistency. */
  for (gsize r = 0; r < G_N_ELEMENTS (roles); r++)
    for (guint i = 0; i < self->assets->len && json_array_get_length (refs) < (guint) count; i++)
      {
        AdmintAssetRow *asset = g_ptr_array_index (self->assets, i);
        if (!g_str_equal (admint_asset_row_get_kind (asset), roles[r]) ||
            !g_str_has_prefix (admint_asset_row_get_mime (asset), "image/"))
          continue;
        JsonObject *ref = json_object_new ();
        json_object_set_string_member (ref, "role", roles[r]);
        json_object_set_string_member (ref, "source", "asset");
        json_object_set_int_member (ref, "asset_id", admint_asset_row_get_id (asset));
        json_object_set_string_member (ref, "name", admint_asset_row_get_original_name (asset));
        json_object_set_string_member (ref, "path", admint_asset_row_get_path (asset));
        json_array_add_object_element (refs, ref);
      }
  /* The rest are generated from the story. */
  while (json_array_get_length (refs) < (guint) count)
    {
      JsonObject *ref = json_object_new ();
      json_object_set_string_member (ref, "role", json_array_get_length (refs) == 0 ? "product"
                                                                                   : "scene");
      json_object_set_string_member (ref, "source", "generated");
      json_array_add_object_element (refs, ref);
    }

  g_clear_pointer (&self->references, json_node_unref);
  self->references = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (self->references, refs);
  self->reference_cursor = 0;
  self->reference_retried = FALSE;
  references_next (self);
}

/* ---- scenes ------------------------------------------------------------------------------- */

static void run_scene_writer (AdmintGeneration *self, const char *feedback, guint32 seed);

static gboolean
valid_scenes (JsonNode *node,
              JsonArray **out)
{
  JsonArray *scenes = NULL;

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    scenes = json_node_get_array (node);
  else if (JSON_NODE_HOLDS_OBJECT (node) &&
           json_object_has_member (json_node_get_object (node), "scenes"))
    scenes = json_object_get_array_member (json_node_get_object (node), "scenes");
  if (scenes == NULL || json_array_get_length (scenes) == 0)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (scenes); i++)
    {
      JsonNode *s = json_array_get_element (scenes, i);
      if (!JSON_NODE_HOLDS_OBJECT (s))
        return FALSE;
      JsonObject *scene = json_node_get_object (s);
      if (json_object_get_double_member_with_default (scene, "duration", 0) <= 0 ||
          json_object_get_string_member_with_default (scene, "description", NULL) == NULL)
        return FALSE;
      json_object_set_int_member (scene, "index", i);
    }
  *out = scenes;
  return TRUE;
}

static gboolean
has_scenes (JsonNode *node)
{
  JsonArray *unused;
  return valid_scenes (node, &unused);
}

/* The agent's scene list (checked by has_scenes) becomes the generation's. */
static void
take_scenes (AdmintGeneration *self,
             JsonNode         *node)
{
  JsonArray *scenes = NULL;

  valid_scenes (node, &scenes);
  g_clear_pointer (&self->scenes, json_node_unref);
  self->scenes = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (self->scenes, scenes);
}

static void
save_scenes (AdmintGeneration *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = node_to_string (self->scenes);

  if (!admint_store_set_generation_json (self->store, self->id, "scenes", json, &error))
    {
      handle_error (self, _("Cannot save the scenes"), error);
      return;
    }
  add_message (self, "assistant", "scenes", self->scenes);
  g_signal_emit (self, signals[SIGNAL_SCENES_READY], 0, self->scenes);
  self->scenes_approved = self->mode == ADMINT_GENERATION_AUTO;
  self->running_stage = FALSE;
  advance (self);
}

static void
on_cohesor (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) node = agent_result (self, result, has_scenes,
                                           "the cohesor's scenes lack a description or a "
                                           "duration",
                                           _("The cohesor could not make the scenes consistent"));
  if (node == NULL)
    return;
  take_scenes (self, node);
  save_scenes (self);
}

static void
run_cohesor (AdmintGeneration *self)
{
  run_agent (self, agent_request (self, "cohesor"), on_cohesor, NULL);
}

static void
on_scene_critic (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) critique = agent_result (self, result, valid_critique,
                                               "the scene critic gave no score",
                                               _("The scene critic could not judge the scenes"));
  if (critique == NULL)
    return;
  add_message (self, "critic", "text", critique);

  double threshold = admint_config_get_double (self->config, "stages.scenes.quality_threshold");
  gint64 max_iterations = admint_config_get_int (self->config, "stages.scenes.max_iterations");
  if (critique_score (critique) < threshold && ++self->iteration < max_iterations)
    {
      g_autofree char *reasons = critique_reasons (critique);
      run_scene_writer (self, reasons, self->seed + self->iteration);
      return;
    }
  run_cohesor (self);
}

static void
on_scene_writer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) node = agent_result (self, result, has_scenes,
                                           "the scenes lack a description or a duration",
                                           _("The scene writer could not write the scenes"));
  JsonArray *scenes = NULL;

  if (node == NULL)
    return;
  valid_scenes (node, &scenes);

  if (self->regenerate_scene >= 0 && self->scenes != NULL)
    {
      /* Only the one scene the user asked for is replaced; the others stay as approved. */
      JsonArray *current = json_node_get_array (self->scenes);
      guint k = (guint) self->regenerate_scene;
      if (k < json_array_get_length (scenes) && k < json_array_get_length (current))
        {
          JsonArray *merged = json_array_new ();
          for (guint i = 0; i < json_array_get_length (current); i++)
            json_array_add_element (merged, json_node_copy (
              json_array_get_element (i == k ? scenes : current, i)));
          g_clear_pointer (&self->scenes, json_node_unref);
          self->scenes = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (self->scenes, merged);
        }
      self->regenerate_scene = -1;
      run_cohesor (self);
      return;
    }

  take_scenes (self, node);
  run_agent (self, agent_request (self, "scene_critic"), on_scene_critic, NULL);
}

static void
run_scene_writer (AdmintGeneration *self,
                  const char       *feedback,
                  guint32           seed)
{
  AdmintAgentRequest *request = agent_request (self, "scene_writer");
  g_autofree char *previous = node_to_string (self->scenes);

  admint_agent_request_set (request, "feedback", feedback ? feedback : "");
  admint_agent_request_set (request, "previous_scenes", self->scenes ? previous : "");
  json_object_set_int_member (request->context, "seed", seed);
  run_agent (self, request, on_scene_writer, NULL);
}

static void
start_scenes (AdmintGeneration *self,
              const char       *feedback,
              guint32           seed)
{
  self->running_stage = TRUE;
  self->iteration = 0;
  set_status (self, "scenes", "writing the scenes");
  run_scene_writer (self, feedback, seed);
}

/* ---- budget ------------------------------------------------------------------------------- */

static double
estimate_clip_cost (AdmintGeneration *self)
{
  JsonArray *scenes = json_node_get_array (self->scenes);
  double total = 0;

  for (guint i = 0; i < json_array_get_length (scenes); i++)
    {
      ClipState *clip = self->clips && i < self->clips->len ? g_ptr_array_index (self->clips, i)
                                                           : NULL;
      if (clip != NULL && g_strcmp0 (clip->status, "completed") == 0)
        continue;
      total += admint_video_provider_estimate_cost (
        self->video, json_object_get_double_member (json_array_get_object_element (scenes, i),
                                                    "duration"));
    }
  return total;
}

/* TRUE to go on with the clips now. */
static gboolean
check_budget (AdmintGeneration *self)
{
  double estimate = estimate_clip_cost (self);
  double budget = admint_config_get_double (self->config, "budget.max_usd_per_generation");
  double spent = MAX (0, admint_store_get_generation_cost (self->store, self->id, NULL));

  if (self->budget_approved || spent + estimate <= budget)
    return TRUE;
  if (self->max_cost >= 0 && estimate <= self->max_cost)
    {
      g_autofree char *note = g_strdup_printf (_("The clips are estimated at $%.2f, over the budget "
                                               "of $%.2f, within the --max-cost of $%.2f."),
                                               estimate, budget, self->max_cost);
      add_text_message (self, "assistant", "text", note);
      return TRUE;
    }

  g_autofree char *message = NULL;
  if (self->mode == ADMINT_GENERATION_INTERACTIVE)
    {
      message = g_strdup_printf (_("The clips are estimated at $%.2f (already spent: $%.2f), over "
                                 "the budget of $%.2f per generation. Reply “ok” to spend it, or "
                                 "anything else to stop."), estimate, spent, budget);
      wait_for_user (self, ADMINT_WAIT_BUDGET, message);
      return FALSE;
    }
  message = g_strdup_printf (_("Stopped before making the clips: they are estimated at $%.2f "
                             "(already spent: $%.2f), over the budget of $%.2f per generation. "
                             "Raise budget.max_usd_per_generation in your config, or allow it "
                             "with --max-cost %.2f."), estimate, spent, budget, estimate);
  fail (self, message);
  return FALSE;
}

/* ---- clips -------------------------------------------------------------------------------- */

static void start_next_clips (AdmintGeneration *self);
static void start_clip (AdmintGeneration *self, ClipState *clip);

static JsonObject *
scene_at (AdmintGeneration *self,
          int               index)
{
  return json_array_get_object_element (json_node_get_array (self->scenes), index);
}

static char *
reference_path (AdmintGeneration *self,
                int               ref)
{
  JsonArray *refs = self->references ? json_node_get_array (self->references) : NULL;

  if (refs == NULL || ref < 0 || (guint) ref >= json_array_get_length (refs))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (
    json_array_get_object_element (refs, ref), "path", NULL));
}

static char *
logo_path (AdmintGeneration *self)
{
  for (guint i = 0; i < self->assets->len; i++)
    {
      AdmintAssetRow *asset = g_ptr_array_index (self->assets, i);
      if (g_str_equal (admint_asset_row_get_kind (asset), "logo"))
        return g_strdup (admint_asset_row_get_path (asset));
    }
  return NULL;
}

static char *
clip_prompt (AdmintGeneration *self,
             JsonObject       *scene)
{
  GString *p = g_string_new (json_object_get_string_member (scene, "description"));
  const char *camera = json_object_get_string_member_with_default (scene, "camera", NULL);
  const char *continuity = json_object_get_string_member_with_default (scene, "continuity", NULL);
  const char *leads = json_object_get_string_member_with_default (scene, "leads_into", NULL);
  const char *text = json_object_get_string_member_with_default (scene, "on_screen_text", NULL);

  if (camera != NULL && *camera)
    g_string_append_printf (p, " Camera: %s.", camera);
  if (continuity != NULL && *continuity)
    g_string_append_printf (p, " %s", continuity);
  if (leads != NULL && *leads)
    g_string_append_printf (p, " %s", leads);
  if (text != NULL && *text)
    g_string_append_printf (p, " On-screen text: “%s”.", text);
  return g_string_free (p, FALSE);
}

static void
finish_if_clips_done (AdmintGeneration *self);

/* Stores a clip's (or with INDEX -1 the whole video's) scores and says they are ready. */
static void
save_scores (AdmintGeneration   *self,
             int                 index,
             const AdmintScores *scores)
{
  const double dims[ADMINT_QUALITY_N_DIMENSIONS] = {
    scores->subject_consistency, scores->background_consistency, scores->temporal_flickering,
    scores->motion_smoothness, scores->dynamic_degree, scores->aesthetic_quality,
    scores->imaging_quality,
  };
  g_autoptr(GError) error = NULL;

  if (!admint_store_save_quality (self->store, self->id, index, dims, scores->quality_score,
                                  scores->seconds, &error))
    g_warning ("Cannot store the scores of %s: %s", self->id, error->message);
  g_signal_emit (self, signals[SIGNAL_SCORE_READY], 0, index, scores->quality_score);
}

static void
on_clip_scored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ClipState *clip = user_data;
  AdmintGeneration *self = clip->self;
  g_autoptr(GError) error = NULL;

  self->scores_in_flight--;
  if (admint_score_file_finish (result, &clip->scores, &error))
    {
      clip->scored = TRUE;
      save_scores (self, clip->index, &clip->scores);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot score clip %d of %s: %s", clip->index + 1, self->id, error->message);

  finish_if_clips_done (self);
  g_object_unref (self);
}

static void
score_clip (AdmintGeneration *self,
            ClipState        *clip)
{
  /* In the background: the next clips do not wait for this one's score. */
  self->scores_in_flight++;
  admint_score_file_async (clip->path, ADMINT_SCORE_FLAGS_NONE, self->cancellable, NULL, NULL,
                           on_clip_scored, clip);
  g_object_ref (self);
}

static void
on_clip_prediction (const char *prediction_id,
                    gpointer    user_data)
{
  ClipState *clip = user_data;
  AdmintGeneration *self = clip->self;
  g_autoptr(GError) error = NULL;

  /* Paid for the moment it exists: stored before anything else, so a crash resumes it. */
  g_free (clip->prediction_id);
  clip->prediction_id = g_strdup (prediction_id);
  if (!admint_store_set_clip_prediction (self->store, self->id, clip->index, clip->version,
                                         prediction_id, &error))
    g_warning ("Cannot record prediction %s: %s", prediction_id, error->message);
}

static void
on_clip_progress (double   fraction,
                  gpointer user_data)
{
  ClipState *clip = user_data;
  g_signal_emit (clip->self, signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, fraction, "running");
}

static gboolean
is_content_filtered (const GError *error)
{
  return g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED);
}

static void
on_rephrased (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  ClipState *clip = call->extra;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = admint_llm_provider_run_agent_finish (self->llm, result, &error);
  const char *prompt = NULL;

  self->clips_in_flight--;
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    prompt = json_object_get_string_member_with_default (json_node_get_object (node), "prompt",
                                                         NULL);
  if (prompt == NULL)
    {
      g_free (clip->status);
      clip->status = g_strdup ("failed");
      g_free (clip->error);
      clip->error = g_strdup_printf ("refused by the content filter, and it could not be "
                                     "rephrased: %s", error ? error->message : "no prompt");
      admint_store_update_clip (self->store, self->id, clip->index, clip->version, "failed", NULL,
                                -1, -1, clip->error, NULL);
      g_signal_emit (self, signals[SIGNAL_CLIP_FAILED], 0, clip->index, clip->error);
      start_next_clips (self);
      return;
    }
  g_free (clip->prompt);
  clip->prompt = g_strdup (prompt);
  g_free (clip->status);
  clip->status = g_strdup ("pending");
  start_next_clips (self);
}

static void
on_clip_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClipState *clip = user_data;
  AdmintGeneration *self = clip->self;
  g_autoptr(GError) error = NULL;
  double cost = 0;
  gboolean ok = admint_video_provider_generate_finish (self->video, result, &cost, &error);

  self->clips_in_flight--;
  g_clear_pointer (&clip->request, admint_clip_request_free);

  if (self->done)
    {
      g_object_unref (self);
      return;
    }
  if (ok)
    {
      g_autoptr(AdmintMediaInfo) info = admint_media_probe (clip->path, NULL, NULL);
      clip->duration = info ? info->duration
                            : json_object_get_double_member (scene_at (self, clip->index),
                                                             "duration");
      clip->cost = cost;
      g_free (clip->status);
      clip->status = g_strdup ("completed");
      admint_store_update_clip (self->store, self->id, clip->index, clip->version, "completed",
                                clip->path, clip->duration, cost, NULL, NULL);
      if (g_str_equal (admint_video_provider_get_name (self->video), "local"))
        admint_store_record_usage (self->store, "local", "renderer", "video", clip->duration,
                                   cost, self->id, NULL);
      g_signal_emit (self, signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, 1.0, "completed");
      g_signal_emit (self, signals[SIGNAL_CLIP_READY], 0, clip->index, clip->path);
      score_clip (self, clip);
      start_next_clips (self);
      g_object_unref (self);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      admint_store_update_clip (self->store, self->id, clip->index, clip->version, "cancelled",
                                NULL, -1, -1, "cancelled", NULL);
      fail (self, "Cancelled.");
      g_object_unref (self);
      return;
    }

  admint_store_update_clip (self->store, self->id, clip->index, clip->version, "failed", NULL,
                            -1, -1, error->message, NULL);
  g_free (clip->error);
  clip->error = g_strdup (error->message);
  g_free (clip->prediction_id);
  clip->prediction_id = NULL;

  if (is_content_filtered (error) && !clip->rephrased)
    {
      /* A refusal: the LLM rewrites the prompt and the clip is tried once more. */
      clip->rephrased = TRUE;
      g_free (clip->status);
      clip->status = g_strdup ("rephrasing");
      self->clips_in_flight++;
      AdmintAgentRequest *request = agent_request (self, "rephraser");
      admint_agent_request_set (request, "prompt", clip->prompt);
      admint_agent_request_set (request, "message", error->message);
      run_agent (self, request, on_rephrased, clip);
      g_object_unref (self);
      return;
    }

  gint64 max_retries = admint_config_get_int (self->config, "stages.clips.max_retries");
  g_free (clip->status);
  if (clip->attempts <= (guint) max_retries && !is_content_filtered (error))
    {
      clip->status = g_strdup ("pending");
      g_autofree char *note = g_strdup_printf (_("Clip %d failed (%s); trying it again."),
                                               clip->index + 1, error->message);
      add_text_message (self, "assistant", "progress", note);
    }
  else
    {
      clip->status = g_strdup ("failed");
      g_signal_emit (self, signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, 1.0, "failed");
      g_signal_emit (self, signals[SIGNAL_CLIP_FAILED], 0, clip->index, clip->error);
    }
  start_next_clips (self);
  g_object_unref (self);
}

static void
start_clip (AdmintGeneration *self,
            ClipState        *clip)
{
  g_autoptr(GError) error = NULL;
  JsonObject *scene = scene_at (self, clip->index);
  AdmintClipRequest *request = admint_clip_request_new ();
  gboolean resume = clip->prediction_id != NULL;

  if (!resume)
    {
      clip->version = admint_store_add_clip_version (self->store, self->id, clip->index,
                                                     admint_video_provider_get_name (self->video),
                                                     &error);
      if (clip->version <= 0)
        {
          admint_clip_request_free (request);
          handle_error (self, _("Cannot record a new clip"), error);
          return;
        }
    }
  clip->attempts++;
  g_free (clip->status);
  clip->status = g_strdup ("running");
  if (clip->prompt == NULL)
    clip->prompt = clip_prompt (self, scene);

  g_autofree char *name = g_strdup_printf ("clip-%02d-v%d.mp4", clip->index + 1, clip->version);
  g_free (clip->path);
  clip->path = g_build_filename (self->dir, name, NULL);

  request->index = clip->index;
  request->prompt = g_strdup (clip->prompt);
  request->negative_prompt = g_strdup ("blurry, distorted text, extra limbs, watermark");
  int ref = (int) json_object_get_int_member_with_default (scene, "reference", 0);
  if (admint_video_provider_takes_first_frame (self->video))
    request->first_frame = reference_path (self, ref);
  JsonArray *refs = self->references ? json_node_get_array (self->references) : NULL;
  for (guint i = 0; refs != NULL && i < json_array_get_length (refs); i++)
    if ((int) i != ref)
      {
        char *path = reference_path (self, (int) i);
        if (path != NULL)
          g_ptr_array_add (request->images, path);
      }
  request->logo = logo_path (self);
  request->camera = g_strdup (json_object_get_string_member_with_default (scene, "camera", NULL));
  request->on_screen_text = g_strdup (json_object_get_string_member_with_default (
    scene, "on_screen_text", NULL));
  request->palette = palette_strv (self);
  request->scene_json = json_to_string (json_array_get_element (json_node_get_array (
    self->scenes), clip->index), FALSE);
  request->product_name = g_strdup (brand_name (self));
  request->tagline = g_strdup (json_object_get_string_member_with_default (
    json_node_get_object (self->story), "call_to_action", NULL));
  request->duration = json_object_get_double_member (scene, "duration");
  g_free (request->aspect);
  request->aspect = g_strdup (admint_config_get_string (self->config, "video.aspect"));
  g_free (request->resolution);
  request->resolution = g_strdup (admint_config_get_string (self->config, "video.resolution"));
  request->seed = self->seed + (guint32) clip->index;
  request->output_path = g_strdup (clip->path);
  request->prediction_id = g_strdup (clip->prediction_id);
  request->generation_id = g_strdup (self->id);
  request->on_prediction = on_clip_prediction;
  request->on_progress = on_clip_progress;
  request->callback_data = clip;
  clip->request = request;

  admint_store_update_clip (self->store, self->id, clip->index, clip->version, "running", NULL,
                            -1, -1, NULL, NULL);
  self->clips_in_flight++;
  g_signal_emit (self, signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, -1.0,
                 resume ? "resuming" : "starting");
  admint_video_provider_generate_async (self->video, request, self->cancellable, on_clip_done,
                                        clip);
  g_object_ref (self);
}

static void
start_next_clips (AdmintGeneration *self)
{
  gint64 max_concurrent = admint_config_get_boolean (self->config, "stages.clips.parallel")
                          ? admint_config_get_int (self->config, "stages.clips.max_concurrent")
                          : 1;

  if (self->done)
    return;
  for (guint i = 0; i < self->clips->len && self->clips_in_flight < max_concurrent; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      if (g_strcmp0 (clip->status, "pending") == 0)
        start_clip (self, clip);
      if (self->done)
        return;
    }
  finish_if_clips_done (self);
}

static void
finish_if_clips_done (AdmintGeneration *self)
{
  if (self->done || self->clips == NULL || self->clips_in_flight > 0 ||
      g_strcmp0 (self->status, "clips") != 0)
    return;
  for (guint i = 0; i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      if (g_strcmp0 (clip->status, "completed") != 0 && g_strcmp0 (clip->status, "failed") != 0)
        return;
    }
  self->running_stage = FALSE;
  advance (self);
}

static void
prepare_clips (AdmintGeneration *self,
               JsonArray        *stored_clips)
{
  guint n = json_array_get_length (json_node_get_array (self->scenes));

  if (self->clips != NULL && self->clips->len == n)
    return;
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  self->clips = g_ptr_array_new_with_free_func ((GDestroyNotify) clip_state_free);
  for (guint i = 0; i < n; i++)
    {
      ClipState *clip = g_new0 (ClipState, 1);
      clip->self = self;
      clip->index = (int) i;
      clip->status = g_strdup ("pending");
      g_ptr_array_add (self->clips, clip);
    }

  /* On resume: keep finished clips whose file is still there, poll predictions that exist. */
  for (guint j = 0; stored_clips != NULL && j < json_array_get_length (stored_clips); j++)
    {
      JsonObject *row = json_array_get_object_element (stored_clips, j);
      int index = (int) json_object_get_int_member_with_default (row, "scene_index", -1);
      int version = (int) json_object_get_int_member_with_default (row, "version", 0);
      if (index < 0 || (guint) index >= n)
        continue;
      ClipState *clip = g_ptr_array_index (self->clips, index);
      if (version < clip->version)
        continue;  /* only the newest version of each scene counts */
      const char *status = json_object_get_string_member_with_default (row, "status", "");
      const char *path = json_object_get_string_member_with_default (row, "local_path", NULL);
      const char *prediction = json_object_get_string_member_with_default (row, "prediction_id",
                                                                           NULL);
      clip->version = version;
      g_free (clip->status);
      g_clear_pointer (&clip->prediction_id, g_free);
      g_clear_pointer (&clip->path, g_free);
      if (g_str_equal (status, "completed") && path != NULL &&
          g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          clip->status = g_strdup ("completed");
          clip->path = g_strdup (path);
          clip->duration = json_object_get_double_member_with_default (row, "duration", 0);
          clip->cost = json_object_get_double_member_with_default (row, "cost_usd", 0);
        }
      else if (prediction != NULL && *prediction && !g_str_equal (status, "failed"))
        {
          /* Paid for already: poll it (and download again if needed) instead of a new one. */
          clip->status = g_strdup ("pending");
          clip->prediction_id = g_strdup (prediction);
        }
      else
        clip->status = g_strdup ("pending");
    }
}

static void
start_clips (AdmintGeneration *self)
{
  self->running_stage = TRUE;
  set_status (self, "clips", "making the clips");
  prepare_clips (self, NULL);
  for (guint i = 0; i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      /* Clips finished before a crash still need their scores. */
      if (g_strcmp0 (clip->status, "completed") == 0 && !clip->scored)
        score_clip (self, clip);
    }
  start_next_clips (self);
}

/* ---- stitch and score --------------------------------------------------------------------- */

static void
on_final_scored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->done)
    return;
  if (!admint_score_file_finish (result, &self->final_scores, &error))
    {
      handle_error (self, _("Cannot score the finished video"), error);
      return;
    }
  self->final_scored = TRUE;
  admint_store_set_final_video (self->store, self->id, self->final_video,
                                self->final_scores.quality_score, NULL);
  save_scores (self, -1, &self->final_scores);
  self->running_stage = FALSE;
  advance (self);
}

static void
start_final_score (AdmintGeneration *self)
{
  self->running_stage = TRUE;
  set_status (self, "scoring", "scoring the video");
  admint_score_file_async (self->final_video, ADMINT_SCORE_FLAGS_NONE, self->cancellable, NULL,
                           NULL, on_final_scored, g_object_ref (self));
}

static void
on_stitched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->done)
    return;
  g_autoptr(AdmintStitchResult) stitched = admint_media_stitch_finish (result, &error);
  if (stitched == NULL)
    {
      handle_error (self, _("Cannot stitch the clips"), error);
      return;
    }
  admint_store_set_final_video (self->store, self->id, self->final_video, -1, NULL);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();
  json_object_set_string_member (obj, "path", self->final_video);
  json_node_take_object (body, obj);
  add_message (self, "assistant", "video", body);
  self->running_stage = FALSE;
  advance (self);
}

static void
start_stitch (AdmintGeneration *self)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  AdmintStitchOptions options = { 0 };

  for (guint i = 0; i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      if (g_strcmp0 (clip->status, "completed") == 0)
        g_ptr_array_add (inputs, g_strdup (clip->path));
    }
  if (inputs->len == 0)
    {
      fail (self, _("Every clip failed, so there is no video. See the messages above for why; "
                  "`admint resume` tries the clips again."));
      return;
    }
  self->running_stage = TRUE;
  set_status (self, "stitching", "stitching the clips");

  for (guint i = 0; i < self->assets->len; i++)
    {
      AdmintAssetRow *asset = g_ptr_array_index (self->assets, i);
      if (g_str_equal (admint_asset_row_get_kind (asset), "music"))
        {
          options.music = admint_asset_row_get_path (asset);
          break;
        }
    }
  g_free (self->final_video);
  self->final_video = g_build_filename (self->dir, "final.mp4", NULL);
  g_ptr_array_add (inputs, NULL);
  /* Options are copied by the call. */
  admint_media_stitch_async ((const char * const *) inputs->pdata, self->final_video, &options,
                             self->cancellable, NULL, NULL, on_stitched, g_object_ref (self));
}

static void
finish (AdmintGeneration *self)
{
  g_autoptr(GString) failed = g_string_new (NULL);

  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      if (g_strcmp0 (clip->status, "completed") != 0)
        g_string_append_printf (failed, "%sscene %d (%s)", failed->len ? ", " : "",
                                clip->index + 1, clip->error ? clip->error : "failed");
    }
  self->done = TRUE;
  if (failed->len > 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup_printf (_("The video is missing clips that failed: %s. "
                                             "`admint resume %s` tries them again."),
                                             failed->str, self->id);
      add_text_message (self, "assistant", "error", self->error_message);
      set_status (self, "partial", NULL);
    }
  else
    set_status (self, "completed", NULL);
  time_stage (self, NULL);

  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();
  json_object_set_double_member (obj, "quality_score", self->final_scores.quality_score);
  json_object_set_string_member (obj, "path", self->final_video);
  json_node_take_object (body, obj);
  add_message (self, "assistant", "scores", body);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->status);
}

/* ---- the stage machine -------------------------------------------------------------------- */

static void
advance (AdmintGeneration *self)
{
  if (self->done || self->running_stage || self->waiting != NULL)
    return;

  if (self->story == NULL)
    start_story (self, NULL, NULL);
  else if (!self->story_approved)
    {
      set_status (self, "story", "waiting for approval of the story");
      wait_for_user (self, ADMINT_WAIT_STORY,
                     _("Here is the story. Reply “ok” to go on, “try again” for a new one, or say "
                     "what to change."));
    }
  else if (self->references == NULL)
    start_references (self);
  else if (self->scenes == NULL)
    start_scenes (self, NULL, self->seed);
  else if (!self->scenes_approved)
    {
      set_status (self, "scenes", "waiting for approval of the scenes");
      wait_for_user (self, ADMINT_WAIT_SCENES,
                     _("Here are the scenes. Reply “ok” to make the clips, “scene 2: …” to rewrite "
                     "one, “regenerate scene 2”, “try again”, or say what to change."));
    }
  else if (self->clips == NULL || g_strcmp0 (self->status, "clips") == 0 ||
           g_strcmp0 (self->status, "scenes") == 0)
    {
      gboolean clips_done = self->clips != NULL && g_strcmp0 (self->status, "clips") == 0;
      if (clips_done)
        {
          /* All clips are completed or failed (finish_if_clips_done checked). */
          if (self->scores_in_flight > 0)
            return;  /* on_clip_scored calls back in */
          g_clear_pointer (&self->final_video, g_free);
          start_stitch (self);
        }
      else if (check_budget (self))
        start_clips (self);
    }
  else if (self->final_video == NULL || !g_file_test (self->final_video, G_FILE_TEST_IS_REGULAR))
    start_stitch (self);
  else if (!self->final_scored)
    start_final_score (self);
  else
    finish (self);
}

/* ---- replies ------------------------------------------------------------------------------ */

static void
act_on_intent (AdmintGeneration *self,
               const char       *stage,
               AdmintIntentKind  kind,
               guint             scene,
               const char       *text)
{
  if (g_str_equal (stage, ADMINT_WAIT_BUDGET))
    {
      if (kind == ADMINT_INTENT_APPROVE)
        {
          self->budget_approved = TRUE;
          advance (self);
        }
      else
        {
          g_cancellable_cancel (self->cancellable);
          fail (self, _("Stopped at your request before making the clips."));
        }
      return;
    }

  if (g_str_equal (stage, ADMINT_WAIT_STORY))
    {
      switch (kind)
        {
        case ADMINT_INTENT_APPROVE:
          self->story_approved = TRUE;
          advance (self);
          break;
        case ADMINT_INTENT_REGENERATE:
          self->seed += 101;
          start_story (self, NULL, NULL);
          break;
        default:
          {
            g_autoptr(JsonNode) previous = json_node_copy (self->story);
            start_story (self, previous, text);
          }
          break;
        }
      return;
    }

  /* The scenes. */
  guint n = json_array_get_length (json_node_get_array (self->scenes));
  switch (kind)
    {
    case ADMINT_INTENT_APPROVE:
      self->scenes_approved = TRUE;
      advance (self);
      break;
    case ADMINT_INTENT_REGENERATE:
      self->seed += 101;
      start_scenes (self, NULL, self->seed);
      break;
    case ADMINT_INTENT_REFINE:
      start_scenes (self, text, self->seed);
      break;
    case ADMINT_INTENT_EDIT_SCENE:
    case ADMINT_INTENT_REGENERATE_SCENE:
      if (scene < 1 || scene > n)
        {
          g_autofree char *question = g_strdup_printf (_("There is no scene %u: the scenes are "
                                                       "numbered 1 to %u. What should change?"),
                                                       scene, n);
          wait_for_user (self, ADMINT_WAIT_SCENES, question);
          return;
        }
      if (kind == ADMINT_INTENT_EDIT_SCENE)
        {
          /* The user's words become the scene; the cohesor then re-links its neighbours. */
          JsonObject *obj = scene_at (self, (int) scene - 1);
          json_object_set_string_member (obj, "description", text);
          self->running_stage = TRUE;
          set_status (self, "scenes", "updating the scenes");
          run_cohesor (self);
        }
      else
        {
          self->regenerate_scene = (int) scene - 1;
          self->running_stage = TRUE;
          set_status (self, "scenes", "rewriting one scene");
          run_scene_writer (self, text, self->seed + 7919u * scene);
        }
      break;
    }
}

static void
on_intent_agent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autofree char *stage = call->extra;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = admint_llm_provider_run_agent_finish (self->llm, result, &error);
  const char *reply = json_object_get_string_member (call->request->context, "reply");
  AdmintIntentKind kind = ADMINT_INTENT_REFINE;
  guint scene = 0;
  const char *text = reply;

  /* If the agent fails, the rules' reading (refine with the reply) still serves the user. */
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      if (!admint_intent_kind_from_string (json_object_get_string_member_with_default (
                                             obj, "intent", ""), &kind))
        kind = ADMINT_INTENT_REFINE;
      scene = (guint) json_object_get_int_member_with_default (obj, "scene", 0);
      const char *t = json_object_get_string_member_with_default (
        obj, "text", json_object_get_string_member_with_default (obj, "feedback", NULL));
      if (t != NULL && *t)
        text = t;
    }
  else if (error != NULL)
    g_debug ("The intent agent failed (%s); reading the reply as feedback", error->message);

  act_on_intent (self, stage, kind, scene, text);
}

void
admint_generation_reply (AdmintGeneration *self,
                         const char       *text)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  g_return_if_fail (text != NULL);

  if (self->waiting == NULL || self->done)
    return;

  g_autofree char *stage = g_steal_pointer (&self->waiting);
  add_text_message (self, "user", "text", text);

  g_autoptr(AdmintIntent) intent = admint_intent_classify (text);
  if (intent->by_rule)
    {
      act_on_intent (self, stage, intent->kind, intent->scene, intent->text);
      return;
    }

  AdmintAgentRequest *request = agent_request (self, "intent");
  admint_agent_request_set (request, "message", text);
  admint_agent_request_set (request, "reply", text);
  admint_agent_request_set (request, "stage", stage);
  run_agent (self, request, on_intent_agent, g_steal_pointer (&stage));
}

/* ---- public ------------------------------------------------------------------------------- */

static void
admint_generation_dispose (GObject *object)
{
  AdmintGeneration *self = ADMINT_GENERATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->llm);
  g_clear_object (&self->images);
  g_clear_object (&self->video);
  G_OBJECT_CLASS (admint_generation_parent_class)->dispose (object);
}

static void
admint_generation_finalize (GObject *object)
{
  AdmintGeneration *self = ADMINT_GENERATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->cancellable);
  g_free (self->id);
  g_free (self->group_id);
  g_free (self->prompt);
  g_free (self->framework);
  g_clear_pointer (&self->brief, admint_brief_free);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  g_free (self->dir);
  g_free (self->status);
  g_free (self->error_message);
  g_clear_pointer (&self->story, json_node_unref);
  g_clear_pointer (&self->references, json_node_unref);
  g_clear_pointer (&self->scenes, json_node_unref);
  g_free (self->waiting);
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  g_free (self->final_video);
  g_clear_pointer (&self->timings, json_object_unref);
  g_free (self->timed_stage);
  G_OBJECT_CLASS (admint_generation_parent_class)->finalize (object);
}

static void
admint_generation_class_init (AdmintGenerationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = admint_generation_dispose;
  object_class->finalize = admint_generation_finalize;

  signals[SIGNAL_STAGE_CHANGED] =
    g_signal_new ("stage-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_MESSAGE_ADDED] =
    g_signal_new ("message-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_STORY_READY] =
    g_signal_new ("story-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
  signals[SIGNAL_REFERENCES_READY] =
    g_signal_new ("references-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
  signals[SIGNAL_SCENES_READY] =
    g_signal_new ("scenes-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
  signals[SIGNAL_CLIP_PROGRESS] =
    g_signal_new ("clip-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_DOUBLE, G_TYPE_STRING);
  signals[SIGNAL_CLIP_READY] =
    g_signal_new ("clip-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[SIGNAL_CLIP_FAILED] =
    g_signal_new ("clip-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[SIGNAL_SCORE_READY] =
    g_signal_new ("score-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_DOUBLE);
  signals[SIGNAL_WAITING_FOR_USER] =
    g_signal_new ("waiting-for-user", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
admint_generation_init (AdmintGeneration *self)
{
  self->cancellable = g_cancellable_new ();
  self->mode = ADMINT_GENERATION_AUTO;
  self->max_cost = -1;
  self->regenerate_scene = -1;
  self->assets = g_ptr_array_new_with_free_func (g_object_unref);
  self->timings = json_object_new ();
  self->final_scores.quality_score = -1;
}

AdmintGeneration *
admint_generation_new (AdmintStore         *store,
                       AdmintConfig        *config,
                       AdmintLlmProvider   *llm,
                       AdmintImageProvider *images,
                       AdmintVideoProvider *video)
{
  AdmintGeneration *self;

  g_return_val_if_fail (ADMINT_IS_STORE (store), NULL);
  g_return_val_if_fail (ADMINT_IS_CONFIG (config), NULL);
  g_return_val_if_fail (ADMINT_IS_LLM_PROVIDER (llm), NULL);
  g_return_val_if_fail (ADMINT_IS_IMAGE_PROVIDER (images), NULL);
  g_return_val_if_fail (ADMINT_IS_VIDEO_PROVIDER (video), NULL);

  self = g_object_new (ADMINT_TYPE_GENERATION, NULL);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->llm = g_object_ref (llm);
  self->images = g_object_ref (images);
  self->video = g_object_ref (video);
  return self;
}

void
admint_generation_set_mode (AdmintGeneration     *self,
                            AdmintGenerationMode  mode)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  self->mode = mode;
}

void
admint_generation_set_seed (AdmintGeneration *self,
                            guint32           seed)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  self->seed = seed;
}

void
admint_generation_set_max_cost (AdmintGeneration *self,
                                double            max_cost)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  self->max_cost = max_cost;
}

void
admint_generation_set_group (AdmintGeneration *self,
                             const char       *group_id)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
}

static gboolean
setup_brief (AdmintGeneration  *self,
             GError           **error)
{
  g_clear_pointer (&self->brief, admint_brief_free);
  self->brief = admint_brief_parse (self->prompt);
  self->target_seconds = self->brief->target_seconds > 0
                         ? self->brief->target_seconds
                         : (int) admint_config_get_int (self->config, "video.target_seconds");
  if (self->target_seconds > 600)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The brief asks for a %d-second ad; Ad Mint makes ads of up to 10 minutes. "
                   "Ask for a shorter ad."), self->target_seconds);
      return FALSE;
    }
  g_autofree char *media = g_strdup (admint_store_get_media_dir (self->store));
  g_free (self->dir);
  self->dir = g_build_filename (media, "generations", self->id, NULL);
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("Cannot create the folder %s: %s"),
                   self->dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
admint_generation_create (AdmintGeneration  *self,
                          const char        *prompt,
                          const char        *framework,
                          GPtrArray         *assets,
                          GError           **error)
{
  g_autoptr(AdmintFramework) fw = NULL;
  g_autofree char *trimmed = NULL;
  gint64 max_chars;

  g_return_val_if_fail (ADMINT_IS_GENERATION (self), FALSE);
  g_return_val_if_fail (self->id == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (prompt ? prompt : ""));
  max_chars = admint_config_get_int (self->config, "limits.prompt_max_chars");
  if (*trimmed == '\0')
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The brief is empty. Describe the ad, for example “30-second ad for a "
                   "reusable water bottle, for hikers”."));
      return FALSE;
    }
  if (g_utf8_strlen (trimmed, -1) > max_chars)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The brief is %ld characters long; the limit is %ld. Shorten it, or raise "
                     "limits.prompt_max_chars in your config."),
                   g_utf8_strlen (trimmed, -1), (long) max_chars);
      return FALSE;
    }
  fw = admint_config_get_framework (self->config, framework ? framework : "AIDA", error);
  if (fw == NULL)
    return FALSE;

  self->prompt = g_steal_pointer (&trimmed);
  self->framework = g_strdup (admint_framework_get_name (fw));
  for (guint i = 0; assets != NULL && i < assets->len; i++)
    g_ptr_array_add (self->assets, g_object_ref (g_ptr_array_index (assets, i)));

  g_autoptr(JsonArray) asset_json = json_array_new ();
  for (guint i = 0; i < self->assets->len; i++)
    json_array_add_element (asset_json, admint_asset_row_to_json (g_ptr_array_index (self->assets,
                                                                                     i)));
  g_autoptr(JsonNode) asset_node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (asset_node, asset_json);
  g_autofree char *assets_text = json_to_string (asset_node, FALSE);
  /* The settings it runs with, so `resume` carries on with the same ones. */
  g_autoptr(JsonNode) snap = json_node_new (JSON_NODE_OBJECT);
  JsonObject *snap_obj = json_object_new ();
  json_object_set_member (snap_obj, "config", admint_config_to_json (self->config));
  json_object_set_int_member (snap_obj, "seed", self->seed);
  json_object_set_string_member (snap_obj, "mode", self->mode == ADMINT_GENERATION_AUTO
                                                   ? "auto" : "interactive");
  json_node_take_object (snap, snap_obj);
  g_autofree char *snapshot_json = json_to_string (snap, FALSE);

  self->id = admint_store_create_generation (self->store, self->prompt, self->framework,
                                             snapshot_json, assets_text, error);
  if (self->id == NULL)
    return FALSE;
  if (!setup_brief (self, error))
    return FALSE;
  self->status = g_strdup ("pending");
  add_text_message (self, "user", "text", self->prompt);
  return TRUE;
}

gboolean
admint_generation_load (AdmintGeneration  *self,
                        const char        *id,
                        GError           **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  g_return_val_if_fail (ADMINT_IS_GENERATION (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  node = admint_store_get_generation (self->store, id, error);
  if (node == NULL)
    return FALSE;
  obj = json_node_get_object (node);

  self->id = g_strdup (json_object_get_string_member (obj, "id"));
  self->prompt = g_strdup (json_object_get_string_member (obj, "prompt"));
  self->framework = g_strdup (json_object_get_string_member (obj, "framework"));
  self->status = g_strdup (json_object_get_string_member (obj, "status"));

  if (json_object_has_member (obj, "config"))
    {
      JsonNode *snap = json_object_get_member (obj, "config");
      if (JSON_NODE_HOLDS_OBJECT (snap))
        self->seed = (guint32) json_object_get_int_member_with_default (
          json_node_get_object (snap), "seed", self->seed);
    }

  /* Assets by id, as they are in the library now. */
  if (json_object_has_member (obj, "assets") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "assets")))
    {
      JsonArray *assets = json_object_get_array_member (obj, "assets");
      for (guint i = 0; i < json_array_get_length (assets); i++)
        {
          gint64 asset_id = json_object_get_int_member_with_default (
            json_array_get_object_element (assets, i), "id", 0);
          AdmintAssetRow *row = admint_store_get_asset (self->store, asset_id, NULL);
          if (row != NULL)
            g_ptr_array_add (self->assets, row);
        }
    }

  if (!setup_brief (self, error))
    return FALSE;

  static const struct { const char *field; gsize offset; } parts[] = {
    { "story", G_STRUCT_OFFSET (AdmintGeneration, story) },
    { "references", G_STRUCT_OFFSET (AdmintGeneration, references) },
    { "scenes", G_STRUCT_OFFSET (AdmintGeneration, scenes) },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    if (json_object_has_member (obj, parts[i].field) &&
        !JSON_NODE_HOLDS_NULL (json_object_get_member (obj, parts[i].field)))
      G_STRUCT_MEMBER (JsonNode *, self, parts[i].offset) =
        json_node_copy (json_object_get_member (obj, parts[i].field));

  /* What the user had approved follows from how far the stored status got. */
  static const char * const order[] = {
    "pending", "story", "references", "scenes", "clips", "stitching", "scoring", NULL
  };
  int reached = -1;
  for (int i = 0; order[i] != NULL; i++)
    if (g_strcmp0 (self->status, order[i]) == 0)
      reached = i;
  gboolean finished = reached < 0;
  JsonArray *stored_clips = json_object_has_member (obj, "clips")
                            ? json_object_get_array_member (obj, "clips") : NULL;
  gboolean has_clips = stored_clips != NULL && json_array_get_length (stored_clips) > 0;
  /* A stopped or failed generation says only how it ended; what the user had approved then
   * follows from what was made after the approval. */
  self->story_approved = self->mode == ADMINT_GENERATION_AUTO || reached >= 2 ||
                         self->references != NULL || (finished && self->story == NULL);
  self->scenes_approved = self->mode == ADMINT_GENERATION_AUTO || reached >= 4 || has_clips;

  if (self->scenes != NULL && (reached >= 4 || has_clips))
    prepare_clips (self, stored_clips);

  const char *final_video = json_object_get_string_member_with_default (obj, "final_video_path",
                                                                        NULL);
  if (final_video != NULL)
    self->final_video = g_strdup (final_video);
  double quality = json_object_get_double_member_with_default (obj, "quality_score", -1);
  if (quality >= 0 && self->final_video != NULL)
    {
      self->final_scored = TRUE;
      self->final_scores.quality_score = quality;
    }

  if (g_strcmp0 (self->status, "completed") == 0)
    self->done = TRUE;
  else if (finished)
    {
      /* failed, partial or cancelled: run again from where it stopped. */
      g_clear_pointer (&self->error_message, g_free);
      g_free (self->status);
      self->status = g_strdup (self->scenes != NULL && self->scenes_approved ? "clips"
                               : self->scenes != NULL ? "scenes" : "pending");
    }
  return TRUE;
}

void
admint_generation_run (AdmintGeneration *self)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  g_return_if_fail (self->id != NULL);

  if (self->done)
    {
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->status);
      return;
    }
  time_stage (self, self->status);
  /* A generation interrupted in the middle of the clips carries on with them. */
  if (g_strcmp0 (self->status, "clips") == 0 && self->clips != NULL)
    {
      g_free (self->status);
      self->status = g_strdup ("scenes");
    }
  advance (self);
}

void
admint_generation_cancel (AdmintGeneration *self)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));

  if (self->done)
    return;
  g_cancellable_cancel (self->cancellable);
  if (self->clips_in_flight == 0 && self->scores_in_flight == 0 && !self->running_stage)
    fail (self, "Cancelled.");
}

const char *
admint_generation_get_id (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return self->id;
}

const char *
admint_generation_get_status (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return self->status;
}

gboolean
admint_generation_is_done (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), TRUE);
  return self->done;
}

const char *
admint_generation_get_final_video (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return self->final_video;
}

double
admint_generation_get_quality_score (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), -1);
  return self->final_scored ? self->final_scores.quality_score : -1;
}

int
admint_generation_get_n_clips (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), 0);
  return self->scenes ? (int) json_array_get_length (json_node_get_array (self->scenes)) : 0;
}

static void
add_scores (JsonBuilder        *b,
            const AdmintScores *s)
{
  json_builder_begin_object (b);
  const struct { const char *name; double value; } dims[] = {
    { "subject_consistency", s->subject_consistency },
    { "background_consistency", s->background_consistency },
    { "temporal_flickering", s->temporal_flickering },
    { "motion_smoothness", s->motion_smoothness },
    { "dynamic_degree", s->dynamic_degree },
    { "aesthetic_quality", s->aesthetic_quality },
    { "imaging_quality", s->imaging_quality },
    { "quality_score", s->quality_score },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (dims); i++)
    {
      json_builder_set_member_name (b, dims[i].name);
      json_builder_add_double_value (b, dims[i].value);
    }
  json_builder_end_object (b);
}

JsonNode *
admint_generation_to_json (AdmintGeneration *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) stored = NULL;

  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);

  stored = admint_store_get_generation (self->store, self->id, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "generation_id");
  json_builder_add_string_value (b, self->id);
  json_builder_set_member_name (b, "group_id");
  if (self->group_id)
    json_builder_add_string_value (b, self->group_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, self->status);
  if (self->error_message != NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, self->error_message);
    }
  json_builder_set_member_name (b, "prompt");
  json_builder_add_string_value (b, self->prompt);
  json_builder_set_member_name (b, "framework");
  json_builder_add_string_value (b, self->framework);
  json_builder_set_member_name (b, "story");
  json_builder_add_value (b, self->story ? json_node_copy (self->story)
                                         : json_node_new (JSON_NODE_NULL));

  json_builder_set_member_name (b, "references");
  json_builder_begin_array (b);
  JsonArray *refs = self->references ? json_node_get_array (self->references) : NULL;
  for (guint i = 0; refs != NULL && i < json_array_get_length (refs); i++)
    {
      JsonObject *ref = json_array_get_object_element (refs, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, json_object_get_string_member_with_default (ref, "path",
                                                                                    NULL));
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, json_object_get_string_member_with_default (ref, "role",
                                                                                    NULL));
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, json_object_get_string_member_with_default (ref,
                                                                                    "source",
                                                                                    NULL));
      json_builder_set_member_name (b, "asset_id");
      if (json_object_has_member (ref, "asset_id"))
        json_builder_add_int_value (b, json_object_get_int_member (ref, "asset_id"));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "analysis");
      json_builder_add_value (b, json_object_has_member (ref, "analysis")
                                 ? json_node_copy (json_object_get_member (ref, "analysis"))
                                 : json_node_new (JSON_NODE_NULL));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "scenes");
  json_builder_add_value (b, self->scenes ? json_node_copy (self->scenes)
                                          : json_node_new (JSON_NODE_NULL));

  json_builder_set_member_name (b, "clips");
  json_builder_begin_array (b);
  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, clip->index);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, clip->status);
      json_builder_set_member_name (b, "path");
      if (g_strcmp0 (clip->status, "completed") == 0)
        json_builder_add_string_value (b, clip->path);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "duration");
      json_builder_add_double_value (b, clip->duration);
      json_builder_set_member_name (b, "provider");
      json_builder_add_string_value (b, admint_video_provider_get_name (self->video));
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, clip->version);
      json_builder_set_member_name (b, "cost_usd");
      json_builder_add_double_value (b, clip->cost);
      if (clip->error != NULL && g_strcmp0 (clip->status, "completed") != 0)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, clip->error);
        }
      json_builder_set_member_name (b, "scores");
      if (clip->scored)
        add_scores (b, &clip->scores);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "final_video");
  if (self->final_video != NULL)
    json_builder_add_string_value (b, self->final_video);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "quality");
  if (self->final_scored)
    add_scores (b, &self->final_scores);
  else
    json_builder_add_null_value (b);

  /* Cost from the usage the store recorded, by provider. */
  json_builder_set_member_name (b, "cost");
  json_builder_begin_object (b);
  double total = 0;
  g_autoptr(GHashTable) by_provider = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  if (stored != NULL && json_object_has_member (json_node_get_object (stored), "usage"))
    {
      JsonArray *usage = json_object_get_array_member (json_node_get_object (stored), "usage");
      for (guint i = 0; i < json_array_get_length (usage); i++)
        {
          JsonObject *u = json_array_get_object_element (usage, i);
          const char *provider = json_object_get_string_member_with_default (u, "provider", "?");
          double cost = json_object_get_double_member_with_default (u, "cost_usd", 0);
          double *sum = g_hash_table_lookup (by_provider, provider);
          if (sum == NULL)
            {
              sum = g_new0 (double, 1);
              g_hash_table_insert (by_provider, g_strdup (provider), sum);
            }
          *sum += cost;
          total += cost;
        }
    }
  json_builder_set_member_name (b, "total_usd");
  json_builder_add_double_value (b, total);
  json_builder_set_member_name (b, "by_provider");
  json_builder_begin_object (b);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, by_provider);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (b, key);
      json_builder_add_double_value (b, *(double *) value);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "timings");
  json_builder_begin_object (b);
  JsonObjectIter titer;
  const char *stage;
  JsonNode *seconds;
  json_object_iter_init (&titer, self->timings);
  while (json_object_iter_next (&titer, &stage, &seconds))
    {
      json_builder_set_member_name (b, stage);
      json_builder_add_double_value (b, json_node_get_double (seconds));
    }
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
