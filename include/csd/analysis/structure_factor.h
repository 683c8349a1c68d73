#pragma once
/// Structure factor S(k) of a periodic N×N field, its moments, the characteristic length
/// L = 2π/k₁, and the anisotropy of S between the ⟨10⟩ and ⟨11⟩ directions: the
/// statistical measures of coarsening (docs/figures.md, "Coarsening").
///
/// Per mode k (integer wave vector in FFT order, |kx|, |ky| ≤ N/2) of the fluctuation
/// δφ = φ − ⟨φ⟩, with φ̂ the unnormalised DFT (physics/spectral.h):
///
///   S_k = |δφ̂_k|² / N⁴,   so that   Σ_k S_k = ⟨δφ²⟩ = variance of φ   (Parseval),
///
/// and its wave number q_k = 2π |k| / (N h) (h the grid spacing, 1 = lengths in pixels).
///
/// Radial profile: shell b (b = 0, 1, …) holds the modes with b − ½ ≤ |k| < b + ½, so
/// shells are 2π/(N h) wide and shell b is centred on q_b = 2π b/(N h). For each shell
/// the profile gives `power` (Σ S_k over its modes: the power sums to the variance) and
/// `mean` (power / modes, the circular average, what a log-log S(k, t) plot shows).
/// Shells reach the corner modes, |k| up to N/√2.
///
/// Moments over every mode k ≠ 0 (exact q_k, not shell centres):
///   k₁ = Σ q_k S_k / Σ S_k,   k₂ = Σ q_k² S_k / Σ S_k,   L = 2π / k₁.
/// Sinusoidal stripes of period P (P dividing N) give k₁ = 2π/P and L = P exactly.
///
/// Anisotropy A = R⟨10⟩ / R⟨11⟩ among the modes 0 < |k| ≤ N/2 (the inscribed disc):
/// R⟨10⟩ is Σ S_k over the modes within 22.5° of an axis divided by Σ S̄(shell of k) over
/// the same modes, S̄ the circular average of the mode's shell (the power an isotropic
/// pattern with this radial profile puts there); R⟨11⟩ the same within 22.5° of a
/// diagonal. Normalising by the shell rather than comparing plain sector means matters on
/// the lattice: in the low shells the axial modes (1, 0), (2, 0) sit at other |k| than
/// the diagonal ones (1, 1), (2, 1), so a spectrum that falls or rises steeply with q
/// tilts plain sector means; per shell, an isotropic random field gives A ≈ 1 at any
/// peak position. A single frame with few domains per side has few modes that carry
/// power, so its A scatters widely about 1 even when the dynamics are isotropic
/// (tests/unit/analysis/test_coarsening_run.cpp).
/// Elasticity with Zener ratio > 1 aligns interfaces with the soft ⟨10⟩ directions
/// (docs/architecture.md §3): their wave vectors point along the axes and A > 1. A ≈ 1
/// for an isotropic pattern, A < 1 for domains aligned along ⟨11⟩, A = +∞ when no
/// diagonal mode holds power. No lattice mode lies on a sector edge (tan 22.5° is
/// irrational), so every mode of the disc has one sector.
///
/// Uniform field: every S_k = 0, k₁, k₂, L and A are NaN (no structure to measure).
/// Grids smaller than kMinCoarseningSize = 8 are refused (csd::Error naming N).
///
/// The calculator owns an FFT plan for one grid size; it is not thread safe (give each
/// thread its own).
///
///   csd::analysis::StructureFactor sf(128);
///   SpectralMoments m = sf.moments(frame);      // m.length, m.anisotropy
///   RadialProfile s = sf.radial(frame);         // s.q[b], s.mean[b]
#include <complex>
#include <vector>

#include "csd/physics/spectral.h"

namespace csd::analysis {

/// Smallest grid the coarsening analytics measure (structure factor and topology).
inline constexpr int kMinCoarseningSize = 8;

/// Throws csd::Error naming N and kMinCoarseningSize when n < kMinCoarseningSize.
void require_coarsening_grid(int n);

/// S(k) in shells of width 2π/(N h); index b is the shell.
struct RadialProfile {
  std::vector<double> q;      ///< shell centre 2π b / (N h)
  std::vector<double> power;  ///< Σ S_k over the shell's modes
  std::vector<double> mean;   ///< power / modes (0 for an empty shell)
  std::vector<int> modes;     ///< modes in the shell (full spectrum, both halves)
};

struct SpectralMoments {
  double variance = 0;    ///< Σ S_k = ⟨(φ − ⟨φ⟩)²⟩
  double k1 = 0;          ///< first moment of q
  double k2 = 0;          ///< second moment of q (⟨q²⟩)
  double length = 0;      ///< L = 2π / k₁
  double anisotropy = 0;  ///< A = S̄⟨10⟩ / S̄⟨11⟩
};

class StructureFactor {
 public:
  /// Throws csd::Error when n < kMinCoarseningSize or spacing is not positive.
  explicit StructureFactor(int n, double spacing = 1.0);
  /// Radial profile of an n×n float32 frame (row-major).
  RadialProfile radial(const float* phi) const;
  /// Moments, L and anisotropy of an n×n float32 frame.
  SpectralMoments moments(const float* phi) const;
  int n() const { return n_; }
  int shells() const { return shells_; }

 private:
  /// Where a half-spectrum coefficient goes: its multiplicity (2 for the columns that
  /// stand for their conjugate twins), |q|, shell and sector.
  struct Mode {
    double weight = 0, q = 0;
    int shell = 0;
    int sector = 0;  ///< +1 ⟨10⟩, −1 ⟨11⟩, 0 outside the inscribed disc or k = 0
  };
  /// Transforms φ − ⟨φ⟩ into spectrum_.
  void transform(const float* phi) const;
  /// S_k of half-spectrum coefficient i (without its multiplicity).
  double power(std::size_t i) const;

  int n_;
  int shells_ = 0;
  std::vector<Mode> modes_;
  std::vector<int> shell_modes_;
  physics::Spectral spectral_;
  mutable physics::AlignedBuffer<double> real_;
  mutable physics::AlignedBuffer<std::complex<double>> spectrum_;
};

}  // namespace csd::analysis
