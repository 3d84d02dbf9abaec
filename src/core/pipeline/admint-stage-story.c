/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The story stage: the director writes, the critic scores, until the story is good enough. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

static void run_director (AdmintGeneration *self, JsonNode *previous, const char *feedback);

static void
on_critic (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) critique =
    _admint_gen_agent_result (call, result, _admint_gen_valid_critique,
                              "the critic gave no score",
                              _("The critic could not judge the story"));
  if (critique == NULL)
    return;

  double score = _admint_gen_critique_score (critique);
  g_autofree char *reasons = _admint_gen_critique_reasons (critique);
  JsonObject *story = json_node_get_object (self->story);
  json_object_set_double_member (story, "score", score);
  json_object_set_member (story, "critique", json_node_copy (critique));
  _admint_gen_add_message (self, "critic", "text", critique);

  double threshold = admint_config_get_double (self->config, "stages.story.quality_threshold");
  gint64 max_iterations = admint_config_get_int (self->config, "stages.story.max_iterations");
  if (score < threshold && ++self->iteration < max_iterations)
    {
      g_autoptr(JsonNode) previous = json_node_copy (self->story);
      run_director (self, previous, reasons);
      return;
    }

  g_autoptr(GError) store_error = NULL;
  g_autofree char *json = _admint_gen_node_to_string (self->story);
  if (!admint_store_set_generation_json (self->store, self->id, "story", json, &store_error) ||
      !admint_store_set_story_score (self->store, self->id, score, &store_error))
    {
      _admint_gen_handle_error (self, _("Cannot save the story"), store_error);
      return;
    }
  g_signal_emit (self, _admint_gen_signals[SIGNAL_STORY_READY], 0, self->story);
  self->story_approved = self->mode == ADMINT_GENERATION_AUTO;
  _admint_gen_stage_timer_stop (self);
  self->running_stage = FALSE;
  _admint_gen_advance (self);
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
  JsonNode *story = _admint_gen_agent_result (call, result, _admint_gen_is_story,
                                              "the story has no beats",
                                              _("The director could not write the story"));
  if (story == NULL)
    return;

  normalise_story (json_node_get_object (story));
  g_clear_pointer (&self->story, json_node_unref);
  self->story = story;
  _admint_gen_add_message (self, "assistant", "story", story);

  AdmintAgentRequest *request = _admint_gen_agent_request (self, "critic");
  _admint_gen_run_agent (self, request, on_critic, NULL);
}

static void
run_director (AdmintGeneration *self,
              JsonNode         *previous,
              const char       *feedback)
{
  AdmintAgentRequest *request = _admint_gen_agent_request (self, "director");
  g_autofree char *iteration = g_strdup_printf ("%d", self->iteration + 1);
  g_autofree char *previous_text = _admint_gen_node_to_string (previous);

  admint_agent_request_set (request, "feedback", feedback ? feedback : "");
  admint_agent_request_set (request, "previous_story", previous ? previous_text : "");
  admint_agent_request_set (request, "iteration", iteration);
  json_object_remove_member (request->context, "story");
  if (previous != NULL)
    json_object_set_member (request->context, "previous", json_node_copy (previous));
  _admint_gen_run_agent (self, request, on_director, NULL);
}

void
_admint_gen_start_story (AdmintGeneration *self,
                         JsonNode         *previous,
                         const char       *feedback)
{
  self->running_stage = TRUE;
  self->iteration = 0;
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_STORY, "writing the story");
  _admint_gen_stage_timer_start (self, "story");
  run_director (self, previous, feedback);
}
