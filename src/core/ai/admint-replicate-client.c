/* A client of Replicate's predictions API: create, poll, cancel, download, with checked inputs. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "admint-ai-image.h"
#include "admint-ai-usage-private.h"
#include "admint-error.h"
#include "admint-paths.h"
#include "admint-replicate-client.h"

/* ---- inputs ---- */

struct _AdmintReplicateInput
{
  JsonObject *values;  /* our name -> value */
  GHashTable *files;   /* our name -> GPtrArray of paths */
  GPtrArray  *file_order;
  char       *generation_id;
};

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

/* ---- client ---- */

struct _AdmintReplicateClient
{
  GObject                 parent_instance;

  SoupSession            *session;
  AdmintReplicateOptions  options;
  char                   *base_url;
  char                   *owner_name;   /* owner/name */
  char                   *version;      /* or NULL */
  char                   *api_key;
  char                   *kind;
  char                   *output_dir;
  char                   *service;
  char                   *api_origin;   /* scheme://host:port of the API: the only one given the key */
  JsonObject             *inputs;
  JsonObject             *fixed;
  JsonObject             *schema;       /* cached input properties */
  AdmintStore            *store;
};

G_DEFINE_FINAL_TYPE (AdmintReplicateClient, admint_replicate_client, G_TYPE_OBJECT)

enum { SIGNAL_CREATED, SIGNAL_PROGRESS, SIGNAL_USAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

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

  signals[SIGNAL_CREATED] = g_signal_new ("prediction-created", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                          G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                           G_TYPE_STRING, G_TYPE_DOUBLE);
  signals[SIGNAL_USAGE] = admint_ai_usage_signal_new (G_TYPE_FROM_CLASS (klass));
}

static void
admint_replicate_client_init (AdmintReplicateClient *self)
{
}

static char *
origin_of (const char *url)
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
  self->api_origin = origin_of (self->base_url);
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

static char *
api_url (AdmintReplicateClient *self,
         const char            *format,
         ...) G_GNUC_PRINTF (2, 3);

static char *
api_url (AdmintReplicateClient *self,
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
static gpointer
finish_pointer (AdmintReplicateClient  *self,
                GAsyncResult           *result,
                GError                **error)
{
  g_return_val_if_fail (ADMINT_IS_REPLICATE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
init_request (AdmintReplicateClient *self,
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
static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
parse_object (GBytes *body)
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
  model = parse_object (response->body);
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
  url = self->version ? api_url (self, "models/%s/versions/%s", self->owner_name, self->version)
                      : api_url (self, "models/%s", self->owner_name);
  init_request (self, &req, "GET", url, ADMINT_HTTP_RETRY_SAFE);
  admint_http_send_async (self->session, &req, cancellable, model_cb, task);
}

JsonObject *
admint_replicate_client_get_model_finish (AdmintReplicateClient  *self,
                                          GAsyncResult           *result,
                                          GError                **error)
{
  return finish_pointer (self, result, error);
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
  file = parse_object (response->body);
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
  g_autofree char *url = api_url (self, "files");
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
  init_request (self, &req, "POST", url, ADMINT_HTTP_RETRY_SAFE);
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
  return finish_pointer (self, result, error);
}

/* ---- predictions ---- */

typedef struct {
  char     *model_name;
  char     *path;
  gboolean  is_array;
} FileSlot;

static void
file_slot_free (FileSlot *slot)
{
  g_free (slot->model_name);
  g_free (slot->path);
  g_free (slot);
}

typedef struct {
  AdmintReplicateInput *input;
  char                 *generation_id;
  JsonObject           *body_input;
  GPtrArray            *dropped;
  GPtrArray            *slots;
  guint                 slot_index;
  char                 *id;
  gint64                deadline;
  double                interval;
  double                output_seconds;
  JsonObject           *prediction;
  GPtrArray            *urls;
  guint                 url_index;
  GPtrArray            *files;
  /* the download in progress */
  char                 *tmp_path;
  GOutputStream        *out;
  guint64               written;
  char                 *final_path;
} Predict;

static void
remove_partial (Predict *p)
{
  if (p->out != NULL)
    {
      g_output_stream_close (p->out, NULL, NULL);
      g_clear_object (&p->out);
    }
  if (p->tmp_path != NULL)
    {
      g_unlink (p->tmp_path);
      g_clear_pointer (&p->tmp_path, g_free);
    }
  g_clear_pointer (&p->final_path, g_free);
}

static void
predict_free (Predict *p)
{
  remove_partial (p);
  g_clear_pointer (&p->input, admint_replicate_input_unref);
  g_free (p->generation_id);
  g_clear_pointer (&p->body_input, json_object_unref);
  g_ptr_array_unref (p->dropped);
  g_ptr_array_unref (p->slots);
  g_free (p->id);
  g_clear_pointer (&p->prediction, json_object_unref);
  g_ptr_array_unref (p->urls);
  g_ptr_array_unref (p->files);
  g_free (p);
}

static void start_create (GTask *task);
static void schedule_poll (GTask *task);
static void handle_prediction (GTask *task);
static void next_download (GTask *task);

/* Removes whatever this prediction downloaded so far: a failed call leaves nothing behind. */
static void
discard_files (Predict *p)
{
  remove_partial (p);
  for (guint i = 0; i < p->files->len; i++)
    g_unlink (g_ptr_array_index (p->files, i));
  g_ptr_array_set_size (p->files, 0);
}

static void
cancel_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  GError *pending = g_object_steal_data (G_OBJECT (task), "pending-error");

  if (response == NULL)
    g_message ("Could not cancel a Replicate prediction: %s", error->message);
  g_task_return_error (task, pending);
}

/* Cancels the prediction on Replicate (so that it stops costing money), then fails with ERROR. */
static void
cancel_and_fail (GTask  *task,
                 GError *error)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  AdmintHttpRequest req;

  discard_files (p);
  if (p->id == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_debug ("cancelling prediction %s", p->id);
  g_object_set_data_full (G_OBJECT (task), "pending-error", error, (GDestroyNotify) g_error_free);
  url = api_url (self, "predictions/%s/cancel", p->id);
  init_request (self, &req, "POST", url, ADMINT_HTTP_RETRY_SAFE);
  /* Not the caller's cancellable: it is cancelled already, and this must still go out. */
  admint_http_send_async (self->session, &req, NULL, cancel_sent_cb, task);
}

static void
fail (GTask  *task,
      GError *error)
{
  Predict *p = g_task_get_task_data (task);

  discard_files (p);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* When a prediction started now must be finished by. */
static gint64
overall_deadline (AdmintReplicateClient *self)
{
  return g_get_monotonic_time () +
         (gint64) (self->options.overall_timeout_seconds * G_USEC_PER_SEC);
}

static gboolean
caller_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

/* -- inputs -- */

static const char *
model_name_for (AdmintReplicateClient *self,
                const char            *ours)
{
  JsonNode *mapped;

  if (self->inputs == NULL || !json_object_has_member (self->inputs, ours))
    return ours;
  mapped = json_object_get_member (self->inputs, ours);
  if (!JSON_NODE_HOLDS_VALUE (mapped) || json_node_get_value_type (mapped) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (mapped);
}

/* Whether the model takes NAME; a field it does not take is dropped with a message. */
static gboolean
accepts (AdmintReplicateClient *self,
         Predict               *p,
         const char            *ours,
         const char            *name)
{
  if (name == NULL || *name == '\0' || (self->schema != NULL && json_object_get_size (self->schema) > 0 &&
                                         !json_object_has_member (self->schema, name)))
    {
      g_message ("%s: the model %s takes no input “%s” (from “%s”): dropped", self->service,
                 self->owner_name, name ? name : "", ours);
      g_ptr_array_add (p->dropped, g_strdup (ours));
      return FALSE;
    }
  return TRUE;
}

static gboolean
schema_wants_array (AdmintReplicateClient *self,
                    const char            *name)
{
  JsonNode *prop;

  if (self->schema == NULL || !json_object_has_member (self->schema, name))
    return FALSE;
  prop = json_object_get_member (self->schema, name);
  return JSON_NODE_HOLDS_OBJECT (prop) &&
         g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (prop),
                                                                "type", ""), "array") == 0;
}

static void
build_inputs (AdmintReplicateClient *self,
              Predict               *p)
{
  g_autoptr(GList) names = NULL;

  p->body_input = json_object_new ();
  if (self->fixed != NULL)
    {
      g_autoptr(GList) fixed = json_object_get_members (self->fixed);
      for (GList *l = fixed; l != NULL; l = l->next)
        if (accepts (self, p, l->data, l->data))
          json_object_set_member (p->body_input, l->data,
                                  json_node_copy (json_object_get_member (self->fixed, l->data)));
    }

  names = json_object_get_members (p->input->values);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *ours = l->data;
      const char *name = model_name_for (self, ours);
      JsonNode *value = json_object_get_member (p->input->values, ours);

      if (g_strcmp0 (ours, "duration") == 0 && JSON_NODE_HOLDS_VALUE (value))
        p->output_seconds = json_node_get_value_type (value) == G_TYPE_INT64
                            ? (double) json_node_get_int (value) : json_node_get_double (value);
      if (accepts (self, p, ours, name))
        json_object_set_member (p->body_input, name, json_node_copy (value));
    }

  for (guint i = 0; i < p->input->file_order->len; i++)
    {
      const char *ours = g_ptr_array_index (p->input->file_order, i);
      const char *name = model_name_for (self, ours);
      GPtrArray *paths = g_hash_table_lookup (p->input->files, ours);

      if (!accepts (self, p, ours, name))
        continue;
      for (guint j = 0; j < paths->len; j++)
        {
          FileSlot *slot = g_new0 (FileSlot, 1);
          slot->model_name = g_strdup (name);
          slot->path = g_strdup (g_ptr_array_index (paths, j));
          slot->is_array = paths->len > 1 || schema_wants_array (self, name);
          g_ptr_array_add (p->slots, slot);
        }
    }
}

static void
place_file_url (Predict    *p,
                FileSlot   *slot,
                const char *url)
{
  if (slot->is_array)
    {
      if (!json_object_has_member (p->body_input, slot->model_name))
        json_object_set_array_member (p->body_input, slot->model_name, json_array_new ());
      json_array_add_string_element (json_object_get_array_member (p->body_input,
                                                                   slot->model_name), url);
    }
  else
    json_object_set_string_member (p->body_input, slot->model_name, url);
}

static void next_file (GTask *task);

/* The file of the current slot is in the request as url: on to the next. */
static void
file_placed (GTask      *task,
             const char *url)
{
  Predict *p = g_task_get_task_data (task);

  place_file_url (p, g_ptr_array_index (p->slots, p->slot_index), url);
  p->slot_index++;
  next_file (task);
}

static void
file_uploaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = admint_replicate_client_upload_file_finish (
    ADMINT_REPLICATE_CLIENT (source), result, &error);

  if (url == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  file_placed (task, url);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Predict *p = g_task_get_task_data (task);
  FileSlot *slot = g_ptr_array_index (p->slots, p->slot_index);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      if (caller_cancelled (task))
        fail (task, admint_ai_error_new_cancelled ());
      else
        fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                                 _("Could not read the input file “%s”: %s. Check that it "
                                   "exists."), slot->path, error->message));
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  url = admint_ai_file_data_url (bytes, slot->path);
  file_placed (task, url);
}

static void
next_file (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  FileSlot *slot;
  GStatBuf st;

  if (p->slot_index >= p->slots->len)
    {
      start_create (task);
      return;
    }
  slot = g_ptr_array_index (p->slots, p->slot_index);
  if (g_stat (slot->path, &st) != 0)
    {
      int saved = errno;
      fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                               _("Could not read the input file “%s”: %s. Check that it exists."),
                               slot->path, g_strerror (saved)));
      return;
    }
  if ((guint64) st.st_size <= self->options.inline_image_max_bytes)
    {
      g_autoptr(GFile) file = g_file_new_for_path (slot->path);
      g_file_load_contents_async (file, g_task_get_cancellable (task), file_loaded_cb, task);
    }
  else
    admint_replicate_client_upload_file_async (self, slot->path, g_task_get_cancellable (task),
                                               file_uploaded_cb, task);
}

static void
predict_model_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) schema = admint_replicate_client_get_model_finish (self, result, &error);

  if (schema == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  build_inputs (self, p);
  next_file (task);
}

/* -- create -- */

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  JsonObject *prediction;

  if (response == NULL)
    {
      if (caller_cancelled (task) &&
          !g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED))
        g_debug ("create failed after the caller cancelled: %s", error->message);
      fail (task, g_steal_pointer (&error));
      return;
    }
  prediction = parse_object (response->body);
  if (prediction == NULL || string_member (prediction, "id") == NULL)
    {
      g_clear_pointer (&prediction, json_object_unref);
      fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("%s accepted the prediction but its answer has no id, so it "
                                 "cannot be followed. Check the Replicate dashboard for it."),
                               self->service));
      return;
    }
  p->prediction = prediction;
  p->id = g_strdup (string_member (prediction, "id"));
  g_debug ("prediction %s created", p->id);
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, p->id, p->generation_id);

  if (caller_cancelled (task))
    {
      cancel_and_fail (task, admint_ai_error_new_cancelled ());
      return;
    }
  handle_prediction (task);
}

static void
start_create (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) input = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = NULL;
  AdmintHttpRequest req;

  if (caller_cancelled (task))
    {
      fail (task, admint_ai_error_new_cancelled ());
      return;
    }

  json_node_set_object (input, p->body_input);
  json_builder_begin_object (builder);
  if (self->version != NULL)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, self->version);
    }
  json_builder_set_member_name (builder, "input");
  json_builder_add_value (builder, json_node_copy (input));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new (text, strlen (text));

  url = self->version ? api_url (self, "predictions")
                      : api_url (self, "models/%s/predictions", self->owner_name);
  /* Only a 429 proves that nothing was created; any other failure might have created a paid
   * prediction, so it is reported rather than repeated. The caller's cancellable is not
   * passed: a create that reached the server must come back with its id, to be cancelled. */
  init_request (self, &req, "POST", url, ADMINT_HTTP_RETRY_THROTTLED);
  req.body = body;
  p->deadline = overall_deadline (self);
  admint_http_send_async (self->session, &req, NULL, created_cb, task);
}

/* -- poll -- */

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  JsonObject *prediction;

  if (response == NULL)
    {
      if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED))
        {
          cancel_and_fail (task, g_steal_pointer (&error));
          return;
        }
      /* The prediction may still finish: leave it running so that resuming can pick it up. */
      g_prefix_error (&error, _("Lost track of the prediction %s (it may still finish on "
                                "Replicate; resuming the generation picks it up): "), p->id);
      fail (task, g_steal_pointer (&error));
      return;
    }
  prediction = parse_object (response->body);
  if (prediction == NULL || string_member (prediction, "status") == NULL)
    {
      g_clear_pointer (&prediction, json_object_unref);
      fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("%s answered with something that is not a prediction while "
                                 "following %s. Try resuming later."), self->service, p->id));
      return;
    }
  g_clear_pointer (&p->prediction, json_object_unref);
  p->prediction = prediction;
  handle_prediction (task);
}

static void
poll_wait_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  AdmintHttpRequest req;

  if (!admint_ai_sleep_finish (result, &error))
    {
      cancel_and_fail (task, g_steal_pointer (&error));
      return;
    }
  url = api_url (self, "predictions/%s", p->id);
  init_request (self, &req, "GET", url, ADMINT_HTTP_RETRY_SAFE);
  admint_http_send_async (self->session, &req, g_task_get_cancellable (task), polled_cb, task);
}

static void
schedule_poll (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);

  if (g_get_monotonic_time () > p->deadline)
    {
      cancel_and_fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_TIMEOUT,
                                          _("The prediction %s did not finish within %.0f s, so "
                                            "it was cancelled. Try again, or raise "
                                            "network.%s_timeout_seconds."), p->id,
                                          self->options.overall_timeout_seconds,
                                          g_str_equal (self->kind, "video") ? "video" : "image"));
      return;
    }
  admint_ai_sleep_async (p->interval, g_task_get_cancellable (task), poll_wait_cb, task);
  p->interval = MIN (p->interval * 1.5, MAX (self->options.poll_interval_max_seconds,
                                             self->options.poll_interval_seconds));
}

static void
collect_urls (JsonNode  *node,
              GPtrArray *urls)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      if (g_str_has_prefix (s, "http://") || g_str_has_prefix (s, "https://"))
        g_ptr_array_add (urls, g_strdup (s));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_urls (json_array_get_element (array, i), urls);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));
      for (GList *l = values; l != NULL; l = l->next)
        collect_urls (l->data, urls);
    }
}

static void
handle_prediction (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  const char *status = string_member (p->prediction, "status") ? string_member (p->prediction,
                                                                              "status") : "";

  if (g_str_equal (status, "succeeded"))
    {
      collect_urls (json_object_get_member (p->prediction, "output"), p->urls);
      if (p->urls->len == 0)
        {
          fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                   _("The prediction %s succeeded but produced no output to "
                                     "download. Try again."), p->id));
          return;
        }
      g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, p->id, 1.0);
      if (!admint_paths_ensure_dir (self->output_dir, NULL))
        g_mkdir_with_parents (self->output_dir, 0700);
      next_download (task);
      return;
    }
  if (g_str_equal (status, "failed"))
    {
      JsonNode *err = json_object_get_member (p->prediction, "error");
      const char *text = (err && JSON_NODE_HOLDS_VALUE (err)) ? json_node_get_string (err) : NULL;
      g_autofree char *safe = admint_ai_redact (text ? text : _("no reason given"), self->api_key);
      gboolean filtered = text != NULL && (strstr (text, "sensitive") || strstr (text, "safety") ||
                                           strstr (text, "NSFW") || strstr (text, "policy"));

      fail (task, g_error_new (ADMINT_AI_ERROR, filtered ? ADMINT_AI_ERROR_CONTENT_FILTERED
                                                         : ADMINT_AI_ERROR_SERVER_ERROR,
                               filtered ? _("The model refused prediction %s under its content "
                                            "policy: “%s”. Reword the prompt.")
                                        : _("The prediction %s failed on Replicate: “%s”. Try "
                                            "again, or check the model's inputs."),
                               p->id, safe));
      return;
    }
  if (g_str_equal (status, "canceled"))
    {
      fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED,
                               _("The prediction %s was cancelled on Replicate."), p->id));
      return;
    }

  double fraction = admint_replicate_parse_progress (
    string_member (p->prediction, "logs"));
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, p->id, fraction);
  schedule_poll (task);
}

/* -- download -- */

static gboolean
write_chunk (const guint8  *data,
             gsize          len,
             gpointer       user_data,
             GError       **error)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) local = NULL;

  p->written += len;
  if (p->written > self->options.download_max_bytes)
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("An output of prediction %s is larger than %llu bytes; it was not kept. "
                     "Raise network.download_max_bytes if that is expected."),
                   p->id, (unsigned long long) self->options.download_max_bytes);
      return FALSE;
    }
  if (!g_output_stream_write_all (p->out, data, len, NULL, NULL, &local))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Could not save an output of prediction %s in %s: %s. Free some disk "
                     "space."), p->id, self->output_dir, local->message);
      return FALSE;
    }
  return TRUE;
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!admint_http_read_stream_finish (result, &error) ||
      !g_output_stream_close (p->out, NULL, &error))
    {
      if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED))
        cancel_and_fail (task, g_steal_pointer (&error));
      else
        fail (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&p->out);
  if (g_rename (p->tmp_path, p->final_path) != 0)
    {
      int saved = errno;
      fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_FAILED,
                               _("Could not move the output of prediction %s into place: %s."),
                               p->id, g_strerror (saved)));
      return;
    }
  g_clear_pointer (&p->tmp_path, g_free);
  g_ptr_array_add (p->files, g_steal_pointer (&p->final_path));
  p->url_index++;
  next_download (task);
}

static const char *
extension_for (const char *url,
               const char *content_type)
{
  static const struct { const char *type; const char *ext; } types[] = {
    { "image/png", "png" }, { "image/jpeg", "jpg" }, { "image/webp", "webp" },
    { "image/gif", "gif" }, { "video/mp4", "mp4" }, { "video/webm", "webm" },
    { "video/quicktime", "mov" },
  };
  const char *slash = strrchr (url, '/');
  const char *dot = slash ? strrchr (slash, '.') : NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (content_type && g_str_equal (content_type, types[i].type))
      return types[i].ext;
  if (dot != NULL && strlen (dot + 1) <= 4 && strlen (dot + 1) > 0)
    {
      for (const char *c = dot + 1; *c; c++)
        if (!g_ascii_isalnum (*c))
          return "bin";
      return dot + 1;
    }
  return "bin";
}

static void
download_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  const char *url = g_ptr_array_index (p->urls, p->url_index);
  const char *want = g_str_equal (self->kind, "video") ? "video/" : "image/";
  SoupMessageHeaders *headers;
  const char *type;
  goffset length;
  g_autofree char *template = NULL;
  int fd;

  if (response == NULL)
    {
      if (g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED))
        cancel_and_fail (task, g_steal_pointer (&error));
      else
        fail (task, g_steal_pointer (&error));
      return;
    }
  headers = soup_message_get_response_headers (response->message);
  type = soup_message_headers_get_content_type (headers, NULL);
  if (type == NULL || !g_str_has_prefix (type, want))
    {
      fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("An output of prediction %s is %s, not the %s… the model should "
                                 "make; it was not kept. Check providers.%s.model."),
                               p->id, type ? type : _("of no stated type"), want, self->kind));
      return;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length > 0 && (guint64) length > self->options.download_max_bytes)
    {
      fail (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("An output of prediction %s is %lld bytes, more than the %llu "
                                 "allowed; it was not downloaded. Raise "
                                 "network.download_max_bytes if that is expected."),
                               p->id, (long long) length,
                               (unsigned long long) self->options.download_max_bytes));
      return;
    }

  template = g_build_filename (self->output_dir, ".admint-download-XXXXXX", NULL);
  fd = g_mkstemp_full (template, O_RDWR, 0600);
  if (fd < 0)
    {
      int saved = errno;
      fail (task, g_error_new (ADMINT_ERROR, ADMINT_ERROR_FAILED,
                               _("Could not create a file in %s: %s. Check that it is writable."),
                               self->output_dir, g_strerror (saved)));
      return;
    }
  p->tmp_path = g_steal_pointer (&template);
  p->out = g_unix_output_stream_new (fd, TRUE);
  p->written = 0;
  {
    g_autofree char *name = g_strdup_printf ("%s-%u.%s", p->id, p->url_index,
                                             extension_for (url, type));
    p->final_path = g_build_filename (self->output_dir, name, NULL);
  }
  admint_http_read_stream_async (response->stream, admint_http_response_get_length (response),
                                 self->options.request_timeout_seconds,
                                 self->service, write_chunk, task,
                                 g_task_get_cancellable (task), downloaded_cb, task);
}

static void
record_and_return (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  AdmintPredictionResult *result = g_new0 (AdmintPredictionResult, 1);
  JsonObject *metrics = NULL;
  const char *operation;
  double units;

  if (json_object_has_member (p->prediction, "metrics") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (p->prediction, "metrics")))
    metrics = json_object_get_object_member (p->prediction, "metrics");
  result->predict_time = -1;
  if (metrics != NULL && json_object_has_member (metrics, "predict_time") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (metrics, "predict_time")))
    result->predict_time = json_object_get_double_member (metrics, "predict_time");

  if (self->options.prices.per_predict_second > 0 && result->predict_time >= 0)
    {
      operation = g_str_equal (self->kind, "video") ? "video.predict_time" : "image.predict_time";
      units = result->predict_time;
      result->cost_usd = units * self->options.prices.per_predict_second;
    }
  else if (g_str_equal (self->kind, "video"))
    {
      operation = "video";
      units = (p->output_seconds > 0 ? p->output_seconds : self->options.clip_seconds) *
              p->files->len;
      result->cost_usd = units * self->options.prices.per_second;
    }
  else
    {
      operation = "image";
      units = p->files->len;
      result->cost_usd = units * self->options.prices.per_image;
    }
  admint_ai_usage_emit (self, signals[SIGNAL_USAGE], self->store, "replicate", self->owner_name,
                        operation, units, result->cost_usd, p->generation_id);

  result->id = g_strdup (p->id);
  g_ptr_array_add (p->files, NULL);
  result->files = (char **) g_ptr_array_steal (p->files, NULL);
  g_ptr_array_add (p->dropped, NULL);
  result->dropped_inputs = (char **) g_ptr_array_steal (p->dropped, NULL);
  g_task_return_pointer (task, result, (GDestroyNotify) admint_prediction_result_free);
  g_object_unref (task);
}

static void
next_download (GTask *task)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  const char *url;
  g_autofree char *origin = NULL;
  AdmintHttpRequest req;

  if (caller_cancelled (task))
    {
      cancel_and_fail (task, admint_ai_error_new_cancelled ());
      return;
    }
  if (p->url_index >= p->urls->len)
    {
      record_and_return (task);
      return;
    }
  url = g_ptr_array_index (p->urls, p->url_index);
  origin = origin_of (url);
  init_request (self, &req, "GET", url, ADMINT_HTTP_RETRY_SAFE);
  /* The key goes to the API host only, never to wherever the outputs are served from. */
  if (origin == NULL || g_strcmp0 (origin, self->api_origin) != 0)
    req.bearer = NULL;
  req.stream = TRUE;
  req.service = _("The Replicate file host");
  admint_http_send_async (self->session, &req, g_task_get_cancellable (task),
                          download_started_cb, task);
}

/* The task of a prediction, with a fresh Predict (returned in *out) as its data. */
static GTask *
predict_task_new (AdmintReplicateClient  *self,
                  gpointer                source_tag,
                  GCancellable           *cancellable,
                  GAsyncReadyCallback     callback,
                  gpointer                user_data,
                  Predict               **out)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Predict *p = g_new0 (Predict, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  p->dropped = g_ptr_array_new_with_free_func (g_free);
  p->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) file_slot_free);
  p->urls = g_ptr_array_new_with_free_func (g_free);
  p->files = g_ptr_array_new_with_free_func (g_free);
  p->interval = self->options.poll_interval_seconds;
  g_task_set_task_data (task, p, (GDestroyNotify) predict_free);
  *out = p;
  return task;
}

void
admint_replicate_client_predict_async (AdmintReplicateClient *self,
                                       AdmintReplicateInput  *input,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  GTask *task;
  Predict *p;

  g_return_if_fail (ADMINT_IS_REPLICATE_CLIENT (self));
  g_return_if_fail (input != NULL);

  task = predict_task_new (self, admint_replicate_client_predict_async, cancellable, callback,
                           user_data, &p);
  p->input = admint_replicate_input_ref (input);
  p->generation_id = g_strdup (input->generation_id);
  admint_replicate_client_get_model_async (self, cancellable, predict_model_cb, task);
}

AdmintPredictionResult *
admint_replicate_client_predict_finish (AdmintReplicateClient  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  return finish_pointer (self, result, error);
}

void
admint_replicate_client_resume_async (AdmintReplicateClient *self,
                                      const char            *prediction_id,
                                      const char            *generation_id,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  GTask *task;
  Predict *p;

  g_return_if_fail (ADMINT_IS_REPLICATE_CLIENT (self));
  g_return_if_fail (prediction_id != NULL);

  task = predict_task_new (self, admint_replicate_client_resume_async, cancellable, callback,
                           user_data, &p);
  p->id = g_strdup (prediction_id);
  p->generation_id = g_strdup (generation_id);
  p->interval = 0;
  p->deadline = overall_deadline (self);
  schedule_poll (task);
  p->interval = self->options.poll_interval_seconds;
}

AdmintPredictionResult *
admint_replicate_client_resume_finish (AdmintReplicateClient  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  return finish_pointer (self, result, error);
}
