#pragma once
/// Near-grid-scale content of a field: the rms of the band of Fourier modes that the
/// 5-point discrete Laplacian sees as short waves. The solver damps them strongly, so
/// pixel-scale noise that a surrogate builds up over a long rollout stands out here.
///
/// With φ̂ the DFT of an N×N periodic field (any N, not only powers of two) and the
/// discrete-Laplacian eigenvalue
///
///   λ(k) = 4 sin²(π kx/N) + 4 sin²(π ky/N)   ∈ [0, 8],
///
/// the band rms over [λ_lo, λ_hi] is the rms of the band-passed field, by Parseval
///
///   rms = sqrt(⟨φ_band²⟩) = sqrt(Σ_{k: λ_lo ≤ λ(k) ≤ λ_hi} |φ̂_k|² / N⁴).
///
/// The near-grid band is [4, 8]: every wave shorter than 4 px along an axis, up to the
/// checkerboard (−1)^(x+y) at λ = 8 (whose band rms is its amplitude). Band edges are
/// inclusive with a tolerance of 1e-9 (λ = 4 exactly at kx = ky = N/4 must not depend
/// on rounding). Smooth fields (λ ≪ 4) give 0; the mean (k = 0) is never in a band
/// with λ_lo > 0.
///
/// The calculator owns an FFT plan for one grid size; it is not thread safe (give each
/// thread its own).
///
///   csd::analysis::LaplacianBand near_grid(128);          // [4, 8]
///   double rms = near_grid(frame);                         // n*n float32 values
///   double same = csd::analysis::near_grid_rms(frame, 128); // one-off
#include <complex>
#include <vector>

#include "csd/core/field.h"
#include "csd/physics/spectral.h"

namespace csd::analysis {

/// λ range of the near-grid band.
constexpr double kNearGridLambdaMin = 4.0;
constexpr double kNearGridLambdaMax = 8.0;

/// 4 sin²(π kx/N) + 4 sin²(π ky/N), the eigenvalue of −(5-point Laplacian) of mode k.
double laplacian_eigenvalue(int kx, int ky, int n);

class LaplacianBand {
 public:
  /// Throws csd::Error unless n > 0 and 0 ≤ lambda_min ≤ lambda_max.
  explicit LaplacianBand(int n, double lambda_min = kNearGridLambdaMin,
                         double lambda_max = kNearGridLambdaMax);
  /// Band rms of an n×n float32 frame (row-major).
  double operator()(const float* phi) const;
  /// Same for an n×n field (throws csd::Error on another shape).
  double operator()(const Field& phi) const;
  int n() const { return n_; }

 private:
  double band_rms() const;  // of the field held in real_
  int n_;
  physics::Spectral spectral_;
  /// Per half-spectrum coefficient: its multiplicity (2 for the columns that stand for
  /// their conjugate twins, else 1) if the mode is in the band, else 0.
  std::vector<double> weight_;
  mutable physics::AlignedBuffer<double> real_;
  mutable physics::AlignedBuffer<std::complex<double>> spectrum_;
};

/// Near-grid band rms ([4, 8]) of an n×n frame or field, with a one-off plan.
double near_grid_rms(const float* phi, int n);
double near_grid_rms(const Field& phi);

}  // namespace csd::analysis
