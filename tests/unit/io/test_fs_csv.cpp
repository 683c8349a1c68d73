// File-system helpers and the CSV writer: atomic replacement, clear errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <charconv>
#include <cmath>

#include "csd/core/error.h"
#include "csd/io/csv.h"
#include "csd/io/fs.h"
#include "temp_dir.h"
#include "unprivileged.h"

namespace csd::io {
namespace {

TEST(Fs, EnsureDirectoryCreatesNestedDirectoriesAndExplainsFailure) {
  test::TempDir dir;
  const std::string nested = dir.file("a/b/c");
  EXPECT_FALSE(file_exists(nested));
  ensure_directory(nested);
  EXPECT_TRUE(file_exists(nested));
  ensure_directory(nested);  // existing: fine
  test::write_bytes(dir.file("file"), "x");
  try {
    ensure_directory(dir.file("file"));
    FAIL() << "a file is in the way";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.file("file")), std::string::npos) << e.what();
  }
  EXPECT_THROW(ensure_directory(dir.file("file/sub")), Error);
}

TEST(Fs, AtomicWriteTextReplacesWholeFilesAndLeavesNoTemporary) {
  test::TempDir dir;
  const std::string path = dir.file("config.json");
  atomic_write_text(path, "{\"a\": 1}\n");
  EXPECT_EQ(test::read_bytes(path), "{\"a\": 1}\n");
  atomic_write_text(path, "{}");
  EXPECT_EQ(test::read_bytes(path), "{}");
  EXPECT_FALSE(file_exists(temporary_path(path)));
}

TEST(Fs, AtomicWriteTextFailsClearlyWithoutTouchingAnything) {
  test::TempDir dir;
  try {
    atomic_write_text(dir.file("missing/out.txt"), "text");
    FAIL() << "expected csd::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(file_exists(dir.file("missing")));
}

TEST(Fs, AtomicWriteTextIntoReadOnlyDirectoryFails) {
  // Checked as "nobody" in a child process, so it runs (and can fail) under root too.
  test::TempDir dir;
  ::chmod(dir.path().c_str(), 0755);
  ensure_directory(dir.file("locked"));
  ensure_directory(dir.file("open"));
  ::chmod(dir.file("locked").c_str(), 0555);
  ::chmod(dir.file("open").c_str(), 0777);
  const auto write_into = [&](const std::string& folder) {
    return test::run_unprivileged([&] {
      try {
        atomic_write_text(dir.file(folder + "/out.txt"), "text");
        return std::string("written");
      } catch (const Error& e) {
        return std::string("csd::Error: ") + e.what();
      }
    });
  };
  EXPECT_EQ(write_into("open"), "written");  // the same user may write where it is allowed
  const std::string refused = write_into("locked");
  EXPECT_EQ(refused.rfind("csd::Error: ", 0), 0u) << refused;
  EXPECT_FALSE(file_exists(dir.file("locked/out.txt")));
  EXPECT_TRUE(test::read_bytes(dir.file("open/out.txt")) == "text");
}

TEST(Fs, RequireWritableParentAcceptsBareFileNames) {
  EXPECT_NO_THROW(require_writable_parent("relative-name-in-cwd.h5"));
  EXPECT_THROW(require_writable_parent("/definitely/not/here/x.h5"), Error);
}

TEST(Csv, WritesHeaderAndRowsOnlyOnClose) {
  test::TempDir dir;
  const std::string path = dir.file("mae.csv");
  CsvWriter csv(path, {"frame", "mae", "note"});
  csv.row(0, 0.0, "start");
  csv.row(1, 1.5e-3, "a, b");
  csv.row(2, 1.0 / 3.0, "say \"hi\"");
  EXPECT_FALSE(file_exists(path));
  csv.close();
  EXPECT_FALSE(file_exists(temporary_path(path)));
  EXPECT_EQ(test::read_bytes(path),
            "frame,mae,note\n"
            "0,0,start\n"
            "1,0.0015,\"a, b\"\n"
            "2,0.3333333333333333,\"say \"\"hi\"\"\"\n");
}

TEST(Csv, DoublesRoundTripExactly) {
  const double value = 0.1 + 0.2;
  const std::string text = CsvWriter::cell(value);
  double parsed = 0;
  std::from_chars(text.data(), text.data() + text.size(), parsed);
  EXPECT_EQ(parsed, value);
  EXPECT_EQ(CsvWriter::cell(std::nan("")), "nan");
  EXPECT_EQ(CsvWriter::cell(7), "7");
}

TEST(Csv, RowWithWrongColumnCountIsAnError) {
  test::TempDir dir;
  CsvWriter csv(dir.file("t.csv"), {"a", "b"});
  EXPECT_THROW(csv.row(1), Error);
  EXPECT_THROW(csv.row_values({1, 2, 3}), Error);
  csv.row_values({1, 2});
  csv.close();
  EXPECT_EQ(test::read_bytes(dir.file("t.csv")), "a,b\n1,2\n");
}

TEST(Csv, AbandonedTableLeavesThePreviousFileUntouched) {
  test::TempDir dir;
  const std::string path = dir.file("t.csv");
  test::write_bytes(path, "old\n");
  {
    CsvWriter csv(path, {"a"});
    csv.row(1);
  }  // no close(): e.g. an exception unwound the analysis
  EXPECT_EQ(test::read_bytes(path), "old\n");
  EXPECT_FALSE(file_exists(temporary_path(path)));
}

TEST(Csv, UnwritablePathIsAClearError) {
  test::TempDir dir;
  try {
    CsvWriter csv(dir.file("nowhere/t.csv"), {"a"});
    FAIL() << "expected csd::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace csd::io
