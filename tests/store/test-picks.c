/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names, undone deletes and picked variants: the store calls and `admint pick`/`rename`. */
#include "config.h"

#include <string.h>

#include "admint-error.h"
#include "admint-store.h"
#include "admint-test-util.h"

static char *
run_cli (int                 expected_status,
         const char * const *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  admint_test_run_cli (args, NULL, &out, &err, &status);
  if (status != expected_status)
    g_error ("admint %s exited %d, not %d: %s%s", args[0], status, expected_status, out, err);
  return expected_status == 0 ? g_steal_pointer (&out) : g_steal_pointer (&err);
}

/* The line of TEXT that holds NEEDLE (a static copy), or NULL. */
static const char *
line_with (const char *text,
           const char *needle)
{
  static char line[512];
  const char *at = strstr (text, needle);
  const char *start, *end;

  if (at == NULL)
    return NULL;
  for (start = at; start > text && start[-1] != '\n'; start--)
    ;
  end = strchr (at, '\n');
  g_strlcpy (line, start, MIN (sizeof line, (gsize) ((end ? end : at + strlen (at)) - start) + 1));
  return line;
}

#define CLI(status, ...) run_cli ((status), (const char *[]) { __VA_ARGS__, NULL })

static AdmintGenerationRow *
find_row (AdmintStore *store,
          const char  *id)
{
  g_autoptr(GListModel) rows = admint_store_list_generations (store, 0, -1, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(AdmintGenerationRow) row = g_list_model_get_item (rows, i);
      if (g_str_equal (admint_generation_row_get_id (row), id))
        return g_steal_pointer (&row);
    }
  return NULL;
}

static void
test_rename_restore (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *id = NULL;
  g_autofree char *long_name = g_strnfill (121, 'x');
  g_autoptr(AdmintGenerationRow) row = NULL;
  g_autoptr(AdmintGenerationRow) gone = NULL;
  g_autoptr(AdmintGenerationRow) back = NULL;

  g_assert_no_error (error);
  id = admint_store_create_generation (store, "an ad for tea", "AIDA", NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (admint_store_rename_generation (store, id, "  Tea launch  ", &error));
  g_assert_no_error (error);
  row = find_row (store, id);
  g_assert_cmpstr (admint_generation_row_get_name (row), ==, "Tea launch");
  g_assert_null (admint_generation_row_get_group_id (row));
  g_assert_false (admint_generation_row_get_winner (row));

  g_assert_false (admint_store_rename_generation (store, id, long_name, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (admint_store_rename_generation (store, "no-such-ad", "x", &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleted, then the delete undone: it is back with its name. */
  g_assert_true (admint_store_soft_delete_generation (store, id, NULL));
  gone = find_row (store, id);
  g_assert_null (gone);
  g_assert_true (admint_store_restore_generation (store, id, &error));
  g_assert_no_error (error);
  back = find_row (store, id);
  g_assert_nonnull (back);
  g_assert_cmpstr (admint_generation_row_get_name (back), ==, "Tea launch");

  /* An empty name clears it. */
  g_assert_true (admint_store_rename_generation (store, id, "", NULL));
  g_clear_object (&back);
  back = find_row (store, id);
  g_assert_null (admint_generation_row_get_name (back));
}

static void
test_pick (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *a = admint_store_create_generation (store, "soap A", NULL, NULL, NULL, NULL);
  g_autofree char *b = admint_store_create_generation (store, "soap B", NULL, NULL, NULL, NULL);
  g_autofree char *single = admint_store_create_generation (store, "lone", NULL, NULL, NULL,
                                                            NULL);
  g_autofree char *group = admint_store_create_group (store, "soap", NULL);
  g_autofree char *picked = NULL;
  g_autofree char *again = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) members = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(AdmintGenerationRow) row_a = NULL;
  g_autoptr(AdmintGenerationRow) row_b = NULL;
  JsonArray *array;

  g_assert_nonnull (group);
  g_assert_true (admint_store_add_group_member (store, group, a, "A", NULL));
  g_assert_true (admint_store_add_group_member (store, group, b, "B", NULL));

  picked = admint_store_pick_winner (store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (picked, ==, group);
  row_a = find_row (store, a);
  row_b = find_row (store, b);
  g_assert_cmpstr (admint_generation_row_get_group_id (row_a), ==, group);
  g_assert_false (admint_generation_row_get_winner (row_a));
  g_assert_true (admint_generation_row_get_winner (row_b));
  g_assert_cmpstr (admint_generation_row_get_variant (row_b), ==, "B");

  members = admint_store_list_group_members (store, group, &error);
  g_assert_no_error (error);
  array = json_node_get_array (members);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (array, 0),
                                                  "winner"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array, 1),
                                                 "winner"));

  /* A single ad has nothing to be picked from. */
  g_assert_null (admint_store_pick_winner (store, single, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* The CLI: a new pick replaces the old one; history shows it. */
  g_clear_object (&store);
  out = CLI (0, "pick", a, "--json");
  listed = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (listed), "winner"), ==,
                   a);
  g_clear_pointer (&out, g_free);
  out = CLI (0, "history");
  g_assert_nonnull (line_with (out, "soap A"));
  g_assert_nonnull (strstr (line_with (out, "soap A"), "[winner]"));
  g_assert_null (strstr (line_with (out, "soap B"), "[winner]"));
  g_clear_pointer (&out, g_free);
  out = CLI (0, "history", "--json");
  g_assert_nonnull (strstr (out, "\"winner\" : true"));

  err = CLI (2, "pick", single);
  g_assert_nonnull (strstr (err, "--variants"));
  g_clear_pointer (&err, g_free);
  err = CLI (2, "pick");
  g_assert_nonnull (strstr (err, "one generation id"));
  g_clear_pointer (&err, g_free);

  g_clear_pointer (&out, g_free);
  out = CLI (0, "rename", b, "Soap, the blue one");
  g_clear_pointer (&out, g_free);
  out = CLI (0, "history");
  g_assert_nonnull (strstr (out, "Soap, the blue one"));
  g_clear_pointer (&err, g_free);
  err = CLI (2, "rename", b, "   ");
  g_assert_nonnull (strstr (err, "--clear"));
  g_clear_pointer (&out, g_free);
  out = CLI (0, "rename", b, "--clear");
  g_clear_pointer (&out, g_free);
  out = CLI (0, "history");
  g_assert_null (strstr (out, "Soap, the blue one"));
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);
  g_test_add_func ("/picks/rename-restore", test_rename_restore);
  g_test_add_func ("/picks/pick", test_pick);
  return g_test_run ();
}
