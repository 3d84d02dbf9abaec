/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stages switched off by stages.<stage>.enabled: what each gives instead of running (see
 * docs/config.md, "Switching stages off"). */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <math.h>

#include "admint-generation-private.h"

gboolean
_admint_gen_stage_enabled (AdmintGeneration *self,
                           const char       *stage)
{
  g_autofree char *key = g_strdup_printf ("stages.%s.enabled", stage);
  return admint_config_get_boolean (self->config, key);
}

/* The brief spread over the framework's beats, for the stages after the story when no story is
 * written: never stored, shown or criticised ("outline": true marks it). */
static JsonNode *
outline_from_brief (AdmintGeneration *self)
{
  g_autoptr(AdmintFramework) framework = admint_config_get_framework (self->config,
                                                                      self->framework, NULL);
  g_autofree char *title = admint_brief_get_title (self->brief);
  guint n = framework ? admint_framework_get_n_beats (framework) : 0;
  JsonObject *story = json_object_new ();
  JsonArray *beats = json_array_new ();

  for (guint i = 0; i < MAX (n, 1); i++)
    {
      JsonObject *beat = json_object_new ();
      json_object_set_string_member (beat, "name", framework
                                                   ? admint_framework_get_beat_name (framework, i)
                                                   : "brief");
      json_object_set_string_member (beat, "text", self->prompt);
      json_object_set_string_member (beat, "visual", self->prompt);
      json_object_set_string_member (beat, "on_screen_text", i + 1 == MAX (n, 1)
                                                             ? self->brief->product : title);
      json_array_add_object_element (beats, beat);
    }
  json_object_set_string_member (story, "title", title);
  json_object_set_array_member (story, "beats", beats);
  json_object_set_string_member (story, "voice_over", "");
  json_object_set_string_member (story, "call_to_action", self->brief->product);
  json_object_set_boolean_member (story, "outline", TRUE);

  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, story);
  return node;
}

/* stages.story.enabled false: no story; the scenes come from the brief. */
void
_admint_gen_skip_story (AdmintGeneration *self)
{
  g_clear_pointer (&self->story, json_node_unref);
  self->story = outline_from_brief (self);
  self->story_approved = TRUE;
  _admint_gen_add_text_message (self, "assistant", "progress",
                                _("No story is written (stages.story.enabled is false): the "
                                  "scenes follow the brief."));
}

/* stages.references.enabled false: the user's images as they are, nothing generated, checked
 * or described. */
void
_admint_gen_skip_references (AdmintGeneration *self)
{
  static const char * const roles[] = { "product", "character", "logo", "misc" };
  gint64 count = admint_config_get_int (self->config, "stages.references.count");
  JsonArray *refs = json_array_new ();

  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_REFERENCES, "using the user's images as they are");
  _admint_gen_add_asset_references (self, roles, G_N_ELEMENTS (roles), refs, count);

  g_clear_pointer (&self->references, json_node_unref);
  self->references = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (self->references, refs);

  g_autoptr(GError) error = NULL;
  g_autofree char *json = _admint_gen_node_to_string (self->references);
  if (!admint_store_set_generation_json (self->store, self->id, "references", json, &error))
    {
      _admint_gen_handle_error (self, _("Cannot save the references"), error);
      return;
    }
  _admint_gen_add_message (self, "assistant", "references", self->references);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_REFERENCES_READY], 0, self->references);
  _admint_gen_advance (self);
}

/* stages.scenes.enabled false: one scene a beat of the story (or of the outline), each the
 * beat's picture and line, the target length shared out and no scene longer than a clip. */
void
_admint_gen_skip_scenes (AdmintGeneration *self)
{
  JsonArray *beats = json_object_get_array_member (json_node_get_object (self->story), "beats");
  double clip_seconds = admint_video_provider_get_max_clip_seconds (self->video);
  guint n_beats = MAX (1, json_array_get_length (beats));
  double share = (double) self->target_seconds / n_beats;
  guint per_beat = (guint) ceil (share / clip_seconds - 1e-9);
  JsonArray *scenes = json_array_new ();

  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_SCENES, "one scene a beat, without the scene writer");
  for (guint i = 0; i < n_beats; i++)
    {
      JsonObject *beat = json_array_get_length (beats) > i
                         ? json_array_get_object_element (beats, i) : NULL;
      const char *visual = beat ? json_object_get_string_member_with_default (
                                    beat, "visual", json_object_get_string_member_with_default (
                                                      beat, "text", self->prompt))
                                : self->prompt;
      const char *text = beat ? json_object_get_string_member_with_default (beat,
                                                                            "on_screen_text", "")
                              : "";
      for (guint k = 0; k < per_beat; k++)
        {
          JsonObject *scene = json_object_new ();
          json_object_set_int_member (scene, "index", json_array_get_length (scenes));
          json_object_set_string_member (scene, "description", visual);
          json_object_set_double_member (scene, "duration", round (share / per_beat * 10) / 10);
          json_object_set_string_member (scene, "on_screen_text", k == 0 ? text : "");
          json_object_set_int_member (scene, "reference", 0);
          json_array_add_object_element (scenes, scene);
        }
    }

  g_clear_pointer (&self->scenes, json_node_unref);
  self->scenes = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (self->scenes, scenes);

  g_autoptr(GError) error = NULL;
  g_autofree char *json = _admint_gen_node_to_string (self->scenes);
  if (!admint_store_set_generation_json (self->store, self->id, "scenes", json, &error))
    {
      _admint_gen_handle_error (self, _("Cannot save the scenes"), error);
      return;
    }
  _admint_gen_add_message (self, "assistant", "scenes", self->scenes);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_SCENES_READY], 0, self->scenes);
  /* Nothing was written to approve. */
  self->scenes_approved = TRUE;
  _admint_gen_advance (self);
}

/* stages.clips.enabled false: no clips, no video: the run ends with its story, references and
 * scenes (a plan to read before paying for clips). */
void
_admint_gen_skip_clips (AdmintGeneration *self)
{
  self->done = TRUE;
  _admint_gen_add_text_message (self, "assistant", "text",
                                _("No clips are made (stages.clips.enabled is false): the story, "
                                  "references and scenes are ready; there is no video."));
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_COMPLETED, NULL);
  _admint_gen_time_stage (self, NULL);
  _admint_gen_unlock (self);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_FINISHED], 0, (int) self->status);
}
