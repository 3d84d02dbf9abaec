/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local provider's agents: a rule-based director, critic, scene writer, scene critic and
 * cohesor driven by the framework YAML. Offline, no key, deterministic for a seed. */
#pragma once

#include <json-glib/json-glib.h>

#include "admint-brief.h"
#include "admint-config.h"

G_BEGIN_DECLS

/* Words of voice-over a viewer takes in per second: the pacing every length check uses. */
#define ADMINT_WORDS_PER_SECOND 2.5
/* The pace each scene's own line is written for (a voice at 1.0×, with room to breathe). */
#define ADMINT_SCENE_WORDS_PER_SECOND 2.3

/* A story: {title, framework, beats:[{name, goal, text, visual}], voice_over, call_to_action,
 * tone, notes:[…]}. feedback (nullable) is the user's or the critic's direction for this
 * version; previous (nullable) is the version it revises. */
JsonNode *admint_local_write_story      (const AdmintBrief *brief,
                                         AdmintFramework   *framework,
                                         int                target_seconds,
                                         guint32            seed,
                                         JsonObject        *previous,
                                         const char        *feedback);

/* {score: 0-10, reasons:[…]}: beat coverage, call to action, length, brand mention. */
JsonNode *admint_local_critique_story   (JsonObject        *story,
                                         AdmintFramework   *framework,
                                         const AdmintBrief *brief,
                                         int                target_seconds);

/* Scenes: [{index, beat, description, duration, camera, on_screen_text}], as many as the
 * target length needs at clip_seconds a clip, durations adding up to target_seconds. */
JsonNode *admint_local_write_scenes     (JsonObject        *story,
                                         const AdmintBrief *brief,
                                         int                target_seconds,
                                         double             clip_seconds,
                                         guint32            seed,
                                         const char        *feedback);

/* The same, written again over PREVIOUS (the scenes they replace, nullable): each scene's
 * "variant" is one more than the one it replaces, and a later variant gets another setting,
 * camera, wording and (where the beat allows) layout, so a regenerated scene differs each time
 * while the same seed and variant give the same scene. */
JsonNode *admint_local_write_scenes_again (JsonObject        *story,
                                           const AdmintBrief *brief,
                                           int                target_seconds,
                                           double             clip_seconds,
                                           guint32            seed,
                                           const char        *feedback,
                                           JsonArray         *previous);

/* {score: 0-10, reasons:[…]} for a scene list; with a brief (nullable), its copy too. */
JsonNode *admint_local_critique_scenes  (JsonArray         *scenes,
                                         JsonObject        *story,
                                         int                target_seconds,
                                         const AdmintBrief *brief);

/* Makes the product, character and palette consistent and links each scene's end to the next
 * one's start: each scene gains "continuity" (the shared context), "leads_into" and
 * "reference" (the index of its anchoring reference image); its description is kept.
 * references: [{role, analysis:{subject, product, palette:[…], style, lighting}}].
 * Returns a new array. */
JsonNode *admint_local_cohere_scenes    (JsonArray         *scenes,
                                         JsonArray         *references,
                                         const AdmintBrief *brief);

/* LINE in at most MAX_WORDS whole words of its own (fillers dropped first, then trailing
 * clauses, then the words after MAX_WORDS), never ending on a word that leads on; the same line
 * always gives the same result. LINE itself when it is short enough. */
char     *admint_local_shorten_line     (const char        *line,
                                         guint              max_words);

/* Words in a text, as the length checks count them. */
guint     admint_count_words            (const char        *text);

G_END_DECLS
