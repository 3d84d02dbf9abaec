/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clips stage: one clip a scene, in parallel, each retried, rephrased or resumed on its own. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gstdio.h>

#include "admint-worker.h"
#include "admint-generation-private.h"
#include "admint-media-private.h"

/* A clip whose prediction is alive at the service but lost touch with: not retried this run. */
#define CLIP_STILL_RUNNING "still-running"

static void start_next_clips (AdmintGeneration *self);
static void start_clip (AdmintGeneration *self, ClipState *clip);

JsonObject *
_admint_gen_scene_at (AdmintGeneration *self,
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

/* Removes the partial files (".NAME.XXXXXX.part") that clip workers left in the generation's
 * folder. Only called when no worker is running, so none of them is being written. */
static void
remove_partial_files (AdmintGeneration *self)
{
  admint_media_remove_partials (self->dir);
}

/* Once cancelled, the generation ends only when its last clip worker and score have ended:
 * it then reports "cancelled" with nothing left writing into its folder, and no partial file
 * either (a process that exits on "finished" would otherwise cut the workers off mid-file).
 * TRUE when cancelled. */
static gboolean
end_if_cancelled (AdmintGeneration *self)
{
  if (!g_cancellable_is_cancelled (self->cancellable))
    return FALSE;
  if (self->clips_in_flight == 0 && self->scores_in_flight == 0)
    {
      remove_partial_files (self);
      _admint_gen_fail (self, "Cancelled.");
    }
  return TRUE;
}

/* Stores a clip's (or with INDEX -1 the whole video's) scores and says they are ready. */
void
_admint_gen_save_scores (AdmintGeneration   *self,
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
  g_signal_emit (self, _admint_gen_signals[SIGNAL_SCORE_READY], 0, index, scores->quality_score);
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
      _admint_gen_clip_scored (self, clip);
      _admint_gen_save_scores (self, clip->index, &clip->scores);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot score clip %d of %s: %s", clip->index + 1, self->id, error->message);

  if (!end_if_cancelled (self))
    {
      /* A score that ends after the clips stage (stitching or the sound may be running: the
       * machine then waits for that stage) lets the final score start. */
      if (self->status == ADMINT_GENERATION_STATUS_CLIPS)
        finish_if_clips_done (self);
      else
        _admint_gen_advance (self);
    }
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

  /* Paid for the moment it exists: committed before anything else (this runs synchronously in
   * the create request's reply handler), so a crash resumes it. The one window left is the
   * create request's own round trip: see docs/hardening.md. */
  if (!admint_store_set_clip_prediction (self->store, self->id, clip->index, clip->version,
                                         prediction_id, &error))
    g_warning ("Cannot record prediction %s: %s", prediction_id, error->message);
  g_free (clip->prediction_id);
  clip->prediction_id = g_strdup (prediction_id);
}

/* A renderer reports every few frames and several clips run at once: listeners (a window's
 * redraws, a terminal's bars) hear of running clips at most this often per generation. Starts,
 * ends and failures are told at once. */
#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 10)

static void
tell_clip_progress (AdmintGeneration *self)
{
  self->progress_emitted_at = g_get_monotonic_time ();
  _admint_gen_update_progress (self);
  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);

      if (g_strcmp0 (clip->status, "running") != 0 || clip->fraction == clip->emitted_fraction)
        continue;
      clip->emitted_fraction = clip->fraction;
      _admint_gen_sync_clip (self, clip);
      g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_PROGRESS], 0, clip->index,
                     clip->fraction, "running");
    }
}

static gboolean
flush_clip_progress (gpointer user_data)
{
  AdmintGeneration *self = user_data;

  self->progress_flush_id = 0;
  if (!self->done)
    tell_clip_progress (self);
  return G_SOURCE_REMOVE;
}

static void
on_clip_progress (double   fraction,
                  gpointer user_data)
{
  ClipState *clip = user_data;
  AdmintGeneration *self = clip->self;
  gint64 since = g_get_monotonic_time () - self->progress_emitted_at;

  clip->fraction = fraction;
  if (since >= PROGRESS_INTERVAL_USEC)
    tell_clip_progress (self);
  else if (self->progress_flush_id == 0)
    self->progress_flush_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                                  (PROGRESS_INTERVAL_USEC - since) / 1000 + 1,
                                                  flush_clip_progress, g_object_ref (self),
                                                  g_object_unref);
}

static gboolean
is_content_filtered (const GError *error)
{
  return g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED);
}

/* A failure that ends the prediction for good (failed or refused at the service, cancelled,
 * gone, or a download still bad after fetching it again): only then is its id forgotten and a
 * new one paid for. A timeout of a prediction is final too: the client cancelled it. */
static gboolean
is_final_failure (const GError *error)
{
  return g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CONTENT_FILTERED) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT);
}

/* The prediction is alive at the service but we lost touch with it: it is neither failed nor
 * made again in this run. Its row stays "running" with its prediction, so `resume` polls it. */
static void
hold_still_running (AdmintGeneration *self,
                    ClipState        *clip,
                    const GError     *error)
{
  g_autofree char *record = g_strdup_printf ("clip %d: %s", clip->index + 1, error->message);

  _admint_gen_log_event (self, "clip-still-running", record);
  g_free (clip->error);
  clip->error = g_strdup (error->message);
  g_free (clip->status);
  clip->status = g_strdup (CLIP_STILL_RUNNING);
  admint_store_update_clip (self->store, self->id, clip->index, clip->version, "running", NULL,
                            -1, -1, error->message, NULL);
  _admint_gen_add_text_message (self, "assistant", "progress", record);
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
      _admint_gen_sync_clip (self, clip);
      g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_FAILED], 0, clip->index, clip->error);
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
probe_clip_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  admint_worker_lower_priority ();
  g_task_return_pointer (task, admint_media_probe (task_data, NULL, NULL),
                         (GDestroyNotify) admint_media_info_free);
}

/* A made clip, once probed: stored as completed, told, scored; the next clips start. */
static void
on_clip_probed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ClipState *clip = user_data;
  AdmintGeneration *self = clip->self;
  g_autoptr(AdmintMediaInfo) info = g_task_propagate_pointer (G_TASK (result), NULL);
  double cost = clip->cost;

  self->clips_in_flight--;
  if (self->done)
    {
      g_object_unref (self);
      return;
    }
  clip->duration = info ? info->duration
                        : json_object_get_double_member (
                            _admint_gen_scene_at (self, clip->index), "duration");
  g_free (clip->status);
  clip->status = g_strdup ("completed");
  admint_store_update_clip (self->store, self->id, clip->index, clip->version, "completed",
                            clip->path, clip->duration, cost, NULL, NULL);
  if (g_str_equal (admint_video_provider_get_name (self->video), "local"))
    admint_store_record_usage (self->store, "local", "renderer", "video", clip->duration,
                               cost, self->id, NULL);
  _admint_gen_update_progress (self);
  _admint_gen_update_cost (self);
  _admint_gen_sync_clip (self, clip);
  _admint_gen_clip_thumbnail (self, clip);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, 1.0,
                 "completed");
  g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_READY], 0, clip->index, clip->path);
  score_clip (self, clip);
  start_next_clips (self);
  g_object_unref (self);
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

  g_clear_pointer (&clip->request, admint_clip_request_free);
  _admint_gen_clip_timer_done (clip);

  if (self->done)
    {
      self->clips_in_flight--;
      g_object_unref (self);
      return;
    }
  if (ok)
    {
      /* Its length from the file, on a worker: a probe takes a GStreamer pipeline to PAUSED
       * and waits for it, which held the app's main loop up to 100 ms a clip. The clip stays
       * in flight (and the generation referenced) until it is told. */
      g_autoptr(GTask) task = g_task_new (NULL, NULL, on_clip_probed, clip);
      clip->cost = cost;
      g_task_set_task_data (task, g_strdup (clip->path), g_free);
      g_task_run_in_thread (task, probe_clip_thread);
      return;
    }

  self->clips_in_flight--;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      admint_store_update_clip (self->store, self->id, clip->index, clip->version, "cancelled",
                                NULL, -1, -1, "cancelled", NULL);
      end_if_cancelled (self);
      g_object_unref (self);
      return;
    }

  if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_STILL_RUNNING) &&
      clip->prediction_id != NULL)
    {
      hold_still_running (self, clip, error);
      start_next_clips (self);
      g_object_unref (self);
      return;
    }

  if (clip->timed_out)
    {
      g_autofree char *message = g_strdup_printf (
        _("clip %d took longer than its limit of %ld s (stages.clips.timeout_seconds)"),
        clip->index + 1, (long) admint_config_get_int (self->config,
                                                       "stages.clips.timeout_seconds"));
      g_clear_error (&error);
      g_set_error_literal (&error, ADMINT_ERROR, ADMINT_ERROR_FAILED, message);
    }
  g_autofree char *record = g_strdup_printf ("clip %d: %s", clip->index + 1, error->message);
  _admint_gen_log_event (self, "clip-failed", record);
  g_free (clip->error);
  clip->error = g_strdup (error->message);
  if (clip->timed_out && clip->prediction_id != NULL)
    {
      /* Paid for and maybe still running at the service: its row keeps the prediction, so
       * `resume` polls it instead of paying for a new one. */
      g_free (clip->status);
      clip->status = g_strdup ("failed");
      _admint_gen_sync_clip (self, clip);
      g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, 1.0,
                     "failed");
      g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_FAILED], 0, clip->index, clip->error);
      start_next_clips (self);
      g_object_unref (self);
      return;
    }
  if (clip->prediction_id == NULL || is_final_failure (error))
    {
      admint_store_update_clip (self->store, self->id, clip->index, clip->version, "failed",
                                NULL, -1, -1, error->message, NULL);
      g_clear_pointer (&clip->prediction_id, g_free);
    }
  else
    /* Not over at the service: a retry (or `resume`) follows the same prediction. */
    admint_store_update_clip (self->store, self->id, clip->index, clip->version, "pending",
                              NULL, -1, -1, error->message, NULL);

  if (is_content_filtered (error) && !clip->rephrased)
    {
      /* A refusal: the LLM rewrites the prompt and the clip is tried once more. */
      clip->rephrased = TRUE;
      g_free (clip->status);
      clip->status = g_strdup ("rephrasing");
      self->clips_in_flight++;
      AdmintAgentRequest *request = _admint_gen_agent_request (self, "rephraser");
      admint_agent_request_set (request, "prompt", clip->prompt);
      admint_agent_request_set (request, "message", error->message);
      _admint_gen_run_agent (self, request, on_rephrased, clip);
      g_object_unref (self);
      return;
    }

  gint64 max_retries = admint_config_get_int (self->config, "stages.clips.max_retries");
  g_free (clip->status);
  if (clip->attempts <= (guint) max_retries && !is_content_filtered (error) && !clip->timed_out)
    {
      clip->status = g_strdup ("pending");
      g_autofree char *note = g_strdup_printf (_("Clip %d failed (%s); trying it again."),
                                               clip->index + 1, error->message);
      _admint_gen_add_text_message (self, "assistant", "progress", note);
    }
  else
    {
      clip->status = g_strdup ("failed");
      _admint_gen_update_progress (self);
      _admint_gen_sync_clip (self, clip);
      g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, 1.0,
                     "failed");
      g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_FAILED], 0, clip->index, clip->error);
    }
  start_next_clips (self);
  g_object_unref (self);
}

static void
start_clip (AdmintGeneration *self,
            ClipState        *clip)
{
  g_autoptr(GError) error = NULL;
  JsonObject *scene = _admint_gen_scene_at (self, clip->index);
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
          _admint_gen_handle_error (self, _("Cannot record a new clip"), error);
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
  request->palette = _admint_gen_palette_strv (self);
  /* With the voice's captions and word timings for the local renderer (admint-stage-sound.c). */
  request->scene_json = _admint_gen_clip_scene_json (self, clip->index);
  request->product_name = g_strdup (_admint_gen_brand_name (self));
  request->tagline = g_strdup (json_object_get_string_member_with_default (
    json_node_get_object (self->story), "call_to_action", NULL));
  request->duration = json_object_get_double_member (scene, "duration");
  g_free (request->aspect);
  request->aspect = g_strdup (admint_config_get_string (self->config, "video.aspect"));
  g_free (request->resolution);
  request->resolution = g_strdup (admint_config_get_string (self->config, "video.resolution"));
  request->seed = self->seed + (guint32) clip->index;
  request->fps = (int) admint_config_get_int (self->config, "video.fps");
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
  clip->fraction = -1;
  _admint_gen_sync_clip (self, clip);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_CLIP_PROGRESS], 0, clip->index, -1.0,
                 resume ? "resuming" : "starting");
  admint_video_provider_generate_async (self->video, request,
                                        _admint_gen_clip_timer_start (self, clip), on_clip_done,
                                        clip);
  g_object_ref (self);
}

static void
start_next_clips (AdmintGeneration *self)
{
  gint64 max_concurrent = admint_config_get_boolean (self->config, "stages.clips.parallel")
                          ? admint_config_get_int (self->config, "stages.clips.max_concurrent")
                          : 1;

  /* The built-in renderer works on this machine's cores: more clips at once than cores only
   * makes them compete with each other and with the UI. */
  if (g_strcmp0 (admint_video_provider_get_name (self->video), "local") == 0)
    max_concurrent = MIN (max_concurrent, (gint64) admint_worker_local_parallelism ());
  if (self->done || end_if_cancelled (self))
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
      self->status != ADMINT_GENERATION_STATUS_CLIPS)
    return;
  g_autoptr(GString) held = g_string_new (NULL);
  guint n_held = 0;
  for (guint i = 0; i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      if (g_strcmp0 (clip->status, CLIP_STILL_RUNNING) == 0)
        g_string_append_printf (held, "%s%d", n_held++ ? ", " : "", clip->index + 1);
      else if (g_strcmp0 (clip->status, "completed") != 0 &&
               g_strcmp0 (clip->status, "failed") != 0)
        return;
    }
  self->running_stage = FALSE;
  if (n_held > 0)
    {
      /* Resumable: the paid predictions are kept and polled by `resume`, never made again. */
      g_autofree char *message = g_strdup_printf (
        n_held == 1 ? _("clip %s is still running on Replicate; `admint resume %s` picks it up")
                    : _("clips %s are still running on Replicate; `admint resume %s` picks "
                        "them up"), held->str, self->id);
      _admint_gen_fail_as (self, ADMINT_FAILURE_STILL_RUNNING, NULL, message);
      return;
    }
  _admint_gen_advance (self);
}

void
_admint_gen_prepare_clips (AdmintGeneration *self,
                           JsonArray        *stored_clips)
{
  guint n = json_array_get_length (json_node_get_array (self->scenes));

  if (self->clips != NULL && self->clips->len == n)
    return;
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  self->clips = g_ptr_array_new_with_free_func ((GDestroyNotify) _admint_gen_clip_state_free);
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
  for (guint i = 0; i < n; i++)
    _admint_gen_sync_clip (self, g_ptr_array_index (self->clips, i));

  /* Rows a killed run left "running" or "pending" that will not be polled (an older version,
   * or one without a prediction, made again as a new version) are closed, so a finished
   * generation has no clip that still says "running". */
  for (guint j = 0; stored_clips != NULL && j < json_array_get_length (stored_clips); j++)
    {
      JsonObject *row = json_array_get_object_element (stored_clips, j);
      int index = (int) json_object_get_int_member_with_default (row, "scene_index", -1);
      int version = (int) json_object_get_int_member_with_default (row, "version", 0);
      const char *status = json_object_get_string_member_with_default (row, "status", "");
      if (index < 0 || (guint) index >= n ||
          (!g_str_equal (status, "running") && !g_str_equal (status, "pending")))
        continue;
      ClipState *clip = g_ptr_array_index (self->clips, index);
      if (version == clip->version && clip->prediction_id != NULL)
        continue;  /* polled on resume */
      if (version == clip->version && g_strcmp0 (clip->status, "completed") == 0)
        continue;
      admint_store_update_clip (self->store, self->id, index, version, "failed", NULL, -1, -1,
                                _("interrupted; made again as a new version"), NULL);
    }
}

/* The voice-over first (spoken, or read back from the store), so each clip is rendered with
 * its captions and its words entering as they are said; then the clips. */
void
_admint_gen_start_clips (AdmintGeneration *self)
{
  _admint_gen_start_voice (self);
}

void
_admint_gen_clips_after_voice (AdmintGeneration *self)
{
  self->running_stage = TRUE;
  /* The voice step leaves the stage at "voice" when the status was "clips" already. */
  _admint_gen_set_stage (self, ADMINT_GENERATION_STAGE_CLIPS);
  _admint_gen_time_stage (self, "clips");
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_CLIPS, "making the clips");
  _admint_gen_prepare_clips (self, NULL);
  for (guint i = 0; i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      /* Clips finished before a crash still need their scores. */
      if (g_strcmp0 (clip->status, "completed") == 0 && !clip->scored)
        score_clip (self, clip);
    }
  start_next_clips (self);
}
