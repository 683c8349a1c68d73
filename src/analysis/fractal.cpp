#include "csd/analysis/fractal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "csd/core/error.h"
#include "square_field.h"

namespace csd::analysis {
namespace {

template <class T>
std::vector<std::uint8_t> mask_of(const T* phi, int n, double threshold) {
  require(n > 0, "interface_mask: grid size must be positive, got " + std::to_string(n));
  const std::size_t count = std::size_t(n) * n;
  std::vector<std::uint8_t> phase(count);
  for (std::size_t i = 0; i < count; ++i) phase[i] = double(phi[i]) > threshold ? 1 : 0;
  std::vector<std::uint8_t> mask(count, 0);
  auto at = [&](int y, int x) { return phase[std::size_t(y) * n + x]; };
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      const std::uint8_t p = at(y, x);
      const bool boundary = at(detail::wrap(y - 1, n), x) != p ||
                            at(detail::wrap(y + 1, n), x) != p ||
                            at(y, detail::wrap(x - 1, n)) != p ||
                            at(y, detail::wrap(x + 1, n)) != p;
      mask[std::size_t(y) * n + x] = boundary ? 1 : 0;
    }
  }
  return mask;
}

/// Negative least-squares slope of log N against log L.
double negative_log_log_slope(const std::vector<int>& sizes, const std::vector<long>& counts) {
  const double m = double(sizes.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const double x = std::log(double(sizes[i])), y = std::log(double(counts[i]));
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  return -(m * sxy - sx * sy) / (m * sxx - sx * sx);
}

std::vector<int> resolved_box_sizes(int n, const BoxCountingOptions& options) {
  std::vector<int> sizes = options.box_sizes.empty() ? default_box_sizes(n) : options.box_sizes;
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  require(sizes.size() >= 2,
          "boundary_fractal_dimension: need at least 2 distinct box sizes dividing N = " +
              std::to_string(n) + "; set BoxCountingOptions::box_sizes (e.g. powers of 3 "
              "for N = 3^k)");
  return sizes;
}

template <class T>
double dimension_of(const T* phi, int n, const BoxCountingOptions& options) {
  const std::vector<std::uint8_t> mask = mask_of(phi, n, options.threshold);
  const std::vector<int> sizes = resolved_box_sizes(n, options);
  const std::vector<long> counts = box_counts(mask, n, sizes);
  if (counts.front() == 0) return std::numeric_limits<double>::quiet_NaN();  // single phase
  return negative_log_log_slope(sizes, counts);
}

}  // namespace

std::vector<int> default_box_sizes(int n) {
  std::vector<int> sizes;
  for (int l = 2; l <= n / 4; l *= 2)
    if (n % l == 0) sizes.push_back(l);
  return sizes;
}

std::vector<std::uint8_t> interface_mask(const float* phi, int n, double threshold) {
  return mask_of(phi, n, threshold);
}

std::vector<std::uint8_t> interface_mask(const Field& phi, double threshold) {
  return mask_of(phi.data(), detail::square_size(phi, "interface_mask"), threshold);
}

std::vector<long> box_counts(const std::vector<std::uint8_t>& mask, int n,
                             const std::vector<int>& box_sizes) {
  require(n > 0 && mask.size() == std::size_t(n) * n,
          "box_counts: mask holds " + std::to_string(mask.size()) + " values, expected N² = " +
              std::to_string(std::size_t(n) * n));
  std::vector<long> counts;
  counts.reserve(box_sizes.size());
  for (int l : box_sizes) {
    require(l >= 1 && n % l == 0,
            "box_counts: box size " + std::to_string(l) + " does not divide N = " +
                std::to_string(n) + "; choose box sizes that divide the grid");
    const int boxes = n / l;
    std::vector<std::uint8_t> occupied(std::size_t(boxes) * boxes, 0);
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        if (mask[std::size_t(y) * n + x]) occupied[std::size_t(y / l) * boxes + x / l] = 1;
    counts.push_back(long(std::count(occupied.begin(), occupied.end(), std::uint8_t{1})));
  }
  return counts;
}

double boundary_fractal_dimension(const float* phi, int n, const BoxCountingOptions& options) {
  return dimension_of(phi, n, options);
}

double boundary_fractal_dimension(const Field& phi, const BoxCountingOptions& options) {
  return dimension_of(phi.data(), detail::square_size(phi, "boundary_fractal_dimension"),
                      options);
}

}  // namespace csd::analysis
