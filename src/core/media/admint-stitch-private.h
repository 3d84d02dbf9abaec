/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the stitcher's two files share. */
#pragma once

#include <gst/gst.h>

#include "admint-stitch.h"

G_BEGIN_DECLS

/* What PAD carries: its negotiated caps, or else what it could carry. */
GstCaps            *admint_stitch_pad_caps       (GstPad          *pad);
/* A buffer probe keeping *USER_DATA (a gint) at the running time in ms of what passes. */
GstPadProbeReturn   admint_stitch_position_probe (GstPad          *pad,
                                                  GstPadProbeInfo *info,
                                                  gpointer         user_data);
/* The result of a task SOURCE_TAG started. */
AdmintStitchResult *admint_stitch_finish_task    (GAsyncResult    *result,
                                                  gpointer         source_tag,
                                                  GError         **error);

G_END_DECLS
