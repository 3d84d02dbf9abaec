/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include <glib/gstdio.h>

#include "admint-generation-private.h"

guint _admint_gen_signals[N_SIGNALS];
GParamSpec *_admint_gen_properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AdmintGeneration, admint_generation, G_TYPE_OBJECT)

static void
admint_generation_dispose (GObject *object)
{
  AdmintGeneration *self = ADMINT_GENERATION (object);

  g_cancellable_cancel (self->cancellable);
  _admint_gen_stage_timer_stop (self);
  _admint_gen_unlock (self);
  g_clear_object (&self->llm);
  g_clear_object (&self->images);
  g_clear_object (&self->video);
  g_clear_object (&self->voice);
  g_clear_pointer (&self->voice_plan, json_node_unref);
  g_clear_object (&self->redo_task);
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
  g_free (self->error_message);
  g_clear_object (&self->messages);
  g_clear_object (&self->clip_models);
  g_clear_pointer (&self->story, json_node_unref);
  g_clear_pointer (&self->references, json_node_unref);
  g_clear_pointer (&self->scenes, json_node_unref);
  g_clear_pointer (&self->draft, json_node_unref);
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  g_free (self->final_video);
  g_free (self->stitch_output);
  g_clear_pointer (&self->timings, json_object_unref);
  g_free (self->timed_stage);
  g_free (self->timeout_stage);
  g_free (self->failure_key);
  G_OBJECT_CLASS (admint_generation_parent_class)->finalize (object);
}

static void
admint_generation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AdmintGeneration *self = ADMINT_GENERATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STAGE:
      g_value_set_enum (value, self->stage);
      break;
    case PROP_WAITING_FOR:
      g_value_set_enum (value, self->waiting);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_COST:
      g_value_set_double (value, self->cost);
      break;
    case PROP_VIDEO:
      g_value_set_string (value, self->final_video);
      break;
    case PROP_QUALITY_SCORE:
      g_value_set_double (value, admint_generation_get_quality_score (self));
      break;
    case PROP_VERDICT:
      g_value_set_enum (value, self->verdict);
      break;
    case PROP_MESSAGES:
      g_value_set_object (value, self->messages);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_properties (GObjectClass *object_class)
{
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamSpec **p = _admint_gen_properties;

  p[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  p[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, ADMINT_TYPE_GENERATION_STATUS,
                                      ADMINT_GENERATION_STATUS_PENDING, flags);
  p[PROP_STAGE] = g_param_spec_enum ("stage", NULL, NULL, ADMINT_TYPE_GENERATION_STAGE,
                                     ADMINT_GENERATION_STAGE_NONE, flags);
  p[PROP_WAITING_FOR] = g_param_spec_enum ("waiting-for", NULL, NULL,
                                           ADMINT_TYPE_GENERATION_WAIT,
                                           ADMINT_GENERATION_WAIT_NONE, flags);
  p[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, flags);
  p[PROP_COST] = g_param_spec_double ("cost", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  p[PROP_VIDEO] = g_param_spec_string ("video", NULL, NULL, NULL, flags);
  p[PROP_QUALITY_SCORE] = g_param_spec_double ("quality-score", NULL, NULL, -1, 100, -1, flags);
  p[PROP_VERDICT] = g_param_spec_enum ("verdict", NULL, NULL, ADMINT_TYPE_VERDICT,
                                       ADMINT_VERDICT_NONE, flags);
  p[PROP_MESSAGES] = g_param_spec_object ("messages", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  g_object_class_install_properties (object_class, N_PROPS, p);
}

static void
admint_generation_class_init (AdmintGenerationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = admint_generation_dispose;
  object_class->finalize = admint_generation_finalize;
  object_class->get_property = admint_generation_get_property;
  install_properties (object_class);

  _admint_gen_signals[SIGNAL_STORY_READY] =
    g_signal_new ("story-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
  _admint_gen_signals[SIGNAL_REFERENCES_READY] =
    g_signal_new ("references-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
  _admint_gen_signals[SIGNAL_SCENES_READY] =
    g_signal_new ("scenes-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
  _admint_gen_signals[SIGNAL_CLIP_PROGRESS] =
    g_signal_new ("clip-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_DOUBLE, G_TYPE_STRING);
  _admint_gen_signals[SIGNAL_CLIP_READY] =
    g_signal_new ("clip-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  _admint_gen_signals[SIGNAL_CLIP_FAILED] =
    g_signal_new ("clip-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  _admint_gen_signals[SIGNAL_SCORE_READY] =
    g_signal_new ("score-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_DOUBLE);
  _admint_gen_signals[SIGNAL_WAITING_FOR_USER] =
    g_signal_new ("waiting-for-user", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, ADMINT_TYPE_GENERATION_WAIT, G_TYPE_STRING);
  _admint_gen_signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, ADMINT_TYPE_GENERATION_STATUS);
  _admint_gen_signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  _admint_gen_signals[SIGNAL_DRAFT_CHANGED] =
    g_signal_new ("draft-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, ADMINT_TYPE_MESSAGE_KIND,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
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
  self->lock_fd = -1;
  self->messages = g_list_store_new (ADMINT_TYPE_MESSAGE);
  self->clip_models = g_list_store_new (ADMINT_TYPE_CLIP);
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
admint_generation_set_voice (AdmintGeneration    *self,
                             AdmintVoiceProvider *voice)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  g_return_if_fail (voice == NULL || ADMINT_IS_VOICE_PROVIDER (voice));
  g_set_object (&self->voice, voice);
  self->voice_set = TRUE;
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
  /* Held while this process makes it, so a `resume` elsewhere waits its turn. */
  if (!_admint_gen_lock (self, error))
    return FALSE;
  if (!setup_brief (self, error))
    return FALSE;
  self->status = ADMINT_GENERATION_STATUS_PENDING;
  _admint_gen_add_text_message (self, "user", "text", self->prompt);
  return TRUE;
}

/* The conversation so far, so a view of the running generation shows all of it. */
static void
load_messages (AdmintGeneration *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) rows = admint_store_list_messages (self->store, self->id, &error);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

  if (rows == NULL)
    {
      g_warning ("Cannot load the conversation of %s: %s", self->id, error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(AdmintMessageRow) row = g_list_model_get_item (rows, i);
      g_ptr_array_add (messages, admint_message_new_from_row (row));
    }
  g_list_store_splice (self->messages, 0, g_list_model_get_n_items (G_LIST_MODEL (self->messages)),
                       messages->pdata, messages->len);
}

/* What the user had approved, the clips kept, the video and its score, from the stored row. */
static void
restore_progress (AdmintGeneration *self,
                  JsonObject       *obj)
{
  /* PENDING to SCORING are the running statuses, in pipeline order. */
  int reached = self->status <= ADMINT_GENERATION_STATUS_SCORING ? (int) self->status : -1;
  gboolean finished = reached < 0;
  JsonArray *stored_clips = json_object_has_member (obj, "clips")
                            ? json_object_get_array_member (obj, "clips") : NULL;
  gboolean has_clips = stored_clips != NULL && json_array_get_length (stored_clips) > 0;

  /* A stopped or failed generation says only how it ended; what the user had approved then
   * follows from what was made after the approval. */
  self->story_approved = self->mode == ADMINT_GENERATION_AUTO ||
                         reached >= ADMINT_GENERATION_STATUS_REFERENCES ||
                         self->references != NULL || (finished && self->story == NULL);
  self->scenes_approved = self->mode == ADMINT_GENERATION_AUTO ||
                          reached >= ADMINT_GENERATION_STATUS_CLIPS || has_clips;

  if (self->scenes != NULL && (reached >= ADMINT_GENERATION_STATUS_CLIPS || has_clips))
    {
      _admint_gen_prepare_clips (self, stored_clips);
      _admint_gen_restore_clip_scores (self, obj);
    }

  _admint_gen_set_video (self, json_object_get_string_member_with_default (obj,
                                                                           "final_video_path",
                                                                           NULL));
  double quality = json_object_get_double_member_with_default (obj, "quality_score", -1);
  if (quality >= 0 && self->final_video != NULL)
    _admint_gen_set_quality (self, quality);

  if (self->status == ADMINT_GENERATION_STATUS_COMPLETED)
    self->done = TRUE;
  else if (finished)
    {
      /* failed, partial or cancelled: run again from where it stopped. */
      g_clear_pointer (&self->error_message, g_free);
      self->status = self->scenes != NULL && self->scenes_approved
                     ? ADMINT_GENERATION_STATUS_CLIPS
                     : self->scenes != NULL ? ADMINT_GENERATION_STATUS_SCENES
                                            : ADMINT_GENERATION_STATUS_PENDING;
    }
  _admint_gen_update_progress (self);
  _admint_gen_update_cost (self);
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
  /* Before anything is changed: a second resume of the same generation stops here. */
  if (!_admint_gen_lock (self, error))
    return FALSE;
  self->prompt = g_strdup (json_object_get_string_member (obj, "prompt"));
  self->framework = g_strdup (json_object_get_string_member (obj, "framework"));
  self->status = admint_generation_status_from_string (json_object_get_string_member (obj,
                                                                                      "status"));
  self->stage = admint_generation_status_get_stage (self->status);
  load_messages (self);

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

  restore_progress (self, obj);
  return TRUE;
}

void
admint_generation_run (AdmintGeneration *self)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));
  g_return_if_fail (self->id != NULL);

  if (self->done)
    {
      g_signal_emit (self, _admint_gen_signals[SIGNAL_FINISHED], 0, (int) self->status);
      return;
    }
  _admint_gen_time_stage (self, admint_generation_status_to_string (self->status));
  /* A generation interrupted in the middle of the clips carries on with them (the stage
   * machine starts them from "scenes"; no notify: the status is back at clips at once). */
  if (self->status == ADMINT_GENERATION_STATUS_CLIPS && self->clips != NULL)
    self->status = ADMINT_GENERATION_STATUS_SCENES;
  _admint_gen_advance (self);
}

void
admint_generation_cancel (AdmintGeneration *self)
{
  g_return_if_fail (ADMINT_IS_GENERATION (self));

  if (self->done)
    return;
  g_cancellable_cancel (self->cancellable);
  if (self->clips_in_flight == 0 && self->scores_in_flight == 0 && !self->running_stage)
    _admint_gen_fail (self, "Cancelled.");
}

const char *
admint_generation_get_id (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return self->id;
}

AdmintGenerationStatus
admint_generation_get_status (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), ADMINT_GENERATION_STATUS_FAILED);
  return self->status;
}

AdmintGenerationStage
admint_generation_get_stage (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), ADMINT_GENERATION_STAGE_NONE);
  return self->stage;
}

AdmintGenerationWait
admint_generation_get_waiting_for (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), ADMINT_GENERATION_WAIT_NONE);
  return self->done ? ADMINT_GENERATION_WAIT_NONE : self->waiting;
}

double
admint_generation_get_progress (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), 0);
  return self->progress;
}

double
admint_generation_get_cost (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), 0);
  return self->cost;
}

AdmintVerdict
admint_generation_get_verdict (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), ADMINT_VERDICT_NONE);
  return self->verdict;
}

GListModel *
admint_generation_get_messages (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return G_LIST_MODEL (self->messages);
}

JsonNode *
admint_generation_get_draft (AdmintGeneration  *self,
                             AdmintMessageKind *kind)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  if (kind != NULL)
    *kind = self->draft_kind;
  return self->draft;
}

const char *
admint_generation_get_error_message (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return self->error_message;
}

const char *
admint_generation_get_group (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return self->group_id;
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
