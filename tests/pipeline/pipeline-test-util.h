/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the pipeline's tests share: config overrides, the CLI's output, the fake AI server. */
#pragma once

#include <json-glib/json-glib.h>

#include "admint-config.h"
#include "admint-fake-ai.h"

G_BEGIN_DECLS

/* Sets KEY to VALUE as an override in CONFIG, asserting it is accepted. */
void          pipeline_test_set                (AdmintConfig *config,
                                                const char   *key,
                                                const char   *value);

/* The one JSON object OUT (a command's --json output) holds; asserts it is one. */
JsonObject   *pipeline_test_parse_document     (const char   *out);

/* The ID in the "generation ID" line of ERR (a command's stderr); asserts there is one. */
char         *pipeline_test_generation_id_from (const char   *err);

/* A fake AI server with its default models, whose video model hands out a real 2-second
 * 360p clip (rendered into the test's root as served.mp4) after one poll. */
AdmintFakeAi *pipeline_test_fake_serving_clip  (void);

G_END_DECLS
