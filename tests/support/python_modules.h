#pragma once
/// The suite's Python helpers (numpy, matplotlib, h5py, torch, xarray, h5netcdf, PIL for
/// /usr/bin/python3) are installed by scripts/install_deps.sh, so a test that needs one
/// fails without it, naming the Debian package, rather than skipping quietly.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace csd::test {

/// The interpreter csd runs for figures: $CSD_PYTHON, default /usr/bin/python3 (as in
/// csd/evaluation/plots.h).
inline std::string plotting_python() {
  const char* python = std::getenv("CSD_PYTHON");
  return python != nullptr && *python ? python : "/usr/bin/python3";
}

/// Success when `interpreter` imports `module`; otherwise a failure that names the
/// package scripts/install_deps.sh installs for it.
inline ::testing::AssertionResult python_imports(const std::string& module,
                                                 const std::string& interpreter = "/usr/bin/python3") {
  const std::string command = "'" + interpreter + "' -c 'import " + module + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) == 0) return ::testing::AssertionSuccess();
  std::string package = "python3-" + module;  // Debian names them in lower case: PIL → python3-pil
  for (char& c : package) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ::testing::AssertionFailure()
         << interpreter << " cannot import " << module << ": run scripts/install_deps.sh ("
         << package << ")";
}

/// Runs the checker tests/scripts/<script> with /usr/bin/python3 and `args` (passed to the
/// shell as written); success when it exits 0, otherwise a failure with its output.
inline ::testing::AssertionResult python_check(const std::string& script, const std::string& args) {
  const std::string command = "/usr/bin/python3 '" + std::string(CSD_SOURCE_DIR) +
                              "/tests/scripts/" + script + "' " + args + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return ::testing::AssertionFailure() << "cannot run " << command;
  std::string output;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  if (::pclose(pipe) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << script << " " << args << ":\n" << output;
}

/// Figures need numpy and matplotlib in the plotting interpreter.
inline ::testing::AssertionResult plotting_available() {
  auto numpy = python_imports("numpy", plotting_python());
  return numpy ? python_imports("matplotlib", plotting_python()) : numpy;
}

}  // namespace csd::test
