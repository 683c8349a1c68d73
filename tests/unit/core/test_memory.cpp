// Memory checks before large allocations (core/memory.h).
#include <gtest/gtest.h>

#include "csd/core/error.h"
#include "csd/core/memory.h"
#include "error_capture.h"

namespace csd {
namespace {

TEST(Memory, RefusesMoreThanIsAvailableNamingBothFigures) {
  const auto available = available_memory_bytes();
  if (!available) GTEST_SKIP() << "no /proc/meminfo here";
  EXPECT_GT(*available, 0u);
  EXPECT_NO_THROW(require_memory(1024.0, "a tiny job", "never shown"));
  const std::string message =
      test::error_of([&] { require_memory(4.0 * *available, "a huge job", "lower --size"); });
  EXPECT_TRUE(test::contains(message, "a huge job needs about")) << message;
  EXPECT_TRUE(test::contains(message, "GiB are available; lower --size")) << message;
}

}  // namespace
}  // namespace csd
