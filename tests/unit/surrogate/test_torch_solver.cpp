// The LibTorch solver against the FFTW solver (Eq. 8, include/csd/physics/solver.h):
// the same fields to round-off with and without noise, exact mass, batches equal to
// single runs, clear errors; and a dataset made with it equal to the FFTW one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/physics/solver.h"
#include "csd/pipeline/generate.h"
#include "csd/surrogate/torch_solver.h"
#include "physics_fields.h"
#include "temp_dir.h"

namespace csd::surrogate {
namespace {

using physics::BatchStart;
using physics::NoiseOptions;
using physics::Params;

std::unique_ptr<physics::BatchSolver> cpu_solver(const BatchStart& start, const Params& p = {}) {
  return torch_solver_factory("cpu", 1)(start, p);
}

BatchStart single(const Field& phi0, double eta, NoiseOptions noise = {}) {
  return BatchStart{{phi0}, {eta}, {noise}};
}

double relative_mass_change(const Field& phi, const Field& phi0) {
  return std::abs(phi.sum() / phi0.sum() - 1.0);
}

TEST(TorchSolver, MatchesTheFftwSolverFrameByFrameOver500Steps) {
  // Two members with other η and ⟨φ⟩ in one batch; each is compared with its own FFTW
  // run after every frame (100 steps), noise off.
  const int n = 64;
  const std::vector<Field> phi0 = {test::random_field(n, 0.4, 0.05, 1),
                                   test::random_field(n, 0.6, 0.1, 2)};
  const std::vector<double> eta = {0.012, 0.0};
  auto torch_solver = cpu_solver({phi0, eta, {{}, {}}});
  std::vector<physics::Solver> fftw;
  for (int m = 0; m < 2; ++m) fftw.emplace_back(phi0[m], eta[m], Params{});
  double worst = 0.0;
  for (int frame = 1; frame <= 5; ++frame) {
    torch_solver->advance_frame();
    const std::vector<Field> phi = torch_solver->phi();
    for (int m = 0; m < 2; ++m) {
      fftw[m].advance_frame();
      const double diff = test::max_abs_diff(phi[m], fftw[m].phi());
      EXPECT_LE(diff, 1e-10) << "member " << m << ", frame " << frame;
      worst = std::max(worst, diff);
    }
  }
  EXPECT_GT(test::max_abs_diff(fftw[0].phi(), phi0[0]), 0.05) << "the fields should evolve";
  std::printf("max |φ_torch − φ_fftw| over 5 frames of 100 steps at 64²: %.3g\n", worst);
}

TEST(TorchSolver, DrawsTheSameNoiseAsTheFftwSolver) {
  // Noise comes from each member's own portable stream, so noisy runs agree too.
  const int n = 32;
  const Field phi0 = test::random_field(n, 0.45, 0.05, 3);
  const NoiseOptions noise{7.5e-4, 99};
  auto torch_solver = cpu_solver(single(phi0, 0.006, noise));
  physics::Solver fftw(phi0, 0.006, Params{}, noise);
  for (int frame = 1; frame <= 2; ++frame) {
    torch_solver->advance_frame();
    fftw.advance_frame();
    EXPECT_LE(test::max_abs_diff(torch_solver->phi()[0], fftw.phi()), 1e-10) << "frame " << frame;
  }
  physics::Solver quiet(phi0, 0.006, Params{});
  quiet.advance(2 * Params{}.steps_per_frame);
  EXPECT_GT(test::max_abs_diff(torch_solver->phi()[0], quiet.phi()), 1e-4) << "noise had no effect";
}

TEST(TorchSolver, ConservesMassWithAndWithoutNoise) {
  const Field phi0 = test::random_field(32, 0.4, 0.05, 1);
  auto torch_solver = cpu_solver({{phi0, phi0}, {0.006, 0.006}, {{}, {7.5e-4, 5}}});
  for (int frame = 0; frame < 10; ++frame) torch_solver->advance_frame();
  const std::vector<Field> phi = torch_solver->phi();
  for (int m = 0; m < 2; ++m) {
    EXPECT_LT(relative_mass_change(phi[m], phi0), 1e-12) << "member " << m;
    EXPECT_GT(test::max_abs_diff(phi[m], phi0), 0.1) << "member " << m << " should separate";
  }
}

TEST(TorchSolver, ABatchEqualsItsMembersRunAlone) {
  const int n = 32;
  const BatchStart start{{test::random_field(n, 0.3, 0.05, 7), test::random_field(n, 0.5, 0.05, 8),
                          test::random_field(n, 0.7, 0.05, 9)},
                         {0.0, 0.006, 0.012},
                         {{}, {7.5e-4, 11}, {}}};
  auto batch = cpu_solver(start);
  for (int frame = 0; frame < 3; ++frame) batch->advance_frame();
  const std::vector<Field> together = batch->phi();
  ASSERT_EQ(batch->batch(), 3);
  for (int m = 0; m < 3; ++m) {
    auto alone = cpu_solver(single(start.phi0[m], start.eta[m], start.noise[m]));
    for (int frame = 0; frame < 3; ++frame) alone->advance_frame();
    EXPECT_LE(test::max_abs_diff(together[m], alone->phi()[0]), 1e-14) << "member " << m;
  }
}

TEST(TorchSolver, RefusesBadBatchesAndReportsDivergence) {
  const Field f16 = Field::Constant(16, 16, 0.4), f32 = Field::Constant(32, 32, 0.4);
  EXPECT_THROW(cpu_solver({}), Error);
  EXPECT_THROW(cpu_solver({{f16, f32}, {0.0, 0.0}, {{}, {}}}), Error);
  EXPECT_THROW(cpu_solver({{f16}, {0.0, 0.0}, {{}}}), Error);
  EXPECT_THROW(cpu_solver(single(f16, 0.5)), Error);  // η beyond kMaxEta
  EXPECT_THROW(torch_solver_factory("tpu", 1), Error);
  Params unstable;
  unstable.dt = 100.0;
  auto solver = cpu_solver({{f16, test::random_field(16, 0.5, 0.1, 4)}, {0.0, 0.0}, {{}, {}}},
                           unstable);
  try {
    for (int frame = 0; frame < 20; ++frame) solver->advance_frame();
    FAIL() << "dt = 100 should diverge";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("batch member 1"), std::string::npos) << e.what();
  }
}

TEST(TorchSolver, CudaWithoutAGpuIsAClearError) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "a CUDA GPU is visible: nothing to refuse";
  try {
    torch_solver_factory("cuda", 1);
    FAIL() << "cuda without a GPU should be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("CUDA"), std::string::npos) << e.what();
  }
}

TEST(TorchSolver, RunsOnCudaLikeOnTheCpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA GPU visible to LibTorch";
  const Field phi0 = test::random_field(64, 0.4, 0.05, 1);
  auto gpu = torch_solver_factory("cuda", 1)(single(phi0, 0.006), Params{});
  physics::Solver fftw(phi0, 0.006, Params{});
  for (int frame = 0; frame < 5; ++frame) {
    gpu->advance_frame();
    fftw.advance_frame();
  }
  EXPECT_LE(test::max_abs_diff(gpu->phi()[0], fftw.phi()), 1e-10);
}

// A dataset made by the LibTorch solver is the FFTW solver's dataset up to round-off:
// same schema and sequence records, frames and energies within rounding; its record
// differs only by naming the solver.
TEST(TorchSolverGenerate, GivesTheFftwDatasetToRoundOff) {
  test::TempDir dir;
  pipeline::GenerateConfig c;
  c.sequences = 3;
  c.frames = 4;
  c.size = 32;
  c.seed = 5;
  c.threads = 1;
  c.noise = 7.5e-4;
  c.fft_plans = "estimate";
  c.physics.steps_per_frame = 50;
  c.out = dir.file("fftw.h5");
  pipeline::generate(c);
  c.solver = "torch";
  c.batch = 2;  // two batches, the second one partial
  c.out = dir.file("torch.h5");
  pipeline::generate(c, torch_solver_factory("cpu", 1));

  const io::DatasetReader a(dir.file("fftw.h5")), b(dir.file("torch.h5"));
  EXPECT_EQ(a.shape().sequences, b.shape().sequences);
  EXPECT_EQ(a.shape().frames, b.shape().frames);
  EXPECT_EQ(a.shape().size, b.shape().size);
  EXPECT_EQ(a.info().source, b.info().source);
  EXPECT_EQ(a.info().noise, b.info().noise);
  Json record_a = Json::parse(a.info().config_json), record_b = Json::parse(b.info().config_json);
  EXPECT_EQ(record_b["generate"]["solver"], "torch");
  EXPECT_EQ(record_b["generate"]["device"], "cpu");
  record_b["generate"].erase("solver");
  record_b["generate"].erase("device");
  EXPECT_EQ(record_a, record_b);
  for (int s = 0; s < c.sequences; ++s) {
    EXPECT_EQ(a.meta(s).seed, b.meta(s).seed);
    EXPECT_EQ(a.meta(s).eta, b.meta(s).eta);
    EXPECT_EQ(a.meta(s).amplitude, b.meta(s).amplitude);
    EXPECT_EQ(a.meta(s).mean_phi, b.meta(s).mean_phi);
    for (int t = 0; t < c.frames; ++t) {
      const std::vector<float> fa = a.read_frame(s, t), fb = b.read_frame(s, t);
      float worst = 0.0f;
      for (std::size_t k = 0; k < fa.size(); ++k) worst = std::max(worst, std::abs(fa[k] - fb[k]));
      // At most one float32 ulp of values in [0, 2).
      EXPECT_LE(worst, 2.4e-7f) << "sequence " << s << " frame " << t;
    }
    const auto ea = a.energies(s), eb = b.energies(s);
    ASSERT_EQ(ea.size(), eb.size());
    for (std::size_t t = 0; t < ea.size(); ++t)
      EXPECT_NEAR(ea[t].total, eb[t].total, 1e-10 * std::abs(ea[t].total)) << "frame " << t;
  }
}

}  // namespace
}  // namespace csd::surrogate
