// Cost of a frame (steps_per_frame steps of Eq. 8) of the LibTorch solver
// (include/csd/surrogate/torch_solver.h) for a batch of B sequences, on the CPU or a
// CUDA GPU: wall time of advance_frame (which ends with a device synchronising check),
// median over the repeats after one warm-up frame.
//
//   bench_torch_solver --device cuda --size 256 --batch 64
//   bench_torch_solver --device cpu --size 128 --batch 1 --threads 1
// Output: one CSV line per case:
//   impl,device,size,batch,threads,ms_per_batch_frame,ms_per_frame
// (ms_per_frame = per sequence frame: the batch's time divided by B).
// Exits with status 3 and a message when --device cuda has no GPU.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_args.h"
#include "csd/core/error.h"
#include "csd/surrogate/torch_solver.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Case {
  std::string device = "cpu";
  int size = 128, batch = 1, threads = 1, repeats = 5;
};


double bench(const Case& c) {
  const auto make = csd::surrogate::torch_solver_factory(c.device, c.threads);
  csd::physics::BatchStart start;
  auto generator = at::detail::createCPUGenerator(42);
  for (int m = 0; m < c.batch; ++m) {
    const torch::Tensor f =
        0.5 + 0.05 * (2 * torch::rand({c.size, c.size}, generator, torch::kFloat64) - 1);
    start.phi0.emplace_back(Eigen::Map<const csd::Field>(f.data_ptr<double>(), c.size, c.size));
    start.eta.push_back(0.006);
    start.noise.push_back({});
  }
  const auto solver = make(start, csd::physics::Params{});
  solver->advance_frame();  // warm-up: plans, allocator, kernels
  std::vector<double> ms;
  for (int r = 0; r < c.repeats; ++r) {
    const auto t0 = Clock::now();
    solver->advance_frame();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  Case c;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || i + 1 >= argc) {
      std::printf("usage: bench_torch_solver [--device cpu|cuda] [--size N] [--batch B] "
                  "[--threads P] [--repeats R]\n");
      return flag == "--help" ? 0 : 2;
    }
    const char* value = argv[++i];
    if (flag == "--device") c.device = value;
    else if (flag == "--size") c.size = csd::bench::parse_positive_int(value, "--size");
    else if (flag == "--batch") c.batch = csd::bench::parse_positive_int(value, "--batch");
    else if (flag == "--threads") c.threads = csd::bench::parse_positive_int(value, "--threads");
    else if (flag == "--repeats") c.repeats = csd::bench::parse_positive_int(value, "--repeats");
    else {
      std::fprintf(stderr, "error: unknown flag %s (see --help)\n", flag.c_str());
      return 2;
    }
  }
  if (c.device == "cuda" && !torch::cuda::is_available()) {
    std::fprintf(stderr, "error: --device cuda: LibTorch sees no CUDA GPU\n");
    return 3;
  }
  try {
    const double ms = bench(c);
    std::printf("impl,device,size,batch,threads,ms_per_batch_frame,ms_per_frame\n");
    std::printf("torch_solver,%s,%d,%d,%d,%.3f,%.4f\n", c.device.c_str(), c.size, c.batch,
                c.threads, ms, ms / c.batch);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
