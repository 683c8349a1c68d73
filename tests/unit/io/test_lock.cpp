// One writer per output: io::ExclusiveLock and io::require_replaceable, and the
// DatasetWriter that uses both (links, devices and FIFOs are never replaced; a second
// writer of one output fails at once and the first one's file stays its own).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "csd/io/lock.h"
#include "io_dataset_fixture.h"
#include "error_capture.h"
#include "temp_dir.h"

namespace csd::io {
namespace {

namespace fs = std::filesystem;

using test::contains;
using test::error_of;

TEST(Lock, ASecondHolderFailsAtOnceUntilTheFirstReleases) {
  test::TempDir dir;
  const std::string path = dir.file("out.h5.part");
  {
    const ExclusiveLock first(path);
    EXPECT_TRUE(fs::is_regular_file(path));  // created when absent
    // flock belongs to an open file description: a second one conflicts, in this
    // process as in another.
    const std::string message = error_of([&] { ExclusiveLock second(path); });
    EXPECT_TRUE(contains(message, path) && contains(message, "locked")) << message;
  }
  EXPECT_NO_THROW(ExclusiveLock again(path));
  // Folders lock the same way (training output folders).
  const ExclusiveLock folder(dir.path());
  EXPECT_TRUE(contains(error_of([&] { ExclusiveLock second(dir.path()); }), "locked"));
}

TEST(Lock, ReplaceableOnlyWhenAbsentOrARegularFile) {
  test::TempDir dir;
  EXPECT_NO_THROW(require_replaceable(dir.file("absent")));
  test::write_bytes(dir.file("plain"), "x");
  EXPECT_NO_THROW(require_replaceable(dir.file("plain")));
  fs::create_symlink(dir.file("plain"), dir.file("link"));
  EXPECT_TRUE(contains(error_of([&] { require_replaceable(dir.file("link")); }), "symbolic link"));
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0644), 0);
  EXPECT_TRUE(contains(error_of([&] { require_replaceable(dir.file("fifo")); }), "FIFO"));
  EXPECT_TRUE(contains(error_of([&] { require_replaceable("/dev/null"); }), "character device"));
  EXPECT_TRUE(contains(error_of([&] { require_replaceable(dir.path()); }), "directory"));
  EXPECT_NO_THROW(require_replaceable(dir.path(), /*directory_allowed=*/true));
  EXPECT_TRUE(contains(error_of([&] { ExclusiveLock lock(dir.file("fifo")); }), "FIFO"));
}

TEST(Lock, OverwriteNeverReplacesLinksOrSpecialFiles) {
  test::TempDir dir;
  const DatasetInfo info = test::tiny_info(1, 1, 8);
  test::write_bytes(dir.file("precious"), "keep me");
  fs::create_symlink(dir.file("precious"), dir.file("link.h5"));
  ASSERT_EQ(::mkfifo(dir.file("fifo.h5").c_str(), 0644), 0);
  for (const char* name : {"link.h5", "fifo.h5"}) {
    const std::string message =
        error_of([&] { DatasetWriter(dir.file(name), info, DatasetWriter::Mode::kOverwrite); });
    EXPECT_TRUE(contains(message, "never replaces")) << message;
    EXPECT_FALSE(fs::exists(partial_path(dir.file(name)))) << name;
  }
  EXPECT_TRUE(fs::is_symlink(dir.file("link.h5")));
  EXPECT_EQ(test::read_bytes(dir.file("precious")), "keep me");
  EXPECT_TRUE(fs::is_fifo(dir.file("fifo.h5")));
  // A link planted at the partial path is refused too (it would be written through).
  fs::create_symlink(dir.file("precious"), partial_path(dir.file("new.h5")));
  EXPECT_TRUE(contains(
      error_of([&] { DatasetWriter(dir.file("new.h5"), info, DatasetWriter::Mode::kOverwrite); }),
      "symbolic link"));
  EXPECT_EQ(test::read_bytes(dir.file("precious")), "keep me");
}

TEST(Lock, ASecondWriterOfOneOutputFailsAndTheFirstKeepsItsFile) {
  test::TempDir dir;
  const std::string path = dir.file("data.h5");
  const DatasetInfo info = test::tiny_info(2, 2, 8);
  DatasetWriter first(path, info, DatasetWriter::Mode::kCreate);
  test::write_tiny(first, 0, info);
  for (auto mode : {DatasetWriter::Mode::kOverwrite, DatasetWriter::Mode::kResume}) {
    const std::string message = error_of([&] { DatasetWriter second(path, info, mode); });
    EXPECT_TRUE(contains(message, partial_path(path)) && contains(message, "locked")) << message;
  }
  test::write_tiny(first, 1, info);
  first.finish();
  const DatasetReader reader(path);
  ASSERT_EQ(reader.shape().sequences, 2);
  for (int s = 0; s < 2; ++s)
    EXPECT_EQ(reader.read_frames(s, 0, 2), test::tiny_sequence(s, info).frames) << s;
  // Finished and closed: the output is free again.
  EXPECT_NO_THROW(DatasetWriter(path, info, DatasetWriter::Mode::kOverwrite));
}

TEST(Lock, DiscardRemovesThePartialFileAndKeepsTheFinalOne) {
  test::TempDir dir;
  const std::string path = dir.file("data.h5");
  const DatasetInfo info = test::tiny_info(1, 1, 8);
  test::write_tiny_dataset(path, info);
  const std::string old_bytes = test::read_bytes(path);
  DatasetWriter writer(path, info, DatasetWriter::Mode::kOverwrite, 0, /*resumable=*/false);
  EXPECT_TRUE(fs::exists(partial_path(path)));
  writer.discard();
  EXPECT_FALSE(fs::exists(partial_path(path)));
  EXPECT_EQ(test::read_bytes(path), old_bytes);
  // Non-resumable jobs are not told to --resume.
  { DatasetWriter left(dir.file("b.h5"), info, DatasetWriter::Mode::kCreate); }
  const std::string message = error_of(
      [&] { DatasetWriter(dir.file("b.h5"), info, DatasetWriter::Mode::kCreate, 0, false); });
  EXPECT_TRUE(contains(message, "--overwrite") && !contains(message, "--resume")) << message;
}

TEST(Lock, FramesAboveTheChunkLimitAreRefusedBeforeAnyFileExists) {
  test::TempDir dir;
  DatasetInfo info = test::tiny_info(1, 1, 8);
  info.shape.size = 40000;  // 6.4 GB per float32 frame
  const std::string message =
      error_of([&] { DatasetWriter(dir.file("big.h5"), info, DatasetWriter::Mode::kCreate); });
  EXPECT_TRUE(contains(message, "4 GiB chunk limit")) << message;
  EXPECT_FALSE(fs::exists(partial_path(dir.file("big.h5"))));
}

}  // namespace
}  // namespace csd::io
