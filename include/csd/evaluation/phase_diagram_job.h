#pragma once
/// `csd phasediagram` as a library call (paper Sec. 3.4, Fig. 8a): points (⟨φ⟩, η) from a
/// dataset's sequences or a regular grid, each rolled out by a Predictor (the surrogate,
/// or any other) to frame F and classified single phase or separated, compared with the
/// solver's class (the dataset's frame F, or a solver run on the grid), and written by
/// write_phase_diagram (phase_diagram.h) with the analytic spinodal line.
///
///   csd::evaluation::PhaseDiagramJob job;
///   job.grid = true; job.solver = true; job.size = 64; job.frame = 100; job.out = "phase";
///   auto result = csd::evaluation::run_phase_diagram(job, predictor);
#include <string>

#include "csd/core/json_config.h"
#include "csd/core/options.h"
#include "csd/evaluation/phase_diagram.h"
#include "csd/evaluation/predictor.h"
#include "csd/physics/params.h"

namespace csd::evaluation {

/// JSON sections "phasediagram" (keys = long flags, phase_diagram_options()) and
/// "physics" (the solver physics for grid + solver).
struct PhaseDiagramJob {
  std::string model;          ///< surrogate checkpoint (recorded)
  std::string data;           ///< points = the sequences of this dataset …
  bool grid = false;          ///< … or a regular grid (grid_options)
  bool solver = false;        ///< grid: also run the solver on every point
  PhaseGridOptions grid_options;
  std::string out;
  std::string device = "auto";
  int size = 128;             ///< N of the grid points' fields
  int frame = 100;            ///< classify the frame at t = frame·τ
  double threshold = analysis::kSinglePhaseThreshold;
  int threads = 0;            ///< 0 = all cores
  int batch = 8;              ///< points rolled out together
  int max_sequences = 0;      ///< data: use only the first sequences (0 = all)
  bool plots = true;
  bool allow_physics_mismatch = false;  ///< warn, not refuse, when solver and predictor physics differ
  physics::Params physics;    ///< solver physics for grid + solver …
  bool physics_given = false; ///< … when given; else the predictor's (same τ as the model)

  /// Throws csd::Error naming the bad option.
  void validate() const;
  Json to_json() const;  ///< {"phasediagram": {...}, "physics": {...}}
  static PhaseDiagramJob from_json(const Json& config);
};

const OptionTable<PhaseDiagramJob>& phase_diagram_options();

/// Runs the job and writes OUT/points.csv, OUT/summary.json and (plots) the figure.
/// Solver frames must come from the predictor's physics unless allow_physics_mismatch
/// (checked before the long work). Throws csd::Error on bad input.
PhaseDiagramResult run_phase_diagram(const PhaseDiagramJob& job, const Predictor& predictor);

/// The predictor's frame `frame` from each initial field (points·n·n back to back),
/// rolled out `batch` at a time.
std::vector<float> predict_frame(const Predictor& predictor, const std::vector<float>& initial,
                                 const std::vector<double>& etas, int n, int frame, int batch);

}  // namespace csd::evaluation
