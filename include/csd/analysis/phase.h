#pragma once
/// Phase-diagram classification (paper Sec. 3.4, Fig. 8a).
///
/// A frame is single phase when its composition range is small:
///   max φ − min φ < threshold   (the paper's threshold is 0.05, at t = 100τ).
/// Surrogate and solver frames of the same (⟨φ⟩, η) are classified alike and tallied
/// in a Confusion table; the agreement is the share of matching outcomes.
/// The analytic spinodal line of Eq. 9, ⟨φ⟩±(η), is sampled for plotting.
///
///   Confusion c;
///   for (...) c.add(!is_single_phase(nn, n), !is_single_phase(pf, n));
///   double pct = c.agreement_percent();
#include <vector>

#include "csd/core/field.h"
#include "csd/physics/params.h"

namespace csd::analysis {

inline constexpr double kSinglePhaseThreshold = 0.05;

/// max φ − min φ < threshold. Throws csd::Error on NaN/Inf values (a diverged run
/// must not be counted as either phase) or n ≤ 0.
bool is_single_phase(const float* phi, int n, double threshold = kSinglePhaseThreshold);
bool is_single_phase(const Field& phi, double threshold = kSinglePhaseThreshold);

/// Tally of surrogate-vs-solver outcomes.
struct Confusion {
  int both_single = 0;
  int both_separated = 0;
  int surrogate_only_separated = 0;  ///< surrogate separated, solver single phase
  int solver_only_separated = 0;     ///< solver separated, surrogate single phase

  void add(bool surrogate_separated, bool solver_separated);
  int total() const;
  int agreements() const { return both_single + both_separated; }
  /// 100 · agreements / total; NaN for an empty table.
  double agreement_percent() const;
};

/// Samples of the spinodal line: for eta[i], compositions with ⟨φ⟩ in
/// (phi_minus[i], phi_plus[i]) are linearly unstable. Plot phi_minus against eta and
/// phi_plus against eta (together a dome closing at its apex).
struct SpinodalCurve {
  std::vector<double> eta, phi_minus, phi_plus;
};

/// `points` equally spaced η in [0, eta_max], keeping those where an unstable range
/// exists; if the dome closes inside the range, its apex (φ− = φ+) is appended,
/// located by bisection. Throws csd::Error when eta_max < 0 or points < 2.
SpinodalCurve spinodal_curve(const physics::Params& params, double eta_max, int points);

}  // namespace csd::analysis
