// What one training step does, not what it logs (src/surrogate/training_step.h): the
// frames the curriculum feeds, where the input noise goes, the objective of
// loss_balance, gradient clipping, augment = false and max_frames. The trainer's losses
// are recomputed here from the data, with learning rate 1e-12 so that the weights stay
// those of the checkpoint. Last, a small model that learns dynamics: its held-out free
// rollout beats persistence.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "csd/surrogate/surrogate.h"
#include "surrogate/checkpoint.h"
#include "surrogate/data.h"
#include "surrogate/loss.h"
#include "surrogate/model.h"
#include "surrogate/training_step.h"
#include "surrogate_fixtures.h"
#include "temp_dir.h"

namespace csd::surrogate {
namespace {

using detail::Crnn;

/// 4 sequences of 10 frames on 32² (τ = 50): 3 train in one batch of 3, 1 validates.

/// The paper's scheme with weights that do not move (learning rate 1e-12 is far below
/// float32's resolution of the weights): every epoch's training loss is then the loss of
/// the checkpoint's model on that epoch's batch, which the tests recompute. No noise, no
/// augmentation unless a test asks for them.
TrainConfig frozen_curriculum(const std::string& data, const std::string& out) {
  auto c = test::tiny_train_config(data, out);
  c.learning_rate = 1e-12;
  c.input_noise = 0;
  c.augment = false;
  return c;
}

Crnn model_of(const std::string& path) {
  const auto checkpoint = detail::read_checkpoint(path);
  Crnn model(detail::model_config_of(checkpoint, path));
  detail::load_weights(model, checkpoint, path);
  return model;
}

struct Sequences {
  torch::Tensor frames;  ///< [B, T, N, N] float32
  torch::Tensor eta;     ///< [B] float64
  physics::Params physics;
};

/// The first `frames` frames of the sequences an epoch trains on, in the epoch's order
/// (one batch: every training sequence), each transformed by its augmentation when
/// the config augments. Read from the file, not through the trainer's batch loader.
Sequences training_batch(const TrainConfig& c, int epoch, int frames) {
  detail::SequenceSource source(c.data, 0, 0);
  const auto split = detail::split_sequences(source.sequences(), c.validation_fraction, c.seed);
  const auto order = detail::epoch_order(split.train, c.seed, epoch);
  EXPECT_LE(order.size(), static_cast<size_t>(c.batch_size)) << "one batch per epoch";
  std::vector<torch::Tensor> items;
  std::vector<double> eta;
  for (size_t k = 0; k < order.size(); ++k) {
    auto sequence = source.sequence(order[k]).narrow(0, 0, frames);
    if (c.augment)
      sequence = detail::augment(sequence, detail::draw_augmentation(c.seed, epoch, 0, static_cast<int>(k)));
    items.push_back(sequence);
    eta.push_back(source.eta(order[k]));
  }
  return {torch::stack(items), torch::tensor(eta, torch::kFloat64), source.info().physics};
}

/// The validation sequences (all in one batch), their first `frames` frames.
Sequences validation_batch(const TrainConfig& c, int frames) {
  detail::SequenceSource source(c.data, 0, 0);
  const auto split = detail::split_sequences(source.sequences(), c.validation_fraction, c.seed);
  std::vector<torch::Tensor> items;
  std::vector<double> eta;
  for (int i : split.validation) {
    items.push_back(source.sequence(i).narrow(0, 0, frames));
    eta.push_back(source.eta(i));
  }
  return {torch::stack(items), torch::tensor(eta, torch::kFloat64), source.info().physics};
}

/// The paper's loss with the config's fixed weights, of predictions of frames
/// [given, T) against the clean frames.
torch::Tensor loss_of(const TrainConfig& c, const Sequences& s, const torch::Tensor& prediction,
                      int given) {
  detail::PhysicsLoss loss(s.physics, c.lambda_grad, c.lambda_f);
  const auto target = s.frames.narrow(1, given, s.frames.size(1) - given);
  return loss(prediction, target, s.eta).total;
}

double fixed_loss(const TrainConfig& c, const Sequences& s, const torch::Tensor& prediction,
                  int given) {
  return loss_of(c, s, prediction, given).item<double>();
}

/// The model's predictions when it reads the first `given` frames plus `noise`.
torch::Tensor teacher_forced(Crnn& model, const Sequences& s, int given, const torch::Tensor& noise) {
  return detail::unroll(model, s.frames.narrow(1, 0, given) + noise, s.eta,
                        static_cast<int>(s.frames.size(1)));
}

/// Adam's first moment after its first step, 0.1 × the gradient it received: every
/// parameter's, flattened in name order.
torch::Tensor first_moment(const std::string& checkpoint) {
  const std::string suffix = ".exp_avg";
  std::vector<torch::Tensor> parts;
  for (const auto& [name, tensor] : detail::read_checkpoint(checkpoint).optimizer)  // sorted
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      parts.push_back(tensor.to(torch::kFloat64).flatten());
  return torch::cat(parts);
}

/// The model's parameter gradients in the same order.
torch::Tensor gradient_of(Crnn& model) {
  std::map<std::string, torch::Tensor> by_name;
  for (const auto& item : model->named_parameters())
    by_name[item.key()] = item.value().grad().to(torch::kFloat64).flatten();
  std::vector<torch::Tensor> parts;
  for (const auto& [name, gradient] : by_name) parts.push_back(gradient);
  return torch::cat(parts);
}

torch::Tensor no_noise(const Sequences& s, int given) {
  return torch::zeros({s.frames.size(0), given, s.frames.size(2), s.frames.size(3)});
}

void expect_same_loss(double trained, double expected, const std::string& what) {
  EXPECT_NEAR(trained, expected, 1e-5 * expected) << what;
}

/// |a − b| relative to b: how far apart two candidate losses are.
double apart(double a, double b) { return std::abs(a - b) / b; }

// ---- the extracted pieces -----------------------------------------------------------

class TrainingStep : public test::TinyDatasetSuite<10> {
 protected:
  static constexpr int kGiven = 5;  ///< balanced_epoch: given frames at epoch 2
  /// Epoch 2 of a frozen curriculum run with train.loss_balance = `balance` (floor 1e-4):
  /// kGiven given frames, 5 predicted; the loss it logged and the model's noise-free
  /// predictions for the batch it trained on, to recompute that loss from.
  struct BalancedEpoch {
    TrainConfig config;
    double logged_loss;
    Sequences batch;
    torch::Tensor predicted;
  };

  BalancedEpoch balanced_epoch(const std::string& balance, const std::string& name) {
    auto c = frozen_curriculum(data_path(), out(name));
    c.loss_balance = balance;
    c.balance_floor = 1e-4;
    c.epochs = 2;
    c.curriculum_epochs = 3;  // epoch 2: 5 given frames, 5 predicted
    const auto history = train(c);
    auto model = model_of(out(name) + "/latest.pt");
    auto s = training_batch(c, 2, 10);
    auto predicted = teacher_forced(model, s, kGiven, no_noise(s, kGiven));
    return {c, history[1].train_loss, std::move(s), std::move(predicted)};
  }
};

TEST(TrainingStepParts, TeacherForcingReadsExactlyTheGivenFramesPlusTheirNoise) {
  ModelConfig config;
  config.hidden = 8;
  torch::manual_seed(3);
  Crnn model(config);
  torch::NoGradGuard no_grad;
  const int given = 3, total = 6, n = 16;
  torch::manual_seed(4);
  const auto frames = 0.5 + 0.1 * torch::rand({2, total, n, n});
  const auto eta = torch::tensor({0.004, 0.008}, torch::kFloat64);
  const auto noise = detail::mean_free_noise({2, given, n, n}, 0.02, 5, frames.options());
  const auto predicted = detail::teacher_forced_predictions(model, frames, eta, given, noise);
  ASSERT_EQ(predicted.sizes(), (std::vector<int64_t>{2, total - given, n, n}));
  // The noisy true frames are what the model reads ...
  EXPECT_TRUE(torch::equal(predicted, detail::unroll(model, frames.narrow(1, 0, given) + noise, eta, total)));
  EXPECT_GT((predicted - detail::teacher_forced_predictions(model, frames, eta, given, noise * 0))
                .abs().max().item<double>(), 1e-4);
  // ... all of them: the last given frame matters ...
  auto last_changed = frames.clone();
  last_changed.narrow(1, given - 1, 1).add_(0.05);
  EXPECT_GT((detail::teacher_forced_predictions(model, last_changed, eta, given, noise) - predicted)
                .abs().max().item<double>(), 1e-4);
  // ... and nothing after it: the targets never reach the model.
  auto targets_changed = frames.clone();
  targets_changed.narrow(1, given, total - given).add_(0.05);
  EXPECT_TRUE(torch::equal(detail::teacher_forced_predictions(model, targets_changed, eta, given, noise),
                           predicted));
}

TEST(TrainingStepParts, BatchNoiseIsTheWholeBatchsDrawSlicedWithItsSigma) {
  const auto options = torch::TensorOptions().dtype(torch::kFloat32);
  const detail::BatchSlice whole{0, 4, 4}, part{1, 2, 4};
  const auto all = detail::batch_noise({4, 3, 32, 32}, whole, 0.02, 7, 2, 1, options);
  EXPECT_TRUE(torch::equal(all, detail::mean_free_noise({4, 3, 32, 32}, 0.02, detail::noise_seed(7, 2, 1), options)));
  EXPECT_NEAR(all.std().item<double>(), 0.02, 0.001);
  // A rank's rows are the rows of the whole batch's draw, whatever sizes[0] it passes.
  EXPECT_TRUE(torch::equal(detail::batch_noise({2, 3, 32, 32}, part, 0.02, 7, 2, 1, options),
                           all.narrow(0, 1, 2)));
  EXPECT_EQ(detail::batch_noise({4, 3, 8, 8}, whole, 0.0, 7, 2, 1, options).abs().max().item<double>(), 0.0);
}

TEST(TrainingStepParts, ClippingScalesTheGradientsToTheBoundAndReportsTheNormBefore) {
  auto a = torch::zeros({2}, torch::requires_grad());
  auto b = torch::zeros({1}, torch::requires_grad());
  a.mutable_grad() = torch::tensor({3.0f, 0.0f});
  b.mutable_grad() = torch::tensor({4.0f});
  // Global norm 5, bound 1: every gradient × 1/5.
  EXPECT_NEAR(detail::clip_gradient_norm({a, b}, 1.0), 5.0, 1e-6);
  EXPECT_NEAR(a.grad()[0].item<double>(), 0.6, 1e-6);
  EXPECT_NEAR(b.grad()[0].item<double>(), 0.8, 1e-6);
  // Inside the bound, or without one (0), nothing changes.
  EXPECT_NEAR(detail::clip_gradient_norm({a, b}, 2.0), 1.0, 1e-6);
  EXPECT_NEAR(b.grad()[0].item<double>(), 0.8, 1e-6);
  b.mutable_grad() = torch::tensor({40.0f});
  EXPECT_NEAR(detail::clip_gradient_norm({a, b}, 0.0), std::hypot(0.6, 40.0), 1e-4);
  EXPECT_EQ(b.grad()[0].item<float>(), 40.0f);
}

// ---- the trainer --------------------------------------------------------------------

TEST_F(TrainingStep, CurriculumFeedsTheScheduledNumberOfTrueFrames) {
  auto c = frozen_curriculum(data_path(), out("given"));
  c.epochs = 3;
  c.curriculum_epochs = 3;  // 9, 5, 1 given frames of 10
  const auto history = train(c);
  auto model = model_of(out("given") + "/latest.pt");
  for (int epoch = 1; epoch <= 3; ++epoch) {
    const int given = given_frames(epoch, 10, 3);
    const auto s = training_batch(c, epoch, 10);
    const double expected = fixed_loss(c, s, teacher_forced(model, s, given, no_noise(s, given)), given);
    expect_same_loss(history[epoch - 1].train_loss, expected, "epoch " + std::to_string(epoch));
    // One true frame fewer (frame given − 1 predicted, not read) is told apart.
    if (given > 1) {
      const auto fewer = teacher_forced(model, s, given - 1, no_noise(s, given - 1)).narrow(1, 1, 10 - given);
      EXPECT_GT(apart(fixed_loss(c, s, fewer, given), expected), 1e-3) << "epoch " << epoch;
    }
  }
}

TEST_F(TrainingStep, CurriculumNoiseIsOnTheInputsWithItsSigmaNeverOnTheTargets) {
  auto c = frozen_curriculum(data_path(), out("noise"));
  c.input_noise = 0.02;
  c.epochs = 2;
  c.curriculum_epochs = 3;  // 9, then 5 given frames
  const auto history = train(c);
  auto model = model_of(out("noise") + "/latest.pt");
  for (int epoch = 1; epoch <= 2; ++epoch) {
    const int given = given_frames(epoch, 10, 3);
    const auto s = training_batch(c, epoch, 10);
    auto noise_of = [&](double sigma, int frames) {
      return detail::mean_free_noise({s.frames.size(0), frames, 32, 32}, sigma,
                                     detail::noise_seed(c.seed, epoch, 0), s.frames.options());
    };
    const auto predicted = teacher_forced(model, s, given, noise_of(0.02, given));
    const double expected = fixed_loss(c, s, predicted, given);
    expect_same_loss(history[epoch - 1].train_loss, expected, "epoch " + std::to_string(epoch));
    // What the check tells apart: no noise, half the σ, noisy targets.
    EXPECT_GT(apart(fixed_loss(c, s, teacher_forced(model, s, given, no_noise(s, given)), given), expected), 1e-3);
    EXPECT_GT(apart(fixed_loss(c, s, teacher_forced(model, s, given, noise_of(0.01, given)), given), expected), 1e-3);
    auto noisy = s;
    noisy.frames = s.frames + noise_of(0.02, 10);
    EXPECT_GT(apart(fixed_loss(c, noisy, predicted, given), expected), 1e-3);
  }
}

TEST_F(TrainingStep, RolloutNoiseReachesFedBackInputsOnlyWithNoiseFeedback) {
  // Scheme rollout at its first step: 2 loss frames, the second read from the model's
  // own first prediction.
  std::vector<double> expected_of;  // [feedback off, on]
  for (bool feedback : {false, true}) {
    const std::string name = feedback ? "feedback" : "no_feedback";
    auto c = test::tiny_rollout_config(data_path(), out(name));
    c.epochs = 1;
    c.learning_rate = 1e-12;
    c.augment = false;
    c.loss_weights = "fixed";
    c.input_noise = 0.02;
    c.noise_feedback = feedback;
    const auto history = train(c);
    auto model = model_of(out(name) + "/latest.pt");
    const auto s = training_batch(c, 1, 10);
    const auto window = detail::draw_window(c.seed, 1, 0, static_cast<int>(s.frames.size(0)), 10,
                                            loss_frames_at(0, 1, c), c.cold_fraction, c.warmup_min,
                                            c.warmup_max, c.pushforward_cold, c.pushforward_warm);
    ASSERT_EQ(window.loss_frames, 2);
    const auto frames = detail::window_frames(s.frames, window);
    const auto noise = detail::mean_free_noise({frames.size(0), frames.size(1) - 1, 32, 32}, 0.02,
                                               detail::noise_seed(c.seed, 1, 0), frames.options());
    torch::NoGradGuard no_grad;
    const auto predicted = detail::unroll_window(model, frames, s.eta, window.warmup,
                                                 window.pushforward, noise, feedback);
    const int first = window.warmup + window.pushforward;
    Sequences w{frames, s.eta, s.physics};
    expected_of.push_back(fixed_loss(c, w, predicted, first));
    expect_same_loss(history[0].train_loss, expected_of.back(), name);
  }
  EXPECT_GT(apart(expected_of[1], expected_of[0]), 1e-3) << "feedback noise changes the loss";
}

TEST_F(TrainingStep, PersistenceBalanceDividesEachSequenceByItsOwnTrivialLoss) {
  const BalancedEpoch run = balanced_epoch("persistence", "balance");
  const auto& [c, logged, s, predicted] = run;
  const int given = kGiven;
  // Sequence by sequence: its loss over the loss of repeating its last given frame.
  double balanced = 0, from_phi0 = 0;
  for (int64_t b = 0; b < s.frames.size(0); ++b) {
    const Sequences one{s.frames.narrow(0, b, 1), s.eta.narrow(0, b, 1), s.physics};
    const double own = fixed_loss(c, one, predicted.narrow(0, b, 1), given);
    auto repeat = [&](int frame) {
      return fixed_loss(c, one, one.frames.narrow(1, frame, 1).expand({1, 10 - given, 32, 32}), given);
    };
    balanced += own / (repeat(given - 1) + c.balance_floor) / static_cast<double>(s.frames.size(0));
    from_phi0 += own / (repeat(0) + c.balance_floor) / static_cast<double>(s.frames.size(0));
  }
  expect_same_loss(logged, balanced, "balanced");
  EXPECT_GT(apart(fixed_loss(c, s, predicted, given), balanced), 1e-3) << "the plain loss";
  EXPECT_GT(apart(from_phi0, balanced), 1e-3) << "balanced by the persistence of phi_0";
}

TEST_F(TrainingStep, FrameBalanceDividesEachFrameByItsOwnTrivialLoss) {
  const BalancedEpoch run = balanced_epoch("frame", "frame-balance");
  const auto& [c, logged, s, predicted] = run;
  const int given = kGiven;
  // Frame by frame: its loss over the loss of repeating the last given frame there.
  double balanced = 0;
  const double count = static_cast<double>(s.frames.size(0) * (10 - given));
  for (int64_t b = 0; b < s.frames.size(0); ++b)
    for (int t = given; t < 10; ++t) {
      // Frames 0..t of sequence b, so that frame t is the only predicted one.
      const Sequences one{s.frames.narrow(0, b, 1).narrow(1, 0, t + 1), s.eta.narrow(0, b, 1),
                          s.physics};
      const double own = fixed_loss(c, one, predicted.narrow(0, b, 1).narrow(1, t - given, 1), t);
      const double trivial = fixed_loss(c, one, one.frames.narrow(1, given - 1, 1), t);
      balanced += own / (trivial + c.balance_floor) / count;
    }
  expect_same_loss(logged, balanced, "balanced per frame");
  EXPECT_GT(apart(fixed_loss(c, s, predicted, given), balanced), 1e-3) << "the plain loss";
}

TEST_F(TrainingStep, GradClipBoundsTheGradientAdamReceives) {
  // One step (one batch, one epoch): Adam's first moment is then 0.1 g of the gradient
  // g it received, and the history keeps the norm before clipping.
  auto first_moment_norm = [](const std::string& path) {
    return first_moment(path).norm().item<double>();
  };
  auto c = test::tiny_train_config(data_path(), out("unclipped"));
  c.epochs = 1;
  const double norm = train(c)[0].grad_norm_max;
  ASSERT_GT(norm, 0.0);
  EXPECT_NEAR(first_moment_norm(out("unclipped") + "/latest.pt"), 0.1 * norm, 1e-4 * norm);
  c.out = out("clipped");
  c.grad_clip = norm / 8;
  const auto clipped = train(c);
  EXPECT_NEAR(clipped[0].grad_norm_max, norm, 1e-5 * norm) << "logged before clipping";
  EXPECT_NEAR(first_moment_norm(out("clipped") + "/latest.pt"), 0.1 * norm / 8, 1e-4 * norm);
}

TEST_F(TrainingStep, AugmentFalseTrainsOnTheStoredSequences) {
  // The loss hardly tells a batch from its symmetric images (⟨f⟩ is invariant, and so
  // nearly is the error of a near-identity model), but the gradient does: the kernels'
  // gradients turn with the fields. Free rollouts from φ₀, one step.
  for (bool augment : {false, true}) {
    auto c = frozen_curriculum(data_path(), out(augment ? "augmented" : "plain"));
    c.curriculum_epochs = 0;
    c.epochs = 1;
    c.augment = augment;
    train(c);
    auto model = model_of(c.out + "/latest.pt");
    auto gradient_on = [&](bool augmented) {
      auto as = c;
      as.augment = augmented;
      const auto s = training_batch(as, 1, 10);
      model->zero_grad();
      loss_of(c, s, teacher_forced(model, s, 1, no_noise(s, 1)), 1).backward();
      return gradient_of(model);
    };
    const auto received = 10 * first_moment(c.out + "/latest.pt");
    const auto expected = gradient_on(augment), other = gradient_on(!augment);
    const double norm = expected.norm().item<double>();
    EXPECT_LT((received - expected).norm().item<double>(), 1e-4 * norm) << "augment " << augment;
    // The other batch's gradient is 7 % away here, 700 times the tolerance above.
    EXPECT_GT((other - expected).norm().item<double>(), 0.02 * norm) << "augment " << augment;
  }
}

TEST_F(TrainingStep, MaxFramesShortensTrainingAndValidationSequences) {
  auto c = frozen_curriculum(data_path(), out("max_frames"));
  c.curriculum_epochs = 0;  // free rollouts from φ₀ over the frames used
  c.epochs = 1;
  c.max_frames = 5;
  const auto history = train(c);
  EXPECT_EQ(history[0].loss_frames, 4);
  auto model = model_of(c.out + "/latest.pt");
  const auto s = training_batch(c, 1, 5);
  const double expected = fixed_loss(c, s, teacher_forced(model, s, 1, no_noise(s, 1)), 1);
  expect_same_loss(history[0].train_loss, expected, "training");
  const auto all = training_batch(c, 1, 10);
  EXPECT_GT(apart(fixed_loss(c, all, teacher_forced(model, all, 1, no_noise(all, 1)), 1), expected), 1e-3);
  const auto v = validation_batch(c, 5);
  expect_same_loss(history[0].validation_loss,
                   fixed_loss(c, v, teacher_forced(model, v, 1, no_noise(v, 1)), 1), "validation");
  EXPECT_EQ(detail::read_checkpoint(c.out + "/latest.pt").meta.at("data").at("used_frames"), 5);
}

// ---- learning -----------------------------------------------------------------------

/// Sequences of the early, exponential stage at the paper's physics (every default: τ =
/// 100 solver steps per frame, in which the fastest mode grows 1.9×, so that one frame
/// changes the field far more than the input noise): many small ones to train on, and a
/// held-out set drawn from other seeds.
class SurrogateLearning : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    test::TinyDataset d;  // every physics default: τ = 100 steps of δt = 0.01
    d.size = 16;
    d.frames = 5;
    d.sequences = 80;
    d.seed = 21;
    test::write_solver_dataset(dir_->file("train.h5"), d);
    d.sequences = 16;
    d.seed = 22;
    test::write_solver_dataset(dir_->file("held_out.h5"), d);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static inline test::TempDir* dir_ = nullptr;
};

struct RolloutError {
  double model = 0, persistence = 0;  ///< mean |φ̃ − φ| over frames 1..T−1 of all sequences
};

/// Free rollouts from φ₀ with the public API against every sequence of `data`, and the
/// error of persistence (φ̃ = φ₀), which a model that learned nothing matches at best.
RolloutError held_out_error(const std::string& checkpoint, const std::string& data) {
  detail::SequenceSource source(data, 0, 0);
  const auto surrogate = Surrogate::load(checkpoint, {"cpu", 1});
  const int frames = source.frames(), n = source.size();
  RolloutError e;
  for (int i = 0; i < source.sequences(); ++i) {
    const auto truth = source.sequence(i).to(torch::kFloat64);
    const auto phi0 = truth[0].contiguous().to(torch::kFloat32);
    const auto rolled = surrogate.rollout(
        std::vector<float>(phi0.data_ptr<float>(), phi0.data_ptr<float>() + n * n), n,
        source.eta(i), frames);
    const auto predicted =
        torch::tensor(rolled, torch::kFloat64).view({frames, n, n}).narrow(0, 1, frames - 1);
    const auto later = truth.narrow(0, 1, frames - 1);
    e.model += (predicted - later).abs().mean().item<double>();
    e.persistence += (truth[0] - later).abs().mean().item<double>();
  }
  return e;
}

TEST_F(SurrogateLearning, HeldOutRolloutBeatsPersistence) {
  // The default recipe (scheme rollout, auto loss weights, noise 5e-3 fed back, clip 1)
  // with a fixed learning rate: 64 training sequences in batches of 4, 30 epochs (480
  // Adam steps), 4 loss frames, so every window is a free rollout from φ₀ as in the check.
  // Measured (issue 15): held-out MAE / persistence MAE 0.26, 0.22, 0.24, 0.25, 0.22 for
  // seeds 1–5, so the bound 0.5 leaves 1.9× to the worst; trained against the last input
  // frame instead of the next frames, the model fails it. About 17 s of one core.
  TrainConfig c;
  c.data = file("train.h5");
  c.out = file("run");
  c.device = "cpu";
  c.threads = 1;
  c.epochs = 30;
  c.batch_size = 4;
  c.learning_rate = 3e-3;
  c.lr_schedule = "constant";
  c.loss_frames_start = c.loss_frames_end = 4;
  c.warmup_min = 1;
  c.warmup_max = 2;
  c.model.hidden = 16;
  const auto history = train(c);
  ASSERT_EQ(history.size(), 30u);
  const auto e = held_out_error(file("run") + "/latest.pt", file("held_out.h5"));
  const double ratio = e.model / e.persistence;
  RecordProperty("mae_ratio", std::to_string(ratio));
  EXPECT_LT(ratio, 0.5) << "held-out rollout MAE " << e.model << " against persistence " << e.persistence;
}

}  // namespace
}  // namespace csd::surrogate
