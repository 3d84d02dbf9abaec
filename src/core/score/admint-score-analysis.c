/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The classical stand-ins for VBench's networks: motion, descriptors, image quality measures. */
#define G_LOG_DOMAIN "admint-score"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "admint-score-private.h"

#define SMALL_MAX_WIDTH 320
#define BLOCK           8
/* Coarse search radius on the half-size luma (so twice that on the small frame). */
#define FLOW_RADIUS     8
#define INTERP_RADIUS   8
#define REFINE_RADIUS   2
/* SAD penalty per pixel of the block and per unit of displacement: flat areas pick zero motion. */
#define MOTION_PENALTY  0.25

int
admint_score_small_factor (int width,
                           int height)
{
  g_assert (width > 0 && height > 0);
  return MAX (1, (width + SMALL_MAX_WIDTH - 1) / SMALL_MAX_WIDTH);
}

/* The gradient orientation bin (0-8, 20° each over [0, π)) of every (gx, gy) in [-255, 255]²,
 * computed once with atan2 as the descriptor did per pixel. */
static guint8 orientation_bins[511 * 511];

static gpointer
init_orientation_bins (gpointer unused)
{
  for (int gy = -255; gy <= 255; gy++)
    for (int gx = -255; gx <= 255; gx++)
      {
        double theta = atan2 (gy, gx);

        if (theta < 0)
          theta += G_PI;
        orientation_bins[(gy + 255) * 511 + gx + 255] = (guint8) MIN (8, (int) (theta / G_PI * 9));
      }
  return NULL;
}

/* cols[i] += row[i] for N bytes. */
static void
add_row (guint16 *restrict cols, const guint8 *restrict row, gsize n)
{
  gsize i = 0;

#ifdef __SSE2__
  const __m128i zero = _mm_setzero_si128 ();

  for (; i + 16 <= n; i += 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) (row + i));
      __m128i lo = _mm_loadu_si128 ((const __m128i *) (cols + i));
      __m128i hi = _mm_loadu_si128 ((const __m128i *) (cols + i + 8));

      _mm_storeu_si128 ((__m128i *) (cols + i), _mm_add_epi16 (lo, _mm_unpacklo_epi8 (v, zero)));
      _mm_storeu_si128 ((__m128i *) (cols + i + 8),
                        _mm_add_epi16 (hi, _mm_unpackhi_epi8 (v, zero)));
    }
#endif
  for (; i < n; i++)
    cols[i] += row[i];
}

AdmintSmall *
admint_small_new (const guint8 *bgr,
                  int           width,
                  int           height,
                  int           factor,
                  guint         index)
{
  AdmintSmall *s = g_new0 (AdmintSmall, 1);
  g_autofree guint32 *acc = NULL;
  g_autofree guint16 *cols = NULL;
  guint32 area;

  s->ref_count = 1;
  s->index = index;
  s->factor = factor;
  s->w = MAX (1, width / factor);
  s->h = MAX (1, height / factor);
  s->bgr = g_malloc ((gsize) s->w * s->h * 3);
  s->luma = g_malloc ((gsize) s->w * s->h);
  acc = g_new (guint32, (gsize) s->w * 3);
  area = (guint32) factor * factor;

  /* The rows of each band are summed column by column first (contiguous, so vectorised), then
   * each output pixel's columns: the same integer sums as pixel by pixel, in a fraction of the
   * time. */
  g_assert (factor <= 257);  /* 16-bit column sums */
  cols = g_new (guint16, (gsize) s->w * factor * 3);
  for (int y = 0; y < s->h; y++)
    {
      const gsize n_cols = (gsize) s->w * factor * 3;

      memset (cols, 0, sizeof (guint16) * n_cols);
      for (int fy = 0; fy < factor && y * factor + fy < height; fy++)
        add_row (cols, bgr + (gsize) (y * factor + fy) * width * 3, n_cols);
      if (factor == 1)
        for (int i = 0; i < s->w * 3; i++)
          acc[i] = cols[i];
      else
        for (int x = 0; x < s->w; x++)
          {
            const guint16 *p = cols + (gsize) x * factor * 3;
            guint32 b = 0, g = 0, r = 0;

            for (int fx = 0; fx < factor; fx++, p += 3)
              {
                b += p[0];
                g += p[1];
                r += p[2];
              }
            acc[x * 3] = b;
            acc[x * 3 + 1] = g;
            acc[x * 3 + 2] = r;
          }
      for (int x = 0; x < s->w; x++)
        {
          guint8 *out = s->bgr + ((gsize) y * s->w + x) * 3;

          for (int c = 0; c < 3; c++)
            out[c] = (guint8) ((acc[x * 3 + c] + area / 2) / area);
          s->luma[(gsize) y * s->w + x] = (guint8) ((29 * out[0] + 150 * out[1] + 77 * out[2] + 128) >> 8);
        }
    }

  s->hw = MAX (1, s->w / 2);
  s->hh = MAX (1, s->h / 2);
  s->half = g_malloc ((gsize) s->hw * s->hh);
  for (int y = 0; y < s->hh; y++)
    for (int x = 0; x < s->hw; x++)
      {
        int x1 = MIN (2 * x + 1, s->w - 1), y1 = MIN (2 * y + 1, s->h - 1);
        const guint8 *l = s->luma;

        s->half[y * s->hw + x] = (guint8) ((l[2 * y * s->w + 2 * x] + l[2 * y * s->w + x1] +
                                            l[y1 * s->w + 2 * x] + l[y1 * s->w + x1] + 2) / 4);
      }
  return s;
}

AdmintSmall *
admint_small_ref (AdmintSmall *small)
{
  g_atomic_int_inc (&small->ref_count);
  return small;
}

void
admint_small_unref (AdmintSmall *small)
{
  if (!g_atomic_int_dec_and_test (&small->ref_count))
    return;
  g_free (small->bgr);
  g_free (small->luma);
  g_free (small->half);
  g_free (small);
}

/* ---- descriptors ---- */

static void
normalise (float *v,
           guint  n,
           float  weight)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += (double) v[i] * v[i];
  if (sum <= 1e-20)
    return;
  sum = weight / sqrt (sum);
  for (guint i = 0; i < n; i++)
    v[i] = (float) (v[i] * sum);
}

static void
hellinger (float *hist,
           guint  n)
{
  double total = 0;

  for (guint i = 0; i < n; i++)
    total += hist[i];
  if (total <= 0)
    return;
  for (guint i = 0; i < n; i++)
    hist[i] = (float) sqrt (hist[i] / total);
}

static inline int
colour_bin (const guint8 *p)
{
  return (p[0] >> 6) * 16 + (p[1] >> 6) * 4 + (p[2] >> 6);
}

static double
clamp01 (double v)
{
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* The 6×8 cells' mean brightness less the frame's mean, normalised: the frame's layout. */
static void
brightness_layout (float        *layout,
                   const double *cell_sum,
                   const int    *cell_n)
{
  double mean = 0;
  int cells = 0;

  for (int i = 0; i < 48; i++)
    if (cell_n[i] > 0)
      {
        layout[i] = (float) (cell_sum[i] / cell_n[i]);
        mean += layout[i];
        cells++;
      }
  mean /= MAX (cells, 1);
  for (int i = 0; i < 48; i++)
    layout[i] = cell_n[i] > 0 ? (float) (layout[i] - mean) : 0.0f;
  normalise (layout, 48, 1.0f);
}

/* Rule of thirds (or a centred subject, a bit less) for the centre of visual mass: the
 * gradient-weighted mean position GRAD_X / GRAD_TOTAL, GRAD_Y / GRAD_TOTAL. */
static double
composition_score (double grad_total,
                   double grad_x,
                   double grad_y)
{
  if (grad_total <= 1e-9)
    return 0.5;
  double cx = grad_x / grad_total, cyy = grad_y / grad_total;
  double d_thirds = 1.0, d_centre;

  for (int i = 1; i <= 2; i++)
    for (int j = 1; j <= 2; j++)
      d_thirds = MIN (d_thirds, hypot (cx - i / 3.0, cyy - j / 3.0));
  d_centre = hypot (cx - 0.5, cyy - 0.5);
  return MAX (clamp01 (1.0 - d_thirds / 0.35), 0.8 * clamp01 (1.0 - d_centre / 0.35));
}

void
admint_small_describe (const AdmintSmall *s,
                       float             *subject,
                       float             *background,
                       double            *aesthetic)
{
  const int w = s->w, h = s->h;
  float *colour = subject, *hog = subject + 64;
  float *border = background, *layout = background + 64;
  g_autofree float *wx = g_new (float, w);
  g_autofree float *wy = g_new (float, h);
  double cell_sum[48] = { 0 };
  int cell_n[48] = { 0 };
  double sum_rg = 0, sum_yb = 0, sum_rg2 = 0, sum_yb2 = 0, sum_sat = 0, sum_l = 0, sum_l2 = 0;
  double grad_total = 0, grad_x = 0, grad_y = 0;
  const double n = (double) w * h;

  static GOnce bins_once = G_ONCE_INIT;

  g_once (&bins_once, init_orientation_bins, NULL);
  memset (subject, 0, sizeof (float) * ADMINT_SUBJECT_DESC_LEN);
  memset (background, 0, sizeof (float) * ADMINT_BACKGROUND_DESC_LEN);
  /* Centre weighting: the subject of an ad is, more often than not, in the middle. */
  for (int x = 0; x < w; x++)
    {
      double d = (x + 0.5 - w / 2.0) / (0.25 * w);
      wx[x] = (float) exp (-0.5 * d * d);
    }
  for (int y = 0; y < h; y++)
    {
      double d = (y + 0.5 - h / 2.0) / (0.25 * h);
      wy[y] = (float) exp (-0.5 * d * d);
    }

  for (int y = 0; y < h; y++)
    {
      const guint8 *row = s->bgr + (gsize) y * w * 3;
      const guint8 *l = s->luma + (gsize) y * w;
      const guint8 *lu = s->luma + (gsize) MAX (y - 1, 0) * w;
      const guint8 *ld = s->luma + (gsize) MIN (y + 1, h - 1) * w;
      gboolean y_inner = y >= h / 4 && y < h - h / 4;
      int cy = y * 4 / h, gy6 = y * 6 / h;

      for (int x = 0; x < w; x++)
        {
          const guint8 *p = row + x * 3;
          float wt = wx[x] * wy[y];
          int bin = colour_bin (p);
          int gx = l[MIN (x + 1, w - 1)] - l[MAX (x - 1, 0)];
          int gyv = ld[x] - lu[x];
          float mag = sqrtf ((float) (gx * gx + gyv * gyv));
          int mx = MAX (p[0], MAX (p[1], p[2])), mn = MIN (p[0], MIN (p[1], p[2]));
          double rg = (double) p[2] - p[1], yb = 0.5 * (p[2] + p[1]) - p[0];

          colour[bin] += wt;
          if (mag > 0)
            {
              int obin = orientation_bins[(gyv + 255) * 511 + gx + 255];

              hog[(cy * 4 + x * 4 / w) * 9 + obin] += mag * wt;
              grad_total += mag;
              grad_x += mag * (x + 0.5) / w;
              grad_y += mag * (y + 0.5) / h;
            }
          if (!(y_inner && x >= w / 4 && x < w - w / 4))
            border[bin] += 1;
          cell_sum[gy6 * 8 + x * 8 / w] += l[x];
          cell_n[gy6 * 8 + x * 8 / w]++;

          sum_rg += rg;
          sum_yb += yb;
          sum_rg2 += rg * rg;
          sum_yb2 += yb * yb;
          sum_sat += mx > 0 ? (double) (mx - mn) / mx : 0;
          sum_l += l[x];
          sum_l2 += (double) l[x] * l[x];
        }
    }

  /* Subject: colour and gradient layout of the centre, each part of equal weight. */
  hellinger (colour, 64);
  normalise (hog, 16 * 9, 1.0f);
  for (int i = 0; i < 16 * 9; i++)
    hog[i] = sqrtf (hog[i]);
  normalise (hog, 16 * 9, 1.0f);
  normalise (subject, ADMINT_SUBJECT_DESC_LEN, 1.0f);

  /* Background: colours of the border and the zero-mean brightness layout of the frame. */
  hellinger (border, 64);
  brightness_layout (layout, cell_sum, cell_n);
  normalise (background, ADMINT_BACKGROUND_DESC_LEN, 1.0f);

  if (aesthetic != NULL)
    {
      double mrg = sum_rg / n, myb = sum_yb / n;
      double srg = sqrt (MAX (0, sum_rg2 / n - mrg * mrg));
      double syb = sqrt (MAX (0, sum_yb2 / n - myb * myb));
      /* Hasler & Süsstrunk (2003): above ~110 a picture is "extremely colourful". */
      double colourfulness = sqrt (srg * srg + syb * syb) + 0.3 * sqrt (mrg * mrg + myb * myb);
      double c_score = clamp01 (colourfulness / 110.0);
      double sat = sum_sat / n;
      double s_score = clamp01 (1.0 - fabs (sat - 0.45) / 0.45);
      double lmean = sum_l / n / 255.0;
      double lstd = sqrt (MAX (0, sum_l2 / n - (sum_l / n) * (sum_l / n)));
      double e_score = clamp01 (1.0 - 2.0 * fabs (lmean - 0.5));
      double k_score = clamp01 (lstd / 64.0);
      double comp = composition_score (grad_total, grad_x, grad_y);
      *aesthetic = 0.30 * c_score + 0.15 * s_score + 0.15 * e_score + 0.20 * k_score + 0.20 * comp;
    }
}

double
admint_score_consistency (const float *descs,
                          guint        n_frames,
                          guint        len)
{
  double total = 0;

  if (n_frames < 2)
    return 1.0;
  for (guint i = 1; i < n_frames; i++)
    {
      const float *cur = descs + (gsize) i * len;
      const float *prev = descs + (gsize) (i - 1) * len;
      double dp = 0, df = 0, nc = 0, np = 0, nf = 0, sp, sf;

      for (guint k = 0; k < len; k++)
        {
          dp += (double) cur[k] * prev[k];
          df += (double) cur[k] * descs[k];
          nc += (double) cur[k] * cur[k];
          np += (double) prev[k] * prev[k];
          nf += (double) descs[k] * descs[k];
        }
      /* Two empty descriptors (a flat grey frame) are the same picture. */
      sp = (nc < 1e-12 || np < 1e-12) ? (nc < 1e-12 && np < 1e-12 ? 1.0 : 0.0) : dp / sqrt (nc * np);
      sf = (nc < 1e-12 || nf < 1e-12) ? (nc < 1e-12 && nf < 1e-12 ? 1.0 : 0.0) : df / sqrt (nc * nf);
      total += (MAX (0.0, MIN (1.0, sp)) + MAX (0.0, MIN (1.0, sf))) / 2.0;
    }
  return total / (n_frames - 1);
}

/* ---- block motion ---- */

typedef struct {
  const guint8 *a, *b;
  int w, h;
  /* a and b again with PLANE_PAD pixels of edge repeated on every side (pixel (0, 0) at
   * pa, rows ps apart): a displaced block that leaves the picture by up to the pad reads the
   * same values sample_clamped gives, without a clamp per pixel. NULL: not made. */
  const guint8 *pa, *pb;
  int ps;
} Plane;

/* More than the largest displacement a search tries: twice the coarse radius plus the
 * refinement on the small frame. */
#define PLANE_PAD 32

/* SAD of the block (x0, y0, bw, bh) of planes A and B, rows STRIDE apart: a displaced by
 * (ax, ay), b by (bx, by). */
static guint32
block_sad_strided (const guint8 *a, const guint8 *b, int stride,
                   int x0, int y0, int bw, int bh,
                   int ax, int ay, int bx, int by)
{
  const Plane plane = { a, b, stride, 0, NULL, NULL, 0 };
  const Plane *pl = &plane;
  guint32 sad = 0;

#ifdef __SSE2__
  /* Whole blocks (all but the right and bottom edges) in one or two psadbw per pair of rows. */
  if (bw == 8 && bh == 8)
    {
      __m128i acc = _mm_setzero_si128 ();

      for (int y = 0; y < 8; y += 2)
        {
          const guint8 *ra = pl->a + (gsize) (y0 + y + ay) * pl->w + x0 + ax;
          const guint8 *rb = pl->b + (gsize) (y0 + y + by) * pl->w + x0 + bx;
          __m128i va = _mm_unpacklo_epi64 (_mm_loadl_epi64 ((const __m128i *) ra),
                                           _mm_loadl_epi64 ((const __m128i *) (ra + pl->w)));
          __m128i vb = _mm_unpacklo_epi64 (_mm_loadl_epi64 ((const __m128i *) rb),
                                           _mm_loadl_epi64 ((const __m128i *) (rb + pl->w)));

          acc = _mm_add_epi64 (acc, _mm_sad_epu8 (va, vb));
        }
      return (guint32) (_mm_cvtsi128_si32 (acc) + _mm_cvtsi128_si32 (_mm_srli_si128 (acc, 8)));
    }
  if (bw == 4 && bh == 4)
    {
      guint32 ra[4], rb[4];
      __m128i sad4;

      for (int y = 0; y < 4; y++)
        {
          memcpy (&ra[y], pl->a + (gsize) (y0 + y + ay) * pl->w + x0 + ax, 4);
          memcpy (&rb[y], pl->b + (gsize) (y0 + y + by) * pl->w + x0 + bx, 4);
        }
      sad4 = _mm_sad_epu8 (_mm_loadu_si128 ((const __m128i *) ra),
                           _mm_loadu_si128 ((const __m128i *) rb));
      return (guint32) (_mm_cvtsi128_si32 (sad4) + _mm_cvtsi128_si32 (_mm_srli_si128 (sad4, 8)));
    }
#endif

  for (int y = 0; y < bh; y++)
    {
      const guint8 *ra = pl->a + (gsize) (y0 + y + ay) * pl->w + x0 + ax;
      const guint8 *rb = pl->b + (gsize) (y0 + y + by) * pl->w + x0 + bx;

      for (int x = 0; x < bw; x++)
        sad += (guint32) abs ((int) ra[x] - (int) rb[x]);
    }
  return sad;
}

static inline guint32
block_sad (const Plane *pl,
           int x0, int y0, int bw, int bh,
           int ax, int ay, int bx, int by)
{
  return block_sad_strided (pl->a, pl->b, pl->w, x0, y0, bw, bh, ax, ay, bx, by);
}

static inline guint8
sample_clamped (const guint8 *plane, int w, int h, int x, int y)
{
  return plane[(gsize) CLAMP (y, 0, h - 1) * w + CLAMP (x, 0, w - 1)];
}

/* The same where a displaced block leaves the picture: outside pixels repeat the edge, so
 * content that moves out of the frame still finds its true vector rather than a stray one. */
static guint32
block_sad_clamped (const Plane *pl,
                   int x0, int y0, int bw, int bh,
                   int ax, int ay, int bx, int by)
{
  guint32 sad = 0;

  for (int y = 0; y < bh; y++)
    for (int x = 0; x < bw; x++)
      sad += (guint32) abs ((int) sample_clamped (pl->a, pl->w, pl->h, x0 + x + ax, y0 + y + ay) -
                            (int) sample_clamped (pl->b, pl->w, pl->h, x0 + x + bx, y0 + y + by));
  return sad;
}

static gboolean
in_bounds (const Plane *pl, int x0, int y0, int bw, int bh, int dx, int dy)
{
  return x0 + dx >= 0 && y0 + dy >= 0 && x0 + dx + bw <= pl->w && y0 + dy + bh <= pl->h;
}

static gboolean
in_pad (const Plane *pl, int x0, int y0, int bw, int bh, int dx, int dy)
{
  return pl->pa != NULL && x0 + dx >= -PLANE_PAD && y0 + dy >= -PLANE_PAD &&
         x0 + dx + bw <= pl->w + PLANE_PAD && y0 + dy + bh <= pl->h + PLANE_PAD;
}

/* A copy of the W×H plane P with PLANE_PAD pixels of its edge repeated around it. */
static guint8 *
pad_plane (const guint8 *p, int w, int h)
{
  int ps = w + 2 * PLANE_PAD;
  guint8 *out = g_malloc ((gsize) ps * (h + 2 * PLANE_PAD));

  for (int y = -PLANE_PAD; y < h + PLANE_PAD; y++)
    {
      const guint8 *row = p + (gsize) CLAMP (y, 0, h - 1) * w;
      guint8 *o = out + (gsize) (y + PLANE_PAD) * ps;

      memset (o, row[0], PLANE_PAD);
      memcpy (o + PLANE_PAD, row, w);
      memset (o + PLANE_PAD + w, row[w - 1], PLANE_PAD);
    }
  return out;
}

static void
plane_init (Plane        *pl,
            const guint8 *a,
            const guint8 *b,
            int           w,
            int           h,
            guint8      **pad_a,
            guint8      **pad_b)
{
  pl->a = a, pl->b = b, pl->w = w, pl->h = h;
  pl->ps = w + 2 * PLANE_PAD;
  *pad_a = pad_plane (a, w, h);
  *pad_b = pad_plane (b, w, h);
  pl->pa = *pad_a + (gsize) PLANE_PAD * pl->ps + PLANE_PAD;
  pl->pb = *pad_b + (gsize) PLANE_PAD * pl->ps + PLANE_PAD;
}

/* Matching cost of one block for vector v (bilateral: a at -v, b at +v), or G_MAXDOUBLE. */
static double
block_cost (const Plane *pl,
            int x0, int y0, int bw, int bh,
            gboolean bilateral,
            int vx, int vy)
{
  int ax = bilateral ? -vx : 0, ay = bilateral ? -vy : 0;
  double cost;

  if (in_bounds (pl, x0, y0, bw, bh, vx, vy) && in_bounds (pl, x0, y0, bw, bh, ax, ay))
    cost = block_sad (pl, x0, y0, bw, bh, ax, ay, vx, vy);
  else if (abs (vx) < pl->w && abs (vy) < pl->h)
    {
      /* The padded planes repeat the edge exactly as the clamped SAD reads it. */
      if (in_pad (pl, x0, y0, bw, bh, vx, vy) && in_pad (pl, x0, y0, bw, bh, ax, ay))
        cost = block_sad_strided (pl->pa, pl->pb, pl->ps, x0, y0, bw, bh, ax, ay, vx, vy);
      else
        cost = block_sad_clamped (pl, x0, y0, bw, bh, ax, ay, vx, vy);
    }
  else
    return G_MAXDOUBLE;
  return cost + MOTION_PENALTY * bw * bh * (abs (vx) + abs (vy));
}

/* Best displacement for one block within radius r around (cx, cy). */
static double
search_block (const Plane *pl,
              int x0, int y0, int bw, int bh,
              gboolean bilateral,
              int cx, int cy, int r,
              int *best_x, int *best_y)
{
  double best = G_MAXDOUBLE;

  *best_x = 0;
  *best_y = 0;
  /* The zero vector is tried first, so that it always has a cost to beat. */
  for (int i = -1; i < (2 * r + 1) * (2 * r + 1); i++)
    {
      int vx = i < 0 ? 0 : cx + i % (2 * r + 1) - r, vy = i < 0 ? 0 : cy + i / (2 * r + 1) - r;
      double cost;

      /* The penalty alone is no better than the best: the whole cost cannot be (exact). */
      if (MOTION_PENALTY * bw * bh * (abs (vx) + abs (vy)) >= best)
        continue;
      cost = block_cost (pl, x0, y0, bw, bh, bilateral, vx, vy);

      if (cost < best)
        {
          best = cost;
          *best_x = vx;
          *best_y = vy;
        }
    }
  return best;
}

static int
median_of (int *v, int n)
{
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && v[j - 1] > v[j]; j--)
      {
        int t = v[j];
        v[j] = v[j - 1];
        v[j - 1] = t;
      }
  return v[n / 2];
}

/* Block vectors (in small-frame pixels) from a coarse search on the half-size luma refined on
 * the small luma. Returns the number of blocks; vectors in vx/vy (caller frees). */
static int
block_motion (const AdmintSmall *a,
              const AdmintSmall *b,
              gboolean           bilateral,
              int                radius,
              int              **out_vx,
              int              **out_vy,
              int               *out_bw,
              int               *out_bh)
{
  int nbx = (a->w + BLOCK - 1) / BLOCK, nby = (a->h + BLOCK - 1) / BLOCK;
  int *vx = g_new0 (int, nbx * nby), *vy = g_new0 (int, nbx * nby);
  g_autofree double *cost = g_new0 (double, nbx * nby);
  Plane half, full;
  g_autofree guint8 *half_a = NULL, *half_b = NULL, *full_a = NULL, *full_b = NULL;
  const int hb = BLOCK / 2;

  plane_init (&half, a->half, b->half, a->hw, a->hh, &half_a, &half_b);
  plane_init (&full, a->luma, b->luma, a->w, a->h, &full_a, &full_b);

  for (int by = 0; by < nby; by++)
    for (int bx = 0; bx < nbx; bx++)
      {
        /* A partial block at the right or bottom edge is matched with a whole block's window
         * moved inwards: a few rows of pixels are too few to match reliably. */
        int x0 = MAX (0, MIN (bx * BLOCK, a->w - BLOCK)), y0 = MAX (0, MIN (by * BLOCK, a->h - BLOCK));
        int bw = MIN (BLOCK, a->w - x0), bh = MIN (BLOCK, a->h - y0);
        int hx0 = MAX (0, MIN (x0 / 2, half.w - hb)), hy0 = MAX (0, MIN (y0 / 2, half.h - hb));
        int hbw = MIN (hb, half.w - hx0), hbh = MIN (hb, half.h - hy0);
        int cvx = 0, cvy = 0, fx, fy;

        /* The coarse search is always forward (a to b): a bilateral vector is half the
         * displacement, which at half size would need half pixels. Forward at half size, the
         * displacement u gives 2u on the small frame, i.e. a bilateral vector of u. */
        if (hbw > 0 && hbh > 0)
          search_block (&half, hx0, hy0, hbw, hbh, FALSE, 0, 0, radius, &cvx, &cvy);
        if (!bilateral)
          {
            cvx *= 2;
            cvy *= 2;
          }
        cost[by * nbx + bx] = search_block (&full, x0, y0, bw, bh, bilateral, cvx, cvy,
                                            REFINE_RADIUS, &fx, &fy);
        vx[by * nbx + bx] = fx;
        vy[by * nbx + bx] = fy;
      }

  /* A block whose vector disagrees with its neighbours' median takes the median when that
   * matches nearly as well: stray vectors at the edges and in flat areas are the usual flaws
   * of block matching (a vector median filter, as in motion-compensated interpolation). */
  {
    g_autofree int *mx = g_memdup2 (vx, sizeof (int) * nbx * nby);
    g_autofree int *my = g_memdup2 (vy, sizeof (int) * nbx * nby);

    for (int by = 0; by < nby; by++)
      for (int bx = 0; bx < nbx; bx++)
        {
          int i = by * nbx + bx, n = 0, cx[9], cy[9], medx, medy;
          int x0 = MAX (0, MIN (bx * BLOCK, a->w - BLOCK)), y0 = MAX (0, MIN (by * BLOCK, a->h - BLOCK));
          int bw = MIN (BLOCK, a->w - x0), bh = MIN (BLOCK, a->h - y0);

          for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
              if (bx + dx >= 0 && bx + dx < nbx && by + dy >= 0 && by + dy < nby)
                {
                  cx[n] = mx[(by + dy) * nbx + bx + dx];
                  cy[n++] = my[(by + dy) * nbx + bx + dx];
                }
          medx = median_of (cx, n);
          medy = median_of (cy, n);
          if ((medx != vx[i] || medy != vy[i]) &&
              block_cost (&full, x0, y0, bw, bh, bilateral, medx, medy) <= 1.5 * cost[i] + bw * bh)
            {
              vx[i] = medx;
              vy[i] = medy;
            }
        }
  }
  *out_vx = vx;
  *out_vy = vy;
  *out_bw = nbx;
  *out_bh = nby;
  return nbx * nby;
}

typedef struct {
  double mag;
  int    pixels;
} BlockMag;

static int
compare_mag_desc (gconstpointer pa, gconstpointer pb)
{
  const BlockMag *a = pa, *b = pb;
  return (a->mag < b->mag) - (a->mag > b->mag);
}

double
admint_small_flow_top5 (const AdmintSmall *a,
                        const AdmintSmall *b)
{
  g_autofree int *vx = NULL, *vy = NULL;
  g_autofree BlockMag *mags = NULL;
  int nbx, nby, n;
  gint64 cut, taken = 0;
  double sum = 0;

  g_assert (a->w == b->w && a->h == b->h);
  n = block_motion (a, b, FALSE, FLOW_RADIUS, &vx, &vy, &nbx, &nby);
  mags = g_new (BlockMag, n);
  for (int by = 0; by < nby; by++)
    for (int bx = 0; bx < nbx; bx++)
      {
        int i = by * nbx + bx;

        /* Back to full-resolution pixels: VBench thresholds flow on the original frames. */
        mags[i].mag = hypot (vx[i], vy[i]) * a->factor;
        mags[i].pixels = MIN (BLOCK, a->w - bx * BLOCK) * MIN (BLOCK, a->h - by * BLOCK);
      }
  qsort (mags, n, sizeof (BlockMag), compare_mag_desc);
  /* VBench: the mean of the int(H*W*0.05) largest per-pixel magnitudes. */
  cut = MAX (1, (gint64) ((double) a->w * a->h * 0.05));
  for (int i = 0; i < n && taken < cut; i++)
    {
      gint64 take = MIN ((gint64) mags[i].pixels, cut - taken);

      sum += mags[i].mag * take;
      taken += take;
    }
  return sum / cut;
}

double
admint_small_interpolation_mae (const AdmintSmall *prev,
                                const AdmintSmall *mid,
                                const AdmintSmall *next)
{
  g_autofree int *vx = NULL, *vy = NULL;
  int nbx, nby;
  guint64 err = 0;
  const int w = mid->w;

  g_assert (prev->w == next->w && prev->w == mid->w && prev->h == mid->h);
  block_motion (prev, next, TRUE, INTERP_RADIUS, &vx, &vy, &nbx, &nby);
  for (int y = 0; y < mid->h; y++)
    {
      const int *rvx = vx + (y / BLOCK) * nbx, *rvy = vy + (y / BLOCK) * nbx;
      const guint8 *truth = mid->bgr + (gsize) y * w * 3;

      for (int x = 0; x < w; x++)
        {
          int dx = rvx[x / BLOCK], dy = rvy[x / BLOCK];
          int xa = x - dx, ya = y - dy, xb = x + dx, yb = y + dy;
          gboolean in_a = xa >= 0 && xa < w && ya >= 0 && ya < mid->h;
          gboolean in_b = xb >= 0 && xb < w && yb >= 0 && yb < mid->h;
          const guint8 *pa, *pb;

          /* Where one side falls outside the picture (content entering or leaving), the other
           * side alone re-creates the pixel, as an interpolator handles occlusion. */
          if (in_a && !in_b)
            xb = xa, yb = ya;
          else if (in_b && !in_a)
            xa = xb, ya = yb;
          xa = CLAMP (xa, 0, w - 1), ya = CLAMP (ya, 0, mid->h - 1);
          xb = CLAMP (xb, 0, w - 1), yb = CLAMP (yb, 0, mid->h - 1);
          pa = prev->bgr + ((gsize) ya * w + xa) * 3;
          pb = next->bgr + ((gsize) yb * w + xb) * 3;

          for (int c = 0; c < 3; c++)
            {
              int v = (pa[c] + pb[c] + 1) >> 1;
              err += (guint64) abs (v - (int) truth[x * 3 + c]);
            }
        }
    }
  return (double) err / ((double) w * mid->h * 3);
}

/* ---- imaging quality ---- */

#define IQ_MAX_SIDE 512

double
admint_score_imaging_raw (const guint8 *pixels,
                          int           width,
                          int           height,
                          int           rowstride,
                          int           n_channels,
                          gboolean      bgr_order)
{
  /* Like MUSIQ in VBench, look at the picture with its longer side at most 512 pixels. */
  int f = MAX (1, (MAX (width, height) + IQ_MAX_SIDE - 1) / IQ_MAX_SIDE);
  int w = MAX (1, width / f), h = MAX (1, height / f);
  g_autofree float *l = g_new (float, (gsize) w * h);
  const int ri = bgr_order ? 2 : 0, bi = bgr_order ? 0 : 2;
  double sum = 0, sum2 = 0, lap = 0, lap2 = 0, noise = 0;
  gint64 clipped = 0, nlap = 0;
  double mean, std, lap_var, sigma, sharp_var, sharp, nz, ex, ct, q;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double acc = 0;

        for (int fy = 0; fy < f; fy++)
          {
            const guint8 *p = pixels + (gsize) (y * f + fy) * rowstride + (gsize) x * f * n_channels;

            for (int fx = 0; fx < f; fx++, p += n_channels)
              acc += 0.299 * p[ri] + 0.587 * p[1] + 0.114 * p[bi];
          }
        acc /= (double) f * f;
        l[y * w + x] = (float) acc;
        sum += acc;
        sum2 += acc * acc;
        if (acc <= 4 || acc >= 251)
          clipped++;
      }

  /* Noise is measured where the picture is flat, as Tai and Yang (2008) do: edges would
   * otherwise pass for noise. "Flat" is the lower 60 % of Sobel magnitudes. */
  if (w > 2 && h > 2)
    {
      guint hist[1024] = { 0 };
      g_autofree guint16 *sobel = g_new0 (guint16, (gsize) w * h);
      guint64 inner = (guint64) (w - 2) * (h - 2), seen = 0;
      guint limit = 0;
      gint64 nflat = 0;

      for (int y = 1; y + 1 < h; y++)
        for (int x = 1; x + 1 < w; x++)
          {
            const float *c = l + y * w + x;
            double gx = (c[-w + 1] + 2 * c[1] + c[w + 1]) - (c[-w - 1] + 2 * c[-1] + c[w - 1]);
            double gy = (c[w - 1] + 2 * c[w] + c[w + 1]) - (c[-w - 1] + 2 * c[-w] + c[-w + 1]);
            guint m = MIN (1023, (guint) (sqrt (gx * gx + gy * gy) / 2));
            double lp = 4 * c[0] - c[-1] - c[1] - c[-w] - c[w];

            sobel[y * w + x] = (guint16) m;
            hist[m]++;
            lap += lp;
            lap2 += lp * lp;
            nlap++;
          }
      while (limit < 1023 && seen + hist[limit] <= inner * 6 / 10)
        seen += hist[limit++];
      for (int y = 1; y + 1 < h; y++)
        for (int x = 1; x + 1 < w; x++)
          if (sobel[y * w + x] <= limit)
            {
              const float *c = l + y * w + x;
              /* Immerkaer (1996): a mask that cancels smooth structure and keeps noise. */
              double im = 4 * c[0] - 2 * (c[-1] + c[1] + c[-w] + c[w]) +
                          (c[-w - 1] + c[-w + 1] + c[w - 1] + c[w + 1]);

              noise += fabs (im);
              nflat++;
            }
      noise = nflat > 0 ? noise / nflat : 0;
    }

  mean = sum / ((double) w * h);
  std = sqrt (MAX (0, sum2 / ((double) w * h) - mean * mean));
  if (nlap > 0)
    {
      lap_var = MAX (0, lap2 / nlap - (lap / nlap) * (lap / nlap));
      sigma = sqrt (G_PI / 2) * noise / 6.0;
    }
  else
    lap_var = sigma = 0;

  /* The Laplacian of white noise has variance 20 sigma^2: take it out of the sharpness. */
  sharp_var = MAX (0, lap_var - 20 * sigma * sigma);
  /* On a log scale: variance 10 (a soft blur) scores 0, 100 0.4, 1000 0.8, 3000 and up 1. */
  sharp = clamp01 ((log10 (1.0 + sharp_var) - 1.0) / 2.5);
  nz = clamp01 (1.0 - (sigma - 1.5) / 12.0);
  ex = sqrt (clamp01 (1.0 - 2.0 * fabs (mean / 255.0 - 0.5))) * (1.0 - (double) clipped / ((double) w * h));
  ct = clamp01 (std / 60.0);
  q = (0.55 * sharp + 0.25 * ex + 0.20 * ct) * (0.4 + 0.6 * nz);
  g_debug ("imaging %dx%d at %dx%d: laplacian var %.1f, noise sigma %.2f, mean %.1f, std %.1f "
           "-> sharpness %.2f noise %.2f exposure %.2f contrast %.2f q %.3f",
           width, height, w, h, lap_var, sigma, mean, std, sharp, nz, ex, ct, q);
  return clamp01 (q);
}
