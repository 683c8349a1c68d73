#include "csd/physics/stability.h"

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

double linear_growth_rate(double mean_phi, double eta, double qx, double qy, const Params& p) {
  const double q2 = qx * qx + qy * qy;
  return -p.mobility * q2 *
         (well_d2(mean_phi, p.epsilon) + p.epsilon * q2 + eta * eta * trace_b(qx, qy, p));
}

}  // namespace csd::physics
