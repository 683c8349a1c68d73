#include "csd/core/memory.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "csd/core/error.h"

namespace csd {

std::optional<std::uint64_t> available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);) {
    std::istringstream fields(line);
    std::string key;
    std::uint64_t kib = 0;
    if (fields >> key >> kib && key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

void require_memory(double needed_bytes, const std::string& what, const std::string& advice) {
  const auto available = available_memory_bytes();
  if (!available || needed_bytes <= static_cast<double>(*available)) return;
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  throw Error(fmt::format("{} needs about {:.1f} GiB of memory but {:.1f} GiB are available; {}",
                          what, needed_bytes / kGiB, static_cast<double>(*available) / kGiB,
                          advice));
}

}  // namespace csd
