// Datasets outside csd (issue 14, items 1 and 2): xarray reads schema version 2 as labelled
// phi(sequence, frame, y, x) with t as a coordinate; `csd export --xdmf` writes an XDMF
// file over the HDF5 frames that an XDMF reader turns back into exactly those frames;
// `csd info` names the schema version of old and new files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_checks.h"
#include "csd/io/dataset.h"
#include "python_modules.h"

namespace csd::test {
namespace {

/// Physics other than the defaults, so that t = j·steps_per_frame·dt and x = i·h cannot
/// pass by accident: τ = 20 · 0.005 = 0.1, h = 0.5.
constexpr const char* kConfig = R"({
  "generate": { "sequences": 3, "frames": 4, "size": 16, "seed": 5, "feature_size": 4 },
  "physics": { "steps_per_frame": 20, "dt": 0.005, "grid_spacing": 0.5, "epsilon": 2.5 }
})";

std::string make_dataset(const ScratchDir& dir, const std::string& name,
                         const std::string& extra = "") {
  const std::string config = dir.file("config.json");
  std::FILE* file = std::fopen(config.c_str(), "w");
  std::fputs(kConfig, file);
  std::fclose(file);
  const std::string path = dir.file(name);
  const CliResult r = run_csd("generate -q --config " + config +
                                  " --fft-plans estimate --threads 1 " + extra + " --out " + path,
                              dir);
  EXPECT_EQ(r.status, 0) << r.err;
  return path;
}

const std::string kVersion1 = source_path("tests/data/dataset-v1.h5");

TEST(CliExport, XarrayReadsLabelledPhiAndEnergiesEqualToH5py) {
  ASSERT_TRUE(python_imports("xarray"));
  ASSERT_TRUE(python_imports("h5netcdf"));
  ASSERT_TRUE(python_imports("h5py"));
  ScratchDir dir("xarray");
  const std::string data = make_dataset(dir, "data.h5");
  EXPECT_TRUE(python_check("check_xarray_view.py", data));
}

TEST(CliExport, ShardsAndResumedRunsAreLabelledLikeOneRun) {
  ASSERT_TRUE(python_imports("xarray"));
  ASSERT_TRUE(python_imports("h5netcdf"));
  ScratchDir dir("xarray-shards");
  const std::string one = make_dataset(dir, "one.h5");
  const std::string a = make_dataset(dir, "a.h5", "--shard 0/2");
  const std::string b = make_dataset(dir, "b.h5", "--shard 1/2");
  const std::string merged = dir.file("merged.h5");
  ASSERT_EQ(run_csd("merge -q " + merged + " " + a + " " + b, dir).status, 0);
  EXPECT_EQ(read_text(merged), read_text(one)) << "merge must give the single run's bytes";
  make_dataset(dir, "resumed.h5", "--max-new-sequences 1");
  const std::string resumed = make_dataset(dir, "resumed.h5", "--resume");
  EXPECT_EQ(read_text(resumed), read_text(one)) << "a resumed run must give the same bytes";
  EXPECT_TRUE(python_check("check_xarray_view.py", merged));
}

TEST(CliExport, XdmfFramesAreTheDatasetsHyperslabsAtTheirTimes) {
  ASSERT_TRUE(python_imports("h5py"));
  ScratchDir dir("xdmf");
  const std::string data = make_dataset(dir, "data.h5");
  CliResult r = run_csd("export --xdmf " + data, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string beside = dir.file("data.seq0.xdmf");
  ASSERT_TRUE(std::filesystem::exists(beside)) << r.err;
  EXPECT_TRUE(python_check("check_xdmf.py", beside + " " + data + " 0"));
  // Small: it describes the frames, it does not hold them.
  EXPECT_LT(std::filesystem::file_size(beside), 4000u * 4);

  // Another sequence into another folder: the HDF5 file is named relative to it.
  std::filesystem::create_directories(dir.file("views/deep"));
  const std::string elsewhere = dir.file("views/deep/s2.xdmf");
  r = run_csd("export --xdmf " + data + " --sequence 2 --out " + elsewhere, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(read_text(elsewhere), "../../data.h5:/phi"));
  EXPECT_TRUE(python_check("check_xdmf.py", elsewhere + " " + data + " 2"));

  // A version-1 file has the same frames and physics attributes: it exports too.
  const std::string old = dir.file("old.xdmf");
  r = run_csd("export --xdmf " + kVersion1 + " --sequence 1 --out " + old, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(python_check("check_xdmf.py", old + " " + kVersion1 + " 1"));
}

TEST(CliExport, RefusesBadInputWithOneLineAndWritesNothing) {
  ScratchDir dir("xdmf-refusals");
  const std::string data = make_dataset(dir, "data.h5");
  expect_one_error(run_csd("export --xdmf " + dir.file("missing.h5"), dir),
                   {"missing.h5", "does not exist"});
  const std::string text = dir.file("notes.h5");
  std::FILE* file = std::fopen(text.c_str(), "w");
  std::fputs("not hdf5\n", file);
  std::fclose(file);
  expect_one_error(run_csd("export --xdmf " + text, dir), {"notes.h5", "not an HDF5 file"});
  const std::string foreign = dir.file("foreign.h5");
  io::write_float_dataset(foreign, "phi", std::vector<float>(2 * 4 * 4, 0.5f), {1, 2, 4, 4});
  io::write_float_dataset(foreign, "eta", {0.0f}, {1});
  expect_one_error(run_csd("export --xdmf " + foreign, dir), {"foreign.h5", "not a csd dataset"});
  expect_one_error(run_csd("export --xdmf " + data + " --sequence 3", dir),
                   {"sequence 3", "holds 3 (0 … 2)"});
  expect_one_error(run_csd("export --xdmf " + data + " --out " + data + " --overwrite", dir),
                   {"is the dataset itself"});
  // A partial file: sequence 1 is not written yet.
  make_dataset(dir, "partial.h5", "--max-new-sequences 1");
  const std::string partial = io::partial_path(dir.file("partial.h5"));
  expect_one_error(run_csd("export --xdmf " + partial + " --sequence 1 --out " +
                               dir.file("p.xdmf"), dir),
                   {"sequence 1", "not completely written", "--resume"});
  EXPECT_FALSE(std::filesystem::exists(dir.file("p.xdmf")));
  for (const char* name : {"data.seq0.xdmf", "data.seq3.xdmf", "notes.seq0.xdmf",
                           "foreign.seq0.xdmf", "missing.seq0.xdmf"})
    EXPECT_FALSE(std::filesystem::exists(dir.file(name))) << name;

  // An existing output is replaced only with --overwrite.
  const std::string out = dir.file("view.xdmf");
  ASSERT_EQ(run_csd("export --xdmf " + data + " --out " + out, dir).status, 0);
  const CliResult again = run_csd("export --xdmf " + data + " --sequence 1 --out " + out, dir);
  expect_one_error(again, {"view.xdmf", "already exists", "--overwrite"});
  EXPECT_TRUE(contains(read_text(out), "sequence 0 of"));
  ASSERT_EQ(run_csd("export --xdmf " + data + " --sequence 1 --out " + out + " --overwrite", dir)
                .status,
            0);
  EXPECT_TRUE(contains(read_text(out), "sequence 1 of"));
  EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));
}

TEST(CliExport, ResumeRefusesAPartialFileOfANewerSchema) {
  ASSERT_TRUE(python_imports("h5py")) << "h5py marks the file as a future version";
  ScratchDir dir("schema-newer");
  make_dataset(dir, "data.h5", "--max-new-sequences 1");
  const std::string part = io::partial_path(dir.file("data.h5"));
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"import h5py; f = h5py.File('" + part +
                         "', 'a'); f.attrs['version'] = 3; f.close()\"")
                            .c_str()),
            0);
  const std::string before = read_text(part);
  const CliResult r = run_csd("generate -q --config " + dir.file("config.json") +
                                  " --fft-plans estimate --threads 1 --resume --out " +
                                  dir.file("data.h5"),
                              dir);
  expect_one_error(r, {"dataset schema version differs", "file 3", "--overwrite"});
  EXPECT_EQ(read_text(part), before);
}

TEST(CliExport, InfoNamesTheSchemaVersionOfOldAndNewFiles) {
  ScratchDir dir("schema-info");
  const std::string data = make_dataset(dir, "data.h5");
  CliResult r = run_csd("info " + data, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "schema version 2: labelled axes")) << r.out;
  r = run_csd("info " + kVersion1, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "schema version 1: no labelled axes")) << r.out;
  r = run_csd("info --json " + kVersion1, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["schema_version"], 1);
}

}  // namespace
}  // namespace csd::test
