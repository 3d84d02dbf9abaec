/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export presets, run-time encoder choice, input probing and the pipeline runner. */
#define G_LOG_DOMAIN "admint-media"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <unistd.h>
#include <string.h>
#include <glib/gstdio.h>

#include "admint-error.h"
#include "admint-media-private.h"

static const AdmintMediaPreset presets[] = {
  { "web-1080p", "1920×1080 H.264/AAC MP4", 1920, 1080, 30, ADMINT_MEDIA_CONTAINER_MP4 },
  { "web-720p", "1280×720 H.264/AAC MP4", 1280, 720, 30, ADMINT_MEDIA_CONTAINER_MP4 },
  { "vertical-1080x1920", "1080×1920 H.264/AAC MP4 for Reels, Shorts, TikTok",
    1080, 1920, 30, ADMINT_MEDIA_CONTAINER_MP4 },
  { "square-1080", "1080×1080 H.264/AAC MP4", 1080, 1080, 30, ADMINT_MEDIA_CONTAINER_MP4 },
  { "webm-1080p", "1920×1080 VP9/Opus WebM", 1920, 1080, 30, ADMINT_MEDIA_CONTAINER_WEBM },
  { NULL },
};

const AdmintMediaPreset *
admint_media_presets (guint *n_presets)
{
  if (n_presets != NULL)
    *n_presets = G_N_ELEMENTS (presets) - 1;
  return presets;
}

const AdmintMediaPreset *
admint_media_preset_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; presets[i].name != NULL; i++)
    if (g_strcmp0 (presets[i].name, name) == 0)
      return &presets[i];
  return NULL;
}

char *
admint_media_preset_names (void)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; presets[i].name != NULL; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", presets[i].name);
  return g_string_free (names, FALSE);
}

void
admint_media_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      gst_init (NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

static GstElement *
make_first (const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (names[i]);

      if (factory != NULL)
        {
          GstElement *element = gst_element_factory_create (factory, NULL);
          if (element != NULL)
            return element;
        }
    }
  return NULL;
}

/* The first of names that is installed; NULL, with missing (what is missing and how to install
 * it) as the error, when none is. */
static GstElement *
make_first_or_fail (const char * const  *names,
                    const char          *missing,
                    GError             **error)
{
  GstElement *element;

  admint_media_init ();
  element = make_first (names);
  if (element == NULL)
    g_set_error_literal (error, ADMINT_ERROR, ADMINT_ERROR_FAILED, missing);
  return element;
}

static const char * const h264_encoders[] = {
  "x264enc", "openh264enc", "avenc_h264", "vaapih264enc", NULL
};

const char *
admint_media_h264_encoder_name (void)
{
  admint_media_init ();
  for (guint i = 0; h264_encoders[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (h264_encoders[i]);
      if (factory != NULL)
        return h264_encoders[i];
    }
  return NULL;
}

/* x264's "qual" pass is its constant-rate-factor mode: the same scale as ffmpeg's -crf. */
#define ADMINT_X264_CRF 21

GstElement *
admint_media_make_h264_encoder (AdmintMediaSpeed   speed,
                                GError           **error)
{
  GstElement *encoder;
  g_autofree char *name = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  encoder = make_first_or_fail (h264_encoders,
                                _("No H.264 encoder is installed (looked for x264enc, openh264enc, "
                                "avenc_h264 and vaapih264enc). Install gstreamer1.0-plugins-ugly "
                                "(x264enc) or gstreamer1.0-plugins-bad (openh264enc), or export "
                                "with the webm-1080p preset, which needs only VP9 and Opus"),
                                error);
  if (encoder == NULL)
    return NULL;

  name = gst_object_get_name (GST_OBJECT (gst_element_get_factory (encoder)));
  if (g_str_equal (name, "x264enc"))
    {
      gst_util_set_object_arg (G_OBJECT (encoder), "speed-preset",
                               speed == ADMINT_MEDIA_SPEED_FAST ? "veryfast" : "fast");
      gst_util_set_object_arg (G_OBJECT (encoder), "pass", "qual");
      g_object_set (encoder, "quantizer", ADMINT_X264_CRF, "key-int-max", 60, NULL);
      /* x264enc's own "trellis" default (on) overrides the preset: veryfast means no trellis
       * (measured on a rendered 7.5-second 720p scene: 18 % less encoder CPU, a 9 % smaller
       * file at the same CRF). */
      g_object_set (encoder, "trellis", speed != ADMINT_MEDIA_SPEED_FAST, NULL);
    }
  else if (g_str_equal (name, "openh264enc"))
    {
      g_object_set (encoder, "bitrate", 6000000, NULL);
      gst_util_set_object_arg (G_OBJECT (encoder), "complexity",
                               speed == ADMINT_MEDIA_SPEED_FAST ? "low" : "medium");
    }
  else if (g_str_equal (name, "avenc_h264"))
    g_object_set (encoder, "bitrate", 6000000, NULL);
  return encoder;
}

GstElement *
admint_media_make_aac_encoder (GError **error)
{
  static const char * const names[] = { "avenc_aac", "voaacenc", "fdkaacenc", NULL };
  GstElement *encoder;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  encoder = make_first_or_fail (names,
                                _("No AAC encoder is installed (looked for avenc_aac, voaacenc and "
                                "fdkaacenc). Install gstreamer1.0-libav, or export with the "
                                "webm-1080p preset"), error);
  if (encoder == NULL)
    return NULL;
  g_object_set (encoder, "bitrate", 128000, NULL);
  return encoder;
}

GstElement *
admint_media_make_vp9_encoder (AdmintMediaSpeed   speed,
                               GError           **error)
{
  static const char * const names[] = { "vp9enc", NULL };
  GstElement *encoder;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  encoder = make_first_or_fail (names,
                                _("No VP9 encoder is installed (vp9enc). Install "
                                "gstreamer1.0-plugins-good, or use an MP4 preset such as "
                                "web-1080p"), error);
  if (encoder == NULL)
    return NULL;
  /* Constant quality, realtime deadline and row threads: libvpx's default "best" deadline
   * takes minutes for a 30-second ad. */
  gst_util_set_object_arg (G_OBJECT (encoder), "end-usage", "cq");
  g_object_set (encoder,
                "cq-level", 32,
                "target-bitrate", 4000000,
                "deadline", (gint64) 1,
                "cpu-used", speed == ADMINT_MEDIA_SPEED_FAST ? 8 : 6,
                "threads", (int) g_get_num_processors (),
                "row-mt", TRUE,
                "keyframe-max-dist", 60,
                NULL);
  return encoder;
}

GstElement *
admint_media_make_opus_encoder (GError **error)
{
  static const char * const names[] = { "opusenc", NULL };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return make_first_or_fail (names,
                             _("No Opus encoder is installed (opusenc). Install "
                             "gstreamer1.0-plugins-base, or use an MP4 preset such as web-1080p"),
                             error);
}

GstElement *
admint_media_make_muxer (AdmintMediaContainer   container,
                         GError               **error)
{
  const char *name = container == ADMINT_MEDIA_CONTAINER_WEBM ? "webmmux" : "mp4mux";
  GstElement *mux;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  admint_media_init ();
  mux = gst_element_factory_make (name, NULL);
  if (mux == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("The %s muxer is not installed. Install gstreamer1.0-plugins-good"), name);
      return NULL;
    }
  if (container == ADMINT_MEDIA_CONTAINER_MP4)
    g_object_set (mux, "faststart", TRUE, NULL);
  return mux;
}

/* Progress --------------------------------------------------------------------------------- */

typedef struct {
  AdmintMediaProgressFunc func;
  gpointer                user_data;
  double                  fraction;
} ProgressCall;

static gboolean
progress_dispatch (gpointer data)
{
  ProgressCall *call = data;

  call->func (call->fraction, call->user_data);
  return G_SOURCE_REMOVE;
}

void
admint_media_progress_init (AdmintMediaProgress     *progress,
                            GMainContext            *context,
                            AdmintMediaProgressFunc  func,
                            gpointer                 user_data)
{
  progress->context = context ? g_main_context_ref (context) : NULL;
  progress->func = func;
  progress->user_data = user_data;
  progress->last = -1.0;
}

void
admint_media_progress_clear (AdmintMediaProgress *progress)
{
  g_clear_pointer (&progress->context, g_main_context_unref);
}

void
admint_media_progress_report (AdmintMediaProgress *progress,
                              double               fraction)
{
  ProgressCall *call;

  if (progress == NULL || progress->func == NULL)
    return;
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction - progress->last < 0.01 && !(fraction >= 1.0 && progress->last < 1.0))
    return;
  progress->last = fraction;

  if (progress->context == NULL)
    {
      progress->func (fraction, progress->user_data);
      return;
    }
  call = g_new (ProgressCall, 1);
  call->func = progress->func;
  call->user_data = progress->user_data;
  call->fraction = fraction;
  g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT, progress_dispatch, call,
                              g_free);
}

/* Outputs ----------------------------------------------------------------------------------- */

char *
admint_media_temp_path (const char  *output,
                        GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (output);
  g_autofree char *base = g_path_get_basename (output);
  g_autofree char *template = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  int fd;

  fd = g_mkstemp (template);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Cannot write the output %s: %s. Choose a folder that exists and that you "
                   "may write to"), output, g_strerror (saved));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&template);
}

void
admint_media_remove_partials (const char *dir)
{
  g_autoptr(GDir) d = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] == '.' && g_str_has_suffix (name, ".part"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_debug ("removing the partial file %s", path);
        g_unlink (path);
      }
}

gboolean
admint_media_finish_output (const char  *temp,
                            const char  *output,
                            GError     **error)
{
  if (g_rename (temp, output) != 0)
    {
      int saved = errno;
      g_unlink (temp);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot move the finished video to %s: %s. Check the folder's permissions "
                   "and free space"), output, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
admint_media_check_cancelled (GCancellable  *cancellable,
                              GError       **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

void
admint_media_set_gst_error (GError     **error,
                            GError      *gst_error,
                            const char  *path)
{
  if (path != NULL)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                 "%s cannot be read as a video (%s). The file is corrupt, truncated or not a "
                 "video: use a complete MP4, WebM or MOV file", path, gst_error->message);
  else if (gst_error->domain == GST_RESOURCE_ERROR &&
           (gst_error->code == GST_RESOURCE_ERROR_NO_SPACE_LEFT ||
            gst_error->code == GST_RESOURCE_ERROR_OPEN_WRITE ||
            gst_error->code == GST_RESOURCE_ERROR_WRITE))
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                 _("Writing the video failed: %s. Free some disk space or choose another folder"),
                 gst_error->message);
  else
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                 _("Encoding the video failed: %s. Run with --verbose for details and check "
                 "that the GStreamer plugins (good, bad, ugly, libav) are installed"),
                 gst_error->message);
}

/* The input index of the bin "input-N" that holds SRC, or -1. */
static int
input_index_of (GstObject *src)
{
  for (GstObject *o = src ? gst_object_ref (src) : NULL; o != NULL;)
    {
      g_autofree char *name = gst_object_get_name (o);
      GstObject *parent = gst_object_get_parent (o);
      int index = -1;

      if (name != NULL && g_str_has_prefix (name, "input-"))
        index = (int) g_ascii_strtoll (name + 6, NULL, 10);
      gst_object_unref (o);
      if (index >= 0)
        {
          g_clear_object (&parent);
          return index;
        }
      o = parent;
    }
  return -1;
}

gboolean
admint_media_run_pipeline (GstElement           *pipeline,
                           const char * const   *inputs,
                           GCancellable         *cancellable,
                           AdmintMediaProgress  *progress,
                           gint                 *position_ms,
                           gint                  total_ms,
                           GError              **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  gboolean ok = FALSE;
  guint n_inputs = inputs ? g_strv_length ((char **) inputs) : 0;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      /* The error message on the bus says why; fall through to read it. */
    }

  for (;;)
    {
      g_autoptr(GstMessage) msg = NULL;

      if (admint_media_check_cancelled (cancellable, error))
        break;
      msg = gst_bus_timed_pop_filtered (bus, 50 * GST_MSECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
      if (position_ms != NULL && total_ms > 0)
        admint_media_progress_report (progress,
                                      0.99 * g_atomic_int_get (position_ms) / total_ms);
      if (msg == NULL)
        continue;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS)
        {
          ok = TRUE;
          break;
        }
      else
        {
          g_autoptr(GError) gst_error = NULL;
          g_autofree char *debug = NULL;
          int index = input_index_of (GST_MESSAGE_SRC (msg));

          gst_message_parse_error (msg, &gst_error, &debug);
          g_debug ("pipeline error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
                   gst_error->message, debug ? debug : "");
          admint_media_set_gst_error (error, gst_error,
                                      index >= 0 && (guint) index < n_inputs ? inputs[index]
                                                                              : NULL);
          break;
        }
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

/* Probing ----------------------------------------------------------------------------------- */

void
admint_media_info_free (AdmintMediaInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_clear_pointer (&info->video_caps, gst_caps_unref);
  g_clear_pointer (&info->audio_caps, gst_caps_unref);
  g_free (info->container);
  g_free (info);
}

/* An ISO-BMFF file whose top-level boxes run past its end was cut short: qtdemux would
 * otherwise play it happily up to the cut. Returns FALSE (with an error) when truncated. */
static gboolean
check_mp4_boxes (const char  *path,
                 GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GFileInfo) finfo = NULL;
  goffset size, pos = 0;

  if (in == NULL)
    return TRUE;
  {
    /* Only ISO-BMFF (MP4, MOV, M4A) files open with one of these boxes. */
    static const char * const first_boxes[] = { "ftyp", "moov", "mdat", "free", "wide", "skip",
                                                NULL };
    guint8 head[8];
    gsize got = 0;
    gboolean iso = FALSE;

    if (!g_input_stream_read_all (G_INPUT_STREAM (in), head, 8, &got, NULL, NULL) || got < 8)
      return TRUE;
    for (guint i = 0; first_boxes[i] != NULL; i++)
      iso = iso || memcmp (head + 4, first_boxes[i], 4) == 0;
    if (!iso)
      return TRUE;
  }
  finfo = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (finfo == NULL)
    return TRUE;
  size = g_file_info_get_size (finfo);

  while (pos + 8 <= size)
    {
      guint8 head[16];
      guint64 box;
      gsize got = 0;

      if (!g_seekable_seek (G_SEEKABLE (in), pos, G_SEEK_SET, NULL, NULL) ||
          !g_input_stream_read_all (G_INPUT_STREAM (in), head, 16, &got, NULL, NULL) || got < 8)
        return TRUE;
      box = GST_READ_UINT32_BE (head);
      if (box == 1 && got >= 16)
        box = GST_READ_UINT64_BE (head + 8);
      else if (box == 0)
        box = size - pos;
      if (box < 8)
        break;
      if ((guint64) pos + box > (guint64) size)
        {
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       "%s is truncated: its “%.4s” box needs %" G_GUINT64_FORMAT " bytes "
                       "but the file ends after %" G_GUINT64_FORMAT ". Copy or download the "
                       "file again", path, (const char *) head + 4, box,
                       (guint64) (size - pos));
          return FALSE;
        }
      pos += box;
    }
  return TRUE;
}

/* The box walk alone, for the fuzz target (tests/fuzz/fuzz-mp4-boxes.c). */
gboolean
admint_media_check_boxes (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return check_mp4_boxes (path, error);
}

static void
probe_pad_added (GstElement *parsebin,
                 GstPad     *pad,
                 gpointer    user_data)
{
  GstElement *pipeline = user_data;
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr(GstPad) sinkpad = NULL;

  /* One demuxer thread feeds every stream: a queue per stream lets each sink preroll without
   * blocking the others. */
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), queue, sink, NULL);
  gst_element_link (queue, sink);
  sinkpad = gst_element_get_static_pad (queue, "sink");
  gst_pad_link (pad, sinkpad);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (queue);
}

static void
probe_sink_caps (const GValue *item,
                 gpointer      user_data)
{
  AdmintMediaInfo *info = user_data;
  GstElement *element = g_value_get_object (item);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, "sink");
  g_autoptr(GstCaps) caps = NULL;
  GstStructure *s;
  const char *name;

  if (pad == NULL || !g_str_has_prefix (GST_OBJECT_NAME (element), "fakesink"))
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return;
  s = gst_caps_get_structure (caps, 0);
  name = gst_structure_get_name (s);
  if (g_str_has_prefix (name, "video/") && !info->has_video &&
      !g_str_equal (name, "video/x-raw-subtitle"))
    {
      g_autoptr(GstEvent) event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);

      info->has_video = TRUE;
      info->video_caps = gst_caps_ref (caps);
      /* The picture's own length (its track's segment): AAC priming makes the sound, and so
       * the file, a few frames longer. */
      if (event != NULL)
        {
          const GstSegment *segment;

          gst_event_parse_segment (event, &segment);
          if (segment->format == GST_FORMAT_TIME && GST_CLOCK_TIME_IS_VALID (segment->stop) &&
              segment->stop > segment->start)
            info->duration = (double) (segment->stop - segment->start) / GST_SECOND;
        }
      gst_structure_get_int (s, "width", &info->width);
      gst_structure_get_int (s, "height", &info->height);
      if (!gst_structure_get_fraction (s, "framerate", &info->fps_n, &info->fps_d) ||
          info->fps_n <= 0)
        {
          info->fps_n = 30;
          info->fps_d = 1;
        }
    }
  else if (g_str_has_prefix (name, "audio/") && !info->has_audio)
    {
      info->has_audio = TRUE;
      info->audio_caps = gst_caps_ref (caps);
    }
}

static void
typefound (GstElement *typefind,
           guint       probability,
           GstCaps    *caps,
           gpointer    user_data)
{
  AdmintMediaInfo *info = user_data;

  if (info->container == NULL && gst_caps_get_size (caps) > 0)
    info->container = g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0)));
}

AdmintMediaInfo *
admint_media_probe (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(AdmintMediaInfo) info = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *src, *typefind, *parsebin;
  GStatBuf st;
  gint64 duration = -1, deadline;
  gboolean ready = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  admint_media_init ();

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   "%s does not exist or is not a file. Check the path", path);
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "%s is empty. Use a complete video file", path);
      return NULL;
    }

  /* Before GStreamer sees it: qtdemux waits for ever on an index cut short. */
  if (!check_mp4_boxes (path, error))
    return NULL;

  info = g_new0 (AdmintMediaInfo, 1);
  info->path = g_strdup (path);

  pipeline = gst_object_ref_sink (gst_pipeline_new ("probe"));
  src = gst_element_factory_make ("filesrc", NULL);
  typefind = gst_element_factory_make ("typefind", NULL);
  parsebin = gst_element_factory_make ("parsebin", NULL);
  if (src == NULL || typefind == NULL || parsebin == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("GStreamer's core plugins are missing (filesrc, typefind, parsebin). Install "
                   "gstreamer1.0-plugins-base"));
      return NULL;
    }
  g_object_set (src, "location", path, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, typefind, parsebin, NULL);
  gst_element_link_many (src, typefind, parsebin, NULL);
  g_signal_connect (typefind, "have-type", G_CALLBACK (typefound), info);
  g_signal_connect (parsebin, "pad-added", G_CALLBACK (probe_pad_added), pipeline);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!ready)
    {
      g_autoptr(GstMessage) msg = NULL;

      if (admint_media_check_cancelled (cancellable, error))
        {
          gst_element_set_state (pipeline, GST_STATE_NULL);
          return NULL;
        }
      if (g_get_monotonic_time () > deadline)
        {
          gst_element_set_state (pipeline, GST_STATE_NULL);
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       "%s could not be read within 20 seconds: it is damaged or incomplete. "
                       "Use a complete MP4, WebM or MOV file", path);
          return NULL;
        }
      msg = gst_bus_timed_pop_filtered (bus, 50 * GST_MSECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE |
                                        GST_MESSAGE_EOS);
      if (msg == NULL)
        continue;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        {
          g_autoptr(GError) gst_error = NULL;

          gst_message_parse_error (msg, &gst_error, NULL);
          gst_element_set_state (pipeline, GST_STATE_NULL);
          admint_media_set_gst_error (error, gst_error, path);
          return NULL;
        }
      ready = TRUE;
    }

  if (!gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration))
    duration = -1;
  {
    g_autoptr(GstIterator) it = gst_bin_iterate_sinks (GST_BIN (pipeline));
    gst_iterator_foreach (it, probe_sink_caps, info);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (!info->has_video)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "%s has no video stream%s. Use a video file (an MP4, WebM or MOV with "
                   "pictures)", path, info->has_audio ? " (it is audio only)" : "");
      return NULL;
    }
  if (duration <= 0)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   "%s has no duration: the file is damaged or still being written. Use a "
                   "complete video file", path);
      return NULL;
    }
  if (info->duration <= 0)
    info->duration = (double) duration / GST_SECOND;

  return g_steal_pointer (&info);
}
