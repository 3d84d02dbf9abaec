/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ad frameworks (AIDA, PAS, FAB, a user's own): name, description and beats with goals. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include "admint-config-private.h"

struct _AdmintFramework
{
  gatomicrefcount  ref_count;
  char            *name;
  char            *description;
  GPtrArray       *beats;  /* name, goal, name, goal… */
  char            *origin;
};

G_DEFINE_BOXED_TYPE (AdmintFramework, admint_framework, admint_framework_ref,
                     admint_framework_unref)

AdmintFramework *
admint_framework_new (const char *name,
                      const char *description,
                      GPtrArray  *beats,
                      const char *origin)
{
  AdmintFramework *self = g_new0 (AdmintFramework, 1);

  g_assert (beats != NULL && beats->len % 2 == 0);

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->beats = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < beats->len; i++)
    g_ptr_array_add (self->beats, g_strdup (g_ptr_array_index (beats, i)));
  self->origin = g_strdup (origin);
  return self;
}

AdmintFramework *
admint_framework_ref (AdmintFramework *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
admint_framework_unref (AdmintFramework *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->name);
  g_free (self->description);
  g_ptr_array_unref (self->beats);
  g_free (self->origin);
  g_free (self);
}

const char *
admint_framework_get_name (AdmintFramework *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

const char *
admint_framework_get_description (AdmintFramework *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->description;
}

guint
admint_framework_get_n_beats (AdmintFramework *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->beats->len / 2;
}

const char *
admint_framework_get_beat_name (AdmintFramework *self,
                                guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->beats->len / 2, NULL);
  return g_ptr_array_index (self->beats, index * 2);
}

const char *
admint_framework_get_beat_goal (AdmintFramework *self,
                                guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->beats->len / 2, NULL);
  return g_ptr_array_index (self->beats, index * 2 + 1);
}

const char *
admint_framework_get_origin (AdmintFramework *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->origin;
}

char *
admint_framework_format_beats (AdmintFramework *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->beats->len / 2; i++)
    g_string_append_printf (out, "%s%u. %s: %s", i > 0 ? "\n" : "", i + 1,
                            (const char *) g_ptr_array_index (self->beats, i * 2),
                            (const char *) g_ptr_array_index (self->beats, i * 2 + 1));
  return g_string_free (out, FALSE);
}
