#pragma once
/// Small fields and field operations shared by the physics tests: single Fourier
/// modes, seeded random fields, the square's symmetries, and a direct (FFT-free) DFT
/// projection to measure one mode's amplitude.
#include <cmath>
#include <complex>
#include <cstdint>
#include <random>

#include "csd/core/field.h"

namespace csd::test {

inline constexpr double kPi = 3.14159265358979323846;

/// φ(x, y) = mean + amplitude · cos(2π (kx x + ky y) / N)
inline Field cosine_mode(int n, int kx, int ky, double mean, double amplitude) {
  Field f(n, n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      f(y, x) = mean + amplitude * std::cos(2.0 * kPi * (kx * x + ky * y) / n);
  return f;
}

/// mean + uniform noise in [−amplitude, amplitude], reproducible from `seed`.
inline Field random_field(int n, double mean, double amplitude, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-amplitude, amplitude);
  Field f(n, n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) f(y, x) = mean + u(rng);
  return f;
}

/// Rotation by 90° of the periodic grid: g(y, x) = f(x, N−1−y).
inline Field rotate90(const Field& f) {
  const int n = static_cast<int>(f.rows());
  Field g(n, n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) g(y, x) = f(x, n - 1 - y);
  return g;
}

/// Mirror x → −x (mod N) of the periodic grid.
inline Field reflect_x(const Field& f) {
  const int n = static_cast<int>(f.rows());
  Field g(n, n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) g(y, x) = f(y, (n - x) % n);
  return g;
}

inline double max_abs_diff(const Field& a, const Field& b) { return (a - b).abs().maxCoeff(); }

/// |Σ_x φ_x e^{−i 2π (kx x + ky y)/N}|, computed directly so that it does not share
/// code (or rounding) with the solver's FFTs.
inline double mode_amplitude(const Field& f, int kx, int ky) {
  const int n = static_cast<int>(f.rows());
  std::complex<double> sum = 0.0;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      // Reduce the phase index mod N first: exact integer arithmetic, small angles.
      sum += f(y, x) * std::polar(1.0, -2.0 * kPi * (((kx * x + ky * y) % n + n) % n) / n);
  return std::abs(sum);
}

}  // namespace csd::test
