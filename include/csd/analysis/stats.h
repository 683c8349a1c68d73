#pragma once
/// Ensemble statistics of paper Figs. 4–6: median and inter-quartile range (IQR)
/// of a per-frame quantity over S sequences.
///
/// Quantiles use linear interpolation between order statistics, numpy's default
/// method ('linear', Hyndman–Fan type 7): for the m sorted finite values v₀ ≤ … ≤ v_{m−1}
///   Q(p) = v_⌊h⌋ + (h − ⌊h⌋)(v_⌊h⌋+1 − v_⌊h⌋),   h = p (m − 1).
/// NaN values are skipped (a sequence whose descriptor is undefined, e.g. D_b of a
/// single-phase frame, does not spoil the ensemble); if every value is NaN the result
/// is NaN. An empty input is an error.
///
///   auto per_frame = csd::analysis::ensemble_quartiles(mae_by_sequence);  // [S][T]
///   plot(per_frame[t].median, per_frame[t].q1, per_frame[t].q3);
#include <vector>

namespace csd::analysis {

struct Quartiles {
  double q1 = 0;      ///< 25th percentile
  double median = 0;  ///< 50th percentile
  double q3 = 0;      ///< 75th percentile
  double iqr() const { return q3 - q1; }
};

/// Quantile p ∈ [0, 1] of `values` (see header comment). Throws csd::Error when
/// `values` is empty or p is outside [0, 1].
double quantile(std::vector<double> values, double p);

/// Q(0.25), Q(0.5), Q(0.75) of `values`. Throws csd::Error when `values` is empty.
Quartiles quartiles(std::vector<double> values);

/// Per-frame quartiles of samples[s][t] (S sequences × T frames) over s: the result
/// has T entries. Throws csd::Error when S == 0, T == 0 or the rows differ in length.
std::vector<Quartiles> ensemble_quartiles(const std::vector<std::vector<double>>& samples);

}  // namespace csd::analysis
