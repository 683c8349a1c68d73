// Where csd finds scripts/plots.py (a build folder of the source tree, or an installed
// <prefix>/bin/csd), and the training-loss figure the trainer asks for.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "csd/evaluation/plots.h"
#include "python_modules.h"
#include "temp_dir.h"

namespace csd::evaluation {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& path) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << "# plots.py\n";
}

TEST(PlotsScript, AnInstalledCsdFindsItUnderShare) {
  test::TempDir dir;
  const fs::path prefix = dir.file("prefix");
  fs::create_directories(prefix / "bin");
  EXPECT_EQ(find_plots_script_near((prefix / "bin").string()), "");
  touch(prefix / "share/csd/plots.py");
  EXPECT_EQ(find_plots_script_near((prefix / "bin").string()),
            (prefix / "share/csd/plots.py").string());
}

TEST(PlotsScript, ABuildFolderFindsTheSourceTreesScript) {
  test::TempDir dir;
  const fs::path root = dir.file("src");
  fs::create_directories(root / "build/apps");
  EXPECT_EQ(find_plots_script_near((root / "build/apps").string()), "");
  touch(root / "scripts/plots.py");
  EXPECT_EQ(find_plots_script_near((root / "build/apps").string()),
            (root / "scripts/plots.py").string());
  EXPECT_EQ(find_plots_script_near((root / "build").string()),
            (root / "scripts/plots.py").string());
}

TEST(PlotsScript, TheLossFigureIsDrawnNextToTheHistory) {
  ASSERT_TRUE(test::plotting_available());
  test::TempDir dir;
  const std::string history = dir.file("history.csv");
  std::ofstream(history) << "epoch,train_loss,validation_loss\n1,1.0,2.0\n2,0.5,0.8\n3,0.25,0.9\n";
  ASSERT_TRUE(make_plots("loss", history));
  EXPECT_GT(fs::file_size(dir.file("loss.png")), 1000u);
}

}  // namespace
}  // namespace csd::evaluation
