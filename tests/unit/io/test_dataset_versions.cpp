// Dataset schema versions: new files are version 2 (labelled axes, dataset.h); files of
// version 1 (tests/data/dataset-v1.h5, written by csd before version 2 existed) still read,
// and a version-1 partial file is finished as version 1.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "io_dataset_fixture.h"
#include "temp_dir.h"

namespace csd::io {
namespace {

const std::string kVersion1 = std::string(CSD_SOURCE_DIR) + "/tests/data/dataset-v1.h5";

/// The physics tests/data/dataset-v1.h5 was generated with (tests/data/README.md).
DatasetInfo version1_info() {
  DatasetInfo info;
  info.shape = {2, 3, 16};
  info.physics.grid_spacing = 0.5;
  info.physics.epsilon = 2.5;
  info.physics.dt = 0.00125;
  info.physics.steps_per_frame = 40;
  info.config_json.clear();  // resume: the stored config is not compared
  return info;
}

TEST(DatasetVersions, NewFilesAreVersion2) {
  test::TempDir dir;
  const std::string path = dir.file("new.h5");
  test::write_tiny_dataset(path, test::tiny_info());
  EXPECT_EQ(DatasetReader(path).schema_version(), 2);
  EXPECT_EQ(kDatasetVersion, 2);
}

TEST(DatasetVersions, Version1FilesReadAsBefore) {
  const DatasetReader reader(kVersion1);
  EXPECT_EQ(reader.schema_version(), 1);
  EXPECT_TRUE(reader.is_csd_dataset());
  EXPECT_TRUE(reader.has_energies());
  const DatasetInfo& info = reader.info();
  EXPECT_EQ(info.shape.sequences, 2);
  EXPECT_EQ(info.shape.frames, 3);
  EXPECT_EQ(info.shape.size, 16);
  EXPECT_EQ(info.physics.grid_spacing, 0.5);
  EXPECT_EQ(info.physics.steps_per_frame, 40);
  EXPECT_EQ(reader.completed(), (std::vector<bool>{true, true}));
  for (int s = 0; s < 2; ++s) {
    // The solver conserves mass: every frame's mean is the stored <phi>.
    const double mean_phi = reader.meta(s).mean_phi;
    const std::vector<float> frames = reader.read_frames(s, 0, 3);
    for (int t = 0; t < 3; ++t) {
      double sum = 0;
      for (int k = 0; k < 256; ++k) sum += frames[static_cast<size_t>(t * 256 + k)];
      EXPECT_NEAR(sum / 256, mean_phi, 1e-6) << s << ", " << t;
    }
    EXPECT_EQ(reader.energies(s).size(), 3u);
  }
}

TEST(DatasetVersions, AVersion1PartialFileIsFinishedAsVersion1) {
  test::TempDir dir;
  const std::string path = dir.file("old.h5");
  std::filesystem::copy_file(kVersion1, partial_path(path));
  {
    DatasetWriter writer(path, version1_info(), DatasetWriter::Mode::kResume);
    EXPECT_EQ(writer.completed(), (std::vector<bool>{true, true}));
    writer.finish();
  }
  const DatasetReader reader(path);
  EXPECT_EQ(reader.schema_version(), 1);
  EXPECT_EQ(reader.read_frame(1, 2), DatasetReader(kVersion1).read_frame(1, 2));
}

}  // namespace
}  // namespace csd::io
