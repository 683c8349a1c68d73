#include "csd/physics/energy.h"

#include <algorithm>
#include <complex>
#include <string>

#include "csd/core/error.h"
#include "csd/physics/elastic.h"
#include "csd/physics/free_energy.h"
#include "csd/physics/solver.h"
#include "csd/physics/spectral.h"

namespace csd::physics {

struct EnergyCalculator::Impl {
  int n;
  Params params;
  Spectral spectral;
  /// Per half-spectrum coefficient: multiplicity × q² and multiplicity × tr B, where the
  /// multiplicity is 2 for the columns 0 < kx < N/2 (they stand for their conjugate
  /// twins) and 1 for kx = 0 and the Nyquist column kx = N/2 (their own twins).
  std::vector<double> grad_weight, rho_weight;
  mutable AlignedBuffer<double> real;
  mutable AlignedBuffer<std::complex<double>> spectrum;

  Impl(int size, const Params& p)
      : n(size),
        params(p),
        spectral(size),
        real(static_cast<std::size_t>(size) * size),
        spectrum(static_cast<std::size_t>(size) * (size / 2 + 1)) {
    const int half = n / 2 + 1;
    const std::vector<double> trb = trace_b_grid(n, p);
    grad_weight.resize(trb.size());
    rho_weight.resize(trb.size());
    for (int iy = 0; iy < n; ++iy) {
      const double qy = wave_number(iy, n, p.grid_spacing);
      for (int ix = 0; ix < half; ++ix) {
        const double qx = wave_number(ix, n, p.grid_spacing);
        const bool has_twin = ix > 0 && 2 * ix != n;
        const double multiplicity = has_twin ? 2.0 : 1.0;
        const std::size_t k = static_cast<std::size_t>(iy) * half + ix;
        grad_weight[k] = multiplicity * (qx * qx + qy * qy);
        rho_weight[k] = multiplicity * trb[k];
      }
    }
  }

  /// Energies of the field held in `real` (n*n values).
  Energies evaluate(double eta) const {
    spectral.forward(real.data(), spectrum.data());
    return evaluate(real.data(), spectrum.data(), eta);
  }

  /// Energies of the n*n values `phi` whose unnormalised r2c half spectrum is `phi_hat`.
  Energies evaluate(const double* phi, const std::complex<double>* phi_hat, double eta) const {
    const std::size_t count = real.size();
    double w_sum = 0.0;
    for (std::size_t i = 0; i < count; ++i) w_sum += well(phi[i], params.epsilon);

    double grad_sum = 0.0, rho_sum = 0.0;
    for (std::size_t k = 0; k < spectrum.size(); ++k) {
      const double power = std::norm(phi_hat[k]);
      grad_sum += grad_weight[k] * power;
      rho_sum += rho_weight[k] * power;
    }
    // Parseval for the unnormalised DFT: ⟨g²⟩ = (1/N⁴) Σ_k |ĝ_k|².
    const double inv_n4 = 1.0 / (static_cast<double>(count) * count);
    Energies e;
    e.w = w_sum / count;
    e.grad = 0.5 * params.epsilon * grad_sum * inv_n4;
    e.rho = 0.5 * eta * eta * rho_sum * inv_n4;
    e.f = 2.0 * e.w + e.rho;
    e.total = e.grad + e.w + e.rho;
    return e;
  }
};

EnergyCalculator::EnergyCalculator(int n, const Params& p) {
  p.validate();
  impl_ = std::make_unique<Impl>(n, p);
}

EnergyCalculator::~EnergyCalculator() = default;
EnergyCalculator::EnergyCalculator(EnergyCalculator&&) noexcept = default;

Energies EnergyCalculator::operator()(const Field& phi, double eta) const {
  const int n = impl_->n;
  require(phi.rows() == n && phi.cols() == n,
          "energy calculator for a " + std::to_string(n) + "x" + std::to_string(n) +
              " grid got a " + std::to_string(phi.rows()) + "x" + std::to_string(phi.cols()) +
              " field; build an EnergyCalculator of the field's size");
  std::copy(phi.data(), phi.data() + phi.size(), impl_->real.data());
  return impl_->evaluate(eta);
}

Energies EnergyCalculator::operator()(const Solver& solver) const {
  const int n = impl_->n;
  require(solver.size() == n, "energy calculator for a " + std::to_string(n) + "x" +
                                  std::to_string(n) + " grid got a solver of " +
                                  std::to_string(solver.size()) + "x" +
                                  std::to_string(solver.size()));
  return impl_->evaluate(solver.phi().data(), solver.spectrum(), solver.eta());
}

Energies EnergyCalculator::operator()(const float* phi, double eta) const {
  std::copy(phi, phi + impl_->real.size(), impl_->real.data());
  return impl_->evaluate(eta);
}

}  // namespace csd::physics
