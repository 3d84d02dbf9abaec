/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: stitching six 8-second 1080p H.264 clips, ours against ffmpeg from the same run:
 * the copy path against `ffmpeg -f concat -c copy` (target within 1.5x) and the re-encode path
 * against ffmpeg's libx264 at the same preset, CRF and GOP (target within 1.3x). */
#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "admint-stitch.h"

#define N_CLIPS 6

static void
run_or_die (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
}

static double
time_ffmpeg (const char * const *argv)
{
  gint64 start = g_get_monotonic_time ();

  run_or_die (argv);
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
time_ours (const char * const  *clips,
           const char          *output,
           gboolean             reencode,
           gboolean            *copied)
{
  AdmintStitchOptions options = { .force_reencode = reencode };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  result = admint_media_stitch (clips, output, &options, NULL, NULL, NULL, &error);
  if (result == NULL)
    g_error ("stitch failed: %s", error->message);
  *copied = result->copied;
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median3 (double v[3])
{
  qsort (v, 3, sizeof (double), (int (*)(const void *, const void *)) compare_double);
  return v[1];
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("admint-bench-stitch-XXXXXX", NULL);
  g_autofree char *list = g_build_filename (dir, "list.txt", NULL);
  g_autofree char *ours = g_build_filename (dir, "ours.mp4", NULL);
  g_autofree char *theirs = g_build_filename (dir, "ffmpeg.mp4", NULL);
  GString *list_text = g_string_new (NULL);
  char *clips[N_CLIPS + 1] = { NULL };
  double ours_copy[3], ff_copy[3], ff_copy_fs[3], ours_enc, ff_enc;
  gboolean copied = FALSE;

  admint_media_init ();
  g_print ("generating %d 8-second 1920x1080 30 fps H.264/AAC clips with ffmpeg…\n", N_CLIPS);
  for (int i = 0; i < N_CLIPS; i++)
    {
      g_autofree char *src = g_strdup_printf ("testsrc2=size=1920x1080:rate=30,hue=h=%d", i * 60);
      g_autofree char *tone = g_strdup_printf ("sine=frequency=%d:sample_rate=48000", 300 + 50 * i);
      const char *gen[] = { "ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", src,
                            "-f", "lavfi", "-i", tone, "-t", "8", "-c:v", "libx264", "-preset",
                            "veryfast", "-crf", "21", "-g", "60", "-pix_fmt", "yuv420p",
                            "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags",
                            "+faststart", NULL, NULL };
      clips[i] = g_strdup_printf ("%s/clip-%d.mp4", dir, i);
      gen[G_N_ELEMENTS (gen) - 2] = clips[i];
      run_or_die (gen);
      g_string_append_printf (list_text, "file '%s'\n", clips[i]);
    }
  g_file_set_contents (list, list_text->str, -1, NULL);
  g_string_free (list_text, TRUE);

  {
    const char *copy[] = { "ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0",
                           "-i", list, "-c", "copy", theirs, NULL };
    const char *copy_fs[] = { "ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe",
                              "0", "-i", list, "-c", "copy", "-movflags", "+faststart", theirs,
                              NULL };

    /* Warm the page cache and GStreamer's registry once, then take the median of three. */
    time_ffmpeg (copy);
    time_ours ((const char * const *) clips, ours, FALSE, &copied);
    for (int r = 0; r < 3; r++)
      {
        ff_copy[r] = time_ffmpeg (copy);
        ff_copy_fs[r] = time_ffmpeg (copy_fs);
        ours_copy[r] = time_ours ((const char * const *) clips, ours, FALSE, &copied);
      }
    g_print ("\ncopy path (no re-encoding; ours used the copy path: %s)\n",
             copied ? "yes" : "NO");
    g_print ("  ours (mp4, fast start):           %.3f s\n", median3 (ours_copy));
    g_print ("  ffmpeg -f concat -c copy:         %.3f s\n", median3 (ff_copy));
    g_print ("  ffmpeg … -movflags +faststart:    %.3f s\n", median3 (ff_copy_fs));
    g_print ("  ratio ours / ffmpeg -c copy:      %.2fx (target <= 1.5x)\n",
             median3 (ours_copy) / median3 (ff_copy));
  }

  {
    const char *enc[] = { "ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0",
                          "-i", list, "-c:v", "libx264", "-preset", "fast", "-crf", "21",
                          "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
                          "-movflags", "+faststart", theirs, NULL };

    ff_enc = time_ffmpeg (enc);
    ours_enc = time_ours ((const char * const *) clips, ours, TRUE, &copied);
    g_print ("\nre-encode path (x264 preset fast, CRF 21, GOP 60, AAC 128k, fast start)\n");
    g_print ("  ours (%s):  %.2f s\n", admint_media_h264_encoder_name (), ours_enc);
    g_print ("  ffmpeg libx264:   %.2f s\n", ff_enc);
    g_print ("  ratio ours / ffmpeg: %.2fx (target <= 1.3x)\n", ours_enc / ff_enc);
  }

  for (int i = 0; i < N_CLIPS; i++)
    {
      g_unlink (clips[i]);
      g_free (clips[i]);
    }
  g_unlink (list);
  g_unlink (ours);
  g_unlink (theirs);
  g_rmdir (dir);
  return 0;
}
