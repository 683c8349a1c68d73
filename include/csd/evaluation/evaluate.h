#pragma once
/// `csd evaluate` as a library call: judge a predictor (the surrogate, or any Predictor)
/// against the solver's test set, or compare two datasets (paper Sec. 3.1–3.2,
/// Figs. 4–6).
///
/// With a predictor: it is rolled out from every sequence's φ₀ and η of `data` and its
/// frames are written to OUT/surrogate.h5 (dataset schema, source "surrogate", energies
/// per frame); predictor and solver are timed per frame; then compare_datasets
/// (compare.h) writes the tables, summary.json and snapshots, and scripts/plots.py the
/// figures; with `gif` = K, OUT/animation.gif animates sequence 0
/// (evaluation/animation.h). Without one, `data` (A) is compared with `against` (B).
///
/// The output folder is staged (io/staged_directory.h): an existing one is replaced
/// only with `overwrite`, and only once the new results are complete.
///
///   csd::evaluation::EvaluateJob job;
///   job.data = "test.h5"; job.out = "eval"; job.horizon = 20;
///   csd::evaluation::SolverPredictor solver(params);
///   auto summary = csd::evaluation::run_evaluate(job, &solver);
#include <string>

#include "csd/core/json_config.h"
#include "csd/core/options.h"
#include "csd/evaluation/compare.h"
#include "csd/evaluation/predictor.h"

namespace csd::evaluation {

/// JSON section "evaluate"; keys = member names = long flags (evaluate_options()).
struct EvaluateJob {
  std::string model;    ///< surrogate checkpoint: recorded, and kept out of the output folder
  std::string data;     ///< test set: the reference (with a predictor) or dataset A
  std::string against;  ///< reference dataset B (no predictor)
  std::string out;
  std::string device = "auto";
  int threads = 0;            ///< 0 = all cores
  int batch = 8;              ///< sequences rolled out together
  int max_sequences = 0;      ///< 0 = all
  int frames = 0;             ///< compare only the first T frames (0 = all)
  int timing_frames = 2;      ///< solver frames timed for the speed comparison
  int snapshot_sequences = 3;
  int headline_frame = 100;
  int horizon = 0;            ///< training rollout length in frames (0 = unknown)
  int fit_start = 0;          ///< first frame of the growth-exponent fit (0 = automatic)
  int fit_end = 0;            ///< last frame of the growth-exponent fit (0 = the last)
  double fit_confidence = 0.95;
  bool allow_frame_mismatch = false;
  bool allow_physics_mismatch = false;  ///< warn, not refuse, when predictor and data physics differ
  bool overwrite = false;     ///< replace an existing output folder (once the new one is complete)
  bool plots = true;
  int gif = 0;                ///< OUT/animation.gif of every K-th frame (0 = none; evaluation/animation.h)

  /// Throws csd::Error naming the bad option.
  void validate() const;
  Json to_json() const;  ///< {"evaluate": {...}}
  /// Reads section "evaluate" (optional; unknown keys are errors).
  static EvaluateJob from_json(const Json& config);
};

/// The option table behind EvaluateJob's JSON and the CLI flags.
const OptionTable<EvaluateJob>& evaluate_options();

/// Runs the job. `predictor` = nullptr compares `data` with `against`; otherwise
/// `against` must be empty. Throws csd::Error on bad input (before any work where it
/// can be known), a diverged prediction, or a failed write; the old output then stays.
CompareSummary run_evaluate(const EvaluateJob& job, const Predictor* predictor);

/// Logs the headline, last-frame, horizon and coarsening figures of a finished evaluation.
void log_evaluation(const CompareSummary& summary, const EvaluateJob& job);

}  // namespace csd::evaluation
