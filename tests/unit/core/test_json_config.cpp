#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "csd/core/error.h"
#include "csd/core/json_config.h"
#include "csd/core/progress.h"

namespace csd {
namespace {

TEST(JsonConfig, UnknownKeyNamesSectionAndKey) {
  const Json j = Json::parse(R"({"dt": 0.01, "dtt": 1})");
  try {
    reject_unknown_keys(j, {"dt", "epsilon"}, "physics");
    FAIL() << "unknown key accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("physics.dtt"), std::string::npos) << e.what();
  }
}

TEST(JsonConfig, ReadKeyKeepsDefaultWhenAbsentAndRejectsWrongType) {
  const Json j = Json::parse(R"({"frames": 7, "size": "big"})");
  int frames = 1, size = 128, absent = 3;
  read_key(j, "frames", frames, "generate");
  read_key(j, "absent", absent, "generate");
  EXPECT_EQ(frames, 7);
  EXPECT_EQ(absent, 3);
  EXPECT_THROW(read_key(j, "size", size, "generate"), Error);
  EXPECT_EQ(size, 128);
}

TEST(JsonConfig, MissingAndMalformedFilesAreClearErrors) {
  EXPECT_THROW(read_json_file("/nonexistent/csd/config.json"), Error);
  const std::string path = ::testing::TempDir() + "/csd_bad.json";
  std::ofstream(path) << "{ \"generate\": ";
  try {
    read_json_file(path);
    FAIL() << "malformed JSON accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos);
  }
  std::remove(path.c_str());
}

TEST(JsonConfig, SectionMustBeAnObject) {
  const Json j = Json::parse(R"({"physics": 3})");
  EXPECT_THROW(section_or_empty(j, "physics"), Error);
  EXPECT_TRUE(section_or_empty(j, "train").empty());
}

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(format_duration(12.34), "12.3s");
  EXPECT_EQ(format_duration(185), "3m05s");
  EXPECT_EQ(format_duration(3720), "1h02m");
}

}  // namespace
}  // namespace csd
