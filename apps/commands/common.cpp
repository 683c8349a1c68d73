#include <spdlog/spdlog.h>

#include <filesystem>

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

void log_config(const std::string& command, const Json& config) {
  spdlog::info("{}: effective config {}", command, config.dump());
}

}  // namespace csd::app
