#pragma once
/// The conv-GRU surrogate network (paper Sec. 2.3, Fig. 2; docs/architecture.md §5). Internal,
/// includes LibTorch.
///
/// One step maps (φ_t, η) and the hidden states h¹, h² to φ_{t+τ}:
///   x   = [φ_t, η·eta_scale]                       2 channels, η as a constant field
///   hˡ  = ConvGRU(x or hˡ⁻¹, hˡ)                  stacked cells, circular padding
///   μ̃   = s · w · tanh(Conv_k(h^L) + b)           k×k conv, then a 1×1 projection,
///                                                  s = output_scale (fixed, 0.01)
///   φ_{t+τ} = φ_t + ∇²μ̃                           periodic 5-point Laplacian (h = 1)
/// Σφ is conserved by construction: the 5-point Laplacian of a periodic field sums to 0.
/// The projection has no bias, since ∇² annihilates constants (the bias would never
/// receive a gradient). With hidden 24, kernel 5, 2 layers: 147 792 parameters.
///
/// ConvGRU (Ballas et al. 2016), per cell with input x and state h:
///   [r, z] = σ(Conv_k([x, h]))          one conv for both gates
///   n      = tanh(Conv_k([x, r ⊙ h]))
///   h'     = h + z ⊙ (n − h)            = (1 − z) ⊙ h + z ⊙ n
///
/// Performance (Debian libtorch 1.13, oneDNN): activations and conv weights are kept in
/// channels-last (NHWC) layout, which oneDNN convolves directly (about 2× faster than
/// NCHW, which it reorders on every call); circular padding and channel concatenation
/// are fused into one copy into a pre-sized padded tensor (`circular_pad_cat`) with a
/// hand-written backward; the 1×1 projection is a matmul, not a convolution.
#include <torch/torch.h>

#include <vector>

#include "csd/surrogate/surrogate.h"

namespace csd::surrogate::detail {

/// Concatenates `inputs` ([B, Cᵢ, N, M] each) along channels and pads the result
/// periodically by `pad` pixels on every side: [B, ΣCᵢ, N+2p, M+2p], channels-last.
/// Differentiable (custom backward folds the wrapped borders back onto the inputs).
torch::Tensor circular_pad_cat(at::TensorList inputs, int64_t pad);

/// Periodic 5-point Laplacian on the last two dimensions (grid spacing 1).
torch::Tensor periodic_laplacian(const torch::Tensor& field);

class ConvGRUCellImpl : public torch::nn::Module {
 public:
  ConvGRUCellImpl(int in_channels, int hidden, int kernel);
  /// One recurrent update. `inputs` are the cell inputs (concatenated along channels,
  /// e.g. {φ, η-field} or {h of the cell below}); h is [B, hidden, N, N].
  torch::Tensor forward(at::TensorList inputs, const torch::Tensor& h);
  int hidden() const { return hidden_; }

 private:
  int hidden_, pad_;
  torch::nn::Conv2d gates_{nullptr};      ///< → [r, z] pre-activations, 2·hidden channels
  torch::nn::Conv2d candidate_{nullptr};  ///< → candidate n pre-activation
};
TORCH_MODULE(ConvGRUCell);

/// Hidden states of all cells, [B, hidden, N, N] each (channels-last).
using RecurrentState = std::vector<torch::Tensor>;

class CrnnImpl : public torch::nn::Module {
 public:
  explicit CrnnImpl(const ModelConfig& config);

  const ModelConfig& config() const { return config_; }
  /// Zero hidden states for a batch of B fields of size n on `options`' device.
  RecurrentState initial_state(int64_t batch, int64_t n, const torch::TensorOptions& options) const;
  /// The η input channel: [B, 1, n, n] filled with η_b · eta_scale. `eta` is [B] (fraction).
  torch::Tensor eta_field(const torch::Tensor& eta, int64_t n) const;
  /// Feeds φ_t ([B, 1, N, N]) through the recurrent cells, updating `state`.
  void advance(const torch::Tensor& phi, const torch::Tensor& eta_field, RecurrentState& state);
  /// φ_t + ∇²μ̃(h_top): the prediction for the next frame from the current state.
  torch::Tensor predict(const torch::Tensor& phi, const RecurrentState& state);
  /// advance + predict.
  torch::Tensor forward(const torch::Tensor& phi, const torch::Tensor& eta_field,
                        RecurrentState& state);

 private:
  ModelConfig config_;
  torch::nn::ModuleList cells_;
  torch::nn::Conv2d head_{nullptr};  ///< k×k conv hidden → hidden, then tanh
  torch::Tensor project_;            ///< 1×1 projection hidden → 1 (no bias), [1, hidden]
  torch::Tensor eta_scale_;          ///< buffer: the η normalisation travels with the weights
  torch::Tensor output_scale_;       ///< buffer: fixed factor of μ̃ (ModelConfig::output_scale)
};
TORCH_MODULE(Crnn);

/// Number of trainable scalars.
int64_t parameter_count(const torch::nn::Module& module);

/// Runs a batch of sequences through the model with teacher forcing. `inputs` are the
/// first `given` true frames [B, given, N, N] (possibly noisy), `eta` is [B] (fraction).
/// Steps t < given read true frame t, later steps read the model's own prediction.
/// Returns the predictions of frames given..total−1: [B, total−given, N, N].
/// given = 1 is a free rollout from φ₀; given = total−1 predicts only the last frame.
torch::Tensor unroll(Crnn& model, const torch::Tensor& inputs, const torch::Tensor& eta,
                     int total_frames);

/// Scheme "rollout" (data.h Window): runs the window `frames` ([B, L, N, N],
/// L = warmup + pushforward + loss frames). Step t reads true frame t for t < warmup,
/// else the model's previous prediction; `noise` ([B, L−1, N, N], or undefined for none)
/// is added to the input of step t — to true frames always, to fed-back predictions only
/// with `noise_feedback`. Steps whose prediction lies before frame warmup + pushforward
/// run without autograd (truncated backpropagation: the warm-up and pushforward states
/// are constants to the optimiser). `extra_frames` more steps follow the window, fed
/// back as the rest (with gradient; noise then has L − 1 + extra_frames frames). Returns
/// the predictions of frames warmup + pushforward .. L − 1 + extra_frames:
/// [B, L − warmup − pushforward + extra_frames, N, N].
torch::Tensor unroll_window(Crnn& model, const torch::Tensor& frames, const torch::Tensor& eta,
                            int warmup, int pushforward, const torch::Tensor& noise,
                            bool noise_feedback, int extra_frames = 0);

/// Converts conv weights to channels-last in place (call after moving to a device).
void use_channels_last(torch::nn::Module& module);

}  // namespace csd::surrogate::detail
