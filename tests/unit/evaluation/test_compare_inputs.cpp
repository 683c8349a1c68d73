// compare's preconditions on their own: what check_inputs() measures and lets through, and
// check_reference() on the reference alone.
#include <gtest/gtest.h>

#include <string>

#include "evaluation/compare_inputs.h"
#include "csd/core/error.h"
#include "csd/evaluation/compare.h"
#include "csd/io/dataset.h"
#include "eval_fixtures.h"

namespace csd::evaluation::detail {
namespace {

constexpr int kN = 16;

float field(int s, int t, int y, int x) { return test::stripes(s, t, y, x, kN); }

/// A partial file like a killed `csd generate` leaves: sequences 0 and 1 of 3 complete.
std::string write_partial(const std::string& path) {
  io::DatasetInfo info;
  info.shape = {3, 4, kN};
  info.config_json = "{}";
  info.csd_version = "test";
  io::DatasetWriter writer(path, info, io::DatasetWriter::Mode::kCreate);
  for (int s = 0; s < 2; ++s) {
    std::vector<float> frames;
    for (int t = 0; t < 4; ++t)
      for (int y = 0; y < kN; ++y)
        for (int x = 0; x < kN; ++x) frames.push_back(field(s, t, y, x));
    writer.write_sequence(s, {0.002 * s, 0.5, 0.1, 0}, frames, std::vector<physics::Energies>(4));
  }
  return io::partial_path(path);  // closed without finish()
}

class CompareInputsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("compare_inputs");
    test::write_dataset(*dir_ / "ref.h5", 3, 4, kN, field);
    test::write_dataset(*dir_ / "short.h5", 3, 3, kN, field);
    // η within the 1e-9 tolerance, φ₀ within 1e-5: the same runs.
    test::write_dataset(
        *dir_ / "close.h5", 3, 4, kN,
        [](int s, int t, int y, int x) { return field(s, t, y, x) + (x == 0 ? 4e-6f : 0.0f); },
        [](int s) { return 0.002 * s + (s == 2 ? 5e-10 : 0.0); });
    partial_ = new std::string(write_partial(*dir_ / "partial.h5"));
  }
  static void TearDownTestSuite() {
    delete partial_;
    delete dir_;
  }
  static Extent check(const std::string& prediction, CompareOptions o = {}) {
    return check_inputs(SharedReader(*dir_ / prediction), SharedReader(*dir_ / "ref.h5"), o);
  }
  static test::TempDir* dir_;
  static std::string* partial_;
};
test::TempDir* CompareInputsTest::dir_ = nullptr;
std::string* CompareInputsTest::partial_ = nullptr;

/// The message of the csd::Error that `f` throws ("" if none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_F(CompareInputsTest, TheExtentIsWhatBothInputsShare) {
  Extent e = check("ref.h5");
  EXPECT_EQ(e.sequences, 3);
  EXPECT_EQ(e.frames, 4);
  EXPECT_EQ(e.size, kN);
  EXPECT_EQ(e.initial_max_abs_diff, 0.0);
  EXPECT_EQ(e.eta_max_abs_diff, 0.0);

  CompareOptions o;
  o.max_sequences = 2;
  o.max_frames = 2;
  e = check("ref.h5", o);
  EXPECT_EQ(e.sequences, 2);
  EXPECT_EQ(e.frames, 2);

  o = {};
  o.allow_frame_mismatch = true;
  EXPECT_EQ(check("short.h5", o).frames, 3);
}

TEST_F(CompareInputsTest, DifferencesWithinTheTolerancesAreMeasured) {
  const Extent e = check("close.h5");
  EXPECT_NEAR(e.initial_max_abs_diff, 4e-6, 1e-7);
  EXPECT_NEAR(e.eta_max_abs_diff, 5e-10, 1e-12);
}

TEST_F(CompareInputsTest, AnIncompleteSequenceIsRefusedUnlessNotCompared) {
  const std::string message = error_of([] {
    check_inputs(SharedReader(*partial_), SharedReader(*dir_ / "ref.h5"), CompareOptions{});
  });
  EXPECT_NE(message.find("sequence 2 of prediction '" + *partial_ + "' is incomplete"),
            std::string::npos)
      << message;
  CompareOptions o;
  o.max_sequences = 2;
  EXPECT_EQ(check_inputs(SharedReader(*partial_), SharedReader(*dir_ / "ref.h5"), o).sequences, 2);
}

TEST_F(CompareInputsTest, CheckReferenceAppliesTheSameChecksToOneFile) {
  EXPECT_NO_THROW(check_reference(*dir_ / "ref.h5", "solver", 0, 0));
  const std::string incomplete = error_of([] { check_reference(*partial_, "solver", 0, 0); });
  EXPECT_NE(incomplete.find("sequence 2 of solver '" + *partial_ + "' is incomplete"),
            std::string::npos)
      << incomplete;
  EXPECT_NO_THROW(check_reference(*partial_, "solver", 2, 0));  // sequences 0 and 1 only
  const std::string missing =
      error_of([] { check_reference(*dir_ / "missing.h5", "solver", 0, 0); });
  EXPECT_NE(missing.find("missing.h5"), std::string::npos) << missing;
}

}  // namespace
}  // namespace csd::evaluation::detail
