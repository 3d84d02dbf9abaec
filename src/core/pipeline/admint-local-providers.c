/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The embedded local providers: rule-based agents, title-card images and clips rendered with
 * GStreamer from the references. No network, no key, nothing to pay. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "admint-worker.h"
#include "admint-brief.h"
#include "admint-error.h"
#include "admint-intent.h"
#include "admint-local-providers.h"
#include "admint-local-writer.h"
#include "admint-layout.h"
#include "admint-render.h"
#include "admint-scene.h"

/* ---- palette ------------------------------------------------------------------------------ */

typedef struct {
  guint  count;
  double r, g, b;
} Bin;

static int
compare_bins (gconstpointer a,
              gconstpointer b)
{
  const Bin *x = a, *y = b;
  return (x->count < y->count) - (x->count > y->count);
}

gboolean
admint_image_palette (const char  *path,
                      guint        n_colours,
                      GStrv       *palette,
                      double      *brightness,
                      double      *saturation,
                      GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree Bin *bins = g_new0 (Bin, 4096);
  double luma_sum = 0, sat_sum = 0;
  guint n = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  /* 64 px is plenty to find the dominant colours and keeps this fast for any input. */
  pixbuf = gdk_pixbuf_new_from_file_at_size (path, 64, 64, error);
  if (pixbuf == NULL)
    {
      g_prefix_error (error, _("Cannot read the image %s: "), path);
      return FALSE;
    }

  int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guchar *p = pixels + y * stride + x * channels;
        if (alpha && p[3] < 128)
          continue;  /* a logo's transparent background is not its colour */
        guint key = ((p[0] >> 4) << 8) | ((p[1] >> 4) << 4) | (p[2] >> 4);
        bins[key].count++;
        bins[key].r += p[0];
        bins[key].g += p[1];
        bins[key].b += p[2];
        int mx = MAX (p[0], MAX (p[1], p[2])), mn = MIN (p[0], MIN (p[1], p[2]));
        luma_sum += 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
        sat_sum += mx > 0 ? (double) (mx - mn) / mx : 0;
        n++;
      }
  if (n == 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("The image %s is fully transparent: use an image with visible content."), path);
      return FALSE;
    }

  qsort (bins, 4096, sizeof (Bin), compare_bins);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  double chosen[16][3];
  guint n_chosen = 0;
  for (guint i = 0; i < 4096 && n_chosen < MIN (n_colours, 16); i++)
    {
      if (bins[i].count == 0)
        break;
      double r = bins[i].r / bins[i].count, g = bins[i].g / bins[i].count,
             b = bins[i].b / bins[i].count;
      gboolean distinct = TRUE;
      /* Near-duplicates of a colour already chosen add nothing to a palette. */
      for (guint j = 0; j < n_chosen; j++)
        if (fabs (r - chosen[j][0]) + fabs (g - chosen[j][1]) + fabs (b - chosen[j][2]) < 60)
          distinct = FALSE;
      if (!distinct)
        continue;
      chosen[n_chosen][0] = r;
      chosen[n_chosen][1] = g;
      chosen[n_chosen][2] = b;
      n_chosen++;
      g_autofree char *hex = g_strdup_printf ("#%02X%02X%02X", (guint) lround (r),
                                              (guint) lround (g), (guint) lround (b));
      g_strv_builder_add (builder, hex);
    }

  if (palette != NULL)
    *palette = g_strv_builder_end (builder);
  if (brightness != NULL)
    *brightness = luma_sum / n / 255.0;
  if (saturation != NULL)
    *saturation = sat_sum / n;
  return TRUE;
}

/* ---- agents ------------------------------------------------------------------------------- */

struct _AdmintLocalLlm
{
  GObject       parent_instance;
  AdmintConfig *config;
};

static void admint_local_llm_iface_init (AdmintLlmProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintLocalLlm, admint_local_llm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_LLM_PROVIDER,
                                                      admint_local_llm_iface_init))

static const char *
ctx_string (JsonObject *ctx,
            const char *name)
{
  return json_object_get_string_member_with_default (ctx, name, NULL);
}

static JsonObject *
ctx_object (JsonObject *ctx,
            const char *name)
{
  if (!json_object_has_member (ctx, name))
    return NULL;
  JsonNode *node = json_object_get_member (ctx, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
ctx_array (JsonObject *ctx,
           const char *name)
{
  if (!json_object_has_member (ctx, name))
    return NULL;
  JsonNode *node = json_object_get_member (ctx, name);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonNode *
analyse_reference (AdmintAgentRequest  *request,
                   GError             **error)
{
  JsonObject *ctx = request->context;
  const char *role = ctx_string (ctx, "role");
  const char *product = ctx_string (ctx, "product");
  const char *name = ctx_string (ctx, "name");
  g_auto(GStrv) palette = NULL;
  double brightness = 0.5, saturation = 0.3;

  if (request->images->len == 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("The reference analyst was given no image to look at."));
      return NULL;
    }
  if (!admint_image_palette (g_ptr_array_index (request->images, 0), 4, &palette, &brightness,
                             &saturation, error))
    return NULL;
  {
    /* Brand colours by clustering in OKLab, the product photo's plain backdrop left out. */
    const char *paths[] = { g_ptr_array_index (request->images, 0), NULL };
    g_auto(GStrv) clustered = admint_palette_from_images (paths, 4);

    if (clustered != NULL && clustered[0] != NULL)
      {
        g_strfreev (palette);
        palette = g_steal_pointer (&clustered);
      }
  }

  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "subject");
  if (g_strcmp0 (role, "logo") == 0)
    json_builder_add_string_value (b, "the brand's logo");
  else if (g_strcmp0 (role, "character") == 0)
    json_builder_add_string_value (b, "the ad's main character, as in the reference photo");
  else
    {
      g_autofree char *s = g_strdup_printf ("the %s", product ? product : "product");
      json_builder_add_string_value (b, s);
    }
  json_builder_set_member_name (b, "product");
  {
    g_autofree char *s = g_strdup_printf ("%s%s%s, with the colours of the reference (%s)",
                                          product ? product : "the product",
                                          name && *name ? " " : "", name ? name : "",
                                          palette[0] ? palette[0] : "neutral");
    json_builder_add_string_value (b, s);
  }
  json_builder_set_member_name (b, "palette");
  json_builder_begin_array (b);
  for (guint i = 0; palette[i] != NULL; i++)
    json_builder_add_string_value (b, palette[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "style");
  json_builder_add_string_value (b, saturation > 0.45 ? "vivid, saturated colour"
                                    : saturation > 0.2 ? "natural colour"
                                    : "muted, minimal colour");
  json_builder_set_member_name (b, "lighting");
  json_builder_add_string_value (b, brightness > 0.65 ? "bright, high-key light"
                                    : brightness > 0.35 ? "balanced daylight"
                                    : "low-key, moody light");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
rephrase (JsonObject *ctx)
{
  static const char * const flagged[] = {
    "blood", "gun", "weapon", "kill", "naked", "nude", "drunk", "violent", "violence", "sexy",
    NULL
  };
  g_autofree char *prompt = g_strdup (ctx_string (ctx, "prompt") ? ctx_string (ctx, "prompt")
                                                                 : "");
  GString *out = g_string_new (NULL);
  g_auto(GStrv) words = g_strsplit (prompt, " ", -1);

  /* Drop the words filters object to and say plainly that the scene is family-friendly. */
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (words[i], -1);
      gboolean bad = FALSE;
      for (guint j = 0; flagged[j] != NULL; j++)
        if (strstr (lower, flagged[j]) != NULL)
          bad = TRUE;
      if (bad)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  g_string_append (out, " A friendly, family-safe commercial scene.");

  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "prompt");
  json_builder_add_string_value (b, out->str);
  json_builder_end_object (b);
  g_string_free (out, TRUE);
  return json_builder_get_root (b);
}

static JsonNode *
run_local_agent (AdmintLocalLlm      *self,
                 AdmintAgentRequest  *request,
                 GError             **error)
{
  JsonObject *ctx = request->context;
  const char *agent = request->agent;
  g_autoptr(AdmintBrief) brief = admint_brief_parse (ctx_string (ctx, "brief") ?
                                                     ctx_string (ctx, "brief") : "");
  int target = (int) json_object_get_int_member_with_default (ctx, "target_seconds", 30);
  guint32 seed = (guint32) json_object_get_int_member_with_default (ctx, "seed", 0);
  const char *feedback = ctx_string (ctx, "feedback");

  if (feedback != NULL && *feedback == '\0')
    feedback = NULL;

  if (g_str_equal (agent, "director") || g_str_equal (agent, "critic"))
    {
      g_autoptr(AdmintFramework) framework = admint_config_get_framework (
        self->config, ctx_string (ctx, "framework"), error);
      if (framework == NULL)
        return NULL;
      if (g_str_equal (agent, "director"))
        return admint_local_write_story (brief, framework, target, seed,
                                         ctx_object (ctx, "previous"), feedback);
      JsonObject *story = ctx_object (ctx, "story");
      if (story == NULL)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("The critic got no story."));
          return NULL;
        }
      return admint_local_critique_story (story, framework, brief, target);
    }

  if (g_str_equal (agent, "reference_analyst"))
    return analyse_reference (request, error);

  if (g_str_equal (agent, "scene_writer"))
    {
      JsonObject *story = ctx_object (ctx, "story");
      double clip_seconds = json_object_get_double_member_with_default (ctx, "clip_seconds", 8);
      if (story == NULL)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("The scene writer got no story."));
          return NULL;
        }
      /* The scenes being replaced: a rewritten scene is their next variant. */
      const char *before = ctx_string (ctx, "previous_scenes");
      g_autoptr(JsonNode) previous = before && *before ? json_from_string (before, NULL) : NULL;
      g_autoptr(JsonNode) scenes = admint_local_write_scenes_again (
        story, brief, target, clip_seconds, seed, feedback,
        previous && JSON_NODE_HOLDS_ARRAY (previous) ? json_node_get_array (previous) : NULL);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "scenes");
      json_builder_add_value (b, g_steal_pointer (&scenes));
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }

  if (g_str_equal (agent, "scene_critic"))
    {
      JsonArray *scenes = ctx_array (ctx, "scenes");
      if (scenes == NULL)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("The scene critic got no scenes."));
          return NULL;
        }
      return admint_local_critique_scenes (scenes, ctx_object (ctx, "story"), target, brief);
    }

  if (g_str_equal (agent, "cohesor"))
    {
      JsonArray *scenes = ctx_array (ctx, "scenes");
      if (scenes == NULL)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("The cohesor got no scenes."));
          return NULL;
        }
      g_autoptr(JsonNode) cohered = admint_local_cohere_scenes (scenes,
                                                                ctx_array (ctx, "references"),
                                                                brief);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "scenes");
      json_builder_add_value (b, g_steal_pointer (&cohered));
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }

  if (g_str_equal (agent, "intent"))
    {
      g_autoptr(AdmintIntent) intent = admint_intent_classify (ctx_string (ctx, "reply") ?
                                                               ctx_string (ctx, "reply") : "");
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "intent");
      json_builder_add_string_value (b, admint_intent_kind_to_string (intent->kind));
      json_builder_set_member_name (b, "scene");
      json_builder_add_int_value (b, intent->scene);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, intent->text ? intent->text : "");
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }

  if (g_str_equal (agent, "rephraser"))
    return rephrase (ctx);

  if (g_str_equal (agent, "line_shortener"))
    {
      g_autofree char *shorter = admint_local_shorten_line (
        ctx_string (ctx, "line") ? ctx_string (ctx, "line") : "",
        (guint) json_object_get_int_member_with_default (ctx, "max_words", 1));
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_string_value (b, shorter);
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }

  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("The local provider has no agent “%s”."),
               agent);
  return NULL;
}

static void
local_llm_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  JsonNode *result = run_local_agent (source, task_data, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

static const char *
local_llm_get_name (AdmintLlmProvider *provider)
{
  return "local";
}

static void
local_llm_run_agent_async (AdmintLlmProvider   *provider,
                           AdmintAgentRequest  *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, local_llm_run_agent_async);
  /* Borrowed: the caller keeps the request alive until the callback. */
  g_task_set_task_data (task, request, NULL);
  g_task_run_in_thread (task, local_llm_thread);
}

static JsonNode *
local_llm_run_agent_finish (AdmintLlmProvider  *provider,
                            GAsyncResult       *result,
                            GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
admint_local_llm_iface_init (AdmintLlmProviderInterface *iface)
{
  iface->get_name = local_llm_get_name;
  iface->run_agent_async = local_llm_run_agent_async;
  iface->run_agent_finish = local_llm_run_agent_finish;
}

static void
admint_local_llm_finalize (GObject *object)
{
  AdmintLocalLlm *self = ADMINT_LOCAL_LLM (object);

  g_clear_object (&self->config);
  G_OBJECT_CLASS (admint_local_llm_parent_class)->finalize (object);
}

static void
admint_local_llm_class_init (AdmintLocalLlmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_local_llm_finalize;
}

static void
admint_local_llm_init (AdmintLocalLlm *self)
{
}

AdmintLlmProvider *
admint_local_llm_new (AdmintConfig *config)
{
  AdmintLocalLlm *self;

  g_return_val_if_fail (ADMINT_IS_CONFIG (config), NULL);

  self = g_object_new (ADMINT_TYPE_LOCAL_LLM, NULL);
  self->config = g_object_ref (config);
  return ADMINT_LLM_PROVIDER (self);
}

/* ---- images: title cards ------------------------------------------------------------------ */

struct _AdmintLocalImage
{
  GObject       parent_instance;
  AdmintConfig *config;
};

static void admint_local_image_iface_init (AdmintImageProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintLocalImage, admint_local_image, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_IMAGE_PROVIDER,
                                                      admint_local_image_iface_init))

static void
local_image_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  admint_worker_lower_priority ();
  AdmintImageRequest *request = task_data;
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  g_autoptr(GError) error = NULL;
  AdmintAspect aspect = ADMINT_ASPECT_16_9;

  if (!admint_aspect_from_string (request->aspect, &aspect))
    aspect = ADMINT_ASPECT_16_9;
  job->aspect = aspect;
  job->palette = g_strdupv (request->palette);
  job->product_name = g_strdup (request->title);
  job->tagline = g_strdup (request->tagline);

  g_autofree char *name = g_strdup_printf ("title-card-%u.png", request->seed);
  g_autofree char *path = g_build_filename (request->output_dir, name, NULL);
  if (g_mkdir_with_parents (request->output_dir, 0700) != 0 ||
      !admint_render_title_card (job, path, cancellable, &error))
    {
      if (error == NULL)
        g_set_error (&error, ADMINT_ERROR, ADMINT_ERROR_FAILED, _("Cannot create the folder %s."),
                     request->output_dir);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&path), g_free);
}

static const char *
local_image_get_name (AdmintImageProvider *provider)
{
  return "local";
}

static void
local_image_generate_async (AdmintImageProvider *provider,
                            AdmintImageRequest  *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, local_image_generate_async);
  g_task_set_task_data (task, request, NULL);
  g_task_run_in_thread (task, local_image_thread);
}

static char *
local_image_generate_finish (AdmintImageProvider  *provider,
                             GAsyncResult         *result,
                             double               *cost_usd,
                             GError              **error)
{
  AdmintLocalImage *self = ADMINT_LOCAL_IMAGE (provider);

  if (cost_usd != NULL)
    *cost_usd = admint_config_get_double (self->config, "prices.local");
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
admint_local_image_iface_init (AdmintImageProviderInterface *iface)
{
  iface->get_name = local_image_get_name;
  iface->generate_async = local_image_generate_async;
  iface->generate_finish = local_image_generate_finish;
}

static void
admint_local_image_finalize (GObject *object)
{
  g_clear_object (&ADMINT_LOCAL_IMAGE (object)->config);
  G_OBJECT_CLASS (admint_local_image_parent_class)->finalize (object);
}

static void
admint_local_image_class_init (AdmintLocalImageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_local_image_finalize;
}

static void
admint_local_image_init (AdmintLocalImage *self)
{
}

AdmintImageProvider *
admint_local_image_new (AdmintConfig *config)
{
  AdmintLocalImage *self;

  g_return_val_if_fail (ADMINT_IS_CONFIG (config), NULL);

  self = g_object_new (ADMINT_TYPE_LOCAL_IMAGE, NULL);
  self->config = g_object_ref (config);
  return ADMINT_IMAGE_PROVIDER (self);
}

/* ---- video: the local renderer ------------------------------------------------------------ */

struct _AdmintLocalVideo
{
  GObject       parent_instance;
  AdmintConfig *config;
};

static void admint_local_video_iface_init (AdmintVideoProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdmintLocalVideo, admint_local_video, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ADMINT_TYPE_VIDEO_PROVIDER,
                                                      admint_local_video_iface_init))

static const char *
local_video_get_name (AdmintVideoProvider *provider)
{
  return "local";
}

static double
local_video_get_max_clip_seconds (AdmintVideoProvider *provider)
{
  return admint_config_get_double (ADMINT_LOCAL_VIDEO (provider)->config,
                                   "providers.video.clip_seconds");
}

static gboolean
local_video_takes_first_frame (AdmintVideoProvider *provider)
{
  return TRUE;
}

static double
local_video_estimate_cost (AdmintVideoProvider *provider,
                           double               seconds)
{
  return admint_config_get_double (ADMINT_LOCAL_VIDEO (provider)->config, "prices.local");
}

static void
on_render_progress (double   fraction,
                    gpointer user_data)
{
  AdmintClipRequest *request = user_data;

  if (request->on_progress != NULL)
    request->on_progress (fraction, request->callback_data);
}

static void
on_render_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!admint_render_clip_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GStrv
scene_strv (JsonObject *scene,
            const char *member)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (scene, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        const char *s = json_array_get_string_element (json_node_get_array (node), i);
        if (s != NULL && *s != '\0')
          g_strv_builder_add (b, s);
      }
  return g_strv_builder_end (b);
}

/* The scene's layout and words, as the writer set them; a scene from another writer gets the
 * hook first and alternating product layouts after it. */
static void
job_from_scene (AdmintRenderJob   *job,
                AdmintClipRequest *request)
{
  g_autoptr(JsonNode) node = request->scene_json ? json_from_string (request->scene_json, NULL)
                                                 : NULL;
  JsonObject *scene = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *layout = scene ? json_object_get_string_member_with_default (scene, "layout", NULL)
                             : NULL;
  static const char * const rotation[] = { "product-hero", "benefits", "problem" };

  if (layout == NULL || admint_layout_set_lookup (admint_layout_set_get_default (), layout) == NULL)
    layout = request->index == 0 ? "hook" : rotation[request->index % G_N_ELEMENTS (rotation)];
  job->layout = g_strdup (layout);
  if (scene == NULL)
    return;
  job->description = g_strdup (json_object_get_string_member_with_default (scene, "description",
                                                                            NULL));
  job->lines = scene_strv (scene, "lines");
  job->figure = g_strdup (json_object_get_string_member_with_default (scene, "figure", NULL));
  job->cta = g_strdup (json_object_get_string_member_with_default (scene, "cta", NULL));
  job->handle = g_strdup (json_object_get_string_member_with_default (scene, "handle", NULL));
  job->offer = g_strdup (json_object_get_string_member_with_default (scene, "offer", NULL));
  job->transition_in = g_strdup (json_object_get_string_member_with_default (
    scene, "transition_in", NULL));
  job->variant = (guint) MAX (0, json_object_get_int_member_with_default (scene, "variant", 0));
  /* The voice-over, spoken before the clips (admint-stage-sound.c): its captions drawn into
   * the clip, its timings for the on-screen words' entrances. */
  if (json_object_has_member (scene, "voice_captions"))
    job->captions = json_to_string (json_object_get_member (scene, "voice_captions"), FALSE);
  if (json_object_has_member (scene, "word_times") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (scene, "word_times")))
    {
      JsonArray *times = json_object_get_array_member (scene, "word_times");

      job->word_times = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < json_array_get_length (times); i++)
        {
          double t = json_array_get_double_element (times, i);
          g_array_append_val (job->word_times, t);
        }
    }
}

/* The product photo among the stills: not the logo, not a title card the local image provider
 * drew (the layouts draw their own backgrounds); an opaque photo before a transparent one (a
 * logo filed as a product), then the largest. */
static char *
pick_product (AdmintClipRequest *request)
{
  const char *best = NULL;
  double best_score = 0;

  for (int i = -1; i < (int) request->images->len; i++)
    {
      const char *path = i < 0 ? request->first_frame : g_ptr_array_index (request->images, i);
      g_autofree char *base = path ? g_path_get_basename (path) : NULL;
      g_autoptr(GdkPixbuf) probe = NULL;
      int w = 0, h = 0;
      double score;

      if (path == NULL || g_strcmp0 (path, request->logo) == 0 ||
          g_str_has_prefix (base, "title-card-") || gdk_pixbuf_get_file_info (path, &w, &h) == NULL)
        continue;
      probe = gdk_pixbuf_new_from_file_at_size (path, 32, 32, NULL);
      score = (double) w * h * (probe != NULL && gdk_pixbuf_get_has_alpha (probe) ? 0.01 : 1.0);
      if (score > best_score)
        best = path, best_score = score;
    }
  return g_strdup (best);
}

static void
local_video_generate_async (AdmintVideoProvider *provider,
                            AdmintClipRequest   *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  g_autoptr(AdmintRenderJob) job = admint_render_job_new ();
  AdmintAspect aspect = ADMINT_ASPECT_16_9;

  g_task_set_source_tag (task, local_video_generate_async);

  job_from_scene (job, request);
  job->product = pick_product (request);
  job->duration = request->duration;
  job->camera = g_strdup (request->camera);
  job->text = g_strdup (request->on_screen_text && *request->on_screen_text
                        ? request->on_screen_text : NULL);
  job->palette = g_strdupv (request->palette);
  job->logo = g_strdup (request->logo);
  job->product_name = g_strdup (request->product_name);
  job->tagline = g_strdup (request->tagline);
  if (!admint_aspect_from_string (request->aspect, &aspect))
    aspect = ADMINT_ASPECT_16_9;
  job->aspect = aspect;
  job->size = g_strcmp0 (request->resolution, "1080p") == 0 ? ADMINT_RENDER_SIZE_1080P
                                                            : ADMINT_RENDER_SIZE_720P;
  job->fps = request->fps > 0 ? request->fps : 30;

  if (request->on_progress != NULL)
    request->on_progress (0.0, request->callback_data);
  admint_render_clip_async (job, request->output_path, cancellable, on_render_progress, request,
                            on_render_done, g_steal_pointer (&task));
}

static gboolean
local_video_generate_finish (AdmintVideoProvider  *provider,
                             GAsyncResult         *result,
                             double               *cost_usd,
                             GError              **error)
{
  if (cost_usd != NULL)
    *cost_usd = admint_config_get_double (ADMINT_LOCAL_VIDEO (provider)->config, "prices.local");
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
admint_local_video_iface_init (AdmintVideoProviderInterface *iface)
{
  iface->get_name = local_video_get_name;
  iface->get_max_clip_seconds = local_video_get_max_clip_seconds;
  iface->takes_first_frame = local_video_takes_first_frame;
  iface->estimate_cost = local_video_estimate_cost;
  iface->generate_async = local_video_generate_async;
  iface->generate_finish = local_video_generate_finish;
}

static void
admint_local_video_finalize (GObject *object)
{
  g_clear_object (&ADMINT_LOCAL_VIDEO (object)->config);
  G_OBJECT_CLASS (admint_local_video_parent_class)->finalize (object);
}

static void
admint_local_video_class_init (AdmintLocalVideoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = admint_local_video_finalize;
}

static void
admint_local_video_init (AdmintLocalVideo *self)
{
}

AdmintVideoProvider *
admint_local_video_new (AdmintConfig *config)
{
  AdmintLocalVideo *self;

  g_return_val_if_fail (ADMINT_IS_CONFIG (config), NULL);

  self = g_object_new (ADMINT_TYPE_LOCAL_VIDEO, NULL);
  self->config = g_object_ref (config);
  return ADMINT_VIDEO_PROVIDER (self);
}
