#include <gtest/gtest.h>

#include <cmath>

#include "analytic_fields.h"
#include "csd/analysis/hog.h"
#include "csd/core/error.h"
#include "csd/init/initial_conditions.h"
#include "error_capture.h"

namespace csd::analysis {
namespace {

using testing::Frame;

Frame perlin_frame(int n, std::uint64_t seed) {
  init::PerlinOptions o;
  o.seed = seed;
  o.amplitude = 0.4;
  const Field f = init::perlin_field(n, o);
  return Frame(f.data(), f.data() + f.size());
}

// Stripes along ⟨10⟩: every gradient points along x (θ = 0°), so all magnitude is
// split evenly between bins 9 and 0 and I = 0.
TEST(Hog, StripesAlongAxesAreAnisotropic) {
  const int n = 64;
  const Frame vertical = testing::vertical_stripes(n);
  const Frame horizontal = testing::transpose(vertical, n);
  const HogHistogram h = hog_histogram(vertical.data(), n);
  EXPECT_GT(h[0], 0.1);
  EXPECT_NEAR(h[0], h[9], 1e-12);
  for (int b = 1; b < 9; ++b) EXPECT_EQ(h[b], 0.0) << "bin " << b;
  EXPECT_LT(isotropy_degree(vertical.data(), n), 0.3);
  EXPECT_LT(isotropy_degree(horizontal.data(), n), 0.3);
  EXPECT_NEAR(isotropy_degree(horizontal.data(), n), 0.0, 1e-12);
}

// A disc has every interface orientation equally often.
TEST(Hog, DiscIsIsotropic) {
  const int n = 64;
  const Frame d = testing::disc(n, n / 3.0);
  const double iso = isotropy_degree(d.data(), n);
  EXPECT_GT(iso, 0.7);
  EXPECT_LT(iso, 1.3);
}

// Stripes along ⟨11⟩ put all magnitude in the non-axial bin centred on 135°.
TEST(Hog, DiagonalStripesAreNonAxial) {
  const int n = 64;
  const Frame diag = testing::make_frame(n, [](double y, double x) {
    return 0.5 + 0.5 * std::tanh(std::sin(2 * testing::kPi * (x + y) / 16.0) / 0.3);
  });
  EXPECT_GT(isotropy_degree(diag.data(), n), 10.0);
}

// 90° rotation maps θ → θ + 90°, i.e. bin b → b + 5, and the cell/block tiling onto
// itself (N multiple of the cell size): the histogram is permuted and I is unchanged.
// Transposition maps θ → 90° − θ, bin b → 4 − b (mod 10).
TEST(Hog, InvariantUnderSquareSymmetries) {
  const int n = 64;
  const Frame f = perlin_frame(n, 7);
  const HogHistogram h = hog_histogram(f.data(), n);
  const Frame rotated = testing::rotate90(f, n);
  const HogHistogram hr = hog_histogram(rotated.data(), n);
  const Frame transposed = testing::transpose(f, n);
  const HogHistogram ht = hog_histogram(transposed.data(), n);
  for (int b = 0; b < kHogBins; ++b) {
    EXPECT_NEAR(hr[(b + 5) % kHogBins], h[b], 1e-12) << "bin " << b;
    EXPECT_NEAR(ht[(4 - b + kHogBins) % kHogBins], h[b], 1e-12) << "bin " << b;
  }
  const double iso = isotropy_degree(h);
  EXPECT_NEAR(isotropy_degree(rotated.data(), n), iso, 1e-12);
  EXPECT_NEAR(isotropy_degree(transposed.data(), n), iso, 1e-12);
  // A Perlin field has no preferred direction, but is not perfectly isotropic either.
  EXPECT_GT(iso, 0.5);
  EXPECT_LT(iso, 2.0);
}

TEST(Hog, FieldOverloadMatchesFloatBuffer) {
  const int n = 32;
  const Frame f = perlin_frame(n, 3);
  Field field(n, n);
  for (int i = 0; i < n * n; ++i) field.data()[i] = f[i];
  EXPECT_NEAR(isotropy_degree(field), isotropy_degree(f.data(), n), 1e-12);
}

TEST(Hog, UniformFieldIsUndefinedAndBadGridsAreRejected) {
  const Frame flat(16 * 16, 0.3f);
  EXPECT_TRUE(std::isnan(isotropy_degree(flat.data(), 16)));
  HogOptions big;
  big.cell_size = 16;
  big.block_cells = 2;
  EXPECT_THROW(hog_histogram(flat.data(), 16, big), csd::Error);  // one cell < one block
}

// Any N: whole cells only (scikit-image's rule). A field whose whole-cell part is a
// periodic m×m field, and whose remainder rows only repeat its periodic neighbours, has
// exactly the histogram of that m×m field.
TEST(Hog, AnyGridUsesWholeCellsLikeTheCroppedField) {
  for (const int n : {30, 50}) {
    const int m = n / 4 * 4;  // 28, 48
    const Frame inner = perlin_frame(m, 11);
    const Frame padded = testing::pad_periodically(inner, m, n);
    const HogHistogram h = hog_histogram(padded.data(), n);
    const HogHistogram expected = hog_histogram(inner.data(), m);
    for (int b = 0; b < kHogBins; ++b) EXPECT_NEAR(h[b], expected[b], 1e-12) << "N " << n;
    EXPECT_TRUE(std::isfinite(isotropy_degree(h))) << "N " << n;
    EXPECT_NEAR(isotropy_degree(padded.data(), n), isotropy_degree(inner.data(), m), 1e-12);
  }
}

// N = 31 covers rows 0–27: row 28 is the lower neighbour of row 27 and row 30 the upper
// neighbour of row 0, but row 29 is in no cell and no cell's neighbour.
TEST(Hog, RemainderRowsOutsideTheCellsAreIgnored) {
  const int n = 31;
  const Frame f = perlin_frame(n, 5);
  Frame changed = f;
  for (int x = 0; x < n; ++x) {
    changed[std::size_t(29) * n + x] = 1.0f - f[std::size_t(29) * n + x];  // row 29
    changed[std::size_t(x) * n + 29] = 0.0f;                               // column 29
  }
  const HogHistogram a = hog_histogram(f.data(), n), b = hog_histogram(changed.data(), n);
  for (int k = 0; k < kHogBins; ++k) EXPECT_EQ(a[k], b[k]) << "bin " << k;
  changed[std::size_t(28) * n + 3] += 0.5f;  // a neighbour of the cells does count
  EXPECT_NE(hog_histogram(changed.data(), n), a);
}

TEST(Hog, GridsSmallerThanOneBlockAreRefusedNamingTheMinimum) {
  EXPECT_EQ(hog_min_size(), 8);
  const Frame small(6 * 6, 0.3f);
  const std::string message = csd::test::error_of([&] { hog_histogram(small.data(), 6); });
  EXPECT_TRUE(csd::test::contains(message, "N = 8")) << message;
  EXPECT_TRUE(csd::test::contains(message, "N = 6")) << message;
  const Frame eight = perlin_frame(8, 2);  // one block of 2×2 cells: accepted
  EXPECT_TRUE(std::isfinite(isotropy_degree(eight.data(), 8)));
}

}  // namespace
}  // namespace csd::analysis
