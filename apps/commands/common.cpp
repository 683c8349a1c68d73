#include <spdlog/spdlog.h>

#include <filesystem>
#include <thread>

#include "command.h"
#include "csd/core/error.h"
#include "csd/io/fs.h"

namespace csd::app {

Json load_config(const std::string& path) {
  if (path.empty()) return Json::object();
  return read_json_file(path);
}

void create_parent_directory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) io::ensure_directory(parent.string());
}

int resolve_threads(int threads) {
  require(threads >= 0, "threads = " + std::to_string(threads) +
                            " must be >= 0 (0 = all cores, N = at most N threads)");
  const unsigned cores = std::thread::hardware_concurrency();  // 0 when unknown
  if (threads == 0) return cores > 0 ? static_cast<int>(cores) : 1;
  if (cores > 0 && static_cast<unsigned>(threads) > cores) {
    spdlog::warn("threads = {} is more than the {} cores of this machine: using {}", threads,
                 cores, cores);
    return static_cast<int>(cores);
  }
  return threads;
}

void log_config(const std::string& command, const Json& config) {
  spdlog::info("{}: effective config {}", command, config.dump());
}

}  // namespace csd::app
