/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scene layouts: every layout at every aspect keeps its text in the title-safe area at 4.5:1,
 * boxes apart; bad layout files are errors with their line; a laid-out clip renders. */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-layout.h"
#include "admint-render.h"
#include "admint-scene.h"
#include "admint-test-util.h"

/* A plain-backed product photo, drawn here: a dark bottle on near-white. */
static char *
make_product (void)
{
  char *path = g_build_filename (admint_test_get_root (), "product.png", NULL);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 300, 400);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_rgb (cr, 0.97, 0.97, 0.97);
  cairo_paint (cr);
  cairo_rectangle (cr, 110, 60, 80, 300);
  cairo_set_source_rgb (cr, 0.05, 0.35, 0.4);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (s, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  return path;
}

typedef struct {
  const char *palette[3];
  const char *headline;
} Style;

static const Style styles[] = {
  /* A mid-tone brand colour: the hard case for contrast. */
  { { "#7f8c8d", "#95a5a6", NULL }, "Stay cold on every summit, all day long, wherever you go" },
  { { "#f6c440", "#277e82", NULL }, "Meet AquaPeak" },
  { { "#101820", "#f2aa4c", NULL }, "Extraordinarily-long-hyphenated-productname keeps going" },
};

static void
check_boxes (AdmintScene *scene,
             const char  *what)
{
  g_autoptr(GArray) boxes = admint_scene_get_text_boxes (scene);
  double sx, sy, sw, sh;

  admint_scene_get_safe_area (scene, &sx, &sy, &sw, &sh);
  g_assert_cmpuint (boxes->len, >, 0);
  for (guint i = 0; i < boxes->len; i++)
    {
      AdmintTextBox *b = &g_array_index (boxes, AdmintTextBox, i);

      g_test_message ("%s slot %d: %.0f,%.0f %.0fx%.0f at %.0f px, contrast %.2f%s", what,
                      b->slot, b->x, b->y, b->width, b->height, b->font_px, b->contrast,
                      b->plated ? " (plate)" : "");
      g_assert_cmpfloat (b->x, >=, sx - 0.5);
      g_assert_cmpfloat (b->y, >=, sy - 0.5);
      g_assert_cmpfloat (b->x + b->width, <=, sx + sw + 0.5);
      g_assert_cmpfloat (b->y + b->height, <=, sy + sh + 0.5);
      g_assert_cmpfloat (b->contrast, >=, 4.5);
      g_assert_cmpfloat (b->font_px, >=, 12);
      for (guint j = 0; j < i; j++)
        {
          AdmintTextBox *o = &g_array_index (boxes, AdmintTextBox, j);
          gboolean meet = b->x < o->x + o->width && o->x < b->x + b->width &&
                          b->y < o->y + o->height && o->y < b->y + b->height;
          g_assert_false (meet);
        }
    }
}

static void
test_every_layout (void)
{
  AdmintLayoutSet *set = admint_layout_set_get_default ();
  g_autofree char *product = make_product ();
  static const AdmintAspect aspects[] = { ADMINT_ASPECT_16_9, ADMINT_ASPECT_9_16,
                                          ADMINT_ASPECT_1_1 };
  char *lines[] = { (char *) "Keeps water cold for 24 hours",
                    (char *) "Leak-proof lid that survives every trail", (char *) "Recycled steel",
                    NULL };

  g_assert_cmpuint (admint_layout_set_get_n (set), >=, 6);
  for (guint l = 0; l < admint_layout_set_get_n (set); l++)
    for (guint a = 0; a < G_N_ELEMENTS (aspects); a++)
      for (guint st = 0; st < G_N_ELEMENTS (styles); st++)
        for (int with_product = 0; with_product < 2; with_product++)
          {
            const AdmintLayout *layout = admint_layout_set_get (set, l);
            g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
            g_autoptr(AdmintScene) scene = NULL;
            g_autoptr(GError) error = NULL;
            g_autofree char *what = g_strdup_printf ("%s aspect %u style %u product %d",
                                                     layout->name, a, st, with_product);

            job->layout = g_strdup (layout->name);
            job->aspect = aspects[a];
            job->size = ADMINT_RENDER_SIZE_720P;
            job->palette = g_strdupv ((char **) styles[st].palette);
            job->text = g_strdup (styles[st].headline);
            job->lines = g_strdupv (lines);
            job->figure = g_strdup ("24 h");
            job->cta = g_strdup ("Order yours today at the trailhead store");
            job->handle = g_strdup ("aquapeak.com");
            job->offer = g_strdup ("20% off your first order");
            job->description = g_strdup ("a sunrise over the mountains");
            job->product = with_product ? g_strdup (product) : NULL;
            scene = admint_scene_new (job, &error);
            g_assert_no_error (error);
            check_boxes (scene, what);
            g_assert_true (admint_scene_has_product (scene) ==
                           (with_product && layout->product != ADMINT_LAYOUT_PRODUCT_NONE));
          }
}

/* The frame of a hook scene (variant VARIANT, coming in by crossfade) at T seconds, 360p. */
static cairo_surface_t *
paint_hook (guint  variant,
            double t)
{
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(AdmintScene) scene = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int w, h;

  job->layout = g_strdup ("hook");
  job->size = ADMINT_RENDER_SIZE_360P;
  job->text = g_strdup ("Meet AquaPeak");
  job->description = g_strdup ("a sunrise over the mountains");
  job->duration = 6;
  job->transition_in = g_strdup ("crossfade");
  job->variant = variant;
  admint_render_job_get_frame_size (job, &w, &h);
  scene = admint_scene_new (job, &error);
  g_assert_no_error (error);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (surface);
  admint_scene_paint (scene, cr, t);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static double
mean_luma (cairo_surface_t *s)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  int stride = cairo_image_surface_get_stride (s);
  double sum = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 v = ((const guint32 *) (data + y * stride))[x];
        sum += 0.2126 * ((v >> 16) & 0xff) + 0.7152 * ((v >> 8) & 0xff) + 0.0722 * (v & 0xff);
      }
  return sum / ((double) w * h);
}

static gboolean
same_pixels (cairo_surface_t *a,
             cairo_surface_t *b)
{
  return memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                 (gsize) cairo_image_surface_get_stride (a) *
                 cairo_image_surface_get_height (a)) == 0;
}

/* A rewritten scene (the next variant) moves differently; the same variant paints the same
 * frame; and a scene coming in by crossfade starts on its own picture, not a dark dip. */
static void
test_variants_and_transitions (void)
{
  cairo_surface_t *v0 = paint_hook (0, 2.0), *v0b = paint_hook (0, 2.0);
  cairo_surface_t *v1 = paint_hook (1, 2.0), *first = paint_hook (0, 0.0);

  g_assert_true (same_pixels (v0, v0b));
  g_assert_false (same_pixels (v0, v1));
  g_test_message ("mean luma: first frame %.1f, at 2 s %.1f", mean_luma (first), mean_luma (v0));
  g_assert_cmpfloat (mean_luma (first), >, 0.8 * mean_luma (v0));
  cairo_surface_destroy (v0);
  cairo_surface_destroy (v0b);
  cairo_surface_destroy (v1);
  cairo_surface_destroy (first);
}

/* Something new every two or three seconds: in every layout but the end card, with the lines
 * the writer gives (one for a short scene, two for a long one), no stretch between the cut,
 * the text's entrances and the next cut is longer than 3 s. */
static void
test_text_never_frozen (void)
{
  AdmintLayoutSet *set = admint_layout_set_get_default ();
  static const double durations[] = { 6.0, 7.5 };
  char *two[] = { (char *) "Refill it, skip the plastic", (char *) "Made for hikers", NULL };

  for (guint l = 0; l < admint_layout_set_get_n (set); l++)
    for (guint d = 0; d < G_N_ELEMENTS (durations); d++)
      {
        const AdmintLayout *layout = admint_layout_set_get (set, l);
        g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
        g_autoptr(AdmintScene) scene = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(GArray) times = NULL;
        double last = 0, widest = 0;

        if (g_strcmp0 (layout->name, "end-card") == 0)
          continue;  /* the close may rest on its call to action */
        job->layout = g_strdup (layout->name);
        job->size = ADMINT_RENDER_SIZE_360P;
        job->duration = durations[d];
        job->transition_in = g_strdup ("crossfade");
        job->text = g_strdup ("Meet the Reusable Water Bottle");
        job->figure = g_strdup ("24 h");
        job->lines = durations[d] >= 7 ? g_strdupv (two) : g_strdupv ((char *[]) { two[0], NULL });
        job->description = g_strdup ("a sunrise over the mountains");
        scene = admint_scene_new (job, &error);
        g_assert_no_error (error);
        times = admint_scene_get_reveal_times (scene);
        for (guint i = 0; i <= times->len; i++)
          {
            double at = i < times->len ? g_array_index (times, double, i) : durations[d] - 0.4;

            widest = MAX (widest, at - last);
            last = MAX (last, at);
          }
        g_test_message ("%s, %.1f s: %u entrances, longest wait %.2f s", layout->name,
                        durations[d], times->len, widest);
        g_assert_cmpfloat (widest, <=, 3.0);
      }
}

/* A studio sweep with nothing on it is never shown: without a product photo the product hero
 * gets the moving background; with one, the sweep. */
static void
test_no_empty_studio (void)
{
  g_autofree char *product = make_product ();

  for (int with_product = 0; with_product < 2; with_product++)
    {
      g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
      g_autoptr(AdmintScene) scene = NULL;
      g_autoptr(GError) error = NULL;

      job->layout = g_strdup ("product-hero");
      job->size = ADMINT_RENDER_SIZE_360P;
      job->text = g_strdup ("Built to last, day after day");
      job->description = g_strdup ("The reusable water bottle in use");
      job->product = with_product ? g_strdup (product) : NULL;
      scene = admint_scene_new (job, &error);
      g_assert_no_error (error);
      g_assert_cmpint (admint_scene_get_background (scene), ==,
                       with_product ? ADMINT_LAYOUT_BG_STUDIO : ADMINT_LAYOUT_BG_DRIFT);
    }
}

static void
expect_error (const char *yaml,
              const char *needle)
{
  g_autoptr(AdmintLayoutSet) set = admint_layout_set_new ();
  g_autoptr(GError) error = NULL;

  if (admint_layout_set_add_text (set, "mine.yaml", yaml, -1, &error))
    admint_layout_set_check (set, &error);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_bad_files (void)
{
  static const char base[] =
    "name: mine\n"
    "beats: [attention]\n"
    "text:\n"
    "  headline: 0.1\n"
    "wide:\n"
    "  headline: [0.0, 0.0, 1.0, 0.5]\n"
    "tall:\n"
    "  headline: [0.0, 0.0, 1.0, 0.5]\n";
  g_autofree char *unknown = g_strconcat (base, "fallback: nowhere\n", NULL);
  g_autofree char *slot = g_strconcat (base, "square:\n  title: [0, 0, 1, 1]\n", NULL);
  g_autofree char *outside = g_strconcat (base, "square:\n  headline: [0.5, 0, 0.7, 1]\n", NULL);
  g_autofree char *overlap = g_strconcat (base, "product: side\n", NULL);
  g_autofree char *choice = g_strconcat (base, "transition: wipe\n", NULL);
  g_autofree char *tall_slot = g_strconcat (base, "tall-text:\n  caption: 0.1\n", NULL);
  g_autofree char *tall_size = g_strconcat (base, "tall-text:\n  headline: 0.9\n", NULL);
  g_autofree char *tall_ok = g_strconcat (base, "tall-text:\n  headline: 0.14\n", NULL);
  g_autoptr(AdmintLayoutSet) set = admint_layout_set_new ();
  g_autoptr(GError) error = NULL;

  /* An unknown layout named as the fallback: the error gives its line and column. */
  expect_error (unknown, "mine.yaml:9:11: unknown layout “nowhere”");
  expect_error (slot, "mine.yaml:10:3: unknown slot “title”");
  expect_error (outside, "mine.yaml:10:13: the headline box");
  expect_error (overlap, "needs a product box");
  expect_error (choice, "mine.yaml:9:13: transition is “wipe”; use one of cut, crossfade");
  expect_error ("name: [", "mine.yaml:2:1: malformed YAML");
  /* A tall frame's own sizes: the same slots and range as text:. */
  expect_error (tall_slot, "mine.yaml:10:3: unknown text slot “caption”");
  expect_error (tall_size, "mine.yaml:10:13:");

  /* tall-text: sets the tall frame's size only. */
  {
    g_autoptr(AdmintLayoutSet) own = admint_layout_set_new ();
    const AdmintLayout *mine;

    g_assert_true (admint_layout_set_add_text (own, "mine.yaml", tall_ok, -1, &error));
    g_assert_no_error (error);
    mine = admint_layout_set_lookup (own, "mine");
    g_assert_nonnull (mine);
    g_assert_cmpfloat_with_epsilon (mine->size[ADMINT_SLOT_HEADLINE], 0.1, 1e-9);
    g_assert_cmpfloat_with_epsilon (mine->size_tall[ADMINT_SLOT_HEADLINE], 0.14, 1e-9);
    g_assert_cmpfloat (mine->size_tall[ADMINT_SLOT_LINES], ==, 0);
  }

  /* The same file is fine without the mistakes. */
  g_assert_true (admint_layout_set_add_text (set, "mine.yaml", base, -1, &error));
  g_assert_no_error (error);
  g_assert_true (admint_layout_set_check (set, &error));
}

static void
test_user_override (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "admint", "layouts", NULL);
  g_autofree char *path = g_build_filename (dir, "hook.yaml", NULL);
  g_autoptr(AdmintLayoutSet) set = NULL;
  g_autoptr(GError) error = NULL;
  const AdmintLayout *hook;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path,
                                      "name: hook\nbeats: [attention]\ntransition: cut\n"
                                      "text:\n  headline: 0.2\nwide:\n"
                                      "  headline: [0, 0, 1, 1]\ntall:\n"
                                      "  headline: [0, 0, 1, 1]\n", -1, NULL));
  set = admint_layout_set_load (&error);
  g_assert_no_error (error);
  hook = admint_layout_set_lookup (set, "hook");
  g_assert_cmpint (hook->transition, ==, ADMINT_TRANSITION_CUT);
  g_assert_cmpstr (hook->origin, ==, path);
  g_assert_nonnull (admint_layout_set_lookup (set, "end-card"));

  g_assert_true (g_file_set_contents (path, "name: hook\nfallback: gone\ntext:\n"
                                      "  headline: 0.2\nwide:\n  headline: [0, 0, 1, 1]\n"
                                      "tall:\n  headline: [0, 0, 1, 1]\n", -1, NULL));
  g_clear_pointer (&set, admint_layout_set_free);
  set = admint_layout_set_load (&error);
  g_assert_null (set);
  g_assert_nonnull (strstr (error->message, "hook.yaml:2:11: unknown layout “gone”"));
  g_unlink (path);
}

static void
test_cutout (void)
{
  g_autofree char *product = make_product ();
  g_autoptr(GdkPixbuf) photo = gdk_pixbuf_new_from_file (product, NULL);
  cairo_surface_t *cut;
  gboolean cut_out = FALSE;
  const guint8 *data;
  int stride, w, h;

  cut = admint_product_cutout (photo, 400, &cut_out);
  g_assert_true (cut_out);
  w = cairo_image_surface_get_width (cut), h = cairo_image_surface_get_height (cut);
  /* Cropped to the bottle with a little air, the backdrop transparent, the bottle opaque. */
  g_assert_cmpint (w, <, 120);
  g_assert_cmpint (h, <, 340);
  data = cairo_image_surface_get_data (cut);
  stride = cairo_image_surface_get_stride (cut);
  g_assert_cmpuint (((const guint32 *) data)[0] >> 24, ==, 0);
  g_assert_cmpuint (((const guint32 *) (data + (h / 2) * stride))[w / 2] >> 24, ==, 255);
  cairo_surface_destroy (cut);
}

static void
test_palette (void)
{
  g_autofree char *product = make_product ();
  const char *paths[] = { product, NULL };
  g_auto(GStrv) palette = admint_palette_from_images (paths, 3);

  /* The bottle's teal, not the white backdrop. */
  g_assert_nonnull (palette);
  g_assert_nonnull (palette[0]);
  g_test_message ("palette[0] %s", palette[0]);
  {
    guint v = (guint) g_ascii_strtoull (palette[0] + 1, NULL, 16);
    g_assert_cmpint (ABS ((int) ((v >> 16) & 0xff) - 13), <=, 4);
    g_assert_cmpint (ABS ((int) ((v >> 8) & 0xff) - 89), <=, 4);
    g_assert_cmpint (ABS ((int) (v & 0xff) - 102), <=, 4);
  }
}

static void
test_render_clip (void)
{
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (admint_test_get_root (), "hook.mp4", NULL);

  job->layout = g_strdup ("proof");
  job->size = ADMINT_RENDER_SIZE_360P;
  job->duration = 1.5;
  job->figure = g_strdup ("24 h");
  job->text = g_strdup ("Cold all day");
  job->transition_in = g_strdup ("push");
  g_assert_true (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));

  g_free (job->layout);
  job->layout = g_strdup ("no-such-layout");
  g_assert_false (admint_render_clip (job, out, NULL, NULL, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/media/layout/text-never-frozen", test_text_never_frozen);
  g_test_add_func ("/media/layout/no-empty-studio", test_no_empty_studio);
  g_test_add_func ("/media/layout/every-layout-every-aspect", test_every_layout);
  g_test_add_func ("/media/layout/bad-files", test_bad_files);
  g_test_add_func ("/media/layout/user-override", test_user_override);
  g_test_add_func ("/media/layout/cutout", test_cutout);
  g_test_add_func ("/media/layout/palette", test_palette);
  g_test_add_func ("/media/layout/render-clip", test_render_clip);
  g_test_add_func ("/media/layout/variants-and-transitions", test_variants_and_transitions);
  return g_test_run ();
}
