#pragma once
/// Boundary fractal dimension D_b by box counting (paper Sec. 3.2, Eq. 14):
///
///   D_b = −d log N(L) / d log L,
///
/// the negative least-squares slope of log N(L) against log L, where N(L) is the
/// number of L×L boxes (aligned with the grid origin, tiling the N×N domain) that
/// contain at least one interface pixel.
///
/// Interface pixels: threshold the field into two phases (φ > threshold is phase 1)
/// and mark every pixel whose phase differs from one of its 4 neighbours (periodic).
/// Both sides of a boundary are marked, so the set is a 2-pixel-thick closed curve;
/// its thickness only shifts log N and leaves the slope unchanged.
///
/// Box sizes must divide N. By default they are the powers of two 2, 4, …, N/4 that
/// divide N (2–32 for the paper's N = 128): below 2 pixels the interface thickness
/// dominates and above N/4 too few boxes remain. Choose them yourself for other grids
/// (e.g. powers of 3 for N = 3^k).
///
/// Returns NaN when there are no interface pixels (a single-phase field): D_b is
/// undefined there, and quartiles() skips NaN.
///
///   double db = csd::analysis::boundary_fractal_dimension(frame, 128);
///   BoxCountingOptions o; o.box_sizes = {3, 9, 27, 81};
///   double db3 = csd::analysis::boundary_fractal_dimension(carpet, 729, o);
#include <cstdint>
#include <vector>

#include "csd/core/field.h"

namespace csd::analysis {

struct BoxCountingOptions {
  double threshold = 0.5;      ///< phase boundary level of φ
  std::vector<int> box_sizes;  ///< box sides L in pixels; empty: default_box_sizes(N)
};

/// Powers of two 2 ≤ L ≤ N/4 that divide N (may hold fewer than 2 entries).
std::vector<int> default_box_sizes(int n);

/// 1 where a pixel is an interface pixel (see header comment), else 0; n×n row-major.
std::vector<std::uint8_t> interface_mask(const float* phi, int n, double threshold);
std::vector<std::uint8_t> interface_mask(const Field& phi, double threshold);

/// N(L) for each box size: boxes holding at least one nonzero mask pixel.
/// Throws csd::Error when a size is < 1 or does not divide n.
std::vector<long> box_counts(const std::vector<std::uint8_t>& mask, int n,
                             const std::vector<int>& box_sizes);

/// D_b of the field's interface; NaN without interface. Throws csd::Error when fewer
/// than 2 distinct box sizes are available or a box size does not divide n.
double boundary_fractal_dimension(const float* phi, int n,
                                  const BoxCountingOptions& options = {});
double boundary_fractal_dimension(const Field& phi, const BoxCountingOptions& options = {});

}  // namespace csd::analysis
