#pragma once
/// Phase diagram from a surrogate (paper Sec. 3.4, Fig. 8a): for points (⟨φ⟩, η), is the
/// frame at t = F·τ single phase (max φ − min φ < threshold, 0.05 in the paper) or
/// phase separated? The surrogate's classes are compared with the solver's when solver
/// frames are given, and the analytic spinodal line (Eq. 9) is written for the plot.
///
/// This module never runs a neural network (it stays LibTorch-free): the caller rolls
/// the surrogate out and passes the final frames. The solver side can be run here with
/// run_solver_points().
///
/// A frame holding NaN/Inf (a diverged run) is classed "diverged", is left out of the
/// confusion table and is counted separately.
///
///   auto points = csd::evaluation::phase_grid(grid);            // or from a dataset
///   std::vector<float> nn = ...;  // points.size()·N·N, the surrogate's frames at F
///   std::vector<float> pf = csd::evaluation::run_solver_points(points, 128, {}, 100);
///   auto result = csd::evaluation::classify_points(points, nn, pf, 128, 0.05);
///   csd::evaluation::write_phase_diagram(result, {"phase", {}, 100, "", {}});
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "csd/analysis/phase.h"
#include "csd/core/field.h"
#include "csd/core/json_config.h"
#include "csd/physics/params.h"

namespace csd::evaluation {

struct PhasePoint {
  double mean_phi = 0.5;    ///< ⟨φ⟩
  double eta = 0.0;         ///< misfit (fraction)
  double amplitude = 0.1;   ///< peak initial fluctuation (grid points only)
  std::uint64_t seed = 0;   ///< seed of the initial Perlin field (grid points only)
  /// The point's index in its source: the dataset's sequence index (--data, where
  /// incomplete sequences are left out) or the grid position; -1 = its position here.
  int index = -1;
};

/// A regular grid of (⟨φ⟩, η) points, ⟨φ⟩ varying fastest.
struct PhaseGridOptions {
  std::array<double, 2> phi_range{0.15, 0.85};
  std::array<double, 2> eta_range{0.0, 0.012};
  int phi_points = 15;
  int eta_points = 13;
  double amplitude = 0.1;     ///< same peak fluctuation for every point
  double feature_size = 16.0; ///< Perlin lattice cell size in pixels
  std::uint64_t seed = 0;     ///< point i uses init::sequence_seed(seed, i)

  void validate() const;
};

/// phi_points × eta_points points; a single point in a direction sits at the lower bound.
/// Throws csd::Error on an empty or reversed range, ⟨φ⟩ outside (0, 1) or η outside
/// [0, physics::kMaxEta].
std::vector<PhasePoint> phase_grid(const PhaseGridOptions& options);

/// The Perlin initial field of a grid point (init::perlin_field with the point's ⟨φ⟩,
/// amplitude and seed).
Field phase_point_field(const PhasePoint& point, int n, double feature_size);

/// Runs the solver from each point's Perlin field for `frame` frames and returns the
/// final frames (points.size()·n·n float32). Parallel over points (threads 0 = all cores).
std::vector<float> run_solver_points(const std::vector<PhasePoint>& points, int n,
                                     const physics::Params& params, int frame,
                                     double feature_size, int threads = 0);

enum class PhaseClass { kSingle, kSeparated, kDiverged };
/// "single", "separated", "diverged".
const char* phase_class_name(PhaseClass c);

struct PointOutcome {
  PhasePoint point;
  double surrogate_range = 0;  ///< max φ − min φ (NaN when diverged)
  PhaseClass surrogate = PhaseClass::kSingle;
  double solver_range = 0;     ///< only meaningful when has_solver
  PhaseClass solver = PhaseClass::kSingle;
  bool linearly_unstable = false;  ///< Eq. 9 at (⟨φ⟩, η)
  /// Surrogate and solver agree (false when either diverged or there is no solver).
  bool agrees = false;
};

struct PhaseDiagramResult {
  double threshold = analysis::kSinglePhaseThreshold;
  bool has_solver = false;
  std::vector<PointOutcome> points;
  analysis::Confusion confusion;  ///< surrogate vs solver, diverged points left out
  int surrogate_diverged = 0, solver_diverged = 0;
  /// Share of surrogate classes equal to the linear-stability prediction of Eq. 9 (the
  /// paper notes that the initial amplitude blurs this boundary; for orientation only).
  double linear_theory_agreement_percent = 0;
  std::vector<int> disagreements;  ///< indices of points where surrogate ≠ solver
};

/// Classifies each point's final frame. `surrogate_frames` holds points.size()·n·n
/// values; `solver_frames` the same, or is empty (no solver comparison). Throws
/// csd::Error on wrong buffer sizes or a threshold ≤ 0.
PhaseDiagramResult classify_points(const std::vector<PhasePoint>& points,
                                   const std::vector<float>& surrogate_frames,
                                   const std::vector<float>& solver_frames, int n,
                                   double threshold, const physics::Params& params = {});

struct PhaseDiagramOutput {
  std::string out;          ///< directory (created if needed)
  physics::Params physics;  ///< for the spinodal line
  int frame = 100;          ///< frame F that was classified (recorded)
  std::string source;       ///< "grid" or the dataset path (recorded)
  Json config = Json::object();  ///< effective config, stored in summary.json
};

/// Writes <out>/points.csv (index, mean_phi, eta, amplitude, seed, surrogate_range,
/// surrogate_class, solver_range, solver_class, agree, linearly_unstable) and
/// <out>/summary.json (counts, confusion, agreement, disagreeing points, the spinodal
/// line sampled by analysis::spinodal_curve up to 1.1 × the largest η, at least 0.012).
void write_phase_diagram(const PhaseDiagramResult& result, const PhaseDiagramOutput& output);

}  // namespace csd::evaluation
