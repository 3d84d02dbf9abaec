/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One structured log writer for the whole app: JSON lines to a file, secrets redacted. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void      admint_log_init            (const char *program,
                                      gboolean    verbose);
void      admint_log_set_verbose     (gboolean    verbose);
void      admint_log_shutdown        (void);
gboolean  admint_log_field_is_secret (const char *name);
char     *admint_log_format_json     (GLogLevelFlags   log_level,
                                      const GLogField *fields,
                                      gsize            n_fields);
GLogWriterOutput admint_log_writer   (GLogLevelFlags   log_level,
                                      const GLogField *fields,
                                      gsize            n_fields,
                                      gpointer         user_data);

G_END_DECLS
