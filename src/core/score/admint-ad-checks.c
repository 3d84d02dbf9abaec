/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ad checks: scene cuts and repeats, still stretches and text at the frame's edge, from frames. */
#define G_LOG_DOMAIN "admint-score"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "admint-ad-checks.h"

#define THUMB_W 64
#define CUT_HARD 30.0        /* mean |Δ| (0-255) of small frames one frame apart: a hard cut */
#define CUT_GRADUAL 22.0     /* the same ~0.9 s apart, at its peak: a fade, push or zoom */
#define STILL_DIFF 0.25      /* below this, 0.2 s apart, the picture is near-still */
#define REPEAT_BITS 6        /* perceptual hashes this close show the same scene */
#define EDGE_STEP 48         /* a luma step this strong along the edge is a stroke */
#define EDGE_DENSITY 0.04    /* strokes per pixel of edge that look like cut-off text */

struct _AdmintAdCheckState
{
  int        width, height, tw, th;
  double     fps;
  GPtrArray *thumbs;        /* guint8[tw*th] luma, one a frame */
  guint      edge_every;
  GArray    *edge;          /* gint8 per sampled frame: side index, or -1 */
};

static const char * const sides[] = { "top", "bottom", "left", "right" };

AdmintAdCheckState *
admint_ad_checks_begin (int    width,
                        int    height,
                        double fps)
{
  AdmintAdCheckState *s = g_new0 (AdmintAdCheckState, 1);

  s->width = width, s->height = height;
  s->fps = fps > 0 ? fps : 30.0;
  s->tw = MIN (THUMB_W, width);
  s->th = MAX (1, (int) lround ((double) s->tw * height / MAX (1, width)));
  s->thumbs = g_ptr_array_new_with_free_func (g_free);
  s->edge_every = MAX (1, (guint) lround (s->fps / 5));
  s->edge = g_array_new (FALSE, FALSE, sizeof (gint8));
  return s;
}

static guint8 *
thumbnail (AdmintAdCheckState *s,
           const guint8       *bgr)
{
  guint8 *out = g_new (guint8, s->tw * s->th);

  for (int ty = 0; ty < s->th; ty++)
    for (int tx = 0; tx < s->tw; tx++)
      {
        int x0 = tx * s->width / s->tw, x1 = MAX (x0 + 1, (tx + 1) * s->width / s->tw);
        int y0 = ty * s->height / s->th, y1 = MAX (y0 + 1, (ty + 1) * s->height / s->th);
        guint64 sum = 0, n = 0;

        /* Every other pixel of the block: plenty for a 64-wide picture. */
        for (int y = y0; y < y1; y += 2)
          for (int x = x0; x < x1; x += 2)
            {
              const guint8 *p = bgr + ((gsize) y * s->width + x) * 3;
              sum += (29 * p[0] + 150 * p[1] + 77 * p[2]) >> 8;
              n++;
            }
        out[ty * s->tw + tx] = (guint8) (sum / MAX (1, n));
      }
  return out;
}

/* The densest stretch of strokes along the outermost rows (or columns) of one side: strokes per
 * pixel of the strip within the window (8 % of the side's length) that has most of them. */
static double
edge_density (AdmintAdCheckState *s,
              const guint8       *bgr,
              int                 side)
{
  gboolean horizontal = side < 2;
  int length = horizontal ? s->width : s->height;
  int depth = MAX (2, (horizontal ? s->height : s->width) / 100);
  int window = MAX (8, length * 8 / 100);
  g_autofree guint16 *strokes = g_new0 (guint16, length);
  guint best = 0, sum = 0;

  for (int d = 0; d < depth; d++)
    {
      int prev = -1;

      for (int i = 0; i < length; i++)
        {
          int x = horizontal ? i : (side == 2 ? d : s->width - 1 - d);
          int y = horizontal ? (side == 0 ? d : s->height - 1 - d) : i;
          const guint8 *p = bgr + ((gsize) y * s->width + x) * 3;
          int l = (29 * p[0] + 150 * p[1] + 77 * p[2]) >> 8;

          if (prev >= 0 && ABS (l - prev) >= EDGE_STEP)
            strokes[i]++;
          prev = l;
        }
    }
  for (int i = 0; i < length; i++)
    {
      sum += strokes[i];
      if (i >= window)
        sum -= strokes[i - window];
      best = MAX (best, sum);
    }
  return (double) best / (depth * (double) window);
}

void
admint_ad_checks_add_frame (AdmintAdCheckState *state,
                            const guint8       *bgr,
                            guint               index)
{
  g_return_if_fail (state != NULL && bgr != NULL);

  g_ptr_array_add (state->thumbs, thumbnail (state, bgr));
  if (index % state->edge_every == 0)
    {
      gint8 found = -1;
      double worst = EDGE_DENSITY;

      for (int side = 0; side < 4; side++)
        {
          double d = edge_density (state, bgr, side);
          if (d > worst)
            worst = d, found = (gint8) side;
        }
      g_array_append_val (state->edge, found);
    }
}

static double
mean_absdiff (const guint8 *a,
              const guint8 *b,
              int           n)
{
  guint64 sum = 0;

  for (int i = 0; i < n; i++)
    sum += (guint) ABS ((int) a[i] - (int) b[i]);
  return (double) sum / n;
}

/* Scene starts (frame indexes) from hard cuts and the peaks of gradual changes. */
static void
find_scenes (AdmintAdCheckState *s,
             GArray             *starts)
{
  guint n = s->thumbs->len, gap = MAX (2, (guint) lround (s->fps * 0.9));
  guint min_len = (guint) lround (s->fps);
  int size = s->tw * s->th;
  g_autofree double *g = g_new0 (double, n);
  guint first = 0;

  g_array_append_val (starts, first);
  for (guint t = gap; t < n; t++)
    g[t] = mean_absdiff (s->thumbs->pdata[t], s->thumbs->pdata[t - gap], size);
  for (guint t = 1; t < n; t++)
    {
      double hard = mean_absdiff (s->thumbs->pdata[t], s->thumbs->pdata[t - 1], size);
      guint at = G_MAXUINT;

      if (hard > CUT_HARD)
        at = t;
      else if (t >= gap && g[t] > CUT_GRADUAL)
        {
          gboolean peak = TRUE;
          for (guint k = t > gap ? t - gap : 0; k < MIN (n, t + gap) && peak; k++)
            peak = g[k] < g[t] || (g[k] == g[t] && k >= t);
          if (peak)
            at = t - gap / 2;
        }
      if (at != G_MAXUINT && at >= g_array_index (starts, guint, starts->len - 1) + min_len &&
          at + min_len / 2 < n && starts->len < ADMINT_AD_MAX_SCENES)
        g_array_append_val (starts, at);
    }
}

guint64
admint_ad_phash (const guint8 *luma,
                 int           w,
                 int           h)
{
  double img[32][32], dct[8][8], values[63], median;
  guint64 hash = 0;

  for (int y = 0; y < 32; y++)
    for (int x = 0; x < 32; x++)
      img[y][x] = luma[MIN (h - 1, y * h / 32) * w + MIN (w - 1, x * w / 32)];
  for (int u = 0; u < 8; u++)
    for (int v = 0; v < 8; v++)
      {
        double sum = 0;
        for (int y = 0; y < 32; y++)
          for (int x = 0; x < 32; x++)
            sum += img[y][x] * cos ((2 * x + 1) * v * G_PI / 64) *
                   cos ((2 * y + 1) * u * G_PI / 64);
        dct[u][v] = sum;
      }
  for (int i = 1; i < 64; i++)
    values[i - 1] = dct[i / 8][i % 8];
  {
    double sorted[63];
    memcpy (sorted, values, sizeof sorted);
    for (int i = 1; i < 63; i++)
      for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
        {
          double t = sorted[j];
          sorted[j] = sorted[j - 1], sorted[j - 1] = t;
        }
    median = sorted[31];
  }
  for (int i = 0; i < 63; i++)
    if (values[i] > median)
      hash |= G_GUINT64_CONSTANT (1) << i;
  return hash;
}

guint
admint_ad_phash_distance (guint64 a,
                          guint64 b)
{
  return (guint) __builtin_popcountll (a ^ b);
}

static void
find_repeats (AdmintAdCheckState *s,
              GArray             *starts,
              AdmintAdChecks     *out)
{
  guint64 hashes[ADMINT_AD_MAX_SCENES];
  guint n = starts->len;

  for (guint i = 0; i < n; i++)
    {
      guint a = g_array_index (starts, guint, i);
      guint b = i + 1 < n ? g_array_index (starts, guint, i + 1) : s->thumbs->len;
      hashes[i] = admint_ad_phash (s->thumbs->pdata[(a + b) / 2], s->tw, s->th);
    }
  out->repeat_a = out->repeat_b = -1;
  for (guint j = 1; j < n; j++)
    for (guint i = 0; i < j; i++)
      if (admint_ad_phash_distance (hashes[i], hashes[j]) <= REPEAT_BITS)
        {
          if (out->repeat_a < 0)
            out->repeat_a = (int) i, out->repeat_b = (int) j;
          out->repeated++;
          break;
        }
}

static void
find_stills (AdmintAdCheckState *s,
             guint               last_scene_start,
             AdmintAdChecks     *out)
{
  guint lag = MAX (1, (guint) lround (s->fps * 0.2)), run_start = 0;
  gboolean in_run = FALSE;
  int size = s->tw * s->th;

  for (guint t = lag; t <= MIN (last_scene_start, s->thumbs->len); t++)
    {
      gboolean still = t < MIN (last_scene_start, s->thumbs->len) &&
                       mean_absdiff (s->thumbs->pdata[t], s->thumbs->pdata[t - lag], size)
                         < STILL_DIFF;

      if (still && !in_run)
        run_start = t - lag, in_run = TRUE;
      else if (!still && in_run)
        {
          double seconds = (t - 1 - run_start) / s->fps;
          if (seconds > out->longest_still)
            out->longest_still = seconds, out->longest_still_at = run_start / s->fps;
          in_run = FALSE;
        }
    }
}

static void
find_edge_text (AdmintAdCheckState *s,
                AdmintAdChecks     *out)
{
  guint run = 0, best = 0;
  double step = s->edge_every / s->fps;

  for (guint i = 0; i < s->edge->len; i++)
    {
      gint8 side = g_array_index (s->edge, gint8, i);

      run = side >= 0 ? run + 1 : 0;
      if (run > best)
        {
          best = run;
          out->edge_text_at = (i + 1 - run) * step;
          out->edge_text_side = sides[side];
        }
    }
  out->edge_text_seconds = best * step;
}

void
admint_ad_checks_end (AdmintAdCheckState *state,
                      AdmintAdChecks     *out)
{
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_if_fail (state != NULL && out != NULL);

  memset (out, 0, sizeof *out);
  if (state->thumbs->len > 0)
    {
      find_scenes (state, starts);
      out->scenes = starts->len;
      for (guint i = 0; i < starts->len; i++)
        out->scene_start[i] = g_array_index (starts, guint, i) / state->fps;
      find_repeats (state, starts, out);
      /* The end card may rest: stills count only before the last scene. */
      find_stills (state, starts->len > 1 ? g_array_index (starts, guint, starts->len - 1)
                                          : state->thumbs->len, out);
      find_edge_text (state, out);
      out->measured = TRUE;
    }
  g_ptr_array_unref (state->thumbs);
  g_array_unref (state->edge);
  g_free (state);
}

void
admint_ad_checks_set_sound (AdmintAdChecks *checks,
                            gboolean        has_audio,
                            double          integrated_lufs,
                            double          true_peak_dbtp,
                            double          speech_share)
{
  g_return_if_fail (checks != NULL);

  checks->sound_measured = TRUE;
  checks->has_sound = has_audio && isfinite (integrated_lufs);
  checks->loudness_lufs = checks->has_sound ? integrated_lufs : 0;
  checks->true_peak_dbtp = checks->has_sound && isfinite (true_peak_dbtp) ? true_peak_dbtp
                                                                          : -HUGE_VAL;
  checks->speech_share = checks->has_sound ? CLAMP (speech_share, 0.0, 1.0) : 0;
}

static void
append_sound_checks (const AdmintAdChecks *c,
                     GArray               *list)
{
  AdmintAdCheck item;
  double off = c->loudness_lufs - ADMINT_AD_LOUDNESS_LUFS;

  item.name = "loudness";
  item.pass = fabs (off) <= ADMINT_AD_LOUDNESS_TOLERANCE;
  item.reason = item.pass ? g_strdup_printf (_("%.1f LUFS integrated (target %.0f ± %.0f)"),
                                             c->loudness_lufs, ADMINT_AD_LOUDNESS_LUFS,
                                             ADMINT_AD_LOUDNESS_TOLERANCE)
                          : g_strdup_printf (_("%.1f LUFS integrated, %.1f dB too %s: bring it "
                                               "to %.0f ± %.0f LUFS"),
                                             c->loudness_lufs, fabs (off),
                                             off > 0 ? _("loud") : _("quiet"),
                                             ADMINT_AD_LOUDNESS_LUFS,
                                             ADMINT_AD_LOUDNESS_TOLERANCE);
  g_array_append_val (list, item);

  item.name = "true_peak";
  item.pass = c->true_peak_dbtp <= ADMINT_AD_TRUE_PEAK_MAX_DBTP;
  item.reason = item.pass ? g_strdup_printf (_("true peak %.1f dBTP (at most %.0f)"),
                                             c->true_peak_dbtp, ADMINT_AD_TRUE_PEAK_MAX_DBTP)
                          : g_strdup_printf (_("true peak %.1f dBTP: it will clip; limit it to "
                                               "%.0f dBTP"),
                                             c->true_peak_dbtp, ADMINT_AD_TRUE_PEAK_MAX_DBTP);
  g_array_append_val (list, item);

  item.name = "speech_share";
  item.pass = c->speech_share <= ADMINT_AD_SPEECH_MAX_SHARE;
  if (!item.pass)
    item.reason = g_strdup_printf (_("speech fills %.0f %% of the ad: leave pauses (at most "
                                     "%.0f %%)"),
                                   100 * c->speech_share, 100 * ADMINT_AD_SPEECH_MAX_SHARE);
  else if (c->speech_share < 0.05)
    item.reason = g_strdup (_("no speech found: the picture and the music carry the ad"));
  else
    item.reason = g_strdup_printf (_("speech in %.0f %% of the ad"), 100 * c->speech_share);
  g_array_append_val (list, item);
}

GArray *
admint_ad_checks_list (const AdmintAdChecks *c)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (AdmintAdCheck));
  AdmintAdCheck item;

  g_return_val_if_fail (c != NULL, list);
  if (!c->measured)
    return list;

  item.name = "scene_cuts";
  item.pass = TRUE;
  item.reason = g_strdup_printf (ngettext ("%u scene found", "%u scenes found", c->scenes),
                                 c->scenes);
  g_array_append_val (list, item);

  item.name = "repeated_scenes";
  item.pass = c->repeated == 0;
  item.reason = item.pass ? g_strdup (_("no scene repeats another"))
                          : g_strdup_printf (_("scene %d (at %.1f s) looks like scene %d (at "
                                               "%.1f s); %u repeated in all: vary the picture"),
                                             c->repeat_b + 1, c->scene_start[c->repeat_b],
                                             c->repeat_a + 1, c->scene_start[c->repeat_a],
                                             c->repeated);
  g_array_append_val (list, item);

  item.name = "still_stretch";
  item.pass = c->longest_still <= ADMINT_AD_STILL_MAX_S;
  item.reason = g_strdup_printf (item.pass ? _("longest near-still stretch %.1f s (at most "
                                               "%.1f s outside the last scene)")
                                           : _("the picture is near-still for %.1f s from "
                                               "%.1f s; keep it moving (at most %.1f s)"),
                                 c->longest_still, item.pass ? ADMINT_AD_STILL_MAX_S
                                                             : c->longest_still_at,
                                 ADMINT_AD_STILL_MAX_S);
  g_array_append_val (list, item);

  item.name = "edge_text";
  item.pass = c->edge_text_seconds <= ADMINT_AD_EDGE_TEXT_MAX_S;
  item.reason = item.pass ? g_strdup (_("no text-like detail touches the frame's edge"))
                          : g_strdup_printf (_("text-like detail touches the %s edge for %.1f s "
                                               "from %.1f s; keep text in the title-safe area"),
                                             c->edge_text_side, c->edge_text_seconds,
                                             c->edge_text_at);
  g_array_append_val (list, item);
  if (c->sound_measured && c->has_sound)
    append_sound_checks (c, list);
  return list;
}

void
admint_ad_check_list_free (GArray *list)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    g_free (g_array_index (list, AdmintAdCheck, i).reason);
  if (list != NULL)
    g_array_unref (list);
}

guint
admint_ad_checks_failed (const AdmintAdChecks *checks)
{
  GArray *list = admint_ad_checks_list (checks);
  guint failed = 0;

  for (guint i = 0; i < list->len; i++)
    failed += !g_array_index (list, AdmintAdCheck, i).pass;
  admint_ad_check_list_free (list);
  return failed;
}

void
admint_ad_checks_to_json (const AdmintAdChecks *checks,
                          JsonBuilder          *builder)
{
  GArray *list = admint_ad_checks_list (checks);

  json_builder_set_member_name (builder, "ad_checks");
  json_builder_begin_object (builder);
  for (guint i = 0; i < list->len; i++)
    {
      AdmintAdCheck *c = &g_array_index (list, AdmintAdCheck, i);

      json_builder_set_member_name (builder, c->name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "pass");
      json_builder_add_boolean_value (builder, c->pass);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, c->reason);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "scenes");
  json_builder_add_int_value (builder, checks->scenes);
  json_builder_set_member_name (builder, "longest_still_seconds");
  json_builder_add_double_value (builder, checks->longest_still);
  if (checks->sound_measured)
    {
      json_builder_set_member_name (builder, "has_sound");
      json_builder_add_boolean_value (builder, checks->has_sound);
    }
  if (checks->sound_measured && checks->has_sound)
    {
      json_builder_set_member_name (builder, "loudness_lufs");
      json_builder_add_double_value (builder, checks->loudness_lufs);
      json_builder_set_member_name (builder, "true_peak_dbtp");
      json_builder_add_double_value (builder, isfinite (checks->true_peak_dbtp)
                                                ? checks->true_peak_dbtp : -200.0);
      json_builder_set_member_name (builder, "speech_share");
      json_builder_add_double_value (builder, checks->speech_share);
    }
  json_builder_set_member_name (builder, "passed");
  json_builder_add_boolean_value (builder, checks->measured && admint_ad_checks_failed (checks)
                                             == 0);
  json_builder_end_object (builder);
  admint_ad_check_list_free (list);
}
