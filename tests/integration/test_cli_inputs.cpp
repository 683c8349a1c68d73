// Inputs that analyze, evaluate and info used to get wrong (issue 9, items 8, 12, 13):
// grids that are not multiples of the HOG cells, grids too small for the descriptors,
// NaN/Inf in the data, and partial files without complete sequences.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_checks.h"
#include "csd/io/dataset.h"
#include "python_modules.h"

namespace csd::test {
namespace {

const std::string kSmoke = "--config " + source_path("configs/smoke/generate.json");
const std::string kModel = source_path("data/model-small.pt");

/// The smoke config (3 sequences × 4 frames) on an N×N grid, optionally with solver noise.
std::string generate(const ScratchDir& dir, const std::string& name, int n,
                     const std::string& extra = "") {
  const std::string path = dir.file(name);
  const CliResult r = run_csd("generate -q " + kSmoke + " --size " + std::to_string(n) +
                                  " --fft-plans estimate " + extra + " --out " + path,
                              dir);
  EXPECT_EQ(r.status, 0) << r.err;
  return path;
}

/// Sets phi[s, frame, y, x] of `path` to `value` (a Python expression) through h5py.
void damage(const std::string& path, int s, int frame, int y, int x, const std::string& value) {
  const std::string script = "import h5py, numpy; f = h5py.File('" + path + "', 'a'); f['phi'][" +
                             std::to_string(s) + ", " + std::to_string(frame) + ", " +
                             std::to_string(y) + ", " + std::to_string(x) + "] = " + value +
                             "; f.close()";
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\"").c_str()), 0) << script;
}

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text(path)); }

// Item 8: N = 30 and 50 are not multiples of the 4-pixel HOG cells; analyze and
// evaluate --against measure whole cells and whole boxes and report finite values.
TEST(CliInputs, AnalyzeAndEvaluateAnyGridSize) {
  ScratchDir dir("any-grid");
  for (const int n : {30, 50}) {
    const std::string tag = std::to_string(n);
    const std::string clean = generate(dir, "clean" + tag + ".h5", n);
    const std::string noisy = generate(dir, "noisy" + tag + ".h5", n, "--noise 1e-3");
    const std::string analysis = dir.file("analysis" + tag);
    CliResult r = run_csd("analyze -q --no-plots --threads 1 " + clean + " --out " + analysis, dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto summary = read_json(analysis + "/summary.json");
    EXPECT_EQ(summary["size"], n);
    for (const char* name : {"isotropy", "fractal_dimension"}) {
      const auto& median = summary["first_frame"][name]["median"];
      ASSERT_TRUE(median.is_number()) << name << " at N = " << n << ": " << median;
      EXPECT_TRUE(std::isfinite(median.get<double>())) << name;
    }
    const std::string eval = dir.file("eval" + tag);
    r = run_csd("evaluate -q --no-plots --threads 1 --data " + noisy + " --against " + clean +
                    " --out " + eval,
                dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(read_json(eval + "/summary.json")["size"], n);
  }
}

// Item 8: below the smallest supported grid, one error in user terms, and no output.
TEST(CliInputs, GridsTooSmallForTheDescriptorsAreRefusedInUserTerms) {
  ScratchDir dir("small-grid");
  const std::string data = generate(dir, "d8.h5", 8);
  const std::string analysis = dir.file("analysis");
  CliResult r = run_csd("analyze -q --no-plots " + data + " --out " + analysis, dir);
  expect_one_error(r, {"N = 8", "N >= 16"});
  EXPECT_FALSE(contains(r.err, "BoxCountingOptions")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(analysis));
  const std::string eval = dir.file("eval");
  r = run_csd("evaluate -q --no-plots --data " + data + " --against " + data + " --out " + eval,
              dir);
  expect_one_error(r, {"N = 8", "N >= 16"});
  EXPECT_FALSE(std::filesystem::exists(eval));
}

// Item 8: evaluate --model checks the test set's grid before rolling the surrogate out
// (the log line "evaluate: surrogate ..." comes just before the rollout).
TEST(CliInputs, EvaluateModelChecksTheGridBeforeTheRollout) {
  ScratchDir dir("small-grid-model");
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  const std::string data = generate(dir, "d12.h5", 12, "--steps-per-frame 100");
  const CliResult r = run_csd("evaluate --no-plots --threads 1 --model " + kModel + " --data " +
                                  data + " --out " + dir.file("eval"),
                              dir);
  expect_one_error(r, {"N = 12", "N >= 16"});
  EXPECT_FALSE(contains(r.err + r.out, "evaluate: surrogate")) << r.err;
}

// Item 12: a NaN or Inf anywhere in the data is refused, naming the file, the sequence,
// the frame and the pixel of the first one, instead of dropping out of the medians.
TEST(CliInputs, NonFiniteDataIsRefusedByAnalyzeAndEvaluate) {
  ScratchDir dir("non-finite");
  ASSERT_TRUE(python_imports("h5py")) << "h5py damages the dataset";
  const std::string clean = generate(dir, "clean.h5", 32);
  const std::string damaged = generate(dir, "damaged.h5", 32);
  damage(damaged, 1, 2, 3, 5, "numpy.nan");   // the first: sequence 1, frame 2, row 3, column 5
  damage(damaged, 2, 1, 0, 0, "numpy.inf");
  const std::vector<std::string> parts{"damaged.h5", "sequence 1", "frame 2",
                                       "NaN at pixel (5, 3)"};
  const std::string analysis = dir.file("analysis");
  CliResult r = run_csd("analyze -q --no-plots --threads 1 " + damaged + " --out " + analysis, dir);
  expect_one_error(r, parts);
  EXPECT_FALSE(std::filesystem::exists(analysis + "/ensemble.csv"));
  r = run_csd("evaluate -q --no-plots --threads 1 --data " + damaged + " --against " + clean +
                  " --out " + dir.file("eval-a"),
              dir);
  expect_one_error(r, parts);
  r = run_csd("evaluate -q --no-plots --threads 1 --data " + clean + " --against " + damaged +
                  " --out " + dir.file("eval-b"),
              dir);
  expect_one_error(r, parts);

  const std::string infinite = generate(dir, "infinite.h5", 32);
  damage(infinite, 0, 3, 31, 30, "-numpy.inf");
  r = run_csd("analyze -q --no-plots " + infinite + " --out " + dir.file("analysis-inf"), dir);
  expect_one_error(r, {"infinite.h5", "sequence 0", "frame 3", "Inf at pixel (30, 31)"});
}

// Item 12: evaluate --model refuses a test set with a NaN in a later frame before the
// rollout, not after it.
TEST(CliInputs, EvaluateModelRefusesNonFiniteReferenceBeforeTheRollout) {
  ScratchDir dir("non-finite-model");
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  ASSERT_TRUE(python_imports("h5py")) << "h5py damages the dataset";
  const std::string data = generate(dir, "d.h5", 32, "--steps-per-frame 100");
  damage(data, 2, 3, 7, 9, "numpy.nan");
  const CliResult r = run_csd("evaluate --no-plots --threads 1 --model " + kModel + " --data " +
                                  data + " --out " + dir.file("eval"),
                              dir);
  expect_one_error(r, {"d.h5", "sequence 2", "frame 3", "NaN at pixel (9, 7)"});
  EXPECT_FALSE(contains(r.err + r.out, "evaluate: surrogate")) << r.err;
}

// Item 13: csd info on a partial file says how many sequences are complete, and that
// none is when none is, instead of printing placeholder ranges.
TEST(CliInputs, InfoOnAPartialFileSaysHowManySequencesAreComplete) {
  ScratchDir dir("partial-info");
  const std::string empty = dir.file("empty.h5");
  {
    io::DatasetInfo info;
    info.shape = {3, 2, 16};
    io::DatasetWriter writer(empty, info, io::DatasetWriter::Mode::kCreate);
  }  // closed without finish(): only empty.h5.part, no sequence complete
  const std::string empty_part = io::partial_path(empty);
  CliResult r = run_csd("info " + empty_part, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "no sequence is complete yet")) << r.out;
  EXPECT_TRUE(contains(r.out, "0 of 3 complete")) << r.out;
  EXPECT_FALSE(contains(r.out, "e+300")) << r.out;
  r = run_csd("info --json " + empty_part, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["complete"], 0);
  EXPECT_TRUE(j["eta_range"].is_null());
  EXPECT_TRUE(j["partial"].get<bool>());

  const std::string some = dir.file("some.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --max-new-sequences 1 --out " + some, dir).status,
            0);
  r = run_csd("info " + io::partial_path(some), dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "1 of 3 complete")) << r.out;
  EXPECT_TRUE(contains(r.out, "over the 1 complete")) << r.out;
  EXPECT_FALSE(contains(r.out, "no sequence is complete")) << r.out;
  EXPECT_FALSE(contains(r.out, "nan")) << r.out;
}

}  // namespace
}  // namespace csd::test
