/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scores a video file on VBench's seven quality dimensions, decoding and scoring on worker threads. */
#define G_LOG_DOMAIN "admint-score"

#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-loudness.h"
#include "admint-frame-reader.h"
#include "admint-score.h"
#include "admint-score-private.h"

/* Jobs queued or running on the worker pool at once: bounds the frames held in memory. */
#define MAX_IN_FLIGHT 4
#define N_WORKERS     2
/* The classical measures in [0, 1] are mapped linearly into this range, which spans the scores
 * VBench's networks give real pictures (MUSIQ / 100 and the LAION predictor / 10). */
#define MAP_LOW  0.2
#define MAP_HIGH 0.8

typedef enum {
  JOB_FRAME,    /* full-size work on one frame: flicker against the previous one, small copy */
  JOB_SMOOTH,   /* motion smoothness of an odd frame */
  JOB_FLOW,     /* dynamic degree of one sampled pair */
} JobKind;

typedef struct {
  JobKind      kind;
  guint        index;
  gboolean     tf_only;
  gboolean     want_imaging;
  AdmintFrame *frame, *prev;
  AdmintSmall *a, *b, *c;
  /* results */
  AdmintSmall *small;
  float        tf_mean;
  float        subject[ADMINT_SUBJECT_DESC_LEN];
  float        background[ADMINT_BACKGROUND_DESC_LEN];
  double       aesthetic;
  double       imaging;
  double       value;
} Job;

typedef struct {
  GThreadPool  *pool;
  GAsyncQueue  *done;
  guint         in_flight;
  gboolean      tf_only;
  int           factor;
  guint         flow_interval;
  guint         iq_interval;

  GPtrArray    *smalls;       /* index -> AdmintSmall, NULL once nobody needs it */
  GArray       *frame_done;   /* gboolean per frame */
  guint         low_water;    /* frames [0, low_water) are all done */
  guint         next_smooth;  /* next odd frame to submit for smoothness */
  guint         next_flow;    /* next sampled frame to submit for flow */

  GArray       *tf_means;     /* float, pair i-1,i at i-1 */
  GArray       *subject;      /* float descriptors, frame-major */
  GArray       *background;
  /* Per frame, summed in frame order at the end: the same sums whatever order the workers
   * finish in. */
  GArray       *aesthetic;    /* double per frame */
  GArray       *imaging;      /* double per frame, < 0 where not sampled */
  double        smooth_sum;
  guint         smooth_n;
  GArray       *flow;         /* double per sampled pair, in order */
} Scorer;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->frame, admint_frame_unref);
  g_clear_pointer (&job->prev, admint_frame_unref);
  g_clear_pointer (&job->a, admint_small_unref);
  g_clear_pointer (&job->b, admint_small_unref);
  g_clear_pointer (&job->c, admint_small_unref);
  g_clear_pointer (&job->small, admint_small_unref);
  g_free (job);
}

static void
job_run (gpointer data,
         gpointer user_data)
{
  admint_worker_lower_priority ();
  Job *job = data;
  Scorer *scorer = user_data;

  switch (job->kind)
    {
    case JOB_FRAME:
      {
        AdmintFrame *f = job->frame;

        if (job->prev != NULL)
          job->tf_mean = admint_score_mean_absdiff_f32 (job->prev->bgr, f->bgr,
                                                        (gsize) f->width * f->height * 3);
        /* The full frames are needed no longer than this: let the decoder reuse them. */
        g_clear_pointer (&job->prev, admint_frame_unref);
        if (!job->tf_only)
          {
            job->small = admint_small_new (f->bgr, f->width, f->height, scorer->factor, f->index);
            admint_small_describe (job->small, job->subject, job->background, &job->aesthetic);
            if (job->want_imaging)
              job->imaging = admint_score_imaging_raw (f->bgr, f->width, f->height,
                                                       f->width * 3, 3, TRUE);
          }
      }
      break;
    case JOB_SMOOTH:
      job->value = admint_small_interpolation_mae (job->a, job->b, job->c);
      break;
    case JOB_FLOW:
      job->value = admint_small_flow_top5 (job->a, job->b);
      break;
    default:
      g_assert_not_reached ();
    }
  g_async_queue_push (scorer->done, job);
}

static void
scorer_submit (Scorer *scorer,
               Job    *job)
{
  scorer->in_flight++;
  g_thread_pool_push (scorer->pool, job, NULL);
}

static AdmintSmall *
small_at (Scorer *scorer,
          guint   index)
{
  AdmintSmall *s = g_ptr_array_index (scorer->smalls, index);

  g_assert (s != NULL);
  return admint_small_ref (s);
}

/* Starts the pair jobs whose frames are all ready, and drops small frames nobody needs. */
static void
scorer_advance (Scorer *scorer)
{
  guint keep_from;

  while (scorer->next_smooth + 1 < scorer->low_water)
    {
      Job *job = g_new0 (Job, 1);

      job->kind = JOB_SMOOTH;
      job->index = scorer->next_smooth;
      job->a = small_at (scorer, scorer->next_smooth - 1);
      job->b = small_at (scorer, scorer->next_smooth);
      job->c = small_at (scorer, scorer->next_smooth + 1);
      scorer->next_smooth += 2;
      scorer_submit (scorer, job);
    }
  while (scorer->next_flow + scorer->flow_interval < scorer->low_water)
    {
      Job *job = g_new0 (Job, 1);

      job->kind = JOB_FLOW;
      job->index = scorer->next_flow;
      job->a = small_at (scorer, scorer->next_flow);
      job->b = small_at (scorer, scorer->next_flow + scorer->flow_interval);
      scorer->next_flow += scorer->flow_interval;
      scorer_submit (scorer, job);
    }

  keep_from = MIN (scorer->next_smooth - 1, scorer->next_flow);
  for (guint i = 0; i < MIN (keep_from, scorer->smalls->len); i++)
    if (g_ptr_array_index (scorer->smalls, i) != NULL)
      {
        admint_small_unref (g_ptr_array_index (scorer->smalls, i));
        g_ptr_array_index (scorer->smalls, i) = NULL;
      }
}

static void
scorer_collect (Scorer *scorer,
                Job    *job)
{
  scorer->in_flight--;
  switch (job->kind)
    {
    case JOB_FRAME:
      if (job->index > 0)
        g_array_index (scorer->tf_means, float, job->index - 1) = job->tf_mean;
      if (!job->tf_only)
        {
          if (scorer->smalls->len <= job->index)
            g_ptr_array_set_size (scorer->smalls, job->index + 1);
          g_ptr_array_index (scorer->smalls, job->index) = g_steal_pointer (&job->small);
          memcpy (&g_array_index (scorer->subject, float, (gsize) job->index * ADMINT_SUBJECT_DESC_LEN),
                  job->subject, sizeof job->subject);
          memcpy (&g_array_index (scorer->background, float,
                                  (gsize) job->index * ADMINT_BACKGROUND_DESC_LEN),
                  job->background, sizeof job->background);
          if (scorer->aesthetic->len <= job->index)
            {
              g_array_set_size (scorer->aesthetic, job->index + 1);
              g_array_set_size (scorer->imaging, job->index + 1);
            }
          g_array_index (scorer->aesthetic, double, job->index) = job->aesthetic;
          g_array_index (scorer->imaging, double, job->index) = job->want_imaging ? job->imaging
                                                                                 : -1.0;
        }
      g_array_index (scorer->frame_done, gboolean, job->index) = TRUE;
      while (scorer->low_water < scorer->frame_done->len &&
             g_array_index (scorer->frame_done, gboolean, scorer->low_water))
        scorer->low_water++;
      if (!job->tf_only)
        scorer_advance (scorer);
      break;
    case JOB_SMOOTH:
      scorer->smooth_sum += job->value;
      scorer->smooth_n++;
      break;
    case JOB_FLOW:
      {
        guint slot = job->index / scorer->flow_interval;

        if (scorer->flow->len <= slot)
          g_array_set_size (scorer->flow, slot + 1);
        g_array_index (scorer->flow, double, slot) = job->value;
      }
      break;
    default:
      g_assert_not_reached ();
    }
  job_free (job);
}

static void
scorer_clear (Scorer *scorer)
{
  if (scorer->pool != NULL)
    {
      /* Let running jobs finish; their results are dropped with the queue. */
      while (scorer->in_flight > 0)
        {
          Job *job = g_async_queue_pop (scorer->done);

          scorer->in_flight--;
          job_free (job);
        }
      g_thread_pool_free (scorer->pool, FALSE, TRUE);
    }
  g_clear_pointer (&scorer->done, g_async_queue_unref);
  if (scorer->smalls != NULL)
    for (guint i = 0; i < scorer->smalls->len; i++)
      if (g_ptr_array_index (scorer->smalls, i) != NULL)
        admint_small_unref (g_ptr_array_index (scorer->smalls, i));
  g_clear_pointer (&scorer->smalls, g_ptr_array_unref);
  g_clear_pointer (&scorer->frame_done, g_array_unref);
  g_clear_pointer (&scorer->tf_means, g_array_unref);
  g_clear_pointer (&scorer->subject, g_array_unref);
  g_clear_pointer (&scorer->background, g_array_unref);
  g_clear_pointer (&scorer->flow, g_array_unref);
  g_clear_pointer (&scorer->aesthetic, g_array_unref);
  g_clear_pointer (&scorer->imaging, g_array_unref);
}

double
admint_score_map_range (double q)
{
  return MAP_LOW + (MAP_HIGH - MAP_LOW) * CLAMP (q, 0.0, 1.0);
}

guint
admint_score_flow_interval (double fps)
{
  return MAX (1, (guint) rint ((fps > 0 ? fps : 30.0) / 8.0));
}

guint
admint_score_flow_needed (guint n_frames,
                          guint flow_interval)
{
  /* VBench: round(4 * T' / 16), T' the sampled frames. */
  guint t_sampled = (n_frames + flow_interval - 1) / flow_interval;

  return (guint) rint (4.0 * t_sampled / 16.0);
}

double
admint_quality_score_from_dims (const AdmintScores *s)
{
  /* VBench scripts/constant.py: (raw - min) / (max - min) * weight, summed, / 6.5. */
  static const struct { double min, max, weight; } table[7] = {
    { 0.1462, 1.0,    1.0 },  /* subject_consistency */
    { 0.2615, 1.0,    1.0 },  /* background_consistency */
    { 0.6293, 1.0,    1.0 },  /* temporal_flickering */
    { 0.706,  0.9975, 1.0 },  /* motion_smoothness */
    { 0.0,    1.0,    0.5 },  /* dynamic_degree */
    { 0.0,    1.0,    1.0 },  /* aesthetic_quality */
    { 0.0,    1.0,    1.0 },  /* imaging_quality */
  };
  double raw[7], total = 0;

  g_return_val_if_fail (s != NULL, 0.0);

  raw[0] = s->subject_consistency;
  raw[1] = s->background_consistency;
  raw[2] = s->temporal_flickering;
  raw[3] = s->motion_smoothness;
  raw[4] = s->dynamic_degree;
  raw[5] = s->aesthetic_quality;
  raw[6] = s->imaging_quality;
  for (int i = 0; i < 7; i++)
    total += (raw[i] - table[i].min) / (table[i].max - table[i].min) * table[i].weight;
  /* A dimension above VBench's max (a still picture's motion smoothness of 1) would push the
   * sum past 6.5: the 0-100 scale is kept by clamping the total. */
  return CLAMP (total / 6.5 * 100.0, 0.0, 100.0);
}

/* The sound checks: loudness, true peak and speech share of the file's sound track. A track
 * that cannot be decoded leaves them out (the picture's score still stands), with a message. */
static void
measure_sound (const char     *path,
               GCancellable   *cancellable,
               AdmintAdChecks *checks)
{
  AdmintLoudness loudness = { 0 };
  g_autoptr(GError) error = NULL;

  if (!admint_loudness_measure_file (path, &loudness, cancellable, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("%s: the sound could not be measured: %s", path, error->message);
      return;
    }
  admint_ad_checks_set_sound (checks, loudness.has_audio, loudness.integrated_lufs,
                              loudness.true_peak_dbtp, loudness.speech_share);
}

/* The VBench dimensions from what the workers gathered. */
static void
fill_dimensions (Scorer       *scorer,
                 const char   *path,
                 guint         n,
                 AdmintScores *out)
{
  guint count_num = admint_score_flow_needed (n, scorer->flow_interval);
  guint moving = 0, imaging_n = 0;
  double aesthetic_sum = 0, imaging_sum = 0;

  for (guint i = 0; i < scorer->aesthetic->len; i++)
    {
      aesthetic_sum += g_array_index (scorer->aesthetic, double, i);
      if (g_array_index (scorer->imaging, double, i) >= 0)
        {
          imaging_sum += g_array_index (scorer->imaging, double, i);
          imaging_n++;
        }
    }

  /* VBench measures one shot; an ad is several. Each scene the ad checks found is measured on
   * its own and the results averaged by length, so a cut is not counted as a drift (repeated
   * scenes are the ad checks' to judge). */
  out->subject_consistency = out->background_consistency = 0;
  for (guint k = 0; k < MAX (1, out->ad_checks.scenes); k++)
    {
      guint a = k < out->ad_checks.scenes ? (guint) lround (out->ad_checks.scene_start[k] *
                                                            out->fps) : 0;
      guint b = k + 1 < out->ad_checks.scenes ? (guint) lround (out->ad_checks.scene_start[k + 1] *
                                                                out->fps) : n;

      a = MIN (a, n), b = CLAMP (b, a, n);
      if (b == a)
        continue;
      out->subject_consistency += (b - a) / (double) n *
        admint_score_consistency ((const float *) scorer->subject->data +
                                  (gsize) a * ADMINT_SUBJECT_DESC_LEN, b - a,
                                  ADMINT_SUBJECT_DESC_LEN);
      out->background_consistency += (b - a) / (double) n *
        admint_score_consistency ((const float *) scorer->background->data +
                                  (gsize) a * ADMINT_BACKGROUND_DESC_LEN, b - a,
                                  ADMINT_BACKGROUND_DESC_LEN);
    }
  out->motion_smoothness = scorer->smooth_n > 0 ?
    (255.0 - scorer->smooth_sum / scorer->smooth_n) / 255.0 : 1.0;

  {
    /* VBench: a pair moves when the top-5 % mean exceeds 6 * min(H, W) / 256, and the video
     * is dynamic when at least round(4 * T' / 16) pairs do (T' = sampled frames). */
    double threshold = 6.0 * MIN (out->width, out->height) / 256.0;

    for (guint i = 0; i < scorer->flow->len; i++)
      {
        g_debug ("%s: sampled pair %u: top-5%% flow %.2f px (threshold %.2f)", path, i,
                 g_array_index (scorer->flow, double, i), threshold);
        if (g_array_index (scorer->flow, double, i) > threshold)
          moving++;
      }
    out->dynamic_degree = (scorer->flow->len > 0 && moving >= count_num) ? 1.0 : 0.0;
    g_debug ("%s: %u of %u sampled pairs move (need %u)", path, moving, scorer->flow->len,
             count_num);
  }
  out->aesthetic_quality = admint_score_map_range (aesthetic_sum / n);
  out->imaging_quality = admint_score_map_range (imaging_n > 0 ? imaging_sum / imaging_n : 0);
  out->quality_score = admint_quality_score_from_dims (out);

  out->sums.valid = TRUE;
  for (guint i = 0; i + 1 < n; i++)
    out->sums.tf_sum += g_array_index (scorer->tf_means, float, i);
  out->sums.tf_pairs = n > 0 ? n - 1 : 0;
  out->sums.smooth_sum = scorer->smooth_sum;
  out->sums.smooth_n = scorer->smooth_n;
  out->sums.flow_moving = moving;
  out->sums.flow_pairs = scorer->flow->len;
  out->sums.aesthetic_sum = aesthetic_sum;
  out->sums.imaging_sum = imaging_sum;
  out->sums.imaging_n = imaging_n;
}

typedef void (*ProgressFunc) (double fraction, gpointer data);

/* Sets SCORER up for READER's frames and starts its worker pool; FALSE (with ERROR) when the
 * pool cannot start, leaving what is set up for the caller to clear. */
static gboolean
scorer_init (Scorer            *scorer,
             AdmintFrameReader *reader,
             double             fps,
             gboolean           tf_only,
             GError           **error)
{
  scorer->tf_only = tf_only;
  scorer->factor = admint_score_small_factor (admint_frame_reader_get_width (reader),
                                              admint_frame_reader_get_height (reader));
  /* VBench dynamic degree: every round(fps / 8)-th frame. */
  scorer->flow_interval = admint_score_flow_interval (fps);
  scorer->iq_interval = MAX (1, (guint) rint ((fps > 0 ? fps : 30.0) / 4.0));
  scorer->next_smooth = 1;
  scorer->done = g_async_queue_new ();
  scorer->smalls = g_ptr_array_new ();
  scorer->frame_done = g_array_new (FALSE, TRUE, sizeof (gboolean));
  scorer->tf_means = g_array_new (FALSE, TRUE, sizeof (float));
  scorer->subject = g_array_new (FALSE, TRUE, sizeof (float));
  scorer->background = g_array_new (FALSE, TRUE, sizeof (float));
  scorer->flow = g_array_new (FALSE, TRUE, sizeof (double));
  scorer->aesthetic = g_array_new (FALSE, TRUE, sizeof (double));
  scorer->imaging = g_array_new (FALSE, TRUE, sizeof (double));
  scorer->pool = g_thread_pool_new (job_run, scorer, N_WORKERS, FALSE, error);
  return scorer->pool != NULL;
}

/* Tells PROGRESS how far N of EXPECTED frames is, once a whole percent (at most 99). */
static void
report_progress (ProgressFunc  progress,
                 gpointer      progress_data,
                 guint         n,
                 double        expected,
                 guint        *last_percent)
{
  if (progress == NULL || expected <= 0)
    return;
  guint percent = (guint) MIN (99.0, 100.0 * n / expected);
  if (percent != *last_percent)
    {
      *last_percent = percent;
      progress (percent / 100.0, progress_data);
    }
}

static gboolean
score_file (const char        *path,
            AdmintScoreFlags   flags,
            GCancellable      *cancellable,
            ProgressFunc       progress,
            gpointer           progress_data,
            AdmintScores      *out,
            GError           **error)
{
  g_autoptr(AdmintFrameReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  Scorer scorer = { 0 };
  AdmintFrame *prev = NULL;
  gint64 start = g_get_monotonic_time ();
  double fps, expected;
  guint n = 0, last_percent = 0;
  gboolean tf_only = (flags & ADMINT_SCORE_FLAGS_TEMPORAL_FLICKERING_ONLY) != 0;
  gboolean checks_only = !tf_only && (flags & ADMINT_SCORE_FLAGS_AD_CHECKS_ONLY) != 0;
  gboolean ok = FALSE;
  AdmintAdCheckState *ad_state = NULL;

  reader = admint_frame_reader_open (path, cancellable, error);
  if (reader == NULL)
    return FALSE;

  fps = admint_frame_reader_get_fps (reader);
  expected = admint_frame_reader_get_duration (reader) * (fps > 0 ? fps : 30.0);
  if (!scorer_init (&scorer, reader, fps, tf_only, error))
    goto out;
  if (!tf_only)
    ad_state = admint_ad_checks_begin (admint_frame_reader_get_width (reader),
                                       admint_frame_reader_get_height (reader), fps);

  for (;;)
    {
      AdmintFrame *frame = admint_frame_reader_next (reader, cancellable, &local_error);
      Job *job;
      Job *finished;

      if (frame == NULL)
        break;
      if (checks_only)
        {
          /* The decoder's thread does the checks: no worker, no frame kept. */
          admint_ad_checks_add_frame (ad_state, frame->bgr, n++);
          admint_frame_unref (frame);
          report_progress (progress, progress_data, n, expected, &last_percent);
          continue;
        }

      g_array_set_size (scorer.frame_done, n + 1);
      if (n > 0)
        g_array_set_size (scorer.tf_means, n);
      if (!tf_only)
        {
          g_array_set_size (scorer.subject, (gsize) (n + 1) * ADMINT_SUBJECT_DESC_LEN);
          g_array_set_size (scorer.background, (gsize) (n + 1) * ADMINT_BACKGROUND_DESC_LEN);
        }

      job = g_new0 (Job, 1);
      job->kind = JOB_FRAME;
      job->index = n;
      job->tf_only = tf_only;
      job->want_imaging = (n % scorer.iq_interval) == 0;
      if (ad_state != NULL)
        admint_ad_checks_add_frame (ad_state, frame->bgr, n);
      job->frame = frame;
      job->prev = prev;  /* hands over the reference */
      prev = admint_frame_ref (frame);
      scorer_submit (&scorer, job);
      n++;

      while (scorer.in_flight >= MAX_IN_FLIGHT)
        scorer_collect (&scorer, g_async_queue_pop (scorer.done));
      while ((finished = g_async_queue_try_pop (scorer.done)) != NULL)
        scorer_collect (&scorer, finished);

      report_progress (progress, progress_data, n, expected, &last_percent);
    }
  g_clear_pointer (&prev, admint_frame_unref);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  /* Drain: frame jobs release pair jobs, which finish last. */
  while (scorer.in_flight > 0)
    scorer_collect (&scorer, g_async_queue_pop (scorer.done));

  memset (out, 0, sizeof *out);
  out->frames = n;
  out->width = admint_frame_reader_get_width (reader);
  out->height = admint_frame_reader_get_height (reader);
  out->fps = fps > 0 ? fps : (admint_frame_reader_get_duration (reader) > 0 ?
                              n / admint_frame_reader_get_duration (reader) : 0);
  out->duration = out->fps > 0 ? n / out->fps : admint_frame_reader_get_duration (reader);

  /* One frame has no pairs: nothing can flicker, move or drift. */
  out->temporal_flickering = checks_only ? 0 : n >= 2 ?
    admint_score_flicker_from_means ((const float *) scorer.tf_means->data, n - 1) : 1.0;

  if (!tf_only)
    {
      admint_ad_checks_end (g_steal_pointer (&ad_state), &out->ad_checks);
      measure_sound (path, cancellable, &out->ad_checks);
      if (!checks_only)
        fill_dimensions (&scorer, path, n, out);
      out->overall_score = MAX (0.0, out->quality_score -
                                     15.0 * admint_ad_checks_failed (&out->ad_checks));
    }
  out->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  ok = TRUE;

out:
  if (ad_state != NULL)
    {
      AdmintAdChecks unused;
      admint_ad_checks_end (ad_state, &unused);
    }
  g_clear_pointer (&prev, admint_frame_unref);
  scorer_clear (&scorer);
  return ok;
}

gboolean
admint_score_file (const char        *path,
                   AdmintScoreFlags   flags,
                   GCancellable      *cancellable,
                   AdmintScores      *out,
                   GError           **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return score_file (path, flags, cancellable, NULL, NULL, out, error);
}

/* ---- async ---- */

typedef struct {
  char                *path;
  AdmintScoreFlags     flags;
  AdmintScoreProgress  progress_cb;
  gpointer             progress_data;
  GMainContext        *context;
  GArray              *clips;   /* AdmintScores of the joined clips, or NULL */
  AdmintScores         scores;
} ScoreTaskData;

typedef struct {
  GTask               *task;
  double               fraction;
} ProgressReport;

static void
score_task_data_free (ScoreTaskData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_pointer (&data->clips, g_array_unref);
  g_free (data);
}

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressReport *report = user_data;
  ScoreTaskData *data = g_task_get_task_data (report->task);

  /* Nothing after the result and nothing once cancelled: the caller may have moved on. */
  if (!g_task_get_completed (report->task) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (report->task)))
    data->progress_cb (data->path, report->fraction, data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer user_data)
{
  ProgressReport *report = user_data;

  g_object_unref (report->task);
  g_free (report);
}

static void
post_progress (double   fraction,
               gpointer user_data)
{
  GTask *task = user_data;
  ScoreTaskData *data = g_task_get_task_data (task);
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->task = g_object_ref (task);
  report->fraction = fraction;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress, report,
                              progress_report_free);
}

/* The ad checks measured on PATH, the dimensions combined from CLIPS; every dimension measured
 * on PATH when the clips do not add up to it. */
static gboolean
score_joined (const char          *path,
              const AdmintScores  *clips,
              guint                n_clips,
              GCancellable        *cancellable,
              AdmintScores        *out,
              GError             **error)
{
  g_autoptr(GError) mismatch = NULL;
  AdmintScores whole;
  gint64 start = g_get_monotonic_time ();

  if (!score_file (path, ADMINT_SCORE_FLAGS_AD_CHECKS_ONLY, cancellable, NULL, NULL, &whole,
                   error))
    return FALSE;
  if (admint_score_combine (clips, n_clips, &whole, out, &mismatch))
    {
      out->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      return TRUE;
    }
  g_message ("%s: measuring every dimension again: %s", path, mismatch->message);
  return score_file (path, ADMINT_SCORE_FLAGS_NONE, cancellable, NULL, NULL, out, error);
}

static void
score_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  admint_worker_lower_priority ();
  ScoreTaskData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  if (data->clips != NULL)
    ok = score_joined (data->path, (const AdmintScores *) data->clips->data, data->clips->len,
                       cancellable, &data->scores, &error);
  else
    ok = score_file (data->path, data->flags, cancellable,
                     data->progress_cb != NULL ? post_progress : NULL, task,
                     &data->scores, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
admint_score_file_async (const char          *path,
                         AdmintScoreFlags     flags,
                         GCancellable        *cancellable,
                         AdmintScoreProgress  progress_cb,
                         gpointer             progress_data,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ScoreTaskData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_score_file_async);
  data = g_new0 (ScoreTaskData, 1);
  data->path = g_strdup (path);
  data->flags = flags;
  data->progress_cb = progress_cb;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, data, (GDestroyNotify) score_task_data_free);
  g_task_run_in_thread (task, score_thread);
}

void
admint_score_joined_file_async (const char          *path,
                                const AdmintScores  *clips,
                                guint                n_clips,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ScoreTaskData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (clips != NULL || n_clips == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* The same source tag: admint_score_file_finish finishes both. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_score_file_async);
  data = g_new0 (ScoreTaskData, 1);
  data->path = g_strdup (path);
  data->context = g_main_context_ref_thread_default ();
  data->clips = g_array_sized_new (FALSE, FALSE, sizeof (AdmintScores), n_clips);
  g_array_append_vals (data->clips, clips, n_clips);
  g_task_set_task_data (task, data, (GDestroyNotify) score_task_data_free);
  g_task_run_in_thread (task, score_thread);
}

gboolean
admint_score_file_finish (GAsyncResult  *result,
                          AdmintScores  *out,
                          GError       **error)
{
  ScoreTaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == admint_score_file_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (out != NULL)
    *out = data->scores;
  return TRUE;
}

/* ---- one picture ---- */

double
admint_score_image_quality_rgb (const guint8 *pixels,
                                int           width,
                                int           height,
                                int           rowstride,
                                int           n_channels)
{
  g_return_val_if_fail (pixels != NULL, 0.0);
  g_return_val_if_fail (width > 0 && height > 0, 0.0);
  g_return_val_if_fail (n_channels == 3 || n_channels == 4, 0.0);
  g_return_val_if_fail (rowstride >= width * n_channels, 0.0);

  return admint_score_map_range (admint_score_imaging_raw (pixels, width, height, rowstride,
                                                          n_channels, FALSE));
}

double
admint_score_image_quality_pixbuf (GdkPixbuf *pixbuf)
{
  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), 0.0);
  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8, 0.0);
  g_return_val_if_fail (gdk_pixbuf_get_colorspace (pixbuf) == GDK_COLORSPACE_RGB, 0.0);

  return admint_score_image_quality_rgb (gdk_pixbuf_read_pixels (pixbuf),
                                         gdk_pixbuf_get_width (pixbuf),
                                         gdk_pixbuf_get_height (pixbuf),
                                         gdk_pixbuf_get_rowstride (pixbuf),
                                         gdk_pixbuf_get_n_channels (pixbuf));
}
