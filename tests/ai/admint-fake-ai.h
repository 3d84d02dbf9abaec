/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fake AI server for tests: OpenAI-style chat and Replicate predictions on 127.0.0.1, with
 * faults scripted per request and every request recorded. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ADMINT_TYPE_FAKE_AI (admint_fake_ai_get_type ())
G_DECLARE_FINAL_TYPE (AdmintFakeAi, admint_fake_ai, ADMINT, FAKE_AI, GObject)

/* Listens on 127.0.0.1:PORT (0: an ephemeral port) on the thread-default main context.
 * Routes (the API under /v1, so the base URL is admint_fake_ai_get_base_url()):
 *   GET  /v1/models                              chat models list
 *   POST /v1/chat/completions                    plain, or SSE when "stream": true
 *   GET  /v1/models/OWNER/NAME[/versions/V]      Replicate model page with its input schema
 *   POST /v1/models/OWNER/NAME/predictions, POST /v1/predictions       create
 *   GET  /v1/predictions/ID, POST /v1/predictions/ID/cancel             poll, cancel
 *   GET  /v1/predictions[?cursor=N]              the list, newest first, a page at a time:
 *                                                {"previous","next","results":[…]}
 *   POST /v1/files                               upload (multipart "content")
 *   POST /v1/audio/speech                        a WAV (24 kHz mono) of one voiced burst a
 *                                                word, ~0.18 s a syllable ÷ "speed"
 *   GET  /files/NAME                             files added with admint_fake_ai_add_file(),
 *                                                and music-ID.wav, a music prediction's bed */
AdmintFakeAi *admint_fake_ai_new          (guint          port,
                                           GError       **error);
guint         admint_fake_ai_get_port     (AdmintFakeAi  *self);
/* "http://127.0.0.1:PORT" and "http://127.0.0.1:PORT/v1". */
const char   *admint_fake_ai_get_origin   (AdmintFakeAi  *self);
const char   *admint_fake_ai_get_base_url (AdmintFakeAi  *self);

/* ---- normal behaviour ---- */

/* Requests to /v1 without "Authorization: Bearer KEY" get 401 (NULL: no check). */
void admint_fake_ai_set_api_key         (AdmintFakeAi       *self,
                                         const char         *key);
void admint_fake_ai_set_models          (AdmintFakeAi       *self,
                                         const char * const *ids);
/* Chat replies are queued: each completion takes the next; the last one repeats. */
void admint_fake_ai_push_chat_reply     (AdmintFakeAi       *self,
                                         const char         *content);
/* A streamed chat reply is sent one piece (a few characters) every MS milliseconds, as a
 * model writes; 0 (the default): the whole stream at once. */
void admint_fake_ai_set_stream_interval (AdmintFakeAi       *self,
                                         guint               ms);
void admint_fake_ai_set_chat_usage      (AdmintFakeAi       *self,
                                         gint64              prompt_tokens,
                                         gint64              completion_tokens);
/* A Replicate model with its input properties (a JSON object text) and the output URLs its
 * predictions produce (absolute, or a path on this server such as "/files/out.png"). */
void admint_fake_ai_add_model           (AdmintFakeAi       *self,
                                         const char         *owner_name,
                                         const char         *input_properties_json,
                                         const char * const *outputs);
/* The frequency of the steady tone in a fake music model's beds. */
#define ADMINT_FAKE_MUSIC_HZ 1320.0

/* A Replicate music model (MusicGen's inputs: prompt, duration, seed, output_format, …) whose
 * predictions each end with a WAV (32 kHz stereo) of the "duration" asked, served at
 * /files/music-ID.wav: a steady ADMINT_FAKE_MUSIC_HZ tone over a 110 Hz drone. */
void admint_fake_ai_add_music_model     (AdmintFakeAi       *self,
                                         const char         *owner_name);
/* How the following predictions go: POLLS answers "processing" (with tqdm logs), then
 * STATUS ("succeeded" or "failed", with ERROR). PREDICT_TIME goes in metrics. */
void admint_fake_ai_set_prediction_plan (AdmintFakeAi       *self,
                                         guint               polls,
                                         const char         *status,
                                         const char         *error,
                                         double              predict_time);
/* A prediction whose input prompt contains PROMPT_CONTAINS ends with STATUS ("failed",
 * "succeeded") and ERROR instead of the plan's; TIMES such predictions (0: all of them). */
void admint_fake_ai_add_prediction_rule (AdmintFakeAi       *self,
                                         const char         *prompt_contains,
                                         const char         *status,
                                         const char         *error,
                                         guint               times);
/* Predictions stay "processing" until SECONDS after their creation (as well as the plan's
 * polls): a model that takes that long. 0: no wait. */
void admint_fake_ai_set_prediction_latency (AdmintFakeAi    *self,
                                            double           seconds);
/* The predictions made so far that are still processing finish at their next poll (however
 * long their latency): a model that never seemed to end is done at last. */
void admint_fake_ai_finish_predictions  (AdmintFakeAi       *self);
/* /v1/audio/speech speaks FACTOR times slower (0 or 1: as described above): lines run long. */
void  admint_fake_ai_set_speech_slowness (AdmintFakeAi      *self,
                                          double             factor);
/* GET /v1/predictions gives SIZE predictions a page (0: 100, as Replicate). */
void  admint_fake_ai_set_list_page_size (AdmintFakeAi       *self,
                                         guint               size);
/* The predictions made so far whose input prompt contains PROMPT_CONTAINS (NULL: all). */
guint admint_fake_ai_count_predictions  (AdmintFakeAi       *self,
                                         const char         *prompt_contains);
/* Serves DATA at PATH ("/files/out.png") with CONTENT_TYPE. */
void admint_fake_ai_add_file            (AdmintFakeAi       *self,
                                         const char         *path,
                                         const char         *content_type,
                                         GBytes             *data);

/* ---- faults ---- */

typedef struct {
  guint        status;        /* 0: the normal answer (possibly cut, stalled or delayed) */
  const char  *body;          /* replaces the body */
  const char  *content_type;  /* of that body; default application/json */
  const char  *headers[9];    /* extra headers: name, value, …, NULL */
  guint        delay_ms;      /* wait before answering (what the request does, such as
                                 creating a prediction, is done at once) */
  gssize       cut_at;        /* send this many bytes of the body, then close; -1: all */
  gboolean     stall;         /* send the headers and cut_at bytes, then go silent */
} AdmintFakeFault;

#define ADMINT_FAKE_FAULT_INIT { 0, NULL, NULL, { NULL }, 0, -1, FALSE }

/* The next request whose method is METHOD (NULL: any) and whose path starts with PATH gets
 * FAULT; faults for one route are used in the order pushed, one per request. */
void admint_fake_ai_push_fault  (AdmintFakeAi          *self,
                                 const char            *method,
                                 const char            *path,
                                 const AdmintFakeFault *fault);
/* Shorthand: answer STATUS with BODY (JSON) and optional header pairs, NULL-terminated. */
void admint_fake_ai_push_status (AdmintFakeAi          *self,
                                 const char            *method,
                                 const char            *path,
                                 guint                  status,
                                 const char            *body,
                                 ...) G_GNUC_NULL_TERMINATED;

/* Drops the faults not used yet: the service is well again. */
void admint_fake_ai_clear_faults (AdmintFakeAi          *self);

/* ---- what was asked ---- */

typedef struct {
  char   *method;
  char   *path;
  char   *authorization;  /* NULL when none was sent */
  char   *content_type;
  GBytes *body;
  gint64  time_us;        /* g_get_monotonic_time() on arrival */
} AdmintFakeRequest;

/* Requests so far, oldest first; matching as for faults (METHOD NULL: any). */
guint                    admint_fake_ai_count_requests (AdmintFakeAi *self,
                                                        const char   *method,
                                                        const char   *path);
const AdmintFakeRequest *admint_fake_ai_get_request    (AdmintFakeAi *self,
                                                        const char   *method,
                                                        const char   *path,
                                                        guint         nth);
/* The request's body parsed as JSON (a new reference), NULL if it is not JSON. */
JsonNode                *admint_fake_ai_request_json   (const AdmintFakeRequest *request);
GPtrArray               *admint_fake_ai_get_requests   (AdmintFakeAi *self);
void                     admint_fake_ai_clear_requests (AdmintFakeAi *self);

/* The default Replicate models (google/nano-banana-pro, google/veo-3, the music model
 * meta/musicgen), a gpt-4o-mini chat
 * model and a small PNG at /files/output.png: what the standalone program serves. */
void admint_fake_ai_add_defaults (AdmintFakeAi *self);

/* ---- the soak (build-aux/soak.sh) ---- */

/* Each request gets, with probability RATE, a fault drawn from: 429 with Retry-After, a burst
 * of 500/503, an answer SLOW_MS late, a truncated or malformed JSON body, a malformed or
 * stalled event stream (chat), 401, a cut download; and each new prediction may be doomed to
 * fail or to never finish. SEED makes a run repeatable. */
void  admint_fake_ai_set_random_faults  (AdmintFakeAi *self,
                                         double        rate,
                                         guint32       seed,
                                         guint         slow_ms);
/* Chat replies are made to fit the JSON Schema the request asks for (instead of the queue). */
void  admint_fake_ai_set_schema_replies (AdmintFakeAi *self,
                                         gboolean      enabled);
/* JSON: the faults injected so far by kind, and every prediction with its model, prompt and
 * status (a prediction not failed or canceled is one Replicate charges for). */
char *admint_fake_ai_ledger             (AdmintFakeAi *self);

G_END_DECLS
