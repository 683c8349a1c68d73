#include "csd/analysis/descriptors.h"

#include <string>
#include <utility>

#include "csd/core/error.h"

namespace csd::analysis {

FrameAnalyzer::FrameAnalyzer(int n, const physics::Params& params, HogOptions hog,
                             BoxCountingOptions boxes)
    : n_(n), hog_(hog), boxes_(std::move(boxes)), energies_(n, params) {
  // Check the grid against both descriptors now rather than at the first frame.
  require(n > 0 && n % hog_.cell_size == 0,
          "FrameAnalyzer: grid size " + std::to_string(n) + " is not a multiple of the HOG "
          "cell size " + std::to_string(hog_.cell_size));
  if (boxes_.box_sizes.empty()) boxes_.box_sizes = default_box_sizes(n);
  require(boxes_.box_sizes.size() >= 2,
          "FrameAnalyzer: fewer than 2 box sizes divide N = " + std::to_string(n) +
              "; set BoxCountingOptions::box_sizes");
}

FrameDescriptors FrameAnalyzer::operator()(const float* phi, double eta) const {
  FrameDescriptors d;
  d.energies = energies_(phi, eta);
  d.interface_length = 2.0 * d.energies.w;
  d.isotropy = isotropy_degree(phi, n_, hog_);
  d.fractal_dimension = boundary_fractal_dimension(phi, n_, boxes_);
  return d;
}

}  // namespace csd::analysis
