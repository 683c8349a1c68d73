#pragma once
/// Data-parallel training over torch's own c10d process groups (README.md, "Scaling
/// out"). Internal.
///
/// The launcher starts one process per rank and names it in the environment, as torchrun
/// does (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) or as srun does
/// (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID; MASTER_ADDR and MASTER_PORT from the job
/// script). Rank 0 serves a c10d::TCPStore at MASTER_ADDR:MASTER_PORT for the
/// rendezvous; the process group (Gloo, or NCCL with a CUDA LibTorch) carries the
/// collectives. Every wait ends after the timeout with a csd::Error naming this rank
/// and what it waited for, so no rank hangs when another fails or exits.
///
/// With one rank (no launcher) there is no process group and every collective is the
/// identity, so a single-process run computes exactly what it did before.
#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace csd::surrogate::detail {

struct RankInfo {
  int rank = 0, world = 1, local_rank = 0;
  std::string master_addr;
  int master_port = 29500;
  std::string launcher;  ///< "torchrun", "slurm" or "" (one process)
};

/// Reads the launcher's variables (RANK/WORLD_SIZE first, then SLURM_PROCID/SLURM_NTASKS);
/// throws csd::Error naming the variable for a value that is not a number, a rank
/// outside [0, world), or several ranks without MASTER_ADDR.
RankInfo rank_from_environment();

/// The device of this rank: with several ranks on CUDA, GPU LOCAL_RANK (one process per
/// GPU); otherwise `device` itself.
torch::Device rank_device(const torch::Device& device, const RankInfo& info);

/// Items [first, last) of `count` that `rank` of `world` takes: contiguous, sizes
/// differing by at most one and larger first, in rank order (so the slices put together
/// are the batch).
std::pair<int, int> rank_slice(int count, int rank, int world);

class Communicator {
 public:
  /// Joins the other ranks (several ranks) or does nothing (one). `backend`: auto, gloo
  /// or nccl; `device` is where the gradients live.
  Communicator(const RankInfo& info, const std::string& backend, const torch::Device& device,
               std::chrono::seconds timeout);
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  int rank() const { return info_.rank; }
  int world() const { return info_.world; }
  bool root() const { return info_.rank == 0; }
  /// "rank 1 of 4" (for messages); "" with one rank.
  std::string who() const;
  const std::string& backend() const { return backend_; }

  /// Replaces every rank's parameters and buffers by rank 0's.
  void broadcast(torch::nn::Module& module);
  /// Sums the gradients of `parameters` over the ranks, in place (undefined ones count
  /// as zeros): each rank weighs its own share beforehand.
  void sum_gradients(const std::vector<torch::Tensor>& parameters);
  /// Element-wise sums of `values` over the ranks.
  std::vector<double> sum(std::vector<double> values);
  double min(double value);
  double max(double value);
  /// Whether `ok` holds on every rank: how ranks tell each other that one failed.
  bool all(bool ok);

 private:
  struct Group;
  void wait_for_every_rank();
  void reduce(torch::Tensor& values, int op, const std::string& what);

  RankInfo info_;
  std::string backend_;
  torch::Device device_;
  std::chrono::seconds timeout_;
  std::unique_ptr<Group> group_;
};

}  // namespace csd::surrogate::detail
