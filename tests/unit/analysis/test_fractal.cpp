#include <gtest/gtest.h>

#include <cmath>

#include "analytic_fields.h"
#include "csd/analysis/fractal.h"
#include "csd/core/error.h"
#include "error_capture.h"

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

// Any N: powers of two up to N/4, counted on the largest window of whole boxes.
TEST(BoxCounts, DefaultSizesAndWindowForAnyGrid) {
  EXPECT_EQ(default_box_sizes(30), (std::vector<int>{2, 4}));
  EXPECT_EQ(default_box_sizes(50), (std::vector<int>{2, 4, 8}));
  EXPECT_EQ(default_box_sizes(243), (std::vector<int>{2, 4, 8, 16, 32}));
  EXPECT_EQ(box_counting_window(30, default_box_sizes(30)), 28);
  EXPECT_EQ(box_counting_window(50, default_box_sizes(50)), 48);
  EXPECT_EQ(box_counting_window(243, default_box_sizes(243)), 224);
  EXPECT_EQ(box_counting_window(128, default_box_sizes(128)), 128);
  EXPECT_EQ(box_counting_window(729, {3, 9, 27, 81}), 729);
  EXPECT_EQ(box_counting_window(100, {4, 6}), 96);  // lcm 12
  EXPECT_THROW(box_counting_window(20, {3, 8}), csd::Error);  // lcm 24 > 20
}

// D_b of N = 30 and 50 is that of the whole-box window (28², 48²) wherever the window's
// interface mask is that of the periodic window field.
TEST(FractalDimension, AnyGridCountsTheWholeBoxWindowLikeTheCroppedField) {
  for (const int n : {30, 50}) {
    const int m = box_counting_window(n, default_box_sizes(n));
    const Frame inner = testing::disc(m, 0.3 * m);
    const Frame padded = testing::pad_periodically(inner, m, n);
    const double db = boundary_fractal_dimension(padded.data(), n);
    EXPECT_TRUE(std::isfinite(db)) << "N " << n;
    EXPECT_DOUBLE_EQ(db, boundary_fractal_dimension(inner.data(), m)) << "N " << n;
  }
}

TEST(FractalDimension, SmallGridsAreRefusedNamingTheMinimum) {
  const Frame d = testing::disc(12, 4.0);
  const std::string message =
      csd::test::error_of([&] { boundary_fractal_dimension(d.data(), 12); });
  EXPECT_TRUE(csd::test::contains(message, "N = 16")) << message;
  EXPECT_TRUE(csd::test::contains(message, "N = 12")) << message;
  EXPECT_FALSE(csd::test::contains(message, "BoxCountingOptions")) << message;
  const Frame sixteen = testing::disc(16, 5.0);
  EXPECT_TRUE(std::isfinite(boundary_fractal_dimension(sixteen.data(), 16)));
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
  // The default powers of two 2–128 count the whole-box window of 640² instead.
  EXPECT_EQ(box_counting_window(n, default_box_sizes(n)), 640);
  EXPECT_TRUE(std::isfinite(boundary_fractal_dimension(carpet.data(), n)));
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
