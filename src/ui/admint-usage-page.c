/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Usage page: a cairo chart of spend by day and provider, each ad's cost, the totals. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "admint-config.h"
#include "admint-store-library.h"
#include "admint-usage-page.h"

#define N_DAYS 30

struct _AdmintUsagePage
{
  AdwBin             parent_instance;

  GtkFlowBox        *totals;
  GtkDrawingArea    *chart;
  GtkFlowBox        *legend;
  GtkLabel          *summary;
  GtkListBox        *generations;

  AdmintStore       *store;
  GCancellable      *cancellable;
  AdmintUsageReport *report;
  char              *summary_text;
  double             budget;
};

G_DEFINE_FINAL_TYPE (AdmintUsagePage, admint_usage_page, ADW_TYPE_BIN)

enum { SIGNAL_EXPORT_REQUESTED, SIGNAL_REFRESHED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* libadwaita's palette: blue, green, yellow, orange, red, purple. */
static const GdkRGBA provider_colors[] = {
  { 0.21, 0.52, 0.89, 1 }, { 0.20, 0.82, 0.48, 1 }, { 0.96, 0.83, 0.18, 1 },
  { 1.00, 0.47, 0.00, 1 }, { 0.88, 0.11, 0.14, 1 }, { 0.57, 0.25, 0.67, 1 },
};

static const GdkRGBA *
color_of (guint provider_index)
{
  return &provider_colors[provider_index % G_N_ELEMENTS (provider_colors)];
}

static char *
format_usd (double usd)
{
  return g_strdup_printf ("$%.2f", usd);
}

/* ---- the chart ---- */

static double
day_total (AdmintUsageReport *report,
           const char        *day)
{
  double total = 0;

  for (guint p = 0; report->providers[p] != NULL; p++)
    total += admint_usage_report_get_spend (report, day, report->providers[p]);
  return total;
}

/* 1, 2, 5 × 10^n: a round top for the scale. */
static double
nice_ceiling (double value)
{
  double magnitude = pow (10, floor (log10 (value)));

  for (double step = 1; step <= 10; step = step == 1 ? 2 : step == 2 ? 5 : 10)
    if (value <= step * magnitude)
      return step * magnitude;
  return 10 * magnitude;
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  AdmintUsagePage *self = user_data;
  AdmintUsageReport *report = self->report;
  GdkRGBA fg;
  double max = 0, top, left = 52, right = 12, top_margin = 12, bottom = 24;
  double plot_w = width - left - right, plot_h = height - top_margin - bottom;
  PangoLayout *layout;

  if (report == NULL || plot_w <= 0 || plot_h <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  for (guint d = 0; d < report->n_days; d++)
    max = MAX (max, day_total (report, report->days[d]));
  top = max > 0 ? nice_ceiling (max) : 1;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  /* The grid: the top of the scale, its half and zero. */
  for (int i = 0; i <= 2; i++)
    {
      double y = top_margin + plot_h * (1 - i / 2.0);
      g_autofree char *label = format_usd (top * i / 2.0);
      int lw, lh;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
      cairo_rectangle (cr, left, round (y), plot_w, 1);
      cairo_fill (cr);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      cairo_move_to (cr, left - 6 - lw, y - lh / 2.0);
      pango_cairo_show_layout (cr, layout);
    }

  /* One stacked bar a day, one colour a provider. */
  double slot = plot_w / report->n_days;
  double bar = MAX (1, slot * 0.7);
  for (guint d = 0; d < report->n_days; d++)
    {
      double x = left + d * slot + (slot - bar) / 2, y = top_margin + plot_h;
      for (guint p = 0; report->providers[p] != NULL; p++)
        {
          double h = plot_h * admint_usage_report_get_spend (report, report->days[d],
                                                             report->providers[p]) / top;
          if (h <= 0)
            continue;
          gdk_cairo_set_source_rgba (cr, color_of (p));
          cairo_rectangle (cr, x, y - h, bar, h);
          cairo_fill (cr);
          y -= h;
        }
    }

  /* The first and the last day under the axis. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
  for (guint i = 0; i < 2; i++)
    {
      const char *day = report->days[i == 0 ? 0 : report->n_days - 1];
      int lw, lh;
      pango_layout_set_text (layout, day + 5, -1);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      cairo_move_to (cr, i == 0 ? left : left + plot_w - lw, top_margin + plot_h + 4);
      pango_cairo_show_layout (cr, layout);
    }
  g_object_unref (layout);
}

/* ---- the figures as text ---- */

static char *
make_summary (AdmintUsageReport *report)
{
  GString *text = g_string_new (NULL);

  for (guint d = 0; d < report->n_days; d++)
    {
      const char *day = report->days[d];
      if (day_total (report, day) <= 0)
        continue;
      g_string_append_printf (text, "%s%s:", text->len > 0 ? "; " : "", day);
      for (guint p = 0; report->providers[p] != NULL; p++)
        {
          double spend = admint_usage_report_get_spend (report, day, report->providers[p]);
          if (spend > 0)
            g_string_append_printf (text, " %s $%.2f", report->providers[p], spend);
        }
    }
  if (text->len == 0)
    g_string_append (text, _("Nothing was spent in the last 30 days."));
  else
    g_string_append_c (text, '.');
  return g_string_free (text, FALSE);
}

static GtkWidget *
total_card (const char *value,
            const char *label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *big = gtk_label_new (value);
  GtkWidget *small = gtk_label_new (label);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", label, value);

  gtk_widget_add_css_class (big, "title-2");
  gtk_widget_add_css_class (small, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (small), TRUE);
  gtk_label_set_justify (GTK_LABEL (small), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), big);
  gtk_box_append (GTK_BOX (box), small);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "usage-total");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return box;
}

static void
on_export_clicked (GtkButton  *button,
                   const char *generation_id)
{
  GtkWidget *self = gtk_widget_get_ancestor (GTK_WIDGET (button), ADMINT_TYPE_USAGE_PAGE);

  if (self != NULL)
    g_signal_emit (self, signals[SIGNAL_EXPORT_REQUESTED], 0, generation_id);
}

static GtkWidget *
generation_row (AdmintUsagePage       *self,
                AdmintUsageGeneration *g)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *cost = format_usd (g->cost_usd);
  g_autofree char *quality = g->quality_score >= 0
                             ? g_strdup_printf (_("quality %.0f"), g->quality_score)
                             : g_strdup (_("not scored"));
  g_autofree char *budget = format_usd (self->budget);
  g_autofree char *over = self->budget > 0 && g->cost_usd > self->budget
                          ? g_strdup_printf (_(" · over the %s budget"), budget)
                          : g_strdup ("");
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s%s", g->status, cost, quality, over);
  g_autofree char *escaped = g_markup_escape_text (g->prompt, -1);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  if (g_str_equal (g->status, "completed") || g_str_equal (g->status, "partial"))
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("document-save-as-symbolic");
      g_autofree char *name = g_strdup_printf (_("Export “%s”"), g->prompt);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Export this ad…"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      /* The button carries its ad's id to the click, and frees it with itself. */
      g_signal_connect_data (button, "clicked", G_CALLBACK (on_export_clicked), g_strdup (g->id),
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
    }
}

static void
show_report (AdmintUsagePage *self)
{
  AdmintUsageReport *report = self->report;
  g_autofree char *window = format_usd (report->window_total);
  g_autofree char *all = format_usd (report->all_time_total);
  g_autofree char *budget = format_usd (self->budget);
  g_autofree char *budget_label = NULL;
  guint over = 0;

  for (guint i = 0; i < report->generations->len; i++)
    if (self->budget > 0 &&
        ((AdmintUsageGeneration *) report->generations->pdata[i])->cost_usd > self->budget)
      over++;
  budget_label = g_strdup_printf (ngettext ("Budget per ad; %u ad went over it",
                                            "Budget per ad; %u ads went over it", over), over);

  clear_box (GTK_WIDGET (self->totals));
  gtk_flow_box_append (self->totals, total_card (window, _("Last 30 days")));
  gtk_flow_box_append (self->totals, total_card (all, _("All time")));
  gtk_flow_box_append (self->totals, total_card (budget, budget_label));

  clear_box (GTK_WIDGET (self->legend));
  for (guint p = 0; report->providers[p] != NULL; p++)
    {
      GtkWidget *label = gtk_label_new (NULL);
      const GdkRGBA *c = color_of (p);
      g_autofree char *markup = g_markup_printf_escaped (
        "<span foreground=\"#%02x%02x%02x\">■</span> %s", (int) (c->red * 255),
        (int) (c->green * 255), (int) (c->blue * 255), report->providers[p]);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_flow_box_append (self->legend, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->legend), report->providers[0] != NULL);

  g_free (self->summary_text);
  self->summary_text = make_summary (report);
  gtk_label_set_text (self->summary, self->summary_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary_text, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));

  clear_box (GTK_WIDGET (self->generations));
  for (guint i = 0; i < report->generations->len; i++)
    gtk_list_box_append (self->generations, generation_row (self, report->generations->pdata[i]));
  if (report->generations->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No ads yet"));
      gtk_list_box_append (self->generations, row);
    }
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
}

static void
on_report (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AdmintUsageReport *report = admint_store_usage_report_finish (ADMINT_STORE (source), result,
                                                               &error);
  AdmintUsagePage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (report == NULL)
    {
      gtk_label_set_text (self->summary, error->message);
      return;
    }
  g_clear_pointer (&self->report, admint_usage_report_free);
  self->report = report;
  show_report (self);
}

void
admint_usage_page_refresh (AdmintUsagePage *self)
{
  g_autoptr(AdmintConfig) config = NULL;

  g_return_if_fail (ADMINT_IS_USAGE_PAGE (self));
  if (self->store == NULL)
    return;
  config = admint_config_load (NULL, NULL);
  self->budget = config != NULL
                 ? admint_config_get_double (config, "budget.max_usd_per_generation") : 0;
  admint_store_usage_report_async (self->store, N_DAYS, NULL, self->cancellable, on_report, self);
}

void
admint_usage_page_set_store (AdmintUsagePage *self,
                             AdmintStore     *store)
{
  g_return_if_fail (ADMINT_IS_USAGE_PAGE (self));
  g_set_object (&self->store, store);
  admint_usage_page_refresh (self);
}

const char *
admint_usage_page_get_summary (AdmintUsagePage *self)
{
  g_return_val_if_fail (ADMINT_IS_USAGE_PAGE (self), NULL);
  return self->summary_text;
}

static void
admint_usage_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (admint_usage_page_parent_class)->map (widget);
  admint_usage_page_refresh (ADMINT_USAGE_PAGE (widget));
}

static void
admint_usage_page_dispose (GObject *object)
{
  AdmintUsagePage *self = ADMINT_USAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ADMINT_TYPE_USAGE_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->report, admint_usage_report_free);
  g_clear_pointer (&self->summary_text, g_free);
  G_OBJECT_CLASS (admint_usage_page_parent_class)->dispose (object);
}

static void
admint_usage_page_class_init (AdmintUsagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_usage_page_dispose;
  widget_class->map = admint_usage_page_map;

  signals[SIGNAL_EXPORT_REQUESTED] =
    g_signal_new ("export-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/admint/AdMint/ui/admint-usage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AdmintUsagePage, totals);
  gtk_widget_class_bind_template_child (widget_class, AdmintUsagePage, chart);
  gtk_widget_class_bind_template_child (widget_class, AdmintUsagePage, legend);
  gtk_widget_class_bind_template_child (widget_class, AdmintUsagePage, summary);
  gtk_widget_class_bind_template_child (widget_class, AdmintUsagePage, generations);
  gtk_widget_class_bind_template_callback (widget_class, admint_usage_page_refresh);
}

static void
admint_usage_page_init (AdmintUsagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
}

AdmintUsagePage *
admint_usage_page_new (void)
{
  return g_object_new (ADMINT_TYPE_USAGE_PAGE, NULL);
}
