#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "cli_runner.h"
#include "csd/core/error.h"
#include "csd/core/parallel.h"
#include "csd/io/dataset.h"
#include "csd/physics/energy.h"
#include "csd/physics/solver.h"
#include "csd/init/initial_conditions.h"
#include "csd/pipeline/generate.h"

namespace csd::pipeline {
namespace {

GenerateConfig tiny(const std::string& out) {
  GenerateConfig c;
  c.out = out;
  c.sequences = 3;
  c.frames = 3;
  c.size = 16;
  c.seed = 42;
  c.threads = 2;
  c.physics.steps_per_frame = 10;
  return c;
}

TEST(DrawSequence, DependsOnlyOnSeedAndIndexAndRespectsRanges) {
  GenerateConfig c = tiny("unused.h5");
  c.eta_range = {0.002, 0.004};
  c.mean_phi_range = {0.3, 0.4};
  for (int i = 0; i < 200; ++i) {
    const SequenceSetup s = draw_sequence(c, i);
    EXPECT_GE(s.eta, 0.002);
    EXPECT_LE(s.eta, 0.004);
    EXPECT_GE(s.mean_phi, 0.3);
    EXPECT_LE(s.mean_phi, 0.4);
    EXPECT_GE(s.amplitude, 0.0);
    EXPECT_NE(s.noise_seed, s.field_seed);
    EXPECT_EQ(draw_sequence(c, i).field_seed, s.field_seed);
  }
  EXPECT_NE(draw_sequence(c, 0).field_seed, draw_sequence(c, 1).field_seed);
}

TEST(DrawSequence, AmplitudeFollowsHalfNormalWithStd01) {
  GenerateConfig c = tiny("unused.h5");
  double sum_sq = 0;
  const int count = 20000;
  for (int i = 0; i < count; ++i) sum_sq += std::pow(draw_sequence(c, i).amplitude, 2);
  // E[A²] = σ² for A = |N(0, σ²)|.
  EXPECT_NEAR(std::sqrt(sum_sq / count), 0.1, 0.003);
}

TEST(DrawSequence, FixingOneParameterKeepsTheOthers) {
  GenerateConfig c = tiny("unused.h5");
  GenerateConfig fixed = c;
  fixed.eta = 0.006;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(draw_sequence(fixed, i).eta, 0.006);
    EXPECT_EQ(draw_sequence(fixed, i).mean_phi, draw_sequence(c, i).mean_phi);
    EXPECT_EQ(draw_sequence(fixed, i).field_seed, draw_sequence(c, i).field_seed);
  }
}

TEST(Generate, SequencesMatchADirectSolverRun) {
  test::ScratchDir dir("pipeline");
  GenerateConfig c = tiny(dir.file("d.h5"));
  const GenerateSummary summary = generate(c);
  EXPECT_TRUE(summary.finished);
  EXPECT_EQ(summary.sequences_written, 3);
  const io::DatasetReader reader(c.out);
  for (int i = 0; i < c.sequences; ++i) {
    const SequenceSetup s = draw_sequence(c, i);
    init::PerlinOptions o;
    o.mean_phi = s.mean_phi;
    o.amplitude = s.amplitude;
    o.seed = s.field_seed;
    physics::Solver solver(init::perlin_field(c.size, o), s.eta, c.physics);
    solver.advance_frame();
    solver.advance_frame();
    const std::vector<float> last = reader.read_frame(i, 2);
    for (int k = 0; k < c.size * c.size; ++k)
      ASSERT_EQ(last[k], static_cast<float>(solver.phi().data()[k])) << "sequence " << i;
    const io::SequenceMeta meta = reader.meta(i);
    EXPECT_EQ(meta.eta, s.eta);
    EXPECT_NEAR(meta.mean_phi, s.mean_phi, 1e-12);
    const auto energies = reader.energies(i);
    ASSERT_EQ(energies.size(), 3u);
    const physics::Energies e = physics::EnergyCalculator(c.size, c.physics)(solver.phi(), s.eta);
    EXPECT_NEAR(energies[2].total, e.total, 1e-12 * std::abs(e.total) + 1e-15);
  }
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(Generate, TheWriterThreadWritesTheSameFile) {
  // One solver thread leaves a core to the writer thread; as many solver threads as
  // cores compress in the workers. The files must not differ by a byte.
  const int cores = resolve_threads(0);
  if (cores < 2) GTEST_SKIP() << "one core: generate never starts a writer thread here";
  test::ScratchDir dir("pipeline-writer-thread");
  GenerateConfig c = tiny(dir.file("writer-thread.h5"));
  c.sequences = 5;
  c.threads = 1;
  const GenerateSummary threaded = generate(c);
  EXPECT_TRUE(threaded.finished);
  EXPECT_TRUE(threaded.writer_thread);
  GenerateConfig inline_writes = c;
  inline_writes.out = dir.file("inline.h5");
  inline_writes.threads = cores;
  const GenerateSummary in_workers = generate(inline_writes);
  EXPECT_TRUE(in_workers.finished);
  EXPECT_FALSE(in_workers.writer_thread);
  const std::string a = file_bytes(c.out), b = file_bytes(inline_writes.out);
  ASSERT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == b) << "the writer thread changed the file";
  const io::DatasetReader reader(c.out);
  for (int i = 0; i < c.sequences; ++i) EXPECT_TRUE(reader.completed()[static_cast<std::size_t>(i)]);
}

TEST(Generate, PartialRunsCountWhatIsCompleteNotWhatWasNotScheduled) {
  test::ScratchDir dir("pipeline-partial");
  GenerateConfig c = tiny(dir.file("d.h5"));
  c.max_new_sequences = 1;
  GenerateSummary s = generate(c);  // a fresh file: nothing was complete before
  EXPECT_FALSE(s.finished);
  EXPECT_EQ(s.sequences_written, 1);
  EXPECT_EQ(s.sequences_already_complete, 0);
  EXPECT_EQ(s.sequences_left, 2);
  c.resume = true;
  s = generate(c);
  EXPECT_EQ(s.sequences_already_complete, 1);
  EXPECT_EQ(s.sequences_left, 1);
  c.max_new_sequences = 0;
  s = generate(c);
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(s.sequences_already_complete, 2);
  EXPECT_EQ(s.sequences_written, 1);
  EXPECT_EQ(s.sequences_left, 0);
}

TEST(Generate, InvalidConfigsAreRejectedBeforeAnyFileIsWritten) {
  test::ScratchDir dir("pipeline-bad");
  GenerateConfig c = tiny(dir.file("d.h5"));
  c.frames = 0;
  EXPECT_THROW(generate(c), Error);
  c = tiny(dir.file("d.h5"));
  c.mean_phi_range = {0.8, 0.2};
  EXPECT_THROW(generate(c), Error);
  c = tiny(dir.file("d.h5"));
  c.resume = c.overwrite = true;
  EXPECT_THROW(generate(c), Error);
  EXPECT_FALSE(std::filesystem::exists(c.out));
  EXPECT_FALSE(std::filesystem::exists(io::partial_path(c.out)));
}

TEST(GenerateConfig, JsonRoundTripAndUnknownKeys) {
  GenerateConfig c = tiny("x.h5");
  c.eta = 0.003;
  c.physics.dt = 0.005;
  const GenerateConfig back = GenerateConfig::from_json(c.to_json());
  EXPECT_EQ(back.out, "x.h5");
  EXPECT_EQ(back.eta, 0.003);
  EXPECT_EQ(back.physics.dt, 0.005);
  EXPECT_EQ(back.sequences, c.sequences);
  EXPECT_EQ(back.size, c.size);
  // A hand-written config sets exactly the fields it names.
  const GenerateConfig read = GenerateConfig::from_json(Json::parse(R"({
    "generate": {"out": "y.h5", "sequences": 3, "frames": 7, "size": 24, "eta": 0.002,
                 "mean_phi_range": [0.3, 0.6], "seed": 5, "init": "radial"},
    "physics": {"steps_per_frame": 20, "epsilon": 4.0}})"));
  EXPECT_EQ(read.out, "y.h5");
  EXPECT_EQ(read.sequences, 3);
  EXPECT_EQ(read.frames, 7);
  EXPECT_EQ(read.size, 24);
  EXPECT_EQ(read.eta, 0.002);
  EXPECT_EQ(read.mean_phi_range[0], 0.3);
  EXPECT_EQ(read.mean_phi_range[1], 0.6);
  EXPECT_EQ(read.seed, 5u);
  EXPECT_EQ(read.init, "radial");
  EXPECT_EQ(read.physics.steps_per_frame, 20);
  EXPECT_EQ(read.physics.epsilon, 4.0);
  EXPECT_EQ(read.physics.dt, physics::Params().dt) << "unnamed keys keep defaults";
  EXPECT_THROW(GenerateConfig::from_json(Json::parse(R"({"generate": {"sequencs": 2}})")), Error);
  EXPECT_THROW(GenerateConfig::from_json(Json::parse(R"({"physics": {"dtt": 2}})")), Error);
}

}  // namespace
}  // namespace csd::pipeline

namespace csd::pipeline {
namespace {

// The record names the options in effect only, spelled out by hand: a resume compares
// it with the file's, so its keys must not drift.
TEST(GenerateConfig, TheRecordHoldsTheOptionsInEffect) {
  GenerateConfig c;
  c.out = "d.h5";
  c.eta = 0.004;
  c.init = "radial";
  const Json expected = Json::parse(R"({
    "out": "d.h5", "sequences": 4, "frames": 100, "size": 128, "eta": 0.004,
    "mean_phi_range": [0.2, 0.8], "amplitude_std": 0.1, "feature_size": 16.0, "seed": 0,
    "noise": 0.0, "threads": 0, "init": "radial", "radial_centre": 0.6, "radial_edge": 0.3,
    "fft_plans": "wisdom", "png_every": 0, "png_sequences": 4})");
  EXPECT_EQ(c.to_json()["generate"], expected) << c.to_json()["generate"].dump();

  c.eta.reset();
  c.amplitude = 0.05;
  c.init = "file";
  c.init_from = "f.h5";
  c.max_new_sequences = 3;
  const Json g = c.to_json()["generate"];
  EXPECT_EQ(g["eta_range"], Json::parse("[0.0, 0.012]"));
  EXPECT_EQ(g["amplitude"], 0.05);
  EXPECT_FALSE(g.contains("eta") || g.contains("amplitude_std") || g.contains("radial_centre"));
  EXPECT_EQ(g["init_from"], "f.h5");
  EXPECT_EQ(g["init_dataset"], "phi");
  EXPECT_EQ(g["init_index"], 0);
  EXPECT_EQ(g["max_new_sequences"], 3);
  EXPECT_FALSE(g.contains("resume") || g.contains("overwrite"));
}

}  // namespace
}  // namespace csd::pipeline
