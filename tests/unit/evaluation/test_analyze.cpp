// analyze_dataset: per-frame descriptors of a dataset, their ensemble quartiles, summary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "csd/analysis/descriptors.h"
#include "csd/core/error.h"
#include "csd/evaluation/analyze.h"
#include "csd/io/dataset.h"
#include "eval_fixtures.h"

namespace csd::evaluation {
namespace {

using test::read_csv;
using test::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AnalyzeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("analyze");
    pipeline::generate(test::small_generate_config(*dir_ / "solver.h5", 3, 4));
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string data() { return *dir_ / "solver.h5"; }
  static TempDir* dir_;
};
TempDir* AnalyzeTest::dir_ = nullptr;

TEST_F(AnalyzeTest, FramesCsvHoldsTheAnalysisDescriptorsOfEveryFrame) {
  AnalyzeOptions o;
  o.input = data();
  o.out = *dir_ / "out";
  o.threads = 2;
  const AnalyzeSummary s = analyze_dataset(o);
  EXPECT_EQ(s.sequences, 3);
  EXPECT_EQ(s.frames, 4);

  const test::Table t = read_csv(s.frames_csv);
  ASSERT_EQ(t.rows.size(), 12u);
  std::vector<std::string> expected{"sequence", "frame", "time", "eta"};
  for (const auto& name : frame_descriptor_names()) expected.push_back(name);
  EXPECT_EQ(t.header, expected);

  const io::DatasetReader reader(data());
  const analysis::FrameAnalyzer analyzer(32, reader.info().physics);
  const double tau = reader.info().physics.frame_time();
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    const int seq = static_cast<int>(t.at(row, "sequence"));
    const int frame = static_cast<int>(t.at(row, "frame"));
    EXPECT_EQ(seq, static_cast<int>(row) / 4);
    EXPECT_EQ(frame, static_cast<int>(row) % 4);
    EXPECT_DOUBLE_EQ(t.at(row, "time"), frame * tau);
    const io::SequenceMeta meta = reader.meta(seq);
    EXPECT_DOUBLE_EQ(t.at(row, "eta"), meta.eta);
    // Mass conservation of the solver shows in the per-frame mean.
    EXPECT_NEAR(t.at(row, "mean_phi"), meta.mean_phi, 1e-6);

    const std::vector<float> phi = reader.read_frame(seq, frame);
    const analysis::FrameDescriptors d = analyzer(phi.data(), meta.eta);
    EXPECT_NEAR(t.at(row, "f"), d.energies.f, 1e-12 * std::abs(d.energies.f));
    EXPECT_NEAR(t.at(row, "rho"), d.energies.rho, 1e-12 * std::abs(d.energies.rho) + 1e-300);
    EXPECT_NEAR(t.at(row, "interface_length"), 2 * d.energies.w, 1e-12);
    EXPECT_NEAR(t.at(row, "isotropy"), d.isotropy, 1e-12);
    if (std::isnan(d.fractal_dimension))
      EXPECT_TRUE(std::isnan(t.at(row, "fractal_dimension")));
    else
      EXPECT_NEAR(t.at(row, "fractal_dimension"), d.fractal_dimension, 1e-12);
    EXPECT_FLOAT_EQ(t.at(row, "min_phi"), *std::min_element(phi.begin(), phi.end()));
    EXPECT_FLOAT_EQ(t.at(row, "max_phi"), *std::max_element(phi.begin(), phi.end()));
    // Recomputed from float32 frames, the energies match those the solver stored.
    const physics::Energies stored = reader.energies(seq)[frame];
    EXPECT_NEAR(t.at(row, "total"), stored.total, 1e-5 * std::abs(stored.total) + 1e-9);
    EXPECT_NEAR(t.at(row, "w"), stored.w, 1e-5 * std::abs(stored.w) + 1e-9);
  }
}

TEST_F(AnalyzeTest, EnsembleCsvHoldsMedianAndQuartilesOverSequences) {
  AnalyzeOptions o;
  o.input = data();
  o.out = *dir_ / "ensemble";
  const AnalyzeSummary s = analyze_dataset(o);
  const test::Table frames = read_csv(s.frames_csv);
  const test::Table ens = read_csv(s.ensemble_csv);
  ASSERT_EQ(ens.rows.size(), 4u);
  for (int j = 0; j < 4; ++j) {
    EXPECT_EQ(ens.at(j, "frame"), j);
    EXPECT_EQ(ens.at(j, "count"), 3);
    for (const std::string name : {"f", "interface_length", "rho"}) {
      std::vector<double> v;
      for (int seq = 0; seq < 3; ++seq) v.push_back(frames.at(seq * 4 + j, name));
      std::sort(v.begin(), v.end());
      // Three values: median = middle one, q1/q3 halfway to the extremes (numpy 'linear').
      EXPECT_DOUBLE_EQ(ens.at(j, name + "_median"), v[1]);
      EXPECT_DOUBLE_EQ(ens.at(j, name + "_q1"), 0.5 * (v[0] + v[1]));
      EXPECT_DOUBLE_EQ(ens.at(j, name + "_q3"), 0.5 * (v[1] + v[2]));
    }
  }
  // The free energy F decreases in every sequence, so its median does too.
  for (int j = 1; j < 4; ++j) EXPECT_LT(ens.at(j, "total_median"), ens.at(j - 1, "total_median"));

  const Json summary = test::read_json(s.summary_json);
  EXPECT_EQ(summary["sequences"], 3);
  EXPECT_EQ(summary["frames"], 4);
  EXPECT_EQ(summary["size"], 32);
  EXPECT_EQ(summary["source"], "solver");
  EXPECT_DOUBLE_EQ(summary["last_frame"]["f"]["median"].get<double>(), ens.at(3, "f_median"));
  EXPECT_EQ(summary["config"]["analyze"]["input"], data());
}

TEST_F(AnalyzeTest, LimitsSelectTheFirstSequencesAndFrames) {
  AnalyzeOptions o;
  o.input = data();
  o.out = *dir_ / "limited";
  o.max_sequences = 2;
  o.max_frames = 3;
  const AnalyzeSummary s = analyze_dataset(o);
  EXPECT_EQ(read_csv(s.frames_csv).rows.size(), 6u);
  EXPECT_EQ(read_csv(s.ensemble_csv).rows.size(), 3u);
}

TEST_F(AnalyzeTest, ResultsDoNotDependOnTheThreadCount) {
  AnalyzeOptions o;
  o.input = data();
  o.out = *dir_ / "one";
  o.threads = 1;
  const std::string one = slurp(analyze_dataset(o).frames_csv);
  o.out = *dir_ / "three";
  o.threads = 3;
  EXPECT_EQ(slurp(analyze_dataset(o).frames_csv), one);
}

TEST_F(AnalyzeTest, MissingInputIsAClearError) {
  AnalyzeOptions o;
  o.input = *dir_ / "nope.h5";
  o.out = *dir_ / "nope";
  EXPECT_THROW(analyze_dataset(o), Error);
  o.input.clear();
  EXPECT_THROW(analyze_dataset(o), Error);
}

TEST(AnalyzeOptions, JsonRoundTripAndUnknownKeys) {
  AnalyzeOptions o;
  o.input = "a.h5";
  o.out = "dir";
  o.threads = 3;
  o.max_frames = 7;
  o.fit_start = 100;
  o.fit_confidence = 0.99;
  const AnalyzeOptions back = AnalyzeOptions::from_json(o.to_json());
  EXPECT_EQ(back.fit_start, 100);
  EXPECT_EQ(back.fit_end, 0);
  EXPECT_EQ(back.fit_confidence, 0.99);
  EXPECT_EQ(back.input, "a.h5");
  EXPECT_EQ(back.out, "dir");
  EXPECT_EQ(back.threads, 3);
  EXPECT_EQ(back.max_frames, 7);
  EXPECT_THROW(AnalyzeOptions::from_json(Json{{"analyze", {{"treads", 2}}}}), Error);
}

}  // namespace
}  // namespace csd::evaluation
