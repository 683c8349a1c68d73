#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analytic_fields.h"
#include "csd/analysis/descriptors.h"
#include "csd/analysis/metrics.h"
#include "csd/core/error.h"
#include "error_capture.h"

namespace csd::analysis {
namespace {

// The analyzer must agree with the single-purpose functions and with the energy
// bookkeeping ⟨f⟩ = 2⟨w⟩ + ⟨ρ⟩.
TEST(FrameAnalyzer, CombinesEnergiesAndGeometry) {
  const int n = 64;
  const physics::Params p;
  const FrameAnalyzer analyze(n, p);
  const testing::Frame d = testing::disc(n, 20.0);
  const double eta = 0.006;
  const FrameDescriptors out = analyze(d.data(), eta);

  EXPECT_NEAR(out.interface_length, interface_length(d.data(), n, p.epsilon), 1e-12);
  // The disc's circumference per area, 2πR/N² (see test_metrics).
  const double circumference = 2 * testing::kPi * 20.0 / (n * n);
  EXPECT_NEAR(out.interface_length, circumference, 0.02 * circumference);
  EXPECT_NEAR(out.energies.f, 2 * out.energies.w + out.energies.rho, 1e-12);
  EXPECT_GT(out.energies.rho, 0.0);  // a misfitting precipitate stores elastic energy
  EXPECT_DOUBLE_EQ(out.isotropy, isotropy_degree(d.data(), n));
  EXPECT_DOUBLE_EQ(out.fractal_dimension, boundary_fractal_dimension(d.data(), n));
  EXPECT_DOUBLE_EQ(out.spectrum.length, StructureFactor(n).moments(d.data()).length);
  EXPECT_EQ(out.topology.euler, 1);  // one disc
  EXPECT_EQ(out.topology.domains, 1);
}

TEST(FrameAnalyzer, UniformFrameHasNoGeometry) {
  const int n = 32;
  const FrameAnalyzer analyze(n, physics::Params{});
  const testing::Frame flat(n * n, 0.5f);
  const FrameDescriptors out = analyze(flat.data(), 0.006);
  EXPECT_NEAR(out.energies.rho, 0.0, 1e-12);
  EXPECT_TRUE(std::isnan(out.isotropy));
  EXPECT_TRUE(std::isnan(out.fractal_dimension));
}

// Any N >= 16: whole HOG cells and whole boxes (hog.h, fractal.h).
TEST(FrameAnalyzer, MeasuresGridsThatAreNotMultiplesOfTheCells) {
  for (const int n : {30, 50}) {
    const FrameAnalyzer analyze(n, physics::Params{});
    const testing::Frame d = testing::disc(n, 0.3 * n);
    const FrameDescriptors out = analyze(d.data(), 0.006);
    EXPECT_TRUE(std::isfinite(out.isotropy)) << "N " << n;
    EXPECT_TRUE(std::isfinite(out.fractal_dimension)) << "N " << n;
    EXPECT_DOUBLE_EQ(out.isotropy, isotropy_degree(d.data(), n));
    EXPECT_DOUBLE_EQ(out.fractal_dimension, boundary_fractal_dimension(d.data(), n));
  }
}

TEST(FrameAnalyzer, SmallGridsAreRefusedInUserTerms) {
  EXPECT_EQ(min_descriptor_size(), 16);
  for (const int n : {4, 12}) {
    const std::string message =
        csd::test::error_of([&] { FrameAnalyzer(n, physics::Params{}); });
    EXPECT_TRUE(csd::test::contains(message, "N = " + std::to_string(n))) << message;
    EXPECT_TRUE(csd::test::contains(message, "N >= 16")) << message;
    EXPECT_FALSE(csd::test::contains(message, "BoxCountingOptions")) << message;
  }
  EXPECT_NO_THROW(FrameAnalyzer(16, physics::Params{}));
}

}  // namespace
}  // namespace csd::analysis
