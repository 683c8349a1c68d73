#include "csd/evaluation/plots.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "csd/io/fs.h"

namespace csd::evaluation {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultPython = "/usr/bin/python3";
// The installed plots.py relative to the installed csd's folder, from CMake's install
// layout (src/CMakeLists.txt): ../share/csd/plots.py by default.
constexpr const char* kPlotsFromBindir = CSD_PLOTS_FROM_BINDIR;

/// Directory of the running executable ("" if unknown).
std::string executable_directory() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

/// Runs argv[0] with arguments, without a shell (paths need no quoting); exit status
/// or -1 when it could not be started.
int run_process(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string find_plots_script_near(const std::string& executable_dir) {
  for (const char* relative : {"../scripts/plots.py", "../../scripts/plots.py", kPlotsFromBindir}) {
    const fs::path path = fs::path(executable_dir) / relative;
    if (io::file_exists(path.string())) return path.lexically_normal().string();
  }
  return {};
}

std::string find_plots_script() {
  if (const char* script = std::getenv("CSD_PLOTS_SCRIPT"); script != nullptr && *script) {
    if (io::file_exists(script)) return script;
    spdlog::warn("CSD_PLOTS_SCRIPT='{}' does not exist; looking elsewhere", script);
  }
  const std::string exe_dir = executable_directory();
  if (!exe_dir.empty())
    if (std::string near = find_plots_script_near(exe_dir); !near.empty()) return near;
  if (io::file_exists("./scripts/plots.py")) return "scripts/plots.py";
  return {};
}

bool make_plots(const std::string& kind, const std::string& path) {
  const std::string script = find_plots_script();
  if (script.empty()) {
    spdlog::warn("figures skipped: scripts/plots.py not found (set CSD_PLOTS_SCRIPT); the "
                 "CSV/JSON results are complete");
    return false;
  }
  const std::string python = env_or("CSD_PYTHON", kDefaultPython);
  if (::access(python.c_str(), X_OK) != 0) {
    spdlog::warn("figures skipped: no python interpreter at '{}' (set CSD_PYTHON)", python);
    return false;
  }
  const int status = run_process({python, script, kind, path});
  if (status != 0) {
    spdlog::warn("figures skipped: `{} {} {} {}` exited with status {} (is matplotlib "
                 "installed?)",
                 python, script, kind, path, status);
    return false;
  }
  return true;
}

}  // namespace csd::evaluation
