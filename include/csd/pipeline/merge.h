#pragma once
/// Joins the shards of one dataset (csd generate --shard I/N, csd/pipeline/generate.h)
/// into the dataset a single run with the same config writes, byte for byte: the same
/// /phi, /eta, /energy/*, per-sequence arrays and attributes.
///
/// Before anything is written, every shard must be a csd dataset with the same shape,
/// config, physics, noise, source and csd version as the first; together the shards
/// must hold every sequence exactly once (shards of different N may be mixed, e.g. 0/2
/// with 1/4 and 3/4); and each shard must be complete. A refusal names the shard and
/// the difference. The output is written like any dataset (csd/io/dataset.h): to
/// "OUT.part", locked, renamed when complete; an existing OUT is replaced only with
/// `overwrite`, and only then.
///
///   csd::pipeline::MergeConfig m;
///   m.out = "train.h5"; m.shards = {"train.0.h5", "train.1.h5"};
///   csd::pipeline::merge_shards(m);
#include <string>
#include <vector>

namespace csd::pipeline {

struct MergeConfig {
  std::string out;                  ///< the merged dataset
  std::vector<std::string> shards;  ///< shard files, in any order
  bool overwrite = false;           ///< replace an existing OUT (once the new one is complete)
  int threads = 0;                  ///< workers re-encoding sequences; 0 = all cores
};

struct MergeSummary {
  int sequences = 0;
  int shards = 0;
  double seconds = 0;
};

/// Throws csd::Error on a refusal (nothing written) or a failed write (OUT.part removed,
/// an existing OUT untouched).
MergeSummary merge_shards(const MergeConfig& config);

}  // namespace csd::pipeline
