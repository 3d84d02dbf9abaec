/* SPDX-License-Identifier: GPL-3.0-or-later */
/* admint-fake-ai: the tests' fake AI server as a program, to run Ad Mint end to end offline. */
#define G_LOG_DOMAIN "admint-fake-ai"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>

#include "admint-fake-ai.h"

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  int port = 0;
  char *image = NULL;
  char *video = NULL;
  char *key = NULL;
  int polls = 2;
  double fault_rate = 0;
  int fault_seed = 1;
  int slow_ms = 4000;
  int stream_ms = 0;
  gboolean schema_replies = FALSE;
  char *ledger = NULL;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one)", "N" },
    { "image", 0, 0, G_OPTION_ARG_FILENAME, &image, "Serve FILE as the image output", "FILE" },
    { "video", 0, 0, G_OPTION_ARG_FILENAME, &video, "Serve FILE as the video output", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, "Require this API key", "KEY" },
    { "polls", 0, 0, G_OPTION_ARG_INT, &polls, "Polls before a prediction succeeds", "N" },
    { "faults", 0, 0, G_OPTION_ARG_DOUBLE, &fault_rate,
      "Give each request a random fault with this probability (0..1)", "RATE" },
    { "fault-seed", 0, 0, G_OPTION_ARG_INT, &fault_seed, "Seed of the random faults", "N" },
    { "slow-ms", 0, 0, G_OPTION_ARG_INT, &slow_ms, "Delay of a slow answer (fault)", "MS" },
    { "stream-ms", 0, 0, G_OPTION_ARG_INT, &stream_ms,
      "Send a streamed chat reply a piece every MS milliseconds (0: at once)", "MS" },
    { "schema-replies", 0, 0, G_OPTION_ARG_NONE, &schema_replies,
      "Make chat replies that fit the schema each request asks for", NULL },
    { "ledger", 0, 0, G_OPTION_ARG_FILENAME, &ledger,
      "On exit, write the faults injected and every prediction's status here (JSON)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintFakeAi) fake = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  g_option_context_set_summary (context, "A fake OpenAI-compatible and Replicate server for "
                                         "running Ad Mint offline. Ctrl+C stops it.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || port < 0 || port > 65535 ||
      polls < 0)
    {
      fprintf (stderr, "admint-fake-ai: %s\n", error ? error->message : "bad --port or --polls");
      return 2;
    }

  fake = admint_fake_ai_new ((guint) port, &error);
  if (fake == NULL)
    {
      fprintf (stderr, "admint-fake-ai: cannot listen on 127.0.0.1:%d: %s\n", port,
               error->message);
      return 1;
    }
  admint_fake_ai_add_defaults (fake);
  admint_fake_ai_set_prediction_plan (fake, (guint) polls, "succeeded", NULL, 3.0);
  if (key != NULL)
    admint_fake_ai_set_api_key (fake, key);
  if (fault_rate > 0)
    admint_fake_ai_set_random_faults (fake, fault_rate, (guint32) fault_seed,
                                      (guint) MAX (slow_ms, 0));
  admint_fake_ai_set_schema_replies (fake, schema_replies);
  admint_fake_ai_set_stream_interval (fake, (guint) MAX (stream_ms, 0));
  for (int i = 0; i < 2; i++)
    {
      const char *file = i == 0 ? image : video;
      g_autofree char *contents = NULL;
      gsize len;

      if (file == NULL)
        continue;
      if (!g_file_get_contents (file, &contents, &len, &error))
        {
          fprintf (stderr, "admint-fake-ai: %s\n", error->message);
          return 2;
        }
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
      admint_fake_ai_add_file (fake, i == 0 ? "/files/output.png" : "/files/output.mp4",
                               i == 0 ? "image/png" : "video/mp4", bytes);
    }

  printf ("admint-fake-ai listening on %s\n"
          "  export ADMINT_OPENAI_BASE_URL=%s\n"
          "  export ADMINT_REPLICATE_BASE_URL=%s\n", admint_fake_ai_get_origin (fake),
          admint_fake_ai_get_base_url (fake), admint_fake_ai_get_base_url (fake));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit, loop);
  g_unix_signal_add (SIGTERM, quit, loop);
  g_main_loop_run (loop);
  if (ledger != NULL)
    {
      g_autofree char *text = admint_fake_ai_ledger (fake);
      if (!g_file_set_contents (ledger, text, -1, &error))
        fprintf (stderr, "admint-fake-ai: %s\n", error->message);
    }
  g_free (ledger);
  g_free (image);
  g_free (video);
  g_free (key);
  return 0;
}
