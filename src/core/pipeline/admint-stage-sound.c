/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sound stage: every scene's line spoken (Flite), captions burned and written beside the ad,
 * a music bed (the ad's music asset or a generated one), mixed to -14 LUFS onto the stitched
 * video. Spoken lines are kept in the generation's folder with their words, so a resumed run
 * speaks only what it does not have yet. */
#define G_LOG_DOMAIN "admint-pipeline"

#include "config.h"

#include "admint-generation-private.h"
#include "admint-music.h"
#include "admint-sound.h"

/* Where the local renderer puts a scene's on-screen text: a band centred at 78 % of the
 * height (72 % in portrait), nearly full width. A little larger than the band, to be safe. */
static AdmintBox
text_box_for (const char *aspect)
{
  gboolean portrait = g_strcmp0 (aspect, "9:16") == 0;

  return (AdmintBox) { 0.05, portrait ? 0.60 : 0.66, 0.90, 0.24 };
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

static void
keep_speech (AdmintGeneration      *self,
             const AdmintSoundLine *line)
{
  g_autofree char *json_path = speech_path (self, line->scene, "json");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  if (line->reused)
    return;
  /* The result's WAV already sits at speech_path (…, "wav"): the work folder is "sound". */
  node = admint_speech_to_json (line->speech);
  json_generator_set_root (gen, node);
  if (!json_generator_to_file (gen, json_path, NULL))
    g_warning ("cannot keep the word timings of scene %u in %s", line->scene + 1, json_path);
}

typedef struct {
  AdmintGeneration *self;
  GPtrArray        *speeches;   /* AdmintSpeech or NULL, one per scene; kept alive for the call */
  GPtrArray        *lines;      /* char *, one per scene */
} SoundCall;

static void
sound_call_free (SoundCall *call)
{
  g_ptr_array_unref (call->speeches);
  g_ptr_array_unref (call->lines);
  g_object_unref (call->self);
  g_free (call);
}

static void
on_sound_made (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SoundCall *call = user_data;
  AdmintGeneration *self = call->self;
  g_autoptr(AdmintSoundResult) sound = NULL;
  g_autoptr(GError) error = NULL;

  sound = admint_sound_make_finish (result, &error);
  if (self->done)
    {
      sound_call_free (call);
      return;
    }
  if (sound == NULL)
    {
      _admint_gen_handle_error (self, _("Cannot make the sound (voice, music, captions)"), error);
      sound_call_free (call);
      return;
    }
  for (guint i = 0; i < sound->lines->len; i++)
    keep_speech (self, g_ptr_array_index (sound->lines, i));
  _admint_gen_set_video (self, sound->output);
  admint_store_set_final_video (self->store, self->id, self->final_video, -1, NULL);
  {
    g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
    JsonObject *obj = json_object_new ();

    json_object_set_string_member (obj, "path", self->final_video);
    json_object_set_double_member (obj, "loudness_lufs", sound->mix_report.integrated_lufs);
    json_object_set_double_member (obj, "true_peak_dbtp", sound->mix_report.true_peak_dbtp);
    json_object_set_double_member (obj, "speech_share", sound->mix_report.speech_share);
    if (sound->srt != NULL)
      json_object_set_string_member (obj, "captions_srt", sound->srt);
    if (sound->vtt != NULL)
      json_object_set_string_member (obj, "captions_vtt", sound->vtt);
    json_node_take_object (body, obj);
    _admint_gen_add_message (self, "assistant", "video", body);
  }
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

void
_admint_gen_start_sound (AdmintGeneration *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintVoiceProvider) voice = admint_voice_local_new (NULL, &error);
  g_autofree char *work = g_build_filename (self->dir, "sound", NULL);
  g_autofree char *output = g_build_filename (self->dir, "final.mp4", NULL);
  g_autofree char *srt = g_build_filename (self->dir, "final.srt", NULL);
  g_autofree char *vtt = g_build_filename (self->dir, "final.vtt", NULL);
  g_autoptr(GArray) scenes = g_array_new (FALSE, TRUE, sizeof (AdmintSoundScene));
  JsonArray *scene_list = json_node_get_array (self->scenes);
  const char *aspect = admint_config_get_string (self->config, "video.aspect");
  AdmintSoundSettings settings = {
    .video = self->final_video, .output = output, .work_dir = work, .srt = srt, .vtt = vtt,
    .voice = voice, .captions_burn = TRUE, .music = ADMINT_MUSIC_AUTO,
    .mood = admint_mood_to_string (admint_mood_guess (self->prompt)), .seed = self->seed,
  };
  SoundCall *call = g_new0 (SoundCall, 1);
  double at = 0;

  call->self = g_object_ref (self);
  call->speeches = g_ptr_array_new_with_free_func ((GDestroyNotify) admint_speech_free);
  call->lines = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->assets->len; i++)
    {
      AdmintAssetRow *asset = g_ptr_array_index (self->assets, i);
      if (g_str_equal (admint_asset_row_get_kind (asset), "music"))
        {
          settings.music = ADMINT_MUSIC_FILE;
          settings.music_file = admint_asset_row_get_path (asset);
          break;
        }
    }
  /* The scenes whose clips made it into the stitched video, end to end. */
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
      g_ptr_array_add (call->speeches, stored_speech (self, scenes->len, s.line));
      s.speech = g_ptr_array_index (call->speeches, call->speeches->len - 1);
      text = json_object_get_string_member_with_default (scene, "on_screen_text", "");
      if (text != NULL && text[0] != '\0')
        s.text_box = text_box_for (aspect);
      g_array_append_val (scenes, s);
    }
  g_mkdir_with_parents (work, 0700);
  self->running_stage = TRUE;
  _admint_gen_set_status (self, ADMINT_GENERATION_STATUS_STITCHING, "sound: voice-over, captions and music");
  admint_sound_make_async ((const AdmintSoundScene *) scenes->data, scenes->len, &settings,
                           self->cancellable, NULL, NULL, on_sound_made, call);
}
