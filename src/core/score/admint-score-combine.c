/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scores of clips joined end to end, combined from the clips' own scores and sums. */
#define G_LOG_DOMAIN "admint-score"

#include "config.h"

#include <math.h>

#include "admint-error.h"
#include "admint-score.h"
#include "admint-score-private.h"

/* Every clip measured with every dimension, at the video's size, and as many frames in all as
 * the video has: else the video is not these clips joined, and ERROR says how it differs. */
static gboolean
clips_make_whole (const AdmintScores  *clips,
                  guint                n_clips,
                  const AdmintScores  *whole,
                  GError             **error)
{
  guint64 frames = 0;

  if (n_clips == 0)
    {
      g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                           "no clip scores to combine");
      return FALSE;
    }
  for (guint i = 0; i < n_clips; i++)
    {
      if (!clips[i].sums.valid)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       "clip %u was not measured with every dimension", i + 1);
          return FALSE;
        }
      if (clips[i].width != whole->width || clips[i].height != whole->height)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       "clip %u is %d×%d, the video %d×%d", i + 1, clips[i].width,
                       clips[i].height, whole->width, whole->height);
          return FALSE;
        }
      frames += clips[i].frames;
    }
  if (frames != whole->frames)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "the clips have %" G_GUINT64_FORMAT " frames, the video %u", frames,
                   whole->frames);
      return FALSE;
    }
  return TRUE;
}

gboolean
admint_score_combine (const AdmintScores  *clips,
                      guint                n_clips,
                      const AdmintScores  *whole,
                      AdmintScores        *out,
                      GError             **error)
{
  AdmintScoreSums sums = { .valid = TRUE };
  double subject = 0, background = 0;

  g_return_val_if_fail (clips != NULL || n_clips == 0, FALSE);
  g_return_val_if_fail (whole != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!clips_make_whole (clips, n_clips, whole, error))
    return FALSE;

  for (guint i = 0; i < n_clips; i++)
    {
      const AdmintScoreSums *c = &clips[i].sums;

      sums.tf_sum += c->tf_sum;
      sums.tf_pairs += c->tf_pairs;
      sums.smooth_sum += c->smooth_sum;
      sums.smooth_n += c->smooth_n;
      sums.flow_moving += c->flow_moving;
      sums.flow_pairs += c->flow_pairs;
      sums.aesthetic_sum += c->aesthetic_sum;
      sums.imaging_sum += c->imaging_sum;
      sums.imaging_n += c->imaging_n;
      /* Each clip's consistency is already the mean over its own scenes by length: the cuts
       * between clips are scene cuts too, so the whole is the mean over the clips by length. */
      subject += clips[i].subject_consistency * clips[i].frames;
      background += clips[i].background_consistency * clips[i].frames;
    }

  *out = *whole;
  out->sums = sums;
  out->combined = TRUE;
  /* What the clips cannot see are the pairs and triples of frames across the cuts: a few
   * in hundreds, each a large difference. They are left out, as VBench measures one shot. */
  out->temporal_flickering = sums.tf_pairs > 0 ?
    (255.0 - sums.tf_sum / sums.tf_pairs) / 255.0 : 1.0;
  out->subject_consistency = whole->frames > 0 ? subject / whole->frames : 1.0;
  out->background_consistency = whole->frames > 0 ? background / whole->frames : 1.0;
  out->motion_smoothness = sums.smooth_n > 0 ?
    (255.0 - sums.smooth_sum / sums.smooth_n) / 255.0 : 1.0;
  out->dynamic_degree = sums.flow_pairs > 0 &&
    sums.flow_moving >= admint_score_flow_needed (whole->frames,
                                                  admint_score_flow_interval (whole->fps))
    ? 1.0 : 0.0;
  out->aesthetic_quality = admint_score_map_range (whole->frames > 0 ?
                                                   sums.aesthetic_sum / whole->frames : 0);
  out->imaging_quality = admint_score_map_range (sums.imaging_n > 0 ?
                                                 sums.imaging_sum / sums.imaging_n : 0);
  out->quality_score = admint_quality_score_from_dims (out);
  out->overall_score = MAX (0.0, out->quality_score -
                                 15.0 * admint_ad_checks_failed (&out->ad_checks));
  return TRUE;
}
