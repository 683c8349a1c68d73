#include "csd/physics/solver.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cmath>
#include <complex>
#include <random>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "csd/core/random.h"
#include "csd/physics/elastic.h"
#include "csd/physics/spectral.h"
#include "csd/physics/stability.h"

namespace csd::physics {
namespace {

// The two pointwise passes of a step are ~1/6 of its time beside the FFTs. On x86-64
// they are compiled twice, for AVX2 and for the baseline, and the loader picks the one
// the CPU runs. AVX2 without FMA: the same IEEE operations in the same order, so every
// CPU gives bit-identical fields (a dataset must not depend on the machine).
#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define CSD_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef CSD_AVX2_CLONES
#define CSD_AVX2_CLONES
#endif

/// r ← 36/ε φ(1−φ)(1−2φ) with φ = r·scale: w'(φ) of the unnormalised c2r output.
CSD_AVX2_CLONES void well_derivative_in_place(double* __restrict__ r, std::size_t count,
                                              double scale, double coefficient) {
  for (std::size_t i = 0; i < count; ++i) {
    const double phi = r[i] * scale;
    r[i] = coefficient * phi * (1.0 - phi) * (1.0 - 2.0 * phi);
  }
}

/// Eq. 8 on interleaved real/imaginary doubles from index `first`:
/// w ← p ← p·b − w·ab. The four arrays never alias.
CSD_AVX2_CLONES void semi_implicit_update(double* __restrict__ p, double* __restrict__ w,
                                          const double* __restrict__ bk,
                                          const double* __restrict__ abk, std::size_t first,
                                          std::size_t count) {
  for (std::size_t j = first; j < count; ++j) w[j] = p[j] = p[j] * bk[j] - w[j] * abk[j];
}

/// dt beyond the linear stability bound of the step (max_stable_dt, derived in
/// src/physics/stability.cpp) gives wrong or diverging fields; warned once per process
/// because a dataset builds one solver per sequence.
void warn_if_step_unstable(const Params& params) {
  const double limit = max_stable_dt(params);
  if (params.dt <= limit) return;
  static std::atomic<bool> warned{false};
  if (warned.exchange(true)) return;
  spdlog::warn("physics.dt = {:g} is {:.3g}× the largest time step for which the "
               "semi-implicit scheme is stable ({:.3g} for epsilon = {:g}, mobility = {:g}); "
               "the solution will be wrong or diverge: use dt <= {:.3g} and more "
               "steps_per_frame (docs/numerics.md)",
               params.dt, params.dt / limit, limit, params.epsilon, params.mobility, limit);
}

}  // namespace

void validate_solver_inputs(const Field& phi0, double eta, const Params& params,
                            const NoiseOptions& noise) {
  require(phi0.rows() > 1 && phi0.rows() == phi0.cols(),
          "initial field must be square N x N with N >= 2 (got " + std::to_string(phi0.rows()) +
              "x" + std::to_string(phi0.cols()) + ")");
  require(all_finite(phi0), "initial field contains NaN/Inf; fix or regenerate the input field");
  require(std::isfinite(eta) && eta >= 0.0 && eta <= kMaxEta,
          "misfit eta must be in [0, " + fmt::format("{:g}", kMaxEta) + "] as a fraction (got " +
              fmt::format("{:g}", eta) + "); 0.006 means 0.6 %");
  require(std::isfinite(noise.sigma) && noise.sigma >= 0.0,
          "noise sigma must be a finite number >= 0 (got " + fmt::format("{:g}", noise.sigma) +
              ")");
  params.validate();
  warn_if_step_unstable(params);
}

StepCoefficients step_coefficients(int n, double eta, const Params& params) {
  const int half = n / 2 + 1;
  const std::vector<double> trb = trace_b_grid(n, params);
  const double dtm = params.dt * params.mobility;
  StepCoefficients c;
  c.b.resize(trb.size());
  c.ab.resize(trb.size());
  for (int iy = 0; iy < n; ++iy) {
    const double qy = wave_number(iy, n, params.grid_spacing);
    for (int ix = 0; ix < half; ++ix) {
      const double qx = wave_number(ix, n, params.grid_spacing);
      const double q2 = qx * qx + qy * qy;
      const std::size_t k = static_cast<std::size_t>(iy) * half + ix;
      c.b[k] = 1.0 / (1.0 + dtm * (params.epsilon * q2 * q2 + eta * eta * trb[k] * q2));
      c.ab[k] = dtm * q2 * c.b[k];
    }
  }
  return c;
}

struct Solver::Impl {
  int n;
  double eta;
  Params params;
  NoiseOptions noise;
  Spectral spectral;
  long steps = 0;

  // Invariant between steps: `work` holds a copy of `phi_hat`, because the c2r that
  // starts the next step destroys its input. The update loop writes both, which is
  // cheaper than a separate copy pass.
  AlignedBuffer<std::complex<double>> phi_hat, work;
  AlignedBuffer<double> real;
  /// Eq. 8 as φ̂ ← φ̂·b − ŵ'·(a·b) with a = δt M q², b = 1/(1 + δt M (ε q⁴ + η² tr B q²)).
  /// Each coefficient is stored twice (for the real and the imaginary part) so the
  /// update is one branch-free stream over doubles that vectorises without shuffles.
  AlignedBuffer<double> b, ab;

  // Portable Box–Muller (csd/core/random.h), not std::normal_distribution, whose
  // algorithm differs between standard libraries: the same seed gives the same noise.
  std::mt19937_64 rng;
  StandardNormal gauss;

  mutable Field phi_cache;
  mutable bool phi_cache_valid = false;

  Impl(const Field& phi0, double eta_, const Params& p, NoiseOptions noise_, PlanEffort effort)
      : n(static_cast<int>(phi0.rows())),
        eta(eta_),
        params(p),
        noise(noise_),
        spectral(n, effort),
        phi_hat(static_cast<std::size_t>(n) * (n / 2 + 1)),
        work(phi_hat.size()),
        real(static_cast<std::size_t>(n) * n),
        b(2 * phi_hat.size()),
        ab(2 * phi_hat.size()),
        rng(noise_.seed) {
    build_coefficients();
    spectral.forward(phi0.data(), phi_hat.data());
    std::copy(phi_hat.data(), phi_hat.data() + phi_hat.size(), work.data());
  }

  void build_coefficients() {
    const StepCoefficients c = step_coefficients(n, eta, params);
    for (std::size_t k = 0; k < c.b.size(); ++k) {
      b[2 * k] = b[2 * k + 1] = c.b[k];
      ab[2 * k] = ab[2 * k + 1] = c.ab[k];
    }
  }

  void step() {
    // 1. φ = c2r(φ̂) (unnormalised: the 1/N² is folded into the w' pass).
    spectral.backward_unnormalised_destroying(work.data(), real.data());
    // 2. w'(φ) = 36/ε φ(1−φ)(1−2φ), pointwise, in place.
    well_derivative_in_place(real.data(), real.size(), 1.0 / static_cast<double>(real.size()),
                             36.0 / params.epsilon);
    // 3. ŵ' = r2c(w').
    spectral.forward(real.data(), work.data());
    // 4. Semi-implicit update on the real/imaginary parts (std::complex multiplication
    //    would take the slow NaN-checking path). k = 0 is skipped: mass is exact.
    update_spectrum();
    if (noise.sigma > 0.0) add_noise();
    ++steps;
    phi_cache_valid = false;
  }

  void update_spectrum() {
    double* p = reinterpret_cast<double*>(phi_hat.data());
    double* w = reinterpret_cast<double*>(work.data());
    w[0] = p[0];
    w[1] = p[1];
    semi_implicit_update(p, w, b.data(), ab.data(), 2, 2 * phi_hat.size());
  }

  /// Gaussian white noise of std σ per pixel with its spatial mean removed, so Σφ is
  /// unchanged; added in Fourier space with the k = 0 term exactly zero.
  void add_noise() {
    double* r = real.data();
    const std::size_t count = real.size();
    double mean = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
      r[i] = noise.sigma * gauss(rng);
      mean += r[i];
    }
    mean /= static_cast<double>(count);
    for (std::size_t i = 0; i < count; ++i) r[i] -= mean;
    spectral.forward(r, work.data());
    double* p = reinterpret_cast<double*>(phi_hat.data());
    double* w = reinterpret_cast<double*>(work.data());
    w[0] = p[0];
    w[1] = p[1];
    for (std::size_t k = 2; k < 2 * phi_hat.size(); ++k) w[k] = (p[k] += w[k]);
  }

  void check_finite() const {
    const double* p = reinterpret_cast<const double*>(phi_hat.data());
    for (std::size_t k = 0; k < 2 * phi_hat.size(); ++k) {
      if (!std::isfinite(p[k])) {
        throw Error("solver diverged (NaN/Inf) after step " + std::to_string(steps) +
                    " with dt=" + fmt::format("{:g}", params.dt) +
                    "; reduce physics.dt (e.g. halve it and double steps_per_frame)");
      }
    }
  }

  const Field& phi() const {
    if (!phi_cache_valid) {
      phi_cache.resize(n, n);
      spectral.backward(phi_hat.data(), phi_cache.data());
      phi_cache_valid = true;
    }
    return phi_cache;
  }
};

Solver::Solver(const Field& phi0, double eta, const Params& params, NoiseOptions noise,
               PlanEffort effort) {
  validate_solver_inputs(phi0, eta, params, noise);
  impl_ = std::make_unique<Impl>(phi0, eta, params, noise, effort);
}

Solver::~Solver() = default;
Solver::Solver(Solver&&) noexcept = default;

void Solver::step() { impl_->step(); }

void Solver::advance(long steps) {
  require(steps >= 0, "number of steps must be >= 0 (got " + std::to_string(steps) + ")");
  for (long i = 0; i < steps; ++i) impl_->step();
  impl_->check_finite();
}

void Solver::advance_frame() { advance(impl_->params.steps_per_frame); }

const Field& Solver::phi() const { return impl_->phi(); }
const std::complex<double>* Solver::spectrum() const { return impl_->phi_hat.data(); }
double Solver::eta() const { return impl_->eta; }
int Solver::size() const { return impl_->n; }
long Solver::steps_taken() const { return impl_->steps; }
const Params& Solver::params() const { return impl_->params; }

}  // namespace csd::physics
