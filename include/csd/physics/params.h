#pragma once
/// Physical and numerical parameters of the phase-field model (paper Sec. 2.1–2.2).
/// Lengths in units of the grid spacing h (default 1), time in units of 1/M.
/// JSON section "physics"; keys equal member names (docs/architecture.md §2, "Options").
#include <string>
#include <vector>

#include "csd/core/json_config.h"

namespace csd::physics {

struct Params {
  double grid_spacing = 1.0;  ///< h, distance between collocation points
  double epsilon = 5.0;       ///< ε, gradient coefficient and interface width
  double mobility = 1.0;      ///< M
  double dt = 0.01;           ///< δt, time step of Eq. 8
  int steps_per_frame = 100;  ///< steps per stored frame τ
  double c11 = 3.0e4;         ///< cubic elastic constants (energy units of w)
  double c12 = 1.5e4;
  double c44 = 3.0e4;

  /// Throws csd::Error naming the bad key when a value is non-physical.
  void validate() const;
  /// Frame duration τ = dt · steps_per_frame.
  double frame_time() const { return dt * steps_per_frame; }

  Json to_json() const;
  /// Reads the keys present in `physics_section` (unknown keys are an error).
  static Params from_json(const Json& physics_section);
};

/// One entry per physics key whose values differ, e.g. "steps_per_frame 50 (model) vs
/// 100 (data)"; empty when every key is equal.
std::vector<std::string> differences(const Params& a, const std::string& a_label,
                                     const Params& b, const std::string& b_label);

/// A model or dataset of one physics judged against another is silently wrong (a τ = 50
/// model on τ = 100 data looks 3× worse than it is). Throws csd::Error naming every
/// differing key and both values, unless `allow` (allow_physics_mismatch,
/// --allow-physics-mismatch), which logs the same text as one warning. `what` says
/// what was about to happen, e.g. "evaluating the surrogate on 'test.h5'".
void require_same_physics(const Params& a, const std::string& a_label, const Params& b,
                          const std::string& b_label, bool allow, const std::string& what);

/// The paper's range of misfit η (fraction): [0, 0.05] accepted, [0, 0.012] trained.
inline constexpr double kMaxEta = 0.05;

}  // namespace csd::physics
