// Benchmark of the conv-GRU surrogate (default architecture, 147 792 parameters).
//
//   rollout: ms per frame of a free rollout, batch 1, no gradients (inference mode)
//   train:   ms per frame of one training step — unroll F frames from φ₀, MSE loss,
//            backward, Adam step — divided by batch × F
// plus the process's peak RSS. scripts/bench_surrogate.py measures the same model in
// Python PyTorch; scripts/bench_surrogate.sh runs both, one process per case.
//
//   bench_surrogate                                  all cases in one process
//   bench_surrogate --mode rollout --size 256 --threads 2
//   bench_surrogate --mode train --size 64 --batch 4 --frames 10
//   bench_surrogate --mode rollout --size 512 --batch 64 --device cuda
// Output: one CSV line per case:
//   impl,mode,size,batch,frames,threads,ms_per_frame,peak_rss_mib,device
// ms_per_frame is per sequence frame (rollout: the batch's time divided by B). On CUDA
// the clock is read after a device synchronisation.
#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_args.h"
#include "surrogate/device.h"
#include "surrogate/model.h"

namespace {

using csd::surrogate::ModelConfig;
using csd::surrogate::detail::Crnn;
using Clock = std::chrono::steady_clock;

struct Case {
  std::string mode = "rollout";
  int size = 128, batch = 1, frames = 10, threads = 2, repeats = 5;
  std::string device = "cpu";
};

/// Kernels run asynchronously on a GPU: wait for them before reading the clock.
void synchronise(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux reports KiB
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

torch::Tensor initial_fields(int batch, int n, const torch::Device& device) {
  auto generator = at::detail::createCPUGenerator(7);
  return (0.5 + 0.05 * torch::rand({batch, 1, n, n}, generator, torch::kFloat32)).to(device);
}

/// Median ms per frame of `repeats` rollouts of c.frames frames (after one warm-up).
double bench_rollout(Crnn& model, const Case& c, const torch::Device& device) {
  c10::InferenceMode inference;
  const auto eta = model->eta_field(torch::full({c.batch}, 0.005, torch::kFloat64), c.size);
  std::vector<double> times;
  for (int r = 0; r <= c.repeats; ++r) {
    auto phi = initial_fields(c.batch, c.size, device);
    auto state = model->initial_state(c.batch, c.size, phi.options());
    synchronise(device);
    const auto start = Clock::now();
    for (int k = 0; k < c.frames; ++k) phi = model->forward(phi, eta, state);
    synchronise(device);
    if (r > 0) times.push_back(1e3 * seconds_since(start) / (c.frames * c.batch));  // r = 0 warms up
  }
  return median(times);
}

/// Median ms per (sample × frame) of training steps on a random target sequence.
double bench_train(Crnn& model, const Case& c, const torch::Device& device) {
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-4));
  auto generator = at::detail::createCPUGenerator(8);
  const auto target =
      torch::rand({c.batch, c.frames, c.size, c.size}, generator, torch::kFloat32).to(device);
  const auto phi0 = initial_fields(c.batch, c.size, device).view({c.batch, 1, c.size, c.size});
  const auto eta = torch::full({c.batch}, 0.005, torch::kFloat64).to(device);
  std::vector<double> times;
  for (int r = 0; r <= c.repeats; ++r) {
    synchronise(device);
    const auto start = Clock::now();
    const auto prediction =
        csd::surrogate::detail::unroll(model, phi0, eta, c.frames + 1);  // predicts c.frames
    const auto loss = (prediction - target).pow(2).mean();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    synchronise(device);
    if (r > 0) times.push_back(1e3 * seconds_since(start) / (c.batch * c.frames));
  }
  return median(times);
}

void run(const Case& c) {
  csd::surrogate::detail::configure_cpu_runtime(c.threads);
  const torch::Device device = csd::surrogate::detail::resolve_device(c.device);
  torch::manual_seed(0);
  Crnn model(ModelConfig{});
  model->to(device);
  const double ms =
      c.mode == "train" ? bench_train(model, c, device) : bench_rollout(model, c, device);
  std::printf("cpp,%s,%d,%d,%d,%d,%.3f,%.1f,%s\n", c.mode.c_str(), c.size, c.batch, c.frames,
              c.threads, ms, peak_rss_mib(), c.device.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Case c;
  bool single = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || i + 1 >= argc) {
      std::printf("usage: bench_surrogate [--mode rollout|train] [--size N] [--batch B] "
                  "[--frames F] [--threads P] [--repeats R] [--device cpu|cuda]\n");
      return flag == "--help" ? 0 : 2;
    }
    const char* value = argv[++i];
    single = true;
    if (flag == "--mode") c.mode = value;
    else if (flag == "--size") c.size = csd::bench::parse_positive_int(value, "--size");
    else if (flag == "--batch") c.batch = csd::bench::parse_positive_int(value, "--batch");
    else if (flag == "--frames") c.frames = csd::bench::parse_positive_int(value, "--frames");
    else if (flag == "--threads") c.threads = csd::bench::parse_positive_int(value, "--threads");
    else if (flag == "--repeats") c.repeats = csd::bench::parse_positive_int(value, "--repeats");
    else if (flag == "--device") c.device = value;
    else {
      std::fprintf(stderr, "error: unknown flag %s (see --help)\n", flag.c_str());
      return 2;
    }
  }
  if (c.mode != "rollout" && c.mode != "train") {
    std::fprintf(stderr, "error: --mode must be rollout or train\n");
    return 2;
  }
  std::printf("impl,mode,size,batch,frames,threads,ms_per_frame,peak_rss_mib,device\n");
  if (single) {
    try {
      run(c);
    } catch (const std::exception& e) {  // e.g. --device cuda without a GPU
      std::fprintf(stderr, "error: %s\n", e.what());
      return 3;
    }
    return 0;
  }
  for (int n : {128, 256, 512}) run({"rollout", n, 1, n >= 512 ? 3 : 10, 2, 3, "cpu"});
  for (int n : {64, 128}) run({"train", n, 4, 10, 2, 3, "cpu"});
  return 0;
}
