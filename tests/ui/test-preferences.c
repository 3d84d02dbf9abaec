/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: invalid values refused, good ones saved, keys stored and removed, Test (the
 * LLM, voice and music roles). */
#include "config.h"

#include <string.h>

#include "admint-config.h"
#include "admint-fake-ai.h"
#include "admint-keys.h"
#include "admint-paths.h"
#include "admint-preferences-window.h"
#include "admint-store.h"
#include "admint-test-gui.h"
#include "admint-test-util.h"
#include "ui-test-util.h"

typedef struct
{
  AdmintPreferencesWindow *window;
  char                    *saved;
  char                    *refused;
  char                    *tested;
  gboolean                 tested_ok;
  int                      key_events;
  gboolean                 key_stored;
  gboolean                 measured;
} Fixture;

static void
on_saved (AdmintPreferencesWindow *w,
          const char              *key,
          Fixture                 *f)
{
  g_free (f->saved);
  f->saved = g_strdup (key);
}

static void
on_refused (AdmintPreferencesWindow *w,
            const char              *key,
            const char              *message,
            Fixture                 *f)
{
  g_test_message ("refused %s: %s", key, message);
  g_free (f->refused);
  f->refused = g_strdup (key);
}

static void
on_tested (AdmintPreferencesWindow *w,
           const char              *role,
           gboolean                 ok,
           const char              *message,
           Fixture                 *f)
{
  g_test_message ("tested %s: %s %s", role, ok ? "ok" : "failed", message);
  g_free (f->tested);
  f->tested = g_strdup (message);
  f->tested_ok = ok;
}

static void
on_key_changed (AdmintPreferencesWindow *w,
                const char              *service,
                gboolean                 stored,
                Fixture                 *f)
{
  f->key_events++;
  f->key_stored = stored;
}

static void
on_storage (AdmintPreferencesWindow *w,
            gint64                   bytes,
            Fixture                 *f)
{
  g_assert_cmpint (bytes, >, 0);
  f->measured = TRUE;
}

static gboolean
has_answer (gpointer data)
{
  Fixture *f = data;
  return f->saved != NULL || f->refused != NULL;
}

static gboolean
has_test (gpointer data)
{
  return ((Fixture *) data)->tested != NULL;
}

static gboolean
has_key_event (gpointer data)
{
  return ((Fixture *) data)->key_events > 0;
}

/* Waits while the keyring writes. libsecret's file backend (the tests' keyring) loses GIO's
 * etag string on every write after the first, in a GIO callback with no libsecret frame:
 * tests/sanitizers/lsan.supp names this function for it. */
static void __attribute__ ((noinline))
wait_for_keyring_write (Fixture    *f,
                        const char *what)
{
  ui_test_wait (has_key_event, f, 10000, what);
  /* Not a tail call, so that this function keeps its frame in the stacks LSan reads. */
  g_assert_cmpint (f->key_events, >, 0);
}

static gboolean
measured (gpointer data)
{
  return ((Fixture *) data)->measured;
}

static void
reset (Fixture *f)
{
  g_clear_pointer (&f->saved, g_free);
  g_clear_pointer (&f->refused, g_free);
  g_clear_pointer (&f->tested, g_free);
  f->key_events = 0;
}

static GtkWidget *
row (Fixture    *f,
     const char *name)
{
  GtkWidget *widget = admint_preferences_window_get_row (f->window, name);
  g_assert_nonnull (widget);
  return widget;
}

static void
apply_text (Fixture    *f,
            const char *name,
            const char *text)
{
  reset (f);
  gtk_editable_set_text (GTK_EDITABLE (row (f, name)), text);
  g_signal_emit_by_name (row (f, name), "apply");
  ui_test_wait (has_answer, f, 10000, name);
}

static void
press_test (Fixture    *f,
            const char *role)
{
  g_autofree char *button_name = g_strdup_printf ("test.%s.button", role);
  GtkWidget *button = row (f, button_name);

  reset (f);
  g_signal_emit_by_name (button, "clicked");
  ui_test_wait (has_test, f, 30000, "the provider test");
}

static char *
read_config (void)
{
  g_autofree char *path = admint_paths_config_file ();
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static void
keep_at_bottom (GtkAdjustment *adjustment,
                gpointer       unused)
{
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
}

static void
test_preferences (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStore) store = admint_store_open (NULL, &error);
  g_autoptr(AdmintFakeAi) fake = admint_fake_ai_new (0, &error);
  const char *models[] = { "gpt-4o-mini", "gpt-4o", NULL };
  Fixture f = { 0 };

  g_assert_no_error (error);
  admint_fake_ai_set_api_key (fake, "sk-good-0123456789");
  admint_fake_ai_set_models (fake, models);

  f.window = admint_preferences_window_new (NULL, store);
  g_signal_connect (f.window, "saved", G_CALLBACK (on_saved), &f);
  g_signal_connect (f.window, "refused", G_CALLBACK (on_refused), &f);
  g_signal_connect (f.window, "tested", G_CALLBACK (on_tested), &f);
  g_signal_connect (f.window, "key-changed", G_CALLBACK (on_key_changed), &f);
  g_signal_connect (f.window, "storage-changed", G_CALLBACK (on_storage), &f);
  gtk_window_present (GTK_WINDOW (f.window));
  ui_test_wait (measured, &f, 10000, "the data folder's size");

  /* An address that is not a URL: refused on its row, and no config.yaml is written. */
  apply_text (&f, "providers.llm.base_url", "not a url");
  g_assert_cmpstr (f.refused, ==, "providers.llm.base_url");
  g_assert_true (gtk_widget_has_css_class (row (&f, "providers.llm.base_url"), "error"));
  GtkWidget *label = row (&f, "providers.llm.base_url.error");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_null (read_config ());

  /* The acceptable video score may not be above the good one: refused too. */
  reset (&f);
  GtkSpinButton *spin = GTK_SPIN_BUTTON (row (&f, "quality.acceptable.spin"));
  gtk_spin_button_set_value (spin, 95);
  ui_test_wait (has_answer, &f, 10000, "quality.acceptable");
  g_assert_cmpstr (f.refused, ==, "quality.acceptable");
  g_assert_null (read_config ());

  /* The fake server's address and the openai provider: saved, and the config reads them. */
  apply_text (&f, "providers.llm.base_url", admint_fake_ai_get_base_url (fake));
  g_assert_cmpstr (f.saved, ==, "providers.llm.base_url");
  g_assert_false (gtk_widget_has_css_class (row (&f, "providers.llm.base_url"), "error"));
  reset (&f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (&f, "providers.llm.provider")), 1);
  ui_test_wait (has_answer, &f, 10000, "providers.llm.provider");
  g_assert_cmpstr (f.saved, ==, "providers.llm.provider");
  reset (&f);
  spin = GTK_SPIN_BUTTON (row (&f, "budget.max_usd_per_generation.spin"));
  gtk_spin_button_set_value (spin, 2.5);
  ui_test_wait (has_answer, &f, 10000, "budget.max_usd_per_generation");
  g_assert_cmpstr (f.saved, ==, "budget.max_usd_per_generation");
  g_autoptr(AdmintConfig) config = admint_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_config_get_string (config, "providers.llm.base_url"), ==,
                   admint_fake_ai_get_base_url (fake));
  g_assert_cmpstr (admint_config_get_string (config, "providers.llm.provider"), ==, "openai");
  g_assert_cmpfloat (admint_config_get_double (config, "budget.max_usd_per_generation"), ==, 2.5);
  g_autofree char *text = read_config ();
  g_test_message ("config.yaml:\n%s", text);
  g_autofree char *config_path = admint_paths_config_file ();
  g_assert_true (admint_config_check_file (config_path, NULL));

  /* No key yet: the server refuses, and the verdict says so on the row. */
  press_test (&f, "llm");
  g_assert_false (f.tested_ok);

  /* A wrong key, stored through the row: the row then says it is stored, never the key. */
  reset (&f);
  GtkWidget *entry = row (&f, "keys.openai");
  gtk_editable_set_text (GTK_EDITABLE (entry), "sk-wrong-key");
  g_signal_emit_by_name (entry, "apply");
  wait_for_keyring_write (&f, "the key to be stored");
  g_assert_true (f.key_stored);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (entry));
  g_assert_true (gtk_widget_get_visible (row (&f, "keys.openai.stored")));
  AdmintKeySource source;
  g_autofree char *stored = admint_keys_lookup_sync ("openai", &source, &error);
  g_assert_cmpstr (stored, ==, "sk-wrong-key");
  g_assert_cmpint (source, ==, ADMINT_KEY_SOURCE_KEYRING);

  press_test (&f, "llm");
  g_assert_false (f.tested_ok);
  g_assert_true (gtk_widget_has_css_class (row (&f, "test.llm"), "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (&f, "test.llm"))),
                            "key_rejected"));

  /* Remove it: the entry comes back and the keyring is empty. */
  reset (&f);
  GtkWidget *remove = admint_test_find_widget (row (&f, "keys.openai.stored"), GTK_TYPE_BUTTON);
  g_signal_emit_by_name (remove, "clicked");
  wait_for_keyring_write (&f, "the key to be removed");
  g_assert_false (f.key_stored);
  g_assert_true (gtk_widget_get_visible (entry));
  g_autofree char *gone = admint_keys_lookup_sync ("openai", &source, &error);
  g_assert_null (gone);

  /* The right key: the test passes. */
  reset (&f);
  gtk_editable_set_text (GTK_EDITABLE (entry), "sk-good-0123456789");
  g_signal_emit_by_name (entry, "apply");
  wait_for_keyring_write (&f, "the good key");
  press_test (&f, "llm");
  g_assert_true (f.tested_ok);
  g_assert_true (gtk_widget_has_css_class (row (&f, "test.llm"), "success"));

  /* The voice role: a bad address refused on its row; none, a voice, a speed and the default
   * framework saved; Test says what none means. */
  apply_text (&f, "providers.voice.base_url", "ftp:/nowhere");
  g_assert_cmpstr (f.refused, ==, "providers.voice.base_url");
  apply_text (&f, "providers.voice.voice", "kal");
  g_assert_cmpstr (f.saved, ==, "providers.voice.voice");
  reset (&f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (&f, "providers.voice.provider")), 2);
  ui_test_wait (has_answer, &f, 10000, "providers.voice.provider");
  g_assert_cmpstr (f.saved, ==, "providers.voice.provider");
  reset (&f);
  spin = GTK_SPIN_BUTTON (row (&f, "providers.voice.speed.spin"));
  gtk_spin_button_set_value (spin, 1.25);
  ui_test_wait (has_answer, &f, 10000, "providers.voice.speed");
  g_assert_cmpstr (f.saved, ==, "providers.voice.speed");
  press_test (&f, "voice");
  g_assert_true (f.tested_ok);
  g_assert_nonnull (strstr (f.tested, "no voice-over"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (&f, "test.voice"))), ==,
                   "Switched off: the ads have no voice-over");
  {
    AdwComboRow *frameworks = ADW_COMBO_ROW (row (&f, "stages.story.framework"));
    GListModel *model = adw_combo_row_get_model (frameworks);
    guint pas = G_MAXUINT;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "PAS"))
        pas = i;
    g_assert_cmpuint (pas, !=, G_MAXUINT);
    reset (&f);
    adw_combo_row_set_selected (frameworks, pas);
    ui_test_wait (has_answer, &f, 10000, "stages.story.framework");
    g_assert_cmpstr (f.saved, ==, "stages.story.framework");
  }
  g_clear_object (&config);
  config = admint_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_config_get_string (config, "providers.voice.provider"), ==, "none");
  g_assert_cmpstr (admint_config_get_string (config, "providers.voice.voice"), ==, "kal");
  g_assert_cmpfloat (admint_config_get_double (config, "providers.voice.speed"), ==, 1.25);
  g_assert_cmpstr (admint_config_get_string (config, "stages.story.framework"), ==, "PAS");

  /* The music role (providers.music.*), after the voice's: none says what it means; replicate
   * with a model the service lacks fails, naming it; with the fake's music model it works. */
  g_assert_cmpstr (adw_preferences_row_get_title (
                     ADW_PREFERENCES_ROW (row (&f, "providers.music.provider"))), ==, "Provider");
  g_assert_cmpstr (adw_preferences_row_get_title (
                     ADW_PREFERENCES_ROW (row (&f, "providers.music.model"))), ==, "Model");
  g_assert_true (gtk_widget_is_ancestor (row (&f, "test.music.button"), row (&f, "test.music")));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (row (&f, "test.music.button"))), ==, "Test");
  reset (&f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (&f, "providers.music.provider")), 2);
  ui_test_wait (has_answer, &f, 10000, "providers.music.provider none");
  g_assert_cmpstr (f.saved, ==, "providers.music.provider");
  press_test (&f, "music");
  g_assert_true (f.tested_ok);
  g_assert_nonnull (strstr (f.tested, "no music bed"));

  g_setenv ("REPLICATE_API_TOKEN", "sk-good-0123456789", TRUE);
  admint_fake_ai_add_music_model (fake, "meta/musicgen");
  apply_text (&f, "providers.music.base_url", admint_fake_ai_get_base_url (fake));
  g_assert_cmpstr (f.saved, ==, "providers.music.base_url");
  reset (&f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (&f, "providers.music.provider")), 1);
  ui_test_wait (has_answer, &f, 10000, "providers.music.provider replicate");
  g_assert_cmpstr (f.saved, ==, "providers.music.provider");
  apply_text (&f, "providers.music.model", "");
  g_assert_cmpstr (f.refused, ==, "providers.music.model");
  apply_text (&f, "providers.music.model", "meta/no-such-music");
  g_assert_cmpstr (f.saved, ==, "providers.music.model");
  press_test (&f, "music");
  g_assert_false (f.tested_ok);
  g_assert_nonnull (strstr (f.tested, "meta/no-such-music"));
  g_assert_true (gtk_widget_has_css_class (row (&f, "test.music"), "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (&f, "test.music"))),
                            "model_not_found"));
  apply_text (&f, "providers.music.model", "meta/musicgen");
  g_assert_cmpstr (f.saved, ==, "providers.music.model");
  g_assert_false (gtk_widget_has_css_class (row (&f, "providers.music.model"), "error"));
  press_test (&f, "music");
  g_assert_true (f.tested_ok);
  g_assert_nonnull (strstr (f.tested, "meta/musicgen"));
  g_assert_true (gtk_widget_has_css_class (row (&f, "test.music"), "success"));
  g_unsetenv ("REPLICATE_API_TOKEN");
  g_clear_object (&config);
  config = admint_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (admint_config_get_string (config, "providers.music.provider"), ==, "replicate");
  g_assert_cmpstr (admint_config_get_string (config, "providers.music.model"), ==,
                   "meta/musicgen");
  g_assert_cmpstr (admint_config_get_string (config, "providers.music.base_url"), ==,
                   admint_fake_ai_get_base_url (fake));

  /* The refused values put right, so the pictures show the rows as a user leaves them. */
  apply_text (&f, "providers.voice.base_url", "https://api.openai.com/v1");
  g_assert_cmpstr (f.saved, ==, "providers.voice.base_url");
  reset (&f);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row (&f, "quality.acceptable.spin")), 60);
  ui_test_wait (has_answer, &f, 10000, "quality.acceptable back to 60");
  g_assert_cmpstr (f.saved, ==, "quality.acceptable");

  ui_test_screenshots_at (GTK_WINDOW (f.window), "preferences", 640, 720);
  /* The voice role, scrolled to as a keyboard user would; then the Ads page. */
  gtk_widget_grab_focus (row (&f, "providers.voice.speed.spin"));
  ui_test_screenshots_at (GTK_WINDOW (f.window), "preferences-voice", 640, 720);
  /* The music role, the last on the page: kept in view through the resizes of the pictures. */
  gtk_widget_grab_focus (row (&f, "test.music.button"));
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (row (&f, "test.music"),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
    gulong kept = g_signal_connect (adjustment, "changed", G_CALLBACK (keep_at_bottom), NULL);

    keep_at_bottom (adjustment, NULL);
    /* Back to the wide size first, so that its header's switcher has ended its fade when the
     * first (wide) picture is taken. */
    gtk_window_set_default_size (GTK_WINDOW (f.window), 640, 720);
    ui_test_wait_ms (1500);
    ui_test_screenshots_at (GTK_WINDOW (f.window), "preferences-music", 640, 720);
    g_signal_handler_disconnect (adjustment, kept);
  }
  adw_preferences_window_set_visible_page (
    ADW_PREFERENCES_WINDOW (f.window),
    ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (row (&f, "stages.story.framework"),
                                                   ADW_TYPE_PREFERENCES_PAGE)));
  ui_test_screenshots_at (GTK_WINDOW (f.window), "preferences-ads", 640, 720);
  gtk_window_destroy (GTK_WINDOW (f.window));
  reset (&f);
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/preferences/values-keys-test", test_preferences);
  return g_test_run ();
}
