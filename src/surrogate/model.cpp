#include "model.h"

#include <cmath>


namespace csd::surrogate::detail {
namespace {

constexpr auto kChannelsLast = at::MemoryFormat::ChannelsLast;

/// Fills the border of an already filled interior: padded index j holds original
/// index (j − p) mod n, done first along columns (interior rows only), then along rows
/// (full width), which also fills the corners.
void wrap_borders(torch::Tensor& padded, int64_t pad, int64_t rows, int64_t cols) {
  auto interior_rows = padded.narrow(2, pad, rows);
  interior_rows.narrow(3, 0, pad).copy_(interior_rows.narrow(3, cols, pad));
  interior_rows.narrow(3, cols + pad, pad).copy_(interior_rows.narrow(3, pad, pad));
  padded.narrow(2, 0, pad).copy_(padded.narrow(2, rows, pad));
  padded.narrow(2, rows + pad, pad).copy_(padded.narrow(2, pad, pad));
}

torch::Tensor pad_cat_forward(at::TensorList inputs, int64_t pad) {
  const auto& first = inputs.front();
  const int64_t batch = first.size(0), rows = first.size(2), cols = first.size(3);
  int64_t channels = 0;
  for (const auto& t : inputs) channels += t.size(1);
  auto padded = torch::empty({batch, channels, rows + 2 * pad, cols + 2 * pad},
                             first.options().memory_format(kChannelsLast));
  int64_t offset = 0;
  for (const auto& t : inputs) {
    padded.narrow(1, offset, t.size(1)).narrow(2, pad, rows).narrow(3, pad, cols).copy_(t);
    offset += t.size(1);
  }
  if (pad > 0) wrap_borders(padded, pad, rows, cols);
  return padded;
}

/// Adjoint of the periodic padding: every border pixel's gradient goes back to the
/// interior pixel it was copied from (one copy of the interior, then the 4 edge strips
/// and 4 corners are added where they wrap to).
torch::Tensor fold_borders(const torch::Tensor& grad, int64_t pad) {
  const int64_t rows = grad.size(2) - 2 * pad, cols = grad.size(3) - 2 * pad;
  auto folded = grad.narrow(2, pad, rows).narrow(3, pad, cols).clone();
  // (padded start, interior start) along one axis for the low and the high border.
  const std::pair<int64_t, int64_t> row_wraps[] = {{0, rows - pad}, {rows + pad, 0}};
  const std::pair<int64_t, int64_t> col_wraps[] = {{0, cols - pad}, {cols + pad, 0}};
  for (const auto& [from, to] : row_wraps)
    folded.narrow(2, to, pad).add_(grad.narrow(2, from, pad).narrow(3, pad, cols));
  for (const auto& [from, to] : col_wraps)
    folded.narrow(3, to, pad).add_(grad.narrow(2, pad, rows).narrow(3, from, pad));
  for (const auto& [row_from, row_to] : row_wraps)
    for (const auto& [col_from, col_to] : col_wraps)
      folded.narrow(2, row_to, pad).narrow(3, col_to, pad)
          .add_(grad.narrow(2, row_from, pad).narrow(3, col_from, pad));
  return folded;
}

class CircularPadCat : public torch::autograd::Function<CircularPadCat> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, at::TensorList inputs,
                               int64_t pad) {
    std::vector<int64_t> channels;
    for (const auto& t : inputs) channels.push_back(t.size(1));
    ctx->saved_data["pad"] = pad;
    ctx->saved_data["channels"] = channels;
    return pad_cat_forward(inputs, pad);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const int64_t pad = ctx->saved_data["pad"].toInt();
    const auto channels = ctx->saved_data["channels"].toIntVector();
    const auto folded = pad > 0 ? fold_borders(grads[0], pad) : grads[0];
    torch::autograd::variable_list result;
    int64_t offset = 0;
    for (int64_t c : channels) {
      result.push_back(folded.narrow(1, offset, c));
      offset += c;
    }
    result.emplace_back();  // no gradient for `pad`
    return result;
  }
};

bool any_requires_grad(at::TensorList inputs) {
  for (const auto& t : inputs)
    if (t.requires_grad()) return true;
  return false;
}

}  // namespace

torch::Tensor circular_pad_cat(at::TensorList inputs, int64_t pad) {
  TORCH_CHECK(!inputs.empty(), "circular_pad_cat needs at least one input");
  TORCH_CHECK(pad <= inputs.front().size(2) && pad <= inputs.front().size(3),
              "circular padding wider than the field");
  // Inference (rollouts) skips the autograd node entirely.
  if (!torch::GradMode::is_enabled() || !any_requires_grad(inputs))
    return pad_cat_forward(inputs, pad);
  return CircularPadCat::apply(inputs, pad);
}

torch::Tensor periodic_laplacian(const torch::Tensor& field) {
  return torch::roll(field, 1, -2) + torch::roll(field, -1, -2) + torch::roll(field, 1, -1) +
         torch::roll(field, -1, -1) - 4.0 * field;
}

// ---- ConvGRU cell -----------------------------------------------------------------

ConvGRUCellImpl::ConvGRUCellImpl(int in_channels, int hidden, int kernel)
    : hidden_(hidden), pad_(kernel / 2) {
  const int total = in_channels + hidden;
  gates_ = register_module(
      "gates", torch::nn::Conv2d(torch::nn::Conv2dOptions(total, 2 * hidden, kernel)));
  candidate_ = register_module(
      "candidate", torch::nn::Conv2d(torch::nn::Conv2dOptions(total, hidden, kernel)));
}

torch::Tensor ConvGRUCellImpl::forward(at::TensorList inputs, const torch::Tensor& h) {
  std::vector<torch::Tensor> gate_inputs(inputs.begin(), inputs.end());
  gate_inputs.push_back(h);
  // split (not narrow): its backward concatenates the two gradients once instead of
  // zero-filling a full-size NCHW tensor per slice.
  const auto gates = torch::sigmoid(gates_->forward(circular_pad_cat(gate_inputs, pad_)))
                         .split(hidden_, /*dim=*/1);
  const auto& reset = gates[0];
  const auto& update = gates[1];

  gate_inputs.back() = reset * h;
  const auto candidate =
      torch::tanh(candidate_->forward(circular_pad_cat(gate_inputs, pad_)));
  return torch::addcmul(h, update, candidate - h);
}

// ---- stacked network --------------------------------------------------------------

CrnnImpl::CrnnImpl(const ModelConfig& config) : config_(config) {
  config_.validate();
  cells_ = register_module("cells", torch::nn::ModuleList());
  for (int layer = 0; layer < config_.layers; ++layer) {
    const int in_channels = layer == 0 ? 2 : config_.hidden;
    cells_->push_back(ConvGRUCell(in_channels, config_.hidden, config_.kernel));
  }
  head_ = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(
                                      config_.hidden, config_.hidden, config_.kernel)));
  // Default 1×1-conv initialisation for w; with output_scale ≪ 1 an untrained model
  // starts close to φ_{t+τ} = φ_t instead of producing O(1) Laplacians that the first
  // Adam steps must undo.
  const double bound = 1.0 / std::sqrt(static_cast<double>(config_.hidden));
  project_ = register_parameter("project", torch::empty({1, config_.hidden}).uniform_(-bound, bound));
  eta_scale_ = register_buffer("eta_scale", torch::tensor({config_.eta_scale}, torch::kFloat32));
  output_scale_ =
      register_buffer("output_scale", torch::tensor({config_.output_scale}, torch::kFloat32));
  use_channels_last(*this);
}

RecurrentState CrnnImpl::initial_state(int64_t batch, int64_t n,
                                       const torch::TensorOptions& options) const {
  RecurrentState state;
  // torch::zeros ignores TensorOptions::memory_format: allocate channels-last, then zero.
  // (An NCHW state would make every later op of the cell convert layouts.)
  for (int layer = 0; layer < config_.layers; ++layer)
    state.push_back(
        torch::empty({batch, config_.hidden, n, n}, options.memory_format(kChannelsLast)).zero_());
  return state;
}

torch::Tensor CrnnImpl::eta_field(const torch::Tensor& eta, int64_t n) const {
  const int64_t batch = eta.size(0);
  const auto scaled = eta.to(eta_scale_.device(), torch::kFloat32) * eta_scale_;
  return scaled.view({batch, 1, 1, 1}).expand({batch, 1, n, n});
}

void CrnnImpl::advance(const torch::Tensor& phi, const torch::Tensor& eta_field,
                       RecurrentState& state) {
  TORCH_CHECK(static_cast<int>(state.size()) == config_.layers, "state has wrong depth");
  TORCH_CHECK(phi.size(-1) >= config_.kernel && phi.size(-2) >= config_.kernel,
              "field smaller than the convolution kernel");
  for (int layer = 0; layer < config_.layers; ++layer) {
    auto cell = cells_[layer]->as<ConvGRUCellImpl>();
    if (layer == 0) {
      state[0] = cell->forward({phi, eta_field}, state[0]);
    } else {
      state[layer] = cell->forward({state[layer - 1]}, state[layer]);
    }
  }
}

torch::Tensor CrnnImpl::predict(const torch::Tensor& phi, const RecurrentState& state) {
  const auto features =
      torch::tanh(head_->forward(circular_pad_cat({state.back()}, config_.kernel / 2)));
  // Channels-last features permuted to [B, N, N, C] are contiguous: the 1×1 projection
  // is one matmul over the channel axis.
  const auto mu = torch::matmul(features.permute({0, 2, 3, 1}), (project_ * output_scale_).t())
                      .permute({0, 3, 1, 2});
  return phi + periodic_laplacian(mu);
}

torch::Tensor CrnnImpl::forward(const torch::Tensor& phi, const torch::Tensor& eta_field,
                                RecurrentState& state) {
  advance(phi, eta_field, state);
  return predict(phi, state);
}

// ---- helpers ----------------------------------------------------------------------

int64_t parameter_count(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& p : module.parameters()) count += p.numel();
  return count;
}

void use_channels_last(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(kChannelsLast));
}

torch::Tensor unroll(Crnn& model, const torch::Tensor& inputs, const torch::Tensor& eta,
                     int total_frames) {
  const int64_t given = inputs.size(1), batch = inputs.size(0), n = inputs.size(-1);
  TORCH_CHECK(given >= 1 && given < total_frames, "given frames must be in [1, T-1]");
  const auto eta_channel = model->eta_field(eta, n);
  auto state = model->initial_state(batch, n, inputs.options());
  std::vector<torch::Tensor> predictions;
  predictions.reserve(static_cast<size_t>(total_frames - given));
  for (int64_t t = 0; t + 1 < total_frames; ++t) {
    const auto input = t < given ? inputs.narrow(1, t, 1) : predictions.back();
    model->advance(input, eta_channel, state);
    // Steps before the last given frame only build up the hidden state.
    if (t + 1 >= given) predictions.push_back(model->predict(input, state));
  }
  return torch::cat(predictions, 1);
}

torch::Tensor unroll_window(Crnn& model, const torch::Tensor& frames, const torch::Tensor& eta,
                            int warmup, int pushforward, const torch::Tensor& noise,
                            bool noise_feedback, int extra_frames) {
  const int64_t length = frames.size(1), batch = frames.size(0), n = frames.size(-1);
  const int64_t first_loss = warmup + pushforward;
  const int64_t steps = length - 1 + extra_frames;
  TORCH_CHECK(warmup >= 1 && pushforward >= 0 && first_loss < length && extra_frames >= 0,
              "a window needs warmup >= 1, pushforward >= 0, at least one loss frame and "
              "extra_frames >= 0");
  TORCH_CHECK(!noise.defined() || noise.size(1) == steps, "one noise frame per step");
  const bool outer_grad = c10::GradMode::is_enabled();
  const auto eta_channel = model->eta_field(eta, n);
  auto state = model->initial_state(batch, n, frames.options());
  torch::Tensor previous;  // the model's latest prediction
  std::vector<torch::Tensor> predictions;
  for (int64_t t = 0; t < steps; ++t) {
    const bool in_loss = t + 1 >= first_loss;
    const c10::AutoGradMode grad_mode(outer_grad && in_loss);
    auto input = t < warmup ? frames.narrow(1, t, 1) : previous;
    if (noise.defined() && (t < warmup || noise_feedback)) input = input + noise.narrow(1, t, 1);
    model->advance(input, eta_channel, state);
    if (t + 1 < warmup) continue;  // the next input is a true frame
    previous = model->predict(input, state);
    if (in_loss) predictions.push_back(previous);
  }
  return torch::cat(predictions, 1);
}

}  // namespace csd::surrogate::detail
