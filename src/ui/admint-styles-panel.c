/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Library's brand styles: one expander row a style, edited in place and saved by core. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "admint-config.h"
#include "admint-styles-panel.h"

struct _AdmintStylesPanel
{
  GtkBox               parent_instance;

  AdwPreferencesGroup *group;
  GtkWidget           *empty_label;
  AdmintStore         *store;
  GListModel          *assets;
  GCancellable        *cancellable;
  GPtrArray           *styles;      /* AdmintBrandStyle as stored */
  GPtrArray           *editors;     /* StyleEditor, one a style */
  GStrv                frameworks;
  guint                busy;
};

G_DEFINE_FINAL_TYPE (AdmintStylesPanel, admint_styles_panel, GTK_TYPE_BOX)

enum { SIGNAL_CHANGED, SIGNAL_TOAST, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The edits of one style, until Save. */
typedef struct
{
  AdmintStylesPanel *panel;
  AdmintBrandStyle  *style;      /* a working copy */
  GArray            *logo_ids;   /* gint64 by logo row position; 0: none */
  GArray            *music_ids;
  GtkWidget         *row;
  GtkWidget         *swatch;
  GtkWidget         *name;
  GtkWidget         *colours;
  GtkWidget         *logo;
  GtkWidget         *framework;
  GtkWidget         *voice;
  GtkWidget         *music;
  GtkWidget         *is_default;
  GtkWidget         *from_logo;
  GtkWidget         *save;
  GtkWidget         *delete;
} StyleEditor;

static void
style_editor_free (StyleEditor *editor)
{
  admint_brand_style_free (editor->style);
  g_array_unref (editor->logo_ids);
  g_array_unref (editor->music_ids);
  g_free (editor);
}

static void
toast (AdmintStylesPanel *self,
       const char        *text)
{
  AdwToast *t = adw_toast_new (text);

  g_signal_emit (self, signals[SIGNAL_TOAST], 0, t);
  g_object_unref (g_object_ref_sink (t));
}

static void reload (AdmintStylesPanel *self);

/* ---- the palette ---- */

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  StyleEditor *editor = user_data;
  guint n = g_strv_length (editor->style->palette);

  for (guint i = 0; i < n; i++)
    {
      GdkRGBA rgba;
      if (!gdk_rgba_parse (&rgba, editor->style->palette[i]))
        continue;
      gdk_cairo_set_source_rgba (cr, &rgba);
      cairo_rectangle (cr, (double) width * i / n, 0, (double) width / n + 0.5, height);
      cairo_fill (cr);
    }
}

static char *
rgba_to_hex (const GdkRGBA *rgba)
{
  return g_strdup_printf ("#%02x%02x%02x", (int) (CLAMP (rgba->red, 0, 1) * 255 + 0.5),
                          (int) (CLAMP (rgba->green, 0, 1) * 255 + 0.5),
                          (int) (CLAMP (rgba->blue, 0, 1) * 255 + 0.5));
}

static void
set_colour (StyleEditor *editor,
            guint        i,
            const char  *colour)
{
  guint n = g_strv_length (editor->style->palette);

  if (i >= n)
    {
      if (n >= ADMINT_STYLE_MAX_COLOURS)
        return;
      editor->style->palette = g_renew (char *, editor->style->palette, n + 2);
      editor->style->palette[n] = g_strdup (colour);
      editor->style->palette[n + 1] = NULL;
    }
  else
    {
      g_free (editor->style->palette[i]);
      editor->style->palette[i] = g_strdup (colour);
    }
  gtk_widget_queue_draw (editor->swatch);
}

static void
on_colour_set (GtkColorButton *button,
               StyleEditor    *editor)
{
  GdkRGBA rgba;
  g_autofree char *hex = NULL;
  /* The buttons sit in the flow box in palette order. */
  guint i = gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (
    gtk_widget_get_parent (GTK_WIDGET (button))));

  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (button), &rgba);
  hex = rgba_to_hex (&rgba);
  set_colour (editor, i, hex);
}

static void fill_colours (StyleEditor *editor);

static void
on_add_colour (GtkButton   *button,
               StyleEditor *editor)
{
  guint n = g_strv_length (editor->style->palette);

  set_colour (editor, n, n > 0 ? editor->style->palette[n - 1] : "#808080");
  fill_colours (editor);
}

/* One colour button a colour (GtkColorButton: GTK 4.8 has no GtkColorDialogButton), then +. */
static void
fill_colours (StyleEditor *editor)
{
  GtkWidget *child;
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");

  while ((child = gtk_widget_get_first_child (editor->colours)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (editor->colours), child);
  for (guint i = 0; editor->style->palette[i] != NULL; i++)
    {
      GdkRGBA rgba;
      GtkWidget *button;
      g_autofree char *label = g_strdup_printf (_("Colour %u, %s"), i + 1,
                                                editor->style->palette[i]);

      if (!gdk_rgba_parse (&rgba, editor->style->palette[i]))
        continue;
      button = gtk_color_button_new_with_rgba (&rgba);
      gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (button), FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_signal_connect (button, "color-set", G_CALLBACK (on_colour_set), editor);
      gtk_flow_box_append (GTK_FLOW_BOX (editor->colours), button);
    }
  gtk_widget_set_tooltip_text (add, _("Add a colour"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Add a Colour"), -1);
  gtk_widget_set_sensitive (add, g_strv_length (editor->style->palette) < ADMINT_STYLE_MAX_COLOURS);
  g_signal_connect (add, "clicked", G_CALLBACK (on_add_colour), editor);
  gtk_flow_box_append (GTK_FLOW_BOX (editor->colours), add);
}

/* ---- saving ---- */

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintBrandStyle) saved = admint_store_save_style_finish (ADMINT_STORE (source),
                                                                      result, &error);
  AdmintStylesPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->busy--;
  if (saved == NULL)
    {
      toast (self, error->message);
      return;
    }
  reload (self);
}

static gint64
chosen_id (GtkWidget *combo,
           GArray    *ids)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (combo));
  return i < ids->len ? g_array_index (ids, gint64, i) : 0;
}

static void
save_editor (StyleEditor *editor,
             gboolean     extract)
{
  AdmintStylesPanel *self = editor->panel;
  AdmintBrandStyle *style = editor->style;
  guint fw = adw_combo_row_get_selected (ADW_COMBO_ROW (editor->framework));
  const char *voice = gtk_editable_get_text (GTK_EDITABLE (editor->voice));
  g_autoptr(GError) error = NULL;

  g_free (style->name);
  style->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editor->name))));
  g_free (style->framework);
  style->framework = fw > 0 && fw <= g_strv_length (self->frameworks)
                     ? g_strdup (self->frameworks[fw - 1]) : NULL;
  g_free (style->voice);
  style->voice = *voice != '\0' ? g_strstrip (g_strdup (voice)) : NULL;
  style->logo_asset_id = chosen_id (editor->logo, editor->logo_ids);
  style->music_asset_id = chosen_id (editor->music, editor->music_ids);
  style->is_default = gtk_switch_get_active (GTK_SWITCH (editor->is_default));
  /* Checked here too, so a bad name is said at once, on the row. */
  if (!admint_brand_style_check (style, &error))
    {
      gtk_widget_add_css_class (editor->name, "error");
      toast (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (editor->name, "error");
  if (extract && style->logo_asset_id <= 0)
    {
      toast (self, _("Choose the style's logo first: its colours become the palette."));
      return;
    }
  self->busy++;
  admint_store_save_style_async (self->store, style, extract, self->cancellable, on_saved, self);
}

static void
on_save_clicked (GtkButton   *button,
                 StyleEditor *editor)
{
  save_editor (editor, FALSE);
}

static void
on_from_logo_clicked (GtkButton   *button,
                      StyleEditor *editor)
{
  save_editor (editor, TRUE);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = admint_store_delete_style_finish (ADMINT_STORE (source), result, &error);
  AdmintStylesPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->busy--;
  if (!ok)
    toast (self, error->message);
  reload (self);
}

static void
on_delete_clicked (GtkButton   *button,
                   StyleEditor *editor)
{
  AdmintStylesPanel *self = editor->panel;

  self->busy++;
  admint_store_delete_style_async (self->store, editor->style->id, self->cancellable, on_deleted,
                                   self);
}

/* ---- one style's rows ---- */

static GtkWidget *
asset_combo (StyleEditor *editor,
             const char  *title,
             const char  *kind,
             gint64       current,
             GArray      *ids)
{
  AdmintStylesPanel *self = editor->panel;
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = self->assets != NULL ? g_list_model_get_n_items (self->assets) : 0;
  gint64 none = 0;

  gtk_string_list_append (names, _("None"));
  g_array_append_val (ids, none);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdmintAssetRow) asset = g_list_model_get_item (self->assets, i);
      gint64 id = admint_asset_row_get_id (asset);

      if (g_strcmp0 (admint_asset_row_get_kind (asset), kind) != 0)
        continue;
      gtk_string_list_append (names, admint_asset_row_get_original_name (asset));
      g_array_append_val (ids, id);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == current)
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  return row;
}

static char *
describe (AdmintBrandStyle *style)
{
  guint n = g_strv_length (style->palette);
  g_autofree char *colours = g_strdup_printf (ngettext ("%u colour", "%u colours", n), n);

  g_autofree char *voice = style->voice != NULL ? g_strdup_printf (_(" · voice %s"), style->voice)
                                                : g_strdup ("");

  return g_strdup_printf ("%s%s · %s%s", style->is_default ? _("Default for new ads · ") : "",
                          style->framework != NULL ? style->framework : _("default framework"),
                          colours, voice);
}

static GtkWidget *
button_row_button (const char *label,
                   const char *css)
{
  /* Plain labels: GTK 4.8 reads a mnemonic label's underscore into the accessible name. */
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (css != NULL)
    gtk_widget_add_css_class (button, css);
  return button;
}

static void
on_name_changed (GtkEditable *name)
{
  gtk_widget_remove_css_class (GTK_WIDGET (name), "error");
}

static StyleEditor *
build_editor (AdmintStylesPanel *self,
              AdmintBrandStyle  *stored)
{
  StyleEditor *editor = g_new0 (StyleEditor, 1);
  g_autoptr(GtkStringList) frameworks = gtk_string_list_new (NULL);
  g_autofree char *subtitle = NULL;
  GtkWidget *colours_row, *default_row, *actions, *box;

  editor->panel = self;
  editor->style = admint_brand_style_copy (stored);
  editor->logo_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  editor->music_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  editor->row = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), stored->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (editor->row), FALSE);
  subtitle = describe (stored);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), subtitle);
  editor->swatch = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (editor->swatch), 40);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (editor->swatch), 20);
  gtk_widget_set_valign (editor->swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (editor->swatch), draw_swatch, editor, NULL);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (editor->row), editor->swatch);

  editor->name = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->name), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (editor->name), stored->name);
  g_signal_connect (editor->name, "changed", G_CALLBACK (on_name_changed), NULL);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), editor->name);

  editor->logo = asset_combo (editor, _("Logo"), "logo", stored->logo_asset_id, editor->logo_ids);
  editor->from_logo = button_row_button (_("From Logo"), NULL);
  gtk_widget_set_tooltip_text (editor->from_logo, _("Take the palette from the logo's colours"));
  g_signal_connect (editor->from_logo, "clicked", G_CALLBACK (on_from_logo_clicked), editor);
  adw_action_row_add_suffix (ADW_ACTION_ROW (editor->logo), editor->from_logo);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), editor->logo);

  /* The colours wrap at narrow widths, so they sit in a row of their own. */
  colours_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (colours_row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_box_append (GTK_BOX (box), g_object_new (GTK_TYPE_LABEL, "label", _("Palette"),
                                               "xalign", 0.0, NULL));
  editor->colours = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (editor->colours), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (editor->colours), 9);
  gtk_accessible_update_property (GTK_ACCESSIBLE (editor->colours), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Palette"), -1);
  gtk_box_append (GTK_BOX (box), editor->colours);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (colours_row), box);
  fill_colours (editor);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), colours_row);

  editor->framework = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->framework), _("Framework"));
  gtk_string_list_append (frameworks, _("The default"));
  for (guint i = 0; self->frameworks[i] != NULL; i++)
    gtk_string_list_append (frameworks, self->frameworks[i]);
  adw_combo_row_set_model (ADW_COMBO_ROW (editor->framework), G_LIST_MODEL (frameworks));
  for (guint i = 0; self->frameworks[i] != NULL; i++)
    if (g_strcmp0 (stored->framework, self->frameworks[i]) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (editor->framework), i + 1);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), editor->framework);

  editor->voice = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->voice),
                                 _("Voice (empty: the default)"));
  gtk_editable_set_text (GTK_EDITABLE (editor->voice), stored->voice ? stored->voice : "");
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), editor->voice);

  editor->music = asset_combo (editor, _("Music"), "music", stored->music_asset_id,
                               editor->music_ids);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), editor->music);

  default_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (default_row), _("Default for New Ads"));
  editor->is_default = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (editor->is_default), stored->is_default);
  gtk_widget_set_valign (editor->is_default, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (editor->is_default),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Default for New Ads"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (default_row), editor->is_default);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (default_row), editor->is_default);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), default_row);

  actions = adw_action_row_new ();
  editor->delete = button_row_button (_("Delete"), "destructive-action");
  editor->save = button_row_button (_("Save"), "suggested-action");
  g_signal_connect (editor->delete, "clicked", G_CALLBACK (on_delete_clicked), editor);
  g_signal_connect (editor->save, "clicked", G_CALLBACK (on_save_clicked), editor);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), editor->delete);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), editor->save);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), actions);
  return editor;
}

/* ---- listing ---- */

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) styles = admint_store_list_styles_finish (ADMINT_STORE (source), result,
                                                                &error);
  AdmintStylesPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->busy--;
  if (styles == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < self->editors->len; i++)
    adw_preferences_group_remove (self->group,
                                  ((StyleEditor *) g_ptr_array_index (self->editors, i))->row);
  g_ptr_array_set_size (self->editors, 0);
  g_clear_pointer (&self->styles, g_ptr_array_unref);
  self->styles = g_steal_pointer (&styles);
  for (guint i = 0; i < self->styles->len; i++)
    {
      StyleEditor *editor = build_editor (self, g_ptr_array_index (self->styles, i));
      g_ptr_array_add (self->editors, editor);
      adw_preferences_group_add (self->group, editor->row);
    }
  gtk_widget_set_visible (self->empty_label, self->styles->len == 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
reload (AdmintStylesPanel *self)
{
  if (self->store == NULL)
    return;
  self->busy++;
  admint_store_list_styles_async (self->store, self->cancellable, on_listed, self);
}

void
admint_styles_panel_set_store (AdmintStylesPanel *self,
                               AdmintStore       *store,
                               GListModel        *assets)
{
  g_return_if_fail (ADMINT_IS_STYLES_PANEL (self));
  g_return_if_fail (store == NULL || ADMINT_IS_STORE (store));

  g_set_object (&self->store, store);
  g_set_object (&self->assets, assets);
  reload (self);
}

GPtrArray *
admint_styles_panel_get_styles (AdmintStylesPanel *self)
{
  g_return_val_if_fail (ADMINT_IS_STYLES_PANEL (self), NULL);
  return self->styles;
}

guint
admint_styles_panel_get_busy (AdmintStylesPanel *self)
{
  g_return_val_if_fail (ADMINT_IS_STYLES_PANEL (self), 0);
  return self->busy;
}

void
admint_styles_panel_add (AdmintStylesPanel *self,
                         const char        *name)
{
  g_autoptr(AdmintBrandStyle) style = NULL;
  g_autofree char *auto_name = NULL;
  guint n;

  g_return_if_fail (ADMINT_IS_STYLES_PANEL (self));
  if (self->store == NULL)
    return;
  n = self->styles != NULL ? self->styles->len : 0;
  auto_name = g_strdup_printf (_("Style %u"), n + 1);
  style = admint_brand_style_new (name != NULL ? name : auto_name);
  /* The newest logo, whose colours start the palette; the first style is the default. */
  for (guint i = 0; self->assets != NULL && i < g_list_model_get_n_items (self->assets); i++)
    {
      g_autoptr(AdmintAssetRow) asset = g_list_model_get_item (self->assets, i);
      if (g_strcmp0 (admint_asset_row_get_kind (asset), "logo") == 0)
        style->logo_asset_id = admint_asset_row_get_id (asset);
    }
  style->is_default = n == 0;
  self->busy++;
  admint_store_save_style_async (self->store, style, style->logo_asset_id > 0, self->cancellable,
                                 on_saved, self);
}

static void
on_new_clicked (AdmintStylesPanel *self)
{
  admint_styles_panel_add (self, NULL);
}

GtkWidget *
admint_styles_panel_get_editor (AdmintStylesPanel *self,
                                guint              index,
                                const char        *part)
{
  StyleEditor *editor;

  g_return_val_if_fail (ADMINT_IS_STYLES_PANEL (self), NULL);
  if (index >= self->editors->len)
    return NULL;
  editor = g_ptr_array_index (self->editors, index);
  if (part == NULL)
    return editor->row;
  if (g_str_equal (part, "name")) return editor->name;
  if (g_str_equal (part, "colours")) return editor->colours;
  if (g_str_equal (part, "logo")) return editor->logo;
  if (g_str_equal (part, "framework")) return editor->framework;
  if (g_str_equal (part, "voice")) return editor->voice;
  if (g_str_equal (part, "music")) return editor->music;
  if (g_str_equal (part, "default")) return editor->is_default;
  if (g_str_equal (part, "save")) return editor->save;
  if (g_str_equal (part, "delete")) return editor->delete;
  if (g_str_equal (part, "from-logo")) return editor->from_logo;
  return NULL;
}

void
admint_styles_panel_set_colour (AdmintStylesPanel *self,
                                guint              index,
                                guint              i,
                                const char        *colour)
{
  g_return_if_fail (ADMINT_IS_STYLES_PANEL (self));
  g_return_if_fail (index < self->editors->len);
  set_colour (g_ptr_array_index (self->editors, index), i, colour);
  fill_colours (g_ptr_array_index (self->editors, index));
}

void
admint_styles_panel_save (AdmintStylesPanel *self,
                          guint              index)
{
  g_return_if_fail (ADMINT_IS_STYLES_PANEL (self));
  g_return_if_fail (index < self->editors->len);
  save_editor (g_ptr_array_index (self->editors, index), FALSE);
}

void
admint_styles_panel_delete (AdmintStylesPanel *self,
                            guint              index)
{
  g_return_if_fail (ADMINT_IS_STYLES_PANEL (self));
  g_return_if_fail (index < self->editors->len);
  on_delete_clicked (NULL, g_ptr_array_index (self->editors, index));
}

/* ---- the object ---- */

static void
admint_styles_panel_dispose (GObject *object)
{
  AdmintStylesPanel *self = ADMINT_STYLES_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->assets);
  g_clear_pointer (&self->styles, g_ptr_array_unref);
  g_clear_pointer (&self->editors, g_ptr_array_unref);
  g_clear_pointer (&self->frameworks, g_strfreev);
  G_OBJECT_CLASS (admint_styles_panel_parent_class)->dispose (object);
}

static void
admint_styles_panel_class_init (AdmintStylesPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = admint_styles_panel_dispose;
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
load_frameworks (AdmintStylesPanel *self)
{
  g_autoptr(AdmintConfig) config = admint_config_load (NULL, NULL);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (config == NULL)
    config = admint_config_load_defaults ();
  names = admint_config_list_frameworks (config);
  for (guint i = 0; names != NULL && i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  self->frameworks = g_strv_builder_end (builder);
}

static void
admint_styles_panel_init (AdmintStylesPanel *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *new_button = gtk_button_new_with_label (_("New Style"));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  self->cancellable = g_cancellable_new ();
  self->editors = g_ptr_array_new_with_free_func ((GDestroyNotify) style_editor_free);
  load_frameworks (self);

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, _("Brand Styles"));
  adw_preferences_group_set_description (self->group,
    _("A palette, a framework, a voice and music that new ads start from. The default style is "
      "used when a new ad names none."));
  gtk_widget_add_css_class (new_button, "flat");
  gtk_widget_set_valign (new_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (new_button, "clicked", G_CALLBACK (on_new_clicked), self);
  adw_preferences_group_set_header_suffix (self->group, new_button);
  self->empty_label = gtk_label_new (_("No styles yet. New Style makes one from your newest "
                                       "logo's colours."));
  gtk_label_set_wrap (GTK_LABEL (self->empty_label), TRUE);
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  adw_preferences_group_add (self->group, self->empty_label);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (self), page);
}

AdmintStylesPanel *
admint_styles_panel_new (void)
{
  return g_object_new (ADMINT_TYPE_STYLES_PANEL, NULL);
}
