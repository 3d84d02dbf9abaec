/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A music bed from a Replicate music model (providers.music.model), never paid for twice. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-ai-error.h"
#include "admint-error.h"
#include "admint-music-replicate.h"
#include "admint-store.h"

/* Downloads that do not decode, fetched again from the same prediction, before giving up. */
#define MAX_BAD_DOWNLOADS 3

struct _AdmintMusicReplicate
{
  GObject                 parent_instance;
  AdmintReplicateOptions  options;   /* strings owned below */
  char                   *base_url;
  char                   *model;
  char                   *api_key;
  AdmintStore            *store;
};

G_DEFINE_FINAL_TYPE (AdmintMusicReplicate, admint_music_replicate, G_TYPE_OBJECT)

static void
admint_music_replicate_dispose (GObject *object)
{
  AdmintMusicReplicate *self = ADMINT_MUSIC_REPLICATE (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (admint_music_replicate_parent_class)->dispose (object);
}

static void
admint_music_replicate_finalize (GObject *object)
{
  AdmintMusicReplicate *self = ADMINT_MUSIC_REPLICATE (object);

  g_free (self->base_url);
  g_free (self->model);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  G_OBJECT_CLASS (admint_music_replicate_parent_class)->finalize (object);
}

static void
admint_music_replicate_class_init (AdmintMusicReplicateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = admint_music_replicate_dispose;
  object_class->finalize = admint_music_replicate_finalize;
}

static void
admint_music_replicate_init (AdmintMusicReplicate *self)
{
}

AdmintMusicReplicate *
admint_music_replicate_new (const AdmintReplicateOptions *options,
                            AdmintStore                  *store)
{
  AdmintMusicReplicate *self;

  g_return_val_if_fail (options != NULL && options->model != NULL, NULL);
  g_return_val_if_fail (store == NULL || ADMINT_IS_STORE (store), NULL);

  self = g_object_new (ADMINT_TYPE_MUSIC_REPLICATE, NULL);
  self->options = *options;
  self->base_url = g_strdup (options->base_url);
  self->model = g_strdup (options->model);
  self->api_key = g_strdup (options->api_key);
  self->options.base_url = self->base_url;
  self->options.model = self->model;
  self->options.api_key = self->api_key;
  self->options.kind = "music";
  /* Not kept: they belong to the caller's config. */
  self->options.inputs = NULL;
  self->options.options = NULL;
  self->options.output_dir = NULL;
  self->store = store ? g_object_ref (store) : NULL;
  return self;
}

const char *
admint_music_replicate_get_model (AdmintMusicReplicate *self)
{
  g_return_val_if_fail (ADMINT_IS_MUSIC_REPLICATE (self), NULL);
  return self->model;
}

char *
admint_music_replicate_prompt (AdmintMood mood,
                               double     tempo)
{
  static const char * const words[] = {
    [ADMINT_MOOD_UPBEAT] = "upbeat, bright and catchy pop with a light groove",
    [ADMINT_MOOD_CALM] = "calm, warm and gentle ambient with soft piano",
    [ADMINT_MOOD_INSPIRING] = "inspiring, uplifting cinematic with building strings",
    [ADMINT_MOOD_BOLD] = "bold, driving and energetic with punchy drums and synth bass",
  };
  g_autofree char *bpm = tempo > 0 ? g_strdup_printf (", %.0f BPM", tempo) : g_strdup ("");

  return g_strdup_printf ("Instrumental background music for an advertisement: %s%s. No vocals; "
                          "leaves room for a voice-over.", words[mood], bpm);
}

/* ---- the record ---- */

static char *
record_path (const char *dir)
{
  return g_build_filename (dir, ADMINT_MUSIC_REPLICATE_RECORD, NULL);
}

/* The seconds asked for: MusicGen takes whole seconds, so the bed is at least the ad's length. */
static gint64
whole_seconds (double duration)
{
  return MAX (1, (gint64) ceil (duration - 1e-6));
}

static JsonObject *
record_new (const char               *model,
            const AdmintMusicRequest *request)
{
  JsonObject *record = json_object_new ();
  g_autofree char *prompt = admint_music_replicate_prompt (request->mood, request->tempo);

  json_object_set_string_member (record, "model", model);
  json_object_set_string_member (record, "prompt", prompt);
  json_object_set_int_member (record, "duration", whole_seconds (request->duration));
  json_object_set_int_member (record, "seed", request->seed);
  return record;
}

/* The record in DIR when it is for the same model, prompt, length and seed as WANT. */
static JsonObject *
record_load (const char *dir,
             JsonObject *want)
{
  g_autofree char *path = record_path (dir);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *record;
  static const char * const same[] = { "model", "prompt", "duration", "seed" };

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      !json_parser_load_from_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  record = json_node_get_object (json_parser_get_root (parser));
  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    {
      JsonNode *a = json_object_get_member (record, same[i]);
      JsonNode *b = json_object_get_member (want, same[i]);

      if (a == NULL || !json_node_equal (a, b))
        return NULL;
    }
  return json_object_ref (record);
}

/* Written whole and durably (a new file renamed over the old) before anything goes on. */
static gboolean
record_save (const char  *dir,
             JsonObject  *record,
             GError     **error)
{
  g_autofree char *path = record_path (dir);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (node, record);
  text = json_to_string (node, TRUE);
  return g_file_set_contents_full (path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static char *
kept_path (const char *dir,
           JsonObject *record)
{
  const char *file = json_object_get_string_member_with_default (record, "file", NULL);
  char *path;

  if (file == NULL || *file == '\0' || strchr (file, '/') != NULL)
    return NULL;
  path = g_build_filename (dir, file, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_clear_pointer (&path, g_free);
  return path;
}

char *
admint_music_replicate_lookup_kept (AdmintMusicReplicate     *self,
                                    const AdmintMusicRequest *request)
{
  g_autoptr(JsonObject) want = NULL;
  g_autoptr(JsonObject) record = NULL;

  g_return_val_if_fail (ADMINT_IS_MUSIC_REPLICATE (self), NULL);
  g_return_val_if_fail (request != NULL && request->dir != NULL, NULL);

  want = record_new (self->model, request);
  record = record_load (request->dir, want);
  if (record == NULL || !json_object_get_boolean_member_with_default (record, "recorded", FALSE))
    return NULL;
  return kept_path (request->dir, record);
}

/* ---- fetching ---- */

typedef struct {
  char                  *dir;
  char                  *generation_id;
  JsonObject            *record;
  AdmintReplicateClient *client;
  gulong                 created_id;
  gulong                 usage_id;
  char                  *download;       /* the file being checked */
  double                 cost;           /* of the prediction, once downloaded */
  double                 recorded_cost;  /* what this call put in `usage` */
  guint                  bad_downloads;
  gboolean               made_again;     /* a followed prediction had failed: made once more */
  gboolean               paid_here;      /* the client counted a download of this call's */
} Fetch;

static void
fetch_free (Fetch *f)
{
  if (f->client != NULL)
    {
      g_clear_signal_handler (&f->created_id, f->client);
      g_clear_signal_handler (&f->usage_id, f->client);
    }
  g_clear_object (&f->client);
  g_free (f->dir);
  g_free (f->generation_id);
  g_clear_pointer (&f->record, json_object_unref);
  g_free (f->download);
  g_free (f);
}

static void follow (GTask *task);
static void create (GTask *task);

/* The prediction's id goes into the record the moment the create answer arrives (or the
 * client finds the prediction a lost answer made): a process killed from here on follows it
 * after a restart. Before that, the client's own log of the create in the store (written
 * before the request leaves) makes the next run look for it instead of paying again. */
static void
on_created (AdmintReplicateClient *client,
            const char            *prediction_id,
            const char            *generation_id,
            gpointer               user_data)
{
  Fetch *f = user_data;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (f->record, "prediction_id", prediction_id);
  if (!record_save (f->dir, f->record, &error))
    g_warning ("Could not record the music prediction %s in %s: %s", prediction_id, f->dir,
               error->message);
}

/* The client downloaded the bed and counted it (in `usage` too, once a prediction, when it
 * has the store). */
static void
on_usage (AdmintReplicateClient *client,
          const char            *provider,
          const char            *model,
          const char            *operation,
          double                 units,
          double                 cost_usd,
          const char            *generation_id,
          gpointer               user_data)
{
  Fetch *f = user_data;

  f->paid_here = TRUE;
}

/* The model as the client names it in `usage`: owner/name, without a version. */
static char *
usage_model (AdmintMusicReplicate *self)
{
  const char *colon = strchr (self->model, ':');

  return colon ? g_strndup (self->model, colon - self->model) : g_strdup (self->model);
}

/* The bed is kept: its cost is in `usage` once, under the prediction's id (the client put it
 * there with the download; a bed kept by a run without the store is put there now), then the
 * record says so. */
static void
finish_kept (GTask *task)
{
  AdmintMusicReplicate *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *path = kept_path (f->dir, f->record);

  if (!json_object_get_boolean_member_with_default (f->record, "recorded", FALSE))
    {
      double cost = json_object_get_double_member_with_default (f->record, "cost_usd", 0);
      const char *id = json_object_get_string_member_with_default (f->record, "prediction_id",
                                                                   NULL);
      gboolean added = FALSE;

      if (self->store != NULL && id != NULL)
        {
          g_autofree char *item = g_strconcat ("replicate:", id, NULL);
          g_autofree char *model = usage_model (self);
          double seconds = (double) json_object_get_int_member (f->record, "duration");

          if (!admint_store_record_usage_once (self->store, item, "replicate", model, "music",
                                               seconds, cost, f->generation_id, &added, &error))
            g_message ("Could not record the cost of the music bed: %s", error->message);
        }
      f->recorded_cost = added || f->paid_here ? cost : 0;
      g_clear_error (&error);
      json_object_set_boolean_member (f->record, "recorded", TRUE);
      if (!record_save (f->dir, f->record, &error))
        g_warning ("Could not update the music record in %s: %s", f->dir, error->message);
    }
  g_task_return_pointer (task, path, g_free);
  g_object_unref (task);
}

static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;

  if (admint_music_check_file (path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Decodes PATH off the main loop, then calls DONE. */
static void
check_decodes (GTask               *task,
               const char          *path,
               GAsyncReadyCallback  done)
{
  GTask *check = g_task_new (NULL, g_task_get_cancellable (task), done, task);

  g_task_set_source_tag (check, check_decodes);
  g_task_set_task_data (check, g_strdup (path), g_free);
  g_task_run_in_thread (check, check_thread);
  g_object_unref (check);
}

static void
on_download_checked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char *id = json_object_get_string_member (f->record, "prediction_id");

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_unlink (f->download);
      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          return;
        }
      f->bad_downloads++;
      if (f->bad_downloads >= MAX_BAD_DOWNLOADS)
        {
          g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                                   _("The music prediction %s gave a file that does not decode as "
                                     "sound, %u times (%s). Check providers.music.model: it "
                                     "must make an audio file."), id, f->bad_downloads,
                                   error->message);
          g_object_unref (task);
          return;
        }
      /* Fetched again from the same prediction: a new one would be paid for again. */
      g_message ("The music bed of prediction %s does not decode (%s); downloading it again",
                 id, error->message);
      follow (task);
      return;
    }
  name = g_path_get_basename (f->download);
  json_object_set_string_member (f->record, "file", name);
  /* A bed paid for and recorded before (its file lost since) is not recorded again. */
  if (!json_object_get_boolean_member_with_default (f->record, "recorded", FALSE))
    {
      json_object_set_double_member (f->record, "cost_usd", f->cost);
      json_object_set_boolean_member (f->record, "recorded", FALSE);
    }
  if (!record_save (f->dir, f->record, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  finish_kept (task);
}

/* A followed prediction that is over without a bed (failed, cancelled on the service, forgotten)
 * is made again, once: it will never finish, so nothing is paid twice. */
static gboolean
prediction_is_over (GTask        *task,
                    const GError *error)
{
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  return g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_SERVER_ERROR) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_NOT_FOUND) ||
         g_error_matches (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_CANCELLED);
}

static void
on_predicted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  gboolean followed = g_task_get_source_tag (task) == (gpointer) follow;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintPredictionResult) prediction =
    followed ? admint_replicate_client_resume_finish (f->client, result, &error)
             : admint_replicate_client_predict_finish (f->client, result, &error);

  if (prediction == NULL)
    {
      if (followed && !f->made_again && prediction_is_over (task, error))
        {
          g_message ("The music prediction %s is over without a bed (%s); making it again",
                     json_object_get_string_member (f->record, "prediction_id"),
                     error->message);
          f->made_again = TRUE;
          json_object_remove_member (f->record, "prediction_id");
          create (task);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (prediction->files == NULL || prediction->files[0] == NULL)
    {
      g_task_return_new_error (task, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                               _("The music prediction %s finished with no file."),
                               prediction->id);
      g_object_unref (task);
      return;
    }
  /* Extra outputs (stems some models add) are not used. */
  for (guint i = 1; prediction->files[i] != NULL; i++)
    g_unlink (prediction->files[i]);
  g_free (f->download);
  f->download = g_strdup (prediction->files[0]);
  f->cost = prediction->cost_usd;
  check_decodes (task, f->download, on_download_checked);
}

static void
follow (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  const char *id = json_object_get_string_member (f->record, "prediction_id");

  g_task_set_source_tag (task, follow);
  admint_replicate_client_resume_async (f->client, id, f->generation_id,
                                        g_task_get_cancellable (task), on_predicted, task);
}

static void
create (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(AdmintReplicateInput) input = admint_replicate_input_new ();

  g_task_set_source_tag (task, create);
  admint_replicate_input_set_string (input, "prompt",
                                     json_object_get_string_member (f->record, "prompt"));
  admint_replicate_input_set_int (input, "duration",
                                  json_object_get_int_member (f->record, "duration"));
  admint_replicate_input_set_int (input, "seed", json_object_get_int_member (f->record, "seed"));
  admint_replicate_input_set_string (input, "output_format", "wav");
  admint_replicate_input_set_generation_id (input, f->generation_id);
  admint_replicate_client_predict_async (f->client, input, g_task_get_cancellable (task),
                                         on_predicted, task);
}

static void
on_kept_checked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      finish_kept (task);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  /* A kept bed that no longer decodes (the disk, a hand) comes again from its prediction. */
  g_message ("The kept music bed does not decode (%s); downloading it again", error->message);
  {
    g_autofree char *path = kept_path (f->dir, f->record);
    if (path != NULL)
      g_unlink (path);
  }
  json_object_remove_member (f->record, "file");
  follow (task);
}

void
admint_music_replicate_fetch_async (AdmintMusicReplicate     *self,
                                    const AdmintMusicRequest *request,
                                    GCancellable             *cancellable,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data)
{
  GTask *task;
  Fetch *f;
  g_autoptr(JsonObject) want = NULL;
  g_autofree char *kept = NULL;
  AdmintReplicateOptions options;

  g_return_if_fail (ADMINT_IS_MUSIC_REPLICATE (self));
  g_return_if_fail (request != NULL && request->dir != NULL && request->duration > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, admint_music_replicate_fetch_async);
  f = g_new0 (Fetch, 1);
  f->dir = g_strdup (request->dir);
  f->generation_id = g_strdup (request->generation_id);
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);
  g_mkdir_with_parents (f->dir, 0700);

  options = self->options;
  options.output_dir = f->dir;
  f->client = admint_replicate_client_new (NULL, &options);
  /* The client logs each create in the store before it is sent, and finds the prediction of
   * one whose answer was lost (issue 14): the bed goes through the clips' own path. */
  if (self->store != NULL)
    admint_replicate_client_set_store (f->client, self->store);
  f->created_id = g_signal_connect (f->client, "prediction-created", G_CALLBACK (on_created), f);
  f->usage_id = g_signal_connect (f->client, "usage", G_CALLBACK (on_usage), f);

  want = record_new (self->model, request);
  f->record = record_load (f->dir, want);
  if (f->record == NULL)
    f->record = g_steal_pointer (&want);

  kept = kept_path (f->dir, f->record);
  if (kept != NULL)
    {
      check_decodes (task, kept, on_kept_checked);
      return;
    }
  if (json_object_get_string_member_with_default (f->record, "prediction_id", NULL) != NULL)
    {
      g_message ("Following the music prediction %s instead of making a new one",
                 json_object_get_string_member (f->record, "prediction_id"));
      follow (task);
      return;
    }
  create (task);
}

char *
admint_music_replicate_fetch_finish (AdmintMusicReplicate  *self,
                                     GAsyncResult          *result,
                                     double                *cost_usd,
                                     GError               **error)
{
  Fetch *f;
  char *path;

  g_return_val_if_fail (ADMINT_IS_MUSIC_REPLICATE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  f = g_task_get_task_data (G_TASK (result));
  path = g_task_propagate_pointer (G_TASK (result), error);
  if (cost_usd != NULL)
    *cost_usd = path != NULL ? f->recorded_cost : 0;
  return path;
}
