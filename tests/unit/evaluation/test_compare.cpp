// compare_datasets: preconditions, per-frame errors, ensemble statistics and outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>

#include "csd/analysis/metrics.h"
#include "csd/core/error.h"
#include "csd/evaluation/compare.h"
#include "csd/io/fs.h"
#include "csd/io/image.h"
#include "csd/physics/energy.h"
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
      if (!std::isnan(per.at(r, d + "_b"))) {
        EXPECT_EQ(per.at(r, d + "_a"), per.at(r, d + "_b"));
      }
  }
  const test::Table ens = read_csv(s.ensemble_csv);
  ASSERT_EQ(ens.rows.size(), 5u);
  EXPECT_EQ(ens.at(4, "f_a_median"), ens.at(4, "f_b_median"));

  const Json summary = test::read_json(s.summary_json);
  EXPECT_EQ(summary["headline"]["mae_median_last"], 0.0);
  EXPECT_EQ(summary["headline"]["mae_median_at_2"], 0.0);
  EXPECT_EQ(summary["sequences"], 3);
  EXPECT_TRUE(summary["seconds_per_frame"].empty());
  EXPECT_FALSE(summary.contains("horizon"));  // none given
  EXPECT_EQ(summary["phi_range"]["far_outside_count_a"], 0);

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

// ---- Long horizon: frames H, 5H, 10H, near-grid rms, φ range -------------------------

constexpr int kLongFrames = 11;
constexpr float kOffset = 0.02f;   // A − B after frame 0, besides the checkerboard
constexpr float kChecker = 0.01f;  // < kOffset: |A − B| = kOffset ± kChecker, mean kOffset

/// A: the reference plus kOffset plus a checkerboard of kChecker after frame 0, and a few
/// pixels pushed out of range: one at 1.3 (sequence 1, frame 3), one at −0.5 (sequence 0,
/// frame 10), both outside [−0.2, 1.2]; a row at 1.1 (sequence 2, frame 5), outside
/// [−0.05, 1.05] only.
float long_prediction(int s, int t, int y, int x) {
  if (s == 1 && t == 3 && y == 2 && x == 5) return 1.3f;
  if (s == 0 && t == 10 && y == 4 && x == 4) return -0.5f;
  if (s == 2 && t == 5 && y == 0) return 1.1f;
  const float checker = (x + y) % 2 == 0 ? kChecker : -kChecker;
  return reference_field(s, t, y, x) + (t > 0 ? kOffset + checker : 0.0f);
}

std::vector<float> frame_of(const test::FieldFunction& phi, int s, int t) {
  std::vector<float> f(kN * kN);
  for (int y = 0; y < kN; ++y)
    for (int x = 0; x < kN; ++x) f[y * kN + x] = phi(s, t, y, x);
  return f;
}

/// Near-grid rms by the definition, a plain O(N⁴) DFT over the full spectrum:
/// sqrt(Σ_{4 ≤ λ(k) ≤ 8} |φ̂_k|² / N⁴).
double direct_near_grid_rms(const std::vector<float>& phi) {
  const double pi = 3.14159265358979323846;
  double power = 0;
  for (int ky = 0; ky < kN; ++ky)
    for (int kx = 0; kx < kN; ++kx) {
      const double lambda = 4 * std::pow(std::sin(pi * kx / kN), 2) +
                            4 * std::pow(std::sin(pi * ky / kN), 2);
      if (lambda < 4 - 1e-9 || lambda > 8 + 1e-9) continue;
      std::complex<double> sum = 0;
      for (int y = 0; y < kN; ++y)
        for (int x = 0; x < kN; ++x)
          sum += double(phi[y * kN + x]) *
                 std::polar(1.0, -2 * pi * ((kx * x + ky * y) % kN) / kN);
      power += std::norm(sum);
    }
  return std::sqrt(power) / (kN * kN);
}

double median3(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[1];
}

class CompareHorizonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("horizon");
    test::write_dataset(*dir_ / "ref.h5", 3, kLongFrames, kN, reference_field);
    test::write_dataset(*dir_ / "pred.h5", 3, kLongFrames, kN, long_prediction);
  }
  static void TearDownTestSuite() { delete dir_; }
  static CompareOptions options(int horizon, const std::string& out) {
    CompareOptions o;
    o.prediction = *dir_ / "pred.h5";
    o.reference = *dir_ / "ref.h5";
    o.out = *dir_ / out;
    o.threads = 2;
    o.horizon = horizon;
    return o;
  }
  /// Rows of a snapshot sheet: 18 px of titles, then 192 px panels with 4 px gaps (as
  /// measured in ADatasetAgainstItselfHasZeroError).
  static int snapshot_rows(const std::string& png) {
    return (io::read_png(png).height - 18) / (192 + 4);
  }
  static TempDir* dir_;
};
TempDir* CompareHorizonTest::dir_ = nullptr;

TEST_F(CompareHorizonTest, ReportsFramesHFiveHAndTenHAgainstARecomputation) {
  CompareOptions o = options(1, "h1");
  o.snapshot_sequences = 1;
  const CompareSummary s = compare_datasets(o);
  ASSERT_EQ(s.horizon.size(), 3u);
  const Json block = test::read_json(s.summary_json)["horizon"];
  EXPECT_EQ(block["frames"], 1);
  ASSERT_EQ(block["points"].size(), 3u);

  const physics::EnergyCalculator energy(kN, physics::Params{});
  long long far_outside_so_far = 0;
  int checked = 0;
  for (int t = 0; t < kLongFrames; ++t) {
    std::vector<double> persistence, interface, near_a, near_b;
    double f_a = 0, f_b = 0, lo = 1e9, hi = -1e9;
    long long outside = 0;
    for (int seq = 0; seq < 3; ++seq) {
      const std::vector<float> a = frame_of(long_prediction, seq, t);
      const std::vector<float> b = frame_of(reference_field, seq, t);
      const std::vector<float> b0 = frame_of(reference_field, seq, 0);
      persistence.push_back(analysis::mae(b.data(), b0.data(), b.size()));
      const double la = analysis::interface_length(a.data(), kN, 5.0);
      const double lb = analysis::interface_length(b.data(), kN, 5.0);
      interface.push_back(std::abs(la - lb) / lb);
      f_a += energy(a.data(), 0.002 * seq).f / 3;
      f_b += energy(b.data(), 0.002 * seq).f / 3;
      for (float v : a) {
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
        outside += v < -0.05f || v > 1.05f;
        far_outside_so_far += v < -0.2f || v > 1.2f;
      }
      if (t == 1 || t == 5 || t == 10) {
        near_a.push_back(direct_near_grid_rms(a));
        near_b.push_back(direct_near_grid_rms(b));
      }
    }
    if (t != 1 && t != 5 && t != 10) continue;
    const HorizonFigures& h = s.horizon[checked];
    const Json& p = block["points"][checked];
    ++checked;
    SCOPED_TRACE("frame " + std::to_string(t));
    EXPECT_EQ(h.frame, t);
    EXPECT_EQ(h.multiple, t);  // H = 1
    EXPECT_EQ(p["frame"], t);
    EXPECT_EQ(p["label"], t == 1 ? "H" : std::to_string(t) + "H");
    EXPECT_NEAR(h.mae_median, kOffset, 1e-6);
    EXPECT_NEAR(h.mae_persistence_median, median3(persistence), 1e-7);
    EXPECT_NEAR(h.mae_ratio, h.mae_median / median3(persistence), 1e-12);
    EXPECT_NEAR(h.interface_error_median, median3(interface), 1e-9);
    EXPECT_NEAR(h.f_mean_a, f_a, 1e-12);
    EXPECT_NEAR(h.f_mean_b, f_b, 1e-12);
    EXPECT_NEAR(h.f_relative_difference, f_a / f_b - 1, 1e-9);
    EXPECT_NEAR(h.near_grid_rms_median_a, median3(near_a), 1e-9);
    EXPECT_NEAR(h.near_grid_rms_median_b, median3(near_b), 1e-9);
    EXPECT_NEAR(h.near_grid_rms_ratio, median3(near_a) / median3(near_b), 1e-6);
    // The checkerboard adds kChecker to A's near-grid band in quadrature, at least.
    EXPECT_GT(h.near_grid_rms_median_a, h.near_grid_rms_median_b);
    EXPECT_EQ(h.phi_min_a, lo);
    EXPECT_EQ(h.phi_max_a, hi);
    EXPECT_NEAR(h.inside_fraction_a, 1.0 - outside / (3.0 * kN * kN), 1e-15);
    EXPECT_EQ(h.far_outside_count_a, far_outside_so_far);
    EXPECT_NEAR(p["mae_median"].get<double>(), h.mae_median, 1e-15);
    EXPECT_NEAR(p["near_grid_rms_ratio"].get<double>(), h.near_grid_rms_ratio, 1e-15);
    EXPECT_EQ(p["far_outside_count_a"], h.far_outside_count_a);
  }
  ASSERT_EQ(checked, 3);
  // By construction: the row at 1.1 is outside [−0.05, 1.05] at frame 5 only, and the two
  // far-out pixels (frames 3 and 10) count from their frame on.
  EXPECT_NEAR(s.horizon[1].inside_fraction_a, 1.0 - kN / (3.0 * kN * kN), 1e-15);
  EXPECT_EQ(s.horizon[0].far_outside_count_a, 0);
  EXPECT_EQ(s.horizon[1].far_outside_count_a, 1);
  EXPECT_EQ(s.horizon[2].far_outside_count_a, 2);
  EXPECT_FLOAT_EQ(s.horizon[2].phi_min_a, -0.5f);
  EXPECT_EQ(s.horizon[0].inside_fraction_a, 1.0);
  // Snapshots: frames 0, 1, 5, 10 (the last).
  EXPECT_EQ(snapshot_rows(s.snapshots[0]), 4);
}

TEST_F(CompareHorizonTest, PerFrameColumnsAndThePhiRangeBlock) {
  const CompareSummary s = compare_datasets(options(0, "h0"));
  EXPECT_TRUE(s.horizon.empty());
  const test::Table per = read_csv(s.per_sequence_csv);
  ASSERT_EQ(per.rows.size(), 3u * kLongFrames);
  for (std::size_t r = 0; r < per.rows.size(); ++r) {
    const int seq = static_cast<int>(per.at(r, "sequence"));
    const int t = static_cast<int>(per.at(r, "frame"));
    const std::vector<float> a = frame_of(long_prediction, seq, t);
    const std::vector<float> b = frame_of(reference_field, seq, t);
    SCOPED_TRACE("sequence " + std::to_string(seq) + ", frame " + std::to_string(t));
    EXPECT_EQ(per.at(r, "phi_min_a"), *std::min_element(a.begin(), a.end()));
    EXPECT_EQ(per.at(r, "phi_max_a"), *std::max_element(a.begin(), a.end()));
    const double outside = (seq == 2 && t == 5) ? kN : 0;
    const double far = (seq == 1 && t == 3) || (seq == 0 && t == 10) ? 1 : 0;
    EXPECT_EQ(per.at(r, "outside_a"), (outside + far) / (kN * kN));
    EXPECT_EQ(per.at(r, "far_outside_a"), far / (kN * kN));
    if (t == 2) {  // the O(N⁴) DFT on one frame per sequence is enough
      EXPECT_NEAR(per.at(r, "near_grid_rms_a"), direct_near_grid_rms(a), 1e-9);
      EXPECT_NEAR(per.at(r, "near_grid_rms_b"), direct_near_grid_rms(b), 1e-9);
    }
  }
  const test::Table ens = read_csv(s.ensemble_csv);
  for (const std::string q : {"near_grid_rms_a", "near_grid_rms_b", "phi_min_a", "phi_max_a",
                              "outside_a", "far_outside_a", "f_a", "f_b"})
    for (const std::string stat : {"_median", "_q1", "_q3"})
      EXPECT_GE(ens.column(q + stat), 0) << q + stat;
  // Frame 5: one sequence of three has a row outside, so median 0 and q3 half-way to it.
  EXPECT_EQ(ens.at(5, "outside_a_median"), 0.0);
  EXPECT_NEAR(ens.at(5, "outside_a_q3"), 0.5 / kN, 1e-15);

  const Json summary = test::read_json(s.summary_json);
  EXPECT_FALSE(summary.contains("horizon"));
  const Json& range = summary["phi_range"];
  EXPECT_FLOAT_EQ(range["min_a"].get<double>(), -0.5f);
  EXPECT_FLOAT_EQ(range["max_a"].get<double>(), 1.3f);
  EXPECT_EQ(range["far_outside_count_a"], 2);
  EXPECT_NEAR(range["outside_fraction_a"].get<double>(), (kN + 2.0) / (3.0 * kLongFrames * kN * kN),
              1e-15);
  // Without a horizon the snapshots keep frames 0 and the last (frame 100 is not there).
  EXPECT_EQ(snapshot_rows(s.snapshots[0]), 2);
}

TEST_F(CompareHorizonTest, OnlyTheMultiplesThatWereComparedAreReported) {
  // H = 3 in 11 frames: 3 is there, 15 and 30 are not; the snapshots add the last frame.
  CompareSummary s = compare_datasets(options(3, "h3"));
  ASSERT_EQ(s.horizon.size(), 1u);
  EXPECT_EQ(s.horizon[0].frame, 3);
  EXPECT_EQ(s.horizon[0].far_outside_count_a, 1);  // the 1.3 pixel at frame 3
  EXPECT_EQ(test::read_json(s.summary_json)["horizon"]["points"].size(), 1u);
  EXPECT_EQ(snapshot_rows(s.snapshots[0]), 3);  // 0, 3, 10
  // H = 2: frames 2 and 10 (= 5H, also the last: drawn once); 10H = 20 is not there.
  s = compare_datasets(options(2, "h2"));
  ASSERT_EQ(s.horizon.size(), 2u);
  EXPECT_EQ(s.horizon[1].frame, 10);
  EXPECT_EQ(s.horizon[1].multiple, 5);
  EXPECT_EQ(snapshot_rows(s.snapshots[0]), 3);  // 0, 2, 10
  // H beyond the data: an empty block, no error.
  s = compare_datasets(options(20, "h20"));
  EXPECT_TRUE(s.horizon.empty());
  const Json block = test::read_json(s.summary_json)["horizon"];
  EXPECT_EQ(block["frames"], 20);
  EXPECT_TRUE(block["points"].empty());
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
  o.horizon = 20;
  o.fit_start = 100;
  o.fit_end = 1000;
  o.fit_confidence = 0.9;
  const CompareOptions back = CompareOptions::from_json(o.to_json());
  EXPECT_EQ(back.fit_start, 100);
  EXPECT_EQ(back.fit_end, 1000);
  EXPECT_EQ(back.fit_confidence, 0.9);
  EXPECT_EQ(back.prediction, "a.h5");
  EXPECT_EQ(back.reference, "b.h5");
  EXPECT_TRUE(back.allow_frame_mismatch);
  EXPECT_EQ(back.headline_frame, 50);
  EXPECT_EQ(back.horizon, 20);
  EXPECT_THROW(CompareOptions::from_json(Json{{"compare", {{"refrence", "x"}}}}), Error);
  o.horizon = -1;
  EXPECT_THROW(o.validate(), Error);
}

}  // namespace
}  // namespace csd::evaluation
