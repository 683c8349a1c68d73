#pragma once
/// Locating the first NaN or Inf in N×N fields stored back to back (row-major), so that
/// messages name the field and the pixel instead of a flat index.
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>

namespace csd {

struct NonFinite {
  std::size_t field = 0;  ///< which N×N field (0-based)
  std::size_t x = 0, y = 0;  ///< column and row of the pixel
  bool nan = true;        ///< NaN (else ±Inf)
  /// "NaN at pixel (x, y)", x the column and y the row, e.g. "Inf at pixel (3, 2)".
  std::string where() const {
    return std::string(nan ? "NaN" : "Inf") + " at pixel (" + std::to_string(x) + ", " +
           std::to_string(y) + ")";
  }
};

template <class T>
std::optional<NonFinite> first_non_finite(const T* values, std::size_t count, int n) {
  const std::size_t frame = static_cast<std::size_t>(n) * n;
  for (std::size_t k = 0; k < count; ++k) {
    if (std::isfinite(values[k])) continue;
    const std::size_t pixel = k % frame;
    return NonFinite{k / frame, pixel % n, pixel / n, std::isnan(values[k])};
  }
  return std::nullopt;
}

}  // namespace csd
