// DatasetReader: schema validation and hyperslab reads
// (contract in include/csd/io/dataset.h).
#include <cmath>
#include <limits>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "dataset_schema.h"
#include "hdf5_wrap.h"

namespace csd::io {
namespace {

hsize_t h(int value) { return static_cast<hsize_t>(value); }

void require_dims(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& expected,
                  const std::string& name, const std::string& path,
                  const std::string& expected_text) {
  require(dims == expected, "'" + path + "': dataset '" + name + "' has shape " +
                                h5::shape_string(dims) + ", expected " + expected_text + " " +
                                h5::shape_string(expected));
}

}  // namespace

struct DatasetReader::Impl {
  std::string path;
  DatasetInfo info;
  bool is_csd = false;
  int schema_version = 0;  ///< 0 for foreign files; 1 for csd files without the attribute
  h5::Handle file, phi, eta, mean_phi, amplitude, seed, complete;
  std::array<h5::Handle, 5> energy;
  bool has_energies = false;

  explicit Impl(const std::string& p) : path(p) {
    file = h5::open_existing_for_reading(path);
    read_format();
    open_phi();
    open_optional_arrays();
    open_energies();
    read_attributes();
  }

  void read_format() {
    const hid_t root = file.get();
    if (!h5::has_attribute(root, schema::kFormatAttr)) return;  // a foreign file
    const std::string format = h5::read_string_attribute(root, schema::kFormatAttr, path);
    require(format == kDatasetFormat,
            "'" + path + "' has format '" + format + "', expected '" + kDatasetFormat + "'");
    is_csd = true;
    schema_version = 1;  // the first files carried no version attribute
    if (h5::has_attribute(root, schema::kVersionAttr)) {
      const auto version = h5::read_int_attribute(root, schema::kVersionAttr, path);
      require(version <= kDatasetVersion, "'" + path + "' is a csd dataset of version " +
                                              std::to_string(version) +
                                              ", newer than this build reads (" +
                                              std::to_string(kDatasetVersion) + "); update csd");
      schema_version = static_cast<int>(version);
    }
  }

  void open_phi() {
    phi = h5::open_required_dataset(file.get(), schema::kPhi, path,
                                    "a dataset needs /phi float [S, T, N, N]");
    const auto dims = h5::dims_of(phi.get(), path);
    require(dims.size() == 4 && dims[2] == dims[3] && dims[2] > 0,
            "'" + path + "': dataset 'phi' has shape " + h5::shape_string(dims) +
                ", expected [S, T, N, N] with square N x N frames");
    require(h5::type_class_of(phi.get(), path) == H5T_FLOAT,
            "'" + path + "': dataset 'phi' must hold floating-point values");
    info.shape = {static_cast<int>(dims[0]), static_cast<int>(dims[1]), static_cast<int>(dims[2])};
  }

  /// Opens a per-sequence array [S]; `required` arrays must exist.
  h5::Handle open_per_sequence(const char* name, bool required) {
    if (!required && !h5::link_exists(file.get(), name)) return {};
    h5::Handle set = h5::open_required_dataset(file.get(), name, path, "a dataset needs /eta [S]");
    require_dims(h5::dims_of(set.get(), path), {h(info.shape.sequences)}, name, path, "[S] =");
    return set;
  }

  void open_optional_arrays() {
    eta = open_per_sequence(schema::kEta, true);
    mean_phi = open_per_sequence(schema::kMeanPhi, false);
    amplitude = open_per_sequence(schema::kAmplitude, false);
    seed = open_per_sequence(schema::kSeed, false);
    complete = open_per_sequence(schema::kComplete, false);
  }

  void open_energies() {
    if (!h5::link_exists(file.get(), schema::kEnergyGroup)) return;
    const h5::Handle group = h5::open_group(file.get(), schema::kEnergyGroup, path);
    const std::vector<hsize_t> expected = {h(info.shape.sequences), h(info.shape.frames)};
    for (size_t k = 0; k < energy.size(); ++k) {
      const std::string name = std::string(schema::kEnergyGroup) + "/" + schema::kEnergyTerms[k];
      energy[k] = h5::open_required_dataset(group.get(), schema::kEnergyTerms[k], path,
                                            "/energy must hold grad, w, rho, f and total");
      require_dims(h5::dims_of(energy[k].get(), path), expected, name, path, "[S, T] =");
    }
    has_energies = true;
  }

  void read_attributes() {
    const hid_t root = file.get();
    auto text = [&](const char* name, const std::string& fallback) {
      return h5::has_attribute(root, name) ? h5::read_string_attribute(root, name, path) : fallback;
    };
    info.config_json = text(schema::kConfigAttr, "{}");
    info.csd_version = text(schema::kCsdVersionAttr, "");
    info.source = text(schema::kSourceAttr, is_csd ? "solver" : "foreign");
    for (const auto& attribute : schema::kPhysicsAttributes)
      if (h5::has_attribute(root, attribute.name))
        info.physics.*attribute.member = h5::read_double_attribute(root, attribute.name, path);
    if (h5::has_attribute(root, schema::kStepsPerFrameAttr))
      info.physics.steps_per_frame =
          static_cast<int>(h5::read_int_attribute(root, schema::kStepsPerFrameAttr, path));
    if (h5::has_attribute(root, schema::kNoiseAttr))
      info.noise = h5::read_double_attribute(root, schema::kNoiseAttr, path);
    info.shard = schema::read_shard(root, path);
  }

  std::vector<float> frames(int sequence, int first, int count) const {
    const DatasetShape& s = info.shape;
    schema::require_index(sequence, h(s.sequences), "sequence", path);
    require(count >= 1 && first >= 0 && first + count <= s.frames,
            "'" + path + "': frames [" + std::to_string(first) + ", " +
                std::to_string(first + count) + ") are outside [0, " + std::to_string(s.frames) +
                ")");
    std::vector<float> out(static_cast<size_t>(count) * s.size * s.size);
    h5::read_block(phi.get(), {h(sequence), h(first), 0, 0}, {1, h(count), h(s.size), h(s.size)},
                   H5T_NATIVE_FLOAT, out.data(), path, "/phi");
    return out;
  }

  template <class T>
  T element(const h5::Handle& set, hid_t mem_type, int sequence, T fallback) const {
    if (!set.valid()) return fallback;
    T value{};
    h5::read_block(set.get(), {h(sequence)}, {1}, mem_type, &value, path, "per-sequence data");
    return value;
  }
};

DatasetReader::DatasetReader(const std::string& path) {
  const h5::Lock lock;
  impl_ = std::make_unique<Impl>(path);
}

DatasetReader::~DatasetReader() {
  if (!impl_) return;
  const h5::Lock lock;
  impl_.reset();
}

DatasetReader::DatasetReader(DatasetReader&&) noexcept = default;

const DatasetInfo& DatasetReader::info() const { return impl_->info; }
const DatasetShape& DatasetReader::shape() const { return impl_->info.shape; }
bool DatasetReader::is_csd_dataset() const { return impl_->is_csd; }
bool DatasetReader::has_energies() const { return impl_->has_energies; }
int DatasetReader::schema_version() const { return impl_->schema_version; }

SequenceMeta DatasetReader::meta(int sequence) const {
  const h5::Lock lock;
  const Impl& d = *impl_;
  schema::require_index(sequence, h(d.info.shape.sequences), "sequence", d.path);
  SequenceMeta m;
  m.eta = d.element<double>(d.eta, H5T_NATIVE_DOUBLE, sequence, 0.0);
  m.amplitude = d.element<double>(d.amplitude, H5T_NATIVE_DOUBLE, sequence,
                                  std::numeric_limits<double>::quiet_NaN());
  m.seed = d.element<std::uint64_t>(d.seed, H5T_NATIVE_UINT64, sequence, 0);
  if (d.mean_phi.valid()) {
    m.mean_phi = d.element<double>(d.mean_phi, H5T_NATIVE_DOUBLE, sequence, 0.0);
  } else {
    const std::vector<float> first = d.frames(sequence, 0, 1);
    double sum = 0;
    for (float v : first) sum += v;
    m.mean_phi = sum / static_cast<double>(first.size());
  }
  return m;
}

std::vector<bool> DatasetReader::completed() const {
  const h5::Lock lock;
  const Impl& d = *impl_;
  const size_t s = static_cast<size_t>(d.info.shape.sequences);
  if (!d.complete.valid()) return std::vector<bool>(s, true);
  std::vector<std::uint8_t> flags(s);
  h5::read_block(d.complete.get(), {0}, {s}, H5T_NATIVE_UINT8, flags.data(), d.path, "/complete");
  return std::vector<bool>(flags.begin(), flags.end());
}

std::vector<float> DatasetReader::read_frame(int sequence, int frame) const {
  return read_frames(sequence, frame, 1);
}

std::vector<float> DatasetReader::read_frames(int sequence, int first, int count) const {
  const h5::Lock lock;
  return impl_->frames(sequence, first, count);
}

std::vector<physics::Energies> DatasetReader::energies(int sequence) const {
  const h5::Lock lock;
  const Impl& d = *impl_;
  schema::require_index(sequence, h(d.info.shape.sequences), "sequence", d.path);
  if (!d.has_energies) return {};
  const size_t t = static_cast<size_t>(d.info.shape.frames);
  std::array<std::vector<double>, 5> terms;
  for (size_t k = 0; k < terms.size(); ++k) {
    terms[k].resize(t);
    h5::read_block(d.energy[k].get(), {h(sequence), 0}, {1, t}, H5T_NATIVE_DOUBLE, terms[k].data(),
                   d.path, "/energy");
  }
  std::vector<physics::Energies> out(t);
  for (size_t j = 0; j < t; ++j)
    out[j] = schema::energies_from_terms(
        {terms[0][j], terms[1][j], terms[2][j], terms[3][j], terms[4][j]});
  return out;
}

}  // namespace csd::io
