#include "csd/physics/elastic.h"

#include <algorithm>
#include <cmath>

namespace csd::physics {
namespace {

constexpr double kPi = 3.14159265358979323846;

/// Golden-section search for the minimum of a unimodal f on [a, b].
template <class F>
double golden_section_min(F f, double a, double b, double tolerance) {
  const double inv_phi = (std::sqrt(5.0) - 1.0) / 2.0;
  double c = b - inv_phi * (b - a);
  double d = a + inv_phi * (b - a);
  double fc = f(c), fd = f(d);
  while (b - a > tolerance) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - inv_phi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + inv_phi * (b - a);
      fd = f(d);
    }
  }
  return std::min({f(a), f(b), fc, fd});
}

}  // namespace

double trace_b(double nx, double ny, const Params& p) {
  const double norm = std::hypot(nx, ny);
  if (norm == 0.0) return 0.0;  // tr B(0) := 0: the mean composition carries no stress
  nx /= norm;
  ny /= norm;
  // Acoustic tensor A_km = C_kmno n_m n_o of a 2D cubic crystal.
  const double a11 = p.c11 * nx * nx + p.c44 * ny * ny;
  const double a22 = p.c11 * ny * ny + p.c44 * nx * nx;
  const double a12 = (p.c12 + p.c44) * nx * ny;
  const double det = a11 * a22 - a12 * a12;
  // nᵀ A⁻¹ n with the explicit 2×2 inverse.
  const double n_ainv_n = (a22 * nx * nx - 2.0 * a12 * nx * ny + a11 * ny * ny) / det;
  const double bulk = p.c11 + p.c12;  // C_ijkk δ_ij / 2 for a purely dilational eigenstrain
  return 2.0 * bulk - bulk * bulk * n_ainv_n;
}

double min_trace_b(const Params& p) {
  // Cubic symmetry: the angles [0, π/2] cover every direction. A dense scan finds the
  // basin (tr B may have its minimum on an axis or at a general angle when the
  // anisotropy is reversed), golden section then pins it to ~1e-12 rad.
  const int samples = 2048;
  const double step = 0.5 * kPi / samples;
  auto along = [&p](double theta) { return trace_b(std::cos(theta), std::sin(theta), p); };
  int best = 0;
  double best_value = along(0.0);
  for (int i = 1; i <= samples; ++i) {
    const double value = along(i * step);
    if (value < best_value) {
      best_value = value;
      best = i;
    }
  }
  const double lo = std::max(0.0, (best - 1) * step);
  const double hi = std::min(0.5 * kPi, (best + 1) * step);
  return std::min(best_value, golden_section_min(along, lo, hi, 1e-12));
}

double wave_number(int i, int n, double h) {
  const int k = (i <= n / 2) ? i : i - n;  // FFT order; the Nyquist index n/2 maps to +n/2
  return 2.0 * kPi * k / (n * h);
}

std::vector<double> trace_b_grid(int n, const Params& p) {
  const int half = n / 2 + 1;
  std::vector<double> grid(static_cast<std::size_t>(n) * half);
  // tr B is homogeneous of degree 0, so integer k (not q) suffices as the direction.
  for (int iy = 0; iy < n; ++iy) {
    const double ky = (iy <= n / 2) ? iy : iy - n;
    for (int ix = 0; ix < half; ++ix) {
      grid[static_cast<std::size_t>(iy) * half + ix] = trace_b(static_cast<double>(ix), ky, p);
    }
  }
  return grid;
}

}  // namespace csd::physics
