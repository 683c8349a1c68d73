// Phase diagram: grid of (⟨φ⟩, η), classification of final frames, solver runs, outputs;
// and the figure launcher's fallbacks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>

#include "csd/core/error.h"
#include "csd/evaluation/phase_diagram.h"
#include "csd/evaluation/plots.h"
#include "csd/physics/stability.h"
#include "eval_fixtures.h"

namespace csd::evaluation {
namespace {

constexpr int kN = 16;

std::vector<float> uniform_frame(float value) { return std::vector<float>(kN * kN, value); }

/// Two flat domains 0.05 / 0.95: clearly phase separated.
std::vector<float> separated_frame() {
  std::vector<float> f(kN * kN);
  for (int y = 0; y < kN; ++y)
    for (int x = 0; x < kN; ++x) f[y * kN + x] = x < kN / 2 ? 0.05f : 0.95f;
  return f;
}

/// Concatenates frames into one buffer, as classify_points expects.
std::vector<float> concat(const std::vector<std::vector<float>>& frames) {
  std::vector<float> all;
  for (const auto& f : frames) all.insert(all.end(), f.begin(), f.end());
  return all;
}

TEST(PhaseGrid, RegularGridWithPhiVaryingFastest) {
  PhaseGridOptions o;
  o.phi_range = {0.2, 0.6};
  o.eta_range = {0.0, 0.01};
  o.phi_points = 3;
  o.eta_points = 2;
  o.amplitude = 0.05;
  o.seed = 11;
  const std::vector<PhasePoint> points = phase_grid(o);
  ASSERT_EQ(points.size(), 6u);
  const double phis[] = {0.2, 0.4, 0.6};
  std::set<std::uint64_t> seeds;
  for (int i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(points[i].mean_phi, phis[i % 3]);
    EXPECT_DOUBLE_EQ(points[i].eta, i < 3 ? 0.0 : 0.01);
    EXPECT_EQ(points[i].amplitude, 0.05);
    seeds.insert(points[i].seed);
  }
  EXPECT_EQ(seeds.size(), 6u);  // every point its own initial field
  EXPECT_EQ(phase_grid(o)[4].seed, points[4].seed);  // reproducible

  o.phi_points = 1;
  o.eta_points = 1;
  const std::vector<PhasePoint> one = phase_grid(o);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].mean_phi, 0.2);
  EXPECT_EQ(one[0].eta, 0.0);
}

TEST(PhaseGrid, BadRangesAreErrors) {
  PhaseGridOptions o;
  o.phi_range = {0.6, 0.2};
  EXPECT_THROW(phase_grid(o), Error);
  o = {};
  o.phi_range = {0.0, 0.5};
  EXPECT_THROW(phase_grid(o), Error);
  o = {};
  o.eta_range = {0.0, 0.2};
  EXPECT_THROW(phase_grid(o), Error);
  o = {};
  o.eta_points = 0;
  EXPECT_THROW(phase_grid(o), Error);
}

TEST(PhasePointField, PerlinFieldWithThePointsMeanAndAmplitude) {
  PhasePoint p;
  p.mean_phi = 0.37;
  p.amplitude = 0.08;
  p.seed = 5;
  const Field f = phase_point_field(p, 32, 8.0);
  EXPECT_NEAR(f.mean(), 0.37, 1e-12);
  EXPECT_NEAR((f - 0.37).abs().maxCoeff(), 0.08, 1e-12);
}

TEST(ClassifyPoints, UniformSeparatedAndDivergedFrames) {
  std::vector<PhasePoint> points(4);
  points[0].mean_phi = 0.1;  // outside the spinodal
  points[1].mean_phi = 0.5;  // inside
  points[2].mean_phi = 0.5;
  points[3].mean_phi = 0.5;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> diverged = uniform_frame(0.5f);
  diverged[7] = nan;
  // Point 2: the surrogate separates where the solver stays uniform (the paper's
  // failure mode); point 3: the surrogate diverged.
  const std::vector<float> surrogate =
      concat({uniform_frame(0.1f), separated_frame(), separated_frame(), diverged});
  const std::vector<float> solver =
      concat({uniform_frame(0.1f), separated_frame(), uniform_frame(0.5f), separated_frame()});
  const PhaseDiagramResult r = classify_points(points, surrogate, solver, kN, 0.05);
  ASSERT_EQ(r.points.size(), 4u);
  EXPECT_TRUE(r.has_solver);
  EXPECT_EQ(r.points[0].surrogate, PhaseClass::kSingle);
  EXPECT_EQ(r.points[0].surrogate_range, 0.0);
  EXPECT_EQ(r.points[1].surrogate, PhaseClass::kSeparated);
  EXPECT_NEAR(r.points[1].surrogate_range, 0.9, 1e-6);
  EXPECT_EQ(r.points[2].solver, PhaseClass::kSingle);
  EXPECT_EQ(r.points[3].surrogate, PhaseClass::kDiverged);
  EXPECT_TRUE(std::isnan(r.points[3].surrogate_range));
  EXPECT_TRUE(r.points[0].agrees);
  EXPECT_TRUE(r.points[1].agrees);
  EXPECT_FALSE(r.points[2].agrees);
  EXPECT_FALSE(r.points[3].agrees);

  EXPECT_EQ(r.confusion.both_single, 1);
  EXPECT_EQ(r.confusion.both_separated, 1);
  EXPECT_EQ(r.confusion.surrogate_only_separated, 1);
  EXPECT_EQ(r.confusion.solver_only_separated, 0);
  EXPECT_EQ(r.confusion.total(), 3);  // the diverged point is not counted
  EXPECT_NEAR(r.confusion.agreement_percent(), 200.0 / 3.0, 1e-12);
  EXPECT_EQ(r.surrogate_diverged, 1);
  EXPECT_EQ(r.solver_diverged, 0);
  EXPECT_EQ(r.disagreements, std::vector<int>{2});
  // Eq. 9: ⟨φ⟩ = 0.1 is stable, 0.5 unstable at η = 0; the surrogate matches it at
  // points 0 and 1 and 2 (separated), of the 3 classified.
  EXPECT_FALSE(r.points[0].linearly_unstable);
  EXPECT_TRUE(r.points[1].linearly_unstable);
  EXPECT_DOUBLE_EQ(r.linear_theory_agreement_percent, 100.0);
}

TEST(ClassifyPoints, ThresholdDecidesAndBufferSizesAreChecked) {
  std::vector<PhasePoint> points(1);
  std::vector<float> frame = uniform_frame(0.5f);
  frame[3] = 0.54f;  // range 0.04
  EXPECT_EQ(classify_points(points, frame, {}, kN, 0.05).points[0].surrogate, PhaseClass::kSingle);
  EXPECT_EQ(classify_points(points, frame, {}, kN, 0.03).points[0].surrogate,
            PhaseClass::kSeparated);
  EXPECT_FALSE(classify_points(points, frame, {}, kN, 0.05).has_solver);
  EXPECT_THROW(classify_points(points, uniform_frame(0.5f), {}, kN + 1, 0.05), Error);
  EXPECT_THROW(classify_points(points, frame, std::vector<float>(5), kN, 0.05), Error);
  EXPECT_THROW(classify_points(points, frame, {}, kN, 0.0), Error);
}

TEST(RunSolverPoints, SeparatesInsideTheSpinodalAndHomogenisesOutside) {
  // At η = 0 the spinodal is 0.211 < ⟨φ⟩ < 0.789: 0.5 separates within a few τ
  // (fastest growth rate 0.65/τ), 0.12 relaxes to uniform.
  std::vector<PhasePoint> points(2);
  points[0].mean_phi = 0.5;
  points[0].amplitude = 0.1;
  points[0].seed = 1;
  points[1].mean_phi = 0.12;
  points[1].amplitude = 0.05;
  points[1].seed = 2;
  const int n = 32;
  const std::vector<float> finals = run_solver_points(points, n, {}, 8, 8.0, 2);
  ASSERT_EQ(finals.size(), 2u * n * n);
  const PhaseDiagramResult r = classify_points(points, finals, finals, n, 0.05);
  EXPECT_EQ(r.points[0].surrogate, PhaseClass::kSeparated);
  EXPECT_GT(r.points[0].surrogate_range, 0.5);
  EXPECT_EQ(r.points[1].surrogate, PhaseClass::kSingle);
  const Field initial = phase_point_field(points[1], n, 8.0);
  EXPECT_LT(r.points[1].surrogate_range, 0.5 * (initial.maxCoeff() - initial.minCoeff()));
  // Mass is conserved by the solver.
  double mean = 0;
  for (int k = 0; k < n * n; ++k) mean += finals[k];
  EXPECT_NEAR(mean / (n * n), 0.5, 1e-6);
  // Frame 0 returns the initial fields themselves.
  const std::vector<float> start = run_solver_points(points, n, {}, 0, 8.0, 1);
  const Field f0 = phase_point_field(points[1], n, 8.0);
  EXPECT_FLOAT_EQ(start[n * n + 5], static_cast<float>(f0(0, 5)));
}

TEST(WritePhaseDiagram, PointsCsvAndSummaryWithSpinodalLine) {
  test::TempDir dir("phase");
  std::vector<PhasePoint> points(3);
  points[0].mean_phi = 0.1;
  points[1].mean_phi = 0.5;
  points[1].eta = 0.004;
  points[2].mean_phi = 0.5;
  points[2].eta = 0.02;  // beyond the training range: the line extends to 1.1 × 0.02
  const std::vector<float> surrogate =
      concat({uniform_frame(0.1f), separated_frame(), separated_frame()});
  const std::vector<float> solver =
      concat({uniform_frame(0.1f), separated_frame(), uniform_frame(0.5f)});
  const PhaseDiagramResult r = classify_points(points, surrogate, solver, kN, 0.05);
  PhaseDiagramOutput out;
  out.out = dir / "pd";
  out.frame = 100;
  out.source = "grid";
  write_phase_diagram(r, out);

  const test::Table t = test::read_csv(dir / "pd/points.csv");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.text[0][t.column("surrogate_class")], "single");
  EXPECT_EQ(t.text[1][t.column("solver_class")], "separated");
  EXPECT_EQ(t.at(1, "agree"), 1);
  EXPECT_EQ(t.at(2, "agree"), 0);
  EXPECT_EQ(t.at(1, "linearly_unstable"), 1);
  EXPECT_DOUBLE_EQ(t.at(1, "eta"), 0.004);

  const Json s = test::read_json(dir / "pd/summary.json");
  EXPECT_EQ(s["points"], 3);
  EXPECT_EQ(s["time"], 100.0);
  EXPECT_NEAR(s["agreement_percent"].get<double>(), 200.0 / 3.0, 1e-9);
  EXPECT_EQ(s["confusion"]["surrogate_only_separated"], 1);
  ASSERT_EQ(s["disagreements"].size(), 1u);
  EXPECT_EQ(s["disagreements"][0]["index"], 2);
  EXPECT_EQ(s["surrogate_counts"]["separated"], 2);
  EXPECT_EQ(s["solver_counts"]["single"], 2);
  // The spinodal at η = 0: ⟨φ⟩± = ½ ± ½√(1/3) = 0.2113, 0.7887; it narrows with η.
  const Json& line = s["spinodal"];
  ASSERT_GT(line["eta"].size(), 10u);
  EXPECT_EQ(line["eta"][0], 0.0);
  EXPECT_NEAR(line["phi_minus"][0].get<double>(), 0.5 - 0.5 / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(line["phi_plus"][0].get<double>(), 0.5 + 0.5 / std::sqrt(3.0), 1e-9);
  EXPECT_GT(line["phi_minus"][5].get<double>(), line["phi_minus"][0].get<double>());
  EXPECT_LE(line["eta"].back().get<double>(), 1.1 * 0.02 + 1e-12);
}

TEST(Plots, MissingInterpreterOrFailingScriptOnlyWarns) {
  test::TempDir dir("plots");
  const std::string script = dir / "plots.py";
  { std::ofstream(script) << "raise SystemExit(3)\n"; }
  ::setenv("CSD_PLOTS_SCRIPT", script.c_str(), 1);
  EXPECT_EQ(find_plots_script(), script);
  ::setenv("CSD_PYTHON", (dir / "no-python").c_str(), 1);
  EXPECT_FALSE(make_plots("ensemble", dir.path()));
  ::setenv("CSD_PYTHON", "/bin/false", 1);  // runs, exits non-zero
  EXPECT_FALSE(make_plots("ensemble", dir.path()));
  ::setenv("CSD_PYTHON", "/bin/true", 1);  // runs, exits zero
  EXPECT_TRUE(make_plots("ensemble", dir.path()));
  ::unsetenv("CSD_PYTHON");
  ::unsetenv("CSD_PLOTS_SCRIPT");
}

}  // namespace
}  // namespace csd::evaluation
