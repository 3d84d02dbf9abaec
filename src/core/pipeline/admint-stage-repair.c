/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Model output made usable before the pipeline takes it: a colour that is not "#RRGGBB", a
 * duration out of range, an optional field of the wrong type are fixed or dropped, each with a
 * record in the log. Only output with nothing usable left is asked for again (agents.c). */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <math.h>
#include <string.h>
#include <pango/pango.h>

#include "admint-generation-private.h"

static void
repaired (AdmintGeneration *self,
          const char       *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
repaired (AdmintGeneration *self,
          const char       *format,
          ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  _admint_gen_log_event (self, "repaired", text);
}

/* "#RRGGBB" for any colour Pango reads ("#abc", "#aabbcc", "#rrrgggbbb", names like "navy"),
 * also without the "#", with an alpha byte, or as "rgb(r, g, b)"; NULL when it is none. */
static char *
normalise_colour (const char *text)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  PangoColor c;
  guint r, g, b;
  gsize len = strlen (t);
  gboolean hex = len > 0;

  for (gsize i = (t[0] == '#'); i < len; i++)
    hex = hex && g_ascii_isxdigit (t[i]);
  if (hex && t[0] != '#' && (len == 3 || len == 6))
    {
      g_autofree char *with_hash = g_strconcat ("#", t, NULL);
      return normalise_colour (with_hash);
    }
  if (hex && t[0] == '#' && len == 9)
    t[7] = '\0';  /* #RRGGBBAA: the colour without its alpha */
  if (sscanf (t, "rgb(%u ,%u ,%u )", &r, &g, &b) == 3 ||
      sscanf (t, "rgb(%u,%u,%u)", &r, &g, &b) == 3)
    {
      if (r > 255 || g > 255 || b > 255)
        return NULL;
      return g_strdup_printf ("#%02X%02X%02X", r, g, b);
    }
  if (!pango_color_parse (&c, t))
    return NULL;
  return g_strdup_printf ("#%02X%02X%02X", c.red >> 8, c.green >> 8, c.blue >> 8);
}

void
_admint_gen_repair_analysis (AdmintGeneration *self,
                             JsonObject       *analysis)
{
  static const char * const texts[] = {
    "subject", "character", "product", "style", "lighting", "consistency_notes",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      JsonNode *node = json_object_get_member (analysis, texts[i]);
      if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) ||
                           json_node_get_value_type (node) != G_TYPE_STRING))
        {
          repaired (self, "the reference analysis's \"%s\" is not text; dropped", texts[i]);
          json_object_remove_member (analysis, texts[i]);
        }
    }

  JsonNode *palette = json_object_get_member (analysis, "palette");
  if (palette == NULL)
    return;
  JsonArray *fixed = json_array_new ();
  if (JSON_NODE_HOLDS_ARRAY (palette))
    {
      JsonArray *colours = json_node_get_array (palette);
      for (guint i = 0; i < json_array_get_length (colours); i++)
        {
          JsonNode *c = json_array_get_element (colours, i);
          const char *text = JSON_NODE_HOLDS_VALUE (c) &&
                             json_node_get_value_type (c) == G_TYPE_STRING
                             ? json_node_get_string (c) : NULL;
          g_autofree char *colour = text ? normalise_colour (text) : NULL;
          if (colour == NULL)
            repaired (self, "palette colour %u (%s) of a reference analysis is not a colour; "
                      "dropped", i + 1, text ? text : "not text");
          else
            {
              if (strcmp (colour, text) != 0)
                repaired (self, "palette colour “%s” of a reference analysis written as %s",
                          text, colour);
              json_array_add_string_element (fixed, colour);
            }
        }
    }
  else
    repaired (self, "the reference analysis's palette is not a list; dropped");

  if (json_array_get_length (fixed) == 0)
    {
      json_array_unref (fixed);
      json_object_remove_member (analysis, "palette");
      return;
    }
  json_object_set_array_member (analysis, "palette", fixed);
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

gboolean
_admint_gen_repair_scenes (AdmintGeneration *self,
                           JsonArray        *scenes)
{
  static const char * const texts[] = {
    "camera", "on_screen_text", "continuity", "leads_into", "voice_over", "title",
  };
  double clip_seconds = admint_video_provider_get_max_clip_seconds (self->video);
  guint n = json_array_get_length (scenes);
  double share = MIN (clip_seconds, (double) self->target_seconds / MAX (n, 1));
  guint n_refs = self->references ? json_array_get_length (json_node_get_array (
                                                             self->references)) : 0;

  for (guint i = n; i-- > 0;)
    {
      JsonNode *node = json_array_get_element (scenes, i);
      JsonObject *scene = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *description = scene ? json_object_get_string_member_with_default (
                                          scene, "description", NULL) : NULL;
      JsonNode *d = scene ? json_object_get_member (scene, "description") : NULL;

      if (scene == NULL || d == NULL || !JSON_NODE_HOLDS_VALUE (d) ||
          json_node_get_value_type (d) != G_TYPE_STRING || is_blank (description))
        {
          repaired (self, "scene %u has no description; dropped", i + 1);
          json_array_remove_element (scenes, i);
        }
    }
  n = json_array_get_length (scenes);
  if (n == 0)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *scene = json_array_get_object_element (scenes, i);
      JsonNode *d = json_object_get_member (scene, "duration");
      double duration = d != NULL && JSON_NODE_HOLDS_VALUE (d) &&
                        (json_node_get_value_type (d) == G_TYPE_DOUBLE ||
                         json_node_get_value_type (d) == G_TYPE_INT64)
                        ? json_node_get_double (d) : NAN;

      if (isnan (duration) || duration <= 0)
        {
          repaired (self, "scene %u has no usable duration; given %.1f s", i + 1, share);
          json_object_set_double_member (scene, "duration", share);
        }
      else if (duration > clip_seconds)
        {
          repaired (self, "scene %u asks for %.1f s, longer than a clip can be (%.0f s); "
                    "shortened to %.0f s", i + 1, duration, clip_seconds, clip_seconds);
          json_object_set_double_member (scene, "duration", clip_seconds);
        }
      for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
        {
          JsonNode *v = json_object_get_member (scene, texts[t]);
          if (v != NULL && !JSON_NODE_HOLDS_NULL (v) &&
              (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING))
            {
              repaired (self, "scene %u's \"%s\" is not text; dropped", i + 1, texts[t]);
              json_object_remove_member (scene, texts[t]);
            }
          else if (v != NULL && JSON_NODE_HOLDS_NULL (v))
            json_object_remove_member (scene, texts[t]);
        }
      JsonNode *ref = json_object_get_member (scene, "reference");
      if (ref != NULL && (!JSON_NODE_HOLDS_VALUE (ref) ||
                          json_node_get_value_type (ref) != G_TYPE_INT64 ||
                          json_node_get_int (ref) < 0 ||
                          (n_refs > 0 && json_node_get_int (ref) >= n_refs)))
        {
          repaired (self, "scene %u names a reference image that does not exist; dropped",
                    i + 1);
          json_object_remove_member (scene, "reference");
        }
      json_object_set_int_member (scene, "index", i);
    }
  return TRUE;
}
