/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The user's replies while the generation waits: approve, regenerate, refine, edit a scene. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

static void
act_on_intent (AdmintGeneration *self,
               AdmintGenerationWait  stage,
               AdmintIntentKind  kind,
               guint             scene,
               const char       *text)
{
  if (stage == ADMINT_GENERATION_WAIT_BUDGET)
    {
      if (kind == ADMINT_INTENT_APPROVE)
        {
          self->budget_approved = TRUE;
          _admint_gen_advance (self);
        }
      else
        {
          g_cancellable_cancel (self->cancellable);
          _admint_gen_fail (self, _("Stopped at your request before making the clips."));
        }
      return;
    }

  if (stage == ADMINT_GENERATION_WAIT_STORY)
    {
      switch (kind)
        {
        case ADMINT_INTENT_APPROVE:
          self->story_approved = TRUE;
          _admint_gen_advance (self);
          break;
        case ADMINT_INTENT_REGENERATE:
          self->seed += 101;
          _admint_gen_start_story (self, NULL, NULL);
          break;
        default:
          {
            g_autoptr(JsonNode) previous = json_node_copy (self->story);
            _admint_gen_start_story (self, previous, text);
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
      _admint_gen_advance (self);
      break;
    case ADMINT_INTENT_REGENERATE:
      self->seed += 101;
      _admint_gen_start_scenes (self, NULL, self->seed);
      break;
    case ADMINT_INTENT_REFINE:
      _admint_gen_start_scenes (self, text, self->seed);
      break;
    case ADMINT_INTENT_EDIT_SCENE:
    case ADMINT_INTENT_REGENERATE_SCENE:
      if (scene < 1 || scene > n)
        {
          g_autofree char *question = g_strdup_printf (_("There is no scene %u: the scenes are "
                                                       "numbered 1 to %u. What should change?"),
                                                       scene, n);
          _admint_gen_wait_for_user (self, ADMINT_GENERATION_WAIT_SCENES, question);
          return;
        }
      self->rescore_scenes = TRUE;
      if (kind == ADMINT_INTENT_EDIT_SCENE)
        {
          /* The user's words become the scene; the cohesor then re-links its neighbours. */
          JsonObject *obj = _admint_gen_scene_at (self, (int) scene - 1);
          json_object_set_string_member (obj, "description", text);
          self->running_stage = TRUE;
          _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_SCENES, "updating the scenes");
          _admint_gen_run_cohesor (self);
        }
      else
        {
          self->regenerate_scene = (int) scene - 1;
          self->running_stage = TRUE;
          _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_SCENES, "rewriting one scene");
          _admint_gen_run_scene_writer (self, text, self->seed + 7919u * scene);
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
  AdmintGenerationWait stage = GPOINTER_TO_INT (call->extra);
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

  if (self->waiting == ADMINT_GENERATION_WAIT_NONE || self->done)
    return;

  AdmintGenerationWait stage = self->waiting;
  _admint_gen_set_waiting (self, ADMINT_GENERATION_WAIT_NONE);
  _admint_gen_add_text_message (self, "user", "text", text);

  g_autoptr(AdmintIntent) intent = admint_intent_classify (text);
  if (intent->by_rule)
    {
      act_on_intent (self, stage, intent->kind, intent->scene, intent->text);
      return;
    }

  AdmintAgentRequest *request = _admint_gen_agent_request (self, "intent");
  admint_agent_request_set (request, "message", text);
  admint_agent_request_set (request, "reply", text);
  admint_agent_request_set (request, "stage",
                            admint_enum_to_string (ADMINT_TYPE_GENERATION_WAIT, stage));
  _admint_gen_run_agent (self, request, on_intent_agent, GINT_TO_POINTER (stage));
}
