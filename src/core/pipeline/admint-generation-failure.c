/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Why a generation stopped and what to do, the always-written failure record in the log, the
 * quality bands, and how many generations the memory of the machine allows at once. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-failure.h"
#include "admint-generation-private.h"

/* INFO level, so nothing is printed on stderr (the front ends say it their own way), but the
 * ADMINT_RECORD field makes the log writer keep it whatever the verbosity. */
void
_admint_gen_log_event (AdmintGeneration *self,
                       const char       *event,
                       const char       *text)
{
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "ADMINT_RECORD", event,
                    "GENERATION_ID", self->id ? self->id : "",
                    "STAGE", admint_generation_status_to_string (self->status),
                    "MESSAGE", "%s %s: %s", self->id ? self->id : "generation", event, text);
}

void
_admint_gen_fail_as (AdmintGeneration  *self,
                     AdmintFailureKind  kind,
                     const char        *key,
                     const char        *message)
{
  if (self->done)
    return;
  self->failure_kind = kind;
  g_free (self->failure_key);
  self->failure_key = g_strdup (key);
  _admint_gen_fail (self, message);
}

static AdmintFailureKind
current_kind (AdmintGeneration *self)
{
  if (self->failure_kind != ADMINT_FAILURE_NONE)
    return self->failure_kind;
  if (self->status == ADMINT_GENERATION_STATUS_CANCELLED)
    return ADMINT_FAILURE_CANCELLED;
  if (self->status == ADMINT_GENERATION_STATUS_PARTIAL)
    return ADMINT_FAILURE_CLIPS;
  if (self->status == ADMINT_GENERATION_STATUS_FAILED)
    return ADMINT_FAILURE_OTHER;
  return ADMINT_FAILURE_NONE;
}

AdmintFailureKind
admint_generation_get_failure (AdmintGeneration  *self,
                               char             **reason,
                               char             **advice)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), ADMINT_FAILURE_NONE);

  AdmintFailureKind kind = current_kind (self);
  const char *id = self->id ? self->id : "ID";
  char *what = NULL;

  switch (kind)
    {
    case ADMINT_FAILURE_NONE:
      break;
    case ADMINT_FAILURE_BUDGET:
      what = g_strdup_printf (_("Raise budget.max_usd_per_generation in your config, or run "
                                "`admint resume %s --set budget.max_usd_per_generation=N` (or "
                                "--max-cost N) to spend it."), id);
      break;
    case ADMINT_FAILURE_CLIPS:
      what = g_strdup_printf (_("`admint resume %s` makes the failed clips again and keeps the "
                                "ones that worked."), id);
      break;
    case ADMINT_FAILURE_TIMEOUT:
      what = g_strdup_printf (_("Raise %s in your config (or with --set %s=N), then `admint "
                                "resume %s` carries on from that stage."),
                              self->failure_key, self->failure_key, id);
      break;
    case ADMINT_FAILURE_MODEL:
      what = g_strdup_printf (_("`admint resume %s` asks the model again; a stronger model "
                                "(providers.llm.model) answers more reliably."), id);
      break;
    case ADMINT_FAILURE_CANCELLED:
      what = g_strdup_printf (_("`admint resume %s` carries on where it stopped."), id);
      break;
    case ADMINT_FAILURE_STILL_RUNNING:
      what = g_strdup_printf (_("`admint resume %s` picks up the predictions still running, "
                                "without paying for them again."), id);
      break;
    case ADMINT_FAILURE_OTHER:
    default:
      what = g_strdup_printf (_("Fix what the reason names, then `admint resume %s` carries on "
                                "where it stopped."), id);
      break;
    }
  if (reason != NULL)
    *reason = kind == ADMINT_FAILURE_NONE ? NULL
              : g_strdup (self->error_message ? self->error_message : _("It stopped."));
  if (advice != NULL)
    *advice = what;
  else
    g_free (what);
  return kind;
}

AdmintVerdict
admint_generation_get_clip_verdict (AdmintGeneration *self,
                                    guint             index)
{
  g_return_val_if_fail (ADMINT_IS_GENERATION (self), ADMINT_VERDICT_NONE);

  if (self->clips == NULL || index >= self->clips->len)
    return ADMINT_VERDICT_NONE;
  ClipState *clip = g_ptr_array_index (self->clips, index);
  if (!clip->scored)
    return ADMINT_VERDICT_NONE;
  return admint_verdict_for_score (clip->scores.quality_score,
                                   admint_config_get_double (self->config, "quality.good"),
                                   admint_config_get_double (self->config,
                                                             "quality.acceptable"));
}

/* Peak resident memory of a 30-second 1080p ad with the local providers, and what a variant in
 * the same process adds (docs/pipeline.md, "Memory"). */
#define PEAK_30S_1080P  (1470ull * 1024 * 1024)
#define VARIANT_30S_1080P (170ull * 1024 * 1024)
/* The part of the peak that does not grow with the picture or the length (libraries, GStreamer,
 * the store). */
#define FIXED_BYTES     (120ull * 1024 * 1024)

void
admint_generation_memory_estimate (int      target_seconds,
                                   const char *resolution,
                                   guint64 *first_bytes,
                                   guint64 *each_more_bytes)
{
  double pixels = g_strcmp0 (resolution, "1080p") == 0 ? 1920.0 * 1080
                  : g_strcmp0 (resolution, "360p") == 0 ? 640.0 * 360 : 1280.0 * 720;
  /* The encoders and the stitcher hold frames, not seconds, at once: length counts, but far
   * less than the picture; a tenth of the rest grows with it. */
  double scale = pixels / (1920.0 * 1080);
  double length = 0.9 + 0.1 * CLAMP (target_seconds, 1, 600) / 30.0;

  if (first_bytes != NULL)
    *first_bytes = FIXED_BYTES + (guint64) ((PEAK_30S_1080P - FIXED_BYTES) * scale * length);
  if (each_more_bytes != NULL)
    *each_more_bytes = (guint64) (VARIANT_30S_1080P * MAX (scale * length, 0.25));
}

static guint64
mem_available (const char *meminfo)
{
  g_autofree char *contents = NULL;
  const char *text = meminfo;

  if (text == NULL)
    {
      if (!g_file_get_contents ("/proc/meminfo", &contents, NULL, NULL))
        return 0;
      text = contents;
    }
  const char *line = strstr (text, "MemAvailable:");
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("MemAvailable:"), NULL, 10) * 1024;
}

guint
admint_generation_max_parallel (guint       requested,
                                int         target_seconds,
                                const char *resolution,
                                gboolean    one_process,
                                const char *meminfo)
{
  guint64 first, more, available = mem_available (meminfo);

  if (requested <= 1)
    return 1;
  if (available == 0)
    return requested;  /* no /proc/meminfo: nothing to go by */
  admint_generation_memory_estimate (target_seconds, resolution, &first, &more);
  if (available <= first)
    return 1;
  if (!one_process)
    more = first;  /* each process has its own libraries, renderer and encoder */
  guint64 fit = 1 + (available - first) / MAX (more, 1);
  return (guint) MIN ((guint64) requested, fit);
}

typedef struct {
  GPtrArray *generations;
  guint      next;
  guint      finished;
} Pool;

static void pool_start_next (Pool *pool);

static void
on_pool_member_finished (AdmintGeneration *gen,
                         int               status,
                         Pool             *pool)
{
  g_signal_handlers_disconnect_by_data (gen, pool);
  pool->finished++;
  if (pool->finished == pool->generations->len)
    {
      g_ptr_array_unref (pool->generations);
      g_free (pool);
      return;
    }
  pool_start_next (pool);
}

static void
pool_start_next (Pool *pool)
{
  if (pool->next >= pool->generations->len)
    return;
  AdmintGeneration *gen = g_ptr_array_index (pool->generations, pool->next++);
  g_signal_connect (gen, "finished", G_CALLBACK (on_pool_member_finished), pool);
  admint_generation_run (gen);
}

void
admint_generation_run_bounded (GPtrArray *generations)
{
  g_return_if_fail (generations != NULL);

  if (generations->len == 0)
    return;
  AdmintGeneration *first = g_ptr_array_index (generations, 0);
  int longest = 1;
  for (guint i = 0; i < generations->len; i++)
    longest = MAX (longest, ((AdmintGeneration *) g_ptr_array_index (generations,
                                                                    i))->target_seconds);
  guint limit = admint_generation_max_parallel (generations->len, longest,
                                                admint_config_get_string (first->config,
                                                                          "video.resolution"),
                                                TRUE, NULL);
  if (limit < generations->len)
    g_message ("memory allows %u of the %u variants at once; the others start as those finish",
               limit, generations->len);

  Pool *pool = g_new0 (Pool, 1);
  pool->generations = g_ptr_array_ref (generations);
  for (guint i = 0; i < limit; i++)
    pool_start_next (pool);
}
