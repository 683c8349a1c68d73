#include "training_step.h"

#include <limits>

#include "data.h"

namespace csd::surrogate::detail {

torch::Tensor slice_rows(const torch::Tensor& whole, const BatchSlice& slice) {
  return slice.count == slice.total ? whole : whole.narrow(0, slice.first, slice.count);
}

torch::Tensor batch_noise(std::vector<int64_t> sizes, const BatchSlice& slice, double sigma,
                          std::uint64_t seed, int epoch, int batch,
                          const torch::TensorOptions& options) {
  sizes[0] = slice.total;
  return slice_rows(mean_free_noise(sizes, sigma, noise_seed(seed, epoch, batch), options), slice);
}

torch::Tensor teacher_forced_predictions(Crnn& model, const torch::Tensor& frames,
                                         const torch::Tensor& eta, int given,
                                         const torch::Tensor& noise) {
  const auto inputs = frames.narrow(1, 0, given) + noise;
  return unroll(model, inputs, eta, static_cast<int>(frames.size(1)));
}

LossTerms training_objective(PhysicsLoss& loss, const TrainConfig& config,
                             const torch::Tensor& prediction, const torch::Tensor& frames,
                             int first, const torch::Tensor& eta) {
  const auto target = frames.narrow(1, first, frames.size(1) - first);
  if (config.loss_balance == "persistence")
    return loss.balanced(prediction, target, eta, frames.narrow(1, first - 1, 1),
                         config.balance_floor);
  if (config.loss_balance == "frame")
    return loss.balanced_per_frame(prediction, target, eta, frames.narrow(1, first - 1, 1),
                                   config.balance_floor);
  return loss(prediction, target, eta);
}

double clip_gradient_norm(const std::vector<torch::Tensor>& parameters, double max_norm) {
  // An infinite bound only measures the norm.
  return torch::nn::utils::clip_grad_norm_(
      parameters, max_norm > 0 ? max_norm : std::numeric_limits<double>::infinity());
}

}  // namespace csd::surrogate::detail
