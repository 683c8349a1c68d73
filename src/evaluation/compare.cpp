#include "csd/evaluation/compare.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "common.h"
#include "compare_inputs.h"
#include "csd/analysis/metrics.h"
#include "csd/analysis/near_grid.h"
#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/io/csv.h"
#include "csd/io/fs.h"
#include "snapshot_sheet.h"

namespace csd::evaluation {
namespace {

using detail::FrameRecord;
using detail::Extent;
using detail::SharedReader;

/// Multiples of the horizon H reported in the summary and drawn in the snapshots.
constexpr int kHorizonMultiples[] = {1, 5, 10};

/// One frame of one sequence: the pair's errors and each side's descriptors.
struct PairRecord {
  double mae = 0;
  double mae_persistence = 0;  ///< ⟨|φ_B(t) − φ_B(0)|⟩: the "nothing changes" prediction
  double interface_error = 0;  ///< signed (ℓ_A − ℓ_B) / ℓ_B
  double near_grid_rms_a = 0, near_grid_rms_b = 0;
  long long outside_a = 0;      ///< A's pixels outside kPhiRange
  long long far_outside_a = 0;  ///< A's pixels outside kPhiFarRange
  long long pixels = 0;         ///< N²
  FrameRecord a, b;
};
using PairRecords = std::vector<std::vector<PairRecord>>;  // [sequence][frame]

/// What each worker thread owns: neither analyzer is thread safe.
struct FrameTools {
  FrameTools(int n, const physics::Params& physics) : descriptors(n, physics), near_grid(n) {}
  analysis::FrameAnalyzer descriptors;
  analysis::LaplacianBand near_grid;
};

/// (multiple, frame) for the frames H, 5H, 10H among the `frames` compared (none for
/// H = 0).
std::vector<std::pair<int, int>> horizon_frames(int frames, int horizon) {
  std::vector<std::pair<int, int>> at;
  if (horizon <= 0) return at;
  for (int m : kHorizonMultiples)
    if (static_cast<long long>(m) * horizon < frames) at.emplace_back(m, m * horizon);
  return at;
}

PairRecord compare_frame(const FrameTools& tools, const std::vector<float>& a,
                         const std::vector<float>& b, const std::vector<float>& initial_b,
                         double eta) {
  PairRecord r;
  r.mae = analysis::mae(a.data(), b.data(), a.size());
  r.mae_persistence = analysis::mae(initial_b.data(), b.data(), b.size());
  r.a = detail::describe_frame(tools.descriptors, a.data(), eta);
  r.b = detail::describe_frame(tools.descriptors, b.data(), eta);
  r.interface_error = r.b.interface_length != 0.0
                          ? (r.a.interface_length - r.b.interface_length) / r.b.interface_length
                          : std::numeric_limits<double>::quiet_NaN();
  r.near_grid_rms_a = tools.near_grid(a.data());
  r.near_grid_rms_b = tools.near_grid(b.data());
  r.outside_a = static_cast<long long>(
      analysis::count_outside(a.data(), a.size(), kPhiRange[0], kPhiRange[1]));
  r.far_outside_a = static_cast<long long>(
      analysis::count_outside(a.data(), a.size(), kPhiFarRange[0], kPhiFarRange[1]));
  r.pixels = static_cast<long long>(a.size());
  return r;
}

/// Every per-frame quantity of a pair, in the column order of both CSV files.
std::vector<std::string> pair_quantities() {
  std::vector<std::string> names{"mae", "mae_persistence", "interface_error"};
  for (const auto& d : compare_descriptor_names()) {
    names.push_back(d + "_a");
    names.push_back(d + "_b");
  }
  for (const auto& q : pair_extra_names()) names.push_back(q);
  return names;
}

/// Quantity `name` (one of pair_quantities()) of one pair; interface_error is signed.
double pair_value(const PairRecord& r, const std::string& name) {
  if (name == "mae") return r.mae;
  if (name == "mae_persistence") return r.mae_persistence;
  if (name == "interface_error") return r.interface_error;
  if (name == "near_grid_rms_a") return r.near_grid_rms_a;
  if (name == "near_grid_rms_b") return r.near_grid_rms_b;
  if (name == "phi_min_a") return r.a.min_phi;
  if (name == "phi_max_a") return r.a.max_phi;
  if (name == "outside_a") return static_cast<double>(r.outside_a) / r.pixels;
  if (name == "far_outside_a") return static_cast<double>(r.far_outside_a) / r.pixels;
  const std::size_t cut = name.size() >= 2 ? name.size() - 2 : 0;
  const std::string side = name.substr(cut), descriptor = name.substr(0, cut);
  require(side == "_a" || side == "_b", "unknown compare quantity '" + name + "'");
  return side == "_a" ? r.a.get(descriptor) : r.b.get(descriptor);
}

/// Values of quantity `name` at frame j over the sequences; interface_error absolute
/// (the ensemble statistics are of |error|, as in Fig. 4c).
std::vector<double> column_at(const PairRecords& records, std::size_t frame,
                              const std::string& name) {
  std::vector<double> values;
  values.reserve(records.size());
  for (const auto& sequence : records) {
    const double v = pair_value(sequence[frame], name);
    values.push_back(name == "interface_error" ? std::abs(v) : v);
  }
  return values;
}

void write_per_sequence_csv(const std::string& path, const PairRecords& records,
                            const std::vector<io::SequenceMeta>& metas, double tau) {
  const std::vector<std::string> quantities = pair_quantities();
  std::vector<std::string> columns{"sequence", "frame", "time", "eta", "mean_phi"};
  columns.insert(columns.end(), quantities.begin(), quantities.end());
  io::CsvWriter csv(path, columns);
  for (std::size_t s = 0; s < records.size(); ++s) {
    for (std::size_t j = 0; j < records[s].size(); ++j) {
      std::vector<double> row{static_cast<double>(s), static_cast<double>(j), j * tau,
                              metas[s].eta, metas[s].mean_phi};
      for (const auto& q : quantities) row.push_back(pair_value(records[s][j], q));
      csv.row_values(row);
    }
  }
  csv.close();
}

void write_ensemble_csv(const std::string& path, const PairRecords& records, int frames,
                        double tau) {
  const std::vector<std::string> quantities = pair_quantities();
  std::vector<std::string> columns{"frame", "time", "count"};
  for (const auto& q : quantities) detail::add_quartile_columns(columns, q);
  io::CsvWriter csv(path, columns);
  for (int j = 0; j < frames; ++j) {
    std::vector<double> row{static_cast<double>(j), j * tau, static_cast<double>(records.size())};
    for (const auto& q : quantities) detail::add_quartile_values(row, column_at(records, j, q));
    csv.row_values(row);
  }
  csv.close();
}

FrameFigures figures_at(const PairRecords& records, int frame, double tau) {
  FrameFigures f;
  f.frame = frame;
  f.time = frame * tau;
  f.mae = detail::quartiles_or_nan(column_at(records, frame, "mae"));
  f.interface_error = detail::quartiles_or_nan(column_at(records, frame, "interface_error"));
  return f;
}

Json figures_json(const PairRecords& records, int frame, double tau) {
  Json j{{"frame", frame}, {"time", frame * tau}};
  for (const auto& q : pair_quantities())
    j[q] = detail::quartiles_json(detail::quartiles_or_nan(column_at(records, frame, q)));
  return j;
}

double median_at(const PairRecords& records, int frame, const std::string& name) {
  return detail::quartiles_or_nan(column_at(records, frame, name)).median;
}

double mean_at(const PairRecords& records, int frame, const std::string& name) {
  const std::vector<double> values = column_at(records, frame, name);
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

/// a / b; NaN when b == 0 (the ratio is undefined, written null).
double ratio(double a, double b) {
  return b != 0.0 ? a / b : std::numeric_limits<double>::quiet_NaN();
}

HorizonFigures horizon_figures(const PairRecords& records, int multiple, int frame, double tau) {
  HorizonFigures h;
  h.multiple = multiple;
  h.frame = frame;
  h.time = frame * tau;
  h.mae_median = median_at(records, frame, "mae");
  h.mae_persistence_median = median_at(records, frame, "mae_persistence");
  h.mae_ratio = ratio(h.mae_median, h.mae_persistence_median);
  h.interface_error_median = median_at(records, frame, "interface_error");
  h.f_mean_a = mean_at(records, frame, "f_a");
  h.f_mean_b = mean_at(records, frame, "f_b");
  h.f_relative_difference = ratio(h.f_mean_a, h.f_mean_b) - 1.0;
  h.near_grid_rms_median_a = median_at(records, frame, "near_grid_rms_a");
  h.near_grid_rms_median_b = median_at(records, frame, "near_grid_rms_b");
  h.near_grid_rms_ratio = ratio(h.near_grid_rms_median_a, h.near_grid_rms_median_b);
  h.phi_min_a = std::numeric_limits<double>::infinity();
  h.phi_max_a = -h.phi_min_a;
  long long outside = 0, pixels = 0;
  for (const auto& sequence : records) {
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
         {"mae_median", detail::number_or_null(h.mae_median)},
         {"mae_persistence_median", detail::number_or_null(h.mae_persistence_median)},
         {"mae_ratio", detail::number_or_null(h.mae_ratio)},
         {"interface_error_median", detail::number_or_null(h.interface_error_median)},
         {"f_mean_a", detail::number_or_null(h.f_mean_a)},
         {"f_mean_b", detail::number_or_null(h.f_mean_b)},
         {"f_relative_difference", detail::number_or_null(h.f_relative_difference)},
         {"near_grid_rms_median_a", detail::number_or_null(h.near_grid_rms_median_a)},
         {"near_grid_rms_median_b", detail::number_or_null(h.near_grid_rms_median_b)},
         {"near_grid_rms_ratio", detail::number_or_null(h.near_grid_rms_ratio)},
         {"phi_min_a", detail::number_or_null(h.phi_min_a)},
         {"phi_max_a", detail::number_or_null(h.phi_max_a)},
         {"inside_fraction_a", detail::number_or_null(h.inside_fraction_a)},
         {"far_outside_count_a", h.far_outside_count_a}});
  return {{"frames", o.horizon}, {"time", o.horizon * tau}, {"points", points}};
}

Json phi_range_json(const PhiRange& p) {
  return {{"min_a", detail::number_or_null(p.min)},
          {"max_a", detail::number_or_null(p.max)},
          {"outside_fraction_a", detail::number_or_null(p.outside_fraction)},
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

Json summary_json(const CompareOptions& o, const SharedReader& a, const SharedReader& b,
                  const Extent& e, const PairRecords& records, const CompareSummary& s) {
  const double tau = b.info().physics.frame_time();
  Json j;
  j["kind"] = "compare";
  j["prediction"] = dataset_json(a, o.prediction_label);
  j["reference"] = dataset_json(b, o.reference_label);
  j["sequences"] = e.sequences;
  j["frames"] = e.frames;
  j["size"] = e.size;
  j["tau"] = tau;
  j["physics"] = b.info().physics.to_json();
  j["checks"] = {{"initial_max_abs_diff", e.initial_max_abs_diff},
                 {"eta_max_abs_diff", e.eta_max_abs_diff}};
  j["headline_frame"] =
      s.at_headline ? figures_json(records, s.at_headline->frame, tau) : Json(nullptr);
  j["last_frame"] = figures_json(records, e.frames - 1, tau);
  Json headline{{"mae_median_last", detail::number_or_null(s.last.mae.median)},
                {"mae_persistence_median_last",
                 detail::number_or_null(
                     analysis::quartiles(column_at(records, e.frames - 1, "mae_persistence"))
                         .median)},
                {"mae_iqr_last", detail::number_or_null(s.last.mae.iqr())},
                {"interface_error_median_last",
                 detail::number_or_null(s.last.interface_error.median)},
                {"interface_error_iqr_last", detail::number_or_null(s.last.interface_error.iqr())}};
  if (s.at_headline) {
    const std::string at = "_at_" + std::to_string(s.at_headline->frame);
    headline["mae_median" + at] = detail::number_or_null(s.at_headline->mae.median);
    headline["mae_iqr" + at] = detail::number_or_null(s.at_headline->mae.iqr());
    headline["mae_persistence_median" + at] = detail::number_or_null(
        analysis::quartiles(column_at(records, s.at_headline->frame, "mae_persistence")).median);
    headline["interface_error_median" + at] =
        detail::number_or_null(s.at_headline->interface_error.median);
    headline["interface_error_iqr" + at] =
        detail::number_or_null(s.at_headline->interface_error.iqr());
  }
  j["headline"] = headline;
  if (o.horizon > 0) j["horizon"] = horizon_json(o, tau, s.horizon);
  j["phi_range"] = phi_range_json(s.phi_range);
  j["seconds_per_frame"] = timing_json(o);
  j["seconds"] = s.seconds;
  j["snapshots"] = s.snapshots;
  j["config"] = o.to_json();
  j["extra"] = o.extra;
  return j;
}

/// Frames marked in the snapshots besides the first and the last: H, 5H, 10H with a
/// horizon, else the headline frame.
std::vector<int> marked_frames(const CompareOptions& o, int frames) {
  if (o.horizon <= 0) return {o.headline_frame};
  std::vector<int> marked;
  for (const auto& [multiple, frame] : horizon_frames(frames, o.horizon)) marked.push_back(frame);
  return marked;
}

}  // namespace

const std::vector<std::string>& compare_descriptor_names() {
  static const std::vector<std::string> names{
      "f", "w", "rho", "total", "interface_length", "isotropy", "fractal_dimension"};
  return names;
}

const std::vector<std::string>& pair_extra_names() {
  static const std::vector<std::string> names{"near_grid_rms_a", "near_grid_rms_b", "phi_min_a",
                                              "phi_max_a",       "outside_a",       "far_outside_a"};
  return names;
}

void CompareOptions::validate() const {
  require(!prediction.empty(), "no prediction dataset (A) given");
  require(!reference.empty(), "no reference dataset (B) given");
  require(!out.empty(), "no output directory: pass --out DIR");
  require(max_sequences >= 0, "max_sequences must be >= 0 (0 = all)");
  require(max_frames >= 0, "max_frames must be >= 0 (0 = all)");
  require(threads >= 0, "threads must be >= 0 (0 = all cores)");
  require(snapshot_sequences >= 0, "snapshot_sequences must be >= 0");
  require(headline_frame >= 0, "headline_frame must be >= 0");
  require(horizon >= 0, "horizon must be >= 0 frames (0 = unknown)");
  for (const auto& t : {prediction_seconds_per_frame, reference_seconds_per_frame})
    require(!t || (std::isfinite(*t) && *t >= 0), "seconds per frame must be finite and >= 0");
}

Json CompareOptions::to_json() const {
  Json c{{"prediction", prediction},
         {"reference", reference},
         {"out", out},
         {"prediction_label", prediction_label},
         {"reference_label", reference_label},
         {"allow_frame_mismatch", allow_frame_mismatch},
         {"allow_physics_mismatch", allow_physics_mismatch},
         {"max_sequences", max_sequences},
         {"max_frames", max_frames},
         {"threads", threads},
         {"snapshot_sequences", snapshot_sequences},
         {"headline_frame", headline_frame},
         {"horizon", horizon}};
  return {{"compare", c}};
}

CompareOptions CompareOptions::from_json(const Json& config) {
  const Json c = section_or_empty(config, "compare");
  reject_unknown_keys(c,
                      {"prediction", "reference", "out", "prediction_label", "reference_label",
                       "allow_frame_mismatch", "allow_physics_mismatch", "max_sequences",
                       "max_frames", "threads", "snapshot_sequences", "headline_frame", "horizon"},
                      "compare");
  CompareOptions o;
  read_key(c, "prediction", o.prediction, "compare");
  read_key(c, "reference", o.reference, "compare");
  read_key(c, "out", o.out, "compare");
  read_key(c, "prediction_label", o.prediction_label, "compare");
  read_key(c, "reference_label", o.reference_label, "compare");
  read_key(c, "allow_frame_mismatch", o.allow_frame_mismatch, "compare");
  read_key(c, "allow_physics_mismatch", o.allow_physics_mismatch, "compare");
  read_key(c, "max_sequences", o.max_sequences, "compare");
  read_key(c, "max_frames", o.max_frames, "compare");
  read_key(c, "threads", o.threads, "compare");
  read_key(c, "snapshot_sequences", o.snapshot_sequences, "compare");
  read_key(c, "headline_frame", o.headline_frame, "compare");
  read_key(c, "horizon", o.horizon, "compare");
  return o;
}

CompareSummary compare_datasets(const CompareOptions& o) {
  o.validate();
  const auto start = std::chrono::steady_clock::now();
  const SharedReader a(o.prediction), b(o.reference);
  const Extent e = detail::check_inputs(a, b, o);
  const physics::Params& physics = b.info().physics;
  const double tau = physics.frame_time();

  io::ensure_directory(o.out);
  const int pictures = std::min(o.snapshot_sequences, e.sequences);
  if (pictures > 0) io::ensure_directory(o.out + "/snapshots");
  const std::vector<int> rows = detail::snapshot_frames(e.frames, marked_frames(o, e.frames));

  std::vector<io::SequenceMeta> metas(e.sequences);
  for (int s = 0; s < e.sequences; ++s) metas[s] = b.meta(s);
  PairRecords records(e.sequences);
  CompareSummary summary;
  for (int s = 0; s < pictures; ++s) summary.snapshots.push_back(detail::snapshot_path(o.out, s));

  Progress progress("compare: frame pairs", static_cast<long>(e.sequences) * e.frames);
  detail::parallel_for(
      e.sequences, o.threads, [&] { return FrameTools(e.size, physics); },
      [&](int s, const FrameTools& tools) {
        std::optional<detail::SnapshotSheet> sheet;
        if (s < pictures) sheet.emplace(e.size, rows, o.reference_label, o.prediction_label);
        records[s].resize(e.frames);
        const std::vector<float> initial_b = b.read_frame(s, 0);
        for (int j = 0; j < e.frames; ++j) {
          const std::vector<float> phi_a = a.read_frame(s, j), phi_b = b.read_frame(s, j);
          records[s][j] = compare_frame(tools, phi_a, phi_b, initial_b, metas[s].eta);
          if (sheet) sheet->add_frame(j, phi_b, phi_a);
          progress.add();
        }
        if (sheet) sheet->write(summary.snapshots[s]);
      });

  summary.sequences = e.sequences;
  summary.frames = e.frames;
  summary.size = e.size;
  summary.initial_max_abs_diff = e.initial_max_abs_diff;
  if (o.headline_frame < e.frames) summary.at_headline = figures_at(records, o.headline_frame, tau);
  summary.last = figures_at(records, e.frames - 1, tau);
  for (const auto& [multiple, frame] : horizon_frames(e.frames, o.horizon))
    summary.horizon.push_back(horizon_figures(records, multiple, frame, tau));
  if (o.horizon > 0 && summary.horizon.empty())
    spdlog::warn("compare: horizon {} frames is beyond the {} compared frames; no horizon "
                 "figures",
                 o.horizon, e.frames);
  summary.phi_range = phi_range(records);
  summary.per_sequence_csv = o.out + "/per_sequence.csv";
  summary.ensemble_csv = o.out + "/ensemble.csv";
  summary.summary_json = o.out + "/summary.json";
  write_per_sequence_csv(summary.per_sequence_csv, records, metas, tau);
  write_ensemble_csv(summary.ensemble_csv, records, e.frames, tau);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io::atomic_write_text(summary.summary_json,
                        summary_json(o, a, b, e, records, summary).dump(2) + "\n");
  return summary;
}

}  // namespace csd::evaluation
