/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stitcher and exporter: joins clips into one video, copying when it can. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "admint-media.h"

G_BEGIN_DECLS

typedef enum {
  ADMINT_TRANSITION_NONE,
  ADMINT_TRANSITION_CROSSFADE,
} AdmintTransition;

/* How a clip of another shape fills the target frame. */
typedef enum {
  ADMINT_FIT_BLUR,       /* the clip centred over a blurred, dimmed enlargement of itself */
  ADMINT_FIT_LETTERBOX,  /* the clip centred on black */
} AdmintFit;

typedef struct {
  AdmintTransition          transition;
  double                    crossfade;       /* seconds; 0: 0.5 */
  const char               *music;           /* a music bed, mixed under the clips; may be NULL */
  double                    music_volume;    /* 0: 0.35 under clips with sound, 0.8 otherwise */
  const AdmintMediaPreset  *preset;          /* NULL: the first clip's size and rate, MP4 */
  AdmintFit                 fit;
  gboolean                  force_reencode;  /* never take the copy path */
} AdmintStitchOptions;

typedef struct {
  char                  *output;
  double                 duration;   /* seconds, as planned from the inputs */
  gboolean               copied;     /* TRUE: joined without re-encoding */
  int                    width;
  int                    height;
  AdmintMediaContainer   container;
} AdmintStitchResult;

void admint_stitch_result_free (AdmintStitchResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintStitchResult, admint_stitch_result_free)

/* "none" or "crossfade"; FALSE otherwise. */
gboolean admint_transition_from_string (const char       *text,
                                        AdmintTransition *transition);

/* Joins CLIPS into OUTPUT in the calling thread (PROGRESS called in it too). When every clip
 * has the same codec parameters, no transition or music is asked and the preset (if any)
 * matches them, the streams are copied; otherwise clips are decoded, normalised to the target
 * size and rate (blurred fill or letterbox for another shape, silence where a clip has no
 * sound) and encoded once. OPTIONS may be NULL. The output is written to a temporary name
 * and renamed when complete. */
AdmintStitchResult *admint_media_stitch        (const char * const         *clips,
                                                const char                 *output,
                                                const AdmintStitchOptions  *options,
                                                GCancellable               *cancellable,
                                                AdmintMediaProgressFunc     progress,
                                                gpointer                    progress_data,
                                                GError                    **error);

/* The same in a GTask thread; PROGRESS runs on the caller's thread-default main context and
 * PROGRESS_DATA must stay alive until CALLBACK runs. OPTIONS is copied. */
void                admint_media_stitch_async  (const char * const         *clips,
                                                const char                 *output,
                                                const AdmintStitchOptions  *options,
                                                GCancellable               *cancellable,
                                                AdmintMediaProgressFunc     progress,
                                                gpointer                    progress_data,
                                                GAsyncReadyCallback         callback,
                                                gpointer                    user_data);
AdmintStitchResult *admint_media_stitch_finish (GAsyncResult               *result,
                                                GError                    **error);

/* Writes INPUT (a finished video) to OUTPUT in PRESET's size and format: copied when it
 * already matches, re-encoded otherwise. */
AdmintStitchResult *admint_media_export        (const char                 *input,
                                                const char                 *output,
                                                const AdmintMediaPreset    *preset,
                                                GCancellable               *cancellable,
                                                AdmintMediaProgressFunc     progress,
                                                gpointer                    progress_data,
                                                GError                    **error);
void                admint_media_export_async  (const char                 *input,
                                                const char                 *output,
                                                const AdmintMediaPreset    *preset,
                                                GCancellable               *cancellable,
                                                AdmintMediaProgressFunc     progress,
                                                gpointer                    progress_data,
                                                GAsyncReadyCallback         callback,
                                                gpointer                    user_data);
AdmintStitchResult *admint_media_export_finish (GAsyncResult               *result,
                                                GError                    **error);

/* Draws over a WIDTH×HEIGHT frame shown at T seconds (captions); called in a streaming
 * thread. */
typedef void (*AdmintMediaOverlayFunc) (cairo_t  *cr,
                                        int       width,
                                        int       height,
                                        double    t,
                                        gpointer  user_data);

/* Puts AUDIO (a WAV file) on VIDEO as its only sound track, written to OUTPUT (MP4: H.264 and
 * AAC). With no OVERLAY and an H.264 VIDEO, the video stream is copied, not re-encoded (the
 * remix path: seconds for a 30-second ad; result->copied is TRUE); with an OVERLAY every frame
 * is decoded, drawn on and encoded again. The output lasts as long as the video; sound past its
 * end is dropped. OVERLAY_DATA must stay alive until the function returns. */
AdmintStitchResult *admint_media_mux_audio        (const char                 *video,
                                                   const char                 *audio,
                                                   const char                 *output,
                                                   AdmintMediaOverlayFunc      overlay,
                                                   gpointer                    overlay_data,
                                                   GCancellable               *cancellable,
                                                   AdmintMediaProgressFunc     progress,
                                                   gpointer                    progress_data,
                                                   GError                    **error);
/* The same in a GTask thread; PROGRESS runs on the caller's thread-default main context.
 * OVERLAY_DATA must stay alive until CALLBACK runs. */
void                admint_media_mux_audio_async  (const char                 *video,
                                                   const char                 *audio,
                                                   const char                 *output,
                                                   AdmintMediaOverlayFunc      overlay,
                                                   gpointer                    overlay_data,
                                                   GCancellable               *cancellable,
                                                   AdmintMediaProgressFunc     progress,
                                                   gpointer                    progress_data,
                                                   GAsyncReadyCallback         callback,
                                                   gpointer                    user_data);
AdmintStitchResult *admint_media_mux_audio_finish (GAsyncResult               *result,
                                                   GError                    **error);

G_END_DECLS
