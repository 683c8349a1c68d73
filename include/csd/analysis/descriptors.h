#pragma once
/// All per-frame descriptors of paper Fig. 5 in one call, for evaluation loops:
///   energies (⟨f⟩ ≈ 2⟨w⟩ + ⟨ρ⟩, ⟨w⟩, ⟨ρ⟩, gradient, exact F) from physics::EnergyCalculator,
///   interface length 2⟨w⟩, isotropy degree I (hog.h), boundary fractal dimension D_b
///   (fractal.h), and the coarsening measures: structure-factor moments, L = 2π/k₁ and
///   the ⟨10⟩/⟨11⟩ anisotropy (structure_factor.h, lengths in the physics' grid
///   spacing), Euler characteristic and domain count of φ > ½ (topology.h).
/// Any N ≥ 16 (with the default options): HOG cells and boxes are whole, the remainder
/// rows and columns are ignored by those two descriptors (hog.h, fractal.h); the
/// energies use every pixel.
/// The analyzer owns an FFT plan for one grid size; it is not thread safe (give each
/// thread its own).
///
///   FrameAnalyzer analyze(128, params);
///   FrameDescriptors d = analyze(frame, eta);
#include "csd/analysis/fractal.h"
#include "csd/analysis/hog.h"
#include "csd/analysis/structure_factor.h"
#include "csd/analysis/topology.h"
#include "csd/physics/energy.h"
#include "csd/physics/params.h"

namespace csd::analysis {

struct FrameDescriptors {
  physics::Energies energies;
  double interface_length = 0;   ///< 2⟨w⟩, per unit area
  double isotropy = 0;           ///< I (NaN for a uniform frame)
  double fractal_dimension = 0;  ///< D_b (NaN for a single-phase frame)
  SpectralMoments spectrum;      ///< k₁, k₂, L, anisotropy (NaN for a uniform frame)
  Topology topology;             ///< of φ > ½
};

/// Smallest grid the descriptors support: max(hog_min_size(hog), kMinBoxCountingSize)
/// with the default box sizes (16 with the default options).
int min_descriptor_size(const HogOptions& hog = {}, const BoxCountingOptions& boxes = {});

/// Throws csd::Error naming N and min_descriptor_size() when the descriptors cannot
/// measure n×n frames, or when custom box sizes do not fit. Cheap (no FFT plan): call it
/// before any long work on frames of that size.
void require_descriptor_grid(int n, const HogOptions& hog = {},
                             const BoxCountingOptions& boxes = {});

class FrameAnalyzer {
 public:
  /// Throws csd::Error as require_descriptor_grid() does.
  FrameAnalyzer(int n, const physics::Params& params, HogOptions hog = {},
                BoxCountingOptions boxes = {});
  /// Descriptors of an n×n float32 frame at misfit η.
  FrameDescriptors operator()(const float* phi, double eta) const;
  int n() const { return n_; }
  /// The structure-factor calculator (for S(k) profiles of chosen frames).
  const StructureFactor& structure_factor() const { return structure_; }

 private:
  int n_;
  HogOptions hog_;
  BoxCountingOptions boxes_;
  physics::EnergyCalculator energies_;
  StructureFactor structure_;
};

}  // namespace csd::analysis
