/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One clip's card in the chat: its thumbnail, progress, score with its verdict, its ad checks
 * and Regenerate Clip. */
#pragma once

#include <adwaita.h>

#include "admint-generation.h"
#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_CLIP_CARD (admint_clip_card_get_type ())
G_DECLARE_FINAL_TYPE (AdmintClipCard, admint_clip_card, ADMINT, CLIP_CARD, GtkBox)

/* Clip INDEX of ad ID. LIVE: the generation this window runs for it, whose AdmintClip the card
 * follows; NULL: the card reads the stored clip (admint_generation_read_clips_async) and hides
 * itself when there is none. */
GtkWidget      *admint_clip_card_new                (AdmintStore      *store,
                                                     const char       *id,
                                                     AdmintGeneration *live,
                                                     int               index);
/* The progress bar and the title line, which the chat view drives from the clip signals. */
GtkProgressBar *admint_clip_card_get_bar            (AdmintClipCard   *self);
GtkLabel       *admint_clip_card_get_label          (AdmintClipCard   *self);
GtkButton      *admint_clip_card_get_regenerate     (AdmintClipCard   *self);
/* The clip shown, once known, or NULL. */
AdmintClip     *admint_clip_card_get_clip           (AdmintClipCard   *self);

G_END_DECLS
