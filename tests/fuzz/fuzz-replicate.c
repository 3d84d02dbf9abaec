/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the Replicate client reading a prediction (status, output URLs, error, logs,
 * metrics) as a poll answers it, served by the in-process fake server. Every connection goes
 * to that server whatever host an output URL names, so no input reaches the network. */
#define G_LOG_DOMAIN "admint-fuzz"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-fake-ai.h"
#include "admint-replicate-client.h"
#include "fuzz-target.h"

static AdmintFakeAi *fake;
static AdmintReplicateClient *client;
static char *output_dir;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketConnectable) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;

  fake = admint_fake_ai_new (0, &error);
  g_assert_no_error (error);
  admint_fake_ai_add_defaults (fake);
  server = G_SOCKET_CONNECTABLE (g_inet_socket_address_new (loopback,
                                                            admint_fake_ai_get_port (fake)));
  session = soup_session_new_with_options ("remote-connectable", server, "timeout", 2, NULL);
  output_dir = g_dir_make_tmp ("admint-fuzz-XXXXXX", &error);
  g_assert_no_error (error);

  options.base_url = admint_fake_ai_get_base_url (fake);
  options.model = "google/veo-3";
  options.api_key = "r8_fuzz";
  options.kind = "video";
  options.retry.max_retries = 0;
  options.request_timeout_seconds = 2;
  options.overall_timeout_seconds = 2;
  options.poll_interval_seconds = 0.001;
  options.poll_interval_max_seconds = 0.001;
  options.download_max_bytes = 65536;
  options.output_dir = output_dir;
  options.prices.per_second = 0.5;
  client = admint_replicate_client_new (session, &options);
  return 0;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) prediction = NULL;
  gboolean *done = user_data;

  if (g_async_result_is_tagged (result, admint_replicate_client_predict_async))
    prediction = admint_replicate_client_predict_finish (ADMINT_REPLICATE_CLIENT (source), result,
                                                         &error);
  else
    prediction = admint_replicate_client_resume_finish (ADMINT_REPLICATE_CLIENT (source), result,
                                                        &error);
  g_assert ((prediction == NULL) != (error == NULL));
  /* A refusal never quotes the key back. */
  g_assert (error == NULL || strstr (error->message, "r8_fuzz") == NULL);
  if (prediction != NULL)
    {
      g_assert (prediction->files != NULL && prediction->files[0] != NULL);
      for (guint i = 0; prediction->files[i] != NULL; i++)
        g_unlink (prediction->files[i]);
      g_assert (prediction->cost_usd >= 0);
    }
  *done = TRUE;
}

/* The input is the body of the first poll's answer (resuming prediction "fz"), or, after a
 * leading "C", the answer to creating one; polls after it find no such prediction. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *body = g_strndup ((const char *) data, size);
  gboolean done = FALSE;

  if (body[0] == 'C')
    {
      g_autoptr(AdmintReplicateInput) input = admint_replicate_input_new ();

      admint_replicate_input_set_string (input, "prompt", "a bottle on a trail");
      admint_fake_ai_push_status (fake, "POST", "/v1/models/google/veo-3/predictions", 201,
                                  body + 1, NULL);
      admint_replicate_client_predict_async (client, input, NULL, done_cb, &done);
    }
  else
    {
      admint_fake_ai_push_status (fake, "GET", "/v1/predictions/fz", 200, body, NULL);
      admint_replicate_client_resume_async (client, "fz", "gen-fuzz", NULL, done_cb, &done);
    }
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  admint_fake_ai_clear_requests (fake);
  return 0;
}
