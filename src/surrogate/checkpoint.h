#pragma once
/// Surrogate checkpoints (docs/architecture.md §5). Internal, includes LibTorch.
///
/// One file per checkpoint, written by torch::pickle_save, i.e. the format of Python's
/// torch.save, holding a dict:
///   "format"    "csd-surrogate-checkpoint"
///   "version"   1
///   "weights"   {name: tensor}  every parameter and buffer, contiguous, CPU, float32
///   "meta"      JSON string: model config, η normalisation and training η range,
///               train config, data provenance, csd version, epoch, best validation
///               loss, loss history, train/validation split, "weights_digest" and
///               (with Adam state) "optimizer_digest" (see tensor_digest below),
///               checked on every read
///   "optimizer" {"<param>.exp_avg": t, "<param>.exp_avg_sq": t, "<param>.step": int64}
///               Adam state (absent in weight-only checkpoints)
/// In Python:
///   d = torch.load("best.pt"); meta = json.loads(d["meta"]); d["weights"]["head.weight"]
/// Files are written to "<path>.tmp" and renamed, so a crash never leaves a torn file.
#include <torch/torch.h>

#include <map>
#include <string>

#include "csd/core/json_config.h"
#include "model.h"

namespace csd::surrogate::detail {

inline constexpr const char* kCheckpointFormat = "csd-surrogate-checkpoint";
inline constexpr int kCheckpointVersion = 1;
/// Keys of the digests (tensor_digest below) of "weights" and "optimizer" in the meta JSON.
inline constexpr const char* kWeightsDigestKey = "weights_digest";
inline constexpr const char* kOptimizerDigestKey = "optimizer_digest";

struct Checkpoint {
  Json meta;
  std::map<std::string, torch::Tensor> weights;
  std::map<std::string, torch::Tensor> optimizer;  ///< empty when not saved
};

/// "fnv1a64:<16 hex>": FNV-1a 64 (csd/core/hash.h) over the tensor count and then, in
/// name order, each tensor's name, dtype name, rank, sizes, byte count and raw
/// (contiguous, CPU) bytes; integers as 8 little-endian bytes. Used for the weights and
/// for the optimizer state.
std::string tensor_digest(const std::map<std::string, torch::Tensor>& weights);

/// Collects the model's weights and (optionally) the Adam state.
Checkpoint make_checkpoint(Crnn& model, const torch::optim::Adam* optimizer, Json meta);

/// Writes atomically, with meta["weights_digest"] (and "optimizer_digest") set to the
/// digests of the tensors written;
/// throws csd::Error naming the path on failure.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);

/// Reads and checks the format and the weights digest; throws csd::Error for a missing,
/// foreign or damaged file. A checkpoint without a digest (older csd) loads with a warning.
Checkpoint read_checkpoint(const std::string& path);

/// The architecture recorded in the checkpoint's meta.
ModelConfig model_config_of(const Checkpoint& checkpoint, const std::string& path);

/// Copies the checkpoint's weights into `model`. Throws csd::Error naming the first
/// missing, unexpected or differently shaped tensor (another architecture).
void load_weights(Crnn& model, const Checkpoint& checkpoint, const std::string& path);

/// Restores the Adam moments and step counts saved with make_checkpoint.
void load_optimizer_state(torch::optim::Adam& optimizer, Crnn& model,
                          const Checkpoint& checkpoint, const std::string& path);

}  // namespace csd::surrogate::detail
