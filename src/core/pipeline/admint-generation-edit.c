/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One scene, one clip: the per-clip state the front ends read, editing a scene (a new version,
 * scored by the critic) and making one clip again (budget first, then that clip alone, the
 * stitch, the sound and the scores again). */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-frame-reader.h"
#include "admint-generation-private.h"
#include "admint-media-private.h"

/* ---- the clip list -------------------------------------------------------------------------- */

GListModel *
admint_generation_get_clips (AdmintGeneration *self)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), NULL);
  return G_LIST_MODEL (self->clip_models);
}

static double
clip_progress (ClipState *clip)
{
  if (g_strcmp0 (clip->status, "completed") == 0)
    return 1;
  if (g_strcmp0 (clip->status, "running") == 0)
    return clip->fraction;
  return 0;
}

void
_admint_gen_sync_clip (AdmintGeneration *self,
                       ClipState        *clip)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->clip_models));

  if (self->clips == NULL)
    return;
  if (n != self->clips->len)
    {
      g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < self->clips->len; i++)
        g_ptr_array_add (models, _admint_clip_new ((int) i));
      g_list_store_splice (self->clip_models, 0, n, models->pdata, models->len);
      for (guint i = 0; i < self->clips->len; i++)
        if (g_ptr_array_index (self->clips, i) != clip)
          _admint_gen_sync_clip (self, g_ptr_array_index (self->clips, i));
    }
  if (clip == NULL)
    return;

  g_autoptr(AdmintClip) model = g_list_model_get_item (G_LIST_MODEL (self->clip_models),
                                                       (guint) clip->index);
  gboolean completed = g_strcmp0 (clip->status, "completed") == 0;

  g_object_freeze_notify (G_OBJECT (model));
  _admint_clip_set_version (model, clip->version);
  _admint_clip_set_status (model, clip->status);
  _admint_clip_set_progress (model, clip_progress (clip));
  _admint_clip_set_path (model, completed ? clip->path : NULL);
  _admint_clip_set_thumbnail (model, completed ? clip->thumbnail : NULL);
  _admint_clip_set_error (model, g_strcmp0 (clip->status, "failed") == 0 ? clip->error : NULL);
  _admint_clip_set_score (model, clip->scored ? clip->scores.quality_score : -1,
                          admint_generation_get_clip_verdict (self, (guint) clip->index),
                          clip->ad_checks);
  g_object_thaw_notify (G_OBJECT (model));
}

static void
sync_all (AdmintGeneration *self)
{
  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    _admint_gen_sync_clip (self, g_ptr_array_index (self->clips, i));
}

/* clip-02-v1.mp4 -> clip-02-v1SUFFIX */
static char *
beside_clip (const char *path,
             const char *suffix)
{
  g_autofree char *stem = g_str_has_suffix (path, ".mp4")
                          ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
  return g_strconcat (stem, suffix, NULL);
}

static const char * const dimension_names[] = {
  "subject_consistency", "background_consistency", "temporal_flickering", "motion_smoothness",
  "dynamic_degree", "aesthetic_quality", "imaging_quality",
};

static double *
dimension_slot (AdmintScores *s,
                guint         i)
{
  double *slots[] = {
    &s->subject_consistency, &s->background_consistency, &s->temporal_flickering,
    &s->motion_smoothness, &s->dynamic_degree, &s->aesthetic_quality, &s->imaging_quality,
  };
  return slots[i];
}

void
_admint_gen_clip_scored (AdmintGeneration *self,
                         ClipState        *clip)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, clip->version);
  json_builder_set_member_name (b, "quality_score");
  json_builder_add_double_value (b, clip->scores.quality_score);
  for (guint i = 0; i < G_N_ELEMENTS (dimension_names); i++)
    {
      json_builder_set_member_name (b, dimension_names[i]);
      json_builder_add_double_value (b, *dimension_slot (&clip->scores, i));
    }
  if (clip->scores.ad_checks.measured)
    admint_ad_checks_to_json (&clip->scores.ad_checks, b);
  json_builder_end_object (b);
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  JsonObject *obj = json_node_get_object (root);

  g_clear_pointer (&clip->ad_checks, json_node_unref);
  if (json_object_has_member (obj, "ad_checks"))
    clip->ad_checks = json_node_copy (json_object_get_member (obj, "ad_checks"));

  /* Beside the clip, so a later run shows its score and checks without scoring it again. */
  g_autofree char *path = beside_clip (clip->path, ".scores.json");
  g_autofree char *text = json_to_string (root, TRUE);
  if (!g_file_set_contents (path, text, -1, &error))
    g_warning ("Cannot keep the scores of clip %d: %s", clip->index + 1, error->message);
  _admint_gen_sync_clip (self, clip);
}

/* The scores and ad checks written beside clip PATH, if any. */
static gboolean
scores_from_file (const char    *path,
                  AdmintScores  *scores,
                  JsonNode     **ad_checks)
{
  g_autofree char *file = beside_clip (path, ".scores.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;

  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR) ||
      !json_parser_load_from_file (parser, file, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  obj = json_node_get_object (json_parser_get_root (parser));
  scores->quality_score = json_object_get_double_member_with_default (obj, "quality_score", -1);
  if (scores->quality_score < 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (dimension_names); i++)
    *dimension_slot (scores, i) = json_object_get_double_member_with_default (
      obj, dimension_names[i], 0);
  g_clear_pointer (ad_checks, json_node_unref);
  if (json_object_has_member (obj, "ad_checks") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "ad_checks")))
    *ad_checks = json_node_copy (json_object_get_member (obj, "ad_checks"));
  return TRUE;
}

/* The store's newest quality row of clip INDEX (rows come in the order they were saved). */
static gboolean
scores_from_row (JsonObject   *stored,
                 int           index,
                 AdmintScores *scores)
{
  JsonArray *rows = json_object_has_member (stored, "quality")
                    ? json_object_get_array_member (stored, "quality") : NULL;
  JsonObject *found = NULL;

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonNode *at = json_object_get_member (row, "clip_index");
      if (at != NULL && !JSON_NODE_HOLDS_NULL (at) && json_node_get_int (at) == index)
        found = row;
    }
  if (found == NULL)
    return FALSE;
  scores->quality_score = json_object_get_double_member_with_default (found, "quality_score",
                                                                     -1);
  for (guint i = 0; i < G_N_ELEMENTS (dimension_names); i++)
    *dimension_slot (scores, i) = json_object_get_double_member_with_default (
      found, dimension_names[i], 0);
  return scores->quality_score >= 0;
}

void
_admint_gen_restore_clip_scores (AdmintGeneration *self,
                                 JsonObject       *stored)
{
  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);
      if (g_strcmp0 (clip->status, "completed") != 0 || clip->path == NULL)
        continue;
      /* The store's rows do not say which version they scored: only the first is certain. */
      if (scores_from_file (clip->path, &clip->scores, &clip->ad_checks) ||
          (clip->version <= 1 && scores_from_row (stored, clip->index, &clip->scores)))
        clip->scored = TRUE;
      _admint_gen_clip_thumbnail (self, clip);
    }
  sync_all (self);
}

/* ---- thumbnails ----------------------------------------------------------------------------- */

#define THUMBNAIL_WIDTH 320

typedef struct {
  char *clip;
  char *thumbnail;
  int   index;
} ThumbJob;

static void
thumb_job_free (ThumbJob *job)
{
  g_free (job->clip);
  g_free (job->thumbnail);
  g_free (job);
}

static void
bgr_free (guchar   *pixels,
          gpointer  data)
{
  g_free (pixels);
}

/* A frame 40 % of the way into CLIP as a PNG written to PART (the ad's clips fade in, so the
 * first is often black). Blocking: for worker threads. */
static gboolean
write_thumbnail (const char    *clip,
                 const char    *part,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(AdmintFrameReader) reader = admint_frame_reader_open (clip, cancellable, error);
  g_autoptr(AdmintFrame) keep = NULL;
  g_autoptr(GError) local = NULL;
  AdmintFrame *frame;

  if (reader == NULL)
    return FALSE;
  double fps = admint_frame_reader_get_fps (reader);
  double duration = admint_frame_reader_get_duration (reader);
  guint target = fps > 0 && duration > 0 ? (guint) (fps * duration * 0.4) : 0;
  while ((frame = admint_frame_reader_next (reader, cancellable, &local)) != NULL)
    {
      g_clear_pointer (&keep, admint_frame_unref);
      keep = frame;
      if (frame->index >= target)
        break;
    }
  if (keep == NULL)
    {
      if (local == NULL)
        g_set_error (&local, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s has no frame", clip);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  gsize n = (gsize) keep->width * keep->height;
  guchar *rgb = g_malloc (n * 3);
  for (gsize i = 0; i < n; i++)
    {
      rgb[i * 3] = keep->bgr[i * 3 + 2];
      rgb[i * 3 + 1] = keep->bgr[i * 3 + 1];
      rgb[i * 3 + 2] = keep->bgr[i * 3];
    }
  g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_data (rgb, GDK_COLORSPACE_RGB, FALSE, 8,
                                                        keep->width, keep->height,
                                                        keep->width * 3, bgr_free, NULL);
  int height = MAX (1, keep->height * THUMBNAIL_WIDTH / MAX (1, keep->width));
  g_autoptr(GdkPixbuf) small = gdk_pixbuf_scale_simple (full, THUMBNAIL_WIDTH, height,
                                                        GDK_INTERP_BILINEAR);
  if (small == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "no memory to scale %s", clip);
      return FALSE;
    }
  return gdk_pixbuf_save (small, part, "png", error, NULL);
}

/* Makes THUMBNAIL from CLIP through a partial file of its own (two readers may make the same
 * thumbnail at once), named and cleaned up like every other partial output: a run killed while
 * writing it leaves ".NAME.XXXXXX.part", which the next run of the generation removes
 * (admint_media_remove_partials; issue 14's soak found a thumbnail's partial left). The file
 * exists from the start, so a kill while the frame is decoded leaves it too. */
static gboolean
make_thumbnail (const char    *clip,
                const char    *thumbnail,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *part = admint_media_temp_path (thumbnail, error);

  if (part == NULL)
    return FALSE;
  if (!write_thumbnail (clip, part, cancellable, error))
    {
      g_unlink (part);
      return FALSE;
    }
  if (g_rename (part, thumbnail) != 0)
    {
      g_unlink (part);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", thumbnail);
      return FALSE;
    }
  return TRUE;
}

static void
thumbnail_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ThumbJob *job = task_data;
  GError *error = NULL;

  if (make_thumbnail (job->clip, job->thumbnail, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_thumbnail (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AdmintGeneration *self = ADMINT_GENERATION (source);
  ThumbJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot make the thumbnail of clip %d: %s", job->index + 1, error->message);
      return;
    }
  /* Only if the clip is still the one it was made from. */
  if (self->clips == NULL || (guint) job->index >= self->clips->len)
    return;
  ClipState *clip = g_ptr_array_index (self->clips, job->index);
  if (g_strcmp0 (clip->path, job->clip) != 0)
    return;
  g_free (clip->thumbnail);
  clip->thumbnail = g_strdup (job->thumbnail);
  _admint_gen_sync_clip (self, clip);
}

void
_admint_gen_clip_thumbnail (AdmintGeneration *self,
                            ClipState        *clip)
{
  g_autofree char *thumbnail = NULL;

  if (clip->path == NULL)
    return;
  thumbnail = beside_clip (clip->path, ".thumb.png");
  if (g_strcmp0 (clip->thumbnail, thumbnail) == 0)
    return;
  if (g_file_test (thumbnail, G_FILE_TEST_IS_REGULAR))
    {
      g_free (clip->thumbnail);
      clip->thumbnail = g_steal_pointer (&thumbnail);
      _admint_gen_sync_clip (self, clip);
      return;
    }
  ThumbJob *job = g_new0 (ThumbJob, 1);
  job->clip = g_strdup (clip->path);
  job->thumbnail = g_steal_pointer (&thumbnail);
  job->index = clip->index;
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_thumbnail, NULL);
  g_task_set_source_tag (task, _admint_gen_clip_thumbnail);
  g_task_set_task_data (task, job, (GDestroyNotify) thumb_job_free);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_run_in_thread (task, thumbnail_thread);
}

/* ---- the budget ----------------------------------------------------------------------------- */

gboolean
admint_generation_clip_fits_budget (AdmintGeneration *self,
                                    int               index,
                                    double            duration,
                                    double           *estimate,
                                    double           *left)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), FALSE);
  g_return_val_if_fail (index >= 0 && index < admint_generation_get_n_clips (self), FALSE);

  if (duration < 0)
    duration = json_object_get_double_member_with_default (_admint_gen_scene_at (self, index),
                                                           "duration", 0);
  double cost = admint_video_provider_estimate_cost (self->video, duration);
  double budget = admint_config_get_double (self->config, "budget.max_usd_per_generation");
  /* Read once: MAX would evaluate the store read twice. */
  double spent = admint_store_get_generation_cost (self->store, self->id, NULL);

  spent = MAX (0, spent);

  if (estimate != NULL)
    *estimate = cost;
  if (left != NULL)
    *left = budget - spent;
  return spent + cost <= budget + 1e-9 || (self->max_cost >= 0 && cost <= self->max_cost);
}

static gboolean
check_budget (AdmintGeneration  *self,
              int                index,
              double             duration,
              AdmintRedoFlags    flags,
              GError           **error)
{
  double estimate = 0, left = 0;

  if ((flags & ADMINT_REDO_FORCE) ||
      admint_generation_clip_fits_budget (self, index, duration, &estimate, &left))
    return TRUE;
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_OVER_BUDGET,
               _("Making clip %d again is estimated at $%.2f, but the budget of this ad has "
                 "$%.2f left (budget.max_usd_per_generation). Allow it to spend past the budget, "
                 "or raise the budget."), index + 1, estimate, MAX (0, left));
  return FALSE;
}

/* ---- making one clip again -------------------------------------------------------------------- */

typedef struct {
  int      index;
  gboolean has_clip;
  gulong   cancel_id;
} Redo;

static void
redo_free (Redo *redo)
{
  g_free (redo);
}

/* TRUE when INDEX names a scene and nothing else is being made again. */
static gboolean
check_can_redo (AdmintGeneration  *self,
                int                index,
                GError           **error)
{
  int n = admint_generation_get_n_clips (self);

  if (index < 0 || index >= n)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   n > 0 ? _("There is no scene %d: this ad’s scenes are numbered 1 to %d.")
                         : _("There is no scene %d: this ad has no scenes yet."), index + 1, n);
      return FALSE;
    }
  if (self->redo_task != NULL)
    {
      g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                           _("A scene or clip of this ad is being made again; wait until it "
                             "has finished."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_finished (AdmintGeneration  *self,
                GError           **error)
{
  if (self->done && (self->status == ADMINT_GENERATION_STATUS_COMPLETED ||
                     self->status == ADMINT_GENERATION_STATUS_PARTIAL) && self->clips != NULL)
    return TRUE;
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               self->done || self->status == ADMINT_GENERATION_STATUS_CLIPS
               ? _("This ad did not finish (%s); resume it first (`admint resume %s`), then make "
                   "a clip again.")
               : _("This ad is still being made (%s); make a clip again once it has finished "
                   "(ad %s)."),
               admint_generation_status_to_string (self->status), self->id);
  return FALSE;
}

static void
end_redo (AdmintGeneration *self)
{
  Redo *redo = g_task_get_task_data (self->redo_task);

  g_clear_signal_handler (&self->redo_finished_id, self);
  g_cancellable_disconnect (g_task_get_cancellable (self->redo_task), redo->cancel_id);
  redo->cancel_id = 0;
}

static void
on_redo_finished (AdmintGeneration       *self,
                  AdmintGenerationStatus  status,
                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  Redo *redo;

  if (self->redo_task == NULL)
    return;
  end_redo (self);
  task = g_steal_pointer (&self->redo_task);
  redo = g_task_get_task_data (task);
  ClipState *clip = g_ptr_array_index (self->clips, redo->index);

  if (g_strcmp0 (clip->status, "completed") == 0 &&
      (status == ADMINT_GENERATION_STATUS_COMPLETED || status == ADMINT_GENERATION_STATUS_PARTIAL))
    g_task_return_boolean (task, TRUE);
  else if (status == ADMINT_GENERATION_STATUS_CANCELLED)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
  else
    g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_FAILED, "%s",
                             self->error_message ? self->error_message
                             : clip->error ? clip->error : _("The clip could not be made."));
}

static gboolean
cancel_later (gpointer user_data)
{
  admint_generation_cancel (ADMINT_GENERATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_redo_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  /* Not from inside the signal: the generation may end at once, and ending the call
   * disconnects this handler, which g_cancellable_disconnect cannot do from the handler. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_later, g_object_ref (user_data), g_object_unref);
}

/* Resets clip INDEX and runs the stages from the clips on: that clip alone is made (the others
 * are completed or failed and stay so), then the stitch, the sound and the scores. */
static void
start_redo (AdmintGeneration *self,
            GTask            *task)
{
  Redo *redo = g_task_get_task_data (task);
  ClipState *clip = g_ptr_array_index (self->clips, redo->index);
  g_autoptr(GError) error = NULL;

  if (!_admint_gen_lock (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  self->done = FALSE;
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->failure_key, g_free);
  self->failure_kind = ADMINT_FAILURE_NONE;
  self->final_scored = FALSE;
  self->budget_approved = TRUE;

  g_free (clip->status);
  clip->status = g_strdup ("pending");
  g_clear_pointer (&clip->prediction_id, g_free);
  g_clear_pointer (&clip->prompt, g_free);  /* made again from the scene as it is now */
  g_clear_pointer (&clip->error, g_free);
  g_clear_pointer (&clip->ad_checks, json_node_unref);
  g_clear_pointer (&clip->thumbnail, g_free);
  clip->attempts = 0;
  clip->rephrased = FALSE;
  clip->scored = FALSE;
  clip->timed_out = FALSE;
  clip->fraction = 0;
  _admint_gen_sync_clip (self, clip);

  self->redo_task = g_object_ref (task);
  self->redo_finished_id = g_signal_connect (self, "finished", G_CALLBACK (on_redo_finished),
                                             NULL);
  if (g_task_get_cancellable (task) != NULL)
    redo->cancel_id = g_cancellable_connect (g_task_get_cancellable (task),
                                             G_CALLBACK (on_redo_cancelled), self, NULL);
  g_autofree char *note = g_strdup_printf (_("Making clip %d again."), redo->index + 1);
  _admint_gen_add_text_message (self, "assistant", "progress", note);
  _admint_gen_time_stage (self, "clips");
  _admint_gen_start_clips (self);
}

void
admint_generation_regenerate_clip_async (AdmintGeneration    *self,
                                         int                  index,
                                         AdmintRedoFlags      flags,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Redo *redo;

  g_return_if_fail (ADMINT_IS_GENERATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_generation_regenerate_clip_async);
  redo = g_new0 (Redo, 1);
  redo->index = index;
  redo->has_clip = TRUE;
  g_task_set_task_data (task, redo, (GDestroyNotify) redo_free);

  if (!check_can_redo (self, index, &error) || !check_finished (self, &error) ||
      !check_budget (self, index, -1, flags, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  start_redo (self, task);
}

gboolean
admint_generation_regenerate_clip_finish (AdmintGeneration  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- editing a scene ------------------------------------------------------------------------- */

static void
on_rescore_critic (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(GTask) then = call->extra;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) critique = admint_llm_provider_run_agent_finish (self->llm, result, &error);

  /* A critic that cannot judge does not undo the user's edit: it says so instead. */
  if (critique != NULL && _admint_gen_valid_critique (critique))
    _admint_gen_add_message (self, "critic", "text", critique);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *note = g_strdup_printf (_("The scene critic could not score the edited "
                                                 "scenes: %s"),
                                               error ? error->message : _("it gave no score"));
      _admint_gen_add_text_message (self, "assistant", "text", note);
    }
  if (then == NULL)
    return;

  Redo *redo = g_task_get_task_data (then);
  g_clear_object (&self->redo_task);
  if (g_task_return_error_if_cancelled (then))
    return;
  if (redo->has_clip)
    start_redo (self, then);
  else
    g_task_return_boolean (then, TRUE);
}

void
_admint_gen_rescore_scenes (AdmintGeneration *self,
                            GTask            *then_redo)
{
  _admint_gen_run_agent (self, _admint_gen_agent_request (self, "scene_critic"),
                         on_rescore_critic, then_redo ? g_object_ref (then_redo) : NULL);
}

static gboolean
check_edit (AdmintGeneration  *self,
            int                index,
            const char        *text,
            double             duration,
            GError           **error)
{
  double max_seconds = admint_video_provider_get_max_clip_seconds (self->video);

  if (text != NULL && *text == '\0')
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The new text of scene %d is empty. Say what the scene shows."), index + 1);
      return FALSE;
    }
  if (text != NULL && g_utf8_strlen (text, -1) >
      admint_config_get_int (self->config, "limits.prompt_max_chars"))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The new text of scene %d is longer than limits.prompt_max_chars (%ld "
                     "characters). Shorten it."), index + 1,
                   (long) admint_config_get_int (self->config, "limits.prompt_max_chars"));
      return FALSE;
    }
  if (duration >= 0 && (duration < 1 || duration > max_seconds))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("A scene lasts 1 to %g seconds with this video provider; %g is out of "
                     "range."), max_seconds, duration);
      return FALSE;
    }
  return TRUE;
}

/* The scene's next version: its text and duration, stored, said, and shown. */
static gboolean
store_edit (AdmintGeneration  *self,
            int                index,
            const char        *text,
            double             duration,
            GError           **error)
{
  JsonObject *scene = _admint_gen_scene_at (self, index);
  gint64 version = json_object_get_int_member_with_default (scene, "version", 1);

  if (text != NULL)
    json_object_set_string_member (scene, "description", text);
  if (duration >= 0)
    json_object_set_double_member (scene, "duration", duration);
  json_object_set_int_member (scene, "version", version + 1);

  g_autofree char *json = _admint_gen_node_to_string (self->scenes);
  if (!admint_store_set_generation_json (self->store, self->id, "scenes", json, error))
    return FALSE;
  g_autofree char *note = g_strdup_printf (_("Scene %d edited (version %ld)."), index + 1,
                                           (long) version + 1);
  _admint_gen_add_text_message (self, "user", "text", note);
  /* The earlier versions stay in the conversation: each edit adds the scenes as they are now. */
  _admint_gen_add_message (self, "assistant", "scenes", self->scenes);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_SCENES_READY], 0, self->scenes);
  return TRUE;
}

void
admint_generation_edit_scene_async (AdmintGeneration    *self,
                                    int                  index,
                                    const char          *text,
                                    double               duration,
                                    AdmintRedoFlags      flags,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = text ? g_strstrip (g_strdup (text)) : NULL;
  Redo *redo;

  g_return_if_fail (ADMINT_IS_GENERATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_generation_edit_scene_async);
  redo = g_new0 (Redo, 1);
  redo->index = index;
  g_task_set_task_data (task, redo, (GDestroyNotify) redo_free);

  if (!check_can_redo (self, index, &error) ||
      !check_edit (self, index, trimmed, duration, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->clips == NULL && !self->done && self->waiting == ADMINT_GENERATION_WAIT_SCENES)
    redo->has_clip = FALSE;  /* no clip yet: the edit and its score are all */
  else if (!check_finished (self, &error) || !check_budget (self, index, duration, flags, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    redo->has_clip = TRUE;

  if (!store_edit (self, index, trimmed, duration, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->redo_task = g_object_ref (task);
  _admint_gen_rescore_scenes (self, task);
}

gboolean
admint_generation_edit_scene_finish (AdmintGeneration  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the clips of a stored generation ------------------------------------------------------- */

typedef struct {
  AdmintStore *store;
  char        *id;
  int          index;
  JsonNode    *stored;   /* read by the store's own thread first */
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_object_unref (job->store);
  g_free (job->id);
  g_clear_pointer (&job->stored, json_node_unref);
  g_free (job);
}

static double
snapshot_double (JsonObject *stored,
                 const char *group,
                 const char *key,
                 double      fallback)
{
  JsonNode *snap = json_object_get_member (stored, "config");
  JsonObject *obj = snap && JSON_NODE_HOLDS_OBJECT (snap) ? json_node_get_object (snap) : NULL;

  if (obj != NULL && json_object_has_member (obj, "config"))
    obj = json_object_get_object_member (obj, "config");
  if (obj == NULL || !json_object_has_member (obj, group))
    return fallback;
  obj = json_object_get_object_member (obj, group);
  return obj ? json_object_get_double_member_with_default (obj, key, fallback) : fallback;
}

static AdmintClip *
clip_from_row (JsonObject   *stored,
               JsonObject   *row,
               int           index,
               gboolean      thumbnail,
               double        good,
               double        acceptable,
               GCancellable *cancellable)
{
  AdmintClip *clip = _admint_clip_new (index);
  const char *status = row ? json_object_get_string_member_with_default (row, "status", NULL)
                           : NULL;
  const char *path = row ? json_object_get_string_member_with_default (row, "local_path", NULL)
                         : NULL;
  int version = row ? (int) json_object_get_int_member_with_default (row, "version", 0) : 0;
  AdmintScores scores = { 0 };
  g_autoptr(JsonNode) checks = NULL;

  if (row == NULL)
    return clip;
  _admint_clip_set_version (clip, version);
  if (g_strcmp0 (status, "completed") != 0 || path == NULL ||
      !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      _admint_clip_set_status (clip, g_strcmp0 (status, "completed") == 0 ? "failed" : status);
      _admint_clip_set_error (clip, json_object_get_string_member_with_default (
        row, "error_message", NULL));
      return clip;
    }
  _admint_clip_set_status (clip, "completed");
  _admint_clip_set_progress (clip, 1);
  _admint_clip_set_path (clip, path);
  if (scores_from_file (path, &scores, &checks) ||
      (version <= 1 && scores_from_row (stored, index, &scores)))
    _admint_clip_set_score (clip, scores.quality_score,
                            admint_verdict_for_score (scores.quality_score, good, acceptable),
                            checks);
  g_autofree char *thumb = beside_clip (path, ".thumb.png");
  g_autoptr(GError) error = NULL;
  if (g_file_test (thumb, G_FILE_TEST_IS_REGULAR) ||
      (thumbnail && make_thumbnail (path, thumb, cancellable, &error)))
    _admint_clip_set_thumbnail (clip, thumb);
  else if (error != NULL)
    g_debug ("no thumbnail for clip %d: %s", index + 1, error->message);
  return clip;
}

static void
read_clips_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ReadJob *job = task_data;
  g_autoptr(GListStore) list = g_list_store_new (ADMINT_TYPE_CLIP);
  JsonObject *stored = json_node_get_object (job->stored);
  JsonNode *scenes = json_object_get_member (stored, "scenes");
  JsonArray *rows = json_object_has_member (stored, "clips")
                    ? json_object_get_array_member (stored, "clips") : NULL;
  guint n = scenes != NULL && JSON_NODE_HOLDS_ARRAY (scenes)
            ? json_array_get_length (json_node_get_array (scenes)) : 0;
  double good = snapshot_double (stored, "quality", "good", 80);
  double acceptable = snapshot_double (stored, "quality", "acceptable", 60);

  /* None before the clips stage started. */
  if (rows == NULL || json_array_get_length (rows) == 0)
    n = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *newest = NULL;
      for (guint j = 0; j < json_array_get_length (rows); j++)
        {
          JsonObject *row = json_array_get_object_element (rows, j);
          if (json_object_get_int_member_with_default (row, "scene_index", -1) == i &&
              (newest == NULL || json_object_get_int_member_with_default (row, "version", 0) >
                                 json_object_get_int_member_with_default (newest, "version", 0)))
            newest = row;
        }
      g_autoptr(AdmintClip) clip = clip_from_row (stored, newest, (int) i,
                                                  job->index < 0 || job->index == (int) i,
                                                  good, acceptable, cancellable);
      g_list_store_append (list, clip);
    }
  g_task_return_pointer (task, g_steal_pointer (&list), g_object_unref);
}

static void
on_stored_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->stored = admint_store_get_generation_finish (ADMINT_STORE (source), result, &error);
  if (job->stored == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, read_clips_thread);
}

void
admint_generation_read_clips_async (AdmintStore         *store,
                                    const char          *id,
                                    int                  index,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  g_return_if_fail (ADMINT_IS_STORE (store));
  g_return_if_fail (id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_generation_read_clips_async);
  job = g_new0 (ReadJob, 1);
  job->store = g_object_ref (store);
  job->id = g_strdup (id);
  job->index = index;
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_set_priority (task, G_PRIORITY_LOW);
  /* The row through the store's own thread, then the files (scores, thumbnails) in a worker:
   * a worker never waits on the store. */
  admint_store_get_generation_async (store, id, cancellable, on_stored_read,
                                     g_steal_pointer (&task));
}

GListModel *
admint_generation_read_clips_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
