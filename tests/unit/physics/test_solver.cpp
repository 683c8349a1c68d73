// Conservation, Lyapunov decay, invariances and error paths of the Eq. 8 solver.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "csd/core/error.h"
#include "csd/core/random.h"
#include "csd/physics/energy.h"
#include "csd/physics/solver.h"
#include "physics_fields.h"

namespace csd::physics {
namespace {

Field run(const Field& phi0, double eta, const Params& p, long steps, NoiseOptions noise = {}) {
  Solver solver(phi0, eta, p, noise);
  solver.advance(steps);
  return solver.phi();
}

TEST(Solver, ConservesMassWithoutNoise) {
  const Field phi0 = test::random_field(32, 0.4, 0.05, 1);
  const Field phi = run(phi0, 0.006, Params{}, 1000);
  EXPECT_NEAR(phi.sum() / phi0.sum(), 1.0, 1e-12);
  EXPECT_GT(test::max_abs_diff(phi, phi0), 0.1) << "the run should have phase-separated";
}

TEST(Solver, ConservesMassWithNoise) {
  const Field phi0 = test::random_field(32, 0.4, 0.05, 1);
  const Field phi = run(phi0, 0.006, Params{}, 1000, NoiseOptions{7.5e-4, 99});
  EXPECT_NEAR(phi.sum() / phi0.sum(), 1.0, 1e-12);
}

TEST(Solver, NoiseHasTheRequestedStrengthAndZeroMean) {
  // A uniform field is a fixed point of Eq. 8, so after one step only the noise remains.
  const int n = 64;
  const double sigma = 7.5e-4;
  const Field phi = run(Field::Constant(n, n, 0.3), 0.0, Params{}, 1, NoiseOptions{sigma, 4});
  const Field xi = phi - 0.3;
  EXPECT_NEAR(xi.mean(), 0.0, 1e-15);
  const double std_dev = std::sqrt(xi.square().mean());
  EXPECT_NEAR(std_dev, sigma, 0.05 * sigma);  // 4096 samples: ~1 % standard error
}

TEST(Solver, NoiseIsThePortableNormalStream) {
  // One step from a uniform field leaves σ(z − ⟨z⟩) with z the Box–Muller stream of
  // csd/core/random.h seeded with the noise seed, pixel by pixel in storage order — not
  // std::normal_distribution, whose values depend on the standard library.
  const int n = 16;
  const double sigma = 1e-3;
  const Field phi = run(Field::Constant(n, n, 0.3), 0.0, Params{}, 1, NoiseOptions{sigma, 21});
  std::mt19937_64 rng(21);
  StandardNormal gauss;
  Field z(n, n);
  for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = gauss(rng);
  const Field expected = sigma * (z - z.mean());
  EXPECT_LT(test::max_abs_diff(phi - 0.3, expected), 1e-13);
}

TEST(Solver, NoiseIsReproducibleFromItsSeed) {
  const Field phi0 = test::random_field(16, 0.5, 0.05, 2);
  const Params p;
  const Field a = run(phi0, 0.003, p, 50, NoiseOptions{1e-3, 7});
  const Field b = run(phi0, 0.003, p, 50, NoiseOptions{1e-3, 7});
  const Field c = run(phi0, 0.003, p, 50, NoiseOptions{1e-3, 8});
  const Field deterministic = run(phi0, 0.003, p, 50);
  EXPECT_EQ(test::max_abs_diff(a, b), 0.0);
  EXPECT_GT(test::max_abs_diff(a, c), 1e-4);
  EXPECT_GT(test::max_abs_diff(a, deterministic), 1e-4);
}

TEST(Solver, ExactFreeEnergyNeverIncreases) {
  const int n = 32;
  const double eta = 0.006;
  const Params p;
  const EnergyCalculator energy(n, p);
  Solver solver(test::random_field(n, 0.5, 0.05, 3), eta, p);
  const double start = energy(solver.phi(), eta).total;
  double previous = start;
  for (int i = 0; i < 250; ++i) {
    solver.advance(8);
    const double now = energy(solver.phi(), eta).total;
    ASSERT_LE(now, previous + 1e-13 * std::abs(previous)) << "after " << solver.steps_taken();
    previous = now;
  }
  EXPECT_LT(previous, start - 0.03) << "decomposition should release free energy: " << start
                                   << " -> " << previous;
}

TEST(Solver, AccessorsAndLazyField) {
  Params p;
  p.steps_per_frame = 7;
  Solver solver(test::random_field(8, 0.5, 0.1, 4), 0.004, p);
  EXPECT_EQ(solver.size(), 8);
  EXPECT_EQ(solver.eta(), 0.004);
  EXPECT_EQ(solver.params().steps_per_frame, 7);
  const Field before = solver.phi();
  EXPECT_EQ(test::max_abs_diff(solver.phi(), before), 0.0);
  solver.advance_frame();
  EXPECT_EQ(solver.steps_taken(), 7);
  EXPECT_GT(test::max_abs_diff(solver.phi(), before), 1e-6) << "phi() must resync after steps";
  solver.step();
  EXPECT_EQ(solver.steps_taken(), 8);
  Solver moved(std::move(solver));
  EXPECT_EQ(moved.steps_taken(), 8);
}

TEST(Solver, GridSpacingIsAnExactRescaling) {
  // With x = h x̃ (grid units x̃), q = q̃/h and Eq. 8 for (h, ε, δt, M, C, η) has the same
  // coefficients as for (1, ε/h, δt/h³, M, C·h, η):
  //   δt M q² w'  : δt M q̃²/h² · 36/ε          = (δt/h³) M q̃² · 36/(ε/h)
  //   δt M ε q⁴   : δt M ε q̃⁴/h⁴               = (δt/h³) M (ε/h) q̃⁴
  //   δt M η² trB q²: δt M η² trB(C) q̃²/h²     = (δt/h³) M η² trB(C·h) q̃²   (tr B ∝ C)
  // (ε is a length: the interface width.) h = 1/2 keeps every rescaling exact in binary.
  const int n = 32;
  const double eta = 0.006, h = 0.5;
  const Field phi0 = test::random_field(n, 0.5, 0.05, 5);
  Params fine;
  fine.grid_spacing = h;
  Params unit;
  unit.epsilon = fine.epsilon / h;
  unit.dt = fine.dt / (h * h * h);
  unit.c11 = fine.c11 * h;
  unit.c12 = fine.c12 * h;
  unit.c44 = fine.c44 * h;
  const Field a = run(phi0, eta, fine, 200);
  const Field b = run(phi0, eta, unit, 200);
  EXPECT_LT(test::max_abs_diff(a, b), 1e-10);
  EXPECT_GT(test::max_abs_diff(a, phi0), 1e-3) << "the comparison must not be trivial";

  // Energy densities all scale as 1/h (each term is ∝ 1/ε or ∝ C).
  const Energies ea = EnergyCalculator(n, fine)(a, eta);
  const Energies eb = EnergyCalculator(n, unit)(b, eta);
  EXPECT_NEAR(ea.grad, eb.grad / h, 1e-12);
  EXPECT_NEAR(ea.w, eb.w / h, 1e-12);
  EXPECT_NEAR(ea.rho, eb.rho / h, 1e-12);

  // A wrong guess (ε/h², δt/h⁴, C unchanged) is not an invariance: the test can fail.
  Params wrong;
  wrong.epsilon = fine.epsilon / (h * h);
  wrong.dt = fine.dt / (h * h * h * h);
  EXPECT_GT(test::max_abs_diff(a, run(phi0, eta, wrong, 200)), 1e-4);
}

TEST(Solver, OneFrameCommutesWithTheSquaresSymmetries) {
  const Field phi0 = test::random_field(32, 0.5, 0.05, 6);
  const double eta = 0.006;  // anisotropic, but with the square's symmetry
  const Params p;
  const Field evolved = run(phi0, eta, p, p.steps_per_frame);
  EXPECT_LT(test::max_abs_diff(run(test::rotate90(phi0), eta, p, p.steps_per_frame),
                               test::rotate90(evolved)),
            1e-12);
  EXPECT_LT(test::max_abs_diff(run(test::reflect_x(phi0), eta, p, p.steps_per_frame),
                               test::reflect_x(evolved)),
            1e-12);
  EXPECT_GT(test::max_abs_diff(evolved, test::rotate90(evolved)), 1e-3)
      << "the field itself must not be symmetric, or the check is empty";
}

TEST(Solver, PhaseInversionMapsTheRunAtMeanPhiToTheRunAtOneMinusMeanPhi) {
  // w'(1−φ) = −w'(φ) and the linear terms are linear, so φ → 1−φ commutes with Eq. 8.
  const Field phi0 = test::random_field(32, 0.4, 0.05, 7);
  const double eta = 0.005;
  const Params p;
  const Field a = run(phi0, eta, p, 300);
  const Field b = run(1.0 - phi0, eta, p, 300);
  EXPECT_LT(test::max_abs_diff(1.0 - a, b), 1e-12);
}

TEST(Solver, OddGridSizesHaveNoNyquistModeAndStillConserveMass) {
  const Field phi0 = test::random_field(15, 0.45, 0.05, 9);
  const Field a = run(phi0, 0.004, Params{}, 300);
  EXPECT_NEAR(a.sum() / phi0.sum(), 1.0, 1e-12);
  EXPECT_LT(test::max_abs_diff(run(1.0 - phi0, 0.004, Params{}, 300), 1.0 - a), 1e-12);
  EXPECT_LT(test::max_abs_diff(run(test::rotate90(phi0), 0.004, Params{}, 300),
                               test::rotate90(a)),
            1e-12);
}

// ---- error paths ---------------------------------------------------------------

void expect_error_mentioning(const std::function<void()>& action, const std::string& text) {
  try {
    action();
    FAIL() << "expected csd::Error mentioning '" << text << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(SolverErrors, RejectsBadInitialFields) {
  const Params p;
  Field nan_field = Field::Constant(8, 8, 0.5);
  nan_field(3, 4) = std::numeric_limits<double>::quiet_NaN();
  expect_error_mentioning([&] { Solver(nan_field, 0.0, p); }, "NaN/Inf");
  Field inf_field = Field::Constant(8, 8, 0.5);
  inf_field(0, 0) = std::numeric_limits<double>::infinity();
  expect_error_mentioning([&] { Solver(inf_field, 0.0, p); }, "NaN/Inf");
  expect_error_mentioning([&] { Solver(Field::Constant(8, 16, 0.5), 0.0, p); }, "square");
  expect_error_mentioning([&] { Solver(Field::Constant(1, 1, 0.5), 0.0, p); }, "square");
}

TEST(SolverErrors, RejectsBadMisfitNoiseAndParams) {
  const Field f = Field::Constant(8, 8, 0.5);
  const Params p;
  expect_error_mentioning([&] { Solver(f, -0.001, p); }, "eta");
  expect_error_mentioning([&] { Solver(f, kMaxEta * 1.01, p); }, "eta");
  expect_error_mentioning([&] { Solver(f, std::nan(""), p); }, "eta");
  expect_error_mentioning([&] { Solver(f, 0.0, p, NoiseOptions{-1.0, 0}); }, "sigma");
  Params bad = p;
  bad.dt = 0.0;
  expect_error_mentioning([&] { Solver(f, 0.0, bad); }, "physics.dt");
  bad = p;
  bad.c12 = 4.0e4;
  expect_error_mentioning([&] { Solver(f, 0.0, bad); }, "positive definite");
  EXPECT_THROW(Solver(f, 0.0, p).advance(-1), Error);
}

TEST(SolverErrors, DivergenceIsReportedWithAHintToReduceDt) {
  Params p;
  p.dt = 50.0;
  p.steps_per_frame = 20;
  Solver solver(test::random_field(16, 0.5, 5.0, 8), 0.0, p);
  expect_error_mentioning([&] { solver.advance_frame(); }, "reduce physics.dt");
}

}  // namespace
}  // namespace csd::physics
