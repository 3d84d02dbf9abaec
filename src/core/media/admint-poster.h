/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A video's poster: a representative frame (not the black one an ad fades in from). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A picture as packed 8-bit RGB rows (stride bytes apart). */
typedef struct {
  GBytes *rgb;
  int     width;
  int     height;
  gsize   stride;
  double  position;  /* seconds into the video it was taken at */
} AdmintPoster;

void admint_poster_free (AdmintPoster *poster);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintPoster, admint_poster_free)

/* Decodes the frames at a quarter, a third and a half of PATH, at most MAX_WIDTH wide (0: the
 * video's width), and keeps the one with the most detail (a dark or flat frame, as in a fade
 * or a transition, scores low). Runs in a worker thread. Errors name the file. */
void          admint_poster_make_async  (const char          *path,
                                         int                  max_width,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
AdmintPoster *admint_poster_make_finish (GAsyncResult        *result,
                                         GError             **error);
/* The same, blocking (for tests and workers). */
AdmintPoster *admint_poster_make        (const char          *path,
                                         int                  max_width,
                                         GCancellable        *cancellable,
                                         GError             **error);

G_END_DECLS
