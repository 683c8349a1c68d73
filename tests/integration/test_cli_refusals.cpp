// Inputs that used to be accepted without complaint or answered with an unclear message
// (issue 9): each is now refused with one clear `error:` line or run with a warning.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "cli_checks.h"
#include "csd/io/dataset.h"
#include "python_modules.h"

namespace csd::test {
namespace {

namespace fs = std::filesystem;

const std::string kSmoke = "--config " + source_path("configs/smoke/generate.json");
const std::string kModel = source_path("data/model-small.pt");

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(CliRefusals, ConfigIntegersOutOfRangeAreNotWrapped) {
  ScratchDir dir("int-range");
  write_text(dir.file("c.json"), R"({"generate": {"size": 4294967328}})");
  const CliResult r = run_csd("generate -q --config " + dir.file("c.json") + " --out " +
                                  dir.file("x.h5"),
                              dir);
  expect_one_error(r, {"generate.size", "4294967328"});
  EXPECT_FALSE(fs::exists(dir.file("x.h5")));
  write_text(dir.file("s.json"), R"({"generate": {"seed": -1}})");
  expect_one_error(run_csd("generate -q --config " + dir.file("s.json") + " --out " +
                               dir.file("y.h5"),
                           dir),
                   {"generate.seed", "-1"});
}

TEST(CliRefusals, SmallNumbersInMessagesAreNotPrintedAsZero) {
  ScratchDir dir("small-numbers");
  const CliResult r = run_csd("generate -q " + kSmoke + " --eta -4e-7 --out " + dir.file("x.h5"), dir);
  expect_one_error(r, {"-4e-07"});
  EXPECT_FALSE(contains(r.err, "0.000000")) << r.err;
}

TEST(CliRefusals, ThreadsMustBeNonNegativeAndAreCappedAtTheCores) {
  ScratchDir dir("threads");
  expect_one_error(run_csd("generate -q " + kSmoke + " --threads -1 --out " + dir.file("a.h5"), dir),
                   {"threads", "-1", ">= 0"});
  const CliResult many =
      run_csd("generate " + kSmoke + " --sequences 1 --threads 1000 --out " + dir.file("b.h5"), dir);
  ASSERT_EQ(many.status, 0) << many.err;
  EXPECT_TRUE(contains(many.out + many.err, "threads = 1000 is more than")) << many.out << many.err;
}

TEST(CliRefusals, TimeStepFarBeyondTheStableRangeWarns) {
  ScratchDir dir("dt");
  write_text(dir.file("dt.json"), R"({"generate": {"sequences": 1, "frames": 2, "size": 16},
                                       "physics": {"dt": 1e6, "steps_per_frame": 2}})");
  const CliResult r =
      run_csd("generate --config " + dir.file("dt.json") + " --out " + dir.file("x.h5"), dir);
  EXPECT_TRUE(contains(r.out + r.err, "physics.dt = 1e+06")) << r.out << r.err;
  EXPECT_TRUE(contains(r.out + r.err, "stable")) << r.out << r.err;
  // The default step gives no such warning.
  const CliResult fine =
      run_csd("generate " + kSmoke + " --sequences 1 --frames 2 --out " + dir.file("y.h5"), dir);
  ASSERT_EQ(fine.status, 0) << fine.err;
  EXPECT_FALSE(contains(fine.out + fine.err, "physics.dt")) << fine.out << fine.err;
}

TEST(CliRefusals, RolloutFromAFieldWithMeanAboveOneIsRefusedLikeGenerate) {
  ScratchDir dir("mean");
  std::vector<float> field(32 * 32, 1.22f);
  for (size_t i = 0; i < field.size(); i += 2) field[i] = 1.12f;  // mean 1.17, not uniform
  io::write_float_dataset(dir.file("high.h5"), "phi", field, {32, 32});
  const CliResult generate = run_csd("generate -q " + kSmoke + " --init-from " + dir.file("high.h5") +
                                         " --out " + dir.file("g.h5"),
                                     dir);
  expect_one_error(generate, {"high.h5", "1.17", "outside (0, 1)"});
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  const CliResult rollout = run_csd("rollout -q --model " + kModel + " --from " +
                                        dir.file("high.h5") + " --eta 0.004 --frames 2 --out " +
                                        dir.file("r.h5"),
                                    dir);
  expect_one_error(rollout, {"high.h5", "1.17", "outside (0, 1)"});
  EXPECT_FALSE(fs::exists(dir.file("r.h5")));
}

TEST(CliRefusals, TrainingRefusesToReplaceALoneBestCheckpoint) {
  ScratchDir dir("best");
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  const std::string data = dir.file("tiny.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --sequences 4 --size 16 --frames 5 --out " + data, dir)
                .status,
            0);
  fs::create_directories(dir.file("run"));
  fs::copy_file(kModel, dir.file("run/best.pt"));
  const std::string before = read_text(dir.file("run/best.pt"));
  const std::string train = "train -q --config " + source_path("configs/smoke/train.json") +
                            " --data " + data + " --out " + dir.file("run") + " --threads 1";
  expect_one_error(run_csd(train, dir), {"best.pt", "--overwrite"});
  EXPECT_TRUE(read_text(dir.file("run/best.pt")) == before);
  const CliResult replaced = run_csd(train + " --overwrite", dir);
  ASSERT_EQ(replaced.status, 0) << replaced.err;
  EXPECT_FALSE(read_text(dir.file("run/best.pt")) == before);
}

TEST(CliRefusals, DamagedCheckpointIsRefusedByInfoAndRollout) {
  ScratchDir dir("damaged");
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  // One byte in the middle of the weights (the largest stored record) changed.
  std::string bytes = read_text(kModel);
  const CliResult info = run_csd("info --json " + kModel, dir);
  ASSERT_EQ(info.status, 0) << info.err;
  ASSERT_TRUE(contains(info.out, "weights_digest")) << "the shipped model has no digest";
  const size_t at = bytes.size() / 2;  // the weights fill almost the whole file
  bytes[at] = static_cast<char>(bytes[at] ^ 0x10);
  write_text(dir.file("bad.pt"), bytes);
  expect_one_error(run_csd("info " + dir.file("bad.pt"), dir), {"bad.pt", "damaged", "digest"});
  expect_one_error(run_csd("rollout -q --model " + dir.file("bad.pt") +
                               " --perlin --size 16 --eta 0.004 --frames 2 --out " +
                               dir.file("r.h5"),
                           dir),
                   {"bad.pt", "damaged", "digest"});
}

TEST(CliRefusals, FilesThatAreNotCheckpointsAreNamedSo) {
  ScratchDir dir("foreign");
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  write_text(dir.file("empty.h5"), "");
  write_text(dir.file("random.h5"), std::string(64, '\x5a'));
  for (const char* name : {"empty.h5", "random.h5"}) {
    const CliResult r = run_csd("rollout -q --model " + dir.file(name) +
                                    " --perlin --size 16 --eta 0.004 --frames 2 --out " +
                                    dir.file("r.h5"),
                                dir);
    expect_one_error(r, {name, "not a csd checkpoint"});
    EXPECT_FALSE(contains(r.err, "damaged")) << r.err;
    expect_one_error(run_csd("info " + dir.file(name), dir), {name, "not a csd checkpoint"});
  }
}

TEST(CliRefusals, InfoOnADirectorySaysSo) {
  ScratchDir dir("info-dir");
  const CliResult r = run_csd("info " + dir.path().string(), dir);
  expect_one_error(r, {"is a directory", "dataset (.h5) or a checkpoint (.pt)"});
  EXPECT_FALSE(contains(r.err, "basic_filebuf")) << r.err;
}

TEST(CliRefusals, UnknownCommandIsNamedWithTheCommands) {
  ScratchDir dir("bogus");
  const CliResult r = run_csd("bogus", dir);
  expect_one_error(r, {"unknown command 'bogus'", "generate", "info"});
  const CliResult quiet = run_csd("-q bogus --x 1", dir);
  expect_one_error(quiet, {"unknown command 'bogus'"});
  EXPECT_EQ(run_csd("--version", dir).status, 0);
}

TEST(CliRefusals, NonFiniteFirstFrameIsNamedBySequenceAndPixel) {
  ScratchDir dir("nan-frame");
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  ASSERT_TRUE(python_imports("h5py")) << "h5py damages the dataset";
  const std::string data = dir.file("d.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --size 64 --steps-per-frame 100 --out " + data, dir).status, 0);
  // Pixel index 165 of sequence 1's first frame: column 37, row 2 on a 64² grid.
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"import h5py, numpy; f = h5py.File('" + data +
                         "', 'a'); f['phi'][1, 0, 2, 37] = numpy.nan; f.close()\"")
                            .c_str()),
            0);
  const CliResult r = run_csd("evaluate -q --no-plots --threads 1 --model " + kModel + " --data " +
                                  data + " --out " + dir.file("eval"),
                              dir);
  expect_one_error(r, {"sequence 1", "NaN at pixel (37, 2)"});
  // Not the flat index; the scratch folder's random name may hold those digits.
  std::string message = r.err;
  for (std::size_t at; (at = message.find(data)) != std::string::npos;) message.erase(at, data.size());
  EXPECT_FALSE(contains(message, "165")) << r.err;
}

}  // namespace
}  // namespace csd::test
