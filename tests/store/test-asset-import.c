/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Asset import: each accepted type, and each kind of bad file, with its exact outcome. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/gst.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-test-util.h"

static AdmintStore *store;
static char *media_dir;
static char *inputs;

static char *
input_path (const char *name)
{
  return g_build_filename (inputs, name, NULL);
}

static char *
make_image (const char *name,
            const char *format,
            int         width,
            int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *path = input_path (name);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  /* A gradient, so that the files are not trivially small. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 3;
        p[0] = x * 255 / width;
        p[1] = y * 255 / height;
        p[2] = (x * y) & 0xff;
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, format, &error, NULL));
  g_assert_no_error (error);
  return path;
}

/* 1 s of a 440 Hz tone, 8 kHz mono 16-bit PCM, written by hand. */
static char *
make_wav (const char *name)
{
  const guint32 rate = 8000, n = 8000;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  char *path = input_path (name);
  guint32 u32;
  guint16 u16;

#define PUT(s) g_byte_array_append (b, (const guint8 *) (s), 4)
#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (b, (guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (b, (guint8 *) &u16, 2))
  PUT ("RIFF"); PUT32 (36 + n * 2); PUT ("WAVE");
  PUT ("fmt "); PUT32 (16); PUT16 (1); PUT16 (1); PUT32 (rate); PUT32 (rate * 2); PUT16 (2);
  PUT16 (16);
  PUT ("data"); PUT32 (n * 2);
  for (guint32 i = 0; i < n; i++)
    PUT16 ((guint16) (gint16) (8000 * sin (2 * G_PI * 440 * i / rate)));
#undef PUT
#undef PUT32
#undef PUT16
  g_assert_true (g_file_set_contents (path, (const char *) b->data, b->len, NULL));
  return path;
}

static char *
make_ogg (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = input_path (name);
  g_autofree char *desc = g_strdup_printf ("audiotestsrc num-buffers=20 samplesperbuffer=1000 ! "
                                           "audioconvert ! vorbisenc ! oggmux ! "
                                           "filesink location=\"%s\"", path);
  GstElement *pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return path;
}

static char *
make_text (const char *name,
           const char *text,
           gssize      len)
{
  char *path = input_path (name);
  g_assert_true (g_file_set_contents (path, text, len, NULL));
  return path;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Every file under media/ (thumbnails/ included), sorted: no temporary file may remain. */
static char *
media_listing (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *subdirs[] = { "", "thumbnails" };

  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir = g_build_filename (media_dir, subdirs[i], NULL);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        if (!g_str_equal (name, "thumbnails"))
          g_ptr_array_add (names, g_build_filename (subdirs[i], name, NULL));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static AdmintAssetRow *
import_ok (const char         *file,
           const char         *kind,
           const char * const *tags,
           gboolean            expect_duplicate)
{
  g_autoptr(GError) error = NULL;
  gboolean duplicate = !expect_duplicate;
  AdmintAssetRow *row = admint_store_import_asset (store, file, kind, tags, NULL, &duplicate,
                                                   &error);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  g_assert_cmpint (duplicate, ==, expect_duplicate);
  g_assert_true (g_file_test (admint_asset_row_get_path (row), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (admint_asset_row_get_path (row), media_dir));
  g_assert_cmpuint (strlen (admint_asset_row_get_sha256 (row)), ==, 64);
  return row;
}

/* Imports file expecting an error with code, whose message names the file and says why; the
 * media folder is left exactly as it was. */
static void
import_fails (const char              *file,
              const char              *kind,
              const AdmintAssetLimits *limits,
              int                      code,
              const char              *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = media_listing ();
  g_autofree char *after = NULL;
  gboolean duplicate = TRUE;
  AdmintAssetRow *row = admint_store_import_asset (store, file, kind, NULL, limits, &duplicate,
                                                   &error);

  g_assert_null (row);
  g_assert_error (error, ADMINT_ERROR, code);
  g_assert_true (admint_error_is_bad_input (error));
  g_assert_nonnull (strstr (error->message, file));
  if (strstr (error->message, reason) == NULL)
    g_error ("“%s” does not say “%s”", error->message, reason);
  g_assert_false (duplicate);
  after = media_listing ();
  g_assert_cmpstr (before, ==, after);
}

static void
test_png (void)
{
  g_autofree char *file = make_image ("product.png", "png", 320, 180);
  const char *tags[] = { "bottle", "green", NULL };
  g_autoptr(AdmintAssetRow) row = import_ok (file, NULL, tags, FALSE);
  g_autoptr(GdkPixbuf) thumb = NULL;

  g_assert_cmpstr (admint_asset_row_get_mime (row), ==, "image/png");
  g_assert_cmpstr (admint_asset_row_get_kind (row), ==, "product");
  g_assert_cmpint (admint_asset_row_get_width (row), ==, 320);
  g_assert_cmpint (admint_asset_row_get_height (row), ==, 180);
  g_assert_cmpstr (admint_asset_row_get_original_name (row), ==, "product.png");
  g_assert_cmpstrv (admint_asset_row_get_tags (row), tags);
  g_assert_true (g_str_has_suffix (admint_asset_row_get_path (row), ".png"));
  {
    g_autofree char *base = g_path_get_basename (admint_asset_row_get_path (row));
    g_autofree char *expected = g_strconcat (admint_asset_row_get_sha256 (row), ".png", NULL);
    g_autofree char *contents = NULL;
    gsize len;
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

    g_assert_cmpstr (base, ==, expected);
    g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
    g_checksum_update (sum, (const guchar *) contents, len);
    g_assert_cmpstr (g_checksum_get_string (sum), ==, admint_asset_row_get_sha256 (row));
  }
  thumb = gdk_pixbuf_new_from_file (admint_asset_row_get_thumbnail_path (row), NULL);
  g_assert_nonnull (thumb);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 144);
}

static void
test_jpeg (void)
{
  g_autofree char *file = make_image ("character.jpg", "jpeg", 180, 320);
  g_autoptr(AdmintAssetRow) row = import_ok (file, "character", NULL, FALSE);
  g_autoptr(GdkPixbuf) thumb = NULL;

  g_assert_cmpstr (admint_asset_row_get_mime (row), ==, "image/jpeg");
  g_assert_cmpstr (admint_asset_row_get_kind (row), ==, "character");
  g_assert_cmpint (admint_asset_row_get_width (row), ==, 180);
  g_assert_cmpint (admint_asset_row_get_height (row), ==, 320);
  g_assert_true (g_str_has_suffix (admint_asset_row_get_path (row), ".jpg"));
  thumb = gdk_pixbuf_new_from_file (admint_asset_row_get_thumbnail_path (row), NULL);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 144);
}

static void
test_webp (void)
{
  g_autofree char *file = make_image ("logo.webp", "webp", 64, 48);
  g_autoptr(AdmintAssetRow) row = import_ok (file, "logo", NULL, FALSE);
  g_autoptr(GdkPixbuf) thumb = NULL;

  g_assert_cmpstr (admint_asset_row_get_mime (row), ==, "image/webp");
  g_assert_cmpint (admint_asset_row_get_width (row), ==, 64);
  g_assert_cmpint (admint_asset_row_get_height (row), ==, 48);
  /* Small images are not scaled up. */
  thumb = gdk_pixbuf_new_from_file (admint_asset_row_get_thumbnail_path (row), NULL);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 64);
}

static void
test_svg (void)
{
  g_autofree char *file = make_text ("brand.svg",
    "<?xml version=\"1.0\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"60\">"
    "<rect width=\"120\" height=\"60\" fill=\"#12ab34\"/></svg>\n", -1);
  g_autoptr(AdmintAssetRow) row = import_ok (file, NULL, NULL, FALSE);
  g_autofree char *wav = make_wav ("not-a-logo.wav");

  g_assert_cmpstr (admint_asset_row_get_mime (row), ==, "image/svg+xml");
  g_assert_cmpstr (admint_asset_row_get_kind (row), ==, "logo");
  g_assert_cmpint (admint_asset_row_get_width (row), ==, 120);
  g_assert_cmpint (admint_asset_row_get_height (row), ==, 60);
  g_assert_nonnull (admint_asset_row_get_thumbnail_path (row));

  import_fails (file, "product", NULL, ADMINT_ERROR_INVALID_INPUT, "cannot be a product asset");
  import_fails (wav, "logo", NULL, ADMINT_ERROR_INVALID_INPUT, "cannot be a logo asset");
}

static void
test_wav (void)
{
  g_autofree char *file = make_wav ("jingle.wav");
  g_autoptr(AdmintAssetRow) row = import_ok (file, NULL, NULL, FALSE);

  g_assert_cmpstr (admint_asset_row_get_mime (row), ==, "audio/wav");
  g_assert_cmpstr (admint_asset_row_get_kind (row), ==, "music");
  g_assert_cmpfloat_with_epsilon (admint_asset_row_get_duration (row), 1.0, 0.01);
  g_assert_cmpint (admint_asset_row_get_width (row), ==, 0);
  g_assert_null (admint_asset_row_get_thumbnail_path (row));
}

static void
test_ogg (void)
{
  g_autofree char *file = make_ogg ("bed.ogg");
  g_autoptr(AdmintAssetRow) row = import_ok (file, "music", NULL, FALSE);

  g_assert_cmpstr (admint_asset_row_get_mime (row), ==, "audio/ogg");
  g_assert_true (g_str_has_suffix (admint_asset_row_get_path (row), ".ogg"));
  /* 20 000 samples at audiotestsrc's 44.1 kHz. */
  g_assert_cmpfloat_with_epsilon (admint_asset_row_get_duration (row), 20000.0 / 44100, 0.05);
}

static void
test_text_named_png (void)
{
  g_autofree char *file = make_text ("fake.png", "just some text, not an image\n", -1);

  import_fails (file, NULL, NULL, ADMINT_ERROR_INVALID_INPUT, "its content is not");
}

static void
test_truncated_png (void)
{
  g_autofree char *whole = make_image ("whole.png", "png", 320, 180);
  g_autofree char *contents = NULL;
  gsize len;
  g_autofree char *file = NULL;

  g_assert_true (g_file_get_contents (whole, &contents, &len, NULL));
  file = make_text ("truncated.png", contents, len / 2);
  import_fails (file, NULL, NULL, ADMINT_ERROR_INVALID_INPUT, "truncated or damaged");
}

static void
test_oversize (void)
{
  g_autofree char *file = make_image ("big.png", "png", 320, 180);
  AdmintAssetLimits limits = { .max_file_bytes = 1000 };
  AdmintAssetLimits total = { .max_generation_bytes = 1000 };
  g_autoptr(GError) error = NULL;
  const char *files[] = { file, NULL };

  import_fails (file, NULL, &limits, ADMINT_ERROR_INVALID_INPUT, "limits.asset_max_bytes");

  g_assert_true (admint_asset_limits_check_files (NULL, files, &error));
  g_assert_no_error (error);
  g_assert_false (admint_asset_limits_check_files (&limits, files, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (admint_asset_limits_check_files (&total, files, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "limits.generation_assets_max_bytes"));
}

static void
test_duplicate (void)
{
  g_autofree char *file = make_image ("twice.png", "png", 100, 100);
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(AdmintAssetRow) first = import_ok (file, NULL, NULL, FALSE);
  g_autofree char *listing = media_listing ();
  g_autoptr(AdmintAssetRow) second = NULL;
  g_autofree char *after = NULL;

  /* The same bytes under another name. */
  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  copy = make_text ("renamed.png", contents, len);
  second = import_ok (copy, NULL, NULL, TRUE);
  g_assert_cmpint (admint_asset_row_get_id (second), ==, admint_asset_row_get_id (first));
  g_assert_cmpstr (admint_asset_row_get_path (second), ==, admint_asset_row_get_path (first));
  after = media_listing ();
  g_assert_cmpstr (listing, ==, after);
}

static void
test_unreadable (void)
{
  g_autofree char *missing = input_path ("no-such-file.png");

  import_fails (missing, NULL, NULL, ADMINT_ERROR_NOT_FOUND, "no such file");
  import_fails (inputs, NULL, NULL, ADMINT_ERROR_INVALID_INPUT, "it is a folder");

  if (getuid () != 0)
    {
      g_autofree char *file = make_image ("locked.png", "png", 10, 10);
      g_assert_cmpint (g_chmod (file, 0), ==, 0);
      import_fails (file, NULL, NULL, ADMINT_ERROR_INVALID_INPUT, "readable");
    }
  else
    g_test_message ("running as root: a chmod 000 file is readable, that case is skipped");
}

static void
test_bad_arguments (void)
{
  g_autofree char *file = make_image ("args.png", "png", 10, 10);
  g_autoptr(GError) error = NULL;
  const char *bad_tags[] = { "ok", "", NULL };

  import_fails (file, "poster", NULL, ADMINT_ERROR_INVALID_INPUT, "product, logo");
  g_assert_null (admint_store_import_asset (store, file, NULL, bad_tags, NULL, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

static void
test_list_and_remove (void)
{
  g_autofree char *file = make_image ("removable.png", "png", 30, 20);
  g_autoptr(AdmintAssetRow) row = import_ok (file, "misc", NULL, FALSE);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = admint_asset_row_to_json (row);
  JsonObject *o = json_node_get_object (json);
  guint n;
  gint64 id = admint_asset_row_get_id (row);
  const char *members[] = { "id", "sha256", "path", "kind", "mime", "width", "height", "tags" };

  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (o, members[i]));

  list = admint_store_list_assets (store, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (list);
  g_assert_cmpuint (n, >=, 1);

  g_assert_true (admint_store_remove_asset (store, id, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (admint_asset_row_get_path (row), G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (admint_asset_row_get_thumbnail_path (row), G_FILE_TEST_EXISTS));
  g_clear_object (&list);
  list = admint_store_list_assets (store, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n - 1);

  g_assert_false (admint_store_remove_asset (store, id, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (admint_store_get_asset (store, id, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
}

static void
test_remove_keeps_file_in_use (void)
{
  g_autofree char *file = make_image ("used.png", "png", 40, 20);
  g_autoptr(AdmintAssetRow) row = import_ok (file, NULL, NULL, FALSE);
  g_autofree char *assets = g_strdup_printf ("[\"%s\"]", admint_asset_row_get_path (row));
  g_autofree char *id = admint_store_create_generation (store, "uses it", NULL, NULL, assets,
                                                        NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (id);
  g_assert_true (admint_store_remove_asset (store, admint_asset_row_get_id (row), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (admint_asset_row_get_path (row), G_FILE_TEST_EXISTS));
}

static gpointer async_task;

static void
imported (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  AdmintAssetRow **out = data;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = TRUE;

  /* The task (and its reference to the store) goes when its thread lets go of it. */
  g_object_add_weak_pointer (G_OBJECT (result), (gpointer *) &async_task);
  async_task = result;
  *out = admint_store_import_asset_finish (ADMINT_STORE (source), result, &duplicate, &error);
  g_assert_no_error (error);
  g_assert_false (duplicate);
}

static void
test_async (void)
{
  g_autofree char *file = make_image ("async.png", "png", 50, 50);
  AdmintAssetRow *row = NULL;

  admint_store_import_asset_async (store, file, NULL, NULL, NULL, NULL, imported, &row);
  while (row == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (async_task != NULL)
    g_usleep (1000);
  g_assert_cmpint (admint_asset_row_get_width (row), ==, 50);
  g_assert_finalize_object (row);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  admint_test_init (&argc, &argv);
  gst_init (&argc, &argv);

  inputs = g_build_filename (admint_test_get_root (), "inputs", NULL);
  g_assert_cmpint (g_mkdir_with_parents (inputs, 0700), ==, 0);
  store = admint_store_open (NULL, &error);
  g_assert_no_error (error);
  media_dir = g_strdup (admint_store_get_media_dir (store));

  g_test_add_func ("/asset-import/png", test_png);
  g_test_add_func ("/asset-import/jpeg", test_jpeg);
  g_test_add_func ("/asset-import/webp", test_webp);
  g_test_add_func ("/asset-import/svg", test_svg);
  g_test_add_func ("/asset-import/wav", test_wav);
  g_test_add_func ("/asset-import/ogg", test_ogg);
  g_test_add_func ("/asset-import/text-named-png", test_text_named_png);
  g_test_add_func ("/asset-import/truncated-png", test_truncated_png);
  g_test_add_func ("/asset-import/oversize", test_oversize);
  g_test_add_func ("/asset-import/duplicate", test_duplicate);
  g_test_add_func ("/asset-import/unreadable", test_unreadable);
  g_test_add_func ("/asset-import/bad-arguments", test_bad_arguments);
  g_test_add_func ("/asset-import/list-and-remove", test_list_and_remove);
  g_test_add_func ("/asset-import/remove-keeps-file-in-use", test_remove_keeps_file_in_use);
  g_test_add_func ("/asset-import/async", test_async);
  status = g_test_run ();

  g_assert_finalize_object (store);
  g_free (media_dir);
  g_free (inputs);
  return status;
}
