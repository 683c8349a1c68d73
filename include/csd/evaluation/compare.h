#pragma once
/// Judging a prediction against a reference, frame by frame (paper Sec. 3.1–3.2,
/// Figs. 4–6): A = prediction (surrogate rollout, noisy solver, ...), B = reference
/// (the deterministic solver), two datasets in the csd schema that start from the same
/// initial fields.
///
/// Preconditions, checked before any work (csd::Error naming the mismatch):
///   same N; same number of sequences S; same T (or min T when allow_frame_mismatch);
///   same η per sequence (|Δη| ≤ 1e-9); same initial fields, max |φ_A − φ_B| < 1e-5 at
///   frame 0 ("datasets do not start from the same initial fields"); every compared
///   sequence complete.
///
/// Per sequence s and frame j:
///   MAE                 ⟨|φ_A − φ_B|⟩
///   interface error     (ℓ_A − ℓ_B) / ℓ_B, ℓ = 2⟨w⟩ (signed in per_sequence.csv,
///                       |·| in the ensemble and the summary, as in Fig. 4c)
///   descriptors of A and B: ⟨f⟩, ⟨w⟩, ⟨ρ⟩, F, ℓ, I, D_b (physics of the reference file)
///
/// Outputs in `out`:
///   per_sequence.csv  sequence, frame, time, eta, mean_phi, mae, interface_error, then
///                     <d>_a, <d>_b for d in compare_descriptor_names()
///   ensemble.csv      frame, time, count, then <q>_median, <q>_q1, <q>_q3 for q = mae,
///                     interface_error (absolute), and <d>_a, <d>_b
///   summary.json      inputs, labels, shape, checks, headline figures at frame 100 (if
///                     present) and at the last frame, seconds per frame (if given)
///   snapshots/seqNNNNN.png  for the first `snapshot_sequences` sequences: rows = frames
///                     0, 100 (if present), last, labelled T=<frame>; columns = B | A | |Δφ|
///                     titled with the labels (φ and |Δφ| both mapped from [0, 1] to
///                     viridis; panels ≥ 192 px) — Fig. 4a / Fig. 7 style
///
///   csd::evaluation::CompareOptions o;
///   o.prediction = "eval/surrogate.h5"; o.reference = "test.h5"; o.out = "eval";
///   auto s = csd::evaluation::compare_datasets(o);
///   // s.last.mae.median, s.at_100->interface_error.median, ...
#include <optional>
#include <string>
#include <vector>

#include "csd/analysis/stats.h"
#include "csd/core/json_config.h"

namespace csd::evaluation {

/// Descriptors reported for both datasets: f, w, rho, total, interface_length,
/// isotropy, fractal_dimension.
const std::vector<std::string>& compare_descriptor_names();

struct CompareOptions {
  std::string prediction;                ///< A
  std::string reference;                 ///< B
  std::string out;                       ///< output directory
  std::string prediction_label = "prediction";
  std::string reference_label = "reference";
  bool allow_frame_mismatch = false;     ///< compare the first min(T_A, T_B) frames
  int max_sequences = 0;                 ///< compare only the first sequences (0 = all)
  int max_frames = 0;                    ///< compare only the first frames (0 = all)
  int threads = 0;                       ///< 0 = all cores
  int snapshot_sequences = 3;            ///< sequences drawn as PNG panels
  int headline_frame = 100;              ///< the paper's end of training range, 100τ
  std::optional<double> prediction_seconds_per_frame;  ///< measured by the caller
  std::optional<double> reference_seconds_per_frame;
  Json extra = Json::object();           ///< caller's config, stored in summary.json

  void validate() const;
  Json to_json() const;
  /// Reads section "compare" (optional; unknown keys are errors).
  static CompareOptions from_json(const Json& config);
};

/// Ensemble figures at one frame.
struct FrameFigures {
  int frame = 0;
  double time = 0;
  analysis::Quartiles mae;
  analysis::Quartiles interface_error;  ///< of |ℓ_A − ℓ_B| / ℓ_B
};

struct CompareSummary {
  int sequences = 0, frames = 0, size = 0;
  double initial_max_abs_diff = 0;     ///< largest frame-0 difference found
  std::optional<FrameFigures> at_headline;  ///< frame headline_frame, if compared
  FrameFigures last;
  double seconds = 0;
  std::string per_sequence_csv, ensemble_csv, summary_json;
  std::vector<std::string> snapshots;  ///< PNG paths written
};

/// Runs the comparison; throws csd::Error on a failed precondition or bad input.
CompareSummary compare_datasets(const CompareOptions& options);

}  // namespace csd::evaluation
