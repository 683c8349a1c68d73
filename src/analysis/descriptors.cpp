#include "csd/analysis/descriptors.h"

#include <algorithm>
#include <string>
#include <utility>

#include "csd/core/error.h"

namespace csd::analysis {

int min_descriptor_size(const HogOptions& hog, const BoxCountingOptions& boxes) {
  return std::max(hog_min_size(hog), boxes.box_sizes.empty() ? kMinBoxCountingSize : 1);
}

void require_descriptor_grid(int n, const HogOptions& hog, const BoxCountingOptions& boxes) {
  const int minimum = min_descriptor_size(hog, boxes);
  require(n >= minimum, "grid size N = " + std::to_string(n) +
                            " is too small to analyse: the isotropy (HOG) and the fractal "
                            "dimension (box counting) need N >= " +
                            std::to_string(minimum));
  (void)resolved_box_sizes(n, boxes);  // custom sizes must fit the grid
}

namespace {

/// n, once require_descriptor_grid() accepts it (before any FFT is planned for it).
int checked_size(int n, const HogOptions& hog, const BoxCountingOptions& boxes) {
  require_descriptor_grid(n, hog, boxes);
  return n;
}

}  // namespace

FrameAnalyzer::FrameAnalyzer(int n, const physics::Params& params, HogOptions hog,
                             BoxCountingOptions boxes)
    : n_(checked_size(n, hog, boxes)),
      hog_(hog),
      boxes_(std::move(boxes)),
      energies_(n, params),
      structure_(n, params.grid_spacing) {
  boxes_.box_sizes = resolved_box_sizes(n, boxes_);
}

FrameDescriptors FrameAnalyzer::operator()(const float* phi, double eta) const {
  FrameDescriptors d;
  d.energies = energies_(phi, eta);
  d.interface_length = 2.0 * d.energies.w;
  d.isotropy = isotropy_degree(phi, n_, hog_);
  d.fractal_dimension = boundary_fractal_dimension(phi, n_, boxes_);
  d.spectrum = structure_.moments(phi);
  d.topology = topology(phi, n_);
  return d;
}

}  // namespace csd::analysis
