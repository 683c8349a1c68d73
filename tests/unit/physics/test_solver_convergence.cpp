// Nonlinear accuracy of the Eq. 8 scheme at the default physics: first order in δt,
// and fast convergence under grid refinement of a fixed physical domain.
#include <gtest/gtest.h>

#include <cmath>

#include "csd/init/initial_conditions.h"
#include "csd/physics/solver.h"
#include "physics_fields.h"

namespace csd::physics {
namespace {

constexpr double kEta = 0.006;  // mid-range misfit, so elasticity is part of the check
constexpr double kEndTime = 10.0;

Field run_to_end(const Field& phi0, const Params& p) {
  Solver solver(phi0, kEta, p);
  solver.advance(std::lround(kEndTime / p.dt));
  return solver.phi();
}

double mean_abs_diff(const Field& a, const Field& b) { return (a - b).abs().mean(); }

/// Every `stride`-th pixel of `f`, i.e. `f` on the coarse grid's points.
Field coarse_points(const Field& f, int stride) {
  const int n = static_cast<int>(f.rows()) / stride;
  Field g(n, n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) g(y, x) = f(y * stride, x * stride);
  return g;
}

TEST(SolverConvergence, TimeStepErrorIsFirstOrderAtTheDefaultPhysics) {
  // One Perlin φ₀ at 64², run to t = 10 with δt, δt/2, δt/4: a first-order scheme's
  // successive differences halve (ratio 2). The error of the default δt is then about
  // the δt-to-δt/2 difference times 2/(2 − 1) (Richardson).
  init::PerlinOptions o;
  o.mean_phi = 0.5;
  o.amplitude = 0.1;
  o.seed = 7;
  const Field phi0 = init::perlin_field(64, o);
  const Params base;
  ASSERT_DOUBLE_EQ(base.dt, 0.01) << "the README's error figure is for δt = 0.01";
  Field runs[3];
  for (int i = 0; i < 3; ++i) {
    Params p = base;
    p.dt = base.dt / (1 << i);
    runs[i] = run_to_end(phi0, p);
  }
  ASSERT_GT(test::max_abs_diff(runs[2], phi0), 1e-2) << "the field must evolve";
  const double max_ratio =
      test::max_abs_diff(runs[0], runs[1]) / test::max_abs_diff(runs[1], runs[2]);
  const double mean_ratio = mean_abs_diff(runs[0], runs[1]) / mean_abs_diff(runs[1], runs[2]);
  EXPECT_NEAR(max_ratio, 2.0, 0.3);
  EXPECT_NEAR(mean_ratio, 2.0, 0.3);
  const double default_max_error = 2.0 * test::max_abs_diff(runs[0], runs[1]);
  const double default_mean_error = 2.0 * mean_abs_diff(runs[0], runs[1]);
  RecordProperty("default_dt_max_error", std::to_string(default_max_error));
  RecordProperty("default_dt_mean_error", std::to_string(default_mean_error));
  std::printf("default dt error at t = 10: max %.2e, mean %.2e; ratios max %.3f, mean %.3f\n",
              default_max_error, default_mean_error, max_ratio, mean_ratio);
  // The README states these (3.5e-3 max, 9.8e-4 mean for this φ₀).
  EXPECT_LT(default_max_error, 5e-3);
  EXPECT_LT(default_mean_error, 1e-3);
}

TEST(SolverConvergence, GridRefinementOfAFixedDomainConvergesFasterThanSecondOrder) {
  // The same physical 32 × 32 domain on 32², 64² and 128² grids (h = 1, 1/2, 1/4, the
  // grid-spacing scaling of Solver.GridSpacingIsAnExactRescaling), from one continuous
  // Perlin field sampled at each grid's points, compared on the coarse grid's points. A
  // spectral method resolves the smooth field, so refining h by 2 shrinks the difference
  // by far more than the factor 4 of a second-order finite-difference scheme.
  const int cells = 4;
  const int sizes[3] = {32, 64, 128};
  Field runs[3];
  for (int i = 0; i < 3; ++i) {
    const int n = sizes[i];
    Params p;
    p.grid_spacing = 32.0 / n;
    p.dt = 0.0025;  // small enough that the time error is the same on every grid
    Field phi0 = init::perlin_noise(n, cells, 3);
    phi0 = 0.5 + 0.05 * phi0.array();
    runs[i] = coarse_points(run_to_end(phi0, p), n / 32);
  }
  const double coarse = test::max_abs_diff(runs[0], runs[1]);
  const double fine = test::max_abs_diff(runs[1], runs[2]);
  std::printf("grid refinement differences: h 1 -> 1/2 %.2e, h 1/2 -> 1/4 %.2e (ratio %.1f)\n",
              coarse, fine, coarse / fine);
  ASSERT_GT(test::max_abs_diff(runs[2], coarse_points(init::perlin_noise(128, cells, 3), 4)),
            1e-3);
  EXPECT_GT(coarse / fine, 8.0);
  EXPECT_LT(fine, 1e-3);
}

}  // namespace
}  // namespace csd::physics
