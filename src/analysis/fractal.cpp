#include "csd/analysis/fractal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

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
      // Forward neighbours only: every boundary edge marks one pixel (see header).
      const std::uint8_t p = at(y, x);
      const bool boundary =
          at(detail::wrap(y + 1, n), x) != p || at(y, detail::wrap(x + 1, n)) != p;
      mask[std::size_t(y) * n + x] = boundary ? 1 : 0;
    }
  }
  return mask;
}

/// Distinct offsets i·L/grid_offsets, i < grid_offsets (fewer when L is small).
std::vector<int> grid_shifts(int l, int grid_offsets) {
  std::vector<int> shifts;
  for (int i = 0; i < grid_offsets; ++i) shifts.push_back(i * l / grid_offsets);
  shifts.erase(std::unique(shifts.begin(), shifts.end()), shifts.end());
  return shifts;
}

/// Boxes of side l, grid shifted by (oy, ox) with periodic wrap, holding a marked pixel.
long occupied_boxes(const std::vector<std::pair<int, int>>& marked, int n, int l, int oy,
                    int ox, std::vector<std::uint8_t>& scratch) {
  const int boxes = n / l;
  scratch.assign(std::size_t(boxes) * boxes, 0);
  long count = 0;
  for (const auto& [y, x] : marked) {
    const int by = detail::wrap(y - oy, n) / l, bx = detail::wrap(x - ox, n) / l;
    std::uint8_t& box = scratch[std::size_t(by) * boxes + bx];
    count += box == 0;
    box = 1;
  }
  return count;
}

/// Negative least-squares slope of log N against log L.
double negative_log_log_slope(const std::vector<int>& sizes,
                              const std::vector<double>& counts) {
  const double m = double(sizes.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const double x = std::log(double(sizes[i])), y = std::log(counts[i]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  return -(m * sxy - sx * sy) / (m * sxx - sx * sx);
}

/// The top-left m×m part of an n×n row-major mask.
std::vector<std::uint8_t> top_left(const std::vector<std::uint8_t>& mask, int n, int m) {
  std::vector<std::uint8_t> window(std::size_t(m) * m);
  for (int y = 0; y < m; ++y)
    std::copy_n(mask.begin() + std::ptrdiff_t(y) * n, m, window.begin() + std::ptrdiff_t(y) * m);
  return window;
}

std::string list(const std::vector<int>& sizes) {
  std::string text;
  for (int l : sizes) text += (text.empty() ? "" : ", ") + std::to_string(l);
  return "{" + text + "}";
}

template <class T>
double dimension_of(const T* phi, int n, const BoxCountingOptions& options) {
  const std::vector<int> sizes = resolved_box_sizes(n, options);
  const int window = box_counting_window(n, sizes);
  std::vector<std::uint8_t> mask = mask_of(phi, n, options.threshold);
  if (window < n) mask = top_left(mask, n, window);  // whole boxes only (see header)
  const std::vector<double> counts = box_counts(mask, window, sizes, options.grid_offsets);
  if (counts.front() == 0) return std::numeric_limits<double>::quiet_NaN();  // single phase
  return negative_log_log_slope(sizes, counts);
}

}  // namespace

std::vector<int> default_box_sizes(int n) {
  std::vector<int> sizes;
  for (int l = 2; l <= n / 4; l *= 2) sizes.push_back(l);
  return sizes;
}

std::vector<int> resolved_box_sizes(int n, const BoxCountingOptions& options) {
  if (options.box_sizes.empty()) {
    std::vector<int> sizes = default_box_sizes(n);
    require(sizes.size() >= 2,
            "the box-counting fractal dimension needs a grid of at least N = " +
                std::to_string(kMinBoxCountingSize) +
                " (boxes of 2 and 4 pixels, at least 4 per side), got N = " +
                std::to_string(n));
    return sizes;
  }
  std::vector<int> sizes = options.box_sizes;
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  require(sizes.size() >= 2, "box counting needs at least 2 distinct box sizes, got " +
                                 list(options.box_sizes));
  (void)box_counting_window(n, sizes);  // sizes >= 1 with a common multiple <= n
  return sizes;
}

int box_counting_window(int n, const std::vector<int>& box_sizes) {
  long long multiple = 1;
  for (int l : box_sizes) {
    require(l >= 1, "box sizes must be >= 1 pixel, got " + list(box_sizes));
    multiple = std::lcm(multiple, static_cast<long long>(l));
    require(multiple <= n, "box sizes " + list(box_sizes) + " have no common multiple <= N = " +
                               std::to_string(n) + "; choose smaller box sizes");
  }
  return static_cast<int>(n / multiple * multiple);
}

std::vector<std::uint8_t> interface_mask(const float* phi, int n, double threshold) {
  return mask_of(phi, n, threshold);
}

std::vector<std::uint8_t> interface_mask(const Field& phi, double threshold) {
  return mask_of(phi.data(), detail::square_size(phi, "interface_mask"), threshold);
}

std::vector<double> box_counts(const std::vector<std::uint8_t>& mask, int n,
                               const std::vector<int>& box_sizes, int grid_offsets) {
  require(n > 0 && mask.size() == std::size_t(n) * n,
          "box_counts: mask holds " + std::to_string(mask.size()) + " values, expected N² = " +
              std::to_string(std::size_t(n) * n));
  require(grid_offsets >= 1,
          "box_counts: grid_offsets must be >= 1 (1 = one grid), got " +
              std::to_string(grid_offsets));
  // Interface pixels are a thin curve: visiting only them is much cheaper than N² per grid.
  std::vector<std::pair<int, int>> marked;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (mask[std::size_t(y) * n + x]) marked.emplace_back(y, x);

  std::vector<double> counts;
  counts.reserve(box_sizes.size());
  std::vector<std::uint8_t> scratch;
  for (int l : box_sizes) {
    require(l >= 1 && n % l == 0,
            "box_counts: box size " + std::to_string(l) + " does not divide N = " +
                std::to_string(n) + "; choose box sizes that divide the grid");
    const std::vector<int> shifts = grid_shifts(l, grid_offsets);
    double sum = 0.0;
    for (int oy : shifts)
      for (int ox : shifts) sum += double(occupied_boxes(marked, n, l, oy, ox, scratch));
    counts.push_back(sum / double(shifts.size() * shifts.size()));
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
