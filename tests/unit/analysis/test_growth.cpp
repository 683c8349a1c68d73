// The growth-exponent fit L ∝ t^n with its Student-t interval (csd/analysis/growth.h):
// exact and noisy synthetic power laws, the interval's coverage, the window, refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "csd/analysis/growth.h"
#include "error_capture.h"

namespace csd::analysis {
namespace {

/// m times spread evenly in log t over [t0, t1].
std::vector<double> log_times(double t0, double t1, int m) {
  std::vector<double> t;
  for (int i = 0; i < m; ++i) t.push_back(t0 * std::pow(t1 / t0, i / (m - 1.0)));
  return t;
}

std::vector<double> power_law(const std::vector<double>& t, double a, double n,
                              double noise = 0.0, unsigned seed = 0) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> xi(0.0, 1.0);
  std::vector<double> l;
  for (double ti : t) l.push_back(a * std::pow(ti, n) * (1.0 + noise * xi(rng)));
  return l;
}

TEST(StudentT, QuantilesMatchTheTables) {
  // Two-sided 95 % critical values, and a few others (any statistics table).
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.7062, 1e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.3027, 1e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 3), 3.1824, 1e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.2281, 1e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 30), 2.0423, 1e-4);
  EXPECT_NEAR(student_t_quantile(0.95, 5), 2.0150, 1e-4);
  EXPECT_NEAR(student_t_quantile(0.995, 7), 3.4995, 1e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 2000), 1.9612, 1e-3);  // → the normal's 1.960
  EXPECT_NEAR(student_t_quantile(0.5, 4), 0.0, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.2281, 1e-4);
  EXPECT_THROW(student_t_quantile(1.0, 3), Error);
  EXPECT_THROW(student_t_quantile(0.9, 0), Error);
}

TEST(GrowthFit, RecoversAnExactPowerLaw) {
  const std::vector<double> t = log_times(10, 1000, 12);
  const PowerLawFit f = fit_power_law(t, power_law(t, 2.5, 1.0 / 3.0), 1, 1e4);
  EXPECT_NEAR(f.exponent, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(f.prefactor, 2.5, 1e-10);
  EXPECT_NEAR(f.half_width, 0.0, 1e-10);
  EXPECT_NEAR(f.r_squared, 1.0, 1e-12);
  EXPECT_EQ(f.points, 12);
  EXPECT_NEAR(f.t_min, 10, 1e-9);
  EXPECT_NEAR(f.t_max, 1000, 1e-9);
}

TEST(GrowthFit, RecoversOneThirdFromNoisyDataAndItsIntervalCoversIt) {
  // L = a t^{1/3} (1 + 5 % noise), 30 points over [100, 1000]: the 95 % interval must
  // hold 1/3 in about 95 % of independent draws, and be narrow.
  const std::vector<double> t = log_times(100, 1000, 30);
  int covered = 0;
  const int draws = 400;
  double widest = 0;
  for (int d = 0; d < draws; ++d) {
    const PowerLawFit f = fit_power_law(t, power_law(t, 1.7, 1.0 / 3.0, 0.05, d), 100, 1000);
    if (f.lower <= 1.0 / 3.0 && 1.0 / 3.0 <= f.upper) ++covered;
    widest = std::max(widest, f.half_width);
    EXPECT_NEAR(f.exponent, 1.0 / 3.0, 0.1) << "draw " << d;
  }
  EXPECT_GE(covered, 0.91 * draws);
  EXPECT_LE(covered, 0.99 * draws);
  EXPECT_LT(widest, 0.1);
}

TEST(GrowthFit, FitsOnlyTheWindow) {
  // n = 1 before t = 50, n = 0.25 after; points outside the window may even be invalid.
  std::vector<double> t{0.0, -1.0}, l{0.0, std::nan("")};
  for (double ti = 1; ti <= 400; ti += 1) {
    t.push_back(ti);
    l.push_back(ti < 50 ? ti : 50 * std::pow(ti / 50, 0.25));
  }
  const PowerLawFit late = fit_power_law(t, l, 50, 400);
  EXPECT_NEAR(late.exponent, 0.25, 1e-12);
  EXPECT_EQ(late.points, 351);
  const PowerLawFit early = fit_power_law(t, l, 2, 49);
  EXPECT_NEAR(early.exponent, 1.0, 1e-12);
}

TEST(GrowthFit, RefusesWhatCannotBeFitted) {
  const std::vector<double> t{1, 2, 3, 4}, l{1, 1.2, 1.3, 1.4};
  auto message = [&](std::vector<double> times, std::vector<double> lengths, double lo,
                     double hi, double c = 0.95) {
    return test::error_of([&] { fit_power_law(times, lengths, lo, hi, c); });
  };
  EXPECT_TRUE(test::contains(message(t, l, 2, 3), "holds 2 points; at least 3")) << message(t, l, 2, 3);
  EXPECT_TRUE(test::contains(message(t, l, 5, 9), "holds 0 points"));
  EXPECT_TRUE(test::contains(message(t, l, 3, 2), "start after end"));
  EXPECT_TRUE(test::contains(message({0, 1, 2, 3}, l, -1, 9), "must be positive"));
  EXPECT_TRUE(test::contains(message({-2, 1, 2, 3}, l, -5, 9), "must be positive"));
  EXPECT_TRUE(test::contains(message(t, {1, 0, 2, 3}, 0, 9), "length 0"));
  EXPECT_TRUE(test::contains(message(t, {1, std::nan(""), 2, 3}, 0, 9), "length nan"));
  EXPECT_TRUE(test::contains(message(t, {1, 2}, 0, 9), "4 times but 2 lengths"));
  EXPECT_TRUE(test::contains(message({5, 5, 5}, {1, 2, 3}, 0, 9), "same time"));
  EXPECT_TRUE(test::contains(message(t, l, 0, 9, 1.0), "confidence"));
}

}  // namespace
}  // namespace csd::analysis
