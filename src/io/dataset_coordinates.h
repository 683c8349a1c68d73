#pragma once
/// Internal to src/io: the labelled view of a dataset (schema version 2,
/// docs/architecture.md §4) that netCDF readers such as xarray's h5netcdf engine see.
///
/// HDF5 dimension scales name every axis: `sequence` [S], `frame` [T], `y` [N], `x` [N],
/// each a coordinate variable holding its values (indices for sequence and frame, positions
/// j·h for y and x). `t` [frame] is the physical time j·τ of frame j, an auxiliary
/// coordinate of /phi (CF attribute `coordinates`). Every variable carries CF `long_name`
/// and, where it has one, `units` ("1": csd's quantities are all nondimensional).
#include <hdf5.h>

#include <string>

#include "csd/io/dataset.h"

namespace csd::io::coordinates {

inline constexpr const char* kSequence = "sequence";
inline constexpr const char* kFrame = "frame";
inline constexpr const char* kTime = "t";
inline constexpr const char* kY = "y";
inline constexpr const char* kX = "x";

/// Creates the coordinate variables in `root` and attaches them to every dataset the
/// writer created (/phi, the per-sequence arrays, /energy/*), with their attributes.
/// Called once on a new file, after its datasets exist and before any data is written.
void write(hid_t root, const DatasetShape& shape, const physics::Params& physics,
           const std::string& file);

}  // namespace csd::io::coordinates
