/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Brand styles: checks, storing, one default, the logo's palette, and a new ad using the style. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-store-styles.h"
#include "admint-studio.h"
#include "admint-test-util.h"

static AdmintStore *
fresh_store (const char *name)
{
  g_autofree char *dir = g_build_filename (admint_test_get_root (), name, NULL);
  g_autofree char *path = g_build_filename (dir, "admint.db", NULL);
  g_autoptr(GError) error = NULL;
  AdmintStore *store;

  admint_test_rm_rf (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  store = admint_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

/* A 64×64 logo: three quarters deep red, one quarter teal. */
static char *
write_logo (const char *name)
{
  g_autofree char *path = g_build_filename (admint_test_get_root (), name, NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 64);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr(GError) error = NULL;

  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 64; x++)
      {
        guchar *p = pixels + y * stride + x * 3;
        gboolean teal = x >= 48;
        p[0] = teal ? 0x10 : 0xc0;
        p[1] = teal ? 0x90 : 0x18;
        p[2] = teal ? 0x90 : 0x20;
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_check (void)
{
  g_autoptr(AdmintBrandStyle) style = admint_brand_style_new ("");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) palette = NULL;
  g_autofree char *colour = admint_style_normalize_colour (" #A1B2C3 ");

  g_assert_cmpstr (colour, ==, "#a1b2c3");
  g_assert_null (admint_style_normalize_colour ("red"));
  g_assert_null (admint_style_normalize_colour ("#12345g"));

  palette = admint_style_parse_palette ("#112233, #AABBCC,", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (palette), ==, 2);
  g_assert_cmpstr (palette[1], ==, "#aabbcc");
  g_assert_null (admint_style_parse_palette ("#112233, blue", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“blue”"));
  g_clear_error (&error);

  g_assert_false (admint_brand_style_check (style, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "needs a name"));
  g_clear_error (&error);

  g_free (style->name);
  style->name = g_strdup ("Spring");
  g_strfreev (style->palette);
  style->palette = g_strsplit ("#112233,#GGGGGG", ",", -1);
  g_assert_false (admint_brand_style_check (style, &error));
  g_assert_nonnull (strstr (error->message, "#GGGGGG"));
  g_clear_error (&error);

  g_strfreev (style->palette);
  style->palette = g_strsplit ("#111111,#222222,#333333,#444444,#555555,#666666,#777777,"
                               "#888888,#999999", ",", -1);
  g_assert_false (admint_brand_style_check (style, &error));
  g_assert_nonnull (strstr (error->message, "at most 8"));
}

static void
test_store (void)
{
  AdmintStore *store = fresh_store ("styles-store");
  g_autoptr(AdmintBrandStyle) a = admint_brand_style_new ("Spring");
  g_autoptr(AdmintBrandStyle) b = admint_brand_style_new ("Autumn");
  g_autoptr(AdmintBrandStyle) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  /* No style at all: no default, and no error. */
  g_assert_null (admint_store_get_style (store, NULL, &error));
  g_assert_no_error (error);

  g_strfreev (a->palette);
  a->palette = g_strsplit ("#112233,#445566", ",", -1);
  a->framework = g_strdup ("PAS");
  a->voice = g_strdup ("kal");
  a->is_default = TRUE;
  a->id = admint_store_save_style (store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->id, >, 0);

  b->is_default = TRUE;
  b->id = admint_store_save_style (store, b, &error);
  g_assert_no_error (error);

  /* Only the last one saved as default is the default. */
  got = admint_store_get_style (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, "Autumn");
  g_clear_pointer (&got, admint_brand_style_free);

  got = admint_store_get_style (store, "Spring", &error);
  g_assert_no_error (error);
  g_assert_false (got->is_default);
  g_assert_cmpstr (got->framework, ==, "PAS");
  g_assert_cmpstr (got->voice, ==, "kal");
  g_assert_cmpstrv (got->palette, ((const char *[]) { "#112233", "#445566", NULL }));
  g_clear_pointer (&got, admint_brand_style_free);

  /* A second style with the same name is refused, naming it. */
  {
    g_autoptr(AdmintBrandStyle) dup = admint_brand_style_new ("Spring");
    g_assert_cmpint (admint_store_save_style (store, dup, &error), ==, 0);
    g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "“Spring”"));
    g_clear_error (&error);
  }

  g_assert_null (admint_store_get_style (store, "Winter", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“Autumn”, “Spring”"));
  g_clear_error (&error);

  list = admint_store_list_styles (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);

  g_assert_true (admint_store_delete_style (store, b->id, &error));
  g_assert_no_error (error);
  g_assert_false (admint_store_delete_style (store, b->id, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (admint_store_get_style (store, NULL, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (store);
}

typedef struct {
  AdmintBrandStyle *style;
  int               task_gone;   /* atomic: the save's GTask was finalized */
} Saved;

/* Runs in whichever thread drops the task's last reference, as its data is cleared: in
 * GObject's own finalize, after GTask's has let go of the source object (the store). A weak
 * reference would be too early: it is told at dispose, before that. */
static void
task_gone (gpointer data)
{
  Saved *saved = data;

  g_atomic_int_set (&saved->task_gone, 1);
  /* Wakes the main context if it blocks, or makes its next iteration not block. */
  g_main_context_wakeup (NULL);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saved *saved = user_data;
  g_autoptr(GError) error = NULL;

  saved->style = admint_store_save_style_finish (ADMINT_STORE (source), result, &error);
  g_assert_no_error (error);
  /* The worker thread may still hold the task (and through it the store) after this callback
   * has run: the test waits for the task's end, not for a while. */
  g_object_set_data_full (G_OBJECT (result), "test-styles-task-gone", saved, task_gone);
}

/* The palette comes from the logo's own pixels, most used colour first. */
static void
test_logo_palette (void)
{
  AdmintStore *store = fresh_store ("styles-logo");
  g_autofree char *logo_path = write_logo ("styles-logo.png");
  g_autoptr(AdmintAssetRow) logo = NULL;
  g_autoptr(AdmintBrandStyle) style = admint_brand_style_new ("Logo Colours");
  Saved result = { NULL, 0 };
  AdmintBrandStyle *saved;
  g_autoptr(GError) error = NULL;

  logo = admint_store_import_asset (store, logo_path, "logo", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  style->logo_asset_id = admint_asset_row_get_id (logo);
  admint_store_save_style_async (store, style, TRUE, NULL, on_saved, &result);
  /* Until the task is gone, not only answered: then nothing but us holds the store. */
  while (!g_atomic_int_get (&result.task_gone))
    g_main_context_iteration (NULL, TRUE);
  saved = result.style;

  g_assert_cmpint (saved->id, >, 0);
  g_assert_cmpuint (g_strv_length (saved->palette), >=, 2);
  for (guint i = 0; saved->palette[i] != NULL; i++)
    g_test_message ("logo colour %u: %s", i, saved->palette[i]);
  /* Red dominates the logo; teal is in it too. */
  g_assert_true (g_str_has_prefix (saved->palette[0], "#b") ||
                 g_str_has_prefix (saved->palette[0], "#c"));
  admint_brand_style_free (saved);
  g_assert_finalize_object (store);
}

static JsonObject *
stored_config (AdmintStore *store,
               const char  *id,
               JsonNode   **keep)
{
  g_autoptr(GError) error = NULL;
  JsonObject *obj, *snap;

  *keep = admint_store_get_generation (store, id, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (*keep);
  snap = json_object_get_object_member (obj, "config");
  return json_object_get_object_member (snap, "config");
}

/* A new ad with no framework takes the default style's; its palette and voice are in the config
 * the ad is stored with; "" asks for no style. */
static void
test_new_ad_uses_style (void)
{
  AdmintStore *store = fresh_store ("styles-studio");
  g_autoptr(AdmintStudio) studio = NULL;
  g_autoptr(AdmintBrandStyle) style = admint_brand_style_new ("House");
  g_autoptr(GError) error = NULL;
  AdmintStartOptions options = ADMINT_START_OPTIONS_INIT;
  g_autoptr(GPtrArray) gens = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *config;

  g_strfreev (style->palette);
  style->palette = g_strsplit ("#0a7e8c,#f2c14e", ",", -1);
  style->framework = g_strdup ("FAB");
  style->voice = g_strdup ("awb");
  style->is_default = TRUE;
  g_assert_cmpint (admint_store_save_style (store, style, &error), >, 0);
  g_assert_no_error (error);

  studio = admint_studio_new (store, &error);
  g_assert_no_error (error);
  g_assert_true (admint_studio_load_config (studio, NULL, &error));
  options.prompt = "A bottle that keeps water cold";
  gens = admint_studio_start (studio, &options, NULL, &error);
  g_assert_no_error (error);

  node = admint_store_get_generation (store, admint_generation_get_id (gens->pdata[0]), &error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "framework"),
                   ==, "FAB");
  g_clear_pointer (&node, json_node_unref);
  config = stored_config (store, admint_generation_get_id (gens->pdata[0]), &node);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "brand"),
                                                  "palette"), ==, "#0a7e8c,#f2c14e");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "brand"),
                                                  "style"), ==, "House");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (config, "providers"), "voice"), "voice"),
                   ==, "awb");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&gens, g_ptr_array_unref);

  /* No style: the config's default framework, and no palette. */
  options.style = "";
  g_assert_true (admint_studio_set (studio, "stages.story.framework", "PAS", &error));
  gens = admint_studio_start (studio, &options, NULL, &error);
  g_assert_no_error (error);
  node = admint_store_get_generation (store, admint_generation_get_id (gens->pdata[0]), &error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "framework"),
                   ==, "PAS");
  g_clear_pointer (&node, json_node_unref);
  config = stored_config (store, admint_generation_get_id (gens->pdata[0]), &node);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "brand"),
                                                  "palette"), ==, "");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&gens, g_ptr_array_unref);

  /* An unknown style is refused before anything is stored. */
  options.style = "Nope";
  g_assert_null (admint_studio_start (studio, &options, NULL, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“House”"));

  g_clear_object (&studio);
  g_assert_finalize_object (store);
}

static void
run_cli (const char * const *args,
         char              **out,
         char              **err,
         int                *status)
{
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  admint_test_run_cli (args, NULL, out, err, status);
}

#define CLI(...) run_cli ((const char *[]) { __VA_ARGS__, NULL }, &out, &err, &status)

/* admint styles: a one-colour logo's palette, --json, refusals with exit 2, the default, and
 * generate --style naming an unknown style. */
static void
test_cli (void)
{
  g_autofree char *logo = write_logo ("cli-logo.png");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *style;
  int status = -1;

  CLI ("assets", "add", "--type", "logo", "--json", logo);
  g_assert_cmpint (status, ==, 0);
  node = json_from_string (out, NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (
                                           json_array_get_object_element (
                                             json_node_get_array (node), 0), "id"));
  g_clear_pointer (&node, json_node_unref);

  CLI ("styles", "add", "Cli Style", "--logo", id, "--framework", "PAS", "--voice", "rms",
       "--default", "--json");
  g_assert_cmpint (status, ==, 0);
  node = json_from_string (out, NULL);
  style = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (style, "name"), ==, "Cli Style");
  g_assert_true (json_object_get_boolean_member (style, "default"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (style, "palette")), >=, 2);
  g_clear_pointer (&node, json_node_unref);

  CLI ("styles", "add", "Bad", "--palette", "#12,#ffee00");
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "“#12” is not a colour"));
  CLI ("styles", "add", "Cli Style");
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "exists already"));

  CLI ("styles", "add", "Plain", "--palette", "#112233");
  g_assert_cmpint (status, ==, 0);
  CLI ("styles", "default", "Plain");
  g_assert_cmpint (status, ==, 0);
  CLI ("styles", "list", "--json");
  g_assert_cmpint (status, ==, 0);
  node = json_from_string (out, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (json_node_get_array (node), i);
      g_assert_cmpint (json_object_get_boolean_member (o, "default"), ==,
                       g_str_equal (json_object_get_string_member (o, "name"), "Plain"));
    }
  g_clear_pointer (&node, json_node_unref);

  CLI ("generate", "--auto", "--style", "Nope", "An ad for a lamp");
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "no brand style “Nope”"));

  CLI ("styles", "remove", "Plain");
  g_assert_cmpint (status, ==, 0);
  CLI ("styles", "remove", "Plain");
  g_assert_cmpint (status, !=, 0);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/styles/check", test_check);
  g_test_add_func ("/styles/store", test_store);
  g_test_add_func ("/styles/logo-palette", test_logo_palette);
  g_test_add_func ("/styles/new-ad-uses-style", test_new_ad_uses_style);
  g_test_add_func ("/styles/cli", test_cli);
  return g_test_run ();
}
