#include "csd/init/perlin_lattice.h"

#include <cmath>
#include <random>

#include "csd/core/error.h"
#include "csd/core/random.h"

namespace csd::init {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

/// Quintic fade s(t) = 6t⁵ − 15t⁴ + 10t³.
double fade(double t) { return t * t * t * (t * (t * 6.0 - 15.0) + 10.0); }

double lerp(double a, double b, double t) { return a + t * (b - a); }

/// Floor division and the matching non-negative remainder, for negative numerators too.
long floor_div(long a, long b) {
  const long q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

long wrap(long i, long period) { return i - floor_div(i, period) * period; }


}  // namespace

PerlinLattice::PerlinLattice(int cells, std::uint64_t seed) : cells_(cells) {
  require(cells >= 1, "Perlin lattice needs at least 1 cell per side (got " +
                          std::to_string(cells) + "); use a smaller feature size");
  const std::size_t nodes = static_cast<std::size_t>(cells) * cells;
  gx_.resize(nodes);
  gy_.resize(nodes);
  std::mt19937_64 rng(seed);
  for (std::size_t k = 0; k < nodes; ++k) {
    const double theta = kTwoPi * uniform01(rng);
    gx_[k] = std::cos(theta);
    gy_[k] = std::sin(theta);
  }
}

double PerlinLattice::in_cell(long i, long j, double fu, double fv) const {
  const long i0 = wrap(i, cells_), j0 = wrap(j, cells_);
  const long i1 = wrap(i0 + 1, cells_), j1 = wrap(j0 + 1, cells_);
  auto corner = [&](long ci, long cj, double du, double dv) {
    const std::size_t k = static_cast<std::size_t>(cj) * cells_ + ci;
    return gx_[k] * du + gy_[k] * dv;
  };
  const double c00 = corner(i0, j0, fu, fv);
  const double c10 = corner(i1, j0, fu - 1.0, fv);
  const double c01 = corner(i0, j1, fu, fv - 1.0);
  const double c11 = corner(i1, j1, fu - 1.0, fv - 1.0);
  const double su = fade(fu), sv = fade(fv);
  return lerp(lerp(c00, c10, su), lerp(c01, c11, su), sv);
}

double PerlinLattice::at_pixel(long x, long y, int n) const {
  require(n >= 1, "Perlin grid size must be positive");
  // Lattice coordinate x·cells/n as an integer cell plus an exact remainder, so the
  // fraction depends only on x mod n: no rounding can break the tiling.
  const long ax = x * cells_, ay = y * cells_;
  const long i = floor_div(ax, n), j = floor_div(ay, n);
  const double fu = static_cast<double>(ax - i * n) / n;
  const double fv = static_cast<double>(ay - j * n) / n;
  return in_cell(i, j, fu, fv);
}

double PerlinLattice::at(double u, double v) const {
  const double iu = std::floor(u), iv = std::floor(v);
  return in_cell(static_cast<long>(iu), static_cast<long>(iv), u - iu, v - iv);
}

}  // namespace csd::init
