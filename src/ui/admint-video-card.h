/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The finished ad's card in the chat: the player, the score per dimension, the ad checks, and
 * Export. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "admint-pipeline-enums.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_VIDEO_CARD (admint_video_card_get_type ())
G_DECLARE_FINAL_TYPE (AdmintVideoCard, admint_video_card, ADMINT, VIDEO_CARD, GtkWidget)

GtkWidget      *admint_video_card_new        (void);
/* Plays PATH; its poster (a representative frame, made off the main loop) shows until Play. */
void            admint_video_card_set_file   (AdmintVideoCard *self,
                                              const char      *path);
GFile          *admint_video_card_get_file   (AdmintVideoCard *self);
GtkMediaStream *admint_video_card_get_stream (AdmintVideoCard *self);
/* TRUE once the poster frame is shown (or was replaced by playback). */
gboolean        admint_video_card_has_poster (AdmintVideoCard *self);
/* The whole video's SCORE (0–100) with VERDICT; SCORES the stored scores message: its
 * "dimensions" (each in [0, 1]) and "ad_checks" are listed when present. */
void            admint_video_card_set_scores (AdmintVideoCard *self,
                                              double           score,
                                              AdmintVerdict    verdict,
                                              JsonObject      *scores);

G_END_DECLS
