#pragma once
/// The coarsening law L(t) = a · t^n: the exponent n fitted over a time window, with a
/// confidence interval (n = 1/3 for Lifshitz–Slyozov coarsening; misfit elasticity
/// slows it).
///
/// Fit: ordinary least squares of y = log L on x = log t over the m points with
/// t_min ≤ t ≤ t_max:
///   n = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)²,   log a = ȳ − n x̄,
///   s² = Σ residual² / (m − 2),           se(n) = s / sqrt(Σ (x − x̄)²),
///   interval n ± t_{(1+c)/2, m−2} · se(n)  (Student's t, two-sided, confidence c).
/// The interval assumes independent residuals. L of consecutive frames of one run is
/// correlated, so for an ensemble the spread of the per-sequence exponents is the more
/// honest uncertainty; both are reported by analyze and evaluate (docs/figures.md).
///
/// Refused (csd::Error): fewer than 3 points in the window (no residual left to judge
/// the fit), t ≤ 0, L ≤ 0 or non-finite values in the window, a window with
/// t_min > t_max, points that all share one t, a confidence outside (0, 1).
///
///   PowerLawFit f = csd::analysis::fit_power_law(times, lengths, 100, 1000);
///   // f.exponent ± f.half_width at f.confidence
#include <vector>

namespace csd::analysis {

struct PowerLawFit {
  double exponent = 0;     ///< n
  double prefactor = 0;    ///< a
  double std_error = 0;    ///< se(n)
  double half_width = 0;   ///< t-quantile · se(n)
  double lower = 0, upper = 0;  ///< n ∓ half_width
  double confidence = 0;   ///< c
  double r_squared = 0;    ///< of the log-log fit
  int points = 0;          ///< m
  double t_min = 0, t_max = 0;  ///< first and last t used
};

/// Fits over the points with t_min ≤ t ≤ t_max (times and lengths of equal length).
PowerLawFit fit_power_law(const std::vector<double>& times, const std::vector<double>& lengths,
                          double t_min, double t_max, double confidence = 0.95);

/// The p-quantile of Student's t distribution with `dof` ≥ 1 degrees of freedom,
/// p ∈ (0, 1). Exact closed-form CDF for integer dof, inverted by bisection.
double student_t_quantile(double p, int dof);

}  // namespace csd::analysis
