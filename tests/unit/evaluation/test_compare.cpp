// compare_datasets: preconditions, per-frame errors, ensemble statistics and outputs.
#include <gtest/gtest.h>

#include <cmath>

#include "csd/analysis/metrics.h"
#include "csd/core/error.h"
#include "csd/evaluation/compare.h"
#include "csd/io/fs.h"
#include "csd/io/image.h"
#include "eval_fixtures.h"

namespace csd::evaluation {
namespace {

using test::read_csv;
using test::TempDir;

constexpr int kN = 32;

float reference_field(int s, int t, int y, int x) { return test::stripes(s, t, y, x, kN); }

/// The reference shifted by `offset` after frame 0 (same initial fields).
test::FieldFunction shifted(float offset) {
  return [offset](int s, int t, int y, int x) {
    return reference_field(s, t, y, x) + (t > 0 ? offset : 0.0f);
  };
}

/// Expects compare_datasets to throw a csd::Error whose message contains `text`.
void expect_error(const CompareOptions& o, const std::string& text) {
  try {
    compare_datasets(o);
    ADD_FAILURE() << "no error; expected one containing '" << text << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

class CompareTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("compare");
    test::write_dataset(*dir_ / "ref.h5", 3, 5, kN, reference_field);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string ref() { return *dir_ / "ref.h5"; }
  static CompareOptions options(const std::string& prediction, const std::string& out) {
    CompareOptions o;
    o.prediction = prediction;
    o.reference = ref();
    o.out = *dir_ / out;
    o.threads = 2;
    return o;
  }
  static TempDir* dir_;
};
TempDir* CompareTest::dir_ = nullptr;

TEST_F(CompareTest, ADatasetAgainstItselfHasZeroError) {
  CompareOptions o = options(ref(), "self");
  o.headline_frame = 2;
  o.snapshot_sequences = 2;
  const CompareSummary s = compare_datasets(o);
  EXPECT_EQ(s.sequences, 3);
  EXPECT_EQ(s.frames, 5);
  EXPECT_EQ(s.initial_max_abs_diff, 0.0);
  EXPECT_EQ(s.last.mae.median, 0.0);
  EXPECT_EQ(s.last.mae.q3, 0.0);
  EXPECT_EQ(s.last.interface_error.median, 0.0);
  ASSERT_TRUE(s.at_headline.has_value());
  EXPECT_EQ(s.at_headline->frame, 2);
  EXPECT_EQ(s.at_headline->mae.median, 0.0);

  const test::Table per = read_csv(s.per_sequence_csv);
  ASSERT_EQ(per.rows.size(), 15u);
  for (std::size_t r = 0; r < per.rows.size(); ++r) {
    EXPECT_EQ(per.at(r, "mae"), 0.0);
    EXPECT_EQ(per.at(r, "interface_error"), 0.0);
    for (const auto& d : compare_descriptor_names())
      if (!std::isnan(per.at(r, d + "_b"))) EXPECT_EQ(per.at(r, d + "_a"), per.at(r, d + "_b"));
  }
  const test::Table ens = read_csv(s.ensemble_csv);
  ASSERT_EQ(ens.rows.size(), 5u);
  EXPECT_EQ(ens.at(4, "f_a_median"), ens.at(4, "f_b_median"));

  const Json summary = test::read_json(s.summary_json);
  EXPECT_EQ(summary["headline"]["mae_median_last"], 0.0);
  EXPECT_EQ(summary["headline"]["mae_median_at_2"], 0.0);
  EXPECT_EQ(summary["sequences"], 3);
  EXPECT_TRUE(summary["seconds_per_frame"].empty());

  // Snapshot sheets: 3 rows (frames 0, 2, 4) of 3 panels, 192 px each (32² at scale 6),
  // 4 px gaps, a 30 px margin for "T=4" on the left and 18 px of titles on top.
  ASSERT_EQ(s.snapshots.size(), 2u);
  const io::Image sheet = io::read_png(s.snapshots[1]);
  const int left = 30, top = 18, step = 192 + 4;
  EXPECT_EQ(sheet.width, left + 3 * step);
  EXPECT_EQ(sheet.height, top + 3 * step);
  for (int row = 0; row < 3; ++row) {
    const int y = top + row * step + 50;
    // B and A panels are identical; |Δφ| = 0 is the bottom of the colormap.
    EXPECT_EQ(sheet.at(left + 70, y), sheet.at(left + step + 70, y));
    EXPECT_EQ(sheet.at(left + 2 * step + 50, y), io::viridis(0.0));
  }
}

TEST_F(CompareTest, AConstantOffsetGivesThatMaeAndTheInterfaceLengthError) {
  const float offset = 0.01f;
  test::write_dataset(*dir_ / "shifted.h5", 3, 5, kN, shifted(offset));
  CompareOptions o = options(*dir_ / "shifted.h5", "shifted");
  o.prediction_seconds_per_frame = 0.01;
  o.reference_seconds_per_frame = 2.0;
  const CompareSummary s = compare_datasets(o);
  EXPECT_FALSE(s.at_headline.has_value());  // frame 100 is not in a 5-frame dataset

  const test::Table per = read_csv(s.per_sequence_csv);
  for (std::size_t r = 0; r < per.rows.size(); ++r) {
    const int seq = static_cast<int>(per.at(r, "sequence"));
    const int frame = static_cast<int>(per.at(r, "frame"));
    std::vector<float> a(kN * kN), b(kN * kN);
    for (int y = 0; y < kN; ++y)
      for (int x = 0; x < kN; ++x) {
        b[y * kN + x] = reference_field(seq, frame, y, x);
        a[y * kN + x] = shifted(offset)(seq, frame, y, x);
      }
    EXPECT_NEAR(per.at(r, "mae"), frame > 0 ? offset : 0.0, 1e-6);
    const double la = analysis::interface_length(a.data(), kN, 5.0);
    const double lb = analysis::interface_length(b.data(), kN, 5.0);
    EXPECT_NEAR(per.at(r, "interface_error"), (la - lb) / lb, 1e-9);
    EXPECT_NEAR(per.at(r, "interface_length_a"), la, 1e-12);
  }
  EXPECT_NEAR(s.last.mae.median, offset, 1e-6);
  EXPECT_NEAR(s.last.mae.iqr(), 0.0, 1e-6);

  const Json summary = test::read_json(s.summary_json);
  EXPECT_DOUBLE_EQ(summary["seconds_per_frame"]["speedup"].get<double>(), 200.0);
  EXPECT_TRUE(summary["headline_frame"].is_null());
  EXPECT_NEAR(summary["last_frame"]["mae"]["median"].get<double>(), offset, 1e-6);
}

TEST_F(CompareTest, MismatchedGridSizesAreRejected) {
  test::write_dataset(*dir_ / "small.h5", 3, 5, 16,
                      [](int s, int t, int y, int x) { return test::stripes(s, t, y, x, 16); });
  expect_error(options(*dir_ / "small.h5", "n"), "grid sizes differ");
}

TEST_F(CompareTest, MismatchedFrameCountsAreRejectedUnlessAllowed) {
  test::write_dataset(*dir_ / "short.h5", 3, 3, kN, reference_field);
  CompareOptions o = options(*dir_ / "short.h5", "t");
  expect_error(o, "numbers of frames differ");
  o.allow_frame_mismatch = true;
  const CompareSummary s = compare_datasets(o);
  EXPECT_EQ(s.frames, 3);
  EXPECT_EQ(s.last.mae.median, 0.0);
  EXPECT_EQ(read_csv(s.ensemble_csv).rows.size(), 3u);
}

TEST_F(CompareTest, MismatchedSequenceCountsAreRejectedUnlessLimited) {
  test::write_dataset(*dir_ / "two.h5", 2, 5, kN, reference_field);
  CompareOptions o = options(*dir_ / "two.h5", "s");
  expect_error(o, "numbers of sequences differ");
  o.max_sequences = 2;
  EXPECT_EQ(compare_datasets(o).sequences, 2);
}

TEST_F(CompareTest, DifferentInitialFieldsAreRejected) {
  test::write_dataset(*dir_ / "other_start.h5", 3, 5, kN,
                      [](int s, int t, int y, int x) {
                        return reference_field(s, t, y, x) + (s == 2 && t == 0 ? 1e-3f : 0.0f);
                      });
  expect_error(options(*dir_ / "other_start.h5", "phi0"),
               "datasets do not start from the same initial fields");
}

TEST_F(CompareTest, DifferentMisfitsAreRejected) {
  test::write_dataset(*dir_ / "other_eta.h5", 3, 5, kN, reference_field,
                      [](int s) { return 0.002 * s + (s == 1 ? 1e-4 : 0.0); });
  expect_error(options(*dir_ / "other_eta.h5", "eta"), "sequence 1 has η");
}

TEST_F(CompareTest, MissingFilesAndOptionsAreErrors) {
  expect_error(options(*dir_ / "missing.h5", "missing"), "missing.h5");
  CompareOptions o = options(ref(), "x");
  o.out.clear();
  expect_error(o, "--out");
}

TEST(CompareNoise, NoisySolverRunsDriftAwayFromTheDeterministicOnes) {
  // Paper Fig. 6a: the same initial fields evolved with and without solver noise.
  TempDir dir("noise");
  pipeline::GenerateConfig c = test::small_generate_config(dir / "clean.h5", 3, 4);
  pipeline::generate(c);
  c.out = dir / "noisy.h5";
  c.noise = 5e-3;
  pipeline::generate(c);
  CompareOptions o;
  o.prediction = dir / "noisy.h5";
  o.reference = dir / "clean.h5";
  o.out = dir / "out";
  o.snapshot_sequences = 0;
  const CompareSummary s = compare_datasets(o);
  EXPECT_FALSE(io::file_exists(dir / "out/snapshots"));
  const test::Table ens = read_csv(s.ensemble_csv);
  EXPECT_EQ(ens.at(0, "mae_median"), 0.0);
  for (int j = 1; j < 4; ++j) {
    EXPECT_GT(ens.at(j, "mae_median"), 0.0);
    // The noise accumulates: the error grows from frame to frame.
    EXPECT_GT(ens.at(j, "mae_median"), ens.at(j - 1, "mae_median"));
  }
}

TEST(CompareOptions, JsonRoundTrip) {
  CompareOptions o;
  o.prediction = "a.h5";
  o.reference = "b.h5";
  o.out = "d";
  o.allow_frame_mismatch = true;
  o.headline_frame = 50;
  const CompareOptions back = CompareOptions::from_json(o.to_json());
  EXPECT_EQ(back.prediction, "a.h5");
  EXPECT_EQ(back.reference, "b.h5");
  EXPECT_TRUE(back.allow_frame_mismatch);
  EXPECT_EQ(back.headline_frame, 50);
  EXPECT_THROW(CompareOptions::from_json(Json{{"compare", {{"refrence", "x"}}}}), Error);
}

}  // namespace
}  // namespace csd::evaluation
