/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks that a file a service produced is whole and of the kind asked before it is used. */
#define G_LOG_DOMAIN "admint-ai"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "admint-ai-error.h"
#include "admint-output-check.h"

static gboolean
bad (GError     **error,
     const char  *what)
{
  g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE, "%s", what);
  return FALSE;
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint64
be64 (const guint8 *p)
{
  return ((guint64) be32 (p) << 32) | be32 (p + 4);
}

/* The top-level boxes of an ISO BMFF file must tile it exactly: a download cut short ends
 * inside a box, and bytes that are not a video do not start with ftyp. */
static gboolean
check_video (const guint8  *data,
             gsize          len,
             GError       **error)
{
  gboolean moov = FALSE, mdat = FALSE;
  gsize pos = 0;

  if (len < 16 || memcmp (data + 4, "ftyp", 4) != 0)
    return bad (error, _("it is not an MP4 video (no “ftyp” box at its start)"));
  while (pos < len)
    {
      guint64 size;
      gsize header = 8;
      char type[5] = { 0 };

      if (len - pos < 8)
        return bad (error, _("it ends inside a box header: the download was cut short"));
      size = be32 (data + pos);
      memcpy (type, data + pos + 4, 4);
      for (int i = 0; i < 4; i++)
        if (!g_ascii_isprint (type[i]))
          return bad (error, _("it holds bytes that are not MP4 boxes"));
      if (size == 1)
        {
          if (len - pos < 16)
            return bad (error, _("it ends inside a box header: the download was cut short"));
          size = be64 (data + pos + 8);
          header = 16;
        }
      else if (size == 0)
        size = len - pos;  /* the last box runs to the end of the file */
      if (size < header)
        return bad (error, _("it holds a box of an impossible size"));
      if (size > len - pos)
        {
          g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                       _("it ends inside its “%s” box: the download was cut short"), type);
          return FALSE;
        }
      moov |= memcmp (type, "moov", 4) == 0;
      mdat |= memcmp (type, "mdat", 4) == 0;
      pos += size;
    }
  if (!moov)
    return bad (error, _("it has no “moov” box, so no player can read it"));
  if (!mdat)
    return bad (error, _("it has no “mdat” box: it holds no video data"));
  return TRUE;
}

static gboolean
check_image (const guint8  *data,
             gsize          len,
             GError       **error)
{
  static const guint8 png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 iend[8] = { 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

  if (len >= 8 + 12 && memcmp (data, png, 8) == 0)
    {
      if (memcmp (data + len - 8, iend, 8) != 0)
        return bad (error, _("it is a PNG image without its end (IEND): the download was cut "
                             "short"));
      return TRUE;
    }
  if (len >= 4 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    {
      /* Some encoders pad after the end marker: look for it near the end. */
      for (gsize i = len - 1; i > 2 && i + 64 > len; i--)
        if (data[i - 1] == 0xff && data[i] == 0xd9)
          return TRUE;
      return bad (error, _("it is a JPEG image without its end marker: the download was cut "
                           "short"));
    }
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    {
      guint32 riff = data[4] | (data[5] << 8) | (data[6] << 16) | ((guint32) data[7] << 24);
      if ((guint64) riff + 8 > len)
        return bad (error, _("it is a WebP image cut short"));
      return TRUE;
    }
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    {
      if (data[len - 1] != 0x3b)
        return bad (error, _("it is a GIF image without its end: the download was cut short"));
      return TRUE;
    }
  return bad (error, _("it is not a PNG, JPEG, WebP or GIF image"));
}

/* What a music model returns, by its first bytes (the decode that follows checks the rest). */
static gboolean
check_audio (const guint8  *data,
             gsize          len,
             GError       **error)
{
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WAVE", 4) == 0)
    return TRUE;
  if (len >= 4 && (memcmp (data, "OggS", 4) == 0 || memcmp (data, "fLaC", 4) == 0))
    return TRUE;
  if (len >= 3 && memcmp (data, "ID3", 3) == 0)
    return TRUE;
  if (len >= 2 && data[0] == 0xff && (data[1] & 0xe0) == 0xe0)
    return TRUE;
  return bad (error, _("it is not a WAV, Ogg, FLAC or MP3 sound file"));
}

gboolean
admint_output_check_bytes (const guint8      *data,
                           gsize              len,
                           AdmintOutputKind   kind,
                           GError           **error)
{
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len == 0)
    return bad (error, _("it is empty"));
  /* WebM (EBML) has no cheap whole-file check: its magic has to do. */
  if (kind == ADMINT_OUTPUT_VIDEO && len >= 4 && memcmp (data, "\x1a\x45\xdf\xa3", 4) == 0)
    return TRUE;
  if (kind == ADMINT_OUTPUT_VIDEO)
    return check_video (data, len, error);
  if (kind == ADMINT_OUTPUT_AUDIO)
    return check_audio (data, len, error);
  return check_image (data, len, error);
}

gboolean
admint_output_check_file (const char        *path,
                          AdmintOutputKind   kind,
                          GError           **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    {
      g_set_error (error, ADMINT_AI_ERROR, ADMINT_AI_ERROR_BAD_RESPONSE,
                   _("it cannot be read back (%s)"), local->message);
      return FALSE;
    }
  return admint_output_check_bytes ((const guint8 *) g_mapped_file_get_contents (file),
                                    g_mapped_file_get_length (file), kind, error);
}
