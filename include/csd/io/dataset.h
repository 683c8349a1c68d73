#pragma once
/// HDF5 datasets of evolution sequences (docs/architecture.md §4). HDF5's C API is used only
/// inside src/io (hdf5_wrap.h and the dataset_*.cpp files that use it).
///
///   /phi         float32 [S, T, N, N]  chunk [1,1,N,N], shuffle + deflate (level 4);
///                                      never-written frames read as NaN (fill value)
///   /eta /mean_phi /amplitude  float64 [S];  /seed uint64 [S];  /complete uint8 [S]
///   /energy/{grad,w,rho,f,total}  float64 [S, T]
///   attrs: format="csd-dataset", version, csd_version, config (JSON string), source,
///          dt, steps_per_frame, epsilon, mobility, grid_spacing, C11, C12, C44, noise;
///          a shard also shard_index, shard_count (see Shard)
///   version 2 adds coordinates, HDF5 dimension scales that label every axis for netCDF
///   readers (xarray: phi(sequence, frame, y, x)): /sequence int32 [S], /frame int32 [T],
///   /y /x float64 [N] (j·h), /t float64 [T] (j·τ, a coordinate of phi), and CF
///   long_name / units attributes on every variable (src/io/dataset_coordinates.h)
/// Object time stamps are off, so equal contents written in the same order give
/// byte-identical files.
///
/// Crash safety: a new dataset is written to "<out>.part"; each finished sequence is
/// written whole, flushed, then marked complete and flushed again (so a sequence marked
/// complete is on disk whatever happens next); `finish()` renames to "<out>" once all
/// sequences are complete. A killed run leaves "<out>.part", which `resume` reopens.
///
/// Ordered commits: sequences reach the file in index order whatever order worker
/// threads finish them in (later ones wait in memory, compressed, up to
/// `reorder_limit_bytes`), so a multi-threaded run gives the same bytes as a serial one
/// and a resumed run the same bytes as an uninterrupted one. Past the limit, waiting
/// sequences are written at once (same contents, different byte layout).
/// Compression runs in the calling (worker) thread; only the file I/O is serialised.
///
/// Files from elsewhere: the reader needs only /phi [S, T, N, N] (float) and /eta [S];
/// every other part is optional (see DatasetReader).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "csd/core/json_config.h"
#include "csd/physics/energy.h"
#include "csd/physics/params.h"

namespace csd::io {

inline constexpr const char* kDatasetFormat = "csd-dataset";
/// Schema version written: 2 adds dimension scales and coordinates (sequence, frame, y,
/// x, t) with CF attributes, for netCDF readers (xarray); 1 had none. Both are read.
inline constexpr int kDatasetVersion = 2;

struct DatasetShape {
  int sequences = 0;  ///< S
  int frames = 0;     ///< T, snapshots including t = 0
  int size = 0;       ///< N
};

/// Which sequences a file holds: a shard I/N of a dataset holds the sequences
/// s ≡ I (mod N) at their own indices, with the full shape [S, …] (chunks never written
/// take no space), so shards of one config together are the dataset (csd merge). A
/// whole dataset is shard 0/1 and stores no shard attributes.
struct Shard {
  int index = 0;  ///< I
  int count = 1;  ///< N
  bool whole() const { return count == 1; }
  bool owns(int sequence) const { return sequence % count == index; }
  /// "I/N".
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

struct DatasetInfo {
  DatasetShape shape;
  Shard shard;                    ///< the sequences this file holds (whole by default)
  physics::Params physics;
  double noise = 0.0;             ///< solver noise σ (0 for deterministic / surrogate data)
  std::string config_json;        ///< the full effective config that produced the file
  std::string csd_version;        ///< empty: this build's CSD_VERSION is stored
  std::string source = "solver";  ///< "solver", "surrogate" or "image" (attribute `source`);
                                  ///< the reader reports "foreign" for files without a format
};

struct SequenceMeta {
  double eta = 0, mean_phi = 0, amplitude = 0;
  std::uint64_t seed = 0;
};

/// Path of the in-progress file for `final_path`.
std::string partial_path(const std::string& final_path);

class DatasetWriter {
 public:
  enum class Mode { kCreate, kOverwrite, kResume };
  /// Default memory for sequences waiting for an earlier index (see "Ordered commits").
  static constexpr std::size_t kDefaultReorderLimitBytes = std::size_t{1} << 30;

  /// kCreate: error if final or partial file exists. kOverwrite: replaces any partial
  /// file now, the final file only at finish(). kResume: reopens "<out>.part" and
  /// checks that its shape, shard, physics, noise and source match `info` (error naming the
  /// mismatch); its config attribute is kept. Sequences marked complete whose frames are
  /// not all on disk are treated as incomplete. The output directory is checked (the
  /// .part file is created) before returning, so an unwritable path fails at once.
  /// Neither path may be a symbolic link or special file (csd::Error, even for
  /// kOverwrite). The writer holds an exclusive lock (io/lock.h) on "<out>.part" until it
  /// is destroyed: a second writer of the same output fails at once, naming the lock.
  /// `resumable` = false (a job without --resume) drops "--resume" from the advice.
  DatasetWriter(const std::string& final_path, const DatasetInfo& info, Mode mode,
                std::size_t reorder_limit_bytes = kDefaultReorderLimitBytes,
                bool resumable = true);
  /// Without finish(): closes "<out>.part" (complete sequences stay resumable);
  /// sequences still waiting for an earlier index are discarded.
  ~DatasetWriter();
  DatasetWriter(const DatasetWriter&) = delete;
  DatasetWriter& operator=(const DatasetWriter&) = delete;

  /// complete flag per sequence as on disk (all false for a new file). Call from the
  /// owning thread while no write_sequence is in flight.
  const std::vector<bool>& completed() const;
  /// Metadata stored for a complete sequence (e.g. to check a resumed run's seeds).
  SequenceMeta stored_meta(int index) const;
  /// Hands over one whole sequence: frames is T*N*N float32 row-major, energies has T
  /// entries. It is written, flushed and marked complete as soon as every lower index
  /// of the shard is complete (see "Ordered commits"). Thread-safe (serialised
  /// internally). Throws csd::Error on a wrong size, an index out of range, outside the
  /// shard or already given, non-finite values, or a write failure.
  void write_sequence(int index, const SequenceMeta& meta, const std::vector<float>& frames,
                      const std::vector<physics::Energies>& energies);
  /// Sequences handed over but not yet on disk (waiting for a lower index).
  int waiting_sequences() const;
  /// Gives the output up: closes and deletes "<out>.part" (for jobs that cannot resume,
  /// after an error); the final file is untouched. The writer is unusable afterwards.
  void discard();
  /// Writes any waiting sequences; if all of the shard's are complete, closes, syncs and atomically
  /// renames "<out>.part" to "<out>" (replacing an old file only now). Throws
  /// csd::Error naming the missing sequences otherwise (the .part file stays).
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads csd datasets and compatible files from elsewhere. Required: /phi, a float
/// dataset [S, T, N, N] with N×N frames, and /eta [S]. Optional, with defaults:
/// format attribute (absent: a "foreign" file, accepted; present: must be csd-dataset
/// of a version this build knows), physics attributes (absent: Params defaults),
/// /mean_phi (absent: mean of frame 0), /amplitude (NaN), /seed (0), /complete
/// (all complete), /energy (energies() returns an empty vector), shard attributes
/// (whole). Every part that is
/// present must have the right shape. Reads are hyperslabs: never the whole file.
class DatasetReader {
 public:
  /// Opens read-only and validates the schema (clear error naming the missing part).
  explicit DatasetReader(const std::string& path);
  ~DatasetReader();
  DatasetReader(DatasetReader&&) noexcept;

  const DatasetInfo& info() const;
  const DatasetShape& shape() const;
  SequenceMeta meta(int sequence) const;
  std::vector<bool> completed() const;
  /// False for foreign files without a format attribute.
  bool is_csd_dataset() const;
  /// The csd schema version of the file (see kDatasetVersion); 0 for a foreign file.
  int schema_version() const;
  /// True when the file has /energy with all five terms.
  bool has_energies() const;
  /// One frame, N*N float32.
  std::vector<float> read_frame(int sequence, int frame) const;
  /// Frames [first, first+count) of a sequence, count*N*N float32.
  std::vector<float> read_frames(int sequence, int first, int count) const;
  /// Per-frame energies of a sequence (T entries; empty if the file has no /energy).
  std::vector<physics::Energies> energies(int sequence) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads one 2D field from any HDF5 file: `dataset` may be 2D [N,N], 3D [T,N,N]
/// (frame `frame`) or 4D [S,T,N,N] (sequence `index`, frame `frame`). Throws csd::Error
/// on a missing dataset, wrong rank, non-square shape or non-finite values.
std::vector<float> read_field(const std::string& path, const std::string& dataset, int index,
                              int frame, int* size_out);

/// Writes `values` as a float32 dataset `name` of shape `dims` (row-major) into `path`,
/// creating the file if it does not exist; chunked by trailing N×N frame and compressed
/// when the rank is >= 2. For user fields (e.g. an initial condition for --init-from)
/// and small arrays. Throws csd::Error if `name` already exists or the sizes disagree.
void write_float_dataset(const std::string& path, const std::string& name,
                         const std::vector<float>& values, const std::vector<int>& dims);

}  // namespace csd::io
