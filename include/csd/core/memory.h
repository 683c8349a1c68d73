#pragma once
/// Memory checks before large allocations: a job that cannot fit is refused with both
/// figures at once, instead of dying half-way with std::bad_alloc and leftovers.
#include <cstdint>
#include <optional>
#include <string>

namespace csd {

/// Bytes the kernel reports as available for new allocations (MemAvailable of
/// /proc/meminfo), or nothing where that is unknown.
std::optional<std::uint64_t> available_memory_bytes();

/// Throws csd::Error "<what> needs about X GiB of memory but Y GiB are available;
/// <advice>" when `needed_bytes` exceeds what is available. Does nothing where the
/// available memory is unknown.
void require_memory(double needed_bytes, const std::string& what, const std::string& advice);

}  // namespace csd
