#include "csd/analysis/hog.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "square_field.h"

namespace csd::analysis {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kBinWidthDeg = 180.0 / kHogBins;

void validate(int n, const HogOptions& o) {
  require(o.cell_size > 0 && o.block_cells > 0,
          "hog: cell_size and block_cells must be positive (defaults 4 and 2)");
  require(o.block_epsilon > 0, "hog: block_epsilon must be positive (default 1e-5)");
  require(n >= hog_min_size(o),
          "the HOG isotropy needs a grid of at least N = " + std::to_string(hog_min_size(o)) +
              " (" + std::to_string(o.block_cells) + "×" + std::to_string(o.block_cells) +
              " cells of " + std::to_string(o.cell_size) + " pixels), got N = " +
              std::to_string(n));
}

/// Adds magnitude m at unsigned orientation θ (degrees, [0, 180)) to `bins`, split
/// linearly between the two bins whose centres 18°·b + 9° bracket θ (circularly).
void add_soft_binned(double theta_deg, double m, double* bins) {
  const double position = theta_deg / kBinWidthDeg - 0.5;  // in units of bins, centre 0 → 0
  const double lower = std::floor(position);
  const double upper_weight = position - lower;
  const int lower_bin = (int(lower) + kHogBins) % kHogBins;
  const int upper_bin = (lower_bin + 1) % kHogBins;
  bins[lower_bin] += (1.0 - upper_weight) * m;
  bins[upper_bin] += upper_weight * m;
}

/// Per-cell orientation histograms, cells × cells × kHogBins, from periodic central
/// differences over the whole grid; pixels past the last whole cell are in no cell.
template <class T>
std::vector<double> cell_histograms(const T* phi, int n, int cell_size) {
  const int cells = n / cell_size;
  const int covered = cells * cell_size;  // rows and columns inside whole cells
  std::vector<double> hist(std::size_t(cells) * cells * kHogBins, 0.0);
  auto at = [&](int y, int x) { return double(phi[std::size_t(y) * n + x]); };
  for (int y = 0; y < covered; ++y) {
    const int up = detail::wrap(y + 1, n), down = detail::wrap(y - 1, n);
    for (int x = 0; x < covered; ++x) {
      const double gx = 0.5 * (at(y, detail::wrap(x + 1, n)) - at(y, detail::wrap(x - 1, n)));
      const double gy = 0.5 * (at(up, x) - at(down, x));
      const double m = std::hypot(gx, gy);
      if (!(m > 0.0)) continue;  // flat pixel: no orientation
      double theta = std::atan2(gy, gx) * (180.0 / kPi);  // (−180, 180]
      if (theta < 0.0) theta += 180.0;
      if (theta >= 180.0) theta -= 180.0;  // unsigned orientation
      const std::size_t cell = std::size_t(y / cell_size) * cells + x / cell_size;
      add_soft_binned(theta, m, &hist[cell * kHogBins]);
    }
  }
  return hist;
}

/// Steps 4–5: L2-normalise each periodic block of block_cells² cells and average the
/// normalised entries per bin over all blocks and their cells.
HogHistogram mean_normalised_blocks(const std::vector<double>& hist, int cells,
                                    const HogOptions& o) {
  HogHistogram mean{};
  const int k = o.block_cells;
  std::vector<const double*> block(std::size_t(k) * k);
  for (int by = 0; by < cells; ++by) {
    for (int bx = 0; bx < cells; ++bx) {
      double norm2 = o.block_epsilon * o.block_epsilon;
      for (int i = 0; i < k; ++i) {
        for (int j = 0; j < k; ++j) {
          const int cy = (by + i) % cells, cx = (bx + j) % cells;
          const double* h = &hist[(std::size_t(cy) * cells + cx) * kHogBins];
          block[std::size_t(i) * k + j] = h;
          for (int b = 0; b < kHogBins; ++b) norm2 += h[b] * h[b];
        }
      }
      const double inv_norm = 1.0 / std::sqrt(norm2);
      for (const double* h : block)
        for (int b = 0; b < kHogBins; ++b) mean[b] += h[b] * inv_norm;
    }
  }
  const double entries = double(cells) * cells * k * k;
  for (double& v : mean) v /= entries;
  return mean;
}

template <class T>
HogHistogram histogram_of(const T* phi, int n, const HogOptions& options) {
  validate(n, options);
  const std::vector<double> cells = cell_histograms(phi, n, options.cell_size);
  return mean_normalised_blocks(cells, n / options.cell_size, options);
}

}  // namespace

int hog_min_size(const HogOptions& options) { return options.cell_size * options.block_cells; }

HogHistogram hog_histogram(const float* phi, int n, const HogOptions& options) {
  return histogram_of(phi, n, options);
}

HogHistogram hog_histogram(const Field& phi, const HogOptions& options) {
  return histogram_of(phi.data(), detail::square_size(phi, "hog_histogram"), options);
}

double isotropy_degree(const HogHistogram& histogram) {
  double axial = 0.0, non_axial = 0.0;
  for (int b : kAxialBins) axial += histogram[b];
  for (int b : kNonAxialBins) non_axial += histogram[b];
  axial /= double(kAxialBins.size());
  non_axial /= double(kNonAxialBins.size());
  if (axial == 0.0 && non_axial == 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (axial == 0.0) return std::numeric_limits<double>::infinity();
  return non_axial / axial;
}

double isotropy_degree(const float* phi, int n, const HogOptions& options) {
  return isotropy_degree(hog_histogram(phi, n, options));
}

double isotropy_degree(const Field& phi, const HogOptions& options) {
  return isotropy_degree(hog_histogram(phi, options));
}

}  // namespace csd::analysis
