#pragma once
/// Animated GIFs of evolving fields (`csd rollout --gif K`, `csd evaluate --gif K`):
/// every K-th frame, fields in viridis over [0, 1] (io/image.h), the time "t=<frame> tau"
/// on top, panels side by side with their titles, written through io::GifWriter
/// (atomic). Bounded in size: a panel is at most kGifMaxPanel pixels (larger fields are
/// box-averaged down), and at most kGifMaxFrames frames are drawn (a larger K is then
/// used, with a warning).
///
///   FieldAnimation gif("run.gif", n, {"solver", "surrogate", "abs diff"});
///   for (int t : gif_frames(T, 5).frames) gif.add(t, {ref_t, pred_t, diff_t});
///   gif.finish();
#include <memory>
#include <string>
#include <vector>

namespace csd::evaluation {

inline constexpr int kGifMaxFrames = 200;
inline constexpr int kGifMaxPanel = 256;

struct GifFrames {
  std::vector<int> frames;  ///< 0, step, 2·step, … below the frame count
  int step = 1;             ///< K, or the smallest multiple of K that keeps ≤ cap frames
  bool capped = false;      ///< step > K
};

/// Frames drawn from a sequence of `total` frames asking for every `every`-th.
GifFrames gif_frames(int total, int every, int cap = kGifMaxFrames);

/// Side of the panel drawn for an n×n field: n when n ≤ kGifMaxPanel, else n / f with
/// f = ⌈n / kGifMaxPanel⌉ (so 512 → 256, 300 → 150).
int gif_panel_size(int n);

/// The n×n field box-averaged onto m×m (m ≤ n): output pixel (x, y) is the mean of the
/// input pixels [⌊x n/m⌋, ⌊(x+1) n/m⌋) in each direction. m = n copies the field.
std::vector<float> downsample_field(const float* field, int n, int m);

/// Warns (once, naming `path`) when `plan` draws fewer frames than asked for.
void warn_if_capped(const GifFrames& plan, int every, const std::string& path);

class FieldAnimation {
 public:
  /// One panel per title (titles may be empty strings) for n×n fields.
  FieldAnimation(const std::string& path, int n, std::vector<std::string> titles);
  ~FieldAnimation();
  /// Draws frame `frame` (the time label) from one n×n field per panel.
  void add(int frame, const std::vector<const float*>& panels);
  /// Writes the GIF (atomic rename).
  void finish();
  int width() const;
  int height() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd::evaluation
