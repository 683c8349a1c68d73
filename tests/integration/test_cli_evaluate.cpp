// End-to-end runs of `csd evaluate --against` (no model, so no LibTorch needed): the
// horizon option from the command line and from a config, and its new outputs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "csd/io/dataset.h"
#include "csd/io/gif.h"
#include "csd/io/image.h"
#include "gif_probe.h"
#include "python_modules.h"

namespace csd::test {
namespace {

const std::string kSmoke = "--config " + source_path("configs/smoke/generate.json");

/// Paper Fig. 6a's pair on configs/smoke (3 sequences × 4 frames of 32²): the same
/// initial fields evolved with and without solver noise; written once for the suite.
class CliEvaluate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("evaluate");
    ASSERT_EQ(run_csd("generate -q " + kSmoke + " --out " + clean(), *dir_).status, 0);
    ASSERT_EQ(run_csd("generate -q " + kSmoke + " --noise 1e-3 --out " + noisy(), *dir_).status, 0);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string clean() { return dir_->file("clean.h5"); }
  static std::string noisy() { return dir_->file("noisy.h5"); }
  static std::string against() { return " --data " + noisy() + " --against " + clean(); }
  static ScratchDir* dir_;
};
ScratchDir* CliEvaluate::dir_ = nullptr;

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text(path)); }

TEST_F(CliEvaluate, HorizonFlagWritesTheHorizonBlockAndTheNewColumns) {
  const std::string out = dir_->file("h1");
  const CliResult r = run_csd("evaluate -q --no-plots --threads 1 --horizon 1" + against() +
                                  " --out " + out,
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto summary = read_json(out + "/summary.json");
  ASSERT_TRUE(summary.contains("horizon"));
  EXPECT_EQ(summary["horizon"]["frames"], 1);
  // 4 frames: H = 1 is compared, 5H and 10H are not.
  ASSERT_EQ(summary["horizon"]["points"].size(), 1u);
  EXPECT_EQ(summary["horizon"]["points"][0]["frame"], 1);
  EXPECT_GT(summary["horizon"]["points"][0]["mae_median"].get<double>(), 0.0);
  EXPECT_TRUE(summary.contains("phi_range"));
  EXPECT_EQ(summary["extra"]["evaluate"]["horizon"], 1);
  const std::string header = read_text(out + "/ensemble.csv").substr(0, 4096);
  for (const char* column : {"near_grid_rms_a_median", "near_grid_rms_b_q3", "phi_min_a_median",
                             "outside_a_q1", "far_outside_a_median", "f_a_median", "f_b_median"})
    EXPECT_NE(header.find(column), std::string::npos) << column;
}

TEST_F(CliEvaluate, SummaryNamesSnapshotsThatExistAfterTheRename) {
  // The results are built in "OUT.part" and renamed: summary.json must not name the
  // .part folder.
  const std::string out = dir_->file("snapshots");
  const CliResult r = run_csd("evaluate -q --no-plots --threads 1 --snapshots 2" + against() +
                                  " --out " + out,
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto snapshots = read_json(out + "/summary.json")["snapshots"];
  ASSERT_EQ(snapshots.size(), 2u);
  for (const auto& name : snapshots) {
    EXPECT_EQ(name.get<std::string>().find(".part"), std::string::npos) << name;
    EXPECT_TRUE(std::filesystem::is_regular_file(out + "/" + name.get<std::string>())) << name;
  }
}

TEST_F(CliEvaluate, HorizonFromTheConfigAndNoneByDefault) {
  std::ofstream(dir_->file("horizon.json")) << R"({"evaluate": {"horizon": 3}})";
  const std::string out = dir_->file("h3");
  CliResult r = run_csd("evaluate -q --no-plots --threads 1 --config " +
                            dir_->file("horizon.json") + against() + " --out " + out,
                        *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_json(out + "/summary.json")["horizon"]["points"][0]["frame"], 3);

  const std::string plain = dir_->file("h0");
  r = run_csd("evaluate -q --no-plots --threads 1" + against() + " --out " + plain, *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(read_json(plain + "/summary.json").contains("horizon"));
}

TEST_F(CliEvaluate, NegativeHorizonFailsWithOneErrorLine) {
  const CliResult r = run_csd("evaluate -q --no-plots --horizon -2" + against() + " --out " +
                                  dir_->file("bad"),
                              *dir_);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("horizon"), std::string::npos) << r.err;
}

TEST_F(CliEvaluate, FiguresIncludeTheLongHorizonPlotWhenMatplotlibIsThere) {
  const std::string out = dir_->file("plots");
  const CliResult r = run_csd("evaluate -q --threads 1 --horizon 1" + against() + " --out " + out,
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_TRUE(plotting_available());
  EXPECT_TRUE(std::filesystem::exists(out + "/mae.png")) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out + "/long_horizon.png")) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out + "/coarsening.png")) << r.err;
}

TEST_F(CliEvaluate, FitWindowFlagsReachTheCoarseningBlockAndABadWindowIsOneError) {
  const std::string out = dir_->file("fit");
  CliResult r = run_csd("evaluate -q --no-plots --threads 1 --fit-start 1 --fit-end 3 "
                        "--fit-confidence 0.9" + against() + " --out " + out,
                        *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto coarsening = read_json(out + "/summary.json")["coarsening"];
  EXPECT_EQ(coarsening["fit"]["start_frame"], 1);
  EXPECT_EQ(coarsening["fit"]["end_frame"], 3);
  EXPECT_EQ(coarsening["fit"]["confidence"], 0.9);
  EXPECT_TRUE(coarsening["reference"]["n"].is_number()) << coarsening.dump();
  EXPECT_TRUE(coarsening["prediction"]["n"].is_number()) << coarsening.dump();

  r = run_csd("evaluate -q --no-plots --fit-start 2 --fit-end 3" + against() + " --out " +
                  dir_->file("fit-bad"),
              *dir_);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("fewer than 3 frames"), std::string::npos) << r.err;
}

TEST_F(CliEvaluate, GifAnimatesSequenceZeroAsReferencePredictionAndDifference) {
  ASSERT_TRUE(python_imports("PIL"));
  const std::string out = dir_->file("gif");
  const CliResult r = run_csd("evaluate -q --no-plots --threads 1 --gif 2" + against() +
                                  " --out " + out,
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string gif = out + "/animation.gif";
  const test::GifProbe probe = probe_gif(gif);
  ASSERT_TRUE(probe.ok) << probe.error;
  EXPECT_EQ(probe.format, "GIF");
  // 32² panels drawn 4× (128 px), three side by side under the titles; frames 0 and 2.
  const int n = 32, scale = 4, panels_y = 36, width = 4 + 3 * 132;
  EXPECT_EQ(probe.frames, 2);
  ASSERT_EQ(probe.width, width);
  EXPECT_EQ(probe.height, panels_y + 128 + 4);

  // GIF frame 1 is t = 2: B (the reference, --against) | A (--data) | |A − B|, each
  // pixel in its palette colour.
  std::string error;
  const std::vector<int> rgb = gif_frame_rgb(gif, 1, &error);
  ASSERT_EQ(rgb.size(), static_cast<size_t>(3 * width * probe.height)) << error;
  const auto at = [&](int x, int y) {
    const size_t k = 3 * (static_cast<size_t>(y) * width + x);
    return io::Rgb{static_cast<unsigned char>(rgb[k]), static_cast<unsigned char>(rgb[k + 1]),
                   static_cast<unsigned char>(rgb[k + 2])};
  };
  const auto colour = [](float v) { return io::gif_palette()[io::gif_palette_index(io::viridis(v))]; };
  const std::vector<float> b = io::DatasetReader(clean()).read_frame(0, 2);
  const std::vector<float> a = io::DatasetReader(noisy()).read_frame(0, 2);
  int differing = 0;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      const float vb = b[y * n + x], va = a[y * n + x];
      differing += !(colour(va) == colour(vb));
      const int px = 4 + x * scale + 1, py = panels_y + y * scale + 1;
      ASSERT_EQ(at(px, py), colour(vb)) << "reference at " << x << ", " << y;
      ASSERT_EQ(at(px + 132, py), colour(va)) << "prediction at " << x << ", " << y;
      ASSERT_EQ(at(px + 264, py), colour(std::abs(va - vb))) << "difference at " << x << ", " << y;
    }
  ASSERT_GT(differing, 0) << "the two runs must differ somewhere for this test to tell them apart";

  // The titles name the files: "clean" over B, "noisy" over A (the 3×5 font drawn 2×).
  io::Image titles(width, panels_y);
  io::draw_text(titles, 4, 18, "clean", {0, 0, 0}, 2);
  io::draw_text(titles, 4 + 132, 18, "noisy", {0, 0, 0}, 2);
  io::draw_text(titles, 4 + 264, 18, "abs diff", {0, 0, 0}, 2);
  for (int y = 18; y < 28; ++y)
    for (int x = 0; x < width; ++x) ASSERT_EQ(at(x, y), titles.at(x, y)) << x << ", " << y;
}

}  // namespace
}  // namespace csd::test
