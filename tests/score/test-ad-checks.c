/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ad checks: a repeated-scene video, an edge-clipped-text video and a still one fail theirs; a
 * clean one passes; the sound of a too-quiet, a clipping and a wall-to-wall-speech video fails
 * its check; and `admint score` (human and JSON) carries them. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <glib/gstdio.h>

#include "admint-audio.h"
#include "admint-loudness.h"
#include "admint-score.h"
#include "admint-test-util.h"
#include "score-test-clips.h"

#define W 320
#define H 180
#define FPS 30

typedef enum { SCENE_RED_DISC, SCENE_BLUE_BOX, SCENE_GREEN_STRIPES, SCENE_EDGE_TEXT,
               SCENE_STILL } SceneKind;

static void
draw (cairo_t  *cr,
      SceneKind kind,
      int       f)
{
  switch (kind)
    {
    case SCENE_RED_DISC:
      cairo_set_source_rgb (cr, 0.7, 0.1, 0.1);
      cairo_paint (cr);
      cairo_arc (cr, 60 + 3 * f, 90, 30, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill (cr);
      break;
    case SCENE_BLUE_BOX:
      cairo_set_source_rgb (cr, 0.1, 0.2, 0.7);
      cairo_paint (cr);
      cairo_rectangle (cr, 150, 30 + 1.5 * f, 90, 40);
      cairo_set_source_rgb (cr, 1, 0.85, 0.2);
      cairo_fill (cr);
      break;
    case SCENE_GREEN_STRIPES:
      cairo_set_source_rgb (cr, 0.1, 0.5, 0.2);
      cairo_paint (cr);
      cairo_set_source_rgb (cr, 0.8, 0.95, 0.8);
      for (int i = 0; i < 5; i++)
        cairo_rectangle (cr, 30 + i * 50 + f, 50, 20, 80);
      cairo_fill (cr);
      break;
    case SCENE_EDGE_TEXT:
      {
        /* A headline pushed past the left edge, as a zoomed title card did. */
        PangoLayout *layout = pango_cairo_create_layout (cr);
        PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 40px");

        cairo_set_source_rgb (cr, 0.15, 0.3, 0.35);
        cairo_paint (cr);
        cairo_arc (cr, 200 + f, 140, 20, 0, 2 * G_PI);
        cairo_set_source_rgb (cr, 0.9, 0.6, 0.2);
        cairo_fill (cr);
        pango_layout_set_font_description (layout, font);
        pango_layout_set_text (layout, "WWMMWW Reusable", -1);
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_move_to (cr, -60, 40);
        pango_cairo_show_layout (cr, layout);
        pango_font_description_free (font);
        g_object_unref (layout);
        break;
      }
    case SCENE_STILL:
    default:
      cairo_set_source_rgb (cr, 0.5, 0.4, 0.6);
      cairo_paint (cr);
      cairo_arc (cr, 160, 90, 40, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      cairo_fill (cr);
      break;
    }
}

/* Draws the scenes (two seconds each, hard cuts) as PNG frames and encodes them. */
static char *
make_video (const char      *name,
            const SceneKind *scenes,
            guint            n_scenes)
{
  g_autofree char *frames = g_strconcat (name, "-frames", NULL);
  g_autofree char *dir = g_build_filename (admint_test_get_root (), frames, NULL);
  g_autofree char *pipeline = NULL;
  guint frame = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint s = 0; s < n_scenes; s++)
    for (int f = 0; f < 2 * FPS; f++, frame++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
        cairo_t *cr = cairo_create (surface);
        g_autofree char *png = g_strdup_printf ("%s/f%04u.png", dir, frame);

        draw (cr, scenes[s], f);
        cairo_destroy (cr);
        g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
        cairo_surface_destroy (surface);
      }
  pipeline = g_strdup_printf ("multifilesrc location=\"%s/f%%04d.png\" index=0 "
                              "caps=\"image/png,framerate=%d/1\" ! pngdec ! videoconvert ! "
                              "x264enc speed-preset=ultrafast pass=quant quantizer=18 ! mp4mux",
                              dir, FPS);
  return score_test_make_clip (name, pipeline);
}

static const AdmintAdCheck *
find_check (GArray     *list,
            const char *name)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_array_index (list, AdmintAdCheck, i).name, name))
      return &g_array_index (list, AdmintAdCheck, i);
  g_assert_not_reached ();
}

static gboolean
has_check (GArray     *list,
           const char *name)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_array_index (list, AdmintAdCheck, i).name, name))
      return TRUE;
  return FALSE;
}

/* Scores PATH into S and returns its checks (logged), to free with admint_ad_check_list_free. */
static GArray *
score_checks (const char   *path,
              AdmintScores *s)
{
  g_autoptr(GError) error = NULL;
  GArray *list;

  g_assert_true (admint_score_file (path, ADMINT_SCORE_FLAGS_NONE, NULL, s, &error));
  g_assert_no_error (error);
  g_assert_true (s->ad_checks.measured);
  list = admint_ad_checks_list (&s->ad_checks);
  for (guint i = 0; i < list->len; i++)
    g_test_message ("%s: %s, %s", g_array_index (list, AdmintAdCheck, i).name,
                    g_array_index (list, AdmintAdCheck, i).pass ? "pass" : "FAIL",
                    g_array_index (list, AdmintAdCheck, i).reason);
  return list;
}

/* Makes the video of SCENES and scores it. */
static GArray *
scenes_checks (const char      *name,
               const SceneKind *scenes,
               guint            n_scenes,
               AdmintScores    *s)
{
  g_autofree char *path = make_video (name, scenes, n_scenes);

  return score_checks (path, s);
}

/* Asserts that check NAME fails with a reason containing WANT, and that the failure lowered the
 * overall score. */
static void
assert_fails (GArray             *list,
              const AdmintScores *s,
              const char         *name,
              const char         *want)
{
  const AdmintAdCheck *c = find_check (list, name);

  g_assert_false (c->pass);
  g_assert_nonnull (strstr (c->reason, want));
  g_assert_cmpfloat (s->overall_score, <, s->quality_score);
}

static void
test_clean (void)
{
  static const SceneKind scenes[] = { SCENE_RED_DISC, SCENE_BLUE_BOX, SCENE_GREEN_STRIPES };
  AdmintScores s;
  GArray *list = scenes_checks ("clean.mp4", scenes, G_N_ELEMENTS (scenes), &s);

  g_assert_cmpuint (s.ad_checks.scenes, ==, 3);
  g_assert_cmpfloat_with_epsilon (s.ad_checks.scene_start[1], 2.0, 0.1);
  g_assert_cmpuint (admint_ad_checks_failed (&s.ad_checks), ==, 0);
  g_assert_cmpfloat (s.overall_score, ==, s.quality_score);
  /* No sound track: the sound checks are left out, not failed. */
  g_assert_false (s.ad_checks.has_sound);
  g_assert_false (has_check (list, "loudness"));
  admint_ad_check_list_free (list);
}

static void
test_repeated (void)
{
  static const SceneKind scenes[] = { SCENE_RED_DISC, SCENE_BLUE_BOX, SCENE_RED_DISC };
  AdmintScores s;
  GArray *list = scenes_checks ("repeated.mp4", scenes, G_N_ELEMENTS (scenes), &s);

  assert_fails (list, &s, "repeated_scenes", "scene 3");
  g_assert_nonnull (strstr (find_check (list, "repeated_scenes")->reason, "scene 1"));
  g_assert_true (find_check (list, "edge_text")->pass);
  admint_ad_check_list_free (list);
}

static void
test_edge_text (void)
{
  static const SceneKind scenes[] = { SCENE_RED_DISC, SCENE_EDGE_TEXT };
  AdmintScores s;
  GArray *list = scenes_checks ("edge.mp4", scenes, G_N_ELEMENTS (scenes), &s);

  assert_fails (list, &s, "edge_text", "edge for");
  g_assert_cmpfloat (s.ad_checks.edge_text_seconds, >=, 1.5);
  g_assert_cmpfloat_with_epsilon (s.ad_checks.edge_text_at, 2.0, 0.3);
  g_assert_true (find_check (list, "repeated_scenes")->pass);
  admint_ad_check_list_free (list);
}

static void
test_still (void)
{
  static const SceneKind scenes[] = { SCENE_STILL, SCENE_BLUE_BOX, SCENE_GREEN_STRIPES };
  AdmintScores s;
  GArray *list = scenes_checks ("still.mp4", scenes, G_N_ELEMENTS (scenes), &s);

  assert_fails (list, &s, "still_stretch", "near-still");
  g_assert_cmpfloat (s.ad_checks.longest_still, >, 1.5);
  admint_ad_check_list_free (list);
}

/* Sound ------------------------------------------------------------------------------------- */

#define SOUND_S 6.0

typedef enum { SOUND_SILENT, SOUND_SPEECH, SOUND_QUIET, SOUND_CLIPPED, SOUND_WALL } SoundKind;

/* Syllable-like bursts: a 1 kHz tone whose level rises and falls four times a second, over
 * [FROM, TO) seconds (all of it for SOUND_WALL), brought to -14 LUFS (-24 for SOUND_QUIET);
 * SOUND_CLIPPED adds full-scale thumps. */
static AdmintAudio *
make_sound (SoundKind kind)
{
  g_autoptr(AdmintAudio) audio = admint_audio_new (ADMINT_AUDIO_RATE, 2, SOUND_S *
                                                                          ADMINT_AUDIO_RATE);
  double from = kind == SOUND_WALL ? 0 : 1.0, to = kind == SOUND_WALL ? SOUND_S : 4.0;
  double target = kind == SOUND_QUIET ? -24.0 : -14.0, gain;
  AdmintLoudness loudness;
  g_autoptr(GError) error = NULL;

  if (kind == SOUND_SILENT)
    return g_steal_pointer (&audio);
  for (gsize i = 0; i < audio->n_frames; i++)
    {
      double t = (double) i / audio->rate;
      double env = sin (2 * G_PI * 4 * t);
      float v = t >= from && t < to ? (float) (0.3 * env * env * sin (2 * G_PI * 1000 * t)) : 0;

      audio->samples[2 * i] = audio->samples[2 * i + 1] = v;
    }
  g_assert_true (admint_loudness_measure (audio, &loudness, &error));
  g_assert_no_error (error);
  gain = pow (10, admint_loudness_gain_to (&loudness, target) / 20);
  for (gsize i = 0; i < audio->n_frames * 2; i++)
    audio->samples[i] *= (float) gain;
  /* Short full-scale thumps at 200 Hz: low enough to survive the AAC encoder. */
  if (kind == SOUND_CLIPPED)
    for (double t = 1.1; t < 4.0; t += 0.7)
      for (gsize k = 0; k < (gsize) (0.03 * audio->rate); k++)
        {
          gsize i = (gsize) (t * audio->rate) + k;
          audio->samples[2 * i] = audio->samples[2 * i + 1] =
            (float) (0.999 * sin (2 * G_PI * 200 * (double) k / audio->rate));
        }
  return g_steal_pointer (&audio);
}

/* A SOUND_S second video of a moving ball with the sound of KIND as its AAC track. */
static char *
make_sound_video (const char *name,
                  SoundKind   kind)
{
  g_autoptr(AdmintAudio) audio = make_sound (kind);
  g_autofree char *wav_name = g_strconcat (name, ".wav", NULL);
  g_autofree char *wav = g_build_filename (admint_test_get_root (), wav_name, NULL);
  g_autofree char *pipeline = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_audio_write_wav (audio, wav, TRUE, &error));
  g_assert_no_error (error);
  pipeline = g_strdup_printf ("videotestsrc pattern=ball num-buffers=%d ! "
                              "video/x-raw,width=%d,height=%d,framerate=%d/1 ! videoconvert ! "
                              "x264enc speed-preset=ultrafast ! mux. "
                              "filesrc location=\"%s\" ! wavparse ! audioconvert ! "
                              "audioresample ! avenc_aac ! mux. mp4mux name=mux",
                              (int) (SOUND_S * FPS), W, H, FPS, wav);
  return score_test_make_clip (name, pipeline);
}

static GArray *
sound_checks (const char   *name,
              SoundKind     kind,
              AdmintScores *s)
{
  g_autofree char *path = make_sound_video (name, kind);

  return score_checks (path, s);
}

static void
test_sound_clean (void)
{
  AdmintScores s;
  GArray *list = sound_checks ("sound-clean.mp4", SOUND_SPEECH, &s);

  g_assert_true (s.ad_checks.sound_measured && s.ad_checks.has_sound);
  g_assert_cmpfloat_with_epsilon (s.ad_checks.loudness_lufs, -14.0, 0.5);
  g_assert_cmpfloat (s.ad_checks.true_peak_dbtp, <=, -1.0);
  g_assert_cmpfloat_with_epsilon (s.ad_checks.speech_share, 0.5, 0.2);
  g_assert_true (find_check (list, "loudness")->pass);
  g_assert_true (find_check (list, "true_peak")->pass);
  g_assert_true (find_check (list, "speech_share")->pass);
  g_assert_nonnull (strstr (find_check (list, "speech_share")->reason, "% of the ad"));
  admint_ad_check_list_free (list);
}

static void
test_sound_quiet (void)
{
  AdmintScores s;
  GArray *list = sound_checks ("sound-quiet.mp4", SOUND_QUIET, &s);

  assert_fails (list, &s, "loudness", "too quiet");
  g_assert_cmpfloat_with_epsilon (s.ad_checks.loudness_lufs, -24.0, 0.5);
  g_assert_true (find_check (list, "true_peak")->pass);
  admint_ad_check_list_free (list);
}

static void
test_sound_clipped (void)
{
  AdmintScores s;
  GArray *list = sound_checks ("sound-clipped.mp4", SOUND_CLIPPED, &s);

  assert_fails (list, &s, "true_peak", "will clip");
  g_assert_cmpfloat (s.ad_checks.true_peak_dbtp, >, -1.0);
  admint_ad_check_list_free (list);
}

static void
test_sound_wall (void)
{
  AdmintScores s;
  GArray *list = sound_checks ("sound-wall.mp4", SOUND_WALL, &s);

  assert_fails (list, &s, "speech_share", "leave pauses");
  g_assert_cmpfloat (s.ad_checks.speech_share, >, 0.9);
  g_assert_true (find_check (list, "loudness")->pass);
  admint_ad_check_list_free (list);
}

static void
test_sound_silent (void)
{
  AdmintScores s;
  GArray *list = sound_checks ("sound-silent.mp4", SOUND_SILENT, &s);

  /* A silent track is measured but has nothing to check. */
  g_assert_true (s.ad_checks.sound_measured);
  g_assert_false (s.ad_checks.has_sound);
  g_assert_false (has_check (list, "loudness"));
  g_assert_false (has_check (list, "speech_share"));
  admint_ad_check_list_free (list);
}

static void
test_phash (void)
{
  guint8 a[32 * 32], b[32 * 32], c[32 * 32];

  for (int i = 0; i < 32 * 32; i++)
    {
      int x = i % 32, y = i / 32;

      /* A disc over a ramp; the same a little brighter; the disc elsewhere. */
      a[i] = (guint8) ((x - 10) * (x - 10) + (y - 12) * (y - 12) < 49 ? 220 : x * 4);
      b[i] = (guint8) MIN (255, a[i] + 6);
      c[i] = (guint8) ((x - 22) * (x - 22) + (y - 20) * (y - 20) < 49 ? 220 : x * 4);
    }
  g_assert_cmpuint (admint_ad_phash_distance (admint_ad_phash (a, 32, 32),
                                              admint_ad_phash (b, 32, 32)), <=, 4);
  g_assert_cmpuint (admint_ad_phash_distance (admint_ad_phash (a, 32, 32),
                                              admint_ad_phash (c, 32, 32)), >, 16);
}

static void
test_cli_json (void)
{
  static const SceneKind scenes[] = { SCENE_RED_DISC, SCENE_BLUE_BOX, SCENE_RED_DISC };
  g_autofree char *path = make_video ("cli.mp4", scenes, G_N_ELEMENTS (scenes));
  const char *args[] = { "score", "--json", path, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *file, *checks;
  int status;

  admint_test_run_cli (args, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  file = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  checks = json_object_get_object_member (file, "ad_checks");
  g_assert_false (json_object_get_boolean_member (checks, "passed"));
  g_assert_false (json_object_get_boolean_member (
    json_object_get_object_member (checks, "repeated_scenes"), "pass"));
  g_assert_true (json_object_has_member (json_object_get_object_member (checks, "edge_text"),
                                         "reason"));
  g_assert_false (json_object_has_member (checks, "loudness_lufs"));
  g_assert_cmpfloat (json_object_get_double_member (file, "overall_score"), <,
                     json_object_get_double_member (json_object_get_object_member (file, "scores"),
                                                    "quality_score"));
}

/* The human score card and the JSON carry the sound's measures. */
static void
test_sound_cli_json (void)
{
  g_autofree char *path = make_sound_video ("sound-cli.mp4", SOUND_QUIET);
  const char *json_args[] = { "score", "--json", path, NULL };
  const char *human_args[] = { "score", path, NULL };
  g_autofree char *out = NULL, *err = NULL, *human = NULL, *err2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *checks;
  int status;

  admint_test_run_cli (json_args, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  checks = json_object_get_object_member (
    json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0),
    "ad_checks");
  g_assert_true (json_object_get_boolean_member (checks, "has_sound"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (checks, "loudness_lufs"),
                                  -24.0, 0.5);
  g_assert_false (json_object_get_boolean_member (
    json_object_get_object_member (checks, "loudness"), "pass"));
  g_assert_true (json_object_get_boolean_member (
    json_object_get_object_member (checks, "true_peak"), "pass"));
  g_assert_true (json_object_has_member (checks, "speech_share"));
  g_assert_false (json_object_get_boolean_member (checks, "passed"));

  admint_test_run_cli (human_args, NULL, &human, &err2, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (human, "loudness"));
  g_assert_nonnull (strstr (human, "LUFS"));
  g_assert_nonnull (strstr (human, "speech_share"));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/score/ad-checks/phash", test_phash);
  g_test_add_func ("/score/ad-checks/clean", test_clean);
  g_test_add_func ("/score/ad-checks/repeated", test_repeated);
  g_test_add_func ("/score/ad-checks/edge-text", test_edge_text);
  g_test_add_func ("/score/ad-checks/still", test_still);
  g_test_add_func ("/score/ad-checks/cli-json", test_cli_json);
  g_test_add_func ("/score/ad-checks/sound-clean", test_sound_clean);
  g_test_add_func ("/score/ad-checks/sound-quiet", test_sound_quiet);
  g_test_add_func ("/score/ad-checks/sound-clipped", test_sound_clipped);
  g_test_add_func ("/score/ad-checks/sound-wall", test_sound_wall);
  g_test_add_func ("/score/ad-checks/sound-silent", test_sound_silent);
  g_test_add_func ("/score/ad-checks/sound-cli-json", test_sound_cli_json);
  return g_test_run ();
}
