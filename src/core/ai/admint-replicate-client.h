/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client of Replicate's predictions API: create, poll, cancel, download, with checked inputs. */
#pragma once

#include <json-glib/json-glib.h>

#include "admint-http.h"

G_BEGIN_DECLS

typedef struct _AdmintStore AdmintStore;
typedef struct _AdmintConfig AdmintConfig;

/* prices.images.* / prices.video.* / prices.music.*, USD. per_predict_second wins when > 0 and
 * the prediction reports metrics.predict_time; otherwise video and music cost per_second of
 * video or music produced and images per_image. */
typedef struct {
  double per_image;
  double per_second;
  double per_predict_second;
} AdmintReplicatePrices;

/* Everything the client needs, so that it works (and is tested) without a config. Strings are
 * copied and the objects referenced by admint_replicate_client_new. */
typedef struct {
  const char            *base_url;                  /* "https://api.replicate.com/v1" */
  const char            *model;                     /* owner/name or owner/name:version */
  const char            *api_key;
  const char            *kind;                      /* "images", "video" or "music" */
  AdmintRetryPolicy      retry;
  double                 request_timeout_seconds;   /* each HTTP request: 30 */
  double                 overall_timeout_seconds;   /* create to last byte: 180 / 600 */
  double                 poll_interval_seconds;     /* the first wait: 2 */
  double                 poll_interval_max_seconds; /* backing off to: 2 images, 10 video */
  guint64                download_max_bytes;        /* an output file at most */
  guint64                inline_image_max_bytes;    /* larger input files go to POST /files */
  const char            *output_dir;                /* NULL: the media directory */
  JsonObject            *inputs;                    /* our input name -> the model's */
  JsonObject            *options;                   /* fixed inputs, by the model's names */
  double                 clip_seconds;              /* video length when no duration is given */
  AdmintReplicatePrices  prices;
} AdmintReplicateOptions;

#define ADMINT_REPLICATE_OPTIONS_INIT \
  { "https://api.replicate.com/v1", NULL, NULL, "images", ADMINT_RETRY_POLICY_INIT, 30.0, \
    180.0, 2.0, 2.0, 524288000, 262144, NULL, NULL, NULL, 8.0, { 0.0, 0.0, 0.0 } }

/* Fills OPTIONS for KIND ("images", "video" or "music") from providers.KIND.*, prices.KIND.* and
 * network.*; strings and objects belong to CONFIG. The key is not in the config. */
void admint_replicate_options_from_config (AdmintReplicateOptions *options,
                                           AdmintConfig           *config,
                                           const char             *kind);

/* ---- the inputs of one prediction, by our names (providers.*.inputs maps them) ---- */

typedef struct _AdmintReplicateInput AdmintReplicateInput;

GType                 admint_replicate_input_get_type      (void) G_GNUC_CONST;
AdmintReplicateInput *admint_replicate_input_new           (void);
AdmintReplicateInput *admint_replicate_input_ref           (AdmintReplicateInput *input);
void                  admint_replicate_input_unref         (AdmintReplicateInput *input);
void                  admint_replicate_input_set_string    (AdmintReplicateInput *input,
                                                            const char           *name,
                                                            const char           *value);
void                  admint_replicate_input_set_int       (AdmintReplicateInput *input,
                                                            const char           *name,
                                                            gint64                value);
void                  admint_replicate_input_set_double    (AdmintReplicateInput *input,
                                                            const char           *name,
                                                            double                value);
void                  admint_replicate_input_set_boolean   (AdmintReplicateInput *input,
                                                            const char           *name,
                                                            gboolean              value);
/* A local file for NAME ("first_frame", "input_images"): sent inline as a data: URL when
 * small, else uploaded with POST /files. Adding several to one name makes a list. */
void                  admint_replicate_input_add_file      (AdmintReplicateInput *input,
                                                            const char           *name,
                                                            const char           *path);
void                  admint_replicate_input_set_generation_id (AdmintReplicateInput *input,
                                                                const char           *generation_id);

typedef struct {
  char   *id;              /* the prediction's id */
  char  **files;           /* the downloaded outputs, in order, in the output directory */
  char  **dropped_inputs;  /* inputs the model does not take, dropped with a message */
  double  predict_time;    /* metrics.predict_time in seconds, or -1 */
  double  cost_usd;
} AdmintPredictionResult;

void admint_prediction_result_free (AdmintPredictionResult *result);

/* ---- the client ---- */

#define ADMINT_TYPE_REPLICATE_CLIENT (admint_replicate_client_get_type ())
G_DECLARE_FINAL_TYPE (AdmintReplicateClient, admint_replicate_client, ADMINT, REPLICATE_CLIENT,
                      GObject)

/* Signals:
 *   "prediction-created" (const char *prediction_id, const char *generation_id): the moment
 *       the id exists, before any polling; store it to resume after a crash.
 *   "progress" (const char *prediction_id, double fraction): 0..1 from the logs, -1 when not
 *       known.
 *   "usage" (provider, model, operation, units, cost_usd, generation_id) when paid for. */
AdmintReplicateClient *admint_replicate_client_new       (SoupSession                  *session,
                                                          const AdmintReplicateOptions *options);
void                   admint_replicate_client_set_store (AdmintReplicateClient        *self,
                                                          AdmintStore                  *store);

/* GET /models/{owner}/{name} (or its version): the input properties of the model's published
 * schema (cached; an empty object when it publishes none). */
void        admint_replicate_client_get_model_async  (AdmintReplicateClient *self,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
JsonObject *admint_replicate_client_get_model_finish (AdmintReplicateClient *self,
                                                      GAsyncResult          *result,
                                                      GError               **error);

/* Checks INPUT against the model, creates the prediction (retried only on 429), polls it to the
 * end and downloads its outputs. Cancelling cancels the prediction on Replicate too and leaves
 * no file behind; a cancel during the create waits for the create's answer so that the
 * prediction it made can be cancelled. With a store, the create is logged before it is sent;
 * a create whose answer is lost is looked for (its id in a cut-off answer, or GET /predictions
 * by model, input and time) and followed, now or by the next call for the same input, instead
 * of being made again (issue 14). */
void                    admint_replicate_client_predict_async  (AdmintReplicateClient *self,
                                                                AdmintReplicateInput  *input,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
AdmintPredictionResult *admint_replicate_client_predict_finish (AdmintReplicateClient *self,
                                                                GAsyncResult          *result,
                                                                GError               **error);

/* Polls and downloads a prediction created earlier (after a restart): never creates one. One
 * the store records as downloaded is returned with its files as they are (no request, no
 * second usage row) while those files exist. */
void                    admint_replicate_client_resume_async   (AdmintReplicateClient *self,
                                                                const char            *prediction_id,
                                                                const char            *generation_id,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
AdmintPredictionResult *admint_replicate_client_resume_finish  (AdmintReplicateClient *self,
                                                                GAsyncResult          *result,
                                                                GError               **error);

/* Moves an output FROM (a file a prediction was downloaded to) to TO, and records where it
 * went, so that a resume uses it there instead of following the prediction again. */
gboolean    admint_replicate_client_move_output        (AdmintReplicateClient *self,
                                                        const char            *prediction_id,
                                                        const char            *from,
                                                        const char            *to,
                                                        GError               **error);

/* POST /files: uploads PATH and returns the URL a prediction input can name. */
void        admint_replicate_client_upload_file_async  (AdmintReplicateClient *self,
                                                        const char            *path,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
char       *admint_replicate_client_upload_file_finish (AdmintReplicateClient *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

/* Parses the progress of a tqdm-style line in LOGS ("45%|████▌ | 45/100"): 0..1, or -1. */
double      admint_replicate_parse_progress            (const char            *logs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintReplicateInput, admint_replicate_input_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintPredictionResult, admint_prediction_result_free)

G_END_DECLS
