#pragma once
// compare's ensemble figures and summary.json (private to csd_evaluation; the figures are
// described in include/csd/evaluation/compare.h).
#include <utility>
#include <vector>

#include "coarsening.h"
#include "common.h"
#include "compare_frames.h"
#include "compare_inputs.h"
#include "csd/evaluation/compare.h"

namespace csd::evaluation::detail {

/// (multiple, frame) for the frames H, 5H, 10H among the `frames` compared (none for
/// H = 0).
std::vector<std::pair<int, int>> horizon_frames(int frames, int horizon);

/// Fills the figures of `summary`: at the headline frame (if compared), at the last frame,
/// at H, 5H, 10H, and A's φ range.
void add_figures(CompareSummary& summary, const PairTable& table, const Extent& extent,
                 const CompareOptions& options);

/// Both sides' growth fits, kept whole for summary.json (reasons, per-sequence spread).
struct Coarsening {
  FitWindow window;
  GrowthFit a, b;
};

/// Fits L ∝ t^n to each side's ensemble median L(t) over `window`, and takes L_A / L_B
/// and ⟨f⟩ at H, 5H, 10H and the last frame; fills summary.coarsening.
Coarsening add_coarsening(CompareSummary& summary, const PairTable& table, const Extent& extent,
                          const CompareOptions& options, const FitWindow& window);

/// summary.json of a comparison whose figures are in `summary`.
Json summary_json(const CompareOptions& options, const SharedReader& a, const SharedReader& b,
                  const Extent& extent, const PairTable& table, const CompareSummary& summary,
                  const Coarsening& coarsening, const std::vector<int>& structure_frames);

}  // namespace csd::evaluation::detail
