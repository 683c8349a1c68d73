#pragma once
/// Spatial means of the free-energy terms of Eq. 1 on a periodic N×N field
/// (docs/architecture.md §3):
///   grad  = ⟨ε/2 |∇φ|²⟩      spectral: ε/2 · (1/N⁴) Σ_k q² |φ̂_k|²
///   w     = ⟨w(φ)⟩
///   rho   = ⟨ρ⟩ = ½ η² (1/N⁴) Σ_k tr B(k) |φ̂_k|²
///   f     = 2⟨w⟩ + ⟨ρ⟩          the paper's approximation (loss L_f)
///   total = grad + w + rho       the exact discrete F, Lyapunov functional of Eq. 8
#include <memory>
#include <vector>

#include "csd/core/field.h"
#include "csd/physics/params.h"

namespace csd::physics {

class Solver;

struct Energies {
  double grad = 0, w = 0, rho = 0, f = 0, total = 0;
};

/// Reusable calculator: FFT plan and tr B table built once for size n.
class EnergyCalculator {
 public:
  EnergyCalculator(int n, const Params& p);
  ~EnergyCalculator();
  EnergyCalculator(EnergyCalculator&&) noexcept;
  Energies operator()(const Field& phi, double eta) const;
  /// The solver's current field, from the spectrum it already holds: one FFT fewer
  /// per frame than operator()(solver.phi(), solver.eta()), equal to it to round-off.
  Energies operator()(const Solver& solver) const;
  /// Same for a float32 frame of n*n values (row-major).
  Energies operator()(const float* phi, double eta) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd::physics
