#pragma once
/// The pieces of one training step of src/surrogate/trainer.cpp that decide what the
/// model reads and what the loss compares: the teacher-forced unroll of scheme
/// "curriculum", the input noise of a batch, the configured objective (loss_balance)
/// and the gradient clipping. Internal, includes LibTorch; tested in
/// tests/unit/surrogate/test_training_step.cpp.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "csd/surrogate/surrogate.h"
#include "loss.h"
#include "model.h"

namespace csd::surrogate::detail {

/// Items [first, first + count) of a batch of `total`: one rank's share of it
/// (rank_slice in distributed.h); the whole batch on a single process.
struct BatchSlice {
  int first = 0, count = 0, total = 0;
};

/// The rows of `slice` of a tensor drawn for the whole batch (dimension 0).
torch::Tensor slice_rows(const torch::Tensor& whole, const BatchSlice& slice);

/// The input noise of batch `batch` of `epoch`: mean_free_noise (data.h) with σ = `sigma`
/// of shape `sizes` for the whole batch (sizes[0] is replaced by slice.total), seeded by
/// noise_seed(seed, epoch, batch); this slice's rows. Drawn for the whole batch so that
/// it does not depend on the number of ranks.
torch::Tensor batch_noise(std::vector<int64_t> sizes, const BatchSlice& slice, double sigma,
                          std::uint64_t seed, int epoch, int batch,
                          const torch::TensorOptions& options);

/// Scheme "curriculum" (the paper's teacher forcing): the predictions of frames
/// given..T−1 of `frames` ([B, T, N, N]) when the model reads true frames 0..given−1,
/// each plus its `noise` frame ([B, given, N, N]), and then its own predictions. Only
/// the inputs are noisy: the frames stay the clean targets of the loss.
torch::Tensor teacher_forced_predictions(Crnn& model, const torch::Tensor& frames,
                                         const torch::Tensor& eta, int given,
                                         const torch::Tensor& noise);

/// The loss the optimiser minimises: `prediction` against frames [first, T) of `frames`
/// ([B, T, N, N]); with train.loss_balance = "persistence" each sequence's loss is
/// divided by that of repeating frame first − 1 (its last input) plus balance_floor;
/// with "frame" each predicted frame's loss is, by the same frame's persistence loss.
LossTerms training_objective(PhysicsLoss& loss, const TrainConfig& config,
                             const torch::Tensor& prediction, const torch::Tensor& frames,
                             int first, const torch::Tensor& eta);

/// train.grad_clip: scales the gradients of `parameters` so that their global L2 norm is
/// at most `max_norm` (≤ 0: no clipping). Returns the norm before clipping, which the
/// history logs because exploding unrolls show there first.
double clip_gradient_norm(const std::vector<torch::Tensor>& parameters, double max_norm);

}  // namespace csd::surrogate::detail
