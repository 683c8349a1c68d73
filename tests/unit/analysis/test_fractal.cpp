#include <gtest/gtest.h>

#include <cmath>

#include "analytic_fields.h"
#include "csd/analysis/fractal.h"
#include "csd/core/error.h"

namespace csd::analysis {
namespace {

using testing::Frame;

// Slab a < x < b with flat tanh interfaces: both interfaces are straight lines.
Frame slab(int n, double a, double b) {
  return testing::make_frame(n, [=](double, double x) {
    return 0.5 * (std::tanh(0.6 * (x - a)) - std::tanh(0.6 * (x - b)));
  });
}

TEST(InterfaceMask, MarksBothSidesOfTheBoundaryPeriodically) {
  const int n = 8;
  Frame f(n * n, 0.0f);
  f[0] = 1.0f;  // one pixel at the corner: itself and its 4 wrapped neighbours
  const auto mask = interface_mask(f.data(), n, 0.5);
  int marked = 0;
  for (auto m : mask) marked += m;
  EXPECT_EQ(marked, 5);
  EXPECT_EQ(mask[0], 1);
  EXPECT_EQ(mask[n - 1], 1);            // (0, n−1)
  EXPECT_EQ(mask[(n - 1) * n], 1);      // (n−1, 0)
  EXPECT_EQ(mask[1], 1);
  EXPECT_EQ(mask[n], 1);
  EXPECT_EQ(mask[n + 1], 0);            // diagonal neighbour is not a 4-neighbour
}

TEST(BoxCounts, CountsOccupiedBoxes) {
  const int n = 8;
  std::vector<std::uint8_t> mask(n * n, 0);
  mask[0] = 1;
  mask[n * n - 1] = 1;  // opposite corners
  EXPECT_EQ(box_counts(mask, n, {1, 2, 4, 8}), (std::vector<long>{2, 2, 2, 1}));
  EXPECT_THROW(box_counts(mask, n, {3}), csd::Error);
  EXPECT_EQ(default_box_sizes(128), (std::vector<int>{2, 4, 8, 16, 32}));
  EXPECT_EQ(default_box_sizes(96), (std::vector<int>{2, 4, 8, 16}));
}

// A straight line: N(L) = 2 lines × 2 box columns … ∝ 1/L exactly.
TEST(FractalDimension, StraightInterfaceIsOne) {
  const int n = 256;
  const Frame vertical = slab(n, n / 4 - 0.5, 3 * n / 4 - 0.5);
  EXPECT_NEAR(boundary_fractal_dimension(vertical.data(), n), 1.0, 0.05);
  const Frame horizontal = testing::transpose(vertical, n);
  EXPECT_NEAR(boundary_fractal_dimension(horizontal.data(), n), 1.0, 0.05);
  // Off box edges the two marked columns may share a box at some L; still a line.
  const Frame shifted = slab(n, 70.3, 181.7);
  EXPECT_NEAR(boundary_fractal_dimension(shifted.data(), n), 1.0, 0.05);
}

// A circle of radius N/3 at N = 512, default boxes 2…128: measured 1.027.
TEST(FractalDimension, CircleIsOne) {
  const int n = 512;
  const Frame d = testing::disc(n, n / 3.0);
  EXPECT_NEAR(boundary_fractal_dimension(d.data(), n), 1.0, 0.05);
}

// The boundaries of a level-6 carpet's holes fill the carpet: D_b → log 8 / log 3.
// Box sizes must be powers of 3 here; N(L) = 44160, 5480, 672, 80 gives 1.915.
TEST(FractalDimension, SierpinskiCarpetBoundary) {
  int n = 0;
  const Frame carpet = testing::sierpinski_carpet(6, &n);
  ASSERT_EQ(n, 729);
  BoxCountingOptions options;
  options.box_sizes = {3, 9, 27, 81};
  const auto counts = box_counts(interface_mask(carpet.data(), n, 0.5), n, options.box_sizes);
  EXPECT_EQ(counts, (std::vector<long>{44160, 5480, 672, 80}));
  EXPECT_NEAR(boundary_fractal_dimension(carpet.data(), n, options),
              std::log(8.0) / std::log(3.0), 0.07);
  // Powers of two do not divide 3^6: the default must refuse rather than guess.
  EXPECT_THROW(boundary_fractal_dimension(carpet.data(), n), csd::Error);
}

TEST(FractalDimension, SinglePhaseIsNaN) {
  const Frame flat(64 * 64, 0.7f);
  EXPECT_TRUE(std::isnan(boundary_fractal_dimension(flat.data(), 64)));
  BoxCountingOptions one_size;
  one_size.box_sizes = {4, 4};
  EXPECT_THROW(boundary_fractal_dimension(flat.data(), 64, one_size), csd::Error);
}

TEST(FractalDimension, FieldOverloadMatchesFloatBuffer) {
  const int n = 64;
  const Frame d = testing::disc(n, 20.0);
  Field f(n, n);
  for (int i = 0; i < n * n; ++i) f.data()[i] = d[i];
  EXPECT_DOUBLE_EQ(boundary_fractal_dimension(f), boundary_fractal_dimension(d.data(), n));
}

}  // namespace
}  // namespace csd::analysis
