#pragma once
/// Figures are optional (csd only warns without Python or matplotlib): tests that check
/// a figure appears ask first whether the interpreter csd would run can draw.
#include <cstdlib>
#include <string>

namespace csd::test {

/// True when $CSD_PYTHON (default /usr/bin/python3, as in csd/evaluation/plots.h)
/// imports numpy and matplotlib.
inline bool matplotlib_available() {
  const char* python = std::getenv("CSD_PYTHON");
  const std::string interpreter = python != nullptr && *python ? python : "/usr/bin/python3";
  const std::string command =
      "'" + interpreter + "' -c 'import numpy, matplotlib' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

}  // namespace csd::test
