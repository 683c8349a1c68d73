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

TEST(InterfaceMask, MarksOnePixelPerBoundaryEdgePeriodically) {
  const int n = 8;
  Frame f(n * n, 0.0f);
  f[0] = 1.0f;  // one pixel at the corner; its 4 boundary edges mark 3 distinct pixels
  const auto mask = interface_mask(f.data(), n, 0.5);
  int marked = 0;
  for (auto m : mask) marked += m;
  EXPECT_EQ(marked, 3);
  EXPECT_EQ(mask[0], 1);              // its right and lower edges
  EXPECT_EQ(mask[n - 1], 1);          // (0, n−1): right neighbour wraps to (0, 0)
  EXPECT_EQ(mask[(n - 1) * n], 1);    // (n−1, 0): lower neighbour wraps to (0, 0)
  // Swapping the phases leaves the mask unchanged.
  Frame g(f);
  for (float& v : g) v = 1.0f - v;
  EXPECT_EQ(interface_mask(g.data(), n, 0.5), mask);
}

TEST(BoxCounts, CountsOccupiedBoxesOnShiftedPeriodicGrids) {
  const int n = 8;
  std::vector<std::uint8_t> mask(n * n, 0);
  mask[0] = 1;
  mask[n * n - 1] = 1;  // opposite corners (0, 0) and (7, 7)
  EXPECT_EQ(box_counts(mask, n, {1, 2, 4, 8}, 1), (std::vector<double>{2, 2, 2, 1}));
  // L = 2, shifts {0, 1}²: the grid shifted by (1, 1) puts both corners in one
  // wrapped box, the other three grids need two: mean 7/4.
  EXPECT_EQ(box_counts(mask, n, {2}, 4), (std::vector<double>{1.75}));
  EXPECT_THROW(box_counts(mask, n, {3}), csd::Error);
  EXPECT_THROW(box_counts(mask, n, {2}, 0), csd::Error);
  EXPECT_EQ(default_box_sizes(128), (std::vector<int>{2, 4, 8, 16, 32}));
  EXPECT_EQ(default_box_sizes(96), (std::vector<int>{2, 4, 8, 16}));
}

// A straight line marks one pixel column: N(L) = 2 lines · N/L, wherever it sits.
TEST(FractalDimension, StraightInterfaceIsOne) {
  const int n = 256;
  const Frame vertical = slab(n, n / 4 - 0.5, 3 * n / 4 - 0.5);
  EXPECT_NEAR(boundary_fractal_dimension(vertical.data(), n), 1.0, 1e-12);
  const Frame horizontal = testing::transpose(vertical, n);
  EXPECT_NEAR(boundary_fractal_dimension(horizontal.data(), n), 1.0, 1e-12);
  const Frame off_box_edges = slab(n, 70.3, 181.7);
  EXPECT_NEAR(boundary_fractal_dimension(off_box_edges.data(), n), 1.0, 1e-12);
}

// Circles of radius 0.2–0.45 N at N = 256, default boxes 2…64 (numpy prototype of
// the same algorithm: 0.97–1.04 over N = 128…512).
TEST(FractalDimension, CircleIsOne) {
  const int n = 256;
  for (double fraction : {0.2, 0.27, 1.0 / 3.0, 0.45}) {
    const Frame d = testing::disc(n, fraction * n);
    EXPECT_NEAR(boundary_fractal_dimension(d.data(), n), 1.0, 0.05) << "R/N = " << fraction;
  }
}

// The boundaries of a level-6 carpet's holes fill the carpet: D_b → log 8 / log 3.
// Box sizes must be powers of 3 here. On the origin grid N(L) = 41097, 5117, 633, 77
// (slope 1.905); averaged over shifted grids the numpy prototype also gives 1.905.
TEST(FractalDimension, SierpinskiCarpetBoundary) {
  int n = 0;
  const Frame carpet = testing::sierpinski_carpet(6, &n);
  ASSERT_EQ(n, 729);
  BoxCountingOptions options;
  options.box_sizes = {3, 9, 27, 81};
  const auto mask = interface_mask(carpet.data(), n, 0.5);
  EXPECT_EQ(box_counts(mask, n, options.box_sizes, 1),
            (std::vector<double>{41097, 5117, 633, 77}));
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
