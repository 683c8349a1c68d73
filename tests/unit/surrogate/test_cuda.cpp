// The surrogate on a CUDA GPU repeats its CPU runs: training losses per epoch and
// rollouts. Every tensor of the training and rollout loops must live on the model's
// device (a CPU tensor there either fails or costs a copy each step); a mix-up shows as
// a LibTorch device error here. Skipped, with the reason, where LibTorch sees no GPU.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "csd/surrogate/surrogate.h"
#include "physics_fields.h"
#include "surrogate_fixtures.h"

namespace csd::surrogate {
namespace {

class SurrogateCuda : public test::TinyDatasetSuite<6> {
 protected:
  void SetUp() override {
    if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA GPU visible to LibTorch";
  }
};

void expect_same_losses(const std::vector<EpochRecord>& gpu, const std::vector<EpochRecord>& cpu) {
  ASSERT_EQ(gpu.size(), cpu.size());
  for (std::size_t e = 0; e < cpu.size(); ++e) {
    EXPECT_NEAR(gpu[e].train_loss, cpu[e].train_loss, 1e-3 * cpu[e].train_loss) << "epoch " << e;
    EXPECT_NEAR(gpu[e].validation_loss, cpu[e].validation_loss, 1e-3 * cpu[e].validation_loss)
        << "epoch " << e;
  }
}

TEST_F(SurrogateCuda, CurriculumTrainingMatchesTheCpu) {
  auto config = test::tiny_train_config(data_path(), out("cpu-curriculum"));
  const auto cpu = train(config);
  config.out = out("cuda-curriculum");
  config.device = "cuda";
  expect_same_losses(train(config), cpu);
}

TEST_F(SurrogateCuda, RolloutTrainingWithEnergyPenaltyMatchesTheCpu) {
  auto config = test::tiny_rollout_config(data_path(), out("cpu-rollout"));
  config.energy_penalty = 0.1;
  const auto cpu = train(config);
  config.out = out("cuda-rollout");
  config.device = "cuda";
  expect_same_losses(train(config), cpu);
}

TEST_F(SurrogateCuda, ShippedModelRollsOutAsOnTheCpu) {
  const std::string model = std::string(CSD_SOURCE_DIR) + "/data/model-small.pt";
  const int n = 64, frames = 5;
  const Field phi0 = test::random_field(n, 0.45, 0.05, 3);
  const std::vector<float> start(phi0.data(), phi0.data() + phi0.size());
  const auto cpu = Surrogate::load(model, {"cpu", 1}).rollout(start, n, 0.006, frames);
  const auto gpu = Surrogate::load(model, {"cuda", 1}).rollout(start, n, 0.006, frames);
  ASSERT_EQ(gpu.size(), cpu.size());
  double worst = 0.0;
  for (std::size_t k = 0; k < cpu.size(); ++k)
    worst = std::max(worst, static_cast<double>(std::abs(gpu[k] - cpu[k])));
  EXPECT_LT(worst, 1e-3);
}

}  // namespace
}  // namespace csd::surrogate
