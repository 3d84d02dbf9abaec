/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The poster of a video: a frame with something in it, not the black one a fade starts on. */
#include "config.h"

#include <string.h>

#include "admint-error.h"
#include "admint-poster.h"
#include "admint-test-media.h"
#include "admint-test-util.h"

static double
mean_level (const AdmintPoster *poster)
{
  const guint8 *rgb = g_bytes_get_data (poster->rgb, NULL);
  double sum = 0;

  for (int y = 0; y < poster->height; y++)
    for (int x = 0; x < poster->width * 3; x++)
      sum += rgb[y * poster->stride + x];
  return sum / (poster->width * 3.0 * poster->height);
}

/* Two seconds: black for the first 0.8 s (a fade's start), then colour bars. */
static void
test_poster_skips_black (void)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), "fade.mp4", NULL);
  g_autofree char *desc = g_strdup_printf (
    "concat name=c ! videoconvert ! x264enc speed-preset=ultrafast key-int-max=15 ! mp4mux ! "
    "filesink location=\"%s\" "
    "videotestsrc pattern=black num-buffers=24 ! video/x-raw,width=320,height=180,"
    "framerate=30/1 ! c. "
    "videotestsrc pattern=smpte num-buffers=36 ! video/x-raw,width=320,height=180,"
    "framerate=30/1 ! c.", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPoster) poster = NULL;

  admint_test_gst_launch (desc, "a clip that starts black");
  poster = admint_poster_make (path, 160, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (poster);
  /* Scaled to the width asked, in proportion. */
  g_assert_cmpint (poster->width, ==, 160);
  g_assert_cmpint (poster->height, ==, 90);
  g_assert_cmpuint (g_bytes_get_size (poster->rgb), >=, poster->stride * poster->height);
  g_test_message ("poster at %.2f s, mean level %.0f", poster->position, mean_level (poster));
  g_assert_cmpfloat (poster->position, >, 0.8);
  g_assert_cmpfloat (mean_level (poster), >, 60);
}

static void
test_poster_errors (void)
{
  g_autofree char *text = g_build_filename (admint_test_get_root (), "notes.mp4", NULL);
  g_autoptr(GError) error = NULL;
  AdmintPoster *poster;

  poster = admint_poster_make ("/nonexistent/ad.mp4", 0, NULL, &error);
  g_assert_null (poster);
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/ad.mp4"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "not a video", -1, NULL));
  poster = admint_poster_make (text, 0, NULL, &error);
  g_assert_null (poster);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  gst_init (NULL, NULL);
  g_test_add_func ("/poster/skips-black", test_poster_skips_black);
  g_test_add_func ("/poster/errors", test_poster_errors);
  return g_test_run ();
}
