#include "hdf5_wrap.h"

#include <utility>

#include "csd/core/error.h"
#include "csd/io/fs.h"

namespace csd::io::h5 {
namespace {

struct ErrorStack {
  std::string innermost;  ///< the most specific message
  bool lock_failed = false;  ///< some entry says the file lock could not be taken
};

/// Collects the innermost message of the HDF5 error stack and whether a file lock failed.
herr_t collect(unsigned depth, const H5E_error2_t* error, void* out) {
  auto* stack = static_cast<ErrorStack*>(out);
  if (!error) return 0;
  if (depth == 0 && error->desc) stack->innermost = error->desc;
  if (error->min_num == H5E_CANTLOCKFILE) stack->lock_failed = true;
  return 0;
}

/// HDF5's most specific message; for system errors just the errno text, e.g.
/// "unable to open file: name = ..., errno = 13, error message = 'Permission denied'"
/// becomes "Permission denied". `lock_failed` tells whether another process holds the
/// file's lock (HDF5 then reports errno 11, "Resource temporarily unavailable").
std::string hdf5_reason(bool* lock_failed = nullptr) {
  ErrorStack stack;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &stack);
  H5Eclear2(H5E_DEFAULT);
  if (lock_failed) *lock_failed = stack.lock_failed;
  const std::string& reason = stack.innermost;
  const std::string marker = "error message = '";
  const size_t begin = reason.find(marker);
  if (begin == std::string::npos) return reason;
  const size_t end = reason.find('\'', begin + marker.size());
  return reason.substr(begin + marker.size(),
                       end == std::string::npos ? std::string::npos : end - begin - marker.size());
}

Handle dataspace(const std::vector<hsize_t>& dims, const std::string& file) {
  return Handle(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), file,
                      "creating a dataspace"),
                H5Sclose);
}

/// File dataspace of `dataset` with [start, start + count) selected.
Handle selected_space(hid_t dataset, const std::vector<hsize_t>& start,
                      const std::vector<hsize_t>& count, const std::string& file) {
  Handle space(check(H5Dget_space(dataset), file, "reading a dataspace"), H5Sclose);
  check_status(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                                   nullptr),
               file, "selecting a block " + shape_string(count));
  return space;
}

hsize_t element_count(const std::vector<hsize_t>& count) {
  hsize_t total = 1;
  for (hsize_t c : count) total *= c;
  return total;
}

Handle string_type(const std::string& file) {
  Handle type(check(H5Tcopy(H5T_C_S1), file, "creating a string type"), H5Tclose);
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), file, "creating a string type");
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), file, "creating a string type");
  return type;
}

Handle scalar_space(const std::string& file) {
  return Handle(check(H5Screate(H5S_SCALAR), file, "creating a dataspace"), H5Sclose);
}

void write_attribute(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type,
                     const void* value, const std::string& file) {
  if (has_attribute(loc, name))
    check_status(H5Adelete(loc, name.c_str()), file, "replacing attribute '" + name + "'");
  const Handle space = scalar_space(file);
  Handle attr(check(H5Acreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                    file, "creating attribute '" + name + "'"),
              H5Aclose);
  check_status(H5Awrite(attr.get(), mem_type, value), file, "writing attribute '" + name + "'");
}

Handle open_attribute(hid_t loc, const std::string& name, const std::string& file) {
  return Handle(
      check(H5Aopen(loc, name.c_str(), H5P_DEFAULT), file, "opening attribute '" + name + "'"),
      H5Aclose);
}

}  // namespace

std::recursive_mutex& library_mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

Lock::Lock() : guard_(library_mutex()) { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, -1);
    closer_ = other.closer_;
  }
  return *this;
}

bool Handle::reset() {
  if (id_ < 0) return true;
  const herr_t status = closer_(id_);
  id_ = -1;
  return status >= 0;
}

void fail(const std::string& file, const std::string& what) {
  bool lock_failed = false;
  const std::string reason = hdf5_reason(&lock_failed);
  if (lock_failed)
    throw Error("'" + file + "' is in use: another process holds its HDF5 file lock (e.g. a "
                "csd run still writing it, or a reader such as h5py keeping it open); wait "
                "for that process to finish or close the file, then retry");
  throw Error("'" + file + "': " + what + (reason.empty() ? "" : " (" + reason + ")"));
}

hid_t check(hid_t id, const std::string& file, const std::string& what) {
  if (id < 0) fail(file, what);
  return id;
}

void check_status(herr_t status, const std::string& file, const std::string& what) {
  if (status < 0) fail(file, what);
}

Handle file_access_plist(bool hdf5_locking) {
  Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), "", "creating file access properties"), H5Pclose);
  H5Pset_file_locking(fapl.get(), hdf5_locking, true);
  return fapl;
}

Handle create_file(const std::string& path, bool hdf5_locking) {
  const Handle fapl = file_access_plist(hdf5_locking);
  return Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), path,
                      "cannot create the file; check that the directory is writable"),
                H5Fclose);
}

Handle open_file(const std::string& path, bool writable, bool hdf5_locking) {
  const Handle fapl = file_access_plist(hdf5_locking);
  return Handle(check(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get()),
                      path, writable ? "cannot open for writing" : "cannot open"),
                H5Fclose);
}

bool is_hdf5(const std::string& path) {
  const htri_t result = H5Fis_hdf5(path.c_str());
  H5Eclear2(H5E_DEFAULT);
  return result > 0;
}

Handle open_existing_for_reading(const std::string& path) {
  require(file_exists(path), "'" + path + "' does not exist; check the path");
  require(is_hdf5(path), "'" + path + "' is not an HDF5 file");
  return open_file(path, false);
}

bool link_exists(hid_t loc, const std::string& name) {
  const htri_t result = H5Lexists(loc, name.c_str(), H5P_DEFAULT);
  H5Eclear2(H5E_DEFAULT);
  return result > 0;
}

Handle open_dataset(hid_t loc, const std::string& name, const std::string& file) {
  return Handle(
      check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), file, "cannot open dataset '" + name + "'"),
      H5Dclose);
}

Handle open_required_dataset(hid_t loc, const std::string& name, const std::string& file,
                             const std::string& fix) {
  require(link_exists(loc, name),
          "'" + file + "' has no dataset '" + name + "'" + (fix.empty() ? "" : "; " + fix));
  return open_dataset(loc, name, file);
}

Handle create_group(hid_t loc, const std::string& name, const std::string& file) {
  Handle gcpl(check(H5Pcreate(H5P_GROUP_CREATE), file, "creating group properties"), H5Pclose);
  check_status(H5Pset_obj_track_times(gcpl.get(), false), file, "creating group properties");
  return Handle(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), file,
                      "cannot create group '" + name + "'"),
                H5Gclose);
}

Handle open_group(hid_t loc, const std::string& name, const std::string& file) {
  return Handle(
      check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), file, "cannot open group '" + name + "'"),
      H5Gclose);
}

Handle create_dataset(hid_t loc, const std::string& name, const DatasetSpec& spec,
                      const std::string& file) {
  const std::string what = "cannot create dataset '" + name + "'";
  Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), file, what), H5Pclose);
  check_status(H5Pset_obj_track_times(dcpl.get(), false), file, what);
  if (!spec.chunk.empty()) {
    check_status(H5Pset_chunk(dcpl.get(), static_cast<int>(spec.chunk.size()), spec.chunk.data()),
                 file, what);
    if (spec.deflate_level > 0) {
      // Shuffle groups the bytes of equal significance, which is what makes smooth
      // float fields compressible. (deflate's zlib stream carries an Adler-32
      // checksum, so damaged chunks fail to decode without an extra filter.)
      check_status(H5Pset_shuffle(dcpl.get()), file, what);
      check_status(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(spec.deflate_level)), file,
                   what);
    }
  }
  if (spec.fill_value)
    check_status(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &*spec.fill_value), file, what);
  const Handle space = dataspace(spec.dims, file);
  return Handle(check(H5Dcreate2(loc, name.c_str(), spec.type, space.get(), H5P_DEFAULT, dcpl.get(),
                                 H5P_DEFAULT),
                      file, what),
                H5Dclose);
}

std::vector<hsize_t> dims_of(hid_t dataset, const std::string& file) {
  const Handle space(check(H5Dget_space(dataset), file, "reading a dataspace"), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail(file, "reading a dataspace");
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

H5T_class_t type_class_of(hid_t dataset, const std::string& file) {
  const Handle type(check(H5Dget_type(dataset), file, "reading a data type"), H5Tclose);
  return H5Tget_class(type.get());
}

void write_block(hid_t dataset, const std::vector<hsize_t>& start,
                 const std::vector<hsize_t>& count, hid_t mem_type, const void* data,
                 const std::string& file, const std::string& what) {
  const Handle file_space = selected_space(dataset, start, count, file);
  const Handle mem_space = dataspace({element_count(count)}, file);
  check_status(H5Dwrite(dataset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
               file, "writing " + what);
}

void read_block(hid_t dataset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                hid_t mem_type, void* data, const std::string& file, const std::string& what) {
  const Handle file_space = selected_space(dataset, start, count, file);
  const Handle mem_space = dataspace({element_count(count)}, file);
  check_status(H5Dread(dataset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
               file, "reading " + what);
}

void write_raw_chunk(hid_t dataset, const std::vector<hsize_t>& chunk_origin,
                     const std::vector<unsigned char>& bytes, const std::string& file,
                     const std::string& what) {
  check_status(
      H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, chunk_origin.data(), bytes.size(), bytes.data()),
      file, "writing " + what);
}

hsize_t chunk_bytes(hid_t dataset, const std::vector<hsize_t>& chunk_origin) {
  hsize_t bytes = 0;
  if (H5Dget_chunk_storage_size(dataset, chunk_origin.data(), &bytes) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return 0;
  }
  return bytes;
}

bool has_attribute(hid_t loc, const std::string& name) {
  const htri_t result = H5Aexists(loc, name.c_str());
  H5Eclear2(H5E_DEFAULT);
  return result > 0;
}

void write_string_attribute(hid_t loc, const std::string& name, const std::string& value,
                            const std::string& file) {
  const Handle type = string_type(file);
  const char* text = value.c_str();
  write_attribute(loc, name, type.get(), type.get(), &text, file);
}

void write_double_attribute(hid_t loc, const std::string& name, double value,
                            const std::string& file) {
  write_attribute(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, file);
}

void write_int_attribute(hid_t loc, const std::string& name, std::int64_t value,
                         const std::string& file) {
  write_attribute(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, file);
}

std::string read_string_attribute(hid_t loc, const std::string& name, const std::string& file) {
  const Handle attr = open_attribute(loc, name, file);
  const Handle type(check(H5Aget_type(attr.get()), file, "reading attribute '" + name + "'"),
                    H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw Error("'" + file + "': attribute '" + name + "' is not a string");
  const std::string what = "reading attribute '" + name + "'";
  if (H5Tis_variable_str(type.get()) > 0) {
    const Handle mem_type = string_type(file);
    char* text = nullptr;
    check_status(H5Aread(attr.get(), mem_type.get(), &text), file, what);
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  const size_t size = H5Tget_size(type.get());
  std::string value(size, '\0');
  check_status(H5Aread(attr.get(), type.get(), value.data()), file, what);
  // Fixed-length strings may be null-padded or space-padded.
  value.erase(value.find_last_not_of(std::string("\0 ", 2)) + 1);
  return value;
}

double read_double_attribute(hid_t loc, const std::string& name, const std::string& file) {
  const Handle attr = open_attribute(loc, name, file);
  double value = 0;
  check_status(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value), file,
               "reading attribute '" + name + "' as a number");
  return value;
}

std::int64_t read_int_attribute(hid_t loc, const std::string& name, const std::string& file) {
  const Handle attr = open_attribute(loc, name, file);
  std::int64_t value = 0;
  check_status(H5Aread(attr.get(), H5T_NATIVE_INT64, &value), file,
               "reading attribute '" + name + "' as an integer");
  return value;
}

std::string shape_string(const std::vector<hsize_t>& dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

}  // namespace csd::io::h5
