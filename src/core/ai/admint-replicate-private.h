/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Replicate client's files share: its state, a prediction in flight, the helpers. */
#pragma once

#include "admint-http.h"
#include "admint-replicate-client.h"

G_BEGIN_DECLS

struct _AdmintReplicateInput
{
  JsonObject *values;  /* our name -> value */
  GHashTable *files;   /* our name -> GPtrArray of paths */
  GPtrArray  *file_order;
  char       *generation_id;
};

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
  char                   *api_origin;   /* scheme://host:port of the API: alone given the key */
  JsonObject             *inputs;
  JsonObject             *fixed;
  JsonObject             *schema;       /* cached input properties */
  AdmintStore            *store;
};

enum { SIGNAL_CREATED, SIGNAL_PROGRESS, SIGNAL_USAGE, N_SIGNALS };
extern guint replicate_signals[N_SIGNALS];

typedef struct {
  char     *model_name;
  char     *path;
  gboolean  is_array;
} FileSlot;

/* One prediction in flight: what is sent, where it is, what it made. */
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
  GCancellable         *download_cancel;   /* the caller's cancel, or the download time cap */
  gulong                download_cancel_id; /* on the caller's cancellable */
  GCancellable         *caller_cancel;
  guint                 download_timer;
  gboolean              download_timed_out;
  guint                 download_attempts; /* of the current output */
  /* trouble following the prediction (network, 5xx, 401, garbled answers): polled on */
  guint                 troubles;
  GError               *last_trouble;
  /* the create request (issue 14: a create whose answer is lost is looked for, not repeated) */
  char                 *input_hash;
  gint64                create_row;        /* in the store's log of predictions; 0: none */
  gint64                create_started;    /* unix microseconds, just before it was sent */
  AdmintHttpResponse   *create_response;   /* while its answer is read */
  GByteArray           *create_body;
  GError               *create_error;      /* why its answer could not be read */
  /* a look-up of the account's recent predictions */
  gpointer              look_done;         /* ReplicateLookUpFunc */
  gint64                look_since;
  char                **look_known;
  char                 *look_found;
  gint64                look_found_at;
  guint                 look_pages;
} Predict;

/* The end of a look-up: FOUND (the caller's) is the prediction found, or NULL with ERROR NULL
 * when there is none, or ERROR (the caller's) when the listing could not be read. */
typedef void (*ReplicateLookUpFunc) (GTask  *task,
                                     char   *found,
                                     GError *error);

/* owner/name, or owner/name:version. */
G_GNUC_INTERNAL
char *replicate_model_key (AdmintReplicateClient *self);

/* A hash of the model and INPUT (by our names, files by their local paths). */
G_GNUC_INTERNAL
char *replicate_input_hash (AdmintReplicateClient *self,
                            AdmintReplicateInput  *input);

/* The id at the top level of a create answer cut off on the way, when it arrived whole. */
G_GNUC_INTERNAL
char *replicate_partial_id (GBytes *body);

/* Lists the account's predictions, newest first, back to SINCE (unix microseconds, less a
 * margin for clock skew), and calls DONE with the earliest one made from this prediction's
 * model and inputs that is not in KNOWN. */
G_GNUC_INTERNAL
void replicate_look_up (GTask               *task,
                        gint64               since,
                        const char * const  *known,
                        ReplicateLookUpFunc  done);

G_GNUC_INTERNAL
char *replicate_origin_of (const char *url);

G_GNUC_INTERNAL
char *replicate_api_url (AdmintReplicateClient *self,
                         const char            *format,
                         ...) G_GNUC_PRINTF (2, 3);

/* The end of every _finish of this client: the task's pointer, or NULL with error set. */
G_GNUC_INTERNAL
gpointer replicate_finish_pointer (AdmintReplicateClient  *self,
                                   GAsyncResult           *result,
                                   GError                **error);

G_GNUC_INTERNAL
void replicate_init_request (AdmintReplicateClient *self,
                             AdmintHttpRequest     *req,
                             const char            *method,
                             const char            *url,
                             AdmintHttpRetry        retry);

G_GNUC_INTERNAL
JsonObject *replicate_parse_object (GBytes *body);
const char *replicate_string_member (JsonObject *obj,
                                     const char *name);

G_GNUC_INTERNAL
void replicate_remove_partial (Predict *p);

/* Removes whatever this prediction downloaded so far: a failed call leaves nothing behind. */
G_GNUC_INTERNAL
void replicate_discard_files (Predict *p);

/* Cancels the prediction on Replicate (so that it stops costing money), then fails with ERROR. */
G_GNUC_INTERNAL
void replicate_cancel_and_fail (GTask  *task,
                                GError *error);

G_GNUC_INTERNAL
void replicate_fail (GTask  *task,
                     GError *error);

G_GNUC_INTERNAL
gboolean replicate_caller_cancelled (GTask *task);

G_GNUC_INTERNAL
void replicate_next_download (GTask *task);

/* Records what a prediction that ended without outputs (failed, cancelled) cost, when its
 * price is by predict time and PREDICTION reports it. */
G_GNUC_INTERNAL
void replicate_record_ended_usage (AdmintReplicateClient *self,
                                   Predict               *p,
                                   JsonObject            *prediction);

G_GNUC_INTERNAL
const char *replicate_model_name_for (AdmintReplicateClient *self,
                                      const char            *ours);

G_END_DECLS
