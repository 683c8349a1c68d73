// The conv-GRU network: size, kernel shapes, exact mass conservation, translation
// equivariance, any grid size, and the fused circular padding against LibTorch's.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "surrogate/model.h"

namespace csd::surrogate::detail {
namespace {

namespace F = torch::nn::functional;

ModelConfig tiny_model() {
  ModelConfig c;
  c.hidden = 8;
  return c;
}

/// Effective projection weights (output_scale · w) up to 0.1, well above the default
/// (output_scale/√hidden), so that an untrained model changes φ by O(1) over a rollout
/// (larger ones let φ grow without bound).
Crnn lively_model(const ModelConfig& config, uint64_t seed) {
  torch::manual_seed(seed);
  Crnn model(config);
  torch::NoGradGuard no_grad;
  for (auto& item : model->named_parameters())
    if (item.key() == "project") item.value().uniform_(-0.1 / config.output_scale, 0.1 / config.output_scale);
  return model;
}

/// Free rollout of `frames` frames (including φ₀) from phi0 [B, 1, N, N].
torch::Tensor rollout(Crnn& model, const torch::Tensor& phi0, double eta, int frames) {
  torch::NoGradGuard no_grad;
  const int64_t batch = phi0.size(0), n = phi0.size(-1);
  const auto eta_channel = model->eta_field(torch::full({batch}, eta, torch::kFloat64), n);
  auto state = model->initial_state(batch, n, phi0.options());
  std::vector<torch::Tensor> out{phi0};
  for (int k = 1; k < frames; ++k) out.push_back(model->forward(out.back(), eta_channel, state));
  return torch::cat(out, 1);
}

TEST(SurrogateModel, DefaultSizeIsThePapersAndKernelsAreAsSpecified) {
  Crnn model(ModelConfig{});
  const int64_t count = parameter_count(*model);
  EXPECT_NEAR(static_cast<double>(count), 1.5e5, 0.02 * 1.5e5) << count;
  EXPECT_EQ(count, 147792);

  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& item : model->named_parameters())
    shapes[item.key()] = item.value().sizes().vec();
  // Cell 0 sees [φ, η] + 24 hidden channels; cell 1 sees 24 + 24.
  EXPECT_EQ(shapes["cells.0.gates.weight"], (std::vector<int64_t>{48, 26, 5, 5}));
  EXPECT_EQ(shapes["cells.0.candidate.weight"], (std::vector<int64_t>{24, 26, 5, 5}));
  EXPECT_EQ(shapes["cells.1.gates.weight"], (std::vector<int64_t>{48, 48, 5, 5}));
  EXPECT_EQ(shapes["cells.1.candidate.weight"], (std::vector<int64_t>{24, 48, 5, 5}));
  EXPECT_EQ(shapes["head.weight"], (std::vector<int64_t>{24, 24, 5, 5}));
  EXPECT_EQ(shapes["project"], (std::vector<int64_t>{1, 24}));
  // 4 cell convolutions and the head, each with a bias, and the bias-free projection.
  EXPECT_EQ(shapes.size(), 11u);
}

TEST(SurrogateModel, ConfigurableArchitecture) {
  ModelConfig c;
  c.hidden = 16;
  c.kernel = 3;
  c.layers = 3;
  Crnn model(c);
  // Per cell: gates (in+16 → 32) and candidate (in+16 → 16), 3×3, with biases.
  const int64_t per_cell_in_first = (2 + 16) * 32 * 9 + 32 + (2 + 16) * 16 * 9 + 16;
  const int64_t per_cell_later = 32 * 32 * 9 + 32 + 32 * 16 * 9 + 16;
  const int64_t head = 16 * 16 * 9 + 16 + 16;
  EXPECT_EQ(parameter_count(*model), per_cell_in_first + 2 * per_cell_later + head);
}

TEST(SurrogateModel, ConservesMassExactlyOverHundredFrames) {
  auto model = lively_model(tiny_model(), 11);
  torch::manual_seed(5);
  const auto phi0 = 0.45 + 0.1 * torch::rand({2, 1, 32, 32});
  const auto frames = rollout(model, phi0, 0.006, 101);
  const auto mass = frames.to(torch::kFloat64).sum({-2, -1});  // [B, T]
  const auto drift = ((mass - mass.narrow(1, 0, 1)).abs() / mass.narrow(1, 0, 1)).max().item<double>();
  EXPECT_LT(drift, 1e-6);
  // ...while the field itself changed: conservation is not trivial.
  const double change = (frames.select(1, 100) - frames.select(1, 0)).abs().max().item<double>();
  EXPECT_GT(change, 1e-2);
}

TEST(SurrogateModel, RollingTheInputRollsTheOutput) {
  auto model = lively_model(tiny_model(), 12);
  torch::manual_seed(6);
  const auto phi0 = 0.5 + 0.1 * torch::rand({1, 1, 32, 32});
  const auto base = rollout(model, phi0, 0.004, 6);
  const auto shifted = rollout(model, torch::roll(phi0, {5, -7}, {-2, -1}), 0.004, 6);
  const double diff = (torch::roll(base, {5, -7}, {-2, -1}) - shifted).abs().max().item<double>();
  EXPECT_LT(diff, 1e-5);
  EXPECT_GT((base.select(1, 5) - base.select(1, 0)).abs().max().item<double>(), 1e-3);
}

TEST(SurrogateModel, SameWeightsRunOnAnyGridSize) {
  // A 16-periodic pattern tiled on 32² and 48²: a fully convolutional, periodic model
  // must give the same 16-periodic result on both grids.
  auto model = lively_model(tiny_model(), 13);
  torch::manual_seed(7);
  const auto tile = 0.5 + 0.1 * torch::rand({1, 1, 16, 16});
  const auto small = rollout(model, tile.repeat({1, 1, 2, 2}), 0.008, 4);
  const auto large = rollout(model, tile.repeat({1, 1, 3, 3}), 0.008, 4);
  ASSERT_EQ(small.sizes(), (std::vector<int64_t>{1, 4, 32, 32}));
  ASSERT_EQ(large.sizes(), (std::vector<int64_t>{1, 4, 48, 48}));
  const auto small_tile = small.narrow(-2, 0, 16).narrow(-1, 0, 16);
  const auto large_tile = large.narrow(-2, 16, 16).narrow(-1, 32, 16);
  EXPECT_LT((small_tile - large_tile).abs().max().item<double>(), 1e-5);
}

TEST(SurrogateModel, EtaChannelChangesThePrediction) {
  auto model = lively_model(tiny_model(), 14);
  const auto phi0 = 0.5 + 0.1 * torch::rand({1, 1, 16, 16});
  const auto a = rollout(model, phi0, 0.0, 3), b = rollout(model, phi0, 0.01, 3);
  EXPECT_GT((a - b).abs().max().item<double>(), 1e-6);
}

TEST(SurrogateModel, CircularPadCatMatchesLibTorchPaddingAndGradient) {
  torch::manual_seed(8);
  // 7×9 and a field narrower than twice the padding (3×4, wrapped strips overlap).
  for (auto [rows, cols] : {std::pair<int64_t, int64_t>{7, 9}, {3, 4}}) {
    auto x = torch::randn({2, 3, rows, cols}, torch::kFloat64).requires_grad_(true);
    auto h = torch::randn({2, 4, rows, cols}, torch::kFloat64).requires_grad_(true);
    const auto weights = torch::randn({2, 7, rows + 4, cols + 4}, torch::kFloat64);

    const auto ours = circular_pad_cat({x, h}, 2);
    const auto reference =
        F::pad(torch::cat({x, h}, 1), F::PadFuncOptions({2, 2, 2, 2}).mode(torch::kCircular));
    EXPECT_TRUE(torch::equal(ours.contiguous(), reference.contiguous()));
    EXPECT_TRUE(ours.is_contiguous(at::MemoryFormat::ChannelsLast));

    const auto grads = torch::autograd::grad({(ours * weights).sum()}, {x, h});
    const auto expected = torch::autograd::grad({(reference * weights).sum()}, {x, h});
    EXPECT_LT((grads[0] - expected[0]).abs().max().item<double>(), 1e-12) << rows;
    EXPECT_LT((grads[1] - expected[1]).abs().max().item<double>(), 1e-12) << rows;
  }
}

TEST(SurrogateModel, LaplacianIsThePeriodicFivePointStencil) {
  const auto f = torch::arange(25, torch::kFloat64).view({5, 5}).pow(2);
  const auto lap = periodic_laplacian(f);
  auto at = [&](int y, int x) { return f[(y + 5) % 5][(x + 5) % 5].item<double>(); };
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x)
      EXPECT_DOUBLE_EQ(lap[y][x].item<double>(),
                       at(y + 1, x) + at(y - 1, x) + at(y, x + 1) + at(y, x - 1) - 4 * at(y, x));
}

TEST(SurrogateModel, UnrollTeacherForcesTheGivenFrames) {
  auto model = lively_model(tiny_model(), 15);
  torch::manual_seed(9);
  const auto frames = 0.5 + 0.1 * torch::rand({2, 5, 16, 16});
  const auto eta = torch::tensor({0.002, 0.008}, torch::kFloat64);
  torch::NoGradGuard no_grad;
  // given = 1: the free rollout.
  const auto free = unroll(model, frames.narrow(1, 0, 1), eta, 5);
  ASSERT_EQ(free.sizes(), (std::vector<int64_t>{2, 4, 16, 16}));
  // given = 4: only frame 4 is predicted, from true frames 0..3.
  const auto last = unroll(model, frames.narrow(1, 0, 4), eta, 5);
  ASSERT_EQ(last.sizes(), (std::vector<int64_t>{2, 1, 16, 16}));
  auto state = model->initial_state(2, 16, frames.options());
  const auto eta_channel = model->eta_field(eta, 16);
  torch::Tensor prediction;
  for (int t = 0; t < 4; ++t) prediction = model->forward(frames.narrow(1, t, 1), eta_channel, state);
  EXPECT_TRUE(torch::allclose(prediction, last, 0, 1e-6));
  EXPECT_FALSE(torch::allclose(free.narrow(1, 3, 1), last, 0, 1e-6));
}

}  // namespace
}  // namespace csd::surrogate::detail
