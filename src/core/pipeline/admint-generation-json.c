/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A generation's result as `admint generate --json` prints it. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

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

/* Why it stopped and what to do (admint-generation-failure.h), when it did not complete. */
static void
add_failure (JsonBuilder      *b,
             AdmintGeneration *self)
{
  static const char * const kinds[] = {
    "none", "budget", "clips", "timeout", "model", "cancelled", "other", "still_running",
  };
  g_autofree char *reason = NULL, *advice = NULL;
  AdmintFailureKind kind = admint_generation_get_failure (self, &reason, &advice);

  if (kind == ADMINT_FAILURE_NONE)
    return;
  json_builder_set_member_name (b, "failure");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kinds[kind]);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "advice");
  json_builder_add_string_value (b, advice);
  json_builder_end_object (b);
}

/* The references without their prompts: what they are and where. */
static void
add_references (JsonBuilder      *b,
                AdmintGeneration *self)
{
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
}

/* One object a scene's clip: its file, cost, error and scores. */
static void
add_clips (JsonBuilder      *b,
           AdmintGeneration *self)
{
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
      /* The clip's score against quality.good / quality.acceptable; null until it is scored. */
      json_builder_set_member_name (b, "verdict");
      if (clip->scored)
        json_builder_add_string_value (b, admint_verdict_to_string (
          admint_generation_get_clip_verdict (self, i)));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* Cost from the usage the store recorded, by provider. */
static void
add_cost (JsonBuilder *b,
          JsonNode    *stored)
{
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
}

/* Seconds spent in each stage. */
static void
add_timings (JsonBuilder *b,
             JsonObject  *timings)
{
  json_builder_set_member_name (b, "timings");
  json_builder_begin_object (b);
  JsonObjectIter titer;
  const char *stage;
  JsonNode *seconds;
  json_object_iter_init (&titer, timings);
  while (json_object_iter_next (&titer, &stage, &seconds))
    {
      json_builder_set_member_name (b, stage);
      json_builder_add_double_value (b, json_node_get_double (seconds));
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
  json_builder_add_string_value (b, admint_generation_status_to_string (self->status));
  if (self->error_message != NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, self->error_message);
    }
  add_failure (b, self);
  json_builder_set_member_name (b, "prompt");
  json_builder_add_string_value (b, self->prompt);
  json_builder_set_member_name (b, "framework");
  json_builder_add_string_value (b, self->framework);
  json_builder_set_member_name (b, "story");
  /* With stages.story.enabled false the stages work from an outline of the brief: no story. */
  gboolean outline = self->story != NULL &&
                     json_object_get_boolean_member_with_default (
                       json_node_get_object (self->story), "outline", FALSE);
  json_builder_add_value (b, self->story && !outline ? json_node_copy (self->story)
                                                     : json_node_new (JSON_NODE_NULL));

  add_references (b, self);

  json_builder_set_member_name (b, "scenes");
  json_builder_add_value (b, self->scenes ? json_node_copy (self->scenes)
                                          : json_node_new (JSON_NODE_NULL));

  add_clips (b, self);

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
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, admint_verdict_to_string (self->verdict));

  add_cost (b, stored);

  add_timings (b, self->timings);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
