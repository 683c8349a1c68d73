// Inputs that used to be accepted without complaint or answered with an unclear message
// (issue 9): each is now refused with one clear `error:` line or run with a warning.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "csd/io/dataset.h"

namespace csd::test {
namespace {

namespace fs = std::filesystem;

const std::string kSmoke = "--config " + source_path("configs/smoke/generate.json");
const std::string kModel = source_path("data/model-small.pt");

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The run failed with exactly one `error:` line that contains every part.
void expect_one_error(const CliResult& r, const std::vector<std::string>& parts) {
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  for (const auto& part : parts) EXPECT_TRUE(contains(r.err, part)) << part << " in: " << r.err;
}

TEST(CliRefusals, SmallNumbersInMessagesAreNotPrintedAsZero) {
  ScratchDir dir("small-numbers");
  const CliResult r = run_csd("generate -q " + kSmoke + " --eta -4e-7 --out " + dir.file("x.h5"), dir);
  expect_one_error(r, {"-4e-07"});
  EXPECT_FALSE(contains(r.err, "0.000000")) << r.err;
}

}  // namespace
}  // namespace csd::test
