/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scene layouts: loading data/layouts/ (YAML) and the user's overrides, validated with positions. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <string.h>

#include "admint-config-private.h"
#include "admint-core-resources.h"
#include "admint-error.h"
#include "admint-layout.h"
#include "admint-paths.h"

#define RESOURCE_DIR "/io/github/admint/core/layouts"

struct _AdmintLayoutSet
{
  GPtrArray *layouts;    /* AdmintLayout*, in load order */
  GPtrArray *fallbacks;  /* "LABEL:LINE:COL" per layout, where its fallback was named */
};

/* NULL-terminated for word_index, which reads up to the NULL. */
static const char * const slot_names[ADMINT_N_SLOTS + 1] = {
  "headline", "lines", "figure", "cta", "handle", "badge", "product", "logo", NULL,
};
static const char * const shape_names[ADMINT_LAYOUT_N_SHAPES + 1] = {
  "wide", "tall", "square", NULL,
};
static const char * const background_names[] = { "drift", "mood", "studio", NULL };
static const char * const product_names[] = { "none", "side", "hero", "corner", NULL };
static const char * const enter_names[] = { "words", "lines", "rise", "count", NULL };
static const char * const transition_names[] = { "cut", "crossfade", "push", "zoom", NULL };

static void
layout_free (AdmintLayout *layout)
{
  g_free (layout->name);
  g_free (layout->description);
  g_free (layout->origin);
  g_strfreev (layout->beats);
  g_free (layout->fallback);
  g_free (layout);
}

AdmintLayoutSet *
admint_layout_set_new (void)
{
  AdmintLayoutSet *set = g_new0 (AdmintLayoutSet, 1);

  set->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify) layout_free);
  set->fallbacks = g_ptr_array_new_with_free_func (g_free);
  return set;
}

void
admint_layout_set_free (AdmintLayoutSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->layouts);
  g_ptr_array_unref (set->fallbacks);
  g_free (set);
}

static int
word_index (const char         *word,
            const char * const *names)
{
  for (int i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (word, names[i]) == 0)
      return i;
  return -1;
}

/* A plain scalar that is one of NAMES, or an error naming the choices. */
static int
parse_choice (AdmintYamlFile     *file,
              yaml_node_t        *node,
              const char         *key,
              const char * const *names,
              GPtrArray          *errors)
{
  const char *text = admint_yaml_scalar (node);
  int i = text != NULL ? word_index (text, names) : -1;

  if (i < 0)
    {
      g_autofree char *choices = g_strjoinv (", ", (char **) names);
      g_autofree char *what = admint_yaml_describe (node);

      admint_yaml_error (errors, file, node->start_mark, "%s is %s; use one of %s", key, what,
                         choices);
    }
  return i;
}

static gboolean
parse_number (AdmintYamlFile *file,
              yaml_node_t    *node,
              const char     *what,
              double          low,
              double          high,
              double         *out,
              GPtrArray      *errors)
{
  const char *text = admint_yaml_scalar (node);

  if (text == NULL || !admint_yaml_parse_double (text, out) || *out < low || *out > high)
    {
      g_autofree char *got = admint_yaml_describe (node);
      admint_yaml_error (errors, file, node->start_mark, "%s is %s; write a number from %g to %g",
                         what, got, low, high);
      return FALSE;
    }
  return TRUE;
}

/* [x, y, w, h] inside the unit square. */
static void
parse_box (AdmintYamlFile  *file,
           yaml_node_t     *node,
           const char      *slot,
           AdmintLayoutBox *box,
           GPtrArray       *errors)
{
  double v[4];

  if (node->type != YAML_SEQUENCE_NODE ||
      node->data.sequence.items.top - node->data.sequence.items.start != 4)
    {
      admint_yaml_error (errors, file, node->start_mark, "the %s box must be a list of four "
                         "numbers [x, y, width, height], fractions of the title-safe area", slot);
      return;
    }
  for (int i = 0; i < 4; i++)
    {
      yaml_node_t *item = admint_yaml_file_node (file, node->data.sequence.items.start[i]);
      if (!parse_number (file, item, slot, 0, 1, &v[i], errors))
        return;
    }
  if (v[2] <= 0 || v[3] <= 0 || v[0] + v[2] > 1.0001 || v[1] + v[3] > 1.0001)
    {
      admint_yaml_error (errors, file, node->start_mark, "the %s box [%g, %g, %g, %g] leaves the "
                         "title-safe area; keep x + width and y + height at most 1", slot, v[0],
                         v[1], v[2], v[3]);
      return;
    }
  *box = (AdmintLayoutBox) { v[0], v[1], v[2], v[3], TRUE };
}

static gboolean
boxes_meet (const AdmintLayoutBox *a,
            const AdmintLayoutBox *b)
{
  return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void
parse_shape (AdmintYamlFile *file,
             yaml_node_t    *node,
             AdmintLayout   *layout,
             int             shape,
             GPtrArray      *errors)
{
  AdmintLayoutBox *boxes = layout->boxes[shape];

  if (node->type != YAML_MAPPING_NODE)
    {
      admint_yaml_error (errors, file, node->start_mark, "%s must map slots (headline, lines, "
                         "figure, cta, handle, product, logo) to boxes", shape_names[shape]);
      return;
    }
  for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++)
    {
      yaml_node_t *key = admint_yaml_file_node (file, p->key);
      yaml_node_t *value = admint_yaml_file_node (file, p->value);
      int slot = word_index (admint_yaml_scalar (key), slot_names);

      if (slot < 0)
        {
          admint_yaml_error (errors, file, key->start_mark, "unknown slot “%s”; use headline, "
                             "lines, figure, cta, handle, product or logo",
                             admint_yaml_scalar (key) ? admint_yaml_scalar (key) : "");
          continue;
        }
      parse_box (file, value, slot_names[slot], &boxes[slot], errors);
      /* Text never meets other text, the product or the logo. */
      for (int other = 0; other < ADMINT_N_SLOTS && boxes[slot].set; other++)
        if (other != slot && boxes[other].set && (slot < ADMINT_N_TEXT_SLOTS ||
                                                  other < ADMINT_N_TEXT_SLOTS) &&
            boxes_meet (&boxes[slot], &boxes[other]))
          admint_yaml_error (errors, file, key->start_mark, "the %s box meets the %s box in %s; "
                             "move one so they do not overlap", slot_names[slot],
                             slot_names[other], shape_names[shape]);
    }
}

static void
parse_sizes (AdmintYamlFile *file,
             yaml_node_t    *node,
             const char     *key,
             double         *sizes,
             GPtrArray      *errors)
{
  if (node->type != YAML_MAPPING_NODE)
    {
      admint_yaml_error (errors, file, node->start_mark, "%s must map text slots to font "
                         "sizes (fractions of the frame's short side), e.g. headline: 0.1", key);
      return;
    }
  for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++)
    {
      yaml_node_t *key = admint_yaml_file_node (file, p->key);
      int slot = word_index (admint_yaml_scalar (key), slot_names);

      if (slot < 0 || slot >= ADMINT_N_TEXT_SLOTS)
        {
          admint_yaml_error (errors, file, key->start_mark, "unknown text slot “%s”; use "
                             "headline, lines, figure, cta or handle",
                             admint_yaml_scalar (key) ? admint_yaml_scalar (key) : "");
          continue;
        }
      parse_number (file, admint_yaml_file_node (file, p->value), slot_names[slot], 0.01, 0.5,
                    &sizes[slot], errors);
    }
}

static GStrv
parse_beats (AdmintYamlFile *file,
             yaml_node_t    *node,
             GPtrArray      *errors)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (node->type != YAML_SEQUENCE_NODE)
    {
      admint_yaml_error (errors, file, node->start_mark, "beats must be a list of beat names, "
                         "e.g. [attention, problem]");
      return g_strv_builder_end (b);
    }
  for (yaml_node_item_t *i = node->data.sequence.items.start; i < node->data.sequence.items.top;
       i++)
    {
      const char *beat = admint_yaml_scalar (admint_yaml_file_node (file, *i));
      if (beat != NULL)
        {
          g_autofree char *low = g_utf8_strdown (beat, -1);
          g_strv_builder_add (b, low);
        }
    }
  return g_strv_builder_end (b);
}

/* One top-level key of a layout file. */
static void
parse_member (AdmintYamlFile *file,
              AdmintLayout   *layout,
              yaml_node_t    *key_node,
              yaml_node_t    *value,
              char          **fallback_at,
              GPtrArray      *errors)
{
  const char *key = admint_yaml_scalar (key_node);
  int shape;

  if (g_strcmp0 (key, "name") == 0 || g_strcmp0 (key, "description") == 0 ||
      g_strcmp0 (key, "fallback") == 0)
    {
      const char *text = admint_yaml_scalar (value);
      char **field = key[0] == 'n' ? &layout->name : key[0] == 'd' ? &layout->description
                                                                   : &layout->fallback;
      if (text == NULL || *text == '\0')
        {
          admint_yaml_error (errors, file, value->start_mark, "%s must be text", key);
          return;
        }
      g_free (*field);
      *field = g_strdup (text);
      if (key[0] == 'f')
        {
          g_free (*fallback_at);
          *fallback_at = g_strdup_printf ("%s:%zu:%zu", file->label, value->start_mark.line + 1,
                                          value->start_mark.column + 1);
        }
    }
  else if (g_strcmp0 (key, "beats") == 0)
    {
      g_strfreev (layout->beats);
      layout->beats = parse_beats (file, value, errors);
    }
  else if (g_strcmp0 (key, "background") == 0)
    layout->background = MAX (0, parse_choice (file, value, key, background_names, errors));
  else if (g_strcmp0 (key, "product") == 0)
    layout->product = MAX (0, parse_choice (file, value, key, product_names, errors));
  else if (g_strcmp0 (key, "enter") == 0)
    layout->enter = MAX (0, parse_choice (file, value, key, enter_names, errors));
  else if (g_strcmp0 (key, "transition") == 0)
    layout->transition = MAX (0, parse_choice (file, value, key, transition_names, errors));
  else if (g_strcmp0 (key, "text") == 0)
    parse_sizes (file, value, key, layout->size, errors);
  else if (g_strcmp0 (key, "tall-text") == 0)
    parse_sizes (file, value, key, layout->size_tall, errors);
  else if ((shape = word_index (key, shape_names)) >= 0)
    parse_shape (file, value, layout, shape, errors);
  else
    {
      admint_yaml_error (errors, file, key_node->start_mark, "unknown key “%s”; a layout has "
                         "name, description, beats, background, product, enter, transition, "
                         "fallback, text, tall-text, wide, tall and square", key ? key : "");
    }
}

/* Every slot with text needs a size and a box in the wide and tall shapes. */
static void
check_layout (AdmintYamlFile *file,
              yaml_node_t    *root,
              AdmintLayout   *layout,
              GPtrArray      *errors)
{
  if (layout->name == NULL)
    admint_yaml_error (errors, file, root->start_mark, "the layout has no name; add name: …");
  for (int shape = 0; shape < ADMINT_LAYOUT_SQUARE; shape++)
    {
      gboolean any = FALSE;

      for (int slot = 0; slot < ADMINT_N_TEXT_SLOTS; slot++)
        {
          any |= layout->boxes[shape][slot].set;
          if (layout->boxes[shape][slot].set && layout->size[slot] <= 0)
            admint_yaml_error (errors, file, root->start_mark, "the %s slot has a box but no "
                               "font size; add it under text:", slot_names[slot]);
        }
      if (!any)
        admint_yaml_error (errors, file, root->start_mark, "%s places no text; give it at least "
                           "a headline box", shape_names[shape]);
    }
  if (layout->product != ADMINT_LAYOUT_PRODUCT_NONE &&
      (!layout->boxes[ADMINT_LAYOUT_WIDE][ADMINT_SLOT_PRODUCT].set ||
       !layout->boxes[ADMINT_LAYOUT_TALL][ADMINT_SLOT_PRODUCT].set))
    admint_yaml_error (errors, file, root->start_mark, "product: %s needs a product box in wide "
                       "and tall", product_names[layout->product]);
  /* A square frame uses the wide boxes unless the file gives its own. */
  if (!layout->boxes[ADMINT_LAYOUT_SQUARE][ADMINT_SLOT_HEADLINE].set &&
      !layout->boxes[ADMINT_LAYOUT_SQUARE][ADMINT_SLOT_FIGURE].set)
    memcpy (layout->boxes[ADMINT_LAYOUT_SQUARE], layout->boxes[ADMINT_LAYOUT_WIDE],
            sizeof layout->boxes[ADMINT_LAYOUT_WIDE]);
}

static gboolean
fail_with (GPtrArray  *errors,
           GError    **error)
{
  g_ptr_array_add (errors, NULL);
  g_autofree char *joined = g_strjoinv ("\n", (char **) errors->pdata);
  g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_CONFIG, joined);
  return FALSE;
}

gboolean
admint_layout_set_add_text (AdmintLayoutSet  *set,
                            const char       *label,
                            const char       *text,
                            gssize            length,
                            GError          **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  AdmintYamlFile *file;
  yaml_node_t *root;
  AdmintLayout *layout;
  g_autofree char *fallback_at = NULL;

  g_return_val_if_fail (set != NULL && label != NULL && text != NULL, FALSE);

  file = admint_yaml_file_parse (label, text, length < 0 ? strlen (text) : (gsize) length,
                                 errors);
  if (file == NULL)
    return fail_with (errors, error);
  root = admint_yaml_file_root (file);
  if (root == NULL || root->type != YAML_MAPPING_NODE)
    {
      g_ptr_array_add (errors, g_strdup_printf ("%s:1:1: a layout file is a mapping with name, "
                                                "beats, background, text, wide and tall", label));
      admint_yaml_file_free (file);
      return fail_with (errors, error);
    }

  layout = g_new0 (AdmintLayout, 1);
  layout->origin = g_strdup (label);
  layout->transition = ADMINT_TRANSITION_CROSSFADE;
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++)
    parse_member (file, layout, admint_yaml_file_node (file, p->key),
                  admint_yaml_file_node (file, p->value), &fallback_at, errors);
  if (layout->beats == NULL)
    layout->beats = g_new0 (char *, 1);
  check_layout (file, root, layout, errors);
  admint_yaml_file_free (file);
  if (errors->len > 0)
    {
      layout_free (layout);
      return fail_with (errors, error);
    }

  for (guint i = 0; i < set->layouts->len; i++)
    if (g_strcmp0 (((AdmintLayout *) g_ptr_array_index (set->layouts, i))->name,
                   layout->name) == 0)
      {
        g_ptr_array_remove_index (set->layouts, i);
        g_ptr_array_remove_index (set->fallbacks, i);
        break;
      }
  g_ptr_array_add (set->layouts, layout);
  g_ptr_array_add (set->fallbacks, g_steal_pointer (&fallback_at));
  return TRUE;
}

gboolean
admint_layout_set_check (AdmintLayoutSet  *set,
                         GError          **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (set != NULL, FALSE);

  for (guint i = 0; i < set->layouts->len; i++)
    {
      AdmintLayout *layout = g_ptr_array_index (set->layouts, i);

      if (layout->fallback != NULL && admint_layout_set_lookup (set, layout->fallback) == NULL)
        g_ptr_array_add (errors, g_strdup_printf ("%s: unknown layout “%s”; name one of the "
                                                  "layouts in data/layouts or your layouts "
                                                  "folder", (char *) set->fallbacks->pdata[i],
                                                  layout->fallback));
    }
  if (set->layouts->len == 0)
    g_ptr_array_add (errors, g_strdup ("layouts: none were loaded; the built-in resource is "
                                       "missing data/layouts"));
  return errors->len == 0 || fail_with (errors, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
add_user_layouts (AdmintLayoutSet  *set,
                  GError          **error)
{
  g_autofree char *config_dir = admint_paths_config_dir ();
  g_autofree char *dir_path = g_build_filename (config_dir, "layouts", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, names->pdata[i], NULL);
      g_autofree char *text = NULL;
      gsize length;

      if (!g_file_get_contents (path, &text, &length, error))
        return FALSE;
      if (!admint_layout_set_add_text (set, path, text, length, error))
        return FALSE;
    }
  return TRUE;
}

AdmintLayoutSet *
admint_layout_set_load (GError **error)
{
  g_autoptr(AdmintLayoutSet) set = admint_layout_set_new ();
  GResource *resource = admint_core_get_resource ();
  g_auto(GStrv) names = g_resource_enumerate_children (resource, RESOURCE_DIR, 0, NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_DIR "/", names[i], NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (resource, path, 0, NULL);
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      if (!admint_layout_set_add_text (set, path, data, length, error))
        return NULL;
    }
  if (!add_user_layouts (set, error) || !admint_layout_set_check (set, error))
    return NULL;
  return g_steal_pointer (&set);
}

AdmintLayoutSet *
admint_layout_set_get_default (void)
{
  static AdmintLayoutSet *set;

  if (g_once_init_enter (&set))
    {
      g_autoptr(GError) error = NULL;
      AdmintLayoutSet *loaded = admint_layout_set_load (&error);

      if (loaded == NULL)
        {
          /* Fall back to what ships, and tell the user which file to fix. */
          g_warning ("Your layouts are not used: %s", error->message);
          loaded = admint_layout_set_new ();
          g_auto(GStrv) names = g_resource_enumerate_children (admint_core_get_resource (),
                                                               RESOURCE_DIR, 0, NULL);
          for (guint i = 0; names != NULL && names[i] != NULL; i++)
            {
              g_autofree char *path = g_strconcat (RESOURCE_DIR "/", names[i], NULL);
              g_autoptr(GBytes) bytes = g_resource_lookup_data (admint_core_get_resource (), path,
                                                                0, NULL);
              gsize length;
              const char *data = g_bytes_get_data (bytes, &length);
              admint_layout_set_add_text (loaded, path, data, length, NULL);
            }
        }
      g_once_init_leave (&set, loaded);
    }
  return set;
}

guint
admint_layout_set_get_n (AdmintLayoutSet *set)
{
  g_return_val_if_fail (set != NULL, 0);
  return set->layouts->len;
}

const AdmintLayout *
admint_layout_set_get (AdmintLayoutSet *set,
                       guint            index)
{
  g_return_val_if_fail (set != NULL && index < set->layouts->len, NULL);
  return g_ptr_array_index (set->layouts, index);
}

const AdmintLayout *
admint_layout_set_lookup (AdmintLayoutSet *set,
                          const char      *name)
{
  g_return_val_if_fail (set != NULL, NULL);

  for (guint i = 0; name != NULL && i < set->layouts->len; i++)
    {
      AdmintLayout *layout = g_ptr_array_index (set->layouts, i);
      if (g_ascii_strcasecmp (layout->name, name) == 0)
        return layout;
    }
  return NULL;
}

gboolean
admint_layout_serves (const AdmintLayout *layout,
                      const char         *beat)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (layout != NULL, FALSE);
  if (beat == NULL)
    return FALSE;
  key = g_utf8_strdown (beat, -1);
  return g_strv_contains ((const char * const *) layout->beats, key);
}

const char *
admint_transition_to_string (AdmintTransition transition)
{
  return transition_names[CLAMP ((int) transition, 0, ADMINT_TRANSITION_ZOOM)];
}
