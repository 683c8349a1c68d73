// `csd generate --solver torch` and `--device cuda` end to end: the LibTorch solver
// gives the FFTW dataset, and a missing GPU or LibTorch is one clear error, no file.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cli_checks.h"
#include "cli_runner.h"
#include "csd/io/dataset.h"

namespace csd::test {
namespace {

const std::string kSmoke = "--config " + source_path("configs/smoke/generate.json") +
                           " --sequences 3 --frames 3 --size 32 --fft-plans estimate";

TEST(CliTorchSolver, GivesTheFftwDatasetToRoundOff) {
  ScratchDir dir("gen-torch");
  if (!with_torch(dir)) GTEST_SKIP() << "csd built without LibTorch";
  const CliResult fftw = run_csd("generate -q " + kSmoke + " --out " + dir.file("a.h5"), dir);
  ASSERT_EQ(fftw.status, 0) << fftw.err;
  const CliResult torch = run_csd(
      "generate -q " + kSmoke + " --solver torch --batch 2 --out " + dir.file("b.h5"), dir);
  ASSERT_EQ(torch.status, 0) << torch.err;
  const io::DatasetReader a(dir.file("a.h5")), b(dir.file("b.h5"));
  EXPECT_EQ(nlohmann::json::parse(b.info().config_json)["generate"]["solver"], "torch");
  for (int s = 0; s < 3; ++s) {
    EXPECT_EQ(a.meta(s).eta, b.meta(s).eta);
    const std::vector<float> fa = a.read_frame(s, 2), fb = b.read_frame(s, 2);
    float worst = 0.0f;
    for (std::size_t k = 0; k < fa.size(); ++k) worst = std::max(worst, std::abs(fa[k] - fb[k]));
    EXPECT_LE(worst, 2.4e-7f) << "sequence " << s;  // one float32 ulp in [0, 2)
  }
}

TEST(CliTorchSolver, CudaWithoutAGpuIsOneClearErrorAndNoFile) {
  ScratchDir dir("gen-cuda");
  const std::string out = dir.file("d.h5");
  const CliResult r = run_csd("generate -q " + kSmoke + " --device cuda --out " + out, dir);
  if (r.status == 0) GTEST_SKIP() << "a CUDA GPU is visible: nothing to refuse";
  expect_one_error(r, {with_torch(dir) ? "CUDA" : "LibTorch"});
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(io::partial_path(out)));
}

TEST(CliTorchSolver, TheFftwSolverOnCudaIsRefusedNotSwitched) {
  ScratchDir dir("gen-fftw-cuda");
  const std::string out = dir.file("e.h5");
  for (const char* flags : {" --solver fftw --device cuda", " --device cuda --solver fftw"}) {
    const CliResult r = run_csd("generate -q " + kSmoke + flags + " --out " + out, dir);
    expect_one_error(r, {"FFTW solver runs on the CPU only"});
    EXPECT_FALSE(std::filesystem::exists(out)) << flags;
  }
}

}  // namespace
}  // namespace csd::test
