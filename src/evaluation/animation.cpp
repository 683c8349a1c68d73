#include "csd/evaluation/animation.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "csd/core/error.h"
#include "csd/io/gif.h"
#include "csd/io/image.h"

namespace csd::evaluation {
namespace {

constexpr int kGap = 4;             // pixels between and around panels
constexpr int kText = 2;            // font scale: 3×5 glyphs drawn as 6×10
constexpr int kMinDrawnPanel = 128; // small fields are enlarged (whole multiples) to this
constexpr io::Rgb kInk{0, 0, 0};

std::string time_label(int frame) { return "t=" + std::to_string(frame) + " tau"; }

}  // namespace

GifFrames gif_frames(int total, int every, int cap) {
  require(total >= 1 && every >= 1 && cap >= 1, "GIF frames need total, K and cap >= 1");
  GifFrames plan;
  const int wanted = (total - 1) / every + 1;
  plan.step = every * ((wanted + cap - 1) / cap);
  plan.capped = plan.step != every;
  for (int t = 0; t < total; t += plan.step) plan.frames.push_back(t);
  return plan;
}

int gif_panel_size(int n) {
  require(n >= 1, "a panel needs n >= 1");
  if (n <= kGifMaxPanel) return n;
  const int factor = (n + kGifMaxPanel - 1) / kGifMaxPanel;
  return n / factor;
}

std::vector<float> downsample_field(const float* field, int n, int m) {
  require(m >= 1 && m <= n, "downsampling needs 1 <= m <= n");
  std::vector<float> out(static_cast<size_t>(m) * m);
  const auto edge = [&](int i) { return static_cast<int>(static_cast<long>(i) * n / m); };
  for (int y = 0; y < m; ++y)
    for (int x = 0; x < m; ++x) {
      double sum = 0;
      for (int sy = edge(y); sy < edge(y + 1); ++sy)
        for (int sx = edge(x); sx < edge(x + 1); ++sx) sum += field[static_cast<size_t>(sy) * n + sx];
      const int count = (edge(y + 1) - edge(y)) * (edge(x + 1) - edge(x));
      out[static_cast<size_t>(y) * m + x] = static_cast<float>(sum / count);
    }
  return out;
}

void warn_if_capped(const GifFrames& plan, int every, const std::string& path) {
  if (plan.capped)
    spdlog::warn("{}: every {}-th frame would be more than {} GIF frames; drawing every {}-th "
                 "({} frames)",
                 path, every, kGifMaxFrames, plan.step, plan.frames.size());
}

struct FieldAnimation::Impl {
  int n = 0, panel = 0, scale = 1, drawn = 0, titles_y = 0, panels_y = 0;
  std::vector<std::string> titles;
  std::unique_ptr<io::GifWriter> gif;
  int width = 0, height = 0;
};

FieldAnimation::FieldAnimation(const std::string& path, int n, std::vector<std::string> titles)
    : impl_(std::make_unique<Impl>()) {
  require(!titles.empty(), "an animation needs at least one panel");
  Impl& a = *impl_;
  a.n = n;
  a.panel = gif_panel_size(n);
  a.scale = std::max(1, kMinDrawnPanel / a.panel);
  a.drawn = a.panel * a.scale;
  a.titles = std::move(titles);
  const bool has_titles = std::any_of(a.titles.begin(), a.titles.end(),
                                      [](const std::string& t) { return !t.empty(); });
  a.titles_y = 2 * kGap + 5 * kText;
  a.panels_y = a.titles_y + (has_titles ? kGap + 5 * kText : 0) + kGap;
  const int panels = static_cast<int>(a.titles.size());
  a.width = kGap + panels * (a.drawn + kGap);
  a.height = a.panels_y + a.drawn + kGap;
  a.gif = std::make_unique<io::GifWriter>(path, a.width, a.height);
}

FieldAnimation::~FieldAnimation() = default;

void FieldAnimation::add(int frame, const std::vector<const float*>& panels) {
  Impl& a = *impl_;
  require(panels.size() == a.titles.size(), "one field per animation panel");
  io::Image image(a.width, a.height);  // white
  io::draw_text(image, kGap, kGap, time_label(frame), kInk, kText);
  for (size_t p = 0; p < panels.size(); ++p) {
    const int x = kGap + static_cast<int>(p) * (a.drawn + kGap);
    io::draw_text(image, x, a.titles_y, a.titles[p], kInk, kText);
    const std::vector<float> small = downsample_field(panels[p], a.n, a.panel);
    io::paint_field(image, small.data(), a.panel, x, a.panels_y, 0.0, 1.0, a.scale);
  }
  a.gif->add_frame(image);
}

void FieldAnimation::finish() { impl_->gif->finish(); }
int FieldAnimation::width() const { return impl_->width; }
int FieldAnimation::height() const { return impl_->height; }

}  // namespace csd::evaluation
