// Output folders replaced whole or not at all (io/staged_directory.h): the old results
// survive a failed or killed run, a second writer fails, inputs inside are refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "csd/core/error.h"
#include "csd/io/staged_directory.h"
#include "error_capture.h"
#include "temp_dir.h"

namespace csd::io {
namespace {

namespace fs = std::filesystem;

using test::contains;
using test::error_of;

/// An earlier run's results: summary.json and a figure.
std::string old_results(const test::TempDir& dir) {
  const std::string out = dir.file("eval");
  fs::create_directories(out);
  test::write_bytes(out + "/summary.json", "old");
  test::write_bytes(out + "/mae.png", "old figure");
  return out;
}

TEST(StagedDirectory, AnExistingFolderNeedsOverwriteAndStaysUntouchedWithout) {
  test::TempDir dir;
  const std::string out = old_results(dir);
  const std::string message = error_of([&] { StagedDirectory staged(out, false); });
  EXPECT_TRUE(contains(message, "--overwrite")) << message;
  EXPECT_EQ(test::read_bytes(out + "/summary.json"), "old");
  EXPECT_FALSE(fs::exists(out + ".part"));
  // An empty folder (e.g. made by mkdir) is free to use.
  fs::create_directories(dir.file("empty"));
  StagedDirectory empty(dir.file("empty"), false);
  test::write_bytes(empty.path() + "/a", "new");
  empty.commit();
  EXPECT_EQ(test::read_bytes(dir.file("empty/a")), "new");
  // A file is not a folder.
  test::write_bytes(dir.file("file"), "x");
  EXPECT_TRUE(contains(error_of([&] { StagedDirectory staged(dir.file("file"), true); }), "not a folder"));
}

TEST(StagedDirectory, CommitReplacesTheWholeFolderAndAFailedRunChangesNothing) {
  test::TempDir dir;
  const std::string out = old_results(dir);
  {
    StagedDirectory failed(out, true);
    test::write_bytes(failed.path() + "/summary.json", "half");
    // No commit: as if the run threw half-way.
  }
  EXPECT_EQ(test::read_bytes(out + "/summary.json"), "old");
  EXPECT_FALSE(fs::exists(out + ".part"));
  // Parent folders it had to make go too; existing ones stay.
  { StagedDirectory failed(dir.file("new/deeper/eval"), false); }
  EXPECT_FALSE(fs::exists(dir.file("new")));
  EXPECT_TRUE(fs::exists(dir.path()));

  StagedDirectory staged(out, true);
  test::write_bytes(staged.path() + "/summary.json", "new");
  EXPECT_EQ(test::read_bytes(out + "/summary.json"), "old");  // not yet
  staged.commit();
  EXPECT_EQ(test::read_bytes(out + "/summary.json"), "new");
  EXPECT_FALSE(fs::exists(out + "/mae.png"));  // nothing of the old run is mixed in
  EXPECT_FALSE(fs::exists(out + ".part"));
}

TEST(StagedDirectory, ASecondWriterFailsAndAKilledRunsLeftoversAreCleared) {
  test::TempDir dir;
  const std::string out = dir.file("eval");
  {
    StagedDirectory first(out, false);
    EXPECT_TRUE(contains(error_of([&] { StagedDirectory second(out, true); }), "locked"));
    test::write_bytes(first.path() + "/x", "1");
    first.commit();
  }
  // A killed run leaves "<out>.part" unlocked: the next run clears and reuses it.
  fs::create_directories(out + ".part");
  test::write_bytes(out + ".part/stale", "from a killed run");
  StagedDirectory next(out, true);
  EXPECT_FALSE(fs::exists(next.path() + "/stale"));
  next.commit();
  EXPECT_FALSE(fs::exists(out + "/x"));
}

TEST(StagedDirectory, InputsInsideTheOutputFolderAreRefused) {
  test::TempDir dir;
  const std::string out = old_results(dir);
  EXPECT_TRUE(contains(error_of([&] { require_outside(out, out + "/summary.json", "--data"); }),
                       "--data"));
  EXPECT_THROW(require_outside(dir.file("eval/"), dir.file("eval/./sub/../summary.json"), "--data"),
               Error);
  EXPECT_THROW(require_outside(out, out, "--data"), Error);
  EXPECT_NO_THROW(require_outside(out, dir.file("eval2/summary.json"), "--data"));
  EXPECT_NO_THROW(require_outside(out, dir.file("test.h5"), "--data"));
  EXPECT_NO_THROW(require_outside(out, "", "--against"));
}

}  // namespace
}  // namespace csd::io
