#pragma once
// compare's snapshot PNGs (private to csd_evaluation; layout in
// include/csd/evaluation/compare.h, Fig. 4a / Fig. 7 style).
#include <string>
#include <vector>

#include "csd/io/image.h"

namespace csd::evaluation::detail {

/// Frames drawn for a sequence of `frames` frames: 0, those of `marked` strictly between
/// the first and the last (H, 5H, 10H or the headline frame), and the last.
std::vector<int> snapshot_frames(int frames, const std::vector<int>& marked);

/// `out`/snapshots/seqNNNNN.png.
std::string snapshot_path(const std::string& out, int sequence);

/// Rows of [B | A | |Δφ|] panels, one row per snapshot frame, white gaps between panels,
/// column titles on top and "T=<frame>" on the left (io::draw_text's 3×5 font, drawn 2×).
/// φ and |Δφ| are both mapped from [0, 1]; panels are at least 192 px.
class SnapshotSheet {
 public:
  /// A sheet for n×n fields at `frames` (ascending, not empty).
  SnapshotSheet(int n, const std::vector<int>& frames, const std::string& reference_label,
                const std::string& prediction_label);

  /// Draws the row of `frame` if it is one of the sheet's frames.
  void add_frame(int frame, const std::vector<float>& reference,
                 const std::vector<float>& prediction);
  void write(const std::string& path) const;

  /// Top-left corner of a panel (column 0 = B, 1 = A, 2 = |Δφ|).
  int column_x(int column) const { return left_ + column * (panel_ + kGap); }
  int row_y(int row) const { return top_ + row * (panel_ + kGap); }
  const io::Image& image() const { return image_; }

 private:
  static constexpr int kGap = 4;
  static constexpr int kText = 2;
  static constexpr io::Rgb kInk{0, 0, 0};
  std::vector<int> frames_;
  int n_, scale_, panel_, left_, top_;
  io::Image image_;
};

}  // namespace csd::evaluation::detail
