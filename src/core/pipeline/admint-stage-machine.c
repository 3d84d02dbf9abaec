/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stage machine: from what is made and approved, which stage runs next. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

void
_admint_gen_advance (AdmintGeneration *self)
{
  if (self->done || self->running_stage || self->waiting != ADMINT_GENERATION_WAIT_NONE)
    return;

  /* A switched-off stage gives what it would have made (admint-stage-skip.c) and calls back. */
  if (self->story == NULL && !_admint_gen_stage_enabled (self, "story"))
    _admint_gen_skip_story (self);
  if (self->story == NULL)
    _admint_gen_start_story (self, NULL, NULL);
  else if (!self->story_approved)
    {
      _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_STORY,
                              "waiting for approval of the story");
      _admint_gen_wait_for_user (self, ADMINT_GENERATION_WAIT_STORY,
                                 _("Here is the story. Reply “ok” to go on, “try again” for a "
                                   "new one, or say what to change."));
    }
  else if (self->references == NULL && !_admint_gen_stage_enabled (self, "references"))
    _admint_gen_skip_references (self);
  else if (self->references == NULL)
    _admint_gen_start_references (self);
  else if (self->scenes == NULL && !_admint_gen_stage_enabled (self, "scenes"))
    _admint_gen_skip_scenes (self);
  else if (self->scenes == NULL)
    _admint_gen_start_scenes (self, NULL, self->seed);
  else if (!self->scenes_approved)
    {
      _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_SCENES,
                              "waiting for approval of the scenes");
      _admint_gen_wait_for_user (self, ADMINT_GENERATION_WAIT_SCENES,
                                 _("Here are the scenes. Reply “ok” to make the clips, “scene 2: "
                                   "…” to rewrite one, “regenerate scene 2”, “try again”, or say "
                                   "what to change."));
    }
  else if (self->clips == NULL || self->status == ADMINT_GENERATION_STATUS_CLIPS ||
           self->status == ADMINT_GENERATION_STATUS_SCENES)
    {
      gboolean clips_done = self->clips != NULL && self->status == ADMINT_GENERATION_STATUS_CLIPS;
      if (clips_done)
        {
          /* All clips are completed or failed (finish_if_clips_done checked). The last clips'
           * scores may still run: stitching and the sound only copy and read the clips, so
           * they go on beside them, and the final score waits for them (below). */
          _admint_gen_set_video (self, NULL);
          _admint_gen_start_stitch (self);
        }
      else if (!_admint_gen_stage_enabled (self, "clips"))
        _admint_gen_skip_clips (self);
      else if (_admint_gen_check_budget (self))
        _admint_gen_start_clips (self);
    }
  else if (self->final_video == NULL || !g_file_test (self->final_video, G_FILE_TEST_IS_REGULAR))
    _admint_gen_start_stitch (self);
  else if (!_admint_gen_sound_done (self))
    _admint_gen_start_sound (self);
  else if (!self->final_scored)
    {
      if (self->scores_in_flight > 0)
        return;  /* the final score is made from the clips' scores: on_clip_scored calls back in */
      _admint_gen_start_final_score (self);
    }
  else
    _admint_gen_finish (self);
}
