#pragma once
/// A scalar field on the N×N periodic grid: row-major (y, x), double precision.
/// Row-major so that `data()` is the layout FFTW and HDF5 expect.
#include <Eigen/Core>
#include <cstddef>

namespace csd {

using Field = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using FieldF = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// True when every value of the field is finite (no NaN, no Inf).
inline bool all_finite(const Field& f) { return f.isFinite().all(); }

}  // namespace csd
