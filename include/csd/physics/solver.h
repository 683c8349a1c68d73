#pragma once
/// Semi-implicit spectral Cahn–Hilliard solver with cubic Green's-function
/// elasticity (paper Eq. 7–8):
///   ∂φ/∂t = M ∇²(−ε∇²φ + w'(φ) + ρ'(φ)),
///   φ̂ ← (φ̂ − δt M q² ŵ'(φ)) / (1 + δt M (ε q⁴ + η² tr B(q) q²)).
/// The state is kept in Fourier space, so one step costs one c2r + one r2c FFT;
/// the k = 0 mode is never touched, so the mass Σφ is conserved to round-off.
/// Optional noise (paper Sec. 3.2): after each step, add Gaussian white noise of
/// standard deviation σ to every pixel and subtract its spatial mean.
///
///   csd::physics::Solver solver(phi0, /*eta=*/0.006, csd::physics::Params{});
///   solver.advance_frame();               // 100 steps = one τ
///   const csd::Field& phi = solver.phi();
#include <complex>
#include <cstdint>
#include <memory>
#include <vector>

#include "csd/core/field.h"
#include "csd/physics/params.h"
#include "csd/physics/spectral.h"

namespace csd::physics {

struct NoiseOptions {
  double sigma = 0.0;      ///< per-step, per-pixel standard deviation (0 = deterministic)
  std::uint64_t seed = 0;  ///< seed of the noise stream (independent of the initial field)
};

/// The per-mode factors of Eq. 8 on the r2c half spectrum (N × (N/2+1), row-major):
///   φ̂ ← φ̂·b − ŵ'·ab,  b = 1/(1 + δt M (ε q⁴ + η² tr B q²)),  ab = δt M q² b.
/// One definition for every solver of Eq. 8 (this one and the LibTorch one), so they
/// differ only by the rounding of their FFTs. b = 1 and ab = 0 at k = 0.
struct StepCoefficients {
  std::vector<double> b, ab;
};
StepCoefficients step_coefficients(int n, double eta, const Params& params);

/// Throws csd::Error when (phi0, eta, params, noise) cannot start a solver, and warns
/// once per process when dt exceeds the stability bound: what Solver's constructor
/// checks, for every solver of Eq. 8.
void validate_solver_inputs(const Field& phi0, double eta, const Params& params,
                            const NoiseOptions& noise);

class Solver {
 public:
  /// phi0 must be square, finite; throws csd::Error otherwise.
  /// `effort` = kMeasure may be faster but is not bit-reproducible between processes.
  Solver(const Field& phi0, double eta, const Params& params, NoiseOptions noise = {},
         PlanEffort effort = PlanEffort::kEstimate);
  ~Solver();
  Solver(Solver&&) noexcept;

  void step();                      ///< one δt step
  void advance(long steps);         ///< `steps` steps
  void advance_frame();             ///< params.steps_per_frame steps
  const Field& phi() const;         ///< current field (synchronised lazily from φ̂)
  /// Current φ̂: the unnormalised r2c half spectrum of phi(), N × (N/2+1) row-major
  /// (valid until the next step).
  const std::complex<double>* spectrum() const;
  double eta() const;
  int size() const;
  long steps_taken() const;
  const Params& params() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd::physics
