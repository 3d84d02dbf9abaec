/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A rendered ad's score combined from its clips' scores matches a full measure of the ad. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-error.h"
#include "admint-render.h"
#include "admint-score.h"
#include "admint-stitch.h"
#include "admint-test-util.h"

#define N_CLIPS 3

/* The combined score against a full measure of the ad (docs/quality.md, "The final score"):
 * - flickering, smoothness, dynamic degree, aesthetic and imaging quality within DIM_TOLERANCE:
 *   the combination leaves out the few pairs of frames across the cuts, and the imaging
 *   measure samples other frames;
 * - the two consistencies within CONSISTENCY_TOLERANCE: the combination splits the ad into
 *   scenes at its true cuts, the full measure where the file's cut detector places them, which
 *   after a scene's closing motion can be up to half a second early (frames of one scene are
 *   then compared with the last frames of the one before);
 * - the quality score within QUALITY_TOLERANCE points, mostly from the consistencies. */
#define DIM_TOLERANCE         0.01
#define CONSISTENCY_TOLERANCE 0.07
#define QUALITY_TOLERANCE     1.5

static char *clip_paths[N_CLIPS + 1];
static char *ad_path;
static AdmintScores clip_scores[N_CLIPS];
static AdmintScores full;

/* Three scenes as the local renderer draws an ad's: a hook, the benefits, the end card. */
static void
render_ad (void)
{
  static const struct { const char *layout, *text, *camera, *description; } scenes[N_CLIPS] = {
    { "hook", "Thirsty on the trail?", "push in", "a hiker on a mountain ridge at sunrise" },
    { "benefits", "Keeps water cold 24 h", "pan left", "a forest trail by a stream" },
    { "end-card", "Get yours today", "static", "a water bottle on a rock" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) stitched = NULL;

  for (guint i = 0; i < N_CLIPS; i++)
    {
      g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
      g_autofree char *name = g_strdup_printf ("clip-%02u.mp4", i + 1);

      job->duration = 2.0;
      job->size = ADMINT_RENDER_SIZE_360P;
      job->layout = g_strdup (scenes[i].layout);
      job->text = g_strdup (scenes[i].text);
      job->camera = g_strdup (scenes[i].camera);
      job->description = g_strdup (scenes[i].description);
      job->product_name = g_strdup ("Summit Flask");
      job->cta = g_strdup ("Shop now");
      clip_paths[i] = g_build_filename (admint_test_get_root (), name, NULL);
      g_assert_true (admint_render_clip (job, clip_paths[i], NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  ad_path = g_build_filename (admint_test_get_root (), "ad.mp4", NULL);
  stitched = admint_media_stitch ((const char * const *) clip_paths, ad_path, NULL, NULL, NULL,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stitched);
  /* The case the pipeline combines: the clips' streams joined, not encoded again. */
  g_assert_true (stitched->copied);
}

static void
score_ok (const char   *path,
          AdmintScoreFlags flags,
          AdmintScores *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_score_file (path, flags, NULL, out, &error));
  g_assert_no_error (error);
}

static void
on_scored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
score_joined (const AdmintScores *clips,
              guint               n_clips,
              AdmintScores       *out)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  admint_score_joined_file_async (ad_path, clips, n_clips, NULL, on_scored, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (admint_score_file_finish (result, out, &error));
  g_assert_no_error (error);
}

static void
assert_checks_equal (const AdmintAdChecks *a,
                     const AdmintAdChecks *b)
{
  g_assert_true (a->measured && b->measured);
  g_assert_cmpuint (a->scenes, ==, b->scenes);
  g_assert_cmpuint (a->repeated, ==, b->repeated);
  g_assert_cmpfloat_with_epsilon (a->longest_still, b->longest_still, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->edge_text_seconds, b->edge_text_seconds, 1e-9);
  g_assert_cmpint (a->has_sound, ==, b->has_sound);
  g_assert_cmpuint (admint_ad_checks_failed (a), ==, admint_ad_checks_failed (b));
}

static void
test_checks_only (void)
{
  AdmintScores whole;

  score_ok (ad_path, ADMINT_SCORE_FLAGS_AD_CHECKS_ONLY, &whole);
  g_assert_cmpuint (whole.frames, ==, full.frames);
  g_assert_cmpint (whole.width, ==, full.width);
  g_assert_false (whole.sums.valid);
  /* No dimension is measured; every ad check is, on the same frames as the full measure. */
  g_assert_cmpfloat (whole.temporal_flickering, ==, 0.0);
  g_assert_cmpfloat (whole.aesthetic_quality, ==, 0.0);
  assert_checks_equal (&whole.ad_checks, &full.ad_checks);
  /* The renderer cuts hard between scenes: the file's own cut detector finds every one. */
  g_assert_cmpuint (whole.ad_checks.scenes, ==, N_CLIPS);
}

static void
test_combined_matches_full (void)
{
  AdmintScores joined;
  static const char * const names[] = {
    "subject_consistency", "background_consistency", "temporal_flickering",
    "motion_smoothness", "dynamic_degree", "aesthetic_quality", "imaging_quality",
  };
  double diffs[G_N_ELEMENTS (names)];

  score_joined (clip_scores, N_CLIPS, &joined);
  g_assert_true (joined.combined);
  g_assert_true (joined.sums.valid);
  g_assert_cmpuint (joined.frames, ==, full.frames);
  assert_checks_equal (&joined.ad_checks, &full.ad_checks);

  diffs[0] = joined.subject_consistency - full.subject_consistency;
  diffs[1] = joined.background_consistency - full.background_consistency;
  diffs[2] = joined.temporal_flickering - full.temporal_flickering;
  diffs[3] = joined.motion_smoothness - full.motion_smoothness;
  diffs[4] = joined.dynamic_degree - full.dynamic_degree;
  diffs[5] = joined.aesthetic_quality - full.aesthetic_quality;
  diffs[6] = joined.imaging_quality - full.imaging_quality;
  for (gsize i = 0; i < G_N_ELEMENTS (diffs); i++)
    {
      g_test_message ("%s: combined - full = %+.5f", names[i], diffs[i]);
      g_assert_cmpfloat (fabs (diffs[i]), <=, i < 2 ? CONSISTENCY_TOLERANCE : DIM_TOLERANCE);
    }
  g_test_message ("quality_score: full %.3f, combined %.3f", full.quality_score,
                  joined.quality_score);
  g_assert_cmpfloat (fabs (joined.quality_score - full.quality_score), <=, QUALITY_TOLERANCE);
  g_assert_cmpfloat_with_epsilon (joined.quality_score, admint_quality_score_from_dims (&joined),
                                  1e-12);
  /* The frames the combination cannot see are the few across the cuts: the aesthetic measure,
   * a plain mean over frames, is the same to rounding; the flickering differs only by the
   * large differences across the cuts, which the combination leaves out. */
  g_assert_cmpfloat (fabs (diffs[5]), <=, 1e-9);
  g_assert_cmpfloat (diffs[2], >=, 0.0);
  /* The consistencies are the clips' own, weighted by their frames. */
  {
    double subject = 0;
    for (guint i = 0; i < N_CLIPS; i++)
      subject += clip_scores[i].subject_consistency * clip_scores[i].frames / full.frames;
    g_assert_cmpfloat_with_epsilon (joined.subject_consistency, subject, 1e-12);
  }
}

/* Clips that are not the ad: the combination refuses, naming why, and the joined score
 * measures every dimension on the file instead. */
static void
test_mismatch_measures_all (void)
{
  g_autoptr(GError) error = NULL;
  AdmintScores whole, out, joined;
  AdmintScores unmeasured[N_CLIPS];

  score_ok (ad_path, ADMINT_SCORE_FLAGS_AD_CHECKS_ONLY, &whole);
  g_assert_false (admint_score_combine (clip_scores, N_CLIPS - 1, &whole, &out, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "frames"));
  g_clear_error (&error);

  memcpy (unmeasured, clip_scores, sizeof unmeasured);
  unmeasured[1].sums.valid = FALSE;
  g_assert_false (admint_score_combine (unmeasured, N_CLIPS, &whole, &out, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "clip 2"));

  score_joined (clip_scores, N_CLIPS - 1, &joined);
  g_assert_false (joined.combined);
  g_assert_cmpfloat_with_epsilon (joined.quality_score, full.quality_score, 1e-12);
  g_assert_cmpfloat_with_epsilon (joined.subject_consistency, full.subject_consistency, 1e-12);
}

int
main (int    argc,
      char **argv)
{
  int status;

  admint_test_init (&argc, &argv);
  render_ad ();
  for (guint i = 0; i < N_CLIPS; i++)
    {
      score_ok (clip_paths[i], ADMINT_SCORE_FLAGS_NONE, &clip_scores[i]);
      g_assert_true (clip_scores[i].sums.valid);
    }
  score_ok (ad_path, ADMINT_SCORE_FLAGS_NONE, &full);
  for (guint i = 0; i < full.ad_checks.scenes; i++)
    g_test_message ("the ad's scene %u starts at %.3f s", i + 1, full.ad_checks.scene_start[i]);
  for (guint i = 0; i < N_CLIPS; i++)
    g_test_message ("clip %u: %u frames, %u scenes, subject %.4f, background %.4f", i + 1,
                    clip_scores[i].frames, clip_scores[i].ad_checks.scenes,
                    clip_scores[i].subject_consistency, clip_scores[i].background_consistency);
  g_test_message ("the ad: subject %.4f, background %.4f", full.subject_consistency,
                  full.background_consistency);
  g_assert_true (full.sums.valid);
  g_assert_false (full.combined);

  g_test_add_func ("/score/combine/checks-only", test_checks_only);
  g_test_add_func ("/score/combine/matches-full", test_combined_matches_full);
  g_test_add_func ("/score/combine/mismatch", test_mismatch_measures_all);
  status = g_test_run ();
  for (guint i = 0; i < N_CLIPS; i++)
    g_free (clip_paths[i]);
  g_free (ad_path);
  return status;
}
