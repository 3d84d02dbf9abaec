/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the sniffer that says what a file's first bytes are (image, SVG, audio). */
#define G_LOG_DOMAIN "admint-fuzz"

#include <string.h>
#include <glib.h>

#include "admint-store-private.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  AdmintSniffResult out;

  admint_asset_sniff (data, size, &out);
  if (out.klass == ADMINT_SNIFF_UNKNOWN)
    return 0;
  /* A known type always comes with all its names. */
  g_assert (out.mime != NULL && strchr (out.mime, '/') != NULL);
  g_assert (out.extension != NULL && out.extension[0] != '\0');
  g_assert (out.label != NULL);
  return 0;
}
