/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pipeline's side of AdmintClip: the setters (core only). */
#pragma once

#include "admint-clip.h"

G_BEGIN_DECLS

AdmintClip *_admint_clip_new            (int            index);
void        _admint_clip_set_version    (AdmintClip    *self,
                                         int            version);
void        _admint_clip_set_status     (AdmintClip    *self,
                                         const char    *status);
void        _admint_clip_set_progress   (AdmintClip    *self,
                                         double         progress);
void        _admint_clip_set_path       (AdmintClip    *self,
                                         const char    *path);
void        _admint_clip_set_thumbnail  (AdmintClip    *self,
                                         const char    *thumbnail);
/* SCORE < 0 clears the score, the verdict and the checks. */
void        _admint_clip_set_score      (AdmintClip    *self,
                                         double         score,
                                         AdmintVerdict  verdict,
                                         JsonNode      *ad_checks);
void        _admint_clip_set_error      (AdmintClip    *self,
                                         const char    *error);

G_END_DECLS
