#include "loss.h"

#include <fmt/format.h>

#include <cmath>

#include "csd/core/error.h"
#include "csd/physics/elastic.h"

namespace csd::surrogate::detail {

torch::Tensor squared_gradient(const torch::Tensor& phi, double grid_spacing) {
  // roll(φ, −1, dim)(i) = φ(i + 1): the forward neighbour, periodically.
  const auto dx = torch::roll(phi, -1, -1) - phi;
  const auto dy = torch::roll(phi, -1, -2) - phi;
  return (dx * dx + dy * dy) / (grid_spacing * grid_spacing);
}

torch::Tensor mean_well(const torch::Tensor& phi, double epsilon) {
  const auto a = phi * (1.0 - phi);
  return (18.0 / epsilon) * (a * a).mean({-2, -1});
}

torch::Tensor elastic_spectral_weights(int n, const physics::Params& params) {
  const int half = n / 2 + 1;
  const std::vector<double> trb = physics::trace_b_grid(n, params);
  auto weights = torch::empty({n, half}, torch::kFloat64);
  auto w = weights.accessor<double, 2>();
  const double inv_n4 = 1.0 / (static_cast<double>(n) * n * n * n);
  for (int iy = 0; iy < n; ++iy) {
    for (int ix = 0; ix < half; ++ix) {
      // Columns 0 < kx < N/2 stand for themselves and their conjugate twins.
      const bool has_twin = ix > 0 && 2 * ix != n;
      w[iy][ix] = (has_twin ? 2.0 : 1.0) * trb[static_cast<size_t>(iy) * half + ix] * inv_n4;
    }
  }
  return weights;
}

torch::Tensor gradient_spectral_weights(int n, double grid_spacing) {
  const int half = n / 2 + 1;
  auto weights = torch::empty({n, half}, torch::kFloat64);
  auto w = weights.accessor<double, 2>();
  const double inv_n4 = 1.0 / (static_cast<double>(n) * n * n * n);
  for (int iy = 0; iy < n; ++iy) {
    const double qy = physics::wave_number(iy, n, grid_spacing);
    for (int ix = 0; ix < half; ++ix) {
      const double qx = physics::wave_number(ix, n, grid_spacing);
      const bool has_twin = ix > 0 && 2 * ix != n;
      w[iy][ix] = (has_twin ? 2.0 : 1.0) * (qx * qx + qy * qy) * inv_n4;
    }
  }
  return weights;
}

torch::Tensor mean_energy_increase(const torch::Tensor& energies) {
  TORCH_CHECK(energies.dim() == 2 && energies.size(1) >= 2,
              "the energy rise needs [B, T] energies with T >= 2");
  const int64_t steps = energies.size(1) - 1;
  const auto rise = energies.narrow(1, 1, steps) - energies.narrow(1, 0, steps);
  return torch::relu(rise).mean();
}

torch::Tensor mean_range_excess(const torch::Tensor& phi, double low, double high) {
  TORCH_CHECK(low < high, "the range penalty needs low < high");
  return (torch::relu(low - phi).pow(2) + torch::relu(phi - high).pow(2)).mean();
}

namespace {

/// |φ̂_k|² of φ − ⟨φ⟩ on the r2c half spectrum: the k = 0 coefficient stays out of
/// float32 rounding, and neither the gradient nor the elastic energy sees it.
torch::Tensor fluctuation_power(const torch::Tensor& phi) {
  const auto spectrum = torch::fft::rfft2(phi - phi.mean({-2, -1}, /*keepdim=*/true));
  return torch::real(spectrum * torch::conj(spectrum));
}

/// Σ_k weights_k · power_k over the last two dimensions.
torch::Tensor weighted_sum(const torch::Tensor& power, const torch::Tensor& weights) {
  return (power * weights.to(power.device(), power.scalar_type())).sum({-2, -1});
}

torch::Tensor elastic_from_power(const torch::Tensor& power, const torch::Tensor& eta,
                                 const torch::Tensor& weights) {
  const auto eta_t = eta.to(power.device(), power.scalar_type());
  return 0.5 * eta_t * eta_t * weighted_sum(power, weights);
}

}  // namespace

torch::Tensor mean_elastic(const torch::Tensor& phi, const torch::Tensor& eta,
                           const torch::Tensor& weights) {
  return elastic_from_power(fluctuation_power(phi), eta, weights);
}

LossWeights LossWeights::balanced_terms(double p_phi, double p_grad, double p_f) {
  require(std::isfinite(p_phi) && std::isfinite(p_grad) && std::isfinite(p_f) && p_phi > 0 &&
              p_grad > 0 && p_f > 0,
          fmt::format("cannot balance the loss terms: the training data's frames hardly change "
                      "(persistence terms L_phi {:.3g}, L_grad {:.3g}, L_f {:.3g}); use "
                      "train.loss_weights = \"fixed\"",
                      p_phi, p_grad, p_f));
  return LossWeights{p_phi / p_grad, p_phi / p_f, 3.0 * p_phi};
}

PhysicsLoss::PhysicsLoss(const physics::Params& params, double lambda_grad, double lambda_f,
                         double normaliser)
    : params_(params), lambda_grad_(lambda_grad), lambda_f_(lambda_f), normaliser_(normaliser) {
  TORCH_CHECK(normaliser > 0, "the loss normaliser must be positive");
}

const torch::Tensor& PhysicsLoss::weights_for(int n, const torch::Tensor& like, bool gradient) {
  const auto key = std::make_pair(n, std::string(gradient ? "q2/" : "trB/") + like.device().str() +
                                         "/" + std::string(c10::toString(like.scalar_type())));
  auto it = weights_.find(key);
  if (it == weights_.end()) {
    const auto table = gradient ? gradient_spectral_weights(n, params_.grid_spacing)
                                : elastic_spectral_weights(n, params_);
    it = weights_.emplace(key, table.to(like.device(), like.scalar_type())).first;
  }
  return it->second;
}

torch::Tensor PhysicsLoss::mean_free_energy(const torch::Tensor& phi, const torch::Tensor& eta) {
  const int n = static_cast<int>(phi.size(-1));
  const auto eta_per_frame = eta.view({-1, 1});  // [B, 1] broadcasts over frames
  return 2.0 * mean_well(phi, params_.epsilon) +
         mean_elastic(phi, eta_per_frame, weights_for(n, phi));
}

torch::Tensor PhysicsLoss::exact_free_energy(const torch::Tensor& phi, const torch::Tensor& eta) {
  const int n = static_cast<int>(phi.size(-1));
  const auto eta_per_frame = eta.view({-1, 1});  // [B, 1] broadcasts over frames
  const auto power = fluctuation_power(phi);  // one transform for both spectral terms
  return 0.5 * params_.epsilon * weighted_sum(power, weights_for(n, phi, /*gradient=*/true)) +
         mean_well(phi, params_.epsilon) +
         elastic_from_power(power, eta_per_frame, weights_for(n, phi));
}

void PhysicsLoss::add_energy_penalty(LossTerms& terms, const torch::Tensor& frames,
                                     const torch::Tensor& eta, double weight) {
  TORCH_CHECK(weight >= 0, "the energy penalty weight must be >= 0");
  const auto rise = mean_energy_increase(exact_free_energy(frames, eta));
  terms.total = terms.total + weight * rise;
  terms.energy_rise = rise.detach();
}

void PhysicsLoss::add_range_penalty(LossTerms& terms, const torch::Tensor& frames,
                                    double weight) {
  TORCH_CHECK(weight >= 0, "the range penalty weight must be >= 0");
  const auto excess = mean_range_excess(frames);
  terms.total = terms.total + weight * excess;
  terms.range_excess = excess.detach();
}

torch::Tensor PhysicsLoss::PerSequence::total() const {
  return (phi + lambda_grad * grad + lambda_f * free_energy) / normaliser;
}

PhysicsLoss::PerSequence PhysicsLoss::per_sequence(const torch::Tensor& prediction,
                                                   const torch::Tensor& target,
                                                   const torch::Tensor& f_prediction,
                                                   const torch::Tensor& f_target,
                                                   bool per_frame) const {
  TORCH_CHECK(prediction.sizes() == target.sizes(), "prediction and target shapes differ");
  const double h = params_.grid_spacing;
  const std::vector<int64_t> reduced =
      per_frame ? std::vector<int64_t>{2, 3} : std::vector<int64_t>{1, 2, 3};
  PerSequence terms;
  terms.phi = (prediction - target).pow(2).mean(reduced);
  terms.grad = (squared_gradient(prediction, h) - squared_gradient(target, h)).pow(2).mean(reduced);
  const auto f_error = (f_prediction - f_target).pow(2);
  // [B, 1] (a repeated frame) against [B, F] targets broadcasts to [B, F].
  terms.free_energy = per_frame ? f_error.expand({target.size(0), target.size(1)}) : f_error.mean(1);
  terms.lambda_grad = lambda_grad_;
  terms.lambda_f = lambda_f_;
  terms.normaliser = normaliser_;
  return terms;
}

torch::Tensor PhysicsLoss::target_free_energy(const torch::Tensor& target, const torch::Tensor& eta) {
  torch::NoGradGuard no_grad;  // the target needs no graph
  return mean_free_energy(target, eta);
}

LossTerms PhysicsLoss::summarise(const PerSequence& terms, const torch::Tensor& total) const {
  LossTerms out;
  out.total = total;
  out.phi = terms.phi.mean().detach();
  out.grad = terms.grad.mean().detach();
  out.free_energy = terms.free_energy.mean().detach();
  return out;
}

LossTerms PhysicsLoss::operator()(const torch::Tensor& prediction, const torch::Tensor& target,
                                  const torch::Tensor& eta) {
  // Every sequence has the same frames and pixels: the mean of the per-sequence means
  // is the plain mean over all predicted pixels.
  const PerSequence terms = per_sequence(prediction, target, mean_free_energy(prediction, eta),
                                         target_free_energy(target, eta));
  return summarise(terms, terms.total().mean());
}

LossTerms PhysicsLoss::balanced(const torch::Tensor& prediction, const torch::Tensor& target,
                                const torch::Tensor& eta, const torch::Tensor& last_given,
                                double floor) {
  return balanced_by(prediction, target, eta, last_given, floor, /*per_frame=*/false);
}

LossTerms PhysicsLoss::balanced_per_frame(const torch::Tensor& prediction,
                                          const torch::Tensor& target, const torch::Tensor& eta,
                                          const torch::Tensor& last_given, double floor) {
  return balanced_by(prediction, target, eta, last_given, floor, /*per_frame=*/true);
}

LossTerms PhysicsLoss::balanced_by(const torch::Tensor& prediction, const torch::Tensor& target,
                                   const torch::Tensor& eta, const torch::Tensor& last_given,
                                   double floor, bool per_frame) {
  TORCH_CHECK(floor > 0, "the balancing floor must be positive");
  const torch::Tensor f_target = target_free_energy(target, eta);
  torch::Tensor baseline;
  {
    torch::NoGradGuard no_grad;
    // ⟨f⟩ of the repeated frame is one value per sequence: [B, 1] broadcasts over frames.
    baseline = per_sequence(last_given.expand_as(target), target,
                            mean_free_energy(last_given, eta), f_target, per_frame)
                   .total();
  }
  PerSequence terms =
      per_sequence(prediction, target, mean_free_energy(prediction, eta), f_target, per_frame);
  const torch::Tensor total = (terms.total() / (baseline + floor)).mean();
  return summarise(terms, total);
}

}  // namespace csd::surrogate::detail
