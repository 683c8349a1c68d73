#pragma once
// compare's per-frame work (private to csd_evaluation): one frame pair's errors and both
// fields' descriptors, and the columns they are reported in (include/csd/evaluation/compare.h).
#include <vector>

#include "common.h"
#include "csd/analysis/near_grid.h"
#include "csd/physics/params.h"
#include "ensemble_table.h"

namespace csd::evaluation::detail {

/// One frame of one sequence: the pair's errors and each side's descriptors.
struct PairRecord {
  double mae = 0;
  double mae_persistence = 0;  ///< ⟨|φ_B(t) − φ_B(0)|⟩: the "nothing changes" prediction
  double interface_error = 0;  ///< signed (ℓ_A − ℓ_B) / ℓ_B
  double near_grid_rms_a = 0, near_grid_rms_b = 0;
  // Pixel counts add up exactly over frames and sequences (summary.json); the tables
  // report them as fractions of the frame.
  long long outside_a = 0;      ///< A's pixels outside kPhiRange
  long long far_outside_a = 0;  ///< A's pixels outside kPhiFarRange
  long long pixels = 0;         ///< N²
  double outside_fraction_a = 0, far_outside_fraction_a = 0;
  FrameRecord a, b;
};
using PairRecords = std::vector<std::vector<PairRecord>>;  // [sequence][frame]
using PairTable = FrameTable<PairRecord>;

/// Every per-frame quantity of a pair, in the column order of per_sequence.csv and
/// ensemble.csv; interface_error enters the ensemble as |·|.
const std::vector<Column<PairRecord>>& pair_columns();
/// The column of PairRecord member `member`; throws csd::Error for one it does not list.
const Column<PairRecord>& pair_column(double PairRecord::*member);
/// The column of descriptor `descriptor` of side `side` (&PairRecord::a or ::b).
const Column<PairRecord>& pair_column(FrameRecord PairRecord::*side,
                                      double FrameRecord::*descriptor);

/// What each worker thread owns: neither analyzer is thread safe.
struct FrameTools {
  FrameTools(int n, const physics::Params& physics) : descriptors(n, physics), near_grid(n) {}
  analysis::FrameAnalyzer descriptors;
  analysis::LaplacianBand near_grid;
};

/// Frame `a` of the prediction against frame `b` of the reference, whose frame 0 is
/// `initial_b`, at misfit η.
PairRecord compare_frame(const FrameTools& tools, const std::vector<float>& a,
                         const std::vector<float>& b, const std::vector<float>& initial_b,
                         double eta);

}  // namespace csd::evaluation::detail
