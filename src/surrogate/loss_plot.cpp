#include "csd/surrogate/detail/loss_plot.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "csd/io/image.h"

namespace csd::surrogate::detail {
namespace {

constexpr int kWidth = 720, kHeight = 440;
constexpr int kLeft = 70, kRight = 20, kTop = 40, kBottom = 50;
constexpr io::Rgb kBlack{0, 0, 0}, kGrid{220, 220, 220};
constexpr io::Rgb kTrain{31, 119, 180}, kValidation{255, 127, 14};

/// Maps (epoch, log10 loss) to pixel coordinates of the plot area.
struct Axes {
  double x_min, x_max, y_min, y_max;
  double px(double x) const {
    return kLeft + (x - x_min) / (x_max - x_min) * (kWidth - kLeft - kRight - 1);
  }
  double py(double y) const {
    return kHeight - kBottom - 1 - (y - y_min) / (y_max - y_min) * (kHeight - kTop - kBottom - 1);
  }
};

void dot(io::Image& image, int x, int y, io::Rgb colour, int radius) {
  for (int dy = -radius; dy <= radius; ++dy)
    for (int dx = -radius; dx <= radius; ++dx) {
      const int u = x + dx, v = y + dy;
      if (u >= 0 && v >= 0 && u < image.width && v < image.height) image.set(u, v, colour);
    }
}

void line(io::Image& image, double x0, double y0, double x1, double y1, io::Rgb colour,
          int radius = 1) {
  const int steps = std::max(1, static_cast<int>(std::ceil(std::max(std::abs(x1 - x0), std::abs(y1 - y0)))));
  for (int i = 0; i <= steps; ++i) {
    const double t = static_cast<double>(i) / steps;
    dot(image, static_cast<int>(std::lround(x0 + t * (x1 - x0))),
        static_cast<int>(std::lround(y0 + t * (y1 - y0))), colour, radius);
  }
}

bool usable(double loss) { return std::isfinite(loss) && loss > 0; }

void curve(io::Image& image, const Axes& axes, const std::vector<EpochRecord>& history,
           const std::function<double(const EpochRecord&)>& value, io::Rgb colour) {
  bool have_previous = false;
  double px = 0, py = 0;
  for (const auto& r : history) {
    if (!usable(value(r))) {
      have_previous = false;
      continue;
    }
    const double x = axes.px(r.epoch), y = axes.py(std::log10(value(r)));
    if (have_previous) line(image, px, py, x, y, colour);
    dot(image, static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)), colour, 2);
    px = x;
    py = y;
    have_previous = true;
  }
}

std::string decade_label(int exponent) { return "1E" + std::to_string(exponent); }

}  // namespace

void plot_loss_history(const std::string& path, const std::vector<EpochRecord>& history) {
  double lo = INFINITY, hi = -INFINITY;
  int last_epoch = 1;
  for (const auto& r : history) {
    last_epoch = std::max(last_epoch, r.epoch);
    for (double v : {r.train_loss, r.validation_loss})
      if (usable(v)) {
        lo = std::min(lo, std::log10(v));
        hi = std::max(hi, std::log10(v));
      }
  }
  if (!std::isfinite(lo)) lo = hi = 0;
  Axes axes{1, static_cast<double>(std::max(last_epoch, 2)), std::floor(lo), std::ceil(hi)};
  if (axes.y_max <= axes.y_min) axes.y_max = axes.y_min + 1;

  io::Image image(kWidth, kHeight);
  for (int e = static_cast<int>(axes.y_min); e <= static_cast<int>(axes.y_max); ++e) {
    const double y = axes.py(e);
    line(image, kLeft, y, kWidth - kRight - 1, y, kGrid, 0);
    const std::string label = decade_label(e);
    io::draw_text(image, kLeft - 8 - io::text_width(label, 2), static_cast<int>(y) - 5, label, kBlack, 2);
  }
  const int x_step = std::max(1, static_cast<int>(std::ceil((axes.x_max - axes.x_min) / 8.0)));
  for (int epoch = 1; epoch <= static_cast<int>(axes.x_max); epoch += x_step) {
    const double x = axes.px(epoch);
    line(image, x, kHeight - kBottom, x, kHeight - kBottom + 5, kBlack, 0);
    const std::string label = std::to_string(epoch);
    io::draw_text(image, static_cast<int>(x) - io::text_width(label, 2) / 2, kHeight - kBottom + 10,
                  label, kBlack, 2);
  }
  line(image, kLeft, kTop, kLeft, kHeight - kBottom, kBlack, 0);
  line(image, kLeft, kHeight - kBottom, kWidth - kRight - 1, kHeight - kBottom, kBlack, 0);
  io::draw_text(image, kLeft + 150, kHeight - 18, "EPOCH", kBlack, 2);

  curve(image, axes, history, [](const EpochRecord& r) { return r.train_loss; }, kTrain);
  curve(image, axes, history, [](const EpochRecord& r) { return r.validation_loss; }, kValidation);

  io::draw_text(image, kLeft, 12, "LOSS (LOG10)", kBlack, 2);
  line(image, kWidth - 330, 18, kWidth - 310, 18, kTrain, 1);
  io::draw_text(image, kWidth - 302, 12, "TRAIN", kBlack, 2);
  line(image, kWidth - 220, 18, kWidth - 200, 18, kValidation, 1);
  io::draw_text(image, kWidth - 192, 12, "VALIDATION", kBlack, 2);
  io::write_png(path, image);
}

}  // namespace csd::surrogate::detail
