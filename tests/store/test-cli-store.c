/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's commands: assets add/list/remove, history, show, delete, purge — exit codes and
 * --json shapes. */
#include "config.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-store.h"
#include "admint-test-util.h"

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_admint (Run                *r,
            const char * const *args)
{
  run_clear (r);
  admint_test_run_cli (args, NULL, &r->out, &r->err, &r->status);
}

#define RUN(r, ...) run_admint ((r), (const char *[]) { __VA_ARGS__, NULL })

/* stdout must be exactly one JSON document. */
static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
make_png (const char *name,
          int         size)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);
  char *path = g_build_filename (admint_test_get_root (), name, NULL);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff + size);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return path;
}

static void
test_assets (void)
{
  g_auto(Run) r = { 0 };
  g_autofree char *png = make_png ("cli-logo.png", 40);
  g_autofree char *text = g_build_filename (admint_test_get_root (), "notes.png", NULL);
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) empty = NULL;
  JsonObject *o;
  g_autofree char *id = NULL;
  const char *members[] = { "id", "sha256", "path", "kind", "mime", "width", "height", "tags" };

  g_assert_true (g_file_set_contents (text, "hello", -1, NULL));

  RUN (&r, "assets", "list", "--json");
  g_assert_cmpint (r.status, ==, 0);
  empty = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (empty)), ==, 0);

  RUN (&r, "assets", "add", png, "--type", "logo", "--tag", "brand", "--tag", "blue", "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  added = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (added)), ==, 1);
  o = json_array_get_object_element (json_node_get_array (added), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "logo");
  g_assert_false (json_object_get_boolean_member (o, "duplicate"));
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "id"));

  /* The same file again: a duplicate, still exit 0. */
  RUN (&r, "assets", "add", png, "--json");
  g_assert_cmpint (r.status, ==, 0);
  again = parse_json (r.out);
  g_assert_true (json_object_get_boolean_member (
    json_array_get_object_element (json_node_get_array (again), 0), "duplicate"));
  RUN (&r, "assets", "add", png);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "already in the library"));

  /* A text file named .png is bad input: exit 2, stderr names it, stdout still one document. */
  RUN (&r, "assets", "add", text, "--json");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, text));
  g_clear_pointer (&again, json_node_unref);
  again = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (again)), ==, 0);

  RUN (&r, "assets", "add", png, "--type", "poster");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "poster"));
  RUN (&r, "assets", "add");
  g_assert_cmpint (r.status, ==, 2);
  RUN (&r, "assets", "frobnicate");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "frobnicate"));
  RUN (&r, "assets");
  g_assert_cmpint (r.status, ==, 2);
  RUN (&r, "assets", "--help");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "assets add"));

  RUN (&r, "assets", "list", "--json");
  g_assert_cmpint (r.status, ==, 0);
  listed = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 1);
  o = json_array_get_object_element (json_node_get_array (listed), 0);
  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (o, members[i]));
  g_assert_cmpstr (json_object_get_string_member (o, "mime"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (o, "width"), ==, 40);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "tags")), ==, 2);

  RUN (&r, "assets", "list");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "KIND"));
  g_assert_nonnull (strstr (r.out, "cli-logo.png"));
  g_assert_nonnull (strstr (r.out, "40×40"));

  RUN (&r, "assets", "remove", "abc");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "abc"));
  RUN (&r, "assets", "remove", id);
  g_assert_cmpint (r.status, ==, 0);
  RUN (&r, "assets", "remove", id);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, id));
}

static void
test_history_show_delete (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *old = NULL, *fresh = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonObject *o;

  g_assert_no_error (error);
  old = admint_store_create_generation (store, "an older brief", "AIDA", NULL, NULL, &error);
  fresh = admint_store_create_generation (store, "30-second ad for an eco-friendly bottle",
                                          "PAS", NULL, NULL, &error);
  g_assert_true (admint_store_record_usage (store, "openai", "m", "chat", 1, 0.5, fresh, &error));
  g_assert_true (admint_store_set_final_video (store, fresh, "/tmp/v.mp4", 81, &error));
  g_assert_true (admint_store_update_generation_status (store, fresh, "completed", NULL, NULL,
                                                        &error));
  g_assert_cmpint (admint_store_add_clip_version (store, fresh, 0, "local", &error), ==, 1);
  g_assert_no_error (error);
  g_clear_object (&store);

  RUN (&r, "history", "--json");
  g_assert_cmpint (r.status, ==, 0);
  history = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history)), ==, 2);
  o = json_array_get_object_element (json_node_get_array (history), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, fresh);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "completed");
  g_assert_cmpfloat (json_object_get_double_member (o, "quality_score"), ==, 81);
  g_assert_cmpfloat (json_object_get_double_member (o, "cost_usd"), ==, 0.5);
  g_assert_true (json_object_has_member (o, "created"));
  g_assert_true (json_object_has_member (o, "prompt"));
  o = json_array_get_object_element (json_node_get_array (history), 1);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, old);
  g_assert_true (json_object_get_null_member (o, "quality_score"));

  RUN (&r, "history");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "STATUS"));
  g_assert_nonnull (strstr (r.out, fresh));
  g_assert_nonnull (strstr (r.out, "$0.50"));
  g_assert_true (strstr (r.out, fresh) < strstr (r.out, old));

  RUN (&r, "show", fresh, "--json");
  g_assert_cmpint (r.status, ==, 0);
  shown = parse_json (r.out);
  o = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, fresh);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "clips")), ==, 1);
  g_assert_true (json_object_has_member (o, "messages"));
  g_assert_true (json_object_has_member (o, "quality"));
  g_assert_true (json_object_has_member (o, "usage"));

  RUN (&r, "show", fresh);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "eco-friendly bottle"));
  g_assert_nonnull (strstr (r.out, "Clips:"));

  RUN (&r, "show", "no-such-id");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "no-such-id"));
  RUN (&r, "show");
  g_assert_cmpint (r.status, ==, 2);
  RUN (&r, "delete", "no-such-id");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no-such-id"));

  RUN (&r, "delete", old);
  g_assert_cmpint (r.status, ==, 0);
  RUN (&r, "history", "--json");
  g_clear_pointer (&history, json_node_unref);
  history = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history)), ==, 1);
  /* Soft-deleted: still shown by id until purged. */
  RUN (&r, "show", old, "--json");
  g_assert_cmpint (r.status, ==, 0);

  RUN (&r, "purge");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--yes"));
  g_assert_cmpstr (r.out, ==, "");
  RUN (&r, "purge", "--yes");
  g_assert_cmpint (r.status, ==, 0);
  RUN (&r, "show", fresh);
  g_assert_cmpint (r.status, ==, 2);
  RUN (&r, "history", "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (g_strstrip (r.out), ==, "[]");
  RUN (&r, "history");
  g_assert_nonnull (strstr (r.out, "No generations yet"));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/cli-store/assets", test_assets);
  g_test_add_func ("/cli-store/history-show-delete", test_history_show_delete);
  return g_test_run ();
}
