/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libFuzzer entry points each target defines, shared with the corpus replay driver. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

/* Optional, as in libFuzzer: a target without set-up leaves it out. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv) __attribute__ ((weak));
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* fuzz-target.c: a temporary file named after NAME_TEMPLATE (XXXXXX is replaced), removed at
 * exit, for targets that read a file; fuzz_temp_file_set writes an input into it. */
const char *fuzz_temp_file_init (const char    *name_template);
gboolean    fuzz_temp_file_set  (const uint8_t *data,
                                 size_t         size);
