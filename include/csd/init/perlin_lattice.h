#pragma once
/// The periodic gradient lattice behind csd::init::perlin_noise, exposed so that its
/// tiling can be tested and so that other code can sample it at any resolution.
///
/// Classic 2D gradient (Perlin) noise: a unit gradient g_ij sits on every node of a
/// `cells` × `cells` lattice whose indices wrap modulo `cells`. Inside a cell with
/// fractional coordinates (u, v) ∈ [0, 1)², each corner c contributes g_c · ((u, v) − c),
/// and the four contributions are blended with the quintic fade s(t) = 6t⁵ − 15t⁴ + 10t³
/// (zero first and second derivatives at the nodes, so the field is C²). The value is 0
/// on every node and lies in [−√2/2, √2/2].
///
/// Gradient directions θ_ij = 2π·U_ij, U_ij from the top 53 bits of std::mt19937_64(seed)
/// drawn in row-major node order; this avoids std::uniform_real_distribution, whose
/// algorithm differs between standard libraries, so a seed gives the same field everywhere.
#include <cstdint>
#include <vector>

namespace csd::init {

class PerlinLattice {
 public:
  /// Throws csd::Error if cells < 1.
  PerlinLattice(int cells, std::uint64_t seed);

  int cells() const { return cells_; }

  /// Noise at pixel (x, y) of an n × n grid that spans the lattice once, i.e. at lattice
  /// coordinates (x·cells/n, y·cells/n). Computed with integer arithmetic, so any x, y
  /// (negative or ≥ n) gives exactly the value of (x mod n, y mod n): exact tiling.
  double at_pixel(long x, long y, int n) const;

  /// Noise at lattice coordinates (u, v) (any real numbers; wraps with period `cells`).
  double at(double u, double v) const;

 private:
  /// Blends the four corner contributions of cell (i, j) at fractions (fu, fv) ∈ [0, 1).
  double in_cell(long i, long j, double fu, double fv) const;

  int cells_;
  std::vector<double> gx_, gy_;  ///< gradient components, row-major [j * cells + i]
};

}  // namespace csd::init
