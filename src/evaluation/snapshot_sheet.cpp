#include "snapshot_sheet.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace csd::evaluation::detail {

std::vector<int> snapshot_frames(int frames, const std::vector<int>& marked) {
  std::vector<int> rows{0};
  for (int frame : marked)
    if (frame > 0 && frame < frames - 1) rows.push_back(frame);
  if (frames > 1) rows.push_back(frames - 1);
  return rows;
}

std::string snapshot_path(const std::string& out, int sequence) {
  char name[48];
  std::snprintf(name, sizeof name, "/snapshots/seq%05d.png", sequence);
  return out + name;
}

SnapshotSheet::SnapshotSheet(int n, const std::vector<int>& frames,
                             const std::string& reference_label,
                             const std::string& prediction_label)
    : frames_(frames), n_(n), scale_(std::max(1, 192 / n)), panel_(n * scale_),
      left_(2 * kGap + io::text_width("T=" + std::to_string(frames.back()), kText)),
      top_(2 * kGap + 5 * kText),
      image_(left_ + 3 * (panel_ + kGap),
             top_ + static_cast<int>(frames.size()) * (panel_ + kGap)) {
  const std::string titles[3] = {reference_label, prediction_label, "ABS DIFF"};
  for (int c = 0; c < 3; ++c) io::draw_text(image_, column_x(c), kGap, titles[c], kInk, kText);
  for (std::size_t r = 0; r < frames.size(); ++r)
    io::draw_text(image_, kGap, row_y(static_cast<int>(r)) + panel_ / 2 - kText * 5 / 2,
                  "T=" + std::to_string(frames[r]), kInk, kText);
}

void SnapshotSheet::add_frame(int frame, const std::vector<float>& reference,
                              const std::vector<float>& prediction) {
  const auto at = std::find(frames_.begin(), frames_.end(), frame);
  if (at == frames_.end()) return;
  const int row = static_cast<int>(at - frames_.begin());
  std::vector<float> diff(reference.size());
  for (std::size_t i = 0; i < diff.size(); ++i) diff[i] = std::abs(prediction[i] - reference[i]);
  io::paint_field(image_, reference.data(), n_, column_x(0), row_y(row), 0.0, 1.0, scale_);
  io::paint_field(image_, prediction.data(), n_, column_x(1), row_y(row), 0.0, 1.0, scale_);
  io::paint_field(image_, diff.data(), n_, column_x(2), row_y(row), 0.0, 1.0, scale_);
}

void SnapshotSheet::write(const std::string& path) const { io::write_png(path, image_); }

}  // namespace csd::evaluation::detail
