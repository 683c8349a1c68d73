#pragma once
/// Topology of the thresholded field φ > threshold (default ½) on the periodic N×N grid
/// (a torus): the Euler characteristic χ and the number of connected domains.
///
/// Connectivity: pixels of the phase are joined through shared edges (4-connectivity);
/// its complement is then 8-connected, the pairing under which χ counts components minus
/// holes without ambiguity at diagonal touches. χ is the Euler characteristic of the
/// complex whose vertices are the phase's pixels, edges their 4-neighbour pairs and faces
/// their fully occupied 2×2 blocks, all counted with periodic wrap-around:
///
///   χ = V − E + F.
///
/// Examples: a disc χ = 1, an annulus 0, k separate discs k, the complement of a disc on
/// the torus −1, a stripe that wraps around the domain 0 (a band round the torus), the
/// whole grid 0 (the torus). A disc cut by the domain edge is still one disc: χ = 1, one
/// domain. For a bicontinuous spinodal pattern χ < 0 (many handles); once coarsening has
/// broken the pattern into droplets χ → the number of droplets.
///
/// Grids smaller than kMinCoarseningSize (structure_factor.h) are refused.
///
///   Topology t = csd::analysis::topology(frame, 128);   // t.euler, t.domains
#include "csd/analysis/structure_factor.h"

namespace csd::analysis {

struct Topology {
  long euler = 0;    ///< χ = V − E + F of the phase φ > threshold
  long domains = 0;  ///< its connected components (4-connected, periodic)
};

/// χ and the domain count of φ > threshold of an n×n float32 frame (row-major).
/// NaN pixels count as outside the phase. Throws csd::Error when n < kMinCoarseningSize.
Topology topology(const float* phi, int n, double threshold = 0.5);

}  // namespace csd::analysis
