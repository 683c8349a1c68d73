#pragma once
/// Figures from the CSV/JSON outputs, drawn by scripts/plots.py with matplotlib.
/// Figures are optional and data is not: when python, matplotlib or the script is
/// missing, make_plots() logs a warning and returns false, never throws.
///
/// Kinds (see docs/figures.md):
///   ensemble DIR   compare outputs → mae.png, interface_error.png (Fig. 4b–c),
///                  descriptors.png (Fig. 5: f, 2w, ρ, I, D_b of A vs B)
///   analyze DIR    analyze outputs → descriptors.png (medians and IQR vs time)
///   phase DIR      phase diagram → phase_diagram.png (Fig. 8a)
///   loss FILE.csv  training history → loss.png next to it (Fig. 3a)
///
/// Script lookup: $CSD_PLOTS_SCRIPT, else next to the running executable
/// (find_plots_script_near), else ./scripts/plots.py. Interpreter: $CSD_PYTHON, else
/// /usr/bin/python3.
///
///   csd::evaluation::make_plots("ensemble", "eval");
#include <string>

namespace csd::evaluation {

/// Path of plots.py, or "" when none of the candidates exists.
std::string find_plots_script();

/// plots.py for a csd executable in `executable_dir`, or "" if none: the source tree's
/// scripts/plots.py seen from a build folder (<dir>/../scripts/, <dir>/../../scripts/),
/// then the installed <prefix>/share/csd/plots.py seen from <prefix>/bin (CMake install()).
std::string find_plots_script_near(const std::string& executable_dir);

/// Runs `python3 plots.py kind path`; true when the figures were written.
bool make_plots(const std::string& kind, const std::string& path);

}  // namespace csd::evaluation
