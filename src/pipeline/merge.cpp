// csd merge: shards of one dataset into the dataset (contract in include/csd/pipeline/merge.h).
#include "csd/pipeline/merge.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "csd/core/error.h"
#include "csd/core/json_config.h"
#include "csd/core/memory.h"
#include "csd/core/parallel.h"
#include "csd/core/progress.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"

namespace csd::pipeline {
namespace {

struct ShardFile {
  std::string path;
  io::DatasetReader reader;

  const io::Shard& shard() const { return reader.info().shard; }
  /// "'train.1.h5' (shard 1/4)"
  std::string name() const { return "'" + path + "' (shard " + shard().text() + ")"; }
};

std::string list_indices(const std::vector<int>& indices) {
  std::string text;
  const std::size_t shown = std::min<std::size_t>(indices.size(), 10);
  for (std::size_t i = 0; i < shown; ++i) text += (i ? ", " : "") + std::to_string(indices[i]);
  if (indices.size() > shown) text += ", ... (" + std::to_string(indices.size()) + " in all)";
  return text;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : "; ") + item;
  return text;
}

ShardFile open_shard(const std::string& path) {
  if (!io::file_exists(path) && io::file_exists(io::partial_path(path)))
    throw Error("shard '" + path + "' is unfinished: only '" + io::partial_path(path) +
                "' exists; finish it with csd generate --shard I/N --resume");
  ShardFile file{path, io::DatasetReader(path)};
  require(file.reader.is_csd_dataset(),
          "'" + path + "' is not a csd dataset; csd merge joins the shards of csd generate --shard");
  return file;
}

/// Everything that decides the data must agree with the first shard.
void require_same_dataset(const ShardFile& first, const ShardFile& other) {
  const io::DatasetInfo &a = first.reader.info(), &b = other.reader.info();
  const auto refuse = [&](const std::string& what) {
    throw Error("shard " + other.name() + " does not belong with " + first.name() + ": " + what +
                "; merge only shards made with the same config");
  };
  const auto shape = [](const io::DatasetShape& s) {
    return fmt::format("S={} T={} N={}", s.sequences, s.frames, s.size);
  };
  if (shape(a.shape) != shape(b.shape))
    refuse("the shape differs (" + shape(b.shape) + " vs " + shape(a.shape) + ")");
  const Json config_a = Json::parse(a.config_json, nullptr, false);
  const Json config_b = Json::parse(b.config_json, nullptr, false);
  if (config_a.is_discarded() || config_b.is_discarded()) refuse("a stored config is not JSON");
  if (const auto keys = json_differences(config_b, other.path, config_a, first.path); !keys.empty())
    refuse("the config differs (" + join(keys) + ")");
  // The physics attributes and noise are what readers trust; the config could agree
  // with them and a file still be damaged or foreign.
  Json physics_a = a.physics.to_json(), physics_b = b.physics.to_json();
  physics_a["noise"] = a.noise;
  physics_b["noise"] = b.noise;
  if (const auto keys = json_differences(physics_b, other.path, physics_a, first.path);
      !keys.empty())
    refuse("the physics differs (" + join(keys) + ")");
  if (a.source != b.source) refuse("the source differs ('" + b.source + "' vs '" + a.source + "')");
  if (a.csd_version != b.csd_version)
    refuse("it was made by csd " + b.csd_version + ", the other by csd " + a.csd_version +
           " (regenerate it with one version)");
}

/// Which shard holds each sequence; refuses a sequence held twice or by none.
std::vector<int> owners(const std::vector<ShardFile>& shards) {
  const int sequences = shards.front().reader.shape().sequences;
  std::vector<int> owner(static_cast<std::size_t>(sequences), -1);
  for (std::size_t k = 0; k < shards.size(); ++k)
    for (int s = 0; s < sequences; ++s) {
      if (!shards[k].shard().owns(s)) continue;
      int& held_by = owner[static_cast<std::size_t>(s)];
      if (held_by >= 0)
        throw Error("sequence " + std::to_string(s) + " is in two shards, " +
                    shards[static_cast<std::size_t>(held_by)].name() + " and " +
                    shards[k].name() + "; give each shard once");
      held_by = static_cast<int>(k);
    }
  std::vector<int> missing;
  std::set<int> counts;
  for (int s = 0; s < sequences; ++s)
    if (owner[static_cast<std::size_t>(s)] < 0) missing.push_back(s);
  if (missing.empty()) return owner;
  for (const auto& file : shards) counts.insert(file.shard().count);
  std::string hint;
  if (counts.size() == 1) {  // name the absent shards when all are I/N of one N
    std::set<int> absent;
    for (int s : missing) absent.insert(s % *counts.begin());
    for (int i : absent)
      hint += (hint.empty() ? "; missing shard " : ", ") + std::to_string(i) + "/" +
              std::to_string(*counts.begin());
  }
  throw Error("no shard holds sequence(s) " + list_indices(missing) + " of " +
              std::to_string(sequences) + hint);
}

void require_complete(const ShardFile& file) {
  const std::vector<bool> complete = file.reader.completed();
  std::vector<int> missing;
  int held = 0;
  for (int s = 0; s < static_cast<int>(complete.size()); ++s) {
    if (!file.shard().owns(s)) continue;
    ++held;
    if (!complete[static_cast<std::size_t>(s)]) missing.push_back(s);
  }
  require(missing.empty(), "shard " + file.name() + " is incomplete: " +
                               std::to_string(missing.size()) + " of its " +
                               std::to_string(held) + " sequences are missing (" +
                               list_indices(missing) + "); finish it with csd generate --shard " +
                               file.shard().text() + " --resume");
}

/// The output must not be one of its inputs: replacing a shard while reading it.
void require_not_an_input(const std::string& out, const std::vector<ShardFile>& shards) {
  if (!io::file_exists(out)) return;
  for (const auto& file : shards) {
    std::error_code ec;
    require(!std::filesystem::equivalent(out, file.path, ec),
            "the output '" + out + "' is the shard " + file.name() + "; write to another path");
  }
}

}  // namespace

MergeSummary merge_shards(const MergeConfig& c) {
  require(!c.out.empty(), "no output file: csd merge OUT.h5 SHARD...");
  require(!c.shards.empty(), "no shards to merge: csd merge OUT.h5 SHARD...");
  require(c.threads >= 0, "threads must be >= 0 (0 = all cores)");
  const auto start = std::chrono::steady_clock::now();
  std::vector<ShardFile> shards;
  for (const auto& path : c.shards) shards.push_back(open_shard(path));
  for (std::size_t k = 1; k < shards.size(); ++k) require_same_dataset(shards.front(), shards[k]);
  const std::vector<int> owner = owners(shards);
  for (const auto& file : shards) require_complete(file);
  require_not_an_input(c.out, shards);

  const io::DatasetShape shape = shards.front().reader.shape();
  const double frame_bytes = 4.0 * shape.size * shape.size;
  // Per worker: one decoded sequence and its encoded chunks.
  require_memory(worker_count(c.threads, shape.sequences) * 2.0 * frame_bytes * shape.frames,
                 fmt::format("merge ({} frames of {}² per sequence)", shape.frames, shape.size),
                 "lower --threads");
  io::DatasetInfo info = shards.front().reader.info();
  info.shard = io::Shard{};
  io::DatasetWriter writer(c.out, info,
                           c.overwrite ? io::DatasetWriter::Mode::kOverwrite
                                       : io::DatasetWriter::Mode::kCreate,
                           io::DatasetWriter::kDefaultReorderLimitBytes, /*resumable=*/false);
  Progress progress("sequences", shape.sequences);
  try {
    // Decoding and re-encoding give the shard's bytes again (the codec is deterministic),
    // and the writer commits in index order, so the thread count does not matter.
    parallel_for(shape.sequences, c.threads, [&](int s) {
      const ShardFile& from = shards[static_cast<std::size_t>(owner[static_cast<std::size_t>(s)])];
      try {
        writer.write_sequence(s, from.reader.meta(s), from.reader.read_frames(s, 0, shape.frames),
                              from.reader.energies(s));
      } catch (const Error& e) {
        throw Error("shard " + from.name() + ": " + e.what());
      }
      progress.add(1);
    });
    writer.finish();
  } catch (...) {
    writer.discard();  // the output never existed; an old OUT stays as it was
    throw;
  }
  MergeSummary summary;
  summary.sequences = shape.sequences;
  summary.shards = static_cast<int>(shards.size());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace csd::pipeline
