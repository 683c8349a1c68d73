#pragma once
// Coarsening figures shared by analyze and compare (private to csd_evaluation): the window
// the growth exponent is fitted over, the fit of the ensemble's L(t), and S(k, t) at
// chosen frames averaged over the sequences (docs/figures.md, "Coarsening").
#include <optional>
#include <string>
#include <vector>

#include "common.h"
#include "csd/analysis/growth.h"
#include "csd/analysis/structure_factor.h"
#include "csd/core/options.h"

namespace csd::evaluation::detail {

/// Frames [start, end] (inclusive) that L ∝ t^n is fitted over.
struct FitWindow {
  int start = 0, end = 0;
  bool automatic = false;  ///< the default: the last decade of time
  double confidence = 0.95;
  int points() const { return end - start + 1; }
  /// Three frames at least: a line through two points has no interval.
  bool usable() const { return points() >= 3; }
};

/// Appends the growth-fit keys fit_start, fit_end and fit_confidence to a job's option
/// table, with the same help in every command (analyze, evaluate).
template <class S>
void add_fit_options(OptionTable<S>& table, int S::*start, int S::*end, double S::*confidence) {
  table.push_back({"fit_start", "first frame of the growth-exponent fit L ~ t^n [0 = last frame / 10]",
                   [start](S& o) -> OptionRef { return &(o.*start); }});
  table.push_back({"fit_end", "last frame of the growth-exponent fit [0 = the last frame]",
                   [end](S& o) -> OptionRef { return &(o.*end); }});
  table.push_back({"fit_confidence", "confidence of the exponent's interval [0.95]",
                   [confidence](S& o) -> OptionRef { return &(o.*confidence); }});
}

/// Checks fit_start, fit_end (frames, 0 = automatic) and the confidence on their own.
void validate_fit_options(int fit_start, int fit_end, double confidence);

/// The window for a run of `frames` frames. Automatic ends are the last frame and
/// max(1, ⌈last / 10⌉) (t ∈ [t_last/10, t_last]); an automatic window may be unusable
/// on a short run (the fit is then reported as skipped). Throws csd::Error when an
/// explicit end lies beyond the last frame or an explicit window holds fewer than 3
/// frames: the user asked for a fit that cannot be made.
FitWindow fit_window(int fit_start, int fit_end, int frames, double confidence);

/// {"start_frame", "end_frame", "start_time", "end_time", "frames", "automatic",
/// "confidence"}.
Json window_json(const FitWindow& window, double tau);

/// The fit of one source: the exponent of its ensemble median L(t) with the regression
/// interval, and the quartiles of the per-sequence exponents.
struct GrowthFit {
  std::optional<analysis::PowerLawFit> median;  ///< empty when it could not be fitted
  std::string reason;                           ///< why not, when empty
  std::vector<double> per_sequence;             ///< exponents of the sequences that fit
};

/// Fits L ∝ t^n over the window; `by_frame[j]` holds L of every sequence at frame j
/// (NaN for a frame without structure). Never throws for the data: a fit that cannot be
/// made (window unusable, no structure) is reported in `reason`.
GrowthFit fit_growth(const std::vector<std::vector<double>>& by_frame, double tau,
                     const FitWindow& window);

/// {"n", "interval": [lo, hi], "half_width", "std_error", "prefactor", "r_squared",
/// "points", "per_sequence": quartiles and "fitted"}, or {"n": null, "reason"}.
Json growth_json(const GrowthFit& fit);

/// Frames whose S(k) is written: 1, 2, 5, 10, 20, 50, … and the last, plus `extra`
/// (H, 5H, 10H), all below `frames`, sorted, without repeats.
std::vector<int> structure_frames(int frames, const std::vector<int>& extra = {});

/// Radial profiles of one source at chosen frames, one slot per (sequence, frame); each
/// worker fills its own sequence.
class StructureProfiles {
 public:
  StructureProfiles(std::vector<int> frames, int sequences);
  const std::vector<int>& frames() const { return frames_; }
  /// Index of `frame` among the chosen frames, or -1.
  int slot(int frame) const;
  void set(int sequence, int slot, analysis::RadialProfile profile);
  /// Circular-average S of each shell at `slot`, averaged over the sequences.
  std::vector<double> mean(int slot) const;
  /// Shell centres and mode counts (the same for every profile of one grid).
  const analysis::RadialProfile& shape(int slot) const { return profiles_.at(0).at(slot); }

 private:
  std::vector<int> frames_;
  std::vector<std::vector<analysis::RadialProfile>> profiles_;  // [sequence][slot]
};

/// structure_factor.csv: frame, time, shell, q, modes, then one column per source
/// (`names[i]` for `sources[i]`: the sequence mean of S at that shell). Shell 0 (the
/// mean, S = 0) is left out.
void write_structure_csv(const std::string& path, double tau,
                         const std::vector<std::string>& names,
                         const std::vector<const StructureProfiles*>& sources);

}  // namespace csd::evaluation::detail
