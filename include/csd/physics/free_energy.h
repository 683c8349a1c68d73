#pragma once
/// Double-well potential of Eq. 2, w(φ) = 18/ε · φ²(1−φ)², and its derivatives.
/// For this w a flat interface has energy 1 per unit length, so 2⟨w⟩ ≈ interface
/// length per unit area.
namespace csd::physics {

inline double well(double phi, double epsilon) {
  const double a = phi * (1.0 - phi);
  return 18.0 / epsilon * a * a;
}
/// w'(φ) = 36/ε · φ(1−φ)(1−2φ)
inline double well_d1(double phi, double epsilon) {
  return 36.0 / epsilon * phi * (1.0 - phi) * (1.0 - 2.0 * phi);
}
/// w''(φ) = 36/ε · (1 − 6φ + 6φ²)
inline double well_d2(double phi, double epsilon) {
  return 36.0 / epsilon * (1.0 - 6.0 * phi + 6.0 * phi * phi);
}

}  // namespace csd::physics
