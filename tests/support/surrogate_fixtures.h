#pragma once
/// Fixtures for the surrogate tests: tiny solver datasets written with the real
/// csd::io::DatasetWriter, field ↔ tensor conversions, and small training configs.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "csd/core/field.h"
#include "csd/init/initial_conditions.h"
#include "csd/io/dataset.h"
#include "csd/physics/energy.h"
#include "csd/physics/solver.h"
#include "csd/surrogate/surrogate.h"
#include "error_capture.h"
#include "surrogate/checkpoint.h"
#include "temp_dir.h"

namespace csd::test {

/// [n, n] float64 tensor with a copy of the field.
inline torch::Tensor to_tensor(const Field& f) {
  return torch::from_blob(const_cast<double*>(f.data()), {f.rows(), f.cols()}, torch::kFloat64)
      .clone();
}

inline Field to_field(const torch::Tensor& t) {
  const auto c = t.to(torch::kFloat64).contiguous();
  Field f(c.size(0), c.size(1));
  std::copy(c.data_ptr<double>(), c.data_ptr<double>() + c.numel(), f.data());
  return f;
}

/// φ₀ followed by frames − 1 solver frames: [frames, n, n] float64.
inline torch::Tensor solver_sequence(const Field& phi0, double eta, const physics::Params& p,
                                     int frames) {
  physics::Solver solver(phi0, eta, p);
  std::vector<torch::Tensor> out{to_tensor(phi0)};
  for (int t = 1; t < frames; ++t) {
    solver.advance_frame();
    out.push_back(to_tensor(solver.phi()));
  }
  return torch::stack(out);
}

struct TinyDataset {
  int sequences = 4, frames = 10, size = 32;
  double eta_min = 0.0, eta_max = 0.01;
  double mean_phi = 0.5, amplitude = 0.1;
  std::uint64_t seed = 3;
  float frame_scale = 1.0f;  ///< multiplies the stored frames (1e20: finite data, Inf loss)
  physics::Params physics;
};

/// Perlin initial fields evolved by csd::physics::Solver, written as a finished dataset.
inline void write_solver_dataset(const std::string& path, const TinyDataset& d) {
  io::DatasetInfo info;
  info.shape = {d.sequences, d.frames, d.size};
  info.physics = d.physics;
  info.config_json = R"({"test":"surrogate tiny dataset"})";
  info.csd_version = "test";
  io::DatasetWriter writer(path, info, io::DatasetWriter::Mode::kCreate);
  const physics::EnergyCalculator energy(d.size, d.physics);
  for (int s = 0; s < d.sequences; ++s) {
    io::SequenceMeta meta;
    meta.seed = init::sequence_seed(d.seed, static_cast<std::uint64_t>(s));
    meta.eta = d.sequences > 1 ? d.eta_min + (d.eta_max - d.eta_min) * s / (d.sequences - 1)
                               : d.eta_min;
    meta.mean_phi = d.mean_phi;
    meta.amplitude = d.amplitude;
    init::PerlinOptions options;
    options.mean_phi = d.mean_phi;
    options.amplitude = d.amplitude;
    options.feature_size = 8;
    options.seed = meta.seed;
    const auto frames = solver_sequence(init::perlin_field(d.size, options), meta.eta, d.physics,
                                        d.frames)
                            .to(torch::kFloat32)
                            .contiguous();
    std::vector<float> values(frames.data_ptr<float>(), frames.data_ptr<float>() + frames.numel());
    for (float& v : values) v *= d.frame_scale;
    std::vector<physics::Energies> energies;
    for (int t = 0; t < d.frames; ++t)
      energies.push_back(energy(values.data() + static_cast<size_t>(t) * d.size * d.size, meta.eta));
    writer.write_sequence(s, meta, values, energies);
  }
  writer.finish();
}

/// A fast training config on `data`: hidden 8, 2 layers, kernel 5, one thread, the
/// paper's scheme (teacher-forced curriculum, fixed loss weights 60/150, noise 1e-3 on
/// given frames only, constant learning rate, no clipping, output scale 0.1).
inline surrogate::TrainConfig tiny_train_config(const std::string& data, const std::string& out) {
  surrogate::TrainConfig c;
  c.scheme = "curriculum";
  c.loss_weights = "fixed";
  c.input_noise = 1e-3;
  c.noise_feedback = false;
  c.lr_schedule = "constant";
  c.grad_clip = 0.0;
  c.model.output_scale = 0.1;
  c.data = data;
  c.out = out;
  c.epochs = 2;
  c.batch_size = 3;
  c.learning_rate = 3e-3;
  c.curriculum_epochs = 0;
  c.threads = 1;  // robust when other tests or builds share the cores
  c.device = "cpu";
  c.model.hidden = 8;
  return c;
}

}  // namespace csd::test

namespace csd::test {

/// A test suite sharing one tiny solver dataset (4 sequences of `Frames` frames on 32²,
/// τ = 50 steps) in a temporary directory, written once for the whole suite.
template <int Frames>
class TinyDatasetSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    TinyDataset d;
    d.frames = Frames;
    d.physics.steps_per_frame = 50;
    write_solver_dataset(data_path(), d);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string data_path() { return dir_->file("tiny.h5"); }
  static std::string out(const std::string& name) { return dir_->file(name); }

  static inline TempDir* dir_ = nullptr;
};

/// A resumed run repeats an uninterrupted one: the same losses per epoch (relative 1e-6)
/// and the same weights in latest.pt (absolute 1e-6).
inline void expect_same_run(const std::vector<surrogate::EpochRecord>& resumed,
                            const std::vector<surrogate::EpochRecord>& full,
                            const std::string& resumed_checkpoint,
                            const std::string& full_checkpoint) {
  ASSERT_EQ(resumed.size(), full.size());
  for (size_t e = 0; e < full.size(); ++e) {
    EXPECT_EQ(resumed[e].given_frames, full[e].given_frames) << e;
    EXPECT_EQ(resumed[e].loss_frames, full[e].loss_frames) << e;
    EXPECT_NEAR(resumed[e].train_loss, full[e].train_loss, 1e-6 * full[e].train_loss) << e;
    EXPECT_NEAR(resumed[e].validation_loss, full[e].validation_loss,
                1e-6 * full[e].validation_loss) << e;
  }
  const auto a = surrogate::detail::read_checkpoint(full_checkpoint);
  const auto b = surrogate::detail::read_checkpoint(resumed_checkpoint);
  for (const auto& [name, tensor] : a.weights)
    EXPECT_LT((tensor - b.weights.at(name)).abs().max().item<double>(), 1e-6) << name;
  for (const auto& [name, tensor] : a.optimizer)
    EXPECT_LT((tensor.to(torch::kFloat64) - b.optimizer.at(name).to(torch::kFloat64))
                  .abs().max().item<double>(), 1e-6) << name;
}

/// The rollout scheme (the default recipe) at test scale on `data`.
inline surrogate::TrainConfig tiny_rollout_config(const std::string& data, const std::string& out) {
  surrogate::TrainConfig c;
  c.data = data;
  c.out = out;
  c.epochs = 2;
  c.batch_size = 3;
  c.warmup_steps = 2;
  c.loss_frames_start = 2;
  c.loss_frames_end = 4;
  c.warmup_min = 1;
  c.warmup_max = 3;
  c.threads = 1;
  c.device = "cpu";
  c.model.hidden = 8;
  return c;
}

}  // namespace csd::test
