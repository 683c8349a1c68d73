#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analytic_fields.h"
#include "csd/analysis/phase.h"
#include "csd/core/error.h"
#include "csd/physics/stability.h"

namespace csd::analysis {
namespace {

using testing::Frame;

/// ⟨φ⟩ + (range/2)·sin(2πx/N): composition range exactly `range` up to sampling.
Frame wave(int n, double mean, double range) {
  return testing::make_frame(n, [=](double, double x) {
    return mean + 0.5 * range * std::sin(2 * testing::kPi * (x + 0.5) / n);
  });
}

TEST(SinglePhase, ThresholdOnCompositionRange) {
  const int n = 16;
  EXPECT_TRUE(is_single_phase(Frame(n * n, 0.4f).data(), n));
  EXPECT_TRUE(is_single_phase(wave(n, 0.4, 0.04).data(), n));
  EXPECT_FALSE(is_single_phase(wave(n, 0.4, 0.06).data(), n));
  EXPECT_FALSE(is_single_phase(testing::disc(n, 5.0).data(), n));
  EXPECT_TRUE(is_single_phase(wave(n, 0.4, 0.06).data(), n, 0.1));  // caller's threshold
  Field uniform = Field::Constant(n, n, 0.7);
  EXPECT_TRUE(is_single_phase(uniform));
  uniform(3, 4) = 0.6;
  EXPECT_FALSE(is_single_phase(uniform));
}

TEST(SinglePhase, RejectsDivergedFields) {
  const int n = 4;
  Frame f(n * n, 0.5f);
  f[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(is_single_phase(f.data(), n), csd::Error);
  f[5] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(is_single_phase(f.data(), n), csd::Error);
}

TEST(Confusion, TalliesOutcomesAndAgreement) {
  Confusion c;
  EXPECT_TRUE(std::isnan(c.agreement_percent()));
  c.add(true, true);
  c.add(true, true);
  c.add(false, false);
  c.add(true, false);  // surrogate separated, solver single
  c.add(false, true);  // solver separated, surrogate single
  EXPECT_EQ(c.both_separated, 2);
  EXPECT_EQ(c.both_single, 1);
  EXPECT_EQ(c.surrogate_only_separated, 1);
  EXPECT_EQ(c.solver_only_separated, 1);
  EXPECT_EQ(c.total(), 5);
  EXPECT_EQ(c.agreements(), 3);
  EXPECT_DOUBLE_EQ(c.agreement_percent(), 60.0);
}

// η = 0: w''(φ) = 0 at φ = ½ ± ½√(1/3) = 0.211325, 0.788675.
TEST(SpinodalCurve, ChemicalSpinodalAtZeroMisfit) {
  const physics::Params p;
  const SpinodalCurve c = spinodal_curve(p, 0.01, 11);
  ASSERT_EQ(c.eta.size(), 11u);
  EXPECT_DOUBLE_EQ(c.eta.front(), 0.0);
  EXPECT_NEAR(c.phi_minus.front(), 0.5 - 0.5 / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(c.phi_minus.front(), 0.2113, 1e-4);
  EXPECT_NEAR(c.phi_plus.front(), 0.7887, 1e-4);
  EXPECT_DOUBLE_EQ(c.eta.back(), 0.01);
}

// Misfit narrows the dome, which closes at η_c² = 18 / (ε min tr B) (φ± = ½); for the
// paper's constants min tr B = tr B⟨10⟩ = 2.25e4, so η_c = 0.0126491.
TEST(SpinodalCurve, DomeNarrowsAndClosesAtItsApex) {
  const physics::Params p;
  const SpinodalCurve c = spinodal_curve(p, 0.02, 41);
  ASSERT_GE(c.eta.size(), 3u);
  for (std::size_t i = 1; i < c.eta.size(); ++i) {
    EXPECT_GT(c.eta[i], c.eta[i - 1]);
    EXPECT_GT(c.phi_minus[i], c.phi_minus[i - 1]);
    EXPECT_LT(c.phi_plus[i], c.phi_plus[i - 1]);
  }
  const double eta_c = std::sqrt(18.0 / (p.epsilon * 2.25e4));
  EXPECT_NEAR(c.eta.back(), eta_c, 1e-6);
  EXPECT_NEAR(c.phi_minus.back(), 0.5, 1e-3);
  EXPECT_NEAR(c.phi_plus.back(), 0.5, 1e-3);
  // Each sampled limit is where Eq. 9 changes sign.
  for (std::size_t i = 0; i + 1 < c.eta.size(); ++i) {
    EXPECT_TRUE(physics::is_unstable(c.phi_minus[i] + 1e-6, c.eta[i], p));
    EXPECT_FALSE(physics::is_unstable(c.phi_minus[i] - 1e-6, c.eta[i], p));
    EXPECT_FALSE(physics::is_unstable(c.phi_plus[i] + 1e-6, c.eta[i], p));
  }
}

TEST(SpinodalCurve, RejectsBadArguments) {
  const physics::Params p;
  EXPECT_THROW(spinodal_curve(p, -0.01, 10), csd::Error);
  EXPECT_THROW(spinodal_curve(p, 0.01, 1), csd::Error);
}

}  // namespace
}  // namespace csd::analysis
