/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local provider's cohesor: ties the scenes to the reference images and to each other. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <string.h>

#include "admint-local-writer-private.h"

static JsonObject *
reference_analysis (JsonArray *references,
                    const char *role)
{
  for (guint i = 0; references != NULL && i < json_array_get_length (references); i++)
    {
      JsonObject *ref = json_array_get_object_element (references, i);
      if (role == NULL || g_strcmp0 (json_object_get_string_member_with_default (ref, "role", ""),
                                     role) == 0)
        if (json_object_has_member (ref, "analysis"))
          return json_object_get_object_member (ref, "analysis");
    }
  return NULL;
}

static int
reference_index (JsonArray  *references,
                 const char *role)
{
  for (guint i = 0; references != NULL && i < json_array_get_length (references); i++)
    {
      JsonObject *ref = json_array_get_object_element (references, i);
      if (g_strcmp0 (json_object_get_string_member_with_default (ref, "role", ""), role) == 0)
        return (int) i;
    }
  return -1;
}

JsonNode *
admint_local_cohere_scenes (JsonArray         *scenes,
                            JsonArray         *references,
                            const AdmintBrief *brief)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonObject *product = reference_analysis (references, "product");
  JsonObject *character = reference_analysis (references, "character");
  JsonObject *any = reference_analysis (references, NULL);
  g_autoptr(GString) palette = g_string_new (NULL);
  const char *name;
  guint n;

  g_return_val_if_fail (scenes != NULL, NULL);
  g_return_val_if_fail (brief != NULL, NULL);

  name = admint_brief_get_name (brief);
  n = json_array_get_length (scenes);

  JsonObject *palette_source = product ? product : any;
  if (palette_source != NULL && json_object_has_member (palette_source, "palette"))
    {
      JsonArray *colours = json_object_get_array_member (palette_source, "palette");
      for (guint i = 0; i < json_array_get_length (colours) && i < 4; i++)
        g_string_append_printf (palette, "%s%s", i ? ", " : "",
                                json_array_get_string_element (colours, i));
    }
  const char *style = palette_source
                      ? json_object_get_string_member_with_default (palette_source, "style", NULL)
                      : NULL;
  const char *subject = character
                        ? json_object_get_string_member_with_default (character, "subject", NULL)
                        : NULL;
  const char *product_look = product
                             ? json_object_get_string_member_with_default (product, "product",
                                                                           NULL)
                             : NULL;
  int product_ref = reference_index (references, "product");
  int logo_ref = reference_index (references, "logo");
  int character_ref = reference_index (references, "character");

  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *scene = json_array_get_object_element (scenes, i);
      const char *desc = json_object_get_string_member_with_default (scene, "description", "");
      /* The consistency context goes beside the description, not into it, so the user's or the
       * writer's words stay as they are and cohering twice changes nothing. */
      GString *d = g_string_new (NULL);

      /* The same product, named the same way, in every scene. */
      if (!admint_text_mentions (desc, name) && !admint_text_mentions (desc, brief->product))
        g_string_append_printf (d, "The %s (%s) is clearly visible.", brief->product, name);
      else
        g_string_append_printf (d, "The %s is %s.", brief->product, name);
      if (product_look != NULL)
        g_string_append_printf (d, " Product look: %s.", product_look);
      if (subject != NULL)
        g_string_append_printf (d, " Same character throughout: %s.", subject);
      if (palette->len > 0)
        g_string_append_printf (d, " Colour palette: %s.", palette->str);
      if (style != NULL)
        g_string_append_printf (d, " Style: %s.", style);

      json_builder_begin_object (b);
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      json_object_iter_init (&iter, scene);
      while (json_object_iter_next (&iter, &member, &value))
        {
          if (g_str_equal (member, "leads_into") || g_str_equal (member, "reference") ||
              g_str_equal (member, "continuity"))
            continue;
          json_builder_set_member_name (b, member);
          json_builder_add_value (b, json_node_copy (value));
        }
      json_builder_set_member_name (b, "continuity");
      json_builder_add_string_value (b, d->str);

      /* Each scene's end leads into the next one's start. */
      json_builder_set_member_name (b, "leads_into");
      if (i + 1 < n)
        {
          JsonObject *next = json_array_get_object_element (scenes, i + 1);
          g_autofree char *next_start = admint_headline (
            json_object_get_string_member_with_default (next, "description", ""), 8);
          g_autofree char *lead = g_strdup_printf ("Ends moving toward the next shot (%s), "
                                                   "matching its direction of motion.",
                                                   next_start);
          json_builder_add_string_value (b, lead);
        }
      else
        json_builder_add_string_value (b, "Ends on the brand and call to action, held still.");

      /* The reference image that anchors this scene: logo last, character when shown. */
      int ref = product_ref;
      guint n_refs = references != NULL ? json_array_get_length (references) : 0;
      if (i + 1 == n && logo_ref >= 0)
        ref = logo_ref;
      else if (character_ref >= 0 && subject != NULL && i % 2 == 1)
        ref = character_ref;
      else if (logo_ref < 0 && character_ref < 0 && n_refs > 0)
        ref = (int) (i % n_refs);   /* generated scene cards: each scene its own */
      if (ref < 0 && n_refs > 0)
        ref = (int) (i % n_refs);
      json_builder_set_member_name (b, "reference");
      json_builder_add_int_value (b, ref);
      json_builder_end_object (b);
      g_string_free (d, TRUE);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}
