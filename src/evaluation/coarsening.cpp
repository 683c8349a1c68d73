#include "coarsening.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "csd/core/error.h"
#include "csd/io/csv.h"

namespace csd::evaluation::detail {

void validate_fit_options(int fit_start, int fit_end, double confidence) {
  require(fit_start >= 0, "fit_start must be >= 0 frames (0 = automatic)");
  require(fit_end >= 0, "fit_end must be >= 0 frames (0 = the last frame)");
  require(fit_end == 0 || fit_end >= fit_start + 2,
          "the growth fit window [fit_start, fit_end] = [{}, {}] holds fewer than 3 frames",
          fit_start, fit_end);
  require(confidence > 0 && confidence < 1,
          "fit_confidence must be in (0, 1), got " + fmt::format("{:g}", confidence));
}

FitWindow fit_window(int fit_start, int fit_end, int frames, double confidence) {
  validate_fit_options(fit_start, fit_end, confidence);
  const int last = frames - 1;
  FitWindow w;
  w.confidence = confidence;
  w.automatic = fit_start == 0 && fit_end == 0;
  w.end = fit_end > 0 ? fit_end : last;
  // t = 0 has no logarithm: the automatic start is frame 1 at least.
  w.start = fit_start > 0 ? fit_start : std::max(1, (w.end + 9) / 10);
  require(w.end <= last, "fit_end = {} is beyond the last analysed frame {}", fit_end, last);
  require(w.automatic || w.usable(),
          "the growth fit window, frames [{}, {}], holds {} frames of the {} analysed; it needs "
          "at least 3 (set fit_start / fit_end)",
          w.start, w.end, std::max(0, w.points()), frames);
  return w;
}

Json window_json(const FitWindow& w, double tau) {
  return {{"start_frame", w.start},   {"end_frame", w.end},
          {"start_time", w.start * tau}, {"end_time", w.end * tau},
          {"frames", std::max(0, w.points())}, {"automatic", w.automatic},
          {"confidence", w.confidence}};
}

GrowthFit fit_growth(const std::vector<std::vector<double>>& by_frame, double tau,
                     const FitWindow& window) {
  GrowthFit fit;
  if (!window.usable()) {
    fit.reason = fmt::format("the window, frames [{}, {}], holds fewer than 3 frames",
                             window.start, window.end);
    return fit;
  }
  std::vector<double> times, medians;
  for (int j = window.start; j <= window.end; ++j) {
    times.push_back(j * tau);
    medians.push_back(quartiles_or_nan(by_frame[j]).median);
  }
  const double lo = window.start * tau, hi = window.end * tau;
  try {
    fit.median = analysis::fit_power_law(times, medians, lo, hi, window.confidence);
  } catch (const Error& e) {  // e.g. a uniform (stable) frame has no length
    fit.reason = e.what();
  }
  const std::size_t sequences = by_frame.empty() ? 0 : by_frame[window.start].size();
  for (std::size_t s = 0; s < sequences; ++s) {
    std::vector<double> lengths;
    for (int j = window.start; j <= window.end; ++j) lengths.push_back(by_frame[j][s]);
    try {
      fit.per_sequence.push_back(
          analysis::fit_power_law(times, lengths, lo, hi, window.confidence).exponent);
    } catch (const Error&) {  // that sequence has no structure somewhere in the window
    }
  }
  return fit;
}

Json growth_json(const GrowthFit& fit) {
  if (!fit.median) return {{"n", nullptr}, {"reason", fit.reason}};
  const analysis::PowerLawFit& f = *fit.median;
  Json per_sequence = quartiles_json(quartiles_or_nan(fit.per_sequence));
  per_sequence["fitted"] = fit.per_sequence.size();
  return {{"n", number_or_null(f.exponent)},
          {"interval", {number_or_null(f.lower), number_or_null(f.upper)}},
          {"half_width", number_or_null(f.half_width)},
          {"std_error", number_or_null(f.std_error)},
          {"prefactor", number_or_null(f.prefactor)},
          {"r_squared", number_or_null(f.r_squared)},
          {"points", f.points},
          {"per_sequence", per_sequence}};
}

std::vector<int> structure_frames(int frames, const std::vector<int>& extra) {
  std::vector<int> chosen;
  for (long decade = 1; decade < frames; decade *= 10)
    for (long step : {1, 2, 5})
      if (decade * step < frames) chosen.push_back(static_cast<int>(decade * step));
  if (frames > 1) chosen.push_back(frames - 1);
  for (int f : extra)
    if (f > 0 && f < frames) chosen.push_back(f);
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  return chosen;
}

StructureProfiles::StructureProfiles(std::vector<int> frames, int sequences)
    : frames_(std::move(frames)),
      profiles_(static_cast<std::size_t>(sequences), std::vector<analysis::RadialProfile>(frames_.size())) {}

int StructureProfiles::slot(int frame) const {
  const auto it = std::find(frames_.begin(), frames_.end(), frame);
  return it == frames_.end() ? -1 : static_cast<int>(it - frames_.begin());
}

void StructureProfiles::set(int sequence, int slot, analysis::RadialProfile profile) {
  profiles_.at(sequence).at(slot) = std::move(profile);
}

std::vector<double> StructureProfiles::mean(int slot) const {
  std::vector<double> sum(shape(slot).mean.size(), 0.0);
  for (const auto& sequence : profiles_)
    for (std::size_t b = 0; b < sum.size(); ++b) sum[b] += sequence.at(slot).mean.at(b);
  for (double& v : sum) v /= static_cast<double>(profiles_.size());
  return sum;
}

void write_structure_csv(const std::string& path, double tau,
                         const std::vector<std::string>& names,
                         const std::vector<const StructureProfiles*>& sources) {
  std::vector<std::string> header{"frame", "time", "shell", "q", "modes"};
  header.insert(header.end(), names.begin(), names.end());
  io::CsvWriter csv(path, header);
  const StructureProfiles& first = *sources.at(0);
  for (std::size_t k = 0; k < first.frames().size(); ++k) {
    const int slot = static_cast<int>(k), frame = first.frames()[k];
    const analysis::RadialProfile& shape = first.shape(slot);
    std::vector<std::vector<double>> means;
    for (const StructureProfiles* source : sources) means.push_back(source->mean(slot));
    for (std::size_t b = 1; b < shape.q.size(); ++b) {
      std::vector<double> row{static_cast<double>(frame), frame * tau, static_cast<double>(b),
                              shape.q[b], static_cast<double>(shape.modes[b])};
      for (const auto& m : means) row.push_back(m[b]);
      csv.row_values(row);
    }
  }
  csv.close();
}

}  // namespace csd::evaluation::detail
