// Eq. 9: the spinodal line, and its agreement with the solver's linear dynamics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "csd/physics/elastic.h"
#include "csd/physics/free_energy.h"
#include "csd/physics/solver.h"
#include "csd/physics/spectral.h"
#include "csd/physics/stability.h"
#include "physics_fields.h"

namespace csd::physics {
namespace {

TEST(Stability, MaxStableDtIsTheLinearBoundOfTheSemiImplicitStep) {
  // ε³/(162 M) while the most dangerous wavenumber √(18)/ε lies on the grid.
  EXPECT_NEAR(max_stable_dt(Params{}), 125.0 / 162.0, 1e-12);
  Params p;
  p.epsilon = 3.0;
  p.mobility = 2.0;
  EXPECT_NEAR(max_stable_dt(p), 27.0 / 324.0, 1e-12);
  EXPECT_GT(max_stable_dt(Params{}), 50 * Params{}.dt);  // the default step is far inside

  // The solver obeys it: about the pure phase φ̄ = 0 (the largest w″), a tiny
  // perturbation decays just below the bound and explodes above it.
  const Field phi0 = test::random_field(32, 0.0, 1e-6, 3);
  auto growth = [&](double factor) {
    Params q;
    q.dt = factor * max_stable_dt(q);
    Solver solver(phi0, 0.0, q);
    for (int i = 0; i < 60; ++i) solver.step();  // |G| = 1.25 at 1.5×: 1.25⁶⁰ ≈ 6·10⁵
    return (solver.phi() - solver.phi().mean()).abs().maxCoeff() / 1e-6;
  };
  EXPECT_LT(growth(0.9), 1.0);
  EXPECT_GT(growth(1.5), 1e3);
}

TEST(Stability, SpinodalLimitsWithoutMisfit) {
  const auto limits = spinodal_limits(0.0, Params{});
  ASSERT_TRUE(limits.has_value());
  EXPECT_NEAR(limits->first, 0.2113, 1e-3);
  EXPECT_NEAR(limits->second, 0.7887, 1e-3);
  // At the limits w'' = 0 exactly.
  EXPECT_NEAR(well_d2(limits->first, 5.0), 0.0, 1e-12);
  EXPECT_NEAR(well_d2(limits->second, 5.0), 0.0, 1e-12);
}

TEST(Stability, MisfitNarrowsAndFinallyClosesTheSpinodal) {
  const Params p;
  const auto free = spinodal_limits(0.0, p);
  const auto strained = spinodal_limits(0.012, p);
  ASSERT_TRUE(strained.has_value());
  EXPECT_GT(strained->first, free->first);
  EXPECT_LT(strained->second, free->second);
  // ½ ± ½ sqrt(1/3 − ε η² tr B⟨10⟩ / 54) = ½ ± ½ sqrt(1/30) at η = 1.2 %.
  EXPECT_NEAR(strained->first, 0.408713, 1e-5);
  EXPECT_NEAR(strained->second, 0.591287, 1e-5);
  // At the limits the full criterion vanishes.
  EXPECT_NEAR(stability_criterion(strained->first, 0.012, p), 0.0, 1e-9);
  EXPECT_NEAR(stability_criterion(strained->second, 0.012, p), 0.0, 1e-9);
  // Closes at ε η² min tr B = 18, i.e. η = sqrt(18 / (5 · 22500)) ≈ 0.01265.
  EXPECT_TRUE(spinodal_limits(0.0126, p).has_value());
  EXPECT_FALSE(spinodal_limits(0.0127, p).has_value());
  EXPECT_FALSE(is_unstable(0.5, 0.0127, p));
  EXPECT_TRUE(is_unstable(0.5, 0.0126, p));
}

TEST(Stability, CriterionAndGrowthRateFormulas) {
  const Params p;
  EXPECT_NEAR(stability_criterion(0.5, 0.0, p), -3.6, 1e-12);  // w''(½) = −36/(2ε)
  EXPECT_NEAR(stability_criterion(0.5, 0.01, p), -3.6 + 1e-4 * 2.25e4, 1e-9);
  const double q = 0.3;
  EXPECT_NEAR(linear_growth_rate(0.5, 0.01, q, 0.0, p),
              -q * q * (-3.6 + 5.0 * q * q + 1e-4 * 2.25e4), 1e-12);
  EXPECT_NEAR(linear_growth_rate(0.5, 0.01, q, q, p),
              -2 * q * q * (-3.6 + 10.0 * q * q + 1e-4 * trace_b(1, 1, p)), 1e-12);
  EXPECT_EQ(linear_growth_rate(0.5, 0.01, 0.0, 0.0, p), 0.0);
}

/// Largest measured log-growth rate over all Fourier modes of a small random field:
/// the fastest mode decides whether the mixture decomposes.
double fastest_measured_rate(double mean_phi, double eta, const Params& p) {
  const int n = 64;
  const Field phi0 = test::random_field(n, mean_phi, 1e-8, 21);
  Solver solver(phi0, eta, p);
  solver.advance(100);
  Spectral fft(n);
  AlignedBuffer<std::complex<double>> s0(fft.spectral_size()), s1(fft.spectral_size());
  fft.forward(phi0.data(), s0.data());
  fft.forward(solver.phi().data(), s1.data());
  double rms = 0.0;
  for (int k = 1; k < fft.spectral_size(); ++k) rms += std::norm(s0[k]);
  rms = std::sqrt(rms / (fft.spectral_size() - 1));
  double fastest = -std::numeric_limits<double>::infinity();
  for (int k = 1; k < fft.spectral_size(); ++k) {
    // Modes that start accidentally tiny are dominated by round-off: skip them.
    if (std::abs(s0[k]) < 0.1 * rms) continue;
    fastest = std::max(fastest, std::log(std::abs(s1[k]) / std::abs(s0[k])) / (100 * p.dt));
  }
  return fastest;
}

TEST(Stability, CriterionSignMatchesTheSolversFastestModeAcrossTheLine) {
  const Params p;
  const double eta = 0.006;
  const auto limits = spinodal_limits(eta, p);
  ASSERT_TRUE(limits.has_value());
  for (double mean_phi : {limits->first - 0.03, limits->first + 0.03, limits->second - 0.03,
                          limits->second + 0.03}) {
    const double criterion = stability_criterion(mean_phi, eta, p);
    const double rate = fastest_measured_rate(mean_phi, eta, p);
    EXPECT_EQ(criterion < 0, rate > 0)
        << "<phi>=" << mean_phi << " criterion=" << criterion << " fastest rate=" << rate;
  }
}

}  // namespace
}  // namespace csd::physics
