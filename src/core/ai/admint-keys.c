/* SPDX-License-Identifier: GPL-3.0-or-later */
/* API keys in the keyring (libsecret), with environment variables overriding for headless use. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "admint-error.h"
#include "admint-keys.h"

const SecretSchema *
admint_keys_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.admint.AdMint.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

gboolean
admint_keys_is_provider (const char *provider)
{
  return g_strcmp0 (provider, "openai") == 0 || g_strcmp0 (provider, "replicate") == 0;
}

const char *
admint_keys_env_var (const char *provider)
{
  if (g_strcmp0 (provider, "openai") == 0)
    return "OPENAI_API_KEY";
  if (g_strcmp0 (provider, "replicate") == 0)
    return "REPLICATE_API_TOKEN";
  return NULL;
}

const char *
admint_keys_source_name (AdmintKeySource source)
{
  switch (source)
    {
    case ADMINT_KEY_SOURCE_ENVIRONMENT:
      return "environment";
    case ADMINT_KEY_SOURCE_KEYRING:
      return "keyring";
    case ADMINT_KEY_SOURCE_INPUT:
      return "input";
    case ADMINT_KEY_SOURCE_NONE:
    default:
      return "none";
    }
}

/* What the character at the start of P is, for a message. */
static const char *
describe_byte (guchar c)
{
  switch (c)
    {
    case '\0':
      return _("a NUL byte, which would cut the key short");
    case '\n':
      return _("a line break (LF)");
    case '\r':
      return _("a carriage return (CR)");
    case '\t':
      return _("a tab");
    case ' ':
      return _("a space");
    default:
      return c < 0x20 || c == 0x7f ? _("a control character") : _("a non-ASCII character");
    }
}

gboolean
admint_keys_check (const char       *provider,
                   AdmintKeySource   source,
                   const char       *key,
                   gsize             length,
                   GError          **error)
{
  g_autofree char *origin = NULL;
  g_autofree char *fix = NULL;
  const char *env_var = admint_keys_env_var (provider);
  gsize i;

  g_return_val_if_fail (key != NULL || length == 0, FALSE);

  for (i = 0; i < length; i++)
    if ((guchar) key[i] <= 0x20 || (guchar) key[i] >= 0x7f)
      break;
  if (i == length)
    return TRUE;

  switch (source)
    {
    case ADMINT_KEY_SOURCE_ENVIRONMENT:
      origin = g_strdup_printf (_("in %s"), env_var);
      fix = g_strdup_printf (_("Set %s again to the key alone, for example with export %s=\"$(tr "
                               "-d '\\r\\n' < key.txt)\"."), env_var, env_var);
      break;
    case ADMINT_KEY_SOURCE_KEYRING:
      origin = g_strdup (_("in the keyring"));
      fix = g_strdup_printf (_("Store it again with “admint keys set %s”."), provider);
      break;
    case ADMINT_KEY_SOURCE_INPUT:
    case ADMINT_KEY_SOURCE_NONE:
    default:
      origin = g_strdup (_("given"));
      fix = g_strdup (_("Give the key alone, on one line, as it was issued."));
      break;
    }
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("The %s key %s holds %s (byte 0x%02x at position %" G_GSIZE_FORMAT "). A key is "
                 "one line of printable characters. %s"),
               provider, origin, describe_byte (key[i]), (guchar) key[i], i + 1, fix);
  return FALSE;
}

static GError *
keyring_error (const GError *error,
               const char   *provider,
               const char   *doing)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (ADMINT_ERROR, ADMINT_ERROR_CANCELLED, error->message);
  return g_error_new (ADMINT_ERROR, ADMINT_ERROR_FAILED,
                      _("Could not %s the %s key in the keyring: %s. Make sure a Secret Service "
                        "(such as gnome-keyring) is running and unlocked, or set %s in the "
                        "environment instead."), doing, provider, error->message,
                      admint_keys_env_var (provider));
}

/* NULL when PROVIDER has a key; otherwise the error saying which providers do. */
static GError *
provider_error (const char *provider)
{
  if (admint_keys_is_provider (provider))
    return NULL;
  return g_error_new (ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                      _("“%s” is not a provider with a key; use openai or replicate."),
                      provider ? provider : "");
}

static gboolean
check_provider (GTask      *task,
                const char *provider)
{
  GError *error = provider_error (provider);

  if (error == NULL)
    return TRUE;
  g_task_return_error (task, error);
  return FALSE;
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error, g_task_get_task_data (task), _("store")));
  else
    g_task_return_boolean (task, TRUE);
}

void
admint_keys_store_async (const char          *provider,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_task_set_source_tag (task, admint_keys_store_async);
  g_task_set_task_data (task, g_strdup (provider), g_free);
  if (!check_provider (task, provider))
    {
      g_object_unref (task);
      return;
    }
  if (secret == NULL || *secret == '\0')
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("The key is empty; paste the whole key."));
      g_object_unref (task);
      return;
    }
  {
    GError *bad = NULL;
    if (!admint_keys_check (provider, ADMINT_KEY_SOURCE_INPUT, secret, strlen (secret), &bad))
      {
        g_task_return_error (task, bad);
        g_object_unref (task);
        return;
      }
  }
  label = g_strdup_printf (_("Ad Mint %s API key"), provider);
  secret_password_store (admint_keys_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, stored_cb, task, "provider", provider, NULL);
}

gboolean
admint_keys_store_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, g_task_get_task_data (task), _("read")));
      return;
    }
  if (secret != NULL && !admint_keys_check (g_task_get_task_data (task), ADMINT_KEY_SOURCE_KEYRING,
                                            secret, strlen (secret), &error))
    {
      secret_password_free (secret);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data (G_OBJECT (task), "source",
                     GINT_TO_POINTER (secret ? ADMINT_KEY_SOURCE_KEYRING : ADMINT_KEY_SOURCE_NONE));
  g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

static void
lookup (const char          *provider,
        gboolean             env_first,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  const char *env;

  g_task_set_source_tag (task, admint_keys_lookup_async);
  g_task_set_task_data (task, g_strdup (provider), g_free);
  if (!check_provider (task, provider))
    {
      g_object_unref (task);
      return;
    }
  env = g_getenv (admint_keys_env_var (provider));
  if (env_first && env != NULL && *env != '\0')
    {
      GError *bad = NULL;
      if (!admint_keys_check (provider, ADMINT_KEY_SOURCE_ENVIRONMENT, env, strlen (env), &bad))
        {
          g_task_return_error (task, bad);
          g_object_unref (task);
          return;
        }
      g_object_set_data (G_OBJECT (task), "source", GINT_TO_POINTER (ADMINT_KEY_SOURCE_ENVIRONMENT));
      g_task_return_pointer (task, g_strdup (env), g_free);
      g_object_unref (task);
      return;
    }
  secret_password_lookup (admint_keys_get_schema (), cancellable, looked_up_cb, task,
                          "provider", provider, NULL);
}

void
admint_keys_lookup_async (const char          *provider,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  lookup (provider, TRUE, cancellable, callback, user_data);
}

void
admint_keys_lookup_keyring_async (const char          *provider,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  lookup (provider, FALSE, cancellable, callback, user_data);
}

char *
admint_keys_lookup_finish (GAsyncResult     *result,
                           AdmintKeySource  *source,
                           GError          **error)
{
  char *secret;
  AdmintKeySource from;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  secret = g_task_propagate_pointer (G_TASK (result), error);
  from = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "source"));
  if (source != NULL)
    *source = secret ? from : ADMINT_KEY_SOURCE_NONE;
  /* Callers free with g_free: copy out of libsecret's non-pageable memory. */
  if (secret != NULL && from != ADMINT_KEY_SOURCE_ENVIRONMENT)
    {
      char *copy = g_strdup (secret);
      secret_password_free (secret);
      secret = copy;
    }
  return secret;
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error, g_task_get_task_data (task), _("remove")));
  else
    g_task_return_int (task, removed);
}

void
admint_keys_clear_async (const char          *provider,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, admint_keys_clear_async);
  g_task_set_task_data (task, g_strdup (provider), g_free);
  if (!check_provider (task, provider))
    {
      g_object_unref (task);
      return;
    }
  secret_password_clear (admint_keys_get_schema (), cancellable, cleared_cb, task,
                         "provider", provider, NULL);
}

gboolean
admint_keys_clear_finish (GAsyncResult  *result,
                          gboolean      *removed,
                          GError       **error)
{
  g_autoptr(GError) local = NULL;
  gssize value;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  value = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (removed != NULL)
    *removed = value != 0;
  return TRUE;
}

/* For the CLI and worker threads: the same lookup, blocking while the keyring answers. */
char *
admint_keys_lookup_sync (const char       *provider,
                         AdmintKeySource  *source,
                         GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *env;
  char *secret;

  if (source != NULL)
    *source = ADMINT_KEY_SOURCE_NONE;
  GError *bad_provider = provider_error (provider);
  if (bad_provider != NULL)
    {
      g_propagate_error (error, bad_provider);
      return NULL;
    }
  env = g_getenv (admint_keys_env_var (provider));
  if (env != NULL && *env != '\0')
    {
      if (!admint_keys_check (provider, ADMINT_KEY_SOURCE_ENVIRONMENT, env, strlen (env), error))
        return NULL;
      if (source != NULL)
        *source = ADMINT_KEY_SOURCE_ENVIRONMENT;
      return g_strdup (env);
    }
  secret = secret_password_lookup_sync (admint_keys_get_schema (), NULL, &local_error,
                                        "provider", provider, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, keyring_error (local_error, provider, _("read")));
      return NULL;
    }
  if (secret == NULL)
    return NULL;
  if (!admint_keys_check (provider, ADMINT_KEY_SOURCE_KEYRING, secret, strlen (secret), error))
    {
      secret_password_free (secret);
      return NULL;
    }
  if (source != NULL)
    *source = ADMINT_KEY_SOURCE_KEYRING;
  char *copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}
