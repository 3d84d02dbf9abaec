/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the scene and clip cards share: the ad's generation to act on, the budget question, and
 * an edit or a clip made again. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-chat-view.h"
#include "admint-error.h"
#include "admint-redo.h"
#include "admint-studio.h"
#include "admint-window.h"

/* id -> AdmintGeneration: stored ads loaded to act on. One object per ad, because the ad's lock
 * is held per object (a second load in this process would wait for the first). */
static GHashTable *loaded;
static AdwMessageDialog *budget_dialog;

typedef struct {
  gint              ref_count;
  GtkWindow        *window;
  AdmintChatView   *chat;
  AdmintStore      *store;
  char             *id;
  AdmintGeneration *gen;
  gboolean          was_live;
  int               index;
  char             *text;
  double            duration;
  AdmintRedoDone    done;
  gpointer          user_data;
} RedoOp;

static RedoOp *
redo_op_ref (RedoOp *op)
{
  op->ref_count++;
  return op;
}

static void
redo_op_unref (RedoOp *op)
{
  if (--op->ref_count > 0)
    return;
  g_clear_object (&op->window);
  g_clear_object (&op->chat);
  g_clear_object (&op->store);
  g_clear_object (&op->gen);
  g_free (op->id);
  g_free (op->text);
  g_free (op);
}

/* ERROR (not taken) or NULL: done. */
static void
finish (RedoOp *op,
        GError *error)
{
  if (op->done != NULL)
    op->done (error, op->user_data);
  op->done = NULL;
  redo_op_unref (op);
}

static AdmintGeneration *
generation_for (AdmintStore       *store,
                const char        *id,
                GError           **error)
{
  AdmintGeneration *gen = loaded ? g_hash_table_lookup (loaded, id) : NULL;

  if (gen != NULL)
    return g_object_ref (gen);
  g_autoptr(AdmintStudio) studio = admint_studio_new (store, error);
  if (studio == NULL || !admint_studio_load_config (studio, NULL, error))
    return NULL;
  /* With the settings it was made with, as `admint regenerate` does. */
  gen = admint_studio_resume (studio, id, ADMINT_GENERATION_AUTO, ADMINT_RESUME_STORED_SETTINGS,
                              error);
  if (gen == NULL)
    return NULL;
  if (loaded == NULL)
    loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_hash_table_insert (loaded, g_strdup (id), g_object_ref (gen));
  return gen;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  RedoOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean edit = op->text != NULL || op->duration >= 0;

  if (edit)
    admint_generation_edit_scene_finish (op->gen, result, &error);
  else
    admint_generation_regenerate_clip_finish (op->gen, result, &error);
  finish (op, error);
}

/* The chat view of this ad follows the loaded generation from now on, as if it ran here. */
static gboolean
follow_in_chat (gpointer user_data)
{
  RedoOp *op = user_data;

  if (g_strcmp0 (admint_chat_view_get_id (op->chat), op->id) == 0)
    admint_chat_view_show (op->chat, op->store, op->id, op->gen);
  return G_SOURCE_REMOVE;
}

static void
go (RedoOp          *op,
    AdmintRedoFlags  flags)
{
  if (op->text != NULL || op->duration >= 0)
    admint_generation_edit_scene_async (op->gen, op->index, op->text, op->duration, flags, NULL,
                                        on_done, op);
  else
    admint_generation_regenerate_clip_async (op->gen, op->index, flags, NULL, on_done, op);
  /* A stored ad runs again: its row in the sidebar follows the run (status, then the new
   * score), as it does for an ad made in this window. */
  if (!op->was_live && op->window != NULL && ADMINT_IS_WINDOW (op->window))
    admint_window_follow_generation (ADMINT_WINDOW (op->window), op->gen);
  if (!op->was_live && op->chat != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, follow_in_chat, redo_op_ref (op),
                     (GDestroyNotify) redo_op_unref);
}

static void
on_budget_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  RedoOp *op = user_data;

  budget_dialog = NULL;
  if (g_strcmp0 (response, "spend") == 0)
    go (op, ADMINT_REDO_FORCE);
  else
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("Not made again: it is over the "
                                                       "budget."));
      finish (op, error);
    }
}

static void
ask_budget (RedoOp *op,
            double  estimate,
            double  left)
{
  g_autofree char *body = g_strdup_printf (
    _("Making clip %d again is estimated at $%.2f, but this ad’s budget has $%.2f left. "
      "Spend past the budget?"), op->index + 1, estimate, MAX (0, left));
  GtkWidget *dialog = adw_message_dialog_new (op->window, _("Over the Budget"), body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "spend", _("_Spend Anyway"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "spend",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_budget_response), op);
  budget_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
admint_redo_start (GtkWidget        *parent,
                   AdmintStore      *store,
                   const char       *id,
                   AdmintGeneration *live,
                   int               index,
                   const char       *edit_text,
                   double            edit_duration,
                   AdmintRedoDone    done,
                   gpointer          user_data)
{
  RedoOp *op = g_new0 (RedoOp, 1);
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (parent);

  GtkWidget *chat = gtk_widget_get_ancestor (parent, ADMINT_TYPE_CHAT_VIEW);

  op->ref_count = 1;
  op->window = GTK_IS_WINDOW (root) ? g_object_ref (GTK_WINDOW (root)) : NULL;
  op->chat = chat ? g_object_ref (ADMINT_CHAT_VIEW (chat)) : NULL;
  op->store = g_object_ref (store);
  op->id = g_strdup (id);
  op->index = index;
  op->text = g_strdup (edit_text);
  op->duration = edit_duration;
  op->done = done;
  op->user_data = user_data;
  op->was_live = live != NULL;
  op->gen = live != NULL ? g_object_ref (live) : generation_for (store, id, &error);
  if (op->gen == NULL)
    {
      finish (op, error);
      return;
    }

  /* The budget question comes first, before anything is stored or spent. */
  double estimate = 0, left = 0;
  if (admint_generation_is_done (op->gen) && index >= 0 &&
      (guint) index < g_list_model_get_n_items (admint_generation_get_clips (op->gen)) &&
      !admint_generation_clip_fits_budget (op->gen, index, edit_duration, &estimate, &left))
    {
      ask_budget (op, estimate, left);
      return;
    }
  go (op, ADMINT_REDO_NONE);
}

AdwMessageDialog *
admint_redo_get_budget_dialog (void)
{
  return budget_dialog;
}
