/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sound stage: every scene's line spoken (the voice providers.voice selects), captions burned
 * and written beside the ad, a music bed (audio.music, the ad's music asset or a generated one),
 * mixed to -14 LUFS onto the stitched video. Each spoken line is kept in the generation's folder
 * with its words, and its cost recorded, the moment it is spoken: a resumed run speaks only what
 * it does not have yet. A line too long for its scene even sped up goes back to the writer. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include "admint-generation-private.h"
#include "admint-music.h"
#include "admint-music-replicate.h"
#include "admint-provider-factory.h"
#include "admint-render.h"
#include "admint-sound.h"

/* Rounds of too-long lines sent back to the writer before a line is let run on. */
#define MAX_REWRITES 2

/* Where the local renderer puts a scene's on-screen text when the clip did not say: a band
 * centred at 78 % of the height (72 % in portrait), nearly full width, a little larger. */
static AdmintBox
estimated_text_box (const char *aspect)
{
  gboolean portrait = g_strcmp0 (aspect, "9:16") == 0;

  return (AdmintBox) { 0.05, portrait ? 0.60 : 0.66, 0.90, 0.24 };
}

/* The text boxes the renderer wrote beside CLIP (admint_render_text_boxes_path), in [0, 1];
 * NULL when it wrote none (a clip from a video model, or made before the renderer kept them). */
static GArray *
rendered_text_boxes (const char  *clip,
                     char       **captions)
{
  g_autofree char *path = clip ? admint_render_text_boxes_path (clip) : NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (AdmintBox));
  JsonNode *root;
  JsonArray *list;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      !json_parser_load_from_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (list = json_object_get_array_member (json_node_get_object (root), "boxes")) == NULL)
    return NULL;
  if (captions != NULL && json_object_has_member (json_node_get_object (root), "captions"))
    *captions = json_to_string (json_object_get_member (json_node_get_object (root),
                                                        "captions"), FALSE);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *b = json_array_get_object_element (list, i);
      AdmintBox box;

      if (b == NULL)
        continue;
      box.x = json_object_get_double_member_with_default (b, "x", 0);
      box.y = json_object_get_double_member_with_default (b, "y", 0);
      box.width = json_object_get_double_member_with_default (b, "width", 0);
      box.height = json_object_get_double_member_with_default (b, "height", 0);
      if (box.width > 0 && box.height > 0)
        g_array_append_val (boxes, box);
    }
  return g_steal_pointer (&boxes);
}

static void
boxes_free (gpointer boxes)
{
  if (boxes != NULL)
    g_array_unref (boxes);
}

static char *
speech_path (AdmintGeneration *self,
             guint             scene,
             const char       *ext)
{
  g_autofree char *name = g_strdup_printf ("voice-%02u.%s", scene, ext);
  return g_build_filename (self->dir, "sound", name, NULL);
}

/* A line spoken before for this very text, or NULL. */
static AdmintSpeech *
stored_speech (AdmintGeneration *self,
               guint             scene,
               const char       *line)
{
  g_autofree char *json_path = speech_path (self, scene, "json");
  g_autofree char *wav_path = speech_path (self, scene, "wav");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(AdmintSpeech) speech = NULL;

  if (!g_file_test (json_path, G_FILE_TEST_IS_REGULAR) ||
      !json_parser_load_from_file (parser, json_path, NULL))
    return NULL;
  speech = admint_speech_from_json (json_parser_get_root (parser), wav_path, NULL);
  if (speech == NULL || g_strcmp0 (speech->text, line) != 0)
    return NULL;
  return g_steal_pointer (&speech);
}

/* A line was just spoken (its WAV is written): its words beside it, its cost in `usage`. */
static void
on_line_spoken (const AdmintSoundLine *line,
                gpointer               user_data)
{
  AdmintGeneration *self = user_data;
  g_autofree char *json_path = speech_path (self, line->scene, "json");
  g_autofree char *model = NULL;
  g_autoptr(JsonNode) node = admint_speech_to_json (line->speech);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) error = NULL;
  const char *provider = line->speech->provider ? line->speech->provider : "local";

  json_generator_set_root (gen, node);
  if (!json_generator_to_file (gen, json_path, &error))
    g_warning ("cannot keep the word timings of scene %u in %s: %s", line->scene + 1, json_path,
               error->message);
  model = g_str_equal (provider, "local")
            ? g_strdup_printf ("flite-%s", line->speech->voice ? line->speech->voice : "slt")
            : g_strdup (admint_config_get_string (self->config, "providers.voice.model"));
  g_clear_error (&error);
  /* Takes told one by one (on_take_paid) are in `usage` already. */
  if (line->takes_told == 0 &&
      !admint_store_record_usage (self->store, provider, model, "speech",
                                  g_utf8_strlen (line->speech->text, -1),
                                  line->speech->cost_usd, self->id, &error))
    g_message ("Could not record the cost of scene %u's line: %s", line->scene + 1,
               error->message);
  _admint_gen_update_cost (self);
}

/* Each paid take of a line, the moment it arrives: in `usage` at once (keyed by its kept
 * file, so it is counted once), so a kill before a faster take loses no cost (issue 14). */
static void
on_take_paid (guint               scene,
              const AdmintSpeech *take,
              const char         *wav,
              gpointer            user_data)
{
  AdmintGeneration *self = user_data;
  g_autofree char *item = g_strdup_printf ("speech:%s:%s", self->id, wav);
  g_autoptr(GError) error = NULL;

  if (!admint_store_record_usage_once (self->store, item, take->provider ? take->provider
                                                                         : "openai",
                                       admint_config_get_string (self->config,
                                                                 "providers.voice.model"),
                                       "speech", g_utf8_strlen (take->text, -1), take->cost_usd,
                                       self->id, NULL, &error))
    g_message ("Could not record the cost of a take of scene %u's line: %s", scene + 1,
               error->message);
  _admint_gen_update_cost (self);
}

typedef struct {
  AdmintGeneration *self;
  GPtrArray        *speeches;   /* AdmintSpeech or NULL, one per scene; kept alive for the call */
  GPtrArray        *lines;      /* char *, one per scene */
  GArray           *scene_of;   /* guint: the index in self->scenes of each scene given */
  GPtrArray        *boxes;      /* GArray of AdmintBox or NULL, one per scene given */
  GPtrArray        *burned;     /* char *: the captions each scene's clip shows, or NULL */
  gboolean          early;      /* the voice step before the clips, not the sound stage */
  GArray           *scenes;     /* AdmintSoundScene, the voice step's: every scene */
  AdmintSoundResult *result;    /* lines too long, while the writer shortens them */
  guint             next_long;
} SoundCall;

static void
sound_call_free (SoundCall *call)
{
  g_ptr_array_unref (call->speeches);
  g_ptr_array_unref (call->lines);
  g_array_unref (call->scene_of);
  g_ptr_array_unref (call->boxes);
  g_ptr_array_unref (call->burned);
  g_clear_pointer (&call->scenes, g_array_unref);
  g_clear_pointer (&call->result, admint_sound_result_free);
  g_object_unref (call->self);
  g_free (call);
}

static void
report_video (AdmintGeneration  *self,
              AdmintSoundResult *sound)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "path", self->final_video);
  json_object_set_double_member (obj, "loudness_lufs", sound->mix_report.integrated_lufs);
  json_object_set_double_member (obj, "true_peak_dbtp", sound->mix_report.true_peak_dbtp);
  json_object_set_double_member (obj, "speech_share", sound->mix_report.speech_share);
  /* The picture was not encoded again: the clips showed their captions already. */
  json_object_set_boolean_member (obj, "video_copied", sound->video_copied);
  if (sound->srt != NULL)
    json_object_set_string_member (obj, "captions_srt", sound->srt);
  if (sound->vtt != NULL)
    json_object_set_string_member (obj, "captions_vtt", sound->vtt);
  json_node_take_object (body, obj);
  _admint_gen_add_message (self, "assistant", "video", body);
}

static void shorten_next (SoundCall *call);

/* At most this many words fit where the line, spoken at its fastest, ran VOICED seconds. */
static guint
words_that_fit (const AdmintSoundLine *line,
                double                 window)
{
  g_auto(GStrv) words = admint_voice_split_words (line->speech->text);
  guint n = g_strv_length (words);
  double voiced = admint_speech_voiced_end (line->speech) -
                  admint_speech_voiced_start (line->speech);
  guint fit = voiced > 0 ? (guint) floor (n * window / voiced * 0.9) : n;

  return CLAMP (fit, 1, MAX (n, 2) - 1);
}

static void
on_line_shortened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AgentCall) agent = user_data;
  SoundCall *call = agent->extra;
  AdmintGeneration *self = call->self;
  AdmintSoundLine *line = g_ptr_array_index (call->result->lines, call->next_long);
  guint index = g_array_index (call->scene_of, guint, line->scene);
  JsonObject *scene = _admint_gen_scene_at (self, (int) index);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = admint_llm_provider_run_agent_finish (self->llm, result, &error);
  const char *shorter = NULL;

  if (self->done)
    {
      sound_call_free (call);
      return;
    }
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    shorter = json_object_get_string_member_with_default (json_node_get_object (node), "line",
                                                          NULL);
  if (shorter != NULL && shorter[0] != '\0' && scene != NULL)
    {
      g_autofree char *note = g_strdup_printf (
        _("Scene %u’s line was too long to speak in its scene, even a little faster; the "
          "writer shortened it to: “%s”"), index + 1, shorter);

      json_object_set_string_member (scene, "voice_over", shorter);
      _admint_gen_add_text_message (self, "assistant", "progress", note);
    }
  else
    g_message ("the writer could not shorten scene %u's line (%s); it runs on", index + 1,
               error ? error->message : "no line in the answer");
  call->next_long++;
  shorten_next (call);
}

/* Sends each line too long (even at 1.15x) to the writer, one at a time, then runs the stage
 * again: the lines that fitted are stored, so only the new ones are spoken. */
static void
shorten_next (SoundCall *call)
{
  AdmintGeneration *self = call->self;

  for (; call->next_long < call->result->lines->len; call->next_long++)
    {
      AdmintSoundLine *line = g_ptr_array_index (call->result->lines, call->next_long);
      guint index = g_array_index (call->scene_of, guint, line->scene);
      JsonObject *scene = _admint_gen_scene_at (self, (int) index);
      double duration = json_object_get_double_member_with_default (scene, "duration", 0);
      AdmintAgentRequest *request;
      g_autofree char *max_words = NULL;
      g_autofree char *seconds = NULL;
      guint n_words;

      if (line->fit != ADMINT_LINE_TOO_LONG)
        continue;
      n_words = words_that_fit (line, admint_timing_window (0, duration));
      max_words = g_strdup_printf ("%u", n_words);
      seconds = g_strdup_printf ("%.1f", admint_timing_window (0, duration));
      request = _admint_gen_agent_request (self, "line_shortener");
      admint_agent_request_set (request, "line", line->speech->text);
      admint_agent_request_set (request, "max_words", max_words);
      admint_agent_request_set (request, "seconds", seconds);
      json_object_set_string_member (request->context, "line", line->speech->text);
      json_object_set_int_member (request->context, "max_words", n_words);
      _admint_gen_run_agent (self, request, on_line_shortened, call);
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *json = _admint_gen_node_to_string (self->scenes);

    if (!admint_store_set_generation_json (self->store, self->id, "scenes", json, &error))
      {
        _admint_gen_handle_error (self, _("Cannot save the shortened lines"), error);
        sound_call_free (call);
        return;
      }
  }
  self->sound_rewrites++;
  self->running_stage = FALSE;
  if (call->early)
    {
      sound_call_free (call);
      _admint_gen_start_voice (self);
      return;
    }
  sound_call_free (call);
  _admint_gen_advance (self);
}

/* What both sound workers' ends begin with. Returns SOUND (taken) for the caller to use, or
 * NULL when the call is over or handed on: the generation is done, the worker failed (ERROR,
 * said as FAILED), or lines too long for their scenes went back to the writer to be shortened
 * (the voice step: while rewrites are left; the sound stage: when it stopped for them). */
static AdmintSoundResult *
sound_call_take_result (SoundCall         *call,
                        AdmintSoundResult *sound,
                        GError            *error,
                        const char        *failed)
{
  AdmintGeneration *self = call->self;

  if (self->done)
    {
      g_clear_pointer (&sound, admint_sound_result_free);
      sound_call_free (call);
      return NULL;
    }
  if (sound == NULL)
    {
      _admint_gen_handle_error (self, failed, error);
      sound_call_free (call);
      return NULL;
    }
  if (sound->n_too_long > 0 &&
      (call->early ? self->sound_rewrites < MAX_REWRITES : sound->output == NULL))
    {
      call->result = sound;
      shorten_next (call);
      return NULL;
    }
  return sound;
}

static void
on_sound_made (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SoundCall *call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(GError) error = NULL;
  AdmintSoundResult *made = admint_sound_make_finish (result, &error);
  g_autoptr(AdmintSoundResult) sound =
    sound_call_take_result (call, made, error, _("Cannot make the sound (voice, music, captions)"));

  if (sound == NULL)
    return;
  _admint_gen_set_video (self, sound->output);
  admint_store_set_final_video (self->store, self->id, self->final_video, -1, NULL);
  report_video (self, sound);
  self->running_stage = FALSE;
  sound_call_free (call);
  _admint_gen_advance (self);
}

gboolean
_admint_gen_sound_done (AdmintGeneration *self)
{
  /* The stitcher writes stitched.mp4; the sound stage writes final.mp4 over it. */
  return self->final_video != NULL && g_str_has_suffix (self->final_video, "final.mp4") &&
         g_file_test (self->final_video, G_FILE_TEST_IS_REGULAR);
}

/* audio.music, then the ad's music asset, then providers.music.provider. */
static void
choose_music (AdmintGeneration    *self,
              AdmintSoundSettings *settings)
{
  const char *music = admint_config_get_string (self->config, "audio.music");
  const char *provider = admint_config_get_string (self->config, "providers.music.provider");

  settings->music = admint_music_mode_from_string (music, &settings->music_file);
  if (settings->music != ADMINT_MUSIC_AUTO)
    return;
  for (guint i = 0; i < self->assets->len; i++)
    {
      AdmintAssetRow *asset = g_ptr_array_index (self->assets, i);
      if (g_str_equal (admint_asset_row_get_kind (asset), "music"))
        {
          settings->music = ADMINT_MUSIC_FILE;
          settings->music_file = admint_asset_row_get_path (asset);
          return;
        }
    }
  if (g_strcmp0 (provider, "none") == 0)
    settings->music = ADMINT_MUSIC_NONE;
}

/* The scenes whose clips made it into the stitched video, end to end. */
static GArray *
sound_scenes (AdmintGeneration *self,
              SoundCall        *call)
{
  GArray *scenes = g_array_new (FALSE, TRUE, sizeof (AdmintSoundScene));
  JsonArray *scene_list = json_node_get_array (self->scenes);
  const char *aspect = admint_config_get_string (self->config, "video.aspect");
  double at = 0;

  for (guint i = 0; i < json_array_get_length (scene_list) && i < self->clips->len; i++)
    {
      JsonObject *scene = json_array_get_object_element (scene_list, i);
      ClipState *clip = g_ptr_array_index (self->clips, i);
      AdmintSoundScene s = { 0 };
      const char *text;

      if (g_strcmp0 (clip->status, "completed") != 0)
        continue;
      s.start = at;
      s.duration = json_object_get_double_member_with_default (scene, "duration", 0);
      at += s.duration;
      g_ptr_array_add (call->lines, g_strdup (json_object_get_string_member_with_default (
        scene, "voice_over", "")));
      s.line = g_ptr_array_index (call->lines, call->lines->len - 1);
      /* Kept under the scene's own number by the voice step (every scene, before the clips). */
      g_ptr_array_add (call->speeches, stored_speech (self, i, s.line));
      s.speech = g_ptr_array_index (call->speeches, call->speeches->len - 1);
      /* Where the renderer put the scene's texts; else a guess from the on-screen text. */
      g_ptr_array_add (call->burned, NULL);
      g_ptr_array_add (call->boxes, rendered_text_boxes (clip->path,
                                                         (char **) &call->burned->pdata[
                                                           call->burned->len - 1]));
      s.burned_captions = g_ptr_array_index (call->burned, call->burned->len - 1);
      if (g_ptr_array_index (call->boxes, call->boxes->len - 1) != NULL)
        {
          GArray *boxes = g_ptr_array_index (call->boxes, call->boxes->len - 1);
          s.text_boxes = (const AdmintBox *) boxes->data;
          s.n_text_boxes = boxes->len;
        }
      text = json_object_get_string_member_with_default (scene, "on_screen_text", "");
      if (s.n_text_boxes == 0 && text != NULL && text[0] != '\0')
        s.text_box = estimated_text_box (aspect);
      g_array_append_val (scenes, s);
      g_array_append_val (call->scene_of, i);
    }
  return scenes;
}

static SoundCall *
sound_call_new (AdmintGeneration *self)
{
  SoundCall *call = g_new0 (SoundCall, 1);

  call->self = g_object_ref (self);
  call->speeches = g_ptr_array_new_with_free_func ((GDestroyNotify) admint_speech_free);
  call->lines = g_ptr_array_new_with_free_func (g_free);
  call->scene_of = g_array_new (FALSE, FALSE, sizeof (guint));
  call->boxes = g_ptr_array_new_with_free_func (boxes_free);
  call->burned = g_ptr_array_new_with_free_func (g_free);
  return call;
}

/* The voice the caller chose, else the one the config selects (NULL: none). */
static gboolean
voice_for (AdmintGeneration     *self,
           AdmintVoiceProvider **voice,
           GError              **error)
{
  if (self->voice_set)
    {
      *voice = self->voice ? g_object_ref (self->voice) : NULL;
      return TRUE;
    }
  *voice = admint_provider_voice_new (self->config, error);
  return *voice != NULL || error == NULL || *error == NULL;
}

/* Makes and mixes the sound; REPLICATE_BED: the bed a music model made (NULL: none asked). */
static void
launch_sound (AdmintGeneration *self,
              const char       *replicate_bed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintVoiceProvider) voice = NULL;
  g_autofree char *work = g_build_filename (self->dir, "sound", NULL);
  g_autofree char *output = g_build_filename (self->dir, "final.mp4", NULL);
  g_autofree char *srt = g_build_filename (self->dir, "final.srt", NULL);
  g_autofree char *vtt = g_build_filename (self->dir, "final.vtt", NULL);
  g_autoptr(GArray) scenes = NULL;
  double clip_db = admint_config_get_double (self->config, "audio.clip_level");
  AdmintSoundSettings settings = {
    .video = self->final_video, .output = output, .work_dir = work, .srt = srt, .vtt = vtt,
    .captions_burn = admint_config_get_boolean (self->config, "captions.burn"),
    .mood = admint_mood_to_string (admint_mood_guess (self->prompt)), .seed = self->seed,
    .clip_level = clip_db <= -60 ? -1 : pow (10, clip_db / 20),
    .stop_if_too_long = self->sound_rewrites < MAX_REWRITES,
    .line_spoken = on_line_spoken, .line_spoken_data = self, .take_paid = on_take_paid,
  };
  SoundCall *call;

  if (!voice_for (self, &voice, &error))
    {
      _admint_gen_handle_error (self, _("Cannot make the voice-over"), error);
      return;
    }
  settings.voice = voice;
  choose_music (self, &settings);
  if (replicate_bed != NULL && settings.music == ADMINT_MUSIC_AUTO)
    {
      /* Used exactly as a user's music file: looped, levelled, ducked, faded. */
      settings.music = ADMINT_MUSIC_FILE;
      settings.music_file = replicate_bed;
    }

  call = sound_call_new (self);
  scenes = sound_scenes (self, call);
  g_mkdir_with_parents (work, 0700);
  self->running_stage = TRUE;
  /* The store's statuses predate the stage: it is kept as "stitching", the stage says "sound". */
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_STITCHING,
                          "sound: voice-over, captions and music");
  _admint_gen_set_stage (self, ADMINT_GENERATION_STAGE_SOUND);
  _admint_gen_time_stage (self, "sound");
  admint_sound_make_async ((const AdmintSoundScene *) scenes->data, scenes->len, &settings,
                           self->cancellable, NULL, NULL, on_sound_made, call);
}

/* ---- a music bed from a Replicate music model (providers.music.provider: replicate) ---- */

typedef struct {
  AdmintGeneration     *self;
  AdmintMusicReplicate *music;
} MusicCall;

static void
on_music_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MusicCall *call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(GError) error = NULL;
  double cost = 0;
  g_autofree char *bed = admint_music_replicate_fetch_finish (call->music, result, &cost, &error);

  g_object_unref (call->music);
  g_free (call);
  if (self->done)
    {
      g_object_unref (self);
      return;
    }
  if (bed == NULL)
    {
      self->running_stage = FALSE;
      _admint_gen_handle_error (self, _("Cannot get the music bed from the music model"), error);
      g_object_unref (self);
      return;
    }
  if (cost > 0)
    _admint_gen_update_cost (self);
  launch_sound (self, bed);
  g_object_unref (self);
}

/* The length of the ad and its cuts (the clips that made it into the stitched video). */
static double
ad_cuts (AdmintGeneration *self,
         GArray           *cuts)
{
  JsonArray *scene_list = json_node_get_array (self->scenes);
  double at = 0;

  for (guint i = 0; i < json_array_get_length (scene_list) && i < self->clips->len; i++)
    {
      ClipState *clip = g_ptr_array_index (self->clips, i);

      if (g_strcmp0 (clip->status, "completed") != 0)
        continue;
      if (at > 0)
        g_array_append_val (cuts, at);
      at += json_object_get_double_member_with_default (
        json_array_get_object_element (scene_list, i), "duration", 0);
    }
  return at;
}

void
_admint_gen_start_sound (AdmintGeneration *self)
{
  AdmintSoundSettings settings = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *work = g_build_filename (self->dir, "sound", NULL);
  g_autofree char *kept = NULL;
  AdmintMusicRequest request = { .dir = work, .generation_id = self->id, .seed = self->seed };
  MusicCall *call;

  choose_music (self, &settings);
  if (settings.music != ADMINT_MUSIC_AUTO ||
      g_strcmp0 (admint_config_get_string (self->config, "providers.music.provider"),
                 "replicate") != 0)
    {
      launch_sound (self, NULL);
      return;
    }
  /* The bed the local one would be: the story's mood, a tempo that puts the cuts on beats. */
  request.mood = admint_mood_guess (self->prompt);
  request.duration = ad_cuts (self, cuts);
  request.tempo = admint_music_choose_tempo (request.mood, (const double *) cuts->data, cuts->len,
                                             NULL, NULL);
  if (request.duration <= 0)
    {
      launch_sound (self, NULL);
      return;
    }
  call = g_new0 (MusicCall, 1);
  call->music = admint_provider_music_new (self->config, self->store, &error);
  if (call->music == NULL)
    {
      g_free (call);
      _admint_gen_handle_error (self, _("Cannot make the music bed"), error);
      return;
    }
  /* Kept from an earlier run (or an earlier round of this stage): nobody is asked. */
  kept = admint_music_replicate_lookup_kept (call->music, &request);
  if (kept != NULL)
    {
      g_object_unref (call->music);
      g_free (call);
      launch_sound (self, kept);
      return;
    }
  call->self = g_object_ref (self);
  self->running_stage = TRUE;
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_STITCHING,
                          "sound: the music bed from the music model");
  _admint_gen_set_stage (self, ADMINT_GENERATION_STAGE_SOUND);
  admint_music_replicate_fetch_async (call->music, &request, self->cancellable,
                                      on_music_fetched, call);
}

/* The voice-over before the clips ----------------------------------------------------------- */

/* Lower case letters and digits only: "Hikers," and "hikers" are one word. */
static char *
word_key (const char *word)
{
  g_autofree char *folded = g_utf8_casefold (word, -1);
  GString *key = g_string_new (NULL);

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      g_string_append_unichar (key, g_utf8_get_char (p));
  return g_string_free (key, FALSE);
}

/* When each word of the scene's on-screen text HEADLINE enters (seconds in the clip): at the
 * moment the voice says it when it says it (in order), else in the voice's rhythm, the word
 * after the last one matched. LINE's words are at OFFSET - START in the clip. */
static JsonNode *
word_times (const char            *headline,
            const AdmintSoundLine *line,
            double                 start)
{
  g_auto(GStrv) shown = g_strsplit_set (headline, " \t\n", -1);
  GArray *spoken = line->speech->words;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int last_spoken = -1;
  double last_at = -1;

  json_builder_begin_array (b);
  for (guint i = 0; shown[i] != NULL; i++)
    {
      g_autofree char *key = word_key (shown[i]);
      double at = -1;

      if (*key == '\0')
        continue;
      for (guint k = (guint) (last_spoken + 1); k < spoken->len && at < 0; k++)
        {
          g_autofree char *said = word_key (g_array_index (spoken, AdmintWord, k).text);
          /* The same word, or one the other's stem ("hydrate", "hydrated"). */
          if (g_str_equal (said, key) ||
              (strlen (said) >= 4 && strlen (key) >= 4 &&
               (g_str_has_prefix (said, key) || g_str_has_prefix (key, said))))
            {
              last_spoken = (int) k;
              at = g_array_index (spoken, AdmintWord, k).start;
            }
        }
      if (at < 0 && last_spoken + 1 < (int) spoken->len)
        at = g_array_index (spoken, AdmintWord, ++last_spoken).start;
      at = at < 0 ? last_at + 0.22 : at + line->offset - start;
      /* Never before the word shown before it. */
      at = MAX (at, last_at + 0.05);
      json_builder_add_double_value (b, at);
      last_at = at;
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* Per scene, what its clip needs of the voice: the captions of its span (when they are burned)
 * and the entrances of its on-screen words. */
static JsonNode *
voice_plan (AdmintGeneration  *self,
            AdmintSoundResult *sound,
            const GArray      *scenes)
{
  JsonArray *list = json_node_get_array (self->scenes);
  JsonArray *plan = json_array_new ();
  JsonNode *root = json_node_new (JSON_NODE_ARRAY);
  gboolean burn = admint_config_get_boolean (self->config, "captions.burn");

  for (guint i = 0; i < scenes->len; i++)
    {
      const AdmintSoundScene *scene = &g_array_index (scenes, AdmintSoundScene, i);
      JsonObject *entry = json_object_new ();
      const char *headline = json_object_get_string_member_with_default (
        json_array_get_object_element (list, i), "on_screen_text", "");

      if (burn && sound->captions != NULL && admint_captions_get_n_cues (sound->captions) > 0)
        json_object_set_member (entry, "captions",
                                admint_captions_to_json (sound->captions, scene->start,
                                                         scene->start + scene->duration));
      for (guint k = 0; k < sound->lines->len; k++)
        {
          AdmintSoundLine *line = g_ptr_array_index (sound->lines, k);
          if (line->scene == i && headline != NULL && *headline != '\0')
            json_object_set_member (entry, "word_times", word_times (headline, line,
                                                                     scene->start));
        }
      json_array_add_object_element (plan, entry);
    }
  json_node_take_array (root, plan);
  return root;
}

static void
on_voice_spoken (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SoundCall *call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(GError) error = NULL;
  AdmintSoundResult *spoken = admint_sound_speak_finish (result, &error);
  g_autoptr(AdmintSoundResult) sound =
    sound_call_take_result (call, spoken, error, _("Cannot speak the voice-over"));

  if (sound == NULL)
    return;
  g_clear_pointer (&self->voice_plan, json_node_unref);
  self->voice_plan = voice_plan (self, sound, call->scenes);
  self->running_stage = FALSE;
  sound_call_free (call);
  _admint_gen_clips_after_voice (self);
}

void
_admint_gen_start_voice (AdmintGeneration *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintVoiceProvider) voice = NULL;
  g_autofree char *work = g_build_filename (self->dir, "sound", NULL);
  JsonArray *list = json_node_get_array (self->scenes);
  AdmintSoundSettings settings = {
    .work_dir = work, .stop_if_too_long = self->sound_rewrites < MAX_REWRITES,
    .line_spoken = on_line_spoken, .line_spoken_data = self, .take_paid = on_take_paid,
  };
  SoundCall *call;
  double at = 0;

  g_clear_pointer (&self->voice_plan, json_node_unref);
  if (!voice_for (self, &voice, &error))
    {
      _admint_gen_handle_error (self, _("Cannot make the voice-over"), error);
      return;
    }
  if (voice == NULL)
    {
      _admint_gen_clips_after_voice (self);
      return;
    }
  settings.voice = voice;
  call = sound_call_new (self);
  call->early = TRUE;
  call->scenes = g_array_new (FALSE, TRUE, sizeof (AdmintSoundScene));
  /* Every scene, end to end: the clips are not made yet. */
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *scene = json_array_get_object_element (list, i);
      AdmintSoundScene s = { 0 };

      s.start = at;
      s.duration = json_object_get_double_member_with_default (scene, "duration", 0);
      at += s.duration;
      g_ptr_array_add (call->lines, g_strdup (json_object_get_string_member_with_default (
        scene, "voice_over", "")));
      s.line = g_ptr_array_index (call->lines, i);
      g_ptr_array_add (call->speeches, stored_speech (self, i, s.line));
      s.speech = g_ptr_array_index (call->speeches, i);
      g_array_append_val (call->scenes, s);
      g_array_append_val (call->scene_of, i);
    }
  g_mkdir_with_parents (work, 0700);
  self->running_stage = TRUE;
  _admint_gen_set_stage (self, ADMINT_GENERATION_STAGE_VOICE);
  _admint_gen_time_stage (self, "voice");
  admint_sound_speak_async ((const AdmintSoundScene *) call->scenes->data, call->scenes->len,
                            &settings, self->cancellable, NULL, NULL, on_voice_spoken, call);
}

char *
_admint_gen_clip_scene_json (AdmintGeneration *self,
                             int               index)
{
  JsonNode *scene = json_array_get_element (json_node_get_array (self->scenes), index);
  JsonArray *plan = self->voice_plan ? json_node_get_array (self->voice_plan) : NULL;
  JsonObject *entry = plan && (guint) index < json_array_get_length (plan)
                      ? json_array_get_object_element (plan, index) : NULL;
  g_autoptr(JsonNode) copy = NULL;

  if (entry == NULL || json_object_get_size (entry) == 0)
    return json_to_string (scene, FALSE);
  copy = json_node_copy (scene);
  if (json_object_has_member (entry, "captions"))
    json_object_set_member (json_node_get_object (copy), "voice_captions",
                            json_node_copy (json_object_get_member (entry, "captions")));
  if (json_object_has_member (entry, "word_times"))
    json_object_set_member (json_node_get_object (copy), "word_times",
                            json_node_copy (json_object_get_member (entry, "word_times")));
  return json_to_string (copy, FALSE);
}
