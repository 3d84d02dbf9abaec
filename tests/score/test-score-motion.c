/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The classical stand-ins on pictures with known motion: flow size, interpolation, consistency. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "admint-score-private.h"
#include "admint-test-util.h"

/* Value noise: a smooth random texture defined everywhere, so a frame can be any shift of it. */
static double
lattice (int x, int y, guint32 seed)
{
  guint32 h = (guint32) x * 374761393u + (guint32) y * 668265263u + seed * 2246822519u;

  h = (h ^ (h >> 13)) * 1274126177u;
  return (h ^ (h >> 16)) / 4294967296.0;
}

static double
value_noise (double x, double y, double cell, guint32 seed)
{
  double gx = floor (x / cell), gy = floor (y / cell);
  double fx = x / cell - gx, fy = y / cell - gy;
  double a = lattice ((int) gx, (int) gy, seed), b = lattice ((int) gx + 1, (int) gy, seed);
  double c = lattice ((int) gx, (int) gy + 1, seed), d = lattice ((int) gx + 1, (int) gy + 1, seed);

  fx = fx * fx * (3 - 2 * fx);
  fy = fy * fy * (3 - 2 * fy);
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

/* A width x height BGR frame of the texture moved by (ox, oy). */
static guint8 *
textured_frame (int width, int height, int ox, int oy)
{
  guint8 *bgr = g_malloc ((gsize) width * height * 3);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        {
          double sx = x - ox, sy = y - oy;
          double v = 0.6 * value_noise (sx, sy, 24, c) + 0.4 * value_noise (sx, sy, 6, c + 7);

          bgr[((gsize) y * width + x) * 3 + c] = (guint8) CLAMP (v * 255, 0, 255);
        }
  return bgr;
}

static void
test_flow_magnitude (void)
{
  const int w = 1280, h = 720;
  g_autofree guint8 *f0 = textured_frame (w, h, 0, 0);
  g_autofree guint8 *f1 = textured_frame (w, h, 16, 8);
  int factor = admint_score_small_factor (w, h);
  AdmintSmall *a, *b, *c;
  double top5;

  g_assert_cmpint (factor, ==, 4);
  a = admint_small_new (f0, w, h, factor, 0);
  b = admint_small_new (f1, w, h, factor, 1);
  c = admint_small_new (f0, w, h, factor, 2);
  g_assert_cmpint (a->w, ==, 320);
  g_assert_cmpint (a->h, ==, 180);

  /* Measured on the reduced frames, reported in pixels of the original ones. */
  top5 = admint_small_flow_top5 (a, b);
  g_assert_cmpfloat_with_epsilon (top5, hypot (16, 8), 1e-9);
  g_assert_cmpfloat (admint_small_flow_top5 (a, c), ==, 0.0);

  admint_small_unref (a);
  admint_small_unref (b);
  admint_small_unref (c);
}

static void
test_interpolation (void)
{
  const int w = 640, h = 360;
  g_autofree guint8 *f0 = textured_frame (w, h, 0, 0);
  g_autofree guint8 *f1 = textured_frame (w, h, 4, -2);
  g_autofree guint8 *f2 = textured_frame (w, h, 8, -4);
  int factor = admint_score_small_factor (w, h);
  AdmintSmall *a = admint_small_new (f0, w, h, factor, 0);
  AdmintSmall *b = admint_small_new (f1, w, h, factor, 1);
  AdmintSmall *c = admint_small_new (f2, w, h, factor, 2);
  double mae, plain = 0;

  /* Plain averaging of the neighbours, for comparison. */
  for (int i = 0; i < b->w * b->h * 3; i++)
    plain += abs (((a->bgr[i] + c->bgr[i] + 1) >> 1) - b->bgr[i]);
  plain /= b->w * b->h * 3;

  mae = admint_small_interpolation_mae (a, b, c);
  g_assert_cmpfloat (mae, <, 1.0);
  g_assert_cmpfloat (mae, <, plain / 4);
  /* A still sequence is re-created exactly. */
  g_assert_cmpfloat (admint_small_interpolation_mae (a, a, a), ==, 0.0);

  admint_small_unref (a);
  admint_small_unref (b);
  admint_small_unref (c);
}

static void
test_consistency_formula (void)
{
  /* VBench: frame 1 is unlike both neighbours (0), frame 2 like its previous only (0.5). */
  const float descs[] = { 1, 0, 0, 1, 0, 1 };
  const float same[] = { 0.6f, 0.8f, 0.6f, 0.8f, 0.6f, 0.8f };
  const float opposite[] = { 1, 0, -1, 0 };

  g_assert_cmpfloat_with_epsilon (admint_score_consistency (descs, 3, 2), 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (admint_score_consistency (same, 3, 2), 1.0, 1e-6);
  /* Negative similarities count as 0, as VBench's max(0, cos). */
  g_assert_cmpfloat_with_epsilon (admint_score_consistency (opposite, 2, 2), 0.0, 1e-12);
  g_assert_cmpfloat (admint_score_consistency (descs, 1, 2), ==, 1.0);
}

static void
test_descriptors (void)
{
  const int w = 640, h = 360;
  g_autofree guint8 *f0 = textured_frame (w, h, 0, 0);
  g_autofree guint8 *f1 = textured_frame (w, h, 6, 0);
  g_autofree guint8 *other = textured_frame (w, h, 5000, 3000);
  AdmintSmall *s[3];
  float subject[3][ADMINT_SUBJECT_DESC_LEN], background[3][ADMINT_BACKGROUND_DESC_LEN];
  double aesthetic;
  double bg_near = 0, bg_far = 0;

  s[0] = admint_small_new (f0, w, h, 2, 0);
  s[1] = admint_small_new (f1, w, h, 2, 1);
  s[2] = admint_small_new (other, w, h, 2, 2);
  for (int i = 0; i < 3; i++)
    {
      double norm = 0;

      admint_small_describe (s[i], subject[i], background[i], &aesthetic);
      for (int k = 0; k < ADMINT_SUBJECT_DESC_LEN; k++)
        norm += subject[i][k] * subject[i][k];
      g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-5);
      g_assert_cmpfloat (aesthetic, >=, 0.0);
      g_assert_cmpfloat (aesthetic, <=, 1.0);
    }
  for (int k = 0; k < ADMINT_BACKGROUND_DESC_LEN; k++)
    {
      bg_near += background[0][k] * background[1][k];
      bg_far += background[0][k] * background[2][k];
    }
  /* A small pan keeps the background; a different place does not. */
  g_assert_cmpfloat (bg_near, >, bg_far + 0.1);
  for (int i = 0; i < 3; i++)
    admint_small_unref (s[i]);
}

int
main (int argc, char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/score/motion/flow-magnitude", test_flow_magnitude);
  g_test_add_func ("/score/motion/interpolation", test_interpolation);
  g_test_add_func ("/score/motion/consistency-formula", test_consistency_formula);
  g_test_add_func ("/score/motion/descriptors", test_descriptors);
  return g_test_run ();
}
