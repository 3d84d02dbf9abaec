/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Float sample buffers, WAV reading and writing, and decoding any sound file with GStreamer. */
#define G_LOG_DOMAIN "admint-audio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include "admint-worker.h"
#include "admint-error.h"
#include "admint-media.h"
#include "admint-audio.h"

AdmintAudio *
admint_audio_new (int   rate,
                  int   channels,
                  gsize n_frames)
{
  AdmintAudio *audio;

  g_return_val_if_fail (rate > 0, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 8, NULL);

  audio = g_new0 (AdmintAudio, 1);
  audio->rate = rate;
  audio->channels = channels;
  audio->n_frames = n_frames;
  audio->samples = g_new0 (float, MAX (1, n_frames * channels));
  return audio;
}

AdmintAudio *
admint_audio_copy (const AdmintAudio *audio)
{
  AdmintAudio *copy;

  g_return_val_if_fail (audio != NULL, NULL);

  copy = admint_audio_new (audio->rate, audio->channels, audio->n_frames);
  memcpy (copy->samples, audio->samples, audio->n_frames * audio->channels * sizeof (float));
  return copy;
}

void
admint_audio_free (AdmintAudio *audio)
{
  if (audio == NULL)
    return;
  g_free (audio->samples);
  g_free (audio);
}

double
admint_audio_get_duration (const AdmintAudio *audio)
{
  g_return_val_if_fail (audio != NULL, 0);
  return (double) audio->n_frames / audio->rate;
}

/* One channel of SRC (CH, or the average when CH < 0) at frame I. */
static inline float
frame_value (const AdmintAudio *src,
             gssize             i,
             int                ch)
{
  if (i < 0 || (gsize) i >= src->n_frames)
    return 0.0f;
  if (ch >= 0)
    return src->samples[i * src->channels + MIN (ch, src->channels - 1)];
  {
    float sum = 0;
    for (int c = 0; c < src->channels; c++)
      sum += src->samples[i * src->channels + c];
    return sum / src->channels;
  }
}

#define SINC_HALF 16
#define SINC_PHASES 512

/* A Hann-windowed sinc at CUTOFF (of the input's Nyquist), tabulated for SINC_PHASES fractional
 * positions between input samples: each output sample then costs 2 × SINC_HALF lookups. */
static float *
sinc_table (double cutoff)
{
  float *table = g_new (float, (SINC_PHASES + 1) * 2 * SINC_HALF);

  for (int p = 0; p <= SINC_PHASES; p++)
    {
      double frac = (double) p / SINC_PHASES, norm = 0;
      float *row = table + p * 2 * SINC_HALF;

      for (int k = 0; k < 2 * SINC_HALF; k++)
        {
          double x = frac + SINC_HALF - 1 - k;   /* distance from input sample k */
          double w = 0.5 + 0.5 * cos (G_PI * x / SINC_HALF);
          double sinc = fabs (x) < 1e-9 ? 1.0 : sin (G_PI * cutoff * x) / (G_PI * cutoff * x);

          row[k] = (float) (sinc * w);
          norm += row[k];
        }
      for (int k = 0; k < 2 * SINC_HALF; k++)
        row[k] /= (float) norm;
    }
  return table;
}

/* One channel of AUDIO (CH, or the average when CH < 0) as a plain array. */
static float *
channel_of (const AdmintAudio *audio,
            int                ch)
{
  float *out = g_new (float, MAX (1, audio->n_frames));

  for (gsize i = 0; i < audio->n_frames; i++)
    out[i] = frame_value (audio, (gssize) i, ch);
  return out;
}

static void
resample_channel (const float *in,
                  gsize        n_in,
                  float       *out,
                  gsize        n_out,
                  int          stride,
                  double       step,
                  const float *table)
{
  for (gsize i = 0; i < n_out; i++)
    {
      double pos = i * step;
      gssize centre = (gssize) floor (pos);
      const float *row = table + (gsize) llround ((pos - centre) * SINC_PHASES) * 2 * SINC_HALF;
      gssize first = centre - SINC_HALF + 1;
      float acc = 0;

      if (first >= 0 && first + 2 * SINC_HALF <= (gssize) n_in)
        for (int k = 0; k < 2 * SINC_HALF; k++)
          acc += in[first + k] * row[k];
      else
        for (int k = 0; k < 2 * SINC_HALF; k++)
          if (first + k >= 0 && first + k < (gssize) n_in)
            acc += in[first + k] * row[k];
      out[i * stride] = acc;
    }
}

AdmintAudio *
admint_audio_convert (const AdmintAudio *audio,
                      int                rate,
                      int                channels)
{
  AdmintAudio *out;
  g_autofree float *table = NULL;
  gsize n;

  g_return_val_if_fail (audio != NULL, NULL);
  g_return_val_if_fail (channels == 1 || channels == 2, NULL);

  n = (gsize) ceil ((double) audio->n_frames * rate / audio->rate);
  out = admint_audio_new (rate, channels, n);
  if (audio->rate != rate)
    /* Below the lower Nyquist frequency, with a little room for the window's slope. */
    table = sinc_table (MIN (1.0, (double) rate / audio->rate) * 0.94);

  /* Each source channel is resampled once; mono is then spread to both sides. */
  for (int c = 0; c < channels; c++)
    {
      int src_ch = audio->channels == channels ? c : (channels == 1 ? -1 : 0);
      g_autofree float *in = NULL;

      if (c > 0 && audio->channels == 1)
        {
          for (gsize i = 0; i < n; i++)
            out->samples[i * channels + c] = out->samples[i * channels];
          continue;
        }
      in = channel_of (audio, src_ch);
      if (table == NULL)
        for (gsize i = 0; i < n; i++)
          out->samples[i * channels + c] = in[i];
      else
        resample_channel (in, audio->n_frames, out->samples + c, n, channels,
                          (double) audio->rate / rate, table);
    }
  return out;
}

AdmintAudio *
admint_audio_slice (const AdmintAudio *audio,
                    double             start,
                    double             end)
{
  gsize a, b;
  AdmintAudio *out;

  g_return_val_if_fail (audio != NULL, NULL);

  a = (gsize) CLAMP (llround (start * audio->rate), 0, (gint64) audio->n_frames);
  b = (gsize) CLAMP (llround (end * audio->rate), (gint64) a, (gint64) audio->n_frames);
  out = admint_audio_new (audio->rate, audio->channels, b - a);
  memcpy (out->samples, audio->samples + a * audio->channels,
          (b - a) * audio->channels * sizeof (float));
  return out;
}

void
admint_audio_mix_into (AdmintAudio       *dst,
                       const AdmintAudio *src,
                       double             at,
                       double             gain)
{
  gint64 offset;

  g_return_if_fail (dst != NULL && src != NULL);
  g_return_if_fail (dst->rate == src->rate && dst->channels == src->channels);

  offset = llround (at * dst->rate);
  for (gsize i = 0; i < src->n_frames; i++)
    {
      gint64 j = offset + (gint64) i;

      if (j < 0)
        continue;
      if ((gsize) j >= dst->n_frames)
        break;
      for (int c = 0; c < dst->channels; c++)
        dst->samples[j * dst->channels + c] += (float) gain * src->samples[i * src->channels + c];
    }
}

float
admint_audio_peak (const AdmintAudio *audio)
{
  float peak = 0;

  g_return_val_if_fail (audio != NULL, 0);
  for (gsize i = 0; i < audio->n_frames * audio->channels; i++)
    peak = MAX (peak, fabsf (audio->samples[i]));
  return peak;
}

/* WAV ------------------------------------------------------------------------------------------ */

static void
put_u32 (guint8 *p, guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static void
put_u16 (guint8 *p, guint16 v)
{
  v = GUINT16_TO_LE (v);
  memcpy (p, &v, 2);
}

GBytes *
admint_audio_to_wav (const AdmintAudio *audio,
                     gboolean           is_float)
{
  int bytes = is_float ? 4 : 2;
  gsize data_size, n;
  guint8 *buf;

  g_return_val_if_fail (audio != NULL, NULL);

  n = audio->n_frames * audio->channels;
  data_size = n * bytes;
  buf = g_malloc (44 + data_size);
  memcpy (buf, "RIFF", 4);
  put_u32 (buf + 4, (guint32) (36 + data_size));
  memcpy (buf + 8, "WAVEfmt ", 8);
  put_u32 (buf + 16, 16);
  put_u16 (buf + 20, is_float ? 3 : 1);
  put_u16 (buf + 22, (guint16) audio->channels);
  put_u32 (buf + 24, (guint32) audio->rate);
  put_u32 (buf + 28, (guint32) (audio->rate * audio->channels * bytes));
  put_u16 (buf + 32, (guint16) (audio->channels * bytes));
  put_u16 (buf + 34, (guint16) (bytes * 8));
  memcpy (buf + 36, "data", 4);
  put_u32 (buf + 40, (guint32) data_size);
  for (gsize i = 0; i < n; i++)
    {
      float v = CLAMP (audio->samples[i], -1.0f, 1.0f);

      if (is_float)
        {
          guint32 bits;
          memcpy (&bits, &v, 4);
          put_u32 (buf + 44 + i * 4, bits);
        }
      else
        put_u16 (buf + 44 + i * 2, (guint16) (gint16) lrintf (v * 32767.0f));
    }
  return g_bytes_new_take (buf, 44 + data_size);
}

gboolean
admint_audio_write_wav (const AdmintAudio  *audio,
                        const char         *path,
                        gboolean            is_float,
                        GError            **error)
{
  g_autoptr(GBytes) wav = NULL;

  g_return_val_if_fail (audio != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  wav = admint_audio_to_wav (audio, is_float);
  if (!g_file_set_contents (path, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), error))
    {
      g_prefix_error (error, _("Cannot write the sound file %s: "), path);
      return FALSE;
    }
  return TRUE;
}

static guint32
get_u32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static guint16
get_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static float
wav_sample (const guint8 *p,
            int           format,
            int           bits)
{
  if (format == 3 && bits == 32)
    {
      guint32 u = get_u32 (p);
      float f;
      memcpy (&f, &u, 4);
      return f;
    }
  switch (bits)
    {
    case 8:
      return (p[0] - 128) / 128.0f;
    case 16:
      return (gint16) get_u16 (p) / 32768.0f;
    case 24:
      return (gint32) ((p[0] << 8) | (p[1] << 16) | ((guint32) p[2] << 24)) / 2147483648.0f;
    default:
      return (gint32) get_u32 (p) / 2147483648.0f;
    }
}

AdmintAudio *
admint_audio_from_wav (GBytes      *wav,
                       const char  *source,
                       GError     **error)
{
  gsize size = 0, pos = 12;
  const guint8 *d = g_bytes_get_data (wav, &size);
  int format = 0, channels = 0, bits = 0, rate = 0;
  const guint8 *data = NULL;
  gsize data_size = 0;
  AdmintAudio *audio;
  int frame_bytes;

  g_return_val_if_fail (wav != NULL, NULL);

  if (size < 12 || memcmp (d, "RIFF", 4) != 0 || memcmp (d + 8, "WAVE", 4) != 0)
    goto bad;
  while (pos + 8 <= size)
    {
      guint32 len = get_u32 (d + pos + 4);
      const guint8 *body = d + pos + 8;
      gsize avail = size - pos - 8;

      if (memcmp (d + pos, "fmt ", 4) == 0 && len >= 16 && avail >= 16)
        {
          format = get_u16 (body);
          channels = get_u16 (body + 2);
          rate = (int) get_u32 (body + 4);
          bits = get_u16 (body + 14);
          if (format == 0xFFFE && len >= 26)   /* WAVE_FORMAT_EXTENSIBLE: the sub-format */
            format = get_u16 (body + 24);
        }
      else if (memcmp (d + pos, "data", 4) == 0)
        {
          data = body;
          /* Streamed WAVs may say 0 or 0xFFFFFFFF: the data runs to the end. */
          data_size = (len == 0 || len > avail) ? avail : len;
          break;
        }
      pos += 8 + len + (len & 1);
    }
  if (data == NULL || channels < 1 || channels > 8 || rate < 1000 || rate > 384000 ||
      !((format == 1 && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) ||
        (format == 3 && bits == 32)))
    goto bad;

  frame_bytes = channels * bits / 8;
  audio = admint_audio_new (rate, channels, data_size / frame_bytes);
  for (gsize i = 0; i < audio->n_frames * channels; i++)
    audio->samples[i] = wav_sample (data + i * (bits / 8), format, bits);
  return audio;

bad:
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("%s is not a WAV file this program reads (PCM 8/16/24/32-bit or 32-bit float). "
               "Ask the service for response_format \"wav\""), source ? source : "The sound");
  return NULL;
}

AdmintAudio *
admint_audio_read_wav (const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return admint_audio_from_wav (bytes, path, error);
}

/* Decoding ------------------------------------------------------------------------------------ */

typedef struct {
  GstElement *pipeline;
  GstElement *first;
  gboolean    linked;
  gint        no_audio;   /* set from the streaming thread when every pad came and none fit */
} Decode;

static void
decode_pad_added (GstElement *decodebin,
                  GstPad     *pad,
                  gpointer    user_data)
{
  Decode *d = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) target = gst_element_get_static_pad (d->first, "sink");
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "audio/") && !gst_pad_is_linked (target))
    {
      gst_pad_link (pad, target);
      d->linked = TRUE;
    }
  else
    {
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");

      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (d->pipeline), sink);
      gst_element_sync_state_with_parent (sink);
      gst_pad_link (pad, sinkpad);
    }
}

static void
decode_no_more_pads (GstElement *decodebin,
                     gpointer    user_data)
{
  Decode *d = user_data;

  if (!d->linked)
    g_atomic_int_set (&d->no_audio, 1);
}

/* Video streams are not decoded: only sound is wanted. */
static gboolean
decode_autoplug_continue (GstElement *bin,
                          GstPad     *pad,
                          GstCaps    *caps,
                          gpointer    user_data)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  gboolean system = FALSE;

  if (gst_structure_get_boolean (s, "systemstream", &system) && system)
    return TRUE;
  return !(g_str_has_prefix (gst_structure_get_name (s), "video/x-h26") ||
           g_str_has_prefix (gst_structure_get_name (s), "video/x-vp") ||
           g_str_equal (gst_structure_get_name (s), "video/x-av1"));
}

static AdmintAudio *
decode_error (const char  *path,
              const char  *why,
              GError     **error)
{
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("%s has no sound that can be decoded (%s). Use an MP3, Ogg, FLAC, WAV or M4A "
               "file"), path, why);
  return NULL;
}

static gboolean
pull_all (Decode        *d,
          GstElement    *appsink,
          GByteArray    *bytes,
          const char    *path,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (d->pipeline);

  for (;;)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GstSample) sample = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (msg != NULL)
        {
          g_autoptr(GError) gst_error = NULL;

          gst_message_parse_error (msg, &gst_error, NULL);
          if (d->linked && bytes->len > 0)
            g_debug ("%s: decoding stopped early: %s", path, gst_error->message);
          else
            {
              decode_error (path, gst_error->message, error);
              return FALSE;
            }
          return TRUE;
        }
      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink), 50 * GST_MSECOND);
      if (sample != NULL)
        {
          GstMapInfo map;
          GstBuffer *buffer = gst_sample_get_buffer (sample);

          if (gst_buffer_map (buffer, &map, GST_MAP_READ))
            {
              g_byte_array_append (bytes, map.data, map.size);
              gst_buffer_unmap (buffer, &map);
            }
        }
      else if (gst_app_sink_is_eos (GST_APP_SINK (appsink)) || g_atomic_int_get (&d->no_audio))
        return TRUE;
    }
}

AdmintAudio *
admint_audio_decode_file (const char    *path,
                          int            rate,
                          int            channels,
                          gboolean       allow_silent,
                          GCancellable  *cancellable,
                          GError       **error)
{
  Decode d = { 0 };
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  GstElement *src, *dec, *queue, *convert, *resample, *filter, *sink;
  AdmintAudio *audio;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                   _("The sound file %s does not exist. Check the path"), path);
      return NULL;
    }
  admint_media_init ();
  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "F32LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, rate, "channels", G_TYPE_INT, channels, NULL);
  pipeline = gst_object_ref_sink (gst_pipeline_new ("decode-audio"));
  admint_worker_watch_pipeline (pipeline);
  src = gst_element_factory_make ("filesrc", NULL);
  dec = gst_element_factory_make ("decodebin", NULL);
  queue = gst_element_factory_make ("queue", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  g_object_set (src, "location", path, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, dec, queue, convert, resample, filter, sink, NULL);
  gst_element_link (src, dec);
  gst_element_link_many (queue, convert, resample, filter, sink, NULL);
  d.pipeline = pipeline;
  d.first = queue;
  g_signal_connect (dec, "pad-added", G_CALLBACK (decode_pad_added), &d);
  g_signal_connect (dec, "no-more-pads", G_CALLBACK (decode_no_more_pads), &d);
  g_signal_connect (dec, "autoplug-continue", G_CALLBACK (decode_autoplug_continue), NULL);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  ok = pull_all (&d, sink, bytes, path, cancellable, error);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (!ok)
    return NULL;
  if (!d.linked && !allow_silent)
    return decode_error (path, _("no audio stream"), error);

  audio = admint_audio_new (rate, channels, bytes->len / (sizeof (float) * channels));
  /* A silent file has no bytes, and then no data pointer to copy from. */
  if (audio->n_frames > 0)
    memcpy (audio->samples, bytes->data, audio->n_frames * channels * sizeof (float));
  return audio;
}
