/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the pipeline's tests share: config overrides, the CLI's output, the fake AI server. */
#include "config.h"

#include <string.h>

#include "admint-render.h"
#include "admint-test-util.h"
#include "pipeline-test-util.h"

void
pipeline_test_set (AdmintConfig *config,
                   const char   *key,
                   const char   *value)
{
  g_autoptr(GError) error = NULL;
  admint_config_set_override (config, key, value, &error);
  g_assert_no_error (error);
}

JsonObject *
pipeline_test_parse_document (const char *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
pipeline_test_generation_id_from (const char *err)
{
  const char *p = strstr (err, "generation ");
  g_assert_nonnull (p);
  p += strlen ("generation ");
  const char *end = strchr (p, '\n');
  return g_strndup (p, end - p);
}

AdmintFakeAi *
pipeline_test_fake_serving_clip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autofree char *clip = g_build_filename (admint_test_get_root (), "served.mp4", NULL);
  g_autofree char *contents = NULL;
  AdmintFakeAi *fake;
  gsize length;

  /* A real clip for the fake video model to hand out. */
  job->duration = 2;
  job->size = ADMINT_RENDER_SIZE_360P;
  job->product_name = g_strdup ("Served");
  g_assert_true (admint_render_clip (job, clip, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (clip, &contents, &length, &error));

  fake = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_defaults (fake);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  admint_fake_ai_add_file (fake, "/files/output.mp4", "video/mp4", bytes);
  admint_fake_ai_set_prediction_plan (fake, 1, "succeeded", NULL, 3.0);
  return fake;
}
