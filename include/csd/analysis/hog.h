#pragma once
/// Isotropy degree I of a microstructure from a histogram of oriented gradients
/// (HOG, Dalal & Triggs 2005; paper Sec. 3.2, Eq. 13):
///
///   I = ⟨M_non-axial⟩ / ⟨M_axial⟩,
///
/// where M_b is the mean normalised gradient magnitude in orientation bin b.
/// I ≈ 1 for isotropic patterns; I → 0 for interfaces aligned with ⟨10⟩.
///
/// Algorithm (all choices fixed here so that results are comparable across runs):
///  1. Gradients by periodic central differences,
///       gx = (φ[y][x+1] − φ[y][x−1]) / 2,  gy = (φ[y+1][x] − φ[y−1][x]) / 2,
///     magnitude m = |g|, unsigned orientation θ = atan2(gy, gx) mod 180° ∈ [0°, 180°).
///  2. 10 bins [18°·b, 18°·(b+1)), centres 18°·b + 9°. Each pixel's magnitude is split
///     linearly between the two bins whose centres bracket θ (circularly: θ = 0°
///     gives half to bin 9, half to bin 0). Soft binning removes the jitter of hard
///     bin edges and maps exactly onto itself under the square's symmetries.
///  3. Cells of 4×4 pixels accumulate the weighted magnitudes. Whole cells only, as in
///     scikit-image's hog(): for any N the ⌊N/4⌋×⌊N/4⌋ cells tile the top-left
///     4⌊N/4⌋ rows and columns, and the remaining N mod 4 rows and columns belong to
///     no cell. Their pixels still enter the periodic differences of step 1 for their
///     neighbours inside the cells (at N = 30 rows and columns 28 and 29 are ignored,
///     but row 29 is the upper neighbour of row 0). When N is a multiple of the cell
///     size every pixel is in a cell.
///  4. Blocks of 2×2 cells, stride one cell, periodic over the cells (so every cell is
///     in 4 blocks and the tiling has no boundary; with ignored rows, the last and the
///     first cell row share blocks); each block's 40-vector v is L2-normalised,
///     v / sqrt(|v|² + ε²), ε = 1e-5.
///  5. M_b = mean over all blocks and the cells within them of the normalised bin-b
///     entry (the spatial average of the HOG descriptor per orientation).
///  6. The directions 0° and 90° lie on bin edges, so the four bins touching them,
///     {0, 4, 5, 9}, are axial (⟨10⟩); {1, 2, 3, 6, 7, 8} are non-axial. Both sets are
///     invariant under 90° rotations (b → b+5 mod 10) and mirrors (b → 9−b), so I is
///     invariant under the square's symmetries.
///
/// Edge cases: I = NaN for a uniform field (no gradients at all); I = +∞ when all
/// gradient mass is non-axial (e.g. perfect diagonal stripes). Grids smaller than one
/// block, N < hog_min_size() (8 with the defaults), are refused (csd::Error naming N
/// and the minimum).
///
///   double iso = csd::analysis::isotropy_degree(frame, 128);
#include <array>

#include "csd/core/field.h"

namespace csd::analysis {

inline constexpr int kHogBins = 10;
/// Bins surrounding 0° and 90° (⟨10⟩ directions), and the remaining ones.
inline constexpr std::array<int, 4> kAxialBins{0, 4, 5, 9};
inline constexpr std::array<int, 6> kNonAxialBins{1, 2, 3, 6, 7, 8};

using HogHistogram = std::array<double, kHogBins>;

struct HogOptions {
  int cell_size = 4;            ///< pixels per cell side
  int block_cells = 2;          ///< cells per block side
  double block_epsilon = 1e-5;  ///< ε of the L2 block normalisation
};

/// Smallest grid with one whole block: cell_size · block_cells (8 with the defaults).
int hog_min_size(const HogOptions& options = {});

/// The 10-bin mean magnitude M_b (steps 1–5). Throws csd::Error when n < hog_min_size()
/// or the options are not positive.
HogHistogram hog_histogram(const float* phi, int n, const HogOptions& options = {});
HogHistogram hog_histogram(const Field& phi, const HogOptions& options = {});

/// I = mean(M non-axial) / mean(M axial) of a histogram (step 6).
double isotropy_degree(const HogHistogram& histogram);
double isotropy_degree(const float* phi, int n, const HogOptions& options = {});
double isotropy_degree(const Field& phi, const HogOptions& options = {});

}  // namespace csd::analysis
