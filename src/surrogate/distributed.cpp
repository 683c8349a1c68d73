// Data-parallel collectives over c10d (contract in distributed.h).
#include "distributed.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <optional>
#include <thread>

#include "csd/core/error.h"

// CSD_WITH_*: the build found the headers (src/CMakeLists.txt); USE_C10D_*: LibTorch
// was built with the backend.
#if defined(CSD_WITH_GLOO) && defined(USE_C10D_GLOO)
#define CSD_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if defined(CSD_WITH_NCCL) && defined(USE_C10D_NCCL)
#define CSD_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

namespace csd::surrogate::detail {
namespace {

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

int environment_int(const char* name, int fallback) {
  const auto text = environment(name);
  if (!text) return fallback;
  require(text->size() <= 9 && text->find_first_not_of("0123456789") == std::string::npos,
          fmt::format("environment variable {}='{}' is not a whole number >= 0", name, *text));
  return std::stoi(*text);
}

/// The first line of a LibTorch error, without its C++ backtrace.
std::string reason(const std::exception& e) {
  const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
  std::string text = torch_error ? torch_error->what_without_backtrace() : e.what();
  if (const auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  return text;
}

bool loopback(const std::string& address) {
  return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

}  // namespace

RankInfo rank_from_environment() {
  RankInfo r;
  if (environment("WORLD_SIZE")) {
    r.launcher = "torchrun";
    r.world = environment_int("WORLD_SIZE", 1);
    r.rank = environment_int("RANK", -1);
    require(r.rank >= 0, "WORLD_SIZE is set but RANK is not: the launcher must set both");
    r.local_rank = environment_int("LOCAL_RANK", r.rank);
  } else if (environment("SLURM_PROCID") && environment("SLURM_NTASKS")) {
    r.launcher = "slurm";
    // Inside `srun`, the step's tasks are the ranks (an allocation may hold more).
    r.world = environment_int("SLURM_STEP_NUM_TASKS", environment_int("SLURM_NTASKS", 1));
    r.rank = environment_int("SLURM_PROCID", 0);
    r.local_rank = environment_int("SLURM_LOCALID", 0);
  }
  require(r.world >= 1 && r.rank < r.world,
          fmt::format("rank {} is outside the world of {} ranks ({} variables)", r.rank, r.world,
                      r.launcher));
  if (r.world == 1) return r;
  const auto address = environment("MASTER_ADDR");
  require(address.has_value(),
          fmt::format("{} ranks but no MASTER_ADDR: set MASTER_ADDR (and MASTER_PORT) to rank 0's "
                      "host for the rendezvous (scripts/slurm/train_ddp.sh does)",
                      r.world));
  r.master_addr = *address;
  r.master_port = environment_int("MASTER_PORT", r.master_port);
  require(r.master_port >= 1 && r.master_port <= 65535,
          fmt::format("MASTER_PORT={} is not a port (1-65535)", r.master_port));
  return r;
}

torch::Device rank_device(const torch::Device& device, const RankInfo& info) {
  if (!device.is_cuda() || info.world == 1) return device;
  const int gpus = static_cast<int>(torch::cuda::device_count());
  require(gpus > 0, "--device cuda but LibTorch sees no GPU");
  if (info.local_rank >= gpus)
    spdlog::warn("rank {}: LOCAL_RANK {} but {} GPUs here; sharing GPU {}", info.rank,
                 info.local_rank, gpus, info.local_rank % gpus);
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(info.local_rank % gpus));
}

std::pair<int, int> rank_slice(int count, int rank, int world) {
  // The first count % world ranks take one more, so rank 0 (which records the history)
  // always has items of a non-empty batch.
  const int base = count / world, extra = count % world;
  const auto at = [&](int r) { return r * base + std::min(r, extra); };
  return {at(rank), at(rank + 1)};
}

struct Communicator::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> processes;
};

Communicator::Communicator(const RankInfo& info, const std::string& backend,
                           const torch::Device& device, std::chrono::seconds timeout)
    : info_(info), device_(device), timeout_(timeout) {
  if (info_.world == 1) {
    backend_ = "none";
    return;
  }
  backend_ = backend == "auto" ? (device.is_cuda() ? "nccl" : "gloo") : backend;
  require(backend_ != "nccl" || device.is_cuda(),
          "--dist-backend nccl needs --device cuda; on the CPU use gloo");
#ifndef CSD_NCCL
  require(backend_ != "nccl",
          "this csd was built with a LibTorch without NCCL (Debian's is CPU-only): use "
          "--dist-backend gloo, or build against a CUDA LibTorch");
#endif
#ifndef CSD_GLOO
  require(backend_ != "gloo",
          "this csd was built without the Gloo headers (Debian: libgloo-dev), so it cannot "
          "train on several processes; install them and rebuild");
#endif
  spdlog::info("{}: joining the rendezvous at {}:{} ({} via {}, {} backend, timeout {} s)", who(),
               info_.master_addr, info_.master_port, info_.world, info_.launcher, backend_,
               timeout_.count());
  group_ = std::make_unique<Group>();
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(timeout_);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(info_.master_port);
    options.isServer = root();
    options.numWorkers = static_cast<std::size_t>(info_.world);
    options.waitWorkers = false;  // wait_for_every_rank() counts them, naming who is missing
    options.timeout = wait;
    group_->store = c10::make_intrusive<c10d::TCPStore>(info_.master_addr, options);
    wait_for_every_rank();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(fmt::format(
        "{}: no rendezvous with the other ranks at {}:{} within {} s ({}); every rank needs the "
        "same MASTER_ADDR and MASTER_PORT, rank 0 must be running, and WORLD_SIZE ranks must "
        "start",
        who(), info_.master_addr, info_.master_port, timeout_.count(), reason(e)));
  }
  try {
#ifdef CSD_NCCL
    if (backend_ == "nccl") {
      auto options = c10d::ProcessGroupNCCL::Options::create();
      options->timeout = wait;
      group_->processes = c10::make_intrusive<c10d::ProcessGroupNCCL>(
          group_->store, info_.rank, info_.world, options);
    }
#endif
#ifdef CSD_GLOO
    if (backend_ == "gloo") {
      auto options = c10d::ProcessGroupGloo::Options::create(wait);
      using Gloo = c10d::ProcessGroupGloo;
      if (const auto interface = environment("GLOO_SOCKET_IFNAME"))
        options->devices.push_back(Gloo::createDeviceForInterface(*interface));
      else if (loopback(info_.master_addr))  // one machine: stay on the loopback
        options->devices.push_back(Gloo::createDeviceForHostname(info_.master_addr));
      else
        options->devices.push_back(Gloo::createDefaultDevice());
      group_->processes =
          c10::make_intrusive<Gloo>(group_->store, info_.rank, info_.world, options);
    }
#endif
  } catch (const std::exception& e) {
    throw Error(fmt::format("{}: could not connect to the other ranks within {} s ({})", who(),
                            timeout_.count(), reason(e)));
  }
  CSD_ASSERT(group_->processes);
}

Communicator::~Communicator() = default;

void Communicator::wait_for_every_rank() {
  // Each rank counts itself in on the store and waits until all have, so a rank that
  // never starts is reported as such, by count, when the timeout ends (rather than as a
  // socket error from inside the process group).
  const std::string key = "csd/ranks_joined";
  group_->store->add(key, 1);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    const std::int64_t joined = group_->store->add(key, 0);
    if (joined >= info_.world) return;
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(fmt::format(
          "{}: only {} of {} ranks joined the rendezvous at {}:{} within {} s; a rank failed "
          "to start (see its log) or was never launched",
          who(), joined, info_.world, info_.master_addr, info_.master_port, timeout_.count()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string Communicator::who() const {
  return info_.world == 1 ? std::string() : fmt::format("rank {} of {}", rank(), world());
}

void Communicator::reduce(torch::Tensor& values, int op, const std::string& what) {
  // Gloo reduces CPU tensors here (a CPU LibTorch has no CUDA Gloo); NCCL device ones.
  const bool on_device = backend_ == "nccl";
  std::vector<torch::Tensor> list{on_device ? values : values.to(torch::kCPU)};
  try {
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp(static_cast<c10d::ReduceOp::RedOpType>(op));
    options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout_);
    group_->processes->allreduce(list, options)->wait();
  } catch (const std::exception& e) {
    throw Error(fmt::format(
        "{}: lost the other ranks during {} ({}): a rank failed or exited (see its log), or "
        "took longer than --dist-timeout {} s",
        who(), what, reason(e), timeout_.count()));
  }
  if (!on_device) values.copy_(list.front());
}

void Communicator::broadcast(torch::nn::Module& module) {
  if (info_.world == 1) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> tensors = module.parameters();
  for (const auto& buffer : module.buffers()) tensors.push_back(buffer);
  std::vector<torch::Tensor> flat;
  for (const auto& t : tensors) flat.push_back(t.detach().reshape(-1).to(torch::kFloat64));
  auto all = torch::cat(flat);
  // A broadcast is a sum in which every rank but 0 adds zeros: one collective for all.
  if (!root()) all.zero_();
  reduce(all, c10d::ReduceOp::SUM, "the broadcast of rank 0's weights");
  std::int64_t offset = 0;
  for (auto& t : tensors) {
    t.copy_(all.narrow(0, offset, t.numel()).view_as(t));
    offset += t.numel();
  }
}

void Communicator::sum_gradients(const std::vector<torch::Tensor>& parameters) {
  if (info_.world == 1) return;
  std::vector<torch::Tensor> flat;
  for (const auto& p : parameters)
    flat.push_back(p.grad().defined() ? p.grad().reshape(-1) : torch::zeros_like(p).reshape(-1));
  auto all = torch::cat(flat);
  reduce(all, c10d::ReduceOp::SUM, "the all-reduce of the gradients");
  std::int64_t offset = 0;
  for (auto p : parameters) {
    const auto share = all.narrow(0, offset, p.numel()).view_as(p);
    if (p.grad().defined())
      p.mutable_grad().copy_(share);
    else
      p.mutable_grad() = share.clone();
    offset += p.numel();
  }
}

std::vector<double> Communicator::sum(std::vector<double> values) {
  if (info_.world == 1 || values.empty()) return values;
  auto t = torch::tensor(values, torch::kFloat64).to(backend_ == "nccl" ? device_ : torch::kCPU);
  reduce(t, c10d::ReduceOp::SUM, "a sum of losses");
  t = t.to(torch::kCPU);
  return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

double Communicator::min(double value) {
  if (info_.world == 1) return value;
  auto t = torch::tensor({value}, torch::kFloat64).to(backend_ == "nccl" ? device_ : torch::kCPU);
  reduce(t, c10d::ReduceOp::MIN, "a minimum");
  return t.item<double>();
}

double Communicator::max(double value) { return -min(-value); }

bool Communicator::all(bool ok) { return min(ok ? 1.0 : 0.0) > 0.5; }

}  // namespace csd::surrogate::detail
