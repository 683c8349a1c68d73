// The evaluation and phase-diagram jobs with exact reference predictors: the solver
// itself (a perfect model of solver data) and persistence (the baseline every error is
// measured against). These run without LibTorch.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "csd/core/error.h"
#include "csd/evaluation/evaluate.h"
#include "csd/evaluation/phase_diagram_job.h"
#include "csd/evaluation/predictor.h"
#include "csd/io/dataset.h"
#include "csd/pipeline/generate.h"
#include "error_capture.h"
#include "eval_fixtures.h"

namespace csd::evaluation {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

class EvaluateJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("evaluate_job");
    config_ = test::small_generate_config(*dir_ / "test.h5", 3, 6);
    pipeline::generate(config_);
  }
  static void TearDownTestSuite() { delete dir_; }
  static EvaluateJob job(const std::string& out) {
    EvaluateJob j;
    j.data = *dir_ / "test.h5";
    j.out = *dir_ / out;
    j.threads = 2;
    j.horizon = 1;
    j.headline_frame = 2;
    j.plots = false;
    return j;
  }
  static TempDir* dir_;
  static pipeline::GenerateConfig config_;
};
TempDir* EvaluateJobTest::dir_ = nullptr;
pipeline::GenerateConfig EvaluateJobTest::config_;

TEST_F(EvaluateJobTest, TheSolverAsPredictorReproducesSolverData) {
  const SolverPredictor solver(config_.physics, 2);
  const CompareSummary s = run_evaluate(job("solver"), &solver);
  EXPECT_EQ(s.sequences, 3);
  EXPECT_EQ(s.frames, 6);
  // Same scheme from the stored float32 φ₀: only rounding separates the two.
  EXPECT_LT(s.last.mae.median, 1e-5);
  ASSERT_FALSE(s.horizon.empty());
  EXPECT_LT(s.horizon.front().mae_ratio, 1e-3);
  EXPECT_EQ(s.horizon.front().far_outside_count_a, 0);
  // The same coarsening law on both sides, L_A / L_B = 1 at H, 5H and the last frame.
  ASSERT_TRUE(s.coarsening.growth_a && s.coarsening.growth_b);
  EXPECT_NEAR(s.coarsening.growth_a->exponent, s.coarsening.growth_b->exponent, 1e-4);
  EXPECT_EQ(s.coarsening.length_ratio.size(), 2u);  // H = 1 and 5H = 5, the last frame
  for (const LengthRatio& r : s.coarsening.length_ratio) EXPECT_NEAR(r.ratio, 1.0, 1e-4);
  const io::DatasetReader written(*dir_ / "solver/surrogate.h5");
  EXPECT_EQ(written.info().source, "surrogate");
  EXPECT_EQ(written.shape().frames, 6);
}

TEST_F(EvaluateJobTest, PersistenceScoresExactlyOneTimesPersistence) {
  const PersistencePredictor persistence;
  const CompareSummary s = run_evaluate(job("persistence"), &persistence);
  ASSERT_FALSE(s.horizon.empty());
  for (const HorizonFigures& h : s.horizon) {
    EXPECT_GT(h.mae_median, 0.0);  // the data do change
    EXPECT_DOUBLE_EQ(h.mae_ratio, 1.0);
  }
  // "Nothing changes" keeps L(φ₀): n = 0 and the same L_A at every frame, while the
  // solver's L moves (this early stage of 6 short frames sharpens the Perlin field).
  ASSERT_TRUE(s.coarsening.growth_a && s.coarsening.growth_b);
  EXPECT_NEAR(s.coarsening.growth_a->exponent, 0.0, 1e-9);
  EXPECT_GT(std::abs(s.coarsening.growth_b->exponent), 1e-3);
  for (const LengthRatio& r : s.coarsening.length_ratio)
    EXPECT_DOUBLE_EQ(r.length_a, s.coarsening.length_ratio.front().length_a);
}

TEST_F(EvaluateJobTest, AFitWindowBeyondTheFramesIsRefusedBeforeTheRollout) {
  const PersistencePredictor persistence;
  EvaluateJob j = job("bad_window");
  j.fit_end = 9;
  const std::string message = test::error_of([&] { run_evaluate(j, &persistence); });
  EXPECT_NE(message.find("fit_end = 9 is beyond the last analysed frame 5"), std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(j.out));
}

TEST_F(EvaluateJobTest, OtherPhysicsIsRefusedBeforeAnyOutput) {
  physics::Params other = config_.physics;
  other.steps_per_frame *= 2;
  const SolverPredictor solver(other, 1);
  const EvaluateJob j = job("other_physics");
  const std::string message = test::error_of([&] { run_evaluate(j, &solver); });
  EXPECT_NE(message.find("steps_per_frame"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(j.out));
}

/// A model that blows up after its first frame.
class DivergingPredictor : public PersistencePredictor {
 public:
  std::vector<float> rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                   const std::vector<double>& etas, int frames,
                                   const std::function<void(int)>& on_frame) const override {
    std::vector<float> out = PersistencePredictor::rollout_batch(phi0, batch, n, etas, frames, on_frame);
    out.back() = std::numeric_limits<float>::quiet_NaN();
    return out;
  }
};

TEST_F(EvaluateJobTest, ADivergedPredictionFailsAndLeavesNoFolder) {
  const DivergingPredictor diverging;
  const EvaluateJob j = job("diverged");
  const std::string message = test::error_of([&] { run_evaluate(j, &diverging); });
  EXPECT_NE(message.find("diverged"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(j.out));
  EXPECT_FALSE(fs::exists(j.out + ".part"));
}

TEST_F(EvaluateJobTest, APredictorAndAReferenceDatasetAreExclusive) {
  EvaluateJob j = job("both");
  j.against = j.data;
  const PersistencePredictor persistence;
  EXPECT_NE(test::error_of([&] { run_evaluate(j, &persistence); }).find("--against"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { run_evaluate(job("neither"), nullptr); }).find("--against"),
            std::string::npos);
}

TEST(Predictors, PersistenceRepeatsEachInitialField) {
  const std::vector<float> phi0 = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};  // 2 × 2²
  int calls = 0;
  const auto out = PersistencePredictor().rollout_batch(phi0, 2, 2, {0.0, 0.01}, 3,
                                                        [&](int) { ++calls; });
  ASSERT_EQ(out.size(), 2u * 3 * 4);
  for (int k = 0; k < 2; ++k)
    for (int t = 0; t < 3; ++t)
      for (int i = 0; i < 4; ++i) EXPECT_EQ(out[(k * 3 + t) * 4 + i], phi0[k * 4 + i]);
  EXPECT_EQ(calls, 2);  // frames 1 and 2
}

TEST(Predictors, ShapeMismatchesAreErrors) {
  const PersistencePredictor p;
  EXPECT_NE(test::error_of([&] { p.rollout_batch(std::vector<float>(5), 2, 2, {0, 0}, 3, {}); })
                .find("5 initial values"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { p.rollout_batch(std::vector<float>(8), 2, 2, {0}, 3, {}); })
                .find("1 misfits"),
            std::string::npos);
}

/// Frame t of every sequence is the constant t: shows which frame a job picked.
class FrameIndexPredictor : public Predictor {
 public:
  std::vector<float> rollout_batch(const std::vector<float>&, int batch, int n,
                                   const std::vector<double>&, int frames,
                                   const std::function<void(int)>&) const override {
    std::vector<float> out;
    for (int k = 0; k < batch; ++k)
      for (int t = 0; t < frames; ++t) out.insert(out.end(), static_cast<std::size_t>(n) * n, float(t));
    return out;
  }
  std::string description() const override { return "frame index"; }
};

TEST(PhaseDiagramJob, PredictFrameReturnsTheRequestedFrameOfEveryPoint) {
  const int n = 4, points = 5;
  const std::vector<float> initial(points * n * n, 0.5f);
  const auto finals = predict_frame(FrameIndexPredictor(), initial, std::vector<double>(points, 0.0),
                                    n, /*frame=*/7, /*batch=*/2);
  ASSERT_EQ(finals.size(), static_cast<std::size_t>(points * n * n));
  for (float v : finals) EXPECT_EQ(v, 7.0f);
}

TEST(PhaseDiagramJob, TheSolverAgreesWithItselfOnEveryGridPoint) {
  TempDir dir("phase_job");
  PhaseDiagramJob job;
  job.grid = true;
  job.solver = true;
  job.grid_options.phi_range = {0.15, 0.5};
  job.grid_options.eta_range = {0.0, 0.01};
  job.grid_options.phi_points = 3;
  job.grid_options.eta_points = 2;
  job.size = 32;
  job.frame = 8;
  job.threads = 2;
  job.plots = false;
  job.out = dir / "grid";
  const SolverPredictor solver(job.physics, 2);
  const PhaseDiagramResult r = run_phase_diagram(job, solver);
  ASSERT_TRUE(r.has_solver);
  EXPECT_EQ(r.points.size(), 6u);
  EXPECT_EQ(r.confusion.agreements(), 6);
  // Not a trivial agreement: both classes occur on this grid.
  int separated = 0;
  for (const auto& p : r.points) separated += p.solver == PhaseClass::kSeparated;
  EXPECT_GT(separated, 0);
  EXPECT_LT(separated, 6);
  EXPECT_TRUE(fs::exists(job.out + "/points.csv"));
}

TEST(PhaseDiagramJob, OptionsRoundTripThroughTheirJsonSections) {
  const Json config = {{"phasediagram",
                        {{"grid", true}, {"phi_points", 4}, {"eta_range", {0.0, 0.01}},
                         {"seed", 9}, {"out", "x"}, {"device", "cpu"}}},
                       {"physics", {{"steps_per_frame", 50}}}};
  const PhaseDiagramJob job = PhaseDiagramJob::from_json(config);
  EXPECT_TRUE(job.grid);
  EXPECT_EQ(job.grid_options.phi_points, 4);
  EXPECT_EQ(job.grid_options.eta_range[1], 0.01);
  EXPECT_EQ(job.grid_options.seed, 9u);
  EXPECT_TRUE(job.physics_given);
  EXPECT_EQ(job.physics.steps_per_frame, 50);
  EXPECT_NE(test::error_of([] {
              PhaseDiagramJob::from_json({{"phasediagram", {{"device", "gpu"}}}});
            }).find("cpu"),
            std::string::npos);
  EXPECT_NE(test::error_of([] {
              PhaseDiagramJob::from_json({{"phasediagram", {{"phi_point", 3}}}});
            }).find("phi_point"),
            std::string::npos);
}

}  // namespace
}  // namespace csd::evaluation
