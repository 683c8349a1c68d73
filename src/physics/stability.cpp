#include "csd/physics/stability.h"

#include <algorithm>
#include <cmath>

#include "csd/physics/elastic.h"
#include "csd/physics/free_energy.h"

namespace csd::physics {

double stability_criterion(double mean_phi, double eta, const Params& p) {
  return well_d2(mean_phi, p.epsilon) + eta * eta * min_trace_b(p);
}

std::optional<std::pair<double, double>> spinodal_limits(double eta, const Params& p) {
  // w''(φ) = 36/ε (1 − 6φ + 6φ²) = −η² min tr B  ⇒  φ± = ½ ± ½ sqrt(1/3 − ε η² min tr B / 54).
  const double radicand = 1.0 / 3.0 - p.epsilon * eta * eta * min_trace_b(p) / 54.0;
  if (radicand <= 0.0) return std::nullopt;
  const double half_width = 0.5 * std::sqrt(radicand);
  return std::make_pair(0.5 - half_width, 0.5 + half_width);
}

// Linear stability of the step. Linearised about a uniform state φ̄, ŵ′(φ)_q ≈ w″(φ̄) φ̂_q
// for q ≠ 0, so Eq. 8 multiplies each mode by
//   G(q) = (1 − δt M q² w″) / (1 + δt M (ε q⁴ + η² tr B q²)).
// Where w″ > 0 (outside the spinodal, in particular in the two phases φ ≈ 0 and 1 that
// every run ends in) the exact evolution decays; the step stays bounded iff G ≥ −1, i.e.
//   δt M x (w″ − ε x − η² tr B) ≤ 2   with x = q² ∈ (0, q²_max], q²_max = 2 (π/h)².
// Elasticity only helps, so the worst case is η = 0. x (w″ − ε x) peaks at x* = w″/(2ε)
// with value w″²/(4ε), and w″ is largest at φ̄ = 0 and 1 (w″ = 36/ε). Hence
//   δt ≤ 2 / (M max_x x (w″ − ε x)) = 8ε/(M w″²) = ε³/(162 M)   (x* inside the grid).
// Accuracy gives the same scale: the fastest physical growth rate (Eq. 9 at φ̄ = ½,
// w″ = −18/ε, η = 0) is σ_max = M w″²/(4ε) = 81 M/ε³, so at this δt the fastest mode
// already grows by e^0.5 in one first-order step. Steps beyond the bound are both
// unstable and inaccurate (docs/numerics.md).
double max_stable_dt(const Params& p) {
  const double w2 = well_d2(0.0, p.epsilon);  // 36/ε, the largest w″
  const double pi_over_h = M_PI / p.grid_spacing;
  const double q2_max = 2.0 * pi_over_h * pi_over_h;
  const double x = std::min(w2 / (2.0 * p.epsilon), q2_max);
  return 2.0 / (p.mobility * x * (w2 - p.epsilon * x));
}

double linear_growth_rate(double mean_phi, double eta, double qx, double qy, const Params& p) {
  const double q2 = qx * qx + qy * qy;
  return -p.mobility * q2 *
         (well_d2(mean_phi, p.epsilon) + p.epsilon * q2 + eta * eta * trace_b(qx, qy, p));
}

}  // namespace csd::physics
