/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Why a generation stopped, in words a person can act on; quality bands; what a machine can run. */
#pragma once

#include "admint-generation.h"

G_BEGIN_DECLS

typedef enum {
  ADMINT_FAILURE_NONE,       /* completed, or still running */
  ADMINT_FAILURE_BUDGET,     /* stopped before the clips: over budget.max_usd_per_generation */
  ADMINT_FAILURE_CLIPS,      /* one or more clips failed (status partial, or no clip at all) */
  ADMINT_FAILURE_TIMEOUT,    /* a stage ran past stages.<stage>.timeout_seconds */
  ADMINT_FAILURE_MODEL,      /* a model's answer could not be used, even asked twice */
  ADMINT_FAILURE_CANCELLED,  /* stopped by the user */
  ADMINT_FAILURE_OTHER,
  ADMINT_FAILURE_STILL_RUNNING, /* a paid clip is still running at the service: resume polls it */
} AdmintFailureKind;

/* Why SELF stopped and what to do about it. REASON and ADVICE (either may be NULL) receive
 * newly allocated text, or NULL for ADMINT_FAILURE_NONE. ADVICE names the config key to change
 * (as `--set KEY=VALUE` too) or the command to run, with the generation's id. */
AdmintFailureKind admint_generation_get_failure (AdmintGeneration  *self,
                                                 char             **reason,
                                                 char             **advice);

/* Clip INDEX's score against quality.good and quality.acceptable (NONE: not scored yet). The
 * whole ad's is the "verdict" property. */
AdmintVerdict     admint_generation_get_clip_verdict (AdmintGeneration *self,
                                                      guint             index);

/* How many generations of TARGET_SECONDS at RESOLUTION ("360p", "720p", "1080p") may run at
 * once without going past MemAvailable: at most REQUESTED, at least 1. The estimate is a
 * 30-second 1080p ad's peak (1.47 GB) scaled by pixels and length; each further one costs
 * ~170 MB when ONE_PROCESS (variants), a whole ad's peak otherwise (batch jobs, one process
 * each). MEMINFO: a /proc/meminfo text to read instead of the real one (tests), or NULL. */
guint             admint_generation_max_parallel (guint             requested,
                                                  int               target_seconds,
                                                  const char       *resolution,
                                                  gboolean          one_process,
                                                  const char       *meminfo);
/* Runs GENERATIONS (variants of one process) with at most as many at once as the memory allows
 * (admint_generation_max_parallel with their length and video.resolution), starting the next
 * as each one finishes. Connect to their signals before calling. */
void              admint_generation_run_bounded (GPtrArray        *generations);

/* The estimate itself, in bytes: the first generation, and each further one. */
void              admint_generation_memory_estimate (int            target_seconds,
                                                     const char    *resolution,
                                                     guint64       *first_bytes,
                                                     guint64       *each_more_bytes);

G_END_DECLS
