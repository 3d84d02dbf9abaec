/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A music bed from a Replicate music model: asked for once, followed after a restart, checked by
 * decoding, kept, and paid for once. */
#pragma once

#include <gio/gio.h>

#include "admint-music.h"
#include "admint-replicate-client.h"

G_BEGIN_DECLS

#define ADMINT_TYPE_MUSIC_REPLICATE (admint_music_replicate_get_type ())
G_DECLARE_FINAL_TYPE (AdmintMusicReplicate, admint_music_replicate, ADMINT, MUSIC_REPLICATE,
                      GObject)

/* The record of a bed, in the request's folder: the prediction (written the moment its create
 * answer arrives), then the file kept and whether its cost is in `usage`. */
#define ADMINT_MUSIC_REPLICATE_RECORD "music-replicate.json"

typedef struct {
  const char *dir;            /* where the bed and its record are kept (the sound folder) */
  const char *generation_id;  /* for `usage`; may be NULL */
  AdmintMood  mood;
  double      duration;       /* seconds: the ad's length */
  double      tempo;          /* BPM the scene cuts fall on; 0: not said */
  guint32     seed;
} AdmintMusicRequest;

/* OPTIONS as admint_replicate_options_from_config (…, "music") fills them, with the key. Usage
 * goes to STORE (may be NULL), once a bed. */
AdmintMusicReplicate *admint_music_replicate_new          (const AdmintReplicateOptions *options,
                                                           AdmintStore                  *store);
const char           *admint_music_replicate_get_model    (AdmintMusicReplicate         *self);

/* What the model is asked for: an instrumental bed in the mood (and tempo) of the ad. */
char                 *admint_music_replicate_prompt       (AdmintMood                    mood,
                                                           double                        tempo);

/* The bed this model made for REQUEST, kept in REQUEST->dir (decoded when it was kept) with its
 * cost recorded; NULL when there is none yet (or it is another request's or model's). Reads the
 * record only: no network. */
char                 *admint_music_replicate_lookup_kept  (AdmintMusicReplicate         *self,
                                                           const AdmintMusicRequest     *request);

/* The bed for REQUEST: the kept one; else the stored prediction followed (never a new one while
 * it may still finish); else a new prediction, its id recorded as soon as Replicate answers.
 * With the store, the create goes through the Replicate client's log of predictions: logged
 * before it is sent, so that one whose answer is lost (a kill, a cut or garbled answer) is
 * found and followed by this call or the next, never made again (issue 14).
 * The download must decode (GStreamer) before it is kept; a bad one is fetched again from the
 * same prediction. The result is the kept file's path. Runs on the caller's main context. */
void                  admint_music_replicate_fetch_async  (AdmintMusicReplicate         *self,
                                                           const AdmintMusicRequest     *request,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
/* *COST_USD (may be NULL): what this call recorded in `usage` (0 when it was recorded before). */
char                 *admint_music_replicate_fetch_finish (AdmintMusicReplicate         *self,
                                                           GAsyncResult                 *result,
                                                           double                       *cost_usd,
                                                           GError                      **error);

G_END_DECLS
