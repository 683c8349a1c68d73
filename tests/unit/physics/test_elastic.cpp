#include <gtest/gtest.h>

#include <cmath>

#include "csd/physics/elastic.h"
#include "physics_fields.h"

namespace csd::physics {
namespace {

using csd::test::kPi;

TEST(TraceB, PaperValuesAlongSoftAndHardDirections) {
  const Params p;
  EXPECT_NEAR(trace_b(1, 0, p), 2.25e4, 2.25e4 * 1e-6);
  EXPECT_NEAR(trace_b(0, 1, p), 2.25e4, 2.25e4 * 1e-6);
  // ⟨11⟩: 2(C11+C12) − (C11+C12)²/((C11+C12)/2 + C44) = 9e4 − 2.025e9/5.25e4 = 3.6e5/7
  EXPECT_NEAR(trace_b(1, 1, p), 3.6e5 / 7.0, 3.6e5 / 7.0 * 1e-6);
  EXPECT_NEAR(trace_b(1, 1, p), 5.142857e4, 5.142857e4 * 1e-6);
}

TEST(TraceB, ZeroVectorGivesZeroAndLengthDoesNotMatter) {
  const Params p;
  EXPECT_EQ(trace_b(0, 0, p), 0.0);
  EXPECT_NEAR(trace_b(3, 4, p), trace_b(0.6, 0.8, p), 1e-9);
  EXPECT_NEAR(trace_b(1e-9, 2e-9, p), trace_b(1, 2, p), 1e-9);
}

TEST(TraceB, InvariantUnderTheSquaresSymmetries) {
  const Params p;
  for (double theta = 0.0; theta < 2 * kPi; theta += 0.173) {
    const double nx = std::cos(theta), ny = std::sin(theta);
    const double ref = trace_b(nx, ny, p);
    EXPECT_NEAR(trace_b(-ny, nx, p), ref, 1e-9 * ref);  // 90° rotation
    EXPECT_NEAR(trace_b(-nx, ny, p), ref, 1e-9 * ref);  // mirror x
    EXPECT_NEAR(trace_b(ny, nx, p), ref, 1e-9 * ref);   // mirror across the diagonal
  }
}

TEST(TraceB, IsotropicCrystalHasNoPreferredDirection) {
  // Zener ratio 1 (C12 = C11 − 2 C44): tr B = 4 (λ+μ) μ / (λ+2μ) with λ = C12, μ = C44.
  Params p;
  p.c11 = 3.0e4;
  p.c44 = 1.0e4;
  p.c12 = p.c11 - 2 * p.c44;
  const double lambda = p.c12, mu = p.c44;
  const double expected = 4 * (lambda + mu) * mu / (lambda + 2 * mu);
  for (double theta = 0.0; theta < kPi; theta += 0.31)
    EXPECT_NEAR(trace_b(std::cos(theta), std::sin(theta), p), expected, 1e-9 * expected);
}

TEST(MinTraceB, PaperConstantsHaveTheMinimumAlong10) {
  const Params p;
  EXPECT_NEAR(min_trace_b(p), 2.25e4, 2.25e4 * 1e-9);
  for (double theta = 0.0; theta < kPi; theta += 0.01)
    EXPECT_GE(trace_b(std::cos(theta), std::sin(theta), p), min_trace_b(p) - 1e-6);
}

TEST(MinTraceB, ReversedAnisotropyMovesTheMinimumTo11) {
  // Zener ratio 2 C44/(C11−C12) < 1: now ⟨11⟩ is the soft direction.
  Params p;
  p.c11 = 3.0e4;
  p.c12 = 1.0e4;
  p.c44 = 0.4e4;
  EXPECT_LT(trace_b(1, 1, p), trace_b(1, 0, p));
  EXPECT_NEAR(min_trace_b(p), trace_b(1, 1, p), 1e-9 * trace_b(1, 1, p));
}

TEST(WaveNumber, FftOrderWithNyquistPositive) {
  const double h = 0.5;
  EXPECT_EQ(wave_number(0, 8, h), 0.0);
  EXPECT_NEAR(wave_number(1, 8, h), 2 * kPi / 4.0, 1e-15);
  EXPECT_NEAR(wave_number(4, 8, h), 2 * kPi * 4 / 4.0, 1e-14);  // Nyquist k = +N/2
  EXPECT_NEAR(wave_number(5, 8, h), -2 * kPi * 3 / 4.0, 1e-14);
  EXPECT_NEAR(wave_number(7, 8, h), -2 * kPi / 4.0, 1e-15);
  EXPECT_NEAR(wave_number(3, 7, 1.0), 2 * kPi * 3 / 7.0, 1e-15);  // odd N: no Nyquist
  EXPECT_NEAR(wave_number(4, 7, 1.0), -2 * kPi * 3 / 7.0, 1e-15);
}

TEST(TraceBGrid, HalfSpectrumLayoutMatchesPointwiseValues) {
  const Params p;
  const int n = 8, half = n / 2 + 1;
  const auto grid = trace_b_grid(n, p);
  ASSERT_EQ(grid.size(), static_cast<std::size_t>(n * half));
  EXPECT_EQ(grid[0], 0.0);
  for (int iy = 0; iy < n; ++iy) {
    for (int ix = 0; ix < half; ++ix) {
      const double qx = wave_number(ix, n, 1.0), qy = wave_number(iy, n, 1.0);
      EXPECT_DOUBLE_EQ(grid[iy * half + ix], trace_b(qx, qy, p)) << iy << "," << ix;
    }
  }
  EXPECT_NEAR(grid[1 * half + 1], trace_b(1, 1, p), 1e-9);        // (kx, ky) = (1, 1)
  EXPECT_NEAR(grid[(n - 1) * half + 1], trace_b(1, 1, p), 1e-9);  // (1, −1) by symmetry
  EXPECT_NEAR(grid[0 * half + 3], 2.25e4, 1e-9);                  // along x
}

}  // namespace
}  // namespace csd::physics
