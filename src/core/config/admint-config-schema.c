/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The config schema: every key, its type, range and choices; lookups and near-match hints. */
#define G_LOG_DOMAIN "admint-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "admint-config-private.h"
#include "admint-config-values-private.h"
#include "admint-error.h"

/* ---- the schema ------------------------------------------------------------------------- */

static const char * const llm_providers[] = { "local", "openai", NULL };
static const char * const media_providers[] = { "local", "replicate", NULL };
static const char * const voice_providers[] = { "local", "openai", "none", NULL };
static const char * const music_providers[] = { "local", "replicate", "none", NULL };
static const char * const aspects[] = { "16:9", "9:16", "1:1", NULL };
static const char * const resolutions[] = { "720p", "1080p", "360p", NULL };
/* Our names for a model's inputs (providers.*.inputs maps each to the model's own name). */
static const char * const image_inputs[] = {
  "prompt", "input_images", "aspect_ratio", "output_format", "negative_prompt", "seed",
  "width", "height", NULL,
};
static const char * const video_inputs[] = {
  "prompt", "first_frame", "last_frame", "reference_images", "duration", "aspect_ratio",
  "resolution", "audio", "negative_prompt", "seed", "fps", NULL,
};

#define B(k)        { k, VT_BOOL, 0, 0, NULL, 0 }
#define I(k, a, b)  { k, VT_INT, a, b, NULL, 0 }
#define D(k, a, b)  { k, VT_DOUBLE, a, b, NULL, 0 }
#define S(k, f)     { k, VT_STRING, 0, 0, NULL, f }
#define E(k, c)     { k, VT_STRING, 0, 0, c, 0 }
#define O(k, c, f)  { k, VT_OBJECT, 0, 0, c, f }
#define PROMPT(a)   S ("prompts." a ".system_prompt", F_NONEMPTY | F_TEMPLATE), \
                    S ("prompts." a ".user_prompt_template", F_NONEMPTY | F_TEMPLATE)

#define KiB 1024.0
#define MiB (1024.0 * KiB)
#define GiB (1024.0 * MiB)

/* Every key, in the order `config show` prints them. docs/config.md describes each one. */
const KeySpec config_schema[] = {
  B ("stages.story.enabled"),
  I ("stages.story.max_iterations", 1, 10),
  D ("stages.story.quality_threshold", 0, 10),
  I ("stages.story.timeout_seconds", 1, 3600),
  S ("stages.story.framework", F_NONEMPTY),
  B ("stages.references.enabled"),
  I ("stages.references.count", 0, 3),
  I ("stages.references.timeout_seconds", 1, 3600),
  B ("stages.scenes.enabled"),
  I ("stages.scenes.max_iterations", 1, 10),
  D ("stages.scenes.quality_threshold", 0, 10),
  I ("stages.scenes.timeout_seconds", 1, 3600),
  B ("stages.clips.enabled"),
  B ("stages.clips.parallel"),
  I ("stages.clips.max_concurrent", 1, 32),
  I ("stages.clips.max_retries", 0, 10),
  I ("stages.clips.timeout_seconds", 1, 7200),

  I ("video.target_seconds", 1, 600),
  E ("video.aspect", aspects),
  E ("video.resolution", resolutions),
  I ("video.fps", 1, 120),

  D ("quality.good", 0, 100),
  D ("quality.acceptable", 0, 100),

  E ("providers.llm.provider", llm_providers),
  S ("providers.llm.base_url", F_URL),
  S ("providers.llm.model", F_NONEMPTY),
  S ("providers.llm.vision_model", F_NONEMPTY),
  O ("providers.llm.options", NULL, 0),
  E ("providers.images.provider", media_providers),
  S ("providers.images.base_url", F_URL),
  S ("providers.images.model", F_NONEMPTY),
  O ("providers.images.options", NULL, 0),
  O ("providers.images.inputs", image_inputs, F_STRING_MEMBERS),
  E ("providers.video.provider", media_providers),
  S ("providers.video.base_url", F_URL),
  S ("providers.video.model", F_NONEMPTY),
  I ("providers.video.clip_seconds", 1, 60),
  B ("providers.video.takes_first_frame"),
  O ("providers.video.options", NULL, 0),
  O ("providers.video.inputs", video_inputs, F_STRING_MEMBERS),
  E ("providers.voice.provider", voice_providers),
  S ("providers.voice.base_url", F_URL),
  S ("providers.voice.model", F_NONEMPTY),
  S ("providers.voice.voice", 0),
  D ("providers.voice.speed", 0.5, 2.0),
  E ("providers.music.provider", music_providers),
  S ("providers.music.model", F_NONEMPTY),
  S ("providers.music.base_url", F_URL),

  B ("captions.burn"),
  D ("audio.clip_level", -60, 0),
  S ("audio.music", F_NONEMPTY),
  S ("brand.style", 0),
  S ("brand.palette", 0),

  D ("prices.llm.input_per_1k_tokens", 0, 1000),
  D ("prices.llm.output_per_1k_tokens", 0, 1000),
  D ("prices.images.per_image", 0, 1000),
  D ("prices.video.per_second", 0, 1000),
  D ("prices.video.per_predict_second", 0, 1000),
  D ("prices.voice.per_million_chars", 0, 10000),
  D ("prices.music.per_second", 0, 1000),
  D ("prices.local", 0, 1000),

  D ("budget.max_usd_per_generation", 0, 100000),

  I ("limits.prompt_max_chars", 1, 100000),
  I ("limits.asset_max_bytes", 1, 1 * GiB),
  I ("limits.generation_assets_max_bytes", 1, 10 * GiB),

  I ("network.max_retries", 0, 10),
  D ("network.backoff_initial_seconds", 0, 60),
  D ("network.backoff_max_seconds", 0, 600),
  I ("network.max_retry_after_seconds", 0, 3600),
  I ("network.chat_first_byte_timeout_seconds", 1, 600),
  I ("network.image_timeout_seconds", 1, 3600),
  I ("network.video_timeout_seconds", 1, 7200),
  D ("network.poll_interval_image_seconds", 0.001, 60),
  D ("network.poll_interval_video_max_seconds", 0.001, 300),
  I ("network.download_max_bytes", 1, 16 * GiB),
  I ("network.inline_image_max_bytes", 0, 100 * MiB),

  PROMPT ("director"),
  PROMPT ("critic"),
  PROMPT ("reference_analyst"),
  PROMPT ("scene_writer"),
  PROMPT ("scene_critic"),
  PROMPT ("cohesor"),
  PROMPT ("intent"),
};
const gsize config_schema_length = G_N_ELEMENTS (config_schema);

static GHashTable *
schema_index (void)
{
  static GHashTable *index;

  if (g_once_init_enter (&index))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (gsize i = 0; i < config_schema_length; i++)
        g_hash_table_insert (table, (gpointer) config_schema[i].key, (gpointer) &config_schema[i]);
      g_once_init_leave (&index, table);
    }
  return index;
}

const KeySpec *
config_schema_lookup (const char *key)
{
  return g_hash_table_lookup (schema_index (), key);
}

/* The names directly under a section ("" is the top level), in schema order. */
GPtrArray *
config_schema_children (const char *section)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gsize prefix_len = strlen (section);

  for (gsize i = 0; i < config_schema_length; i++)
    {
      const char *key = config_schema[i].key;
      const char *rest;
      const char *dot;
      char *name;
      gboolean seen = FALSE;

      if (prefix_len > 0)
        {
          if (strncmp (key, section, prefix_len) != 0 || key[prefix_len] != '.')
            continue;
          rest = key + prefix_len + 1;
        }
      else
        rest = key;
      dot = strchr (rest, '.');
      name = dot ? g_strndup (rest, dot - rest) : g_strdup (rest);
      for (guint j = 0; j < names->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (names, j), name) == 0;
      if (seen)
        g_free (name);
      else
        g_ptr_array_add (names, name);
    }
  if (prefix_len == 0)
    g_ptr_array_add (names, g_strdup ("frameworks"));
  return names;
}

gboolean
config_schema_is_section (const char *path)
{
  gsize len = strlen (path);

  for (gsize i = 0; i < config_schema_length; i++)
    if (strncmp (config_schema[i].key, path, len) == 0 && config_schema[i].key[len] == '.')
      return TRUE;
  return FALSE;
}

char *
config_join_names (GPtrArray *names)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (names, i));
  return g_string_free (out, FALSE);
}

char *
config_join_strv (const char * const *names,
                  const char         *before,
                  const char         *after)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; names[i] != NULL; i++)
    g_string_append_printf (out, "%s%s%s%s", i > 0 ? ", " : "", before, names[i], after);
  return g_string_free (out, FALSE);
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/* " (did you mean “x”?)" when a known name is close to what was written. */
char *
config_did_you_mean (const char *written,
                     GPtrArray  *names)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  for (guint i = 0; i < names->len; i++)
    {
      guint d = edit_distance (written, g_ptr_array_index (names, i));
      if (d < best_distance)
        {
          best_distance = d;
          best = g_ptr_array_index (names, i);
        }
    }
  if (best != NULL && best_distance <= MAX (2, strlen (written) / 3))
    return g_strdup_printf (" (did you mean “%s”?)", best);
  return g_strdup ("");
}

typedef struct
{
  const char *key;
  guint       distance;
} Near;

static int
compare_near (gconstpointer a,
              gconstpointer b)
{
  const Near *x = a, *y = b;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  return 0;
}

/* " (did you mean “a”, “b” or “c”?)": up to three keys close to what was written, or the keys
 * of the section it names; "" when none is near. */
char *
config_near_keys (const char *written)
{
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (Near));
  g_autoptr(GString) hint = g_string_new (NULL);
  guint limit = MAX (3, strlen (written) / 4);
  gsize prefix = strcspn (written, ".");

  for (gsize i = 0; i < config_schema_length; i++)
    {
      const char *key = config_schema[i].key;
      Near n = { key, edit_distance (written, key) };

      /* A section alone ("stages.story") is near each of its keys. */
      if (g_str_has_prefix (key, written) && key[strlen (written)] == '.')
        n.distance = 1;
      if (n.distance <= limit ||
          (prefix > 0 && strncmp (key, written, prefix + 1) == 0 && n.distance <= limit * 2))
        g_array_append_val (near, n);
    }
  if (near->len == 0)
    return g_strdup ("");
  g_array_sort (near, compare_near);
  g_string_append (hint, " (did you mean ");
  for (guint i = 0; i < MIN (near->len, 3u); i++)
    g_string_append_printf (hint, "%s“%s”", i == 0 ? "" : i + 1 == MIN (near->len, 3u) ? " or "
                                                                                        : ", ",
                            g_array_index (near, Near, i).key);
  g_string_append (hint, "?)");
  return g_string_free (g_steal_pointer (&hint), FALSE);
}
