/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The file side of asset import: copy and hash, sniff the type from the bytes, decode, thumbnail. */
#define G_LOG_DOMAIN "admint-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "admint-error.h"
#include "admint-paths.h"
#include "admint-store-private.h"

#define HEAD_SIZE 4096
#define THUMBNAIL_SIZE 256
/* A 10 MB PNG can hold a gigapixel of one colour; refuse to decode more than this. */
#define MAX_PIXELS (64 * 1024 * 1024)

static gboolean
has_at (const guint8 *head,
        gsize         len,
        gsize         offset,
        const char   *magic,
        gsize         magic_len)
{
  return len >= offset + magic_len && memcmp (head + offset, magic, magic_len) == 0;
}

#define HAS_AT(off, magic) has_at (head, len, (off), (magic), sizeof (magic) - 1)

static void
set_type (AdmintSniffResult *out,
          AdmintSniffClass   klass,
          const char        *mime,
          const char        *extension,
          const char        *label)
{
  out->klass = klass;
  out->mime = mime;
  out->extension = extension;
  out->label = label;
}

/* An MPEG audio frame header: 11 sync bits, a version that exists, a layer that exists. */
static gboolean
is_mpeg_audio_frame (const guint8 *p)
{
  return p[0] == 0xff && (p[1] & 0xe0) == 0xe0 && (p[1] & 0x18) != 0x08 &&
         (p[1] & 0x06) != 0 && (p[2] & 0xf0) != 0xf0;
}

static gboolean
is_svg (const guint8 *head,
        gsize         len)
{
  gsize i = 0;
  g_autofree char *text = NULL;

  if (HAS_AT (0, "\xef\xbb\xbf"))
    i = 3;
  while (i < len && g_ascii_isspace (head[i]))
    i++;
  if (i >= len || head[i] != '<')
    return FALSE;
  if (!has_at (head, len, i, "<?xml", 5) && !has_at (head, len, i, "<svg", 4) &&
      !has_at (head, len, i, "<!--", 4) && !has_at (head, len, i, "<!DOCTYPE svg", 13))
    return FALSE;
  text = g_strndup ((const char *) head + i, len - i);
  return strstr (text, "<svg") != NULL;
}

void
admint_asset_sniff (const guint8      *head,
                    gsize              len,
                    AdmintSniffResult *out)
{
  memset (out, 0, sizeof *out);
  set_type (out, ADMINT_SNIFF_UNKNOWN, NULL, NULL, NULL);

  if (HAS_AT (0, "\xff\xd8\xff"))
    set_type (out, ADMINT_SNIFF_RASTER, "image/jpeg", "jpg", _("JPEG image"));
  else if (HAS_AT (0, "\x89PNG\r\n\x1a\n"))
    set_type (out, ADMINT_SNIFF_RASTER, "image/png", "png", _("PNG image"));
  else if (HAS_AT (0, "RIFF") && HAS_AT (8, "WEBP"))
    set_type (out, ADMINT_SNIFF_RASTER, "image/webp", "webp", _("WebP image"));
  else if (HAS_AT (0, "RIFF") && HAS_AT (8, "WAVE"))
    set_type (out, ADMINT_SNIFF_AUDIO, "audio/wav", "wav", _("WAV audio file"));
  else if (HAS_AT (0, "fLaC"))
    set_type (out, ADMINT_SNIFF_AUDIO, "audio/flac", "flac", _("FLAC audio file"));
  else if (HAS_AT (0, "OggS"))
    {
      /* The first page's packet says what the stream is; Theora and others are video. */
      if (HAS_AT (28, "OpusHead"))
        set_type (out, ADMINT_SNIFF_AUDIO, "audio/ogg", "opus", _("Ogg Opus audio file"));
      else if (HAS_AT (28, "\x01vorbis"))
        set_type (out, ADMINT_SNIFF_AUDIO, "audio/ogg", "ogg", _("Ogg Vorbis audio file"));
      else if (HAS_AT (28, "\x7f" "FLAC"))
        set_type (out, ADMINT_SNIFF_AUDIO, "audio/ogg", "oga", _("Ogg FLAC audio file"));
    }
  else if (HAS_AT (4, "ftyp"))
    {
      /* MP4 family: audio only when the major or a compatible brand says M4A. */
      gsize box = len >= 4 ? ((gsize) head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]) : 0;
      for (gsize o = 8; o + 4 <= MIN (box, len); o += 4)
        if (o != 12 && (has_at (head, len, o, "M4A ", 4) || has_at (head, len, o, "M4B ", 4)))
          {
            set_type (out, ADMINT_SNIFF_AUDIO, "audio/mp4", "m4a", _("M4A audio file"));
            break;
          }
    }
  else if (HAS_AT (0, "ID3") ||
           (len >= 4 && is_mpeg_audio_frame (head) && (head[1] & 0x06) != 0x00))
    set_type (out, ADMINT_SNIFF_AUDIO, "audio/mpeg", "mp3", _("MP3 audio file"));
  else if (len >= 4 && head[0] == 0xff && (head[1] & 0xf6) == 0xf0)
    set_type (out, ADMINT_SNIFF_AUDIO, "audio/aac", "aac", _("AAC audio file"));
  else if (is_svg (head, len))
    set_type (out, ADMINT_SNIFF_SVG, "image/svg+xml", "svg", _("SVG image"));
}

void
admint_asset_staging_clear (AdmintAssetStaging *staging)
{
  if (staging->tmp_path != NULL)
    g_unlink (staging->tmp_path);
  if (staging->tmp_thumb_path != NULL)
    g_unlink (staging->tmp_thumb_path);
  g_clear_pointer (&staging->source, g_free);
  g_clear_pointer (&staging->tmp_path, g_free);
  g_clear_pointer (&staging->tmp_thumb_path, g_free);
  g_clear_pointer (&staging->sha256, g_free);
}

static gboolean
too_big (const char  *file,
         gint64       size,
         gint64       max,
         GError     **error)
{
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *max_text = g_format_size (max);

  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               "%s is %s; the limit is %s a file. Use a smaller file or raise "
               "limits.asset_max_bytes.", file, size_text, max_text);
  return FALSE;
}

static gboolean
write_all (int           fd,
           const guint8 *buf,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buf += n;
      len -= n;
    }
  return TRUE;
}

/* ---- what killed imports leave behind ---- */

#define LEGACY_STALE_SECONDS 3600

/* NAME is PREFIX followed by "PID-XXXXXX" (this version) or "XXXXXX" (older ones). */
static gboolean
is_stale (const char *folder,
          const char *name,
          const char *prefix)
{
  const char *rest = name + strlen (prefix);
  char *end = NULL;
  gint64 pid;
  struct stat sb;
  g_autofree char *path = NULL;

  pid = g_ascii_strtoll (rest, &end, 10);
  if (end != rest && *end == '-' && pid > 0 && pid <= G_MAXINT)
    return pid != getpid () && kill ((pid_t) pid, 0) != 0 && errno == ESRCH;
  path = g_build_filename (folder, name, NULL);
  return g_lstat (path, &sb) == 0 &&
         sb.st_mtime < g_get_real_time () / G_USEC_PER_SEC - LEGACY_STALE_SECONDS;
}

static void
clean_folder (const char *folder,
              const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && is_stale (folder, name, prefix))
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);
        g_debug ("removing %s, left by an import that was killed", path);
        g_unlink (path);
      }
}

void
admint_asset_clean_stale (const char *media_dir)
{
  g_autofree char *thumbs = NULL;

  g_return_if_fail (media_dir != NULL);

  thumbs = g_build_filename (media_dir, "thumbnails", NULL);
  clean_folder (media_dir, ".import-");
  clean_folder (thumbs, ".thumb-");
}

/* Once per process and media folder, before the first import. */
static void
clean_stale_once (const char *media_dir)
{
  static GMutex lock;
  static GHashTable *done;

  g_mutex_lock (&lock);
  if (done == NULL)
    done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_contains (done, media_dir))
    {
      g_hash_table_add (done, g_strdup (media_dir));
      admint_asset_clean_stale (media_dir);
    }
  g_mutex_unlock (&lock);
}

/* Opens SOURCE for reading without blocking on a FIFO that nobody writes to; refuses what is
 * not a regular file (naming what it is), an empty or too big one, and a name that is not
 * text. -1 with ERROR set on failure. */
static int
open_source (const char          *source,
             gint64               max_file_bytes,
             GError             **error)
{
  g_autofree char *name = g_path_get_basename (source);
  const char *what = NULL;
  struct stat st, *sb = &st;
  int in = g_open (source, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);

  if (in < 0)
    {
      int saved = errno;
      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_NOT_FOUND,
                     _("Cannot import %s: there is no such file. Check the path."), source);
      else
        g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                     _("Cannot import %s: %s. Check that the file is readable."),
                     source, g_strerror (saved));
      return -1;
    }
  if (fstat (in, sb) != 0)
    what = _("it cannot be examined");
  else if (S_ISDIR (sb->st_mode))
    what = _("it is a folder");
  else if (S_ISFIFO (sb->st_mode))
    what = _("it is a pipe (FIFO)");
  else if (S_ISCHR (sb->st_mode) || S_ISBLK (sb->st_mode))
    what = _("it is a device");
  else if (!S_ISREG (sb->st_mode))
    what = _("it is not a regular file");
  else if (sb->st_size == 0)
    what = _("the file is empty");
  if (what != NULL)
    g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                 _("Cannot import %s: %s. Name an image or audio file."), source, what);
  else if (sb->st_size > max_file_bytes)
    too_big (source, sb->st_size, max_file_bytes, error);
  else if (!g_utf8_validate (name, -1, NULL))
    {
      /* The name is shown in lists and JSON, which need text. */
      g_autofree char *shown = g_filename_display_name (source);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Cannot import %s: its file name is not valid UTF-8 text. Rename the "
                     "file (for example with `convmv`) and import it again."), shown);
    }
  else
    {
      fcntl (in, F_SETFL, fcntl (in, F_GETFL) & ~O_NONBLOCK);
      return in;
    }
  close (in);
  return -1;
}

gboolean
admint_asset_stage (AdmintAssetStaging  *staging,
                    const char          *source,
                    const char          *media_dir,
                    gint64               max_file_bytes,
                    GError             **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *thumbs = g_build_filename (media_dir, "thumbnails", NULL);
  g_autofree guint8 *buf = g_malloc (65536);
  guint8 head[HEAD_SIZE];
  gsize head_len = 0;
  int in = -1, out = -1;
  gboolean ok = FALSE;

  g_assert (staging->tmp_path == NULL);

  staging->source = g_strdup (source);
  in = open_source (source, max_file_bytes, error);
  if (in < 0)
    return FALSE;

  if (!admint_paths_ensure_dir (media_dir, error) || !admint_paths_ensure_dir (thumbs, error))
    goto out;

  clean_stale_once (media_dir);
  /* The process id in the name tells a later run whether its import is still going on. */
  {
    g_autofree char *name = g_strdup_printf (".import-%d-XXXXXX", (int) getpid ());
    staging->tmp_path = g_build_filename (media_dir, name, NULL);
  }
  out = g_mkstemp_full (staging->tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (out < 0)
    {
      int saved = errno;
      g_clear_pointer (&staging->tmp_path, g_free);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot write into %s: %s. Check that the folder is writable."),
                   media_dir, g_strerror (saved));
      goto out;
    }

  staging->size = 0;
  for (;;)
    {
      gssize n = read (in, buf, 65536);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                       _("Cannot read %s: %s. Check the file and try again."),
                       source, g_strerror (saved));
          goto out;
        }
      if (n == 0)
        break;
      if (head_len < HEAD_SIZE)
        {
          gsize take = MIN ((gsize) n, HEAD_SIZE - head_len);
          memcpy (head + head_len, buf, take);
          head_len += take;
        }
      staging->size += n;
      if (staging->size > max_file_bytes)
        {
          too_big (source, staging->size, max_file_bytes, error);
          goto out;
        }
      g_checksum_update (sum, buf, n);
      if (!write_all (out, buf, n))
        {
          int saved = errno;
          g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                       _("Cannot copy %s into %s: %s. Free some space and try again."),
                       source, media_dir, g_strerror (saved));
          goto out;
        }
    }
  if (fsync (out) != 0)
    {
      int saved = errno;
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot copy %s into %s: %s. Free some space and try again."),
                   source, media_dir, g_strerror (saved));
      goto out;
    }

  admint_asset_sniff (head, head_len, &staging->type);
  if (staging->type.klass == ADMINT_SNIFF_UNKNOWN)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Cannot import %s: its content is not a JPEG, PNG or WebP image, an SVG logo, "
                   "or MP3, Ogg, FLAC, WAV or M4A audio (the file name does not count). "
                   "Convert it to one of those."), source);
      goto out;
    }
  staging->sha256 = g_strdup (g_checksum_get_string (sum));
  ok = TRUE;

out:
  if (in >= 0)
    close (in);
  if (out >= 0)
    close (out);
  if (!ok && staging->tmp_path != NULL)
    {
      g_unlink (staging->tmp_path);
      g_clear_pointer (&staging->tmp_path, g_free);
    }
  return ok;
}

static gboolean
damaged (AdmintAssetStaging  *staging,
         const char          *why,
         GError             **error)
{
  g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
               _("Cannot import %s: it starts like a %s but cannot be decoded (%s). It may be "
               "truncated or damaged; export it again."),
               staging->source, staging->type.label, why);
  return FALSE;
}

static gboolean
probe_image (AdmintAssetStaging  *staging,
             const char          *media_dir,
             GError             **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) thumb = NULL;
  GdkPixbufFormat *format;
  int w = 0, h = 0, tw, th;
  int fd;

  format = gdk_pixbuf_get_file_info (staging->tmp_path, &w, &h);
  if (format == NULL || w <= 0 || h <= 0)
    return damaged (staging, "no image size could be read", error);
  if ((gint64) w * h > MAX_PIXELS)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Cannot import %s: it is %d×%d pixels; the limit is %d megapixels. "
                   "Scale it down first."), staging->source, w, h, MAX_PIXELS / (1024 * 1024));
      return FALSE;
    }

  pixbuf = gdk_pixbuf_new_from_file (staging->tmp_path, &local);
  if (pixbuf == NULL)
    return damaged (staging, local->message, error);
  staging->width = gdk_pixbuf_get_width (pixbuf);
  staging->height = gdk_pixbuf_get_height (pixbuf);

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  w = gdk_pixbuf_get_width (oriented);
  h = gdk_pixbuf_get_height (oriented);
  if (w >= h)
    {
      tw = MIN (w, THUMBNAIL_SIZE);
      th = MAX (1, (int) ((gint64) h * tw / w));
    }
  else
    {
      th = MIN (h, THUMBNAIL_SIZE);
      tw = MAX (1, (int) ((gint64) w * th / h));
    }
  thumb = gdk_pixbuf_scale_simple (oriented, tw, th, GDK_INTERP_BILINEAR);

  {
    g_autofree char *name = g_strdup_printf (".thumb-%d-XXXXXX", (int) getpid ());
    staging->tmp_thumb_path = g_build_filename (media_dir, "thumbnails", name, NULL);
  }
  fd = g_mkstemp_full (staging->tmp_thumb_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_clear_pointer (&staging->tmp_thumb_path, g_free);
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot write the thumbnail of %s into %s: %s."),
                   staging->source, media_dir, g_strerror (errno));
      return FALSE;
    }
  close (fd);
  if (thumb == NULL || !gdk_pixbuf_save (thumb, staging->tmp_thumb_path, "png", &local, NULL))
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot write the thumbnail of %s: %s. Check that %s is writable."),
                   staging->source, local ? local->message : "out of memory", media_dir);
      return FALSE;
    }
  staging->duration = -1;
  return TRUE;
}

static gpointer
init_gstreamer (gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!gst_init_check (NULL, NULL, &error))
    return g_strdup (error->message);
  return NULL;
}

static gboolean
probe_audio (AdmintAssetStaging  *staging,
             GError             **error)
{
  static GOnce once = G_ONCE_INIT;
  g_autoptr(GError) local = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  const char *init_error;
  GList *streams;
  gboolean has_video = FALSE;
  guint n_audio;

  init_error = g_once (&once, init_gstreamer, NULL);
  if (init_error != NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot read audio files: GStreamer did not start (%s). Check the "
                   "GStreamer installation."), init_error);
      return FALSE;
    }

  discoverer = gst_discoverer_new (10 * GST_SECOND, &local);
  if (discoverer == NULL)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_FAILED,
                   _("Cannot read audio files: %s. Check the GStreamer installation."),
                   local->message);
      return FALSE;
    }
  uri = g_filename_to_uri (staging->tmp_path, NULL, NULL);
  info = gst_discoverer_discover_uri (discoverer, uri, &local);
  if (info == NULL || gst_discoverer_info_get_result (info) != GST_DISCOVERER_OK)
    return damaged (staging, local ? local->message : "no playable stream", error);

  streams = gst_discoverer_info_get_audio_streams (info);
  n_audio = g_list_length (streams);
  gst_discoverer_stream_info_list_free (streams);

  streams = gst_discoverer_info_get_video_streams (info);
  for (GList *l = streams; l != NULL; l = l->next)
    if (!gst_discoverer_video_info_is_image (l->data))
      has_video = TRUE;
  gst_discoverer_stream_info_list_free (streams);

  if (n_audio == 0)
    return damaged (staging, "it has no audio stream", error);
  if (has_video)
    {
      g_set_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT,
                   _("Cannot import %s: it holds video, and only audio can be a music asset. "
                   "Extract its sound track first."), staging->source);
      return FALSE;
    }
  staging->duration = (double) gst_discoverer_info_get_duration (info) / GST_SECOND;
  return TRUE;
}

gboolean
admint_asset_probe (AdmintAssetStaging  *staging,
                    const char          *media_dir,
                    GError             **error)
{
  g_assert (staging->tmp_path != NULL);

  switch (staging->type.klass)
    {
    case ADMINT_SNIFF_RASTER:
    case ADMINT_SNIFF_SVG:
      return probe_image (staging, media_dir, error);
    case ADMINT_SNIFF_AUDIO:
      return probe_audio (staging, error);
    case ADMINT_SNIFF_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}
