#include "compare_summary.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

namespace csd::evaluation::detail {
namespace {

/// Multiples of the horizon H reported in the summary and drawn in the snapshots.
constexpr int kHorizonMultiples[] = {1, 5, 10};

double median_at(const PairTable& table, int frame, const Column<PairRecord>& column) {
  return quartiles_or_nan(table.ensemble_values(frame, column)).median;
}

double mean_at(const PairTable& table, int frame, const Column<PairRecord>& column) {
  const std::vector<double> values = table.ensemble_values(frame, column);
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

/// a / b; NaN when b == 0 (the ratio is undefined, written null).
double ratio(double a, double b) {
  return b != 0.0 ? a / b : std::numeric_limits<double>::quiet_NaN();
}

FrameFigures figures_at(const PairTable& table, int frame) {
  FrameFigures f;
  f.frame = frame;
  f.time = frame * table.tau();
  f.mae = quartiles_or_nan(table.ensemble_values(frame, pair_column(&PairRecord::mae)));
  f.interface_error =
      quartiles_or_nan(table.ensemble_values(frame, pair_column(&PairRecord::interface_error)));
  return f;
}

HorizonFigures horizon_figures(const PairTable& table, int multiple, int frame) {
  HorizonFigures h;
  h.multiple = multiple;
  h.frame = frame;
  h.time = frame * table.tau();
  h.mae_median = median_at(table, frame, pair_column(&PairRecord::mae));
  h.mae_persistence_median = median_at(table, frame, pair_column(&PairRecord::mae_persistence));
  h.mae_ratio = ratio(h.mae_median, h.mae_persistence_median);
  h.interface_error_median = median_at(table, frame, pair_column(&PairRecord::interface_error));
  h.f_mean_a = mean_at(table, frame, pair_column(&PairRecord::a, &FrameRecord::f));
  h.f_mean_b = mean_at(table, frame, pair_column(&PairRecord::b, &FrameRecord::f));
  h.f_relative_difference = ratio(h.f_mean_a, h.f_mean_b) - 1.0;
  h.near_grid_rms_median_a = median_at(table, frame, pair_column(&PairRecord::near_grid_rms_a));
  h.near_grid_rms_median_b = median_at(table, frame, pair_column(&PairRecord::near_grid_rms_b));
  h.near_grid_rms_ratio = ratio(h.near_grid_rms_median_a, h.near_grid_rms_median_b);
  h.phi_min_a = std::numeric_limits<double>::infinity();
  h.phi_max_a = -h.phi_min_a;
  long long outside = 0, pixels = 0;
  for (const auto& sequence : table.records()) {
    const PairRecord& r = sequence[frame];
    h.phi_min_a = std::min(h.phi_min_a, r.a.min_phi);
    h.phi_max_a = std::max(h.phi_max_a, r.a.max_phi);
    outside += r.outside_a;
    pixels += r.pixels;
    for (int j = 0; j <= frame; ++j) h.far_outside_count_a += sequence[j].far_outside_a;
  }
  h.inside_fraction_a = 1.0 - static_cast<double>(outside) / static_cast<double>(pixels);
  return h;
}

PhiRange phi_range(const PairRecords& records) {
  PhiRange p;
  p.min = std::numeric_limits<double>::infinity();
  p.max = -p.min;
  long long outside = 0, pixels = 0;
  for (const auto& sequence : records)
    for (const PairRecord& r : sequence) {
      p.min = std::min(p.min, r.a.min_phi);
      p.max = std::max(p.max, r.a.max_phi);
      outside += r.outside_a;
      p.far_outside_count += r.far_outside_a;
      pixels += r.pixels;
    }
  p.outside_fraction = static_cast<double>(outside) / static_cast<double>(pixels);
  return p;
}

Json horizon_json(const CompareOptions& o, double tau, const std::vector<HorizonFigures>& at) {
  Json points = Json::array();
  for (const HorizonFigures& h : at)
    points.push_back(
        {{"multiple", h.multiple},
         {"label", (h.multiple == 1 ? "" : std::to_string(h.multiple)) + "H"},
         {"frame", h.frame},
         {"time", h.time},
         {"mae_median", number_or_null(h.mae_median)},
         {"mae_persistence_median", number_or_null(h.mae_persistence_median)},
         {"mae_ratio", number_or_null(h.mae_ratio)},
         {"interface_error_median", number_or_null(h.interface_error_median)},
         {"f_mean_a", number_or_null(h.f_mean_a)},
         {"f_mean_b", number_or_null(h.f_mean_b)},
         {"f_relative_difference", number_or_null(h.f_relative_difference)},
         {"near_grid_rms_median_a", number_or_null(h.near_grid_rms_median_a)},
         {"near_grid_rms_median_b", number_or_null(h.near_grid_rms_median_b)},
         {"near_grid_rms_ratio", number_or_null(h.near_grid_rms_ratio)},
         {"phi_min_a", number_or_null(h.phi_min_a)},
         {"phi_max_a", number_or_null(h.phi_max_a)},
         {"inside_fraction_a", number_or_null(h.inside_fraction_a)},
         {"far_outside_count_a", h.far_outside_count_a}});
  return {{"frames", o.horizon}, {"time", o.horizon * tau}, {"points", points}};
}

Json phi_range_json(const PhiRange& p) {
  return {{"min_a", number_or_null(p.min)},
          {"max_a", number_or_null(p.max)},
          {"outside_fraction_a", number_or_null(p.outside_fraction)},
          {"far_outside_count_a", p.far_outside_count},
          {"range", {kPhiRange[0], kPhiRange[1]}},
          {"far_range", {kPhiFarRange[0], kPhiFarRange[1]}}};
}

Json dataset_json(const SharedReader& r, const std::string& label) {
  return {{"path", r.path()},
          {"label", label},
          {"source", r.info().source},
          {"noise", r.info().noise},
          {"frames", r.shape().frames},
          {"sequences", r.shape().sequences}};
}

Json timing_json(const CompareOptions& o) {
  Json j = Json::object();
  if (o.prediction_seconds_per_frame) j["prediction"] = *o.prediction_seconds_per_frame;
  if (o.reference_seconds_per_frame) j["reference"] = *o.reference_seconds_per_frame;
  if (o.prediction_seconds_per_frame && o.reference_seconds_per_frame &&
      *o.prediction_seconds_per_frame > 0)
    j["speedup"] = *o.reference_seconds_per_frame / *o.prediction_seconds_per_frame;
  return j;
}

/// Median of the persistence MAE at `frame`, as the headline block reports it.
double persistence_median(const PairTable& table, int frame) {
  return analysis::quartiles(
             table.ensemble_values(frame, pair_column(&PairRecord::mae_persistence)))
      .median;
}

Json headline_json(const PairTable& table, const Extent& e, const CompareSummary& s) {
  Json headline{
      {"mae_median_last", number_or_null(s.last.mae.median)},
      {"mae_persistence_median_last", number_or_null(persistence_median(table, e.frames - 1))},
      {"mae_iqr_last", number_or_null(s.last.mae.iqr())},
      {"interface_error_median_last", number_or_null(s.last.interface_error.median)},
      {"interface_error_iqr_last", number_or_null(s.last.interface_error.iqr())}};
  if (s.at_headline) {
    const FrameFigures& f = *s.at_headline;
    const std::string at = "_at_" + std::to_string(f.frame);
    headline["mae_median" + at] = number_or_null(f.mae.median);
    headline["mae_iqr" + at] = number_or_null(f.mae.iqr());
    headline["mae_persistence_median" + at] = number_or_null(persistence_median(table, f.frame));
    headline["interface_error_median" + at] = number_or_null(f.interface_error.median);
    headline["interface_error_iqr" + at] = number_or_null(f.interface_error.iqr());
  }
  return headline;
}

LengthRatio length_ratio(const PairTable& table, std::string label, int frame) {
  LengthRatio r;
  r.label = std::move(label);
  r.frame = frame;
  r.length_a = median_at(table, frame, pair_column(&PairRecord::a, &FrameRecord::length));
  r.length_b = median_at(table, frame, pair_column(&PairRecord::b, &FrameRecord::length));
  r.ratio = ratio(r.length_a, r.length_b);
  r.f_mean_a = mean_at(table, frame, pair_column(&PairRecord::a, &FrameRecord::f));
  r.f_mean_b = mean_at(table, frame, pair_column(&PairRecord::b, &FrameRecord::f));
  return r;
}

Json coarsening_json(const CompareOptions& o, double tau, const CoarseningFigures& figures,
                     const Coarsening& c, const std::vector<int>& structure_frames) {
  Json ratios = Json::array();
  for (const LengthRatio& r : figures.length_ratio)
    ratios.push_back({{"label", r.label},
                      {"frame", r.frame},
                      {"time", r.frame * tau},
                      {"length_a", number_or_null(r.length_a)},
                      {"length_b", number_or_null(r.length_b)},
                      {"ratio", number_or_null(r.ratio)},
                      {"f_mean_a", number_or_null(r.f_mean_a)},
                      {"f_mean_b", number_or_null(r.f_mean_b)}});
  Json a = growth_json(c.a), b = growth_json(c.b);
  a["label"] = o.prediction_label;
  b["label"] = o.reference_label;
  return {{"fit", window_json(c.window, tau)},
          {"prediction", a},
          {"reference", b},
          {"length_ratio", ratios},
          {"structure_frames", structure_frames}};
}

}  // namespace

Coarsening add_coarsening(CompareSummary& summary, const PairTable& table, const Extent& e,
                          const CompareOptions& o, const FitWindow& window) {
  Coarsening c;
  c.window = window;
  c.a = fit_growth(table.frame_values(pair_column(&PairRecord::a, &FrameRecord::length)),
                   table.tau(), window);
  c.b = fit_growth(table.frame_values(pair_column(&PairRecord::b, &FrameRecord::length)),
                   table.tau(), window);
  CoarseningFigures& figures = summary.coarsening;
  figures.fit_start = window.start;
  figures.fit_end = window.end;
  figures.growth_a = c.a.median;
  figures.growth_b = c.b.median;
  for (const auto& [multiple, frame] : horizon_frames(e.frames, o.horizon))
    figures.length_ratio.push_back(
        length_ratio(table, (multiple == 1 ? "" : std::to_string(multiple)) + "H", frame));
  if (figures.length_ratio.empty() || figures.length_ratio.back().frame != e.frames - 1)
    figures.length_ratio.push_back(length_ratio(table, "last", e.frames - 1));
  for (const GrowthFit* fit : {&c.a, &c.b})
    if (!fit->median) spdlog::warn("compare: no growth exponent: {}", fit->reason);
  return c;
}

std::vector<std::pair<int, int>> horizon_frames(int frames, int horizon) {
  std::vector<std::pair<int, int>> at;
  if (horizon <= 0) return at;
  for (int m : kHorizonMultiples)
    if (static_cast<long long>(m) * horizon < frames) at.emplace_back(m, m * horizon);
  return at;
}

void add_figures(CompareSummary& summary, const PairTable& table, const Extent& e,
                 const CompareOptions& o) {
  if (o.headline_frame < e.frames) summary.at_headline = figures_at(table, o.headline_frame);
  summary.last = figures_at(table, e.frames - 1);
  for (const auto& [multiple, frame] : horizon_frames(e.frames, o.horizon))
    summary.horizon.push_back(horizon_figures(table, multiple, frame));
  if (o.horizon > 0 && summary.horizon.empty())
    spdlog::warn("compare: horizon {} frames is beyond the {} compared frames; no horizon "
                 "figures",
                 o.horizon, e.frames);
  summary.phi_range = phi_range(table.records());
}

Json summary_json(const CompareOptions& o, const SharedReader& a, const SharedReader& b,
                  const Extent& e, const PairTable& table, const CompareSummary& s,
                  const Coarsening& coarsening, const std::vector<int>& structure_frames) {
  Json j;
  j["kind"] = "compare";
  j["prediction"] = dataset_json(a, o.prediction_label);
  j["reference"] = dataset_json(b, o.reference_label);
  j["sequences"] = e.sequences;
  j["frames"] = e.frames;
  j["size"] = e.size;
  j["tau"] = table.tau();
  j["physics"] = b.info().physics.to_json();
  j["checks"] = {{"initial_max_abs_diff", e.initial_max_abs_diff},
                 {"eta_max_abs_diff", e.eta_max_abs_diff}};
  j["headline_frame"] = s.at_headline ? table.quartiles_json(s.at_headline->frame) : Json(nullptr);
  j["last_frame"] = table.quartiles_json(e.frames - 1);
  j["headline"] = headline_json(table, e, s);
  if (o.horizon > 0) j["horizon"] = horizon_json(o, table.tau(), s.horizon);
  j["phi_range"] = phi_range_json(s.phi_range);
  j["coarsening"] = coarsening_json(o, table.tau(), s.coarsening, coarsening, structure_frames);
  j["seconds_per_frame"] = timing_json(o);
  j["seconds"] = s.seconds;
  // Relative to the output folder: the folder is built as "OUT.part" and renamed when
  // complete, so absolute paths written now would name a folder that is gone.
  Json snapshots = Json::array();
  for (const std::string& path : s.snapshots)
    snapshots.push_back(std::filesystem::path(path).lexically_relative(o.out).generic_string());
  j["snapshots"] = snapshots;
  j["config"] = o.to_json();
  j["extra"] = o.extra;
  return j;
}

}  // namespace csd::evaluation::detail
