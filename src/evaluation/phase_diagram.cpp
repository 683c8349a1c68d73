#include "csd/evaluation/phase_diagram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "common.h"
#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/init/initial_conditions.h"
#include "csd/io/csv.h"
#include "csd/io/fs.h"
#include "csd/physics/solver.h"
#include "csd/physics/stability.h"

namespace csd::evaluation {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Lowest η shown by the spinodal line: the paper's training range ends at 1.2 %.
constexpr double kSpinodalEtaMin = 0.012;
constexpr int kSpinodalSamples = 200;

double grid_value(const std::array<double, 2>& range, int i, int points) {
  if (points == 1) return range[0];
  return range[0] + (range[1] - range[0]) * i / (points - 1);
}

/// Class of one n×n frame; `range` receives max φ − min φ (NaN when diverged).
PhaseClass classify_frame(const float* phi, int n, double threshold, double& range) {
  const std::size_t count = static_cast<std::size_t>(n) * n;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = phi[i];
    if (!std::isfinite(v)) {
      range = kNaN;
      return PhaseClass::kDiverged;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  range = hi - lo;
  return analysis::is_single_phase(phi, n, threshold) ? PhaseClass::kSingle
                                                      : PhaseClass::kSeparated;
}

std::size_t frame_count(int n) { return static_cast<std::size_t>(n) * n; }

Json counts_json(const std::vector<PointOutcome>& points, bool solver) {
  int single = 0, separated = 0, diverged = 0;
  for (const PointOutcome& p : points) {
    const PhaseClass c = solver ? p.solver : p.surrogate;
    single += c == PhaseClass::kSingle;
    separated += c == PhaseClass::kSeparated;
    diverged += c == PhaseClass::kDiverged;
  }
  return {{"single", single}, {"separated", separated}, {"diverged", diverged}};
}

/// The index a user finds the point under in its source (PhasePoint::index).
long source_index(const PointOutcome& p, std::size_t position) {
  return p.point.index >= 0 ? p.point.index : static_cast<long>(position);
}

Json point_json(const PointOutcome& p, int index, bool has_solver) {
  Json j{{"index", source_index(p, static_cast<std::size_t>(index))},
         {"mean_phi", p.point.mean_phi},
         {"eta", p.point.eta},
         {"surrogate", phase_class_name(p.surrogate)},
         {"surrogate_range", detail::number_or_null(p.surrogate_range)}};
  if (has_solver) {
    j["solver"] = phase_class_name(p.solver);
    j["solver_range"] = detail::number_or_null(p.solver_range);
  }
  return j;
}

Json spinodal_json(const PhaseDiagramResult& r, const physics::Params& params) {
  double eta_max = kSpinodalEtaMin;
  for (const PointOutcome& p : r.points) eta_max = std::max(eta_max, 1.1 * p.point.eta);
  const analysis::SpinodalCurve curve = analysis::spinodal_curve(params, eta_max, kSpinodalSamples);
  return {{"eta", curve.eta}, {"phi_minus", curve.phi_minus}, {"phi_plus", curve.phi_plus}};
}

void write_points_csv(const std::string& path, const PhaseDiagramResult& r) {
  io::CsvWriter csv(path, {"index", "mean_phi", "eta", "amplitude", "seed", "surrogate_range",
                           "surrogate_class", "solver_range", "solver_class", "agree",
                           "linearly_unstable"});
  using io::CsvWriter;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const PointOutcome& p = r.points[i];
    const bool comparable = r.has_solver && p.surrogate != PhaseClass::kDiverged &&
                            p.solver != PhaseClass::kDiverged;
    csv.row_cells({CsvWriter::cell(source_index(p, i)), CsvWriter::cell(p.point.mean_phi),
                   CsvWriter::cell(p.point.eta), CsvWriter::cell(p.point.amplitude),
                   CsvWriter::cell(p.point.seed), CsvWriter::cell(p.surrogate_range),
                   phase_class_name(p.surrogate),
                   r.has_solver ? CsvWriter::cell(p.solver_range) : std::string(),
                   r.has_solver ? phase_class_name(p.solver) : "",
                   comparable ? CsvWriter::cell(p.agrees ? 1 : 0) : std::string(),
                   CsvWriter::cell(p.linearly_unstable ? 1 : 0)});
  }
  csv.close();
}

}  // namespace

void PhaseGridOptions::validate() const {
  require(phi_range[0] <= phi_range[1], "phi range must be [low, high] with low <= high");
  require(eta_range[0] <= eta_range[1], "eta range must be [low, high] with low <= high");
  for (double phi : phi_range)
    require(std::isfinite(phi) && phi > 0.0 && phi < 1.0,
            "phi range " + std::to_string(phi) + " is outside (0, 1): ⟨φ⟩ is a composition");
  for (double eta : eta_range)
    require(std::isfinite(eta) && eta >= 0.0 && eta <= physics::kMaxEta,
            "eta range " + std::to_string(eta) +
                " is outside [0, 0.05] (η is a fraction: 0.006 means 0.6 %)");
  require(phi_points >= 1 && eta_points >= 1, "phi_points and eta_points must be >= 1");
  require(std::isfinite(amplitude) && amplitude >= 0.0 && amplitude <= 1.0,
          "amplitude must be in [0, 1] (peak deviation from ⟨φ⟩)");
  require(std::isfinite(feature_size) && feature_size > 0.0, "feature_size must be > 0 pixels");
}

std::vector<PhasePoint> phase_grid(const PhaseGridOptions& o) {
  o.validate();
  std::vector<PhasePoint> points;
  points.reserve(static_cast<std::size_t>(o.phi_points) * o.eta_points);
  for (int ie = 0; ie < o.eta_points; ++ie) {
    for (int ip = 0; ip < o.phi_points; ++ip) {
      PhasePoint p;
      p.mean_phi = grid_value(o.phi_range, ip, o.phi_points);
      p.eta = grid_value(o.eta_range, ie, o.eta_points);
      p.amplitude = o.amplitude;
      p.seed = init::sequence_seed(o.seed, points.size());
      points.push_back(p);
    }
  }
  return points;
}

Field phase_point_field(const PhasePoint& point, int n, double feature_size) {
  init::SyntheticField spec;
  spec.mean_phi = point.mean_phi;
  spec.amplitude = point.amplitude;
  spec.feature_size = feature_size;
  spec.seed = point.seed;
  return init::synthetic_field(n, spec);
}

std::vector<float> run_solver_points(const std::vector<PhasePoint>& points, int n,
                                     const physics::Params& params, int frame,
                                     double feature_size, int threads) {
  require(frame >= 0, "the classified frame must be >= 0");
  std::vector<float> finals(points.size() * frame_count(n));
  Progress progress("phase diagram: solver frames", static_cast<long>(points.size()) * frame);
  detail::parallel_for(
      static_cast<int>(points.size()), threads, [] { return 0; },
      [&](int i, int) {
        physics::Solver solver(phase_point_field(points[i], n, feature_size), points[i].eta,
                               params);
        for (int f = 0; f < frame; ++f) {
          solver.advance_frame();
          progress.add();
        }
        Eigen::Map<FieldF>(finals.data() + i * frame_count(n), n, n) = solver.phi().cast<float>();
      });
  return finals;
}

const char* phase_class_name(PhaseClass c) {
  switch (c) {
    case PhaseClass::kSingle: return "single";
    case PhaseClass::kSeparated: return "separated";
    case PhaseClass::kDiverged: return "diverged";
  }
  return "?";
}

PhaseDiagramResult classify_points(const std::vector<PhasePoint>& points,
                                   const std::vector<float>& surrogate_frames,
                                   const std::vector<float>& solver_frames, int n,
                                   double threshold, const physics::Params& params) {
  require(n > 0, "grid size must be positive");
  require(std::isfinite(threshold) && threshold > 0, "the single-phase threshold must be > 0");
  const std::size_t expected = points.size() * frame_count(n);
  require(surrogate_frames.size() == expected,
          "classify_points: " + std::to_string(surrogate_frames.size()) +
              " surrogate values for " + std::to_string(points.size()) + " frames of " +
              std::to_string(n) + "²");
  require(solver_frames.empty() || solver_frames.size() == expected,
          "classify_points: " + std::to_string(solver_frames.size()) + " solver values for " +
              std::to_string(points.size()) + " frames of " + std::to_string(n) + "²");

  PhaseDiagramResult r;
  r.threshold = threshold;
  r.has_solver = !solver_frames.empty();
  int theory_matches = 0, theory_total = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    PointOutcome p;
    p.point = points[i];
    p.linearly_unstable = physics::is_unstable(p.point.mean_phi, p.point.eta, params);
    p.surrogate = classify_frame(surrogate_frames.data() + i * frame_count(n), n, threshold,
                                 p.surrogate_range);
    r.surrogate_diverged += p.surrogate == PhaseClass::kDiverged;
    if (p.surrogate != PhaseClass::kDiverged) {
      ++theory_total;
      theory_matches += (p.surrogate == PhaseClass::kSeparated) == p.linearly_unstable;
    }
    if (r.has_solver) {
      p.solver = classify_frame(solver_frames.data() + i * frame_count(n), n, threshold,
                                p.solver_range);
      r.solver_diverged += p.solver == PhaseClass::kDiverged;
      if (p.surrogate != PhaseClass::kDiverged && p.solver != PhaseClass::kDiverged) {
        p.agrees = p.surrogate == p.solver;
        r.confusion.add(p.surrogate == PhaseClass::kSeparated,
                        p.solver == PhaseClass::kSeparated);
        if (!p.agrees) r.disagreements.push_back(static_cast<int>(i));
      }
    } else {
      p.solver_range = kNaN;
    }
    r.points.push_back(p);
  }
  r.linear_theory_agreement_percent =
      theory_total > 0 ? 100.0 * theory_matches / theory_total : kNaN;
  return r;
}

void write_phase_diagram(const PhaseDiagramResult& r, const PhaseDiagramOutput& output) {
  require(!output.out.empty(), "no output directory: pass --out DIR");
  io::ensure_directory(output.out);
  write_points_csv(output.out + "/points.csv", r);

  Json j;
  j["kind"] = "phase_diagram";
  j["source"] = output.source;
  j["frame"] = output.frame;
  j["time"] = output.frame * output.physics.frame_time();
  j["threshold"] = r.threshold;
  j["points"] = r.points.size();
  j["has_solver"] = r.has_solver;
  j["surrogate_counts"] = counts_json(r.points, false);
  j["linear_theory_agreement_percent"] = detail::number_or_null(r.linear_theory_agreement_percent);
  if (r.has_solver) {
    j["solver_counts"] = counts_json(r.points, true);
    j["confusion"] = {{"both_single", r.confusion.both_single},
                      {"both_separated", r.confusion.both_separated},
                      {"surrogate_only_separated", r.confusion.surrogate_only_separated},
                      {"solver_only_separated", r.confusion.solver_only_separated},
                      {"total", r.confusion.total()},
                      {"agreements", r.confusion.agreements()}};
    j["agreement_percent"] = detail::number_or_null(r.confusion.agreement_percent());
    Json disagreements = Json::array();
    for (int i : r.disagreements) disagreements.push_back(point_json(r.points[i], i, true));
    j["disagreements"] = disagreements;
  }
  j["spinodal"] = spinodal_json(r, output.physics);
  j["physics"] = output.physics.to_json();
  j["config"] = output.config;
  io::atomic_write_text(output.out + "/summary.json", j.dump(2) + "\n");
}

}  // namespace csd::evaluation
