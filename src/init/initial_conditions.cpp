#include "csd/init/initial_conditions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "csd/core/error.h"
#include "csd/core/random.h"
#include "csd/init/perlin_lattice.h"

namespace csd::init {
namespace {

constexpr double kPi = 3.14159265358979323846264338327950288;

void require_grid(int n) {
  require(n >= 4, "grid size N must be at least 4 (got " + std::to_string(n) + ")");
}

void require_amplitude(double amplitude) {
  require(std::isfinite(amplitude) && amplitude >= 0.0,
          "fluctuation amplitude must be finite and >= 0 (got " + fmt::format("{:g}", amplitude) +
              ")");
}

void require_composition(double phi, const std::string& name) {
  require(std::isfinite(phi) && phi > 0.0 && phi < 1.0,
          name + " must lie in (0, 1) (got " + fmt::format("{:g}", phi) + ")");
}

/// Lattice cells per side for a feature size in pixels: round(N / feature_size), >= 1.
int cells_for(int n, double feature_size) {
  require(std::isfinite(feature_size) && feature_size > 0.0,
          "Perlin feature size must be a positive number of pixels (got " +
              fmt::format("{:g}", feature_size) + ")");
  const double cells = std::round(n / feature_size);
  return static_cast<int>(std::clamp(cells, 1.0, static_cast<double>(n)));
}

/// A · (p − ⟨p⟩) / max|p − ⟨p⟩|: zero mean and peak |value| = A. A flat p (or A = 0)
/// gives zeros rather than dividing by zero.
Field rescaled_fluctuation(Field p, double amplitude) {
  p -= p.mean();
  const double peak = p.abs().maxCoeff();
  if (peak == 0.0 || amplitude == 0.0) return Field::Zero(p.rows(), p.cols());
  p *= amplitude / peak;
  // Subtracting the mean again removes the O(1e-17) residue left by the scaling.
  p -= p.mean();
  return p;
}

}  // namespace

Field perlin_noise(int n, int cells, std::uint64_t seed) {
  require(n >= 1, "grid size N must be positive (got " + std::to_string(n) + ")");
  const PerlinLattice lattice(cells, seed);
  Field noise(n, n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) noise(y, x) = lattice.at_pixel(x, y, n);
  return noise;
}

Field perlin_field(int n, const PerlinOptions& options) {
  require_grid(n);
  require_composition(options.mean_phi, "mean composition <phi>");
  require_amplitude(options.amplitude);
  const int cells = cells_for(n, options.feature_size);
  Field phi = rescaled_fluctuation(perlin_noise(n, cells, options.seed), options.amplitude);
  phi += options.mean_phi;
  return phi;
}

Field radial_field(int n, const RadialOptions& options) {
  require_grid(n);
  require_composition(options.centre_phi, "radial centre composition");
  require_composition(options.edge_phi, "radial edge composition");
  require_amplitude(options.amplitude);
  const int cells = cells_for(n, options.feature_size);
  Field phi = rescaled_fluctuation(perlin_noise(n, cells, options.seed), options.amplitude);
  // The centre sits between the middle pixels, so the profile is mirror-symmetric and
  // equal on both sides of the periodic boundary.
  const double centre = 0.5 * (n - 1), radius = 0.5 * n;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      const double r = std::hypot(x - centre, y - centre);
      const double s = std::min(r / radius, 1.0);
      phi(y, x) += options.edge_phi +
                   (options.centre_phi - options.edge_phi) * 0.5 * (1.0 + std::cos(kPi * s));
    }
  }
  return phi;
}

std::uint64_t sequence_seed(std::uint64_t master_seed, std::uint64_t index) {
  // mix is a bijection and the gamma is odd, so for a fixed master seed distinct
  // indices always give distinct seeds.
  return splitmix64_mix(splitmix64_mix(master_seed) + kSplitMix64Gamma * (index + 1));
}

void require_initial_mean(double mean, const std::string& source) {
  require(std::isfinite(mean) && mean > 0.0 && mean < 1.0,
          "the field in " + source + " has mean <phi> = " + fmt::format("{:g}", mean) +
              ", outside (0, 1): an initial composition must lie between the two phases "
              "(0 and 1); give another field");
}

Field synthetic_field(int n, const SyntheticField& spec) {
  if (spec.kind == "radial") {
    RadialOptions o;
    o.centre_phi = spec.radial_centre;
    o.edge_phi = spec.radial_edge;
    o.amplitude = spec.amplitude;
    o.feature_size = spec.feature_size;
    o.seed = spec.seed;
    return radial_field(n, o);
  }
  require(spec.kind == "perlin",
          "unknown initial field '" + spec.kind + "' (choose perlin or radial)");
  PerlinOptions o;
  o.mean_phi = spec.mean_phi;
  o.amplitude = spec.amplitude;
  o.feature_size = spec.feature_size;
  o.seed = spec.seed;
  return perlin_field(n, o);
}

}  // namespace csd::init
