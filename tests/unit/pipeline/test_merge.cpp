// Sharded generation (--shard I/N) and csd merge: the merged file is the single run's.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "cli_runner.h"
#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/pipeline/generate.h"
#include "csd/pipeline/merge.h"
#include "error_capture.h"
#include "temp_dir.h"

namespace csd::pipeline {
namespace {

using test::contains;
using test::error_of;

/// S = 5 so that shards of 2 and 3 are uneven.
GenerateConfig tiny(const std::string& out, const std::string& shard = "") {
  GenerateConfig c;
  c.out = out;
  c.sequences = 5;
  c.frames = 3;
  c.size = 16;
  c.seed = 42;
  c.threads = 1;
  c.physics.steps_per_frame = 10;
  c.shard = shard;
  return c;
}

/// Generates shard "I/N" of `c` into DIR/shard.I.N<tag>.h5 and returns the path.
std::string make_shard(const test::ScratchDir& dir, const std::string& shard,
                       GenerateConfig c = tiny(""), const std::string& tag = "") {
  c.out = dir.file("shard." + std::to_string(parse_shard(shard).index) + "." +
                   std::to_string(parse_shard(shard).count) + tag + ".h5");
  c.shard = shard;
  generate(c);
  return c.out;
}

MergeConfig merge_of(const std::string& out, std::vector<std::string> shards) {
  MergeConfig m;
  m.out = out;
  m.shards = std::move(shards);
  m.threads = 2;
  return m;
}

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// Every dataset of `merged` equals `single`'s bit for bit, named on failure; then the
/// whole files.
void expect_same_dataset(const std::string& single, const std::string& merged) {
  const io::DatasetReader a(single), b(merged);
  ASSERT_EQ(a.shape().sequences, b.shape().sequences);
  EXPECT_EQ(a.info().config_json, b.info().config_json);
  EXPECT_EQ(b.info().shard.text(), "0/1");
  EXPECT_EQ(a.completed(), b.completed());
  for (int s = 0; s < a.shape().sequences; ++s) {
    EXPECT_TRUE(same_bytes(a.read_frames(s, 0, a.shape().frames),
                           b.read_frames(s, 0, b.shape().frames)))
        << "/phi of sequence " << s;
    const io::SequenceMeta x = a.meta(s), y = b.meta(s);
    EXPECT_EQ(std::memcmp(&x.eta, &y.eta, sizeof x.eta), 0) << "/eta " << s;
    EXPECT_EQ(std::memcmp(&x.mean_phi, &y.mean_phi, sizeof x.mean_phi), 0) << "/mean_phi " << s;
    EXPECT_EQ(std::memcmp(&x.amplitude, &y.amplitude, sizeof x.amplitude), 0) << "/amplitude " << s;
    EXPECT_EQ(x.seed, y.seed) << "/seed " << s;
    const auto ea = a.energies(s), eb = b.energies(s);
    ASSERT_EQ(ea.size(), eb.size());
    for (std::size_t t = 0; t < ea.size(); ++t)
      EXPECT_EQ(std::memcmp(&ea[t], &eb[t], sizeof ea[t]), 0) << "/energy of " << s << ", " << t;
  }
  EXPECT_EQ(test::read_text(single), test::read_text(merged)) << "the files differ";
}

TEST(Shard, ParsesIOverNAndRefusesAnythingElse) {
  EXPECT_TRUE(parse_shard("").whole());
  EXPECT_EQ(parse_shard("3/8").index, 3);
  EXPECT_EQ(parse_shard("3/8").count, 8);
  for (const char* bad : {"8/8", "1", "/4", "1/", "-1/4", "1/0", "a/4", "1/4x", "1 /4"})
    EXPECT_TRUE(contains(error_of([&] { parse_shard(bad); }), "not I/N")) << bad;
}

TEST(Merge, ShardsMergeToTheBytesOfASingleRun) {
  test::ScratchDir dir("merge");
  generate(tiny(dir.file("single.h5")));
  GenerateConfig two_threads = tiny("");
  two_threads.threads = 2;
  // Given out of order; the shards hold 2, 2 and 1 sequences.
  const std::vector<std::string> shards = {make_shard(dir, "2/3"), make_shard(dir, "0/3"),
                                           make_shard(dir, "1/3", two_threads)};
  EXPECT_EQ(io::DatasetReader(shards[0]).completed(),
            (std::vector<bool>{false, false, true, false, false}));
  const MergeSummary s = merge_shards(merge_of(dir.file("merged.h5"), shards));
  EXPECT_EQ(s.sequences, 5);
  EXPECT_EQ(s.shards, 3);
  expect_same_dataset(dir.file("single.h5"), dir.file("merged.h5"));
  EXPECT_FALSE(std::filesystem::exists(io::partial_path(dir.file("merged.h5"))));
}

TEST(Merge, ShardsOfDifferentCountsMixAndAShardResumes) {
  test::ScratchDir dir("merge-mixed");
  generate(tiny(dir.file("single.h5")));
  GenerateConfig stopped = tiny("");
  stopped.max_new_sequences = 1;  // the batch job ran out of time after one sequence
  const std::string half = make_shard(dir, "0/2", stopped);
  EXPECT_FALSE(std::filesystem::exists(half));
  stopped.max_new_sequences = 0;
  stopped.resume = true;
  make_shard(dir, "0/2", stopped);
  merge_shards(
      merge_of(dir.file("merged.h5"), {make_shard(dir, "3/4"), half, make_shard(dir, "1/4")}));
  expect_same_dataset(dir.file("single.h5"), dir.file("merged.h5"));
}

class MergeRefusal : public ::testing::Test {
 protected:
  /// The refusal's message; checks that nothing was written and an old OUT survives.
  std::string refusal(const std::vector<std::string>& shards) {
    test::write_bytes(out_, "the old dataset");
    MergeConfig m = merge_of(out_, shards);
    m.overwrite = true;
    const std::string message = error_of([&] { merge_shards(m); });
    EXPECT_NE(message, "(no csd::Error)") << "merged what it should refuse";
    EXPECT_EQ(test::read_text(out_), "the old dataset");
    EXPECT_FALSE(std::filesystem::exists(io::partial_path(out_)));
    return message;
  }

  test::ScratchDir dir_{"merge-refusal"};
  std::string out_ = dir_.file("out.h5");
};

TEST_F(MergeRefusal, AShardOfAnotherConfigNamingItAndTheKey) {
  GenerateConfig other = tiny("");
  other.seed = 43;
  const std::string first = make_shard(dir_, "0/2"), second = make_shard(dir_, "1/2", other);
  const std::string message = refusal({first, second});
  EXPECT_TRUE(contains(message, "'" + second + "' (shard 1/2) does not belong with")) << message;
  EXPECT_TRUE(contains(message, "generate.seed 43")) << message;
}

TEST_F(MergeRefusal, AShardOfOtherPhysicsOrShape) {
  GenerateConfig other = tiny("");
  other.physics.dt = 0.02;
  EXPECT_TRUE(contains(refusal({make_shard(dir_, "0/2"), make_shard(dir_, "1/2", other)}),
                       "physics.dt 0.02"));
  other = tiny("");
  other.frames = 4;
  EXPECT_TRUE(contains(refusal({make_shard(dir_, "0/2", tiny(""), "b"),
                                make_shard(dir_, "1/2", other, "b")}),
                       "the shape differs (S=5 T=4 N=16 vs S=5 T=3 N=16)"));
}

TEST_F(MergeRefusal, AMissingShardNamingTheSequencesAndTheShard) {
  const std::string message = refusal({make_shard(dir_, "0/2")});
  EXPECT_TRUE(contains(message, "no shard holds sequence(s) 1, 3 of 5; missing shard 1/2"))
      << message;
}

TEST_F(MergeRefusal, ASequenceInTwoShards) {
  const std::string a = make_shard(dir_, "0/2"), b = make_shard(dir_, "1/2"),
                    c = make_shard(dir_, "1/4");
  const std::string message = refusal({a, b, c});
  EXPECT_TRUE(contains(message, "sequence 1 is in two shards, '" + b + "' (shard 1/2) and '" + c +
                                    "' (shard 1/4)"))
      << message;
  EXPECT_TRUE(contains(refusal({a, b, a}), "sequence 0 is in two shards"));
}

TEST_F(MergeRefusal, AnUnfinishedShard) {
  GenerateConfig stopped = tiny("");
  stopped.max_new_sequences = 1;
  const std::string first = make_shard(dir_, "0/2"), second = make_shard(dir_, "1/2", stopped);
  std::string message = refusal({first, second});
  EXPECT_TRUE(contains(message, "shard '" + second + "' is unfinished")) << message;
  message = refusal({first, io::partial_path(second)});
  EXPECT_TRUE(contains(message, "(shard 1/2) is incomplete: 1 of its 2 sequences are missing (3)"))
      << message;
  EXPECT_TRUE(contains(message, "--shard 1/2 --resume")) << message;
}

TEST_F(MergeRefusal, WritingOverOneOfItsShards) {
  const std::string first = make_shard(dir_, "0/2"), second = make_shard(dir_, "1/2");
  const std::string before = test::read_text(first);
  MergeConfig m = merge_of(first, {first, second});
  m.overwrite = true;
  EXPECT_TRUE(contains(error_of([&] { merge_shards(m); }), "is the shard"));
  EXPECT_EQ(test::read_text(first), before);
  // Without --overwrite an existing OUT is refused before any work.
  test::write_bytes(out_, "the old dataset");
  EXPECT_TRUE(contains(error_of([&] { merge_shards(merge_of(out_, {first, second})); }),
                       "already exists"));
  EXPECT_EQ(test::read_text(out_), "the old dataset");
}

}  // namespace
}  // namespace csd::pipeline
