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

/// True when csd was configured with LibTorch (train, rollout): a build decision, so the
/// surrogate's tests skip only in a build without it. Checks that the binary agrees.
inline bool with_torch(const ScratchDir& dir) {
  const CliResult help = run_csd("rollout --help", dir);
  const bool has_rollout = help.status == 0 && contains(help.out, "--model");
  EXPECT_EQ(has_rollout, static_cast<bool>(CSD_TESTS_WITH_TORCH))
      << "csd's commands do not match the build's CSD_WITH_TORCH";
  return CSD_TESTS_WITH_TORCH;
}

}  // namespace csd::test
