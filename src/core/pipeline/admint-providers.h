/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The three provider roles of the pipeline — text agents, images, video clips — as GInterfaces,
 * so the local, OpenAI-compatible and Replicate implementations are interchangeable. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- agents (LLM) ------------------------------------------------------------------------ */

/* While a streaming agent writes: TEXT is its whole answer so far (the raw text, usually the
 * opening of a JSON document). Called on the main context, any number of times, then never
 * again once the call's callback has run. */
typedef void (*AdmintAgentDeltaFunc) (const char *text,
                                      gpointer    user_data);

/* One agent call. `values` fills the agent's prompt placeholders (char * -> char *) for a
 * chat model; `context` carries the same facts as JSON for the local rule-based agents:
 * brief, framework, target_seconds, clip_seconds, seed, story, scenes, references, feedback,
 * reply, scene_index. `images` are local paths a vision agent looks at. */
typedef struct {
  char       *agent;          /* director, critic, reference_analyst, scene_writer,
                               * scene_critic, cohesor, intent, rephraser */
  GHashTable *values;
  JsonObject *context;
  GPtrArray  *images;         /* of char * */
  char       *generation_id;  /* for usage records; may be NULL */
  /* Set to have the answer streamed where the provider can (an OpenAI-compatible server);
   * providers that cannot just answer at the end. */
  AdmintAgentDeltaFunc on_delta;
  gpointer    delta_data;
} AdmintAgentRequest;

AdmintAgentRequest *admint_agent_request_new  (const char         *agent,
                                               const char         *generation_id);
void                admint_agent_request_free (AdmintAgentRequest *request);
void                admint_agent_request_set  (AdmintAgentRequest *request,
                                               const char         *name,
                                               const char         *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintAgentRequest, admint_agent_request_free)

#define ADMINT_TYPE_LLM_PROVIDER (admint_llm_provider_get_type ())
G_DECLARE_INTERFACE (AdmintLlmProvider, admint_llm_provider, ADMINT, LLM_PROVIDER, GObject)

struct _AdmintLlmProviderInterface
{
  GTypeInterface parent_iface;

  const char *(*get_name)         (AdmintLlmProvider   *self);
  void        (*run_agent_async)  (AdmintLlmProvider   *self,
                                   AdmintAgentRequest  *request,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  JsonNode   *(*run_agent_finish) (AdmintLlmProvider   *self,
                                   GAsyncResult        *result,
                                   GError             **error);
};

const char *admint_llm_provider_get_name         (AdmintLlmProvider   *self);
/* The request is borrowed until the callback runs. The result is the agent's JSON. */
void        admint_llm_provider_run_agent_async  (AdmintLlmProvider   *self,
                                                  AdmintAgentRequest  *request,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode   *admint_llm_provider_run_agent_finish (AdmintLlmProvider   *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* ---- images ------------------------------------------------------------------------------ */

/* Called on the main context with a remote prediction's id the moment it exists, to be
 * stored before anything else happens (issue 14: a kill then must not pay twice). */
typedef void (*AdmintImagePredictionFunc) (const char *prediction_id,
                                           gpointer    user_data);

typedef struct {
  char       *prompt;
  GPtrArray  *input_images;   /* of char *: local paths of references to follow */
  char       *aspect;         /* "16:9" */
  GStrv       palette;        /* "#rrggbb"… for title cards */
  char       *title;          /* product name, for title cards */
  char       *tagline;
  char       *output_dir;     /* where the image is written */
  guint32     seed;
  char       *generation_id;
  char       *prediction_id;  /* resume: an existing remote prediction to follow */
  AdmintImagePredictionFunc on_prediction;
  gpointer    callback_data;
} AdmintImageRequest;

AdmintImageRequest *admint_image_request_new  (void);
void                admint_image_request_free (AdmintImageRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintImageRequest, admint_image_request_free)

#define ADMINT_TYPE_IMAGE_PROVIDER (admint_image_provider_get_type ())
G_DECLARE_INTERFACE (AdmintImageProvider, admint_image_provider, ADMINT, IMAGE_PROVIDER, GObject)

struct _AdmintImageProviderInterface
{
  GTypeInterface parent_iface;

  const char *(*get_name)        (AdmintImageProvider *self);
  void        (*generate_async)  (AdmintImageProvider *self,
                                  AdmintImageRequest  *request,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
  /* The image's local path; cost_usd what it cost. */
  char       *(*generate_finish) (AdmintImageProvider *self,
                                  GAsyncResult        *result,
                                  double              *cost_usd,
                                  GError             **error);
};

const char *admint_image_provider_get_name        (AdmintImageProvider *self);
void        admint_image_provider_generate_async  (AdmintImageProvider *self,
                                                   AdmintImageRequest  *request,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char       *admint_image_provider_generate_finish (AdmintImageProvider *self,
                                                   GAsyncResult        *result,
                                                   double              *cost_usd,
                                                   GError             **error);

/* ---- video clips ------------------------------------------------------------------------- */

/* Called on the main context: the remote prediction id the moment it exists (to be stored
 * before anything else happens), and progress (fraction < 0: indeterminate). */
typedef void (*AdmintClipPredictionFunc) (const char *prediction_id,
                                          gpointer    user_data);
typedef void (*AdmintClipProgressFunc)   (double      fraction,
                                          gpointer    user_data);

typedef struct {
  int         index;
  char       *prompt;          /* the scene with its consistency context */
  char       *negative_prompt;
  char       *first_frame;     /* reference image path, when the model takes one */
  GPtrArray  *images;          /* of char *: stills the local renderer pans across */
  char       *logo;
  char       *camera;
  char       *on_screen_text;
  GStrv       palette;
  char       *product_name;
  char       *tagline;
  double      duration;
  char       *aspect;          /* "16:9" */
  char       *resolution;      /* "720p" | "1080p" */
  guint32     seed;
  int         fps;             /* video.fps; 0: the provider's own */
  char       *output_path;     /* where the finished clip must end up */
  char       *prediction_id;   /* resume: an existing remote prediction to poll */
  char       *generation_id;
  char       *scene_json;      /* the scene as written (layout, lines, figure…), may be NULL */
  AdmintClipPredictionFunc on_prediction;
  AdmintClipProgressFunc   on_progress;
  gpointer    callback_data;
} AdmintClipRequest;

AdmintClipRequest *admint_clip_request_new  (void);
void               admint_clip_request_free (AdmintClipRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintClipRequest, admint_clip_request_free)

#define ADMINT_TYPE_VIDEO_PROVIDER (admint_video_provider_get_type ())
G_DECLARE_INTERFACE (AdmintVideoProvider, admint_video_provider, ADMINT, VIDEO_PROVIDER, GObject)

struct _AdmintVideoProviderInterface
{
  GTypeInterface parent_iface;

  const char *(*get_name)            (AdmintVideoProvider *self);
  /* The longest clip the model makes, seconds. */
  double      (*get_max_clip_seconds) (AdmintVideoProvider *self);
  gboolean    (*takes_first_frame)   (AdmintVideoProvider *self);
  /* What a clip of this many seconds will cost, from the configured prices. */
  double      (*estimate_cost)       (AdmintVideoProvider *self,
                                      double               seconds);
  /* Makes the clip, or — when request->prediction_id is set — polls that prediction. */
  void        (*generate_async)      (AdmintVideoProvider *self,
                                      AdmintClipRequest   *request,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
  gboolean    (*generate_finish)     (AdmintVideoProvider *self,
                                      GAsyncResult        *result,
                                      double              *cost_usd,
                                      GError             **error);
};

const char *admint_video_provider_get_name             (AdmintVideoProvider *self);
double      admint_video_provider_get_max_clip_seconds (AdmintVideoProvider *self);
gboolean    admint_video_provider_takes_first_frame    (AdmintVideoProvider *self);
double      admint_video_provider_estimate_cost        (AdmintVideoProvider *self,
                                                        double               seconds);
void        admint_video_provider_generate_async       (AdmintVideoProvider *self,
                                                        AdmintClipRequest   *request,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean    admint_video_provider_generate_finish      (AdmintVideoProvider *self,
                                                        GAsyncResult        *result,
                                                        double              *cost_usd,
                                                        GError             **error);

G_END_DECLS
