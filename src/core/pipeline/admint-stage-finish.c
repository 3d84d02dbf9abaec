/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The last stages: stitching the clips, scoring the video, and the end of the run. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

static void
on_final_scored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  g_autoptr(GError) error = NULL;
  AdmintScores scores = { 0 };

  if (self->done)
    return;
  if (!admint_score_file_finish (result, &scores, &error))
    {
      _admint_gen_handle_error (self, _("Cannot score the finished video"), error);
      return;
    }
  double quality = scores.quality_score;
  scores.quality_score = self->final_scores.quality_score;
  self->final_scores = scores;
  _admint_gen_set_quality (self, quality);
  admint_store_set_final_video (self->store, self->id, self->final_video,
                                self->final_scores.quality_score, NULL);
  _admint_gen_save_scores (self, -1, &self->final_scores);
  self->running_stage = FALSE;
  _admint_gen_advance (self);
}

/* Whether the ad's picture is the clips' video streams joined, not encoded again: this run's
 * stitch copied them, and the sound stage's "video" message says it copied the picture. */
static gboolean
picture_is_copied_clips (AdmintGeneration *self)
{
  GListModel *messages = G_LIST_MODEL (self->messages);

  if (!self->stitch_copied)
    return FALSE;
  for (guint i = g_list_model_get_n_items (messages); i-- > 0;)
    {
      g_autoptr(AdmintMessage) message = g_list_model_get_item (messages, i);
      JsonObject *obj;

      if (admint_message_get_kind (message) != ADMINT_MESSAGE_VIDEO)
        continue;
      obj = admint_message_get_object (message);
      return obj != NULL &&
             g_strcmp0 (json_object_get_string_member_with_default (obj, "path", NULL),
                        self->final_video) == 0 &&
             json_object_get_boolean_member_with_default (obj, "video_copied", FALSE);
    }
  return FALSE;
}

/* The scores of the clips in the ad, in its order, when the ad's picture is theirs copied and
 * every one was measured in this run (with the sums a combination needs); else NULL. */
static GArray *
joined_clip_scores (AdmintGeneration *self)
{
  g_autoptr(GArray) scores = g_array_new (FALSE, FALSE, sizeof (AdmintScores));

  if (!picture_is_copied_clips (self))
    return NULL;
  for (guint i = 0; i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);

      if (g_strcmp0 (clip->status, "completed") != 0)
        continue;
      if (!clip->scored || !clip->scores.sums.valid)
        return NULL;
      g_array_append_val (scores, clip->scores);
    }
  return scores->len > 0 ? g_steal_pointer (&scores) : NULL;
}

void
_admint_gen_start_final_score (AdmintGeneration *self)
{
  g_autoptr(GArray) clips = joined_clip_scores (self);

  self->running_stage = TRUE;
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_SCORING, "scoring the video");
  /* The clips' frames were measured in the clips stage: only what the whole ad shows (its cuts,
   * repeats, still stretches, edge text and sound) is measured again. */
  if (clips != NULL)
    admint_score_joined_file_async (self->final_video, (const AdmintScores *) clips->data,
                                    clips->len, self->cancellable, on_final_scored,
                                    g_object_ref (self));
  else
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
      _admint_gen_handle_error (self, _("Cannot stitch the clips"), error);
      return;
    }
  /* The silent cut: the sound stage (admint-stage-sound.c) makes final.mp4 from it. It is not
   * the ad yet, so the video property does not change. */
  g_free (self->final_video);
  self->final_video = g_strdup (self->stitch_output);
  self->stitch_copied = stitched->copied;
  admint_store_set_final_video (self->store, self->id, self->final_video, -1, NULL);
  _admint_gen_update_progress (self);
  self->running_stage = FALSE;
  _admint_gen_advance (self);
}

/* TIMEOUT when a clip ran past stages.clips.timeout_seconds (raising it is the fix), CLIPS
 * otherwise. */
static AdmintFailureKind
clips_failure_kind (AdmintGeneration *self)
{
  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    if (((ClipState *) g_ptr_array_index (self->clips, i))->timed_out)
      return ADMINT_FAILURE_TIMEOUT;
  return ADMINT_FAILURE_CLIPS;
}

void
_admint_gen_start_stitch (AdmintGeneration *self)
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
      _admint_gen_fail_as (self, clips_failure_kind (self), "stages.clips.timeout_seconds",
                           _("Every clip failed, so there is no video. See the messages above "
                             "for why; `admint resume` tries the clips again."));
      return;
    }
  self->running_stage = TRUE;
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_STITCHING, "stitching the clips");

  /* The ad's music goes under the voice in the sound stage, not here. */
  _admint_gen_set_video (self, NULL);
  g_free (self->stitch_output);
  self->stitch_output = g_build_filename (self->dir, "stitched.mp4", NULL);
  g_ptr_array_add (inputs, NULL);
  /* Options are copied by the call. */
  admint_media_stitch_async ((const char * const *) inputs->pdata, self->stitch_output, &options,
                             self->cancellable, NULL, NULL, on_stitched, g_object_ref (self));
}

void
_admint_gen_finish (AdmintGeneration *self)
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
      self->failure_kind = clips_failure_kind (self);
      g_free (self->failure_key);
      self->failure_key = g_strdup ("stages.clips.timeout_seconds");
      _admint_gen_log_event (self, "failure", self->error_message);
      _admint_gen_add_text_message (self, "assistant", "error", self->error_message);
      _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_PARTIAL, NULL);
    }
  else
    _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_COMPLETED, NULL);
  _admint_gen_time_stage (self, NULL);
  _admint_gen_unlock (self);

  /* The score with its verdict and the ad checks: what the app shows on the video card. */
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "quality_score");
  json_builder_add_double_value (b, self->final_scores.quality_score);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, self->final_video);
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, admint_verdict_to_string (self->verdict));
  /* Each of the scorer's dimensions in [0, 1], for the video card's table. */
  json_builder_set_member_name (b, "dimensions");
  json_builder_begin_object (b);
  {
    const AdmintScores *sc = &self->final_scores;
    const struct { const char *name; double value; } dims[] = {
      { "subject_consistency", sc->subject_consistency },
      { "background_consistency", sc->background_consistency },
      { "temporal_flickering", sc->temporal_flickering },
      { "motion_smoothness", sc->motion_smoothness },
      { "dynamic_degree", sc->dynamic_degree },
      { "aesthetic_quality", sc->aesthetic_quality },
      { "imaging_quality", sc->imaging_quality },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (dims); i++)
      {
        json_builder_set_member_name (b, dims[i].name);
        json_builder_add_double_value (b, dims[i].value);
      }
  }
  json_builder_end_object (b);
  if (self->final_scores.ad_checks.measured)
    admint_ad_checks_to_json (&self->final_scores.ad_checks, b);
  json_builder_end_object (b);
  g_autoptr(JsonNode) body = json_builder_get_root (b);
  _admint_gen_add_message (self, "assistant", "scores", body);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_FINISHED], 0, (int) self->status);
}
