// The header line of every CSV table that analyze and compare write, and the keys of their
// summary.json, spelled out by hand: scripts/plots.py and users' notebooks read them by name
// and position.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "csd/evaluation/analyze.h"
#include "csd/evaluation/compare.h"
#include "eval_fixtures.h"

namespace csd::evaluation {
namespace {

using test::TempDir;

constexpr int kN = 16;

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

/// The keys of a JSON object.
std::set<std::string> keys(const Json& object) {
  std::set<std::string> names;
  for (const auto& item : object.items()) names.insert(item.key());
  return names;
}

std::string joined(const std::vector<std::string>& columns) {
  std::string line;
  for (const auto& c : columns) line += (line.empty() ? "" : ",") + c;
  return line;
}

/// <q>_median, <q>_q1, <q>_q3 for each q, after frame, time, count.
std::vector<std::string> ensemble_header(const std::vector<std::string>& quantities) {
  std::vector<std::string> columns{"frame", "time", "count"};
  for (const auto& q : quantities)
    for (const char* stat : {"_median", "_q1", "_q3"}) columns.push_back(q + stat);
  return columns;
}

class OutputColumnsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("output_columns");
    test::write_dataset(*dir_ / "data.h5", 2, 2, kN,
                        [](int s, int t, int y, int x) { return test::stripes(s, t, y, x, kN); });
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
};
TempDir* OutputColumnsTest::dir_ = nullptr;

const std::vector<std::string> kCompareQuantities{
    "mae",
    "mae_persistence",
    "interface_error",
    "f_a",
    "f_b",
    "w_a",
    "w_b",
    "rho_a",
    "rho_b",
    "total_a",
    "total_b",
    "interface_length_a",
    "interface_length_b",
    "isotropy_a",
    "isotropy_b",
    "fractal_dimension_a",
    "fractal_dimension_b",
    "length_a",
    "length_b",
    "anisotropy_a",
    "anisotropy_b",
    "euler_a",
    "euler_b",
    "domains_a",
    "domains_b",
    "near_grid_rms_a",
    "near_grid_rms_b",
    "phi_min_a",
    "phi_max_a",
    "outside_a",
    "far_outside_a"};

const std::vector<std::string> kAnalyzeQuantities{
    "mean_phi", "f",        "w",                 "rho",     "grad",   "total",
    "interface_length", "isotropy", "fractal_dimension", "min_phi", "max_phi",
    "length", "k1", "k2", "anisotropy", "euler", "domains"};

const std::set<std::string> kFitKeys{"start_frame", "end_frame", "start_time", "end_time",
                                     "frames", "automatic", "confidence"};

TEST_F(OutputColumnsTest, CompareTablesAndSummaryKeepTheirColumns) {
  CompareOptions o;
  o.prediction = o.reference = *dir_ / "data.h5";
  o.out = *dir_ / "compare";
  o.snapshot_sequences = 0;
  o.horizon = 1;
  o.headline_frame = 1;
  const CompareSummary s = compare_datasets(o);

  std::vector<std::string> per{"sequence", "frame", "time", "eta", "mean_phi"};
  per.insert(per.end(), kCompareQuantities.begin(), kCompareQuantities.end());
  EXPECT_EQ(first_line(s.per_sequence_csv), joined(per));
  EXPECT_EQ(first_line(s.ensemble_csv), joined(ensemble_header(kCompareQuantities)));
  // The public name lists describe the same columns.
  EXPECT_EQ(compare_descriptor_names(),
            (std::vector<std::string>{"f", "w", "rho", "total", "interface_length", "isotropy",
                                      "fractal_dimension", "length", "anisotropy", "euler",
                                      "domains"}));
  EXPECT_EQ(pair_extra_names(),
            (std::vector<std::string>(kCompareQuantities.end() - 6, kCompareQuantities.end())));

  const Json summary = test::read_json(s.summary_json);
  EXPECT_EQ(keys(summary),
            (std::set<std::string>{"kind", "prediction", "reference", "sequences", "frames", "size",
                                   "tau", "physics", "checks", "headline_frame", "last_frame",
                                   "headline", "horizon", "phi_range", "coarsening",
                                   "seconds_per_frame", "seconds", "snapshots", "config",
                                   "extra"}));
  std::set<std::string> figures{"frame", "time"};
  figures.insert(kCompareQuantities.begin(), kCompareQuantities.end());
  EXPECT_EQ(keys(summary["last_frame"]), figures);
  EXPECT_EQ(keys(summary["headline_frame"]), figures);
  EXPECT_EQ(keys(summary["last_frame"]["interface_error"]),
            (std::set<std::string>{"median", "q1", "q3", "iqr"}));
  EXPECT_EQ(keys(summary["headline"]),
            (std::set<std::string>{"mae_median_last", "mae_persistence_median_last", "mae_iqr_last",
                                   "interface_error_median_last", "interface_error_iqr_last",
                                   "mae_median_at_1", "mae_iqr_at_1", "mae_persistence_median_at_1",
                                   "interface_error_median_at_1", "interface_error_iqr_at_1"}));
  ASSERT_EQ(summary["horizon"]["points"].size(), 1u);
  EXPECT_EQ(keys(summary["horizon"]["points"][0]),
            (std::set<std::string>{"multiple", "label", "frame", "time", "mae_median",
                                   "mae_persistence_median", "mae_ratio", "interface_error_median",
                                   "f_mean_a", "f_mean_b", "f_relative_difference",
                                   "near_grid_rms_median_a", "near_grid_rms_median_b",
                                   "near_grid_rms_ratio", "phi_min_a", "phi_max_a",
                                   "inside_fraction_a", "far_outside_count_a"}));
  EXPECT_EQ(keys(summary["phi_range"]),
            (std::set<std::string>{"min_a", "max_a", "outside_fraction_a", "far_outside_count_a",
                                   "range", "far_range"}));
  EXPECT_EQ(keys(summary["coarsening"]),
            (std::set<std::string>{"fit", "prediction", "reference", "length_ratio",
                                   "structure_frames"}));
  EXPECT_EQ(keys(summary["coarsening"]["fit"]), kFitKeys);
  ASSERT_EQ(summary["coarsening"]["length_ratio"].size(), 1u);  // H = 1, also the last frame
  EXPECT_EQ(keys(summary["coarsening"]["length_ratio"][0]),
            (std::set<std::string>{"label", "frame", "time", "length_a", "length_b", "ratio",
                                   "f_mean_a", "f_mean_b"}));
  // Two frames leave one frame in the default window: no fit, and the reason.
  EXPECT_EQ(keys(summary["coarsening"]["prediction"]),
            (std::set<std::string>{"n", "reason", "label"}));
  EXPECT_EQ(first_line(s.structure_csv), "frame,time,shell,q,modes,s_a,s_b");
}

TEST_F(OutputColumnsTest, AnalyzeTablesAndSummaryKeepTheirColumns) {
  AnalyzeOptions o;
  o.input = *dir_ / "data.h5";
  o.out = *dir_ / "analyze";
  const AnalyzeSummary s = analyze_dataset(o);

  std::vector<std::string> frames{"sequence", "frame", "time", "eta"};
  frames.insert(frames.end(), kAnalyzeQuantities.begin(), kAnalyzeQuantities.end());
  EXPECT_EQ(first_line(s.frames_csv), joined(frames));
  EXPECT_EQ(first_line(s.ensemble_csv), joined(ensemble_header(kAnalyzeQuantities)));
  EXPECT_EQ(frame_descriptor_names(), kAnalyzeQuantities);

  const Json summary = test::read_json(s.summary_json);
  EXPECT_EQ(keys(summary),
            (std::set<std::string>{"kind", "input", "source", "sequences", "skipped_sequences",
                                   "frames", "size", "tau", "physics", "noise", "seconds",
                                   "threads", "config", "first_frame", "last_frame",
                                   "coarsening"}));
  EXPECT_EQ(keys(summary["coarsening"]), (std::set<std::string>{"fit", "growth", "structure_frames"}));
  EXPECT_EQ(keys(summary["coarsening"]["fit"]), kFitKeys);
  EXPECT_EQ(first_line(s.structure_csv), "frame,time,shell,q,modes,s");
  std::set<std::string> figures{"frame", "time"};
  figures.insert(kAnalyzeQuantities.begin(), kAnalyzeQuantities.end());
  EXPECT_EQ(keys(summary["first_frame"]), figures);
  EXPECT_EQ(keys(summary["last_frame"]), figures);
}

}  // namespace
}  // namespace csd::evaluation
