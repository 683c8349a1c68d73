#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "csd/analysis/stats.h"
#include "csd/core/error.h"

namespace csd::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Expected values from numpy 1.24 (default method 'linear'):
//   np.quantile([3.1, -2.0, 7.5, 0.25, 4.0, 9.0, 1.5], [0.25, 0.5, 0.75])
//     -> [0.875, 3.1, 5.75]
TEST(Quartiles, MatchNumpyLinearOddCount) {
  const Quartiles q = quartiles({3.1, -2.0, 7.5, 0.25, 4.0, 9.0, 1.5});
  EXPECT_NEAR(q.q1, 0.875, 1e-14);
  EXPECT_NEAR(q.median, 3.1, 1e-14);
  EXPECT_NEAR(q.q3, 5.75, 1e-14);
  EXPECT_NEAR(q.iqr(), 4.875, 1e-14);
}

// np.quantile([5.0, 1.0, 2.0, 8.0], [0.25, 0.5, 0.75, 0.1, 0.9])
//   -> [1.75, 3.5, 5.75, 1.3, 7.1000000000000005]
TEST(Quartiles, MatchNumpyLinearEvenCountAndOtherQuantiles) {
  const Quartiles q = quartiles({5.0, 1.0, 2.0, 8.0});
  EXPECT_NEAR(q.q1, 1.75, 1e-14);
  EXPECT_NEAR(q.median, 3.5, 1e-14);
  EXPECT_NEAR(q.q3, 5.75, 1e-14);
  EXPECT_NEAR(quantile({5.0, 1.0, 2.0, 8.0}, 0.1), 1.3, 1e-14);
  EXPECT_NEAR(quantile({5.0, 1.0, 2.0, 8.0}, 0.9), 7.1, 1e-14);
  EXPECT_DOUBLE_EQ(quantile({5.0, 1.0, 2.0, 8.0}, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile({5.0, 1.0, 2.0, 8.0}, 1.0), 8.0);
}

// np.nanquantile([nan, 5, 1, nan, 2, 8], [.25, .5, .75]) -> [1.75, 3.5, 5.75]
TEST(Quartiles, SkipNaN) {
  const Quartiles q = quartiles({kNaN, 5.0, 1.0, kNaN, 2.0, 8.0});
  EXPECT_NEAR(q.q1, 1.75, 1e-14);
  EXPECT_NEAR(q.median, 3.5, 1e-14);
  EXPECT_NEAR(q.q3, 5.75, 1e-14);
  EXPECT_TRUE(std::isnan(quartiles({kNaN, kNaN}).median));
}

TEST(Quartiles, SingleValueAndErrors) {
  const Quartiles q = quartiles({0.42});
  EXPECT_DOUBLE_EQ(q.q1, 0.42);
  EXPECT_DOUBLE_EQ(q.median, 0.42);
  EXPECT_DOUBLE_EQ(q.q3, 0.42);
  EXPECT_THROW(quartiles({}), csd::Error);
  EXPECT_THROW(quantile({}, 0.5), csd::Error);
  EXPECT_THROW(quantile({1.0}, 1.5), csd::Error);
}

TEST(EnsembleQuartiles, PerFrameOverSequences) {
  // 4 sequences × 2 frames; frame 0 holds {5,1,2,8}, frame 1 holds {0,0,1,1}.
  const std::vector<std::vector<double>> samples{{5, 0}, {1, 0}, {2, 1}, {8, 1}};
  const std::vector<Quartiles> q = ensemble_quartiles(samples);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_NEAR(q[0].median, 3.5, 1e-14);
  EXPECT_NEAR(q[0].q1, 1.75, 1e-14);
  EXPECT_NEAR(q[1].q1, 0.0, 1e-14);    // np.quantile([0,0,1,1], .25) = 0.0
  EXPECT_NEAR(q[1].median, 0.5, 1e-14);
  EXPECT_NEAR(q[1].q3, 1.0, 1e-14);    // np.quantile([0,0,1,1], .75) = 1.0
}

TEST(EnsembleQuartiles, RejectsRaggedOrEmptyInput) {
  EXPECT_THROW(ensemble_quartiles({}), csd::Error);
  EXPECT_THROW(ensemble_quartiles({{}, {}}), csd::Error);
  EXPECT_THROW(ensemble_quartiles({{1.0, 2.0}, {1.0}}), csd::Error);
}

}  // namespace
}  // namespace csd::analysis
