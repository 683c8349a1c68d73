#include "csd/init/micrograph.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "csd/core/error.h"

namespace csd::init {
namespace {

/// Mirror index into [0, n): -1 → 0, n → n-1 (edge pixel repeated, "symmetric").
int mirror(int i, int n) {
  const int period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

double clipped_mean(const std::vector<double>& values, double shift) {
  double sum = 0;
  for (double v : values) sum += std::clamp(v + shift, 0.0, 1.0);
  return sum / static_cast<double>(values.size());
}

}  // namespace

void invert(GreyField& field) {
  for (double& v : field.values) v = 1.0 - v;
}

GreyField centre_crop(const GreyField& field, int n) {
  require(n > 0 && n <= field.width && n <= field.height,
          "cannot crop a " + std::to_string(field.width) + "×" + std::to_string(field.height) +
              " image to " + std::to_string(n) + "×" + std::to_string(n) +
              ": choose a size no larger than " + std::to_string(std::min(field.width, field.height)));
  const int x0 = (field.width - n) / 2, y0 = (field.height - n) / 2;
  GreyField out{n, n, std::vector<double>(static_cast<size_t>(n) * n)};
  for (int y = 0; y < n; ++y)
    std::copy_n(field.values.begin() + static_cast<std::ptrdiff_t>(y0 + y) * field.width + x0, n,
                out.values.begin() + static_cast<std::ptrdiff_t>(y) * n);
  return out;
}

void gaussian_smooth(GreyField& field, double sigma) {
  require(std::isfinite(sigma) && sigma >= 0, "the smoothing sigma must be >= 0 pixels");
  if (sigma == 0) return;
  const int radius = std::max(1, static_cast<int>(std::ceil(4 * sigma)));
  std::vector<double> kernel(2 * radius + 1);
  double total = 0;
  for (int k = -radius; k <= radius; ++k)
    total += kernel[k + radius] = std::exp(-0.5 * k * k / (sigma * sigma));
  for (double& w : kernel) w /= total;

  const int w = field.width, h = field.height;
  std::vector<double> rows(field.values.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double sum = 0;
      for (int k = -radius; k <= radius; ++k)
        sum += kernel[k + radius] * field.values[static_cast<size_t>(y) * w + mirror(x + k, w)];
      rows[static_cast<size_t>(y) * w + x] = sum;
    }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double sum = 0;
      for (int k = -radius; k <= radius; ++k)
        sum += kernel[k + radius] * rows[static_cast<size_t>(mirror(y + k, h)) * w + x];
      field.values[static_cast<size_t>(y) * w + x] = sum;
    }
}

double shift_to_mean(GreyField& field, double mean) {
  require(mean > 0 && mean < 1, "the target mean must be inside (0, 1)");
  require(!field.values.empty(), "cannot set the mean of an empty field");
  double low = -1.0, high = 1.0;  // clipped means 0 and 1 for values in [0, 1]
  for (int step = 0; step < 200 && high - low > 0; ++step) {
    const double middle = 0.5 * (low + high);
    if (middle == low || middle == high) break;  // no double left in between
    (clipped_mean(field.values, middle) < mean ? low : high) = middle;
  }
  // The closer of the two brackets; both are within round-off of `mean`.
  const double shift = std::abs(clipped_mean(field.values, low) - mean) <=
                               std::abs(clipped_mean(field.values, high) - mean)
                           ? low
                           : high;
  for (double& v : field.values) v = std::clamp(v + shift, 0.0, 1.0);
  return shift;
}

double mean_of(const GreyField& field) {
  double sum = 0;
  for (double v : field.values) sum += v;
  return sum / static_cast<double>(field.values.size());
}

}  // namespace csd::init
