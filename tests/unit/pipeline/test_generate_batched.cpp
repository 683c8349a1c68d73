// generate's batched path (solver = "torch") with a stand-in batch solver made of FFTW
// solvers, so that the batching itself (order, partial batches, records, noise seeds)
// is tested without LibTorch: the file must be the FFTW path's, byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "cli_runner.h"
#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/physics/batch_solver.h"
#include "csd/pipeline/generate.h"

namespace csd::pipeline {
namespace {

/// One physics::Solver per member (kEstimate plans, as fft_plans = "estimate").
class SolverBatch final : public physics::BatchSolver {
 public:
  SolverBatch(const physics::BatchStart& start, const physics::Params& params) {
    for (std::size_t m = 0; m < start.phi0.size(); ++m)
      members_.emplace_back(start.phi0[m], start.eta[m], params, start.noise[m]);
  }
  int batch() const override { return static_cast<int>(members_.size()); }
  void advance_frame() override {
    for (auto& s : members_) s.advance_frame();
  }
  std::vector<Field> phi() const override {
    std::vector<Field> out;
    for (const auto& s : members_) out.push_back(s.phi());
    return out;
  }

 private:
  std::vector<physics::Solver> members_;
};

physics::BatchSolverFactory solver_batches(std::vector<int>* sizes) {
  return [sizes](const physics::BatchStart& start, const physics::Params& params) {
    sizes->push_back(static_cast<int>(start.phi0.size()));
    return std::make_unique<SolverBatch>(start, params);
  };
}

GenerateConfig small(const std::string& out) {
  GenerateConfig c;
  c.out = out;
  c.sequences = 5;
  c.frames = 3;
  c.size = 16;
  c.seed = 9;
  c.threads = 2;
  c.noise = 1e-3;
  c.fft_plans = "estimate";
  c.physics.steps_per_frame = 10;
  return c;
}

TEST(GenerateBatched, WritesTheSameSequencesAsOneSolverPerThread) {
  test::ScratchDir dir("pipeline-batched");
  GenerateConfig c = small(dir.file("threads.h5"));
  generate(c);
  c.out = dir.file("batched.h5");
  c.solver = "torch";
  c.batch = 2;
  std::vector<int> sizes;
  const GenerateSummary summary = generate(c, solver_batches(&sizes));
  EXPECT_TRUE(summary.finished);
  EXPECT_EQ(sizes, (std::vector<int>{2, 2, 1}));

  const io::DatasetReader a(dir.file("threads.h5")), b(c.out);
  Json record = Json::parse(b.info().config_json);
  EXPECT_EQ(record["generate"]["solver"], "torch");
  record["generate"].erase("solver");
  record["generate"].erase("device");
  EXPECT_EQ(record, Json::parse(a.info().config_json)) << "the batch size is not recorded";
  for (int s = 0; s < c.sequences; ++s) {
    EXPECT_EQ(a.meta(s).seed, b.meta(s).seed) << s;
    EXPECT_EQ(a.meta(s).eta, b.meta(s).eta) << s;
    EXPECT_EQ(a.meta(s).mean_phi, b.meta(s).mean_phi) << s;
    for (int t = 0; t < c.frames; ++t) EXPECT_EQ(a.read_frame(s, t), b.read_frame(s, t)) << s;
    const auto ea = a.energies(s), eb = b.energies(s);
    for (std::size_t t = 0; t < ea.size(); ++t) EXPECT_EQ(ea[t].total, eb[t].total) << s;
  }
}

TEST(GenerateBatched, ResumesAPartialBatchedRun) {
  test::ScratchDir dir("pipeline-batched-resume");
  GenerateConfig c = small(dir.file("d.h5"));
  c.solver = "torch";
  c.batch = 2;
  c.max_new_sequences = 3;
  std::vector<int> sizes;
  EXPECT_FALSE(generate(c, solver_batches(&sizes)).finished);
  c.max_new_sequences = 0;
  c.resume = true;
  c.batch = 3;  // run control: a resume may change it
  const GenerateSummary s = generate(c, solver_batches(&sizes));
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(s.sequences_already_complete, 3);
  EXPECT_EQ(sizes, (std::vector<int>{2, 1, 2}));
}

TEST(GenerateBatched, RefusesTorchWithoutASolverAndFftwOnCuda) {
  test::ScratchDir dir("pipeline-batched-bad");
  GenerateConfig c = small(dir.file("d.h5"));
  c.solver = "torch";
  try {
    generate(c);
    FAIL() << "solver torch without a batch solver should be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("LibTorch"), std::string::npos) << e.what();
  }
  c.solver = "fftw";
  c.device = "cuda";
  EXPECT_THROW(generate(c), Error);
  c.solver = "torch";
  c.batch = 0;
  EXPECT_THROW(c.validate(), Error);
  EXPECT_FALSE(std::filesystem::exists(c.out));
  EXPECT_FALSE(std::filesystem::exists(io::partial_path(c.out)));
}

TEST(GenerateBatched, TheRecordNamesTheTorchSolverButNotTheBatch) {
  GenerateConfig c = small("d.h5");
  EXPECT_FALSE(c.to_json()["generate"].contains("solver"));  // FFTW records stay as they were
  EXPECT_FALSE(c.to_json()["generate"].contains("device"));
  c.solver = "torch";
  c.device = "cuda";
  const Json g = c.to_json()["generate"];
  EXPECT_EQ(g["solver"], "torch");
  EXPECT_EQ(g["device"], "cuda");
  EXPECT_EQ(GenerateConfig::from_json(c.to_json()).to_json(), c.to_json());
}

}  // namespace
}  // namespace csd::pipeline
