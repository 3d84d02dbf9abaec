/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The references stage: the user's images first, the rest generated; each checked and described. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#define MIN_REFERENCE_SIDE 256
/* Sharp photos score 0.6-0.75, blurry ones under 0.45. */
#define MIN_REFERENCE_IMAGING_QUALITY 0.45

#include "admint-generation-private.h"

static void references_next (AdmintGeneration *self);

typedef struct {
  char    *path;
  gboolean too_small;
  double   imaging_quality;
} ImageCheck;

static void
check_image_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_file (path, &error);
  ImageCheck *check;

  if (full == NULL)
    {
      g_task_return_new_error (task, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                               _("Cannot read the reference image %s: %s"), path, error->message);
      return;
    }
  check = g_new0 (ImageCheck, 1);
  check->too_small = MIN (gdk_pixbuf_get_width (full), gdk_pixbuf_get_height (full))
                     < MIN_REFERENCE_SIDE;
  check->imaging_quality = admint_score_image_quality_pixbuf (full);
  g_task_return_pointer (task, check, g_free);
}

static void
on_reference_analysed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(AgentCall) call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(JsonNode) analysis =
    _admint_gen_agent_result (call, result, _admint_gen_is_object, "no analysis came back",
                              _("The reference analyst could not describe an image"));
  if (analysis == NULL)
    return;

  JsonObject *ref = json_array_get_object_element (json_node_get_array (self->references),
                                                   self->reference_cursor);
  _admint_gen_repair_analysis (self, json_node_get_object (analysis));
  json_object_set_member (ref, "analysis", json_node_copy (analysis));
  self->reference_cursor++;
  self->reference_retried = FALSE;
  references_next (self);
}

static void
analyse_reference (AdmintGeneration *self,
                   JsonObject       *ref)
{
  AdmintAgentRequest *request = _admint_gen_agent_request (self, "reference_analyst");
  const char *role = json_object_get_string_member_with_default (ref, "role", "product");

  admint_agent_request_set (request, "asset_kind", role);
  admint_agent_request_set (request, "asset_name",
                            json_object_get_string_member_with_default (ref, "name", ""));
  admint_agent_request_set (request, "role", role);
  admint_agent_request_set (request, "name", _admint_gen_brand_name (self));
  g_ptr_array_add (request->images, g_strdup (json_object_get_string_member (ref, "path")));
  _admint_gen_run_agent (self, request, on_reference_analysed, NULL);
}

static void generate_reference (AdmintGeneration *self, JsonObject *ref);

static void
on_reference_checked (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree ImageCheck *check = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->done)
    return;
  if (check == NULL)
    {
      _admint_gen_handle_error (self, _("A reference image cannot be used"), error);
      return;
    }

  JsonObject *ref = json_array_get_object_element (json_node_get_array (self->references),
                                                   self->reference_cursor);
  json_object_set_double_member (ref, "imaging_quality", check->imaging_quality);
  gboolean bad = check->too_small || check->imaging_quality < MIN_REFERENCE_IMAGING_QUALITY;
  const char *source_kind = json_object_get_string_member (ref, "source");

  if (bad && g_str_equal (source_kind, "generated") && !self->reference_retried)
    {
      /* Too small or too blurry: one more try before settling for it. */
      self->reference_retried = TRUE;
      _admint_gen_add_text_message (self, "assistant", "progress",
                                    check->too_small
                                    ? _("A generated reference image came out too small; "
                                        "making it again.")
                                    : _("A generated reference image came out blurry; "
                                        "making it again."));
      generate_reference (self, ref);
      return;
    }
  if (bad)
    {
      g_autofree char *note = g_strdup_printf (_("The reference %s is %s; it is used anyway. A "
                                               "sharper image of at least %d px gives better "
                                               "clips."),
                                               json_object_get_string_member (ref, "path"),
                                               check->too_small ? "small" : "blurry",
                                               MIN_REFERENCE_SIDE);
      _admint_gen_add_text_message (self, "assistant", "text", note);
    }
  analyse_reference (self, ref);
}

static void
check_reference (AdmintGeneration *self,
                 JsonObject       *ref)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_reference_checked,
                                      g_object_ref (self));

  g_task_set_task_data (task, g_strdup (json_object_get_string_member (ref, "path")), g_free);
  g_task_run_in_thread (task, check_image_thread);
}

static void
on_reference_generated (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(AdmintGeneration) self = user_data;
  g_autoptr(GError) error = NULL;
  double cost = 0;
  g_autofree char *path = admint_image_provider_generate_finish (self->images, result, &cost,
                                                                 &error);

  if (self->done)
    return;
  if (path == NULL)
    {
      _admint_gen_handle_error (self, _("The image provider could not make a reference image"),
                                            error);
      return;
    }
  if (g_str_equal (admint_image_provider_get_name (self->images), "local"))
    admint_store_record_usage (self->store, "local", "title-card", "image", 1, cost, self->id,
                               NULL);
  JsonObject *ref = json_array_get_object_element (json_node_get_array (self->references),
                                                   self->reference_cursor);
  json_object_set_string_member (ref, "path", path);
  check_reference (self, ref);
}

/* Paid for the moment it exists: stored before anything else, so a killed run's resume
 * follows this prediction instead of paying for a new one (issue 14). One reference is made
 * at a time, so the cursor says whose it is. */
static void
on_reference_prediction (const char *prediction_id,
                         gpointer    user_data)
{
  AdmintGeneration *self = user_data;
  g_autoptr(GError) error = NULL;
  JsonObject *ref = json_array_get_object_element (json_node_get_array (self->references),
                                                   self->reference_cursor);

  if (!admint_store_set_reference_prediction (self->store, self->id, (int) self->reference_cursor,
                                              self->reference_retried ? 1 : 0,
                                              json_object_get_string_member (ref, "prompt"),
                                              prediction_id, &error))
    g_warning ("Cannot record prediction %s: %s", prediction_id, error->message);
}

static void
generate_reference (AdmintGeneration *self,
                    JsonObject       *ref)
{
  g_autoptr(AdmintImageRequest) request = admint_image_request_new ();
  JsonObject *story = json_node_get_object (self->story);
  JsonArray *beats = json_object_get_array_member (story, "beats");
  guint n = json_array_get_length (beats);
  JsonObject *beat = json_array_get_object_element (beats, MIN (self->reference_cursor, n - 1));
  const char *visual = json_object_get_string_member_with_default (
    beat, "visual", json_object_get_string_member_with_default (beat, "text", ""));

  request->prompt = g_strdup_printf ("%s. %s, advertising photograph of the %s (%s).",
                                     json_object_get_string_member_with_default (story, "title",
                                                                                 ""),
                                     visual, self->brief->product, _admint_gen_brand_name (self));
  JsonArray *refs = json_node_get_array (self->references);
  for (guint i = 0; i < self->reference_cursor; i++)
    g_ptr_array_add (request->input_images,
                     g_strdup (json_object_get_string_member (
                       json_array_get_object_element (refs, i), "path")));
  g_free (request->aspect);
  request->aspect = g_strdup (admint_config_get_string (self->config, "video.aspect"));
  /* Each generated card says something of its own, in the palette turned a step, so the
   * references (and the clips made from them) are not all alike. */
  guint k = self->reference_cursor;
  g_auto(GStrv) palette = _admint_gen_palette_strv (self);
  guint n_colours = palette ? g_strv_length (palette) : 0;
  if (n_colours > 1)
    {
      request->palette = g_new0 (char *, n_colours + 1);
      for (guint c = 0; c < n_colours; c++)
        request->palette[c] = g_strdup (palette[(c + k) % n_colours]);
    }
  else if (k % 2 == 1)
    {
      /* No brand colours yet: alternate the renderer's two defaults. */
      request->palette = g_new0 (char *, 3);
      request->palette[0] = g_strdup ("#F2C14E");
      request->palette[1] = g_strdup ("#125C54");
    }
  g_autofree char *title = admint_brief_get_title (self->brief);
  const char *cta = json_object_get_string_member_with_default (story, "call_to_action",
                                                                self->brief->product);
  const char *overlay = json_object_get_string_member_with_default (beat, "on_screen_text", NULL);
  if (k == 0 || overlay == NULL || *overlay == '\0')
    {
      request->title = g_strdup (title);
      request->tagline = g_strdup (cta);
    }
  else
    {
      request->title = g_strdup (overlay);
      request->tagline = g_strdup (title);
    }
  request->output_dir = g_build_filename (self->dir, "references", NULL);
  request->seed = self->seed + self->reference_cursor * 31u + (self->reference_retried ? 977u : 0u);
  request->generation_id = g_strdup (self->id);
  json_object_set_string_member (ref, "prompt", request->prompt);
  /* A prediction a killed run made for this reference is followed, not paid for again. */
  g_autoptr(GError) error = NULL;
  request->prediction_id = admint_store_get_reference_prediction (self->store, self->id, (int) k,
                                                                  self->reference_retried ? 1
                                                                                          : 0,
                                                                  request->prompt, &error);
  if (error != NULL)
    {
      _admint_gen_handle_error (self, _("Cannot read the reference image's prediction"), error);
      return;
    }
  request->on_prediction = on_reference_prediction;
  request->callback_data = self;

  admint_image_provider_generate_async (self->images, request, self->cancellable,
                                        on_reference_generated, g_object_ref (self));
  /* The provider copies what it needs before returning to the main loop; see the local and
   * Replicate implementations. The request must still live until then: keep it on the ref. */
  g_object_set_data_full (G_OBJECT (self), "image-request", g_steal_pointer (&request),
                          (GDestroyNotify) admint_image_request_free);
}

static void
references_next (AdmintGeneration *self)
{
  JsonArray *refs = json_node_get_array (self->references);

  if (self->done)
    return;
  if (self->reference_cursor < json_array_get_length (refs))
    {
      JsonObject *ref = json_array_get_object_element (refs, self->reference_cursor);
      if (json_object_has_member (ref, "path"))
        check_reference (self, ref);
      else
        generate_reference (self, ref);
      return;
    }

  g_autoptr(GError) error = NULL;
  g_autofree char *json = _admint_gen_node_to_string (self->references);
  if (!admint_store_set_generation_json (self->store, self->id, "references", json, &error))
    {
      _admint_gen_handle_error (self, _("Cannot save the references"), error);
      return;
    }
  _admint_gen_add_message (self, "assistant", "references", self->references);
  g_signal_emit (self, _admint_gen_signals[SIGNAL_REFERENCES_READY], 0, self->references);
  _admint_gen_stage_timer_stop (self);
  self->running_stage = FALSE;
  _admint_gen_advance (self);
}

void
_admint_gen_add_asset_references (AdmintGeneration   *self,
                                  const char * const *roles,
                                  gsize               n_roles,
                                  JsonArray          *refs,
                                  gint64              count)
{
  for (gsize r = 0; r < n_roles; r++)
    for (guint i = 0; i < self->assets->len && json_array_get_length (refs) < (guint) count; i++)
      {
        AdmintAssetRow *asset = g_ptr_array_index (self->assets, i);
        if (!g_str_equal (admint_asset_row_get_kind (asset), roles[r]) ||
            !g_str_has_prefix (admint_asset_row_get_mime (asset), "image/"))
          continue;
        JsonObject *ref = json_object_new ();
        json_object_set_string_member (ref, "role", roles[r]);
        json_object_set_string_member (ref, "source", "asset");
        json_object_set_int_member (ref, "asset_id", admint_asset_row_get_id (asset));
        json_object_set_string_member (ref, "name", admint_asset_row_get_original_name (asset));
        json_object_set_string_member (ref, "path", admint_asset_row_get_path (asset));
        json_array_add_object_element (refs, ref);
      }
}

void
_admint_gen_start_references (AdmintGeneration *self)
{
  static const char * const roles[] = { "product", "character", "logo" };
  gint64 count = admint_config_get_int (self->config, "stages.references.count");
  JsonArray *refs = json_array_new ();

  self->running_stage = TRUE;
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_REFERENCES, "preparing reference images");
  _admint_gen_stage_timer_start (self, "references");

  /* The user's own assets first, in the order that matters most for consistency. */
  _admint_gen_add_asset_references (self, roles, G_N_ELEMENTS (roles), refs, count);
  /* The rest are generated from the story. */
  while (json_array_get_length (refs) < (guint) count)
    {
      JsonObject *ref = json_object_new ();
      json_object_set_string_member (ref, "role", json_array_get_length (refs) == 0 ? "product"
                                                                                   : "scene");
      json_object_set_string_member (ref, "source", "generated");
      json_array_add_object_element (refs, ref);
    }

  g_clear_pointer (&self->references, json_node_unref);
  self->references = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (self->references, refs);
  self->reference_cursor = 0;
  self->reference_retried = FALSE;
  references_next (self);
}
