#pragma once
/// Runs the `csd` executable for end-to-end tests and captures exit status, stdout and
/// stderr; scratch directories that clean up after themselves.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace csd::test {

struct CliResult {
  int status = -1;
  std::string out, err;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("csd-" + tag + "-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Runs `csd <args>` (args are passed to the shell as written).
inline CliResult run_csd(const std::string& args, const ScratchDir& scratch) {
  const std::string out = scratch.file("stdout.txt"), err = scratch.file("stderr.txt");
  const std::string command = std::string(CSD_BINARY) + " " + args + " >" + out + " 2>" + err;
  const int raw = std::system(command.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

inline std::string source_path(const std::string& relative) {
  return std::string(CSD_SOURCE_DIR) + "/" + relative;
}

/// Number of lines of `text` that start with "error:".
inline int error_lines(const std::string& text) {
  int count = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) count += line.rfind("error:", 0) == 0;
  return count;
}

}  // namespace csd::test
