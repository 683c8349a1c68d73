// Curriculum, split, augmentation (validated against the solver), noise and the
// dataset source.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <set>

#include "csd/core/error.h"
#include "physics_fields.h"
#include "surrogate/data.h"
#include "surrogate_fixtures.h"
#include "temp_dir.h"

namespace csd::surrogate::detail {
namespace {

TEST(SurrogateCurriculum, RampsFromAllButOneFrameToAFreeRollout) {
  const int t = 100, ramp = 20;
  EXPECT_EQ(given_frames(1, t, ramp), 99);   // predicts only the last frame
  EXPECT_EQ(given_frames(2, t, ramp), 94);   // 99 − 98/19 = 93.84
  EXPECT_EQ(given_frames(11, t, ramp), 47);  // 99 − 98·10/19 = 47.42
  EXPECT_EQ(given_frames(19, t, ramp), 6);   // 99 − 98·18/19 = 6.16
  EXPECT_EQ(given_frames(20, t, ramp), 1);
  EXPECT_EQ(given_frames(500, t, ramp), 1);
  for (int e = 1; e < 30; ++e) EXPECT_LE(given_frames(e + 1, t, ramp), given_frames(e, t, ramp));
  EXPECT_EQ(given_frames(1, t, 0), 1);  // curriculum off
  EXPECT_EQ(given_frames(1, t, 1), 1);
  EXPECT_EQ(given_frames(1, 2, 20), 1);  // T = 2 has nothing to ramp
  EXPECT_EQ(given_frames(1, 10, 3), 9);
  EXPECT_EQ(given_frames(2, 10, 3), 5);
  EXPECT_EQ(given_frames(3, 10, 3), 1);
  EXPECT_THROW(given_frames(1, 1, 5), Error);
}

TEST(LearningRateSchedule, CosineDecaysAfterTheCurriculumToTheFinalFraction) {
  TrainConfig c;
  c.learning_rate = 1e-3;
  c.epochs = 30;
  c.curriculum_epochs = 10;
  for (int e : {1, 10, 30}) EXPECT_DOUBLE_EQ(learning_rate_at(e, c), 1e-3);  // constant
  c.lr_schedule = "cosine";
  c.lr_final = 0.1;
  EXPECT_DOUBLE_EQ(learning_rate_at(1, c), 1e-3);   // during the ramp: unchanged
  EXPECT_DOUBLE_EQ(learning_rate_at(10, c), 1e-3);
  EXPECT_NEAR(learning_rate_at(20, c), 0.55e-3, 1e-15);  // half way: (1 + 0.1) / 2
  EXPECT_NEAR(learning_rate_at(30, c), 1e-4, 1e-15);     // last epoch: lr_final · lr
  EXPECT_NEAR(learning_rate_at(99, c), 1e-4, 1e-15);     // past the end (longer resume)
  for (int e = 1; e < 30; ++e) EXPECT_LE(learning_rate_at(e + 1, c), learning_rate_at(e, c));
  c.data = "train.h5";
  c.out = "run";
  EXPECT_NO_THROW(c.validate());
  c.lr_schedule = "step";
  EXPECT_THROW(c.validate(), Error);
  c.lr_schedule = "cosine";
  c.lr_final = 0;
  EXPECT_THROW(c.validate(), Error);
}

TEST(SurrogateData, SeededFourToOneSplit) {
  const auto split = split_sequences(10, 0.2, 42);
  EXPECT_EQ(split.validation.size(), 2u);
  EXPECT_EQ(split.train.size(), 8u);
  std::set<int> all(split.train.begin(), split.train.end());
  all.insert(split.validation.begin(), split.validation.end());
  EXPECT_EQ(all.size(), 10u);
  EXPECT_EQ(split_sequences(10, 0.2, 42).validation, split.validation);
  bool differs = false;
  for (uint64_t seed = 1; seed < 6; ++seed)
    differs = differs || split_sequences(10, 0.2, seed).validation != split.validation;
  EXPECT_TRUE(differs);
  EXPECT_EQ(split_sequences(2, 0.2, 1).validation.size(), 1u);  // at least one of each
  EXPECT_EQ(split_sequences(2, 0.9, 1).train.size(), 1u);
}

TEST(SurrogateData, EpochOrderIsAReproduciblePermutation) {
  const std::vector<int> train{0, 2, 3, 5, 7, 8, 9};
  auto a = epoch_order(train, 3, 4);
  EXPECT_EQ(a, epoch_order(train, 3, 4));
  EXPECT_NE(a, epoch_order(train, 3, 5));
  std::sort(a.begin(), a.end());
  EXPECT_EQ(a, train);
}

TEST(SurrogateData, EightDistinctSymmetriesAndTheComplement) {
  torch::manual_seed(1);
  const auto field = torch::rand({2, 6, 6}, torch::kFloat64);
  std::vector<torch::Tensor> images;
  for (int s = 0; s < 8; ++s) {
    const auto image = augment(field, {s, false});
    auto sorted_in = std::get<0>(field.flatten().sort()), sorted_out = std::get<0>(image.flatten().sort());
    EXPECT_TRUE(torch::equal(sorted_in, sorted_out));  // a permutation of pixels
    for (const auto& other : images) EXPECT_FALSE(torch::equal(image, other)) << s;
    images.push_back(image);
  }
  EXPECT_TRUE(torch::allclose(augment(field, {0, true}), 1.0 - field));
  // Symmetry 1 is the quarter turn on the last two axes; 4 is the transpose.
  EXPECT_TRUE(torch::equal(augment(field, {1, false}), torch::rot90(field, 1, {-2, -1})));
  EXPECT_TRUE(torch::equal(augment(field, {4, false}), field.transpose(-2, -1).contiguous()));
}

TEST(SurrogateData, AugmentationDrawsAreSeededAndCoverTheGroup) {
  std::set<std::pair<int, bool>> seen;
  for (int item = 0; item < 200; ++item) {
    const auto a = draw_augmentation(9, 2, 3, item);
    const auto b = draw_augmentation(9, 2, 3, item);
    EXPECT_EQ(a.symmetry, b.symmetry);
    EXPECT_EQ(a.complement, b.complement);
    seen.insert({a.symmetry, a.complement});
  }
  EXPECT_EQ(seen.size(), 16u);
}

TEST(SurrogateData, AugmentedSolverSequenceIsASolverSequence) {
  // The solver commutes with the square's symmetries (cubic tr B) and with φ → 1 − φ
  // (w'(1−φ) = −w'(φ)): evolving a transformed φ₀ gives the transformed sequence.
  physics::Params p;
  p.steps_per_frame = 20;
  const int n = 24, frames = 3;
  init::PerlinOptions options;
  options.mean_phi = 0.42;
  options.amplitude = 0.1;
  options.feature_size = 6;
  options.seed = 5;
  const Field phi0 = init::perlin_field(n, options);
  const double eta = 0.01;
  const auto sequence = test::solver_sequence(phi0, eta, p, frames);
  ASSERT_GT((sequence[2] - sequence[0]).abs().max().item<double>(), 1e-3);
  for (int s = 0; s < 8; ++s) {
    for (bool complement : {false, true}) {
      const Augmentation a{s, complement};
      const auto transformed_start = test::to_field(augment(sequence[0], a));
      const auto evolved = test::solver_sequence(transformed_start, eta, p, frames);
      const double diff = (evolved - augment(sequence, a)).abs().max().item<double>();
      EXPECT_LT(diff, 1e-10) << "symmetry " << s << " complement " << complement;
    }
  }
}

TEST(SurrogateData, InputNoiseIsMeanFreePerFrameAndSeeded) {
  const auto frames = 0.5 + 0.1 * torch::rand({2, 3, 32, 32}, torch::kFloat64);
  const auto noisy = add_mean_free_noise(frames, 1e-3, 77);
  const auto delta = noisy - frames;
  EXPECT_LT((noisy.sum({-2, -1}) - frames.sum({-2, -1})).abs().max().item<double>(), 1e-10);
  EXPECT_NEAR(delta.std().item<double>(), 1e-3, 1e-4);
  EXPECT_TRUE(torch::equal(noisy, add_mean_free_noise(frames, 1e-3, 77)));
  EXPECT_FALSE(torch::equal(noisy, add_mean_free_noise(frames, 1e-3, 78)));
  EXPECT_TRUE(torch::equal(add_mean_free_noise(frames, 0.0, 77), frames));
  EXPECT_NE(noise_seed(1, 2, 3), noise_seed(1, 3, 2));
}

TEST(SurrogateData, SourceReadsCachesAndLimitsTheDataset) {
  test::TempDir dir;
  test::TinyDataset d;
  d.sequences = 3;
  d.frames = 4;
  d.size = 16;
  d.physics.steps_per_frame = 10;
  const std::string path = dir.file("data.h5");
  test::write_solver_dataset(path, d);

  SequenceSource source(path, 0, 3);
  EXPECT_EQ(source.sequences(), 3);
  EXPECT_EQ(source.frames(), 3);
  EXPECT_EQ(source.size(), 16);
  EXPECT_TRUE(source.cached());
  EXPECT_DOUBLE_EQ(source.eta(2), d.eta_max);
  EXPECT_DOUBLE_EQ(source.eta_min(), d.eta_min);
  io::DatasetReader reader(path);
  const auto frame1 = reader.read_frame(1, 2);
  const auto seq = source.sequence(1);
  ASSERT_EQ(seq.sizes(), (std::vector<int64_t>{3, 16, 16}));
  EXPECT_FLOAT_EQ(seq[2][3][4].item<float>(), frame1[3 * 16 + 4]);

  const auto batch = load_batch(source, {2, 0}, true, 1, 1, 0);
  EXPECT_EQ(batch.frames.sizes(), (std::vector<int64_t>{2, 3, 16, 16}));
  EXPECT_DOUBLE_EQ(batch.eta[0].item<double>(), d.eta_max);
  // Augmented items keep their mass up to the complement.
  const double m0 = source.sequence(2).sum().item<double>(), m1 = batch.frames[0].sum().item<double>();
  const double pixels = 3.0 * 16 * 16;
  EXPECT_TRUE(std::abs(m1 - m0) < 1e-2 || std::abs(m1 - (pixels - m0)) < 1e-2);

  EXPECT_EQ(SequenceSource(path, 2, 0).sequences(), 2);
  EXPECT_THROW(SequenceSource(path, 0, 0).sequence(5), std::exception);
}

TEST(SurrogateData, RejectsSingleFrameDatasets) {
  test::TempDir dir;
  test::TinyDataset d;
  d.sequences = 2;
  d.frames = 1;
  d.size = 8;
  const std::string path = dir.file("one_frame.h5");
  test::write_solver_dataset(path, d);
  try {
    SequenceSource source(path, 0, 0);
    FAIL() << "expected csd::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("at least 2 frames"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace csd::surrogate::detail
