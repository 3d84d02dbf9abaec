/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One scene's clip as the front ends see it: state, progress, thumbnail, score, ad checks. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "admint-pipeline-enums.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_CLIP (admint_clip_get_type ())
G_DECLARE_FINAL_TYPE (AdmintClip, admint_clip, ADMINT, CLIP, GObject)

/* Properties (read-only; notified on the main context, only when the value changes):
 *   index (int, 0-based scene)         version (int, the clip's version; 0 before the first)
 *   status (string: pending running completed failed rephrasing still-running)
 *   progress (double, 0–1; < 0 while it is not known)
 *   path (string, the clip's file once it is made, or NULL)
 *   thumbnail (string, a PNG of a frame from the clip as soon as it exists, or NULL)
 *   quality-score (double, 0–100; < 0 before it is scored)
 *   verdict (AdmintVerdict: the score against quality.good / quality.acceptable)
 *   ad-checks (JsonNode: {name: {pass, reason}, …, "passed": bool}, or NULL before scoring)
 *   error (string, why the clip failed, or NULL) */

int            admint_clip_get_index         (AdmintClip *self);
int            admint_clip_get_version       (AdmintClip *self);
const char    *admint_clip_get_status        (AdmintClip *self);
double         admint_clip_get_progress      (AdmintClip *self);
const char    *admint_clip_get_path          (AdmintClip *self);
const char    *admint_clip_get_thumbnail     (AdmintClip *self);
double         admint_clip_get_quality_score (AdmintClip *self);
AdmintVerdict  admint_clip_get_verdict       (AdmintClip *self);
JsonNode      *admint_clip_get_ad_checks     (AdmintClip *self);
const char    *admint_clip_get_error         (AdmintClip *self);

G_END_DECLS
