/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenes stage: the scene writer, the scene critic and the cohesor. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

/* The scene list of a writer's answer: an array, or {"scenes": [...]}; NULL otherwise. */
static JsonArray *
scenes_of (JsonNode *node)
{
  JsonNode *list = node;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    list = json_object_get_member (json_node_get_object (node), "scenes");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return NULL;
  return json_node_get_array (list);
}

/* Usable when at least one scene has a description: the rest is repaired (stage-repair.c). */
static gboolean
has_scenes (JsonNode *node)
{
  JsonArray *scenes = scenes_of (node);

  for (guint i = 0; scenes != NULL && i < json_array_get_length (scenes); i++)
    {
      JsonNode *s = json_array_get_element (scenes, i);
      const char *description = JSON_NODE_HOLDS_OBJECT (s)
                                ? json_object_get_string_member_with_default (
                                    json_node_get_object (s), "description", NULL)
                                : NULL;
      if (description != NULL && *description != '\0')
        return TRUE;
    }
  return FALSE;
}

/* The agent's scene list (checked by has_scenes), repaired, becomes the generation's. */
static void
take_scenes (AdmintGeneration *self,
             JsonNode         *node)
{
  JsonArray *scenes = scenes_of (node);

  _admint_gen_repair_scenes (self, scenes);
  g_clear_pointer (&self->scenes, json_node_unref);
  self->scenes = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (self->scenes, scenes);
}

static void
save_scenes (AdmintGeneration *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = _admint_gen_node_to_string (self->scenes);

  if (!admint_store_set_generation_json (self->store, self->id, "scenes", json, &error))
    {
      _admint_gen_handle_error (self, _("Cannot save the scenes"), error);
      return;
    }
  _admint_gen_add_message (self, "assistant", "scenes", self->scenes);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_SCENES_READY], 0, self->scenes);
  /* Scenes the user changed by a reply are judged again: their card then gets its score. */
  if (self->rescore_scenes)
    {
      self->rescore_scenes = FALSE;
      _admint_gen_rescore_scenes (self, NULL);
    }
  self->scenes_approved = self->mode == ADMINT_GENERATION_AUTO;
  _admint_gen_stage_timer_stop (self);
  self->running_stage = FALSE;
  _admint_gen_advance (self);
}

static void
on_cohesor (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) node =
    _admint_gen_agent_result (call, result, has_scenes,
                              "the cohesor's answer has no scene with a description",
                              _("The cohesor could not make the scenes consistent"));
  if (node == NULL)
    return;
  take_scenes (self, node);
  save_scenes (self);
}

void
_admint_gen_run_cohesor (AdmintGeneration *self)
{
  _admint_gen_run_agent (self, _admint_gen_agent_request (self, "cohesor"), on_cohesor, NULL);
}

static void
on_scene_critic (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) critique =
    _admint_gen_agent_result (call, result, _admint_gen_valid_critique,
                              "the scene critic gave no score",
                              _("The scene critic could not judge the scenes"));
  if (critique == NULL)
    return;
  _admint_gen_add_message (self, "critic", "text", critique);

  double threshold = admint_config_get_double (self->config, "stages.scenes.quality_threshold");
  gint64 max_iterations = admint_config_get_int (self->config, "stages.scenes.max_iterations");
  if (_admint_gen_critique_score (critique) < threshold && ++self->iteration < max_iterations)
    {
      g_autofree char *reasons = _admint_gen_critique_reasons (critique);
      _admint_gen_run_scene_writer (self, reasons, self->seed + self->iteration);
      return;
    }
  _admint_gen_run_cohesor (self);
}

static void
on_scene_writer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) node =
    _admint_gen_agent_result (call, result, has_scenes,
                              "the answer has no scene with a description",
                              _("The scene writer could not write the scenes"));
  JsonArray *scenes = NULL;

  if (node == NULL)
    return;
  scenes = scenes_of (node);
  _admint_gen_repair_scenes (self, scenes);

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
      _admint_gen_run_cohesor (self);
      return;
    }

  take_scenes (self, node);
  _admint_gen_run_agent (self, _admint_gen_agent_request (self, "scene_critic"), on_scene_critic,
                                     NULL);
}

void
_admint_gen_run_scene_writer (AdmintGeneration *self,
                              const char       *feedback,
                              guint32           seed)
{
  AdmintAgentRequest *request = _admint_gen_agent_request (self, "scene_writer");
  g_autofree char *previous = _admint_gen_node_to_string (self->scenes);

  admint_agent_request_set (request, "feedback", feedback ? feedback : "");
  admint_agent_request_set (request, "previous_scenes", self->scenes ? previous : "");
  json_object_set_int_member (request->context, "seed", seed);
  _admint_gen_run_agent (self, request, on_scene_writer, NULL);
}

void
_admint_gen_start_scenes (AdmintGeneration *self,
                          const char       *feedback,
                          guint32           seed)
{
  self->running_stage = TRUE;
  self->iteration = 0;
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_SCENES, "writing the scenes");
  _admint_gen_stage_timer_start (self, "scenes");
  _admint_gen_run_scene_writer (self, feedback, seed);
}
