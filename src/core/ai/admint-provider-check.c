/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider check shared by `admint providers test` and the Preferences' Test buttons. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "admint-ai-error.h"
#include "admint-chat-client.h"
#include "admint-error.h"
#include "admint-keys.h"
#include "admint-provider-check.h"
#include "admint-replicate-client.h"

typedef struct
{
  AdmintProviderCheck *check;
  char                *key;
  char                *with_v1;
  GError              *first_error;
} CheckState;

void
admint_provider_check_free (AdmintProviderCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->role);
  g_free (check->provider);
  g_free (check->base_url);
  g_free (check->model);
  g_free (check->key_source);
  g_free (check->problem);
  g_free (check->message);
  g_free (check);
}

static void
check_state_free (CheckState *state)
{
  admint_provider_check_free (state->check);
  if (state->key != NULL)
    memset (state->key, 0, strlen (state->key));
  g_free (state->key);
  g_free (state->with_v1);
  g_clear_error (&state->first_error);
  g_free (state);
}

static const char *
problem_of (const GError *error)
{
  if (error->domain != ADMINT_AI_ERROR)
    return "error";
  switch (error->code)
    {
    case ADMINT_AI_ERROR_AUTHENTICATION:
      return "key_rejected";
    case ADMINT_AI_ERROR_QUOTA_EXHAUSTED:
      return "quota_exhausted";
    case ADMINT_AI_ERROR_NETWORK_UNREACHABLE:
    case ADMINT_AI_ERROR_TIMEOUT:
      return "unreachable";
    case ADMINT_AI_ERROR_NOT_FOUND:
      return "not_found";
    default:
      return admint_ai_error_code_name (error->code);
    }
}

static void
finish (GTask *task)
{
  CheckState *state = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&state->check),
                         (GDestroyNotify) admint_provider_check_free);
}

static void
fail_with (GTask        *task,
           const GError *error)
{
  CheckState *state = g_task_get_task_data (task);

  state->check->problem = g_strdup (problem_of (error));
  state->check->message = g_strdup (error->message);
  finish (task);
}

/* A 404 from the base URL as given may mean it lacks /v1: the first time, ask again at
 * BASE_URL/v1 with ASK (keeping the first error to report if that fails too) and return TRUE. */
static gboolean
ask_again_with_v1 (GTask     *task,
                   gboolean   answered,
                   GError   **error,
                   void     (*ask) (GTask *task, const char *base_url))
{
  CheckState *state = g_task_get_task_data (task);

  if (state->with_v1 != NULL || answered ||
      !g_error_matches (*error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND))
    return FALSE;
  state->first_error = g_steal_pointer (error);
  state->with_v1 = g_strconcat (state->check->base_url, "/v1", NULL);
  ask (task, state->with_v1);
  return TRUE;
}

/* ---- openai: GET /models ---- */

static void on_models (GObject *source, GAsyncResult *result, gpointer user_data);

static void
list_models (GTask      *task,
             const char *base_url)
{
  CheckState *state = g_task_get_task_data (task);
  AdmintChatOptions options = ADMINT_CHAT_OPTIONS_INIT;
  g_autoptr(AdmintChatClient) client = NULL;

  options.base_url = base_url;
  options.api_key = state->key;
  options.first_byte_timeout_seconds = 15;
  options.retry.max_retries = 1;
  client = admint_chat_client_new (NULL, &options);
  admint_chat_client_list_models_async (client, g_task_get_cancellable (task), on_models, task);
}

static void
judge_models (CheckState *state,
              GStrv       models)
{
  AdmintProviderCheck *check = state->check;

  if (!g_strv_contains ((const char * const *) models, check->model))
    {
      g_autofree char *some = NULL;
      guint n = g_strv_length (models);
      char *first[6] = { NULL };

      for (guint i = 0; i < MIN (n, 5u); i++)
        first[i] = models[i];
      some = g_strjoinv (", ", first);
      check->problem = g_strdup ("model_not_found");
      check->message = g_strdup_printf (_("The server does not offer the model “%s”. Set "
                                          "providers.llm.model to one it has%s%s."), check->model,
                                        n ? ": " : "", n ? some : "");
      return;
    }
  check->ok = TRUE;
  check->message = g_strdup_printf (_("reachable; the model “%s” is available"), check->model);
}

static void
on_models (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  CheckState *state = g_task_get_task_data (task);
  AdmintProviderCheck *check = state->check;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = admint_chat_client_list_models_finish (ADMINT_CHAT_CLIENT (source),
                                                                result, &error);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (ask_again_with_v1 (task, models != NULL, &error, list_models))
    return;
  if (state->with_v1 != NULL && models != NULL)
    {
      check->problem = g_strdup ("wrong_base_url");
      check->message = g_strdup_printf (_("%s has no /models, but %s/models answers: the base "
                                          "URL is missing /v1. Set providers.llm.base_url (or "
                                          "ADMINT_OPENAI_BASE_URL) to %s."), check->base_url,
                                        state->with_v1, state->with_v1);
      finish (task);
      g_object_unref (task);
      return;
    }
  if (state->with_v1 != NULL)
    {
      /* Not there either: report the first answer. */
      g_clear_error (&error);
      error = g_steal_pointer (&state->first_error);
    }

  if (models == NULL)
    {
      if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_AUTHENTICATION) &&
          state->key == NULL)
        {
          check->problem = g_strdup ("key_rejected");
          check->message = g_strdup_printf (_("%s wants an API key and none is set. Run “admint "
                                              "keys set openai” or set OPENAI_API_KEY."),
                                            check->base_url);
          finish (task);
        }
      else
        fail_with (task, error);
      g_object_unref (task);
      return;
    }
  judge_models (state, models);
  finish (task);
  g_object_unref (task);
}

/* ---- replicate: GET /models/{owner}/{name} ---- */

static void on_model (GObject *source, GAsyncResult *result, gpointer user_data);

static void
get_model (GTask      *task,
           const char *base_url)
{
  CheckState *state = g_task_get_task_data (task);
  AdmintReplicateOptions options = ADMINT_REPLICATE_OPTIONS_INIT;
  g_autoptr(AdmintReplicateClient) client = NULL;

  options.base_url = base_url;
  options.model = state->check->model;
  options.api_key = state->key;
  options.kind = state->check->role;
  options.request_timeout_seconds = 15;
  options.retry.max_retries = 1;
  client = admint_replicate_client_new (NULL, &options);
  admint_replicate_client_get_model_async (client, g_task_get_cancellable (task), on_model, task);
}

static void
on_model (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  CheckState *state = g_task_get_task_data (task);
  AdmintProviderCheck *check = state->check;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) schema = admint_replicate_client_get_model_finish (
    ADMINT_REPLICATE_CLIENT (source), result, &error);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (ask_again_with_v1 (task, schema != NULL, &error, get_model))
    return;
  if (state->with_v1 != NULL)
    {
      if (schema != NULL)
        {
          check->problem = g_strdup ("wrong_base_url");
          check->message = g_strdup_printf (_("The base URL is missing /v1: set providers.%s."
                                              "base_url (or ADMINT_REPLICATE_BASE_URL) to %s."),
                                            check->role, state->with_v1);
        }
      else
        {
          check->problem = g_strdup ("model_not_found");
          check->message = g_strdup (state->first_error->message);
        }
    }
  else if (schema == NULL)
    {
      fail_with (task, error);
      g_object_unref (task);
      return;
    }
  else
    {
      check->ok = TRUE;
      check->message = g_strdup_printf (_("reachable; the model “%s” takes %u inputs"),
                                        check->model, json_object_get_size (schema));
    }
  finish (task);
  g_object_unref (task);
}

/* ---- the key, then the provider ---- */

static void
on_key (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  CheckState *state = g_task_get_task_data (task);
  AdmintProviderCheck *check = state->check;
  g_autoptr(GError) error = NULL;
  AdmintKeySource key_source = ADMINT_KEY_SOURCE_NONE;

  state->key = admint_keys_lookup_finish (result, &key_source, &error);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  g_free (check->key_source);
  check->key_source = g_strdup (admint_keys_source_name (key_source));
  /* A key that is set but unusable (a line break in the variable) fails the check, saying
   * so: sending it would send something else than what the user set. */
  if (g_error_matches (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT))
    {
      check->problem = g_strdup ("bad_key");
      check->message = g_strdup (error->message);
      finish (task);
      g_object_unref (task);
      return;
    }
  if (error != NULL)
    g_debug ("keyring: %s", error->message);

  if (g_str_equal (check->provider, "openai"))
    list_models (task, check->base_url);
  else if (state->key == NULL)
    {
      check->problem = g_strdup ("no_key");
      check->message = g_strdup (_("No Replicate key is set. Run “admint keys set "
                                   "replicate” or set REPLICATE_API_TOKEN."));
      finish (task);
      g_object_unref (task);
    }
  else
    get_model (task, check->base_url);
}

void
admint_provider_check_async (const char          *role,
                             const char          *provider,
                             const char          *base_url,
                             const char          *model,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckState *state;
  AdmintProviderCheck *check;

  g_return_if_fail (role != NULL);
  g_return_if_fail (provider != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_provider_check_async);
  state = g_new0 (CheckState, 1);
  check = state->check = g_new0 (AdmintProviderCheck, 1);
  check->role = g_strdup (role);
  check->provider = g_strdup (provider);
  check->key_source = g_strdup ("none");
  g_task_set_task_data (task, state, (GDestroyNotify) check_state_free);

  if (g_str_equal (provider, "local"))
    {
      check->ok = TRUE;
      check->message = g_strdup (_("built in: needs no network and no key"));
      finish (task);
      return;
    }
  if (g_str_equal (provider, "none"))
    {
      check->ok = TRUE;
      check->message = g_strdup (g_str_equal (role, "music") ? _("off: the ads have no music bed")
                                                             : _("off: the ads have no voice-over"));
      finish (task);
      return;
    }
  if (!g_str_equal (provider, "openai") && !g_str_equal (provider, "replicate"))
    {
      check->problem = g_strdup ("unknown_provider");
      check->message = g_strdup_printf (_("“%s” is not a provider; use local, openai or "
                                          "replicate."), provider);
      finish (task);
      return;
    }
  check->base_url = g_strdup (base_url != NULL ? base_url : "");
  check->model = g_strdup (model != NULL ? model : "");
  while (g_str_has_suffix (check->base_url, "/"))
    check->base_url[strlen (check->base_url) - 1] = '\0';
  admint_keys_lookup_async (provider, cancellable, on_key, g_steal_pointer (&task));
}

AdmintProviderCheck *
admint_provider_check_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
