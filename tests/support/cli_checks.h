#pragma once
/// GoogleTest checks for end-to-end runs of the csd executable (cli_runner.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_runner.h"
#include "error_capture.h"

namespace csd::test {

/// The run failed with exactly one `error:` line that contains every part.
inline void expect_one_error(const CliResult& r, const std::vector<std::string>& parts) {
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  for (const auto& part : parts) EXPECT_TRUE(contains(r.err, part)) << part << " in: " << r.err;
}

/// True when csd was built with LibTorch (train, rollout).
inline bool with_torch(const ScratchDir& dir) {
  const CliResult help = run_csd("rollout --help", dir);
  return help.status == 0 && contains(help.out, "--model");
}

}  // namespace csd::test
