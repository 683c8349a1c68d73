#pragma once
/// Per-frame descriptors of every sequence of a dataset (paper Sec. 3.2, Fig. 5), for any
/// file in the csd schema: solver data, a surrogate rollout, or a user's file.
///
/// For frame j of sequence s (time t = j·τ, τ from the file's physics attributes):
///   energies  ⟨f⟩ ≈ 2⟨w⟩ + ⟨ρ⟩, ⟨w⟩, ⟨ρ⟩, gradient ⟨ε/2|∇φ|²⟩, exact F   (recomputed from
///             the field with the file's physics, not read from /energy, so that every
///             source is measured the same way)
///   interface length per unit area 2⟨w⟩, isotropy degree I (HOG), boundary fractal
///   dimension D_b, ⟨φ⟩, min φ, max φ;
///   coarsening: L = 2π/k₁ with the structure-factor moments k₁, k₂, the ⟨10⟩/⟨11⟩
///   anisotropy of S(k), the Euler characteristic and the domain count of φ > ½
///   (analysis/structure_factor.h, analysis/topology.h).
///
/// The growth exponent n of L ∝ t^n is fitted to the ensemble median L(t) over frames
/// [fit_start, fit_end] (default: the last decade of time, [⌈last/10⌉, last]) with its
/// `fit_confidence` interval (analysis/growth.h); the per-sequence exponents are
/// summarised too.
///
/// Outputs in `out` (created if needed; every file replaced atomically):
///   frames.csv    one row per (sequence, frame): sequence, frame, time, eta, then
///                 frame_descriptor_names()
///   ensemble.csv  one row per frame: frame, time, count, then <name>_median, <name>_q1,
///                 <name>_q3 over the sequences (NaN values, e.g. D_b of a uniform frame,
///                 are skipped)
///   structure_factor.csv  S(k) at frames 1, 2, 5, 10, 20, 50, … and the last: frame,
///                 time, shell, q, modes, s (circular average, mean over the sequences)
///   summary.json  input, shape, τ, source, seconds, the options, the final-frame
///                 quartiles of each descriptor, and "coarsening" (window, n, interval)
///
/// Refused before any output is written (csd::Error): a grid the descriptors cannot
/// measure (N < 16, analysis/descriptors.h), a file without complete sequences, and
/// NaN/Inf in η or in any analysed frame (naming the file, sequence, frame and pixel of
/// the first one), which would otherwise drop out of the medians while `count` kept it,
/// and an explicit fit window beyond the frames or with fewer than 3 of them.
///
///   csd::evaluation::AnalyzeOptions o;
///   o.input = "test.h5"; o.out = "analysis"; o.threads = 4;
///   auto summary = csd::evaluation::analyze_dataset(o);
#include <optional>
#include <string>
#include <vector>

#include "csd/analysis/growth.h"

#include "csd/core/json_config.h"
#include "csd/core/options.h"

namespace csd::evaluation {

/// Names of the per-frame descriptors, in CSV column order:
/// mean_phi, f, w, rho, grad, total, interface_length, isotropy, fractal_dimension,
/// min_phi, max_phi, length, k1, k2, anisotropy, euler, domains.
const std::vector<std::string>& frame_descriptor_names();

struct AnalyzeOptions {
  std::string input;      ///< dataset (HDF5, csd schema)
  std::string out;        ///< output directory
  int threads = 0;        ///< worker threads, one sequence each (0 = all cores)
  int max_sequences = 0;  ///< analyse only the first sequences (0 = all)
  int max_frames = 0;     ///< analyse only the first frames (0 = all)
  int fit_start = 0;      ///< first frame of the growth fit (0 = automatic)
  int fit_end = 0;        ///< last frame of the growth fit (0 = the last frame)
  double fit_confidence = 0.95;  ///< of the exponent's interval

  /// Throws csd::Error naming the bad option.
  void validate() const;
  /// {"analyze": {...}} with keys equal to the member names.
  Json to_json() const;
  /// Reads section "analyze" (optional; unknown keys are errors).
  static AnalyzeOptions from_json(const Json& config);
};

/// The option table behind AnalyzeOptions' JSON and the CLI flags.
const OptionTable<AnalyzeOptions>& analyze_options();

struct AnalyzeSummary {
  int sequences = 0;          ///< analysed (complete) sequences
  int skipped_sequences = 0;  ///< incomplete sequences of a partial file, skipped
  int frames = 0;             ///< frames per sequence analysed
  int size = 0;               ///< N
  double seconds = 0;
  std::string frames_csv, ensemble_csv, structure_csv, summary_json;  ///< paths written
  /// L ∝ t^n of the ensemble median L(t); empty when the window has too few frames or
  /// a frame has no structure (summary.json says why).
  std::optional<analysis::PowerLawFit> growth;
};

/// Runs the analysis; throws csd::Error on a missing/invalid file or unwritable output.
AnalyzeSummary analyze_dataset(const AnalyzeOptions& options);

}  // namespace csd::evaluation
