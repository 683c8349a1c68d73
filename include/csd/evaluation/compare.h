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
///   sequence complete; every compared frame and η finite (the first NaN/Inf is named by
///   file, sequence, frame and pixel); N suits the descriptors (analysis/descriptors.h:
///   any N >= 16).
///
/// Per sequence s and frame j:
///   MAE                 ⟨|φ_A − φ_B|⟩
///   persistence MAE     ⟨|φ_B(j) − φ_B(0)|⟩, the error of predicting "nothing changes"
///   interface error     (ℓ_A − ℓ_B) / ℓ_B, ℓ = 2⟨w⟩ (signed in per_sequence.csv,
///                       |·| in the ensemble and the summary, as in Fig. 4c)
///   descriptors of A and B: ⟨f⟩, ⟨w⟩, ⟨ρ⟩, F, ℓ, I, D_b (physics of the reference file)
///   near-grid rms of A and B (analysis/near_grid.h: Laplacian eigenvalues in [4, 8])
///   φ range of A: min, max, fraction of pixels outside kPhiRange and kPhiFarRange
///
/// Coarsening (analyze.h has the same): each side's growth exponent n of L ∝ t^n, fitted
/// to its ensemble median L(t) over frames [fit_start, fit_end] (default: the last decade
/// of time) with its `fit_confidence` interval, and L_A / L_B (ratio of the medians) at
/// H, 5H, 10H and the last frame, with ⟨f⟩ of both there.
///
/// Horizon H (frames, 0 = unknown): the length of the rollouts the prediction was
/// trained on. With H > 0 the summary reports the frames H, 5H, 10H that were compared
/// (block "horizon") and the snapshots show them; with H = 0 the headline frame.
///
/// Outputs in `out`:
///   per_sequence.csv  sequence, frame, time, eta, mean_phi, mae, mae_persistence,
///                     interface_error, then <d>_a, <d>_b for d in
///                     compare_descriptor_names(), then pair_extra_names()
///   ensemble.csv      frame, time, count, then <q>_median, <q>_q1, <q>_q3 for q = mae,
///                     mae_persistence, interface_error (absolute), <d>_a, <d>_b and
///                     pair_extra_names()
///   structure_factor.csv  S(k) of A and B at frames 1, 2, 5, 10, 20, 50, …, H, 5H, 10H
///                     and the last: frame, time, shell, q, modes, s_a, s_b
///   summary.json      inputs, labels, shape, checks, headline figures at frame 100 (if
///                     present) and at the last frame, "horizon" (H > 0), "phi_range",
///                     "coarsening", seconds per frame (if given)
///   snapshots/seqNNNNN.png  for the first `snapshot_sequences` sequences: rows = frames
///                     0, then H, 5H, 10H (H > 0) or the headline frame (H = 0), those
///                     present, and the last, labelled T=<frame>; columns = B | A | |Δφ|
///                     titled with the labels (φ and |Δφ| both mapped from [0, 1] to
///                     viridis; panels ≥ 192 px) — Fig. 4a / Fig. 7 style
///
///   csd::evaluation::CompareOptions o;
///   o.prediction = "eval/surrogate.h5"; o.reference = "test.h5"; o.out = "eval";
///   o.horizon = 20;
///   auto s = csd::evaluation::compare_datasets(o);
///   // s.last.mae.median, s.at_headline->interface_error.median, s.horizon[0].mae_ratio, ...
#include <optional>
#include <string>
#include <vector>

#include "csd/analysis/growth.h"
#include "csd/analysis/stats.h"
#include "csd/core/json_config.h"

namespace csd::evaluation {

/// Descriptors reported for both datasets: f, w, rho, total, interface_length,
/// isotropy, fractal_dimension, length, anisotropy, euler, domains.
const std::vector<std::string>& compare_descriptor_names();

/// Per-frame columns after the descriptors: near_grid_rms_a, near_grid_rms_b,
/// phi_min_a, phi_max_a, outside_a (fraction of A's pixels outside kPhiRange),
/// far_outside_a (outside kPhiFarRange).
const std::vector<std::string>& pair_extra_names();

/// φ of a two-phase field stays in [0, 1] up to interface overshoot; a prediction
/// leaving kPhiRange is drifting, one leaving kPhiFarRange is unphysical.
constexpr double kPhiRange[2] = {-0.05, 1.05};
constexpr double kPhiFarRange[2] = {-0.2, 1.2};

struct CompareOptions {
  std::string prediction;                ///< A
  std::string reference;                 ///< B
  std::string out;                       ///< output directory
  std::string prediction_label = "prediction";
  std::string reference_label = "reference";
  bool allow_frame_mismatch = false;     ///< compare the first min(T_A, T_B) frames
  bool allow_physics_mismatch = false;   ///< warn, not refuse, when A's and B's physics differ
  int max_sequences = 0;                 ///< compare only the first sequences (0 = all)
  int max_frames = 0;                    ///< compare only the first frames (0 = all)
  int threads = 0;                       ///< 0 = all cores
  int snapshot_sequences = 3;            ///< sequences drawn as PNG panels
  int headline_frame = 100;              ///< the paper's end of training range, 100τ
  int horizon = 0;                       ///< training rollout length H in frames (0 = unknown)
  int fit_start = 0;                     ///< first frame of the growth fit (0 = automatic)
  int fit_end = 0;                       ///< last frame of the growth fit (0 = the last)
  double fit_confidence = 0.95;          ///< of the exponents' intervals
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

/// The long-horizon figures at frame multiple·H (see summary.json "horizon").
struct HorizonFigures {
  int multiple = 1;  ///< 1, 5 or 10
  int frame = 0;
  double time = 0;
  double mae_median = 0, mae_persistence_median = 0;
  double mae_ratio = 0;                ///< mae_median / mae_persistence_median
  double interface_error_median = 0;   ///< of |ℓ_A − ℓ_B| / ℓ_B
  double f_mean_a = 0, f_mean_b = 0;   ///< ⟨f⟩ averaged over the sequences
  double f_relative_difference = 0;    ///< f_mean_a / f_mean_b − 1
  double near_grid_rms_median_a = 0, near_grid_rms_median_b = 0;
  double near_grid_rms_ratio = 0;      ///< median A / median B
  double phi_min_a = 0, phi_max_a = 0; ///< over all sequences at this frame
  double inside_fraction_a = 0;        ///< of A's pixels within kPhiRange at this frame
  long long far_outside_count_a = 0;   ///< A's pixels outside kPhiFarRange, frames 0..frame
};

/// φ range of A over every compared frame (summary.json "phi_range").
struct PhiRange {
  double min = 0, max = 0;
  double outside_fraction = 0;  ///< of all pixels of all frames, outside kPhiRange
  long long far_outside_count = 0;  ///< pixels outside kPhiFarRange
};

/// L_A / L_B and ⟨f⟩ of both at one frame (summary.json "coarsening").
struct LengthRatio {
  std::string label;  ///< "H", "5H", "10H" or "last"
  int frame = 0;
  double length_a = 0, length_b = 0;  ///< ensemble medians of L
  double ratio = 0;                   ///< length_a / length_b
  double f_mean_a = 0, f_mean_b = 0;  ///< ⟨f⟩ averaged over the sequences
};

/// The coarsening law of both sides.
struct CoarseningFigures {
  int fit_start = 0, fit_end = 0;  ///< the frames fitted
  /// n of the ensemble median L(t) of A and of B; empty when it could not be fitted
  /// (window of fewer than 3 frames, a frame without structure).
  std::optional<analysis::PowerLawFit> growth_a, growth_b;
  /// At H, 5H, 10H (those compared) and the last frame (unless it is one of them).
  std::vector<LengthRatio> length_ratio;
};

struct CompareSummary {
  int sequences = 0, frames = 0, size = 0;
  double initial_max_abs_diff = 0;     ///< largest frame-0 difference found
  std::optional<FrameFigures> at_headline;  ///< frame headline_frame, if compared
  FrameFigures last;
  std::vector<HorizonFigures> horizon;  ///< at H, 5H, 10H among the compared frames
  PhiRange phi_range;
  CoarseningFigures coarsening;
  double seconds = 0;
  std::string per_sequence_csv, ensemble_csv, structure_csv, summary_json;
  std::vector<std::string> snapshots;  ///< PNG paths written
};

/// Runs the comparison; throws csd::Error on a failed precondition or bad input.
CompareSummary compare_datasets(const CompareOptions& options);

/// The preconditions on the reference alone, for a caller that makes the prediction
/// first (csd evaluate --model rolls the surrogate out): N suits the descriptors, the
/// first `sequences` sequences are complete, their η and frames [0, frames) are finite.
/// Throws csd::Error with compare_datasets()'s message, so that it fails before the
/// long work rather than after it.
void check_reference(const std::string& path, const std::string& label, int sequences,
                     int frames);

}  // namespace csd::evaluation
