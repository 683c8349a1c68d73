// Linear regime of Eq. 8: a small Fourier mode about ⟨φ⟩ grows or decays at the
// analytic rate σ(q) = −M q² (w''(⟨φ⟩) + ε q² + η² tr B(n)).
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>

#include "csd/physics/elastic.h"
#include "csd/physics/free_energy.h"
#include "csd/physics/solver.h"
#include "csd/physics/stability.h"
#include "physics_fields.h"

namespace csd::physics {
namespace {

using csd::test::kPi;

struct ModeCase {
  const char* name;
  int kx, ky;
  double mean_phi, eta;
  bool grows;
};

std::ostream& operator<<(std::ostream& os, const ModeCase& c) { return os << c.name; }

/// Exact per-step amplification of the linearised scheme:
/// G = (1 − δt M q² w''(⟨φ⟩)) / (1 + δt M (ε q⁴ + η² tr B q²)).
double discrete_rate(const ModeCase& c, int n, const Params& p) {
  const double qx = 2 * kPi * c.kx / n, qy = 2 * kPi * c.ky / n;
  const double q2 = qx * qx + qy * qy, dtm = p.dt * p.mobility;
  const double gain = (1 - dtm * q2 * well_d2(c.mean_phi, p.epsilon)) /
                      (1 + dtm * (p.epsilon * q2 * q2 + c.eta * c.eta * trace_b(qx, qy, p) * q2));
  return std::log(gain) / p.dt;
}

/// log-amplitude slope of the mode over `steps` steps.
double measured_rate(const ModeCase& c, int n, const Params& p, int steps) {
  const Field phi0 = test::cosine_mode(n, c.kx, c.ky, c.mean_phi, 1e-6);
  Solver solver(phi0, c.eta, p);
  solver.advance(steps);
  const double a0 = test::mode_amplitude(phi0, c.kx, c.ky);
  const double a1 = test::mode_amplitude(solver.phi(), c.kx, c.ky);
  return std::log(a1 / a0) / (steps * p.dt);
}

class LinearGrowth : public ::testing::TestWithParam<ModeCase> {};

TEST_P(LinearGrowth, MatchesTheDiscreteFactorExactly) {
  const ModeCase c = GetParam();
  const int n = 32;
  const Params p;  // δt = 0.01
  const double expected = discrete_rate(c, n, p);
  EXPECT_NEAR(measured_rate(c, n, p, 200), expected, 1e-6 * std::abs(expected));
  EXPECT_EQ(expected > 0, c.grows);
}

TEST_P(LinearGrowth, MatchesTheAnalyticRateWithinOnePercent) {
  const ModeCase c = GetParam();
  const int n = 32;
  Params p;
  p.dt = 1e-3;  // small enough that log G/δt = σ + O(δt σ²) agrees with σ to ≪ 1 %
  const double sigma = linear_growth_rate(c.mean_phi, c.eta, 2 * kPi * c.kx / n,
                                          2 * kPi * c.ky / n, p);
  EXPECT_NEAR(discrete_rate(c, n, p), sigma, 5e-3 * std::abs(sigma));
  EXPECT_NEAR(measured_rate(c, n, p, 400), sigma, 1e-2 * std::abs(sigma));
  EXPECT_EQ(sigma > 0, c.grows);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, LinearGrowth,
    ::testing::Values(ModeCase{"axis_10_grows", 2, 0, 0.5, 0.006, true},
                      ModeCase{"diagonal_11_grows", 1, 1, 0.45, 0.006, true},
                      ModeCase{"diagonal_11_decays_at_high_misfit", 2, 2, 0.5, 0.012, false},
                      ModeCase{"axis_10_decays_outside_spinodal", 3, 0, 0.15, 0.0, false},
                      ModeCase{"axis_10_elastically_stabilised", 2, 0, 0.5, 0.0125, false}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace csd::physics
