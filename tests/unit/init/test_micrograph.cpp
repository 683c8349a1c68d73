// The image operations of csd import: crop, inversion, Gaussian smoothing, exact mean.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "csd/init/micrograph.h"
#include "error_capture.h"

namespace csd::init {
namespace {

/// A width × height image whose pixel (x, y) holds 100·y + x.
GreyField numbered(int width, int height) {
  GreyField f{width, height, std::vector<double>(static_cast<size_t>(width) * height)};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) f.values[static_cast<size_t>(y) * width + x] = 100 * y + x;
  return f;
}

TEST(Micrograph, CentreCropKeepsTheMiddlePixelsOneForOne) {
  const GreyField crop = centre_crop(numbered(9, 6), 4);  // 5 columns and 2 rows dropped
  ASSERT_EQ(crop.width, 4);
  ASSERT_EQ(crop.height, 4);
  // Columns 2..5 (two dropped on the left, three on the right), rows 1..4.
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) EXPECT_EQ(crop.values[y * 4 + x], 100 * (y + 1) + (x + 2));
  EXPECT_TRUE(test::contains(test::error_of([] { centre_crop(numbered(9, 6), 8); }),
                             "choose a size no larger than 6"));
}

TEST(Micrograph, InvertMirrorsAboutOneHalf) {
  GreyField f{2, 1, {0.25, 1.0}};
  invert(f);
  EXPECT_DOUBLE_EQ(f.values[0], 0.75);
  EXPECT_DOUBLE_EQ(f.values[1], 0.0);
}

TEST(Micrograph, GaussianSmoothSpreadsAPointAsAGaussianAndKeepsConstants) {
  const int n = 41;
  GreyField point{n, n, std::vector<double>(n * n, 0.0)};
  point.values[20 * n + 20] = 1.0;
  gaussian_smooth(point, 2.0);
  const auto at = [&](int x, int y) { return point.values[y * n + x]; };
  double total = 0;
  for (double v : point.values) total += v;
  EXPECT_NEAR(total, 1.0, 1e-12);  // far from the edges nothing is lost
  EXPECT_NEAR(at(21, 20) / at(20, 20), std::exp(-1.0 / 8.0), 1e-12);
  EXPECT_NEAR(at(23, 22) / at(20, 20), std::exp(-13.0 / 8.0), 1e-12);
  EXPECT_NEAR(at(20, 20), 1.0 / (2 * M_PI * 4.0), 2e-4);  // the continuous peak height

  GreyField flat{7, 5, std::vector<double>(35, 0.3)};
  gaussian_smooth(flat, 3.0);  // mirrored edges: a constant stays constant up to the edges
  for (double v : flat.values) EXPECT_NEAR(v, 0.3, 1e-12);
  GreyField same = numbered(5, 5);
  gaussian_smooth(same, 0.0);
  EXPECT_EQ(same.values, numbered(5, 5).values);
}

TEST(Micrograph, GaussianSmoothNeverMixesOppositeEdges) {
  // A bright left column: a periodic blur would carry it to the right edge.
  const int n = 16;
  GreyField f{n, n, std::vector<double>(n * n, 0.0)};
  for (int y = 0; y < n; ++y) f.values[y * n] = 1.0;
  gaussian_smooth(f, 1.0);
  for (int y = 0; y < n; ++y) {
    EXPECT_GT(f.values[y * n], 0.5);                  // the column keeps its mirrored half
    EXPECT_LT(f.values[y * n + n - 1], 1e-12) << y;  // nothing reaches the far edge
  }
}

TEST(Micrograph, ShiftToMeanHitsTheMeanAfterClippingAndKeepsTheOrder) {
  GreyField f{64, 1, {}};
  for (int i = 0; i < 64; ++i) f.values.push_back(std::pow(i / 63.0, 3));  // mostly dark
  const GreyField before = f;
  const double shift = shift_to_mean(f, 0.6);
  EXPECT_GT(shift, 0.0);
  EXPECT_NEAR(mean_of(f), 0.6, 1e-14);
  const long at_one = std::count(f.values.begin(), f.values.end(), 1.0);
  EXPECT_GT(at_one, 0);  // the bright end is clipped: a plain shift by 0.6 - mean would miss
  for (int i = 0; i < 64; ++i) {
    EXPECT_GE(f.values[i], 0.0);
    EXPECT_LE(f.values[i], 1.0);
    EXPECT_DOUBLE_EQ(f.values[i], std::clamp(before.values[i] + shift, 0.0, 1.0));
  }
  GreyField constant{4, 4, std::vector<double>(16, 0.9)};
  shift_to_mean(constant, 0.2);
  for (double v : constant.values) EXPECT_NEAR(v, 0.2, 1e-14);
}

}  // namespace
}  // namespace csd::init
