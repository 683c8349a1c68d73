// End-to-end runs of `csd generate` and `csd info` on configs/smoke.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <algorithm>
#include <fstream>
#include <limits>

#include "cli_runner.h"
#include "csd/io/dataset.h"
#include "csd/io/lock.h"

namespace csd::test {
namespace {

const std::string kSmoke = "--config " + source_path("configs/smoke/generate.json");

TEST(CliGenerate, WritesTheSchemaAndInfoDescribesIt) {
  ScratchDir dir("gen");
  const std::string out = dir.file("d.h5");
  const CliResult r = run_csd("generate -q " + kSmoke + " --out " + out, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const CliResult info = run_csd("info --json " + out, dir);
  ASSERT_EQ(info.status, 0) << info.err;
  const auto j = nlohmann::json::parse(info.out);
  EXPECT_EQ(j["sequences"], 3);
  EXPECT_EQ(j["frames"], 4);
  EXPECT_EQ(j["size"], 32);
  EXPECT_EQ(j["complete"], 3);
  EXPECT_EQ(j["physics"]["steps_per_frame"], 20);
  EXPECT_FALSE(std::filesystem::exists(io::partial_path(out)));
}

TEST(CliGenerate, CreatesTheOutputDirectoryButNotOverAFile) {
  ScratchDir dir("gen-dirs");
  const CliResult r = run_csd("generate -q " + kSmoke + " --sequences 1 --frames 2 --size 16 --out " +
                                  dir.file("runs/new/d.h5"),
                              dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir.file("runs/new/d.h5")));
  std::ofstream(dir.file("plain")) << "x";
  const CliResult blocked = run_csd("generate -q " + kSmoke + " --out " + dir.file("plain/d.h5"), dir);
  EXPECT_NE(blocked.status, 0);
  EXPECT_EQ(error_lines(blocked.err), 1) << blocked.err;
  EXPECT_EQ(read_text(dir.file("plain")), "x");
}

TEST(CliGenerate, ASecondWriterFailsAtOnceAndNeverTouchesTheFirstsFiles) {
  ScratchDir dir("gen-lock");
  const std::string out = dir.file("d.h5");
  // This test process plays the first writer: it holds the lock on d.h5.part.
  const io::ExclusiveLock first(io::partial_path(out));
  std::ofstream(io::partial_path(out)) << "the first run's partial file";
  const std::string before = read_text(io::partial_path(out));
  for (const char* mode : {"--overwrite", "--resume", ""}) {
    const CliResult r = run_csd("generate -q " + kSmoke + " --out " + out + " " + mode, dir);
    EXPECT_NE(r.status, 0) << mode;
    EXPECT_EQ(error_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("locked"), std::string::npos) << mode << ": " << r.err;
  }
  EXPECT_EQ(read_text(io::partial_path(out)), before);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliGenerate, OverwriteRefusesLinksAndSpecialFiles) {
  ScratchDir dir("gen-special");
  std::ofstream(dir.file("precious")) << "keep me";
  std::filesystem::create_symlink(dir.file("precious"), dir.file("link.h5"));
  ASSERT_EQ(std::system(("mkfifo " + dir.file("fifo.h5")).c_str()), 0);
  for (const char* name : {"link.h5", "fifo.h5"}) {
    const CliResult r = run_csd("generate -q " + kSmoke + " --overwrite --out " + dir.file(name), dir);
    EXPECT_NE(r.status, 0) << name;
    EXPECT_EQ(error_lines(r.err), 1) << r.err;
  }
  EXPECT_TRUE(std::filesystem::is_symlink(dir.file("link.h5")));
  EXPECT_TRUE(std::filesystem::is_fifo(dir.file("fifo.h5")));
  EXPECT_EQ(read_text(dir.file("precious")), "keep me");
}

TEST(CliGenerate, IdenticalBytesForOneAndTwoThreads) {
  ScratchDir dir("threads");
  const std::string a = dir.file("a.h5"), b = dir.file("b.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --sequences 5 --threads 1 --out " + a, dir).status, 0);
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --sequences 5 --threads 2 --out " + b, dir).status, 0);
  const std::string bytes_a = read_text(a), bytes_b = read_text(b);
  ASSERT_GT(bytes_a.size(), 1000u);
  EXPECT_TRUE(bytes_a == bytes_b) << "files differ between 1 and 2 threads";
}

TEST(CliGenerate, InterruptedAndResumedEqualsUninterrupted) {
  ScratchDir dir("resume");
  const std::string whole = dir.file("whole.h5"), parts = dir.file("parts.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --out " + whole, dir).status, 0);
  const CliResult first = run_csd("generate -q " + kSmoke + " --max-new-sequences 1 --out " + parts, dir);
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_FALSE(std::filesystem::exists(parts));
  ASSERT_TRUE(std::filesystem::exists(io::partial_path(parts)));
  {
    const io::DatasetReader partial(io::partial_path(parts));
    const auto done = partial.completed();
    EXPECT_EQ(std::count(done.begin(), done.end(), true), 1);
  }
  const CliResult again = run_csd("generate -q " + kSmoke + " --out " + parts, dir);
  EXPECT_NE(again.status, 0) << "an existing partial file must not be silently replaced";
  const CliResult resumed = run_csd("generate -q " + kSmoke + " --resume --out " + parts, dir);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_TRUE(read_text(whole) == read_text(parts));
}

TEST(CliGenerate, ShardsMergeIntoTheSingleRunsFileAndInfoNamesAShard) {
  ScratchDir dir("shards");
  const std::string whole = dir.file("whole.h5"), merged = dir.file("merged.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --out " + whole, dir).status, 0);
  for (const char* shard : {"0/2", "1/2"}) {
    const std::string out = dir.file(std::string("part") + shard[0] + ".h5");
    const CliResult r = run_csd("generate -q " + kSmoke + " --shard " + shard + " --out " + out, dir);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  const CliResult info = run_csd("info --json " + dir.file("part1.h5"), dir);
  ASSERT_EQ(info.status, 0) << info.err;
  const auto j = nlohmann::json::parse(info.out);
  EXPECT_EQ(j["shard"], "1/2");
  EXPECT_EQ(j["complete"], 1);  // sequence 1 of 0, 1, 2
  const CliResult r =
      run_csd("merge -q " + merged + " " + dir.file("part1.h5") + " " + dir.file("part0.h5"), dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(read_text(whole) == read_text(merged)) << "merged shards differ from one run";
  // A shard missing: one error line naming it; no output.
  const CliResult missing = run_csd("merge -q " + dir.file("m2.h5") + " " + dir.file("part0.h5"), dir);
  EXPECT_NE(missing.status, 0);
  EXPECT_EQ(error_lines(missing.err), 1) << missing.err;
  EXPECT_NE(missing.err.find("missing shard 1/2"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("m2.h5")));
}

TEST(CliGenerate, ResumeRefusesAnyOtherGenerationSetting) {
  ScratchDir dir("resume-config");
  const std::string parts = dir.file("parts.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --seed 5 --max-new-sequences 1 --out " + parts, dir).status, 0);
  const std::string before = read_text(io::partial_path(parts));
  // Each of these would mix two runs in one file under one config.
  const std::vector<std::pair<std::string, std::string>> changes = {
      {"--seed 6", "generate.seed 5 (file) vs 6 (requested)"},
      {"--seed 5 --eta 0.004", "generate.eta absent (file) vs 0.004 (requested)"},
      {"--seed 5 --amplitude 0.05", "generate.amplitude"},
      {"--seed 5 --feature-size 8", "generate.feature_size"},
      {"--seed 5 --mean-phi-range 0.4 0.6", "generate.mean_phi_range"}};
  for (const auto& [flags, named] : changes) {
    const CliResult r = run_csd("generate -q " + kSmoke + " " + flags + " --resume --out " + parts, dir);
    EXPECT_NE(r.status, 0) << flags;
    EXPECT_EQ(error_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << flags << ": " << r.err;
  }
  EXPECT_EQ(read_text(io::partial_path(parts)), before);
  // Run control (threads, pictures, how many new sequences) may change.
  const CliResult resumed =
      run_csd("generate -q " + kSmoke + " --seed 5 --threads 1 --resume --out " + parts, dir);
  EXPECT_EQ(resumed.status, 0) << resumed.err;
}

TEST(CliGenerate, PicturesAreReplacedOnlyWithTheFinishedDataset) {
  ScratchDir dir("gen-png");
  const std::string out = dir.file("d.h5"), picture = out + ".png/seq00000_t00000.png";
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --seed 1 --png-every 1 --out " + out, dir).status, 0);
  const std::string old_picture = read_text(picture);
  ASSERT_FALSE(old_picture.empty());
  EXPECT_FALSE(std::filesystem::exists(out + ".png.part"));
  // An --overwrite run that stops early (as a killed one would) leaves the old pictures.
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --seed 2 --png-every 1 --overwrite "
                    "--max-new-sequences 1 --out " + out, dir).status, 0);
  EXPECT_EQ(read_text(picture), old_picture);
  EXPECT_TRUE(std::filesystem::exists(out + ".png.part/seq00000_t00000.png"));
  // Finishing it swaps the new pictures in, those of the first run included.
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --seed 2 --png-every 1 --resume --out " + out, dir).status, 0);
  EXPECT_NE(read_text(picture), old_picture);
  EXPECT_TRUE(std::filesystem::exists(out + ".png/seq00002_t00000.png"));
  EXPECT_FALSE(std::filesystem::exists(out + ".png.part"));
}

TEST(CliGenerate, AJobTooLargeForTheMachineIsRefusedBeforeAnyWork) {
  ScratchDir dir("gen-huge");
  // 30000² × 1000 frames needs terabytes on any machine.
  const CliResult r =
      run_csd("generate -q " + kSmoke + " --sequences 1 --frames 1000 --size 30000 --out " +
                  dir.file("huge.h5"),
              dir);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("GiB are available"), std::string::npos) << r.err;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_TRUE(entry.path().filename() == "stdout.txt" || entry.path().filename() == "stderr.txt")
        << entry.path() << " was left behind";
}

TEST(CliGenerate, NoiseKeepsInitialFieldsAndConservesMass) {
  ScratchDir dir("noise");
  const std::string clean = dir.file("clean.h5"), noisy = dir.file("noisy.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --out " + clean, dir).status, 0);
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --noise 7.5e-4 --out " + noisy, dir).status, 0);
  const io::DatasetReader a(clean), b(noisy);
  EXPECT_EQ(b.info().noise, 7.5e-4);
  for (int s = 0; s < 3; ++s) {
    EXPECT_EQ(a.read_frame(s, 0), b.read_frame(s, 0)) << "sequence " << s;
    const auto last_a = a.read_frame(s, 3), last_b = b.read_frame(s, 3);
    EXPECT_NE(last_a, last_b);
    double mass_a = 0, mass_b = 0;
    for (size_t i = 0; i < last_a.size(); ++i) {
      mass_a += last_a[i];
      mass_b += last_b[i];
    }
    EXPECT_NEAR(mass_a / last_a.size(), mass_b / last_b.size(), 1e-6);
  }
}

TEST(CliGenerate, RadialAndFileInitialFieldsStartWhereAsked) {
  ScratchDir dir("init");
  const std::string radial = dir.file("radial.h5"), seeded = dir.file("seeded.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --size 32 --init radial --radial-centre 0.7 "
                    "--radial-edge 0.3 --out " + radial, dir).status, 0);
  const io::DatasetReader r(radial);
  const std::vector<float> phi0 = r.read_frame(0, 0);
  const int n = 32;
  EXPECT_GT(phi0[(n / 2) * n + n / 2], 0.6f);  // rich centre
  EXPECT_LT(phi0[0], 0.4f);                     // lean corner
  // --init-from starts every sequence from the given field (here frame 0 of the radial
  // run's sequence 1), so each frame 0 equals it exactly.
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --size 32 --init-from " + radial +
                    " --init-index 1 --out " + seeded, dir).status, 0);
  const io::DatasetReader f(seeded);
  EXPECT_EQ(f.read_frame(0, 0), r.read_frame(1, 0));
  EXPECT_EQ(f.read_frame(2, 0), r.read_frame(1, 0));
  EXPECT_NE(f.read_frame(0, 3), f.read_frame(0, 0)) << "the solver must evolve it";
}

/// A config with a typo and a dataset whose field holds a NaN.
void write_bad_input_files(const ScratchDir& dir) {
  std::ofstream(dir.file("typo.json")) << R"({"generate": {"sequencs": 3}})";
  std::vector<float> frame(32 * 32, 0.5f);
  frame[100] = std::numeric_limits<float>::quiet_NaN();
  io::write_float_dataset(dir.file("nan.h5"), "phi", frame, {32, 32});
}

/// Each bad input: non-zero exit, exactly one `error:` line, existing data untouched.
class CliGenerateBadInput : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(CliGenerateBadInput, FailsCleanly) {
  ScratchDir dir("bad");
  const std::string existing = dir.file("existing.h5");
  ASSERT_EQ(run_csd("generate -q " + kSmoke + " --out " + existing, dir).status, 0);
  const std::string before = read_text(existing);
  write_bad_input_files(dir);
  std::string args = GetParam().second;
  const std::string marker = "EXISTING";
  if (auto at = args.find(marker); at != std::string::npos) args.replace(at, marker.size(), existing);
  const std::string dir_marker = "DIR";
  while (args.find(dir_marker) != std::string::npos)
    args.replace(args.find(dir_marker), dir_marker.size(), dir.path().string());
  const CliResult r = run_csd("generate -q " + args, dir);
  EXPECT_NE(r.status, 0) << GetParam().first;
  EXPECT_EQ(error_lines(r.err), 1) << GetParam().first << ": " << r.err;
  EXPECT_EQ(read_text(existing), before) << GetParam().first << " damaged existing data";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliGenerateBadInput,
    ::testing::Values(
        std::make_pair("size zero", "--size 0 --out DIR/x.h5"),
        std::make_pair("size negative", "--size -8 --out DIR/x.h5"),
        std::make_pair("frames zero", "--frames 0 --out DIR/x.h5"),
        std::make_pair("eta too large", "--eta 0.06 --out DIR/x.h5"),
        std::make_pair("eta negative", "--eta -0.001 --out DIR/x.h5"),
        std::make_pair("mean phi zero", "--mean-phi 0 --out DIR/x.h5"),
        std::make_pair("mean phi above one", "--mean-phi 1.2 --out DIR/x.h5"),
        std::make_pair("unknown config key", "--config DIR/typo.json --out DIR/x.h5"),
        std::make_pair("unreadable config", "--config DIR/missing.json --out DIR/x.h5"),
        std::make_pair("unwritable output", "--size 32 --out DIR/existing.h5/sub/x.h5"),
        std::make_pair("existing output", "--size 32 --frames 2 --out EXISTING"),
        std::make_pair("nan in input field", "--init-from DIR/nan.h5 --size 32 --out DIR/x.h5"),
        std::make_pair("shard index past the count", "--shard 2/2 --out DIR/x.h5"),
        std::make_pair("shard not I/N", "--shard 1 --out DIR/x.h5")));


}  // namespace
}  // namespace csd::test
