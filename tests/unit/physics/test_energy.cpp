#include <gtest/gtest.h>

#include <cmath>

#include "csd/core/error.h"
#include "csd/physics/elastic.h"
#include "csd/physics/energy.h"
#include "csd/physics/free_energy.h"
#include "csd/physics/solver.h"
#include "physics_fields.h"

namespace csd::physics {
namespace {

using csd::test::kPi;

// φ = ½ + u, u = a cos(q·x):  w = 18/ε (¼ − u²)²  ⇒  ⟨w⟩ = 18/ε (1/16 − a²/4 + 3a⁴/8)
// (the grid means of cos² and cos⁴ are exact for modes below N/4).
double mean_well_of_cosine(double a, double epsilon) {
  return 18.0 / epsilon * (1.0 / 16.0 - a * a / 4.0 + 3.0 * a * a * a * a / 8.0);
}

TEST(Energies, AnalyticValuesForAnAxialCosine) {
  const int n = 32, k = 3;
  const double a = 0.2, eta = 0.006;
  Params p;
  const EnergyCalculator energies(n, p);
  const Energies e = energies(test::cosine_mode(n, k, 0, 0.5, a), eta);
  const double q = 2 * kPi * k / n;
  EXPECT_NEAR(e.grad, p.epsilon / 2 * a * a * q * q / 2, 1e-13);  // ε/2 ⟨|∇φ|²⟩
  EXPECT_NEAR(e.w, mean_well_of_cosine(a, p.epsilon), 1e-13);
  EXPECT_NEAR(e.rho, 0.5 * eta * eta * 2.25e4 * a * a / 2, 1e-12);  // ½ η² tr B⟨10⟩ ⟨u²⟩
  EXPECT_NEAR(e.f, 2 * e.w + e.rho, 1e-15);
  EXPECT_NEAR(e.total, e.grad + e.w + e.rho, 1e-15);
}

TEST(Energies, DiagonalModeUsesTraceBAlong11AndGridSpacing) {
  const int n = 32, k = 2;
  const double a = 0.1, eta = 0.01;
  Params p;
  p.grid_spacing = 0.5;
  p.epsilon = 4.0;
  const EnergyCalculator energies(n, p);
  const Energies e = energies(test::cosine_mode(n, k, k, 0.5, a), eta);
  const double q2 = 2 * std::pow(2 * kPi * k / (n * p.grid_spacing), 2);
  EXPECT_NEAR(e.grad, p.epsilon / 2 * a * a * q2 / 2, 1e-12);
  EXPECT_NEAR(e.w, mean_well_of_cosine(a, p.epsilon), 1e-13);
  EXPECT_NEAR(e.rho, 0.5 * eta * eta * trace_b(1, 1, p) * a * a / 2, 1e-12);
}

TEST(Energies, NyquistModesAreCountedOnce) {
  // u = a (−1)^x is the single coefficient kx = N/2 with q = π/h: ⟨ε/2 |∇φ|²⟩ = ε/2 π² a².
  // Counting the Nyquist column twice (as its own conjugate twin) would double this.
  const int n = 16;
  const double a = 0.05;
  Params p;
  const EnergyCalculator energies(n, p);
  for (bool along_y : {false, true}) {
    const Field f = along_y ? test::cosine_mode(n, 0, n / 2, 0.5, a)
                            : test::cosine_mode(n, n / 2, 0, 0.5, a);
    const Energies e = energies(f, 0.01);
    EXPECT_NEAR(e.grad, p.epsilon / 2 * kPi * kPi * a * a, 1e-12) << "along_y=" << along_y;
    EXPECT_NEAR(e.rho, 0.5 * 1e-4 * 2.25e4 * a * a, 1e-12) << "along_y=" << along_y;
    EXPECT_NEAR(e.w, 18.0 / p.epsilon * std::pow(0.25 - a * a, 2), 1e-14);
  }
}

TEST(Energies, UniformFieldHasOnlyTheWell) {
  const int n = 8;
  const EnergyCalculator energies(n, Params{});
  const Field f = Field::Constant(n, n, 0.3);
  const Energies e = energies(f, 0.012);
  EXPECT_NEAR(e.grad, 0.0, 1e-20);
  EXPECT_NEAR(e.rho, 0.0, 1e-20);  // tr B(0) = 0: the mean carries no elastic energy
  EXPECT_NEAR(e.w, well(0.3, 5.0), 1e-15);
}

TEST(Energies, FloatOverloadMatchesDouble) {
  const int n = 16;
  const EnergyCalculator energies(n, Params{});
  const Field f = test::random_field(n, 0.5, 0.4, 5);
  const FieldF f32 = f.cast<float>();
  const Field rounded = f32.cast<double>();
  const Energies a = energies(rounded, 0.006);
  const Energies b = energies(f32.data(), 0.006);
  EXPECT_EQ(a.grad, b.grad);
  EXPECT_EQ(a.w, b.w);
  EXPECT_EQ(a.rho, b.rho);
  EXPECT_EQ(a.total, b.total);
}

TEST(Energies, FromTheSolversSpectrumMatchTheFieldsOwnFft) {
  // generate takes the energies from φ̂ the solver holds: the same numbers, to round-off,
  // at φ₀, after noisy steps and at the solver's own η, with its noise in φ̂.
  const int n = 32;
  const Params params;
  const EnergyCalculator energies(n, params);
  Solver solver(test::random_field(n, 0.45, 0.1, 9), 0.008, params, {1e-3, 4});
  for (int frame = 0; frame < 3; ++frame) {
    if (frame > 0) solver.advance(37);
    const Energies direct = energies(solver.phi(), 0.008);
    const Energies spectral = energies(solver);
    EXPECT_NEAR(spectral.grad, direct.grad, 1e-12 * std::abs(direct.grad)) << "frame " << frame;
    EXPECT_NEAR(spectral.rho, direct.rho, 1e-12 * std::abs(direct.rho)) << "frame " << frame;
    EXPECT_EQ(spectral.w, direct.w) << "frame " << frame;  // the same real-space sum
    EXPECT_NEAR(spectral.total, direct.total, 1e-12 * std::abs(direct.total));
    EXPECT_GT(direct.grad, 0.0);
    EXPECT_GT(direct.rho, 0.0);
  }
  EXPECT_THROW(EnergyCalculator(16, params)(solver), Error);
}

TEST(Energies, WrongSizeIsAnError) {
  const EnergyCalculator energies(8, Params{});
  EXPECT_THROW(energies(Field::Zero(8, 9), 0.0), Error);
  EXPECT_THROW(energies(Field::Zero(16, 16), 0.0), Error);
  Params bad;
  bad.epsilon = 0.0;
  EXPECT_THROW(EnergyCalculator(8, bad), Error);
}

}  // namespace
}  // namespace csd::physics
