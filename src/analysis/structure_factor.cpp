#include "csd/analysis/structure_factor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "csd/core/error.h"

namespace csd::analysis {
namespace {

constexpr double kPi = 3.14159265358979323846;
/// tan 22.5°: a mode is within 22.5° of an axis when min(|kx|, |ky|) < this · max.
const double kSectorSlope = std::sqrt(2.0) - 1.0;

int checked_size(int n) {
  require_coarsening_grid(n);
  return n;
}

/// Signed wave-vector component of FFT index i (0 … N−1).
int signed_index(int i, int n) { return 2 * i <= n ? i : i - n; }

}  // namespace

void require_coarsening_grid(int n) {
  require(n >= kMinCoarseningSize,
          "grid size N = {} is too small for the coarsening analytics (structure factor, "
          "topology): they need N >= {}",
          n, kMinCoarseningSize);
}

StructureFactor::StructureFactor(int n, double spacing)
    : n_(checked_size(n)),
      spectral_(n),
      real_(static_cast<std::size_t>(n) * n),
      spectrum_(static_cast<std::size_t>(n) * (n / 2 + 1)) {
  require(std::isfinite(spacing) && spacing > 0,
          "structure factor: grid spacing must be positive, got " + fmt::format("{:g}", spacing));
  const int half = n / 2 + 1;
  const double dq = 2 * kPi / (n * spacing);
  modes_.resize(spectrum_.size());
  for (int iy = 0; iy < n; ++iy)
    for (int kx = 0; kx < half; ++kx) {
      const int ky = signed_index(iy, n);
      const double k = std::hypot(kx, ky);
      Mode& m = modes_[static_cast<std::size_t>(iy) * half + kx];
      // The r2c half spectrum keeps kx ≤ N/2; the other columns are conjugate twins with
      // the same |k| and power, counted by doubling (kx = 0 and N/2 are their own twins).
      m.weight = kx > 0 && 2 * kx != n ? 2.0 : 1.0;
      m.q = dq * k;
      m.shell = static_cast<int>(std::floor(k + 0.5));
      const double lo = std::min(kx, std::abs(ky)), hi = std::max(kx, std::abs(ky));
      if (k > 0 && 2 * k <= n) m.sector = lo < kSectorSlope * hi ? 1 : -1;
      shells_ = std::max(shells_, m.shell + 1);
    }
  shell_modes_.assign(shells_, 0);
  for (const Mode& m : modes_) shell_modes_[m.shell] += static_cast<int>(m.weight);
}

void StructureFactor::transform(const float* phi) const {
  // k = 0 (the mean) is skipped below, so φ itself transforms like φ − ⟨φ⟩.
  std::copy(phi, phi + real_.size(), real_.data());
  spectral_.forward(real_.data(), spectrum_.data());
}

double StructureFactor::power(std::size_t i) const {
  const double pixels = static_cast<double>(real_.size());
  return i == 0 ? 0.0 : std::norm(spectrum_[i]) / (pixels * pixels);
}

RadialProfile StructureFactor::radial(const float* phi) const {
  transform(phi);
  RadialProfile p;
  p.power.assign(shells_, 0.0);
  for (std::size_t i = 0; i < modes_.size(); ++i) p.power[modes_[i].shell] += modes_[i].weight * power(i);
  const double dq = modes_.size() > 1 ? modes_[1].q : 0.0;  // mode (kx, ky) = (1, 0)
  for (int b = 0; b < shells_; ++b) {
    p.q.push_back(dq * b);
    p.modes.push_back(shell_modes_[b]);
    p.mean.push_back(shell_modes_[b] > 0 ? p.power[b] / shell_modes_[b] : 0.0);
  }
  return p;
}

SpectralMoments StructureFactor::moments(const float* phi) const {
  transform(phi);
  double total = 0, first = 0, second = 0;
  std::vector<double> shell_mean(shells_, 0.0);
  for (std::size_t i = 0; i < modes_.size(); ++i) {
    const Mode& m = modes_[i];
    const double s = m.weight * power(i);
    total += s;
    first += m.q * s;
    second += m.q * m.q * s;
    shell_mean[m.shell] += s;
  }
  for (int b = 0; b < shells_; ++b)
    if (shell_modes_[b] > 0) shell_mean[b] /= shell_modes_[b];
  // Observed against isotropic power, per sector.
  double axial = 0, axial_iso = 0, diagonal = 0, diagonal_iso = 0;
  for (std::size_t i = 0; i < modes_.size(); ++i) {
    const Mode& m = modes_[i];
    if (m.sector == 0) continue;
    const double iso = m.weight * shell_mean[m.shell];
    const double s = m.weight * power(i);
    (m.sector > 0 ? axial : diagonal) += s;
    (m.sector > 0 ? axial_iso : diagonal_iso) += iso;
  }
  SpectralMoments out;
  out.variance = total;
  if (total <= 0) {  // a uniform field has no length scale
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.k1 = out.k2 = out.length = out.anisotropy = nan;
    return out;
  }
  out.k1 = first / total;
  out.k2 = second / total;
  out.length = 2 * kPi / out.k1;
  out.anisotropy = (axial / axial_iso) / (diagonal / diagonal_iso);
  return out;
}

}  // namespace csd::analysis
