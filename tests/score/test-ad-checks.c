/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ad checks: a repeated-scene video, an edge-clipped-text video and a still one fail theirs; a
 * clean one passes; and the JSON of `admint score` carries them. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <glib/gstdio.h>

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

static void
score (const char   *path,
       AdmintScores *scores)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_score_file (path, ADMINT_SCORE_FLAGS_NONE, NULL, scores, &error));
  g_assert_no_error (error);
  g_assert_true (scores->ad_checks.measured);
}

static void
log_checks (GArray *list)
{
  for (guint i = 0; i < list->len; i++)
    g_test_message ("%s: %s, %s", g_array_index (list, AdmintAdCheck, i).name,
                    g_array_index (list, AdmintAdCheck, i).pass ? "pass" : "FAIL",
                    g_array_index (list, AdmintAdCheck, i).reason);
}

static void
test_clean (void)
{
  static const SceneKind scenes[] = { SCENE_RED_DISC, SCENE_BLUE_BOX, SCENE_GREEN_STRIPES };
  g_autofree char *path = make_video ("clean.mp4", scenes, G_N_ELEMENTS (scenes));
  AdmintScores s;
  GArray *list;

  score (path, &s);
  list = admint_ad_checks_list (&s.ad_checks);
  log_checks (list);
  g_assert_cmpuint (s.ad_checks.scenes, ==, 3);
  g_assert_cmpfloat_with_epsilon (s.ad_checks.scene_start[1], 2.0, 0.1);
  g_assert_cmpuint (admint_ad_checks_failed (&s.ad_checks), ==, 0);
  g_assert_cmpfloat (s.overall_score, ==, s.quality_score);
  admint_ad_check_list_free (list);
}

static void
test_repeated (void)
{
  static const SceneKind scenes[] = { SCENE_RED_DISC, SCENE_BLUE_BOX, SCENE_RED_DISC };
  g_autofree char *path = make_video ("repeated.mp4", scenes, G_N_ELEMENTS (scenes));
  AdmintScores s;
  GArray *list;
  const AdmintAdCheck *c;

  score (path, &s);
  list = admint_ad_checks_list (&s.ad_checks);
  log_checks (list);
  c = find_check (list, "repeated_scenes");
  g_assert_false (c->pass);
  g_assert_nonnull (strstr (c->reason, "scene 3"));
  g_assert_nonnull (strstr (c->reason, "scene 1"));
  g_assert_true (find_check (list, "edge_text")->pass);
  g_assert_cmpfloat (s.overall_score, <, s.quality_score);
  admint_ad_check_list_free (list);
}

static void
test_edge_text (void)
{
  static const SceneKind scenes[] = { SCENE_RED_DISC, SCENE_EDGE_TEXT };
  g_autofree char *path = make_video ("edge.mp4", scenes, G_N_ELEMENTS (scenes));
  AdmintScores s;
  GArray *list;
  const AdmintAdCheck *c;

  score (path, &s);
  list = admint_ad_checks_list (&s.ad_checks);
  log_checks (list);
  c = find_check (list, "edge_text");
  g_assert_false (c->pass);
  g_assert_nonnull (strstr (c->reason, "edge for"));
  g_assert_cmpfloat (s.ad_checks.edge_text_seconds, >=, 1.5);
  g_assert_cmpfloat_with_epsilon (s.ad_checks.edge_text_at, 2.0, 0.3);
  g_assert_true (find_check (list, "repeated_scenes")->pass);
  admint_ad_check_list_free (list);
}

static void
test_still (void)
{
  static const SceneKind scenes[] = { SCENE_STILL, SCENE_BLUE_BOX, SCENE_GREEN_STRIPES };
  g_autofree char *path = make_video ("still.mp4", scenes, G_N_ELEMENTS (scenes));
  AdmintScores s;
  GArray *list;
  const AdmintAdCheck *c;

  score (path, &s);
  list = admint_ad_checks_list (&s.ad_checks);
  log_checks (list);
  c = find_check (list, "still_stretch");
  g_assert_false (c->pass);
  g_assert_cmpfloat (s.ad_checks.longest_still, >, 1.5);
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
  g_assert_cmpfloat (json_object_get_double_member (file, "overall_score"), <,
                     json_object_get_double_member (json_object_get_object_member (file, "scores"),
                                                    "quality_score"));
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
  return g_test_run ();
}
