// DatasetWriter: crash-safe, resumable, ordered writing of csd datasets
// (contract in include/csd/io/dataset.h).
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>

#include "chunk_codec.h"
#include "csd/core/error.h"
#include "csd/core/finite.h"
#include "csd/core/json_config.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "csd/io/lock.h"
#include "dataset_coordinates.h"
#include "dataset_schema.h"
#include "hdf5_wrap.h"

namespace csd::io {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

hsize_t h(int value) { return static_cast<hsize_t>(value); }

void require_valid_shape(const DatasetShape& shape) {
  require(shape.sequences >= 1 && shape.frames >= 1 && shape.size >= 1,
          "dataset shape must have at least one sequence, one frame and N >= 1 (got S=" +
              std::to_string(shape.sequences) + ", T=" + std::to_string(shape.frames) +
              ", N=" + std::to_string(shape.size) + ")");
}

/// HDF5 stores one frame per chunk, and a chunk must stay below 4 GiB.
void require_frame_fits_a_chunk(const DatasetShape& shape) {
  const double frame_bytes = 4.0 * shape.size * shape.size;
  require(frame_bytes < 4294967296.0,
          fmt::format("grid size N = {} makes one float32 frame {:.3g} GB, above HDF5's 4 GiB "
                      "chunk limit; use N <= 32767",
                      shape.size, frame_bytes / 1e9));
}

void require_valid_shard(const Shard& shard) {
  require(shard.count >= 1 && shard.index >= 0 && shard.index < shard.count,
          "shard " + shard.text() + " is not I/N with 0 <= I < N");
}

/// fsync so the rename below can never expose a file whose data is still in flight.
void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string describe_indices(const std::vector<int>& indices) {
  std::string text;
  const size_t shown = std::min<size_t>(indices.size(), 10);
  for (size_t i = 0; i < shown; ++i) text += (i ? ", " : "") + std::to_string(indices[i]);
  if (indices.size() > shown) text += ", ...";
  return text;
}

}  // namespace

std::string partial_path(const std::string& final_path) { return final_path + ".part"; }

struct DatasetWriter::Impl {
  /// A sequence ready for the file: frames already encoded (see chunk_codec.h) and
  /// energies split into the five stored terms.
  struct Prepared {
    SequenceMeta meta;
    std::vector<std::vector<unsigned char>> chunks;
    std::array<std::vector<double>, 5> terms;
    std::size_t bytes = 0;
  };

  std::string final_path, part_path;
  /// Held on "<out>.part" from open to close: a second writer of the same output fails.
  std::optional<ExclusiveLock> writer_lock;
  DatasetInfo info;
  std::size_t reorder_limit_bytes;
  h5::Handle file, phi, eta, mean_phi, amplitude, seed, complete;
  std::array<h5::Handle, 5> energy;
  std::vector<bool> completed;
  std::map<int, Prepared> waiting;
  std::size_t waiting_bytes = 0;
  bool finished = false;
  bool resumable = true;

  Impl(const std::string& path, const DatasetInfo& i, std::size_t limit)
      : final_path(path), part_path(partial_path(path)), info(i), reorder_limit_bytes(limit) {
    require_valid_shape(info.shape);
    require_frame_fits_a_chunk(info.shape);
    require_valid_shard(info.shard);
    completed.assign(static_cast<size_t>(info.shape.sequences), false);
  }

  // ---- opening --------------------------------------------------------------------

  /// Neither the output nor its partial file may be a link, device, FIFO or folder.
  void require_plain_paths() const {
    require_replaceable(final_path);
    require_replaceable(part_path);
  }

  void create(Mode mode) {
    require_plain_paths();
    const bool final_exists = file_exists(final_path), part_exists = file_exists(part_path);
    // A partial file being written now is another run's, not an interrupted one.
    if (part_exists) writer_lock.emplace(part_path);
    if (mode == Mode::kCreate) {
      require(!final_exists, "output '" + final_path +
                                 "' already exists; use --overwrite to replace it or "
                                 "choose another path");
      require(!part_exists, "an interrupted run left '" + part_path + "'; use " +
                                std::string(resumable ? "--resume to continue it or " : "") +
                                "--overwrite to start over");
    }
    require_writable_parent(part_path);
    // Lock first (creating the file), then truncate the same file: an old partial file
    // is only replaced if no other process is writing it.
    if (!writer_lock) writer_lock.emplace(part_path);
    try {
      file = h5::create_file(part_path, /*hdf5_locking=*/false);
      create_layout();
      coordinates::write(file.get(), info.shape, info.physics, part_path);
      write_attributes();
      flush();
    } catch (...) {
      close_quietly();
      std::remove(part_path.c_str());  // nothing resumable was written yet
      throw;
    }
  }

  void create_layout() {
    const hsize_t s = h(info.shape.sequences), t = h(info.shape.frames), n = h(info.shape.size);
    const hid_t root = file.get();
    const h5::DatasetSpec phi_spec{
        H5T_IEEE_F32LE, {s, t, n, n}, {1, 1, n, n}, schema::kDeflateLevel, kNaN};
    phi = h5::create_dataset(root, schema::kPhi, phi_spec, part_path);
    // Never-written values read as NaN, so a gap can never pass for data.
    const h5::DatasetSpec per_sequence{H5T_IEEE_F64LE, {s}, {}, 0, kNaN};
    eta = h5::create_dataset(root, schema::kEta, per_sequence, part_path);
    mean_phi = h5::create_dataset(root, schema::kMeanPhi, per_sequence, part_path);
    amplitude = h5::create_dataset(root, schema::kAmplitude, per_sequence, part_path);
    seed = h5::create_dataset(root, schema::kSeed, {H5T_STD_U64LE, {s}, {}, 0, {}}, part_path);
    complete =
        h5::create_dataset(root, schema::kComplete, {H5T_STD_U8LE, {s}, {}, 0, {}}, part_path);
    const h5::Handle group = h5::create_group(root, schema::kEnergyGroup, part_path);
    for (size_t k = 0; k < energy.size(); ++k)
      energy[k] = h5::create_dataset(group.get(), schema::kEnergyTerms[k],
                                     {H5T_IEEE_F64LE, {s, t}, {}, 0, kNaN}, part_path);
  }

  void write_attributes() {
    const hid_t root = file.get();
    h5::write_string_attribute(root, schema::kFormatAttr, kDatasetFormat, part_path);
    h5::write_int_attribute(root, schema::kVersionAttr, kDatasetVersion, part_path);
    h5::write_string_attribute(root, schema::kCsdVersionAttr,
                               info.csd_version.empty() ? CSD_VERSION : info.csd_version,
                               part_path);
    h5::write_string_attribute(root, schema::kConfigAttr,
                               info.config_json.empty() ? "{}" : info.config_json, part_path);
    h5::write_string_attribute(root, schema::kSourceAttr, info.source, part_path);
    for (const auto& attribute : schema::kPhysicsAttributes)
      h5::write_double_attribute(root, attribute.name, info.physics.*attribute.member, part_path);
    h5::write_int_attribute(root, schema::kStepsPerFrameAttr, info.physics.steps_per_frame,
                            part_path);
    h5::write_double_attribute(root, schema::kNoiseAttr, info.noise, part_path);
    // Only shards carry the attributes, so a whole dataset has the same bytes however
    // it was made (one run, or shards merged by csd merge).
    if (!info.shard.whole()) {
      h5::write_int_attribute(root, schema::kShardIndexAttr, info.shard.index, part_path);
      h5::write_int_attribute(root, schema::kShardCountAttr, info.shard.count, part_path);
    }
  }

  void resume() {
    if (!file_exists(part_path)) {
      require(!file_exists(final_path),
              "'" + final_path +
                  "' is already finished: nothing to resume (use --overwrite "
                  "to generate it again)");
      throw Error("nothing to resume: '" + part_path +
                  "' does not exist; run without --resume to start a new dataset");
    }
    require_plain_paths();
    writer_lock.emplace(part_path);
    require(h5::is_hdf5(part_path),
            "'" + part_path + "' is not an HDF5 file; delete it or use --overwrite");
    file = h5::open_file(part_path, true, /*hdf5_locking=*/false);
    check_matches_file();
    open_datasets();
    load_completed();
  }

  [[noreturn]] void mismatch(const std::string& what, const std::string& in_file,
                             const std::string& requested) const {
    throw Error("cannot resume '" + part_path + "': " + what + " differs (file " + in_file +
                ", requested " + requested +
                "); use the original settings, or --overwrite to start over");
  }

  void check_number(const std::string& name, double in_file, double requested) const {
    if (in_file != requested)
      mismatch(name, fmt::format("{}", in_file), fmt::format("{}", requested));
  }

  void check_matches_file() {
    const hid_t root = file.get();
    const std::string format = h5::has_attribute(root, schema::kFormatAttr)
                                   ? h5::read_string_attribute(root, schema::kFormatAttr, part_path)
                                   : "";
    require(format == kDatasetFormat,
            "'" + part_path + "' is not a csd dataset; delete it or use --overwrite");
    check_version(h5::read_int_attribute(root, schema::kVersionAttr, part_path));
    require(h5::link_exists(root, schema::kPhi),
            "'" + part_path + "' has no /phi; delete it or use --overwrite");
    const h5::Handle phi_set = h5::open_dataset(root, schema::kPhi, part_path);
    const auto dims = h5::dims_of(phi_set.get(), part_path);
    const std::vector<hsize_t> wanted = {h(info.shape.sequences), h(info.shape.frames),
                                         h(info.shape.size), h(info.shape.size)};
    const char* names[] = {"number of sequences", "number of frames", "grid size N", "grid size N"};
    if (dims.size() != 4) mismatch("shape of /phi", h5::shape_string(dims), "rank 4");
    for (size_t k = 0; k < 4; ++k)
      check_number(names[k], static_cast<double>(dims[k]), static_cast<double>(wanted[k]));
    for (const auto& attribute : schema::kPhysicsAttributes)
      check_number(attribute.name, h5::read_double_attribute(root, attribute.name, part_path),
                   info.physics.*attribute.member);
    check_number(schema::kStepsPerFrameAttr,
                 h5::read_double_attribute(root, schema::kStepsPerFrameAttr, part_path),
                 info.physics.steps_per_frame);
    check_number(schema::kNoiseAttr, h5::read_double_attribute(root, schema::kNoiseAttr, part_path),
                 info.noise);
    const std::string source = h5::read_string_attribute(root, schema::kSourceAttr, part_path);
    if (source != info.source) mismatch("source", source, info.source);
    const Shard shard = schema::read_shard(root, part_path);
    if (shard.text() != info.shard.text()) mismatch("shard", shard.text(), info.shard.text());
    check_config(h5::read_string_attribute(root, schema::kConfigAttr, part_path));
  }

  /// A partial file keeps the schema it was started with: one of an older version is
  /// finished as that version (same bytes as the csd that started it would write).
  void check_version(std::int64_t version) const {
    if (version > kDatasetVersion)
      mismatch("dataset schema version", std::to_string(version),
               std::to_string(kDatasetVersion) + " (this csd is older than the file)");
    if (version < kDatasetVersion)
      spdlog::info("'{}' was started with dataset schema version {}; it is finished in that "
                   "version (--overwrite writes version {})",
                   part_path, version, kDatasetVersion);
  }

  /// The whole stored config (seed, η and ⟨φ⟩ and their ranges, amplitude, feature
  /// size, init, …) must match: otherwise the file would mix two runs under one config.
  void check_config(const std::string& stored) const {
    if (info.config_json.empty()) return;  // the caller records no config
    const Json in_file = Json::parse(stored, nullptr, /*allow_exceptions=*/false);
    const Json requested = Json::parse(info.config_json, nullptr, false);
    if (in_file.is_discarded() || requested.is_discarded())
      mismatch("config", stored.substr(0, 80), info.config_json.substr(0, 80));
    const std::vector<std::string> keys = json_differences(in_file, "file", requested, "requested");
    if (keys.empty()) return;
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    throw Error("cannot resume '" + part_path + "': the generation config differs (" + list +
                "); use the original settings, or --overwrite to start over");
  }

  void open_datasets() {
    const hid_t root = file.get();
    phi = h5::open_dataset(root, schema::kPhi, part_path);
    eta = h5::open_dataset(root, schema::kEta, part_path);
    mean_phi = h5::open_dataset(root, schema::kMeanPhi, part_path);
    amplitude = h5::open_dataset(root, schema::kAmplitude, part_path);
    seed = h5::open_dataset(root, schema::kSeed, part_path);
    complete = h5::open_dataset(root, schema::kComplete, part_path);
    const h5::Handle group = h5::open_group(root, schema::kEnergyGroup, part_path);
    for (size_t k = 0; k < energy.size(); ++k)
      energy[k] = h5::open_dataset(group.get(), schema::kEnergyTerms[k], part_path);
  }

  /// Reads the complete flags and demotes any sequence whose frames are not all
  /// stored (a flag can only outrun its data if the file was damaged outside csd).
  void load_completed() {
    std::vector<std::uint8_t> flags(completed.size());
    h5::read_block(complete.get(), {0}, {h(info.shape.sequences)}, H5T_NATIVE_UINT8, flags.data(),
                   part_path, "/complete");
    std::vector<int> damaged;
    for (int s = 0; s < info.shape.sequences; ++s) {
      completed[s] = flags[s] != 0;
      if (completed[s] && !all_frames_stored(s)) {
        completed[s] = false;
        damaged.push_back(s);
      }
    }
    if (!damaged.empty())
      spdlog::warn(
          "'{}': sequences {} were marked complete but miss frames; they will be "
          "written again",
          part_path, describe_indices(damaged));
  }

  bool all_frames_stored(int s) {
    for (int t = 0; t < info.shape.frames; ++t)
      if (h5::chunk_bytes(phi.get(), {h(s), h(t), 0, 0}) == 0) return false;
    return true;
  }

  // ---- writing --------------------------------------------------------------------

  void flush() {
    h5::check_status(H5Fflush(file.get(), H5F_SCOPE_LOCAL), part_path, "flushing to disk");
  }

  /// Writes one sequence; the complete flag follows a flush of the data so that it can
  /// never reach the disk before the frames it vouches for.
  void commit(int index, const Prepared& sequence) {
    // write_sequence refuses indices out of range or already written before preparing.
    CSD_ASSERT(index >= 0 && index < info.shape.sequences);
    CSD_ASSERT(!completed[static_cast<size_t>(index)]);
    CSD_ASSERT(sequence.chunks.size() == static_cast<size_t>(info.shape.frames));
    const hsize_t s = h(index), t = h(info.shape.frames);
    const std::string label = "sequence " + std::to_string(index);
    for (hsize_t j = 0; j < t; ++j)
      h5::write_raw_chunk(phi.get(), {s, j, 0, 0}, sequence.chunks[j], part_path,
                          "/phi of " + label);
    for (size_t k = 0; k < energy.size(); ++k)
      h5::write_block(energy[k].get(), {s, 0}, {1, t}, H5T_NATIVE_DOUBLE, sequence.terms[k].data(),
                      part_path, "energies of " + label);
    const SequenceMeta& meta = sequence.meta;
    h5::write_block(eta.get(), {s}, {1}, H5T_NATIVE_DOUBLE, &meta.eta, part_path, label);
    h5::write_block(mean_phi.get(), {s}, {1}, H5T_NATIVE_DOUBLE, &meta.mean_phi, part_path, label);
    h5::write_block(amplitude.get(), {s}, {1}, H5T_NATIVE_DOUBLE, &meta.amplitude, part_path,
                    label);
    h5::write_block(seed.get(), {s}, {1}, H5T_NATIVE_UINT64, &meta.seed, part_path, label);
    flush();
    const std::uint8_t done = 1;
    h5::write_block(complete.get(), {s}, {1}, H5T_NATIVE_UINT8, &done, part_path, label);
    flush();
    completed[static_cast<size_t>(index)] = true;
  }

  /// The lowest index of the shard not yet on disk (S when there is none).
  int first_incomplete() const {
    for (size_t s = 0; s < completed.size(); ++s)
      if (!completed[s] && info.shard.owns(static_cast<int>(s))) return static_cast<int>(s);
    return static_cast<int>(completed.size());
  }

  void commit_waiting(std::map<int, Prepared>::iterator it) {
    commit(it->first, it->second);
    waiting_bytes -= it->second.bytes;
    waiting.erase(it);
  }

  /// Writes waiting sequences that are next in line; all of them when over the limit.
  void drain() {
    for (auto it = waiting.find(first_incomplete()); it != waiting.end();
         it = waiting.find(first_incomplete()))
      commit_waiting(it);
    if (waiting_bytes > reorder_limit_bytes)
      while (!waiting.empty()) commit_waiting(waiting.begin());
  }

  /// Checks and encodes a sequence: pure CPU work, done before taking the HDF5 lock.
  Prepared prepare(int index, const SequenceMeta& meta, const std::vector<float>& frames,
                   const std::vector<physics::Energies>& energies) const {
    const DatasetShape& sh = info.shape;
    require(index >= 0 && index < sh.sequences, "sequence index " + std::to_string(index) +
                                                    " is outside [0, " +
                                                    std::to_string(sh.sequences) + ")");
    require(info.shard.owns(index), "sequence " + std::to_string(index) + " is not in shard " +
                                        info.shard.text() + " (it holds s ≡ " +
                                        std::to_string(info.shard.index) + " mod " +
                                        std::to_string(info.shard.count) + ")");
    const size_t per_frame = static_cast<size_t>(sh.size) * sh.size;
    const size_t expected = per_frame * sh.frames;
    require(frames.size() == expected, "sequence " + std::to_string(index) + " has " +
                                           std::to_string(frames.size()) +
                                           " values; expected T*N*N = " + std::to_string(expected));
    require(energies.size() == static_cast<size_t>(sh.frames),
            "sequence " + std::to_string(index) + " has " + std::to_string(energies.size()) +
                " energy rows; expected T = " + std::to_string(sh.frames));
    // The fact only: why a field is not finite (a diverged solver or surrogate) and
    // what to change is for the caller to say.
    if (const auto bad = first_non_finite(frames.data(), frames.size(), sh.size))
      throw Error(fmt::format("sequence {}, frame {}: {} (column, row); a dataset holds finite "
                              "values only",
                              index, bad->field, bad->where()));
    Prepared out;
    out.meta = meta;
    for (int t = 0; t < sh.frames; ++t) {
      out.chunks.push_back(codec::encode_float_chunk(frames.data() + t * per_frame, per_frame,
                                                     schema::kDeflateLevel));
      out.bytes += out.chunks.back().size();
    }
    for (size_t k = 0; k < out.terms.size(); ++k)
      for (const physics::Energies& e : energies)
        out.terms[k].push_back(schema::energy_terms(e)[k]);
    return out;
  }

  void finish() {
    drain();
    while (!waiting.empty()) commit_waiting(waiting.begin());
    std::vector<int> missing;
    int owned = 0;
    for (size_t s = 0; s < completed.size(); ++s) {
      if (!info.shard.owns(static_cast<int>(s))) continue;
      ++owned;
      if (!completed[s]) missing.push_back(static_cast<int>(s));
    }
    require(missing.empty(), "cannot finish '" + final_path +
                                 "': " + std::to_string(missing.size()) + " of " +
                                 std::to_string(owned) + " sequences are missing (" +
                                 describe_indices(missing) + "); '" + part_path +
                                 "' is kept" + (resumable ? ", continue it with --resume" : ""));
    close_all();
    sync_file(part_path);
    atomic_rename(part_path, final_path);
    finished = true;
    writer_lock.reset();  // readers of the finished file take HDF5's shared lock
  }

  /// Closes every handle, ignoring errors (the file is being given up).
  void close_quietly() {
    for (auto& e : energy) e.reset();
    for (h5::Handle* d : {&phi, &eta, &mean_phi, &amplitude, &seed, &complete}) d->reset();
    file.reset();
  }

  /// Closes every handle; throws if HDF5 reported an error on the way.
  void close_all() {
    bool ok = true;
    for (auto& e : energy) ok &= e.reset();
    for (h5::Handle* d : {&phi, &eta, &mean_phi, &amplitude, &seed, &complete}) ok &= d->reset();
    ok &= file.reset();
    if (!ok) h5::fail(part_path, "closing the file failed (disk full?)");
  }
};

DatasetWriter::DatasetWriter(const std::string& final_path, const DatasetInfo& info, Mode mode,
                             std::size_t reorder_limit_bytes, bool resumable)
    : impl_(std::make_unique<Impl>(final_path, info, reorder_limit_bytes)) {
  const h5::Lock lock;
  impl_->resumable = resumable;
  try {
    if (mode == Mode::kResume)
      impl_->resume();
    else
      impl_->create(mode);
  } catch (...) {
    impl_.reset();  // close the handles while holding the HDF5 lock
    throw;
  }
}

DatasetWriter::~DatasetWriter() {
  if (!impl_ || impl_->finished) return;
  const h5::Lock lock;
  if (!impl_->waiting.empty())
    spdlog::warn("'{}': {} finished sequences were waiting for a lower index and are not "
                 "saved{}",
                 impl_->part_path, impl_->waiting.size(),
                 impl_->resumable ? "; --resume recomputes them" : "");
  try {
    impl_->close_all();
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
  }
}

void DatasetWriter::discard() {
  if (!impl_ || impl_->finished) return;
  const h5::Lock lock;
  impl_->close_quietly();
  std::remove(impl_->part_path.c_str());
  impl_->finished = true;  // nothing more to write or close
  impl_->writer_lock.reset();
}

const std::vector<bool>& DatasetWriter::completed() const { return impl_->completed; }

SequenceMeta DatasetWriter::stored_meta(int index) const {
  const h5::Lock lock;
  require(!impl_->finished, "dataset writer for '" + impl_->final_path + "' is finished");
  require(index >= 0 && index < impl_->info.shape.sequences,
          "sequence index " + std::to_string(index) + " is out of range");
  SequenceMeta meta;
  const hsize_t s = h(index);
  const std::string& path = impl_->part_path;
  h5::read_block(impl_->eta.get(), {s}, {1}, H5T_NATIVE_DOUBLE, &meta.eta, path, "/eta");
  h5::read_block(impl_->mean_phi.get(), {s}, {1}, H5T_NATIVE_DOUBLE, &meta.mean_phi, path,
                 "/mean_phi");
  h5::read_block(impl_->amplitude.get(), {s}, {1}, H5T_NATIVE_DOUBLE, &meta.amplitude, path,
                 "/amplitude");
  h5::read_block(impl_->seed.get(), {s}, {1}, H5T_NATIVE_UINT64, &meta.seed, path, "/seed");
  return meta;
}

void DatasetWriter::write_sequence(int index, const SequenceMeta& meta,
                                   const std::vector<float>& frames,
                                   const std::vector<physics::Energies>& energies) {
  Impl::Prepared sequence = impl_->prepare(index, meta, frames, energies);  // in parallel
  const h5::Lock lock;
  Impl& d = *impl_;
  require(!d.finished, "dataset '" + d.final_path + "' is already finished");
  require(!d.completed[static_cast<size_t>(index)] && !d.waiting.count(index),
          "sequence " + std::to_string(index) + " was already written");
  if (index == d.first_incomplete() || d.reorder_limit_bytes == 0) {
    d.commit(index, sequence);
  } else {
    d.waiting_bytes += sequence.bytes;
    d.waiting.emplace(index, std::move(sequence));
  }
  d.drain();
}

int DatasetWriter::waiting_sequences() const {
  const h5::Lock lock;
  return static_cast<int>(impl_->waiting.size());
}

void DatasetWriter::finish() {
  const h5::Lock lock;
  require(!impl_->finished, "dataset '" + impl_->final_path + "' is already finished");
  impl_->finish();
}

}  // namespace csd::io
