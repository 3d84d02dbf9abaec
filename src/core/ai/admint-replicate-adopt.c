/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding a prediction whose create answer was lost: its id in a cut-off answer, or a look-up
 * of the account's recent predictions (GET /predictions) by model, input and time. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "admint-replicate-client.h"
#include "admint-replicate-private.h"

/* Replicate's clock and ours may differ a little: a prediction created this long before the
 * create was sent (by our clock) still counts as its own. */
#define CLOCK_SKEW_USEC (60 * G_USEC_PER_SEC)
/* Pages of the listing read at most (100 predictions a page on Replicate). */
#define MAX_PAGES 20

/* What identifies the model: owner/name, or owner/name:version. */
char *
replicate_model_key (AdmintReplicateClient *self)
{
  return self->version ? g_strdup_printf ("%s:%s", self->owner_name, self->version)
                       : g_strdup (self->owner_name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (a, b);
}

/* The same for the same model and inputs in every process: the inputs by our names, sorted,
 * and the local paths of the files (their URLs change with every upload). */
char *
replicate_input_hash (AdmintReplicateClient *self,
                      AdmintReplicateInput  *input)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *model = replicate_model_key (self);
  GList *names = json_object_get_members (input->values);

  g_checksum_update (sum, (const guchar *) model, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  names = g_list_sort (names, compare_names);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (gen, json_object_get_member (input->values, l->data));
      text = json_generator_to_data (gen, NULL);
      g_checksum_update (sum, (const guchar *) l->data, -1);
      g_checksum_update (sum, (const guchar *) "=", 1);
      g_checksum_update (sum, (const guchar *) text, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  g_list_free (names);
  for (guint i = 0; i < input->file_order->len; i++)
    {
      const char *name = g_ptr_array_index (input->file_order, i);
      GPtrArray *paths = g_hash_table_lookup (input->files, name);

      for (guint j = 0; j < paths->len; j++)
        {
          g_checksum_update (sum, (const guchar *) name, -1);
          g_checksum_update (sum, (const guchar *) "@", 1);
          g_checksum_update (sum, (const guchar *) g_ptr_array_index (paths, j), -1);
          g_checksum_update (sum, (const guchar *) "\n", 1);
        }
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* The prediction's id at the top level of a create answer cut off on the way, when it arrived
 * whole (its closing quote too); NULL otherwise. */
char *
replicate_partial_id (GBytes *body)
{
  gsize len = 0;
  const char *s = body ? g_bytes_get_data (body, &len) : NULL;
  int depth = 0;
  gboolean expect_key = FALSE;
  gsize i = 0;

  while (i < len && s[i] != '{')
    i++;
  for (; i < len; i++)
    {
      char c = s[i];

      if (c == '"')
        {
          gsize start = ++i;
          while (i < len && s[i] != '"')
            i += s[i] == '\\' ? 2 : 1;
          if (i >= len)
            return NULL;  /* the string was cut */
          if (depth == 1 && expect_key && i - start == 2 && memcmp (s + start, "id", 2) == 0)
            {
              gsize j = i + 1, value;
              while (j < len && g_ascii_isspace (s[j]))
                j++;
              if (j >= len || s[j] != ':')
                return NULL;
              for (j++; j < len && g_ascii_isspace (s[j]); j++)
                ;
              if (j >= len || s[j] != '"')
                return NULL;
              value = ++j;
              while (j < len && (g_ascii_isalnum (s[j]) || s[j] == '-' || s[j] == '_'))
                j++;
              if (j >= len || s[j] != '"' || j == value)
                return NULL;
              return g_strndup (s + value, j - value);
            }
          expect_key = FALSE;
        }
      else if (c == '{')
        {
          depth++;
          expect_key = TRUE;
        }
      else if (c == '}' || c == ']')
        depth--;
      else if (c == '[')
        depth++;
      else if (c == ',')
        expect_key = TRUE;
    }
  return NULL;
}

/* Numbers compare by value (a service may give 8 back as 8.0); the rest exactly. */
static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (JSON_NODE_HOLDS_VALUE (a) && JSON_NODE_HOLDS_VALUE (b))
    {
      GType ta = json_node_get_value_type (a), tb = json_node_get_value_type (b);
      gboolean na = ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE;
      gboolean nb = tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE;

      if (na && nb)
        return json_node_get_double (a) == json_node_get_double (b);
    }
  return json_node_equal (a, b);
}

static gboolean
is_file_input (Predict    *p,
               const char *name)
{
  for (guint i = 0; i < p->slots->len; i++)
    if (g_strcmp0 (((FileSlot *) g_ptr_array_index (p->slots, i))->model_name, name) == 0)
      return TRUE;
  return FALSE;
}

/* Whether LISTED (one prediction of the listing) was made from the model and the inputs of P
 * (the files aside: they travel as URLs that change). */
static gboolean
prediction_matches (AdmintReplicateClient *self,
                    Predict               *p,
                    JsonObject            *listed)
{
  JsonNode *input_node = json_object_get_member (listed, "input");
  JsonObject *input;
  g_autoptr(GList) names = NULL;

  if (self->version != NULL
      ? g_strcmp0 (replicate_string_member (listed, "version"), self->version) != 0
      : g_strcmp0 (replicate_string_member (listed, "model"), self->owner_name) != 0)
    return FALSE;
  if (input_node == NULL || !JSON_NODE_HOLDS_OBJECT (input_node))
    return FALSE;
  input = json_node_get_object (input_node);
  names = json_object_get_members (p->body_input);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *theirs = json_object_get_member (input, l->data);

      if (is_file_input (p, l->data))
        continue;
      if (theirs == NULL || !values_equal (json_object_get_member (p->body_input, l->data),
                                           theirs))
        return FALSE;
    }
  return TRUE;
}

static gint64
created_at_of (JsonObject *listed)
{
  const char *text = replicate_string_member (listed, "created_at");
  g_autoptr(GDateTime) when = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return when ? g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when)
              : G_MININT64;
}

static void look_up_page (GTask      *task,
                          const char *url);

static void
look_up_done (GTask  *task,
              GError *error)
{
  Predict *p = g_task_get_task_data (task);
  ReplicateLookUpFunc done = p->look_done;
  g_autofree char *found = g_steal_pointer (&p->look_found);

  p->look_done = NULL;
  g_clear_pointer (&p->look_known, g_strfreev);
  if (error != NULL)
    g_clear_pointer (&found, g_free);
  done (task, g_steal_pointer (&found), error);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintHttpResponse) response = admint_http_send_finish (result, &error);
  g_autoptr(JsonObject) page = NULL;
  JsonNode *results;
  const char *next;
  gint64 oldest = G_MAXINT64;
  g_autofree char *next_origin = NULL;

  if (response == NULL)
    {
      look_up_done (task, g_steal_pointer (&error));
      return;
    }
  page = replicate_parse_object (response->body);
  results = page ? json_object_get_member (page, "results") : NULL;
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      look_up_done (task, g_error_new (ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                       _("%s answered the list of predictions with something "
                                         "that is not one"), self->service));
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (results)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (results), i);
      JsonObject *listed;
      const char *id;
      gint64 created;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      listed = json_node_get_object (node);
      id = replicate_string_member (listed, "id");
      created = created_at_of (listed);
      oldest = MIN (oldest, created);
      if (id == NULL || created < p->look_since - CLOCK_SKEW_USEC ||
          (p->look_known != NULL && g_strv_contains ((const char * const *) p->look_known, id)) ||
          !prediction_matches (self, p, listed))
        continue;
      /* The lost create's own is the first made after it was sent; one made a little before
       * (by our clock) only when none was made after. */
      if (p->look_found == NULL ||
          (created >= p->look_since ? (p->look_found_at < p->look_since ||
                                       created < p->look_found_at)
                                    : (p->look_found_at < p->look_since &&
                                       created > p->look_found_at)))
        {
          g_free (p->look_found);
          p->look_found = g_strdup (id);
          p->look_found_at = created;
        }
    }
  next = replicate_string_member (page, "next");
  next_origin = next ? replicate_origin_of (next) : NULL;
  if (next == NULL || oldest < p->look_since - CLOCK_SKEW_USEC || ++p->look_pages >= MAX_PAGES ||
      g_strcmp0 (next_origin, self->api_origin) != 0)
    {
      look_up_done (task, NULL);
      return;
    }
  look_up_page (task, next);
}

static void
look_up_page (GTask      *task,
              const char *url)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  AdmintHttpRequest req;

  replicate_init_request (self, &req, "GET", url, ADMINT_HTTP_RETRY_SAFE);
  admint_http_send_async (self->session, &req, g_task_get_cancellable (task), page_cb, task);
}

void
replicate_look_up (GTask               *task,
                   gint64               since,
                   const char * const  *known,
                   ReplicateLookUpFunc  done)
{
  AdmintReplicateClient *self = g_task_get_source_object (task);
  Predict *p = g_task_get_task_data (task);
  g_autofree char *url = replicate_api_url (self, "predictions");

  g_assert (p->look_done == NULL);
  p->look_done = done;
  p->look_since = since;
  p->look_pages = 0;
  g_clear_pointer (&p->look_known, g_strfreev);
  p->look_known = g_strdupv ((char **) known);
  g_clear_pointer (&p->look_found, g_free);
  look_up_page (task, url);
}
