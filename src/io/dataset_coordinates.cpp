// Dimension scales and CF attributes of a dataset (contract in dataset_coordinates.h).
#include "dataset_coordinates.h"

#include <hdf5_hl.h>

#include <array>
#include <numeric>
#include <string>
#include <vector>

#include "dataset_schema.h"
#include "hdf5_wrap.h"

namespace csd::io::coordinates {
namespace {

/// What a reader is told about one variable.
struct Description {
  const char* name;
  const char* long_name;
  const char* units;  ///< nullptr: no units (indices, seeds, flags)
};

constexpr const char* kNondimensional = "1";  // CF's unit of a dimensionless number

constexpr std::array<Description, 6> kRootVariables = {{
    {schema::kPhi, "phase field phi (composition)", kNondimensional},
    {schema::kEta, "misfit strain eta (fraction)", kNondimensional},
    {schema::kMeanPhi, "mean composition <phi>", kNondimensional},
    {schema::kAmplitude, "peak amplitude of the initial fluctuations", kNondimensional},
    {schema::kSeed, "random seed of the sequence", nullptr},
    {schema::kComplete, "1 once the sequence is completely written", nullptr},
}};

// The long names of the energy terms, in schema::kEnergyTerms order.
constexpr std::array<const char*, 5> kEnergyLongNames = {
    "mean gradient energy <epsilon/2 |grad phi|^2>",
    "mean double-well energy <w>",
    "mean elastic energy <rho>",
    "free energy <f> = 2<w> + <rho> (the paper's)",
    "free energy F = gradient + <w> + <rho>",
};
static_assert(kEnergyLongNames.size() == schema::kEnergyTerms.size());

void describe(hid_t object, const Description& d, const std::string& file) {
  h5::write_string_attribute(object, "long_name", d.long_name, file);
  if (d.units != nullptr) h5::write_string_attribute(object, "units", d.units, file);
}

/// A 1D coordinate variable holding `values`, made a dimension scale named after itself
/// (netCDF's coordinate variable: its name is the dimension's name).
h5::Handle create_scale(hid_t root, const char* name, hid_t file_type, hid_t memory_type,
                        const void* values, hsize_t size, const std::string& file) {
  h5::Handle scale = h5::create_dataset(root, name, {file_type, {size}, {}, 0, {}}, file);
  h5::write_block(scale.get(), {0}, {size}, memory_type, values, file, name);
  h5::check_status(H5DSset_scale(scale.get(), name), file,
                   std::string("making '") + name + "' a dimension scale");
  return scale;
}

h5::Handle index_scale(hid_t root, const char* name, int size, const std::string& file) {
  std::vector<int> values(static_cast<size_t>(size));
  std::iota(values.begin(), values.end(), 0);
  return create_scale(root, name, H5T_STD_I32LE, H5T_NATIVE_INT, values.data(),
                      static_cast<hsize_t>(size), file);
}

/// 0, step, 2 step, … (`count` values).
std::vector<double> arithmetic(int count, double step) {
  std::vector<double> values(static_cast<size_t>(count));
  for (int k = 0; k < count; ++k) values[static_cast<size_t>(k)] = k * step;
  return values;
}

void label_position(hid_t scale, const char* axis, const char* long_name,
                    const std::string& file) {
  describe(scale, {"", long_name, kNondimensional}, file);
  h5::write_string_attribute(scale, "axis", axis, file);
}

/// Labels axis `axis` of `dataset` with `scale` (HDF5 keeps the back references).
void attach(hid_t dataset, const h5::Handle& scale, unsigned axis, const std::string& what,
            const std::string& file) {
  h5::check_status(H5DSattach_scale(dataset, scale.get(), axis), file,
                   "labelling axis " + std::to_string(axis) + " of " + what);
}

}  // namespace

void write(hid_t root, const DatasetShape& shape, const physics::Params& physics,
           const std::string& file) {
  const h5::Handle sequence = index_scale(root, kSequence, shape.sequences, file);
  h5::write_string_attribute(sequence.get(), "long_name", "sequence index", file);
  const h5::Handle frame = index_scale(root, kFrame, shape.frames, file);
  h5::write_string_attribute(frame.get(), "long_name", "frame index (snapshot j at t = j tau)",
                             file);

  const std::vector<double> positions = arithmetic(shape.size, physics.grid_spacing);
  const auto n = static_cast<hsize_t>(shape.size);
  const h5::Handle y = create_scale(root, kY, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                    positions.data(), n, file);
  const h5::Handle x = create_scale(root, kX, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                    positions.data(), n, file);
  label_position(y.get(), "Y", "y position (row index times grid_spacing)", file);
  label_position(x.get(), "X", "x position (column index times grid_spacing)", file);

  // t is not a scale: frame is the dimension, t a coordinate along it (a non-uniform
  // time axis would fit the same schema).
  const std::vector<double> times = arithmetic(shape.frames, physics.frame_time());
  const h5::Handle t = h5::create_dataset(
      root, kTime, {H5T_IEEE_F64LE, {static_cast<hsize_t>(shape.frames)}, {}, 0, {}}, file);
  h5::write_block(t.get(), {0}, {static_cast<hsize_t>(shape.frames)}, H5T_NATIVE_DOUBLE,
                  times.data(), file, kTime);
  describe(t.get(), {"", "time (frame index times steps_per_frame times dt)", kNondimensional},
           file);
  h5::write_string_attribute(t.get(), "axis", "T", file);
  attach(t.get(), frame, 0, kTime, file);

  for (const Description& d : kRootVariables) {
    const h5::Handle set = h5::open_dataset(root, d.name, file);
    describe(set.get(), d, file);
    attach(set.get(), sequence, 0, d.name, file);
  }
  const h5::Handle phi = h5::open_dataset(root, schema::kPhi, file);
  attach(phi.get(), frame, 1, schema::kPhi, file);
  attach(phi.get(), y, 2, schema::kPhi, file);
  attach(phi.get(), x, 3, schema::kPhi, file);
  h5::write_string_attribute(phi.get(), "coordinates", kTime, file);

  const h5::Handle group = h5::open_group(root, schema::kEnergyGroup, file);
  for (size_t k = 0; k < kEnergyLongNames.size(); ++k) {
    const char* name = schema::kEnergyTerms[k];
    const h5::Handle set = h5::open_dataset(group.get(), name, file);
    describe(set.get(), {name, kEnergyLongNames[k], kNondimensional}, file);
    attach(set.get(), sequence, 0, name, file);
    attach(set.get(), frame, 1, name, file);
  }
}

}  // namespace csd::io::coordinates
