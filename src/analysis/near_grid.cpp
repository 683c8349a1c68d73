#include "csd/analysis/near_grid.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "csd/core/error.h"
#include "square_field.h"

namespace csd::analysis {
namespace {

constexpr double kPi = 3.14159265358979323846;
/// Band edges are inclusive up to rounding: λ = 4 at kx = ky = N/4 comes out a few ulps
/// below 4.
constexpr double kEdgeTolerance = 1e-9;

/// n, checked before the FFT plan is made.
int checked_size(int n) {
  require(n > 0, "near-grid band: grid size must be positive, got " + std::to_string(n));
  return n;
}

}  // namespace

double laplacian_eigenvalue(int kx, int ky, int n) {
  const double sx = std::sin(kPi * kx / n), sy = std::sin(kPi * ky / n);
  return 4.0 * (sx * sx + sy * sy);
}

LaplacianBand::LaplacianBand(int n, double lambda_min, double lambda_max)
    : n_(n),
      spectral_(checked_size(n)),
      real_(static_cast<std::size_t>(n) * n),
      spectrum_(static_cast<std::size_t>(n) * (n / 2 + 1)) {
  require(lambda_min >= 0 && lambda_min <= lambda_max,
          "near-grid band: need 0 <= lambda_min <= lambda_max (the near-grid band is [4, 8]), "
          "got [" + fmt::format("{:g}", lambda_min) + ", " + fmt::format("{:g}", lambda_max) + "]");
  const int half = n / 2 + 1;
  weight_.assign(spectrum_.size(), 0.0);
  for (int ky = 0; ky < n; ++ky)
    for (int kx = 0; kx < half; ++kx) {
      const double lambda = laplacian_eigenvalue(kx, ky, n);
      if (lambda < lambda_min - kEdgeTolerance || lambda > lambda_max + kEdgeTolerance) continue;
      // The r2c half spectrum keeps kx ≤ N/2; the other columns are conjugate twins with
      // the same λ and power, counted by doubling (kx = 0 and N/2 are their own twins).
      const bool has_twin = kx > 0 && 2 * kx != n;
      weight_[static_cast<std::size_t>(ky) * half + kx] = has_twin ? 2.0 : 1.0;
    }
}

double LaplacianBand::band_rms() const {
  spectral_.forward(real_.data(), spectrum_.data());
  double power = 0.0;
  for (std::size_t k = 0; k < spectrum_.size(); ++k) power += weight_[k] * std::norm(spectrum_[k]);
  const double pixels = static_cast<double>(real_.size());
  return std::sqrt(power / (pixels * pixels));  // Parseval, unnormalised forward DFT
}

double LaplacianBand::operator()(const float* phi) const {
  std::copy(phi, phi + real_.size(), real_.data());
  return band_rms();
}

double LaplacianBand::operator()(const Field& phi) const {
  require(phi.rows() == n_ && phi.cols() == n_,
          "near-grid band for a " + std::to_string(n_) + "x" + std::to_string(n_) +
              " grid got a " + std::to_string(phi.rows()) + "x" + std::to_string(phi.cols()) +
              " field; build a LaplacianBand of the field's size");
  std::copy(phi.data(), phi.data() + phi.size(), real_.data());
  return band_rms();
}

double near_grid_rms(const float* phi, int n) { return LaplacianBand(n)(phi); }

double near_grid_rms(const Field& phi) {
  return LaplacianBand(detail::square_size(phi, "near_grid_rms"))(phi);
}

}  // namespace csd::analysis
