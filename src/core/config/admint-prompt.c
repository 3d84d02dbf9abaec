/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Agent prompts: the placeholders each agent provides, and rendering {placeholder} templates. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "admint-config-private.h"
#include "admint-error.h"

struct _AdmintPrompt
{
  gatomicrefcount  ref_count;
  char            *agent;
  char            *system_prompt;
  char            *user_template;
};

G_DEFINE_BOXED_TYPE (AdmintPrompt, admint_prompt, admint_prompt_ref, admint_prompt_unref)

static const char * const agents[] = {
  "director", "critic", "reference_analyst", "scene_writer", "scene_critic", "cohesor",
  "intent", NULL,
};

/* What each agent's caller fills in. A template may use these and nothing else, so a typo in a
 * user's template is caught at load time rather than sent to a model verbatim. */
static const char * const director_placeholders[] = {
  "brief", "framework", "framework_description", "beats", "product", "audience", "brand",
  "palette", "target_seconds", "aspect", "feedback", "previous_story", "iteration", NULL,
};
static const char * const critic_placeholders[] = {
  "brief", "framework", "framework_description", "beats", "product", "audience", "brand",
  "story", "target_seconds", "threshold", NULL,
};
static const char * const reference_analyst_placeholders[] = {
  "brief", "story", "asset_kind", "asset_name", "product", "brand", "palette", NULL,
};
static const char * const scene_writer_placeholders[] = {
  "brief", "story", "framework", "beats", "references", "target_seconds", "clip_seconds",
  "scene_count", "aspect", "brand", "palette", "feedback", "previous_scenes", NULL,
};
static const char * const scene_critic_placeholders[] = {
  "brief", "story", "scenes", "references", "target_seconds", "clip_seconds", "scene_count",
  "threshold", NULL,
};
static const char * const cohesor_placeholders[] = {
  "brief", "story", "scenes", "references", "brand", "palette", "aspect", NULL,
};
static const char * const intent_placeholders[] = {
  "message", "stage", "story", "scenes", "scene_count", NULL,
};

const char * const *
admint_prompt_list_agents (void)
{
  return agents;
}

const char * const *
admint_prompt_agent_placeholders (const char *agent)
{
  static const struct { const char *agent; const char * const *names; } table[] = {
    { "director", director_placeholders },
    { "critic", critic_placeholders },
    { "reference_analyst", reference_analyst_placeholders },
    { "scene_writer", scene_writer_placeholders },
    { "scene_critic", scene_critic_placeholders },
    { "cohesor", cohesor_placeholders },
    { "intent", intent_placeholders },
  };

  g_return_val_if_fail (agent != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (table[i].agent, agent) == 0)
      return table[i].names;
  return NULL;
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

gboolean
admint_prompt_next_placeholder (const char  *text,
                                gsize       *pos,
                                char       **name,
                                gsize       *start)
{
  gsize i = *pos;

  while (text[i] != '\0')
    {
      if (text[i] == '{' && text[i + 1] == '{')
        {
          i += 2;
          continue;
        }
      if (text[i] == '{' && is_name_start (text[i + 1]))
        {
          gsize j = i + 1;

          while (is_name_char (text[j]))
            j++;
          if (text[j] == '}')
            {
              *name = g_strndup (text + i + 1, j - i - 1);
              *start = i;
              *pos = j + 1;
              return TRUE;
            }
        }
      i++;
    }
  *pos = i;
  return FALSE;
}

char *
admint_prompt_render (const char  *template_text,
                      GHashTable  *values,
                      GError     **error)
{
  g_autoptr(GString) out = NULL;
  gsize i = 0;

  g_return_val_if_fail (template_text != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_string_sized_new (strlen (template_text) + 256);
  while (template_text[i] != '\0')
    {
      char c = template_text[i];

      if ((c == '{' || c == '}') && template_text[i + 1] == c)
        {
          g_string_append_c (out, c);
          i += 2;
          continue;
        }
      if (c == '{' && is_name_start (template_text[i + 1]))
        {
          gsize j = i + 1;

          while (is_name_char (template_text[j]))
            j++;
          if (template_text[j] == '}')
            {
              g_autofree char *name = g_strndup (template_text + i + 1, j - i - 1);
              const char *value = g_hash_table_lookup (values, name);

              if (value == NULL)
                {
                  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                               _("The prompt template uses {%s} but no value was given for it; "
                               "pass a value (an empty string if there is none)"), name);
                  return NULL;
                }
              g_string_append (out, value);
              i = j + 1;
              continue;
            }
        }
      g_string_append_c (out, c);
      i++;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

AdmintPrompt *
admint_prompt_new (const char *agent,
                   const char *system_prompt,
                   const char *user_template)
{
  AdmintPrompt *self = g_new0 (AdmintPrompt, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->agent = g_strdup (agent);
  self->system_prompt = g_strdup (system_prompt);
  self->user_template = g_strdup (user_template);
  return self;
}

AdmintPrompt *
admint_prompt_ref (AdmintPrompt *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
admint_prompt_unref (AdmintPrompt *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->agent);
  g_free (self->system_prompt);
  g_free (self->user_template);
  g_free (self);
}

const char *
admint_prompt_get_agent (AdmintPrompt *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->agent;
}

const char *
admint_prompt_get_system_prompt (AdmintPrompt *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->system_prompt;
}

const char *
admint_prompt_get_user_template (AdmintPrompt *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->user_template;
}

char *
admint_prompt_render_system (AdmintPrompt  *self,
                             GHashTable    *values,
                             GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return admint_prompt_render (self->system_prompt, values, error);
}

char *
admint_prompt_render_user (AdmintPrompt  *self,
                           GHashTable    *values,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return admint_prompt_render (self->user_template, values, error);
}
