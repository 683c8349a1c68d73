#pragma once
/// Initial composition fields (paper Sec. 2.2 and Fig. 7c).
///
/// Perlin: periodic (tileable) gradient noise p on a lattice of `cells` × `cells`
/// cells (cells = round(N / feature_size), at least 1), then shifted and rescaled:
///   φ₀ = ⟨φ⟩ + A · (p − ⟨p⟩) / max|p − ⟨p⟩|,
/// so ⟨φ₀⟩ = ⟨φ⟩ exactly and max|φ₀ − ⟨φ⟩| = A. Our reading of the paper's "extent of
/// the fluctuations ... sampled from a normal distribution with standard deviation
/// 0.1": A = |a| with a ~ N(0, 0.1²), i.e. A is the peak deviation from the mean.
///
/// Radial: composition higher at the centre and lower at the edges,
///   φ₀(r) = edge + (centre − edge) · ½(1 + cos(π min(r/R, 1))),  R = N/2,
/// plus a Perlin fluctuation of peak amplitude `amplitude` (mean-free).
#include <cstdint>
#include <string>

#include "csd/core/field.h"

namespace csd::init {

struct PerlinOptions {
  double mean_phi = 0.5;        ///< ⟨φ⟩ of the field
  double amplitude = 0.1;       ///< A, peak deviation from ⟨φ⟩
  double feature_size = 16.0;   ///< Perlin lattice cell size in pixels
  std::uint64_t seed = 0;
};

/// Raw periodic Perlin noise with `cells` lattice cells per side (values ~[-1, 1]).
Field perlin_noise(int n, int cells, std::uint64_t seed);

/// Shifted and rescaled Perlin field (see header comment). Throws csd::Error on bad options.
Field perlin_field(int n, const PerlinOptions& options);

struct RadialOptions {
  double centre_phi = 0.6;   ///< composition at the centre
  double edge_phi = 0.3;     ///< composition at and beyond r = N/2
  double amplitude = 0.05;   ///< peak Perlin fluctuation added on top
  double feature_size = 16.0;
  std::uint64_t seed = 0;
};

Field radial_field(int n, const RadialOptions& options);

/// The synthetic initial fields by name, as the commands offer them (generate, rollout,
/// phasediagram): "perlin" uses mean_phi; "radial" uses radial_centre and radial_edge.
struct SyntheticField {
  std::string kind = "perlin";  ///< perlin | radial
  double mean_phi = 0.5;
  double amplitude = 0.1;
  double feature_size = 16.0;
  double radial_centre = 0.6, radial_edge = 0.3;
  std::uint64_t seed = 0;
};

/// Throws csd::Error on an unknown kind or bad options.
Field synthetic_field(int n, const SyntheticField& spec);

/// A field given as an initial condition (generate --init-from, rollout --from) must have
/// a mean composition ⟨φ⟩ inside (0, 1); throws csd::Error naming `source` and the mean
/// otherwise. Both commands call this, so they accept and refuse the same fields.
void require_initial_mean(double mean, const std::string& source);

/// Seed of sequence `index` of a dataset with master seed `seed` (SplitMix64 mix),
/// so sequence i depends only on (seed, i), not on threads or order.
std::uint64_t sequence_seed(std::uint64_t master_seed, std::uint64_t index);

}  // namespace csd::init
