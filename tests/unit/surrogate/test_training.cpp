// End-to-end training on a tiny solver dataset: learning, outputs, checkpoints (round
// trip, Python-readable, exact resume), the public Surrogate API and bad input.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "csd/core/error.h"
#include "csd/io/fs.h"
#include "csd/surrogate/surrogate.h"
#include "python_modules.h"
#include "surrogate/checkpoint.h"
#include "surrogate_fixtures.h"
#include "temp_dir.h"

namespace csd::surrogate {
namespace {

namespace fs = std::filesystem;

/// One dataset for the whole file: 4 sequences of 10 frames on 32², made by the solver.
class SurrogateTraining : public test::TinyDatasetSuite<10> {};

using test::error_of;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(SurrogateTraining, RunWritesItsOutputs) {
  // Whether training learns is SurrogateLearning.HeldOutRolloutBeatsPersistence
  // (test_training_step.cpp): a falling loss alone did not show it (issue 15).
  auto config = test::tiny_train_config(data_path(), out("learn"));
  config.epochs = 2;
  const auto history = train(config);
  ASSERT_EQ(history.size(), 2u);
  for (const char* file : {"best.pt", "latest.pt", "history.csv", "config.json"})
    EXPECT_TRUE(fs::exists(out("learn") + "/" + file)) << file;
  // Drawn by scripts/plots.py at the end of the run.
  ASSERT_TRUE(test::plotting_available());
  EXPECT_TRUE(fs::exists(out("learn") + "/loss.png"));
  std::ifstream csv(out("learn") + "/history.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "epoch,given_frames,learning_rate,train_loss,validation_loss,seconds,"
                    "loss_frames,validation_outside,validation_phi_min,validation_phi_max,train_seconds,"
                    "grad_norm_median,grad_norm_max");
}

TEST_F(SurrogateTraining, CurriculumIsLoggedAndPerEpochCallbackRuns) {
  auto config = test::tiny_train_config(data_path(), out("curriculum"));
  config.epochs = 3;
  config.curriculum_epochs = 3;
  std::vector<int> given;
  train(config, [&](const EpochRecord& r) { given.push_back(r.given_frames); });
  EXPECT_EQ(given, (std::vector<int>{9, 5, 1}));
}

TEST_F(SurrogateTraining, CheckpointRoundTripAndSurrogateRollout) {
  auto config = test::tiny_train_config(data_path(), out("roundtrip"));
  config.epochs = 1;
  train(config);
  const std::string best = out("roundtrip") + "/best.pt";

  const auto checkpoint = detail::read_checkpoint(best);
  EXPECT_EQ(checkpoint.meta.at("epoch"), 1);
  EXPECT_EQ(checkpoint.meta.at("model").at("hidden"), 8);
  EXPECT_DOUBLE_EQ(checkpoint.meta.at("eta_max").get<double>(), 0.01);
  EXPECT_EQ(checkpoint.meta.at("data").at("frames"), 10);
  EXPECT_FALSE(checkpoint.optimizer.empty());

  // Weights loaded into a fresh model equal the saved ones bit for bit, and saving again
  // reproduces the same tensors.
  detail::Crnn model(detail::model_config_of(checkpoint, best));
  detail::load_weights(model, checkpoint, best);
  const auto again = detail::make_checkpoint(model, nullptr, checkpoint.meta);
  for (const auto& [name, tensor] : checkpoint.weights)
    EXPECT_TRUE(torch::equal(tensor, again.weights.at(name))) << name;

  // The public API rolls out with those weights: mass conserved, any size.
  const auto surrogate = Surrogate::load(best, {"cpu", 1});
  EXPECT_EQ(surrogate.model_config().hidden, 8);
  EXPECT_DOUBLE_EQ(surrogate.eta_max(), 0.01);
  EXPECT_EQ(surrogate.device_name(), "cpu");
  const int n = 40, frames = 6;
  std::vector<float> phi0(n * n);
  for (int i = 0; i < n * n; ++i) phi0[i] = 0.5f + 0.05f * std::sin(0.37f * i);
  int calls = 0;
  const auto out_frames = surrogate.rollout(phi0, n, 0.005, frames, [&](int) { ++calls; });
  ASSERT_EQ(out_frames.size(), static_cast<size_t>(frames * n * n));
  EXPECT_EQ(calls, frames - 1);
  double m0 = 0, m5 = 0;
  for (int i = 0; i < n * n; ++i) {
    m0 += out_frames[i];
    m5 += out_frames[5 * n * n + i];
  }
  EXPECT_NEAR(m5, m0, 1e-6 * m0);
  // Batched rollout of two copies equals the single rollout.
  std::vector<float> two(phi0);
  two.insert(two.end(), phi0.begin(), phi0.end());
  const auto batched = surrogate.rollout_batch(two, 2, n, {0.005, 0.005}, frames);
  for (size_t i = 0; i < out_frames.size(); i += 97) {
    EXPECT_NEAR(batched[i], out_frames[i], 1e-6);
    EXPECT_NEAR(batched[out_frames.size() + i], out_frames[i], 1e-6);
  }
  // η outside the training range is a warning, not an error.
  EXPECT_NO_THROW(surrogate.rollout(phi0, n, 0.03, 2));

  const Json info = describe_checkpoint(best);
  EXPECT_EQ(info.at("parameters"), detail::parameter_count(*model));
  EXPECT_EQ(info.at("epoch"), 1);
  // The training data's physics travels with the model (τ = 50 steps in this suite).
  const auto physics = checkpoint_physics(best);
  ASSERT_TRUE(physics.has_value());
  EXPECT_EQ(physics->steps_per_frame, 50);
  EXPECT_DOUBLE_EQ(physics->dt, physics::Params().dt);
}

TEST_F(SurrogateTraining, CheckpointLoadsInPythonTorchAndMatchesThePythonModel) {
  auto config = test::tiny_train_config(data_path(), out("python"));
  config.epochs = 1;
  train(config);
  ASSERT_TRUE(test::python_imports("torch")) << "Python torch loads the checkpoint";
  // A C++ rollout, saved as raw float32 for the Python side.
  const std::string checkpoint = out("python") + "/latest.pt";
  const int n = 24, frames = 5;
  std::vector<float> phi0(n * n);
  for (int i = 0; i < n * n; ++i) phi0[i] = 0.5f + 0.08f * std::cos(0.21f * i) * std::sin(0.05f * i);
  const auto rollout = Surrogate::load(checkpoint, {"cpu", 1}).rollout(phi0, n, 0.004, frames);
  const std::string raw = out("python_rollout.f32");
  std::ofstream(raw, std::ios::binary)
      .write(reinterpret_cast<const char*>(rollout.data()), rollout.size() * sizeof(float));

  // The checkpoint is a plain torch.load dict, and its weights drive the independent
  // Python implementation of the architecture (scripts/bench_surrogate.py) to the same
  // frames.
  const std::string script =
      "import importlib.util, json, sys, numpy, torch\n"
      "spec = importlib.util.spec_from_file_location('ref', '" CSD_SOURCE_DIR
      "/scripts/bench_surrogate.py')\n"
      "ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)\n"
      "d = torch.load('" + checkpoint + "'); m = json.loads(d['meta']); w = d['weights']\n"
      "assert d['format'] == 'csd-surrogate-checkpoint' and m['epoch'] == 1\n"
      "assert tuple(w['cells.0.gates.weight'].shape) == (16, 10, 5, 5)\n"
      "assert int(d['optimizer']['head.weight.step']) > 0\n"
      "model = ref.Surrogate(**{k: m['model'][k] for k in ('hidden', 'kernel', 'layers', 'eta_scale')})\n"
      "state = {k: v for k, v in w.items() if k not in ('project', 'eta_scale', 'output_scale')}\n"
      "state['project.weight'] = (w['output_scale'] * w['project']).view(1, -1, 1, 1)\n"
      "model.load_state_dict(state)\n"
      "f = torch.from_numpy(numpy.fromfile('" + raw + "', dtype=numpy.float32)).view(" +
      std::to_string(frames) + ", " + std::to_string(n) + ", " + std::to_string(n) + ")\n"
      "phi, h = f[0].view(1, 1, " + std::to_string(n) + ", " + std::to_string(n) +
      "), model.initial_state(1, " + std::to_string(n) + ", torch.contiguous_format)\n"
      "with torch.no_grad():\n"
      "    for t in range(1, " + std::to_string(frames) + "):\n"
      "        phi, h = model(phi, torch.tensor([0.004]), h)\n"
      "        diff = float((phi[0, 0] - f[t]).abs().max())\n"
      "        assert diff < 1e-6, (t, diff)\n";
  const std::string script_path = out("check_checkpoint.py");
  std::ofstream(script_path) << script;
  EXPECT_EQ(std::system(("/usr/bin/python3 " + script_path).c_str()), 0);
}

TEST_F(SurrogateTraining, ResumeRepeatsAnUninterruptedRun) {
  auto straight = test::tiny_train_config(data_path(), out("straight"));
  straight.epochs = 3;
  straight.curriculum_epochs = 3;
  const auto full = train(straight);

  auto first = test::tiny_train_config(data_path(), out("resumed"));
  first.epochs = 2;
  first.curriculum_epochs = 3;
  train(first);
  auto second = first;
  second.epochs = 3;
  second.resume = true;
  const auto resumed = train(second);

  test::expect_same_run(resumed, full, out("resumed") + "/latest.pt", out("straight") + "/latest.pt");
}

TEST_F(SurrogateTraining, RefusesToResumeWithAnotherArchitectureOrNothing) {
  auto config = test::tiny_train_config(data_path(), out("arch"));
  config.epochs = 1;
  train(config);
  auto other = config;
  other.resume = true;
  other.epochs = 2;
  other.model.hidden = 6;
  EXPECT_TRUE(contains(error_of([&] { train(other); }), "model")) << error_of([&] { train(other); });
  auto fresh = config;  // same directory without --resume must not overwrite the run
  EXPECT_TRUE(contains(error_of([&] { train(fresh); }), "--resume"));
  auto missing = config;
  missing.out = out("nothing_here");
  missing.resume = true;
  EXPECT_TRUE(contains(error_of([&] { train(missing); }), "no checkpoint"));

  // Weights of one architecture into a model of another: the mismatch is named.
  const std::string path = out("arch") + "/latest.pt";
  const auto checkpoint = detail::read_checkpoint(path);
  ModelConfig small;
  small.hidden = 6;
  detail::Crnn model(small);
  const std::string message = error_of([&] { detail::load_weights(model, checkpoint, path); });
  EXPECT_TRUE(contains(message, "cells.0.candidate.bias") && contains(message, "shape")) << message;

  // A checkpoint whose meta claims another architecture than its weights.
  auto tampered = checkpoint;
  tampered.meta["model"]["layers"] = 3;
  const std::string tampered_path = out("tampered.pt");
  detail::save_checkpoint(tampered_path, tampered);
  const std::string load_error = error_of([&] { Surrogate::load(tampered_path, {"cpu", 1}); });
  EXPECT_TRUE(contains(load_error, "cells.2")) << load_error;
}

TEST_F(SurrogateTraining, BadInputIsReportedClearly) {
  // Missing dataset.
  auto config = test::tiny_train_config(out("no_such.h5"), out("bad1"));
  EXPECT_NE(error_of([&] { train(config); }), "(no csd::Error)");

  // Dataset without /phi (removed with h5py).
  ASSERT_TRUE(test::python_imports("h5py"));
  {
    const std::string broken = out("no_phi.h5");
    fs::copy_file(data_path(), broken);
    ASSERT_EQ(std::system(("/usr/bin/python3 -c \"import h5py; f = h5py.File('" + broken +
                           "', 'a'); del f['phi']; f.close()\"").c_str()), 0);
    config.data = broken;
    EXPECT_TRUE(contains(error_of([&] { train(config); }), "phi")) << error_of([&] { train(config); });
  }

  // Unwritable output: a regular file is in the way of the directory.
  const std::string blocker = out("blocker");
  std::ofstream(blocker) << "x";
  config = test::tiny_train_config(data_path(), blocker + "/run");
  EXPECT_NE(error_of([&] { train(config); }), "(no csd::Error)");

  // Invalid configs.
  config = test::tiny_train_config(data_path(), out("bad2"));
  config.device = "tpu";
  EXPECT_TRUE(contains(error_of([&] { train(config); }), "device"));
  config = test::tiny_train_config(data_path(), out("bad3"));
  config.model.kernel = 4;
  EXPECT_TRUE(contains(error_of([&] { train(config); }), "kernel"));

  // NaN in the rollout input.
  auto ok = test::tiny_train_config(data_path(), out("nan"));
  ok.epochs = 1;
  train(ok);
  const auto surrogate = Surrogate::load(out("nan") + "/best.pt", {"cpu", 1});
  std::vector<float> phi0(16 * 16, 0.5f);
  phi0[37] = std::nanf("");
  EXPECT_TRUE(contains(error_of([&] { surrogate.rollout(phi0, 16, 0.005, 3); }), "NaN"));
  EXPECT_NE(error_of([&] { surrogate.rollout(std::vector<float>(10, 0.5f), 16, 0.005, 3); }),
            "(no csd::Error)");
  EXPECT_NE(error_of([&] { Surrogate::load(out("no_such.pt")); }), "(no csd::Error)");
  EXPECT_NE(error_of([&] { Surrogate::load(data_path()); }), "(no csd::Error)");
}

TEST_F(SurrogateTraining, DivergenceStopsAndKeepsTheLastGoodCheckpoint) {
  // Train one good epoch, then swap in a dataset with the same schema and config whose
  // values are finite but huge (1e20): the loss of epoch 2 overflows to Inf.
  test::TinyDataset d;
  d.physics.steps_per_frame = 50;
  const std::string data = out("swapped.h5");
  test::write_solver_dataset(data, d);
  auto config = test::tiny_train_config(data, out("diverge"));
  config.epochs = 1;
  train(config);
  const std::string latest = out("diverge") + "/latest.pt";
  const std::string bytes = test::read_bytes(latest);

  fs::remove(data);
  d.frame_scale = 1e20f;
  test::write_solver_dataset(data, d);
  auto resumed = config;
  resumed.resume = true;
  resumed.epochs = 3;
  const std::string message = error_of([&] { train(resumed); });
  EXPECT_TRUE(contains(message, "training diverged at epoch 2")) << message;
  EXPECT_TRUE(contains(message, "last good checkpoint kept at '" + latest + "' (epoch 1)"))
      << message;
  EXPECT_TRUE(test::read_bytes(latest) == bytes) << "latest.pt was rewritten";

  // Diverging before any epoch finished: no checkpoint is written at all.
  config.out = out("diverge_fresh");
  const std::string fresh = error_of([&] { train(config); });
  EXPECT_TRUE(contains(fresh, "training diverged at epoch 1") &&
              contains(fresh, "no checkpoint was written yet")) << fresh;
  EXPECT_FALSE(fs::exists(out("diverge_fresh") + "/latest.pt"));
}

TEST(SurrogateConfig, JsonRoundTripAndUnknownKeys) {
  TrainConfig c;
  c.data = "d.h5";
  c.out = "o";
  c.epochs = 7;
  c.seed = 12345678901234ULL;
  c.model.hidden = 12;
  // Written: the changed values under their documented keys, the seed exact as uint64.
  const Json written = c.to_json();
  EXPECT_EQ(written["train"]["data"], "d.h5");
  EXPECT_EQ(written["train"]["out"], "o");
  EXPECT_EQ(written["train"]["epochs"], 7);
  EXPECT_EQ(written["train"]["seed"].get<std::uint64_t>(), 12345678901234ULL);
  EXPECT_EQ(written["model"]["hidden"], 12);
  EXPECT_FALSE(written["train"].contains("hidden")) << "the architecture has its own section";
  // Read: a hand-written config sets exactly the fields it names.
  const TrainConfig read = TrainConfig::from_json(Json::parse(R"({
    "train": {"data": "x.h5", "out": "run", "epochs": 3, "batch_size": 5, "learning_rate": 0.002,
              "input_noise": 0.01, "augment": false, "max_frames": 9, "grad_clip": 0.5,
              "scheme": "curriculum", "loss_balance": "persistence", "seed": 18446744073709551615},
    "model": {"hidden": 6, "kernel": 3, "layers": 1}})"));
  EXPECT_EQ(read.data, "x.h5");
  EXPECT_EQ(read.out, "run");
  EXPECT_EQ(read.epochs, 3);
  EXPECT_EQ(read.batch_size, 5);
  EXPECT_EQ(read.learning_rate, 0.002);
  EXPECT_EQ(read.input_noise, 0.01);
  EXPECT_FALSE(read.augment);
  EXPECT_EQ(read.max_frames, 9);
  EXPECT_EQ(read.grad_clip, 0.5);
  EXPECT_EQ(read.scheme, "curriculum");
  EXPECT_EQ(read.loss_balance, "persistence");
  EXPECT_EQ(read.seed, 18446744073709551615ULL);
  EXPECT_EQ(read.model.hidden, 6);
  EXPECT_EQ(read.model.kernel, 3);
  EXPECT_EQ(read.model.layers, 1);
  EXPECT_EQ(read.curriculum_epochs, TrainConfig().curriculum_epochs) << "unnamed keys keep defaults";
  EXPECT_THROW(TrainConfig::from_json(Json{{"train", {{"epoch", 3}}}}), Error);
  EXPECT_THROW(TrainConfig::from_json(Json{{"model", {{"hiden", 3}}}}), Error);
  EXPECT_THROW(TrainConfig::from_json(Json{{"train", {{"epochs", "many"}}}}), Error);
  EXPECT_NO_THROW(TrainConfig::from_json(Json{{"physics", {{"epsilon", 5.0}}}}));
  ModelConfig m;
  m.kernel = 6;
  EXPECT_THROW(m.validate(), Error);
  TrainConfig bad = c;
  bad.validation_fraction = 1.0;
  EXPECT_THROW(bad.validate(), Error);
}

}  // namespace
}  // namespace csd::surrogate
