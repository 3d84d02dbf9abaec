/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Export dialog: core's presets, a save dialog, progress with Cancel, clips to a folder. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "admint-export-dialog.h"
#include "admint-export.h"
#include "admint-stitch.h"

struct _AdmintExportDialog
{
  AdwWindow        parent_instance;

  GtkWidget       *export_button;
  GtkWidget       *clips_button;
  AdwComboRow     *preset_row;
  AdwComboRow     *captions_row;
  GtkWidget       *progress_group;
  GtkProgressBar  *progress;
  GtkLabel        *status_label;

  AdmintStore     *store;
  char            *generation_id;
  char            *video;
  char            *prompt;
  GPtrArray       *clips;
  GCancellable    *load_cancellable;
  GCancellable    *export_cancellable;
  gboolean         busy;

  char            *clips_dir;      /* the folder the clips are being exported to */
  char            *captions[3];    /* the stored captions by row: none, srt, vtt */
  char            *sidecar;        /* where the chosen captions go, during an export */
  GtkFileChooserNative *chooser;   /* the open save or folder chooser, if any */
  gboolean         chooser_clips;  /* whether the chooser picks a folder for the clips */
};

G_DEFINE_FINAL_TYPE (AdmintExportDialog, admint_export_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_EXPORTED, SIGNAL_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const AdmintMediaPreset *
selected_preset (AdmintExportDialog *self)
{
  guint n = 0;
  const AdmintMediaPreset *presets = admint_media_presets (&n);
  guint i = adw_combo_row_get_selected (self->preset_row);

  return i < n ? &presets[i] : &presets[0];
}

static void
show_status (AdmintExportDialog *self,
             const char         *text,
             gboolean            error)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_busy (AdmintExportDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->progress_group, busy);
  gtk_widget_set_sensitive (self->export_button, !busy && self->video != NULL);
  gtk_widget_set_sensitive (self->clips_button, !busy && self->clips != NULL &&
                                                self->clips->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->captions_row), !busy);
  gtk_progress_bar_set_fraction (self->progress, 0);
}

/* ---- loading the generation ---- */

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = admint_store_get_generation_finish (ADMINT_STORE (source), result,
                                                                &error);
  AdmintExportDialog *self;
  JsonObject *o;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (node == NULL)
    {
      show_status (self, error->message, TRUE);
      return;
    }
  o = json_node_get_object (node);
  if (json_object_has_member (o, "final_video_path") &&
      !json_object_get_null_member (o, "final_video_path"))
    self->video = g_strdup (json_object_get_string_member (o, "final_video_path"));
  self->prompt = g_strdup (json_object_get_string_member_with_default (o, "prompt", ""));
  self->clips = admint_export_clip_paths (o);
  /* The captions row appears once the ad has captions (the sound stage writes them). */
  if (self->video != NULL)
    {
      self->captions[1] = admint_export_captions_source (self->video, "srt", NULL);
      self->captions[2] = admint_export_captions_source (self->video, "vtt", NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->captions_row),
                          self->captions[1] != NULL || self->captions[2] != NULL);
  if (self->captions[1] != NULL || self->captions[2] != NULL)
    adw_combo_row_set_selected (self->captions_row, self->captions[1] != NULL ? 1 : 2);
  if (self->video == NULL)
    show_status (self, _("This ad has no finished video yet. Resume it and export it when it "
                         "is done."), TRUE);
  set_busy (self, FALSE);
}

gboolean
admint_export_dialog_is_ready (AdmintExportDialog *self)
{
  g_return_val_if_fail (ADMINT_IS_EXPORT_DIALOG (self), FALSE);
  return self->video != NULL;
}

gboolean
admint_export_dialog_set_preset (AdmintExportDialog *self,
                                 const char         *name)
{
  guint n = 0;
  const AdmintMediaPreset *presets = admint_media_presets (&n);

  g_return_val_if_fail (ADMINT_IS_EXPORT_DIALOG (self), FALSE);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (presets[i].name, name) == 0)
      {
        adw_combo_row_set_selected (self->preset_row, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
admint_export_dialog_is_busy (AdmintExportDialog *self)
{
  g_return_val_if_fail (ADMINT_IS_EXPORT_DIALOG (self), FALSE);
  return self->busy;
}

/* ---- the export ---- */

static void
on_progress (double   fraction,
             gpointer user_data)
{
  AdmintExportDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress, CLAMP (fraction, 0, 1));
}

static void
finish_export (AdmintExportDialog *self,
               const char         *path,
               const GError       *error)
{
  set_busy (self, FALSE);
  g_clear_object (&self->export_cancellable);
  if (error != NULL)
    {
      const char *text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                         ? _("Export cancelled; nothing was written.") : error->message;
      show_status (self, text, !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, text);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, path);
  gtk_window_close (GTK_WINDOW (self));
}

typedef struct
{
  AdmintExportDialog *self;
  char               *video;
} SidecarData;

static void
on_sidecar_copied (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SidecarData *data = user_data;
  g_autoptr(AdmintExportDialog) self = data->self;
  g_autofree char *video = data->video;
  g_autoptr(GError) error = NULL;

  g_free (data);
  g_clear_pointer (&self->sidecar, g_free);
  if (!g_file_copy_finish (G_FILE (source), result, &error))
    {
      /* The captions are part of what was asked for: without them, no half export stays. */
      g_autofree char *text = g_strdup_printf (_("Cannot write the captions beside the video: "
                                                 "%s. Choose a folder you can write to."),
                                               error->message);
      g_autoptr(GError) wrapped = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, text);
      g_unlink (video);
      finish_export (self, NULL, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                 ? error : wrapped);
      return;
    }
  finish_export (self, video, NULL);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AdmintExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintStitchResult) done = admint_media_export_finish (result, &error);

  if (done != NULL && self->sidecar != NULL)
    {
      guint row = adw_combo_row_get_selected (self->captions_row);
      g_autoptr(GFile) from = g_file_new_for_path (self->captions[row]);
      g_autoptr(GFile) to = g_file_new_for_path (self->sidecar);
      SidecarData *data = g_new0 (SidecarData, 1);

      data->self = g_steal_pointer (&self);
      data->video = g_strdup (done->output);
      g_file_copy_async (from, to, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                         data->self->export_cancellable, NULL, NULL, on_sidecar_copied, data);
      return;
    }
  g_clear_pointer (&self->sidecar, g_free);
  finish_export (self, done != NULL ? done->output : NULL, error);
}

const char *
admint_export_dialog_get_sidecar_format (AdmintExportDialog *self)
{
  static const char * const formats[] = { NULL, "srt", "vtt" };
  guint row;

  g_return_val_if_fail (ADMINT_IS_EXPORT_DIALOG (self), NULL);
  row = adw_combo_row_get_selected (self->captions_row);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->captions_row)) || row >= G_N_ELEMENTS (formats) ||
      self->captions[row] == NULL)
    return NULL;
  return formats[row];
}

gboolean
admint_export_dialog_set_sidecar_format (AdmintExportDialog *self,
                                         const char         *format)
{
  guint row = format == NULL ? 0 : g_str_equal (format, "srt") ? 1
              : g_str_equal (format, "vtt") ? 2 : 3;

  g_return_val_if_fail (ADMINT_IS_EXPORT_DIALOG (self), FALSE);
  if (row > 2 || (row > 0 && self->captions[row] == NULL))
    return FALSE;
  adw_combo_row_set_selected (self->captions_row, row);
  return TRUE;
}

void
admint_export_dialog_export_to (AdmintExportDialog *self,
                                const char         *path)
{
  const char *format;

  g_return_if_fail (ADMINT_IS_EXPORT_DIALOG (self));
  g_return_if_fail (path != NULL);

  if (self->busy || self->video == NULL)
    return;
  show_status (self, NULL, FALSE);
  set_busy (self, TRUE);
  self->export_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_text (self->progress, NULL);
  g_free (self->sidecar);
  format = admint_export_dialog_get_sidecar_format (self);
  self->sidecar = format != NULL ? admint_export_captions_path (path, format) : NULL;
  admint_media_export_async (self->video, path, selected_preset (self), self->export_cancellable,
                             on_progress, self, on_exported, g_object_ref (self));
}

static void
on_clips_exported (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AdmintExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *dir = self->clips_dir;

  if (admint_export_clips_finish (result, &error) < 0)
    finish_export (self, NULL, error);
  else
    finish_export (self, dir, NULL);
}

void
admint_export_dialog_export_clips_to (AdmintExportDialog *self,
                                      const char         *dir)
{
  g_return_if_fail (ADMINT_IS_EXPORT_DIALOG (self));
  g_return_if_fail (dir != NULL);

  if (self->busy || self->clips == NULL || self->clips->len == 0)
    return;
  show_status (self, NULL, FALSE);
  set_busy (self, TRUE);
  gtk_progress_bar_pulse (self->progress);
  self->export_cancellable = g_cancellable_new ();
  g_free (self->clips_dir);
  self->clips_dir = g_strdup (dir);
  admint_export_clips_async (self->clips, dir, self->export_cancellable, on_clips_exported,
                             g_object_ref (self));
}

void
admint_export_dialog_cancel (AdmintExportDialog *self)
{
  g_return_if_fail (ADMINT_IS_EXPORT_DIALOG (self));
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

/* ---- the choosers ---- */

static char *
suggested_name (AdmintExportDialog       *self,
                const AdmintMediaPreset  *preset)
{
  g_autofree char *words = g_strndup (self->prompt != NULL ? self->prompt : "", 40);
  GString *name = g_string_new (NULL);

  for (const char *p = words; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c))
        g_string_append_unichar (name, g_unichar_tolower (c));
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  while (name->len > 0 && name->str[name->len - 1] == '-')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_append (name, "ad");
  g_string_append_printf (name, "-%s.%s", preset->name,
                          preset->container == ADMINT_MEDIA_CONTAINER_WEBM ? "webm" : "mp4");
  return g_string_free (name, FALSE);
}

static void
on_save_response (GtkNativeDialog    *chooser,
                  int                 response,
                  AdmintExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      gboolean clips = self->chooser_clips;

      if (path == NULL)
        show_status (self, _("Choose a local folder: this one cannot be written directly."),
                     TRUE);
      else if (clips)
        admint_export_dialog_export_clips_to (self, path);
      else
        admint_export_dialog_export_to (self, path);
    }
  gtk_native_dialog_hide (chooser);
  g_clear_object (&self->chooser);
}

static void
open_chooser (AdmintExportDialog *self,
              gboolean            clips)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (clips ? _("Export the Clips to a Folder")
                                               : _("Export the Ad"),
                                         GTK_WINDOW (self),
                                         clips ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                               : GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  if (!clips)
    {
      g_autofree char *name = suggested_name (self, selected_preset (self));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser_clips = clips;
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), self);
  if (self->chooser != NULL)
    g_signal_handlers_disconnect_by_data (self->chooser, self);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_clicked (AdmintExportDialog *self)
{
  open_chooser (self, FALSE);
}

static void
on_clips_clicked (AdmintExportDialog *self)
{
  open_chooser (self, TRUE);
}

static void
on_close_clicked (AdmintExportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* The row says what the chosen preset makes. */
static void
on_preset_changed (AdmintExportDialog *self)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preset_row), selected_preset (self)->summary);
}

/* ---- the object ---- */

static gboolean
admint_export_dialog_close_request (GtkWindow *window)
{
  AdmintExportDialog *self = ADMINT_EXPORT_DIALOG (window);

  /* Closing mid-export cancels it: nothing half-written stays behind. */
  admint_export_dialog_cancel (self);
  g_cancellable_cancel (self->load_cancellable);
  return GTK_WINDOW_CLASS (admint_export_dialog_parent_class)->close_request (window);
}

static void
admint_export_dialog_dispose (GObject *object)
{
  AdmintExportDialog *self = ADMINT_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->load_cancellable);
  admint_export_dialog_cancel (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->generation_id, g_free);
  g_clear_pointer (&self->video, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  g_clear_pointer (&self->clips_dir, g_free);
  g_clear_pointer (&self->sidecar, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->captions); i++)
    g_clear_pointer (&self->captions[i], g_free);
  if (self->chooser != NULL)
    g_signal_handlers_disconnect_by_data (self->chooser, self);
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (admint_export_dialog_parent_class)->dispose (object);
}

static void
admint_export_dialog_class_init (AdmintExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = admint_export_dialog_dispose;
  window_class->close_request = admint_export_dialog_close_request;

  signals[SIGNAL_EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/admint/AdMint/ui/admint-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AdmintExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintExportDialog, clips_button);
  gtk_widget_class_bind_template_child (widget_class, AdmintExportDialog, preset_row);
  gtk_widget_class_bind_template_child (widget_class, AdmintExportDialog, captions_row);
  gtk_widget_class_bind_template_child (widget_class, AdmintExportDialog, progress_group);
  gtk_widget_class_bind_template_child (widget_class, AdmintExportDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, AdmintExportDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clips_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, admint_export_dialog_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
admint_export_dialog_init (AdmintExportDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = 0;
  const AdmintMediaPreset *presets = admint_media_presets (&n);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->load_cancellable = g_cancellable_new ();
  /* Core's presets, in core's order: web-1080p first, the default. */
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, presets[i].name);
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (names));
  g_signal_connect_object (self->preset_row, "notify::selected",
                           G_CALLBACK (on_preset_changed), self, G_CONNECT_SWAPPED);
  on_preset_changed (self);
}

AdmintExportDialog *
admint_export_dialog_new (GtkWindow   *parent,
                          AdmintStore *store,
                          const char  *generation_id)
{
  AdmintExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ADMINT_IS_STORE (store), NULL);
  g_return_val_if_fail (generation_id != NULL, NULL);

  self = g_object_new (ADMINT_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->generation_id = g_strdup (generation_id);
  admint_store_get_generation_async (store, generation_id, self->load_cancellable, on_loaded,
                                     self);
  return self;
}
