// End to end on tiny data: generate → train → rollout / evaluate / analyze / phasediagram,
// checking exit codes, that every output exists and parses, and that figures are PNGs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli_checks.h"
#include "cli_runner.h"
#include "csd/io/dataset.h"
#include "csd/io/lock.h"
#include "csd/physics/energy.h"
#include "gif_probe.h"
#include "python_modules.h"
#include "test_images.h"
#if CSD_TESTS_WITH_TORCH
#include "csd/surrogate/predictor.h"
#endif

namespace csd::test {
namespace {

namespace fs = std::filesystem;

bool is_png(const std::string& path) {
  const std::string bytes = read_text(path);
  return bytes.size() > 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text(path)); }

int csv_rows(const std::string& path) {
  std::ifstream in(path);
  int rows = 0;
  for (std::string line; std::getline(in, line);) rows += !line.empty();
  return rows - 1;  // header
}

#if CSD_TESTS_WITH_TORCH  // used only by the tests that need a trained model
// The number checks below recompute MAE, ranges and medians with their own few lines
// rather than csd::analysis (metrics.h, stats.h), so a fault there cannot hide itself.

/// Rows of a CSV file without quoted fields, each as column name -> text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

double mean_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += std::abs(double(a[i]) - double(b[i]));
  return sum / static_cast<double>(a.size());
}

float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

double range_of(const std::vector<float>& f) {
  const auto [lo, hi] = std::minmax_element(f.begin(), f.end());
  return double(*hi) - double(*lo);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}
#endif

/// The tiny dataset and model every CliSurrogate test reads, in one folder of the build
/// tree. ctest makes it once per run (CliSurrogateFixture.Make, a FIXTURES_SETUP test in
/// tests/CMakeLists.txt); a test binary run by hand makes it when the folder holds none
/// made by the current csd binary. Tests only read it and write into their own folder.
class SharedModel {
 public:
  static std::string folder() { return CSD_CLI_SURROGATE_FIXTURE; }
  static std::string data() { return folder() + "/tiny.h5"; }
  static std::string model_folder() { return folder() + "/model"; }
  static std::string model() { return model_folder() + "/best.pt"; }

  static ::testing::AssertionResult make() {
    std::error_code ec;
    fs::remove_all(folder(), ec);
    fs::create_directories(folder());
    const ScratchDir logs("surrogate-fixture");
    const std::string smoke = source_path("configs/smoke/");
    const CliResult generate = run_csd("generate -q --config " + smoke +
                                           "generate.json --sequences 4 --size 16 --frames 5 "
                                           "--out " + data(),
                                       logs);
    if (generate.status != 0) return ::testing::AssertionFailure() << generate.err;
    const CliResult train = run_csd("train -q --config " + smoke + "train.json --data " + data() +
                                         " --out " + model_folder() + " --threads 1",
                                     logs);
    if (train.status != 0) return ::testing::AssertionFailure() << train.err;
    // The stamp goes last, so a fixture cut short is never taken for a finished one.
    std::ofstream(folder() + "/stamp.part") << binary_stamp();
    fs::rename(folder() + "/stamp.part", folder() + "/stamp");
    return ::testing::AssertionSuccess();
  }

  static bool made_by_this_binary() { return read_text(folder() + "/stamp") == binary_stamp(); }

 private:
  /// Size and modification time of the csd binary: a rebuilt csd remakes the fixture.
  static std::string binary_stamp() {
    const auto time = fs::last_write_time(CSD_BINARY).time_since_epoch().count();
    return std::to_string(fs::file_size(CSD_BINARY)) + " " + std::to_string(time);
  }
};

/// Made once per ctest run before any CliSurrogate test (not discovered as a test of
/// its own: tests/CMakeLists.txt runs it as the fixture's setup).
TEST(CliSurrogateFixture, Make) {
  if (!CSD_TESTS_WITH_TORCH) GTEST_SKIP() << "csd built without LibTorch";
  ASSERT_TRUE(SharedModel::make());
}

class CliSurrogate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("surrogate-e2e");
    const CliResult help = run_csd("train --help", *dir_);
    // A build without LibTorch has no train command (`--help` then prints the main help).
    available_ = CSD_TESTS_WITH_TORCH;
    const bool has_train =
        help.status == 0 && help.out.find("--curriculum-epochs") != std::string::npos;
    ASSERT_EQ(has_train, available_) << "csd's commands do not match the build's CSD_WITH_TORCH";
    if (available_ && !SharedModel::made_by_this_binary()) {
      ASSERT_TRUE(SharedModel::make());
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!available_) GTEST_SKIP() << "csd built without LibTorch";
  }
  static std::string data() { return SharedModel::data(); }
  static std::string model() { return SharedModel::model(); }
  static std::string model_file(const std::string& name) {
    return SharedModel::model_folder() + "/" + name;
  }
  /// This test's own folder for outputs (and csd's stdout/stderr captures).
  static ScratchDir* dir_;
  static bool available_;
};
ScratchDir* CliSurrogate::dir_ = nullptr;
bool CliSurrogate::available_ = false;

TEST_F(CliSurrogate, TrainingWroteCheckpointsHistoryAndPlot) {
  for (const char* f : {"best.pt", "latest.pt", "history.csv", "config.json"})
    EXPECT_TRUE(fs::exists(model_file(f))) << f;
  EXPECT_EQ(csv_rows(model_file("history.csv")), 2);
  ASSERT_TRUE(plotting_available());
  EXPECT_TRUE(is_png(model_file("loss.png")));
  const CliResult info = run_csd("info --json " + model(), *dir_);
  ASSERT_EQ(info.status, 0) << info.err;
  EXPECT_EQ(nlohmann::json::parse(info.out)["model"]["hidden"], 4);
}

TEST_F(CliSurrogate, RolloutOnALargerGridConservesMass) {
  const std::string out = dir_->file("roll.h5");
  const CliResult r = run_csd("rollout -q --model " + model() + " --out " + out +
                                  " --eta 0.004 --frames 6 --perlin --size 24 --mean-phi 0.4 "
                                  "--png-every 5 --threads 1",
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const io::DatasetReader reader(out);
  EXPECT_EQ(reader.shape().size, 24);
  EXPECT_EQ(reader.shape().frames, 6);
  EXPECT_EQ(reader.info().source, "surrogate");
  double first = 0, last = 0;
  for (float v : reader.read_frame(0, 0)) first += v;
  for (float v : reader.read_frame(0, 5)) last += v;
  EXPECT_NEAR(first / (24 * 24), 0.4, 1e-6);
  EXPECT_NEAR(last / (24 * 24), first / (24 * 24), 1e-5);
  EXPECT_TRUE(is_png(out + ".png/seq00000_t00005.png"));
  // The output exists now: a second run without --overwrite must refuse and keep it.
  const std::string before = read_text(out);
  const CliResult again = run_csd("rollout -q --model " + model() + " --out " + out +
                                      " --eta 0.004 --frames 3 --perlin --size 16",
                                  *dir_);
  EXPECT_NE(again.status, 0);
  EXPECT_EQ(error_lines(again.err), 1) << again.err;
  EXPECT_EQ(read_text(out), before);
}

// Rollouts and evaluate's surrogate.h5 go through the same writer as generate: xarray
// reads them labelled, with t and x from the stored physics (schema version 2).
TEST_F(CliSurrogate, RolloutAndEvaluateOutputsAreLabelledForXarray) {
  ASSERT_TRUE(python_imports("xarray"));
  ASSERT_TRUE(python_imports("h5netcdf"));
  const std::string out = dir_->file("labelled.h5");
  const CliResult r = run_csd("rollout -q --model " + model() + " --out " + out +
                                  " --eta 0.004 --frames 4 --perlin --size 16 --threads 1",
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(python_check("check_xarray_view.py", out));
  const std::string eval = dir_->file("eval-labelled");
  const CliResult e = run_csd("evaluate -q --no-plots --model " + model() + " --data " + data() +
                                  " --out " + eval + " --threads 1",
                              *dir_);
  ASSERT_EQ(e.status, 0) << e.err;
  EXPECT_TRUE(python_check("check_xarray_view.py", eval + "/surrogate.h5"));
}

TEST_F(CliSurrogate, RolloutReadsItsConfigAndFlagsOverrideIt) {
  const std::string config = dir_->file("rollout.json");
  std::ofstream(config) << nlohmann::json{{"rollout",
                                           {{"model", model()}, {"out", dir_->file("cfg.h5")},
                                            {"eta", 0.002}, {"frames", 4}, {"size", 16},
                                            {"mean_phi", 0.45}, {"threads", 1}}}}
                               .dump();
  const CliResult r = run_csd("rollout -q --config " + config + " --frames 3", *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const io::DatasetReader reader(dir_->file("cfg.h5"));
  EXPECT_EQ(reader.shape().size, 16);   // from the file
  EXPECT_EQ(reader.shape().frames, 3);  // the flag wins
  EXPECT_NEAR(reader.meta(0).eta, 0.002, 1e-12);
  double mean = 0;
  for (float v : reader.read_frame(0, 0)) mean += v / (16.0 * 16.0);
  EXPECT_NEAR(mean, 0.45, 1e-6);
  // Without --eta in either place there is no silent default misfit.
  const CliResult missing = run_csd("rollout -q --model " + model() + " --out " +
                                        dir_->file("none.h5") + " --frames 3",
                                    *dir_);
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("--eta"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir_->file("none.h5")));
}

TEST_F(CliSurrogate, EvaluateAnalyzeAndPhasediagramWriteParsableOutputs) {
  const std::string eval = dir_->file("eval");
  const CliResult e = run_csd("evaluate -q --no-plots --model " + model() + " --data " + data() +
                                  " --out " + eval + " --threads 1 --horizon 2",
                              *dir_);
  ASSERT_EQ(e.status, 0) << e.err;
  const auto summary = read_json(eval + "/summary.json");
  EXPECT_TRUE(summary.contains("headline"));
  ASSERT_EQ(summary["horizon"]["points"].size(), 1u);  // 5 frames: H = 2 only
  EXPECT_EQ(summary["horizon"]["points"][0]["frame"], 2);
  EXPECT_EQ(csv_rows(eval + "/ensemble.csv"), 5);
  EXPECT_EQ(csv_rows(eval + "/per_sequence.csv"), 4 * 5);
  EXPECT_TRUE(is_png(eval + "/snapshots/seq00000.png"));

  const std::string analysis = dir_->file("analysis");
  const CliResult a = run_csd("analyze -q --no-plots " + eval + "/surrogate.h5 --out " + analysis,
                              *dir_);
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(csv_rows(analysis + "/frames.csv"), 4 * 5);
  EXPECT_NO_THROW(read_json(analysis + "/summary.json"));

  const std::string phase = dir_->file("phase");
  const CliResult p = run_csd("phasediagram -q --no-plots --model " + model() +
                                  " --grid --phi-range 0.1 0.9 --eta-range 0 0.012 --phi-points 3 "
                                  "--eta-points 2 --size 16 --frame 4 --solver --out " + phase,
                              *dir_);
  ASSERT_EQ(p.status, 0) << p.err;
  const auto phase_summary = read_json(phase + "/summary.json");
  EXPECT_TRUE(phase_summary.contains("agreement_percent"));
  EXPECT_EQ(csv_rows(phase + "/points.csv"), 6);
}

#if CSD_TESTS_WITH_TORCH
/// The library's rollout of `batch` n×n fields `phi0` at `etas`, all in one batch: the
/// reference the commands' files must hold.
std::vector<float> library_rollout(const std::string& model, const std::vector<float>& phi0,
                                   int batch, int n, const std::vector<double>& etas, int frames) {
  const auto predictor = surrogate::load_predictor(model, {"cpu", 1});
  return predictor->rollout_batch(phi0, batch, n, etas, frames, [](int) {});
}

/// Frames [first, first + count) of every sequence of `reader`, sequence by sequence.
std::vector<float> all_frames(const io::DatasetReader& reader, int first, int count) {
  std::vector<float> out;
  for (int s = 0; s < reader.shape().sequences; ++s) {
    const auto frames = reader.read_frames(s, first, count);
    out.insert(out.end(), frames.begin(), frames.end());
  }
  return out;
}

TEST_F(CliSurrogate, RolloutFromADatasetIsTheLibrarysRolloutAndOverwriteReplacesIt) {
  const io::DatasetReader source(data());
  const int n = source.shape().size;
  const std::string out = dir_->file("from.h5");
  const std::string command = "rollout -q --threads 1 --model " + model() + " --out " + out +
                              " --from " + data() + " --index 1 --eta 0.004";
  ASSERT_EQ(run_csd(command + " --frames 6", *dir_).status, 0);
  const io::DatasetReader roll(out);
  const std::vector<float> phi0 = source.read_frame(1, 0);
  EXPECT_EQ(roll.read_frame(0, 0), phi0);
  EXPECT_DOUBLE_EQ(roll.meta(0).eta, 0.004);
  EXPECT_LT(max_abs_diff(roll.read_frames(0, 0, 6), library_rollout(model(), phi0, 1, n, {0.004}, 6)),
            1e-5f);
  // The frames move: a rollout that wrote φ₀ into every frame fails here.
  EXPECT_GT(max_abs_diff(roll.read_frame(0, 5), phi0), 1e-4f);

  // --overwrite replaces the file with the new run.
  ASSERT_EQ(run_csd(command + " --frames 3 --overwrite", *dir_).status, 0);
  EXPECT_EQ(io::DatasetReader(out).shape().frames, 3);
}

TEST_F(CliSurrogate, RolloutStartsFromAnImportedMicrographAndAnimatesIt) {
  ASSERT_TRUE(python_imports("PIL"));
  std::vector<std::uint16_t> grey(20 * 20);
  for (int i = 0; i < 20 * 20; ++i) grey[i] = static_cast<std::uint16_t>((i * 7919) % 65536);
  const std::string png = dir_->file("micrograph.png"), phi = dir_->file("micrograph.h5"),
                    out = dir_->file("from_image.h5");
  write_test_png(png, 20, 20, 16, 1, grey);
  const CliResult imported =
      run_csd("import -q " + png + " --size 16 --smooth 1 --mean-phi 0.5 --out " + phi, *dir_);
  ASSERT_EQ(imported.status, 0) << imported.err;
  const CliResult r = run_csd("rollout -q --threads 1 --model " + model() + " --out " + out +
                                  " --from " + phi + " --eta 0.004 --frames 5 --gif 2",
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const io::DatasetReader start(phi), roll(out);
  EXPECT_EQ(roll.read_frame(0, 0), start.read_frame(0, 0));
  EXPECT_EQ(roll.shape().frames, 5);
  // Frames 0, 2, 4 of a 16² field drawn 8× (128 px) under the time label.
  const test::GifProbe gif = probe_gif(out + ".gif");
  ASSERT_TRUE(gif.ok) << gif.error;
  EXPECT_EQ(gif.frames, 3);
  EXPECT_EQ(gif.width, 4 + 128 + 4);
  EXPECT_EQ(gif.height, 22 + 128 + 4);
  // The GIF is an output like the dataset: kept unless --overwrite.
  fs::remove(out);
  const CliResult again = run_csd("rollout -q --threads 1 --model " + model() + " --out " + out +
                                      " --from " + phi + " --eta 0.004 --frames 5 --gif 2",
                                  *dir_);
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.err.find(".gif' already exists; pass --overwrite"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(CliSurrogate, RadialRolloutStartsRichAtTheCentreAndConservesMass) {
  const std::string out = dir_->file("radial.h5");
  const int n = 24;
  ASSERT_EQ(run_csd("rollout -q --threads 1 --model " + model() + " --out " + out +
                        " --radial --radial-centre 0.7 --radial-edge 0.3 --size 24 --eta 0.004 "
                        "--frames 4",
                    *dir_).status, 0);
  const io::DatasetReader roll(out);
  const std::vector<float> phi0 = roll.read_frame(0, 0);
  EXPECT_GT(phi0[(n / 2) * n + n / 2], 0.6f);
  EXPECT_LT(phi0[0], 0.4f);
  EXPECT_LT(max_abs_diff(roll.read_frames(0, 0, 4), library_rollout(model(), phi0, 1, n, {0.004}, 4)),
            1e-5f);
  double first = 0, last = 0;
  for (float v : phi0) first += v;
  for (float v : roll.read_frame(0, 3)) last += v;
  EXPECT_NEAR(last / (n * n), first / (n * n), 1e-5);
}

TEST_F(CliSurrogate, EvaluateNumbersRecomputeFromTheModelAndTheData) {
  const std::string eval = dir_->file("eval-numbers");
  ASSERT_EQ(run_csd("evaluate -q --no-plots --threads 1 --horizon 2 --model " + model() +
                        " --data " + data() + " --out " + eval,
                    *dir_).status, 0);
  const io::DatasetReader truth(data()), written(eval + "/surrogate.h5");
  const int sequences = truth.shape().sequences, frames = truth.shape().frames;
  const int n = truth.shape().size, area = n * n;
  // surrogate.h5 holds the model's prediction from the data's φ₀ and η: solver frames
  // written in its place, or another model's, fail here.
  std::vector<float> phi0;
  std::vector<double> etas;
  for (int s = 0; s < sequences; ++s) {
    const auto f = truth.read_frame(s, 0);
    phi0.insert(phi0.end(), f.begin(), f.end());
    etas.push_back(truth.meta(s).eta);
  }
  const std::vector<float> predicted = library_rollout(model(), phi0, sequences, n, etas, frames);
  ASSERT_LT(max_abs_diff(all_frames(written, 0, frames), predicted), 1e-5f);
  ASSERT_GT(max_abs_diff(predicted, all_frames(truth, 0, frames)), 1e-4f)
      << "the model must differ from the data for this check to mean anything";

  // Every per-sequence MAE, persistence MAE and interface error, from the two files.
  const physics::EnergyCalculator energies(n, truth.info().physics);
  std::map<std::pair<int, int>, std::map<std::string, std::string>> csv;
  for (const auto& row : read_csv(eval + "/per_sequence.csv"))
    csv[{std::stoi(row.at("sequence")), std::stoi(row.at("frame"))}] = row;
  ASSERT_EQ(csv.size(), static_cast<std::size_t>(sequences * frames));
  std::vector<double> mae_at_h;
  for (int s = 0; s < sequences; ++s) {
    for (int t = 0; t < frames; ++t) {
      const std::vector<float> a(predicted.begin() + (s * frames + t) * area,
                                 predicted.begin() + (s * frames + t + 1) * area);
      const std::vector<float> b = truth.read_frame(s, t);
      const std::vector<float> b0 = truth.read_frame(s, 0);
      const double mae = mean_abs_diff(a, b);
      const double length_a = 2 * energies(a.data(), etas[s]).w;
      const double length_b = 2 * energies(b.data(), etas[s]).w;
      const auto& row = csv.at({s, t});
      EXPECT_NEAR(std::stod(row.at("mae")), mae, 1e-6) << s << ", " << t;
      EXPECT_NEAR(std::stod(row.at("mae_persistence")), mean_abs_diff(b0, b), 1e-7);
      EXPECT_NEAR(std::stod(row.at("interface_error")), (length_a - length_b) / length_b, 1e-5);
      if (t == 2) mae_at_h.push_back(mae);
    }
  }
  const auto summary = read_json(eval + "/summary.json");
  const auto& h = summary["horizon"]["points"][0];
  ASSERT_EQ(h["frame"], 2);
  EXPECT_NEAR(h["mae_median"].get<double>(), median(mae_at_h), 1e-6);
  EXPECT_NEAR(std::stod(read_csv(eval + "/ensemble.csv").at(2).at("mae_median")), median(mae_at_h),
              1e-6);
}

TEST_F(CliSurrogate, PhaseDiagramFromDataClassifiesTheRequestedFrame) {
  const std::string out = dir_->file("pd-frame");
  const int frame = 4;
  ASSERT_EQ(run_csd("phasediagram -q --no-plots --threads 1 --model " + model() + " --data " +
                        data() + " --frame 4 --out " + out,
                    *dir_).status, 0);
  const io::DatasetReader truth(data());
  const int sequences = truth.shape().sequences, n = truth.shape().size, area = n * n;
  std::vector<float> phi0;
  std::vector<double> etas;
  bool frame_zero_differs = false;
  for (int s = 0; s < sequences; ++s) {
    const auto f = truth.read_frame(s, 0);
    phi0.insert(phi0.end(), f.begin(), f.end());
    etas.push_back(truth.meta(s).eta);
    frame_zero_differs |= std::abs(range_of(f) - range_of(truth.read_frame(s, frame))) > 1e-4;
  }
  ASSERT_TRUE(frame_zero_differs) << "classifying frame 0 must give other ranges";
  const std::vector<float> predicted = library_rollout(model(), phi0, sequences, n, etas, frame + 1);
  const auto rows = read_csv(out + "/points.csv");
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(sequences));
  int agreements = 0;
  for (int s = 0; s < sequences; ++s) {
    const auto& row = rows[s];
    const std::vector<float> model_frame(predicted.begin() + (s * (frame + 1) + frame) * area,
                                         predicted.begin() + (s * (frame + 1) + frame + 1) * area);
    const double solver_range = range_of(truth.read_frame(s, frame));
    const double surrogate_range = range_of(model_frame);
    EXPECT_EQ(std::stoi(row.at("index")), s);
    EXPECT_NEAR(std::stod(row.at("solver_range")), solver_range, 1e-7) << s;
    EXPECT_NEAR(std::stod(row.at("surrogate_range")), surrogate_range, 1e-5) << s;
    const auto phase = [](double range) { return range < 0.05 ? "single" : "separated"; };
    EXPECT_EQ(row.at("solver_class"), phase(solver_range)) << s;
    EXPECT_EQ(row.at("surrogate_class"), phase(surrogate_range)) << s;
    agreements += phase(solver_range) == std::string(phase(surrogate_range));
  }
  EXPECT_NEAR(read_json(out + "/summary.json")["agreement_percent"].get<double>(),
              100.0 * agreements / sequences, 1e-9);
}
#endif

TEST_F(CliSurrogate, EtaOutsideTheTrainedRangeWarnsOnceAndRuns) {
  // 3 sequences at η = 3 % (trained on ≤ 1.2 %), rolled out one per batch.
  const std::string strained = dir_->file("strained.h5");
  ASSERT_EQ(run_csd("generate -q --config " + source_path("configs/smoke/generate.json") +
                        " --size 16 --frames 3 --eta 0.03 --out " + strained,
                    *dir_).status, 0);
  const CliResult r = run_csd("evaluate --model " + model() + " --data " + strained + " --out " +
                                  dir_->file("strained-eval") + " --batch 1 --no-plots --threads 1",
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string all = r.out + r.err;
  size_t warnings = 0;
  for (size_t at = all.find("seen in training"); at != std::string::npos;
       at = all.find("seen in training", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 1u) << all;
}

TEST_F(CliSurrogate, ModelRunsOnAnotherGridSize) {
  const std::string other = dir_->file("other.h5");
  ASSERT_EQ(run_csd("generate -q --config " + source_path("configs/smoke/generate.json") +
                        " --sequences 2 --size 20 --frames 3 --out " + other,
                    *dir_).status, 0);
  const CliResult e = run_csd("evaluate -q --no-plots --model " + model() + " --data " + other +
                                  " --out " + dir_->file("eval20") + " --threads 1",
                              *dir_);
  EXPECT_EQ(e.status, 0) << e.err;
}

TEST_F(CliSurrogate, OneTrainingRunPerFolderAndNoRolloutLeftovers) {
  // Another process (this test) is training into the folder: csd train must refuse.
  const std::string busy = dir_->file("busy");
  fs::create_directories(busy);
  {
    const io::ExclusiveLock other(busy);
    const CliResult r = run_csd("train -q --config " + source_path("configs/smoke/train.json") +
                                    " --data " + data() + " --out " + busy + " --threads 1",
                                *dir_);
    EXPECT_NE(r.status, 0);
    EXPECT_EQ(error_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("locked"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(busy));
  }
  // A rollout that fails after opening its output (its PNG folder is a file) leaves no
  // "<out>.part"; the same command then runs without --overwrite.
  const std::string out = dir_->file("leftover.h5");
  std::ofstream(out + ".png") << "in the way";
  const std::string command = "rollout -q --model " + model() + " --out " + out +
                              " --eta 0.004 --frames 3 --perlin --size 16 --png-every 1";
  CliResult r = run_csd(command, *dir_);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  EXPECT_FALSE(fs::exists(io::partial_path(out)));
  fs::remove(out + ".png");
  r = run_csd(command, *dir_);
  EXPECT_EQ(r.status, 0) << r.err;
  // Too large for any machine: refused before any allocation, nothing left behind.
  const std::string huge = dir_->file("huge.h5");
  r = run_csd("rollout -q --model " + model() + " --out " + huge +
                  " --eta 0.004 --frames 1000 --perlin --size 30000",
              *dir_);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("GiB are available"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(huge) || fs::exists(io::partial_path(huge)));
}

TEST_F(CliSurrogate, PhysicsMismatchIsRefusedUnlessAllowed) {
  // The model learned τ = 20 steps (configs/smoke); these data have τ = 10.
  const std::string other = dir_->file("tau10.h5");
  ASSERT_EQ(run_csd("generate -q --config " + source_path("configs/smoke/generate.json") +
                        " --sequences 4 --size 16 --frames 5 --steps-per-frame 10 --out " + other,
                    *dir_).status, 0);
  const std::vector<std::string> refused = {
      "evaluate -q --no-plots --model " + model() + " --data " + other + " --out " + dir_->file("ev-tau"),
      "evaluate -q --no-plots --data " + other + " --against " + data() + " --out " + dir_->file("cmp-tau"),
      "phasediagram -q --no-plots --model " + model() + " --data " + other + " --frame 4 --out " +
          dir_->file("pd-tau")};
  for (const auto& command : refused) {
    const CliResult r = run_csd(command, *dir_);
    EXPECT_NE(r.status, 0) << command;
    EXPECT_EQ(error_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("steps_per_frame"), std::string::npos) << r.err;
  }
  // --grid --solver with a physics section other than the model's: refused before the
  // solver runs, where it used to be stored but not used.
  std::ofstream(dir_->file("tau10.json")) << R"({"physics": {"steps_per_frame": 10}})";
  const CliResult grid = run_csd("phasediagram -q --no-plots --model " + model() + " --config " +
                                     dir_->file("tau10.json") + " --grid --solver --size 16 "
                                     "--phi-points 2 --eta-points 2 --frame 2 --out " +
                                     dir_->file("pd-grid-tau"),
                                 *dir_);
  EXPECT_NE(grid.status, 0);
  EXPECT_EQ(error_lines(grid.err), 1) << grid.err;
  EXPECT_NE(grid.err.find("steps_per_frame 20 (model) vs 10"), std::string::npos) << grid.err;
  EXPECT_FALSE(fs::exists(dir_->file("ev-tau/surrogate.h5")));
  // Allowed: it runs, warns, and the surrogate's frames carry the model's physics.
  const CliResult r = run_csd("evaluate --no-plots --allow-physics-mismatch --model " + model() +
                                  " --data " + other + " --out " + dir_->file("ev-tau"),
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("physics differ"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(io::DatasetReader(dir_->file("ev-tau/surrogate.h5")).info().physics.steps_per_frame, 20);
}

TEST_F(CliSurrogate, EvaluateReplacesAnOutputFolderWholeAndOnlyWithOverwrite) {
  const std::string out = dir_->file("ev-swap");
  const std::string command =
      "evaluate -q --no-plots --model " + model() + " --data " + data() + " --out " + out;
  ASSERT_EQ(run_csd(command, *dir_).status, 0);
  std::ofstream(out + "/note.txt") << "the user's note";
  const std::string before = read_text(out + "/summary.json");
  // Without --overwrite: refused, nothing touched.
  CliResult r = run_csd(command, *dir_);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--overwrite"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(out + "/summary.json"), before);
  // Its own output as input: refused even with --overwrite.
  r = run_csd("evaluate -q --no-plots --overwrite --data " + out + "/surrogate.h5 --against " +
                  data() + " --out " + out,
              *dir_);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  EXPECT_TRUE(fs::exists(out + "/surrogate.h5"));
  // A run that fails after the folder is staged (a missing --against file) keeps the
  // old results.
  r = run_csd("evaluate -q --no-plots --overwrite --data " + data() + " --against " +
                  dir_->file("missing.h5") + " --out " + out,
              *dir_);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(read_text(out + "/summary.json"), before);
  EXPECT_FALSE(fs::exists(out + ".part"));
  // With --overwrite the folder is replaced whole: the old note is gone.
  r = run_csd(command + " --overwrite", *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/summary.json"));
  EXPECT_FALSE(fs::exists(out + "/note.txt"));
  EXPECT_FALSE(fs::exists(out + ".part"));
}

TEST_F(CliSurrogate, PhaseDiagramNamesLeftOutSequencesAndKeepsTheirIndices) {
  ASSERT_TRUE(python_imports("h5py")) << "h5py marks a sequence incomplete";
  const std::string holes = dir_->file("holes.h5");
  fs::copy_file(data(), holes, fs::copy_options::overwrite_existing);
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"import h5py; f = h5py.File('" + holes +
                         "', 'a'); f['complete'][0] = 0; f.close()\"").c_str()),
            0);
  const CliResult r = run_csd("phasediagram --no-plots --model " + model() + " --data " + holes +
                                  " --frame 4 --out " + dir_->file("pd-holes"),
                              *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("1 of 4 sequences"), std::string::npos) << r.out << r.err;
  std::ifstream csv(dir_->file("pd-holes/points.csv"));
  std::string line;
  std::getline(csv, line);  // header
  std::vector<std::string> indices;
  while (std::getline(csv, line)) indices.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(indices, (std::vector<std::string>{"1", "2", "3"}));
}

TEST_F(CliSurrogate, BadInputsFailWithOneErrorLine) {
  // --against with datasets of different N.
  const std::string small = dir_->file("n12.h5");
  ASSERT_EQ(run_csd("generate -q --config " + source_path("configs/smoke/generate.json") +
                        " --sequences 4 --size 12 --frames 5 --out " + small,
                    *dir_).status, 0);
  CliResult r = run_csd("evaluate -q --no-plots --data " + small + " --against " + data() +
                            " --out " + dir_->file("mismatch"),
                        *dir_);
  expect_one_error(r, {"grid sizes differ", "12²", "16²"});
  // A field with an extra channel axis is not a dataset of this model.
  std::vector<float> five_d(1 * 2 * 2 * 16 * 16, 0.5f);
  io::write_float_dataset(dir_->file("channels.h5"), "phi", five_d, {1, 2, 2, 16, 16});
  r = run_csd("evaluate -q --no-plots --model " + model() + " --data " +
                  dir_->file("channels.h5") + " --out " + dir_->file("channels"),
              *dir_);
  expect_one_error(r, {"channels.h5", "[1, 2, 2, 16, 16]", "expected [S, T, N, N]"});
  // An empty dataset.
  io::write_float_dataset(dir_->file("empty.h5"), "phi", {}, {0, 5, 16, 16});
  r = run_csd("evaluate -q --no-plots --model " + model() + " --data " + dir_->file("empty.h5") +
                  " --out " + dir_->file("empty"),
              *dir_);
  expect_one_error(r, {"empty.h5", "no dataset 'eta'"});
  // A checkpoint that is not one.
  std::ofstream(dir_->file("fake.pt")) << "not a checkpoint";
  r = run_csd("rollout -q --model " + dir_->file("fake.pt") + " --out " + dir_->file("x.h5") +
                  " --eta 0.004 --frames 3 --perlin --size 16",
              *dir_);
  expect_one_error(r, {"fake.pt", "is not a csd checkpoint"});
  // Each command names the input it cannot use and what to do.
  const std::string missing = dir_->file("missing.h5");
  expect_one_error(run_csd("analyze -q --no-plots " + missing + " --out " + dir_->file("an"), *dir_),
                   {"missing.h5", "does not exist"});
  expect_one_error(run_csd("analyze -q --no-plots " + data() + " --frames -3 --out " +
                               dir_->file("an"), *dir_),
                   {"max_frames must be >= 0"});
  expect_one_error(run_csd("train -q --threads 1 --data " + missing + " --out " + dir_->file("tr"),
                           *dir_),
                   {"missing.h5", "does not exist"});
  expect_one_error(run_csd("info " + missing, *dir_), {"missing.h5", "does not exist", "csd info"});
  expect_one_error(run_csd("phasediagram -q --no-plots --model " + model() + " --data " + data() +
                               " --frame 9 --out " + dir_->file("pd9"), *dir_),
                   {"has 5 frames, so frame 9 is not in it", "--frame 4"});
  for (const char* folder : {"an", "tr", "pd9"}) EXPECT_FALSE(fs::exists(dir_->file(folder))) << folder;
  EXPECT_FALSE(fs::exists(dir_->file("x.h5")));
}

}  // namespace
}  // namespace csd::test
