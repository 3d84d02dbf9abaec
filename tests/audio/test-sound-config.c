/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sound's settings: config keys, the voice the factory builds from them, the CLI's --voice,
 * --captions and --music, and the local writer shortening a line too long to speak. */
#include "config.h"

#include <string.h>

#include "admint-config.h"
#include "admint-error.h"
#include "admint-local-writer.h"
#include "admint-provider-factory.h"
#include "admint-store.h"
#include "admint-test-util.h"
#include "media-test-util.h"

static char *
write_temp (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (admint_test_get_root (), name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_defaults (void)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();

  g_assert_cmpstr (admint_config_get_string (config, "providers.voice.provider"), ==, "local");
  g_assert_cmpstr (admint_config_get_string (config, "providers.voice.voice"), ==, "");
  g_assert_cmpfloat (admint_config_get_double (config, "providers.voice.speed"), ==, 1.0);
  g_assert_cmpstr (admint_config_get_string (config, "providers.voice.model"), ==, "tts-1");
  g_assert_true (admint_config_get_boolean (config, "captions.burn"));
  g_assert_cmpfloat (admint_config_get_double (config, "audio.clip_level"), ==, -12.0);
  g_assert_cmpstr (admint_config_get_string (config, "audio.music"), ==, "auto");
  g_assert_cmpstr (admint_config_get_string (config, "providers.music.provider"), ==, "local");
}

/* An unknown local voice is a config error at its line, listing the voices there are. */
static void
test_unknown_voice (void)
{
  g_autofree char *file = write_temp ("voice.yaml",
                                      "providers:\n  voice:\n    voice: robot\n");
  g_autofree char *openai = write_temp ("openai-voice.yaml",
                                        "providers:\n  voice:\n    provider: openai\n"
                                        "    voice: nova\n");
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli ((const char *[]) { "config", "check", file, NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "voice.yaml:3"));
  g_assert_nonnull (strstr (err, "“robot”"));
  g_assert_nonnull (strstr (err, "slt, rms, awb, kal"));

  /* A service's voices are the service's business. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "config", "check", openai, NULL }, NULL, &out, &err,
                       &status);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
}

static void
test_speed_range (void)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  g_autoptr(GError) error = NULL;

  admint_config_set_override (config, "providers.voice.speed", "2.5", &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "0.5 to 2"));
}

/* The factory builds what the keys say: local (with its voice), openai, or none at all. */
static void
test_factory (void)
{
  g_autoptr(AdmintConfig) config = admint_config_load_defaults ();
  g_autoptr(AdmintVoiceProvider) local = NULL;
  g_autoptr(AdmintVoiceProvider) openai = NULL;
  g_autoptr(AdmintVoiceProvider) none = NULL;
  g_autoptr(GError) error = NULL;

  admint_config_set_override (config, "providers.voice.voice", "rms", &error);
  g_assert_no_error (error);
  local = admint_provider_voice_new (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_voice_provider_get_name (local), ==, "local");

  admint_config_set_override (config, "providers.voice.provider", "openai", &error);
  g_assert_no_error (error);
  admint_config_set_override (config, "providers.voice.voice", "nova", &error);
  g_assert_no_error (error);
  openai = admint_provider_voice_new (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_voice_provider_get_name (openai), ==, "openai");

  admint_config_set_override (config, "providers.voice.provider", "none", &error);
  g_assert_no_error (error);
  none = admint_provider_voice_new (config, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static void
assert_cli_refuses (const char * const *args,
                    const char         *needle,
                    const char         *needle2)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  admint_test_run_cli (args, NULL, &out, &err, &status);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, needle));
  if (needle2 != NULL)
    g_assert_nonnull (strstr (err, needle2));
  /* Refused before anything was made. */
  g_assert_null (strstr (err, "generation"));
}

/* Bad sound flags exit 2 with the problem named, before anything starts. */
static void
test_cli_flags (void)
{
  g_autofree char *text = write_temp ("notes.mp3", "these are not sounds\n");
  g_autofree char *missing = g_build_filename (admint_test_get_root (), "nowhere.wav", NULL);

  assert_cli_refuses ((const char *[]) { "generate", "--auto", "--voice", "robot",
                                         "ad for socks", NULL },
                      "providers.voice.provider", "local, openai, none");
  assert_cli_refuses ((const char *[]) { "generate", "--auto", "--captions", "maybe",
                                         "ad for socks", NULL },
                      "--captions takes on or off", NULL);
  assert_cli_refuses ((const char *[]) { "generate", "--auto", "--music", text,
                                         "ad for socks", NULL },
                      "notes.mp3", "--music");
  assert_cli_refuses ((const char *[]) { "generate", "--auto", "--music", missing,
                                         "ad for socks", NULL },
                      "nowhere.wav", "does not exist");
  assert_cli_refuses ((const char *[]) { "resume", "--music", text, "no-such-id", NULL },
                      "notes.mp3", NULL);
  assert_cli_refuses ((const char *[]) { "generate", "--auto", "--set",
                                         "providers.voice.voice=robot", "ad for socks", NULL },
                      "robot", "slt, rms, awb, kal");
}

static guint
n_words (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  return g_strv_length (words);
}

/* Every word of SHORT appears in LONG, in the same order (punctuation aside). */
static void
assert_words_from (const char *shorter,
                   const char *longer)
{
  g_auto(GStrv) s = g_strsplit (shorter, " ", -1);
  g_auto(GStrv) l = g_strsplit (longer, " ", -1);
  guint j = 0;

  for (guint i = 0; s[i] != NULL; i++)
    {
      g_autofree char *want = g_strdup (s[i]);
      gboolean found = FALSE;

      g_strdelimit (want, ".,!?;:", ' ');
      g_strchomp (want);
      for (; l[j] != NULL && !found; j++)
        found = g_str_has_prefix (l[j], want);
      g_assert_true (found);
    }
}

static void
test_shorten (void)
{
  const struct { const char *line; guint max; } cases[] = {
    { "Meet the bottle that keeps your water really cold for a full day, and it looks great "
      "doing it.", 9 },
    { "Sleep better tonight with the softest sheets you have ever owned, made from organic "
      "cotton and woven in Portugal!", 6 },
    { "Our new running shoes are light, fast and built for every single road you run on", 5 },
    { "Order today", 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *a = admint_local_shorten_line (cases[i].line, cases[i].max);
      g_autofree char *b = admint_local_shorten_line (cases[i].line, cases[i].max);
      gsize len = strlen (a);

      g_test_message ("%u words: %s", cases[i].max, a);
      g_assert_cmpstr (a, ==, b);
      g_assert_cmpuint (n_words (a), <=, cases[i].max);
      g_assert_cmpuint (n_words (a), >=, 1);
      assert_words_from (a, cases[i].line);
      g_assert_nonnull (strchr (".!?", a[len - 1]));
      g_assert_null (strstr (a, " and.") ? "ends on and" : NULL);
      g_assert_null (strstr (a, " the.") ? "ends on the" : NULL);
    }
  {
    /* The exclamation mark survives; a short line comes back as it is. */
    g_autofree char *bang = admint_local_shorten_line (cases[1].line, 6);
    g_autofree char *same = admint_local_shorten_line ("Drink better.", 4);

    g_assert_true (g_str_has_suffix (bang, "!"));
    g_assert_cmpstr (same, ==, "Drink better.");
  }
}

/* export --captions srt|vtt writes the generation's captions next to the exported video, with
 * its name; a generation without captions is refused (exit 2) before anything is encoded. */
static void
test_export_captions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *dir = g_build_filename (admint_test_get_root (), "gen", NULL);
  g_autofree char *video = g_build_filename (dir, "final.mp4", NULL);
  g_autofree char *vtt = g_build_filename (dir, "final.vtt", NULL);
  g_autofree char *bare_video = g_build_filename (admint_test_get_root (), "bare.mp4", NULL);
  g_autofree char *output = g_build_filename (admint_test_get_root (), "my-ad.mp4", NULL);
  g_autofree char *sidecar = g_build_filename (admint_test_get_root (), "my-ad.vtt", NULL);
  g_autofree char *other = g_build_filename (admint_test_get_root (), "other.mp4", NULL);
  g_autofree char *id = NULL, *bare = NULL, *out = NULL, *err = NULL, *copied = NULL;
  const char *cues = "WEBVTT\n\n00:00:00.200 --> 00:00:01.000\nHello there\n";
  int status;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  media_test_make_clip (video, 320, 180, 30, 1.0, TRUE, "smpte");
  media_test_make_clip (bare_video, 320, 180, 30, 1.0, TRUE, "ball");
  g_assert_true (g_file_set_contents (vtt, cues, -1, NULL));
  id = admint_store_create_generation (store, "a water bottle ad", "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_set_final_video (store, id, video, -1, &error));
  bare = admint_store_create_generation (store, "an older ad", "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_set_final_video (store, bare, bare_video, -1, &error));
  g_clear_object (&store);

  admint_test_run_cli ((const char *[]) { "export", id, "--output", output, "--preset",
                                          "web-720p", "--captions", "vtt", NULL }, NULL, &out,
                       &err, &status);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_test (output, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_get_contents (sidecar, &copied, NULL, NULL));
  g_assert_cmpstr (copied, ==, cues);
  g_assert_nonnull (strstr (err, sidecar));

  /* No captions to give: refused, nothing written. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "export", bare, "--output", other, "--captions", "srt",
                                          NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no captions"));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  admint_test_run_cli ((const char *[]) { "export", id, "--output", other, "--captions", "ass",
                                          NULL }, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "srt or vtt"));
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);
  gst_init (NULL, NULL);

  g_test_add_func ("/sound-config/defaults", test_defaults);
  g_test_add_func ("/sound-config/unknown-voice", test_unknown_voice);
  g_test_add_func ("/sound-config/speed-range", test_speed_range);
  g_test_add_func ("/sound-config/factory", test_factory);
  g_test_add_func ("/sound-config/cli-flags", test_cli_flags);
  g_test_add_func ("/sound-config/shorten", test_shorten);
  g_test_add_func ("/sound-config/export-captions", test_export_captions);
  return g_test_run ();
}
