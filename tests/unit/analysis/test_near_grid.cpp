// Near-grid band rms (csd/analysis/near_grid.h) on hand-built fields whose band content
// is known: a checkerboard sits at λ = 8, smooth cosines far below λ = 4.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analytic_fields.h"
#include "csd/analysis/near_grid.h"
#include "csd/core/error.h"

namespace csd::analysis {
namespace {

using testing::Frame;
using testing::kPi;
using testing::make_frame;

/// a·cos(2π(kx·x + ky·y)/N): a single mode pair of rms a/√2.
double wave(double a, int kx, int ky, int n, double y, double x) {
  return a * std::cos(2 * kPi * (kx * x + ky * y) / n);
}

double checkerboard(double a, double y, double x) {
  return (static_cast<long>(x + y) % 2 == 0) ? a : -a;
}

TEST(LaplacianEigenvalue, IsZeroForTheMeanEightForTheCheckerboard) {
  EXPECT_EQ(laplacian_eigenvalue(0, 0, 16), 0.0);
  EXPECT_NEAR(laplacian_eigenvalue(8, 8, 16), 8.0, 1e-12);
  EXPECT_NEAR(laplacian_eigenvalue(8, 0, 16), 4.0, 1e-12);
  EXPECT_NEAR(laplacian_eigenvalue(4, 4, 16), 4.0, 1e-12);
  // Odd N: no Nyquist mode; (5, 5) of 15 has λ = 8 sin²(π/3) = 6.
  EXPECT_NEAR(laplacian_eigenvalue(5, 5, 15), 6.0, 1e-12);
  // Symmetric under k → N − k (conjugate twins have the same λ).
  EXPECT_NEAR(laplacian_eigenvalue(3, 11, 15), laplacian_eigenvalue(12, 4, 15), 1e-12);
}

TEST(NearGridRms, ACheckerboardIsAllNearGridItsRmsIsTheAmplitude) {
  for (int n : {16, 24, 10}) {
    for (double a : {0.3, 0.01}) {
      const Frame f = make_frame(n, [&](double y, double x) { return checkerboard(a, y, x); });
      EXPECT_NEAR(near_grid_rms(f.data(), n), a, 1e-7 * a) << "n = " << n;
    }
  }
}

TEST(NearGridRms, SmoothFieldsAndTheMeanHaveNone) {
  const int n = 32;
  // λ(2, 0) = 4 sin²(π/16) ≈ 0.15 and λ(3, 5) ≈ 1.2: far below 4.
  const Frame smooth = make_frame(n, [&](double y, double x) {
    return 0.5 + wave(0.4, 2, 0, n, y, x) + wave(0.1, 3, 5, n, y, x);
  });
  EXPECT_NEAR(near_grid_rms(smooth.data(), n), 0.0, 1e-6);
  const Frame constant = make_frame(n, [](double, double) { return 0.7; });
  EXPECT_NEAR(near_grid_rms(constant.data(), n), 0.0, 1e-9);
}

TEST(NearGridRms, ASumKeepsOnlyItsNearGridPartsInQuadrature) {
  // N = 16: checkerboard (λ = 8) of amplitude a, the band-edge mode (4, 4) (λ = 4,
  // inside) of amplitude b, a smooth mode (1, 2) (λ ≈ 0.74, outside) of amplitude c:
  // band rms = sqrt(a² + b²/2), whatever c and the mean.
  const int n = 16;
  const double a = 0.05, b = 0.08, c = 0.4;
  const Frame f = make_frame(n, [&](double y, double x) {
    return 0.5 + checkerboard(a, y, x) + wave(b, 4, 4, n, y, x) + wave(c, 1, 2, n, y, x);
  });
  EXPECT_NEAR(near_grid_rms(f.data(), n), std::sqrt(a * a + b * b / 2), 1e-7);
}

TEST(NearGridRms, WorksOnOddGridsAndRespectsTheBandEdges) {
  // N = 15 (no power of two, no Nyquist mode): (5, 5) has λ = 6 and (7, 2) λ ≈ 4.63 (in);
  // (7, 0) has λ ≈ 3.96 and (6, 0) λ ≈ 3.62 (out).
  const int n = 15;
  const double b = 0.1, d = 0.03;
  const Frame f = make_frame(n, [&](double y, double x) {
    return 0.4 + wave(b, 5, 5, n, y, x) + wave(d, 7, 2, n, y, x) + wave(0.2, 7, 0, n, y, x) +
           wave(0.2, 6, 0, n, y, x);
  });
  EXPECT_NEAR(near_grid_rms(f.data(), n), std::sqrt((b * b + d * d) / 2), 1e-7);
}

TEST(NearGridRms, TheWholeSpectrumIsTheFieldsRms) {
  // Band [0, 8] holds every mode: Parseval gives back sqrt(⟨φ²⟩) of any field.
  const int n = 21;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const Frame f = make_frame(n, [&](double, double) { return u(rng); });
  double sum = 0;
  for (float v : f) sum += double(v) * v;
  const LaplacianBand all(n, 0.0, 8.0);
  EXPECT_NEAR(all(f.data()), std::sqrt(sum / (n * n)), 1e-12);
}

TEST(NearGridRms, FieldOverloadMatchesTheFrameAndChecksTheShape) {
  const int n = 12;
  const Frame f = make_frame(n, [&](double y, double x) {
    return 0.5 + checkerboard(0.2, y, x) + wave(0.3, 1, 1, n, y, x);
  });
  Field field(n, n);
  for (int i = 0; i < n * n; ++i) field.data()[i] = f[i];
  const LaplacianBand band(n);
  EXPECT_EQ(band.n(), n);
  EXPECT_NEAR(band(field), band(f.data()), 1e-15);
  EXPECT_NEAR(near_grid_rms(field), 0.2, 1e-7);
  EXPECT_THROW(band(Field(n, n + 1)), Error);
  EXPECT_THROW(near_grid_rms(Field(n, n + 1)), Error);
  EXPECT_THROW(LaplacianBand(0), Error);
  EXPECT_THROW(LaplacianBand(8, 5.0, 4.0), Error);
}

}  // namespace
}  // namespace csd::analysis
