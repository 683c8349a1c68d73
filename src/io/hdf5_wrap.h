#pragma once
/// Internal to src/io: thin RAII layer over the HDF5 C API, shared by the dataset
/// writer, the dataset reader and read_field. Nothing outside src/io includes HDF5.
///
/// Every failing HDF5 call becomes a csd::Error "<file>: <what failed> (<HDF5's reason>)";
/// HDF5's own error-stack printing is switched off (per thread, see quiet()).
#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace csd::io::h5 {

/// Serialises all HDF5 use in the process: correct even with an HDF5 built without
/// thread safety, and cheap next to compression and I/O. Recursive so that helpers may
/// call each other under the lock.
std::recursive_mutex& library_mutex();

/// Locks library_mutex() and silences HDF5's automatic error printing on this thread.
class Lock {
 public:
  Lock();

 private:
  std::lock_guard<std::recursive_mutex> guard_;
};

/// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  /// Closes now; returns false if HDF5 reported an error while closing.
  bool reset();

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

/// Throws csd::Error("<file>: <what> (<innermost HDF5 message>)").
[[noreturn]] void fail(const std::string& file, const std::string& what);
/// Returns `id` or throws via fail() if it is negative.
hid_t check(hid_t id, const std::string& file, const std::string& what);
void check_status(herr_t status, const std::string& file, const std::string& what);

// ---- files -------------------------------------------------------------------------
/// File access properties: default (earliest) format, so there are no superblock
/// "file open" flags that would make a killed writer's file unopenable; file locking
/// is used where the file system supports it and silently skipped where it does not.
/// `hdf5_locking` = false for files whose writer holds its own io::ExclusiveLock (HDF5's
/// flock from a second descriptor would collide with it).
Handle file_access_plist(bool hdf5_locking = true);
Handle create_file(const std::string& path, bool hdf5_locking = true);  ///< truncates
Handle open_file(const std::string& path, bool writable, bool hdf5_locking = true);
/// True when the file begins with an HDF5 signature.
bool is_hdf5(const std::string& path);
/// Opens read-only after checking that the file exists ("does not exist; check the
/// path") and is HDF5 ("not an HDF5 file").
Handle open_existing_for_reading(const std::string& path);

// ---- objects -----------------------------------------------------------------------
bool link_exists(hid_t loc, const std::string& name);
Handle open_dataset(hid_t loc, const std::string& name, const std::string& file);
/// Opens dataset `name` or throws "'<file>' has no dataset '<name>'; <fix>".
Handle open_required_dataset(hid_t loc, const std::string& name, const std::string& file,
                             const std::string& fix);
Handle create_group(hid_t loc, const std::string& name, const std::string& file);
Handle open_group(hid_t loc, const std::string& name, const std::string& file);

struct DatasetSpec {
  hid_t type = -1;  ///< file type, e.g. H5T_IEEE_F32LE
  std::vector<hsize_t> dims;
  std::vector<hsize_t> chunk;        ///< empty: contiguous
  int deflate_level = 0;             ///< > 0: shuffle + deflate
  std::optional<double> fill_value;  ///< for floating types: value of never-written data
};
/// Creates a dataset without object time stamps (so equal contents give equal bytes).
Handle create_dataset(hid_t loc, const std::string& name, const DatasetSpec& spec,
                      const std::string& file);

std::vector<hsize_t> dims_of(hid_t dataset, const std::string& file);
/// H5T_class_t of the dataset's element type (H5T_FLOAT, H5T_INTEGER, ...).
H5T_class_t type_class_of(hid_t dataset, const std::string& file);

/// Reads / writes the block [start, start + count) of a dataset from / to a contiguous
/// buffer of `mem_type` elements.
void write_block(hid_t dataset, const std::vector<hsize_t>& start,
                 const std::vector<hsize_t>& count, hid_t mem_type, const void* data,
                 const std::string& file, const std::string& what);
void read_block(hid_t dataset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                hid_t mem_type, void* data, const std::string& file, const std::string& what);

/// Stores one chunk that the caller already passed through the dataset's whole filter
/// pipeline (so compression can run outside the HDF5 lock, in worker threads).
void write_raw_chunk(hid_t dataset, const std::vector<hsize_t>& chunk_origin,
                     const std::vector<unsigned char>& bytes, const std::string& file,
                     const std::string& what);

/// Bytes a chunk occupies on disk; 0 when the chunk was never written.
hsize_t chunk_bytes(hid_t dataset, const std::vector<hsize_t>& chunk_origin);

// ---- attributes (on a file's root group or any object) -----------------------------
bool has_attribute(hid_t loc, const std::string& name);
/// Variable-length UTF-8 string: read by h5py as str.
void write_string_attribute(hid_t loc, const std::string& name, const std::string& value,
                            const std::string& file);
void write_double_attribute(hid_t loc, const std::string& name, double value,
                            const std::string& file);
void write_int_attribute(hid_t loc, const std::string& name, std::int64_t value,
                         const std::string& file);
/// Reads fixed- or variable-length string attributes.
std::string read_string_attribute(hid_t loc, const std::string& name, const std::string& file);
/// Numeric attributes of any integer or float type are converted by HDF5.
double read_double_attribute(hid_t loc, const std::string& name, const std::string& file);
std::int64_t read_int_attribute(hid_t loc, const std::string& name, const std::string& file);

/// Formats dims as "[2, 3, 8, 8]".
std::string shape_string(const std::vector<hsize_t>& dims);

}  // namespace csd::io::h5
