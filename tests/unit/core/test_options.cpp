// Option tables: one declaration drives JSON reading (with its refusals) and writing.
#include <gtest/gtest.h>

#include "csd/core/error.h"
#include "csd/core/options.h"
#include "error_capture.h"

namespace csd {
namespace {

struct Inner {
  std::array<double, 2> range{0.0, 1.0};
};

struct Example {
  std::string name = "a";
  std::string mode = "fast";
  int count = 3;
  double rate = 0.5;
  bool verbose = false;
  std::uint64_t seed = 1;
  Inner inner;
};

const OptionTable<Example>& table() {
  static const OptionTable<Example> t = {
      {"name", "a name", [](Example& e) -> OptionRef { return &e.name; }},
      {"mode", "fast | exact", [](Example& e) -> OptionRef { return &e.mode; }, {"fast", "exact"}},
      {"count", "how many", [](Example& e) -> OptionRef { return &e.count; }},
      {"rate", "how fast", [](Example& e) -> OptionRef { return &e.rate; }},
      {"verbose", "talk", [](Example& e) -> OptionRef { return &e.verbose; }},
      {"seed", "seed", [](Example& e) -> OptionRef { return &e.seed; }},
      {"range", "nested pair", [](Example& e) -> OptionRef { return &e.inner.range; }},
  };
  return t;
}

TEST(Options, ReadSetsOnlyTheGivenKeysIncludingNestedOnes) {
  Example e;
  read_options(Json::parse(R"({"count": 7, "mode": "exact", "range": [0.25, 0.75], "seed": 18446744073709551615})"),
               "example", table(), e);
  EXPECT_EQ(e.count, 7);
  EXPECT_EQ(e.mode, "exact");
  EXPECT_EQ(e.inner.range[0], 0.25);
  EXPECT_EQ(e.inner.range[1], 0.75);
  EXPECT_EQ(e.seed, 18446744073709551615ull);
  EXPECT_EQ(e.name, "a");  // untouched
  EXPECT_EQ(e.rate, 0.5);
}

TEST(Options, WriteGivesEveryKeyWithItsValue) {
  Example e;
  e.verbose = true;
  const Json expected = Json::parse(
      R"({"name": "a", "mode": "fast", "count": 3, "rate": 0.5, "verbose": true, "seed": 1, "range": [0.0, 1.0]})");
  const Json written = options_to_json(table(), e);
  EXPECT_EQ(written, expected);
}

TEST(Options, RefusalsNameTheSectionAndKey) {
  Example e;
  using test::error_of;
  EXPECT_NE(error_of([&] { read_options(Json{{"cuont", 1}}, "example", table(), e); }).find("cuont"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_options(Json{{"count", "3"}}, "example", table(), e); }).find("example.count"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_options(Json{{"count", 3.5}}, "example", table(), e); }).find("count"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_options(Json{{"count", 4294967296LL}}, "example", table(), e); })
                .find("count"),
            std::string::npos);
  const std::string bad_choice =
      error_of([&] { read_options(Json{{"mode", "slow"}}, "example", table(), e); });
  EXPECT_NE(bad_choice.find("example.mode"), std::string::npos) << bad_choice;
  EXPECT_NE(bad_choice.find("fast | exact"), std::string::npos) << bad_choice;
  EXPECT_EQ(e.count, 3);  // a refused value is not half-applied
}

TEST(Options, CopyMovesOneValueBetweenStructs) {
  Example from, to;
  from.rate = 2.5;
  from.inner.range = {0.1, 0.2};
  for (const auto& field : table()) {
    if (field.key == "rate" || field.key == "range") detail::copy_option(field.ref(from), field.ref(to));
  }
  EXPECT_EQ(to.rate, 2.5);
  EXPECT_EQ(to.inner.range[1], 0.2);
  EXPECT_EQ(to.count, 3);
}

TEST(Options, FlagNamesUseDashes) {
  EXPECT_EQ(option_flag("max_sequences"), "--max-sequences");
  EXPECT_EQ(option_flag("out"), "--out");
}

}  // namespace
}  // namespace csd
