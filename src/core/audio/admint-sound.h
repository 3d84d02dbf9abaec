/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sound stage in one call: every scene's line spoken in its scene, captions, a music bed,
 * the mix at -14 LUFS, and the final video with its sound and burned captions. */
#pragma once

#include <gio/gio.h>

#include "admint-captions.h"
#include "admint-media.h"
#include "admint-mix.h"
#include "admint-timing.h"
#include "admint-voice.h"

G_BEGIN_DECLS

typedef struct {
  double              start;      /* the cut into the scene, seconds in the ad */
  double              duration;   /* the next cut is at start + duration */
  const char         *line;       /* the voice-over; NULL or blank: a silent scene (skipped) */
  AdmintBox           text_box;   /* the scene's on-screen text in [0, 1]; width 0: none */
  const AdmintBox    *text_boxes; /* or each of its texts as laid out (n_text_boxes of them),
                                   * in [0, 1]: used instead of text_box when given */
  guint               n_text_boxes;
  const AdmintSpeech *speech;     /* spoken before (resume): used as is, nobody is asked */
  const char         *burned_captions; /* the captions the scene's clip already shows (the
                                   * local renderer's, JSON as admint_captions_to_json gives for
                                   * the scene's span); when they are this scene's cues, they
                                   * are not drawn again. NULL: the clip shows none */
} AdmintSoundScene;

typedef enum {
  ADMINT_MUSIC_AUTO,   /* a generated bed */
  ADMINT_MUSIC_NONE,
  ADMINT_MUSIC_FILE,   /* music_file */
} AdmintMusicMode;

/* "auto", "none", or else a file: FILE with *PATH set to TEXT. */
AdmintMusicMode admint_music_mode_from_string (const char  *text,
                                               const char **path);

typedef struct _AdmintSoundLine AdmintSoundLine;

/* Called on the caller's main context as soon as a line has been spoken and its WAV written,
 * before anything else is asked: whoever stores lines (and pays for them) keeps it now, so a
 * process killed later in the stage never asks for it again. */
typedef void (*AdmintSoundLineFunc) (const AdmintSoundLine *line,
                                     gpointer               user_data);

typedef struct {
  const char          *video;            /* the stitched video */
  const char          *output;           /* the finished ad (MP4) */
  const char          *work_dir;         /* voice and mix WAVs; NULL: the output's folder */
  const char          *srt;              /* sidecar captions to write; NULL: none */
  const char          *vtt;
  AdmintVoiceProvider *voice;            /* NULL: no voice-over */
  gboolean             captions_burn;
  AdmintMusicMode      music;
  const char          *music_file;
  const char          *mood;             /* upbeat, calm, inspiring, bold; NULL: upbeat */
  guint32              seed;
  double               clip_level;       /* the clips' own sound under the voice; 0: 0.25,
                                          * < 0: dropped */
  gboolean             stop_if_too_long; /* a line too long even sped up: nothing is mixed, the
                                          * result says which (for the writer to shorten) */
  const char          *captioned_video;  /* remix: an earlier output of the same pictures and
                                          * captions, whose video stream is copied */
  AdmintSoundLineFunc  line_spoken;      /* may be NULL; line_spoken_data must outlive the call */
  gpointer             line_spoken_data;
  /* A voice that tells of each paid take ("speech-paid", the openai voice): each is written
   * to work_dir (voice-NN-take-K.wav) and given here the moment it arrives, before a faster
   * take is asked for, so its cost is never lost to a kill (issue 14). May be NULL; called
   * with line_spoken_data. */
  void               (*take_paid)        (guint               scene,
                                          const AdmintSpeech *take,
                                          const char         *wav,
                                          gpointer            user_data);
} AdmintSoundSettings;

struct _AdmintSoundLine {
  guint          scene;      /* index in the scenes given */
  AdmintSpeech  *speech;     /* as spoken (trimmed to its words) */
  AdmintLineFit  fit;
  double         offset;     /* where its audio starts in the ad */
  char          *wav;        /* the spoken line, written to work_dir: voice-N.wav */
  gboolean       reused;     /* came in with the scene: nobody was asked */
  guint          takes_told; /* paid takes given to take_paid already (their cost with them) */
};

typedef struct {
  char            *output;       /* NULL when stopped for a line too long */
  char            *mix;          /* the mixed track, a WAV in work_dir */
  char            *srt, *vtt;
  GPtrArray       *lines;        /* AdmintSoundLine, scenes with a line only */
  guint            n_too_long;
  double           cost_usd;     /* of the lines spoken in this call */
  double           tempo;        /* of a generated bed; 0 otherwise */
  AdmintMixReport  mix_report;
  gboolean         video_copied; /* the remix path: the video stream was not re-encoded */
  guint            n_cues;
  guint            n_scenes_captioned; /* scenes whose clip already showed their captions */
  AdmintCaptions  *captions;     /* every cue, in the ad's time, clear of each scene's texts */
} AdmintSoundResult;

void admint_sound_result_free (AdmintSoundResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintSoundResult, admint_sound_result_free)

/* Speaks the lines (on the caller's main context, one at a time), then mixes and muxes in a
 * GTask thread. Stores nothing but files: the pipeline records them and their cost. PROGRESS
 * runs on the caller's thread-default main context. SCENES and SETTINGS are copied. */
void               admint_sound_make_async  (const AdmintSoundScene    *scenes,
                                             guint                      n_scenes,
                                             const AdmintSoundSettings *settings,
                                             GCancellable              *cancellable,
                                             AdmintMediaProgressFunc    progress,
                                             gpointer                   progress_data,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data);
AdmintSoundResult *admint_sound_make_finish (GAsyncResult              *result,
                                             GError                   **error);

/* Only the first half, for rendering the clips with their captions: speaks the lines (or takes
 * the stored ones) and places them, and returns the result without mixing or writing anything
 * but the lines' WAVs: each line's offset in the ad and the captions. SETTINGS->video and
 * ->output are not used. Stopped for a line too long like admint_sound_make_async. */
void               admint_sound_speak_async  (const AdmintSoundScene    *scenes,
                                              guint                      n_scenes,
                                              const AdmintSoundSettings *settings,
                                              GCancellable              *cancellable,
                                              AdmintMediaProgressFunc    progress,
                                              gpointer                   progress_data,
                                              GAsyncReadyCallback        callback,
                                              gpointer                   user_data);
AdmintSoundResult *admint_sound_speak_finish (GAsyncResult              *result,
                                              GError                   **error);

G_END_DECLS
