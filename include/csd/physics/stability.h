#pragma once
/// Linear stability of the homogeneous mixture (Eq. 9): unstable iff
///   w''(⟨φ⟩) + η² min_n tr B(n) < 0.
/// The spinodal line ⟨φ⟩±(η) solves w''(φ) = −η² min tr B:
///   φ± = ½ ± ½ sqrt(1/3 − ε η² min tr B / 54)   (empty when the root is negative).
#include <optional>
#include <utility>

#include "csd/physics/params.h"

namespace csd::physics {

/// Left side of Eq. 9; negative means spinodal decomposition is spontaneous.
double stability_criterion(double mean_phi, double eta, const Params& p);
inline bool is_unstable(double mean_phi, double eta, const Params& p) {
  return stability_criterion(mean_phi, eta, p) < 0.0;
}

/// (⟨φ⟩−, ⟨φ⟩+) of the spinodal at misfit η, or nullopt if no composition is unstable.
std::optional<std::pair<double, double>> spinodal_limits(double eta, const Params& p);

/// Largest δt for which the semi-implicit step (Eq. 8) is linearly stable about every
/// uniform state, for any η (see the derivation in src/physics/stability.cpp and
/// docs/numerics.md). With the defaults (ε = 5, M = 1, h = 1) it is ε³/(162 M) ≈ 0.77.
double max_stable_dt(const Params& p);

/// Analytic linear growth rate of a Fourier mode with wave vector (qx, qy) about ⟨φ⟩:
///   σ(q) = −M q² (w''(⟨φ⟩) + ε q² + η² tr B(n)).
double linear_growth_rate(double mean_phi, double eta, double qx, double qy, const Params& p);

}  // namespace csd::physics
