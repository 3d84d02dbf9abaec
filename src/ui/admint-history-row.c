/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One line of the ads sidebar: title, status, the winner badge, Compare and the row's menu. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-history-row.h"

struct _AdmintHistoryRow
{
  GtkWidget          parent_instance;

  AdmintHistoryItem *item;
  GtkWidget         *box;
  GtkWidget         *title;
  GtkWidget         *subtitle;
  GtkWidget         *badge;
  GtkWidget         *compare;
  GtkWidget         *menu_button;
  char              *synced;         /* the id, group and title the menu was made for */
};

G_DEFINE_FINAL_TYPE (AdmintHistoryRow, admint_history_row, GTK_TYPE_WIDGET)

static void sync_menu (AdmintHistoryRow *self);

/* The lines follow the item; the menu and the names only when the ad or its title changed
 * (the status line changes at every stage of a running ad: a new menu model makes the menu
 * button build a new popover). */
static void
sync_row (AdmintHistoryRow *self)
{
  AdmintHistoryItem *item = self->item;
  /* What the menu and the names depend on. */
  g_autofree char *key = item == NULL ? g_strdup ("")
                         : g_strdup_printf ("%s\n%s\n%s", admint_history_item_get_id (item),
                                            admint_history_item_get_group_id (item) ? "g" : "",
                                            admint_history_item_get_title (item));

  gtk_label_set_text (GTK_LABEL (self->subtitle),
                      item != NULL ? admint_history_item_get_subtitle (item) : "");
  gtk_widget_set_visible (self->badge, item != NULL && admint_history_item_get_winner (item));
  if (g_strcmp0 (self->synced, key) == 0)
    return;
  g_free (self->synced);
  self->synced = g_steal_pointer (&key);
  sync_menu (self);
}

static void
sync_menu (AdmintHistoryRow *self)
{
  AdmintHistoryItem *item = self->item;
  const char *id = item != NULL ? admint_history_item_get_id (item) : NULL;
  const char *title = item != NULL ? admint_history_item_get_title (item) : NULL;
  gboolean grouped = item != NULL && admint_history_item_get_group_id (item) != NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = NULL;
  g_autoptr(GMenuItem) remove = NULL;
  g_autofree char *menu_name = NULL;

  gtk_label_set_text (GTK_LABEL (self->title), title != NULL ? title : "");
  gtk_widget_set_tooltip_text (self->title, item != NULL ? admint_history_item_get_prompt (item)
                                                         : NULL);
  gtk_widget_set_visible (self->compare, grouped);
  if (id == NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->compare), NULL);
      return;
    }

  /* The target first: the action takes the ad's id. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->compare), "s", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->compare), "win.compare");
  if (grouped)
    {
      g_autoptr(GMenuItem) compare = g_menu_item_new (_("_Compare Variants"), NULL);
      g_menu_item_set_action_and_target (compare, "win.compare", "s", id);
      g_menu_append_item (menu, compare);
    }
  rename = g_menu_item_new (_("_Rename…"), NULL);
  g_menu_item_set_action_and_target (rename, "win.rename-ad", "s", id);
  g_menu_append_item (menu, rename);
  remove = g_menu_item_new (_("_Delete"), NULL);
  g_menu_item_set_action_and_target (remove, "win.delete-ad", "s", id);
  g_menu_append_item (menu, remove);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), G_MENU_MODEL (menu));

  /* Screen readers name the buttons after the ad they act on. */
  menu_name = g_strdup_printf (_("More for “%s”"), title != NULL ? title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_name, -1);
}

static void
admint_history_row_dispose (GObject *object)
{
  AdmintHistoryRow *self = ADMINT_HISTORY_ROW (object);

  admint_history_row_set_item (self, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->synced, g_free);
  G_OBJECT_CLASS (admint_history_row_parent_class)->dispose (object);
}

static void
admint_history_row_class_init (AdmintHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_history_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
admint_history_row_init (AdmintHistoryRow *self)
{
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_top (labels, 6);
  gtk_widget_set_margin_bottom (labels, 6);
  gtk_widget_set_hexpand (labels, TRUE);

  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->title), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (self->title), TRUE);
  gtk_widget_set_hexpand (self->title, TRUE);
  /* The badge beside the title: the status line under it stays whole. */
  GtkWidget *first = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (first), self->title);
  gtk_box_append (GTK_BOX (labels), first);

  self->badge = gtk_label_new (_("Winner"));
  gtk_widget_add_css_class (self->badge, "winner-badge");
  gtk_widget_add_css_class (self->badge, "caption");
  gtk_widget_set_tooltip_text (self->badge, _("Picked as the best of its variants"));
  gtk_widget_set_valign (self->badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (first), self->badge);
  self->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->subtitle), PANGO_ELLIPSIZE_END);
  /* "Variant C · Completed · score 80" does not fit the sidebar on one line. */
  gtk_label_set_wrap (GTK_LABEL (self->subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (self->subtitle), 2);
  gtk_widget_add_css_class (self->subtitle, "caption");
  gtk_widget_add_css_class (self->subtitle, "dim-label");
  gtk_box_append (GTK_BOX (labels), self->subtitle);
  gtk_box_append (GTK_BOX (self->box), labels);

  self->compare = gtk_button_new_from_icon_name ("view-dual-symbolic");
  gtk_widget_set_tooltip_text (self->compare, _("Compare the variants side by side"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->compare), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Compare Variants"), -1);
  gtk_widget_add_css_class (self->compare, "flat");
  gtk_widget_set_valign (self->compare, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), self->compare);

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (self->menu_button, _("Rename or delete this ad"));
  gtk_widget_add_css_class (self->menu_button, "flat");
  gtk_widget_set_valign (self->menu_button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), self->menu_button);
  sync_row (self);
}

GtkWidget *
admint_history_row_new (void)
{
  return g_object_new (ADMINT_TYPE_HISTORY_ROW, NULL);
}

AdmintHistoryItem *
admint_history_row_get_item (AdmintHistoryRow *self)
{
  g_return_val_if_fail (ADMINT_IS_HISTORY_ROW (self), NULL);
  return self->item;
}

void
admint_history_row_set_item (AdmintHistoryRow  *self,
                             AdmintHistoryItem *item)
{
  g_return_if_fail (ADMINT_IS_HISTORY_ROW (self));
  g_return_if_fail (item == NULL || ADMINT_IS_HISTORY_ITEM (item));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      g_signal_connect_object (item, "notify::title", G_CALLBACK (sync_row), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (item, "notify::subtitle", G_CALLBACK (sync_row), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (item, "notify::winner", G_CALLBACK (sync_row), self,
                               G_CONNECT_SWAPPED);
    }
  sync_row (self);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  gtk_list_item_set_child (list_item, admint_history_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  admint_history_row_set_item (ADMINT_HISTORY_ROW (gtk_list_item_get_child (list_item)),
                               gtk_list_item_get_item (list_item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item)
{
  admint_history_row_set_item (ADMINT_HISTORY_ROW (gtk_list_item_get_child (list_item)), NULL);
}

GtkListItemFactory *
admint_history_row_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  return factory;
}
