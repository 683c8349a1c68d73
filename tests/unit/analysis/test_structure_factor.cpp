// Structure factor, L = 2π/k₁ and the ⟨10⟩/⟨11⟩ anisotropy (csd/analysis/structure_factor.h)
// on fields whose spectrum is known: single Fourier modes, sinusoidal stripes, white noise.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>
#include <numeric>
#include <random>

#include "analytic_fields.h"
#include "csd/analysis/structure_factor.h"
#include "error_capture.h"

namespace csd::analysis {
namespace {

using testing::Frame;
using testing::kPi;
using testing::make_frame;

/// mean + a·cos(2π(kx·x + ky·y)/N): one mode pair, variance a²/2, |k| = hypot(kx, ky).
Frame mode(int n, int kx, int ky, double a, double mean = 0.5) {
  return make_frame(n, [=](double y, double x) {
    return mean + a * std::cos(2 * kPi * (kx * x + ky * y) / n);
  });
}

double variance(const Frame& f) {
  double mean = std::accumulate(f.begin(), f.end(), 0.0) / f.size(), var = 0;
  for (float v : f) var += (v - mean) * (v - mean);
  return var / f.size();
}

Frame white_noise(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  return make_frame(n, [&](double, double) { return u(rng); });
}

/// ½ + Σ of 200 plane waves of wave number k (in units of 2π/N), random phases, with
/// directions centre + m·90° + uniform(−10°, 10°).
Frame plane_waves(int n, double k, double centre, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> spread(-kPi / 18, kPi / 18), phase(0, 2 * kPi);
  std::uniform_int_distribution<int> quarter(0, 3);
  std::vector<std::array<double, 3>> waves(200);
  for (auto& w : waves) {
    const double theta = centre + spread(rng) + quarter(rng) * kPi / 2;
    w = {std::cos(theta), std::sin(theta), phase(rng)};
  }
  return make_frame(n, [&](double y, double x) {
    double sum = 0;
    for (const auto& [cx, cy, p] : waves) sum += std::cos(2 * kPi * k * (cx * x + cy * y) / n + p);
    return 0.5 + 0.01 * sum;
  });
}

TEST(StructureFactor, ASingleModePeaksAtItsWaveNumber) {
  // (3, 4) and (5, 0) have |k| = 5; (2, 7) of N = 15 is an odd grid without Nyquist mode.
  for (const auto& [n, kx, ky] : {std::array{64, 3, 4}, std::array{48, 5, 0},
                                  std::array{15, 2, 7}, std::array{100, 0, 9}}) {
    const double a = 0.2, k = std::hypot(kx, ky);
    const Frame f = mode(n, kx, ky, a);
    const StructureFactor sf(n);
    const RadialProfile s = sf.radial(f.data());
    const int peak = static_cast<int>(std::floor(k + 0.5));
    for (int b = 0; b < sf.shells(); ++b)
      EXPECT_NEAR(s.power[b], b == peak ? a * a / 2 : 0.0, 1e-7) << "N " << n << " shell " << b;
    EXPECT_NEAR(s.q[peak], 2 * kPi * peak / n, 1e-12);
    const SpectralMoments m = sf.moments(f.data());
    EXPECT_NEAR(m.k1, 2 * kPi * k / n, 1e-9) << "N " << n;
    EXPECT_NEAR(m.k2, std::pow(2 * kPi * k / n, 2), 1e-9);
    EXPECT_NEAR(m.length, n / k, 1e-6);
  }
}

TEST(StructureFactor, ParsevalThePowerSumsToTheVariance) {
  for (const int n : {8, 9, 32, 45}) {
    const Frame f = white_noise(n, 7u + n);
    const StructureFactor sf(n);
    const RadialProfile s = sf.radial(f.data());
    double power = 0, from_means = 0;
    int modes = 0;
    for (int b = 0; b < sf.shells(); ++b) {
      power += s.power[b];
      from_means += s.mean[b] * s.modes[b];
      modes += s.modes[b];
    }
    EXPECT_NEAR(power, variance(f), 1e-9) << "N " << n;
    EXPECT_NEAR(from_means, variance(f), 1e-9) << "N " << n;
    EXPECT_EQ(modes, n * n) << "every mode is in exactly one shell";
    EXPECT_NEAR(sf.moments(f.data()).variance, variance(f), 1e-9);
    EXPECT_EQ(s.power[0], 0.0) << "the mean carries no structure";
  }
}

TEST(StructureFactor, SinusoidalStripesOfPeriodPHaveLengthP) {
  // P divides N: exact. P does not divide N: the spectrum leaks, L within one shell.
  for (const auto& [n, period] : {std::pair{128, 16.0}, std::pair{96, 24.0},
                                  std::pair{100, 12.0}, std::pair{90, 17.0}}) {
    const Frame f = make_frame(n, [p = period](double, double x) {
      return 0.5 + 0.5 * std::sin(2 * kPi * x / p);
    });
    const SpectralMoments m = StructureFactor(n).moments(f.data());
    const double shell = 2 * kPi / n;
    EXPECT_LE(std::abs(m.k1 - 2 * kPi / period), shell) << "N " << n << " P " << period;
    if (n % static_cast<int>(period) == 0) {
      EXPECT_NEAR(m.length, period, 1e-6);
    }
  }
}

TEST(StructureFactor, LengthsScaleWithTheGridSpacing) {
  const Frame f = mode(32, 2, 0, 0.3);
  EXPECT_NEAR(StructureFactor(32, 1.0).moments(f.data()).length, 16.0, 1e-9);
  EXPECT_NEAR(StructureFactor(32, 0.5).moments(f.data()).length, 8.0, 1e-9);
}

TEST(StructureFactor, AnisotropySeparatesAxialFromDiagonalStructure) {
  const int n = 64;
  const StructureFactor sf(n);
  // Interfaces normal to an axis: all power along ⟨10⟩.
  EXPECT_GT(sf.moments(mode(n, 6, 0, 0.3).data()).anisotropy, 1e6);
  EXPECT_GT(sf.moments(mode(n, 0, 6, 0.3).data()).anisotropy, 1e6);
  // Along a diagonal: none.
  EXPECT_LT(sf.moments(mode(n, 5, 5, 0.3).data()).anisotropy, 1e-6);
  // 20° from the axis (kx, ky) = (11, 4) is still ⟨10⟩; 30°, (7, 4), is ⟨11⟩.
  EXPECT_GT(sf.moments(mode(n, 11, 4, 0.3).data()).anisotropy, 1e6);
  EXPECT_LT(sf.moments(mode(n, 7, 4, 0.3).data()).anisotropy, 1e-6);
  // Isotropic: white noise, whose S_k are independent draws of one mean.
  for (unsigned seed : {3u, 4u, 5u})
    EXPECT_NEAR(sf.moments(white_noise(n, seed).data()).anisotropy, 1.0, 0.15) << seed;
  // 200 plane waves with |k| = 10 in directions within ±10° of the axes, or of the
  // diagonals: power on either side of the 22.5° sector edges by a wide margin.
  EXPECT_GT(sf.moments(plane_waves(n, 10.0, 0.0, 6).data()).anisotropy, 5.0);
  EXPECT_LT(sf.moments(plane_waves(n, 10.0, kPi / 4, 6).data()).anisotropy, 0.2);
  // The square's symmetries leave it unchanged.
  const Frame g = white_noise(n, 4);
  const double a = sf.moments(g.data()).anisotropy;
  EXPECT_NEAR(sf.moments(testing::rotate90(g, n).data()).anisotropy, a, 1e-9 * a);
  EXPECT_NEAR(sf.moments(testing::transpose(g, n).data()).anisotropy, a, 1e-9 * a);
}

TEST(StructureFactor, AUniformFieldHasNoLengthScale) {
  const Frame flat(16 * 16, 0.3f);
  const SpectralMoments m = StructureFactor(16).moments(flat.data());
  EXPECT_EQ(m.variance, 0.0);
  EXPECT_TRUE(std::isnan(m.k1));
  EXPECT_TRUE(std::isnan(m.length));
  EXPECT_TRUE(std::isnan(m.anisotropy));
}

TEST(StructureFactor, AnyGridFromEightUpSmallerOnesAreRefused) {
  for (const int n : {8, 9, 11, 13, 30}) {
    const Frame f = mode(n, 1, 1, 0.2);
    const SpectralMoments m = StructureFactor(n).moments(f.data());
    EXPECT_NEAR(m.length, n / std::sqrt(2.0), 1e-6) << "N " << n;
  }
  for (const int n : {0, 4, 7}) {
    const std::string message = test::error_of([&] { StructureFactor{n}; });
    EXPECT_TRUE(test::contains(message, "N = " + std::to_string(n))) << message;
    EXPECT_TRUE(test::contains(message, "N >= 8")) << message;
  }
  EXPECT_TRUE(test::contains(test::error_of([] { StructureFactor(16, 0.0); }), "spacing"));
}

}  // namespace
}  // namespace csd::analysis
