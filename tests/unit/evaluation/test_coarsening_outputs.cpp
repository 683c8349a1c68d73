// The coarsening outputs of analyze and compare: per-frame L, S(k) at chosen frames, and
// the "coarsening" block of summary.json, on datasets whose L(t) is built to follow a
// known power law. Two Fourier modes, q_lo = 2π/32 and q_hi = 2π/4, mixed so that the
// first moment k₁ = 2π / L(t) exactly (analysis/structure_factor.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "csd/core/error.h"
#include "csd/evaluation/analyze.h"
#include "csd/evaluation/compare.h"
#include "eval_fixtures.h"
#include "error_capture.h"

namespace csd::evaluation {
namespace {

using test::TempDir;

constexpr int kN = 32, kFrames = 40;
constexpr double kPi = 3.14159265358979323846;

/// L(t) = 5 t^n (frame 0 as frame 1): between 5 and 17 up to t = 39, inside [4, 32].
double target_length(int t, double n) { return 5.0 * std::pow(std::max(t, 1), n); }

/// ½ + a_lo cos(q_lo (x + s)) + a_hi cos(q_hi y) with a_lo² + a_hi² = 2 · 0.04 and the
/// power shared so that k₁ = 2π / target_length: a share w of the power at q_hi gives
/// k₁ = (1 − w) q_lo + w q_hi.
float two_modes(int s, int t, int y, int x, double n) {
  const double q_lo = 2 * kPi / 32, q_hi = 2 * kPi / 4;
  const double w = (2 * kPi / target_length(t, n) - q_lo) / (q_hi - q_lo);
  const double a2 = 0.08;
  return static_cast<float>(0.5 + std::sqrt(a2 * (1 - w)) * std::cos(q_lo * (x + s)) +
                            std::sqrt(a2 * w) * std::cos(q_hi * y));
}

class CoarseningOutputsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("coarsening");
    test::write_dataset(*dir_ / "third.h5", 2, kFrames, kN, [](int s, int t, int y, int x) {
      return two_modes(s, t, y, x, 1.0 / 3.0);
    });
    test::write_dataset(*dir_ / "quarter.h5", 2, kFrames, kN, [](int s, int t, int y, int x) {
      return two_modes(s, t, y, x, 0.25);
    });
  }
  static void TearDownTestSuite() { delete dir_; }
  static AnalyzeOptions analyze_options(const std::string& out) {
    AnalyzeOptions o;
    o.input = *dir_ / "third.h5";
    o.out = *dir_ / out;
    o.threads = 2;
    return o;
  }
  static TempDir* dir_;
};
TempDir* CoarseningOutputsTest::dir_ = nullptr;

TEST_F(CoarseningOutputsTest, AnalyzeRecoversTheBuiltInExponentOverTheLastDecade) {
  const AnalyzeSummary s = analyze_dataset(analyze_options("auto"));
  ASSERT_TRUE(s.growth.has_value());
  EXPECT_NEAR(s.growth->exponent, 1.0 / 3.0, 1e-4);
  EXPECT_LT(s.growth->half_width, 1e-3);
  EXPECT_LE(s.growth->lower, 1.0 / 3.0 + 1e-4);
  // Default window: the last decade of time, frames [⌈39/10⌉, 39] = [4, 39] (τ = 1).
  const Json c = test::read_json(s.summary_json)["coarsening"];
  EXPECT_EQ(c["fit"]["start_frame"], 4);
  EXPECT_EQ(c["fit"]["end_frame"], 39);
  EXPECT_EQ(c["fit"]["automatic"], true);
  EXPECT_EQ(c["growth"]["points"], 36);
  EXPECT_NEAR(c["growth"]["n"].get<double>(), 1.0 / 3.0, 1e-4);
  EXPECT_NEAR(c["growth"]["prefactor"].get<double>(), 5.0, 1e-3);
  EXPECT_NEAR(c["growth"]["per_sequence"]["median"].get<double>(), 1.0 / 3.0, 1e-4);
  EXPECT_EQ(c["growth"]["per_sequence"]["fitted"], 2);

  // Per frame: L as built, domains along the axis (A huge).
  const test::Table frames = test::read_csv(s.frames_csv);
  for (std::size_t row = 0; row < frames.rows.size(); ++row) {
    const int t = static_cast<int>(frames.at(row, "frame"));
    EXPECT_NEAR(frames.at(row, "length"), target_length(t, 1.0 / 3.0), 1e-4 * target_length(t, 1.0 / 3.0));
    EXPECT_GT(frames.at(row, "anisotropy"), 1e3);
  }
}

TEST_F(CoarseningOutputsTest, StructureFactorCsvHoldsTheChosenFramesNormalised) {
  const AnalyzeSummary s = analyze_dataset(analyze_options("sk"));
  const test::Table sk = test::read_csv(s.structure_csv);
  EXPECT_EQ(sk.header, (std::vector<std::string>{"frame", "time", "shell", "q", "modes", "s"}));
  std::vector<int> frames;
  for (std::size_t row = 0; row < sk.rows.size(); ++row) {
    const int frame = static_cast<int>(sk.at(row, "frame"));
    if (frames.empty() || frames.back() != frame) frames.push_back(frame);
    // Circular average = shell power / modes in the shell: shell 1 holds the power
    // a_lo²/2 of mode (1, 0), shell 8 the power a_hi²/2 of mode (0, 8), the rest none.
    const int shell = static_cast<int>(sk.at(row, "shell"));
    const double l = target_length(frame, 1.0 / 3.0);
    const double w = (2 * kPi / l - 2 * kPi / 32) / (2 * kPi / 4 - 2 * kPi / 32);
    const double expected = shell == 1 ? 0.08 * (1 - w) / 2 / sk.at(row, "modes")
                            : shell == 8 ? 0.08 * w / 2 / sk.at(row, "modes")
                                         : 0.0;
    EXPECT_NEAR(sk.at(row, "s"), expected, 1e-7) << "frame " << frame << " shell " << shell;
    EXPECT_NEAR(sk.at(row, "q"), 2 * kPi * shell / kN, 1e-12);
  }
  EXPECT_EQ(frames, (std::vector<int>{1, 2, 5, 10, 20, 39}));
}

TEST_F(CoarseningOutputsTest, AChosenWindowIsFittedAndABadOneRefusedBeforeAnyOutput) {
  AnalyzeOptions o = analyze_options("window");
  o.fit_start = 10;
  o.fit_end = 20;
  o.fit_confidence = 0.9;
  const AnalyzeSummary s = analyze_dataset(o);
  ASSERT_TRUE(s.growth.has_value());
  EXPECT_EQ(s.growth->points, 11);
  EXPECT_NEAR(s.growth->exponent, 1.0 / 3.0, 1e-4);
  const Json fit = test::read_json(s.summary_json)["coarsening"]["fit"];
  EXPECT_EQ(fit["automatic"], false);
  EXPECT_EQ(fit["confidence"], 0.9);

  AnalyzeOptions beyond = analyze_options("beyond");
  beyond.fit_end = 60;
  EXPECT_TRUE(test::contains(test::error_of([&] { analyze_dataset(beyond); }),
                             "fit_end = 60 is beyond the last analysed frame 39"));
  AnalyzeOptions two = analyze_options("two");
  two.fit_start = 38;
  EXPECT_TRUE(test::contains(test::error_of([&] { analyze_dataset(two); }),
                             "holds 2 frames of the 40 analysed; it needs at least 3"));
  EXPECT_FALSE(std::filesystem::exists(beyond.out));
  EXPECT_FALSE(std::filesystem::exists(two.out));
  AnalyzeOptions narrow = analyze_options("narrow");
  narrow.fit_start = 5;
  narrow.fit_end = 6;
  EXPECT_TRUE(test::contains(test::error_of([&] { narrow.validate(); }), "fewer than 3 frames"));
  narrow.fit_end = 0;
  narrow.fit_confidence = 1.5;
  EXPECT_TRUE(test::contains(test::error_of([&] { narrow.validate(); }), "fit_confidence"));
}

TEST_F(CoarseningOutputsTest, AShortRunSkipsTheDefaultFitAndSaysWhy) {
  test::write_dataset(*dir_ / "short.h5", 1, 3, kN,
                      [](int s, int t, int y, int x) { return two_modes(s, t, y, x, 0.3); });
  AnalyzeOptions o = analyze_options("short");
  o.input = *dir_ / "short.h5";
  const AnalyzeSummary s = analyze_dataset(o);
  EXPECT_FALSE(s.growth.has_value());
  const Json growth = test::read_json(s.summary_json)["coarsening"]["growth"];
  EXPECT_TRUE(growth["n"].is_null());
  EXPECT_TRUE(test::contains(growth["reason"].get<std::string>(), "fewer than 3 frames"));
}

TEST_F(CoarseningOutputsTest, CompareFitsBothSourcesAndTakesTheLengthRatioAtTheHorizons) {
  CompareOptions o;
  o.prediction = *dir_ / "quarter.h5";
  o.reference = *dir_ / "third.h5";
  o.out = *dir_ / "compare";
  o.prediction_label = "surrogate";
  o.reference_label = "solver";
  o.threads = 2;
  o.horizon = 3;
  o.snapshot_sequences = 0;
  const CompareSummary s = compare_datasets(o);
  ASSERT_TRUE(s.coarsening.growth_a && s.coarsening.growth_b);
  EXPECT_NEAR(s.coarsening.growth_a->exponent, 0.25, 1e-4);
  EXPECT_NEAR(s.coarsening.growth_b->exponent, 1.0 / 3.0, 1e-4);

  const Json c = test::read_json(s.summary_json)["coarsening"];
  EXPECT_EQ(c["prediction"]["label"], "surrogate");
  EXPECT_EQ(c["reference"]["label"], "solver");
  EXPECT_NEAR(c["prediction"]["n"].get<double>(), 0.25, 1e-4);
  EXPECT_NEAR(c["reference"]["n"].get<double>(), 1.0 / 3.0, 1e-4);
  const auto& interval = c["reference"]["interval"];
  EXPECT_LT(interval[0].get<double>(), interval[1].get<double>());
  // L_A / L_B = t^(1/4 − 1/3) at H = 3, 5H = 15, 10H = 30 and the last frame, 39.
  ASSERT_EQ(c["length_ratio"].size(), 4u);
  const std::vector<std::pair<std::string, int>> expected{{"H", 3}, {"5H", 15}, {"10H", 30},
                                                          {"last", 39}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Json& r = c["length_ratio"][i];
    EXPECT_EQ(r["label"], expected[i].first);
    EXPECT_EQ(r["frame"], expected[i].second);
    EXPECT_NEAR(r["ratio"].get<double>(), std::pow(expected[i].second, 0.25 - 1.0 / 3.0), 1e-4);
    EXPECT_NEAR(r["length_b"].get<double>(), target_length(expected[i].second, 1.0 / 3.0), 1e-3);
    EXPECT_GT(r["f_mean_b"].get<double>(), 0.0);
  }
  // S(k) of both at 1, 2, 3 (H), 5, 10, 15 (5H), 20, 30 (10H) and 39.
  const test::Table sk = test::read_csv(s.structure_csv);
  EXPECT_EQ(sk.header,
            (std::vector<std::string>{"frame", "time", "shell", "q", "modes", "s_a", "s_b"}));
  std::vector<int> frames;
  for (std::size_t row = 0; row < sk.rows.size(); ++row)
    if (frames.empty() || frames.back() != sk.at(row, "frame"))
      frames.push_back(static_cast<int>(sk.at(row, "frame")));
  EXPECT_EQ(frames, (std::vector<int>{1, 2, 3, 5, 10, 15, 20, 30, 39}));
  // Per frame: both sides' L in per_sequence.csv.
  const test::Table rows = test::read_csv(s.per_sequence_csv);
  EXPECT_GE(rows.column("length_a"), 0);
  EXPECT_GE(rows.column("domains_b"), 0);
}

}  // namespace
}  // namespace csd::evaluation
