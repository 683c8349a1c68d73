#pragma once
/// HDF5 datasets of evolution sequences (DESIGN.md §3). The only C-API user of HDF5
/// is src/io/dataset.cpp.
///
///   /phi         float32 [S, T, N, N]  chunk [1,1,N,N], shuffle + deflate
///   /eta /mean_phi /amplitude  float64 [S];  /seed uint64 [S];  /complete uint8 [S]
///   /energy/{grad,w,rho,f,total}  float64 [S, T]
///   attrs: format="csd-dataset", version, csd_version, config (JSON string),
///          dt, steps_per_frame, epsilon, mobility, grid_spacing, C11, C12, C44, noise
///
/// Crash safety: a new dataset is written to "<out>.part"; each finished sequence is
/// written whole, marked complete and flushed; `finish()` renames to "<out>" once all
/// sequences are complete. A killed run leaves "<out>.part", which `resume` reopens.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "csd/core/json_config.h"
#include "csd/physics/energy.h"
#include "csd/physics/params.h"

namespace csd::io {

inline constexpr const char* kDatasetFormat = "csd-dataset";
inline constexpr int kDatasetVersion = 1;

struct DatasetShape {
  int sequences = 0;  ///< S
  int frames = 0;     ///< T, snapshots including t = 0
  int size = 0;       ///< N
};

struct DatasetInfo {
  DatasetShape shape;
  physics::Params physics;
  double noise = 0.0;          ///< solver noise σ (0 for deterministic / surrogate data)
  std::string config_json;     ///< the full effective config that produced the file
  std::string csd_version;
  std::string source = "solver";  ///< "solver" or "surrogate" (attribute `source`)
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
  /// kCreate: error if final or partial file exists. kOverwrite: replaces any partial
  /// file now, the final file only at finish(). kResume: reopens "<out>.part" and
  /// checks that its shape and physics match `info` (error naming the mismatch).
  DatasetWriter(const std::string& final_path, const DatasetInfo& info, Mode mode);
  ~DatasetWriter();
  DatasetWriter(const DatasetWriter&) = delete;
  DatasetWriter& operator=(const DatasetWriter&) = delete;

  /// complete flag per sequence (all false for a new file).
  const std::vector<bool>& completed() const;
  /// Writes one whole sequence: frames is T*N*N float32 row-major, energies has T
  /// entries. Marks it complete and flushes. Thread-safe (serialised internally).
  void write_sequence(int index, const SequenceMeta& meta, const std::vector<float>& frames,
                      const std::vector<physics::Energies>& energies);
  /// All sequences complete: close and atomically rename to the final path.
  /// Throws csd::Error if some sequence is missing.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

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
  /// One frame, N*N float32.
  std::vector<float> read_frame(int sequence, int frame) const;
  /// Frames [first, first+count) of a sequence, count*N*N float32.
  std::vector<float> read_frames(int sequence, int first, int count) const;
  /// Per-frame energies of a sequence (T entries).
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

}  // namespace csd::io
