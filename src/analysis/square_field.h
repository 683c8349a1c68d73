#pragma once
// Private helper of csd_analysis: the Field overloads accept only square N×N grids.
#include <string>

#include "csd/core/error.h"
#include "csd/core/field.h"

namespace csd::analysis::detail {

/// N of a square, non-empty field; throws csd::Error naming `what` otherwise.
inline int square_size(const Field& phi, const char* what) {
  require(phi.rows() > 0 && phi.rows() == phi.cols(),
          std::string(what) + ": expected a non-empty square N×N field, got " +
              std::to_string(phi.rows()) + "×" + std::to_string(phi.cols()));
  return static_cast<int>(phi.rows());
}

/// Periodic index (i + shift) mod n for |shift| < n.
inline int wrap(int i, int n) { return i < 0 ? i + n : (i >= n ? i - n : i); }

}  // namespace csd::analysis::detail
