#pragma once
/// Pixel-level and global error metrics of paper Sec. 3.1, on N×N row-major fields.
///
///   MAE                = ⟨|φ − φ̃|⟩                      mean over all pixels
///   interface length   ℓ = 2⟨w(φ)⟩,  w = 18/ε φ²(1−φ)²  (Eq. 2)
///   relative error     = |pred − ref| / |ref|
///
/// Why 2⟨w⟩: the equilibrium flat interface φ(x) = ½(1 + tanh(3x/ε)) has
/// ε/2 φ'² = w, and ∫ 2w dx = 1, so every unit of interface length carries one unit of
/// 2w. ℓ is therefore the interface length per unit area (units 1/h); multiply by the
/// area N²h² for the total length.
///
/// NaN in a field propagates to the result (quartiles() then skips it).
///
///   double err = csd::analysis::mae(pred, truth, n * n);
///   double rel = csd::analysis::relative_error(interface_length(pred, n, 5.0),
///                                               interface_length(truth, n, 5.0));
#include <cstddef>

#include "csd/core/field.h"

namespace csd::analysis {

/// Mean absolute difference of two buffers of `count` values. Throws on count == 0.
double mae(const float* a, const float* b, std::size_t count);
/// Same for two fields of equal shape (throws csd::Error on a shape mismatch).
double mae(const Field& a, const Field& b);

/// Interface length per unit area 2⟨w(φ)⟩ of an n×n field (ε in grid units).
double interface_length(const float* phi, int n, double epsilon);
double interface_length(const Field& phi, double epsilon);

/// |pred − ref| / |ref|; NaN when ref == 0 (undefined, skipped by quartiles()).
double relative_error(double pred, double ref);

/// Number of the `count` values outside [lo, hi]; NaN counts as outside (it is not a
/// concentration either). φ leaving [0, 1] far is a sign of an unphysical prediction.
std::size_t count_outside(const float* phi, std::size_t count, double lo, double hi);

}  // namespace csd::analysis
