/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local clip renderer: still images (or a title card) to an H.264/AAC MP4 scene clip. */
#pragma once

#include <gio/gio.h>

#include "admint-media.h"

G_BEGIN_DECLS

typedef enum {
  ADMINT_ASPECT_16_9,
  ADMINT_ASPECT_9_16,
  ADMINT_ASPECT_1_1,
} AdmintAspect;

typedef enum {
  ADMINT_RENDER_SIZE_720P,   /* the short side is 720 */
  ADMINT_RENDER_SIZE_1080P,  /* the short side is 1080 */
  ADMINT_RENDER_SIZE_360P,   /* the short side is 360: quick drafts and tests */
} AdmintRenderSize;

/* A plain parameter set; every string is owned by the job and freed by admint_render_job_free.
 * Fill it with admint_render_job_new () and direct field access. */
typedef struct {
  GStrv             images;        /* still image paths; NULL or empty: a title card */
  double            duration;      /* seconds, > 0 and <= 120 */
  char             *camera;        /* "slow zoom in", "zoom out", "pan left", "pan right",
                                    * "push in", "tilt up", "static"… (NULL: slow zoom in) */
  char             *text;          /* on-screen text, may be NULL */
  GStrv             palette;       /* brand colours "#rrggbb"; [0] band/background, [1] accent */
  char             *logo;          /* a logo image for the corner bug, may be NULL */
  char             *product_name;  /* title card heading */
  char             *tagline;       /* title card second line */
  AdmintAspect      aspect;
  AdmintRenderSize  size;
  int               fps;           /* 30 */
  /* A scene layout (data/layouts/) by name; NULL: the plain Ken Burns card of old. */
  char             *layout;
  char             *description;   /* the scene's words: pick the procedural setting */
  GStrv             lines;         /* short benefit lines, revealed one by one */
  char             *figure;        /* a number to count up: "24 h", "30%", "$19" */
  char             *cta;           /* the call to action on the end card's button */
  char             *handle;        /* a web address or handle */
  char             *product;       /* the product photo: cut out or carded, never the logo */
  char             *transition_in; /* how the scene before ends: "cut", "crossfade", "push"… */
  GArray           *word_times;    /* of double: seconds at which the headline's words are
                                    * spoken (voice-over timings); NULL: an even stagger */
  char             *offer;         /* an offer for the end card's badge: "20% off" */
  guint             variant;       /* a rewritten scene's version: another pattern of motion
                                    * (the same variant draws the same frames) */
  char             *captions;      /* the voice-over's captions to burn in, JSON from
                                    * admint_captions_to_json with times in the clip; drawn
                                    * clear of the laid-out texts. NULL: none */
} AdmintRenderJob;

GType            admint_render_job_get_type (void) G_GNUC_CONST;
#define ADMINT_TYPE_RENDER_JOB (admint_render_job_get_type ())

AdmintRenderJob *admint_render_job_new      (void);
AdmintRenderJob *admint_render_job_copy     (const AdmintRenderJob *job);
void             admint_render_job_free     (AdmintRenderJob       *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintRenderJob, admint_render_job_free)

/* "16:9", "9:16", "1:1"; FALSE when TEXT is none of them. */
gboolean admint_aspect_from_string   (const char   *text,
                                      AdmintAspect *aspect);
/* The output frame size of JOB (even numbers). */
void     admint_render_job_get_frame_size (const AdmintRenderJob *job,
                                           int                   *width,
                                           int                   *height);

/* Renders JOB to OUTPUT (written to a temporary name, renamed when complete) in the calling
 * thread. PROGRESS is called in this thread. Bad parameters or unreadable images are
 * ADMINT_ERROR_INVALID_INPUT naming the problem. */
gboolean admint_render_clip          (const AdmintRenderJob    *job,
                                      const char               *output,
                                      GCancellable             *cancellable,
                                      AdmintMediaProgressFunc   progress,
                                      gpointer                  progress_data,
                                      GError                  **error);

/* Beside a laid-out clip OUTPUT, admint_render_clip writes where its texts landed:
 * OUTPUT + ".text.json", {"boxes": [{"x", "y", "width", "height"}]} in [0, 1] of the frame
 * (each text's ink box, plate included). The sound stage keeps its captions clear of them.
 * When the job had captions, they are in it too ("captions": the cues it drew, as given), so the
 * sound stage knows not to draw them again. */
char    *admint_render_text_boxes_path (const char *output);

/* The same in a GTask thread; PROGRESS is called on the caller's thread-default main context.
 * PROGRESS_DATA must stay alive until CALLBACK runs. */
void     admint_render_clip_async    (const AdmintRenderJob    *job,
                                      const char               *output,
                                      GCancellable             *cancellable,
                                      AdmintMediaProgressFunc   progress,
                                      gpointer                  progress_data,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
gboolean admint_render_clip_finish   (GAsyncResult             *result,
                                      GError                  **error);

/* Draws JOB's title card (palette, product name, tagline) at JOB's frame size into the PNG file
 * OUTPUT, written to a temporary name and renamed when complete. */
gboolean admint_render_title_card    (const AdmintRenderJob    *job,
                                      const char               *output,
                                      GCancellable             *cancellable,
                                      GError                  **error);

G_END_DECLS
