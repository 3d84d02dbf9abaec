/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One structured log writer for the whole app: JSON lines to a file, secrets redacted. */
#define G_LOG_DOMAIN "admint-log"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "admint-log.h"
#include "admint-paths.h"

static GMutex log_lock;
static int log_fd = -1;
static gboolean log_verbose;
static char *log_program;

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "error";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "message";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

/* A field is secret when any word of its name is one of these, so API_KEY, REPLICATE_API_TOKEN,
 * Authorization and x-api-key are all caught but "keyframe" is not. */
gboolean
admint_log_field_is_secret (const char *name)
{
  static const char * const secret_words[] = {
    "key", "apikey", "token", "authorization", "auth", "secret", "password", "passwd",
    "bearer", "cookie", "credential", "credentials", NULL
  };

  g_return_val_if_fail (name != NULL, FALSE);

  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_auto(GStrv) words = g_regex_split_simple ("[^a-z0-9]+", lower, 0, 0);

  for (guint i = 0; words[i] != NULL; i++)
    if (g_strv_contains (secret_words, words[i]))
      return TRUE;
  return FALSE;
}

static char *
field_value (const GLogField *field)
{
  if (field->length < 0)
    return g_strdup (field->value);
  if (g_utf8_validate (field->value, field->length, NULL))
    return g_strndup (field->value, field->length);
  return g_strdup_printf ("<%" G_GSSIZE_FORMAT " bytes>", field->length);
}

char *
admint_log_format_json (GLogLevelFlags   log_level,
                        const GLogField *fields,
                        gsize            n_fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  const char *message = NULL;
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, stamp);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, level_name (log_level));
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, domain ? domain : "default");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message ? message : "");
  if (log_program != NULL)
    {
      json_builder_set_member_name (builder, "program");
      json_builder_add_string_value (builder, log_program);
    }

  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *key = fields[i].key;

      if (g_strcmp0 (key, "MESSAGE") == 0 || g_strcmp0 (key, "GLIB_DOMAIN") == 0 ||
          g_strcmp0 (key, "PRIORITY") == 0 || g_strcmp0 (key, "GLIB_OLD_LOG_API") == 0)
        continue;

      g_autofree char *name = g_ascii_strdown (key, -1);
      json_builder_set_member_name (builder, name);
      if (admint_log_field_is_secret (key))
        json_builder_add_string_value (builder, "[REDACTED]");
      else
        {
          g_autofree char *value = field_value (&fields[i]);
          json_builder_add_string_value (builder, value);
        }
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
open_log_file_locked (void)
{
  if (log_fd >= 0)
    return;

  g_autofree char *dir = admint_paths_state_dir ();
  g_autofree char *path = admint_paths_log_file ();
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return;
  log_fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

static gboolean
domain_is_debug_enabled (const char *domain)
{
  const char *env = g_getenv ("G_MESSAGES_DEBUG");

  if (env == NULL)
    return FALSE;
  if (strcmp (env, "all") == 0)
    return TRUE;
  return domain != NULL && strstr (env, domain) != NULL;
}

GLogWriterOutput
admint_log_writer (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  const char *domain = NULL;
  gboolean is_debug = (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0;
  gboolean is_record = FALSE;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
      domain = fields[i].value;
    else if (g_strcmp0 (fields[i].key, "ADMINT_RECORD") == 0)
      is_record = TRUE;  /* a failure or a repair: always in the file, never on stderr */

  /* Debug lines are written only when asked for, so a normal run's log stays small. */
  if (!is_debug || is_record || log_verbose || domain_is_debug_enabled (domain))
    {
      g_autofree char *line = admint_log_format_json (log_level, fields, n_fields);
      g_autofree char *with_nl = g_strconcat (line, "\n", NULL);
      gsize len = strlen (with_nl);

      g_mutex_lock (&log_lock);
      open_log_file_locked ();
      if (log_fd >= 0)
        {
          /* One write() per line with O_APPEND keeps lines whole across processes. */
          ssize_t r;
          do
            r = write (log_fd, with_nl, len);
          while (r < 0 && errno == EINTR);
        }
      g_mutex_unlock (&log_lock);
    }

  if (log_verbose && is_debug)
    {
      const char *message = "";
      for (gsize i = 0; i < n_fields; i++)
        if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
          message = fields[i].value;
      fprintf (stderr, "%s-%s: %s\n", domain ? domain : "admint", level_name (log_level),
               message);
      return G_LOG_WRITER_HANDLED;
    }

  /* The default writer prints only MESSAGE, never the other fields, to stderr; it also honours
   * G_MESSAGES_DEBUG and G_DEBUG=fatal-warnings. */
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
admint_log_set_verbose (gboolean verbose)
{
  log_verbose = verbose;
}

void
admint_log_init (const char *program,
                 gboolean    verbose)
{
  g_mutex_lock (&log_lock);
  g_free (log_program);
  log_program = g_strdup (program);
  if (log_fd >= 0)
    {
      close (log_fd);
      log_fd = -1;
    }
  g_mutex_unlock (&log_lock);
  log_verbose = verbose;

  /* GLib allows one writer per process; a second call would abort. */
  static gsize writer_installed = 0;
  if (g_once_init_enter (&writer_installed))
    {
      g_log_set_writer_func (admint_log_writer, NULL, NULL);
      g_once_init_leave (&writer_installed, 1);
    }
}

void
admint_log_shutdown (void)
{
  g_mutex_lock (&log_lock);
  if (log_fd >= 0)
    {
      close (log_fd);
      log_fd = -1;
    }
  g_mutex_unlock (&log_lock);
}
