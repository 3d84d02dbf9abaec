/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Asking the generation's agents: the facts every prompt may use, running one, checking its
 * answer. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"
#include "admint-store-styles.h"
#include "admint-json-partial.h"

const char *
_admint_gen_brand_name (AdmintGeneration *self)
{
  return admint_brief_get_name (self->brief);
}

static char *
palette_text (AdmintGeneration *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) styled = admint_style_parse_palette (
    admint_config_get_string (self->config, "brand.palette"), NULL);

  if (styled != NULL && styled[0] != NULL)
    return g_strjoinv (", ", styled);
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

GStrv
_admint_gen_palette_strv (AdmintGeneration *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *refs = self->references ? json_node_get_array (self->references) : NULL;
  GStrv styled = admint_style_parse_palette (admint_config_get_string (self->config,
                                                                       "brand.palette"), NULL);

  /* The brand style's colours were chosen by the user: they come before any read from a
   * picture. */
  if (styled != NULL && styled[0] != NULL)
    return styled;
  g_strfreev (styled);
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
AdmintAgentRequest *
_admint_gen_agent_request (AdmintGeneration *self,
                           const char       *agent)
{
  AdmintAgentRequest *request = admint_agent_request_new (agent, self->id);
  g_autoptr(AdmintFramework) framework = admint_config_get_framework (self->config,
                                                                      self->framework, NULL);
  g_autofree char *target = g_strdup_printf ("%d", self->target_seconds);
  g_autofree char *clip_seconds = g_strdup_printf (
    "%g", admint_video_provider_get_max_clip_seconds (self->video));
  g_autofree char *palette = palette_text (self);
  g_autofree char *story = _admint_gen_node_to_string (self->story);
  g_autofree char *scenes = _admint_gen_node_to_string (self->scenes);
  g_autofree char *references = _admint_gen_node_to_string (self->references);
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
  admint_agent_request_set (request, "brand", _admint_gen_brand_name (self));
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

void
_admint_gen_agent_call_free (AgentCall *call)
{
  g_clear_object (&call->self);
  g_clear_pointer (&call->request, admint_agent_request_free);
  g_free (call);
}

/* ---- drafts: the story and the scenes as a streaming agent writes them ---- */

/* The message an agent's answer becomes, for the agents whose answer the user watches being
 * written; ADMINT_MESSAGE_TEXT for the others (not drafted). */
static AdmintMessageKind
drafted_kind (const char *agent)
{
  if (g_str_equal (agent, "director"))
    return ADMINT_MESSAGE_STORY;
  if (g_str_equal (agent, "scene_writer") || g_str_equal (agent, "cohesor"))
    return ADMINT_MESSAGE_SCENES;
  return ADMINT_MESSAGE_TEXT;
}

/* Takes DRAFT (NULL: the drafting is over) and tells the views. */
static void
set_draft (AdmintGeneration *self,
           JsonNode         *draft)
{
  if (self->draft == NULL && draft == NULL)
    return;
  g_clear_pointer (&self->draft, json_node_unref);
  self->draft = draft;
  g_signal_emit (self, _admint_gen_signals[SIGNAL_DRAFT_CHANGED], 0, (int) self->draft_kind,
                 draft);
}

static void
on_agent_delta (const char *text,
                gpointer    user_data)
{
  AdmintGeneration *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  JsonNode *draft = NULL;

  if (self->done || (node = admint_json_parse_partial (text)) == NULL)
    return;
  if (self->draft_kind == ADMINT_MESSAGE_STORY && JSON_NODE_HOLDS_OBJECT (node))
    draft = g_steal_pointer (&node);
  else if (self->draft_kind == ADMINT_MESSAGE_SCENES && JSON_NODE_HOLDS_ARRAY (node))
    draft = g_steal_pointer (&node);
  else if (self->draft_kind == ADMINT_MESSAGE_SCENES && JSON_NODE_HOLDS_OBJECT (node) &&
           json_object_has_member (json_node_get_object (node), "scenes") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (node),
                                                          "scenes")))
    draft = json_node_copy (json_object_get_member (json_node_get_object (node), "scenes"));
  if (draft != NULL)
    set_draft (self, draft);
}

/* Has REQUEST streamed where the agent's answer is drafted. */
static void
stream_if_drafted (AdmintGeneration   *self,
                   AdmintAgentRequest *request)
{
  AdmintMessageKind kind = drafted_kind (request->agent);

  set_draft (self, NULL);
  if (kind == ADMINT_MESSAGE_TEXT)
    return;
  self->draft_kind = kind;
  request->on_delta = on_agent_delta;
  request->delta_data = self;
}

void
_admint_gen_run_agent (AdmintGeneration    *self,
                       AdmintAgentRequest  *request,
                       GAsyncReadyCallback  callback,
                       gpointer             extra)
{
  AgentCall *call = g_new0 (AgentCall, 1);

  stream_if_drafted (self, request);

  call->self = g_object_ref (self);
  call->request = request;
  call->extra = extra;
  call->callback = callback;
  call->asked = 1;
  admint_llm_provider_run_agent_async (self->llm, request, self->cancellable, callback, call);
}

double
_admint_gen_critique_score (JsonNode *critique)
{
  JsonObject *obj = json_node_get_object (critique);
  JsonNode *score = json_object_get_member (obj, "score");
  return score != NULL && JSON_NODE_HOLDS_VALUE (score) ? json_node_get_double (score) : 0;
}

char *
_admint_gen_critique_reasons (JsonNode *critique)
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
gboolean
_admint_gen_valid_critique (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
         json_object_has_member (json_node_get_object (node), "score");
}

static gboolean
is_unusable_answer (const GError *error)
{
  return error == NULL || g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE);
}

/* See the header: the answer, a second asking, or the generation's failure. */
JsonNode *
_admint_gen_agent_result (AgentCall        *call,
                          GAsyncResult     *result,
                          NodeCheck         check,
                          const char       *bad_reply,
                          const char       *what)
{
  AdmintGeneration *self = call->self;
  g_autoptr(GError) error = NULL;
  JsonNode *node = admint_llm_provider_run_agent_finish (self->llm, result, &error);

  /* The answer is whole (or there is none): the draft gives way to the message. */
  set_draft (self, NULL);
  if (self->done)
    {
      g_clear_pointer (&node, json_node_unref);
      return NULL;
    }
  if (node != NULL && check (node))
    return node;
  g_clear_pointer (&node, json_node_unref);

  if (is_unusable_answer (error) && call->asked < 2)
    {
      AgentCall *again = g_new0 (AgentCall, 1);
      g_autofree char *note = g_strdup_printf ("the %s's answer could not be used (%s); asking "
                                               "again", call->request->agent,
                                               error ? error->message : bad_reply);
      _admint_gen_log_event (self, "reask", note);
      again->self = g_object_ref (self);
      again->request = g_steal_pointer (&call->request);
      again->extra = call->extra;
      again->callback = call->callback;
      again->asked = call->asked + 1;
      admint_llm_provider_run_agent_async (self->llm, again->request, self->cancellable,
                                           again->callback, again);
      return NULL;
    }
  if (is_unusable_answer (error))
    {
      g_autofree char *message = g_strdup_printf (_("%s: asked twice, the answer could not be "
                                                    "used: %s"),
                                                  what, error ? error->message : bad_reply);
      _admint_gen_fail_as (self, ADMINT_FAILURE_MODEL, NULL, message);
      return NULL;
    }
  _admint_gen_handle_error (self, what, error);
  return NULL;
}

gboolean
_admint_gen_is_object (JsonNode *node)
{
  return JSON_NODE_HOLDS_OBJECT (node);
}

gboolean
_admint_gen_is_story (JsonNode *node)
{
  return JSON_NODE_HOLDS_OBJECT (node) &&
         json_object_has_member (json_node_get_object (node), "beats");
}
