// Single fields in any HDF5 file: read_field and write_float_dataset
// (contract in include/csd/io/dataset.h).
#include <cmath>

#include "csd/core/error.h"
#include "csd/core/finite.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "dataset_schema.h"
#include "hdf5_wrap.h"

namespace csd::io {
namespace {

/// Throws naming the first non-finite pixel of an N×N frame.
void require_finite(const std::vector<float>& values, int n, const std::string& path,
                    const std::string& dataset) {
  const auto bad = first_non_finite(values.data(), values.size(), n);
  if (!bad) return;
  throw Error("'" + path + "': dataset '" + dataset + "' contains " + bad->where() +
              "; the field must be finite (was it written completely?)");
}

/// Start and count of the N×N frame selected by (index, frame) in a rank-2/3/4 dataset.
void select_frame(const std::vector<hsize_t>& dims, int index, int frame, const std::string& path,
                  std::vector<hsize_t>* start, std::vector<hsize_t>* count) {
  const size_t rank = dims.size();
  start->assign(rank, 0);
  count->assign(rank, 1);
  (*count)[rank - 1] = dims[rank - 1];
  (*count)[rank - 2] = dims[rank - 2];
  if (rank == 4) {
    schema::require_index(index, dims[0], "sequence index", path);
    (*start)[0] = static_cast<hsize_t>(index);
  }
  if (rank >= 3) {
    schema::require_index(frame, dims[rank - 3], "frame", path);
    (*start)[rank - 3] = static_cast<hsize_t>(frame);
  }
}

}  // namespace

std::vector<float> read_field(const std::string& path, const std::string& dataset, int index,
                              int frame, int* size_out) {
  const h5::Lock lock;
  const h5::Handle file = h5::open_existing_for_reading(path);
  const h5::Handle set = h5::open_required_dataset(file.get(), dataset, path, "");
  const auto dims = h5::dims_of(set.get(), path);
  const std::string name = "'" + path + "': dataset '" + dataset + "'";
  require(dims.size() >= 2 && dims.size() <= 4, name + " has shape " + h5::shape_string(dims) +
                                                    "; expected [N, N], [T, N, N] or [S, T, N, N]");
  const hsize_t n = dims.back();
  require(dims[dims.size() - 2] == n && n > 0,
          name + " has non-square frames " + h5::shape_string(dims) + "; expected N x N");
  const H5T_class_t type = h5::type_class_of(set.get(), path);
  require(type == H5T_FLOAT || type == H5T_INTEGER, name + " does not hold numbers");
  std::vector<hsize_t> start, count;
  select_frame(dims, index, frame, path, &start, &count);
  std::vector<float> field(static_cast<size_t>(n * n));
  h5::read_block(set.get(), start, count, H5T_NATIVE_FLOAT, field.data(), path,
                 "dataset '" + dataset + "'");
  require_finite(field, static_cast<int>(n), path, dataset);
  if (size_out) *size_out = static_cast<int>(n);
  return field;
}

void write_float_dataset(const std::string& path, const std::string& name,
                         const std::vector<float>& values, const std::vector<int>& dims) {
  require(!dims.empty(), "write_float_dataset: '" + name + "' needs at least one dimension");
  std::vector<hsize_t> shape;
  size_t total = 1;
  for (int d : dims) {
    require(d >= 0, "write_float_dataset: '" + name + "' has a negative dimension");
    shape.push_back(static_cast<hsize_t>(d));
    total *= static_cast<size_t>(d);
  }
  require(values.size() == total, "write_float_dataset: '" + name + "' has " +
                                      std::to_string(values.size()) + " values for shape " +
                                      h5::shape_string(shape));
  const h5::Lock lock;
  const bool exists = file_exists(path);
  require(!exists || h5::is_hdf5(path), "'" + path + "' exists and is not an HDF5 file");
  if (!exists) require_writable_parent(path);
  const h5::Handle file = exists ? h5::open_file(path, true) : h5::create_file(path);
  require(!h5::link_exists(file.get(), name),
          "'" + path + "' already has a dataset '" + name + "'");
  h5::DatasetSpec spec{H5T_IEEE_F32LE, shape, {}, 0, {}};
  if (total == 0) {  // an empty array (e.g. a dataset with no sequences): contiguous, no data
    h5::create_dataset(file.get(), name, spec, path);
    return;
  }
  if (shape.size() >= 2) {
    spec.chunk.assign(shape.size(), 1);
    spec.chunk[shape.size() - 1] = shape.back();
    spec.chunk[shape.size() - 2] = shape[shape.size() - 2];
    spec.deflate_level = schema::kDeflateLevel;
  }
  const h5::Handle set = h5::create_dataset(file.get(), name, spec, path);
  h5::write_block(set.get(), std::vector<hsize_t>(shape.size(), 0), shape, H5T_NATIVE_FLOAT,
                  values.data(), path, "dataset '" + name + "'");
}

}  // namespace csd::io
