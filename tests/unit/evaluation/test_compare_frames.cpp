// compare's per-frame work: one frame pair's record and the columns that report it.
#include <gtest/gtest.h>

#include <vector>

#include "evaluation/compare_frames.h"
#include "csd/core/error.h"
#include "csd/evaluation/compare.h"
#include "csd/physics/params.h"
#include "eval_fixtures.h"

namespace csd::evaluation::detail {
namespace {

constexpr int kN = 16;

std::vector<float> stripes_frame(int t) {
  std::vector<float> phi(kN * kN);
  for (int y = 0; y < kN; ++y)
    for (int x = 0; x < kN; ++x) phi[y * kN + x] = test::stripes(0, t, y, x, kN);
  return phi;
}

TEST(CompareFrame, CountsAndFractionsOfThePixelsOutOfRange) {
  const FrameTools tools(kN, physics::Params{});
  const std::vector<float> b0 = stripes_frame(0), b = stripes_frame(1);
  std::vector<float> a = b;
  a[0] = 1.1f;   // outside [−0.05, 1.05] only
  a[1] = -0.3f;  // outside both ranges
  const PairRecord r = compare_frame(tools, a, b, b0, 0.004);
  EXPECT_EQ(r.pixels, kN * kN);
  EXPECT_EQ(r.outside_a, 2);
  EXPECT_EQ(r.far_outside_a, 1);
  EXPECT_EQ(r.outside_fraction_a, 2.0 / (kN * kN));
  EXPECT_EQ(r.far_outside_fraction_a, 1.0 / (kN * kN));
  EXPECT_FLOAT_EQ(r.a.min_phi, -0.3f);
  EXPECT_GT(r.mae, 0.0);
  EXPECT_GT(r.mae_persistence, 0.0);
  // B against itself: no error, the same descriptors on both sides.
  const PairRecord same = compare_frame(tools, b, b, b0, 0.004);
  EXPECT_EQ(same.mae, 0.0);
  EXPECT_EQ(same.interface_error, 0.0);
  EXPECT_EQ(same.a.values(), same.b.values());
  EXPECT_EQ(same.mae_persistence, r.mae_persistence);
}

TEST(PairColumns, ReadTheirMembersAndSides) {
  PairRecord r;
  r.mae = 0.1;
  r.interface_error = -0.25;
  r.outside_fraction_a = 0.5;
  r.a.f = 1;
  r.b.f = 2;
  r.a.min_phi = -0.1;
  EXPECT_EQ(pair_column(&PairRecord::mae).name, "mae");
  EXPECT_EQ(pair_column(&PairRecord::interface_error).value(r), -0.25);
  EXPECT_EQ(pair_column(&PairRecord::interface_error).ensemble_value(r), 0.25);
  EXPECT_EQ(pair_column(&PairRecord::outside_fraction_a).name, "outside_a");
  EXPECT_EQ(pair_column(&PairRecord::outside_fraction_a).value(r), 0.5);
  EXPECT_EQ(pair_column(&PairRecord::a, &FrameRecord::f).name, "f_a");
  EXPECT_EQ(pair_column(&PairRecord::b, &FrameRecord::f).value(r), 2.0);
  EXPECT_EQ(pair_column(&PairRecord::a, &FrameRecord::min_phi).name, "phi_min_a");
  EXPECT_EQ(pair_column(&PairRecord::a, &FrameRecord::min_phi).value(r), -0.1);
  // grad is not compared, and B's φ range is not a column.
  EXPECT_THROW(pair_column(&PairRecord::a, &FrameRecord::grad), Error);
  EXPECT_THROW(pair_column(&PairRecord::b, &FrameRecord::min_phi), Error);
  // Only interface_error enters the ensemble as a magnitude.
  for (const auto& c : pair_columns())
    EXPECT_EQ(c.ensemble == Ensemble::kMagnitude, c.name == "interface_error") << c.name;
}

TEST(PairColumns, ThePublicNameListsAreTheColumnsAfterTheErrors) {
  std::vector<std::string> names{"mae", "mae_persistence", "interface_error"};
  for (const auto& d : compare_descriptor_names()) {
    names.push_back(d + "_a");
    names.push_back(d + "_b");
  }
  for (const auto& q : pair_extra_names()) names.push_back(q);
  EXPECT_EQ(column_names(pair_columns()), names);
}

}  // namespace
}  // namespace csd::evaluation::detail
