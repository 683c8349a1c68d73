// compare's snapshot sheets: which frames are drawn, where each panel lies, what it shows.
#include <gtest/gtest.h>

#include <vector>

#include "evaluation/snapshot_sheet.h"
#include "csd/io/image.h"

namespace csd::evaluation::detail {
namespace {

TEST(SnapshotFrames, FirstMarkedInsideAndLast) {
  EXPECT_EQ(snapshot_frames(11, {1, 5, 10}), (std::vector<int>{0, 1, 5, 10}));
  EXPECT_EQ(snapshot_frames(11, {100}), (std::vector<int>{0, 10}));  // headline not there
  EXPECT_EQ(snapshot_frames(5, {2}), (std::vector<int>{0, 2, 4}));
  EXPECT_EQ(snapshot_frames(5, {0, 4}), (std::vector<int>{0, 4}));  // drawn once
  EXPECT_EQ(snapshot_frames(1, {}), (std::vector<int>{0}));
}

TEST(SnapshotPath, NumbersTheSequenceWithFiveDigits) {
  EXPECT_EQ(snapshot_path("out", 3), "out/snapshots/seq00003.png");
  EXPECT_EQ(snapshot_path("/a/b", 12345), "/a/b/snapshots/seq12345.png");
}

TEST(SnapshotSheet, PanelsShowReferencePredictionAndTheirDifference) {
  constexpr int n = 32;
  SnapshotSheet sheet(n, {0, 2, 4}, "REF", "PRED");
  // 32² fields drawn at scale 6 (192 px), 4 px gaps, 30 px for "T=4", 18 px of titles.
  EXPECT_EQ(sheet.image().width, 30 + 3 * 196);
  EXPECT_EQ(sheet.image().height, 18 + 3 * 196);
  EXPECT_EQ(sheet.column_x(1), 30 + 196);
  EXPECT_EQ(sheet.row_y(2), 18 + 2 * 196);

  const std::vector<float> reference(n * n, 0.25f), prediction(n * n, 0.75f);
  const io::Rgb blank{255, 255, 255};
  sheet.add_frame(3, reference, prediction);  // not a snapshot frame: nothing drawn
  for (int row = 0; row < 3; ++row)
    EXPECT_EQ(sheet.image().at(sheet.column_x(0) + 10, sheet.row_y(row) + 10), blank);

  sheet.add_frame(2, reference, prediction);
  const int y = sheet.row_y(1) + 100;
  EXPECT_EQ(sheet.image().at(sheet.column_x(0) + 100, y), io::viridis(0.25));
  EXPECT_EQ(sheet.image().at(sheet.column_x(1) + 100, y), io::viridis(0.75));
  EXPECT_EQ(sheet.image().at(sheet.column_x(2) + 100, y), io::viridis(0.5));
  EXPECT_EQ(sheet.image().at(sheet.column_x(0) + 100, sheet.row_y(0) + 100), blank);
}

}  // namespace
}  // namespace csd::evaluation::detail
