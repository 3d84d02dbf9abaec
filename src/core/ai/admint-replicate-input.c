/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inputs of a Replicate prediction (a boxed type), its result, and its progress in logs. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "admint-replicate-client.h"
#include "admint-replicate-private.h"

/* ---- inputs ---- */

G_DEFINE_BOXED_TYPE (AdmintReplicateInput, admint_replicate_input,
                     admint_replicate_input_ref, admint_replicate_input_unref)

AdmintReplicateInput *
admint_replicate_input_new (void)
{
  AdmintReplicateInput *input = g_atomic_rc_box_new0 (AdmintReplicateInput);

  input->values = json_object_new ();
  input->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  input->file_order = g_ptr_array_new_with_free_func (g_free);
  return input;
}

AdmintReplicateInput *
admint_replicate_input_ref (AdmintReplicateInput *input)
{
  g_return_val_if_fail (input != NULL, NULL);
  return g_atomic_rc_box_acquire (input);
}

static void
input_clear (AdmintReplicateInput *input)
{
  json_object_unref (input->values);
  g_hash_table_unref (input->files);
  g_ptr_array_unref (input->file_order);
  g_free (input->generation_id);
}

void
admint_replicate_input_unref (AdmintReplicateInput *input)
{
  g_return_if_fail (input != NULL);
  g_atomic_rc_box_release_full (input, (GDestroyNotify) input_clear);
}

void
admint_replicate_input_set_string (AdmintReplicateInput *input,
                                   const char           *name,
                                   const char           *value)
{
  g_return_if_fail (input != NULL && name != NULL && value != NULL);
  json_object_set_string_member (input->values, name, value);
}

void
admint_replicate_input_set_int (AdmintReplicateInput *input,
                                const char           *name,
                                gint64                value)
{
  g_return_if_fail (input != NULL && name != NULL);
  json_object_set_int_member (input->values, name, value);
}

void
admint_replicate_input_set_double (AdmintReplicateInput *input,
                                   const char           *name,
                                   double                value)
{
  g_return_if_fail (input != NULL && name != NULL);
  json_object_set_double_member (input->values, name, value);
}

void
admint_replicate_input_set_boolean (AdmintReplicateInput *input,
                                    const char           *name,
                                    gboolean              value)
{
  g_return_if_fail (input != NULL && name != NULL);
  json_object_set_boolean_member (input->values, name, value);
}

void
admint_replicate_input_add_file (AdmintReplicateInput *input,
                                 const char           *name,
                                 const char           *path)
{
  GPtrArray *paths;

  g_return_if_fail (input != NULL && name != NULL && path != NULL);

  paths = g_hash_table_lookup (input->files, name);
  if (paths == NULL)
    {
      paths = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (input->files, g_strdup (name), paths);
      g_ptr_array_add (input->file_order, g_strdup (name));
    }
  g_ptr_array_add (paths, g_strdup (path));
}

void
admint_replicate_input_set_generation_id (AdmintReplicateInput *input,
                                          const char           *generation_id)
{
  g_return_if_fail (input != NULL);
  g_free (input->generation_id);
  input->generation_id = g_strdup (generation_id);
}

void
admint_prediction_result_free (AdmintPredictionResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  g_strfreev (result->files);
  g_strfreev (result->dropped_inputs);
  g_free (result);
}

double
admint_replicate_parse_progress (const char *logs)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  double fraction = -1;

  if (logs == NULL)
    return -1;
  regex = g_regex_new ("(\\d{1,3})%\\|", 0, 0, NULL);
  g_regex_match (regex, logs, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *digits = g_match_info_fetch (match, 1);
      fraction = MIN (100, g_ascii_strtoull (digits, NULL, 10)) / 100.0;
      g_match_info_next (match, NULL);
    }
  return fraction;
}
