// Regression guard for the shipped weights (data/model-small.pt): free rollouts of
// 10 training horizons on a grid it was not trained on stay physical and conserve mass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "csd/init/initial_conditions.h"
#include "csd/surrogate/surrogate.h"

namespace csd::surrogate {
namespace {

constexpr const char* kShippedModel = CSD_SOURCE_DIR "/data/model-small.pt";

TEST(ShippedModel, TenHorizonsAt64StayInRangeAndConserveMass) {
  const Surrogate model = Surrogate::load(kShippedModel, {"cpu", 2});
  const auto physics = checkpoint_physics(kShippedModel);
  ASSERT_TRUE(physics.has_value());
  EXPECT_EQ(physics->steps_per_frame, 100);  // the paper's τ
  const int horizon = 20, frames = 10 * horizon + 1, n = 64;
  struct Case {
    std::uint64_t seed;
    double mean_phi, eta;
  };
  for (const Case c : {Case{101, 0.42, 0.004}, Case{202, 0.6, 0.01}}) {
    init::PerlinOptions options;
    options.mean_phi = c.mean_phi;
    options.amplitude = 0.1;
    options.seed = c.seed;
    const Field phi0 = init::perlin_field(n, options);
    const std::vector<float> start(phi0.data(), phi0.data() + phi0.size());
    const std::vector<float> out = model.rollout(start, n, c.eta, frames);
    ASSERT_EQ(out.size(), static_cast<size_t>(frames) * n * n);
    const auto [lo, hi] = std::minmax_element(out.begin(), out.end());
    EXPECT_GE(*lo, -0.2f) << "seed " << c.seed;
    EXPECT_LE(*hi, 1.2f) << "seed " << c.seed;
    double mass0 = 0, worst = 0, change = 0;
    for (int i = 0; i < n * n; ++i) mass0 += out[i];
    for (int t = 1; t < frames; ++t) {
      double mass = 0;
      for (int i = 0; i < n * n; ++i) {
        const float v = out[static_cast<size_t>(t) * n * n + i];
        mass += v;
        if (t == frames - 1) change = std::max(change, std::abs(double(v) - out[i]));
      }
      worst = std::max(worst, std::abs(mass - mass0) / mass0);
    }
    EXPECT_LT(worst, 1e-6) << "seed " << c.seed;
    // Inside the spinodal the field must have decomposed: bounds are not met by standing still.
    EXPECT_GT(change, 0.3) << "seed " << c.seed;
  }
}

}  // namespace
}  // namespace csd::surrogate
