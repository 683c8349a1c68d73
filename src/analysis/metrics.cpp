#include "csd/analysis/metrics.h"

#include <cmath>
#include <limits>
#include <string>

#include "csd/core/error.h"
#include "csd/physics/free_energy.h"
#include "square_field.h"

namespace csd::analysis {
namespace {

template <class T>
double mean_abs_difference(const T* a, const T* b, std::size_t count) {
  require(count > 0, "mae: the fields are empty; pass at least one value");
  double sum = 0.0;
  for (std::size_t i = 0; i < count; ++i) sum += std::abs(double(a[i]) - double(b[i]));
  return sum / double(count);
}

template <class T>
double twice_mean_well(const T* phi, int n, double epsilon) {
  require(n > 0, "interface_length: grid size must be positive, got " + std::to_string(n));
  require(epsilon > 0, "interface_length: epsilon must be positive (paper: 5)");
  const std::size_t count = std::size_t(n) * std::size_t(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < count; ++i) sum += physics::well(double(phi[i]), epsilon);
  return 2.0 * sum / double(count);
}

}  // namespace

double mae(const float* a, const float* b, std::size_t count) {
  return mean_abs_difference(a, b, count);
}

double mae(const Field& a, const Field& b) {
  require(a.rows() == b.rows() && a.cols() == b.cols(),
          "mae: fields differ in shape (" + std::to_string(a.rows()) + "×" +
              std::to_string(a.cols()) + " vs " + std::to_string(b.rows()) + "×" +
              std::to_string(b.cols()) + "); compare frames of the same grid");
  return mean_abs_difference(a.data(), b.data(), std::size_t(a.size()));
}

double interface_length(const float* phi, int n, double epsilon) {
  return twice_mean_well(phi, n, epsilon);
}

double interface_length(const Field& phi, double epsilon) {
  return twice_mean_well(phi.data(), detail::square_size(phi, "interface_length"), epsilon);
}

double relative_error(double pred, double ref) {
  if (ref == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return std::abs(pred - ref) / std::abs(ref);
}

std::size_t count_outside(const float* phi, std::size_t count, double lo, double hi) {
  std::size_t outside = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = phi[i];
    outside += !(v >= lo && v <= hi);
  }
  return outside;
}

}  // namespace csd::analysis
