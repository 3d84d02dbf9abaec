/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Export dialog: each preset, a cancelled export leaving nothing, the clips to a folder. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "admint-export-dialog.h"
#include "admint-media.h"
#include "admint-store.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "media-test-util.h"
#include "ui-test-util.h"

typedef struct
{
  AdmintStore *store;
  char        *id;
  char        *clip;
} Ad;

static Ad ad;

typedef struct
{
  AdmintExportDialog *dialog;
  char               *exported;
  char               *failed;
  gboolean            closed;
} Run;

static void
on_exported (AdmintExportDialog *dialog,
             const char         *path,
             Run                *run)
{
  run->exported = g_strdup (path);
}

static void
on_failed (AdmintExportDialog *dialog,
           const char         *message,
           Run                *run)
{
  run->failed = g_strdup (message);
}

static void
on_destroy (GtkWidget *widget,
            Run       *run)
{
  run->closed = TRUE;
}

static gboolean
ready (gpointer data)
{
  return admint_export_dialog_is_ready (((Run *) data)->dialog);
}

static gboolean
finished (gpointer data)
{
  Run *run = data;
  return run->exported != NULL || run->failed != NULL;
}

static void
open_dialog (Run *run)
{
  memset (run, 0, sizeof *run);
  run->dialog = admint_export_dialog_new (NULL, ad.store, ad.id);
  g_signal_connect (run->dialog, "exported", G_CALLBACK (on_exported), run);
  g_signal_connect (run->dialog, "failed", G_CALLBACK (on_failed), run);
  g_signal_connect (run->dialog, "destroy", G_CALLBACK (on_destroy), run);
  gtk_window_present (GTK_WINDOW (run->dialog));
  ui_test_wait (ready, run, 10000, "the ad to load");
}

static void
run_clear (Run *run)
{
  if (!run->closed)
    gtk_window_destroy (GTK_WINDOW (run->dialog));
  g_free (run->exported);
  g_free (run->failed);
}

static void
test_presets (void)
{
  guint n = 0;
  const AdmintMediaPreset *presets = admint_media_presets (&n);

  g_autofree char *dir = g_build_filename (admint_test_get_root (), "exports", NULL);

  g_assert_cmpuint (n, >=, 5);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      const AdmintMediaPreset *preset = &presets[i];
      g_autofree char *name = g_strdup_printf ("ad-%s.%s", preset->name,
                                               preset->container == ADMINT_MEDIA_CONTAINER_WEBM
                                               ? "webm" : "mp4");
      g_autofree char *path = g_build_filename (admint_test_get_root (), "exports", name, NULL);
      Run run;
      int width = 0, height = 0, fps_n = 0, fps_d = 0;

      g_test_message ("preset %s", preset->name);
      open_dialog (&run);
      g_assert_true (admint_export_dialog_set_preset (run.dialog, preset->name));
      admint_export_dialog_export_to (run.dialog, path);
      g_assert_true (admint_export_dialog_is_busy (run.dialog));
      ui_test_wait (finished, &run, 120000, "the export");
      if (run.failed != NULL)
        g_test_message ("failed: %s", run.failed);
      g_assert_null (run.failed);
      g_assert_cmpstr (run.exported, ==, path);
      /* Done: the dialog closed itself; the file is the preset's size. */
      g_assert_true (run.closed);
      g_autoptr(GstDiscovererInfo) info = media_test_discover (path);
      media_test_video_params (info, &width, &height, &fps_n, &fps_d, NULL, NULL);
      g_assert_cmpint (width, ==, preset->width);
      g_assert_cmpint (height, ==, preset->height);
      run_clear (&run);
    }
}

static void
test_cancel (void)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), "cancelled", NULL);
  g_autofree char *path = g_build_filename (dir, "ad.mp4", NULL);
  Run run;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  open_dialog (&run);
  g_assert_true (admint_export_dialog_set_preset (run.dialog, "web-1080p"));
  admint_export_dialog_export_to (run.dialog, path);
  ui_test_wait_ms (50);
  admint_export_dialog_cancel (run.dialog);
  ui_test_wait (finished, &run, 60000, "the cancelled export");
  g_assert_null (run.exported);
  g_assert_nonnull (run.failed);
  g_assert_false (admint_export_dialog_is_busy (run.dialog));
  /* Nothing is left behind, not even a temporary file; the dialog stays open to try again. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (media_test_count_files (dir), ==, 0);
  g_assert_false (run.closed);

  /* The dialog itself, as the user sees it. */
  ui_test_screenshots_at (GTK_WINDOW (run.dialog), "export", 520, 560);
  run_clear (&run);
}

static void
test_clips (void)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), "clips", NULL);
  Run run;

  open_dialog (&run);
  admint_export_dialog_export_clips_to (run.dialog, dir);
  ui_test_wait (finished, &run, 30000, "the clips");
  g_assert_null (run.failed);
  g_assert_cmpstr (run.exported, ==, dir);
  g_assert_cmpuint (media_test_count_files (dir), ==, 1);
  g_autofree char *base = g_path_get_basename (ad.clip);
  g_autofree char *copy_name = g_strdup_printf ("scene-01-%s", base);
  g_autofree char *copy = g_build_filename (dir, copy_name, NULL);
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  run_clear (&run);
}

#define VTT "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA lamp that\n"
#define SRT "1\n00:00:00,000 --> 00:00:01,000\nA lamp that\n"

/* The ad's captions, in the format chosen, land beside the video under its name; None writes
 * none. */
static void
test_captions (void)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), "captioned", NULL);
  g_autofree char *path = g_build_filename (dir, "lamp.mp4", NULL);
  g_autofree char *vtt = g_build_filename (dir, "lamp.vtt", NULL);
  g_autofree char *srt = g_build_filename (dir, "lamp.srt", NULL);
  g_autofree char *text = NULL;
  Run run;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  open_dialog (&run);
  /* The ad has SubRip captions, so that is what is offered first. */
  g_assert_cmpstr (admint_export_dialog_get_sidecar_format (run.dialog), ==, "srt");
  g_assert_true (admint_export_dialog_set_sidecar_format (run.dialog, "vtt"));
  g_assert_true (admint_export_dialog_set_preset (run.dialog, "web-720p"));
  admint_export_dialog_export_to (run.dialog, path);
  ui_test_wait (finished, &run, 120000, "the export with captions");
  g_assert_null (run.failed);
  g_assert_true (g_file_get_contents (vtt, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, VTT);
  g_assert_false (g_file_test (srt, G_FILE_TEST_EXISTS));
  run_clear (&run);

  g_unlink (vtt);
  g_unlink (path);
  open_dialog (&run);
  g_assert_true (admint_export_dialog_set_sidecar_format (run.dialog, NULL));
  g_assert_null (admint_export_dialog_get_sidecar_format (run.dialog));
  g_assert_true (admint_export_dialog_set_preset (run.dialog, "web-720p"));
  admint_export_dialog_export_to (run.dialog, path);
  ui_test_wait (finished, &run, 120000, "the export without captions");
  g_assert_null (run.failed);
  g_assert_cmpuint (media_test_count_files (dir), ==, 1);
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  ui_test_init (&argc, &argv);
  gst_init (NULL, NULL);

  /* A finished ad of one 1-second clip. */
  ad.store = admint_store_open (NULL, &error);
  g_assert_no_error (error);
  ad.clip = g_build_filename (admint_test_get_root (), "clip.mp4", NULL);
  media_test_make_clip (ad.clip, 320, 240, 30, 1.0, TRUE, "smpte");
  ad.id = admint_store_create_generation (ad.store, "Ad for a lamp", "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (admint_store_add_clip_version (ad.store, ad.id, 0, "local", &error), ==, 1);
  g_assert_true (admint_store_update_clip (ad.store, ad.id, 0, 1, "completed", ad.clip, 1.0, 0,
                                           NULL, &error));
  g_assert_true (admint_store_set_final_video (ad.store, ad.id, ad.clip, 70, &error));
  /* Its captions, where the sound stage writes them: beside the final video. */
  {
    g_autofree char *srt = g_build_filename (admint_test_get_root (), "clip.srt", NULL);
    g_autofree char *vtt = g_build_filename (admint_test_get_root (), "clip.vtt", NULL);
    g_assert_true (g_file_set_contents (srt, SRT, -1, NULL));
    g_assert_true (g_file_set_contents (vtt, VTT, -1, NULL));
  }
  g_assert_true (admint_store_update_generation_status (ad.store, ad.id, "completed", NULL, NULL,
                                                        &error));

  g_test_add_func ("/export/presets", test_presets);
  g_test_add_func ("/export/cancel", test_cancel);
  g_test_add_func ("/export/clips", test_clips);
  g_test_add_func ("/export/captions", test_captions);
  int status = g_test_run ();
  g_clear_object (&ad.store);
  return status;
}
