/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Captions: cues from the spoken words, laid out with Pango in the title-safe area away from a
 * scene's own text, drawn onto frames, and written as SubRip and WebVTT with the same times. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "admint-voice.h"

G_BEGIN_DECLS

/* At most this many characters a line, and two lines a cue. */
#define ADMINT_CAPTIONS_LINE_CHARS 32
/* The title-safe area: the central 90 % of each side. */
#define ADMINT_CAPTIONS_SAFE 0.90
/* The most on-screen text boxes of a scene a caption keeps clear of. */
#define ADMINT_CAPTIONS_MAX_AVOID 6

/* A rectangle: in [0, 1] of the frame for a scene's on-screen text, in pixels for layouts. */
typedef struct {
  double x, y, width, height;
} AdmintBox;

gboolean admint_box_intersects (const AdmintBox *a,
                                const AdmintBox *b);

typedef struct {
  double   start, end;    /* seconds in the ad */
  char    *lines[2];      /* the second may be NULL */
  GArray  *words;         /* AdmintWord, times in the ad; their texts make up the lines */
  guint    split;         /* the first word of the second line (words->len: one line) */
  AdmintBox avoid[ADMINT_CAPTIONS_MAX_AVOID]; /* the scene's on-screen text boxes, in [0, 1] */
  guint     n_avoid;
} AdmintCaptionCue;

typedef struct _AdmintCaptions AdmintCaptions;

AdmintCaptions *admint_captions_new      (void);
void            admint_captions_free     (AdmintCaptions       *captions);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintCaptions, admint_captions_free)

/* Adds SPEECH's words, its audio starting at OFFSET seconds in the ad, as cues of at most two
 * lines, broken at sentence ends and pauses, each shown until shortly after its last word (not
 * past the next cue nor SCENE_END, unless the words run past it). AVOID (may be NULL) is the
 * scene's on-screen text box in [0, 1]. */
void            admint_captions_add_speech (AdmintCaptions     *captions,
                                            const AdmintSpeech *speech,
                                            double              offset,
                                            double              scene_end,
                                            const AdmintBox    *avoid);
/* The same, clear of each of the N_AVOID boxes AVOID (the texts the renderer laid out). */
void            admint_captions_add_speech_avoiding (AdmintCaptions     *captions,
                                                     const AdmintSpeech *speech,
                                                     double              offset,
                                                     double              scene_end,
                                                     const AdmintBox    *avoid,
                                                     guint               n_avoid);
guint                   admint_captions_get_n_cues (AdmintCaptions *captions);
const AdmintCaptionCue *admint_captions_get_cue    (AdmintCaptions *captions,
                                                    guint           index);
/* The cue showing at T seconds, or -1. */
int             admint_captions_cue_at   (AdmintCaptions       *captions,
                                          double                t);

/* Where cue INDEX goes in a WIDTH×HEIGHT frame: its box (background included) in pixels and
 * the font size it needs. The box is inside the title-safe area and, when there is any room,
 * clear of the cue's avoid boxes (below it, above it, or wherever it fits; the font shrinks to
 * 60 % before giving up). Returns FALSE when no place avoids the box. */
gboolean        admint_captions_layout   (AdmintCaptions       *captions,
                                          guint                 index,
                                          int                   width,
                                          int                   height,
                                          AdmintBox            *box,
                                          double               *font_px);
/* Draws the caption showing at T (if any) onto CR, a WIDTH×HEIGHT frame, the word being said
 * highlighted. */
void            admint_captions_draw     (AdmintCaptions       *captions,
                                          cairo_t              *cr,
                                          int                   width,
                                          int                   height,
                                          double                t);

/* The cues showing at any time in [FROM, TO) (a scene of the ad), their times moved by -FROM
 * and rounded to the millisecond: [{"start_ms", "end_ms", "split", "words": [{"text",
 * "start_ms", "end_ms"}]}]. The same cues give the same text, so whoever draws them (the local
 * renderer, into each clip) can say which it drew. Avoid boxes are not in it. */
JsonNode       *admint_captions_to_json  (AdmintCaptions       *captions,
                                          double                from,
                                          double                to);
/* Cues back from admint_captions_to_json (times in its frame of reference); NULL with ERROR
 * (ADMINT_ERROR_INVALID_INPUT) when NODE is not such a list. */
AdmintCaptions *admint_captions_new_from_json (JsonNode    *node,
                                               GError     **error);
/* Every cue keeps clear of the N_AVOID boxes AVOID (in [0, 1]) instead of its own. */
void            admint_captions_set_avoid (AdmintCaptions      *captions,
                                           const AdmintBox     *avoid,
                                           guint                n_avoid);

char           *admint_captions_to_srt   (AdmintCaptions       *captions);
char           *admint_captions_to_vtt   (AdmintCaptions       *captions);
/* Writes SubRip when PATH ends in .srt, WebVTT when it ends in .vtt. */
gboolean        admint_captions_write    (AdmintCaptions       *captions,
                                          const char           *path,
                                          GError              **error);

G_END_DECLS
