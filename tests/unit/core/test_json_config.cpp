#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>

#include "csd/core/error.h"
#include "csd/core/json_config.h"
#include "csd/core/progress.h"
#include "temp_dir.h"

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

/// The csd::Error message of read_key(j, key, value), or "(no csd::Error)".
template <class T>
std::string read_error(const Json& j, const char* key, T& value) {
  try {
    read_key(j, key, value, "generate");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no csd::Error)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(JsonConfig, IntegersOutOfTheTargetRangeAreErrorsNotWrapped) {
  // 4294967328 = 2^32 + 32: nlohmann's get<int>() gives 32.
  const Json j = Json::parse(
      R"({"size": 4294967328, "low": -2147483649, "negative": -1, "half": 32.5,
          "float_whole": 1e3, "max": 2147483647, "min": -2147483648, "huge": 1e30,
          "u64": 18446744073709551615})");
  int size = 64;
  std::string m = read_error(j, "size", size);
  EXPECT_TRUE(contains(m, "generate.size") && contains(m, "4294967328") && contains(m, "range"))
      << m;
  EXPECT_EQ(size, 64);
  m = read_error(j, "low", size);
  EXPECT_TRUE(contains(m, "generate.low") && contains(m, "-2147483649")) << m;
  m = read_error(j, "huge", size);
  EXPECT_TRUE(contains(m, "generate.huge") && contains(m, "range")) << m;
  m = read_error(j, "half", size);
  EXPECT_TRUE(contains(m, "generate.half") && contains(m, "32.5") && contains(m, "whole")) << m;

  std::uint64_t seed = 5;
  m = read_error(j, "negative", seed);
  EXPECT_TRUE(contains(m, "generate.negative") && contains(m, "-1") && contains(m, "from 0"))
      << m;
  EXPECT_EQ(seed, 5u);
  read_key(j, "u64", seed, "generate");
  EXPECT_EQ(seed, 18446744073709551615ull);
  long wide = 0;
  read_key(j, "size", wide, "generate");  // fits a 64-bit long
  EXPECT_EQ(wide, 4294967328L);

  // The edges of the range and whole floats are accepted.
  read_key(j, "max", size, "generate");
  EXPECT_EQ(size, 2147483647);
  read_key(j, "min", size, "generate");
  EXPECT_EQ(size, -2147483648LL);
  read_key(j, "float_whole", size, "generate");
  EXPECT_EQ(size, 1000);
}

TEST(JsonConfig, MissingAndMalformedFilesAreClearErrors) {
  EXPECT_THROW(read_json_file("/nonexistent/csd/config.json"), Error);
  const test::TempDir dir;
  const std::string path = dir.file("bad.json");
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
