/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One ad's conversation: the stored chat, live progress of a running generation, the finished
 * video, and the reply box the user answers the generation's questions with. */
#pragma once

#include <adwaita.h>

#include "admint-generation.h"
#include "admint-store.h"
#include "admint-video-card.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_CHAT_VIEW (admint_chat_view_get_type ())
G_DECLARE_FINAL_TYPE (AdmintChatView, admint_chat_view, ADMINT, CHAT_VIEW, GtkWidget)

GtkWidget        *admint_chat_view_new            (void);
/* Shows generation id: its stored messages, then (if live is not NULL, the generation running
 * under that id) what it does from now on. */
void              admint_chat_view_show           (AdmintChatView   *self,
                                                   AdmintStore      *store,
                                                   const char       *id,
                                                   AdmintGeneration *live);
void              admint_chat_view_clear          (AdmintChatView   *self);
const char       *admint_chat_view_get_id         (AdmintChatView   *self);
/* TRUE while the shown generation waits for the user's reply. */
gboolean          admint_chat_view_get_waiting    (AdmintChatView   *self);
/* The finished video's card (its player and scores), or NULL before there is one. */
AdmintVideoCard  *admint_chat_view_get_video      (AdmintChatView   *self);
/* The whole video's quality score (0–100), or < 0 before it is scored. */
double            admint_chat_view_get_score      (AdmintChatView   *self);

G_END_DECLS
