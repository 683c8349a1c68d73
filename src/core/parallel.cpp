#include "csd/core/parallel.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>

#include "csd/core/error.h"

namespace csd {

int resolve_threads(int requested) {
  require(requested >= 0, "threads = {} must be >= 0 (0 = all cores, N = at most N threads)",
          requested);
  const int cores = static_cast<int>(std::thread::hardware_concurrency());  // 0: unknown
  if (requested == 0) return std::max(cores, 1);
  if (cores > 0 && requested > cores) {
    spdlog::warn("threads = {} is more than the {} cores of this machine: using {}", requested,
                 cores, cores);
    return cores;
  }
  return requested;
}

int worker_count(int threads, int items) {
  return std::max(1, std::min(resolve_threads(threads), items));
}

}  // namespace csd
