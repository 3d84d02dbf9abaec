/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AdmintStudio: where the app and the CLI start, resume and vary ads, so neither knows how. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "admint-error.h"
#include "admint-provider-factory.h"
#include "admint-store-styles.h"
#include "admint-studio.h"

struct _AdmintStudio
{
  GObject            parent_instance;

  AdmintStore       *store;
  AdmintConfig      *config;
  AdmintProviderSet  providers;   /* for config, built when first needed */
  gboolean           have_providers;
  GPtrArray         *overrides;   /* "key", "value", … set with admint_studio_set */
};

G_DEFINE_FINAL_TYPE (AdmintStudio, admint_studio, G_TYPE_OBJECT)

static void
admint_studio_dispose (GObject *object)
{
  AdmintStudio *self = ADMINT_STUDIO (object);

  admint_provider_set_clear (&self->providers);
  self->have_providers = FALSE;
  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_pointer (&self->overrides, g_ptr_array_unref);
  G_OBJECT_CLASS (admint_studio_parent_class)->dispose (object);
}

static void
admint_studio_class_init (AdmintStudioClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = admint_studio_dispose;
}

static void
admint_studio_init (AdmintStudio *self)
{
}

AdmintStudio *
admint_studio_new (AdmintStore  *store,
                   GError      **error)
{
  g_autoptr(AdmintStudio) self = NULL;

  g_return_val_if_fail (store == NULL || ADMINT_IS_STORE (store), NULL);

  self = g_object_new (ADMINT_TYPE_STUDIO, NULL);
  self->store = store != NULL ? g_object_ref (store) : admint_store_open (NULL, error);
  if (self->store == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
admint_studio_load_config (AdmintStudio  *self,
                           const char    *config_file,
                           GError       **error)
{
  AdmintConfig *config;

  g_return_val_if_fail (ADMINT_IS_STUDIO (self), FALSE);

  config = admint_config_load (config_file, error);
  if (config == NULL)
    return FALSE;
  admint_provider_set_clear (&self->providers);
  self->have_providers = FALSE;
  g_clear_object (&self->config);
  self->config = config;
  return TRUE;
}

AdmintConfig *
admint_studio_get_config (AdmintStudio *self)
{
  g_return_val_if_fail (ADMINT_IS_STUDIO (self), NULL);
  return self->config;
}

AdmintStore *
admint_studio_get_store (AdmintStudio *self)
{
  g_return_val_if_fail (ADMINT_IS_STUDIO (self), NULL);
  return self->store;
}

static gboolean
need_config (AdmintStudio  *self,
             GError       **error)
{
  return self->config != NULL || admint_studio_load_config (self, NULL, error);
}

gboolean
admint_studio_set (AdmintStudio  *self,
                   const char    *key,
                   const char    *value,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ADMINT_IS_STUDIO (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  if (!need_config (self, error))
    return FALSE;
  admint_config_set_override (self->config, key, value, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Kept, so a resume with the stored settings gets them too. */
  if (self->overrides == NULL)
    self->overrides = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->overrides, g_strdup (key));
  g_ptr_array_add (self->overrides, g_strdup (value));
  /* Providers follow the config: the next start builds them again. */
  admint_provider_set_clear (&self->providers);
  self->have_providers = FALSE;
  return TRUE;
}

void
admint_studio_get_asset_limits (AdmintStudio      *self,
                                AdmintAssetLimits *limits)
{
  g_return_if_fail (ADMINT_IS_STUDIO (self));
  g_return_if_fail (limits != NULL);

  limits->max_file_bytes = ADMINT_ASSET_DEFAULT_MAX_FILE_BYTES;
  limits->max_generation_bytes = ADMINT_ASSET_DEFAULT_MAX_GENERATION_BYTES;
  if (self->config == NULL)
    return;
  limits->max_file_bytes = admint_config_get_int (self->config, "limits.asset_max_bytes");
  limits->max_generation_bytes = admint_config_get_int (self->config,
                                                        "limits.generation_assets_max_bytes");
}

static gboolean
need_providers (AdmintStudio  *self,
                GError       **error)
{
  if (!need_config (self, error))
    return FALSE;
  if (!self->have_providers)
    self->have_providers = admint_provider_set_init (&self->providers, self->config,
                                                     self->store, error);
  return self->have_providers;
}

/* The config a new ad runs with: the studio's, with the brand style's palette, name and voice
 * on top (so they are stored with it and a resume keeps them). */
static AdmintConfig *
styled_config (AdmintStudio            *self,
               const AdmintBrandStyle  *style,
               GError                 **error)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *palette = NULL;
  g_autoptr(AdmintConfig) config = NULL;
  GError *local_error = NULL;

  if (style == NULL)
    return g_object_ref (self->config);
  json = admint_config_to_json (self->config);
  text = json_to_string (json, FALSE);
  if ((config = admint_config_load_snapshot (text, error)) == NULL)
    return NULL;
  palette = g_strjoinv (",", style->palette);
  admint_config_set_override (config, "brand.style", style->name, &local_error);
  if (local_error == NULL)
    admint_config_set_override (config, "brand.palette", palette, &local_error);
  if (local_error == NULL && style->voice != NULL && *style->voice != '\0')
    admint_config_set_override (config, "providers.voice.voice", style->voice, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&config);
}

/* The options' assets, with the style's logo and music added when the brief brings none of
 * that kind. */
static GPtrArray *
styled_assets (AdmintStudio            *self,
               const AdmintStartOptions *options,
               const AdmintBrandStyle  *style)
{
  GPtrArray *assets = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 extra[2] = { style ? style->logo_asset_id : 0, style ? style->music_asset_id : 0 };
  const char *kinds[2] = { "logo", "music" };

  for (guint i = 0; options->assets != NULL && i < options->assets->len; i++)
    g_ptr_array_add (assets, g_object_ref (g_ptr_array_index (options->assets, i)));
  for (guint k = 0; k < 2; k++)
    {
      gboolean have = FALSE;
      g_autoptr(AdmintAssetRow) row = NULL;

      for (guint i = 0; i < assets->len; i++)
        have |= g_str_equal (admint_asset_row_get_kind (g_ptr_array_index (assets, i)), kinds[k]);
      if (have || extra[k] <= 0 ||
          (row = admint_store_get_asset (self->store, extra[k], NULL)) == NULL)
        continue;
      g_ptr_array_add (assets, g_steal_pointer (&row));
    }
  return assets;
}

GPtrArray *
admint_studio_start (AdmintStudio              *self,
                     const AdmintStartOptions  *options,
                     char                     **group_id_out,
                     GError                   **error)
{
  static const char * const frameworks[] = { "AIDA", "PAS", "FAB" };
  g_autoptr(GPtrArray) generations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *group_id = NULL;
  guint variants;
  guint32 seed;
  g_autoptr(AdmintBrandStyle) style = NULL;
  g_autoptr(AdmintConfig) config = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  const char *default_framework;

  g_return_val_if_fail (ADMINT_IS_STUDIO (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  variants = MAX (options->variants, 1);
  if (variants > ADMINT_STUDIO_MAX_VARIANTS)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("%u variants were asked for; make between 1 and %d at once."), variants,
                   ADMINT_STUDIO_MAX_VARIANTS);
      return NULL;
    }
  if (!need_providers (self, error))
    return NULL;
  if (options->style == NULL || *options->style != '\0')
    {
      g_autoptr(GError) style_error = NULL;
      style = admint_store_get_style (self->store, options->style, &style_error);
      if (style_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&style_error));
          return NULL;
        }
    }
  if ((config = styled_config (self, style, error)) == NULL)
    return NULL;
  assets = styled_assets (self, options, style);
  /* The framework: the one asked for, else the style's, else the config's default. */
  default_framework = style != NULL && style->framework != NULL && *style->framework != '\0'
                      ? style->framework
                      : admint_config_get_string (self->config, "stages.story.framework");

  seed = options->seed >= 0 ? (guint32) options->seed : g_random_int ();
  for (guint v = 0; v < variants; v++)
    {
      g_autoptr(AdmintGeneration) gen = admint_generation_new (self->store, config,
                                                               self->providers.llm,
                                                               self->providers.images,
                                                               self->providers.video);
      admint_generation_set_voice (gen, self->providers.voice);
      /* Variants differ by framework when none is asked for, and by angle (seed) always. */
      const char *framework = options->framework ? options->framework
                              : variants > 1 ? frameworks[v % G_N_ELEMENTS (frameworks)]
                                             : default_framework;
      admint_generation_set_mode (gen, variants > 1 ? ADMINT_GENERATION_AUTO : options->mode);
      admint_generation_set_seed (gen, seed + (guint32) v * 7919u);
      admint_generation_set_max_cost (gen, options->max_cost);
      if (!admint_generation_create (gen, options->prompt, framework, assets, error))
        return NULL;
      if (variants > 1)
        {
          char variant[2] = { (char) ('A' + v), '\0' };
          if (group_id == NULL &&
              (group_id = admint_store_create_group (self->store, options->prompt, error)) == NULL)
            return NULL;
          admint_generation_set_group (gen, group_id);
          admint_store_add_group_member (self->store, group_id, admint_generation_get_id (gen),
                                         variant, NULL);
        }
      g_ptr_array_add (generations, g_steal_pointer (&gen));
    }
  if (group_id_out != NULL)
    *group_id_out = g_steal_pointer (&group_id);
  return g_steal_pointer (&generations);
}

/* The config a stored generation started with, or NULL when it kept none. */
static AdmintConfig *
stored_config (JsonNode  *stored,
               GError   **error)
{
  JsonObject *obj = json_node_get_object (stored);
  JsonNode *snap = json_object_get_member (obj, "config");

  if (snap == NULL || !JSON_NODE_HOLDS_OBJECT (snap) ||
      !json_object_has_member (json_node_get_object (snap), "config"))
    return NULL;
  g_autofree char *text = json_to_string (json_object_get_member (json_node_get_object (snap),
                                                                  "config"), FALSE);
  return admint_config_load_snapshot (text, error);
}

AdmintGeneration *
admint_studio_resume (AdmintStudio          *self,
                      const char            *id,
                      AdmintGenerationMode   mode,
                      AdmintResumeFlags      flags,
                      GError               **error)
{
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(AdmintConfig) config = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(AdmintProviderSet) providers = { 0 };
  g_autoptr(AdmintGeneration) gen = NULL;

  g_return_val_if_fail (ADMINT_IS_STUDIO (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stored = admint_store_get_generation (self->store, id, error);
  if (stored == NULL)
    return NULL;
  if (!(flags & ADMINT_RESUME_CURRENT_CONFIG))
    {
      config = stored_config (stored, &local_error);
      for (guint i = 0; config != NULL && self->overrides != NULL &&
                        local_error == NULL && i + 1 < self->overrides->len; i += 2)
        admint_config_set_override (config, g_ptr_array_index (self->overrides, i),
                                    g_ptr_array_index (self->overrides, i + 1), &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (config == NULL)
    {
      if (!need_config (self, error))
        return NULL;
      config = g_object_ref (self->config);
    }
  if (!admint_provider_set_init (&providers, config, self->store, error))
    return NULL;
  gen = admint_generation_new (self->store, config, providers.llm, providers.images,
                               providers.video);
  admint_generation_set_voice (gen, providers.voice);
  admint_generation_set_mode (gen, mode);
  if (!admint_generation_load (gen, id, error))
    return NULL;
  return g_steal_pointer (&gen);
}

static int
compare_quality (gconstpointer a,
                 gconstpointer b)
{
  AdmintGeneration *x = *(AdmintGeneration **) a, *y = *(AdmintGeneration **) b;
  double qx = admint_generation_get_quality_score (x), qy = admint_generation_get_quality_score (y);

  return (qx < qy) - (qx > qy);
}

void
admint_studio_rank (GPtrArray *generations)
{
  g_return_if_fail (generations != NULL);
  g_ptr_array_sort (generations, compare_quality);
}
