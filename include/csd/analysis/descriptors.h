#pragma once
/// All per-frame descriptors of paper Fig. 5 in one call, for evaluation loops:
///   energies (⟨f⟩ ≈ 2⟨w⟩ + ⟨ρ⟩, ⟨w⟩, ⟨ρ⟩, gradient, exact F) from physics::EnergyCalculator,
///   interface length 2⟨w⟩, isotropy degree I (hog.h), boundary fractal dimension D_b
///   (fractal.h).
/// The analyzer owns an FFT plan for one grid size; it is not thread safe (give each
/// thread its own).
///
///   FrameAnalyzer analyze(128, params);
///   FrameDescriptors d = analyze(frame, eta);
#include "csd/analysis/fractal.h"
#include "csd/analysis/hog.h"
#include "csd/physics/energy.h"
#include "csd/physics/params.h"

namespace csd::analysis {

struct FrameDescriptors {
  physics::Energies energies;
  double interface_length = 0;   ///< 2⟨w⟩, per unit area
  double isotropy = 0;           ///< I (NaN for a uniform frame)
  double fractal_dimension = 0;  ///< D_b (NaN for a single-phase frame)
};

class FrameAnalyzer {
 public:
  /// Throws csd::Error when n does not suit the HOG cells or the box sizes.
  FrameAnalyzer(int n, const physics::Params& params, HogOptions hog = {},
                BoxCountingOptions boxes = {});
  /// Descriptors of an n×n float32 frame at misfit η.
  FrameDescriptors operator()(const float* phi, double eta) const;
  int n() const { return n_; }

 private:
  int n_;
  HogOptions hog_;
  BoxCountingOptions boxes_;
  physics::EnergyCalculator energies_;
};

}  // namespace csd::analysis
