// The rollout training recipe (docs/training.md): window drawing, noise on fed-back
// predictions, truncated backpropagation, normalised loss terms, the per-step
// schedules, and training runs of the scheme (outputs, exact resume, init_from).
#include <gtest/gtest.h>

#include "csd/surrogate/rollout_job.h"
#include "error_capture.h"
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "csd/core/error.h"
#include "csd/surrogate/surrogate.h"
#include "physics_fields.h"
#include "surrogate/checkpoint.h"
#include "surrogate/data.h"
#include "surrogate/loss.h"
#include "surrogate/model.h"
#include "surrogate_fixtures.h"
#include "temp_dir.h"

namespace csd::surrogate {
namespace {

using detail::Crnn;

/// An untrained model whose projection is large enough that φ visibly changes.
Crnn lively_model(uint64_t seed) {
  ModelConfig c;
  c.hidden = 8;
  torch::manual_seed(static_cast<int64_t>(seed));
  Crnn model(c);
  torch::NoGradGuard no_grad;
  for (auto& item : model->named_parameters())
    if (item.key() == "project") item.value().uniform_(-0.1 / c.output_scale, 0.1 / c.output_scale);
  return model;
}

/// A window of `length` smooth random frames [B, L, N, N] around ⟨φ⟩ = 0.5.
torch::Tensor window_of(int batch, int length, int n, uint64_t seed) {
  torch::manual_seed(static_cast<int64_t>(seed));
  auto frames = 0.5 + 0.1 * torch::rand({batch, length, n, n});
  // Every frame with the same mass as frame 0 (as solver frames have).
  return frames - frames.mean({-2, -1}, true) + frames.narrow(1, 0, 1).mean({-2, -1}, true);
}

// ---- windows ------------------------------------------------------------------------

TEST(RolloutWindow, DrawsAreSeededAndFitTheSequence) {
  int cold = 0;
  const int draws = 4000;
  for (int b = 0; b < draws; ++b) {
    const auto w = detail::draw_window(7, 3, b, 4, 101, 20, 0.25, 2, 10, 80, 20);
    const auto again = detail::draw_window(7, 3, b, 4, 101, 20, 0.25, 2, 10, 80, 20);
    ASSERT_EQ(w.start, again.start);
    ASSERT_EQ(w.cold, again.cold);
    ASSERT_EQ(w.loss_frames, 20);
    ASSERT_EQ(w.start.size(), 4u);
    if (w.cold) {
      ++cold;
      ASSERT_EQ(w.warmup, 1);
      ASSERT_LE(w.pushforward, 80);
      for (int s : w.start) ASSERT_EQ(s, 0);
    } else {
      ASSERT_GE(w.warmup, 2);
      ASSERT_LE(w.warmup, 10);
      ASSERT_LE(w.pushforward, 20);
    }
    for (int s : w.start) ASSERT_LE(s + w.length(), 101);
  }
  EXPECT_NEAR(static_cast<double>(cold) / draws, 0.25, 0.03);
  // Another batch index draws another window.
  EXPECT_NE(detail::draw_window(7, 3, 0, 4, 101, 20, 0.0, 2, 10, 0, 20).start,
            detail::draw_window(7, 3, 1, 4, 101, 20, 0.0, 2, 10, 0, 20).start);
}

TEST(RolloutWindow, ShortSequencesShrinkPushforwardThenWarmupButKeepTheLossFrames) {
  // T = 10: 20 loss frames do not fit; 9 do, leaving one frame for warm-up.
  const auto a = detail::draw_window(1, 1, 0, 2, 10, 20, 0.0, 2, 10, 0, 20);
  EXPECT_EQ(a.loss_frames, 9);
  EXPECT_EQ(a.warmup, 1);
  EXPECT_EQ(a.pushforward, 0);
  // T = 12, 6 loss frames: warm-up + pushforward ≤ 6.
  for (int b = 0; b < 50; ++b) {
    const auto w = detail::draw_window(1, 1, b, 2, 12, 6, 0.5, 4, 5, 30, 30);
    EXPECT_EQ(w.loss_frames, 6);
    EXPECT_LE(w.length(), 12);
  }
}

TEST(RolloutWindow, WindowFramesAreTheSequencesFromEachStart) {
  const auto frames = torch::arange(2 * 9 * 4, torch::kFloat32).view({2, 9, 2, 2});
  detail::Window w;
  w.warmup = 2;
  w.pushforward = 1;
  w.loss_frames = 3;
  w.start = {0, 3};
  const auto out = detail::window_frames(frames, w);
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{2, 6, 2, 2}));
  EXPECT_TRUE(torch::equal(out[0], frames[0].narrow(0, 0, 6)));
  EXPECT_TRUE(torch::equal(out[1], frames[1].narrow(0, 3, 6)));
}

// ---- unroll over a window -----------------------------------------------------------

TEST(RolloutUnroll, NoiseReachesFedBackPredictionsOnlyWithFeedback) {
  auto model = lively_model(3);
  torch::NoGradGuard no_grad;
  const int warmup = 2, pushforward = 1, length = 7, n = 16;
  const auto frames = window_of(2, length, n, 4);
  const auto eta = torch::tensor({0.004, 0.008}, torch::kFloat64);
  const auto quiet = torch::zeros({2, length - 1, n, n});
  // Noise only on step 4's input, which is a fed-back prediction (4 ≥ warmup).
  auto late = torch::zeros({2, length - 1, n, n});
  late.narrow(1, 4, 1).copy_(detail::mean_free_noise({2, 1, n, n}, 5e-3, 9, late.options()));
  const auto base = detail::unroll_window(model, frames, eta, warmup, pushforward, quiet, true);
  const auto fed = detail::unroll_window(model, frames, eta, warmup, pushforward, late, true);
  const auto off = detail::unroll_window(model, frames, eta, warmup, pushforward, late, false);
  ASSERT_EQ(base.sizes(), (std::vector<int64_t>{2, length - warmup - pushforward, n, n}));
  // Predictions of frames 3, 4 come before the noisy step: unchanged; frame 5 on differ.
  EXPECT_TRUE(torch::equal(fed.narrow(1, 0, 2), base.narrow(1, 0, 2)));
  EXPECT_GT((fed.narrow(1, 2, 2) - base.narrow(1, 2, 2)).abs().max().item<double>(), 1e-4);
  // Without feedback noise the fed-back inputs stay clean.
  EXPECT_TRUE(torch::equal(off, base));
  // Noise on a true warm-up frame reaches the predictions either way.
  auto early = torch::zeros({2, length - 1, n, n});
  early.narrow(1, 0, 1).copy_(detail::mean_free_noise({2, 1, n, n}, 5e-3, 10, early.options()));
  EXPECT_GT((detail::unroll_window(model, frames, eta, warmup, pushforward, early, false) - base)
                .abs().max().item<double>(), 1e-5);
}

TEST(RolloutUnroll, MeanFreeNoiseKeepsTheMassOfEveryPrediction) {
  auto model = lively_model(5);
  torch::NoGradGuard no_grad;
  const int length = 12, n = 16;
  const auto frames = window_of(2, length, n, 6);
  const auto noise = detail::mean_free_noise({2, length - 1, n, n}, 5e-2, 11, frames.options());
  EXPECT_GT(noise.abs().max().item<double>(), 0.05);  // large noise, yet ...
  const auto out = detail::unroll_window(model, frames, torch::tensor({0.0, 0.01}, torch::kFloat64),
                                         3, 2, noise, true);
  const auto mass0 = frames.narrow(1, 0, 1).to(torch::kFloat64).sum({-2, -1});  // [B, 1]
  const auto mass = out.to(torch::kFloat64).sum({-2, -1});                       // [B, F]
  EXPECT_LT(((mass - mass0).abs() / mass0).max().item<double>(), 1e-6);
}

TEST(RolloutUnroll, WarmupAndPushforwardStepsCarryNoGradient) {
  auto model = lively_model(7);
  const int warmup = 3, length = 8, n = 12;
  const auto eta = torch::tensor({0.006}, torch::kFloat64);
  auto gradient_of_frames = [&](int pushforward) {
    auto frames = window_of(1, length, n, 8).requires_grad_();
    model->zero_grad();
    const auto out = detail::unroll_window(model, frames, eta, warmup, pushforward, torch::Tensor(), true);
    EXPECT_TRUE(out.requires_grad());
    EXPECT_EQ(out.size(1), length - warmup - pushforward);
    out.pow(2).sum().backward();
    double parameters = 0;
    for (const auto& p : model->parameters())
      if (p.grad().defined()) parameters += p.grad().norm().item<double>();
    EXPECT_GT(parameters, 0.0);
    return frames.grad().defined() ? frames.grad() : torch::zeros_like(frames);
  };
  // No pushforward: only the last warm-up frame (the first loss step's input) is
  // differentiated; the earlier ones only built the hidden state, without a graph.
  const auto g0 = gradient_of_frames(0).abs().sum({0, 2, 3});
  EXPECT_EQ(g0[0].item<double>(), 0.0);
  EXPECT_EQ(g0[1].item<double>(), 0.0);
  EXPECT_GT(g0[2].item<double>(), 0.0);
  // With pushforward, no true frame is differentiated at all.
  EXPECT_EQ(gradient_of_frames(2).abs().sum().item<double>(), 0.0);
  // The paper's unroll differentiates through the given frames (the contrast).
  auto frames = window_of(1, length, n, 8).requires_grad_();
  detail::unroll(model, frames.narrow(1, 0, warmup), eta, length).pow(2).sum().backward();
  EXPECT_GT(frames.grad().narrow(1, 0, 1).abs().sum().item<double>(), 0.0);
  // Under an outer NoGradGuard nothing is recorded.
  torch::NoGradGuard no_grad;
  EXPECT_FALSE(detail::unroll_window(model, window_of(1, length, n, 8), eta, warmup, 0,
                                     torch::Tensor(), true)
                   .requires_grad());
}

// ---- normalised loss ----------------------------------------------------------------

TEST(RolloutLoss, BalancedTermWeightsAgainstHandComputedValues) {
  const auto w = detail::LossWeights::balanced_terms(0.02, 0.001, 0.5);
  EXPECT_DOUBLE_EQ(w.lambda_grad, 20.0);
  EXPECT_DOUBLE_EQ(w.lambda_f, 0.04);
  EXPECT_DOUBLE_EQ(w.normaliser, 0.06);
  EXPECT_THROW(detail::LossWeights::balanced_terms(0.02, 0.0, 0.5), Error);
  EXPECT_THROW(detail::LossWeights::balanced_terms(NAN, 1.0, 0.5), Error);

  // Uniform fields at η = 0: target 0.5, prediction 0.6. L_φ = 0.01, L_∇ = 0,
  // ⟨f⟩ = 2 · 18/ε φ²(1−φ)² = 0.45 and 0.41472, L_f = 0.03528².
  const physics::Params p;
  const auto target = torch::full({1, 2, 8, 8}, 0.5, torch::kFloat64);
  const auto prediction = torch::full({1, 2, 8, 8}, 0.6, torch::kFloat64);
  detail::PhysicsLoss loss(p, w.lambda_grad, w.lambda_f, w.normaliser);
  const auto terms = loss(prediction, target, torch::tensor({0.0}, torch::kFloat64));
  const double expected = (0.01 + 0.04 * 0.03528 * 0.03528) / 0.06;
  EXPECT_NEAR(terms.total.item<double>(), expected, 1e-12);
  EXPECT_NEAR(terms.free_energy.item<double>(), 0.03528 * 0.03528, 1e-12);
}

TEST(RolloutLoss, NothingChangesScoresOneUnderItsOwnWeights) {
  // Measure the persistence terms on a pair of cosine fields, weigh with them: the
  // same prediction then scores exactly 1 and each term contributes a third.
  const physics::Params p;
  const int n = 16;
  auto target = torch::empty({1, 1, n, n}, torch::kFloat64);
  auto last = torch::empty({1, 1, n, n}, torch::kFloat64);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      target[0][0][y][x] = 0.5 + 0.2 * std::cos(2 * M_PI * 2 * x / n);
      last[0][0][y][x] = 0.5 + 0.05 * std::cos(2 * M_PI * (x + 2 * y) / n);
    }
  const auto eta = torch::tensor({0.008}, torch::kFloat64);
  detail::PhysicsLoss raw(p, 1.0, 1.0);
  const auto t = raw(last, target, eta);
  const auto w = detail::LossWeights::balanced_terms(t.phi.item<double>(), t.grad.item<double>(),
                                                     t.free_energy.item<double>());
  detail::PhysicsLoss weighted(p, w.lambda_grad, w.lambda_f, w.normaliser);
  EXPECT_NEAR(weighted(last, target, eta).total.item<double>(), 1.0, 1e-12);
  EXPECT_NEAR(w.lambda_grad * t.grad.item<double>() / w.normaliser, 1.0 / 3, 1e-12);
}

// ---- energy penalty -----------------------------------------------------------------

TEST(EnergyPenalty, ExactFreeEnergyEqualsTheSolversTotal) {
  physics::Params p;
  p.epsilon = 4.0;  // non-default: every term must read the params
  p.grid_spacing = 0.8;
  for (int n : {24, 33}) {
    const Field phi = test::random_field(n, 0.45, 0.3, 5 + n);
    const double eta = 0.009;
    const physics::EnergyCalculator energy(n, p);
    detail::PhysicsLoss loss(p, 1.0, 1.0);
    const auto got = loss.exact_free_energy(test::to_tensor(phi).view({1, 1, n, n}),
                                            torch::tensor({eta}, torch::kFloat64));
    ASSERT_EQ(got.sizes(), (std::vector<int64_t>{1, 1}));
    const double expected = energy(phi, eta).total;
    EXPECT_NEAR(got.item<double>(), expected, 1e-10 * std::abs(expected)) << n;
  }
}

TEST(EnergyPenalty, RiseAgainstHandComputedValues) {
  auto energies = torch::tensor({3.0, 2.0, 2.5, 1.0, 1.0, 1.5, 1.5, 1.0}, torch::kFloat64)
                      .view({2, 4})
                      .requires_grad_();
  // Rises: 2 → 2.5 and 1 → 1.5 among six consecutive pairs.
  const auto rise = detail::mean_energy_increase(energies);
  EXPECT_NEAR(rise.item<double>(), 1.0 / 6, 1e-15);
  rise.backward();
  const auto g = energies.grad();
  const std::vector<double> expected = {0, -1.0 / 6, 1.0 / 6, 0, -1.0 / 6, 1.0 / 6, 0, 0};
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(g.view(-1)[i].item<double>(), expected[i], 1e-15) << i;
  EXPECT_THROW(detail::mean_energy_increase(torch::zeros({2, 1})), c10::Error);
}

TEST(EnergyPenalty, PricesOnlyARiseOfTheExactEnergy) {
  // Uniform fields: no gradient or elastic energy, F = 18/ε φ²(1−φ)²
  // (0.5 → 0.0625·3.6 = 0.225, 0.4 → 0.0576·3.6 = 0.20736 at ε = 5).
  const physics::Params p;
  detail::PhysicsLoss loss(p, 1.0, 1.0);
  const auto eta = torch::tensor({0.01}, torch::kFloat64);
  const auto low = torch::full({1, 1, 8, 8}, 0.4, torch::kFloat64);
  const auto high = torch::full({1, 1, 8, 8}, 0.5, torch::kFloat64);
  for (bool rising : {true, false}) {
    auto frames = (rising ? torch::cat({low, high}, 1) : torch::cat({high, low}, 1)).requires_grad_();
    detail::LossTerms terms;
    terms.total = torch::zeros({}, torch::kFloat64);
    loss.add_energy_penalty(terms, frames, eta, 2.0);
    EXPECT_NEAR(terms.total.item<double>(), rising ? 2.0 * (0.225 - 0.20736) : 0.0, 1e-12);
    EXPECT_NEAR(terms.energy_rise.item<double>(), rising ? 0.225 - 0.20736 : 0.0, 1e-12);
    terms.total.backward();
    // A rise pulls the later frame towards lower F; a fall costs nothing.
    EXPECT_EQ(frames.grad().abs().sum().item<double>() > 0, rising);
  }
}

TEST(RangePenalty, PricesOnlyWhatLeavesTheBandAndPushesItBack) {
  // Pixels at −0.12 and 1.07 lie 0.1 and 0.05 outside [−0.02, 1.02]; 0.5 and 1.01 inside.
  const auto phi = torch::tensor({-0.12, 1.07, 0.5, 1.01}, torch::kFloat64).view({1, 1, 2, 2});
  EXPECT_NEAR(detail::mean_range_excess(phi).item<double>(), (0.01 + 0.0025) / 4, 1e-15);
  EXPECT_NEAR(detail::mean_range_excess(phi, -0.2, 1.2).item<double>(), 0.0, 0.0);
  EXPECT_THROW(detail::mean_range_excess(phi, 1.0, 0.0), c10::Error);

  detail::PhysicsLoss loss(physics::Params{}, 1.0, 1.0);
  auto frames = phi.clone().requires_grad_();
  detail::LossTerms terms;
  terms.total = torch::full({}, 0.5, torch::kFloat64);
  loss.add_range_penalty(terms, frames, 2.0);
  EXPECT_NEAR(terms.total.item<double>(), 0.5 + 2.0 * 0.003125, 1e-15);
  EXPECT_NEAR(terms.range_excess.item<double>(), 0.003125, 1e-15);
  terms.total.backward();
  // d/dφ of 2 · excess² / 4 = excess: −0.1 below (descent raises φ), +0.05 above, 0 inside.
  const auto g = frames.grad().flatten();
  EXPECT_NEAR(g[0].item<double>(), -2.0 * 2 * 0.1 / 4, 1e-15);
  EXPECT_NEAR(g[1].item<double>(), 2.0 * 2 * 0.05 / 4, 1e-15);
  EXPECT_EQ(g[2].item<double>(), 0.0);
  EXPECT_EQ(g[3].item<double>(), 0.0);
}

TEST(EnergyPenalty, ExtraFramesContinueTheWindowUnchanged) {
  auto model = lively_model(11);
  const int warmup = 2, pushforward = 1, length = 6, n = 12, extra = 3;
  const auto frames = window_of(2, length, n, 12);
  const auto eta = torch::tensor({0.002, 0.01}, torch::kFloat64);
  const auto window = detail::unroll_window(model, frames, eta, warmup, pushforward, torch::Tensor(), true);
  const auto longer =
      detail::unroll_window(model, frames, eta, warmup, pushforward, torch::Tensor(), true, extra);
  ASSERT_EQ(longer.size(1), length - warmup - pushforward + extra);
  EXPECT_TRUE(torch::equal(longer.narrow(1, 0, window.size(1)), window));
  EXPECT_TRUE(longer.requires_grad());
  // The extra frames keep the mass, as every prediction does.
  const auto mass0 = frames.narrow(1, 0, 1).to(torch::kFloat64).sum({-2, -1});
  EXPECT_LT(((longer.detach().to(torch::kFloat64).sum({-2, -1}) - mass0).abs() / mass0).max().item<double>(), 1e-6);
  // Noise must cover the extra steps too.
  EXPECT_THROW(detail::unroll_window(model, frames, eta, warmup, pushforward,
                                     torch::zeros({2, length - 1, n, n}), true, extra),
               c10::Error);
}

// ---- schedules ----------------------------------------------------------------------

TEST(RolloutSchedule, WarmupCosineAndLossFrameRamp) {
  TrainConfig c;
  c.learning_rate = 1e-3;
  c.lr_final = 0.05;
  c.warmup_steps = 50;
  EXPECT_DOUBLE_EQ(learning_rate_at_step(0, 1000, c), 1e-3 / 50);
  EXPECT_DOUBLE_EQ(learning_rate_at_step(24, 1000, c), 1e-3 * 25 / 50);
  EXPECT_DOUBLE_EQ(learning_rate_at_step(50, 1000, c), 1e-3);
  EXPECT_NEAR(learning_rate_at_step(999, 1000, c), 5e-5, 1e-15);
  // Half way through the cosine: the mean of start and end.
  EXPECT_NEAR(learning_rate_at_step(50 + 949 / 2.0, 1000, c), 0.5 * (1e-3 + 5e-5), 1e-6);
  for (long s = 51; s < 1000; ++s)
    EXPECT_LE(learning_rate_at_step(s, 1000, c), learning_rate_at_step(s - 1, 1000, c));
  c.lr_schedule = "constant";
  EXPECT_DOUBLE_EQ(learning_rate_at_step(0, 1000, c), 1e-3);

  c.loss_frames_start = 4;
  c.loss_frames_end = 20;
  c.loss_frames_ramp = 0.7;
  EXPECT_EQ(loss_frames_at(0, 1000, c), 4);
  EXPECT_EQ(loss_frames_at(350, 1000, c), 12);  // half of the ramp: 4 + 16/2
  EXPECT_EQ(loss_frames_at(700, 1000, c), 20);
  EXPECT_EQ(loss_frames_at(999, 1000, c), 20);
  c.loss_frames_ramp = 0;
  EXPECT_EQ(loss_frames_at(0, 1000, c), 20);
}

TEST(RolloutConfig, DefaultsAreTheRecipeAndBadValuesAreNamed) {
  const TrainConfig d;
  EXPECT_EQ(d.scheme, "rollout");
  EXPECT_EQ(d.loss_weights, "auto");
  EXPECT_TRUE(d.noise_feedback);
  EXPECT_DOUBLE_EQ(d.input_noise, 5e-3);
  EXPECT_EQ(d.lr_schedule, "warmup_cosine");
  EXPECT_DOUBLE_EQ(d.model.output_scale, 0.25);
  auto message = [](const std::function<void(TrainConfig&)>& change) {
    TrainConfig c;
    c.data = "d.h5";
    c.out = "o";
    change(c);
    try {
      c.validate();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(valid)");
  };
  EXPECT_NE(message([](TrainConfig& c) { c.scheme = "teacher"; }).find("train.scheme"), std::string::npos);
  EXPECT_NE(message([](TrainConfig& c) { c.warmup_min = 0; }).find("warmup_min"), std::string::npos);
  EXPECT_NE(message([](TrainConfig& c) { c.cold_fraction = 1.5; }).find("cold_fraction"), std::string::npos);
  EXPECT_NE(message([](TrainConfig& c) { c.loss_weights = "balanced"; }).find("loss_weights"), std::string::npos);
  EXPECT_NE(message([](TrainConfig& c) { c.energy_penalty = -1; }).find("energy_penalty"), std::string::npos);
  EXPECT_NE(message([](TrainConfig& c) { c.energy_frames = 4; }).find("energy_frames"), std::string::npos);
  // Both penalties price free-rollout predictions: the curriculum has none.
  for (const std::string key : {"energy_penalty", "range_penalty"}) {
    const std::string refused = message([&](TrainConfig& c) {
      (key == "energy_penalty" ? c.energy_penalty : c.range_penalty) = 1;
      c.scheme = "curriculum";
    });
    EXPECT_NE(refused.find("rollout"), std::string::npos) << key;
    EXPECT_NE(refused.find(key + " needs scheme \"rollout\""), std::string::npos) << refused;
  }
  EXPECT_DOUBLE_EQ(d.energy_penalty, 0.0);
  EXPECT_NE(message([](TrainConfig& c) { c.range_penalty = -1; }).find("range_penalty"), std::string::npos);
  EXPECT_NE(message([](TrainConfig& c) { c.range_penalty = std::nan(""); }).find("range_penalty"), std::string::npos);
  EXPECT_NE(message([](TrainConfig& c) { c.range_penalty = INFINITY; }).find("finite"), std::string::npos);
  EXPECT_DOUBLE_EQ(d.range_penalty, 0.0);
  EXPECT_EQ(message([](TrainConfig&) {}), "(valid)");
  // JSON keys equal the member names (read back field by field).
  const TrainConfig back = TrainConfig::from_json(
      Json{{"train", {{"scheme", "curriculum"}, {"pushforward_cold", 80}, {"warmup_max", 7},
                      {"noise_feedback", false}, {"init_from", "a.pt"}, {"energy_penalty", 0.5},
                      {"energy_frames", 6}, {"range_penalty", 250.0}}}});
  EXPECT_DOUBLE_EQ(back.range_penalty, 250.0);
  EXPECT_DOUBLE_EQ(back.energy_penalty, 0.5);
  EXPECT_EQ(back.energy_frames, 6);
  EXPECT_EQ(back.scheme, "curriculum");
  EXPECT_EQ(back.pushforward_cold, 80);
  EXPECT_EQ(back.warmup_max, 7);
  EXPECT_FALSE(back.noise_feedback);
  EXPECT_EQ(back.init_from, "a.pt");
  EXPECT_THROW(TrainConfig::from_json(Json{{"train", {{"pushforward", 3}}}}), Error);
}

// ---- training runs ------------------------------------------------------------------

using test::error_of;

/// 12 frames: room for warm-up, pushforward and loss frames in one window.
class RolloutTraining : public test::TinyDatasetSuite<12> {};

TEST_F(RolloutTraining, RecordsTheSchemeAndResumesExactly) {
  auto straight = test::tiny_rollout_config(data_path(), out("straight"));
  straight.epochs = 3;
  straight.pushforward_warm = 2;
  const auto full = train(straight);
  ASSERT_EQ(full.size(), 3u);
  for (const auto& r : full) {
    EXPECT_EQ(r.given_frames, 0);
    EXPECT_GE(r.loss_frames, 2);
    EXPECT_LE(r.loss_frames, 4);
    EXPECT_TRUE(std::isfinite(r.train_loss) && std::isfinite(r.validation_loss));
    EXPECT_LE(r.validation_phi_min, r.validation_phi_max);
    EXPECT_GE(r.validation_outside, 0.0);
  }
  const auto meta = detail::read_checkpoint(out("straight") + "/latest.pt").meta;
  EXPECT_EQ(meta.at("train").at("scheme"), "rollout");
  EXPECT_GT(meta.at("loss_weights").at("normaliser").get<double>(), 0.0);

  // Interrupt the same run after epoch 2 (a kill after the checkpoint), then resume.
  struct Interrupted {};
  auto interrupted = straight;
  interrupted.out = out("resumed");
  EXPECT_THROW(train(interrupted, [](const EpochRecord& r) { if (r.epoch == 2) throw Interrupted{}; }),
               Interrupted);
  interrupted.resume = true;
  const auto resumed = train(interrupted);
  test::expect_same_run(resumed, full, out("resumed") + "/latest.pt", out("straight") + "/latest.pt");
}

TEST_F(RolloutTraining, ChangingTheRecipeOnResumeIsRefused) {
  auto config = test::tiny_rollout_config(data_path(), out("refuse"));
  config.epochs = 1;
  train(config);
  auto other = config;
  other.resume = true;
  other.pushforward_cold = 5;
  {
    const std::string message = error_of([&] { train(other); });
    EXPECT_NE(message.find("pushforward_cold"), std::string::npos) << "resume with another pushforward was accepted: " << message;
  }
  // More epochs would stretch the loss-frame ramp over a longer run.
  auto longer = config;
  longer.resume = true;
  longer.epochs = 2;
  {
    const std::string message = error_of([&] { train(longer); });
    EXPECT_NE(message.find("train.epochs"), std::string::npos) << "resume with another epoch count under a loss-frame ramp was accepted: " << message;
  }
  // Without a ramp the epoch count may grow (e.g. to train longer).
  auto flat = test::tiny_rollout_config(data_path(), out("flat"));
  flat.epochs = 1;
  flat.loss_frames_start = flat.loss_frames_end;
  train(flat);
  flat.resume = true;
  flat.epochs = 2;
  EXPECT_EQ(train(flat).size(), 2u);
}

TEST_F(RolloutTraining, EnergyPenaltyChangesTrainingAndIsFixedOnResume) {
  auto plain = test::tiny_rollout_config(data_path(), out("plain"));
  plain.epochs = 1;
  auto penalised = plain;
  penalised.out = out("penalised");
  penalised.energy_penalty = 50.0;
  penalised.energy_frames = 2;
  const auto a = train(plain), b = train(penalised);
  ASSERT_TRUE(std::isfinite(b[0].train_loss) && std::isfinite(b[0].validation_loss));
  EXPECT_NE(a[0].train_loss, b[0].train_loss);
  const auto meta = detail::read_checkpoint(out("penalised") + "/latest.pt").meta;
  EXPECT_EQ(meta.at("train").at("energy_frames"), 2);
  const double scale = meta.at("loss_weights").at("energy_scale").get<double>();
  EXPECT_TRUE(std::isfinite(scale) && scale > 0) << scale;
  // The penalty belongs to the objective: a resume may not change it.
  penalised.resume = true;
  penalised.energy_penalty = 5.0;
  const std::string message = error_of([&] { train(penalised); });
  EXPECT_NE(message.find("energy_penalty"), std::string::npos) << message;
}

TEST_F(RolloutTraining, RangePenaltyChangesTrainingAndIsFixedOnResume) {
  // Frames × 2.2: φ ≈ 1.1 ± 0.2, so the predictions sit mostly above the band's 1.02.
  test::TinyDataset wide;
  wide.frames = 12;
  wide.physics.steps_per_frame = 50;
  wide.frame_scale = 2.2f;
  test::write_solver_dataset(out("wide.h5"), wide);
  auto plain = test::tiny_rollout_config(out("wide.h5"), out("plain-range"));
  plain.epochs = 1;
  auto penalised = plain;
  penalised.out = out("range");
  penalised.range_penalty = 100.0;
  const auto a = train(plain), b = train(penalised);
  ASSERT_TRUE(std::isfinite(b[0].train_loss) && std::isfinite(b[0].validation_loss));
  // Mean excess ≈ 0.025 over the predictions: the penalty adds ≈ 2.5 to the loss.
  EXPECT_GT(b[0].train_loss, a[0].train_loss + 0.1) << a[0].train_loss;
  // The validation loss leaves the penalty out: it differs only if the penalty's
  // gradient reached the weights during the epoch.
  EXPECT_NE(b[0].validation_loss, a[0].validation_loss);
  EXPECT_EQ(detail::read_checkpoint(out("range") + "/latest.pt").meta.at("train").at("range_penalty"), 100.0);
  penalised.resume = true;
  penalised.range_penalty = 10.0;
  const std::string message = error_of([&] { train(penalised); });
  EXPECT_NE(message.find("range_penalty"), std::string::npos) << message;
}

TEST_F(RolloutTraining, AFailedRunLeavesNoFolderItMadeButKeepsCheckpoints) {
  auto broken = test::tiny_rollout_config(out("missing.h5"), out("never"));
  EXPECT_THROW(train(broken), Error);
  EXPECT_FALSE(std::filesystem::exists(out("never")));
  // A folder that existed before is left alone, and so are finished epochs.
  std::filesystem::create_directories(out("mine"));
  test::write_bytes(out("mine/notes.txt"), "keep");
  broken.out = out("mine");
  EXPECT_THROW(train(broken), Error);
  EXPECT_EQ(test::read_bytes(out("mine/notes.txt")), "keep");
  struct Interrupted {};
  auto config = test::tiny_rollout_config(data_path(), out("interrupted"));
  config.epochs = 2;
  EXPECT_THROW(train(config, [](const EpochRecord&) { throw Interrupted{}; }), Interrupted);
  EXPECT_TRUE(std::filesystem::exists(out("interrupted/latest.pt")));
}

TEST_F(RolloutTraining, InitFromStartsFromTheGivenWeights) {
  auto stage1 = test::tiny_rollout_config(data_path(), out("stage1"));
  stage1.epochs = 1;
  train(stage1);
  auto stage2 = test::tiny_rollout_config(data_path(), out("stage2"));
  stage2.epochs = 1;
  stage2.init_from = out("stage1") + "/best.pt";
  stage2.learning_rate = 1e-12;  // practically no step: the weights stay stage 1's
  train(stage2);
  const auto a = detail::read_checkpoint(out("stage1") + "/best.pt");
  const auto b = detail::read_checkpoint(out("stage2") + "/latest.pt");
  for (const auto& [name, tensor] : a.weights)
    EXPECT_LT((tensor - b.weights.at(name)).abs().max().item<double>(), 1e-8) << name;
  EXPECT_EQ(b.meta.at("train").at("init_from"), stage2.init_from);

  // Another architecture is refused, naming the mismatch.
  auto other = stage2;
  other.out = out("stage2b");
  other.model.hidden = 6;
  {
    const std::string message = error_of([&] { train(other); });
    EXPECT_NE(message.find("init_from"), std::string::npos) << "init_from with another architecture was accepted: " << message;
  }
  // As is a model of other physics (τ = 100 model, τ = 50 data).
  auto tampered = a;
  tampered.meta["physics"]["steps_per_frame"] = 100;
  detail::save_checkpoint(out("tau100.pt"), tampered);
  auto physics = stage2;
  physics.out = out("stage2c");
  physics.init_from = out("tau100.pt");
  {
    const std::string message = error_of([&] { train(physics); });
    EXPECT_NE(message.find("physics"), std::string::npos) << "init_from with other physics was accepted: " << message;
  }
}

// A resume compares the stored record key by key, so the keys are pinned here by hand.
TEST(TrainOptions, TheRecordHasEveryKeyOnceAndTheArchitectureApart) {
  const std::vector<std::string> expected = {
      "augment", "balance_floor", "batch_size", "cold_fraction", "curriculum_epochs", "data",
      "device", "dist_backend", "dist_timeout", "energy_frames", "energy_penalty", "epochs",
      "grad_clip", "init_from",
      "input_noise", "keep_every", "lambda_f", "lambda_grad", "learning_rate", "loss_balance",
      "loss_frames_end", "loss_frames_ramp", "loss_frames_start", "loss_weights", "lr_final",
      "lr_schedule", "max_frames", "max_sequences", "noise_feedback", "out", "overwrite",
      "pushforward_cold", "pushforward_warm", "range_penalty", "resume", "scheme", "seed", "threads",
      "validation_fraction", "warmup_max", "warmup_min", "warmup_steps"};
  const Json record = TrainConfig().to_json();
  std::vector<std::string> keys;
  for (const auto& item : record.at("train").items()) keys.push_back(item.key());
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(record.at("model"), Json::parse(R"({"hidden": 24, "kernel": 5, "layers": 2,
                                                "eta_scale": 100.0, "output_scale": 0.25})"));
  const std::string bad = test::error_of([] {
    TrainConfig::from_json(Json::parse(R"({"train": {"scheme": "teacher"}})"));
  });
  EXPECT_NE(bad.find("rollout | curriculum"), std::string::npos) << bad;
}

// rollout's record names only the keys of the initial field it used.
TEST(RolloutOptions, TheRecordHoldsTheKeysOfTheChosenInitialField) {
  RolloutJob job;
  job.init = "file";
  job.from = "f.h5";
  Json r = job.to_json().at("rollout");
  EXPECT_TRUE(r.contains("from") && r.contains("from_dataset") && r.contains("index"));
  EXPECT_FALSE(r.contains("size") || r.contains("seed") || r.contains("mean_phi") ||
               r.contains("radial_centre"));
  job.init = "radial";
  r = job.to_json().at("rollout");
  EXPECT_TRUE(r.contains("size") && r.contains("radial_centre") && r.contains("radial_edge"));
  EXPECT_FALSE(r.contains("from") || r.contains("mean_phi"));
  EXPECT_EQ(RolloutJob::from_json(job.to_json()).to_json(), job.to_json());
}

}  // namespace
}  // namespace csd::surrogate
