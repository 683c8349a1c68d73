#include <gtest/gtest.h>

#include <cmath>

#include "analytic_fields.h"
#include "csd/analysis/metrics.h"
#include "csd/core/error.h"

namespace csd::analysis {
namespace {

using testing::Frame;
using testing::make_frame;

TEST(Mae, MeanOfAbsoluteDifferences) {
  const float a[4] = {0.0f, 1.0f, 0.5f, 0.25f};
  const float b[4] = {0.5f, 0.5f, 0.5f, 0.75f};  // |Δ| = 0.5, 0.5, 0, 0.5
  EXPECT_DOUBLE_EQ(mae(a, b, 4), 0.375);
  EXPECT_DOUBLE_EQ(mae(b, a, 4), 0.375);
  EXPECT_DOUBLE_EQ(mae(a, a, 4), 0.0);
}

TEST(Mae, FieldOverloadMatchesBufferAndChecksShape) {
  Field a(2, 2), b(2, 2);
  a << 0.0, 1.0, 0.5, 0.25;
  b << 0.5, 0.5, 0.5, 0.75;
  EXPECT_DOUBLE_EQ(mae(a, b), 0.375);
  EXPECT_THROW(mae(a, Field(2, 3)), csd::Error);
  const float x = 0.0f;
  EXPECT_THROW(mae(&x, &x, 0), csd::Error);
}

// Two flat equilibrium interfaces φ = ½(tanh(3(x−a)/ε) − tanh(3(x−b)/ε)) across a
// periodic N×N grid: total length 2N over area N², so 2⟨w⟩ must equal 2/N.
// (ε/2 φ'² = w for this profile and ∫ 2w dx = ∫₀¹ 6φ(1−φ) dφ = 1.)
TEST(InterfaceLength, FlatEquilibriumInterfaceHasUnitEnergyPerLength) {
  const int n = 64;
  for (double epsilon : {5.0, 8.0}) {
    const double a = n / 4 + 0.3, b = 3 * n / 4 + 0.3;
    const Frame slab = make_frame(n, [&](double, double x) {
      return 0.5 * (std::tanh(3 * (x - a) / epsilon) - std::tanh(3 * (x - b) / epsilon));
    });
    const double expected = 2.0 / n;
    EXPECT_NEAR(interface_length(slab.data(), n, epsilon), expected, 0.02 * expected)
        << "epsilon = " << epsilon;
  }
}

// A disc of radius R: ∫ 2w(r − R) r dr = R (the profile is symmetric about R), so
// 2⟨w⟩ = 2πR / N².
TEST(InterfaceLength, DiscGivesCircumferencePerArea) {
  const int n = 64;
  const double radius = 20.0;
  const Frame d = testing::disc(n, radius);
  const double expected = 2 * testing::kPi * radius / (n * n);
  EXPECT_NEAR(interface_length(d.data(), n, 5.0), expected, 0.02 * expected);
}

TEST(InterfaceLength, UniformPhasesHaveNoInterface) {
  const int n = 8;
  Field zeros = Field::Zero(n, n), ones = Field::Ones(n, n);
  EXPECT_DOUBLE_EQ(interface_length(zeros, 5.0), 0.0);
  EXPECT_DOUBLE_EQ(interface_length(ones, 5.0), 0.0);
  EXPECT_THROW(interface_length(Field(3, 4), 5.0), csd::Error);
  EXPECT_THROW(interface_length(zeros, 0.0), csd::Error);
}

TEST(RelativeError, IsAbsoluteRelativeDeviation) {
  EXPECT_NEAR(relative_error(1.05, 1.0), 0.05, 1e-15);
  EXPECT_NEAR(relative_error(0.95, 1.0), 0.05, 1e-15);
  EXPECT_NEAR(relative_error(-3.0, -2.0), 0.5, 1e-15);
  EXPECT_TRUE(std::isnan(relative_error(1.0, 0.0)));
}

TEST(CountOutside, CountsValuesBeyondEitherEndAndNaNButNotTheEnds) {
  const float phi[8] = {-0.3f, -0.1f, 0.5f, 1.1f, 1.3f, 0.0f, 1.0f, std::nanf("")};
  EXPECT_EQ(count_outside(phi, 8, -0.2, 1.2), 3u);  // −0.3, 1.3, NaN
  EXPECT_EQ(count_outside(phi, 8, 0.0, 1.0), 5u);   // and −0.1, 1.1; the ends 0 and 1 are in
  EXPECT_EQ(count_outside(phi, 0, 0.0, 1.0), 0u);
}

}  // namespace
}  // namespace csd::analysis
