/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The budget check before the clips: an estimate against budget.max_usd_per_generation. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"

static double
estimate_clip_cost (AdmintGeneration *self)
{
  JsonArray *scenes = json_node_get_array (self->scenes);
  double total = 0;

  for (guint i = 0; i < json_array_get_length (scenes); i++)
    {
      ClipState *clip = self->clips && i < self->clips->len ? g_ptr_array_index (self->clips, i)
                                                           : NULL;
      if (clip != NULL && g_strcmp0 (clip->status, "completed") == 0)
        continue;
      total += admint_video_provider_estimate_cost (
        self->video, json_object_get_double_member (json_array_get_object_element (scenes, i),
                                                    "duration"));
    }
  return total;
}

/* TRUE to go on with the clips now. */
gboolean
_admint_gen_check_budget (AdmintGeneration *self)
{
  double estimate = estimate_clip_cost (self);
  double budget = admint_config_get_double (self->config, "budget.max_usd_per_generation");
  /* Read once: MAX would evaluate the store read twice. */
  double spent = admint_store_get_generation_cost (self->store, self->id, NULL);

  spent = MAX (0, spent);

  if (self->budget_approved || spent + estimate <= budget)
    return TRUE;
  if (self->max_cost >= 0 && estimate <= self->max_cost)
    {
      g_autofree char *note = g_strdup_printf (_("The clips are estimated at $%.2f, over the budget "
                                               "of $%.2f, within the --max-cost of $%.2f."),
                                               estimate, budget, self->max_cost);
      _admint_gen_add_text_message (self, "assistant", "text", note);
      return TRUE;
    }

  g_autofree char *message = NULL;
  if (self->mode == ADMINT_GENERATION_INTERACTIVE)
    {
      message = g_strdup_printf (_("The clips are estimated at $%.2f (already spent: $%.2f), over "
                                 "the budget of $%.2f per generation. Reply “ok” to spend it, or "
                                 "anything else to stop."), estimate, spent, budget);
      _admint_gen_wait_for_user (self, ADMINT_GENERATION_WAIT_BUDGET, message);
      return FALSE;
    }
  message = g_strdup_printf (_("Stopped before making the clips: they are estimated at $%.2f "
                             "(already spent: $%.2f), over the budget of $%.2f per generation. "
                             "Raise budget.max_usd_per_generation in your config, or allow it "
                             "with --max-cost %.2f."), estimate, spent, budget, estimate);
  _admint_gen_fail_as (self, ADMINT_FAILURE_BUDGET, "budget.max_usd_per_generation", message);
  return FALSE;
}
