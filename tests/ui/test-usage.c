/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Usage page: spend by provider in the chart's text, each ad's cost, the totals. */
#include "config.h"

#include <string.h>

#include "admint-store.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "admint-usage-page.h"
#include "ui-test-util.h"

static gboolean
refreshed (gpointer data)
{
  return GPOINTER_TO_INT (g_object_get_data (data, "refreshed")) > 0;
}

static void
on_refreshed (AdmintUsagePage *page)
{
  int n = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), "refreshed"));
  g_object_set_data (G_OBJECT (page), "refreshed", GINT_TO_POINTER (n + 1));
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

static void
on_export_requested (AdmintUsagePage *page,
                     const char      *id,
                     char           **out)
{
  *out = g_strdup (id);
}

static void
test_spend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autofree char *cheap = NULL, *dear = NULL, *exported = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  AdmintUsagePage *page = admint_usage_page_new ();
  g_autofree char *video = g_build_filename (admint_test_get_root (), "final.mp4", NULL);

  g_assert_no_error (error);
  cheap = admint_store_create_generation (store, "6-second ad for tea", "AIDA", NULL, NULL,
                                          &error);
  g_assert_no_error (error);
  dear = admint_store_create_generation (store, "30-second ad for a kayak", "PAS", NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_true (admint_store_record_usage (store, "openai", "gpt-4o-mini", "chat", 1000, 0.40,
                                            cheap, &error));
  g_assert_true (admint_store_record_usage (store, "replicate", "google/veo-3", "video", 15, 6.00,
                                            dear, &error));
  g_assert_true (admint_store_record_usage (store, "replicate", "google/nano-banana-pro",
                                            "image", 1, 0.04, dear, &error));
  g_assert_true (g_file_set_contents (video, "not really a video", -1, NULL));
  g_assert_true (admint_store_set_final_video (store, cheap, video, 71, &error));
  g_assert_true (admint_store_update_generation_status (store, cheap, "completed", NULL, NULL,
                                                        &error));

  g_signal_connect (page, "refreshed", G_CALLBACK (on_refreshed), NULL);
  g_signal_connect (page, "export-requested", G_CALLBACK (on_export_requested), &exported);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  admint_usage_page_set_store (page, store);
  ui_test_wait (refreshed, page, 10000, "the usage report");

  /* The chart's figures as text: today's spend by provider. */
  const char *summary = admint_usage_page_get_summary (page);
  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, "openai $0.40"));
  g_assert_nonnull (strstr (summary, "replicate $6.04"));

  /* The totals, and the one ad over the $5 budget. */
  g_assert_nonnull (admint_test_find_widget_by (GTK_WIDGET (page), is_label_with, "$6.44",
                                                FALSE));
  g_assert_nonnull (admint_test_find_widget_by (GTK_WIDGET (page), is_label_with,
                                                "1 ad went over it", FALSE));
  /* Each ad with its cost and quality; the finished one can be exported from here. */
  g_assert_nonnull (admint_test_find_widget_by (GTK_WIDGET (page), is_label_with,
                                                "$0.40 · quality 71", TRUE));
  g_assert_nonnull (admint_test_find_widget_by (GTK_WIDGET (page), is_label_with,
                                                "over the $5.00 budget", TRUE));
  GtkWidget *button = admint_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_BOX);
  button = admint_test_find_widget (button, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (exported, ==, cheap);

  ui_test_screenshots (window, "usage");
  gtk_window_destroy (window);
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/usage/spend", test_spend);
  return g_test_run ();
}
