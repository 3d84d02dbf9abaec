/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client of Replicate's predictions API: the client, the model's input schema and file
 * uploads. Predictions (create, poll, cancel) and their downloads have their own files. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "admint-ai-image.h"
#include "admint-ai-usage-private.h"
#include "admint-error.h"
#include "admint-paths.h"
#include "admint-replicate-client.h"
#include "admint-replicate-private.h"

/* ---- client ---- */

G_DEFINE_FINAL_TYPE (AdmintReplicateClient, admint_replicate_client, G_TYPE_OBJECT)

guint replicate_signals[N_SIGNALS];

static void
admint_replicate_client_dispose (GObject *object)
{
  AdmintReplicateClient *self = ADMINT_REPLICATE_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (admint_replicate_client_parent_class)->dispose (object);
}

static void
admint_replicate_client_finalize (GObject *object)
{
  AdmintReplicateClient *self = ADMINT_REPLICATE_CLIENT (object);

  g_free (self->base_url);
  g_free (self->owner_name);
  g_free (self->version);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  g_free (self->kind);
  g_free (self->output_dir);
  g_free (self->service);
  g_free (self->api_origin);
  g_clear_pointer (&self->inputs, json_object_unref);
  g_clear_pointer (&self->fixed, json_object_unref);
  g_clear_pointer (&self->schema, json_object_unref);
  G_OBJECT_CLASS (admint_replicate_client_parent_class)->finalize (object);
}

static void
admint_replicate_client_class_init (AdmintReplicateClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = admint_replicate_client_dispose;
  object_class->finalize = admint_replicate_client_finalize;

  replicate_signals[SIGNAL_CREATED] =
    g_signal_new ("prediction-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  replicate_signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DOUBLE);
  replicate_signals[SIGNAL_USAGE] = admint_ai_usage_signal_new (G_TYPE_FROM_CLASS (klass));
}

static void
admint_replicate_client_init (AdmintReplicateClient *self)
{
}

char *
replicate_origin_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                          : g_str_equal (g_uri_get_scheme (uri), "https") ? 443 : 80);
}

AdmintReplicateClient *
admint_replicate_client_new (SoupSession                  *session,
                             const AdmintReplicateOptions *options)
{
  AdmintReplicateClient *self;
  const char *colon;

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->model != NULL, NULL);

  self = g_object_new (ADMINT_TYPE_REPLICATE_CLIENT, NULL);
  self->session = g_object_ref (session ? session : admint_http_session_get_default ());
  self->options = *options;
  self->base_url = g_strdup (options->base_url ? options->base_url
                                               : "https://api.replicate.com/v1");
  colon = strchr (options->model, ':');
  self->owner_name = colon ? g_strndup (options->model, colon - options->model)
                           : g_strdup (options->model);
  self->version = colon ? g_strdup (colon + 1) : NULL;
  self->api_key = (options->api_key && *options->api_key) ? g_strdup (options->api_key) : NULL;
  self->kind = g_strdup (options->kind ? options->kind : "images");
  self->output_dir = options->output_dir ? g_strdup (options->output_dir)
                                         : admint_paths_media_dir ();
  self->service = g_strdup_printf (_("Replicate (%s)"), self->base_url);
  self->api_origin = replicate_origin_of (self->base_url);
  self->inputs = options->inputs ? json_object_ref (options->inputs) : NULL;
  self->fixed = options->options ? json_object_ref (options->options) : NULL;
  self->options.base_url = self->options.model = self->options.api_key = NULL;
  self->options.kind = self->options.output_dir = NULL;
  self->options.inputs = self->options.options = NULL;
  return self;
}

void
admint_replicate_client_set_store (AdmintReplicateClient *self,
                                   AdmintStore           *store)
{
  g_return_if_fail (ADMINT_IS_REPLICATE_CLIENT (self));
  g_set_object (&self->store, store);
}

char *
replicate_api_url (AdmintReplicateClient *self,
                   const char            *format,
                   ...)
{
  va_list args;
  g_autofree char *path = NULL;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);
  return admint_http_join_url (self->base_url, path);
}

/* The end of every _finish of this client: the task's pointer, or NULL with error set. */
gpointer
replicate_finish_pointer (AdmintReplicateClient  *self,
                          GAsyncResult           *result,
                          GError                **error)
{
  g_return_val_if_fail (ADMINT_IS_REPLICATE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
replicate_init_request (AdmintReplicateClient *self,
                        AdmintHttpRequest     *req,
                        const char            *method,
                        const char            *url,
                        AdmintHttpRetry        retry)
{
  memset (req, 0, sizeof *req);
  req->method = method;
  req->url = url;
  req->bearer = self->api_key;
  req->retry = retry;
  req->policy = self->options.retry;
  req->timeout_seconds = self->options.request_timeout_seconds;
  req->service = self->service;
}

/* A member that must be a string: NULL when missing or of another type (a garbled answer;
 * found by tests/fuzz/fuzz-replicate.c). */
const char *
replicate_string_member (JsonObject *obj,
                         const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
replicate_parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data;
  JsonNode *root;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
object_at (JsonObject *obj,
           const char * const *path)
{
  for (; obj != NULL && *path != NULL; path++)
    {
      JsonNode *node = json_object_get_member (obj, *path);
      obj = (node && JSON_NODE_HOLDS_OBJECT (node)) ? json_node_get_object (node) : NULL;
    }
  return obj;
}

/* ---- the model's input schema ---- */

static void
model_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  g_autoptr(JsonObject) model = NULL;
  JsonObject *openapi, *props;
  static const char * const latest[] = { "latest_version", "openapi_schema", NULL };
  static const char * const direct[] = { "openapi_schema", NULL };
  static const char * const input_props[] = { "components", "schemas", "Input", "properties", NULL };

  if (response == NULL)
    {
      if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND))
        {
          g_autoptr(GError) better = g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND,
              _("Replicate has no model “%s%s%s” (HTTP 404). Check the model name in "
                "providers.%s.model (owner/name or owner/name:version) and the base URL."),
              self->owner_name, self->version ? ":" : "", self->version ? self->version : "",
              self->kind);
          g_task_return_error (task, g_steal_pointer (&better));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  model = replicate_parse_object (response->body);
  if (model == NULL)
    {
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("%s answered the model page with something that is not JSON. "
                                 "Check the base URL."), self->service);
      return;
    }
  openapi = object_at (model, self->version ? direct : latest);
  props = object_at (openapi, input_props);
  g_clear_pointer (&self->schema, json_object_unref);
  self->schema = props ? json_object_ref (props) : json_object_new ();
  if (props == NULL)
    g_message ("%s publishes no input schema for %s: inputs are sent unchecked",
               self->service, self->owner_name);
  g_task_return_pointer (task, json_object_ref (self->schema), (GDestroyNotify) json_object_unref);
}

void
admint_replicate_client_get_model_async (AdmintReplicateClient *self,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data)
{
  GTask *task;
  g_autofree char *url = NULL;
  AdmintHttpRequest req;

  g_return_if_fail (ADMINT_IS_REPLICATE_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_replicate_client_get_model_async);
  if (self->schema != NULL)
    {
      g_task_return_pointer (task, json_object_ref (self->schema),
                             (GDestroyNotify) json_object_unref);
      g_object_unref (task);
      return;
    }
  url = self->version ? replicate_api_url (self, "models/%s/versions/%s", self->owner_name,
                                           self->version)
                      : replicate_api_url (self, "models/%s", self->owner_name);
  replicate_init_request (self, &req, "GET", url, ADMINT_HTTP_RETRY_SAFE);
  admint_http_send_async (self->session, &req, cancellable, model_cb, task);
}

JsonObject *
admint_replicate_client_get_model_finish (AdmintReplicateClient  *self,
                                          GAsyncResult           *result,
                                          GError                **error)
{
  return replicate_finish_pointer (self, result, error);
}

/* ---- uploads ---- */

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  g_autoptr(JsonObject) file = NULL;
  static const char * const urls[] = { "urls", NULL };
  JsonObject *links;

  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  file = replicate_parse_object (response->body);
  links = object_at (file, urls);
  if (links == NULL || !json_object_has_member (links, "get"))
    {
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("%s accepted the upload but did not say where the file is "
                                 "(no urls.get). Try again later."), self->service);
      return;
    }
  g_task_return_pointer (task, g_strdup (json_object_get_string_member (links, "get")), g_free);
}

static void
upload_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *basename = g_file_get_basename (G_FILE (source));
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *url = replicate_api_url (self, "files");
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMultipart *multipart;
  GCancellable *cancellable;
  AdmintHttpRequest req;
  gsize len;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                               _("Could not read “%s” to upload it: %s."), basename,
                               error->message);
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  type = g_content_type_guess (basename, g_bytes_get_data (bytes, NULL), len, NULL);
  mime = g_content_type_get_mime_type (type);

  multipart = soup_multipart_new ("multipart/form-data");
  soup_multipart_append_form_file (multipart, "content", basename,
                                   mime ? mime : "application/octet-stream", bytes);
  soup_multipart_to_message (multipart, headers, &body);
  soup_multipart_free (multipart);

  /* A repeated upload costs nothing, so this one is safe to retry. */
  replicate_init_request (self, &req, "POST", url, ADMINT_HTTP_RETRY_SAFE);
  req.body = body;
  req.content_type = soup_message_headers_get_one (headers, "Content-Type");
  cancellable = g_task_get_cancellable (task);
  admint_http_send_async (self->session, &req, cancellable, upload_cb, g_steal_pointer (&task));
}

void
admint_replicate_client_upload_file_async (AdmintReplicateClient *self,
                                           const char            *path,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  GTask *task;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (ADMINT_IS_REPLICATE_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_replicate_client_upload_file_async);
  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, cancellable, upload_loaded_cb, task);
}

char *
admint_replicate_client_upload_file_finish (AdmintReplicateClient  *self,
                                            GAsyncResult           *result,
                                            GError                **error)
{
  return replicate_finish_pointer (self, result, error);
}
