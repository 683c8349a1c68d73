// Euler characteristic and domain count of φ > ½ on the torus (csd/analysis/topology.h):
// shapes whose topology is known, including shapes cut by the domain edge.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "analytic_fields.h"
#include "csd/analysis/topology.h"
#include "error_capture.h"

namespace csd::analysis {
namespace {

using testing::Frame;
using testing::make_frame;

/// Periodic distance between a and b on a ring of n.
double ring(double a, double b, int n) {
  const double d = std::abs(a - b);
  return std::min(d, n - d);
}

/// 1 inside the periodic discs (centre y, x, radius r), 0 outside.
Frame discs(int n, const std::vector<std::array<double, 3>>& shapes) {
  return make_frame(n, [&](double y, double x) {
    for (const auto& [cy, cx, r] : shapes)
      if (std::hypot(ring(y, cy, n), ring(x, cx, n)) < r) return 1.0;
    return 0.0;
  });
}

Frame annulus(int n, double cy, double cx, double inner, double outer) {
  return make_frame(n, [=](double y, double x) {
    const double d = std::hypot(ring(y, cy, n), ring(x, cx, n));
    return d >= inner && d < outer ? 1.0 : 0.0;
  });
}

Frame invert(const Frame& f) {
  Frame g(f.size());
  for (std::size_t i = 0; i < f.size(); ++i) g[i] = 1.0f - f[i];
  return g;
}

void expect_topology(const Frame& f, int n, long euler, long domains, const char* what) {
  const Topology t = topology(f.data(), n);
  EXPECT_EQ(t.euler, euler) << what;
  EXPECT_EQ(t.domains, domains) << what;
}

TEST(Topology, DiscAnnulusAndSeveralDiscs) {
  const int n = 64;
  expect_topology(discs(n, {{30, 30, 12}}), n, 1, 1, "disc");
  expect_topology(annulus(n, 30, 30, 8, 16), n, 0, 1, "annulus");
  expect_topology(discs(n, {{10, 10, 5}, {40, 12, 7}, {20, 45, 6}, {50, 50, 4}}), n, 4, 4,
                  "four discs");
  // Smooth profiles thresholded at ½ (the equilibrium tanh disc) behave alike.
  expect_topology(testing::disc(n, 15.0), n, 1, 1, "tanh disc");
}

TEST(Topology, WrapAroundJoinsWhatTheDomainEdgeCuts) {
  const int n = 48;
  // A disc centred on the corner appears as four quarter discs: one domain, χ = 1.
  expect_topology(discs(n, {{0, 0, 10}}), n, 1, 1, "disc on the corner");
  expect_topology(discs(n, {{24, 0, 9}, {0, 24, 9}, {30, 30, 6}}), n, 3, 3,
                  "discs on the edges");
  expect_topology(annulus(n, 47, 2, 6, 12), n, 0, 1, "annulus on the corner");
  // A stripe round the torus is a band: χ = 0; two stripes are two domains.
  expect_topology(make_frame(n, [](double y, double) { return y >= 5 && y < 15; }), n, 0, 1,
                  "stripe");
  expect_topology(make_frame(n, [](double, double x) { return x < 6 || (x >= 20 && x < 30); }),
                  n, 0, 2, "two stripes");
  // A stripe that wraps across the edge (rows 44 … 47 and 0 … 3) is one stripe.
  expect_topology(make_frame(n, [](double y, double) { return y >= 44 || y < 4; }), n, 0, 1,
                  "stripe across the edge");
}

TEST(Topology, ComplementsAndTheWholeTorus) {
  const int n = 40;
  // The torus minus a disc: χ(torus) − χ(disc) = −1, one domain.
  expect_topology(invert(discs(n, {{20, 20, 8}})), n, -1, 1, "torus minus a disc");
  expect_topology(invert(discs(n, {{10, 10, 4}, {30, 30, 4}})), n, -2, 1, "minus two discs");
  expect_topology(Frame(n * n, 1.0f), n, 0, 1, "the whole torus");
  expect_topology(Frame(n * n, 0.0f), n, 0, 0, "empty");
}

TEST(Topology, DomainsTouchingAtACornerAreSeparate) {
  // 4-connectivity: two pixels that share only a corner are two domains, χ = 2.
  const int n = 8;
  Frame f(n * n, 0.0f);
  f[2 * n + 2] = f[3 * n + 3] = 1.0f;
  expect_topology(f, n, 2, 2, "diagonal pair");
  f[2 * n + 3] = 1.0f;  // an L of three: one domain
  expect_topology(f, n, 1, 1, "L");
}

TEST(Topology, ThresholdAndGridSizes) {
  const Frame f = make_frame(9, [](double y, double x) { return (y + x) / 16.0; });
  // φ > 0.5 is the staircase triangle x + y > 8 of a 9×9 grid (its wrap-around
  // neighbours, row 0 and column 0, are below ½): one domain, χ = 1. Nothing exceeds 2.
  const Topology t = topology(f.data(), 9, 0.5);
  EXPECT_EQ(t.domains, 1);
  EXPECT_EQ(t.euler, 1);
  EXPECT_EQ(topology(f.data(), 9, 2.0).domains, 0);
  for (const int n : {0, 5, 7}) {
    const Frame g(std::max(n, 1) * std::max(n, 1), 1.0f);
    const std::string message = test::error_of([&] { topology(g.data(), n); });
    EXPECT_TRUE(test::contains(message, "N >= 8")) << message;
  }
}

}  // namespace
}  // namespace csd::analysis
