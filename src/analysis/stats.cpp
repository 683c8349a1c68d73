#include "csd/analysis/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "csd/core/error.h"

namespace csd::analysis {
namespace {

/// Drops NaN and sorts in place, so several quantiles can share one sort.
void sort_finite(std::vector<double>& values) {
  values.erase(std::remove_if(values.begin(), values.end(),
                              [](double v) { return std::isnan(v); }),
               values.end());
  std::sort(values.begin(), values.end());
}

/// numpy 'linear' quantile of already sorted, NaN-free values.
double sorted_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = p * double(sorted.size() - 1);
  const std::size_t lo = std::size_t(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

double quantile(std::vector<double> values, double p) {
  require(!values.empty(), "quantile: no values given; pass at least one sample");
  require(p >= 0.0 && p <= 1.0,
          "quantile: probability must lie in [0, 1], got " + fmt::format("{:g}", p));
  sort_finite(values);
  return sorted_quantile(values, p);
}

Quartiles quartiles(std::vector<double> values) {
  require(!values.empty(), "quartiles: no values given; pass at least one sample");
  sort_finite(values);
  return {sorted_quantile(values, 0.25), sorted_quantile(values, 0.5),
          sorted_quantile(values, 0.75)};
}

std::vector<Quartiles> ensemble_quartiles(const std::vector<std::vector<double>>& samples) {
  require(!samples.empty(), "ensemble_quartiles: no sequences given; pass samples[S][T]");
  const std::size_t frames = samples.front().size();
  require(frames > 0, "ensemble_quartiles: sequences have no frames");
  for (std::size_t s = 0; s < samples.size(); ++s) {
    require(samples[s].size() == frames,
            "ensemble_quartiles: sequence " + std::to_string(s) + " has " +
                std::to_string(samples[s].size()) + " frames, sequence 0 has " +
                std::to_string(frames) + "; all sequences need the same length");
  }
  std::vector<Quartiles> result;
  result.reserve(frames);
  std::vector<double> column(samples.size());
  for (std::size_t t = 0; t < frames; ++t) {
    for (std::size_t s = 0; s < samples.size(); ++s) column[s] = samples[s][t];
    result.push_back(quartiles(column));
  }
  return result;
}

}  // namespace csd::analysis
