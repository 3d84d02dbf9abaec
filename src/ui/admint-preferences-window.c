/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: rows writing config keys through core, keys to the keyring, provider Tests. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "admint-ui-util.h"
#include "admint-config.h"
#include "admint-config-write.h"
#include "admint-keys.h"
#include "admint-preferences-window.h"
#include "admint-provider-check.h"
#include "admint-store-library.h"

#define PURGE_OLDER_THAN_DAYS 90

struct _AdmintPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwPreferencesGroup  *llm_group;
  AdwPreferencesGroup  *images_group;
  AdwPreferencesGroup  *video_group;
  AdwPreferencesGroup  *voice_group;
  AdwPreferencesGroup  *music_group;
  AdwPreferencesGroup  *keys_group;
  AdwPreferencesGroup  *generation_group;
  AdwPreferencesGroup  *quality_group;
  AdwActionRow         *size_row;
  GtkWidget            *purge_button;

  AdmintStore          *store;
  AdmintConfig         *config;
  GCancellable         *cancellable;
  GHashTable           *rows;        /* name -> row (borrowed) */
  GHashTable           *states;      /* widget (borrowed) -> WidgetState */
  GStrv                 frameworks;  /* the framework row's choices */
  gboolean              loading;
};

/* What the window knows about one of its rows or buttons. */
typedef struct
{
  char               *key;          /* the config key a row edits */
  char               *subtitle;     /* a row's subtitle when nothing is wrong */
  const char * const *choices;      /* a combo row's values (static) */
  GtkWidget          *error_label;  /* where an entry row's problem shows */
  GtkWidget          *spin;         /* a spin row's button */
  gboolean            pending;      /* a spin row's write is scheduled */
  GtkWidget          *row;          /* a Test button's row */
  char               *role;         /* a Test button's role */
  char               *service;      /* a key row's or Remove button's service */
} WidgetState;

static void
widget_state_free (WidgetState *state)
{
  g_free (state->key);
  g_free (state->subtitle);
  g_free (state->role);
  g_free (state->service);
  g_free (state);
}

/* The state of WIDGET, made on first use. */
static WidgetState *
state_of (AdmintPreferencesWindow *self,
          gpointer                 widget)
{
  WidgetState *state = g_hash_table_lookup (self->states, widget);

  if (state == NULL)
    {
      state = g_new0 (WidgetState, 1);
      g_hash_table_insert (self->states, widget, state);
    }
  return state;
}

G_DEFINE_FINAL_TYPE (AdmintPreferencesWindow, admint_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum { SIGNAL_SAVED, SIGNAL_REFUSED, SIGNAL_TESTED, SIGNAL_KEY_CHANGED, SIGNAL_STORAGE_CHANGED,
       N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const llm_providers[] = { "local", "openai", NULL };
static const char * const media_providers[] = { "local", "replicate", NULL };
static const char * const voice_providers[] = { "local", "openai", "none", NULL };
static const char * const music_providers[] = { "local", "replicate", "none", NULL };
static const char * const aspects[] = { "16:9", "9:16", "1:1", NULL };

/* ---- writing one key ---- */

static void
mark_row (AdmintPreferencesWindow *self,
          GtkWidget               *row,
          const char              *problem)
{
  WidgetState *state = state_of (self, row);
  const char *subtitle = state->subtitle;

  if (problem != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      problem, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_widget_set_tooltip_text (row, problem);
  /* The reason shows on the row itself: as its subtitle, or under an entry row. */
  if (ADW_IS_ACTION_ROW (row))
    {
      g_autofree char *escaped = problem ? g_markup_escape_text (problem, -1) : NULL;
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped ? escaped : subtitle);
    }
  else
    {
      GtkLabel *label = GTK_LABEL (state->error_label);
      if (label != NULL)
        {
          gtk_label_set_text (label, problem);
          gtk_widget_set_visible (GTK_WIDGET (label), problem != NULL);
        }
    }
}

typedef struct
{
  AdmintPreferencesWindow *self;
  GtkWidget               *row;
  char                    *key;
} WriteData;

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  WriteData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;
  g_autoptr(AdmintPreferencesWindow) self = data->self;
  g_autoptr(GtkWidget) row = data->row;
  g_autofree char *key = data->key;

  g_free (data);
  if (!admint_config_write_user_finish (result, &bad_key, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      mark_row (self, row, error->message);
      g_signal_emit (self, signals[SIGNAL_REFUSED], 0, key, error->message);
      return;
    }
  mark_row (self, row, NULL);
  g_clear_object (&self->config);
  self->config = admint_config_load (NULL, NULL);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, key);
}

static void
write_value (AdmintPreferencesWindow *self,
             GtkWidget               *row,
             const char              *value)
{
  const char *key = state_of (self, row)->key;
  const char *keys[] = { key, NULL };
  const char *values[] = { value, NULL };
  WriteData *data;

  if (self->loading)
    return;
  data = g_new0 (WriteData, 1);
  data->self = g_object_ref (self);
  data->row = g_object_ref (row);
  data->key = g_strdup (key);
  admint_config_write_user_async (keys, values, self->cancellable, on_written, data);
}

/* ---- rows for config keys ---- */

static void
remember (AdmintPreferencesWindow *self,
          const char              *name,
          GtkWidget               *row,
          const char              *subtitle)
{
  WidgetState *state = state_of (self, row);

  g_hash_table_insert (self->rows, g_strdup (name), row);
  g_free (state->key);
  state->key = g_strdup (name);
  g_free (state->subtitle);
  state->subtitle = g_strdup (subtitle);
}

static void
on_combo_changed (AdwComboRow             *row,
                  GParamSpec              *pspec,
                  AdmintPreferencesWindow *self)
{
  const char * const *choices = state_of (self, row)->choices;
  guint i = adw_combo_row_get_selected (row);

  if (i < g_strv_length ((char **) choices))
    write_value (self, GTK_WIDGET (row), choices[i]);
}

static GtkWidget *
add_combo (AdmintPreferencesWindow *self,
           AdwPreferencesGroup     *group,
           const char              *key,
           const char              *title,
           const char              *subtitle,
           const char * const      *choices)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new ((const char * const *) choices);
  const char *current = admint_config_get_string (self->config, key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  for (guint i = 0; choices[i] != NULL; i++)
    if (g_strcmp0 (choices[i], current) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  state_of (self, row)->choices = choices;
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_combo_changed), self);
  remember (self, key, row, subtitle);
  adw_preferences_group_add (group, row);
  return row;
}

static void
on_entry_apply (AdwEntryRow             *row,
                AdmintPreferencesWindow *self)
{
  write_value (self, GTK_WIDGET (row), gtk_editable_get_text (GTK_EDITABLE (row)));
}

static GtkWidget *
add_entry (AdmintPreferencesWindow *self,
           AdwPreferencesGroup     *group,
           const char              *key,
           const char              *title)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *error = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), admint_config_get_string (self->config, key));
  g_signal_connect (row, "apply", G_CALLBACK (on_entry_apply), self);
  remember (self, key, row, NULL);
  adw_preferences_group_add (group, row);

  /* An entry row has no subtitle: a refused value is explained right under it. */
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_set_visible (error, FALSE);
  gtk_widget_set_margin_start (error, 12);
  gtk_widget_set_margin_top (error, 6);
  gtk_widget_set_margin_bottom (error, 6);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  state_of (self, row)->error_label = error;
  g_hash_table_insert (self->rows, g_strdup_printf ("%s.error", key), error);
  adw_preferences_group_add (group, error);
  return row;
}

static gboolean
write_spin_later (gpointer user_data)
{
  GtkWidget *row = user_data;
  AdmintPreferencesWindow *self = ADMINT_PREFERENCES_WINDOW (gtk_widget_get_root (row));
  WidgetState *state;
  GtkSpinButton *spin;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (self == NULL || self->states == NULL)
    return G_SOURCE_REMOVE;
  state = state_of (self, row);
  state->pending = FALSE;
  spin = GTK_SPIN_BUTTON (state->spin);
  if (gtk_spin_button_get_digits (spin) == 0)
    g_snprintf (buffer, sizeof buffer, "%d", gtk_spin_button_get_value_as_int (spin));
  else
    g_ascii_formatd (buffer, sizeof buffer, "%.2f", gtk_spin_button_get_value (spin));
  write_value (self, row, buffer);
  return G_SOURCE_REMOVE;
}

static void
on_spin_changed (GtkSpinButton *spin,
                 GtkWidget     *row)
{
  AdmintPreferencesWindow *self = ADMINT_PREFERENCES_WINDOW (gtk_widget_get_root (row));

  if (self == NULL || self->loading)
    return;
  /* Arrow clicks come in bursts: write once they stop. */
  if (state_of (self, row)->pending)
    return;
  state_of (self, row)->pending = TRUE;
  g_timeout_add_full (G_PRIORITY_DEFAULT, 400, write_spin_later, g_object_ref (row),
                      g_object_unref);
}

static GtkWidget *
add_spin (AdmintPreferencesWindow *self,
          AdwPreferencesGroup     *group,
          const char              *key,
          const char              *title,
          const char              *subtitle,
          double                   min,
          double                   max,
          double                   step,
          guint                    digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             admint_config_get_double (self->config, key));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  state_of (self, row)->spin = spin;
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_changed), row);
  remember (self, key, row, subtitle);
  g_hash_table_insert (self->rows, g_strdup_printf ("%s.spin", key), spin);
  adw_preferences_group_add (group, row);
  return row;
}

/* ---- Test ---- */

typedef struct
{
  AdmintPreferencesWindow *self;
  GtkWidget               *row;
  GtkWidget               *button;
} TestData;

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TestData *data = user_data;
  g_autoptr(AdmintPreferencesWindow) self = data->self;
  g_autoptr(GtkWidget) row = data->row;
  g_autoptr(GtkWidget) button = data->button;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintProviderCheck) check = admint_provider_check_finish (result, &error);
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  g_free (data);
  if (check == NULL)
    return;
  gtk_widget_set_sensitive (button, TRUE);
  /* A role switched off has nothing to test: say what that means without calling it "Works". */
  if (check->ok && g_strcmp0 (check->provider, "none") == 0)
    text = g_strdup_printf (_("Switched off: %s"), g_str_has_prefix (check->message, "off: ")
                                                   ? check->message + strlen ("off: ")
                                                   : check->message);
  else
    text = check->ok ? g_strdup_printf (_("Works: %s"), check->message)
                     : g_strdup_printf (_("Failed (%s): %s"), check->problem, check->message);
  escaped = g_markup_escape_text (text, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  if (check->ok)
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_add_css_class (row, "success");
    }
  else
    {
      gtk_widget_remove_css_class (row, "success");
      gtk_widget_add_css_class (row, "error");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
  g_signal_emit (self, signals[SIGNAL_TESTED], 0, check->role, check->ok, check->message);
}

static void
on_test_clicked (GtkButton               *button,
                 AdmintPreferencesWindow *self)
{
  WidgetState *state = state_of (self, button);
  GtkWidget *row = state->row;
  const char *role = state->role;
  g_autofree char *provider_key = g_strdup_printf ("providers.%s.provider", role);
  g_autofree char *base_key = g_strdup_printf ("providers.%s.base_url", role);
  g_autofree char *model_key = g_strdup_printf ("providers.%s.model", role);
  AdwComboRow *provider_row = g_hash_table_lookup (self->rows, provider_key);
  const char * const *choices = state_of (self, provider_row)->choices;
  GtkEditable *base_row = g_hash_table_lookup (self->rows, base_key);
  GtkEditable *model_row = g_hash_table_lookup (self->rows, model_key);
  TestData *data = g_new0 (TestData, 1);

  /* What the rows show now, saved or not: the check is how one tries a value out. */
  data->self = g_object_ref (self);
  data->row = g_object_ref (row);
  data->button = g_object_ref (GTK_WIDGET (button));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Testing…"));
  admint_provider_check_async (role, choices[adw_combo_row_get_selected (provider_row)],
                               gtk_editable_get_text (base_row),
                               gtk_editable_get_text (model_row), self->cancellable, on_tested,
                               data);
}

static void
add_role (AdmintPreferencesWindow *self,
          AdwPreferencesGroup     *group,
          const char              *role,
          const char * const      *providers)
{
  g_autofree char *provider_key = g_strdup_printf ("providers.%s.provider", role);
  g_autofree char *base_key = g_strdup_printf ("providers.%s.base_url", role);
  g_autofree char *model_key = g_strdup_printf ("providers.%s.model", role);
  g_autofree char *test_name = g_strdup_printf ("test.%s", role);
  g_autofree char *button_name = g_strdup_printf (_("Test the %s provider"), role);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_("Test"));

  /* No subtitle: at 360 px it would squeeze the chosen provider's name. */
  add_combo (self, group, provider_key, _("Provider"), NULL, providers);
  add_entry (self, group, base_key, _("Base URL"));
  add_entry (self, group, model_key, _("Model"));
  if (g_str_equal (role, "voice"))
    {
      /* What is said and how fast, before the check of the connection. */
      add_entry (self, group, "providers.voice.voice", _("Voice"));
      add_spin (self, group, "providers.voice.speed", _("Speed"), _("1.0 is the voice's own pace"),
                0.5, 2.0, 0.05, 2);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Connection"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Checks the address, the key and the model, as “admint "
                                 "providers test” does; local is built in and needs neither"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_name, -1);
  state_of (self, button)->role = g_strdup (role);
  state_of (self, button)->row = row;
  g_signal_connect (button, "clicked", G_CALLBACK (on_test_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_hash_table_insert (self->rows, g_strdup (test_name), row);
  g_hash_table_insert (self->rows, g_strdup_printf ("%s.button", test_name), button);
  adw_preferences_group_add (group, row);
}

/* ---- keys ---- */

typedef struct
{
  AdmintPreferencesWindow *self;
  char                    *service;
} KeyData;

static KeyData *
key_data_new (AdmintPreferencesWindow *self,
              const char              *service)
{
  KeyData *data = g_new0 (KeyData, 1);

  data->self = g_object_ref (self);
  data->service = g_strdup (service);
  return data;
}

static void
key_data_free (KeyData *data)
{
  g_object_unref (data->self);
  g_free (data->service);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyData, key_data_free)

static void
show_key_state (AdmintPreferencesWindow *self,
                const char              *service,
                gboolean                 stored,
                const char              *problem)
{
  g_autofree char *entry_name = g_strdup_printf ("keys.%s", service);
  g_autofree char *stored_name = g_strdup_printf ("keys.%s.stored", service);
  GtkWidget *entry = g_hash_table_lookup (self->rows, entry_name);
  GtkWidget *stored_row = g_hash_table_lookup (self->rows, stored_name);

  gtk_widget_set_visible (entry, !stored);
  gtk_widget_set_visible (stored_row, stored);
  mark_row (self, entry, problem);
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KeyData) data = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = admint_keys_store_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_key_state (data->self, data->service, ok, ok ? NULL : error->message);
  if (ok)
    g_signal_emit (data->self, signals[SIGNAL_KEY_CHANGED], 0, data->service, TRUE);
}

static void
on_key_apply (AdwEntryRow             *row,
              AdmintPreferencesWindow *self)
{
  const char *service = state_of (self, row)->service;
  g_autofree char *secret = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*secret == '\0')
    {
      mark_row (self, GTK_WIDGET (row), _("Paste the key first."));
      return;
    }
  /* The text leaves the widget at once; only the keyring keeps it. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  admint_keys_store_async (service, secret, self->cancellable, on_key_stored,
                           key_data_new (self, service));
  memset (secret, 0, strlen (secret));
}

static void
on_key_cleared (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KeyData) data = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed = FALSE;

  if (!admint_keys_clear_finish (result, &removed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_key_state (data->self, data->service, TRUE, error->message);
      return;
    }
  show_key_state (data->self, data->service, FALSE, NULL);
  g_signal_emit (data->self, signals[SIGNAL_KEY_CHANGED], 0, data->service, FALSE);
}

static void
on_key_remove (GtkButton               *button,
               AdmintPreferencesWindow *self)
{
  const char *service = state_of (self, button)->service;

  admint_keys_clear_async (service, self->cancellable, on_key_cleared,
                           key_data_new (self, service));
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KeyData) data = user_data;
  g_autoptr(GError) error = NULL;
  AdmintKeySource from = ADMINT_KEY_SOURCE_NONE;
  g_autofree char *secret = admint_keys_lookup_finish (result, &from, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Only whether there is one matters here. */
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  show_key_state (data->self, data->service, secret != NULL, error ? error->message : NULL);
}

static void
add_key (AdmintPreferencesWindow *self,
         const char              *service,
         const char              *title)
{
  GtkWidget *entry = adw_password_entry_row_new ();
  GtkWidget *stored = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_with_label (_("Remove"));
  GtkWidget *error = gtk_label_new (NULL);
  g_autofree char *entry_name = g_strdup_printf ("keys.%s", service);
  g_autofree char *stored_name = g_strdup_printf ("keys.%s.stored", service);
  g_autofree char *remove_name = g_strdup_printf (_("Remove the %s"), title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  state_of (self, entry)->service = g_strdup (service);
  g_signal_connect (entry, "apply", G_CALLBACK (on_key_apply), self);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (stored), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (stored), _("Stored in the keyring"));
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_name, -1);
  state_of (self, remove)->service = g_strdup (service);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_key_remove), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (stored), remove);
  gtk_widget_set_visible (stored, FALSE);

  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_set_visible (error, FALSE);
  gtk_widget_set_margin_start (error, 12);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  state_of (self, entry)->error_label = error;

  g_hash_table_insert (self->rows, g_strdup (entry_name), entry);
  g_hash_table_insert (self->rows, g_strdup (stored_name), stored);
  adw_preferences_group_add (self->keys_group, entry);
  adw_preferences_group_add (self->keys_group, stored);
  adw_preferences_group_add (self->keys_group, error);
  admint_keys_lookup_keyring_async (service, self->cancellable, on_key_looked_up,
                                    key_data_new (self, service));
}

/* ---- storage ---- */

static void
on_size (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 bytes = admint_store_data_size_finish (ADMINT_STORE (source), result, &error);
  AdmintPreferencesWindow *self;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (bytes < 0)
    text = g_strdup (error->message);
  else
    {
      g_autofree char *size = g_format_size (bytes);
      g_autofree char *dir = g_path_get_dirname (admint_store_get_db_path (self->store));
      text = g_strdup_printf (_("%s in %s"), size, dir);
    }
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  adw_action_row_set_subtitle (self->size_row, escaped);
  g_signal_emit (self, signals[SIGNAL_STORAGE_CHANGED], 0, bytes);
}

static void
measure (AdmintPreferencesWindow *self)
{
  if (self->store != NULL)
    admint_store_data_size_async (self->store, self->cancellable, on_size, self);
}

static void
on_purged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 removed = admint_store_purge_generations_finish (ADMINT_STORE (source), result, &error);
  AdmintPreferencesWindow *self;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  gtk_widget_set_sensitive (self->purge_button, TRUE);
  text = removed < 0 ? g_strdup (error->message)
                     : g_strdup_printf (ngettext ("%lld ad removed", "%lld ads removed", removed),
                                        (long long) removed);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
  measure (self);
}

static void
on_purge_response (AdwMessageDialog        *dialog,
                   const char              *response,
                   AdmintPreferencesWindow *self)
{
  if (g_strcmp0 (response, "purge") != 0 || self->store == NULL)
    return;
  gtk_widget_set_sensitive (self->purge_button, FALSE);
  admint_store_purge_generations_async (self->store, PURGE_OLDER_THAN_DAYS, self->cancellable,
                                        on_purged, self);
}

void
admint_preferences_window_purge (AdmintPreferencesWindow *self)
{
  GtkWidget *dialog;

  g_return_if_fail (ADMINT_IS_PREFERENCES_WINDOW (self));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Purge Failed and Old Ads?"),
                                   _("The ads that failed or were cancelled or deleted, and those "
                                     "older than 90 days, are removed for good with their "
                                     "videos. Your assets stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "purge", _("_Purge"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "purge",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_purge_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the object ---- */

GtkWidget *
admint_preferences_window_get_row (AdmintPreferencesWindow *self,
                                   const char              *name)
{
  g_return_val_if_fail (ADMINT_IS_PREFERENCES_WINDOW (self), NULL);
  return g_hash_table_lookup (self->rows, name);
}

/* The frameworks the config knows (custom ones from YAML too), the current one kept even
 * when it is not among them so the row never shows another than the file says. */
static void
add_framework (AdmintPreferencesWindow *self)
{
  g_autoptr(GPtrArray) names = admint_config_list_frameworks (self->config);
  const char *current = admint_config_get_string (self->config, "stages.story.framework");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; names != NULL && i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  if (current != NULL && (names == NULL || !g_ptr_array_find_with_equal_func (
                            names, current, g_str_equal, NULL)))
    g_strv_builder_add (builder, current);
  self->frameworks = g_strv_builder_end (builder);
  add_combo (self, self->generation_group, "stages.story.framework", _("Default Framework"),
             _("How a new ad's story is built, when no brand style says"),
             (const char * const *) self->frameworks);
}

static void
build_rows (AdmintPreferencesWindow *self)
{
  self->loading = TRUE;
  add_role (self, self->llm_group, "llm", llm_providers);
  add_role (self, self->images_group, "images", media_providers);
  add_role (self, self->video_group, "video", media_providers);
  add_role (self, self->voice_group, "voice", voice_providers);
  add_role (self, self->music_group, "music", music_providers);

  add_key (self, "openai", _("OpenAI Key"));
  add_key (self, "replicate", _("Replicate Token"));

  add_spin (self, self->generation_group, "budget.max_usd_per_generation",
            _("Budget per Ad"), _("US dollars an ad may spend on paid services"), 0, 1000, 0.5, 2);
  add_spin (self, self->generation_group, "stages.clips.max_concurrent", _("Clips in Flight"),
            _("Clips made at the same time"), 1, 32, 1, 0);
  add_combo (self, self->generation_group, "video.aspect", _("Default Shape"),
             _("16:9 wide, 9:16 vertical, 1:1 square"), aspects);
  add_framework (self);
  add_spin (self, self->quality_group, "stages.story.quality_threshold", _("Story Threshold"),
            _("Critic score (0–10) a story needs"), 0, 10, 0.5, 1);
  add_spin (self, self->quality_group, "stages.scenes.quality_threshold", _("Scenes Threshold"),
            _("Critic score (0–10) the scenes need"), 0, 10, 0.5, 1);
  add_spin (self, self->quality_group, "quality.good", _("Good Video"),
            _("Quality score (0–100) called good"), 0, 100, 1, 0);
  add_spin (self, self->quality_group, "quality.acceptable", _("Acceptable Video"),
            _("Quality score (0–100) called acceptable; not above good"), 0, 100, 1, 0);
  self->loading = FALSE;
}

static void
admint_preferences_window_dispose (GObject *object)
{
  AdmintPreferencesWindow *self = ADMINT_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_pointer (&self->frameworks, g_strfreev);
  G_OBJECT_CLASS (admint_preferences_window_parent_class)->dispose (object);
}

static void
admint_preferences_window_class_init (AdmintPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_preferences_window_dispose;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_TESTED] =
    g_signal_new ("tested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
  signals[SIGNAL_KEY_CHANGED] =
    g_signal_new ("key-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_STORAGE_CHANGED] =
    g_signal_new ("storage-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/admint/AdMint/ui/admint-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, llm_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, images_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, video_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, voice_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, music_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, keys_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, generation_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, quality_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, size_row);
  gtk_widget_class_bind_template_child (widget_class, AdmintPreferencesWindow, purge_button);
  gtk_widget_class_bind_template_callback (widget_class, admint_preferences_window_purge);
}

static void
admint_preferences_window_init (AdmintPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->states = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) widget_state_free);
  self->config = admint_config_load (NULL, &error);
  if (self->config == NULL)
    {
      /* The rows still work from the defaults; writing will name what is wrong in the file. */
      g_warning ("The config has a problem: %s", error->message);
      self->config = admint_config_load_defaults ();
    }
  build_rows (self);
  admint_ui_name_decorations (GTK_WIDGET (self));
}

AdmintPreferencesWindow *
admint_preferences_window_new (GtkWindow   *parent,
                               AdmintStore *store)
{
  AdmintPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (store == NULL || ADMINT_IS_STORE (store), NULL);

  self = g_object_new (ADMINT_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  gtk_widget_set_sensitive (self->purge_button, store != NULL);
  measure (self);
  return self;
}
