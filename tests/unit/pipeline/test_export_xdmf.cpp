// csd export --xdmf as a library call (pipeline/export_xdmf.h): where the document goes and
// what it names; the refusals and the reader's view are end-to-end tests (CliExport.*).
#include <gtest/gtest.h>

#include <filesystem>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/pipeline/export_xdmf.h"
#include "io_dataset_fixture.h"
#include "temp_dir.h"

namespace csd::pipeline {
namespace {

TEST(ExportXdmf, DefaultPathIsBesideTheDatasetAndNamesTheSequence) {
  EXPECT_EQ(default_xdmf_path("runs/demo.h5", 3), "runs/demo.seq3.xdmf");
  EXPECT_EQ(default_xdmf_path("demo.hdf5", 0), "demo.hdf5.seq0.xdmf");
}

TEST(ExportXdmf, NamesTheDatasetRelativeToTheDocument) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("data"));
  const std::string data = dir.file("data/tiny.h5");
  const io::DatasetInfo info = test::tiny_info();  // 4 × 3 frames of 8², h = 0.5, τ = 1
  test::write_tiny_dataset(data, info);

  ExportOptions o;
  o.xdmf = data;
  o.sequence = 3;
  ExportSummary s = export_xdmf(o);
  EXPECT_EQ(s.out, dir.file("data/tiny.seq3.xdmf"));
  EXPECT_EQ(s.frames, 3);
  EXPECT_EQ(s.size, 8);
  EXPECT_EQ(s.spacing, 0.5);
  EXPECT_EQ(s.last_time, 2.0);
  const std::string beside = test::read_bytes(s.out);
  EXPECT_NE(beside.find(">tiny.h5:/phi<"), std::string::npos) << beside;
  EXPECT_NE(beside.find(">3 2 0 0 1 1 1 1 1 1 8 8<"), std::string::npos);

  o.out = dir.file("views/v.xdmf");
  EXPECT_THROW(export_xdmf(o), Error);  // the folder does not exist: nothing is created
  std::filesystem::create_directories(dir.file("views"));
  s = export_xdmf(o);
  EXPECT_NE(test::read_bytes(s.out).find(">../data/tiny.h5:/phi<"), std::string::npos);
}

}  // namespace
}  // namespace csd::pipeline
