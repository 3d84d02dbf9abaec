/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Variants of one ad side by side: players kept in step, the scores, the checks, the pick. */
#define G_LOG_DOMAIN "admint-ui"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "admint-compare-view.h"

#define MAX_PLAYERS 4
/* Players further apart than this after a seek of one of them are brought together. */
#define SEEK_SLACK_USEC (G_USEC_PER_SEC / 4)

/* One variant as the store has it: read in a worker thread, then shown. */
typedef struct
{
  char     *id;
  char     *variant;
  char     *title;
  char     *status;
  char     *video;
  gboolean  winner;
  double    score;                                  /* < 0: not scored */
  double    dims[ADMINT_QUALITY_N_DIMENSIONS];      /* NaN: not computed */
  JsonNode *ad_checks;                              /* object, or NULL */
} Variant;

static void
variant_free (Variant *v)
{
  g_free (v->id);
  g_free (v->variant);
  g_free (v->title);
  g_free (v->status);
  g_free (v->video);
  g_clear_pointer (&v->ad_checks, json_node_unref);
  g_free (v);
}

typedef struct
{
  Variant        *variant;
  GtkMediaStream *stream;
  GtkWidget      *pick_button;
  GtkWidget      *badge;
  gint64          target;       /* the position this view asked it to seek to; -1: none */
  gboolean        seeked_alone; /* someone seeked this player alone: the others follow */
} Player;

struct _AdmintCompareView
{
  GtkWidget     parent_instance;

  GtkWidget    *scroller;
  GtkWidget    *content;      /* rebuilt for each group */
  GtkWidget    *play_button;
  GtkWidget    *scale;
  GtkWidget    *time_label;

  AdmintStore  *store;
  char         *group_id;
  GCancellable *cancellable;
  GPtrArray    *variants;     /* Variant */
  Player        players[MAX_PLAYERS];
  guint         n_players;
  gboolean      loaded;
  gboolean      moving_scale;
};

G_DEFINE_FINAL_TYPE (AdmintCompareView, admint_compare_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_LOADED,
  SIGNAL_PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
dimension_label (AdmintQualityDimension dim)
{
  switch (dim)
    {
    case ADMINT_QUALITY_SUBJECT_CONSISTENCY: return _("Subject consistency");
    case ADMINT_QUALITY_BACKGROUND_CONSISTENCY: return _("Background consistency");
    case ADMINT_QUALITY_TEMPORAL_FLICKERING: return _("Free of flicker");
    case ADMINT_QUALITY_MOTION_SMOOTHNESS: return _("Motion smoothness");
    case ADMINT_QUALITY_DYNAMIC_DEGREE: return _("Amount of motion");
    case ADMINT_QUALITY_AESTHETIC_QUALITY: return _("Aesthetic quality");
    case ADMINT_QUALITY_IMAGING_QUALITY: return _("Imaging quality");
    case ADMINT_QUALITY_N_DIMENSIONS:
    default: return "";
    }
}

/* ---- loading, in a worker ------------------------------------------------------------------ */

static double
member_double (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  return json_node_get_double (node);
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The whole video's scores, and the ad checks of the last "scores" message. */
static void
read_scores (Variant    *v,
             JsonObject *gen)
{
  JsonArray *quality = json_object_get_array_member (gen, "quality");
  JsonArray *messages = json_object_get_array_member (gen, "messages");

  for (guint d = 0; d < ADMINT_QUALITY_N_DIMENSIONS; d++)
    v->dims[d] = NAN;
  for (guint i = 0; quality != NULL && i < json_array_get_length (quality); i++)
    {
      JsonObject *q = json_array_get_object_element (quality, i);
      if (!json_object_get_null_member (q, "clip_index"))
        continue;
      for (guint d = 0; d < ADMINT_QUALITY_N_DIMENSIONS; d++)
        v->dims[d] = member_double (q, admint_quality_dimension_name (d));
    }
  for (guint i = messages != NULL ? json_array_get_length (messages) : 0; i > 0; i--)
    {
      JsonObject *m = json_array_get_object_element (messages, i - 1);
      JsonNode *body = json_object_get_member (m, "body");
      if (g_strcmp0 (member_string (m, "kind"), "scores") != 0 || body == NULL ||
          !JSON_NODE_HOLDS_OBJECT (body))
        continue;
      JsonNode *checks = json_object_get_member (json_node_get_object (body), "ad_checks");
      if (checks != NULL && JSON_NODE_HOLDS_OBJECT (checks))
        v->ad_checks = json_node_copy (checks);
      break;
    }
}

static void
load_group_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  AdmintStore *store = source;
  const char *group_id = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) members = admint_store_list_group_members (store, group_id, &error);
  g_autoptr(GPtrArray) variants = g_ptr_array_new_with_free_func ((GDestroyNotify) variant_free);
  JsonArray *array;

  if (members == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  array = json_node_get_array (members);
  for (guint i = 0; i < json_array_get_length (array) && variants->len < MAX_PLAYERS; i++)
    {
      JsonObject *m = json_array_get_object_element (array, i);
      const char *id = member_string (m, "generation_id");
      g_autoptr(JsonNode) gen = id != NULL ? admint_store_get_generation (store, id, NULL) : NULL;
      Variant *v;

      if (gen == NULL)
        continue;
      v = g_new0 (Variant, 1);
      v->id = g_strdup (id);
      v->variant = g_strdup (member_string (m, "variant"));
      v->title = g_strdup (member_string (m, "name") != NULL ? member_string (m, "name")
                                                             : member_string (m, "prompt"));
      v->status = g_strdup (member_string (m, "status"));
      v->winner = json_object_get_boolean_member_with_default (m, "winner", FALSE);
      v->score = member_double (json_node_get_object (gen), "quality_score");
      if (isnan (v->score))
        v->score = -1;
      v->video = g_strdup (member_string (json_node_get_object (gen), "final_video_path"));
      if (v->video != NULL && !g_file_test (v->video, G_FILE_TEST_IS_REGULAR))
        g_clear_pointer (&v->video, g_free);
      read_scores (v, json_node_get_object (gen));
      g_ptr_array_add (variants, v);
    }
  g_task_return_pointer (task, g_steal_pointer (&variants), (GDestroyNotify) g_ptr_array_unref);
}

/* ---- the players, in step ----------------------------------------------------------------- */

static GtkMediaStream *
leader (AdmintCompareView *self)
{
  for (guint i = 0; i < self->n_players; i++)
    if (self->players[i].stream != NULL)
      return self->players[i].stream;
  return NULL;
}

static void
seek_all (AdmintCompareView *self,
          gint64             usec,
          GtkMediaStream    *except)
{
  for (guint i = 0; i < self->n_players; i++)
    {
      Player *p = &self->players[i];
      if (p->stream == NULL || p->stream == except || !gtk_media_stream_is_seekable (p->stream))
        continue;
      p->target = usec;
      gtk_media_stream_seek (p->stream, usec);
    }
}

static char *
format_time (gint64 usec)
{
  gint64 seconds = usec / G_USEC_PER_SEC;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", seconds / 60, (int) (seconds % 60));
}

static void
update_bar (AdmintCompareView *self)
{
  GtkMediaStream *stream = leader (self);
  gint64 duration = 0, now = 0;
  gboolean playing = FALSE;

  for (guint i = 0; i < self->n_players; i++)
    if (self->players[i].stream != NULL)
      {
        duration = MAX (duration, gtk_media_stream_get_duration (self->players[i].stream));
        playing |= gtk_media_stream_get_playing (self->players[i].stream);
      }
  if (stream != NULL)
    now = gtk_media_stream_get_timestamp (stream);

  self->moving_scale = TRUE;
  gtk_range_set_range (GTK_RANGE (self->scale), 0, MAX (duration, 1) / (double) G_USEC_PER_SEC);
  gtk_range_set_value (GTK_RANGE (self->scale), now / (double) G_USEC_PER_SEC);
  self->moving_scale = FALSE;

  g_autofree char *at = format_time (now);
  g_autofree char *total = format_time (duration);
  /* Translators: the players' position, then the longest variant's length */
  g_autofree char *text = g_strdup_printf (_("%s / %s"), at, total);
  gtk_label_set_text (GTK_LABEL (self->time_label), text);

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, playing ? _("Pause all") : _("Play all"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _("Pause all") : _("Play all"), -1);
  gtk_widget_set_sensitive (self->play_button, stream != NULL);
  gtk_widget_set_sensitive (self->scale, stream != NULL);
}

static Player *
player_of (AdmintCompareView *self,
           GtkMediaStream    *stream)
{
  for (guint i = 0; i < self->n_players; i++)
    if (self->players[i].stream == stream)
      return &self->players[i];
  return NULL;
}

/* A seek this view did not ask for (a player seeked on its own): the others follow it once
 * its new position is known. */
static void
on_seeking (GtkMediaStream    *stream,
            GParamSpec        *pspec,
            AdmintCompareView *self)
{
  Player *p = player_of (self, stream);

  if (p == NULL)
    return;
  if (gtk_media_stream_is_seeking (stream))
    {
      if (p->target < 0)
        p->seeked_alone = TRUE;
    }
  else
    p->target = -1;
}

static void
on_timestamp (GtkMediaStream    *stream,
              GParamSpec        *pspec,
              AdmintCompareView *self)
{
  Player *p = player_of (self, stream);

  if (p != NULL && p->seeked_alone && !gtk_media_stream_is_seeking (stream))
    {
      gint64 now = gtk_media_stream_get_timestamp (stream);
      p->seeked_alone = FALSE;
      for (guint i = 0; i < self->n_players; i++)
        {
          GtkMediaStream *other = self->players[i].stream;
          if (other != NULL && other != stream &&
              ABS (gtk_media_stream_get_timestamp (other) - now) > SEEK_SLACK_USEC)
            {
              seek_all (self, now, stream);
              break;
            }
        }
    }
  if (stream == leader (self) || p == NULL)
    update_bar (self);
}

static void
on_play_clicked (AdmintCompareView *self)
{
  GtkMediaStream *first = leader (self);
  gboolean play = first != NULL && !gtk_media_stream_get_playing (first);

  /* From the start again when they all ended. */
  if (play && gtk_media_stream_get_ended (first))
    seek_all (self, 0, NULL);
  for (guint i = 0; i < self->n_players; i++)
    if (self->players[i].stream != NULL)
      gtk_media_stream_set_playing (self->players[i].stream, play);
  update_bar (self);
}

static void
on_scale_changed (AdmintCompareView *self)
{
  if (self->moving_scale)
    return;
  seek_all (self, (gint64) (gtk_range_get_value (GTK_RANGE (self->scale)) * G_USEC_PER_SEC),
            NULL);
}

static void
clear_players (AdmintCompareView *self)
{
  for (guint i = 0; i < self->n_players; i++)
    {
      Player *p = &self->players[i];
      if (p->stream != NULL)
        {
          g_signal_handlers_disconnect_by_data (p->stream, self);
          gtk_media_stream_pause (p->stream);
          g_clear_object (&p->stream);
        }
    }
  memset (self->players, 0, sizeof self->players);
  self->n_players = 0;
}

/* ---- building the view --------------------------------------------------------------------- */

static void pick_clicked (GtkButton *button, AdmintCompareView *self);

static GtkWidget *
make_player (AdmintCompareView *self,
             Player            *p)
{
  Variant *v = p->variant;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *name = g_strdup_printf (_("Variant %s"), v->variant);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *picture;

  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (heading), label);
  p->badge = gtk_label_new (_("Winner"));
  gtk_widget_add_css_class (p->badge, "winner-badge");
  gtk_widget_add_css_class (p->badge, "caption");
  gtk_widget_set_visible (p->badge, v->winner);
  gtk_box_append (GTK_BOX (heading), p->badge);
  gtk_box_append (GTK_BOX (box), heading);

  if (v->video != NULL)
    {
      p->stream = gtk_media_file_new_for_filename (v->video);
      gtk_media_stream_set_loop (p->stream, FALSE);
      g_signal_connect (p->stream, "notify::timestamp", G_CALLBACK (on_timestamp), self);
      g_signal_connect (p->stream, "notify::seeking", G_CALLBACK (on_seeking), self);
      g_signal_connect_swapped (p->stream, "notify::playing", G_CALLBACK (update_bar), self);
      g_signal_connect_swapped (p->stream, "notify::duration", G_CALLBACK (update_bar), self);
      g_signal_connect_swapped (p->stream, "notify::prepared", G_CALLBACK (update_bar), self);
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (p->stream));
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_add_css_class (picture, "compare-video");
    }
  else
    {
      picture = gtk_label_new (_("No finished video yet"));
      gtk_widget_add_css_class (picture, "dim-label");
    }
  gtk_widget_set_size_request (picture, 140, 100);
  gtk_widget_set_vexpand (picture, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  gtk_box_append (GTK_BOX (box), picture);

  p->pick_button = gtk_button_new_with_mnemonic (_("_Pick This One"));
  g_autofree char *pick_name = g_strdup_printf (_("Pick variant %s"), v->variant);
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->pick_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pick_name, -1);
  gtk_widget_set_tooltip_text (p->pick_button,
                               _("Keep this variant as the winner and refine it in its chat"));
  g_signal_connect (p->pick_button, "clicked", G_CALLBACK (pick_clicked), self);
  gtk_box_append (GTK_BOX (box), p->pick_button);
  return box;
}

static GtkWidget *
cell (const char *text,
      gboolean    best,
      const char *tooltip)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.5);
  /* The highlight hugs the number. */
  gtk_widget_set_halign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "numeric");
  if (best)
    {
      gtk_widget_add_css_class (label, "compare-best");
      /* Said, not only coloured. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("best"), -1);
    }
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (label, tooltip);
  return label;
}

static GtkWidget *
row_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* One row of numbers: VALUES[i] of variant i (negative or NaN: none), the best highlighted. */
static void
add_number_row (GtkGrid    *grid,
                int         row,
                const char *label,
                const double *values,
                guint       n,
                int         decimals)
{
  double best = -INFINITY;

  gtk_grid_attach (grid, row_label (label), 0, row, 1, 1);
  for (guint i = 0; i < n; i++)
    if (!isnan (values[i]) && values[i] >= 0)
      best = MAX (best, values[i]);
  for (guint i = 0; i < n; i++)
    {
      gboolean known = !isnan (values[i]) && values[i] >= 0;
      g_autofree char *text = known ? g_strdup_printf ("%.*f", decimals, values[i]) : g_strdup ("–");
      /* Best only when it stands out: equal values everywhere highlight nothing. */
      gboolean alone = FALSE;
      for (guint k = 0; known && k < n; k++)
        alone |= k != i && (isnan (values[k]) || values[k] < best - 1e-9);
      gtk_grid_attach (grid, cell (text, known && values[i] >= best - 1e-9 && alone, NULL),
                       (int) i + 1, row, 1, 1);
    }
}

/* The ad checks, one row each: pass or fail with the reason as the tooltip. */
static int
add_check_rows (AdmintCompareView *self,
                GtkGrid           *grid,
                int                row)
{
  JsonObject *names = NULL;

  for (guint i = 0; i < self->variants->len && names == NULL; i++)
    {
      Variant *v = g_ptr_array_index (self->variants, i);
      if (v->ad_checks != NULL)
        names = json_node_get_object (v->ad_checks);
    }
  if (names == NULL)
    return row;

  GtkWidget *heading = gtk_label_new (_("Ad checks"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_margin_top (heading, 12);
  gtk_grid_attach (grid, heading, 0, row++, 1, 1);

  g_autoptr(GList) members = json_object_get_members (names);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *check = l->data;
      JsonNode *first = json_object_get_member (names, check);
      if (!JSON_NODE_HOLDS_OBJECT (first))
        continue;
      g_autofree char *title = g_strdup (check);
      for (char *c = title; *c != '\0'; c++)
        if (*c == '_')
          *c = ' ';
      title[0] = g_ascii_toupper (title[0]);
      gtk_grid_attach (grid, row_label (title), 0, row, 1, 1);
      for (guint i = 0; i < self->variants->len; i++)
        {
          Variant *v = g_ptr_array_index (self->variants, i);
          JsonObject *checks = v->ad_checks ? json_node_get_object (v->ad_checks) : NULL;
          JsonNode *node = checks != NULL ? json_object_get_member (checks, check) : NULL;
          JsonObject *c = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                          ? json_node_get_object (node) : NULL;
          GtkWidget *w;
          if (c == NULL)
            w = cell ("–", FALSE, NULL);
          else
            {
              gboolean pass = json_object_get_boolean_member_with_default (c, "pass", FALSE);
              w = cell (pass ? _("Pass") : _("Fail"), FALSE,
                        json_object_get_string_member_with_default (c, "reason", NULL));
              gtk_widget_add_css_class (w, pass ? "success" : "error");
            }
          gtk_grid_attach (grid, w, (int) i + 1, row, 1, 1);
        }
      row++;
    }
  return row;
}

static GtkWidget *
make_table (AdmintCompareView *self)
{
  GtkWidget *grid = gtk_grid_new ();
  guint n = self->variants->len;
  double values[MAX_PLAYERS];
  int row = 1;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_add_css_class (grid, "compare-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Scores of the variants"), -1);
  for (guint i = 0; i < n; i++)
    {
      Variant *v = g_ptr_array_index (self->variants, i);
      g_autofree char *name = g_strdup_printf (_("Variant %s"), v->variant);
      GtkWidget *label = gtk_label_new (name);
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (GTK_GRID (grid), label, (int) i + 1, 0, 1, 1);
    }
  for (guint i = 0; i < n; i++)
    values[i] = ((Variant *) g_ptr_array_index (self->variants, i))->score;
  add_number_row (GTK_GRID (grid), row++, _("Quality score (of 100)"), values, n, 0);
  for (guint d = 0; d < ADMINT_QUALITY_N_DIMENSIONS; d++)
    {
      for (guint i = 0; i < n; i++)
        values[i] = ((Variant *) g_ptr_array_index (self->variants, i))->dims[d];
      add_number_row (GTK_GRID (grid), row++, dimension_label (d), values, n, 2);
    }
  add_check_rows (self, GTK_GRID (grid), row);
  return grid;
}

static void
build_content (AdmintCompareView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *players = gtk_flow_box_new ();
  GtkWidget *title;
  Variant *first = self->variants->len > 0 ? g_ptr_array_index (self->variants, 0) : NULL;
  g_autofree char *heading = g_strdup_printf (ngettext ("%u variant", "%u variants",
                                                           self->variants->len),
                                              self->variants->len);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);

  title = gtk_label_new (first != NULL ? first->title : NULL);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-3");
  gtk_box_append (GTK_BOX (box), title);
  GtkWidget *count = gtk_label_new (heading);
  gtk_label_set_xalign (GTK_LABEL (count), 0);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_box_append (GTK_BOX (box), count);

  /* Side by side while there is room; under each other on a narrow window. */
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (players), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (players), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (players), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (players), MAX_PLAYERS);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (players), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (players), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (players), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Variants"), -1);
  for (guint i = 0; i < self->variants->len; i++)
    {
      Player *p = &self->players[i];
      p->variant = g_ptr_array_index (self->variants, i);
      p->target = -1;
      gtk_flow_box_append (GTK_FLOW_BOX (players), make_player (self, p));
      self->n_players++;
    }
  gtk_box_append (GTK_BOX (box), players);

  GtkWidget *table_title = gtk_label_new (_("Scores"));
  gtk_label_set_xalign (GTK_LABEL (table_title), 0);
  gtk_widget_add_css_class (table_title, "heading");
  gtk_box_append (GTK_BOX (box), table_title);
  GtkWidget *table = make_table (self);
  GtkWidget *table_scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (table_scroll), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (table_scroll), table);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (table_scroll), TRUE);
  gtk_box_append (GTK_BOX (box), table_scroll);

  if (self->content != NULL)
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), NULL);
  self->content = box;
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), box);
  update_bar (self);
}

static void
on_group_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *variants = g_task_propagate_pointer (G_TASK (result), &error);
  AdmintCompareView *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_pointer (&self->variants, g_ptr_array_unref);
  if (variants == NULL)
    {
      g_warning ("Cannot read the variants: %s", error->message);
      variants = g_ptr_array_new_with_free_func ((GDestroyNotify) variant_free);
    }
  self->variants = variants;
  build_content (self);
  self->loaded = TRUE;
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

/* ---- the pick ------------------------------------------------------------------------------ */

static void
pick_clicked (GtkButton         *button,
              AdmintCompareView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *group = NULL;
  Player *picked = NULL;

  for (guint i = 0; i < self->n_players; i++)
    if (self->players[i].pick_button == GTK_WIDGET (button))
      picked = &self->players[i];
  if (picked == NULL || self->store == NULL)
    return;
  /* One small UPDATE through the store's thread. */
  group = admint_store_pick_winner (self->store, picked->variant->id, &error);
  if (group == NULL)
    {
      g_warning ("Cannot store the pick: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->n_players; i++)
    {
      Player *p = &self->players[i];
      p->variant->winner = p == picked;
      gtk_widget_set_visible (p->badge, p == picked);
    }
  admint_compare_view_pause (self);
  g_signal_emit (self, signals[SIGNAL_PICKED], 0, picked->variant->id);
}

/* ---- the widget ---------------------------------------------------------------------------- */

static void
admint_compare_view_dispose (GObject *object)
{
  AdmintCompareView *self = ADMINT_COMPARE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_players (self);
  self->scroller = self->play_button = self->scale = self->time_label = self->content = NULL;
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->variants, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->group_id, g_free);
  G_OBJECT_CLASS (admint_compare_view_parent_class)->dispose (object);
}

static void
admint_compare_view_class_init (AdmintCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = admint_compare_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "compareview");

  /* Emitted when the group's variants are shown. */
  signals[SIGNAL_LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted with the generation id once "Pick This One" stored it as the group's winner. */
  signals[SIGNAL_PICKED] = g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
admint_compare_view_init (AdmintCompareView *self)
{
  GtkWidget *bar;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (
                                    GTK_WIDGET (self))), GTK_ORIENTATION_VERTICAL);
  self->cancellable = g_cancellable_new ();

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  /* One control bar drives every player. */
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (bar, "toolbar");
  gtk_widget_add_css_class (bar, "compare-bar");
  gtk_widget_set_parent (bar, GTK_WIDGET (self));
  self->play_button = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (on_play_clicked), self);
  gtk_box_append (GTK_BOX (bar), self->play_button);
  self->scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.1);
  gtk_scale_set_draw_value (GTK_SCALE (self->scale), FALSE);
  gtk_widget_set_hexpand (self->scale, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Position of all variants"), -1);
  g_signal_connect_swapped (self->scale, "value-changed", G_CALLBACK (on_scale_changed), self);
  gtk_box_append (GTK_BOX (bar), self->scale);
  self->time_label = gtk_label_new ("0:00 / 0:00");
  gtk_widget_add_css_class (self->time_label, "numeric");
  gtk_box_append (GTK_BOX (bar), self->time_label);
  update_bar (self);
}

GtkWidget *
admint_compare_view_new (void)
{
  return g_object_new (ADMINT_TYPE_COMPARE_VIEW, NULL);
}

void
admint_compare_view_show_group (AdmintCompareView *self,
                                AdmintStore       *store,
                                const char        *group_id)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ADMINT_IS_COMPARE_VIEW (self));
  g_return_if_fail (ADMINT_IS_STORE (store));
  g_return_if_fail (group_id != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_players (self);
  self->loaded = FALSE;
  g_set_object (&self->store, store);
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);

  task = g_task_new (store, self->cancellable, on_group_loaded, self);
  g_task_set_source_tag (task, admint_compare_view_show_group);
  g_task_set_task_data (task, g_strdup (group_id), g_free);
  g_task_run_in_thread (task, load_group_thread);
}

const char *
admint_compare_view_get_group_id (AdmintCompareView *self)
{
  g_return_val_if_fail (ADMINT_IS_COMPARE_VIEW (self), NULL);
  return self->group_id;
}

gboolean
admint_compare_view_is_loaded (AdmintCompareView *self)
{
  g_return_val_if_fail (ADMINT_IS_COMPARE_VIEW (self), FALSE);
  return self->loaded;
}

guint
admint_compare_view_get_n_players (AdmintCompareView *self)
{
  g_return_val_if_fail (ADMINT_IS_COMPARE_VIEW (self), 0);
  return self->n_players;
}

const char *
admint_compare_view_get_id (AdmintCompareView *self,
                            guint              index)
{
  g_return_val_if_fail (ADMINT_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (index < self->n_players, NULL);
  return self->players[index].variant->id;
}

GtkMediaStream *
admint_compare_view_get_stream (AdmintCompareView *self,
                                guint              index)
{
  g_return_val_if_fail (ADMINT_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (index < self->n_players, NULL);
  return self->players[index].stream;
}

void
admint_compare_view_pause (AdmintCompareView *self)
{
  g_return_if_fail (ADMINT_IS_COMPARE_VIEW (self));

  for (guint i = 0; i < self->n_players; i++)
    if (self->players[i].stream != NULL)
      gtk_media_stream_pause (self->players[i].stream);
}
