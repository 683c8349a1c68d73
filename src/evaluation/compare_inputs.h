#pragma once
// compare's preconditions (private to csd_evaluation; listed in
// include/csd/evaluation/compare.h): checked before any output is written.
#include <string>

#include "common.h"
#include "csd/evaluation/compare.h"

namespace csd::evaluation::detail {

/// What is compared, and how close the two inputs' η and frames 0 were.
struct Extent {
  int sequences = 0, frames = 0, size = 0;
  double initial_max_abs_diff = 0, eta_max_abs_diff = 0;
};

/// Checks every precondition on prediction `a` and reference `b` and returns what is
/// compared; throws csd::Error naming the first mismatch.
Extent check_inputs(const SharedReader& a, const SharedReader& b, const CompareOptions& options);

}  // namespace csd::evaluation::detail
