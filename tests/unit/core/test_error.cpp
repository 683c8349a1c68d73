// csd/core/error.h: require() with a plain message or an fmt format, and CSD_ASSERT,
// which checks in debug builds and is compiled out (condition not evaluated) with NDEBUG.
#include <gtest/gtest.h>

#include <string>

#include "csd/core/error.h"

namespace csd {
namespace {

std::string message_of(void (*check)()) {
  try {
    check();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Require, PlainMessage) {
  EXPECT_NO_THROW(require(true, "never shown"));
  EXPECT_EQ(message_of([] { require(false, std::string("plain ") + "message {}"); }),
            "plain message {}");  // braces of a plain message are not a format
}

TEST(Require, FormattedMessage) {
  EXPECT_NO_THROW(require(true, "N = {} must be even", 3));
  EXPECT_EQ(message_of([] { require(false, "N = {} must be even, got {:.2f}", 3, 0.5); }),
            "N = 3 must be even, got 0.50");
  EXPECT_EQ(message_of([] { require(false, "file '{}'", std::string("a.h5")); }), "file 'a.h5'");
}

#ifdef NDEBUG
TEST(CsdAssert, CompiledOutWithNdebug) {
  int evaluated = 0;
  CSD_ASSERT(++evaluated == 0);  // would abort if it ran
  EXPECT_EQ(evaluated, 0);
}
#else
TEST(CsdAssert, AbortsNamingTheConditionWithoutNdebug) {
  int evaluated = 0;
  CSD_ASSERT(++evaluated == 1);
  EXPECT_EQ(evaluated, 1);
  const int size = 2;
  EXPECT_DEATH(CSD_ASSERT(size > 3), "internal error: CSD_ASSERT\\(size > 3\\) failed");
}
#endif

}  // namespace
}  // namespace csd
