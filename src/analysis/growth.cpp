#include "csd/analysis/growth.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "csd/core/error.h"

namespace csd::analysis {
namespace {

constexpr double kPi = 3.14159265358979323846;

/// P(|T| ≤ t) for Student's t with integer dof ν ≥ 1, t ≥ 0: the finite series of
/// Abramowitz & Stegun 26.7.3 (ν odd) and 26.7.4 (ν even), with θ = atan(t / √ν).
double central_probability(double t, int dof) {
  const double theta = std::atan(t / std::sqrt(static_cast<double>(dof)));
  const double s = std::sin(theta), c2 = std::cos(theta) * std::cos(theta);
  if (dof % 2 == 0) {
    double term = 1.0, sum = 1.0;  // 1 + ½cos²θ + (1·3)/(2·4)cos⁴θ + … up to cos^{ν−2}θ
    for (int j = 1; 2 * j <= dof - 2; ++j) {
      term *= c2 * (2.0 * j - 1.0) / (2.0 * j);
      sum += term;
    }
    return s * sum;
  }
  if (dof == 1) return 2.0 * theta / kPi;
  double term = std::cos(theta), sum = term;  // cosθ + (2/3)cos³θ + … up to cos^{ν−2}θ
  for (int j = 1; 2 * j + 1 <= dof - 2; ++j) {
    term *= c2 * (2.0 * j) / (2.0 * j + 1.0);
    sum += term;
  }
  return 2.0 / kPi * (theta + s * sum);
}

}  // namespace

double student_t_quantile(double p, int dof) {
  require(dof >= 1, "Student's t needs at least 1 degree of freedom, got {}", dof);
  require(p > 0 && p < 1, "a quantile needs p in (0, 1), got " + fmt::format("{:g}", p));
  if (p < 0.5) return -student_t_quantile(1.0 - p, dof);
  const double target = 2.0 * p - 1.0;  // P(|T| ≤ t)
  double lo = 0.0, hi = 1.0;
  while (central_probability(hi, dof) < target) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (central_probability(mid, dof) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

PowerLawFit fit_power_law(const std::vector<double>& times, const std::vector<double>& lengths,
                          double t_min, double t_max, double confidence) {
  require(times.size() == lengths.size(),
          "growth fit: {} times but {} lengths", times.size(), lengths.size());
  require(confidence > 0 && confidence < 1,
          "growth fit: confidence must be in (0, 1), got " + fmt::format("{:g}", confidence));
  require(t_min <= t_max, "growth fit: the window [" + fmt::format("{:g}, {:g}", t_min, t_max) +
                              "] is empty (start after end)");
  std::vector<double> x, y;
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i], l = lengths[i];
    if (!(t >= t_min && t <= t_max)) continue;
    require(std::isfinite(t) && t > 0,
            "growth fit: time " + fmt::format("{:g}", t) + " must be positive (log t)");
    require(std::isfinite(l) && l > 0, "growth fit: length " + fmt::format("{:g}", l) +
                                           " at t = " + fmt::format("{:g}", t) +
                                           " must be positive and finite (log L)");
    x.push_back(std::log(t));
    y.push_back(std::log(l));
  }
  const int m = static_cast<int>(x.size());
  require(m >= 3, "growth fit: the window [" + fmt::format("{:g}, {:g}", t_min, t_max) +
                      "] holds " + std::to_string(m) +
                      " points; at least 3 are needed for an exponent with an interval");
  require(*std::max_element(x.begin(), x.end()) > *std::min_element(x.begin(), x.end()),
          "growth fit: every point of the window has the same time");
  double xm = 0, ym = 0;
  for (int i = 0; i < m; ++i) {
    xm += x[i] / m;
    ym += y[i] / m;
  }
  double sxx = 0, sxy = 0, syy = 0;
  for (int i = 0; i < m; ++i) {
    sxx += (x[i] - xm) * (x[i] - xm);
    sxy += (x[i] - xm) * (y[i] - ym);
    syy += (y[i] - ym) * (y[i] - ym);
  }
  PowerLawFit f;
  f.points = m;
  f.confidence = confidence;
  f.exponent = sxy / sxx;
  f.prefactor = std::exp(ym - f.exponent * xm);
  // Σ residual², summed directly: syy − n·sxy cancels to round-off noise on a clean fit.
  double residual = 0;
  for (int i = 0; i < m; ++i) {
    const double r = y[i] - ym - f.exponent * (x[i] - xm);
    residual += r * r;
  }
  f.std_error = std::sqrt(residual / (m - 2) / sxx);
  f.half_width = student_t_quantile(0.5 * (1.0 + confidence), m - 2) * f.std_error;
  f.lower = f.exponent - f.half_width;
  f.upper = f.exponent + f.half_width;
  f.r_squared = syy > 0 ? 1.0 - residual / syy : 1.0;
  f.t_min = std::exp(*std::min_element(x.begin(), x.end()));
  f.t_max = std::exp(*std::max_element(x.begin(), x.end()));
  return f;
}

}  // namespace csd::analysis
