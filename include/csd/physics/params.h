#pragma once
/// Physical and numerical parameters of the phase-field model (paper Sec. 2.1–2.2).
/// Lengths in units of the grid spacing h (default 1), time in units of 1/M.
/// JSON section "physics"; keys equal member names (DESIGN.md §7).
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

/// The paper's range of misfit η (fraction): [0, 0.05] accepted, [0, 0.012] trained.
inline constexpr double kMaxEta = 0.05;

}  // namespace csd::physics
