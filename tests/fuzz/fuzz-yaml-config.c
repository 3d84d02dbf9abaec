/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the YAML config loader on a --config file (alias bombs, deep nesting, bad
 * types, tags, anchors, broken UTF-8), checked as `admint config check FILE` does. */
#define G_LOG_DOMAIN "admint-fuzz"

#include <glib.h>

#include "admint-config.h"
#include "admint-error.h"
#include "fuzz-target.h"

static const char *path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  path = fuzz_temp_file_init ("admint-fuzz-XXXXXX.yaml");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;

  if (!fuzz_temp_file_set (data, size))
    return 0;
  if (!admint_config_check_file (path, &error))
    {
      /* Every refusal is ours and says what to fix. */
      g_assert (error != NULL && error->domain == ADMINT_ERROR);
      g_assert (error->message != NULL && error->message[0] != '\0');
    }
  else
    g_assert (error == NULL);
  return 0;
}
