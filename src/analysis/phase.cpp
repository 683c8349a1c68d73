#include "csd/analysis/phase.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "csd/core/error.h"
#include "csd/physics/stability.h"
#include "square_field.h"

namespace csd::analysis {
namespace {

template <class T>
bool range_below(const T* phi, std::size_t count, double threshold) {
  require(count > 0, "is_single_phase: the field is empty");
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = double(phi[i]);
    require(std::isfinite(v),
            "is_single_phase: the field holds NaN/Inf at pixel " + std::to_string(i) +
                "; the run diverged, so it cannot be classified (check dt or the model)");
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return hi - lo < threshold;
}

/// η where the spinodal dome closes, bracketed by `stable_below` (limits exist) and
/// `unstable_above` (none): bisection on the existence of spinodal limits.
double dome_apex(const physics::Params& params, double stable_below, double unstable_above) {
  double lo = stable_below, hi = unstable_above;
  for (int it = 0; it < 100 && hi - lo > 1e-15 * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    (physics::spinodal_limits(mid, params) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace

bool is_single_phase(const float* phi, int n, double threshold) {
  require(n > 0, "is_single_phase: grid size must be positive, got " + std::to_string(n));
  return range_below(phi, std::size_t(n) * n, threshold);
}

bool is_single_phase(const Field& phi, double threshold) {
  return range_below(phi.data(), std::size_t(phi.size()), threshold);
}

void Confusion::add(bool surrogate_separated, bool solver_separated) {
  if (surrogate_separated && solver_separated) {
    ++both_separated;
  } else if (!surrogate_separated && !solver_separated) {
    ++both_single;
  } else if (surrogate_separated) {
    ++surrogate_only_separated;
  } else {
    ++solver_only_separated;
  }
}

int Confusion::total() const {
  return both_single + both_separated + surrogate_only_separated + solver_only_separated;
}

double Confusion::agreement_percent() const {
  if (total() == 0) return std::numeric_limits<double>::quiet_NaN();
  return 100.0 * agreements() / total();
}

SpinodalCurve spinodal_curve(const physics::Params& params, double eta_max, int points) {
  require(eta_max >= 0,
          "spinodal_curve: eta_max must be >= 0, got " + fmt::format("{:g}", eta_max));
  require(points >= 2, "spinodal_curve: need at least 2 points, got " + std::to_string(points));
  SpinodalCurve curve;
  double last_unstable = -1.0;
  for (int i = 0; i < points; ++i) {
    const double eta = eta_max * i / (points - 1);
    const auto limits = physics::spinodal_limits(eta, params);
    if (!limits) {
      if (last_unstable >= 0.0) {  // the dome closed between the previous sample and this one
        const double apex = dome_apex(params, last_unstable, eta);
        const auto at_apex = physics::spinodal_limits(apex, params);
        curve.eta.push_back(apex);
        curve.phi_minus.push_back(at_apex->first);
        curve.phi_plus.push_back(at_apex->second);
      }
      break;
    }
    curve.eta.push_back(eta);
    curve.phi_minus.push_back(limits->first);
    curve.phi_plus.push_back(limits->second);
    last_unstable = eta;
  }
  return curve;
}

}  // namespace csd::analysis
