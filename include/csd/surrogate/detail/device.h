#pragma once
/// Device and thread selection shared by training and rollouts. Internal.
#include <torch/torch.h>

#include <string>

namespace csd::surrogate::detail {

/// "auto" → CUDA when LibTorch sees a GPU, else CPU; "cpu"; "cuda" (error without one).
torch::Device resolve_device(const std::string& name);

/// Intra-op threads: `threads` > 0, or all hardware threads for 0.
void set_threads(int threads);

}  // namespace csd::surrogate::detail
