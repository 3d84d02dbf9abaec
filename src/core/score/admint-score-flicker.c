/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VBench's temporal flickering, bit for bit: numpy (< 2.0) float32 means in numpy's own order. */
#define G_LOG_DOMAIN "admint-score"

#include "config.h"

#include <stdlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "admint-score.h"
#include "admint-score-private.h"

/* numpy's reduction hands its inner loop at most this many elements at a time (the iterator's
 * buffer size); each run is summed pairwise and added to the running float32 total. */
#define NPY_BUFSIZE 8192
/* numpy's pairwise summation switches to its 8-way unrolled loop at or below this length. */
#define PW_BLOCKSIZE 128

/* The 8-accumulator leaf of numpy's pairwise_sum for 8 <= n <= 128, on |a - b| of bytes. */
static float
absdiff_leaf (const guint8 *a,
              const guint8 *b,
              gsize         n)
{
  float r[8];
  gsize i;
  float res;

#ifdef __SSE2__
  {
    const __m128i zero = _mm_setzero_si128 ();
    __m128 lo = _mm_setzero_ps (), hi = _mm_setzero_ps ();

    /* r[j] starts at element j and then adds a[i + j] for i = 8, 16…: an 8-lane vector sum. */
    for (i = 0; i + 8 <= n; i += 8)
      {
        __m128i va = _mm_loadl_epi64 ((const __m128i *) (a + i));
        __m128i vb = _mm_loadl_epi64 ((const __m128i *) (b + i));
        __m128i d = _mm_sub_epi8 (_mm_max_epu8 (va, vb), _mm_min_epu8 (va, vb));
        __m128i d16 = _mm_unpacklo_epi8 (d, zero);
        __m128 f_lo = _mm_cvtepi32_ps (_mm_unpacklo_epi16 (d16, zero));
        __m128 f_hi = _mm_cvtepi32_ps (_mm_unpackhi_epi16 (d16, zero));

        lo = _mm_add_ps (lo, f_lo);
        hi = _mm_add_ps (hi, f_hi);
      }
    _mm_storeu_ps (r, lo);
    _mm_storeu_ps (r + 4, hi);
  }
#else
  for (int j = 0; j < 8; j++)
    r[j] = 0.0f;
  for (i = 0; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; j++)
      r[j] += (float) abs ((int) a[i + j] - (int) b[i + j]);
#endif

  res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
  for (; i < n; i++)
    res += (float) abs ((int) a[i] - (int) b[i]);
  return res;
}

static float
absdiff_pairwise (const guint8 *a,
                  const guint8 *b,
                  gsize         n)
{
  if (n < 8)
    {
      float res = 0.0f;

      for (gsize i = 0; i < n; i++)
        res += (float) abs ((int) a[i] - (int) b[i]);
      return res;
    }
  else if (n <= PW_BLOCKSIZE)
    return absdiff_leaf (a, b, n);
  else
    {
      gsize n2 = n / 2;

      n2 -= n2 % 8;
      return absdiff_pairwise (a, b, n2) + absdiff_pairwise (a + n2, b + n2, n - n2);
    }
}

float
admint_score_mean_absdiff_f32 (const guint8 *a,
                               const guint8 *b,
                               gsize         n)
{
  float total = 0.0f;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0f);
  g_return_val_if_fail (n > 0, 0.0f);

  for (gsize off = 0; off < n; off += NPY_BUFSIZE)
    total += absdiff_pairwise (a + off, b + off, MIN (NPY_BUFSIZE, n - off));

  /* numpy divides the float32 sum by the count and casts back to float32; a float32 divided
   * in double and rounded once equals the correctly rounded float32 quotient. */
  return (float) ((double) total / (double) n);
}

float
admint_score_pairwise_sum_f32 (const float *values,
                               gsize        n)
{
  if (n < 8)
    {
      float res = 0.0f;

      for (gsize i = 0; i < n; i++)
        res += values[i];
      return res;
    }
  else if (n <= PW_BLOCKSIZE)
    {
      float r[8], res;
      gsize i;

      for (int j = 0; j < 8; j++)
        r[j] = values[j];
      for (i = 8; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
          r[j] += values[i + j];
      res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++)
        res += values[i];
      return res;
    }
  else
    {
      gsize n2 = n / 2;

      n2 -= n2 % 8;
      return admint_score_pairwise_sum_f32 (values, n2) +
             admint_score_pairwise_sum_f32 (values + n2, n - n2);
    }
}

double
admint_score_flicker_from_means (const float *means,
                                 gsize        n_means)
{
  float total = 0.0f, mean;

  g_assert (n_means > 0);

  for (gsize off = 0; off < n_means; off += NPY_BUFSIZE)
    total += admint_score_pairwise_sum_f32 (means + off, MIN (NPY_BUFSIZE, n_means - off));
  mean = (float) ((double) total / (double) n_means);
  /* VBench: (255.0 - np.mean(score_seq).item()) / 255.0, in Python floats. */
  return (255.0 - (double) mean) / 255.0;
}

double
admint_score_temporal_flickering_frames (const guint8 * const *frames,
                                         guint                 n_frames,
                                         int                   width,
                                         int                   height)
{
  g_autofree float *means = NULL;
  gsize n;

  g_return_val_if_fail (frames != NULL, -1.0);
  g_return_val_if_fail (width > 0 && height > 0, -1.0);

  if (n_frames < 2)
    return -1.0;

  n = (gsize) width * (gsize) height * 3;
  means = g_new (float, n_frames - 1);
  for (guint t = 0; t + 1 < n_frames; t++)
    means[t] = admint_score_mean_absdiff_f32 (frames[t], frames[t + 1], n);
  return admint_score_flicker_from_means (means, n_frames - 1);
}
