#pragma once
/// Device and thread selection shared by training and rollouts. Internal.
#include <torch/torch.h>

#include <string>

namespace csd::surrogate::detail {

/// "auto" → CUDA when LibTorch sees a GPU, else CPU; "cpu"; "cuda" (error without one).
torch::Device resolve_device(const std::string& name);

/// Intra-op threads: `threads` > 0, or all hardware threads for 0.
void set_threads(int threads);

/// set_threads plus allocator tuning for the many multi-MB tensors of a rollout. With
/// glibc's defaults every tensor above the (dynamic) mmap threshold is a fresh mmap
/// whose pages fault in on first touch: that cost ~40 % of a 128² CPU rollout. Here
/// mmap is disabled (M_MMAP_MAX = 0) and the heap is not trimmed below 2 GiB of free
/// top, so freed tensor memory is reused. Process-wide; the peak RSS is unchanged,
/// memory is just not handed back to the OS between steps.
void configure_cpu_runtime(int threads);

}  // namespace csd::surrogate::detail
